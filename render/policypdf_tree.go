package render

import (
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/markdown"
)

// treePDF prints a text's tree of blocks, one case per saiasat.Kind, with
// the drawing the PDF had before the tree for the kinds a text had then
// (so edition 1's PDF keeps its bytes): the text's own title (unless the
// title block printed it), section headings centred, clause numbers with a
// hanging indent, items and bullets indented by depth, justified text;
// then chapters centred above their sections, tables with borders whose
// cells wrap, signature blocks line by line, footnotes last in small type.
// The approval stamp is printed before the title block (approvalPDF).
type treePDF struct {
	pdf      *fpdf.Fpdf
	src      *markdown.Lines
	opt      PolicyPDFOptions
	left     float64
	sections int
	first    bool // the next block is the text's first
	// notes are the footnotes met on the way, printed last (inNotes).
	notes   []*saiasat.Block
	inNotes bool
}

const pdfLH = 5.2

// approvalPDF prints the text's approval stamps right-aligned at the top
// of the first page, line by line as written.
func approvalPDF(pdf *fpdf.Fpdf, doc *saiasat.Document) {
	saiasat.WalkBlocks(doc.Blocks, func(b *saiasat.Block) bool {
		if b.Kind != saiasat.KindApproval {
			return true
		}
		pdf.SetFont(serif, "", 10)
		for _, l := range strings.Split(b.Text, "\n") {
			pdf.CellFormat(0, 4.8, l, "", 1, "R", false, 0, "")
		}
		pdf.Ln(4)
		return false
	})
}

func (t *treePDF) print(doc *saiasat.Document) error {
	t.left, _, _, _ = t.pdf.GetMargins()
	t.src = markdown.NewLines(doc.Source)
	t.first = true
	for _, b := range doc.Blocks {
		if err := t.block(b, 0, 0); err != nil {
			return err
		}
		// The stamp is printed above the title block: the text's title
		// after it is still its first block.
		t.first = t.first && b.Kind == saiasat.KindApproval
	}
	if notes := t.notes; len(notes) > 0 {
		t.inNotes = true
		pdf := t.pdf
		pdf.Ln(3)
		y := pdf.GetY()
		pdf.Line(t.left, y, t.left+50, y)
		pdf.Ln(1.5)
		for _, b := range notes {
			if err := t.block(b, 0, 0); err != nil {
				return err
			}
		}
	}
	return nil
}

// block prints b and its children; x and w are the left edge and label
// width of the clause b is in (0 outside clauses), depth b's list depth.
func (t *treePDF) block(b *saiasat.Block, x, w float64) error {
	pdf := t.pdf
	text := strings.ReplaceAll(markdown.Plain(b.Text), "\n", " ")
	switch b.Kind {
	case saiasat.KindTitle:
		// The text's own title: the title block has printed it when
		// policy.yaml says the same.
		if t.first && strings.ReplaceAll(b.Text, "\n", " ") == t.opt.Title {
			return nil
		}
		pdf.SetFont(serif, "B", 14)
		for _, l := range strings.Split(b.Text, "\n") {
			pdf.MultiCell(0, 7, l, "", "C", false)
		}
		pdf.Ln(2)
	case saiasat.KindApproval:
		// Printed at the top by approvalPDF.
	case saiasat.KindChapter:
		t.heading(b, 3, 12.5, 6.5, 1.5)
	case saiasat.KindSection:
		t.heading(b, 2, 11.5, 6, 1)
	case saiasat.KindClause:
		pdf.SetFont(serif, "B", 11)
		pdf.SetX(t.left)
		cw := max(pdf.GetStringWidth(b.Label)+2.5, 12)
		cx := pdf.GetX()
		pdf.CellFormat(cw, pdfLH, b.Label, "", 0, "L", false, 0, "")
		// Its paragraphs and lists in source order (Parts); the first
		// paragraph beside the number, even when empty.
		parts := Parts(t.src, b)
		if len(parts) == 0 || parts[0].Child != nil {
			parts = append([]Part{{}}, parts...)
		}
		for _, pt := range parts {
			if pt.Child != nil {
				if err := t.child(pt.Child, cx, cw, 0); err != nil {
					return err
				}
				continue
			}
			pdf.SetFont(serif, "", 11)
			pdf.SetX(cx + cw)
			pdf.MultiCell(0, pdfLH, strings.ReplaceAll(markdown.Plain(pt.Text), "\n", " "), "", "J", false)
		}
		// The end of a clause: a little space before the next one.
		pdf.Ln(1.5)
		return nil
	case saiasat.KindItem, saiasat.KindBullet:
		return t.listItem(b, x, w, 0)
	case saiasat.KindParagraph:
		return t.rest(b, x, w, 0, func(text string) {
			pdf.SetFont(serif, "", 11)
			pdf.SetX(t.left)
			if x > 0 {
				pdf.SetX(x + w)
			}
			pdf.MultiCell(0, pdfLH, text, "", "J", false)
		})
	case saiasat.KindTable:
		t.table(b, x, w)
	case saiasat.KindFootnote:
		if !t.inNotes {
			t.notes = append(t.notes, b)
			return nil
		}
		pdf.SetFont(serif, "", 8.5)
		pdf.SetX(t.left)
		lw := max(pdf.GetStringWidth(b.Label)+1.5, 4)
		pdf.CellFormat(lw, 4, b.Label, "", 0, "L", false, 0, "")
		pdf.MultiCell(0, 4, text, "", "J", false)
	case saiasat.KindSignature:
		pdf.Ln(2)
		pdf.SetFont(serif, "", 11)
		// Kept line by line as written, blanks included, on one page.
		lines := strings.Split(b.Text, "\n")
		if _, h := pdf.GetPageSize(); pdf.GetY()+float64(len(lines))*6 > h-20 {
			pdf.AddPage()
		}
		for _, l := range lines {
			pdf.SetX(t.left)
			pdf.CellFormat(0, 6, l, "", 1, "L", false, 0, "")
		}
		pdf.Ln(2)
	default:
		return &UnknownKindError{b.Kind}
	}
	return t.children(b, x, w, 0)
}

// heading prints a chapter's or section's line centred in bold, with
// space before it (but for the first), and a bookmark. A flat outline:
// nested outlines get /Count 0, which strict validators refuse. SetFont
// first: only then is the title UTF-16.
func (t *treePDF) heading(b *saiasat.Block, before, size, lineH, after float64) {
	pdf := t.pdf
	if t.sections > 0 {
		pdf.Ln(before)
	}
	t.sections++
	line := joinLabel(b.Label, b.Text)
	pdf.SetFont(serif, "B", size)
	pdf.Bookmark(line, 0, -1)
	pdf.MultiCell(0, lineH, line, "", "C", false)
	pdf.Ln(after)
}

func (t *treePDF) children(b *saiasat.Block, x, w float64, depth int) error {
	for _, c := range b.Children {
		if err := t.child(c, x, w, depth); err != nil {
			return err
		}
	}
	return nil
}

func (t *treePDF) child(c *saiasat.Block, x, w float64, depth int) error {
	if c.Kind == saiasat.KindItem || c.Kind == saiasat.KindBullet {
		return t.listItem(c, x, w, depth)
	}
	return t.block(c, x, w)
}

// rest prints b's content in source order (Parts): its first paragraph
// by first (which has printed any label before it), then its children
// and any paragraph of its own after them, the same way.
func (t *treePDF) rest(b *saiasat.Block, x, w float64, depth int, first func(text string)) error {
	parts := Parts(t.src, b)
	if len(parts) == 0 || parts[0].Child != nil {
		parts = append([]Part{{}}, parts...)
	}
	for _, pt := range parts {
		switch {
		case pt.Child != nil:
			if err := t.child(pt.Child, x, w, depth); err != nil {
				return err
			}
		default:
			first(strings.ReplaceAll(markdown.Plain(pt.Text), "\n", " "))
		}
	}
	return nil
}

// listItem prints an item or bullet indented by its depth (nesting, and a
// sub-number "11.1)" one level more), its label or glyph as written.
func (t *treePDF) listItem(b *saiasat.Block, x, w float64, depth int) error {
	pdf := t.pdf
	pdf.SetFont(serif, "", 11)
	d := depth + 1
	if len(b.Number) > 1 {
		d += len(b.Number) - 1
	}
	label := b.Label
	if b.Kind == saiasat.KindBullet {
		label = bulletGlyph(b.Label)
	}
	if x == 0 {
		x, w = t.left, 12
	}
	indent := x + w + 4*float64(d-1)
	pdf.SetX(indent)
	lw := max(pdf.GetStringWidth(label)+2, 7)
	pdf.CellFormat(lw, pdfLH, label, "", 0, "L", false, 0, "")
	more := false
	return t.rest(b, x, w, depth+1, func(text string) {
		if more { // a paragraph of the item after its sub-list
			pdf.SetFont(serif, "", 11)
			pdf.SetX(indent + lw)
		}
		more = true
		pdf.MultiCell(0, pdfLH, text, "", "J", false)
	})
}

// table prints a pipe table with borders: columns as wide as their text
// asks, within the page; each cell's text wraps inside it; the header row
// bold; a row never split across pages.
func (t *treePDF) table(b *saiasat.Block, x, w float64) {
	pdf := t.pdf
	rows := TableRows(b.Text)
	if len(rows) == 0 {
		return
	}
	n := 0
	for _, r := range rows {
		n = max(n, len(r))
	}
	left := t.left
	if x > 0 {
		left = x + w
	}
	pw, _ := pdf.GetPageSize()
	_, _, right, _ := pdf.GetMargins()
	total := pw - right - left
	const fs, lh, pad = 9.5, 4.4, 1.2
	// Widths, as a browser lays out a table: each column gets at least its
	// longest word (min) so no word is cut inside a cell, then a share of
	// what is left in proportion to how much wider its longest cell is
	// (max); a table narrower than the text is widened to it. Only when
	// the longest words alone do not fit are they cut.
	pad2 := 2*pad + 2*pdf.GetCellMargin() + 0.5
	minW, maxW := make([]float64, n), make([]float64, n)
	for i, r := range rows {
		style := ""
		if i == 0 {
			style = "B"
		}
		pdf.SetFont(serif, style, fs)
		for k, c := range r {
			text := markdown.Plain(c)
			maxW[k] = max(maxW[k], pdf.GetStringWidth(text)+pad2)
			for _, w := range strings.Fields(text) {
				minW[k] = max(minW[k], pdf.GetStringWidth(w)+pad2)
			}
		}
	}
	var sumMin, sumMax float64
	for k := range n {
		minW[k] = max(minW[k], pad2+2)
		maxW[k] = max(maxW[k], minW[k])
		sumMin += minW[k]
		sumMax += maxW[k]
	}
	widths := make([]float64, n)
	for k := range n {
		switch {
		case sumMax <= total:
			widths[k] = maxW[k] * total / sumMax
		case sumMin <= total:
			widths[k] = minW[k] + (maxW[k]-minW[k])*(total-sumMin)/(sumMax-sumMin)
		default:
			widths[k] = minW[k] * total / sumMin
		}
	}
	_, ph := pdf.GetPageSize()
	_, _, _, bottom := pdf.GetMargins()
	row := func(i int, r []string) {
		style := ""
		if i == 0 {
			style = "B"
		}
		pdf.SetFont(serif, style, fs)
		cells := make([][]string, n)
		lines := 1
		for k := range n {
			c := ""
			if k < len(r) {
				c = markdown.Plain(r[k])
			}
			cells[k] = pdf.SplitText(c, widths[k]-2*pad)
			lines = max(lines, len(cells[k]))
		}
		h := float64(lines)*lh + 2*pad
		// A row is never split across pages. The header is not repeated
		// on the next page: the PDF prints the text's words once each.
		if pdf.GetY()+h > ph-bottom && i > 0 {
			pdf.AddPage()
		}
		y, cx := pdf.GetY(), left
		for k := range n {
			pdf.Rect(cx, y, widths[k], h, "D")
			for j, l := range cells[k] {
				pdf.SetXY(cx+pad, y+pad+float64(j)*lh)
				pdf.CellFormat(widths[k]-2*pad, lh, l, "", 0, "L", false, 0, "")
			}
			cx += widths[k]
		}
		pdf.SetXY(left, y+h)
	}
	pdf.Ln(1)
	for i, r := range rows {
		row(i, r)
	}
	pdf.Ln(2)
}
