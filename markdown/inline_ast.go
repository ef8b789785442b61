package markdown

import (
	"bytes"
	"sort"
	"unicode"

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
		case ast.KindParagraph, ast.KindHeading, KindItem, KindBullet, KindFootnote:
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

// BlockKind says what a TextBlock is.
type BlockKind int

// The kinds of TextBlock.
const (
	// BlockParagraph is a paragraph: a clause's text, or text outside any
	// clause.
	BlockParagraph BlockKind = iota
	// BlockHeading is a "#" or "##" line (Level says which).
	BlockHeading
	// BlockClause opens a clause: Label is its number as written, Text is
	// empty; its paragraphs, items and bullets follow.
	BlockClause
	// BlockItem is an item ("1) text"), BlockBullet a bullet ("- text").
	BlockItem
	BlockBullet
	// BlockFootnote is a footnote ("¹ text"); Label is its mark.
	BlockFootnote
	// BlockTable is a pipe table, its rows as Text lines; BlockContainer a
	// "::: name" block's inner lines (Label is the name). Both are kept
	// as written, with no inline markup of their own (a table's cells take
	// Spans one by one).
	BlockTable
	BlockContainer
)

// TextBlock is one block of a source in reading order, with its text as
// the renderers read it: its lines trimmed and joined by "\n" (for a
// clause's first paragraph, the text after its number).
type TextBlock struct {
	Kind BlockKind
	Text string
	// Heading is set for "#" and "##" lines: their text takes no markup.
	Heading bool
	// Level is a heading's level.
	Level int
	// Label is a clause's number ("3.12.1.") or an item's ("2.1)", "а)")
	// as written, a bullet's glyph ("-", "•"), a footnote's mark or a
	// container's name.
	Label string
	// InClause is set for the paragraphs, items and bullets of a clause.
	InClause bool
	// lineAt holds, per line, its offset in Text and in the source.
	lineAt [][2]int
}

// Offset returns the byte offset in the source of byte i of Text.
func (b TextBlock) Offset(i int) int {
	k := sort.Search(len(b.lineAt), func(k int) bool { return b.lineAt[k][0] > i }) - 1
	if k < 0 {
		return 0
	}
	return b.lineAt[k][1] + i - b.lineAt[k][0]
}

// TextBlocks returns the blocks of src in reading order, parsed with the
// program's goldmark configuration.
func TextBlocks(src []byte, opts ...Option) []TextBlock {
	return textBlocks(ParseAST(src, opts...), src)
}

func textBlocks(root ast.Node, src []byte) []TextBlock {
	var out []TextBlock
	_ = ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		inClause := n.Parent() != nil && n.Parent().Kind() == KindClause
		switch n := n.(type) {
		case *Clause:
			out = append(out, TextBlock{Kind: BlockClause, Label: n.Label})
			return ast.WalkContinue, nil
		case *ast.Heading:
			b := textBlock(n, src)
			b.Kind, b.Heading, b.Level = BlockHeading, true, n.Level
			out = append(out, b)
		case *ast.Paragraph:
			b := textBlock(n, src)
			b.InClause = inClause
			out = append(out, b)
		case *Item:
			b := textBlock(n, src)
			b.Kind, b.Label, b.InClause = BlockItem, n.Label, inClause
			out = append(out, b)
		case *Bullet:
			b := textBlock(n, src)
			b.Kind, b.Label, b.InClause = BlockBullet, n.Glyph, inClause
			out = append(out, b)
		case *Footnote:
			b := textBlock(n, src)
			b.Kind, b.Label = BlockFootnote, n.Mark
			out = append(out, b)
		case *Table:
			b := textBlock(n, src)
			b.Kind, b.InClause = BlockTable, inClause
			out = append(out, b)
		case *Container:
			b := textBlock(n, src)
			b.Kind, b.Label = BlockContainer, n.Name
			out = append(out, b)
		default:
			return ast.WalkContinue, nil
		}
		return ast.WalkSkipChildren, nil
	})
	return out
}

// textBlock joins n's lines as linesText does, remembering where each
// line came from.
func textBlock(n ast.Node, src []byte) TextBlock {
	var b TextBlock
	var t []byte
	ls := n.Lines()
	for i := range ls.Len() {
		if i > 0 {
			t = append(t, '\n')
		}
		seg := ls.At(i)
		v := seg.Value(src)
		lead := len(v) - len(bytes.TrimLeftFunc(v, unicode.IsSpace))
		b.lineAt = append(b.lineAt, [2]int{len(t), seg.Start + lead})
		t = append(t, bytes.TrimSpace(v)...)
	}
	b.Text = string(t)
	return b
}
