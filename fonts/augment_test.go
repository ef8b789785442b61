package fonts

import (
	"slices"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// TestAugment reads each augmented font with an independent parser
// (golang.org/x/image/font/sfnt): every character of the original keeps
// its glyph's outline and advance, and each of Extra is drawn where its
// recipe says — ⁰ and ⁹ at the height and advance of the font's own ⁸,
// ₸ in T's box and advance with a bar more than T.
func TestAugment(t *testing.T) {
	fonts, err := augmentedSources()
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range sources {
		t.Run(s.fileStem, func(t *testing.T) {
			orig, err := sfnt.Parse(s.ttf)
			if err != nil {
				t.Fatal(err)
			}
			got, err := sfnt.Parse(fonts[i])
			if err != nil {
				t.Fatalf("the augmented font does not parse: %v", err)
			}
			if got.NumGlyphs() != orig.NumGlyphs()+len(Extra) {
				t.Errorf("%d glyphs, want %d + %d", got.NumGlyphs(), orig.NumGlyphs(), len(Extra))
			}
			tb, err := parseSFNT(s.ttf)
			if err != nil {
				t.Fatal(err)
			}
			var b1, b2 sfnt.Buffer
			ppem := fixed.I(2048)
			runes := cmapRunes(tb["cmap"])
			checked := 0
			for _, r := range runes {
				g1, _ := orig.GlyphIndex(&b1, r)
				if g1 == 0 {
					continue
				}
				g2, err := got.GlyphIndex(&b2, r)
				if err != nil || g2 != g1 {
					t.Errorf("%q: glyph %d, want %d (%v)", r, g2, g1, err)
					continue
				}
				a1, _ := orig.GlyphAdvance(&b1, g1, ppem, font.HintingNone)
				a2, _ := got.GlyphAdvance(&b2, g2, ppem, font.HintingNone)
				s1, err1 := orig.LoadGlyph(&b1, g1, ppem, nil)
				s1 = slices.Clone(s1)
				s2, err2 := got.LoadGlyph(&b2, g2, ppem, nil)
				if a1 != a2 || err1 != nil || err2 != nil || !slices.Equal(s1, s2) {
					t.Errorf("%q: advance %v → %v, outline of %d → %d segments (%v, %v)", r, a1, a2, len(s1), len(s2), err1, err2)
				}
				checked++
			}
			if checked < 2000 {
				t.Errorf("compared %d characters, want the whole font's", checked)
			}
			bounds := func(r rune) (fixed.Rectangle26_6, fixed.Int26_6) {
				t.Helper()
				g, err := got.GlyphIndex(&b2, r)
				if err != nil || g == 0 {
					t.Fatalf("%q: no glyph (%v)", r, err)
				}
				bb, adv, err := got.GlyphBounds(&b2, g, ppem, font.HintingNone)
				if err != nil {
					t.Fatalf("%q: %v", r, err)
				}
				if segs, err := got.LoadGlyph(&b2, g, ppem, nil); err != nil || len(segs) == 0 {
					t.Fatalf("%q: no outline (%v)", r, err)
				}
				return bb, adv
			}
			near := func(a, b fixed.Int26_6) bool { d := a - b; return d > -fixed.I(8) && d < fixed.I(8) }
			sup, supAdv := bounds('⁸')
			for _, r := range []rune{'⁰', '⁹'} {
				bb, adv := bounds(r)
				// The digits' own shapes differ by a few units: the height
				// must be ⁸'s, the ink within the advance.
				if adv != supAdv || !near(bb.Min.Y, sup.Min.Y) || !near(bb.Max.Y, sup.Max.Y) || bb.Min.X < 0 || bb.Max.X > adv {
					t.Errorf("%q: box %v advance %v, want ⁸'s height %v and advance %v", r, bb, adv, sup, supAdv)
				}
			}
			tBox, tAdv := bounds('T')
			tenge, tengeAdv := bounds('₸')
			if tengeAdv != tAdv || !near(tenge.Min.X, tBox.Min.X) || !near(tenge.Max.X, tBox.Max.X) || !near(tenge.Min.Y, tBox.Min.Y) || !near(tenge.Max.Y, tBox.Max.Y) {
				t.Errorf("₸: box %v advance %v, want T's %v and %v", tenge, tengeAdv, tBox, tAdv)
			}
			gT, _ := got.GlyphIndex(&b2, 'T')
			sT, _ := got.LoadGlyph(&b2, gT, ppem, nil)
			nT := len(sT)
			gTenge, _ := got.GlyphIndex(&b2, '₸')
			if s, _ := got.LoadGlyph(&b2, gTenge, ppem, nil); len(s) <= nT {
				t.Errorf("₸ has %d outline segments, T %d: the bar above is missing", len(s), nT)
			}
			name, err := got.Name(&b2, sfnt.NameIDFamily)
			if err != nil || name != s.family {
				t.Errorf("family %q (%v), want %q: Liberation is a Reserved Font Name", name, err, s.family)
			}
		})
	}
}

// A font without the glyphs a recipe draws from is an error, not a
// broken font.
func TestAugmentBadInput(t *testing.T) {
	small, _, err := Subset(sources[0].ttf, []rune("Әә a1"), Names{Family: "F", Subfamily: "Regular"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Augment(small, Names{Family: "F", Subfamily: "Regular"}); err == nil {
		t.Error("a font without 8, ⁸ and T augmented without error")
	}
	for _, b := range [][]byte{nil, []byte("not a font"), sources[0].ttf[:200]} {
		if _, err := Augment(b, Names{Family: "F", Subfamily: "Regular"}); err == nil {
			t.Errorf("%d bytes of no font augmented without error", len(b))
		}
	}
}
