package render

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/diff"
	"github.com/saiasat/saiasat/fonts"
)

// The serif family is Liberation Serif, metric-compatible with the Times New
// Roman of the published PDF, and it covers every Kazakh letter; fonts adds
// the ⁰ ⁹ ₸ it lacks (fonts.Extra) and names it Saiasat Serif.
const serif = "SaiasatSerif"

// addSerif registers the serif faces; a font that cannot be made (a
// broken build) is the document's error, returned by its Output.
func addSerif(pdf *fpdf.Fpdf) {
	reg, bold, err := fonts.PDFSerif()
	if err != nil {
		pdf.SetError(fmt.Errorf("the PDF font: %w", err))
		return
	}
	pdf.AddUTF8FontFromBytes(serif, "", reg)
	pdf.AddUTF8FontFromBytes(serif, "B", bold)
}

// newPDF returns an A4 document with the fonts registered and the bytes made
// deterministic: the same redline gives the same PDF.
func newPDF(stamp time.Time) *fpdf.Fpdf {
	pdf := fpdf.New("P", "mm", "A4", "")
	addSerif(pdf)
	pdf.SetCreationDate(stamp)
	pdf.SetModificationDate(stamp)
	pdf.SetCatalogSort(true)
	pdf.SetMargins(20, 18, 15)
	pdf.SetAutoPageBreak(true, 18)
	return pdf
}

// RedlinePDF renders the redline as a printable PDF, laid out as the HTML
// page: the languages side by side; the version hashes, each with every
// language's text hash; what is to be approved; the summaries, the
// policy.yaml fields and the drift; each changed block in every language,
// deletions struck through in red, insertions underlined in green,
// look-alike fixes highlighted and named, runs of renumbering in one row;
// the concordance of clause numbers; and, after the changes, the signature
// block of the instrument policy.yaml names.
func RedlinePDF(r *diff.Result, opt RedlineOptions) ([]byte, error) {
	rl, err := NewRedline(r, opt)
	if err != nil {
		return nil, err
	}
	// The PDF's dates are the target's effective date, so that the bytes
	// depend on the texts only.
	pdf := newPDF(r.To.Effective)
	pdf.SetMargins(15, 15, 15)
	pdf.SetAutoPageBreak(false, 16)
	pdf.SetCellMargin(0)
	titles := make([]string, len(rl.Cols))
	for i, c := range rl.Cols {
		titles[i] = c.Title + ": " + c.FromLabel + " → " + c.ToLabel
	}
	pdf.SetTitle(strings.Join(titles, " / "), true)
	pdf.SetSubject(fmt.Sprintf("%s → %s", r.From.Version, r.To.Version), true)
	pdf.SetCreator("saiasat", true)
	if len(rl.Cols) > 0 {
		pdf.SetLang(string(rl.Cols[0].Lang))
	}
	pdf.AliasNbPages("{nb}")
	pdf.SetFooterFunc(func() {
		pdf.SetXY(15, -12)
		pdf.SetFont(serif, "", 8)
		pdf.SetTextColor(90, 90, 90)
		// Page number and total in one string on every page: with UTF-8
		// fonts, digits only in the {nb} alias would be missing from the
		// font subset.
		pdf.CellFormat(180, 5, fmt.Sprintf("%s   %d / {nb}", r.To.Version, pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()

	st := setter{pdf}
	full := []column{{15, 180}}
	// Columns: one per language, and a narrow one before them for the
	// row's key in the table of changes.
	n := float64(max(len(rl.Cols), 1))
	var langCols, rowCols []column
	for i := range rl.Cols {
		w := (180 - 3*(n-1)) / n
		langCols = append(langCols, column{15 + float64(i)*(w+3), w})
		w = (180 - 14 - 3*(n-1)) / n
		rowCols = append(rowCols, column{15 + 14 + float64(i)*(w+3), w})
	}
	rowCols = append([]column{{15, 12}}, rowCols...)
	text := func(s string, sty style) []piece { return []piece{{s, sty}} }
	perLang := func(f func(c RedlineCol) []piece) block {
		var b block
		for k, c := range rl.Cols {
			b.cells = append(b.cells, st.set(f(c), langCols[k].w))
		}
		return b
	}
	titleStyle := style{size: 14, font: "B"}
	h2 := style{size: 11, font: "B"}
	hashStyle := style{size: 8}

	draw(pdf, langCols, perLang(func(c RedlineCol) []piece { return text(c.Title+": "+c.PolicyTitle, titleStyle) }))
	// The hashes, full width so that each stays on one line.
	var hashes []piece
	for _, side := range []struct {
		label func(RedlineCol) string
		v     *diff.Version
		text  func(RedlineCol) saiasat.Hash
	}{{func(c RedlineCol) string { return c.FromLabel }, r.From, func(c RedlineCol) saiasat.Hash { return c.FromText }},
		{func(c RedlineCol) string { return c.ToLabel }, r.To, func(c RedlineCol) saiasat.Hash { return c.ToText }}} {
		var labels []string
		for _, c := range rl.Cols {
			labels = append(labels, side.label(c))
		}
		hashes = append(hashes, piece{strings.Join(labels, " / ") + ": " + string(side.v.Version) + "\n", style{size: 8.5, font: "B"}})
		for _, c := range rl.Cols {
			hashes = append(hashes, piece{"    " + c.TextHashLabel + " (" + string(c.Lang) + "): " + string(side.text(c)) + "\n", hashStyle})
		}
	}
	draw(pdf, full, block{cells: [][]pline{st.set(hashes, 180)}})

	// What is to be approved.
	draw(pdf, langCols, perLang(func(c RedlineCol) []piece {
		return []piece{{c.ApprovalHeading + "\n", h2}, {c.ApprovalText, smallStyle}}
	}))
	// The hash whole on one line, where the approver copies it from.
	versionLine := block{cells: [][]pline{st.set(text(string(r.To.Version), style{size: 9.5, font: "B"}), 180)}}
	draw(pdf, full, versionLine)
	if !r.To.Released {
		draw(pdf, langCols, perLang(func(c RedlineCol) []piece {
			return text(c.ApprovalDraft, style{size: 8.5, font: "B", color: [3]int{150, 90, 0}})
		}))
	}
	draw(pdf, langCols, perLang(func(c RedlineCol) []piece {
		return []piece{{c.SummaryHeading + "\n", h2}, {"• " + strings.Join(c.Summary, "\n• "), smallStyle}}
	}))
	if len(rl.Cols) > 0 && len(rl.Cols[0].Meta) > 0 {
		draw(pdf, langCols, perLang(func(c RedlineCol) []piece {
			return []piece{{c.MetaHeading + "\n", h2}, {"• " + strings.Join(c.Meta, "\n• "), smallStyle}}
		}))
	}
	if rl.HasDrift {
		draw(pdf, langCols, perLang(func(c RedlineCol) []piece {
			return []piece{{c.DriftHeading + "\n", h2}, {"• " + strings.Join(c.Drift, "\n• "), smallStyle}}
		}))
	}
	pdf.Ln(2)

	// The changes, row by row.
	if len(rl.Rows) == 0 && len(rl.Cols) > 0 {
		draw(pdf, langCols, perLang(func(c RedlineCol) []piece { return text(c.NoChanges, plainStyle) }))
	}
	for _, row := range rl.Rows {
		b := block{ruled: true, cells: [][]pline{st.set(text(row.Key, style{size: 9, font: "B"}), rowCols[0].w)}}
		for k, cell := range row.Cells {
			var ps []piece
			if cell.Head != "" {
				ps = append(ps, piece{cell.Head + "\n", headStyle})
			}
			if row.Run == 0 {
				for _, seg := range cell.Segs {
					ps = append(ps, piece{seg.Text, segStyle(seg)})
				}
			}
			if cell.Fixes != "" {
				ps = append(ps, piece{"\n" + cell.Fixes, fixStyle})
			}
			b.cells = append(b.cells, st.set(ps, rowCols[k+1].w))
		}
		draw(pdf, rowCols, b)
	}

	// The concordance: old number, then the new one in each language.
	if len(rl.Concordance) > 0 {
		pdf.Ln(3)
		draw(pdf, langCols, perLang(func(c RedlineCol) []piece {
			return []piece{{c.ConcordanceHeading + "\n", h2}, {c.ConcordanceNote, smallStyle}}
		}))
		tcols := []column{{15, 40}}
		for i := range rl.Cols {
			tcols = append(tcols, column{58 + float64(i)*43, 40})
		}
		head := block{ruled: true, cells: [][]pline{st.set(text(strings.Join(colLabels(rl, true), " / "), headStyle), 40)}}
		for _, c := range rl.Cols {
			head.cells = append(head.cells, st.set(text(string(c.Lang)+": "+c.ToLabel, headStyle), 40))
		}
		draw(pdf, tcols, head)
		for _, cr := range rl.Concordance {
			b := block{cells: [][]pline{st.set(text(cr.Old, smallStyle), 40)}}
			for _, nw := range cr.New {
				b.cells = append(b.cells, st.set(text("→ "+nw, smallStyle), 40))
			}
			pdf.SetY(pdf.GetY() - 1.5) // draw leaves room between rows; a table wants none
			// The column headings again on the next page.
			if !roomForRow(pdf) {
				pdf.AddPage()
				draw(pdf, tcols, head)
				pdf.SetY(pdf.GetY() - 1.5)
			}
			draw(pdf, tcols, b)
		}
	}

	// The signature block, after everything the approver signs for.
	pdf.Ln(4)
	sig := perLang(func(c RedlineCol) []piece {
		return []piece{{c.ApprovalHeading + "\n", h2}, {c.ApprovalText, smallStyle}}
	})
	sign := perLang(func(c RedlineCol) []piece { return text(c.Signature, plainStyle) })
	_, pageH := pdf.GetPageSize()
	need := 0.0
	for _, b := range []block{sig, sign} {
		tallest := 0.0
		for _, c := range b.cells {
			h := 0.0
			for _, l := range c {
				h += l.h
			}
			tallest = max(tallest, h)
		}
		need += tallest
	}
	if pdf.GetY()+need+20 > pageH-16 {
		pdf.AddPage()
	}
	y := pdf.GetY()
	pdf.SetY(y + 2)
	draw(pdf, langCols, sig)
	draw(pdf, full, versionLine)
	pdf.Ln(3)
	draw(pdf, langCols, sign)
	if r.To.Released {
		draw(pdf, full, block{cells: [][]pline{st.set(text(fmt.Sprintf("saiasat approve --policy %s --edition %d --hash %s --decision … --date … --approver …", r.To.ID, r.To.Edition, r.To.Version), hashStyle), 176)}})
	}
	pdf.SetDrawColor(60, 60, 60)
	pdf.Rect(13, y, 184, pdf.GetY()-y, "D")

	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		return nil, fmt.Errorf("render redline PDF: %w", err)
	}
	return b.Bytes(), nil
}

// colLabels joins the columns' labels of one side.
func colLabels(rl *Redline, from bool) []string {
	var out []string
	for _, c := range rl.Cols {
		if from {
			out = append(out, c.FromLabel)
		} else {
			out = append(out, c.ToLabel)
		}
	}
	return out
}
