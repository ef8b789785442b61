package check_test

import (
	"os"
	"testing"

	"github.com/saiasat/saiasat/check"
	"github.com/saiasat/saiasat/source"
)

// BenchmarkCheckPolicy loads and checks the bundled bilingual draft, the
// work of one `saiasat check` run less process start.
func BenchmarkCheckPolicy(b *testing.B) {
	fsys := os.DirFS(bundled)
	for b.Loop() {
		p, fs, err := source.Load(fsys, "policies/privacy")
		if err != nil {
			b.Fatal(err)
		}
		check.Policy(p, fs)
	}
}
