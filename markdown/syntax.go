package markdown

import (
	"bytes"

	"github.com/saiasat/saiasat"
)

// Line syntax of the source format, shared by the block parsers and by
// callers that must agree with them (canonical form, import).

// maxPartDigits bounds each part of a clause or item number. Clause numbers
// never reach 1000, and the bound keeps dates ("16.09.2025") and amounts from
// reading as clauses.
const maxPartDigits = 3

// scanNumber reads "3.12.1" at the start of b: parts of 1 to 3 digits without
// leading zeros, separated by single dots. It returns the byte length read and
// the number of parts; n == 0 when b does not start with a number.
func scanNumber(b []byte) (n, parts int) {
	i := 0
	for {
		start := i
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
		digits := i - start
		if digits == 0 || digits > maxPartDigits || b[start] == '0' {
			if parts == 0 {
				return 0, 0
			}
			// "3.12." followed by a non-digit: the number ends before the dot.
			return start - 1, parts
		}
		parts++
		if i+1 < len(b) && b[i] == '.' && b[i+1] >= '0' && b[i+1] <= '9' {
			i++
			continue
		}
		return i, parts
	}
}

// isSpaceOrEOL reports whether b is empty or starts with a space, tab or
// line end.
func isSpaceOrEOL(b []byte) bool {
	return len(b) == 0 || b[0] == ' ' || b[0] == '\t' || b[0] == '\n' || b[0] == '\r'
}

// ClauseLabel returns the length of the clause number that starts b —
// "3.12.1." or "3.12.1", two or more parts, followed by a space or the line
// end — or 0 when b does not start a clause.
func ClauseLabel(b []byte) int {
	n, parts := scanNumber(b)
	if n == 0 || parts < 2 {
		return 0
	}
	if n < len(b) && b[n] == '.' {
		n++
	}
	// A date such as "16.09.2025 жылы" ends here: scanNumber stops before
	// "09", and what follows "16" is not a space.
	if !isSpaceOrEOL(b[n:]) {
		return 0
	}
	return n
}

// ItemLabel returns the length of the item label that starts b — "1)" or
// "11.1)", followed by a space or the line end — or 0.
func ItemLabel(b []byte) int {
	n, _ := scanNumber(b)
	if n == 0 || n >= len(b) || b[n] != ')' {
		return 0
	}
	n++
	if !isSpaceOrEOL(b[n:]) {
		return 0
	}
	return n
}

// BulletLabel returns the length of the bullet glyph that starts b ("- ",
// "• ", "– " …, see BulletGlyph), else 0.
func BulletLabel(b []byte) int { return BulletGlyph(b) }

// HeadingLevel returns the level of the ATX heading that starts b ("## "),
// or 0.
func HeadingLevel(b []byte) int {
	n := 0
	for n < len(b) && b[n] == '#' {
		n++
	}
	if n == 0 || n > 6 || !isSpaceOrEOL(b[n:]) {
		return 0
	}
	return n
}

// indent returns the byte offset of the first character of line that is
// not a space or tab.
func indent(line []byte) int {
	pos := 0
	for pos < len(line) && (line[pos] == ' ' || line[pos] == '\t') {
		pos++
	}
	return pos
}

// StartsBlock reports whether line opens a block of its own in the
// sections scheme — a heading, clause, item, bullet, container fence or
// footnote — and so ends the text of the block before it. Indentation
// never matters: the format has no indented code blocks, and text pasted
// from a PDF is often indented.
func StartsBlock(line []byte) bool { return startsBlock(line, saiasat.NumberingSections) }

func startsBlock(line []byte, scheme saiasat.Numbering) bool {
	if startsTopBlock(line, scheme) {
		return true
	}
	b := line[indent(line):]
	n, _ := LetterItemLabel(b)
	return ItemLabel(b) > 0 || n > 0 || BulletLabel(b) > 0 || IsTableRow(b)
}

// StartsTopBlock reports whether line opens a heading or a clause of the
// sections scheme, the blocks that canonical form separates by one blank
// line, or a fence or footnote, which end a clause.
func StartsTopBlock(line []byte) bool { return startsTopBlock(line, saiasat.NumberingSections) }

func startsTopBlock(line []byte, scheme saiasat.Numbering) bool {
	pos := indent(line)
	b := line[pos:]
	_, fence := Fence(b)
	// goldmark's ATX heading parser refuses four spaces of indentation.
	return (headingIndent(line[:pos]) && HeadingLevel(b) > 0) || clauseLabel(b, scheme) > 0 || fence || FootnoteLabel(b) > 0
}

// clauseLabel is the clause label of scheme at the start of b: none in the
// none scheme, "12." or "3.1." in flat, "3.1." in sections.
func clauseLabel(b []byte, scheme saiasat.Numbering) int {
	switch scheme {
	case saiasat.NumberingNone:
		return 0
	case saiasat.NumberingFlat:
		return FlatClauseLabel(b)
	}
	return ClauseLabel(b)
}

// headingIndent reports whether ind, the indentation of a line, still
// allows an ATX heading: at most three spaces, as goldmark's parser wants.
func headingIndent(ind []byte) bool {
	return len(ind) <= 3 && bytes.IndexByte(ind, '\t') < 0
}
