package markdown

import (
	"github.com/saiasat/saiasat"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Priorities below the paragraph parser (1000) and goldmark's list parser
// (300), so that "1) text" is an item and never an ordered list. Fences and
// footnotes come first: their lines end a clause.
const (
	containerPriority = 80
	footnotePriority  = 90
	clausePriority    = 100
	tablePriority     = 105
	itemPriority      = 110
	bulletPriority    = 120
)

var digitTriggers = []byte("123456789")

// itemTriggers are the first bytes of item labels: digits, Latin letters
// and the lead bytes of the Cyrillic letters (U+0400–U+04FF).
var itemTriggers = append([]byte("123456789abcdefghijklmnopqrstuvwxyz"), 0xD0, 0xD1, 0xD2, 0xD3)

// clauseParser opens a Clause on "3.12.1. text" (or "12. text" in the flat
// scheme) at the top level and keeps it open until the next clause,
// heading, fence or footnote.
type clauseParser struct{ scheme saiasat.Numbering }

func (clauseParser) Trigger() []byte { return digitTriggers }

func (p clauseParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	if parent.Kind() != ast.KindDocument {
		return nil, parser.NoChildren
	}
	line, _ := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 || pos >= len(line) {
		return nil, parser.NoChildren
	}
	n := clauseLabel(line[pos:], p.scheme)
	if n == 0 {
		return nil, parser.NoChildren
	}
	label := string(line[pos : pos+n])
	num, err := saiasat.ParseNumber(label)
	if err != nil {
		return nil, parser.NoChildren
	}
	end := pos + n
	for end < len(line) && (line[end] == ' ' || line[end] == '\t') {
		end++
	}
	reader.Advance(end)
	c := &Clause{Number: num, Label: label}
	_, seg := reader.PeekLine()
	c.textStart = seg.Start
	return c, parser.HasChildren
}

// onOpeningLine reports whether the reader stands at the text of a clause
// on the clause's own line ("3.1. # x", "3.1. - x", "3.1. 1) x"): that
// text is the clause's lead paragraph, printed as written, never a
// heading, bullet or item — a reader of the source sees one line starting
// with a clause number.
func onOpeningLine(parent ast.Node, reader text.Reader) bool {
	c, ok := parent.(*Clause)
	if !ok {
		return false
	}
	_, seg := reader.PeekLine()
	return seg.Start == c.textStart
}

// headingParser is goldmark's ATX heading parser, except on a clause's
// opening line.
type headingParser struct{ parser.BlockParser }

func (p headingParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	if onOpeningLine(parent, reader) {
		return nil, parser.NoChildren
	}
	return p.BlockParser.Open(parent, reader, pc)
}

func (p clauseParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	line, _ := reader.PeekLine()
	if !util.IsBlank(line) && startsTopBlock(line, p.scheme) {
		return parser.Close
	}
	return parser.Continue | parser.HasChildren
}

func (clauseParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {}
func (clauseParser) CanInterruptParagraph() bool                                { return true }
func (clauseParser) CanAcceptIndentedLine() bool                                { return true }

// leafParser holds what Item, Bullet and Footnote share: a leaf block that
// runs until a blank line or the start of another block, with lazy
// continuation lines.
type leafParser struct{ scheme saiasat.Numbering }

func (p leafParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	line, segment := reader.PeekLine()
	if util.IsBlank(line) || startsBlock(line, p.scheme) || (p.scheme == saiasat.NumberingSections && ListItemLabel(line[indent(line):]) > 0 && isClauseChild(node)) {
		return parser.Close
	}
	node.Lines().Append(segment.TrimLeftSpace(reader.Source()))
	reader.AdvanceToEOL()
	return parser.Continue | parser.NoChildren
}

// isClauseChild reports whether n stands in a clause, where "1. text" is
// an item of the sections scheme.
func isClauseChild(n ast.Node) bool {
	_, ok := n.Parent().(*Clause)
	return ok
}

func (leafParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {
	lines := node.Lines()
	if n := lines.Len(); n > 0 {
		last := lines.At(n - 1)
		lines.Set(n-1, last.TrimRightSpace(reader.Source()))
	}
}

func (leafParser) CanInterruptParagraph() bool { return true }
func (leafParser) CanAcceptIndentedLine() bool { return true }

// openLeaf starts a leaf block whose label is n bytes long at the block
// offset, appending the rest of the line as its first text line.
func openLeaf(node ast.Node, n int, reader text.Reader, pc parser.Context) {
	line, segment := reader.PeekLine()
	end := pc.BlockOffset() + n
	for end < len(line) && (line[end] == ' ' || line[end] == '\t') {
		end++
	}
	rest := segment.WithStart(segment.Start + end)
	if !util.IsBlank(line[end:]) {
		node.Lines().Append(rest)
	}
	reader.AdvanceToEOL()
}

// itemParser opens an Item on "1)", "11.1)", a letter "а)" "ә)" "a)", and
// in a clause of the sections scheme on "1.".
type itemParser struct{ leafParser }

func (itemParser) Trigger() []byte { return itemTriggers }

func (p itemParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	if onOpeningLine(parent, reader) {
		return nil, parser.NoChildren
	}
	line, _ := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 || pos >= len(line) {
		return nil, parser.NoChildren
	}
	b := line[pos:]
	node := &Item{Indent: pos}
	n := ItemLabel(b)
	switch {
	case n > 0:
		num, err := saiasat.ParseNumber(string(b[:n-1]))
		if err != nil {
			return nil, parser.NoChildren
		}
		node.Number = num
	default:
		if n, node.Letter = LetterItemLabel(b); n > 0 {
			break
		}
		_, inClause := parent.(*Clause)
		if n = ListItemLabel(b); n == 0 || p.scheme != saiasat.NumberingSections || !inClause {
			return nil, parser.NoChildren
		}
		num, err := saiasat.ParseNumber(string(b[:n-1]))
		if err != nil {
			return nil, parser.NoChildren
		}
		node.Number = num
	}
	node.Label = string(b[:n])
	openLeaf(node, n, reader, pc)
	return node, parser.NoChildren
}

// bulletParser opens a Bullet on "- text", "• text" and the other glyphs.
type bulletParser struct{ leafParser }

func (bulletParser) Trigger() []byte { return []byte{'-', 0xE2, 0xC2} }

func (bulletParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	if onOpeningLine(parent, reader) {
		return nil, parser.NoChildren
	}
	line, _ := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 || pos >= len(line) {
		return nil, parser.NoChildren
	}
	n := BulletLabel(line[pos:])
	if n == 0 {
		return nil, parser.NoChildren
	}
	node := &Bullet{Glyph: string(line[pos : pos+n]), Indent: pos}
	openLeaf(node, n, reader, pc)
	return node, parser.NoChildren
}

// footnoteParser opens a Footnote on a top-level line that starts with a
// mark ("¹", "*") and a space.
type footnoteParser struct{ leafParser }

func (footnoteParser) Trigger() []byte { return []byte{'*', 0xC2, 0xE2} }

func (footnoteParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	if parent.Kind() != ast.KindDocument {
		return nil, parser.NoChildren
	}
	line, _ := reader.PeekLine()
	pos := pc.BlockOffset()
	if pos < 0 || pos >= len(line) {
		return nil, parser.NoChildren
	}
	n := FootnoteLabel(line[pos:])
	if n == 0 {
		return nil, parser.NoChildren
	}
	node := &Footnote{Mark: string(line[pos : pos+n])}
	openLeaf(node, n, reader, pc)
	return node, parser.NoChildren
}
