// Package check holds the rules of `saiasat check`: numbering, kk↔ru parity,
// mixed scripts, text hygiene, links and metadata. Each rule returns
// positioned findings; none changes a text.
package check

import (
	"fmt"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/canon"
	"github.com/saiasat/saiasat/markdown"
)

// Policy runs every rule on p. loadFindings, those of source.Load, are
// included, the findings p.Accept accepts are marked so, and the result is
// sorted.
func Policy(p *saiasat.Policy, loadFindings []saiasat.Finding) []saiasat.Finding {
	fs := append([]saiasat.Finding(nil), loadFindings...)
	for _, lang := range p.Languages {
		if doc := p.Docs[lang]; doc != nil {
			fs = append(fs, Document(doc)...)
		}
	}
	fs = append(fs, Parity(p)...)
	fs = accept(p, fs)
	saiasat.SortFindings(fs)
	return fs
}

// Document runs the rules that need one text only.
func Document(doc *saiasat.Document) []saiasat.Finding {
	r := newReporter(doc)
	r.text()
	r.glyphs()
	r.script()
	r.numbering()
	r.blocks()
	r.links()
	r.markup()
	return r.findings
}

// reporter collects findings for one document, with positions in its view
// (the source without BOM and CR, see canon.View).
type reporter struct {
	doc      *saiasat.Document
	view     []byte
	lines    *markdown.Lines
	findings []saiasat.Finding
}

func newReporter(doc *saiasat.Document) *reporter {
	v := canon.View(doc.Source)
	return &reporter{doc: doc, view: v, lines: markdown.NewLines(v)}
}

// at returns the position of byte offset off of the view.
func (r *reporter) at(off int) saiasat.Pos {
	line, col := r.lines.Pos(off)
	return saiasat.Pos{File: r.doc.File, Line: line, Col: col}
}

func (r *reporter) add(pos saiasat.Pos, sev saiasat.Severity, rule string, fix *saiasat.Fix, format string, args ...any) {
	r.findings = append(r.findings, saiasat.Finding{Pos: pos, Severity: sev, Rule: rule, Message: fmt.Sprintf(format, args...), Fix: fix})
}
