package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/saiasat/saiasat/internal/testtool"
)

var versionRe = regexp.MustCompile(`version  (sha256:[0-9a-f]{64})`)

// TestHistoricRelease records edition 1 the way this project did: the draft
// has findings, so a plain release refuses and --historic records it with
// them; approval needs the version hash.
func TestHistoricRelease(t *testing.T) {
	bin := buildBinary(t)
	dir := edition1Dir(t)
	pf := []string{"--policies", filepath.Dir(dir), "--policy", "privacy"}
	if code, _, errs := exe(t, bin, append([]string{"release"}, pf...)...); code != 1 || !strings.Contains(errs, "release refused") {
		t.Fatalf("release of a draft with findings: exit %d %q", code, errs)
	}
	code, out, errs := exe(t, bin, append([]string{"release", "--historic"}, pf...)...)
	if code != 0 {
		t.Fatalf("release --historic: exit %d %s", code, errs)
	}
	v1 := versionRe.FindStringSubmatch(out)[1]
	// The same texts as the committed release 1: the same version hash.
	committed, _ := os.ReadFile("../../policies/privacy/releases/1/release.json")
	if !strings.Contains(string(committed), v1) {
		t.Errorf("version %s differs from the committed release 1", v1)
	}
	code, _, errs = exe(t, bin, append([]string{"approve", "--edition", "1", "--hash", "sha256:" + strings.Repeat("0", 64), "--decision", "kk=d", "--decision", "ru=d", "--date", "2025-09-15"}, pf...)...)
	if code != 2 || !strings.Contains(errs, v1) || !strings.Contains(errs, strings.Repeat("0", 64)) {
		t.Fatalf("approve with a wrong hash: exit %d %q (must name both hashes)", code, errs)
	}
	// The decision is given in every language, as LANG=TEXT.
	for _, c := range []struct {
		decisions []string
		want      string
	}{
		{[]string{"--decision", "Решение"}, `want LANG=TEXT`},
		{[]string{"--decision", "kk=Шешім"}, "decision in ru is missing"},
		{[]string{"--decision", "kk=Шешім", "--decision", "ru=Решение", "--decision", "en=Decision"}, "no en text"},
	} {
		args := append(append([]string{"approve", "--edition", "1", "--hash", v1, "--date", "2025-09-16"}, c.decisions...), pf...)
		if code, _, errs := exe(t, bin, args...); code != 2 || !strings.Contains(errs, c.want) {
			t.Errorf("approve %v: exit %d %q, want 2 and %q", c.decisions, code, errs, c.want)
		}
	}
	if code, _, errs := exe(t, bin, append([]string{"approve", "--edition", "1", "--hash", v1, "--decision", "kk=Шешім", "--decision", "ru=Решение", "--date", "2025-09-16"}, pf...)...); code != 0 {
		t.Fatalf("approve: exit %d %s", code, errs)
	}
	code, out, _ = exe(t, bin, append([]string{"log"}, pf...)...)
	if code != 0 || !strings.Contains(out, "edition 1  effective 2025-09-16  approved") || !strings.Contains(out, "historic, 27 findings") {
		t.Errorf("log: exit %d\n%s", code, out)
	}
}

// TestReleaseWorkflow runs the approver's path on a copy of the bundled
// policy: edition 1 approved, the draft of edition 2 clean. Release it, read
// the redline, approve it, then change a byte.
func TestReleaseWorkflow(t *testing.T) {
	bin := buildBinary(t)
	root := t.TempDir()
	pol := filepath.Join(root, "policies")
	copyDir(t, "../../policies", pol)
	t.Chdir(root)

	code, out, errs := exe(t, bin, "release")
	if code != 0 {
		t.Fatalf("release 2: exit %d %s %s", code, out, errs)
	}
	v2 := versionRe.FindStringSubmatch(out)[1]

	code, out, errs = exe(t, bin, "diff", "--format", "json", "1", "2")
	if code != 0 {
		t.Fatalf("diff: exit %d %s", code, errs)
	}
	var d struct {
		To    struct{ Edition *int }
		Drift []struct {
			Clause  string
			Changed []string
		}
		Summary map[string]int
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if d.To.Edition == nil || *d.To.Edition != 2 || d.Summary["renumbered"] != 62 || d.Summary["modified"] != 13 || d.Summary["added"]+d.Summary["removed"] != 0 {
		t.Errorf("diff summary %v", d.Summary)
	}
	// The mended letters changed the Kazakh text only (2.1, and 3.8 that
	// was 3.9): script fixes, which are not translation drift. The review
	// moved «(далее – «Политика»)» in ru 1.1 only (kk 1.1 had it in
	// place): the one clause changed in one language.
	var drift []string
	for _, x := range d.Drift {
		drift = append(drift, x.Clause+":"+strings.Join(x.Changed, ","))
	}
	if got := strings.Join(drift, " "); got != "1.1:ru" {
		t.Errorf("drift %q, want 1.1:ru only: look-alike fixes are not drift", got)
	}
	code, out, _ = exe(t, bin, "diff", "--color", "never", "1", "2")
	if code != 0 || !strings.Contains(out, "3.10–3.13 → 3.9–3.12, text unchanged (16 clauses)") || !strings.Contains(out, "[-с-]{+c+}ookies") || !strings.Contains(out, "Latin i → Kazakh і (25)") {
		t.Errorf("text diff: exit %d\n%s", code, out)
	}

	// The approver's redline as a page and as a PDF.
	html := filepath.Join(root, "redline.html")
	if code, _, errs := exe(t, bin, "diff", "--format", "html", "-o", html, "1", "2"); code != 0 {
		t.Fatalf("diff --format html: exit %d %s", code, errs)
	}
	if b, _ := os.ReadFile(html); !strings.Contains(string(b), `<del class="fix">с</del><ins class="fix">c</ins>ookies`) || !strings.Contains(string(b), v2) {
		t.Errorf("redline page lacks the redline or the hash")
	}
	pdf := filepath.Join(root, "redline.pdf")
	if code, _, errs := exe(t, bin, "diff", "--format", "pdf", "-o", pdf, "1", "2"); code != 0 {
		t.Fatalf("diff --format pdf: exit %d %s", code, errs)
	}
	if b, _ := os.ReadFile(pdf); !bytes.HasPrefix(b, []byte("%PDF-")) || !strings.Contains(pdfText(t, pdf), v2) {
		t.Errorf("redline PDF lacks the edition 2 hash")
	}

	if code, _, errs := exe(t, bin, "approve", "--edition", "2", "--hash", v2, "--decision", "kk=Жалғыз қатысушының 2026 жылғы 20 қарашадағы № 2 шешімі", "--decision", "ru=Решение единственного участника № 2 от 20 ноября 2026 г.", "--date", "2026-11-20"); code != 0 {
		t.Fatalf("approve 2: exit %d %s", code, errs)
	}
	code, out, _ = exe(t, bin, "log")
	if code != 0 || strings.Count(out, "  approved  ") != 2 || !strings.Contains(out, "edition 2  effective 2026-12-01  approved") {
		t.Errorf("log: exit %d\n%s", code, out)
	}
	// An approved release never changes.
	if code, _, errs := exe(t, bin, "release"); code != 2 || !strings.Contains(errs, "approved and never changes") {
		t.Errorf("refreezing an approved edition: exit %d %q", code, errs)
	}

	// One byte of a released text changed: every command that loads
	// releases names the file.
	file := filepath.Join(pol, "privacy", "releases", "1", "kk.md")
	b, _ := os.ReadFile(file)
	b[100] ^= 1
	os.WriteFile(file, b, 0o644)
	for _, args := range [][]string{{"log"}, {"diff", "1", "2"}, {"release"}, {"approve", "--edition", "2", "--hash", v2, "--decision", "kk=d", "--decision", "ru=d", "--date", "2026-11-20"}} {
		code, _, errs := exe(t, bin, args...)
		if code != 2 || !strings.Contains(errs, filepath.Join("releases", "1", "kk.md")) || !strings.Contains(errs, "release/tampered") {
			t.Errorf("%v after tampering: exit %d %q", args, code, errs)
		}
	}
}

// pdfText extracts a PDF's text with poppler's pdftotext.
func pdfText(t *testing.T, file string) string { return testtool.PDFFileText(t, file) }
