package markdown

import (
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// blocksOnly is New's configuration without the inline transformer: the
// same blocks at the same positions, with no inline nodes.
var blocksOnly = goldmark.New(goldmark.WithParser(parser.NewParser(
	parser.WithBlockParsers(
		util.Prioritized(parser.NewATXHeadingParser(), 600),
		util.Prioritized(paragraphParser{parser.NewParagraphParser()}, 1000),
	),
)), goldmark.WithExtensions(Extension))

// ParseBlocks parses src into the block structure ParseAST gives —
// headings, clauses, items, bullets, paragraphs, at the same positions —
// without their inline content. Canonical form and the diff's blocks need
// only the structure, and the inline pass is a third of a parse's time.
func ParseBlocks(src []byte) ast.Node {
	return blocksOnly.Parser().Parse(text.NewReader(src))
}
