package main

import (
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

// gcHeadroom is the heap growth serve lets the garbage collector allow
// between collections. Go's default (GOGC=100, with a 4 MB floor) lets
// the heap grow by about the live heap: a server whose site takes a few
// MB is collected every few hundred to a thousand text requests, and
// every collection marks the whole site again (docs/benchmarks.md). With
// this headroom the bundled policy's server is collected four times less
// often under wrk, for 15 MB more resident memory (34 → 49 MB); a site
// whose live heap is above it keeps GOGC=100 and the memory Go's default
// gives it.
const gcHeadroom = 16 << 20

// gcHeapMinimum is the runtime's floor on the heap goal at GOGC=100
// (runtime/mgcpacer.go, defaultHeapMinimum); it grows with GOGC.
const gcHeapMinimum = 4 << 20

// gcMaxPercent bounds GOGC, whatever a measurement says.
const gcMaxPercent = 10_000

// gcPercent is the GOGC that lets a heap of live bytes grow by
// gcHeadroom: the runtime's goal is live + scanned×GOGC/100, where scanned
// is the live heap with the goroutine stacks and the globals, but never
// below gcHeapMinimum×GOGC/100. Never below Go's default of 100.
func gcPercent(live, scanned uint64) int {
	if scanned == 0 {
		return 100
	}
	p := min(100*gcHeadroom/scanned, 100*(live+gcHeadroom)/gcHeapMinimum)
	return int(max(100, min(p, gcMaxPercent)))
}

// gcTuner keeps GOGC at gcPercent of the live heap: after each load, and
// as the heap grows while serving (the diffs computed on request are
// kept), unless the operator chose GOGC or GOMEMLIMIT in the environment.
type gcTuner struct {
	log  *slog.Logger
	mu   sync.Mutex
	last int
}

// tune sets GOGC from the live heap the last collection measured; with
// collect, from a collection made now (after a load, so that the old
// site is not counted). It logs the value when it changes.
func (g *gcTuner) tune(collect bool) {
	for _, v := range []string{"GOGC", "GOMEMLIMIT"} {
		if os.Getenv(v) != "" {
			return
		}
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if collect {
		runtime.GC()
	}
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/scan/stack:bytes"}, {Name: "/gc/scan/globals:bytes"}}
	metrics.Read(s)
	var v [3]uint64
	for i, m := range s {
		if m.Value.Kind() == metrics.KindUint64 {
			v[i] = m.Value.Uint64()
		}
	}
	live, scanned := v[0], v[0]+v[1]+v[2]
	p := gcPercent(live, scanned)
	debug.SetGCPercent(p)
	if p != g.last {
		g.log.Info("garbage collector", "live_bytes", live, "scanned_bytes", scanned, "gogc", p)
		g.last = p
	}
}
