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
	var files []string
	for _, pattern := range []string{"../testdata/corpus/*/*.md", "../testdata/clean/*.md", "../policies/*/*.md", "../policies/*/releases/*/*.md", "testdata/*.md"} {
		more, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, more...)
	}
	if len(files) < 32 {
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
		if lang != "kk" && lang != "ru" {
			lang = "en" // this package's test files
		}
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
			if b.EndLine < b.Pos.Line || b.Pos.Line < 1 || b.EndLine > len(lines) {
				t.Errorf("%s: %s %s spans lines %d-%d of %d", name, b.Kind, b.ID, b.Pos.Line, b.EndLine, len(lines))
				continue
			}
			if b.Kind != saiasat.KindTable { // a table's text is its cells, re-joined
				span := strings.Join(lines[b.Pos.Line-1:b.EndLine], "\n")
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
