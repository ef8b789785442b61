package diff

import (
	"bytes"
	"slices"
	"strings"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/canon"
	"github.com/saiasat/saiasat/markdown"
)

// Block is what a change is about: a clause, the document's `# Title`, a
// section heading, or unnumbered text (anything else the parser accepts,
// such as a paragraph outside any clause).
type Block string

// Kinds of block. A clause change leaves Block empty in JSON.
const (
	BlockClause  Block = "clause"
	BlockTitle   Block = "title"
	BlockHeading Block = "heading"
	BlockText    Block = "text"
)

// block is one top-level block of a canonical text, with the blank lines
// before it (lead), so that the blocks of a text, concatenated, give back
// "\n" + the text exactly: the first block's lead is a virtual blank line,
// which keeps every heading's and clause's lead "\n" wherever it stands.
type block struct {
	kind Block
	lead string
	// content is the block's lines, each with its "\n".
	content string
	// line is the canonical line of the block's first content line.
	line int
	// number is a clause's number, or a section heading's as Number{n}.
	number saiasat.Number
	// id is the block's stable ID in the text's tree ("p1", "3/t1"),
	// empty when the text's tree is not known.
	id string
	// label is a clause's label as written, with any indentation before it;
	// text is what a change's ops cover: for a clause, the content after
	// its label; for a heading or the title, the content; for unnumbered
	// text, lead and content. Neither has the final "\n".
	label, text string
	clause      *saiasat.Clause
	all         *string // whole, once asked for
}

// whole returns the block's exact bytes: lead and content, joined once
// (alignment compares them many times).
func (b *block) whole() string {
	if b.all == nil {
		all := b.lead + b.content
		b.all = &all
	}
	return *b.all
}

// canonical returns doc parsed from its canonical form: the text whose hash
// names the version. A document that is not UTF-8 is kept as it is.
func canonical(doc *saiasat.Document) *saiasat.Document {
	if doc == nil {
		return nil
	}
	c, err := canon.FormatDoc(doc)
	if err != nil {
		return doc
	}
	if bytes.Equal(c, doc.Source) {
		return doc
	}
	d, _ := markdown.Parse(doc.File, doc.Lang, c, markdown.WithNumbering(doc.Numbering))
	return d
}

// splitBlocks cuts doc, a canonical text, into the blocks the diff aligns
// (treeCuts: the units of its tree of blocks): every line belongs to
// exactly one block, and blank lines go with the block after them.
func splitBlocks(doc *saiasat.Document) []*block {
	if doc == nil || len(doc.Source) == 0 {
		return nil
	}
	src := doc.Source
	lines := markdown.NewLines(src)
	cuts := treeCuts(doc)
	if len(cuts) == 0 || cuts[0].line > 1 {
		cuts = append([]cut{{line: 1, kind: BlockText}}, cuts...)
	}
	clauses := make(map[int]*saiasat.Clause)
	for _, c := range doc.Clauses() {
		clauses[c.Pos.Line] = c
	}
	text := func(from, to int) string { // lines from..to, each with "\n"
		if from > to {
			return ""
		}
		end := len(src)
		if to < lines.Count() {
			end = lines.Start(to + 1)
		}
		return string(src[lines.Start(from):end])
	}
	var out []*block
	prevEnd := 0 // last line of the previous block
	for k, c := range cuts {
		next := lines.Count() + 1
		if k+1 < len(cuts) {
			next = cuts[k+1].line
		}
		last := next - 1
		for last > c.line && len(bytes.TrimSpace(lines.Text(last))) == 0 {
			last--
		}
		b := &block{kind: c.kind, id: c.id, lead: text(prevEnd+1, c.line-1), content: text(c.line, last), line: c.line}
		if k == 0 {
			b.lead = "\n" + b.lead
		}
		prevEnd = last
		body := strings.TrimSuffix(b.content, "\n")
		switch b.kind {
		case BlockClause:
			label, num := c.label, c.num
			if cl := clauses[c.line]; cl != nil {
				b.clause = cl
				if num == nil {
					label, num = cl.Label, cl.Number
				}
			}
			i := strings.Index(body, label)
			if num == nil || label == "" || i < 0 {
				b.kind = BlockText
				b.text = b.lead + body
				break
			}
			b.number = num
			b.label, b.text = body[:i+len(label)], body[i+len(label):]
		case BlockHeading:
			b.text = body
			b.number = c.num
			if b.number == nil {
				b.number = headingNumber(body)
			}
		case BlockTitle:
			b.text = body
		default:
			b.text = b.lead + body
		}
		out = append(out, b)
	}
	// Trailing blank lines cannot be in a canonical text; should any be
	// there, they belong to the last block so that nothing is lost.
	if prevEnd < lines.Count() && len(out) > 0 {
		out[len(out)-1].content += text(prevEnd+1, lines.Count())
	}
	return out
}

// headingNumber reads the N of "## N. Title", or nil.
func headingNumber(line string) saiasat.Number {
	s := strings.TrimLeft(strings.TrimLeft(line, " "), "#")
	s = strings.TrimLeft(s, " \t")
	i := 0
	for i < len(s) && i < 3 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 || s[0] == '0' || (i < len(s) && s[i] != '.' && s[i] != ' ' && s[i] != '\t') {
		return nil
	}
	n, err := saiasat.ParseNumber(s[:i])
	if err != nil {
		return nil
	}
	return n
}

// blockAt returns the index of the block whose content starts at line.
func blockAt(bs []*block, line int) int {
	i, ok := slices.BinarySearchFunc(bs, line, func(b *block, l int) int { return b.line - l })
	if !ok {
		return -1
	}
	return i
}
