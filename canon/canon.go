// Package canon owns the canonical form of a policy text — the bytes `saiasat
// fmt` writes — and the hashes computed over it: text, clause and version
// hashes (docs/hashing.md).
package canon

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/markdown"
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

// Format returns the canonical form of a policy text, parsed in the
// numbering scheme of opts (markdown.WithNumbering; default sections):
//
//   - UTF-8 without BOM, LF line ends, NFC;
//   - no trailing white space on any line (two trailing spaces, a Markdown
//     hard break, are removed too: clause text has no hard breaks; write "\"
//     at the end of a line for one);
//   - exactly one blank line before every heading, clause, container
//     ("::: approval", "::: signature") and table, and after every heading,
//     container and table; no run of blank lines anywhere, none at the
//     start or end;
//   - an item or bullet nested in another indented 3 spaces per level, one
//     directly under its clause or paragraph not indented;
//   - paragraphs, footnotes and the lines inside a container as written;
//   - one final newline (an empty text stays empty).
//
// It never changes a letter, so a published text keeps its defects. Format
// is idempotent: Format(Format(x)) == Format(x).
func Format(src []byte, opts ...markdown.Option) ([]byte, error) {
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
	lay, err := layoutLines(lines, opts)
	if err != nil {
		return nil, err
	}

	var out bytes.Buffer
	blank := false     // a blank line is pending
	afterBlock := true // nothing written yet, or a block that wants a blank after it
	for i, l := range lines {
		if len(l) == 0 {
			blank = true
			continue
		}
		if out.Len() > 0 && (blank || lay[i].before || afterBlock) {
			out.WriteByte('\n')
		}
		if ind := lay[i].indent; ind >= 0 {
			out.WriteString(strings.Repeat(" ", ind))
			l = bytes.TrimLeft(l, " \t")
		}
		out.Write(l)
		out.WriteByte('\n')
		blank = false
		afterBlock = lay[i].after
	}
	return out.Bytes(), nil
}

// lineLayout is what canonical form does around one line.
type lineLayout struct {
	before, after bool // one blank line before it, after it
	indent        int  // the line's indentation in spaces; -1: as written
}

// kindLayout is the canonical layout of each kind of block: a blank line
// before its first line, after its last, and whether its first line is
// indented by its depth in a list. Every kind has an entry; a kind without
// one makes Format fail (TestFormatEveryKind), never pass silently.
var kindLayout = map[saiasat.Kind]struct{ before, after, nest bool }{
	saiasat.KindTitle:     {before: true, after: true},
	saiasat.KindApproval:  {before: true, after: true},
	saiasat.KindChapter:   {before: true, after: true},
	saiasat.KindSection:   {before: true, after: true},
	saiasat.KindClause:    {before: true},
	saiasat.KindItem:      {nest: true},
	saiasat.KindBullet:    {nest: true},
	saiasat.KindParagraph: {},
	saiasat.KindTable:     {before: true, after: true},
	saiasat.KindFootnote:  {},
	saiasat.KindSignature: {before: true, after: true},
}

// NestIndent is the indentation of one level of a nested list.
const NestIndent = 3

// layoutLines parses lines as the parser sees them and says, per line, what
// canonical form does: blank lines around blocks, indentation of nested
// items, so that canonical form and parsing agree.
func layoutLines(lines [][]byte, opts []markdown.Option) ([]lineLayout, error) {
	src := bytes.Join(lines, []byte("\n"))
	lay := make([]lineLayout, len(lines))
	for i := range lay {
		lay[i].indent = -1
	}
	if len(src) == 0 {
		return lay, nil
	}
	var err error
	var walk func(bs []*saiasat.Block, depth int)
	walk = func(bs []*saiasat.Block, depth int) {
		for _, b := range bs {
			k, ok := kindLayout[b.Kind]
			if !ok {
				err = fmt.Errorf("line %d: no canonical form for a %s", b.Pos.Line, b.Kind)
				return
			}
			first, last := b.Pos.Line-1, blockLast(b)-1
			if first >= 0 && first < len(lay) {
				lay[first].before = lay[first].before || k.before
				if k.nest {
					lay[first].indent = NestIndent * depth
				}
				if b.Kind == saiasat.KindTitle || b.Kind == saiasat.KindSection || b.Kind == saiasat.KindChapter {
					// A heading is one line; a title's lines are each one.
					for l := first; l <= last && l < len(lay); l++ {
						if len(lines[l]) > 0 {
							lay[l].before, lay[l].after = true, true
						}
					}
				}
			}
			if last >= 0 && last < len(lay) && k.after {
				lay[last].after = true
			}
			d := 0
			if k.nest {
				d = depth + 1
			}
			walk(b.Children, d)
		}
	}
	walk(markdown.ParseTree("", src, opts...), 0)
	return lay, err
}

// blockLast is the last line of b's own lines: a heading's line, a
// container's or table's last; for the rest its whole extent.
func blockLast(b *saiasat.Block) int {
	switch b.Kind {
	case saiasat.KindChapter, saiasat.KindSection:
		return b.Pos.Line
	}
	return b.EndLine
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

// FormatDoc returns the canonical form of doc's source in the numbering
// scheme it was parsed in: the form its hashes name.
func FormatDoc(doc *saiasat.Document) ([]byte, error) {
	return Format(doc.Source, markdown.WithNumbering(doc.Numbering))
}

// TextHash returns the hash of the canonical form of src.
func TextHash(src []byte) (saiasat.Hash, error) {
	c, err := Format(src)
	if err != nil {
		return "", err
	}
	return saiasat.HashBytes(c), nil
}
