package markdown

import (
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// inlineTransformer replaces goldmark's inline parsing: the parser runs
// with no inline parsers, and this transformer gives every text block the
// nodes of Spans — literal strings, strong runs and clause links — so the
// page prints what the PDF and the redline print. Headings are literal.
type inlineTransformer struct{}

func (inlineTransformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	src := reader.Source()
	var blocks []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindParagraph, ast.KindHeading, KindItem, KindBullet:
			blocks = append(blocks, n)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, b := range blocks {
		b.RemoveChildren(b)
		t := string(linesText(b.Lines(), src, "\n"))
		if b.Kind() == ast.KindHeading {
			if t != "" {
				b.AppendChild(b, literal(t))
			}
			continue
		}
		appendSpans(b, Spans(t))
	}
}

// appendSpans adds the nodes of spans to parent: a strong run becomes one
// Emphasis of level 2, a link one Link holding its text.
func appendSpans(parent ast.Node, spans []Span) {
	var strong *ast.Emphasis
	for _, s := range spans {
		var n ast.Node = literal(s.Text)
		if s.Link != "" {
			l := ast.NewLink()
			l.Destination = []byte(s.Link)
			l.AppendChild(l, n)
			n = l
		}
		if !s.Strong {
			strong = nil
			parent.AppendChild(parent, n)
			continue
		}
		if strong == nil {
			strong = ast.NewEmphasis(2)
			parent.AppendChild(parent, strong)
		}
		strong.AppendChild(strong, n)
	}
}

// literal is text printed as written: HTML-escaped, with no entity or
// backslash escape resolved.
func literal(s string) *ast.String {
	n := ast.NewString([]byte(s))
	n.SetRaw(true)
	return n
}
