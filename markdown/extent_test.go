package markdown_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/markdown"
)

// Every block's lines, Pos.Line to EndLine, hold every line of its text:
// a finding or a redline that points at a block points at all of it. Over
// every Markdown text of the repository (the corpus, the bundled policy
// and its releases, this package's test files) and the layouts written
// here, which include an item whose label stands alone on its line.
func TestBlockExtents(t *testing.T) {
	files, _ := filepath.Glob("../testdata/corpus/*/*.md")
	more, _ := filepath.Glob("../policies/*/*.md")
	files = append(files, more...)
	more, _ = filepath.Glob("../policies/*/releases/*/*.md")
	files = append(files, more...)
	more, _ = filepath.Glob("testdata/*.md")
	files = append(files, more...)
	if len(files) < 30 {
		t.Fatalf("%d Markdown files found, want the corpus and the policies", len(files))
	}
	scheme := regexp.MustCompile(`(?m)^numbering:\s*(\S+)`)
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var opts []markdown.Option
		if y, err := os.ReadFile(filepath.Join(filepath.Dir(f), "policy.yaml")); err == nil {
			if m := scheme.FindSubmatch(y); m != nil {
				opts = append(opts, markdown.WithNumbering(saiasat.Numbering(m[1])))
			}
		}
		lang := saiasat.Lang(strings.TrimSuffix(filepath.Base(f), ".md"))
		checkExtents(t, f, src, lang, opts...)
	}
	for name, src := range map[string]string{
		"label alone":          "# T\n\n## 1. A\n\n1.1. Clause:\n\n1)\n   first item text\n   more\n2) second\n",
		"letter alone, nested": "# T\n\n## 1. A\n\n1.1. Clause:\n\n1) one:\n   а)\n      a lettered\n      item\n   б) two\n",
		"bullet wrapped":       "# T\n\n## 1. A\n\n1.1. Clause:\n\n- a bullet\n  wrapped\n  twice\n- next\n",
	} {
		checkExtents(t, name, []byte(src), "ru")
	}
}

func checkExtents(t *testing.T, name string, src []byte, lang saiasat.Lang, opts ...markdown.Option) {
	t.Helper()
	doc, _ := markdown.Parse(name, lang, src, opts...)
	lines := strings.Split(string(src), "\n")
	var walk func(bs []*saiasat.Block)
	walk = func(bs []*saiasat.Block) {
		for _, b := range bs {
			if b.EndLine < b.Pos.Line {
				t.Errorf("%s: %s %s ends at line %d, before it starts (%d)", name, b.Kind, b.ID, b.EndLine, b.Pos.Line)
			}
			if b.Kind != saiasat.KindTable { // a table's text is its cells, re-joined
				from, to := max(b.Pos.Line, 1), min(b.EndLine, len(lines))
				span := strings.Join(lines[from-1:to], "\n")
				for _, l := range strings.Split(b.Text, "\n") {
					if l = strings.TrimSpace(l); l != "" && !strings.Contains(span, l) {
						t.Errorf("%s: %s %s (lines %d-%d) has the text line %q outside its lines", name, b.Kind, b.ID, b.Pos.Line, b.EndLine, l)
					}
				}
			}
			walk(b.Children)
		}
	}
	walk(doc.Blocks)
}
