package canon_test

import (
	"os"
	"testing"

	"github.com/saiasat/saiasat/canon"
)

func BenchmarkFormatEdition1(b *testing.B) {
	src, err := os.ReadFile("../policies/privacy/kk.md")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		if _, err := canon.Format(src); err != nil {
			b.Fatal(err)
		}
	}
}
