package main

import (
	"log/slog"
	"runtime/debug"
	"testing"
)

func TestGCPercent(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int
	}{
		{0, 100},               // nothing measured: Go's default
		{1, 100 * gcHeadroom},  // a degenerate reading is capped
		{2 << 20, 800},         // 2 MB to scan: 16 MB of growth
		{gcHeadroom / 2, 200},  // half the headroom: GOGC doubles
		{gcHeadroom / 3, 300},  // a third: triples
		{gcHeadroom - 1, 100},  // just under: the whole percent below 101
		{gcHeadroom, 100},      // at the headroom: the default gives it already
		{10 * gcHeadroom, 100}, // a large site: never below the default
	} {
		if got := gcPercent(c.live); got != c.want {
			t.Errorf("gcPercent(%d) = %d, want %d", c.live, got, c.want)
		}
	}
}

// TestTuneGC: serve raises GOGC for a small live heap, and leaves the
// operator's GOGC or GOMEMLIMIT alone.
func TestTuneGC(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	before := debug.SetGCPercent(100)
	defer debug.SetGCPercent(before)

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	tuneGC(log)
	if got := debug.SetGCPercent(100); got <= 100 {
		t.Errorf("GOGC after tuneGC with a test binary's live heap = %d, want above 100", got)
	}
	for _, env := range []string{"GOGC", "GOMEMLIMIT"} {
		t.Run(env, func(t *testing.T) {
			t.Setenv(env, "150")
			debug.SetGCPercent(123)
			tuneGC(log)
			if got := debug.SetGCPercent(100); got != 123 {
				t.Errorf("with %s set, GOGC = %d, want it untouched (123)", env, got)
			}
		})
	}
}
