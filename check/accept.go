package check

import (
	"fmt"
	"strings"

	"github.com/saiasat/saiasat"
)

// accept marks the findings that p.Accept accepts, with the reason, and
// reports each acceptance that accepts nothing (meta/unused-accept): one
// left behind when the clause was mended or renumbered would otherwise
// silence the next true finding there.
func accept(p *saiasat.Policy, fs []saiasat.Finding) []saiasat.Finding {
	used := make([]bool, len(p.Accept))
	for i := range fs {
		f := &fs[i]
		if strings.HasPrefix(f.Rule, "meta/") {
			continue
		}
		for k, a := range p.Accept {
			doc := p.Docs[a.Lang]
			if doc == nil || f.Rule != a.Rule || f.Pos.File != doc.File || !strings.Contains(f.Message, a.Text) || !placed(doc, a, f.Pos.Line) {
				continue
			}
			f.Accepted = a.Reason
			used[k] = true
			break
		}
	}
	for k, a := range p.Accept {
		if !used[k] {
			what := a.Rule + " in " + string(a.Lang) + " " + a.Number.String()
			if a.Block != "" {
				what = a.Rule + " in " + string(a.Lang) + " block " + a.Block
			}
			if a.Text != "" {
				what += fmt.Sprintf(" with %q", a.Text)
			}
			fs = append(fs, saiasat.Finding{Pos: a.Pos, Severity: saiasat.Warning, Rule: "meta/unused-accept",
				Message: "accepts no finding (" + what + "): remove it, or correct its rule, lang, clause, block or text"})
		}
	}
	return fs
}

// blockAt returns the number of the clause, or else the numbered section,
// whose text holds line: the last one that starts at or before it.
func blockAt(doc *saiasat.Document, line int) saiasat.Number {
	var n saiasat.Number
	saiasat.WalkBlocks(doc.Blocks, func(b *saiasat.Block) bool {
		if b.Pos.Line > line {
			return false
		}
		if (b.Kind == saiasat.KindSection || b.Kind == saiasat.KindClause) && len(b.Number) > 0 {
			n = b.Number
		}
		return true
	})
	return n
}

// placed reports whether line is where a accepts findings: in its block
// (the innermost block holding the line has a.Block's ID, as a clause
// acceptance names the innermost numbered block), or else in its clause
// or section.
func placed(doc *saiasat.Document, a saiasat.Acceptance, line int) bool {
	if a.Block != "" {
		return innermost(doc, line) == a.Block
	}
	return blockAt(doc, line).Equal(a.Number)
}

// innermost returns the ID of the deepest block whose lines hold line, or
// "" when none does.
func innermost(doc *saiasat.Document, line int) string {
	id := ""
	saiasat.WalkBlocks(doc.Blocks, func(b *saiasat.Block) bool {
		if b.Pos.Line > line || b.EndLine < line {
			return false // neither it nor its children hold the line
		}
		id = b.ID
		return true
	})
	return id
}
