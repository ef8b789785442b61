package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const seed = "../../testdata/seed/privacy-policy-kk-edition-1.txt"

func TestImportSeed(t *testing.T) {
	bin := buildBinary(t)
	want, err := os.ReadFile("../../policies/privacy/releases/1/kk.md")
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "kk.md")
	code, stdout, stderr := exe(t, bin, "import", "--policy", "privacy", "--lang", "kk", "-o", out, seed)
	if code != 1 || stdout != "" {
		t.Fatalf("exit %d (want 1: the text has anomalies), stdout %q", code, stdout)
	}
	if got, _ := os.ReadFile(out); string(got) != string(want) {
		t.Error("imported text differs from releases/1/kk.md")
	}
	for _, s := range []string{
		"id: privacy", "edition: 1", "effective: 2025-09-16", "# pages: 8",
		`organization: {kk: "«Satcredit.kz» Микроқаржы ұйымы» ЖШС"}`,
		`title: {kk: "«Satcredit.kz» МҚҰ» ЖШС интернет-ресурсының құпиялық және қауіпсіздік саясаты"}`,
		`privacy-policy-kk-edition-1.txt:190:1: warning: dropped page number "8 беттің 6-беті" [import/dropped]`,
		"kk.md:36:1: error: clause 3.3 follows 3.1: 3.2 is missing [numbering/gap]",
	} {
		if !strings.Contains(stderr, s) {
			t.Errorf("stderr lacks %q", s)
		}
	}
	if n := strings.Count(stderr, "[script/mixed]"); n != 23 {
		t.Errorf("%d mixed-script findings, want 23", n)
	}

	// From standard input, to standard output.
	cmd := exec.Command(bin, "import", "--lang", "kk", "-")
	in, _ := os.Open(seed)
	defer in.Close()
	cmd.Stdin = in
	got, _ := cmd.Output()
	if string(got) != string(want) {
		t.Error("import from stdin differs")
	}
	if code, _, stderr := exe(t, bin, "import", "--lang", "kk", "missing.txt"); code != 2 || !strings.Contains(stderr, "missing.txt") {
		t.Errorf("missing input: exit %d %q", code, stderr)
	}
	if code, _, stderr := exe(t, bin, "import", seed); code != 2 || !strings.Contains(stderr, "--lang is required") {
		t.Errorf("no --lang: exit %d %q", code, stderr)
	}
}
