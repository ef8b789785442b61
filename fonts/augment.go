package fonts

import (
	"fmt"
	"math"
	"slices"
)

// Extra are the characters Kazakhstan's legal texts write that the
// Liberation fonts have no glyph for, and that Augment draws from the
// font's own glyphs: the superscripts ⁰ and ⁹ (footnote marks past ⁸) and
// the tenge sign ₸.
var Extra = []rune{'⁰', '⁹', '₸'}

// recipe draws one extra character as a composite of the font's glyphs.
type recipe struct {
	r rune
	// parts are the characters drawn, each scaled and moved by place.
	parts []rune
	place func(m *metrics, part rune) transform
	// width is the character whose advance the new glyph takes.
	width rune
}

// transform scales a component about the origin, then moves it.
type transform struct{ sx, sy, dx, dy float64 }

// metrics reads a font's glyph boxes and advances by character.
type metrics struct {
	box func(rune) box
	adv func(rune) int
}

type box struct{ xMin, yMin, xMax, yMax int }

func (b box) w() float64 { return float64(b.xMax - b.xMin) }
func (b box) h() float64 { return float64(b.yMax - b.yMin) }

// fit is the transform that sets box from onto box to.
func fit(from, to box) transform {
	sx, sy := to.w()/from.w(), to.h()/from.h()
	return transform{sx, sy, float64(to.xMin) - float64(from.xMin)*sx, float64(to.yMin) - float64(from.yMin)*sy}
}

var recipes = []recipe{
	// ⁰ and ⁹ as the font sets 8 as its designed superscript ⁸.
	{'⁰', []rune{'0'}, superscript, '⁸'},
	{'⁹', []rune{'9'}, superscript, '⁸'},
	// ₸: T, lowered to make room, under a bar as long as its crossbar
	// and as thick as the macron, at the capital height.
	{'₸', []rune{'T', '¯'}, tenge, 'T'},
}

// superscript sets a digit as the font sets 8 as ⁸: 0 and 9 share 8's
// box, so one transform serves.
func superscript(m *metrics, _ rune) transform { return fit(m.box('8'), m.box('⁸')) }

func tenge(m *metrics, part rune) transform {
	T, bar := m.box('T'), m.box('¯')
	thick := bar.h()
	if part == '¯' {
		return fit(bar, box{T.xMin, T.yMax - int(thick), T.xMax, T.yMax})
	}
	// The crossbar drops by two bar thicknesses: the bar, and a gap.
	return fit(T, box{T.xMin, T.yMin, T.xMax, T.yMax - int(2*thick)})
}

// Augment returns ttf with a composite glyph for each character of Extra
// it lacks, named names (the OFL forbids a modified font the Reserved
// Font Name "Liberation"). Every other table and glyph is kept as it is,
// hinting included; glyph names are dropped (post format 3), as the new
// glyphs have none.
func Augment(ttf []byte, names Names) ([]byte, error) {
	t, err := parseSFNT(ttf)
	if err != nil {
		return nil, err
	}
	for _, tag := range []string{"head", "hhea", "maxp", "hmtx", "loca", "glyf", "cmap", "post", "name"} {
		if t[tag] == nil {
			return nil, fmt.Errorf("no %s table", tag)
		}
	}
	numGlyphs := int(be.Uint16(t["maxp"][4:]))
	offsets, err := readLoca(t["loca"], int(int16(be.Uint16(t["head"][50:]))), numGlyphs, len(t["glyf"]))
	if err != nil {
		return nil, err
	}
	numH := int(be.Uint16(t["hhea"][34:]))
	if numH < 1 || numH > numGlyphs || len(t["hmtx"]) < 4*numH+2*(numGlyphs-numH) {
		return nil, fmt.Errorf("hmtx: %d bytes for %d metrics of %d glyphs", len(t["hmtx"]), numH, numGlyphs)
	}
	all, err := readCmap(t["cmap"], cmapRunes(t["cmap"]))
	if err != nil {
		return nil, err
	}
	advOf := func(g uint16) int {
		return int(be.Uint16(t["hmtx"][4*min(int(g), numH-1):]))
	}
	boxOf := func(g uint16) (box, error) {
		d := t["glyf"][offsets[g]:offsets[g+1]]
		if len(d) < 10 {
			return box{}, fmt.Errorf("glyph %d has no outline", g)
		}
		return box{int(int16(be.Uint16(d[2:]))), int(int16(be.Uint16(d[4:]))), int(int16(be.Uint16(d[6:]))), int(int16(be.Uint16(d[8:])))}, nil
	}
	var missing error
	m := &metrics{
		box: func(r rune) box {
			b, err := boxOf(all[r])
			if err != nil && missing == nil {
				missing = fmt.Errorf("%q: %w", r, err)
			}
			return b
		},
		adv: func(r rune) int { return advOf(all[r]) },
	}

	glyf := slices.Clone(t["glyf"])
	glyf = append(glyf, make([]byte, pad4(len(glyf))-len(glyf))...)
	// Long offsets and one full metric per glyph, the new ones appended.
	loca := make([]byte, 0, 4*(numGlyphs+len(recipes)+1))
	for _, o := range offsets[:numGlyphs] {
		loca = be.AppendUint32(loca, uint32(o))
	}
	hmtx := make([]byte, 0, 4*(numGlyphs+len(recipes)))
	for g := range numGlyphs {
		lsb := be.Uint16(t["hmtx"][4*numH+2*(g-numH):])
		if g < numH {
			lsb = be.Uint16(t["hmtx"][4*g+2:])
		}
		hmtx = be.AppendUint16(be.AppendUint16(hmtx, uint16(advOf(uint16(g)))), lsb)
	}
	maxp := slices.Clone(t["maxp"])
	added := 0
	for _, rc := range recipes {
		if _, ok := all[rc.r]; ok {
			continue // the font draws it already
		}
		for _, p := range append([]rune{rc.width}, rc.parts...) {
			if _, ok := all[p]; !ok {
				return nil, fmt.Errorf("%q: the font has no %q to draw it from", rc.r, p)
			}
		}
		var comps []component
		for _, p := range rc.parts {
			comps = append(comps, component{all[p], rc.place(m, p), m.box(p)})
		}
		if missing != nil {
			return nil, missing
		}
		data, b, err := composite(comps)
		if err != nil {
			return nil, fmt.Errorf("%q: %w", rc.r, err)
		}
		g := uint16(numGlyphs + added)
		loca = be.AppendUint32(loca, uint32(len(glyf)))
		glyf = append(glyf, data...)
		glyf = append(glyf, make([]byte, pad4(len(data))-len(data))...)
		hmtx = be.AppendUint16(be.AppendUint16(hmtx, uint16(m.adv(rc.width))), uint16(int16(b.xMin)))
		all[rc.r] = g
		added++
		if len(maxp) >= 32 {
			// maxComponentElements and maxComponentDepth.
			be.PutUint16(maxp[28:], max(be.Uint16(maxp[28:]), uint16(len(comps))))
			be.PutUint16(maxp[30:], max(be.Uint16(maxp[30:]), 1))
		}
	}
	loca = be.AppendUint32(loca, uint32(len(glyf)))
	be.PutUint16(maxp[4:], uint16(numGlyphs+added))
	if len(maxp) >= 14 {
		// maxCompositePoints and maxCompositeContours: bounded by the
		// font's largest glyph twice over (two components at most).
		be.PutUint16(maxp[10:], max(be.Uint16(maxp[10:]), 2*be.Uint16(maxp[6:])))
		be.PutUint16(maxp[12:], max(be.Uint16(maxp[12:]), 2*be.Uint16(maxp[8:])))
	}
	head := slices.Clone(t["head"])
	be.PutUint16(head[50:], 1) // indexToLocFormat: long
	hhea := slices.Clone(t["hhea"])
	be.PutUint16(hhea[34:], uint16(numGlyphs+added))
	post := slices.Clone(t["post"][:32])
	be.PutUint32(post, 0x00030000) // no glyph names
	if names.Unique == "" {
		names.Unique = "with " + string(Extra) + " added by saiasat"
	}
	name, err := buildName(t["name"], names)
	if err != nil {
		return nil, err
	}
	out := tables{}
	for tag, d := range t {
		switch tag {
		case "hdmx", "LTSH", "DSIG", "VDMX":
			// Per-glyph device tables sized by the old glyph count, and a
			// signature the change voids.
			continue
		}
		out[tag] = d
	}
	for tag, d := range map[string][]byte{"glyf": glyf, "loca": loca, "hmtx": hmtx, "maxp": maxp, "head": head, "hhea": hhea,
		"post": post, "name": name, "cmap": buildCmap(all)} {
		out[tag] = d
	}
	return writeSFNT(out), nil
}

// component is one part of a composite glyph: a glyph, how it is placed,
// and its own box.
type component struct {
	glyph uint16
	t     transform
	box   box
}

// composite writes a composite glyph of comps (ARGS_ARE_XY_VALUES, word
// offsets, an x and y scale each, offsets not scaled) and returns it with
// its box.
func composite(comps []component) ([]byte, box, error) {
	b := box{math.MaxInt, math.MaxInt, math.MinInt, math.MinInt}
	var body []byte
	for i, c := range comps {
		if c.t.sx <= 0 || c.t.sx >= 2 || c.t.sy <= 0 || c.t.sy >= 2 {
			return nil, box{}, fmt.Errorf("scale %.3f×%.3f outside F2Dot14", c.t.sx, c.t.sy)
		}
		dx, dy := int(math.Round(c.t.dx)), int(math.Round(c.t.dy))
		flags := uint16(0x0001 | 0x0002 | 0x0040 | 0x1000) // words, xy values, x and y scale, unscaled offsets
		if i < len(comps)-1 {
			flags |= 0x0020 // more components
		}
		body = be.AppendUint16(body, flags)
		body = be.AppendUint16(body, c.glyph)
		body = be.AppendUint16(body, uint16(int16(dx)))
		body = be.AppendUint16(body, uint16(int16(dy)))
		body = be.AppendUint16(body, uint16(int16(math.Round(c.t.sx*16384))))
		body = be.AppendUint16(body, uint16(int16(math.Round(c.t.sy*16384))))
		x0, x1 := int(math.Floor(float64(c.box.xMin)*c.t.sx))+dx, int(math.Ceil(float64(c.box.xMax)*c.t.sx))+dx
		y0, y1 := int(math.Floor(float64(c.box.yMin)*c.t.sy))+dy, int(math.Ceil(float64(c.box.yMax)*c.t.sy))+dy
		b = box{min(b.xMin, x0), min(b.yMin, y0), max(b.xMax, x1), max(b.yMax, y1)}
	}
	head := make([]byte, 10)
	be.PutUint16(head, 0xFFFF) // numberOfContours -1: composite
	be.PutUint16(head[2:], uint16(int16(b.xMin)))
	be.PutUint16(head[4:], uint16(int16(b.yMin)))
	be.PutUint16(head[6:], uint16(int16(b.xMax)))
	be.PutUint16(head[8:], uint16(int16(b.yMax)))
	return append(head, body...), b, nil
}

// cmapRunes lists the characters the cmap's Unicode subtables cover, for
// reading the whole mapping with readCmap.
func cmapRunes(cmap []byte) []rune {
	var out []rune
	if len(cmap) < 4 {
		return nil
	}
	n := int(be.Uint16(cmap[2:]))
	for i := range n {
		if 4+8*i+8 > len(cmap) {
			break
		}
		e := cmap[4+8*i:]
		off := int(be.Uint32(e[4:]))
		if off+4 > len(cmap) {
			continue
		}
		sub := cmap[off:]
		switch be.Uint16(sub) {
		case 4:
			if len(sub) < 14 {
				continue
			}
			segs := int(be.Uint16(sub[6:])) / 2
			if len(sub) < 16+4*segs {
				continue
			}
			for s := range segs {
				end, start := rune(be.Uint16(sub[14+2*s:])), rune(be.Uint16(sub[16+2*segs+2*s:]))
				for r := start; r <= end && r < 0xFFFF; r++ {
					out = append(out, r)
				}
			}
		case 12:
			if len(sub) < 16 {
				continue
			}
			groups := int(be.Uint32(sub[12:]))
			for g := range groups {
				if 16+12*g+12 > len(sub) {
					break
				}
				lo, hi := rune(be.Uint32(sub[16+12*g:])), rune(be.Uint32(sub[20+12*g:]))
				for r := lo; r <= hi && r <= 0xFFFF; r++ {
					out = append(out, r)
				}
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}
