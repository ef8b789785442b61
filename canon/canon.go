// Package canon owns the canonical form of a policy text — the bytes `saiasat
// fmt` writes — and the hashes computed over it: text, clause and version
// hashes (docs/hashing.md).
package canon

import (
	"bytes"
	"errors"
	"fmt"
	"unicode"
	"unicode/utf8"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/markdown"
	"github.com/yuin/goldmark/ast"
	"golang.org/x/text/unicode/norm"
)

// BOM is the UTF-8 byte order mark.
var BOM = []byte("\uFEFF")

// View returns src as the parser sees it: without a leading BOM, with CRLF
// and lone CR turned into LF. Line numbers stay those of src.
func View(src []byte) []byte {
	src = bytes.TrimPrefix(src, BOM)
	if bytes.IndexByte(src, '\r') < 0 {
		return src
	}
	out := make([]byte, 0, len(src))
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c == '\r' {
			if i+1 < len(src) && src[i+1] == '\n' {
				continue
			}
			c = '\n'
		}
		out = append(out, c)
	}
	return out
}

// ErrInvalidUTF8 is returned by Format for text that is not UTF-8: canonical
// form never guesses an encoding.
var ErrInvalidUTF8 = errors.New("invalid UTF-8")

// Format returns the canonical form of a policy text:
//
//   - UTF-8 without BOM, LF line ends, NFC;
//   - no trailing white space on any line (two trailing spaces, a Markdown
//     hard break, are removed too: clause text has no hard breaks; write "\"
//     at the end of a line for one);
//   - exactly one blank line before every heading and clause and after every
//     heading, no run of blank lines anywhere, none at the start or end;
//   - one final newline (an empty text stays empty).
//
// It never changes a letter, so a published text keeps its defects. Format
// is idempotent: Format(Format(x)) == Format(x).
func Format(src []byte) ([]byte, error) {
	v := View(src)
	if !utf8.Valid(v) {
		line := 1 + bytes.Count(v[:InvalidAt(v)], []byte("\n"))
		return nil, fmt.Errorf("%w at line %d", ErrInvalidUTF8, line)
	}
	v = norm.NFC.Bytes(v)

	var lines [][]byte
	for l := range bytes.SplitSeq(v, []byte("\n")) {
		lines = append(lines, bytes.TrimRightFunc(l, unicode.IsSpace))
	}
	top := topBlockLines(lines)

	var out bytes.Buffer
	blank := false    // a blank line is pending
	afterHead := true // nothing written yet, or a heading was just written
	for i, l := range lines {
		if len(l) == 0 {
			blank = true
			continue
		}
		if out.Len() > 0 && (blank || top[i] || afterHead) {
			out.WriteByte('\n')
		}
		out.Write(l)
		out.WriteByte('\n')
		blank = false
		afterHead = top[i] && markdown.HeadingLevel(bytes.TrimLeft(l, " \t")) > 0
	}
	return out.Bytes(), nil
}

// topBlockLines marks the lines that open a heading or clause as the parser
// sees them, so that canonical form and parsing agree.
func topBlockLines(lines [][]byte) []bool {
	src := bytes.Join(lines, []byte("\n"))
	idx := markdown.NewLines(src)
	top := make([]bool, len(lines))
	root := markdown.ParseBlocks(src)
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		if n.Kind() == markdown.KindClause || n.Kind() == ast.KindHeading {
			if n.Pos() >= 0 && len(src) > 0 {
				top[idx.Line(n.Pos())-1] = true
			}
		}
	}
	return top
}

// InvalidAt returns the offset of the first byte of b that is not valid
// UTF-8, or len(b).
func InvalidAt(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// TextHash returns the hash of the canonical form of src.
func TextHash(src []byte) (saiasat.Hash, error) {
	c, err := Format(src)
	if err != nil {
		return "", err
	}
	return saiasat.HashBytes(c), nil
}
