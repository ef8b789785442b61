package atomicfile_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/saiasat/saiasat/internal/atomicfile"
	"github.com/saiasat/saiasat/internal/testtool"
)

// Of many processes creating one file at once, one wins; the others are
// told, and nobody sees a mix or leaves a temporary file.
func TestCreateOneWinner(t *testing.T) {
	for round := range 20 {
		dir := t.TempDir()
		path := filepath.Join(dir, "key")
		const n = 8
		errs := testtool.Parallel(n, func(i int) error {
			return atomicfile.Create(path, fmt.Appendf(nil, "value %d\n", i), 0o600)
		})
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

// WriteFile replaces what is there, with the mode asked, and leaves no
// temporary file behind.
func TestWriteFileReplaces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f")
	for _, text := range []string{"old\n", "new\n"} {
		if err := atomicfile.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		if b, err := os.ReadFile(path); err != nil || string(b) != text {
			t.Fatalf("file holds %q (%v), want %q", b, err, text)
		}
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o644 {
		t.Errorf("mode %v, want 0644", fi.Mode().Perm())
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 1 {
		t.Errorf("%d files in the folder, want 1", len(ents))
	}
	if err := atomicfile.WriteFile(filepath.Join(dir, "no", "such", "f"), nil, 0o644); err == nil {
		t.Error("writing into a missing folder succeeded")
	}
}
