// Package fuzzseed gives the fuzzers their seed corpus: the project's own
// texts, cut to a size that a fuzzer can mutate and minimize quickly.
package fuzzseed

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// MaxSeed is the largest seed added whole. A whole policy (30 KB) made the
// fuzzers stall: each new input found from it was minimized for minutes,
// at a check of milliseconds per try, with no executions counted meanwhile.
const MaxSeed = 4 << 10

// Add adds the files matching globs to f: small ones whole, larger ones
// section by section (cut before each "## " heading, a longer section at a
// line end), so the real texts still seed every fuzzer.
func Add(f *testing.F, globs ...string) {
	for _, glob := range globs {
		files, _ := filepath.Glob(glob)
		for _, file := range files {
			src, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			for _, seed := range Cut(src) {
				f.Add(seed)
			}
		}
	}
}

// Cut returns src whole if it is at most MaxSeed bytes, else its sections
// of at most MaxSeed bytes each (a longer section cut at a line end).
func Cut(src []byte) [][]byte {
	if len(src) <= MaxSeed {
		return [][]byte{src}
	}
	var out [][]byte
	for len(src) > 0 {
		end := len(src)
		if i := bytes.Index(src[1:], []byte("\n## ")); i >= 0 {
			end = i + 2
		}
		if end > MaxSeed {
			end = MaxSeed
			if i := bytes.LastIndexByte(src[:end], '\n'); i > 0 {
				end = i + 1
			}
		}
		out = append(out, src[:end])
		src = src[end:]
	}
	return out
}
