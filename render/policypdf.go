package render

import (
	"bytes"
	"fmt"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"github.com/saiasat/saiasat"
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
	// Approval is one line under the title: who approved and when, with
	// the decision as cited, or that the decision was not recorded; in
	// Lang, told as the pages tell it. "" prints none.
	Approval string
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
	// A draft has come into force nowhere: it says when it is expected to.
	effectiveID := "PDFEffective"
	if opt.Draft {
		effectiveID = "PDFEffectiveDraft"
	}
	effective, err := loc.T(effectiveID, map[string]any{"Date": opt.Effective})
	if err != nil {
		return nil, err
	}
	hashLine, err := loc.T("PDFTextHash", map[string]any{"Hash": string(opt.TextHash)})
	if err != nil {
		return nil, err
	}
	pdf := fpdf.New("P", "mm", "A4", "")
	addSerif(pdf)
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
	approvalPDF(pdf, doc)

	// Title block.
	pdf.SetFont(serif, "B", 14)
	pdf.MultiCell(0, 7, opt.Title, "", "C", false)
	pdf.SetFont(serif, "", 10)
	pdf.MultiCell(0, 5, edition+" · "+effective, "", "C", false)
	if opt.Approval != "" {
		pdf.MultiCell(0, 5, opt.Approval, "", "C", false)
	}
	if opt.Draft {
		draft, _ := loc.T("PDFDraft", nil)
		pdf.SetTextColor(170, 0, 0)
		pdf.MultiCell(0, 5, draft, "", "C", false)
		pdf.SetTextColor(0, 0, 0)
	}
	pdf.Ln(4)

	t := &treePDF{pdf: pdf, opt: opt}
	if err := t.print(doc); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		return nil, fmt.Errorf("render %s PDF: %w", opt.Lang, err)
	}
	return b.Bytes(), nil
}
