package fuzzseed_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/saiasat/saiasat/internal/fuzzseed"
)

func TestCut(t *testing.T) {
	src, err := os.ReadFile("../../policies/privacy/kk.md")
	if err != nil {
		t.Fatal(err)
	}
	seeds := fuzzseed.Cut(src)
	if len(seeds) < 2 {
		t.Fatalf("%d seeds from %d bytes", len(seeds), len(src))
	}
	if !bytes.Equal(bytes.Join(seeds, nil), src) {
		t.Fatal("the seeds do not add up to the file")
	}
	for i, s := range seeds {
		if len(s) == 0 || len(s) > fuzzseed.MaxSeed {
			t.Errorf("seed %d has %d bytes", i, len(s))
		}
		if i > 0 && !bytes.HasSuffix(seeds[i-1], []byte("\n")) {
			t.Errorf("seed %d cut inside a line", i)
		}
		// Inside a section only when its next line would not have fitted.
		if first, _, _ := strings.Cut(string(s), "\n"); i > 0 && !strings.HasPrefix(string(s), "## ") && len(seeds[i-1])+len(first)+1 <= fuzzseed.MaxSeed {
			t.Errorf("seed %d starts inside a section, though its first line fitted in seed %d", i, i-1)
		}
	}
	if got := fuzzseed.Cut([]byte("## 1. A\n")); len(got) != 1 {
		t.Errorf("a small file gave %d seeds", len(got))
	}
}
