package docx

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/canon"
	"github.com/saiasat/saiasat/markdown"
)

// Note is something the import did not carry into the text, or carried
// with a decision to confirm: Para is the paragraph's ordinal in the
// document's body (0 for a part outside the body).
type Note struct {
	Para int
	Text string
	Why  string
}

// Result is an imported document.
type Result struct {
	// Text is the source text in canonical form; nil when the document
	// was refused (Refused says why).
	Text []byte
	// Title is the text of paragraphs in the Title style, proposed for
	// policy.yaml rather than put in the text.
	Title string
	// Dropped are paragraphs and parts not imported (headers, footers,
	// comments, the title), Formatting the formatting dropped from
	// paragraphs that were imported.
	Dropped, Formatting []Note
	// Refused lists the tracked changes still in the file.
	Refused []Note
}

// Findings returns the result's reports in check's shape: import/dropped
// and import/formatting warnings, import/tracked-change errors. Line is the
// paragraph's ordinal in the document's body.
func (r *Result) Findings(file string) []saiasat.Finding {
	var fs []saiasat.Finding
	add := func(ns []Note, sev saiasat.Severity, rule, verb string) {
		for _, n := range ns {
			fs = append(fs, saiasat.Finding{Pos: saiasat.Pos{File: file, Line: n.Para, Col: 1}, Severity: sev, Rule: rule,
				Message: fmt.Sprintf("%s %s %q", verb, n.Why, n.Text)})
		}
	}
	add(r.Refused, saiasat.Error, "import/tracked-change", "tracked change")
	add(r.Dropped, saiasat.Warning, "import/dropped", "dropped")
	add(r.Formatting, saiasat.Warning, "import/formatting", "dropped")
	return fs
}

// Import converts a .docx into the source format. It fails only on a file
// that is not a readable .docx; a document with tracked changes still in
// it is refused: Result.Refused names them and Text is nil.
func Import(data []byte) (*Result, error) {
	p, err := openPackage(data)
	if err != nil {
		return nil, err
	}
	res := &Result{}
	if len(p.tracked) > 0 {
		seen := make(map[string]bool)
		for _, t := range p.tracked {
			if seen[t.elem] {
				continue
			}
			seen[t.elem] = true
			n := 0
			for _, u := range p.tracked {
				if u.elem == t.elem {
					n++
				}
			}
			res.Refused = append(res.Refused, Note{t.para, fmt.Sprintf("w:%s ×%d", t.elem, n), "still in the file (accept or reject all changes in Word first):"})
		}
		return res, nil
	}
	for _, f := range p.furniture {
		why := "header"
		switch {
		case strings.Contains(f[0], "footer"):
			why = "footer"
		case strings.Contains(f[0], "comments"):
			why = "comments"
		case strings.Contains(f[0], "endnotes"):
			why = "endnotes"
		}
		res.Dropped = append(res.Dropped, Note{0, f[1], why + " (" + f[0] + ")"})
	}
	nb := &numberer{n: p.numbering, st: p.styles, counters: make(map[string]*counter), begun: make(map[int]bool)}
	for _, it := range p.body {
		if it.p != nil {
			nb.number(it.p)
			continue
		}
		for _, row := range it.t.rows {
			for _, cell := range row {
				for _, cp := range cell {
					nb.number(cp)
				}
			}
		}
	}
	w := &writer{pkg: p, res: res}
	w.body()
	text, err := canon.Format([]byte(strings.Join(w.lines, "\n") + "\n"))
	if err != nil {
		return nil, err
	}
	res.Text = text
	return res, nil
}

// writer turns the body into source lines.
type writer struct {
	*pkg
	res   *Result
	lines []string
	// notes are the footnotes referenced so far, in order: id and mark.
	notes []string
	marks map[string]string
	// items is the stack of open items/bullets (their numbering level) in
	// the current clause: their depth gives the indentation.
	items   []int
	started bool           // a heading or clause has been written
	deepest map[string]int // deepest numbering level used per list
	// clauseList is the list the last clause was numbered in.
	clauseList string
	approval   bool // the approval container is open
}

var (
	flatLabel     = regexp.MustCompile(`^\d+\.$`)
	multiPartItem = regexp.MustCompile(`^\d+(?:\.\d+)+\)$`)
	sectionLabel  = regexp.MustCompile(`^(?:\d+\.?|[IVXLC]+\.)$`)
	chapterRe     = regexp.MustCompile(`(?i)^(?:глава|раздел|бөлім)\s+\S+|^\d+-(?:тарау|бөлім)`)
	superDigits   = []string{"⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"}
	bulletGlyphs  = []string{"-", "•", "▪", "–", "—", "●", "◦", "·"}
)

func (w *writer) emit(lines ...string) { w.lines = append(w.lines, lines...) }

// blank ends the current block: items stop nesting, the next block starts
// after a blank line.
func (w *writer) blank() {
	w.items = w.items[:0]
	if len(w.lines) > 0 && w.lines[len(w.lines)-1] != "" {
		w.emit("")
	}
}

func (w *writer) body() {
	w.marks = make(map[string]string)
	for i, it := range w.pkg.body {
		if it.t != nil {
			w.closeApproval()
			w.table(it.t)
			continue
		}
		w.para(it.p, i)
	}
	w.closeApproval()
	if len(w.notes) > 0 {
		w.blank()
		for _, id := range w.notes {
			var parts []string
			for _, np := range w.footnotes[id] {
				if t := strings.TrimSpace(w.inline(np)); t != "" {
					parts = append(parts, t)
				}
			}
			w.emit(w.marks[id]+" "+strings.Join(parts, " "), "")
		}
	}
	// A footnote no paragraph refers to is not printed by Word: said.
	var ids []string
	for id := range w.footnotes {
		if _, ok := w.marks[id]; !ok {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		var parts []string
		for _, np := range w.footnotes[id] {
			parts = append(parts, strings.TrimSpace(np.text()))
		}
		if t := strings.TrimSpace(strings.Join(parts, " ")); t != "" {
			w.res.Dropped = append(w.res.Dropped, Note{0, t, "footnote " + id + " no paragraph refers to"})
		}
	}
}

func (w *writer) closeApproval() {
	if w.approval {
		w.emit(":::", "")
		w.approval = false
	}
}

// para writes one body paragraph.
func (w *writer) para(p *para, idx int) {
	stName := w.styles.name(p.style)
	text := w.inline(p)
	plain := strings.TrimSpace(p.text())
	if plain == "" && !p.numbered {
		return
	}
	outline := p.outline
	if outline < 0 {
		outline = w.styles.outline(p.style)
	}
	// Lines broken inside a paragraph (Shift+Enter) stay lines; white space
	// inside a line is collapsed, except the spaces that open it (after a
	// number, or an item's indentation as typed).
	var ls []string
	for i, l := range strings.Split(text, "\n") {
		f := strings.Join(strings.Fields(l), " ")
		if i == 0 {
			f = leadingSpaces(strings.ReplaceAll(l, "\t", " ")) + f
		}
		ls = append(ls, f)
	}
	flat := strings.Join(ls, "\n")
	if !p.numbered {
		if t := strings.TrimLeft(flat, " "); !(markdown.ItemLabel([]byte(t)) > 0 || isLetterItem(t) || isBullet(t)) {
			flat = t
		}
	}
	switch {
	case stName == "title" || stName == "subtitle":
		w.res.Title = strings.TrimSpace(strings.Join([]string{w.res.Title, plainText(flat)}, " "))
		w.res.Dropped = append(w.res.Dropped, Note{p.n, plainText(flat), "title paragraph, proposed for policy.yaml:"})
		return
	case !w.started && (p.jc == "right" || p.jc == "end") && !p.numbered:
		// The approval stamp: right-aligned lines before the text begins.
		if !w.approval {
			w.blank()
			w.emit("::: approval")
			w.approval = true
		}
		for _, l := range strings.Split(text, "\n") {
			if l = strings.TrimSpace(plainText(l)); l != "" {
				w.emit(l)
			}
		}
		return
	}
	w.closeApproval()
	label := strings.TrimSpace(p.label)
	heading := outline >= 0 || (p.numbered && !p.bullet && chapterRe.MatchString(label)) ||
		(p.numbered && p.numLevel == 0 && sectionLabel.MatchString(label) && w.hasDeeper(p))
	switch {
	case heading && outline == 0 && label == "" && !w.started:
		w.blank()
		if n := len(w.lines); n >= 2 && w.lines[n-1] == "" && strings.HasPrefix(w.lines[n-2], "# ") {
			w.lines = w.lines[:n-1] // title lines go together
		}
		w.emit("# "+plainText(flat), "")
		return
	case heading:
		w.started = true
		w.blank()
		h := plainText(flat)
		if label != "" {
			h = strings.TrimRight(label+" "+h, " ")
		}
		w.emit("## "+h, "")
		return
	case p.numbered && p.bullet:
		w.emit(w.indent(p) + bulletGlyph(label) + " " + flat)
		return
	case p.numbered && label != "":
		lb := []byte(label + " x")
		// A clause: "3.12.1."; or, in a list of "1." "2." … at its top level
		// that is not an item list inside a clause, a clause of flat
		// numbering (FORMAT-V2 rule 6).
		flatClause := p.numLevel == 0 && flatLabel.MatchString(label) && (w.clauseList == "" || w.clauseList == p.numKey)
		if (markdown.ClauseLabel(lb) > 0 && !strings.HasSuffix(label, ")")) || flatClause {
			w.started = true
			w.clauseList = p.numKey
			w.blank()
			w.emit(label+" "+flat, "")
			return
		}
		// An item: "1)", "а)", "11.1)", or a numbered list in a clause. A
		// label of several parts ("11.1)") says its level itself and is
		// written flush, as the policies write it.
		ind := w.indent(p)
		if multiPartItem.MatchString(label) {
			ind = ""
		}
		w.emit(ind + label + " " + flat)
		return
	}
	// Unnumbered text: a label typed by hand stays as written.
	t := strings.TrimLeft(flat, " ")
	b := []byte(t)
	if markdown.ItemLabel(b) > 0 || isLetterItem(t) || isBullet(t) {
		w.attach()
		w.items = w.items[:0]
		w.emit(flat)
		return
	}
	if strings.HasPrefix(flat, ":::") {
		// A container (a signature block) written as one paragraph.
		w.blank()
		w.emit(flat, "")
		return
	}
	if markdown.ClauseLabel(b) > 0 {
		w.started = true
	}
	w.blank()
	w.emit(flat, "")
}

// hasDeeper reports whether p's list has paragraphs at deeper levels: then
// a one-part "N." at its top level is a section, not an item.
func (w *writer) hasDeeper(p *para) bool {
	if w.deepest == nil {
		w.deepest = make(map[string]int)
		for _, it := range w.pkg.body {
			if q := it.p; q != nil && q.numbered && !q.bullet {
				w.deepest[q.numKey] = max(w.deepest[q.numKey], q.numLevel)
			}
		}
	}
	return w.deepest[p.numKey] > p.numLevel
}

// indent returns the indentation of an item or bullet: three spaces per
// item above it in the clause (FORMAT-V2 rule 7).
func (w *writer) indent(p *para) string {
	// Drop the items at the same or a deeper level: they are siblings'
	// children or siblings.
	w.attach()
	for len(w.items) > 0 && w.items[len(w.items)-1] >= p.numLevel {
		w.items = w.items[:len(w.items)-1]
	}
	depth := len(w.items)
	w.items = append(w.items, p.numLevel)
	return strings.Repeat("   ", depth)
}

// attach makes the next line follow the one before: items follow their
// clause without a blank line.
func (w *writer) attach() {
	if n := len(w.lines); n > 1 && w.lines[n-1] == "" && !strings.HasPrefix(w.lines[n-2], "#") && !strings.HasPrefix(w.lines[n-2], "|") {
		w.lines = w.lines[:n-1]
	}
}

func leadingSpaces(s string) string {
	return s[:len(s)-len(strings.TrimLeft(s, " "))]
}

// isLetterItem reports whether s starts with a letter label: "а) ", "b) ".
func isLetterItem(s string) bool {
	r := []rune(s)
	return len(r) >= 3 && r[1] == ')' && r[2] == ' ' && (strings.ContainsRune("аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя", r[0]) || (r[0] >= 'a' && r[0] <= 'z'))
}

// bulletGlyph maps a bullet level's glyph to one the format prints: Word's
// Symbol-font bullet (U+F0B7) and the like become "•".
func bulletGlyph(g string) string {
	g = strings.TrimSpace(g)
	if slices.Contains(bulletGlyphs, g) {
		return g
	}
	switch g {
	case "o", "\uf06f":
		return "◦"
	case "\uf0a7", "\uf06e", "■":
		return "▪"
	}
	return "•"
}

// inline returns a paragraph's text with bold as **…**, footnote marks as
// superscript digits, and records the formatting it drops.
func (w *writer) inline(p *para) string {
	var b strings.Builder
	bold := false
	var dropped []string
	// Headings are bold by their style: no markers there.
	heading := w.styles.outline(p.style) >= 0 || p.outline >= 0
	for _, r := range p.runs {
		if r.hiddenText {
			// Hidden text is not what a reader sees: left out, and said.
			if strings.TrimSpace(r.text) != "" && p.n > 0 {
				w.res.Dropped = append(w.res.Dropped, Note{p.n, strings.TrimSpace(r.text), "hidden text"})
			}
			continue
		}
		t := r.text
		if r.footnote {
			t = w.footnoteMarks(t)
		}
		wantBold := r.bold && !heading
		if strings.TrimSpace(t) == "" {
			wantBold = bold // white space does not open or close bold
		}
		if wantBold != bold {
			// Markers hug the text: spaces go outside them.
			cur := b.String()
			trail := cur[len(strings.TrimRight(cur, " ")):]
			b.Reset()
			b.WriteString(strings.TrimRight(cur, " "))
			if bold {
				b.WriteString("**")
				b.WriteString(trail)
			} else {
				b.WriteString(trail)
				lead := leadingSpaces(t)
				b.WriteString(lead)
				t = t[len(lead):]
				b.WriteString("**")
			}
			bold = wantBold
		}
		b.WriteString(t)
		if strings.TrimSpace(r.text) != "" {
			if r.italic && !slices.Contains(dropped, "italics") {
				dropped = append(dropped, "italics")
			}
			if r.underline && !slices.Contains(dropped, "underline") {
				dropped = append(dropped, "underline")
			}
			if r.strike && !slices.Contains(dropped, "strikethrough") {
				dropped = append(dropped, "strikethrough")
			}
		}
	}
	out := b.String()
	if bold {
		trimmed := strings.TrimRight(out, " ")
		out = trimmed + "**" + out[len(trimmed):]
	}
	out = strings.ReplaceAll(out, "\t", " ")
	out = strings.ReplaceAll(out, "****", "")
	if len(dropped) > 0 && p.n > 0 {
		w.res.Formatting = append(w.res.Formatting, Note{p.n, plainText(strings.TrimSpace(out)), strings.Join(dropped, ", ") + " in"})
	}
	return out
}

// footnoteMarks turns the references in t (NUL id NUL) into marks: ¹, ², …
// in the order of first reference.
func (w *writer) footnoteMarks(t string) string {
	for {
		i := strings.IndexByte(t, 0)
		if i < 0 {
			return t
		}
		j := strings.IndexByte(t[i+1:], 0)
		if j < 0 {
			return t
		}
		id := t[i+1 : i+1+j]
		mark, ok := w.marks[id]
		if !ok {
			n := len(w.notes) + 1
			for _, d := range fmt.Sprint(n) {
				mark += superDigits[d-'0']
			}
			w.marks[id] = mark
			w.notes = append(w.notes, id)
		}
		t = t[:i] + mark + t[i+2+j:]
	}
}

// table writes a GFM pipe table: the first row is the header.
func (w *writer) table(t *table) {
	w.blank()
	width := 0
	for _, r := range t.rows {
		width = max(width, len(r))
	}
	if width == 0 {
		return
	}
	row := func(cells [][]*para) string {
		var out []string
		for i := 0; i < width; i++ {
			var parts []string
			if i < len(cells) {
				for _, cp := range cells[i] {
					s := strings.TrimSpace(w.inline(cp))
					if cp.label != "" {
						s = strings.TrimSpace(cp.label) + " " + s
					}
					if s = strings.Join(strings.Fields(s), " "); s != "" {
						parts = append(parts, s)
					}
				}
			}
			out = append(out, strings.ReplaceAll(strings.Join(parts, " "), "|", "\\|"))
		}
		return "| " + strings.Join(out, " | ") + " |"
	}
	w.emit(row(t.rows[0]))
	w.emit("|" + strings.Repeat("---|", width))
	for _, r := range t.rows[1:] {
		w.emit(row(r))
	}
	w.emit("")
}

// plainText drops the ** markers (headings and the title are bold by
// their style).
func plainText(s string) string { return strings.ReplaceAll(s, "**", "") }
