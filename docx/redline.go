package docx

import (
	"fmt"
	"strings"
	"time"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/diff"
)

// RedlineOptions say who the revisions are by and who approves.
type RedlineOptions struct {
	// Author is the revisions' w:author; Date their w:date.
	Author string
	Date   time.Time
	// Approver names who approves, per language (policy.yaml's approver);
	// the approval block leaves a blank where it is missing.
	Approver map[saiasat.Lang]string
}

// approvalWords are the approval block's words per language.
var approvalWords = map[saiasat.Lang][3]string{
	"kk": {"БЕКІТІЛДІ", "Нұсқа", "Қолы ____________ Күні «___» ____________ 20__ ж."},
	"ru": {"УТВЕРЖДЕНО", "Версия", "Подпись ____________ Дата «___» ____________ 20__ г."},
}

// langNames head each language's part.
var langNames = map[saiasat.Lang]string{"kk": "Қазақ тілінде (kk)", "ru": "На русском языке (ru)", "en": "In English (en)"}

// Redline writes a comparison as a Word document with real revisions:
// every word the diff deleted is a w:del, every word it inserted a w:ins,
// with author and date, so that accepting all changes gives the new
// version's text exactly (each source line one paragraph, headings without
// their # marks) and rejecting all the old one's. Each language is a part
// of its own, after a cover naming both versions by their hashes; each
// part opens with the approval block. Numbers are typed, not automatic:
// a renumbered clause shows its old number deleted and its new inserted.
func Redline(r *diff.Result, opt RedlineOptions) ([]byte, error) {
	if opt.Author == "" {
		opt.Author = "saiasat"
	}
	rw := &redliner{opt: opt, date: opt.Date.UTC().Format("2006-01-02T15:04:05Z")}
	b := &rw.b
	para := func(style, text string, right bool) {
		b.WriteString("<w:p>")
		pProps{style: style, right: right}.write(b)
		textRun(b, text, rPr{}, "t")
		b.WriteString("</w:p>")
	}
	para("Title", fmt.Sprintf("Redline: %s → %s", r.From.Label, r.To.Label), false)
	para("", fmt.Sprintf("A: %s — %s", r.From.Label, r.From.Version), false)
	para("", fmt.Sprintf("B: %s — %s", r.To.Label, r.To.Version), false)
	s := r.Summary
	para("", fmt.Sprintf("added %d, removed %d, modified %d, renumbered %d, moved %d, unchanged %d; headings %d, text %d, metadata %d",
		s.Added, s.Removed, s.Modified, s.Renumbered, s.Moved, s.Unchanged, s.Headings, s.Text, s.Metadata), false)
	// The concordance: what a reference to an old clause number now points
	// at, per language, on the cover.
	for _, ld := range r.Languages {
		if len(ld.Concordance) == 0 {
			continue
		}
		para("Heading2", fmt.Sprintf("Clause numbers, %s: old → new", ld.Lang), false)
		rows := []string{"| A | B | |", "|---|---|---|"}
		for _, c := range ld.Concordance {
			from, to := "—", "—"
			if c.From != nil {
				from = c.From.String()
			}
			if c.To != nil {
				to = c.To.String()
			}
			rows = append(rows, fmt.Sprintf("| %s | %s | %s |", from, to, c.Kind))
		}
		writeTable(b, rows)
	}
	for i, ld := range r.Languages {
		if i > 0 {
			b.WriteString(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`)
		}
		name := langNames[ld.Lang]
		if name == "" {
			name = string(ld.Lang)
		}
		para("Heading1", name, false)
		w := approvalWords[ld.Lang]
		if w[0] == "" {
			w = [3]string{"APPROVED", "Version", "Signature ____________ Date ____________"}
		}
		para("", w[0], true)
		para("", opt.Approver[ld.Lang], true)
		para("", w[1]+": "+string(r.To.Version), true)
		para("", w[2], true)
		// The title, tracked as the metadata changed it.
		if old, new := r.From.Title[ld.Lang], r.To.Title[ld.Lang]; old != "" || new != "" {
			rw.block("Title", diff.WordOps(old, new), false)
		}
		for _, c := range ld.Changes {
			rw.change(&c)
		}
	}
	var extra []related
	if rw.comments.Len() > 0 {
		extra = append(extra, related{"comments.xml", "comments", "comments+xml",
			`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n<w:comments " + wNS + ">" + rw.comments.String() + "</w:comments>"})
	}
	return writePackage(b.String(), "", `<w:trackRevisions/>`, "", fmt.Sprintf("Redline: %s → %s", r.From.Label, r.To.Label), extra...)
}

type redliner struct {
	opt  RedlineOptions
	date string
	b    strings.Builder
	rev  int
	// comments are comments.xml's w:comment elements; note is the comment
	// the next paragraph written carries.
	comments strings.Builder
	ncomment int
	note     string
}

// seg is a piece of a paragraph and what the diff did to it.
type seg struct{ op, text string }

// rpara is a paragraph of the redline: its pieces and what happened to
// its end (a deleted paragraph mark joins it with the next on accepting).
type rpara struct {
	segs []seg
	mark string
}

func (rw *redliner) change(c *diff.Change) {
	ops := c.Ops
	if ops == nil {
		t := c.NewText
		if c.ToLine == 0 {
			t = c.OldText
		}
		ops = []diff.Op{{Op: diff.OpEqual, Text: t}}
	}
	var label []diff.Op
	if c.Block == diff.BlockClause {
		switch {
		case c.FromLine == 0:
			label = []diff.Op{{Op: diff.OpInsert, Text: c.ToLabel}}
		case c.ToLine == 0:
			label = []diff.Op{{Op: diff.OpDelete, Text: c.FromLabel}}
		case c.FromLabel == c.ToLabel:
			label = []diff.Op{{Op: diff.OpEqual, Text: c.ToLabel}}
		default:
			label = []diff.Op{{Op: diff.OpDelete, Text: c.FromLabel}, {Op: diff.OpInsert, Text: c.ToLabel}}
		}
	}
	// What the tracked changes do not show by themselves: a letter swapped
	// for its look-alike (the struck and the inserted letter look the
	// same), a clause moved to another section.
	var notes []string
	if len(c.Fixes) > 0 {
		var fs []string
		for _, f := range c.Fixes {
			s := f.String()
			if f.Count > 1 {
				s += fmt.Sprintf(" ×%d", f.Count)
			}
			fs = append(fs, s)
		}
		notes = append(notes, "look-alike letters or typography: "+strings.Join(fs, ", "))
	}
	if c.Kind == diff.Moved || c.AlsoMoved {
		notes = append(notes, fmt.Sprintf("moved (was %s)", c.From))
	}
	rw.note = strings.Join(notes, "; ")
	rw.block("", append(label, ops...), true)
	rw.note = ""
}

// block writes ops as paragraphs: a "\n" in an op ends a paragraph whose
// mark the op's kind governs.
func (rw *redliner) block(style string, ops []diff.Op, stripHeading bool) {
	paras := []rpara{{mark: diff.OpEqual}}
	for _, op := range ops {
		pieces := strings.Split(op.Text, "\n")
		for i, piece := range pieces {
			cur := &paras[len(paras)-1]
			if piece != "" {
				cur.segs = append(cur.segs, seg{op.Op, piece})
			}
			if i < len(pieces)-1 {
				cur.mark = op.Op
				paras = append(paras, rpara{mark: diff.OpEqual})
			}
		}
	}
	for _, p := range paras {
		st := style
		// A line opening with # marks is a title or heading whatever block
		// the diff put it in: printed in its style, without the marks.
		if stripHeading && len(p.segs) > 0 && p.segs[0].op == diff.OpEqual {
			t := p.segs[0].text
			if h := strings.TrimLeft(t, "#"); h != t && strings.HasPrefix(h, " ") {
				p.segs[0].text = strings.TrimPrefix(h, " ")
				st = "Heading2"
				if len(t)-len(h) == 1 {
					st = "Heading1"
				}
			}
		}
		empty := true
		for _, s := range p.segs {
			empty = empty && s.text == ""
		}
		if empty && p.mark == diff.OpEqual {
			// Blank lines between blocks are not paragraphs.
			continue
		}
		rw.paragraph(st, p)
	}
}

func (rw *redliner) revAttrs() string {
	rw.rev++
	return fmt.Sprintf(`w:id="%d" w:author="%s" w:date="%s"`, rw.rev, esc(rw.opt.Author), rw.date)
}

func (rw *redliner) paragraph(style string, p rpara) {
	b := &rw.b
	b.WriteString("<w:p><w:pPr>")
	if style != "" {
		fmt.Fprintf(b, `<w:pStyle w:val="%s"/>`, style)
	}
	switch p.mark {
	case diff.OpInsert:
		fmt.Fprintf(b, `<w:rPr><w:ins %s/></w:rPr>`, rw.revAttrs())
	case diff.OpDelete:
		fmt.Fprintf(b, `<w:rPr><w:del %s/></w:rPr>`, rw.revAttrs())
	}
	b.WriteString("</w:pPr>")
	if rw.note != "" {
		id := rw.ncomment
		rw.ncomment++
		fmt.Fprintf(&rw.comments, `<w:comment w:id="%d" w:author="%s" w:date="%s" w:initials="s"><w:p>`, id, esc(rw.opt.Author), rw.date)
		textRun(&rw.comments, rw.note, rPr{}, "t")
		rw.comments.WriteString(`</w:p></w:comment>`)
		fmt.Fprintf(b, `<w:commentRangeStart w:id="%d"/><w:commentRangeEnd w:id="%d"/><w:r><w:commentReference w:id="%d"/></w:r>`, id, id, id)
		rw.note = "" // one comment per block, on its first paragraph
	}
	for _, s := range p.segs {
		switch s.op {
		case diff.OpInsert:
			fmt.Fprintf(b, `<w:ins %s>`, rw.revAttrs())
			textRun(b, s.text, rPr{}, "t")
			b.WriteString("</w:ins>")
		case diff.OpDelete:
			fmt.Fprintf(b, `<w:del %s>`, rw.revAttrs())
			textRun(b, s.text, rPr{}, "delText")
			b.WriteString("</w:del>")
		default:
			// Typed as written, ** included: markers an edit split
			// between a deletion and an insertion have no bold to mean.
			textRun(b, s.text, rPr{}, "t")
		}
	}
	b.WriteString("</w:p>")
}
