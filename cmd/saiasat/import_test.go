package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
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

// The exit status is check's verdict on the text written: 0 for a clean
// text even when lines were dropped, 1 with the findings when it fails. The
// input may be UTF-16 with a byte order mark; --lang must be a language
// saiasat supports, as a BCP 47 tag.
func TestImportVerdict(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	clean := "1. Жалпы ережелер\n1.1. Несие беруші деректерді қорғайды.\n\n- 1 -\n\n1.2. Деректер заң бойынша өңделеді.\n\n- 2 -\n"
	want := "## 1. Жалпы ережелер\n\n1.1. Несие беруші деректерді қорғайды.\n\n1.2. Деректер заң бойынша өңделеді.\n"
	utf16le := func(s string) []byte {
		b := []byte{0xFF, 0xFE}
		for _, c := range utf16.Encode([]rune(s)) {
			b = append(b, byte(c), byte(c>>8))
		}
		return b
	}
	tests := []struct {
		name   string
		file   []byte
		lang   string
		code   int
		stdout string
		stderr []string
	}{
		{"clean, two page numbers dropped", []byte(clean), "kk", 0, want, []string{`dropped page number "- 1 -" [import/dropped]`}},
		{"UTF-16 with a byte order mark", utf16le(clean), "kk", 0, want, []string{`dropped page number "- 2 -"`}},
		{"a BCP 47 tag with a region", []byte(clean), "kk-KZ", 0, want, nil},
		{"output fails check", []byte("1. Жалпы\n1.1. Бірінші.\n1.3. Үшінші.\n"), "kk", 1, "", []string{"[numbering/gap]", "<stdout> fails check: 1 finding(s) above"}},
		{"a mixed word fails check", []byte("1. Жалпы\n1.1. Деректер cақталады.\n"), "kk", 1, "", []string{"[script/mixed]"}},
		{"unknown language", []byte(clean), "xx", 2, "", []string{`--lang "xx"`}},
		{"not a tag", []byte(clean), "k k", 2, "", []string{`--lang "k k" is not a BCP 47 language tag`}},
		{"Latin Kazakh", []byte(clean), "kk-Latn", 2, "", []string{"Cyrillic"}},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := write(fmt.Sprintf("in%d.txt", i), tt.file)
			code, stdout, stderr := exe(t, bin, "import", "--lang", tt.lang, in)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stderr %s", code, tt.code, stderr)
			}
			if tt.stdout != "" && stdout != tt.stdout {
				t.Errorf("stdout\n%s\nwant\n%s", stdout, tt.stdout)
			}
			for _, s := range tt.stderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
		})
	}
}
