package main

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// buildBinary builds saiasat into a temporary folder, as a user would run it.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "saiasat")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// exe runs the binary and returns its exit code and output.
func exe(t *testing.T, bin string, args ...string) (int, string, string) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, stdout.String(), stderr.String()
	case errors.As(err, &ee):
		return ee.ExitCode(), stdout.String(), stderr.String()
	}
	t.Fatalf("run %s: %v", bin, err)
	return 0, "", ""
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.CopyFS(to, os.DirFS(from)); err != nil {
		t.Fatal(err)
	}
}

// sha256sum runs the coreutils tool on file, the way a reader would check
// a hash by hand.
func sha256sum(t *testing.T, file string) string {
	t.Helper()
	out, err := exec.Command("sha256sum", file).Output()
	if err != nil {
		t.Fatalf("sha256sum: %v", err)
	}
	return "sha256:" + strings.Fields(string(out))[0]
}

func TestEndToEnd(t *testing.T) {
	bin := buildBinary(t)

	t.Run("clean fixture", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "clean")
		copyDir(t, "../../testdata/clean", dir)
		if code, out, errs := exe(t, bin, "check", dir); code != 0 || out != "" {
			t.Fatalf("check: exit %d\n%s%s", code, out, errs)
		}
		if code, out, _ := exe(t, bin, "fmt", "--check", dir); code != 0 || out != "" {
			t.Fatalf("fmt --check: exit %d %q", code, out)
		}
		code, out, errs := exe(t, bin, "hash", "--format", "json", dir)
		if code != 0 {
			t.Fatalf("hash: exit %d %s", code, errs)
		}
		var hs []struct {
			Version   string
			Languages []struct {
				Lang string
				File string
				Text string `json:"text_sha256"`
			}
		}
		if err := json.Unmarshal([]byte(out), &hs); err != nil || len(hs) != 1 {
			t.Fatalf("hash --format json: %v, %d policies", err, len(hs))
		}
		h := hs[0]
		if len(h.Languages) != 2 || !strings.HasPrefix(h.Version, "sha256:") {
			t.Fatalf("hash output: %s", out)
		}
		for _, l := range h.Languages {
			if want := sha256sum(t, filepath.Join(dir, l.Lang+".md")); l.Text != want {
				t.Errorf("%s: hash %s, sha256sum %s", l.Lang, l.Text, want)
			}
		}
	})

	t.Run("fmt then hash equals sha256sum", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "clean")
		copyDir(t, "../../testdata/clean", dir)
		kk := filepath.Join(dir, "kk.md")
		src, _ := os.ReadFile(kk)
		messy := strings.ReplaceAll(string(src), "\n", "  \r\n")
		if err := os.WriteFile(kk, []byte("\uFEFF"+messy), 0o644); err != nil {
			t.Fatal(err)
		}
		code, out, _ := exe(t, bin, "hash", dir)
		if code != 0 {
			t.Fatalf("hash: exit %d", code)
		}
		before := out
		if code, out, _ := exe(t, bin, "fmt", "--check", dir); code != 1 || strings.TrimSpace(out) != kk {
			t.Fatalf("fmt --check: exit %d %q", code, out)
		}
		if code, _, errs := exe(t, bin, "fmt", dir); code != 0 {
			t.Fatalf("fmt: exit %d %s", code, errs)
		}
		_, after, _ := exe(t, bin, "hash", dir)
		if after != before {
			t.Errorf("hash changed by fmt:\n%s\n%s", before, after)
		}
		if want := sha256sum(t, kk); !strings.Contains(after, "kk       "+want) {
			t.Errorf("hash output %q lacks the sha256sum %s of the formatted file", after, want)
		}
	})

	t.Run("edition 1", func(t *testing.T) {
		code, out, _ := exe(t, bin, "check", edition1Dir(t))
		if code != 1 {
			t.Fatalf("check: exit %d, want 1 (findings)", code)
		}
		for _, want := range []string{
			"privacy/kk.md:36:1: error: clause 3.3 follows 3.1: 3.2 is missing [numbering/gap]",
			"privacy/kk.md:101:1: error: clause 3.12.13 follows 3.12.11: 3.12.12 is missing [numbering/gap]",
			`privacy/kk.md:14:4: error: "сookies" mixes Latin and Cyrillic letters`,
		} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q", want)
			}
		}
		if n := strings.Count(out, "[script/mixed]"); n <= 20 {
			t.Errorf("%d script/mixed findings, want over twenty", n)
		}
	})

	t.Run("edition 1 as released", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "policies")
		copyDir(t, "../../policies", dir)
		rel := filepath.Join(dir, "privacy", "releases", "1")
		code, out, _ := exe(t, bin, "check", rel)
		if code != 1 || strings.Count(out, "[numbering/gap]") != 4 || strings.Count(out, "[script/mixed]") != 23 || strings.Count(out, "\n") != 27 {
			t.Errorf("check of release 1: exit %d\n%s", code, out)
		}
		if code, _, errs := exe(t, bin, "check", "--fix", rel); code != 2 || !strings.Contains(errs, "never change") {
			t.Errorf("check --fix on a release: exit %d %q", code, errs)
		}
		if code, _, errs := exe(t, bin, "fmt", rel); code != 2 || !strings.Contains(errs, "never change") {
			t.Errorf("fmt on a release: exit %d %q", code, errs)
		}
	})

	t.Run("the draft of edition 2 is clean", func(t *testing.T) {
		if code, out, errs := exe(t, bin, "check", "../../policies"); code != 0 {
			t.Errorf("check policies: exit %d\n%s%s", code, out, errs)
		}
	})

	t.Run("check --fix mends the mixed scripts of edition 1", func(t *testing.T) {
		dir := edition1Dir(t)
		code, out, errs := exe(t, bin, "check", "--fix", "--format", "json", dir)
		if code != 1 {
			t.Fatalf("check --fix: exit %d %s", code, errs)
		}
		if !strings.Contains(errs, "fixed 23 finding(s)") {
			t.Errorf("stderr %q", errs)
		}
		var left []struct{ Rule string }
		if err := json.Unmarshal([]byte(out), &left); err != nil {
			t.Fatal(err)
		}
		// What no fix can mend: the missing clauses, in both languages.
		if len(left) != 4 {
			t.Errorf("%d findings left, want the 4 numbering gaps: %s", len(left), out)
		}
		for _, f := range left {
			if f.Rule != "numbering/gap" {
				t.Errorf("left: %s", f.Rule)
			}
		}
	})

	t.Run("version hash recomputed with printf and sha256sum as docs/hashing.md says", func(t *testing.T) {
		doc, err := os.ReadFile("../../docs/hashing.md")
		if err != nil {
			t.Fatal(err)
		}
		// The recipe as the document prints it: from "cd policies/privacy"
		// to "| sha256sum", continuation lines joined.
		m := regexp.MustCompile(`(?s)    (cd policies/privacy\n.*?\| sha256sum)\n`).FindSubmatch(doc)
		if m == nil {
			t.Fatal("docs/hashing.md has no version hash recipe")
		}
		recipe := strings.ReplaceAll(strings.ReplaceAll(string(m[1]), "\\\n", " "), "\n", " && ")
		cmd := exec.Command("sh", "-c", recipe+" | cut -d' ' -f1")
		cmd.Dir = "../.."
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("%s: %v", recipe, err)
		}
		_, hash, _ := exe(t, bin, "hash", "../../policies/privacy")
		if want := "version  sha256:" + strings.TrimSpace(string(out)); !strings.Contains(hash, want) {
			t.Errorf("hash output\n%s\nlacks %q", hash, want)
		}
	})
}

// Two policy folders, no releases: diff compares them directly.
func TestDiffTwoFolders(t *testing.T) {
	bin := buildBinary(t)
	dir := filepath.Join(t.TempDir(), "clean")
	copyDir(t, "../../testdata/clean", dir)
	ru := filepath.Join(dir, "ru.md")
	b, _ := os.ReadFile(ru)
	os.WriteFile(ru, []byte(strings.Replace(string(b), "кредитным бюро", "кредитным бюро и коллекторским агентствам", 1)), 0o644)
	code, out, errs := exe(t, bin, "diff", "--format", "json", "../../testdata/clean", dir)
	if code != 0 {
		t.Fatalf("exit %d %s", code, errs)
	}
	var d struct {
		Drift   []struct{ Clause string }
		Summary map[string]int
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if d.Summary["modified"] != 1 || len(d.Drift) != 1 || d.Drift[0].Clause != "3.1" {
		t.Errorf("summary %v drift %v, want one modified ru clause 3.1 drifting", d.Summary, d.Drift)
	}
	// --exit-code: 1 when the versions differ, 0 when they do not.
	if code, _, errs := exe(t, bin, "diff", "--exit-code", "../../testdata/clean", dir); code != 1 {
		t.Errorf("diff --exit-code of two different folders: exit %d %s, want 1", code, errs)
	}
	if code, _, errs := exe(t, bin, "diff", "--exit-code", "../../testdata/clean", "../../testdata/clean"); code != 0 {
		t.Errorf("diff --exit-code of one folder with itself: exit %d %s, want 0", code, errs)
	}
	// The approver named in policy.yaml signs the redline, per language.
	meta, _ := os.ReadFile(filepath.Join(dir, "policy.yaml"))
	os.WriteFile(filepath.Join(dir, "policy.yaml"), append(meta, "approver:\n  kk: \"Директорлар кеңесінің шешімі\"\n  ru: \"Решение совета директоров\"\n"...), 0o644)
	code, out, errs = exe(t, bin, "diff", "--format", "html", "../../testdata/clean", dir)
	if code != 0 || !strings.Contains(out, "Решение совета директоров №") || !strings.Contains(out, "Директорлар кеңесінің 20__ жылғы «___» ____________ № ______ шешімі") || strings.Contains(out, "единственного участника") || strings.Contains(out, "Жалғыз қатысушының") {
		t.Errorf("redline with approver: exit %d %s; signature lines: %q", code, errs, regexp.MustCompile(`.*№ ______.*`).FindAllString(out, -1))
	}
	if code, _, errs := exe(t, bin, "diff", "1", "nonexistent-folder"); code != 2 || !strings.Contains(errs, "nonexistent-folder") {
		t.Errorf("bad side: exit %d %q", code, errs)
	}
	// A side with broken metadata or a missing text has no version hash.
	os.Remove(filepath.Join(dir, "kk.md"))
	if code, _, errs := exe(t, bin, "diff", "../../testdata/clean", dir); code != 2 || !strings.Contains(errs, "meta/missing-file") {
		t.Errorf("side without kk.md: exit %d %q", code, errs)
	}
	if code, _, errs := exe(t, bin, "diff", "01", "draft"); code != 2 || !strings.Contains(errs, `"01"`) {
		t.Errorf("01: exit %d %q", code, errs)
	}
}

// edition1Dir writes a policy folder holding the texts of release 1 as a
// draft, as they were before this tool: policy.yaml of edition 1.
func edition1Dir(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "privacy")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	meta, err := os.ReadFile("../../policies/privacy/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	m := strings.Replace(strings.Replace(string(meta), "edition: 2", "edition: 1", 1), "effective: 2026-12-01", "effective: 2025-09-16", 1)
	files := map[string]string{"policy.yaml": m}
	for _, l := range []string{"kk", "ru"} {
		b, err := os.ReadFile("../../policies/privacy/releases/1/" + l + ".md")
		if err != nil {
			t.Fatal(err)
		}
		files[l+".md"] = string(b)
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
