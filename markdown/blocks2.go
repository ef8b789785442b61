package markdown

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// containerParser opens a Container on "::: name" at the top level and
// keeps every line up to the closing ":::" as written: its lines are not
// parsed, so a form's blanks and a stamp's layout survive.
type containerParser struct{}

func (containerParser) Trigger() []byte { return []byte{':'} }

func (containerParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	if parent.Kind() != ast.KindDocument {
		return nil, parser.NoChildren
	}
	line, _ := reader.PeekLine()
	name, ok := Fence(line)
	if !ok || name == "" {
		return nil, parser.NoChildren
	}
	reader.AdvanceToEOL()
	return &Container{Name: name}, parser.NoChildren
}

func (containerParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	line, segment := reader.PeekLine()
	if line == nil {
		return parser.Close
	}
	if name, ok := Fence(line); ok && name == "" {
		node.(*Container).Closed = true
		reader.AdvanceToEOL()
		return parser.Close
	}
	node.Lines().Append(segment)
	reader.AdvanceToEOL()
	return parser.Continue | parser.NoChildren
}

func (containerParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {}
func (containerParser) CanInterruptParagraph() bool                                { return true }
func (containerParser) CanAcceptIndentedLine() bool                                { return true }

// tableParser opens a Table on a "|" row followed by a delimiter row
// ("|---|---|"), at the top level or in a clause, and keeps its rows until
// a line that is not one.
type tableParser struct{}

func (tableParser) Trigger() []byte { return []byte{'|'} }

func (tableParser) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	if onOpeningLine(parent, reader) {
		return nil, parser.NoChildren
	}
	switch parent.(type) {
	case *ast.Document, *Clause:
	default:
		return nil, parser.NoChildren
	}
	line, segment := reader.PeekLine()
	if !IsTableRow(line) || IsTableDelimiter(line) {
		return nil, parser.NoChildren
	}
	// The next line must be the delimiter row; it starts where this
	// line's segment stops.
	src := reader.Source()
	next := src[min(segment.Stop, len(src)):]
	if i := bytes.IndexByte(next, '\n'); i >= 0 {
		next = next[:i]
	}
	if !IsTableDelimiter(next) {
		return nil, parser.NoChildren
	}
	node := &Table{}
	node.Lines().Append(segment)
	reader.AdvanceToEOL()
	return node, parser.NoChildren
}

func (tableParser) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	line, segment := reader.PeekLine()
	if util.IsBlank(line) || !IsTableRow(line) {
		return parser.Close
	}
	node.Lines().Append(segment)
	reader.AdvanceToEOL()
	return parser.Continue | parser.NoChildren
}

func (tableParser) Close(node ast.Node, reader text.Reader, pc parser.Context) {}
func (tableParser) CanInterruptParagraph() bool                                { return true }
func (tableParser) CanAcceptIndentedLine() bool                                { return true }
