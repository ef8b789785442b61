package render

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/go-fonts/liberation/liberationserifbold"
	"github.com/go-fonts/liberation/liberationserifregular"
	"github.com/saiasat/saiasat/diff"
)

// The serif family is Liberation Serif, metric-compatible with the Times New
// Roman of the published PDF, and it covers every Kazakh letter.
const serif = "LiberationSerif"

// newPDF returns an A4 document with the fonts registered and the bytes made
// deterministic: the same redline gives the same PDF.
func newPDF(stamp time.Time) *fpdf.Fpdf {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes(serif, "", liberationserifregular.TTF)
	pdf.AddUTF8FontFromBytes(serif, "B", liberationserifbold.TTF)
	pdf.SetCreationDate(stamp)
	pdf.SetModificationDate(stamp)
	pdf.SetCatalogSort(true)
	pdf.SetMargins(20, 18, 15)
	pdf.SetAutoPageBreak(true, 18)
	return pdf
}

// RedlinePDF renders the redline as a printable PDF: hashes, what is to be
// approved, the summary, each changed clause in every language with
// deletions struck through in red and insertions underlined in green, and a
// signature block for the sole participant's decision.
func RedlinePDF(r *diff.Result, opt RedlineOptions) ([]byte, error) {
	rl, err := NewRedline(r, opt)
	if err != nil {
		return nil, err
	}
	// The PDF's dates are the target's effective date, so that the bytes
	// depend on the texts only.
	pdf := newPDF(r.To.Effective)
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
		pdf.SetY(-13)
		pdf.SetFont(serif, "", 8)
		pdf.SetTextColor(90, 90, 90)
		// Page number and total in one string on every page: with UTF-8
		// fonts, digits only in the {nb} alias would be missing from the
		// font subset.
		pdf.CellFormat(0, 5, fmt.Sprintf("%s   %d / {nb}", r.To.Version, pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()

	text := func(size float64, style, s string) {
		pdf.SetFont(serif, style, size)
		pdf.SetTextColor(0, 0, 0)
		pdf.MultiCell(0, size*0.5, s, "", "L", false)
	}
	for _, c := range rl.Cols {
		text(15, "B", c.Title+": "+c.PolicyTitle)
	}
	pdf.Ln(2)
	for _, c := range rl.Cols {
		text(9, "", c.FromLabel+": "+string(r.From.Version))
		text(9, "", c.ToLabel+": "+string(r.To.Version))
	}
	pdf.Ln(3)

	// What is to be approved, and the signature block.
	y := pdf.GetY()
	for _, c := range rl.Cols {
		text(11, "B", c.ApprovalHeading)
		s := c.ApprovalText + " " + string(r.To.Version)
		if !r.To.Released {
			s += "\n" + c.ApprovalDraft
		}
		text(10, "", s)
		pdf.Ln(3)
		text(10, "", c.Signature)
		pdf.Ln(3)
	}
	pdf.Rect(17, y-2, 180, pdf.GetY()-y+2, "D")
	pdf.Ln(4)

	for _, c := range rl.Cols {
		text(11, "B", c.SummaryHeading+" ("+string(c.Lang)+")")
		text(10, "", strings.Join(c.Summary, "; ")+".")
		pdf.Ln(1)
	}
	if rl.HasDrift {
		for _, c := range rl.Cols {
			text(11, "B", c.DriftHeading)
			text(10, "", strings.Join(c.Drift, "; ")+".")
		}
	}
	pdf.Ln(3)

	for _, row := range rl.Rows {
		pdf.SetDrawColor(180, 180, 180)
		pdf.Line(20, pdf.GetY(), 195, pdf.GetY())
		pdf.Ln(1)
		text(11, "B", row.Key)
		for _, cell := range row.Cells {
			if cell.Segs == nil {
				continue
			}
			pdf.SetFont(serif, "B", 9)
			pdf.SetTextColor(80, 80, 80)
			pdf.Write(4.5, string(cell.Lang)+"  "+cell.Head)
			pdf.Ln(5)
			for _, seg := range cell.Segs {
				switch seg.Op {
				case diff.OpDelete:
					pdf.SetFont(serif, "S", 10)
					pdf.SetTextColor(170, 0, 0)
				case diff.OpInsert:
					pdf.SetFont(serif, "U", 10)
					pdf.SetTextColor(0, 110, 0)
				default:
					pdf.SetFont(serif, "", 10)
					pdf.SetTextColor(0, 0, 0)
				}
				pdf.Write(5, seg.Text)
			}
			pdf.Ln(7)
		}
	}
	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		return nil, fmt.Errorf("render redline PDF: %w", err)
	}
	return b.Bytes(), nil
}
