package release_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/release"
	"github.com/saiasat/saiasat/source"
)

var clock = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

const meta = "id: privacy\nlanguages: [kk, ru]\ntitle: {kk: Саясат, ru: Политика}\norganization: {kk: ЖШС, ru: ТОО}\nedition: %d\neffective: %s\n"

// draft writes a policy folder and returns its store and loaded policy.
func draft(t *testing.T, dir string, edition int, effective, kk, ru string) (*release.Store, *saiasat.Policy) {
	t.Helper()

	files := map[string]string{"policy.yaml": fmt.Sprintf(meta, edition, effective), "kk.md": kk, "ru.md": ru}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	p, fs, err := source.Load(os.DirFS(dir), dir)
	if err != nil || len(fs) != 0 {
		t.Fatalf("load: %v %v", err, fs)
	}
	s := release.NewStore(dir)
	s.Now = func() time.Time { return clock }
	return s, p
}

// policyDir returns a new folder named like the policy, so no meta/id
// warning distracts the tests.
func policyDir(t *testing.T) string {
	dir := filepath.Join(t.TempDir(), "privacy")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func date(s string) time.Time {
	t, _ := time.Parse("2006-01-02", s)
	return t
}

const kk1, ru1 = "## 1. А\n\n1.1. Бірінші.\n", "## 1. А\n\n1.1. Первый.\n"

func freezeApproved(t *testing.T, dir string) (*release.Store, *saiasat.Release) {
	t.Helper()

	s, p := draft(t, dir, 1, "2025-09-16", kk1, ru1)
	r, err := s.Freeze(p, release.FreezeOptions{Edition: 1, Effective: date("2025-09-16")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Approve(release.ApproveOptions{Edition: 1, Hash: r.Version, Decision: "Decision No. 1", Date: date("2025-09-15"), Approver: "Sole participant"}); err != nil {
		t.Fatal(err)
	}
	return s, r
}

func TestFreezeApproveChain(t *testing.T) {
	dir := policyDir(t)
	s, r1 := freezeApproved(t, dir)
	if r1.Previous != "" || r1.Status != saiasat.StatusPending {
		t.Errorf("first release: previous %q status %s", r1.Previous, r1.Status)
	}
	// The released text is the canonical text, hashed as sha256sum would.
	b, _ := os.ReadFile(filepath.Join(dir, "releases", "1", "kk.md"))
	if saiasat.HashBytes(b) != r1.Texts["kk"] {
		t.Error("text hash is not the hash of the released file")
	}

	s, p := draft(t, dir, 2, "2026-12-01", "## 1. А\n\n1.1. Бірінші, өзгертілген.\n", ru1)
	r2, err := s.Freeze(p, release.FreezeOptions{Edition: 2, Effective: date("2026-12-01")})
	if err != nil {
		t.Fatal(err)
	}
	if r2.Previous != r1.Version {
		t.Errorf("edition 2 previous = %s, want %s", r2.Previous, r1.Version)
	}
	// A pending release may be frozen again.
	if _, err := s.Freeze(p, release.FreezeOptions{Edition: 2, Effective: date("2026-12-01")}); err != nil {
		t.Errorf("refreeze pending: %v", err)
	}
	rs, err := s.Releases()
	if err != nil || len(rs) != 2 || !rs[0].Approved() || rs[1].Approved() {
		t.Fatalf("releases %v %v", rs, err)
	}
	if rs[0].Approval.Decision != "Decision No. 1" || !rs[0].Approval.RecordedAt.Equal(clock) {
		t.Errorf("approval %+v", rs[0].Approval)
	}
}

func TestFreezeRefusals(t *testing.T) {
	dir := policyDir(t)
	s, _ := freezeApproved(t, dir)
	_, p := draft(t, dir, 1, "2025-09-16", kk1, ru1)
	tests := []struct {
		name string
		opt  release.FreezeOptions
		code string
		msg  string
	}{
		{"approved never changes", release.FreezeOptions{Edition: 1, Effective: date("2025-09-16")}, release.CodeConflict, "approved and never changes"},
		{"skipping an edition", release.FreezeOptions{Edition: 3, Effective: date("2027-01-01")}, release.CodeConflict, "the next is 2"},
		{"not after the previous", release.FreezeOptions{Edition: 2, Effective: date("2025-09-16")}, release.CodeConflict, "not after 2025-09-16"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Freeze(p, tt.opt)
			if !release.IsCode(err, tt.code) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("err = %v, want %s containing %q", err, tt.code, tt.msg)
			}
		})
	}
}

func TestApproveRefusals(t *testing.T) {
	dir := policyDir(t)
	s, p := draft(t, dir, 1, "2025-09-16", kk1, ru1)
	r, err := s.Freeze(p, release.FreezeOptions{Edition: 1, Effective: date("2025-09-16")})
	if err != nil {
		t.Fatal(err)
	}
	wrong := saiasat.HashBytes([]byte("another text"))
	_, err = s.Approve(release.ApproveOptions{Edition: 1, Hash: wrong, Decision: "d", Date: date("2025-09-15"), Approver: "a"})
	if !release.IsCode(err, release.CodeConflict) || !strings.Contains(err.Error(), string(wrong)) || !strings.Contains(err.Error(), string(r.Version)) {
		t.Errorf("wrong hash: %v (must name both hashes)", err)
	}
	if _, err := s.Approve(release.ApproveOptions{Edition: 2, Hash: r.Version, Decision: "d", Date: date("2025-09-15"), Approver: "a"}); !release.IsCode(err, release.CodeNotFound) {
		t.Errorf("unknown edition: %v", err)
	}
	if _, err := s.Approve(release.ApproveOptions{Edition: 1, Hash: r.Version, Decision: "d", Date: date("2025-09-15"), Approver: "a"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Approve(release.ApproveOptions{Edition: 1, Hash: r.Version, Decision: "d2", Date: date("2025-09-15"), Approver: "a"}); !release.IsCode(err, release.CodeConflict) {
		t.Errorf("approving twice: %v", err)
	}
}

// Changing any one byte of a released text or of release.json is caught,
// naming the file.
func TestTamper(t *testing.T) {
	for _, name := range []string{"kk.md", "ru.md", "release.json"} {
		t.Run(name, func(t *testing.T) {
			dir := policyDir(t)
			s, _ := freezeApproved(t, dir)
			file := filepath.Join(dir, "releases", "1", name)
			orig, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			// Every position, every kind of change: flip a bit of each byte.
			for i := 0; i < len(orig); i += max(1, len(orig)/97) {
				b := append([]byte(nil), orig...)
				b[i] ^= 0x01
				if err := os.WriteFile(file, b, 0o644); err != nil {
					t.Fatal(err)
				}
				_, err := s.Releases()
				if err == nil || !strings.Contains(err.Error(), file) {
					t.Fatalf("byte %d of %s changed: err = %v, want an error naming the file", i, name, err)
				}
			}
			if err := os.WriteFile(file, orig, 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Releases(); err != nil {
				t.Fatalf("restored: %v", err)
			}
		})
	}
}

func TestBrokenChain(t *testing.T) {
	dir := policyDir(t)
	s, _ := freezeApproved(t, dir)
	s, p := draft(t, dir, 2, "2026-12-01", "## 1. А\n\n1.1. Екінші.\n", ru1)
	if _, err := s.Freeze(p, release.FreezeOptions{Edition: 2, Effective: date("2026-12-01")}); err != nil {
		t.Fatal(err)
	}
	// Replace edition 1 by another, self-consistent release: edition 2 no
	// longer follows it.
	other := policyDir(t)
	s2, p2 := draft(t, other, 1, "2025-09-16", "## 1. А\n\n1.1. Басқа.\n", ru1)
	if _, err := s2.Freeze(p2, release.FreezeOptions{Edition: 1, Effective: date("2025-09-16")}); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(dir, "releases", "1")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(other, "releases", "1"), filepath.Join(dir, "releases", "1")); err != nil {
		t.Fatal(err)
	}
	_, err := s.Releases()
	if !release.IsCode(err, release.CodeChain) || !strings.Contains(err.Error(), filepath.Join("releases", "2", "release.json")) {
		t.Errorf("err = %v, want release/chain naming edition 2", err)
	}
}

func TestReleasesFolderHoldsOnlyEditions(t *testing.T) {
	for _, tt := range []struct {
		name string
		make func(dir string) error
	}{
		{"hidden edition", func(dir string) error {
			return os.Rename(filepath.Join(dir, "releases", "1"), filepath.Join(dir, "releases", ".1"))
		}},
		{"stray file", func(dir string) error { return os.WriteFile(filepath.Join(dir, "releases", "3"), nil, 0o644) }},
		{"extra text in an edition", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "releases", "1", "en.md"), []byte("## 1. A\n\n1.1. x\n"), 0o644)
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := policyDir(t)
			s, _ := freezeApproved(t, dir)
			if err := tt.make(dir); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Releases(); !release.IsCode(err, release.CodeTampered) {
				t.Errorf("err = %v, want release/tampered", err)
			}
		})
	}
}

func TestFreezeNeedsThePreviousApproved(t *testing.T) {
	dir := policyDir(t)
	s, p := draft(t, dir, 1, "2025-09-16", kk1, ru1)
	if _, err := s.Freeze(p, release.FreezeOptions{Edition: 1, Effective: date("2025-09-16")}); err != nil {
		t.Fatal(err)
	}
	s, p = draft(t, dir, 2, "2026-12-01", "## 1. А\n\n1.1. Екінші.\n", ru1)
	if _, err := s.Freeze(p, release.FreezeOptions{Edition: 2, Effective: date("2026-12-01")}); !release.IsCode(err, release.CodeConflict) {
		t.Errorf("freezing 2 while 1 is pending: %v", err)
	}
}

func TestHistoricOnlyBeforeTheTool(t *testing.T) {
	dir := policyDir(t)
	s, _ := freezeApproved(t, dir)
	s, p := draft(t, dir, 2, "2026-12-01", "## 1. А\n\n1.1. Екінші.\n", ru1)
	r2, err := s.Freeze(p, release.FreezeOptions{Edition: 2, Effective: date("2026-12-01")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Approve(release.ApproveOptions{Edition: 2, Hash: r2.Version, Decision: "d", Date: date("2026-11-20"), Approver: "a"}); err != nil {
		t.Fatal(err)
	}
	s, p = draft(t, dir, 3, "2027-01-01", "## 1. А\n\n1.1. Үшінші.\n", ru1)
	if _, err := s.Freeze(p, release.FreezeOptions{Edition: 3, Effective: date("2027-01-01"), Historic: true}); !release.IsCode(err, release.CodeConflict) {
		t.Errorf("historic after a tool release: %v", err)
	}
}
