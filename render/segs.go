package render

import (
	"strings"

	"github.com/saiasat/saiasat/diff"
	"github.com/saiasat/saiasat/markdown"
)

// Seg is a run of a redline cell printed one way: an operation's text (or
// part of it) with the inline markup the site prints it with. The markup's
// delimiters ("**", "[", "](#3.1)") are not in any Seg: the redline prints
// a clause's words as the page does (markdown.Spans), never raw Markdown.
type Seg struct {
	// Op, Text and Fix are those of the diff.Op the run is part of.
	Op, Text, Fix string
	// Strong is set inside "**…**"; Link is a clause or section link's
	// destination ("#3.11.1").
	Strong bool
	Link   string
}

// markup is what one byte of a text prints as: hidden (a delimiter), or
// its span's marks.
type markup struct {
	hidden bool
	strong bool
	link   string
}

// markupOf maps every byte of a block's text to how the site prints it.
// The text is parsed as the page parses it (markdown.TextBlocks): a
// clause's body after a stand-in number, and each paragraph, item and
// bullet read apart, so a "**" never pairs across them; the "#" marks of
// a heading line and the delimiters Spans leaves out are hidden, labels
// and blank lines stay as written.
func markupOf(block diff.Block, text string) []markup {
	out := make([]markup, len(text))
	switch block {
	case diff.BlockApproval, diff.BlockSignature:
		fenced(text, out)
		return out
	case diff.BlockTable, diff.BlockFootnote:
		lineSpans(text, block, out)
		return out
	}
	if block == diff.BlockTitle || block == diff.BlockHeading || block == diff.BlockChapter {
		// Literal text; only each line's leading "#" marks are not
		// printed (a title may run over several "#" lines).
		for start := 0; start < len(text); {
			end := strings.IndexByte(text[start:], '\n')
			if end < 0 {
				end = len(text)
			} else {
				end += start
			}
			i := start + len(text[start:end]) - len(strings.TrimLeft(text[start:end], " "))
			if j := i + len(text[i:end]) - len(strings.TrimLeft(text[i:end], "#")); j > i {
				for j < end && text[j] == ' ' {
					j++
				}
				for k := i; k < j; k++ {
					out[k].hidden = true
				}
			}
			start = end + 1
		}
		return out
	}
	prefix := ""
	if block == diff.BlockClause {
		prefix = "1.1. "
	}
	src := prefix + text
	for _, b := range markdown.TextBlocks([]byte(src)) {
		if b.Text == "" {
			continue
		}
		at := func(i int) int { return b.Offset(i) - len(prefix) }
		if b.Heading {
			// A heading's text is literal; its "#" marks and the spaces
			// after them are not printed.
			first := at(0)
			for i := first - 1; i >= 0 && (text[i] == '#' || text[i] == ' '); i-- {
				out[i].hidden = true
			}
			continue
		}
		for i := range len(b.Text) {
			if b.Text[i] != '\n' {
				if j := at(i); j >= 0 && j < len(out) {
					out[j].hidden = true
				}
			}
		}
		for _, s := range markdown.Spans(b.Text) {
			for i := s.Start; i < s.Start+len(s.Text); i++ {
				if j := at(i); j >= 0 && j < len(out) {
					out[j] = markup{strong: s.Strong, link: s.Link}
				}
			}
		}
	}
	return out
}

// fenced marks the fence lines of an approval stamp or signature block
// hidden — its first line ("::: approval") and last (":::") when
// markdown.Fence reads them as fences — with the line end that joins each
// to the block's lines: the page prints the lines between them as written.
func fenced(text string, out []markup) {
	first := len(text) - len(strings.TrimLeft(text, "\n"))
	end := len(strings.TrimRight(text, "\n"))
	if first >= end {
		return
	}
	hide := func(from, to int) {
		for i := from; i < to; i++ {
			out[i].hidden = true
		}
	}
	nl := strings.IndexByte(text[first:end], '\n')
	if nl < 0 { // one line
		if _, ok := markdown.Fence([]byte(text[first:end])); ok {
			hide(first, end)
		}
		return
	}
	if _, ok := markdown.Fence([]byte(text[first : first+nl])); ok {
		hide(first, first+nl+1)
	}
	last := strings.LastIndexByte(text[:end], '\n')
	if _, ok := markdown.Fence([]byte(text[last+1 : end])); ok && last+1 > first+nl {
		hide(last, end)
	}
}

// lineSpans marks a table's or footnote's text line by line with the
// inline markup (a table cell's "**" never pairs across lines); a table's
// pipes and a footnote's mark are printed as written.
func lineSpans(text string, block diff.Block, out []markup) {
	start := 0
	for start < len(text) {
		end := strings.IndexByte(text[start:], '\n')
		if end < 0 {
			end = len(text)
		} else {
			end += start
		}
		line := text[start:end]
		for i := range len(line) {
			out[start+i].hidden = true
		}
		for _, sp := range markdown.Spans(line) {
			for i := sp.Start; i < sp.Start+len(sp.Text); i++ {
				out[start+i] = markup{strong: sp.Strong, link: sp.Link}
			}
		}
		start = end + 1
	}
}

// marked cuts ops into Segs with the site's inline markup: deleted text
// takes the marks it had in the old text, inserted text those it has in
// the new one. Equal text whose marks differ between the two (a word made
// strong, or a "**" an edit unpaired) is shown as deleted with its old
// marks and inserted with its new ones, so a change of markup is a change
// the reader sees and each side reads as its own page.
func marked(ops []diff.Op, block diff.Block) []Seg {
	var oldText, newText strings.Builder
	for _, op := range ops {
		if op.Op != diff.OpInsert {
			oldText.WriteString(op.Text)
		}
		if op.Op != diff.OpDelete {
			newText.WriteString(op.Text)
		}
	}
	oldM, newM := markupOf(block, oldText.String()), markupOf(block, newText.String())
	var out []Seg
	// emit appends text[from:to] of op as kind, cut into runs by marks.
	emit := func(kind string, op diff.Op, m []markup, at, from, to int) {
		start := -1
		var cur markup
		flush := func(end int) {
			if start >= 0 && end > start {
				out = append(out, Seg{Op: kind, Text: op.Text[start:end], Fix: op.Fix, Strong: cur.strong, Link: cur.link})
			}
			start = -1
		}
		for i := from; i < to; i++ {
			k := m[at+i]
			switch {
			case k.hidden:
				flush(i)
			case start < 0:
				start, cur = i, k
			case k != cur:
				flush(i)
				start, cur = i, k
			}
		}
		flush(to)
	}
	oi, ni := 0, 0
	for _, op := range ops {
		switch op.Op {
		case diff.OpDelete:
			emit(op.Op, op, oldM, oi, 0, len(op.Text))
		case diff.OpInsert:
			emit(op.Op, op, newM, ni, 0, len(op.Text))
		default:
			// Runs of bytes that print alike on both sides, and runs that
			// do not.
			for i := 0; i < len(op.Text); {
				same := oldM[oi+i] == newM[ni+i]
				j := i + 1
				for j < len(op.Text) && (oldM[oi+j] == newM[ni+j]) == same {
					j++
				}
				if same {
					emit(op.Op, op, newM, ni, i, j)
				} else {
					emit(diff.OpDelete, op, oldM, oi, i, j)
					emit(diff.OpInsert, op, newM, ni, i, j)
				}
				i = j
			}
		}
		if op.Op != diff.OpInsert {
			oi += len(op.Text)
		}
		if op.Op != diff.OpDelete {
			ni += len(op.Text)
		}
	}
	return out
}
