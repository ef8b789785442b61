package atomicfile_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/saiasat/saiasat/internal/atomicfile"
)

// Of many processes creating one file at once, one wins; the others are
// told, and nobody sees a mix or leaves a temporary file.
func TestCreateOneWinner(t *testing.T) {
	for round := range 20 {
		dir := t.TempDir()
		path := filepath.Join(dir, "key")
		const n = 8
		errs := make([]error, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = atomicfile.Create(path, fmt.Appendf(nil, "value %d\n", i), 0o600)
			}()
		}
		wg.Wait()
		winner := -1
		for i, err := range errs {
			switch {
			case err == nil && winner >= 0:
				t.Fatalf("round %d: writers %d and %d both created the file", round, winner, i)
			case err == nil:
				winner = i
			case !errors.Is(err, atomicfile.ErrExist):
				t.Fatalf("round %d: writer %d: %v", round, i, err)
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: nobody created the file", round)
		}
		b, err := os.ReadFile(path)
		if err != nil || string(b) != fmt.Sprintf("value %d\n", winner) {
			t.Fatalf("round %d: file holds %q (%v), want the winner's", round, b, err)
		}
		if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
			t.Errorf("mode %v, want 0600", fi.Mode().Perm())
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 1 {
			t.Fatalf("round %d: %d files left in the folder, want 1", round, len(ents))
		}
	}
}
