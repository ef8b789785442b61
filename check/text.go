package check

import (
	"bytes"
	"unicode"
	"unicode/utf8"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/canon"
	"github.com/saiasat/saiasat/markdown"
	"golang.org/x/text/unicode/norm"
)

// maxUTF8Findings bounds text/utf8 findings per file: a file in another
// encoding would otherwise give one per line.
const maxUTF8Findings = 10

// text checks encoding and invisible characters: text/bom, text/crlf,
// text/utf8, text/invisible, text/nfc, format/canonical and doc/empty.
func (r *reporter) text() {
	src := r.doc.Source
	file := saiasat.Pos{File: r.doc.File, Line: 1, Col: 1}
	if len(bytes.TrimSpace(src)) == 0 {
		r.add(file, saiasat.Error, "doc/empty", nil, "the file is empty: a policy text needs at least one section and clause")
		return
	}
	if bytes.HasPrefix(src, canon.BOM) {
		r.add(file, saiasat.Warning, "text/bom", nil, "byte order mark at the start of the file; run saiasat fmt to drop it")
	}
	if i := bytes.IndexByte(src, '\r'); i >= 0 {
		n := bytes.Count(src, []byte("\r"))
		line := 1 + bytes.Count(src[:i], []byte("\n"))
		start := bytes.LastIndexByte(src[:i], '\n') + 1
		col := utf8.RuneCount(bytes.TrimPrefix(src[start:i], canon.BOM)) + 1
		r.add(saiasat.Pos{File: r.doc.File, Line: line, Col: col}, saiasat.Warning, "text/crlf", nil, "CR line ends (%d); run saiasat fmt to make them LF", n)
	}

	bad := 0
	for n := 1; n <= r.lines.Count(); n++ {
		line := r.lines.Text(n)
		start := r.lines.Start(n)
		// A line with invalid bytes is still checked for everything else,
		// run by valid run: like a compiler, the checker reports all it
		// can in one pass.
		runs := [][2]int{{0, len(line)}}
		if !utf8.Valid(line) {
			bad++
			if bad <= maxUTF8Findings {
				off := start + canon.InvalidAt(line)
				r.add(r.at(off), saiasat.Error, "text/utf8", nil, "invalid UTF-8 byte 0x%02X: the file must be saved as UTF-8", r.view[off])
			}
			runs = validRuns(line)
		}
		for _, run := range runs {
			a, b := run[0], run[1]
			seg := line[a:b]
			for i := 0; i < len(seg); {
				c, size := utf8.DecodeRune(seg[i:])
				if name, ok := invisible(c); ok && !(c == '\uFEFF' && n == 1 && a+i == 0) {
					// No fix on a line with invalid bytes: removing the
					// character could join the bytes around it into a new
					// letter (a Cyrillic с in a Latin word, a direction
					// override). The file must be saved as UTF-8 first.
					var fix *saiasat.Fix
					if len(runs) == 1 && runs[0] == [2]int{0, len(line)} {
						fix = &saiasat.Fix{Offset: start + a + i, Length: size}
					}
					r.add(r.at(start+a+i), saiasat.Error, "text/invisible", fix, "invisible character %U (%s): remove it", c, name)
				}
				i += size
			}
			if a == 0 {
				if lead := clauseBeforeNBSP(seg, r.doc.Numbering); lead > 0 {
					r.add(r.at(start+lead), saiasat.Error, "format/clause-space", &saiasat.Fix{Offset: start + lead, Length: len("\u00a0"), Text: " "},
						"a no-break space after the number %q: the line is read as text, not as a clause; the fix puts a plain space", string(bytes.TrimSpace(seg[:lead])))
				} else if at := clauseBeforeLetter(seg, r.doc.Numbering); at > 0 {
					r.add(r.at(start+at), saiasat.Error, "format/clause-space", &saiasat.Fix{Offset: start + at, Text: " "},
						"no space after the number %q: the line is read as text, not as a clause; the fix puts a space", string(bytes.TrimSpace(seg[:at])))
				}
			}
			if !norm.NFC.IsNormal(seg) {
				i, j := nfcSpan(seg)
				r.add(r.at(start+a+i), saiasat.Error, "text/nfc", &saiasat.Fix{Offset: start + a + i, Length: j - i, Text: string(norm.NFC.Bytes(seg[i:j]))},
					"text not in Unicode NFC (a letter written as base and combining mark); the fix composes it")
			}
		}
	}
	if bad > maxUTF8Findings {
		r.add(file, saiasat.Error, "text/utf8", nil, "%d more lines with invalid UTF-8: is the file in another encoding?", bad-maxUTF8Findings)
	}
	if bad == 0 {
		// A text that differs only by its BOM or CRs has had text/bom or
		// text/crlf already.
		if c, err := canon.FormatDoc(r.doc); err == nil && !bytes.Equal(c, src) && !bytes.Equal(c, r.view) {
			r.add(r.at(firstDiff(c, r.view)), saiasat.Warning, "format/canonical", nil, "the file is not in canonical form (hashes name the canonical form); run saiasat fmt")
		}
	}
}

// firstDiff returns the offset in b of the start of the first line where a
// and b differ.
func firstDiff(a, b []byte) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	return bytes.LastIndexByte(b[:min(i, len(b))], '\n') + 1
}

// invisible reports whether r is a character a reader cannot see that can
// still change a text's meaning, search or hash: format and control
// characters other than tab.
func invisible(r rune) (string, bool) {
	switch {
	case r == '\t':
		return "", false
	case r < 0x20 || r == 0x7F || (r >= 0x80 && r <= 0x9F):
		return "control character", true
	case r == 0x00AD:
		return "soft hyphen", true
	case r >= 0x200B && r <= 0x200F:
		return "zero-width or direction mark", true
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
		return "bidirectional control", true
	case r >= 0x2060 && r <= 0x2064:
		return "word joiner or invisible operator", true
	case r == 0xFEFF:
		return "zero-width no-break space", true
	case r == 0x180E:
		return "Mongolian vowel separator", true
	}
	return "", false
}

// nfcSpan returns the smallest span [i, j) of line, cut at normalization
// boundaries, outside which line is already NFC; the fix then touches
// nothing else on the line.
func nfcSpan(line []byte) (i, j int) {
	i = norm.NFC.QuickSpan(line)
	// QuickSpan may stop inside a sequence: back up to its boundary.
	if b := norm.NFC.LastBoundary(line[:i]); b >= 0 {
		i = b
	}
	j = i
	for j < len(line) {
		n := norm.NFC.NextBoundary(line[j:], true)
		if n <= 0 {
			return i, len(line)
		}
		j += n
		if norm.NFC.IsNormal(line[j:]) {
			return i, j
		}
	}
	return i, len(line)
}

// clauseBeforeNBSP returns the offset of a no-break space that directly
// follows a clause number at the start of line ("1.2.\u00a0text", common in
// text pasted from a PDF), or 0.
func clauseBeforeNBSP(line []byte, scheme saiasat.Numbering) int {
	i := 0
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	j := i
	for j < len(line) && (line[j] == '.' || (line[j] >= '0' && line[j] <= '9')) {
		j++
	}
	if j == i || !bytes.HasPrefix(line[j:], []byte("\u00a0")) {
		return 0
	}
	probe := append(append([]byte(nil), line[i:j]...), ' ')
	if clauseLabel(probe, scheme) == 0 {
		return 0
	}
	return j
}

// clauseBeforeLetter returns the offset right after a clause number that
// its text follows with no space ("1.2.Политика"), or 0. The number must
// end in a dot, so that "2.5кг" or a date stays text.
func clauseBeforeLetter(line []byte, scheme saiasat.Numbering) int {
	i := 0
	for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
		i++
	}
	j := i
	for j < len(line) && (line[j] == '.' || (line[j] >= '0' && line[j] <= '9')) {
		j++
	}
	if j == i || line[j-1] != '.' || j == len(line) {
		return 0
	}
	c, _ := utf8.DecodeRune(line[j:])
	if !unicode.IsLetter(c) && c != '«' && c != '"' {
		return 0
	}
	probe := append(append([]byte(nil), line[i:j]...), ' ')
	if clauseLabel(probe, scheme) == 0 {
		return 0
	}
	return j
}

// clauseLabel is the length of the clause label of the scheme at the
// start of b: "3.1." in sections, "12." too in flat, none in none.
func clauseLabel(b []byte, scheme saiasat.Numbering) int {
	switch scheme {
	case saiasat.NumberingNone:
		return 0
	case saiasat.NumberingFlat:
		return markdown.FlatClauseLabel(b)
	}
	return markdown.ClauseLabel(b)
}

// validRuns returns the spans of line between its invalid UTF-8 bytes.
func validRuns(line []byte) [][2]int {
	var runs [][2]int
	a := 0
	for i := 0; i < len(line); {
		c, size := utf8.DecodeRune(line[i:])
		if c == utf8.RuneError && size == 1 {
			if i > a {
				runs = append(runs, [2]int{a, i})
			}
			a = i + 1
		}
		i += size
	}
	if len(line) > a {
		runs = append(runs, [2]int{a, len(line)})
	}
	return runs
}
