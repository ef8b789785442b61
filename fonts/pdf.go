package fonts

import (
	"fmt"
	"sync"
)

var (
	augmentedOnce sync.Once
	augmented     [][]byte // sources, each with Extra drawn (Augment)
	augmentedErr  error
)

// augmentedSources returns each of sources with Extra drawn, in order,
// made once per process.
func augmentedSources() ([][]byte, error) {
	augmentedOnce.Do(func() {
		for _, s := range sources {
			f, err := Augment(s.ttf, Names{Family: s.family, Subfamily: s.sub})
			if err != nil {
				augmentedErr = fmt.Errorf("%s %s: %w", s.family, s.sub, err)
				return
			}
			augmented = append(augmented, f)
		}
	})
	return augmented, augmentedErr
}

// PDFSerif returns the faces render sets every PDF in: Liberation Serif
// Regular and Bold with the characters of Extra drawn, named "Saiasat
// Serif" as the OFL asks of a modified font.
func PDFSerif() (regular, bold []byte, err error) {
	fs, err := augmentedSources()
	if err != nil {
		return nil, nil, err
	}
	return fs[0], fs[1], nil
}

var (
	pdfCmapsOnce sync.Once
	pdfCmaps     [][]byte
	pdfCmapsErr  error
)

// MissingInPDF returns the runes of rs, in order and each once, that one
// of the PDFs' faces (PDFSerif) has no glyph for. Such a character prints
// blank in the PDF while pdftotext still extracts it from the text layer.
func MissingInPDF(rs []rune) ([]rune, error) {
	pdfCmapsOnce.Do(func() {
		reg, bold, err := PDFSerif()
		if err != nil {
			pdfCmapsErr = err
			return
		}
		for _, f := range [][]byte{reg, bold} {
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
