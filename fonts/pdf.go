package fonts

import (
	"fmt"
	"sync"

	"github.com/go-fonts/liberation/liberationserifbold"
	"github.com/go-fonts/liberation/liberationserifregular"
)

// pdfFaces are the faces render embeds in every PDF (render/pdf.go,
// render/policypdf.go): a character either lacks prints blank there, while
// pdftotext still extracts it from the text layer.
var pdfFaces = [][]byte{liberationserifregular.TTF, liberationserifbold.TTF}

var (
	pdfCmapsOnce sync.Once
	pdfCmaps     [][]byte
	pdfCmapsErr  error
)

// MissingInPDF returns the runes of rs, in order and each once, that one
// of the PDFs' faces (Liberation Serif Regular and Bold) has no glyph for.
func MissingInPDF(rs []rune) ([]rune, error) {
	pdfCmapsOnce.Do(func() {
		for _, f := range pdfFaces {
			t, err := parseSFNT(f)
			if err != nil {
				pdfCmapsErr = fmt.Errorf("the PDF font: %w", err)
				return
			}
			pdfCmaps = append(pdfCmaps, t["cmap"])
		}
	})
	if pdfCmapsErr != nil {
		return nil, pdfCmapsErr
	}
	var out []rune
	seen := make(map[rune]bool, len(rs))
	for _, cmap := range pdfCmaps {
		have, err := readCmap(cmap, rs)
		if err != nil {
			return nil, fmt.Errorf("the PDF font: %w", err)
		}
		for _, r := range rs {
			if _, ok := have[r]; !ok && !seen[r] {
				seen[r] = true
				out = append(out, r)
			}
		}
	}
	return out, nil
}
