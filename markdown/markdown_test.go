package markdown_test

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/markdown"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestLabels(t *testing.T) {
	tests := []struct {
		line                 string
		clause, item, bullet int
		heading              int
	}{
		{line: "3.12.1. text", clause: 7},
		{line: "3.12.1 text", clause: 6},
		{line: "3.1.", clause: 4},
		{line: "3.1.\n", clause: 4},
		{line: "3.12.10  two spaces", clause: 7},
		{line: "16.09.2025 жылы", clause: 0},
		{line: "1.2025 year", clause: 0},
		{line: "3. one part", clause: 0},
		{line: "3.12.1text", clause: 0},
		{line: "03.1 leading zero", clause: 0},
		{line: "1.1000 four digits", clause: 0},
		{line: "1.1-тармақ", clause: 0},
		{line: "1) item", item: 2},
		{line: "11.1) nested", item: 5},
		{line: "1)item", item: 0},
		{line: "1. item", item: 0},
		{line: "0) zero", item: 0},
		{line: "- bullet", bullet: 1},
		{line: "-bullet", bullet: 0},
		{line: "— dash", bullet: 3},
		{line: "• dot", bullet: 3},
		{line: "· middle", bullet: 2},
		{line: "–en", bullet: 0},
		{line: "## 1. Section", heading: 2},
		{line: "#hashtag", heading: 0},
		{line: "####### seven", heading: 0},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			b := []byte(tt.line)
			if got := markdown.ClauseLabel(b); got != tt.clause {
				t.Errorf("ClauseLabel = %d, want %d", got, tt.clause)
			}
			if got := markdown.ItemLabel(b); got != tt.item {
				t.Errorf("ItemLabel = %d, want %d", got, tt.item)
			}
			if got := markdown.BulletLabel(b); got != tt.bullet {
				t.Errorf("BulletLabel = %d, want %d", got, tt.bullet)
			}
			if got := markdown.HeadingLevel(b); got != tt.heading {
				t.Errorf("HeadingLevel = %d, want %d", got, tt.heading)
			}
		})
	}
}

// dump writes the structure Parse found, one line per element, for golden
// files a reviewer can read.
func dump(doc *saiasat.Document, fs []saiasat.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "title %q\n", doc.Title)
	for _, s := range doc.Sections {
		fmt.Fprintf(&b, "section %d %q line %d\n", s.Number, s.Title, s.Pos.Line)
		for _, c := range s.Clauses {
			fmt.Fprintf(&b, "  clause %s label %q lines %d-%d\n", c.Number, c.Label, c.Pos.Line, c.EndLine)
			for _, l := range strings.Split(c.Body, "\n") {
				fmt.Fprintf(&b, "    | %s\n", l)
			}
			for _, it := range c.Items {
				fmt.Fprintf(&b, "    item %s) line %d %q\n", it.Number, it.Pos.Line, it.Text)
			}
			for _, bu := range c.Bullets {
				fmt.Fprintf(&b, "    bullet line %d %q\n", bu.Pos.Line, bu.Text)
			}
		}
	}
	b.WriteString(markdown.DumpTree(doc.Blocks))
	for _, l := range doc.Links {
		fmt.Fprintf(&b, "link %q at %d:%d\n", l.Dest, l.Pos.Line, l.Pos.Col)
	}
	for _, f := range fs {
		fmt.Fprintf(&b, "finding %s\n", f)
	}
	return b.String()
}

func TestParseGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.md")
	if len(files) == 0 {
		t.Fatal("no testdata/*.md")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			got := dump(markdown.Parse(filepath.Base(file), "en", src))
			golden := strings.TrimSuffix(file, ".md") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got != string(want) {
				t.Errorf("Parse(%s) differs from %s:\n%s", file, golden, got)
			}
		})
	}
}

func TestParseEdition1(t *testing.T) {
	src, err := os.ReadFile("../policies/privacy/releases/1/kk.md")
	if err != nil {
		t.Fatal(err)
	}
	doc, fs := markdown.Parse("kk.md", "kk", src)
	if len(fs) != 0 {
		t.Errorf("syntax findings on edition 1: %v", fs)
	}
	counts := map[string]int{}
	for _, c := range doc.Clauses() {
		counts["clauses"]++
		counts["items"] += len(c.Items)
		counts["bullets"] += len(c.Bullets)
	}
	// Counted by hand in the published PDF: 7 sections; clauses 1.1–7.8
	// without 3.2 and 3.12.12; items 1)–12) with 11.1)–11.7) in 2.1 and
	// 1)–5) in 5.3; three bullets in 3.6 and four in 4.2.
	want := map[string]int{"clauses": 54, "items": 24, "bullets": 7}
	for k, v := range want {
		if counts[k] != v {
			t.Errorf("%s = %d, want %d", k, counts[k], v)
		}
	}
	if got := len(doc.Sections); got != 7 {
		t.Errorf("sections = %d, want 7", got)
	}
}

// FuzzParse checks that parsing never panics, in every numbering scheme,
// and that every position it reports lies inside the input: findings,
// clauses, items and every block of the tree, whose lines run forward.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.md")
	for _, file := range files {
		src, _ := os.ReadFile(file)
		f.Add(src)
	}
	f.Add([]byte("## 1. A\n\n1.1. x\n1) y\n- z\n\t1.2 w\n"))
	f.Add([]byte("::: approval\nУТВЕРЖДЕНО\n:::\n# A\n# B\n\n## Глава 1\n\n## II.\n\n1. x:\nа) y\n   • z\n\n| a | b |\n|---|---|\n| c | d |\n\n¹ сноска\n::: signature\n«___»\n"))
	schemes := []saiasat.Numbering{saiasat.NumberingSections, saiasat.NumberingFlat, saiasat.NumberingNone}
	f.Fuzz(func(t *testing.T, src []byte) {
		for _, scheme := range schemes {
			doc, fs := markdown.Parse("f.md", "kk", src, markdown.WithNumbering(scheme))
			lines := markdown.NewLines(src).Count()
			inside := func(what string, p saiasat.Pos) {
				if p.Line < 1 || p.Line > max(lines, 1) || p.Col < 1 {
					t.Fatalf("%s: %s at %d:%d outside the input of %d lines", scheme, what, p.Line, p.Col, lines)
				}
			}
			for _, f := range fs {
				inside("finding "+f.Rule, f.Pos)
			}
			for _, c := range doc.Clauses() {
				inside("clause "+c.Number.String(), c.Pos)
				if c.EndLine < c.Pos.Line || c.EndLine > lines {
					t.Fatalf("clause %s ends at line %d, starts at %d, of %d", c.Number, c.EndLine, c.Pos.Line, lines)
				}
				if scheme == saiasat.NumberingSections && len(c.Number) < 2 {
					t.Fatalf("clause number %v has fewer than two parts", c.Number)
				}
				for _, it := range c.Items {
					inside("item", it.Pos)
				}
			}
			saiasat.WalkBlocks(doc.Blocks, func(b *saiasat.Block) bool {
				inside(b.Kind.String()+" "+b.ID, b.Pos)
				if b.ID == "" || b.EndLine < b.Pos.Line || b.EndLine > max(lines, 1) {
					t.Fatalf("%s: %s %q at lines %d-%d of %d", scheme, b.Kind, b.ID, b.Pos.Line, b.EndLine, lines)
				}
				for _, c := range b.Children {
					if c.Pos.Line < b.Pos.Line || c.EndLine > b.EndLine {
						t.Fatalf("%s: %s %s (%d-%d) outside its parent %s (%d-%d)", scheme, c.Kind, c.ID, c.Pos.Line, c.EndLine, b.ID, b.Pos.Line, b.EndLine)
					}
				}
				return true
			})
		}
	})
}
