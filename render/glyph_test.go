package render_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/saiasat/saiasat/fonts"
	"github.com/saiasat/saiasat/internal/testtool"
	"github.com/saiasat/saiasat/markdown"
	"github.com/saiasat/saiasat/render"
)

// Each character fonts adds to Liberation (⁰ ⁹ ₸) puts ink on the PDF's
// page, as a picture: pdftotext reads a character from the text layer
// whether or not the font draws it, so the words test cannot tell a blank.
// The page of "1.1. Сумма X" must have more dark pixels than that of
// "1.1. Сумма" (pdftoppm, 150 dpi, grey); with Liberation as it is, they
// had the same.
func TestPDFDrawsExtraGlyphs(t *testing.T) {
	pdftoppm := testtool.Require(t, "pdftoppm")
	ink := func(clause string) int {
		t.Helper()
		doc, _ := markdown.Parse("ru.md", "ru", []byte("## 1. А\n\n1.1. "+clause+"\n"))
		pdf, err := render.PolicyPDF(doc, render.PolicyPDFOptions{Lang: "ru", Title: "Т", Organization: "О", Edition: 1, Effective: "16.09.2025 г.",
			EffectiveDate: time.Date(2025, 9, 16, 0, 0, 0, 0, time.UTC), TextHash: "sha256:00"})
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		f := filepath.Join(dir, "doc.pdf")
		if err := os.WriteFile(f, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		if out, err := exec.Command(pdftoppm, "-gray", "-r", "150", "-f", "1", "-l", "1", f, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v\n%s", err, out)
		}
		pgm, err := filepath.Glob(filepath.Join(dir, "page*.pgm"))
		if err != nil || len(pgm) != 1 {
			t.Fatalf("pdftoppm wrote %v (%v)", pgm, err)
		}
		b, err := os.ReadFile(pgm[0])
		if err != nil {
			t.Fatal(err)
		}
		// P5: magic, width, height, maxval, one whitespace, then bytes.
		var w, h, max int
		n, err := fmt.Sscan(string(bytes.TrimPrefix(b, []byte("P5"))), &w, &h, &max)
		if err != nil || n != 3 || max != 255 {
			t.Fatalf("not an 8-bit PGM: %q (%v)", b[:min(len(b), 20)], err)
		}
		px := b[len(b)-w*h:]
		dark := 0
		for _, p := range px {
			if p < 128 {
				dark++
			}
		}
		return dark
	}
	base := ink("Сумма")
	for _, r := range fonts.Extra {
		got := ink("Сумма " + string(r))
		t.Logf("%q: %d dark pixels against %d", r, got, base)
		if got <= base+20 {
			t.Errorf("%q: %d dark pixels, %d without it: the PDF prints it blank", r, got, base)
		}
	}
	// The test can fail: a character no face draws adds no ink.
	if got := ink("Сумма ₽"); got > base+20 {
		t.Errorf("₽, which no face draws, added %d dark pixels to %d: the measure cannot tell a blank", got-base, base)
	}
}
