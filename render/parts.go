package render

import (
	"strings"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/markdown"
)

// Part is a piece of a block's content in source order: a paragraph of
// its own text (Text, lines joined by "\n"), or one of its children
// (Child). A clause may say more after its list ("1.1. text", bullets,
// then a paragraph of the clause): the tree keeps that paragraph in the
// clause's Text, before its children; Parts puts it back after them, where
// the reader meets it.
type Part struct {
	Text  string
	Child *saiasat.Block
}

// Parts returns b's own text and children in the order of the source src
// (the document's bytes): each paragraph of its text — lines apart from
// the children's, separated by blank lines — and each child where it
// stands. When b's text cannot be matched line by line with src, its text
// comes first, as one part, then its children.
func Parts(src *markdown.Lines, b *saiasat.Block) []Part {
	fallback := func() []Part {
		var out []Part
		if b.Text != "" {
			out = append(out, Part{Text: b.Text})
		}
		for _, c := range b.Children {
			out = append(out, Part{Child: c})
		}
		return out
	}
	if src == nil || b.Pos.Line < 1 || b.EndLine < b.Pos.Line || b.EndLine > src.Count() {
		return fallback()
	}
	if len(b.Children) == 0 && !strings.Contains(b.Text, "\n") {
		return fallback() // the usual case: one line, nothing to place
	}
	text := strings.Split(b.Text, "\n")
	var out []Part
	var run []string
	flush := func() {
		if len(run) > 0 {
			out = append(out, Part{Text: strings.Join(run, "\n")})
			run = nil
		}
	}
	ci, ti := 0, 0
	// afterChild: lines that are not b's own, after a child, are the
	// child's. A safeguard: the tree's extents hold their text
	// (markdown's TestBlockExtents), but Parts must not lose a line if one
	// ever stops short.
	afterChild := false
	for l := b.Pos.Line; l <= src.Count() && (l <= b.EndLine || ti < len(text)); l++ {
		if ci < len(b.Children) && b.Children[ci].Pos.Line == l {
			flush()
			c := b.Children[ci]
			out = append(out, Part{Child: c})
			l = max(l, c.EndLine)
			ci++
			afterChild = true
			continue
		}
		line := strings.TrimSpace(string(src.Text(l)))
		if line == "" {
			flush()
			continue
		}
		if ti < len(text) && strings.HasSuffix(line, text[ti]) {
			run = append(run, text[ti])
			ti++
			afterChild = false
			continue
		}
		if !afterChild {
			return fallback()
		}
	}
	flush()
	if ti != len(text) || ci != len(b.Children) {
		return fallback()
	}
	return out
}
