package fonts

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// TestFacesBudget: the site's fonts together, every face a page may load,
// stay within 150 KB, and each face has every character of Charset.
func TestFacesBudget(t *testing.T) {
	faces, err := Faces()
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, f := range faces {
		total += len(f.WOFF)
		if len(f.Missing) > 0 {
			t.Errorf("%s %d lacks %q", f.Family, f.Weight, string(f.Missing))
		}
		t.Logf("%s: %d bytes", f.File, len(f.WOFF))
	}
	if total > 150*1024 {
		t.Errorf("the fonts take %d bytes together, over 150 KB", total)
	}
	t.Logf("all fonts: %d bytes", total)
}

// TestSubsetGlyphs reads each subset back with an independent parser
// (golang.org/x/image/font/sfnt) and compares every character's outline
// and advance with the original font's: the cmap, the renumbered glyphs
// and composite glyphs' components all survive.
func TestSubsetGlyphs(t *testing.T) {
	fonts, err := augmentedSources()
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range sources {
		t.Run(s.fileStem, func(t *testing.T) {
			src := fonts[i]
			sub, _, err := Subset(src, Charset, Names{Family: s.family, Subfamily: s.sub})
			if err != nil {
				t.Fatal(err)
			}
			w, err := WOFF(sub)
			if err != nil {
				t.Fatal(err)
			}
			back, err := unWOFF(w)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(back, sub) {
				t.Fatal("the WOFF file does not give back the font it wraps")
			}
			orig, err := sfnt.Parse(src)
			if err != nil {
				t.Fatal(err)
			}
			got, err := sfnt.Parse(sub)
			if err != nil {
				t.Fatalf("the subset does not parse: %v", err)
			}
			if n := got.NumGlyphs(); n >= orig.NumGlyphs()/4 {
				t.Errorf("the subset keeps %d of %d glyphs", n, orig.NumGlyphs())
			}
			var b1, b2 sfnt.Buffer
			ppem := fixed.I(1000)
			composites := 0
			for _, r := range Charset {
				g1, err1 := orig.GlyphIndex(&b1, r)
				g2, err2 := got.GlyphIndex(&b2, r)
				if err1 != nil || err2 != nil || g2 == 0 {
					t.Errorf("%q: glyph %d → %d (%v, %v)", r, g1, g2, err1, err2)
					continue
				}
				a1, _ := orig.GlyphAdvance(&b1, g1, ppem, font.HintingNone)
				a2, err := got.GlyphAdvance(&b2, g2, ppem, font.HintingNone)
				if err != nil || a1 != a2 {
					t.Errorf("%q: advance %v, want %v (%v)", r, a2, a1, err)
				}
				s1, err1 := orig.LoadGlyph(&b1, g1, ppem, nil)
				s1 = slices.Clone(s1)
				s2, err2 := got.LoadGlyph(&b2, g2, ppem, nil)
				if err1 != nil || err2 != nil || !slices.Equal(s1, s2) {
					t.Errorf("%q: outline differs (%d and %d segments; %v, %v)", r, len(s1), len(s2), err1, err2)
				}
				if isComposite(t, src, g1) {
					composites++
				}
			}
			if composites == 0 {
				t.Error("no composite glyph among the characters: the component path went untested")
			}
			name, err := got.Name(&b2, sfnt.NameIDFamily)
			if err != nil || name != s.family {
				t.Errorf("family %q (%v), want %q: Liberation is a Reserved Font Name", name, err, s.family)
			}
			t.Logf("%d glyphs of %d, %d composite; %d bytes TrueType, %d WOFF", got.NumGlyphs(), orig.NumGlyphs(), composites, len(sub), len(w))
		})
	}
}

func isComposite(t *testing.T, ttf []byte, g sfnt.GlyphIndex) bool {
	tb, err := parseSFNT(ttf)
	if err != nil {
		t.Fatal(err)
	}
	offs, err := readLoca(tb["loca"], int(int16(be.Uint16(tb["head"][50:]))), int(be.Uint16(tb["maxp"][4:])), len(tb["glyf"]))
	if err != nil {
		t.Fatal(err)
	}
	data := tb["glyf"][offs[g]:offs[g+1]]
	return len(data) >= 2 && int16(be.Uint16(data)) < 0
}

// TestCharsetCoversTexts: every character of the policies' texts (drafts
// and releases), of the corpus's and of the pages' words in kk and ru is
// in Charset, so no character of the site falls back to another font.
func TestCharsetCoversTexts(t *testing.T) {
	in := make(map[rune]bool)
	for _, r := range Charset {
		in[r] = true
	}
	var files []string
	err := filepath.WalkDir("../policies", func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// The corpus: other lenders' shapes of text, in kk and ru.
	corpus, err := filepath.Glob("../testdata/corpus/*/*.md")
	if err != nil || len(corpus) < 24 {
		t.Fatalf("corpus: %d texts (%v)", len(corpus), err)
	}
	files = append(files, corpus...)
	files = append(files, "../templates/locales/active.kk.yaml", "../templates/locales/active.ru.yaml")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[rune]bool{}
		for _, r := range string(b) {
			if r >= ' ' && !in[r] && !seen[r] {
				seen[r] = true
				t.Errorf("%s: %q (%U) is not in Charset", f, r, r)
			}
		}
	}
	if len(files) < 4 {
		t.Errorf("read only %v", files)
	}
}

// TestSubsetBadInput: a font that is not one is an error, not a panic.
func TestSubsetBadInput(t *testing.T) {
	for _, b := range [][]byte{nil, []byte("wOFF not a font"), sources[0].ttf[:200], sources[0].ttf[:len(sources[0].ttf)/2]} {
		if _, _, err := Subset(b, Charset, Names{Family: "X", Subfamily: "Regular"}); err == nil {
			t.Errorf("%d bytes: no error", len(b))
		}
	}
}

// TestSubsetChecksum: the subset's head.checkSumAdjustment makes the whole
// font sum to 0xB1B0AFBA, and every table's directory checksum is its own.
func TestSubsetChecksum(t *testing.T) {
	for _, s := range sources {
		sub, _, err := Subset(s.ttf, Charset, Names{Family: s.family, Subfamily: s.sub})
		if err != nil {
			t.Fatal(err)
		}
		if got := checksum(sub); got != 0xB1B0AFBA {
			t.Errorf("%s: font checksum %#x, want 0xB1B0AFBA", s.fileStem, got)
		}
		tb, err := parseSFNT(sub)
		if err != nil {
			t.Fatal(err)
		}
		n := int(be.Uint16(sub[4:]))
		for i := range n {
			e := sub[12+16*i:]
			data := tb[string(e[:4])]
			if string(e[:4]) == "head" {
				data = slices.Clone(data)
				be.PutUint32(data[8:], 0)
			}
			if checksum(data) != be.Uint32(e[4:]) {
				t.Errorf("%s: table %s checksum", s.fileStem, e[:4])
			}
		}
	}
}

// FuzzSubset: a damaged font is an error, never a panic, and what Subset
// returns parses.
func FuzzSubset(f *testing.F) {
	small, _, err := Subset(sources[0].ttf, []rune("Әә Йй Ёё a1"), Names{Family: "F", Subfamily: "Regular"})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(small, uint16(0), byte(0))
	f.Add(small, uint16(100), byte(0xFF))
	f.Add(small[:len(small)/2], uint16(0), byte(0))
	f.Fuzz(func(t *testing.T, font []byte, at uint16, b byte) {
		if int(at) < len(font) {
			font = slices.Clone(font)
			font[at] ^= b
		}
		out, _, err := Subset(font, Charset, Names{Family: "F", Subfamily: "Regular"})
		if err != nil {
			return
		}
		if _, err := parseSFNT(out); err != nil {
			t.Errorf("the subset of an accepted font does not parse: %v", err)
		}
		if _, err := WOFF(out); err != nil {
			t.Error(err)
		}
	})
}

// BenchmarkMakeFaces makes the four faces as publish does once per
// process: subset and WOFF.
func BenchmarkMakeFaces(b *testing.B) {
	for b.Loop() {
		if _, err := makeFaces(); err != nil {
			b.Fatal(err)
		}
	}
}
