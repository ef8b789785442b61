package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDocxCommands: export an edition and the draft to .docx and import
// them back to the same text with the same exit status rules as the text
// import (1 when the text fails check: edition 1 has numbering gaps; 0 for
// the draft); the redline of edition 1 → draft is a .docx the import
// refuses (its tracked changes are named); bad uses exit 2.
func TestDocxCommands(t *testing.T) {
	dir := t.TempDir()
	pol := "../../policies"
	for _, tc := range []struct {
		side, lang, want string
		code             int
	}{
		{"1", "ru", "../../policies/privacy/releases/1/ru.md", 1},
		{"draft", "kk", "../../policies/privacy/kk.md", 0},
	} {
		out := filepath.Join(dir, tc.side+tc.lang+".docx")
		if code, _, stderr := run(t, ".", "export", "--policies", pol, "--lang", tc.lang, "-o", out, tc.side); code != 0 {
			t.Fatalf("export %s: exit %d: %s", tc.side, code, stderr)
		}
		code, stdout, stderr := run(t, ".", "import", "--from", "docx", "--lang", tc.lang, out)
		want, _ := os.ReadFile(tc.want)
		if code != tc.code || stdout != string(want) {
			t.Errorf("import %s: exit %d (want %d), text same: %v\n%s", tc.side, code, tc.code, stdout == string(want), stderr)
		}
		if !strings.Contains(stderr, "[import/dropped]") || !strings.Contains(stderr, "title: {"+tc.lang+": ") {
			t.Errorf("import %s: no header report or proposed title:\n%s", tc.side, stderr)
		}
	}
	red := filepath.Join(dir, "redline.docx")
	if code, _, stderr := run(t, ".", "diff", "--policies", pol, "--format", "docx", "-o", red, "1", "draft"); code != 0 {
		t.Fatalf("diff --format docx: exit %d: %s", code, stderr)
	}
	code, stdout, stderr := run(t, ".", "import", "--from", "docx", "--lang", "ru", red)
	if code != 1 || stdout != "" || !strings.Contains(stderr, `"w:ins ×`) || !strings.Contains(stderr, `"w:del ×`) {
		t.Errorf("import of a redline: exit %d, stdout %d bytes, stderr:\n%s", code, len(stdout), stderr)
	}
	for _, args := range [][]string{
		{"import", "--from", "pdf", "--lang", "ru", red},
		{"import", "--from", "docx", "--lang", "ru", filepath.Join(dir, "missing.docx")},
		{"import", "--from", "docx", "--lang", "ru", "../../policies/privacy/ru.md"},
		{"export", "--policies", pol, "--format", "odt"},
		{"export", "--policies", pol, "--lang", "en"},
		{"export", "--policies", pol, "7"},
	} {
		if code, _, stderr := run(t, ".", args...); code != 2 || strings.Count(strings.TrimSpace(stderr), "\n") > 1 {
			t.Errorf("%v: exit %d (want 2), stderr %q", args, code, stderr)
		}
	}
}
