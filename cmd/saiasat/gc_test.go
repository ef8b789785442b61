package main

import (
	"log/slog"
	"runtime/debug"
	"runtime/metrics"
	"testing"
)

func TestGCPercent(t *testing.T) {
	const mb = 1 << 20
	for _, c := range []struct {
		live, scanned uint64
		want          int
	}{
		{0, 0, 100},                // nothing measured: Go's default
		{0, 1, 400},                // a near-empty heap: the floor (4 MB × GOGC/100) bounds it to 16 MB
		{2 * mb, 2 * mb, 450},      // the bundled site: the floor binds, 18 MB
		{8 * mb, 8 * mb, 200},      // 8 MB scanned: 16 MB of growth
		{16 * mb, 16 * mb, 100},    // at the headroom: the default gives it already
		{160 * mb, 200 * mb, 100},  // a large site: never below the default
		{1 << 30, 1, gcMaxPercent}, // a degenerate reading is capped
		{1 << 40, 1 << 40, 100},    // no overflow
		{10 * mb, 4 * mb, 400},     // scanned below live: the scan bound
		{1 * mb, 3 * mb, 425},      // stacks and globals: the floor binds, 17 MB
	} {
		if got := gcPercent(c.live, c.scanned); got != c.want {
			t.Errorf("gcPercent(%d, %d) = %d, want %d", c.live, c.scanned, got, c.want)
		}
	}
}

// TestTuneGC: serve's tuning leaves the heap goal about gcHeadroom above
// the live heap (measured by the runtime, not recomputed here), and leaves
// the operator's GOGC or GOMEMLIMIT alone.
func TestTuneGC(t *testing.T) {
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)
	g := &gcTuner{log: slog.New(slog.DiscardHandler)}

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	g.tune(true)
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/heap/goal:bytes"}}
	metrics.Read(s)
	live, goal := s[0].Value.Uint64(), s[1].Value.Uint64()
	if growth := goal - live; growth < gcHeadroom/2 || growth > 3*gcHeadroom/2 {
		t.Errorf("heap goal %d with %d live: growth %d, want about %d", goal, live, growth, gcHeadroom)
	}
	for _, env := range []string{"GOGC", "GOMEMLIMIT"} {
		t.Run(env, func(t *testing.T) {
			t.Setenv(env, "150")
			debug.SetGCPercent(123)
			g.tune(true)
			if got := debug.SetGCPercent(100); got != 123 {
				t.Errorf("with %s set, GOGC = %d, want it untouched (123)", env, got)
			}
		})
	}
}
