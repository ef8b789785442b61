package render

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/markdown"
	"github.com/yuin/goldmark/util"
)

// PageHTML renders a text as the body of its page, walking its tree of
// blocks once (one case per saiasat.Kind): the title line by line; the
// approval stamp line by line (right-aligned by the style sheet); chapters
// as headings above their sections; section headings with ids; clauses
// with their number linking to themselves and to the same clause in the
// other languages; items and bullets indented by their depth, with their
// label or glyph as written; paragraphs; tables as <table> with the first
// row as a header, inside a box that scrolls on a narrow screen; signature
// blocks line by line; footnotes last, in small type. Inline markup is
// markdown.Spans'; every other character is printed as written.
func PageHTML(doc *saiasat.Document, opt markdown.HTMLOptions) ([]byte, error) {
	p := &pageWriter{opt: opt, src: markdown.NewLines(doc.Source)}
	for _, b := range doc.Blocks {
		if err := p.block(b, 0, 0); err != nil {
			return nil, err
		}
	}
	if len(p.notes) > 0 {
		p.w.WriteString("<div class=\"footnotes\">\n")
		p.inNotes = true
		for _, b := range p.notes {
			if err := p.block(b, 0, 0); err != nil {
				return nil, err
			}
		}
		p.w.WriteString("</div>\n")
	}
	return p.w.Bytes(), nil
}

type pageWriter struct {
	opt markdown.HTMLOptions
	src *markdown.Lines
	w   bytes.Buffer
	// notes are the footnotes met on the way, printed at the end
	// (inNotes).
	notes   []*saiasat.Block
	inNotes bool
}

// UnknownKindError is a kind of block a renderer has no case for.
type UnknownKindError struct{ Kind saiasat.Kind }

func (e *UnknownKindError) Error() string {
	return "render: no case for blocks of kind " + e.Kind.String()
}

// block writes b and its children; parent is b's parent's kind (0 at the
// top), depth the list depth of an item or bullet.
func (p *pageWriter) block(b *saiasat.Block, parent saiasat.Kind, depth int) error {
	w := &p.w
	switch b.Kind {
	case saiasat.KindTitle:
		w.WriteString(`<p class="doc-title">`)
		p.lines(b.Text)
		w.WriteString("</p>\n")
	case saiasat.KindApproval:
		w.WriteString(`<div class="approval" id="` + esc(b.ID) + `"><p>`)
		p.lines(b.Text)
		w.WriteString("</p></div>\n")
	case saiasat.KindSignature:
		w.WriteString(`<div class="signature" id="` + esc(b.ID) + `"><p>`)
		p.lines(b.Text)
		w.WriteString("</p></div>\n")
	case saiasat.KindChapter:
		w.WriteString(`<h2 class="chapter" id="` + esc(b.ID) + `">`)
		w.WriteString(esc(joinLabel(b.Label, b.Text)))
		w.WriteString("</h2>\n")
	case saiasat.KindSection:
		// Under a chapter a section is one level below it.
		tag := "h2"
		if parent == saiasat.KindChapter {
			tag = "h3"
		}
		w.WriteString("<" + tag + ` id="` + esc(b.ID) + `">`)
		w.WriteString(esc(joinLabel(b.Label, b.Text)))
		w.WriteString("</" + tag + ">\n")
	case saiasat.KindClause:
		id := esc(b.ID)
		w.WriteString(`<div class="clause" id="` + id + `"><a class="num" href="` + esc(p.opt.NumPrefix+"#"+b.ID) + `">` + esc(b.Label) + `</a>`)
		for _, l := range p.opt.OtherLangs {
			w.WriteString(` <a class="other-lang" lang="` + l.Lang + `" hreflang="` + l.Lang + `" href="` + esc(l.Prefix+"#"+b.ID) + `">` + esc(l.Text) + `</a>`)
		}
		w.WriteString("\n")
		// Its paragraphs and lists in source order (Parts).
		for _, pt := range Parts(p.src, b) {
			switch {
			case pt.Child != nil:
				if err := p.block(pt.Child, b.Kind, 0); err != nil {
					return err
				}
			case pt.Text != "":
				w.WriteString("<p>")
				p.inline(pt.Text)
				w.WriteString("</p>\n")
			}
		}
		w.WriteString("</div>\n")
		return nil
	case saiasat.KindItem:
		// Depth: nesting, and a sub-number ("11.1)") one level more.
		d := depth + 1
		if len(b.Number) > 1 {
			d += len(b.Number) - 1
		}
		class := "item depth" + strconv.Itoa(min(d, 3))
		w.WriteString(`<p class="` + class + `"><span class="label">` + esc(b.Label) + `</span> `)
		return p.rest(b, class, depth+1)
	case saiasat.KindBullet:
		class := "bullet"
		if depth > 0 {
			class += " depth" + strconv.Itoa(min(depth+1, 3))
		}
		w.WriteString(`<p class="` + class + `"><span class="label">` + esc(bulletGlyph(b.Label)) + `</span> `)
		return p.rest(b, class, depth+1)
	case saiasat.KindParagraph:
		w.WriteString(`<p class="para" id="` + esc(b.ID) + `">`)
		return p.rest(b, "para", 0)
	case saiasat.KindTable:
		p.table(b)
	case saiasat.KindFootnote:
		if !p.inNotes {
			p.notes = append(p.notes, b)
			return nil
		}
		w.WriteString(`<p class="footnote" id="` + esc(b.ID) + `"><span class="label">` + esc(b.Label) + `</span> `)
		p.inline(b.Text)
		w.WriteString("</p>\n")
	default:
		return &UnknownKindError{b.Kind}
	}
	return p.children(b, depth)
}

// rest writes b's content after its opening tag, in source order: its
// first paragraph, closing the <p>; then its children and any paragraph
// of its own after them (a <p> of class), at depth.
func (p *pageWriter) rest(b *saiasat.Block, class string, depth int) error {
	parts := Parts(p.src, b)
	if len(parts) > 0 && parts[0].Child == nil {
		p.inline(parts[0].Text)
		parts = parts[1:]
	}
	p.w.WriteString("</p>\n")
	for _, pt := range parts {
		if pt.Child != nil {
			if err := p.block(pt.Child, b.Kind, depth); err != nil {
				return err
			}
			continue
		}
		p.w.WriteString(`<p class="` + class + `">`)
		p.inline(pt.Text)
		p.w.WriteString("</p>\n")
	}
	return nil
}

func (p *pageWriter) children(b *saiasat.Block, depth int) error {
	for _, c := range b.Children {
		if err := p.block(c, b.Kind, depth); err != nil {
			return err
		}
	}
	return nil
}

// lines writes text kept line by line: each line as written, a <br>
// between them.
func (p *pageWriter) lines(text string) {
	for i, l := range strings.Split(text, "\n") {
		if i > 0 {
			p.w.WriteString("<br>\n")
		}
		p.w.WriteString(esc(l))
	}
}

// inline writes text with the format's inline markup.
func (p *pageWriter) inline(text string) {
	var strong bool
	for _, s := range markdown.Spans(text) {
		if s.Strong != strong {
			if strong {
				p.w.WriteString("</strong>")
			} else {
				p.w.WriteString("<strong>")
			}
			strong = s.Strong
		}
		if s.Link != "" {
			p.w.WriteString(`<a href="` + esc(s.Link) + `">` + esc(s.Text) + "</a>")
			continue
		}
		p.w.WriteString(esc(s.Text))
	}
	if strong {
		p.w.WriteString("</strong>")
	}
}

// table writes a pipe table: its first row as the header, the delimiter
// row left out, each cell's text with the inline markup, in a box that
// scrolls sideways on its own when the table is wider than the screen.
func (p *pageWriter) table(b *saiasat.Block) {
	w := &p.w
	w.WriteString(`<div class="table" id="` + esc(b.ID) + `" role="region" tabindex="0"><table>` + "\n")
	rows := TableRows(b.Text)
	for i, r := range rows {
		tag := "td"
		if i == 0 {
			tag = "th"
			w.WriteString("<thead>\n")
		}
		if i == 1 {
			w.WriteString("<tbody>\n")
		}
		w.WriteString("<tr>")
		for _, c := range r {
			w.WriteString("<" + tag + ">")
			p.inline(c)
			w.WriteString("</" + tag + ">")
		}
		w.WriteString("</tr>\n")
		if i == 0 {
			w.WriteString("</thead>\n")
		}
	}
	if len(rows) > 1 {
		w.WriteString("</tbody>\n")
	}
	w.WriteString("</table></div>\n")
}

// TableRows returns the cells of a pipe table's rows, trimmed, the
// delimiter row ("|---|:--:|") left out. A cell's "\|" is a "|" of its
// text, kept as written.
func TableRows(text string) [][]string {
	var rows [][]string
	for _, l := range strings.Split(text, "\n") {
		cells := tableCells(l)
		if isDelimiterRow(cells) {
			continue
		}
		rows = append(rows, cells)
	}
	return rows
}

func tableCells(line string) []string {
	l := strings.TrimSpace(line)
	l = strings.TrimPrefix(l, "|")
	if strings.HasSuffix(l, "|") && !strings.HasSuffix(l, `\|`) {
		l = l[:len(l)-1]
	}
	var cells []string
	start := 0
	for i := 0; i < len(l); i++ {
		switch l[i] {
		case '\\':
			i++
		case '|':
			cells = append(cells, strings.TrimSpace(l[start:i]))
			start = i + 1
		}
	}
	return append(cells, strings.TrimSpace(l[start:]))
}

func isDelimiterRow(cells []string) bool {
	for _, c := range cells {
		if strings.Trim(c, ":-") != "" || !strings.Contains(c, "-") {
			return false
		}
	}
	return len(cells) > 0
}

// bulletGlyph is a bullet's glyph as printed: as written, except the
// ASCII hyphen, which has always been printed as an en dash ("–").
func bulletGlyph(label string) string {
	if label == "-" || label == "" {
		return "–"
	}
	return label
}

// joinLabel is a heading's label and title as one line: "Глава 1.
// Общие положения", "2." for an untitled section.
func joinLabel(label, text string) string {
	switch {
	case label == "":
		return text
	case text == "":
		return label
	}
	return label + " " + text
}

func esc(s string) string { return string(util.EscapeHTML([]byte(s))) }
