package fonts

import (
	"fmt"
	"maps"
	"slices"
	"unicode/utf16"
)

// Names are what a subset calls itself in its name table. The OFL forbids
// a modified font to use a Reserved Font Name (Liberation's is
// "Liberation"), so a subset gets a family of its own; its copyright,
// version and licence records are the original's.
type Names struct {
	Family    string // "Saiasat Serif"
	Subfamily string // "Regular", "Bold"
	// Unique ends the unique font identifier (name 3); default "subset
	// of" the original's version.
	Unique string
}

// Subset returns a TrueType font with only the glyphs runes need: glyph 0
// (.notdef), each rune's glyph and the components of composite glyphs,
// renumbered in their original order. The cmap is rebuilt (one format 4
// subtable), the hinting is dropped (fpgm, prep, cvt, gasp and each glyph's
// instructions), and so are the tables a browser can do without here
// (kern, GPOS, GSUB, GDEF, glyph names). missing lists the runes the font
// has no glyph for, which the subset leaves out.
func Subset(font []byte, runes []rune, names Names) (sub []byte, missing []rune, err error) {
	t, err := parseSFNT(font)
	if err != nil {
		return nil, nil, err
	}
	cmap, err := readCmap(t["cmap"], runes)
	if err != nil {
		return nil, nil, err
	}
	for _, r := range runes {
		if _, ok := cmap[r]; !ok {
			missing = append(missing, r)
		}
	}
	numGlyphs := int(be.Uint16(t["maxp"][4:]))
	offsets, err := readLoca(t["loca"], int(int16(be.Uint16(t["head"][50:]))), numGlyphs, len(t["glyf"]))
	if err != nil {
		return nil, nil, err
	}
	glyph := func(g uint16) []byte { return t["glyf"][offsets[g]:offsets[g+1]] }

	// The glyphs to keep: .notdef, the runes', and every component of a
	// composite, recursively.
	keep := map[uint16]bool{}
	var visit func(g uint16, depth int) error
	visit = func(g uint16, depth int) error {
		if int(g) >= numGlyphs {
			return fmt.Errorf("glyph %d: no such glyph (%d in the font)", g, numGlyphs)
		}
		if depth > 16 {
			return fmt.Errorf("glyph %d: composite glyphs nested too deep", g)
		}
		if keep[g] {
			// Seen: its components are kept already (a glyph shared by
			// many composites, or a cycle in a damaged font, is visited once).
			return nil
		}
		keep[g] = true
		comps, err := components(glyph(g))
		if err != nil {
			return fmt.Errorf("glyph %d: %w", g, err)
		}
		for _, c := range comps {
			if err := visit(c, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := visit(0, 0); err != nil {
		return nil, nil, err
	}
	for _, g := range cmap {
		if err := visit(g, 0); err != nil {
			return nil, nil, err
		}
	}
	old := slices.Sorted(maps.Keys(keep))
	newID := make(map[uint16]uint16, len(old))
	for i, g := range old {
		newID[g] = uint16(i)
	}

	// glyf and loca (long offsets), hmtx with one full metric per glyph.
	numH := int(be.Uint16(t["hhea"][34:]))
	if numH < 1 || numH > numGlyphs || len(t["hmtx"]) < 4*numH+2*(numGlyphs-numH) {
		return nil, nil, fmt.Errorf("hmtx: %d bytes for %d metrics of %d glyphs", len(t["hmtx"]), numH, numGlyphs)
	}
	var glyf []byte
	loca := make([]byte, 4*(len(old)+1))
	hmtx := make([]byte, 4*len(old))
	for i, g := range old {
		be.PutUint32(loca[4*i:], uint32(len(glyf)))
		data, err := rewriteGlyph(glyph(g), newID)
		if err != nil {
			return nil, nil, fmt.Errorf("glyph %d: %w", g, err)
		}
		glyf = append(glyf, data...)
		glyf = append(glyf, make([]byte, pad4(len(data))-len(data))...)
		// Glyphs past numberOfHMetrics share the last advance.
		var adv, lsb uint16
		if int(g) < numH {
			adv, lsb = be.Uint16(t["hmtx"][4*int(g):]), be.Uint16(t["hmtx"][4*int(g)+2:])
		} else {
			adv, lsb = be.Uint16(t["hmtx"][4*(numH-1):]), be.Uint16(t["hmtx"][4*numH+2*(int(g)-numH):])
		}
		be.PutUint16(hmtx[4*i:], adv)
		be.PutUint16(hmtx[4*i+2:], lsb)
	}
	be.PutUint32(loca[4*len(old):], uint32(len(glyf)))

	newCmap := make(map[rune]uint16, len(cmap))
	first, last := rune(0xFFFF), rune(0)
	for r, g := range cmap {
		newCmap[r] = newID[g]
		first, last = min(first, r), max(last, r)
	}
	head := slices.Clone(t["head"])
	be.PutUint16(head[50:], 1) // indexToLocFormat: long
	hhea := slices.Clone(t["hhea"])
	be.PutUint16(hhea[34:], uint16(len(old)))
	maxp := slices.Clone(t["maxp"])
	be.PutUint16(maxp[4:], uint16(len(old)))
	if len(maxp) >= 32 {
		be.PutUint16(maxp[26:], 0) // maxSizeOfInstructions: none left
	}
	os2 := slices.Clone(t["OS/2"])
	be.PutUint16(os2[64:], uint16(min(first, 0xFFFF)))
	be.PutUint16(os2[66:], uint16(min(last, 0xFFFF)))
	post := slices.Clone(t["post"][:32])
	be.PutUint32(post, 0x00030000) // no glyph names
	name, err := buildName(t["name"], names)
	if err != nil {
		return nil, nil, err
	}
	out := tables{"head": head, "hhea": hhea, "maxp": maxp, "OS/2": os2, "hmtx": hmtx, "cmap": buildCmap(newCmap),
		"loca": loca, "glyf": glyf, "name": name, "post": post}
	return writeSFNT(out), missing, nil
}

// readLoca returns numGlyphs+1 glyph offsets into glyf.
func readLoca(loca []byte, format, numGlyphs, glyfLen int) ([]int, error) {
	offs := make([]int, numGlyphs+1)
	for i := range offs {
		switch format {
		case 0:
			if 2*i+2 > len(loca) {
				return nil, fmt.Errorf("loca: %d bytes for %d glyphs", len(loca), numGlyphs)
			}
			offs[i] = 2 * int(be.Uint16(loca[2*i:]))
		case 1:
			if 4*i+4 > len(loca) {
				return nil, fmt.Errorf("loca: %d bytes for %d glyphs", len(loca), numGlyphs)
			}
			offs[i] = int(be.Uint32(loca[4*i:]))
		default:
			return nil, fmt.Errorf("head: indexToLocFormat %d", format)
		}
		if offs[i] > glyfLen || i > 0 && offs[i] < offs[i-1] {
			return nil, fmt.Errorf("loca: glyph %d at %d, outside glyf (%d bytes) or out of order", i, offs[i], glyfLen)
		}
	}
	return offs, nil
}

// Composite glyph flags.
const (
	argsAreWords    = 0x0001
	haveScale       = 0x0008
	moreComponents  = 0x0020
	haveXYScale     = 0x0040
	haveTwoByTwo    = 0x0080
	haveCompInstrs  = 0x0100
	compHeaderBytes = 4
)

// eachComponent calls f with the offset of each component record of a
// composite glyph and returns the offset just past the last one.
func eachComponent(g []byte, f func(at int)) (int, error) {
	at := 10
	for {
		if at+compHeaderBytes > len(g) {
			return 0, fmt.Errorf("composite glyph cut short")
		}
		flags := be.Uint16(g[at:])
		f(at)
		at += compHeaderBytes + 2
		if flags&argsAreWords != 0 {
			at += 2
		}
		switch {
		case flags&haveScale != 0:
			at += 2
		case flags&haveXYScale != 0:
			at += 4
		case flags&haveTwoByTwo != 0:
			at += 8
		}
		if at > len(g) {
			return 0, fmt.Errorf("composite glyph cut short")
		}
		if flags&moreComponents == 0 {
			return at, nil
		}
	}
}

// components lists the glyph ids a composite glyph is made of; none for a
// simple or empty glyph.
func components(g []byte) ([]uint16, error) {
	if len(g) < 10 || int16(be.Uint16(g)) >= 0 {
		return nil, nil
	}
	var ids []uint16
	_, err := eachComponent(g, func(at int) { ids = append(ids, be.Uint16(g[at+2:])) })
	return ids, err
}

// rewriteGlyph returns g without its instructions and, for a composite,
// with its components' ids renumbered.
func rewriteGlyph(g []byte, newID map[uint16]uint16) ([]byte, error) {
	if len(g) == 0 {
		return nil, nil
	}
	if len(g) < 10 {
		return nil, fmt.Errorf("glyph header cut short")
	}
	contours := int(int16(be.Uint16(g)))
	if contours >= 0 {
		at := 10 + 2*contours
		if at+2 > len(g) {
			return nil, fmt.Errorf("simple glyph cut short")
		}
		n := int(be.Uint16(g[at:]))
		if at+2+n > len(g) {
			return nil, fmt.Errorf("instructions past the glyph's end")
		}
		out := slices.Clone(g[:at+2])
		be.PutUint16(out[at:], 0)
		return append(out, g[at+2+n:]...), nil
	}
	out := slices.Clone(g)
	end, err := eachComponent(out, func(at int) {
		be.PutUint16(out[at:], be.Uint16(out[at:])&^haveCompInstrs)
		be.PutUint16(out[at+2:], newID[be.Uint16(out[at+2:])])
	})
	if err != nil {
		return nil, err
	}
	return out[:end], nil
}

// buildName writes a name table (format 0, Windows Unicode English) with
// the subset's own family and the original's copyright, version and
// licence.
func buildName(orig []byte, n Names) ([]byte, error) {
	keep := map[uint16]string{}
	if len(orig) < 6 {
		return nil, fmt.Errorf("name: too short")
	}
	count, strOff := int(be.Uint16(orig[2:])), int(be.Uint16(orig[4:]))
	if len(orig) < 6+12*count {
		return nil, fmt.Errorf("name: %d records cut short", count)
	}
	for i := range count {
		e := orig[6+12*i:]
		pid, eid, lang, id := be.Uint16(e), be.Uint16(e[2:]), be.Uint16(e[4:]), be.Uint16(e[6:])
		l, off := int(be.Uint16(e[8:])), strOff+int(be.Uint16(e[10:]))
		if pid != 3 || eid != 1 || lang != 0x409 || off+l > len(orig) {
			continue
		}
		switch id {
		case 0, 5, 13, 14:
			u := make([]uint16, l/2)
			for j := range u {
				u[j] = be.Uint16(orig[off+2*j:])
			}
			keep[id] = string(utf16.Decode(u))
		}
	}
	ps := []rune{}
	for _, r := range n.Family + "-" + n.Subfamily {
		if r != ' ' {
			ps = append(ps, r)
		}
	}
	keep[1] = n.Family
	keep[2] = n.Subfamily
	unique := n.Unique
	if unique == "" {
		unique = "subset of " + keep[5]
	}
	keep[3] = n.Family + " " + n.Subfamily + " (" + unique + ")"
	keep[4] = n.Family + " " + n.Subfamily
	keep[6] = string(ps)
	ids := slices.Sorted(maps.Keys(keep))
	head := make([]byte, 6+12*len(ids))
	be.PutUint16(head[2:], uint16(len(ids)))
	be.PutUint16(head[4:], uint16(len(head)))
	var strs []byte
	for i, id := range ids {
		e := head[6+12*i:]
		be.PutUint16(e, 3)
		be.PutUint16(e[2:], 1)
		be.PutUint16(e[4:], 0x409)
		be.PutUint16(e[6:], id)
		s := utf16.Encode([]rune(keep[id]))
		be.PutUint16(e[8:], uint16(2*len(s)))
		be.PutUint16(e[10:], uint16(len(strs)))
		for _, u := range s {
			strs = be.AppendUint16(strs, u)
		}
	}
	return append(head, strs...), nil
}
