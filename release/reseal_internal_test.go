package release

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/markdown"
)

// reseal rewrites a release.json the way a knowing forger would: change a
// field, recompute the seal, write the bytes saiasat would write.
func reseal(t *testing.T, file string, change func(*manifest)) {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	change(&m)
	if m.Seal, err = m.seal(); err != nil {
		t.Fatal(err)
	}
	out, err := m.encode()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, out, 0o644); err != nil {
		t.Fatal(err)
	}
}

// Resealing an earlier release after a later one was frozen breaks the
// chain: the later release recorded the earlier seal.
func TestResealBreaksChain(t *testing.T) {
	for name, change := range map[string]func(*manifest){
		"approver": func(m *manifest) { m.Approval.Approver = "Петров П.П." },
		"findings": func(m *manifest) { m.Historic, m.Findings = false, nil },
	} {
		t.Run(name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "privacy")
			s := twoEditions(t, dir)
			reseal(t, filepath.Join(dir, "releases", "1", MetaFile), change)
			_, err := s.Releases()
			if !IsCode(err, CodeChain) {
				t.Errorf("err = %v, want %s", err, CodeChain)
			}
		})
	}
}

// twoEditions freezes edition 1 (historic, approved) and edition 2 in dir.
func twoEditions(t *testing.T, dir string) *Store {
	t.Helper()
	s := NewStore(dir)
	day := func(s string) time.Time { d, _ := time.Parse(saiasat.DateLayout, s); return d }
	policy := func(edition int, eff, kk string) *saiasat.Policy {
		p := &saiasat.Policy{Dir: dir, ID: "privacy", Languages: []saiasat.Lang{"kk"}, Edition: edition, Effective: day(eff),
			Title: map[saiasat.Lang]string{"kk": "Саясат"}, Organization: map[saiasat.Lang]string{"kk": "ЖШС"},
			Docs: map[saiasat.Lang]*saiasat.Document{}}
		p.Docs["kk"], _ = markdown.Parse("kk.md", "kk", []byte(kk))
		return p
	}
	r1, err := s.Freeze(policy(1, "2025-09-16", "## 1. А\n\n1.2. Бірінші.\n"), FreezeOptions{Edition: 1, Effective: day("2025-09-16"), Historic: true,
		Findings: []saiasat.Finding{{Pos: saiasat.Pos{File: "kk.md", Line: 3, Col: 1}, Severity: saiasat.Error, Rule: "numbering/gap", Message: "1.1 is missing"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Approve(ApproveOptions{Edition: 1, Hash: r1.Version, Decision: "Decision No. 1", Date: day("2025-09-15"), Approver: "Sole participant"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Freeze(policy(2, "2026-12-01", "## 1. А\n\n1.1. Бірінші.\n"), FreezeOptions{Edition: 2, Effective: day("2026-12-01")}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Releases(); err != nil {
		t.Fatalf("fixture: %v", err)
	}
	return s
}
