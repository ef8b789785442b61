package check_test

import (
	"os"
	"testing"

	"github.com/saiasat/saiasat/check"
	"github.com/saiasat/saiasat/source"
)

// BenchmarkCheckEdition1 loads and checks the bundled bilingual policy, the
// work of one `saiasat check` run less process start.
func BenchmarkCheckEdition1(b *testing.B) {
	fsys := os.DirFS(edition1)
	for b.Loop() {
		p, fs, err := source.Load(fsys, "policies/privacy")
		if err != nil {
			b.Fatal(err)
		}
		check.Policy(p, fs)
	}
}
