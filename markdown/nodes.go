package markdown

import (
	"fmt"

	"github.com/saiasat/saiasat"
	"github.com/yuin/goldmark/ast"
)

// The node kinds this package adds to goldmark's AST.
var (
	KindClause    = ast.NewNodeKind("Clause")
	KindItem      = ast.NewNodeKind("ClauseItem")
	KindBullet    = ast.NewNodeKind("ClauseBullet")
	KindFootnote  = ast.NewNodeKind("Footnote")
	KindContainer = ast.NewNodeKind("Container")
	KindTable     = ast.NewNodeKind("Table")
)

// Clause is a numbered clause: a container whose children are its lead
// paragraph, items and bullets.
type Clause struct {
	ast.BaseBlock
	Number saiasat.Number
	// Label is the number as written, with its trailing dot if any.
	Label string
	// textStart is the source offset of the text after the label.
	textStart int
}

// Kind implements ast.Node.
func (n *Clause) Kind() ast.NodeKind { return KindClause }

// Dump implements ast.Node.
func (n *Clause) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Number": n.Number.String()}, nil)
}

// Item is an enumerated item "1) text", "11.1) text", "а) text" or, in a
// clause of the sections scheme, "1. text": a leaf block whose lines hold
// the text after the label.
type Item struct {
	ast.BaseBlock
	// Number is the item's number; nil for a letter item.
	Number saiasat.Number
	// Letter is a letter item's letter; 0 for a numbered item.
	Letter rune
	// Label is the label as written: "1)", "а)", "1.".
	Label string
	// Indent is the label's byte offset in its line: nesting.
	Indent int
}

// Kind implements ast.Node.
func (n *Item) Kind() ast.NodeKind { return KindItem }

// Dump implements ast.Node.
func (n *Item) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Number": n.Number.String()}, nil)
}

// Bullet is a "- text" line (or "• text" …): a leaf block whose lines hold
// the text after the glyph.
type Bullet struct {
	ast.BaseBlock
	// Glyph is the bullet's glyph as written: "-", "•", "–".
	Glyph string
	// Indent is the glyph's byte offset in its line: nesting.
	Indent int
}

// Kind implements ast.Node.
func (n *Bullet) Kind() ast.NodeKind { return KindBullet }

// Dump implements ast.Node.
func (n *Bullet) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, nil, nil)
}

// String helps debugging and error messages.
func (n *Clause) String() string { return fmt.Sprintf("clause %s", n.Number) }

// Footnote is a top-level footnote "¹ text" or "* text": a leaf block whose
// lines hold the text after the mark.
type Footnote struct {
	ast.BaseBlock
	// Mark is the footnote's mark as written: "¹", "**".
	Mark string
}

// Kind implements ast.Node.
func (n *Footnote) Kind() ast.NodeKind { return KindFootnote }

// Dump implements ast.Node.
func (n *Footnote) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Mark": n.Mark}, nil)
}

// Container is a fenced "::: name" … ":::" block whose lines are kept as
// written: an approval stamp or a signature block.
type Container struct {
	ast.BaseBlock
	// Name is the fence's name: "approval", "signature".
	Name string
	// Closed is false when the text ends before the closing ":::".
	Closed bool
}

// Kind implements ast.Node.
func (n *Container) Kind() ast.NodeKind { return KindContainer }

// Dump implements ast.Node.
func (n *Container) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Name": n.Name}, nil)
}

// Table is a GFM pipe table whose rows (header, delimiter, body) are its
// lines, as written.
type Table struct {
	ast.BaseBlock
}

// Kind implements ast.Node.
func (n *Table) Kind() ast.NodeKind { return KindTable }

// Dump implements ast.Node.
func (n *Table) Dump(source []byte, level int) { ast.DumpHelper(n, source, level, nil, nil) }
