package markdown_test

import (
	"os"
	"testing"

	"github.com/saiasat/saiasat/markdown"
	"github.com/yuin/goldmark/ast"
)

// ParseBlocks gives ParseAST's blocks, kind and position, on the bundled
// texts and a text with every kind of block.
func TestParseBlocksSameBlocks(t *testing.T) {
	inputs := map[string][]byte{"mixed": []byte("# Т\n\nкіріспе **қалың** [1](#1.1)\n\n## 1. А\n\n1.1. мәтін:\n1) а;\n- б «___» 20__.\n\n    шегініс\n\n## Б\n")}
	for _, f := range []string{"../policies/privacy/kk.md", "../policies/privacy/ru.md", "../policies/privacy/releases/1/kk.md"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		inputs[f] = b
	}
	type blk struct {
		kind  ast.NodeKind
		pos   int
		depth int
	}
	walk := func(root ast.Node) []blk {
		var out []blk
		var rec func(n ast.Node, d int)
		rec = func(n ast.Node, d int) {
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if c.Type() == ast.TypeBlock {
					out = append(out, blk{c.Kind(), c.Pos(), d})
					rec(c, d+1)
				}
			}
		}
		rec(root, 0)
		return out
	}
	for name, src := range inputs {
		a, b := walk(markdown.ParseAST(src)), walk(markdown.ParseBlocks(src))
		if len(a) != len(b) || len(a) == 0 {
			t.Fatalf("%s: %d blocks, ParseAST %d", name, len(b), len(a))
		}
		for i := range a {
			if a[i] != b[i] {
				t.Errorf("%s: block %d is %v, ParseAST's %v", name, i, b[i], a[i])
			}
		}
	}
}
