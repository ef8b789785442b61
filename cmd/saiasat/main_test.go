package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// run runs the program in dir with args and returns exit code and output.
func run(t *testing.T, dir string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	if dir != "" {
		t.Chdir(dir)
	}
	var out, errb bytes.Buffer
	m := &Main{Stdout: &out, Stderr: &errb}
	code = m.Exit(m.Run(context.Background(), args))
	return code, out.String(), errb.String()
}

const metaYAML = "id: p\nlanguages: [kk, ru]\ntitle: {kk: T, ru: T}\norganization: {kk: O, ru: O}\nedition: 1\neffective: 2025-09-16\n"
const text = "## 1. A\n\n1.1. мәтін\n"

// policyDir writes a policy folder p with the given files (nil content:
// the default) and returns the folder holding it.
func policyDir(t *testing.T, files map[string][]byte) string {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "p")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	all := map[string][]byte{"policy.yaml": []byte(metaYAML), "kk.md": []byte(text), "ru.md": []byte(text)}
	for k, v := range files {
		all[k] = v
	}
	for name, data := range all {
		if data == nil {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args   []string
		code   int
		stdout string // substring
		stderr string // substring
	}{
		{nil, 2, "", "no command given"},
		{[]string{"frobnicate"}, 2, "", "unknown command \"frobnicate\"\nTry: saiasat help"},
		{[]string{"help"}, 0, "Commands:", ""},
		{[]string{"version"}, 0, "saiasat ", ""},
		{[]string{"check", "--help"}, 0, "", "Usage: saiasat check"},
		{[]string{"fmt", "-h"}, 0, "", "Usage: saiasat fmt"},
		{[]string{"hash", "--help"}, 0, "", "Usage: saiasat hash"},
		{[]string{"check", "--bogus"}, 2, "", "Try: saiasat check --help"},
		{[]string{"check", "--format", "xml", "."}, 2, "", "unknown --format \"xml\""},
		{[]string{"hash", "--format", "yaml"}, 2, "", "unknown --format"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, stdout, stderr := run(t, "", tt.args...)
			if code != tt.code || !strings.Contains(stdout, tt.stdout) || !strings.Contains(stderr, tt.stderr) {
				t.Errorf("exit %d, stdout %q, stderr %q; want exit %d, %q, %q", code, stdout, stderr, tt.code, tt.stdout, tt.stderr)
			}
		})
	}
}

// Bad input gives a one-line error naming the file (exit 2) or findings
// (exit 1), never a panic.
func TestBadInput(t *testing.T) {
	tests := []struct {
		name  string
		files map[string][]byte
		args  []string // after the command; "{}" is replaced by the policy folder
		cmd   string
		code  int
		want  string // in stderr for exit 2, in stdout for exit 1
	}{
		{"missing path", nil, []string{"nope"}, "check", 2, "nope: no such file or directory"},
		{"folder without policy.yaml", map[string][]byte{"policy.yaml": nil}, []string{"{}"}, "check", 2, "no policy.yaml in it"},
		{"file instead of folder", nil, []string{"{}/p/kk.md"}, "check", 2, "kk.md: not a folder"},
		{"invalid YAML", map[string][]byte{"policy.yaml": []byte("id: p\n  x: : y\n")}, []string{"{}"}, "check", 1, "policy.yaml:2:1: error: invalid YAML"},
		{"binary file", map[string][]byte{"kk.md": []byte("## 1. A\x00\x01\x02")}, []string{"{}"}, "check", 2, "kk.md: binary file"},
		{"UTF-16 file", map[string][]byte{"kk.md": []byte("\xff\xfe#\x00#\x00 \x00")}, []string{"{}"}, "check", 2, "kk.md: UTF-16; save as UTF-8"},
		{"empty file", map[string][]byte{"kk.md": {}}, []string{"{}"}, "check", 1, "kk.md:1:1: error: the file is empty"},
		{"CRLF", map[string][]byte{"kk.md": []byte("## 1. A\r\n\r\n1.1. мәтін\r\n")}, []string{"{}"}, "check", 1, "[text/crlf]"},
		{"BOM", map[string][]byte{"kk.md": []byte("\uFEFF" + text)}, []string{"{}"}, "check", 1, "[text/bom]"},
		{"invalid UTF-8 in fmt", map[string][]byte{"kk.md": []byte("## 1. A\n\n1.1. \xff\n")}, []string{"{}"}, "fmt", 2, "kk.md: invalid UTF-8 at line 3"},
		{"hash with bad metadata", map[string][]byte{"policy.yaml": []byte("id: p\nlanguages: [kk]\n")}, []string{"{}"}, "hash", 2, "cannot hash with invalid metadata"},
		{"missing language file", map[string][]byte{"ru.md": nil}, []string{"{}"}, "check", 1, "[meta/missing-file]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := policyDir(t, tt.files)
			args := []string{tt.cmd}
			for _, a := range tt.args {
				args = append(args, strings.ReplaceAll(a, "{}", root))
			}
			code, stdout, stderr := run(t, "", args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d; stdout %q stderr %q", code, tt.code, stdout, stderr)
			}
			got := stdout
			if code == 2 {
				got = stderr
				if n := strings.Count(stderr, "\n"); n != 1 {
					t.Errorf("stderr has %d lines, want 1: %q", n, stderr)
				}
			}
			if !strings.Contains(got, tt.want) {
				t.Errorf("output %q does not contain %q", got, tt.want)
			}
			for _, s := range []string{"panic", "goroutine", ".go:"} {
				if strings.Contains(stdout+stderr, s) {
					t.Errorf("output contains %q: %s%s", s, stdout, stderr)
				}
			}
		})
	}
}

func TestHugeFile(t *testing.T) {
	root := policyDir(t, nil)
	f, err := os.OpenFile(filepath.Join(root, "p", "kk.md"), os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(50 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	code, _, stderr := run(t, "", "check", root)
	if code != 2 || !strings.Contains(stderr, "kk.md: 52.4 MB is over the 4 MiB limit") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// A panic in any command becomes one line and exit 2.
func TestPanicIsOneLine(t *testing.T) {
	commands["boom"] = func(m *Main, ctx context.Context, args []string) error {
		var p *Main
		_ = p.Stdout // nil dereference
		return nil
	}
	defer delete(commands, "boom")
	code, _, stderr := run(t, "", "boom")
	if code != 2 || strings.Count(stderr, "\n") != 1 || strings.Contains(stderr, "nil pointer") || !strings.Contains(stderr, "internal error") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

func TestFmtRewritesAndCheckLists(t *testing.T) {
	root := policyDir(t, map[string][]byte{"kk.md": []byte("## 1. A\r\n1.1. мәтін  \r\n\r\n\r\n")})
	code, stdout, _ := run(t, "", "fmt", "--check", root)
	if code != 1 || !strings.Contains(stdout, filepath.Join("p", "kk.md")) || strings.Contains(stdout, "ru.md") {
		t.Fatalf("fmt --check: exit %d, stdout %q", code, stdout)
	}
	if code, _, stderr := run(t, "", "fmt", root); code != 0 {
		t.Fatalf("fmt: exit %d, %s", code, stderr)
	}
	got, _ := os.ReadFile(filepath.Join(root, "p", "kk.md"))
	if string(got) != text {
		t.Errorf("fmt wrote %q, want %q", got, text)
	}
	if code, stdout, _ := run(t, "", "fmt", "--check", root); code != 0 || stdout != "" {
		t.Errorf("second fmt --check: exit %d, %q", code, stdout)
	}
}

func TestFlagsAfterArguments(t *testing.T) {
	root := policyDir(t, nil)
	code, stdout, _ := run(t, "", "check", root, "--format", "json")
	if code != 0 || strings.TrimSpace(stdout) != "[]" {
		t.Errorf("exit %d, stdout %q", code, stdout)
	}
}

func TestDefaultPoliciesFolder(t *testing.T) {
	root := t.TempDir()
	code, _, stderr := run(t, root, "check")
	if code != 2 || !strings.Contains(stderr, "policies: no such file or directory") {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}

// A finding accepted in policy.yaml is listed as accepted, leaves check's
// exit status 0, is not "fixed" by --fix, and does not refuse a release.
func TestAcceptedFindings(t *testing.T) {
	kk := "## 1. A\n\n1.1. Код SMS арқылы жіберіледі, Сredit.\n"
	ru := "## 1. А\n\n1.1. Код отправляется в ПУШ, Сredit.\n"
	accept := metaYAML + "accept:\n" +
		"  - {rule: parity/anchor, lang: ru, clause: \"1.1\", text: SMS, reason: \"the Russian text names the channel ПУШ\"}\n" +
		"  - {rule: script/mixed, lang: ru, clause: \"1.1\", reason: \"the brand is registered so\"}\n" +
		"  - {rule: script/mixed, lang: kk, clause: \"1.1\", reason: \"the brand is registered so\"}\n"
	root := policyDir(t, map[string][]byte{"kk.md": []byte(kk), "ru.md": []byte(ru)})
	if code, stdout, _ := run(t, "", "check", root); code != 1 || !strings.Contains(stdout, `lacks "SMS"`) {
		t.Fatalf("without acceptance: exit %d, %q", code, stdout)
	}
	if err := os.WriteFile(filepath.Join(root, "p", "policy.yaml"), []byte(accept), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, "", "check", root)
	if code != 0 || strings.Count(stdout, ": accepted ") != 3 || !strings.Contains(stdout, "(reason: the Russian text names the channel ПУШ)") {
		t.Fatalf("accepted: exit %d, %q %q", code, stdout, stderr)
	}
	if code, stdout, _ := run(t, "", "check", "--format", "json", root); code != 0 || strings.Count(stdout, `"accepted": true`) != 3 {
		t.Errorf("json: exit %d, %s", code, stdout)
	}
	if code, _, stderr := run(t, "", "check", "--fix", root); code != 0 || !strings.Contains(stderr, "fixed 0 finding(s)") {
		t.Errorf("--fix: exit %d, %q", code, stderr)
	}
	if got, _ := os.ReadFile(filepath.Join(root, "p", "ru.md")); string(got) != ru {
		t.Errorf("--fix changed an accepted word: %q", got)
	}
	if code, stdout, stderr := run(t, "", "release", "--policies", root, "--policy", "p"); code != 0 {
		t.Fatalf("release: exit %d, %q %q", code, stdout, stderr)
	}
	manifest, err := os.ReadFile(filepath.Join(root, "p", "releases", "1", "release.json"))
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(manifest), `"accepted": "the brand is registered so"`); n != 2 || !strings.Contains(string(manifest), `"accepted": "the Russian text names the channel ПУШ"`) {
		t.Errorf("release.json does not record the accepted findings with their reasons:\n%s", manifest)
	}
	if code, stdout, _ := run(t, "", "log", "--policies", root, "--policy", "p"); code != 0 || !strings.Contains(stdout, "(3 accepted findings)") {
		t.Errorf("log: exit %d, %q", code, stdout)
	}
}
