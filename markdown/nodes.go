package markdown

import (
	"fmt"

	"github.com/saiasat/saiasat"
	"github.com/yuin/goldmark/ast"
)

// KindClause, KindItem and KindBullet are the node kinds this package adds
// to goldmark's AST.
var (
	KindClause = ast.NewNodeKind("Clause")
	KindItem   = ast.NewNodeKind("ClauseItem")
	KindBullet = ast.NewNodeKind("ClauseBullet")
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

// Item is an enumerated item "1) text" or "11.1) text": a leaf block whose
// lines hold the text after the label.
type Item struct {
	ast.BaseBlock
	Number saiasat.Number
}

// Kind implements ast.Node.
func (n *Item) Kind() ast.NodeKind { return KindItem }

// Dump implements ast.Node.
func (n *Item) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Number": n.Number.String()}, nil)
}

// Bullet is a "- text" line inside a clause: a leaf block whose lines hold
// the text after the dash.
type Bullet struct {
	ast.BaseBlock
}

// Kind implements ast.Node.
func (n *Bullet) Kind() ast.NodeKind { return KindBullet }

// Dump implements ast.Node.
func (n *Bullet) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, nil, nil)
}

// String helps debugging and error messages.
func (n *Clause) String() string { return fmt.Sprintf("clause %s", n.Number) }
