package check

import (
	"unicode"
	"unicode/utf8"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/fonts"
)

// glyphs reports text/glyph: a character the PDFs' fonts cannot draw.
// The PDF would show a blank where the hashed text has the character,
// while pdftotext still extracts it from the text layer, so no test of the
// PDF's words would notice. One finding per occurrence.
func (r *reporter) glyphs() {
	seen := make(map[rune]bool)
	var rs []rune
	for n := 1; n <= r.lines.Count(); n++ {
		line := r.lines.Text(n)
		if !utf8.Valid(line) {
			continue // text/utf8 reports it
		}
		for _, c := range string(line) {
			if !seen[c] && drawn(c) {
				seen[c] = true
				rs = append(rs, c)
			}
		}
	}
	missing, err := fonts.MissingInPDF(rs)
	if err != nil {
		// The fonts are compiled in: only a broken build gets here.
		r.add(saiasat.Pos{File: r.doc.File, Line: 1, Col: 1}, saiasat.Error, "text/glyph", nil, "cannot check the characters against the PDF's font: %v", err)
		return
	}
	if len(missing) == 0 {
		return
	}
	bad := make(map[rune]bool, len(missing))
	for _, c := range missing {
		bad[c] = true
	}
	for n := 1; n <= r.lines.Count(); n++ {
		line := r.lines.Text(n)
		if !utf8.Valid(line) {
			continue
		}
		start := r.lines.Start(n)
		for i, c := range string(line) {
			if bad[c] {
				r.add(r.at(start+i), saiasat.Error, "text/glyph", nil, "%q (%U) is not in the PDF's font (Liberation Serif, with ⁰ ⁹ ₸ added): the PDF would print a blank there; %s", string(c), c, glyphAdvice(c))
			}
		}
	}
}

// drawn reports whether c is a character a font must draw: not a space
// or control character (text/invisible reports the invisible ones).
func drawn(c rune) bool {
	if c < ' ' || unicode.IsSpace(c) {
		return false
	}
	_, inv := invisible(c)
	return !inv
}

func glyphAdvice(c rune) string {
	switch {
	case c == '₽':
		return "write the currency as a word (рубль)"
	case unicode.Is(unicode.Sc, c):
		return "write the currency as a word"
	case 0x2070 <= c && c <= 0x209F:
		return "footnote marks are ¹ to ⁹ and ⁰ (¹⁰, ¹¹ …), or *, **, ***"
	}
	return "write it another way"
}
