package render

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/go-fonts/liberation/liberationserifbold"
	"github.com/go-fonts/liberation/liberationserifregular"
	"github.com/saiasat/saiasat"

	"github.com/saiasat/saiasat/markdown"
)

// PolicyPDFOptions say what a policy PDF is of.
type PolicyPDFOptions struct {
	Lang         saiasat.Lang
	Title        string
	Organization string
	Edition      int
	// Effective is written the local way; EffectiveDate also dates the PDF,
	// so its bytes depend on the release only.
	Effective     string
	EffectiveDate time.Time
	TextHash      saiasat.Hash
	URL           string // this edition's page, for the footer
	Draft         bool
}

// PolicyPDF renders one language of one edition as the printable PDF: a
// title block; on every page a header like the published original's
// (organization, edition, effective date, title, "8 беттің 6-беті" /
// "Страница 6 из 8"); clause numbers with a hanging indent; items and
// bullets indented; justified text; an outline entry per section; the text
// hash and the edition's URL in the footer. The same input gives the same
// bytes.
func PolicyPDF(doc *saiasat.Document, opt PolicyPDFOptions) ([]byte, error) {
	loc, err := NewLocalizer(opt.Lang)
	if err != nil {
		return nil, err
	}
	edition, err := loc.T("PDFEdition", map[string]any{"Edition": opt.Edition})
	if err != nil {
		return nil, err
	}
	effective, err := loc.T("PDFEffective", map[string]any{"Date": opt.Effective})
	if err != nil {
		return nil, err
	}
	hashLine, err := loc.T("PDFTextHash", map[string]any{"Hash": string(opt.TextHash)})
	if err != nil {
		return nil, err
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.AddUTF8FontFromBytes(serif, "", liberationserifregular.TTF)
	pdf.AddUTF8FontFromBytes(serif, "B", liberationserifbold.TTF)
	pdf.SetCreationDate(opt.EffectiveDate)
	pdf.SetModificationDate(opt.EffectiveDate)
	pdf.SetCatalogSort(true)
	pdf.SetMargins(25, 38, 15)
	pdf.SetAutoPageBreak(true, 20)
	pdf.SetTitle(opt.Title, true)
	pdf.SetAuthor(opt.Organization, true)
	pdf.SetSubject(string(opt.TextHash), true)
	pdf.SetCreator("saiasat", true)
	pdf.SetLang(map[saiasat.Lang]string{"kk": "kk-KZ", "ru": "ru-RU"}[opt.Lang])
	pdf.AliasNbPages("{nb}")

	pdf.SetHeaderFunc(func() {
		pdf.SetFont(serif, "", 8.5)
		pdf.SetTextColor(0, 0, 0)
		pdf.SetXY(25, 10)
		// Both the page number and the total in one string: with UTF-8
		// fonts a digit that appears only in the {nb} alias would be missing
		// from the embedded font subset.
		page, _ := loc.T("PDFPage", map[string]any{"Page": pdf.PageNo(), "Pages": "{nb}"})
		left := []string{opt.Organization, effective}
		if opt.Draft {
			// A draft has come into force nowhere: every page says so.
			left[1], _ = loc.T("PDFDraft", nil)
		}
		right := []string{edition, page}
		for i := range left {
			pdf.SetX(25)
			pdf.CellFormat(95, 4.5, left[i], "", 0, "L", false, 0, "")
			pdf.CellFormat(75, 4.5, right[i], "", 1, "R", false, 0, "")
		}
		pdf.SetX(25)
		pdf.MultiCell(170, 4.5, opt.Title, "", "L", false)
		pdf.Line(25, pdf.GetY()+1, 195, pdf.GetY()+1)
		pdf.SetY(38)
	})
	pdf.SetFooterFunc(func() {
		pdf.SetY(-15)
		pdf.SetFont(serif, "", 7.5)
		pdf.SetTextColor(60, 60, 60)
		pdf.CellFormat(0, 4, hashLine, "", 1, "C", false, 0, "")
		if opt.URL != "" {
			pdf.CellFormat(0, 4, opt.URL, "", 0, "C", false, 0, "")
		}
	})
	pdf.AddPage()

	// Title block.
	pdf.SetFont(serif, "B", 14)
	pdf.MultiCell(0, 7, opt.Title, "", "C", false)
	pdf.SetFont(serif, "", 10)
	pdf.MultiCell(0, 5, edition+" · "+effective, "", "C", false)
	if opt.Draft {
		draft, _ := loc.T("PDFDraft", nil)
		pdf.SetTextColor(170, 0, 0)
		pdf.MultiCell(0, 5, draft, "", "C", false)
		pdf.SetTextColor(0, 0, 0)
	}
	pdf.Ln(4)

	const lh = 5.2
	for _, s := range doc.Sections {
		pdf.SetFont(serif, "B", 11.5)
		heading := s.Title
		if s.Number > 0 {
			heading = fmt.Sprintf("%d. %s", s.Number, s.Title)
		}
		// A flat outline: nested outlines get /Count 0, which strict
		// validators refuse. SetFont first: only then is the title UTF-16.
		pdf.Bookmark(heading, 0, -1)
		pdf.MultiCell(0, 6, heading, "", "C", false)
		pdf.Ln(1)
		for _, c := range s.Clauses {
			lead, items := clauseParts(c)
			pdf.SetFont(serif, "B", 11)
			w := max(pdf.GetStringWidth(c.Label)+2.5, 12)
			x := pdf.GetX()
			pdf.CellFormat(w, lh, c.Label, "", 0, "L", false, 0, "")
			pdf.SetFont(serif, "", 11)
			pdf.SetX(x + w)
			pdf.MultiCell(0, lh, lead, "", "J", false)
			for _, it := range items {
				pdf.SetX(x + w + 4*float64(it.depth-1))
				lw := max(pdf.GetStringWidth(it.label)+2, 7)
				pdf.CellFormat(lw, lh, it.label, "", 0, "L", false, 0, "")
				pdf.MultiCell(0, lh, it.text, "", "J", false)
			}
			pdf.Ln(1.5)
		}
		pdf.Ln(2)
	}
	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		return nil, fmt.Errorf("render %s PDF: %w", opt.Lang, err)
	}
	return b.Bytes(), nil
}

type pdfItem struct {
	label, text string
	depth       int
}

// clauseParts splits a clause into its lead text and its items and
// bullets, as the reader reads them (markdown.Plain): the markup's
// delimiters dropped, every other character printed as written, the lines
// of a block joined by a space.
func clauseParts(c *saiasat.Clause) (string, []pdfItem) {
	var lead []string
	var items []pdfItem
	var lines [][]string // the source lines of each item, for Plain
	for _, line := range strings.Split(c.Body, "\n") {
		b := []byte(line)
		switch {
		case markdown.ItemLabel(b) > 0:
			n := markdown.ItemLabel(b)
			items = append(items, pdfItem{label: line[:n], depth: strings.Count(line[:n], ".") + 1})
			lines = append(lines, []string{strings.TrimSpace(line[n:])})
		case markdown.BulletLabel(b) > 0:
			items = append(items, pdfItem{label: "–", depth: 1})
			lines = append(lines, []string{strings.TrimSpace(line[1:])})
		case len(items) > 0:
			lines[len(lines)-1] = append(lines[len(lines)-1], line)
		default:
			lead = append(lead, line)
		}
	}
	for i := range items {
		items[i].text = plain(lines[i])
	}
	return plain(lead), items
}

// plain is the text of a block's source lines as a reader reads it, on one
// line.
func plain(lines []string) string {
	return strings.ReplaceAll(markdown.Plain(strings.Join(lines, "\n")), "\n", " ")
}
