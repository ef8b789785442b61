package diff

import "github.com/saiasat/saiasat"

// More kinds of block, from the text's tree (saiasat.Kind). Their text,
// like unnumbered text's, is the blank lines before them and their lines.
const (
	BlockApproval  Block = "approval"
	BlockChapter   Block = "chapter"
	BlockTable     Block = "table"
	BlockFootnote  Block = "footnote"
	BlockSignature Block = "signature"
	// BlockItem and BlockBullet are an item or bullet that stands outside
	// any clause or paragraph (under a heading, or at the top); inside
	// one, they are part of its text.
	BlockItem   Block = "item"
	BlockBullet Block = "bullet"
)

// blockOf says how the diff treats a block of kind k whose parent is of
// kind parent (0 at the top): as a unit of its own, aligned and shown
// alone (unit), or as lines of the unit above it. ok is false for a kind
// the diff does not know: a test walks saiasat.Kinds() through it, so a
// new kind fails that test rather than being dropped.
func blockOf(k, parent saiasat.Kind) (b Block, unit, ok bool) {
	switch k {
	case saiasat.KindTitle:
		return BlockTitle, true, true
	case saiasat.KindApproval:
		return BlockApproval, true, true
	case saiasat.KindChapter:
		return BlockChapter, true, true
	case saiasat.KindSection:
		return BlockHeading, true, true
	case saiasat.KindClause:
		return BlockClause, true, true
	case saiasat.KindParagraph:
		return BlockText, true, true
	case saiasat.KindTable:
		return BlockTable, true, true
	case saiasat.KindFootnote:
		return BlockFootnote, true, true
	case saiasat.KindSignature:
		return BlockSignature, true, true
	case saiasat.KindItem, saiasat.KindBullet:
		b = BlockItem
		if k == saiasat.KindBullet {
			b = BlockBullet
		}
		// Lines of the clause, paragraph or item they list under; a unit
		// of their own under a heading or at the top.
		switch parent {
		case 0, saiasat.KindChapter, saiasat.KindSection, saiasat.KindTitle:
			return b, true, true
		}
		return b, false, true
	}
	return "", false, false
}

// textLike reports whether a block's text (the ops' text) is its lead and
// lines, as unnumbered text's is, rather than a label and the rest
// (clauses) or one "\n" and its lines (the title, headings).
func textLike(b Block) bool {
	switch b {
	case BlockClause, BlockTitle, BlockHeading:
		return false
	}
	return true
}

// knownBlock reports whether b is a block a diff's JSON may name.
func knownBlock(b Block) bool {
	switch b {
	case BlockClause, BlockTitle, BlockHeading, BlockText, BlockApproval, BlockChapter,
		BlockTable, BlockFootnote, BlockSignature, BlockItem, BlockBullet:
		return true
	}
	return false
}

// cut is where a block of the canonical text starts.
type cut struct {
	line  int
	kind  Block
	id    string
	label string
	num   saiasat.Number
}

// treeCuts returns where the units of doc's tree start, in source order:
// every block the diff aligns on its own (blockOf), by its stable ID. A
// kind blockOf does not know is cut as unnumbered text, never dropped
// (TestEveryKindIsAUnitOrLines fails for it).
func treeCuts(doc *saiasat.Document) []cut {
	var cuts []cut
	var walk func(bs []*saiasat.Block, parent saiasat.Kind)
	walk = func(bs []*saiasat.Block, parent saiasat.Kind) {
		for _, b := range bs {
			k, unit, ok := blockOf(b.Kind, parent)
			if !ok {
				k, unit = BlockText, true
			}
			if unit && b.Pos.Line > 0 && (len(cuts) == 0 || cuts[len(cuts)-1].line < b.Pos.Line) {
				c := cut{line: b.Pos.Line, kind: k, id: b.ID, label: b.Label}
				switch k {
				case BlockClause:
					c.num = b.Number
				case BlockHeading:
					if len(b.Number) > 0 {
						c.num = b.Number
					} else {
						c.num = headingNumber(b.Label)
					}
				}
				cuts = append(cuts, c)
			}
			walk(b.Children, b.Kind)
		}
	}
	walk(doc.Blocks, 0)
	return cuts
}
