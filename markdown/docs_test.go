package markdown_test

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/markdown"
)

// TestFormatDocExamples parses the kk/ru example pairs of docs/format.md's
// "Every block" section: no findings, and the same blocks (kind and ID) in
// both languages, so the page that teaches the format stays true.
func TestFormatDocExamples(t *testing.T) {
	b, err := os.ReadFile("../docs/format.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	start, end := strings.Index(s, "### Every block"), strings.Index(s, "### Inline markup")
	if start < 0 || end < start {
		t.Fatal("docs/format.md has no \"### Every block\" section before \"### Inline markup\"")
	}
	s = s[start:end]
	blocks := regexp.MustCompile("(?s)```markdown\n(.*?)```").FindAllStringSubmatch(s, -1)
	if len(blocks) != 14 {
		t.Fatalf("%d examples, want 7 kk/ru pairs", len(blocks))
	}
	kinds := map[saiasat.Kind]bool{}
	for i := 0; i < len(blocks); i += 2 {
		// The scheme is named in the prose just before the pair.
		at := strings.Index(s, blocks[i][0])
		before := s[max(0, at-200):at]
		scheme := saiasat.NumberingSections
		switch {
		case strings.Contains(before, "numbering: flat"):
			scheme = saiasat.NumberingFlat
		case strings.Contains(before, "numbering: none"):
			scheme = saiasat.NumberingNone
		}
		kk, fkk := markdown.Parse("kk.md", "kk", []byte(blocks[i][1]), markdown.WithNumbering(scheme))
		ru, fru := markdown.Parse("ru.md", "ru", []byte(blocks[i+1][1]), markdown.WithNumbering(scheme))
		if len(fkk)+len(fru) > 0 {
			t.Errorf("example %d: findings %v %v", i/2+1, fkk, fru)
		}
		a, b := markdown.DumpIDs(kk.Blocks), markdown.DumpIDs(ru.Blocks)
		if a != b {
			t.Errorf("example %d (%s): kk and ru differ:\n%s---\n%s", i/2+1, scheme, a, b)
		}
		saiasat.WalkBlocks(kk.Blocks, func(b *saiasat.Block) bool { kinds[b.Kind] = true; return true })
	}
	for _, k := range saiasat.Kinds() {
		if !kinds[k] {
			t.Errorf("docs/format.md has no example of a %s", k)
		}
	}
}
