package fonts

import (
	"encoding/binary"
	"fmt"
	"slices"
)

// tables is a TrueType font cut into its tables, by tag.
type tables map[string][]byte

var be = binary.BigEndian

// parseSFNT reads the table directory of a TrueType font (not a
// collection).
func parseSFNT(b []byte) (tables, error) {
	if len(b) < 12 {
		return nil, fmt.Errorf("font: %d bytes, too short for a header", len(b))
	}
	if v := be.Uint32(b); v != 0x00010000 && v != 0x74727565 {
		return nil, fmt.Errorf("font: version %#x is not TrueType outlines", v)
	}
	n := int(be.Uint16(b[4:]))
	if len(b) < 12+16*n {
		return nil, fmt.Errorf("font: table directory of %d entries cut short", n)
	}
	t := make(tables, n)
	for i := range n {
		e := b[12+16*i:]
		tag := string(e[:4])
		off, size := int64(be.Uint32(e[8:])), int64(be.Uint32(e[12:]))
		if off+size > int64(len(b)) {
			return nil, fmt.Errorf("font: table %q at %d+%d lies past the end (%d)", tag, off, size, len(b))
		}
		t[tag] = b[off : off+size]
	}
	for _, tag := range []string{"head", "hhea", "hmtx", "maxp", "loca", "glyf", "cmap", "OS/2", "post", "name"} {
		if t[tag] == nil {
			return nil, fmt.Errorf("font: no %q table", tag)
		}
	}
	if len(t["head"]) < 54 || len(t["hhea"]) < 36 || len(t["maxp"]) < 6 || len(t["post"]) < 32 || len(t["OS/2"]) < 68 {
		return nil, fmt.Errorf("font: a head, hhea, maxp, post or OS/2 table is too short")
	}
	return t, nil
}

// checksum is the OpenType table checksum: the sum of the big-endian
// uint32s of the table, zero-padded to a multiple of four.
func checksum(b []byte) uint32 {
	var s uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		s += be.Uint32(w[:])
	}
	return s
}

func pad4(n int) int { return (n + 3) &^ 3 }

// writeSFNT lays the tables out as one TrueType font: directory sorted by
// tag, every table four-byte aligned, head's checkSumAdjustment set.
func writeSFNT(t tables) []byte {
	tags := make([]string, 0, len(t))
	for tag := range t {
		tags = append(tags, tag)
	}
	slices.Sort(tags)
	n := len(tags)
	// The binary-search fields of the directory header.
	entrySel := 0
	for 1<<(entrySel+1) <= n {
		entrySel++
	}
	searchRange := (1 << entrySel) * 16
	size := 12 + 16*n
	for _, tag := range tags {
		size += pad4(len(t[tag]))
	}
	out := make([]byte, 12+16*n, size)
	be.PutUint32(out, 0x00010000)
	be.PutUint16(out[4:], uint16(n))
	be.PutUint16(out[6:], uint16(searchRange))
	be.PutUint16(out[8:], uint16(entrySel))
	be.PutUint16(out[10:], uint16(n*16-searchRange))
	headAt := 0
	for i, tag := range tags {
		data := t[tag]
		if tag == "head" {
			data = slices.Clone(data)
			be.PutUint32(data[8:], 0)
			headAt = len(out)
		}
		e := out[12+16*i:]
		copy(e, tag)
		be.PutUint32(e[4:], checksum(data))
		be.PutUint32(e[8:], uint32(len(out)))
		be.PutUint32(e[12:], uint32(len(data)))
		out = append(out, data...)
		out = append(out, make([]byte, pad4(len(data))-len(data))...)
	}
	be.PutUint32(out[headAt+8:], 0xB1B0AFBA-checksum(out))
	return out
}
