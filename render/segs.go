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

// markupOf maps every byte of text to how the site prints it.
func markupOf(text string) []markup {
	out := make([]markup, len(text))
	for i := range out {
		out[i].hidden = true
	}
	for _, s := range markdown.Spans(text) {
		for i := s.Start; i < s.Start+len(s.Text); i++ {
			out[i] = markup{strong: s.Strong, link: s.Link}
		}
	}
	return out
}

// marked cuts ops into Segs with the site's inline markup: deleted text
// takes the marks it had in the old text, equal and inserted text those it
// has in the new one. A change of markup alone (a word made strong) thus
// shows as its new marks, without a deletion or insertion of words.
// Blocks that take no markup (titles, headings) keep their text as it is.
func marked(ops []diff.Op, block diff.Block) []Seg {
	if block == diff.BlockTitle || block == diff.BlockHeading {
		out := make([]Seg, len(ops))
		for i, op := range ops {
			out[i] = Seg{Op: op.Op, Text: op.Text, Fix: op.Fix}
		}
		return out
	}
	var oldText, newText strings.Builder
	for _, op := range ops {
		if op.Op != diff.OpInsert {
			oldText.WriteString(op.Text)
		}
		if op.Op != diff.OpDelete {
			newText.WriteString(op.Text)
		}
	}
	oldM, newM := markupOf(oldText.String()), markupOf(newText.String())
	var out []Seg
	oi, ni := 0, 0
	for _, op := range ops {
		m, at := newM, ni
		if op.Op == diff.OpDelete {
			m, at = oldM, oi
		}
		start := -1
		var cur markup
		flush := func(end int) {
			if start >= 0 && end > start {
				out = append(out, Seg{Op: op.Op, Text: op.Text[start:end], Fix: op.Fix, Strong: cur.strong, Link: cur.link})
			}
			start = -1
		}
		for i := 0; i < len(op.Text); i++ {
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
		flush(len(op.Text))
		if op.Op != diff.OpInsert {
			oi += len(op.Text)
		}
		if op.Op != diff.OpDelete {
			ni += len(op.Text)
		}
	}
	return out
}
