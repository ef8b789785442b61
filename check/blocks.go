package check

import (
	"strings"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/markdown"
)

// kindRules are the rules of each kind of block beyond those every text
// has (text/*, script/*, markup/*, which read every line, and numbering/*
// and parity/*, which walk the tree). Every kind has an entry, nil when it
// has no rule of its own; a kind without one is reported as check/kind, so
// that TestCheckEveryKind fails until the new kind is thought through.
var kindRules = map[saiasat.Kind]func(r *reporter, b *saiasat.Block){
	saiasat.KindTitle:     nil,
	saiasat.KindApproval:  (*reporter).approval,
	saiasat.KindChapter:   nil, // numbering/gap, order, duplicate: chapters()
	saiasat.KindSection:   nil, // numbering/*: sections()
	saiasat.KindClause:    (*reporter).clauseEmpty,
	saiasat.KindItem:      (*reporter).itemEmpty,
	saiasat.KindBullet:    (*reporter).itemEmpty,
	saiasat.KindParagraph: nil,
	saiasat.KindTable:     (*reporter).table,
	saiasat.KindFootnote:  (*reporter).footnote,
	saiasat.KindSignature: nil, // kept as written, blanks and all
}

// blocks runs the rules of each block's kind over the tree.
func (r *reporter) blocks() {
	saiasat.WalkBlocks(r.doc.Blocks, func(b *saiasat.Block) bool {
		rule, ok := kindRules[b.Kind]
		switch {
		case !ok:
			r.add(b.Pos, saiasat.Error, "check/kind", nil, "a %s: check has no rules for this kind of block", b.Kind)
		case rule != nil:
			rule(r, b)
		}
		return true
	})
}

// clauseEmpty reports clause/empty: a number with no text, nor items.
func (r *reporter) clauseEmpty(b *saiasat.Block) {
	if b.Text == "" && len(b.Children) == 0 {
		r.add(b.Pos, saiasat.Error, "clause/empty", nil, "clause %s has no text", b.ID)
	}
}

// itemEmpty reports item/empty: an item label or bullet with no text nor
// nested list.
func (r *reporter) itemEmpty(b *saiasat.Block) {
	if b.Text == "" && len(b.Children) == 0 {
		r.add(b.Pos, saiasat.Error, "item/empty", nil, "%s has no text", blockName(b))
	}
}

// approval reports approval/incomplete: a stamp from which neither the
// decision's number nor its date can be read (saiasat.ParseApproval).
func (r *reporter) approval(b *saiasat.Block) {
	m := saiasat.ParseApproval(b.Text)
	if m.Number == "" && m.Date.IsZero() {
		r.add(b.Pos, saiasat.Warning, "approval/incomplete", nil, "the approval stamp gives neither the decision's number (№ 7) nor its date («15» ноября 2023 года, 2023 жылғы 15 қарашадағы, 15.11.2023)")
	}
}

// table reports table/columns: a row with another number of cells than
// the header row.
func (r *reporter) table(b *saiasat.Block) {
	rows := strings.Split(b.Text, "\n")
	want := len(markdown.TableCells(rows[0]))
	for i, row := range rows[1:] {
		if n := len(markdown.TableCells(row)); n != want {
			pos := b.Pos
			pos.Line += i + 1
			pos.Col = 1 + max(0, strings.Index(string(r.lines.Text(min(pos.Line, r.lines.Count()))), "|"))
			r.add(pos, saiasat.Error, "table/columns", nil, "table %s: this row has %d cells, the header %d", b.ID, n, want)
		}
	}
}

// footnote reports footnote/orphan: a footnote whose mark ("¹", "*") is
// nowhere in the text outside the footnotes.
func (r *reporter) footnote(b *saiasat.Block) {
	found := false
	saiasat.WalkBlocks(r.doc.Blocks, func(x *saiasat.Block) bool {
		if x.Kind != saiasat.KindFootnote && strings.Contains(x.Text, b.Label) {
			found = true
		}
		return !found
	})
	if !found {
		r.add(b.Pos, saiasat.Warning, "footnote/orphan", nil, "footnote %s: its mark %q is nowhere in the text", b.ID, b.Label)
	}
}
