package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestReleaseWorkflow runs the approver's path with the built binary on a
// copy of the bundled policy: record edition 1 as historic, approve it,
// edit the draft into edition 2, read the diff, release and approve it.
func TestReleaseWorkflow(t *testing.T) {
	bin := buildBinary(t)
	root := t.TempDir()
	pol := filepath.Join(root, "policies")
	copyDir(t, "../../policies", pol)
	t.Chdir(root)

	if code, _, errs := exe(t, bin, "release", "--policy", "privacy"); code != 1 || !strings.Contains(errs, "release refused") {
		t.Fatalf("release of a draft with findings: exit %d %q", code, errs)
	}
	code, out, errs := exe(t, bin, "release", "--historic")
	if code != 0 {
		t.Fatalf("release --historic: exit %d %s", code, errs)
	}
	v1 := regexp.MustCompile(`version  (sha256:[0-9a-f]{64})`).FindStringSubmatch(out)[1]

	code, _, errs = exe(t, bin, "approve", "--edition", "1", "--hash", "sha256:"+strings.Repeat("0", 64), "--decision", "d", "--date", "2025-09-15", "--approver", "a")
	if code != 2 || !strings.Contains(errs, v1) || !strings.Contains(errs, strings.Repeat("0", 64)) {
		t.Fatalf("approve with a wrong hash: exit %d %q (must name both hashes)", code, errs)
	}
	if code, _, errs := exe(t, bin, "approve", "--edition", "1", "--hash", v1, "--decision", "Решение единственного участника (до saiasat)", "--date", "2025-09-15", "--approver", "Единственный участник"); code != 0 {
		t.Fatalf("approve: exit %d %s", code, errs)
	}

	// Edition 2: mixed scripts mended, clause 3.2 written in both languages.
	if code, _, errs := exe(t, bin, "check", "--fix"); code != 1 {
		t.Fatalf("check --fix: exit %d %s", code, errs)
	}
	edit := func(name, old, new string) {
		t.Helper()
		file := filepath.Join(pol, "privacy", name)
		b, _ := os.ReadFile(file)
		if !strings.Contains(string(b), old) {
			t.Fatalf("%s lacks %q", name, old)
		}
		os.WriteFile(file, []byte(strings.Replace(string(b), old, new, 1)), 0o644)
	}
	edit("kk.md", "\n\n3.3 ", "\n\n3.2. Пайдаланушы келісімін кері қайтарып ала алады.\n\n3.3 ")
	edit("ru.md", "\n\n3.3 ", "\n\n3.2. Пользователь вправе отозвать согласие.\n\n3.3 ")
	edit("policy.yaml", "edition: 1", "edition: 2")
	edit("policy.yaml", "effective: 2025-09-16", "effective: 2026-12-01")

	code, out, errs = exe(t, bin, "diff", "--format", "json", "1", "draft")
	if code != 0 {
		t.Fatalf("diff: exit %d %s", code, errs)
	}
	var d struct {
		From      struct{ Edition *int }
		Languages map[string]struct {
			Changes []struct {
				Kind string
				From *string
				To   *string
			}
		}
		Drift []struct {
			Clause  string
			Changed []string
		}
		Summary map[string]int
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if d.From.Edition == nil || *d.From.Edition != 1 || d.Summary["added"] != 2 || d.Summary["modified"] != 2 {
		t.Errorf("diff summary %v from %v", d.Summary, d.From.Edition)
	}
	// The mended letters changed the Kazakh text only: drift in 2.1 and 3.9.
	var drift []string
	for _, x := range d.Drift {
		drift = append(drift, x.Clause+":"+strings.Join(x.Changed, ","))
	}
	if got := strings.Join(drift, " "); got != "2.1:kk 3.9:kk" {
		t.Errorf("drift %q, want 2.1:kk 3.9:kk", got)
	}
	code, out, _ = exe(t, bin, "diff", "--color", "never", "1", "draft")
	if code != 0 || !strings.Contains(out, "+ 3.2") || !strings.Contains(out, "[-сookies-]{+cookies+}") {
		t.Errorf("text diff: exit %d\n%s", code, out)
	}

	// The approver's redline as a page and as a PDF.
	html := filepath.Join(root, "redline.html")
	if code, _, errs := exe(t, bin, "diff", "--format", "html", "-o", html, "1", "draft"); code != 0 {
		t.Fatalf("diff --format html: exit %d %s", code, errs)
	}
	if b, _ := os.ReadFile(html); !strings.Contains(string(b), "<del>сookies</del><ins>cookies</ins>") || !strings.Contains(string(b), v1) {
		t.Errorf("redline page lacks the redline or the hash")
	}
	pdf := filepath.Join(root, "redline.pdf")
	if code, _, errs := exe(t, bin, "diff", "--format", "pdf", "-o", pdf, "1", "draft"); code != 0 {
		t.Fatalf("diff --format pdf: exit %d %s", code, errs)
	}
	if b, _ := os.ReadFile(pdf); !bytes.HasPrefix(b, []byte("%PDF-")) || !strings.Contains(pdfText(t, pdf), v1) {
		t.Errorf("redline PDF lacks the edition 1 hash")
	}

	// The draft still lacks 3.12.12: release refuses until check passes.
	if code, _, _ := exe(t, bin, "release"); code != 1 {
		t.Fatalf("release with a gap left: exit %d", code)
	}
	for _, name := range []string{"kk.md", "ru.md"} {
		edit(name, "\n\n3.12.13  ", "\n\n3.12.12 Statistics.\n\n3.12.13  ")
	}
	code, out, errs = exe(t, bin, "release")
	if code != 0 {
		t.Fatalf("release 2: exit %d %s %s", code, out, errs)
	}
	v2 := regexp.MustCompile(`version  (sha256:[0-9a-f]{64})`).FindStringSubmatch(out)[1]
	if code, _, errs := exe(t, bin, "approve", "--edition", "2", "--hash", v2, "--decision", "Решение № 2", "--date", "2026-11-20", "--approver", "Единственный участник"); code != 0 {
		t.Fatalf("approve 2: exit %d %s", code, errs)
	}
	code, out, _ = exe(t, bin, "log")
	if code != 0 || strings.Count(out, "approved") != 4 || !strings.Contains(out, "edition 2  effective 2026-12-01") || !strings.Contains(out, "historic, 27 findings") {
		t.Errorf("log: exit %d\n%s", code, out)
	}

	// One byte of a released text changed: every command that loads
	// releases names the file.
	file := filepath.Join(pol, "privacy", "releases", "1", "kk.md")
	b, _ := os.ReadFile(file)
	b[100] ^= 1
	os.WriteFile(file, b, 0o644)
	for _, args := range [][]string{{"log"}, {"diff", "1", "2"}, {"release"}} {
		code, _, errs := exe(t, bin, args...)
		if code != 2 || !strings.Contains(errs, filepath.Join("releases", "1", "kk.md")) || !strings.Contains(errs, "release/tampered") {
			t.Errorf("%v after tampering: exit %d %q", args, code, errs)
		}
	}
}

// pdfText extracts a PDF's text with poppler's pdftotext, which make deps
// installs; in CI its absence fails the test.
func pdfText(t *testing.T, file string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("pdftotext not found: make deps installs poppler-utils")
		}
		t.Skip("pdftotext not found (make deps installs poppler-utils)")
	}
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", file, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return string(out)
}
