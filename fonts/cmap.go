package fonts

import (
	"fmt"
	"slices"
)

// readCmap maps each rune of want that the font has to its glyph id, from
// the font's Unicode subtable (format 12 preferred, else format 4).
func readCmap(cmap []byte, want []rune) (map[rune]uint16, error) {
	if len(cmap) < 4 {
		return nil, fmt.Errorf("cmap: too short")
	}
	n := int(be.Uint16(cmap[2:]))
	if len(cmap) < 4+8*n {
		return nil, fmt.Errorf("cmap: %d subtables cut short", n)
	}
	var f4, f12 []byte
	for i := range n {
		e := cmap[4+8*i:]
		pid, eid, off := be.Uint16(e), be.Uint16(e[2:]), int(be.Uint32(e[4:]))
		if off+4 > len(cmap) {
			return nil, fmt.Errorf("cmap: subtable %d/%d past the end", pid, eid)
		}
		sub := cmap[off:]
		switch format := be.Uint16(sub); {
		case format == 12 && (pid == 3 && eid == 10 || pid == 0):
			f12 = sub
		case format == 4 && (pid == 3 && eid == 1 || pid == 0):
			f4 = sub
		}
	}
	m := make(map[rune]uint16)
	switch {
	case f12 != nil:
		if len(f12) < 16 {
			return nil, fmt.Errorf("cmap format 12: too short")
		}
		groups := int(be.Uint32(f12[12:]))
		if len(f12) < 16+12*groups {
			return nil, fmt.Errorf("cmap format 12: %d groups cut short", groups)
		}
		for _, r := range want {
			for g := range groups {
				e := f12[16+12*g:]
				lo, hi, gid := rune(be.Uint32(e)), rune(be.Uint32(e[4:])), rune(be.Uint32(e[8:]))
				if lo <= r && r <= hi {
					m[r] = uint16(gid + r - lo)
					break
				}
			}
		}
	case f4 != nil:
		if len(f4) < 14 {
			return nil, fmt.Errorf("cmap format 4: too short")
		}
		segs := int(be.Uint16(f4[6:])) / 2
		if len(f4) < 16+8*segs {
			return nil, fmt.Errorf("cmap format 4: %d segments cut short", segs)
		}
		ends, starts, deltas, ranges := 14, 16+2*segs, 16+4*segs, 16+6*segs
		for _, r := range want {
			if r > 0xFFFF {
				continue
			}
			for s := range segs {
				end, start := rune(be.Uint16(f4[ends+2*s:])), rune(be.Uint16(f4[starts+2*s:]))
				if r > end || r < start {
					continue
				}
				delta, ro := be.Uint16(f4[deltas+2*s:]), int(be.Uint16(f4[ranges+2*s:]))
				gid := uint16(r) + delta
				if ro != 0 {
					at := ranges + 2*s + ro + 2*int(r-start)
					if at+2 > len(f4) {
						return nil, fmt.Errorf("cmap format 4: glyph index of %U past the end", r)
					}
					if gid = be.Uint16(f4[at:]); gid != 0 {
						gid += delta
					}
				}
				if gid != 0 {
					m[r] = gid
				}
				break
			}
		}
	default:
		return nil, fmt.Errorf("cmap: no Unicode subtable of format 4 or 12")
	}
	return m, nil
}

// buildCmap writes a cmap with one format 4 subtable (Windows, Unicode
// BMP) mapping each rune to its new glyph id: one segment per run of
// consecutive runes whose glyph ids are consecutive too.
func buildCmap(m map[rune]uint16) []byte {
	runes := make([]rune, 0, len(m))
	for r := range m {
		if r <= 0xFFFF {
			runes = append(runes, r)
		}
	}
	slices.Sort(runes)
	type seg struct{ start, end, delta uint16 }
	var segs []seg
	for _, r := range runes {
		delta := m[r] - uint16(r)
		if k := len(segs) - 1; k >= 0 && segs[k].end == uint16(r)-1 && segs[k].delta == delta {
			segs[k].end = uint16(r)
			continue
		}
		segs = append(segs, seg{uint16(r), uint16(r), delta})
	}
	segs = append(segs, seg{0xFFFF, 0xFFFF, 1})
	n := len(segs)
	entrySel := 0
	for 1<<(entrySel+1) <= n {
		entrySel++
	}
	searchRange := 2 << entrySel
	sub := make([]byte, 16+8*n)
	be.PutUint16(sub, 4)
	be.PutUint16(sub[2:], uint16(len(sub)))
	be.PutUint16(sub[6:], uint16(2*n))
	be.PutUint16(sub[8:], uint16(searchRange))
	be.PutUint16(sub[10:], uint16(entrySel))
	be.PutUint16(sub[12:], uint16(2*n-searchRange))
	for i, s := range segs {
		be.PutUint16(sub[14+2*i:], s.end)
		be.PutUint16(sub[16+2*n+2*i:], s.start)
		be.PutUint16(sub[16+4*n+2*i:], s.delta)
		// idRangeOffset 0: the glyph is the rune plus delta.
	}
	head := make([]byte, 12)
	be.PutUint16(head[2:], 1)
	be.PutUint16(head[4:], 3)
	be.PutUint16(head[6:], 1)
	be.PutUint32(head[8:], 12)
	return append(head, sub...)
}
