package main

import (
	"log/slog"
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// gcHeadroom is the least heap growth serve lets the garbage collector
// allow between collections. Go's default (GOGC=100, with a 4 MB floor)
// collects a server whose site takes 2 MB after every 3 MB of garbage —
// about 800 text requests — and every collection marks the whole site
// again: a twentieth of the CPU of a text by hash (docs/benchmarks.md).
// With this headroom a small site is collected about eight times less
// often, for about 25 MB more resident memory (the bundled policy's server
// goes from 30 to 55 MB under wrk); a site whose live heap is above it
// keeps GOGC=100 and the memory Go's default gives it.
const gcHeadroom = 16 << 20

// gcPercent is the GOGC that gives gcHeadroom of heap growth, and never
// less than Go's default of 100. The runtime lets the heap grow by GOGC
// percent of what a collection scans: the live heap, the goroutine stacks
// and the globals, which together are scanned.
func gcPercent(scanned uint64) int {
	if scanned == 0 {
		return 100
	}
	return int(max(100, min(100*gcHeadroom/scanned, 100*gcHeadroom)))
}

// tuneGC sets GOGC for the site just loaded, unless the operator chose
// one in the environment (GOGC, or GOMEMLIMIT, which the runtime weighs
// against it); the measured live heap is logged at debug level.
func tuneGC(log *slog.Logger) {
	for _, v := range []string{"GOGC", "GOMEMLIMIT"} {
		if os.Getenv(v) != "" {
			return
		}
	}
	// One collection now, so that the live heap is the new site's and not
	// the old one's with it.
	runtime.GC()
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}, {Name: "/gc/scan/stack:bytes"}, {Name: "/gc/scan/globals:bytes"}}
	metrics.Read(s)
	var scanned uint64
	for _, m := range s {
		if m.Value.Kind() == metrics.KindUint64 {
			scanned += m.Value.Uint64()
		}
	}
	p := gcPercent(scanned)
	debug.SetGCPercent(p)
	log.Debug("garbage collector tuned", "scanned_bytes", scanned, "gogc", p)
}
