package markdown_test

import (
	"os"
	"testing"

	"github.com/saiasat/saiasat/markdown"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/text"
)

func edition1(b *testing.B) []byte {
	src, err := os.ReadFile("../policies/privacy/releases/1/kk.md")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(src)))
	return src
}

// BenchmarkParse measures the whole parse into a Document: goldmark with the
// clause extension, then the walk that builds sections and clauses.
func BenchmarkParse(b *testing.B) {
	src := edition1(b)
	for b.Loop() {
		markdown.Parse("kk.md", "kk", src)
	}
}

// BenchmarkGoldmarkDefault is the peer: stock goldmark parsing the same
// text as plain CommonMark, with no clause structure.
func BenchmarkGoldmarkDefault(b *testing.B) {
	src := edition1(b)
	p := goldmark.New().Parser()
	for b.Loop() {
		p.Parse(text.NewReader(src))
	}
}
