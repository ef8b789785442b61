// Package fonts makes the fonts of the PDFs and the web fonts the
// published site brings with it: Liberation Serif and Sans (from
// github.com/go-fonts/liberation) with the characters they lack that the
// texts write (Extra: ⁰ ⁹ ₸) drawn from their own glyphs; for the site,
// cut down to the characters its texts and words use and wrapped as WOFF. A reader's machine may have no font
// with every Kazakh letter (Debian's Liberation 1.07 lacks ә ң қ ұ ү ө),
// and a word set in two typefaces reads as a ransom note.
package fonts

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"fmt"
	"sync"

	"github.com/go-fonts/liberation/liberationsansbold"
	"github.com/go-fonts/liberation/liberationsansregular"
	"github.com/go-fonts/liberation/liberationserifbold"
	"github.com/go-fonts/liberation/liberationserifregular"
)

// Charset is every character the site's fonts carry: Latin (ASCII), the
// Russian alphabet and the nine Kazakh letters, upper and lower case,
// digits, and the punctuation and marks the texts and the pages use.
// TestCharsetCoversTexts checks it against the policies and the message
// files.
var Charset = func() []rune {
	var rs []rune
	add := func(lo, hi rune) {
		for r := lo; r <= hi; r++ {
			rs = append(rs, r)
		}
	}
	add(0x20, 0x7E)     // ASCII
	add(0x0410, 0x044F) // А–я
	rs = append(rs, 'Ё', 'ё',
		'Ә', 'ә', 'Ғ', 'ғ', 'Қ', 'қ', 'Ң', 'ң', 'Ө', 'ө', 'Ұ', 'ұ', 'Ү', 'ү', 'Һ', 'һ', 'І', 'і',
		'\u00A0', // no-break space: dates and numbers held together
		'«', '»', '„', '“', '”', '‘', '’', '‚',
		'–', '—', '‐', '…', '·', '•', '№', '§', '°', '×', '±',
		// The other bullet glyphs of the format (docs/format.md).
		'▪', '●', '◦',
		// Footnote marks (⁰ and ⁹ are Extra).
		'¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸',
		'→', '€',
	)
	return append(rs, Extra...)
}()

// License is the SIL Open Font License of the Liberation fonts, shipped
// beside the subsets as the licence asks.
//
//go:embed OFL.txt
var License []byte

// Face is one web font of the site.
type Face struct {
	// Family is the CSS family and the font's own name.
	Family string
	// Weight is the CSS font-weight: 400 or 700.
	Weight int
	// File is the file name, with the first 10 hex digits of the
	// content's SHA-256, so it can be cached for good.
	File string
	// WOFF is the font file.
	WOFF []byte
	// Missing lists the characters of Charset the original font has no
	// glyph for, which the browser takes from another font.
	Missing []rune
}

type source struct {
	ttf         []byte
	family, sub string
	weight      int
	fileStem    string
}

var sources = []source{
	{liberationserifregular.TTF, "Saiasat Serif", "Regular", 400, "serif-regular"},
	{liberationserifbold.TTF, "Saiasat Serif", "Bold", 700, "serif-bold"},
	{liberationsansregular.TTF, "Saiasat Sans", "Regular", 400, "sans-regular"},
	{liberationsansbold.TTF, "Saiasat Sans", "Bold", 700, "sans-bold"},
}

var (
	facesOnce sync.Once
	faces     []Face
	facesErr  error
)

// Faces returns the site's web fonts, made once per process
// (BenchmarkMakeFaces: 56 ms on the shared 2-core machine).
func Faces() ([]Face, error) {
	facesOnce.Do(func() { faces, facesErr = makeFaces() })
	return faces, facesErr
}

func makeFaces() ([]Face, error) {
	fonts, err := augmentedSources()
	if err != nil {
		return nil, err
	}
	var out []Face
	for i, s := range sources {
		sub, missing, err := Subset(fonts[i], Charset, Names{Family: s.family, Subfamily: s.sub})
		if err != nil {
			return nil, fmt.Errorf("subset %s %s: %w", s.family, s.sub, err)
		}
		w, err := WOFF(sub)
		if err != nil {
			return nil, fmt.Errorf("woff %s %s: %w", s.family, s.sub, err)
		}
		sum := sha256.Sum256(w)
		out = append(out, Face{Family: s.family, Weight: s.weight, File: s.fileStem + "." + hex.EncodeToString(sum[:5]) + ".woff", WOFF: w, Missing: missing})
	}
	return out, nil
}

// CSS returns the @font-face rules of faces, their URLs relative to dir
// ("fonts/").
func CSS(faces []Face, dir string) string {
	var s string
	for _, f := range faces {
		// Names and files are ASCII letters, digits, dots and spaces: no
		// CSS escaping needed inside the quotes.
		s += fmt.Sprintf(`@font-face { font-family: "%s"; font-style: normal; font-weight: %d; font-display: swap; src: url("%s") format("woff"); }`+"\n", f.Family, f.Weight, dir+f.File)
	}
	return s
}
