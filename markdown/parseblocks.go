package markdown

import (
	"github.com/saiasat/saiasat"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// blocksOnly is New's configuration without the inline transformer, per
// scheme: the same blocks at the same positions, with no inline nodes.
var blocksOnly = map[saiasat.Numbering]goldmark.Markdown{
	saiasat.NumberingSections: newBlocksOnly(saiasat.NumberingSections),
	saiasat.NumberingFlat:     newBlocksOnly(saiasat.NumberingFlat),
	saiasat.NumberingNone:     newBlocksOnly(saiasat.NumberingNone),
}

func newBlocksOnly(scheme saiasat.Numbering) goldmark.Markdown {
	return goldmark.New(goldmark.WithParser(parser.NewParser(
		parser.WithBlockParsers(
			util.Prioritized(headingParser{parser.NewATXHeadingParser()}, 600),
			util.Prioritized(paragraphParser{parser.NewParagraphParser()}, 1000),
		),
	)), goldmark.WithExtensions(ExtensionFor(scheme)))
}

// ParseBlocks parses src into the block structure ParseAST gives —
// headings, clauses, items, bullets, paragraphs, tables, footnotes,
// containers, at the same positions — without their inline content.
// Canonical form and the diff's blocks need only the structure, and the
// inline pass is a third of a parse's time.
func ParseBlocks(src []byte, opts ...Option) ast.Node {
	return blocksOnly[getOptions(opts).scheme].Parser().Parse(text.NewReader(spaceTrailing(src)))
}
