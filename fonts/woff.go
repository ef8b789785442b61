package fonts

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"slices"
)

// WOFF wraps a TrueType font as WOFF 1.0: each table compressed with zlib
// (stored as is where that does not make it smaller), no metadata or
// private block. WOFF2 would need Brotli, which neither the standard
// library nor golang.org/x has.
func WOFF(font []byte) ([]byte, error) {
	t, err := parseSFNT(font)
	if err != nil {
		return nil, err
	}
	tags := slices.Sorted(func(yield func(string) bool) {
		for tag := range t {
			if !yield(tag) {
				return
			}
		}
	})
	n := len(tags)
	out := make([]byte, 44+20*n)
	copy(out, "wOFF")
	be.PutUint32(out[4:], be.Uint32(font)) // flavor: the sfnt's version
	be.PutUint16(out[12:], uint16(n))
	total := 12 + 16*n
	for i, tag := range tags {
		data := t[tag]
		total += pad4(len(data))
		sum := checksum(data)
		if tag == "head" {
			// Its directory checksum is taken with checkSumAdjustment zero.
			h := slices.Clone(data)
			be.PutUint32(h[8:], 0)
			sum = checksum(h)
		}
		var z bytes.Buffer
		w, err := zlib.NewWriterLevel(&z, zlib.BestCompression)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(data); err != nil {
			return nil, fmt.Errorf("compress %s: %w", tag, err)
		}
		if err := w.Close(); err != nil {
			return nil, fmt.Errorf("compress %s: %w", tag, err)
		}
		stored := data
		if z.Len() < len(data) {
			stored = z.Bytes()
		}
		e := out[44+20*i:]
		copy(e, tag)
		be.PutUint32(e[4:], uint32(len(out)))
		be.PutUint32(e[8:], uint32(len(stored)))
		be.PutUint32(e[12:], uint32(len(data)))
		be.PutUint32(e[16:], sum)
		out = append(out, stored...)
		out = append(out, make([]byte, pad4(len(stored))-len(stored))...)
	}
	be.PutUint32(out[8:], uint32(len(out)))
	be.PutUint32(out[16:], uint32(total))
	be.PutUint16(out[20:], 1) // the font's own version: 1.0
	return out, nil
}

// unWOFF returns the TrueType font a WOFF file holds (for the tests,
// which read the font back as a browser would).
func unWOFF(w []byte) ([]byte, error) {
	if len(w) < 44 || string(w[:4]) != "wOFF" {
		return nil, fmt.Errorf("not a WOFF file")
	}
	n := int(be.Uint16(w[12:]))
	t := make(tables, n)
	for i := range n {
		e := w[44+20*i:]
		off, comp, orig := int(be.Uint32(e[4:])), int(be.Uint32(e[8:])), int(be.Uint32(e[12:]))
		if off+comp > len(w) {
			return nil, fmt.Errorf("table %q past the end", e[:4])
		}
		data := w[off : off+comp]
		if comp < orig {
			r, err := zlib.NewReader(bytes.NewReader(data))
			if err != nil {
				return nil, fmt.Errorf("table %q: %w", e[:4], err)
			}
			var b bytes.Buffer
			if _, err := b.ReadFrom(r); err != nil {
				return nil, fmt.Errorf("table %q: %w", e[:4], err)
			}
			data = b.Bytes()
		}
		if len(data) != orig {
			return nil, fmt.Errorf("table %q: %d bytes, want %d", e[:4], len(data), orig)
		}
		t[string(e[:4])] = data
	}
	return writeSFNT(t), nil
}
