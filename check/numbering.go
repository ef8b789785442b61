package check

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/markdown"
)

// Maximum nesting: clauses go to four parts (3.12.1.1), items to three
// (11.1.1); deeper numbering is a sign of a typo rather than of structure.
const (
	MaxClauseDepth = 4
	MaxItemDepth   = 3
)

// numberer checks one numbered sequence — the sections of a document, its
// clauses, or the items of one clause — for numbering/gap, duplicate, order,
// parent and depth.
type numberer struct {
	r    *reporter
	kind string // "section", "clause", "item", "chapter"
	// itemLabel writes an item's number as its label: "2)", "2.", "б)".
	itemLabel func(saiasat.Number) string
	depth     int // the depth the sequence starts below: 1 for clauses (under their section), 0 otherwise
	max       int
	seen      map[string]saiasat.Pos
	last      map[string]int // last child number seen, by parent number
	prev      int            // depth of the previous number
}

func newNumberer(r *reporter, kind string, depth, max int) *numberer {
	return &numberer{r: r, kind: kind, depth: depth, max: max, prev: depth,
		seen: make(map[string]saiasat.Pos), last: make(map[string]int)}
}

func (s *numberer) name(n saiasat.Number) string {
	if s.kind == "item" {
		return "item " + s.label(n)
	}
	return s.kind + " " + n.String()
}

func (s *numberer) label(n saiasat.Number) string {
	switch s.kind {
	case "item":
		if s.itemLabel != nil {
			return s.itemLabel(n)
		}
		return n.String() + ")"
	case "section", "chapter":
		return s.kind + " " + n.String()
	}
	return n.String()
}

func (s *numberer) visit(n saiasat.Number, pos saiasat.Pos) {
	if len(n) == 0 {
		return
	}
	parent := n.Parent()
	key := parent.String()
	k := n.Last()
	defer func() { s.prev = len(n) }()

	switch {
	case len(n) > s.max:
		s.r.add(pos, saiasat.Error, "numbering/depth", nil, "%s is nested %d levels deep; at most %d are allowed", s.name(n), len(n), s.max)
	case len(n) > s.prev+1:
		s.r.add(pos, saiasat.Error, "numbering/depth", nil, "%s skips a level: it is %d levels below the %s before it", s.name(n), len(n)-s.prev, s.kindOrSection())
	case len(n) > s.depth+1:
		// A nested number needs its parent, and must stand in its block.
		if _, ok := s.seen[parent.String()]; !ok {
			s.r.add(pos, saiasat.Error, "numbering/parent", nil, "%s has no %s %s before it", s.name(n), s.kind, s.label(parent))
		} else if after := s.last[parent.Parent().String()]; after > parent.Last() {
			next := append(parent.Parent()[:len(parent.Parent()):len(parent.Parent())], after)
			s.r.add(pos, saiasat.Error, "numbering/parent", nil, "%s stands after %s, outside %s", s.name(n), s.label(next), s.label(parent))
		}
	}

	prevK := s.last[key]
	if at, dup := s.seen[n.String()]; dup {
		s.r.add(pos, saiasat.Error, "numbering/duplicate", nil, "%s is already at line %d", s.name(n), at.Line)
		return
	}
	switch {
	case k > prevK+1:
		s.r.add(pos, saiasat.Error, "numbering/gap", nil, "%s %s", s.name(n), s.missing(parent, prevK, k))
	case k <= prevK:
		s.r.add(pos, saiasat.Error, "numbering/order", nil, "%s comes after %s", s.name(n), s.label(append(parent[:len(parent):len(parent)], prevK)))
	}
	s.last[key] = max(prevK, k)
	s.seen[n.String()] = pos
}

func (s *numberer) kindOrSection() string {
	if s.prev == s.depth && s.kind == "clause" {
		return "section"
	}
	return s.kind
}

// missing describes the numbers between prevK and k under parent.
func (s *numberer) missing(parent saiasat.Number, prevK, k int) string {
	num := func(i int) string { return s.label(append(parent[:len(parent):len(parent)], i)) }
	from, to := prevK+1, k-1
	lost := num(from) + " is missing"
	if from < to {
		lost = num(from) + "–" + num(to) + " are missing"
		if s.kind == "section" || s.kind == "chapter" {
			lost = fmt.Sprintf("%ss %d–%d are missing", s.kind, from, to)
		}
	}
	if prevK == 0 {
		return "is the first of its level: " + lost
	}
	return "follows " + num(prevK) + ": " + lost
}

// numbering runs the numbering rules of the document's scheme: sections
// (numbered sections, clauses N.M under section N), flat (clauses 1, 2, 3 …
// through the whole text) or none (no clauses); in every scheme, chapters
// run 1, 2, 3 and each list of items runs in order under its holder.
func (r *reporter) numbering() {
	switch r.doc.Numbering {
	case saiasat.NumberingFlat:
		r.numberingFlat()
	case saiasat.NumberingNone:
		r.sections()
	default:
		r.numberingSections()
	}
	r.chapters()
	r.items()
	r.scheme()
}

// sections checks the numbered sections as one sequence.
func (r *reporter) sections() {
	secs := newNumberer(r, "section", 0, 1)
	saiasat.WalkBlocks(r.doc.Blocks, func(b *saiasat.Block) bool {
		if b.Kind == saiasat.KindSection && len(b.Number) == 1 {
			secs.visit(b.Number, b.Pos)
		}
		return b.Kind == saiasat.KindChapter
	})
}

// chapters checks that chapters run 1, 2, 3 (Roman ones converted).
func (r *reporter) chapters() {
	chs := newNumberer(r, "chapter", 0, 1)
	for _, b := range r.doc.Blocks {
		if b.Kind == saiasat.KindChapter {
			chs.visit(b.Number, b.Pos)
		}
	}
}

// numberingSections checks sections, and clauses against their section:
// clause N.M stands in section N, nested numbers under their parents.
func (r *reporter) numberingSections() {
	r.sections()
	clauses := newNumberer(r, "clause", 1, MaxClauseDepth)
	before := false
	var section *saiasat.Block
	var visit func(parent *saiasat.Block, bs []*saiasat.Block)
	visit = func(parent *saiasat.Block, bs []*saiasat.Block) {
		for _, b := range bs {
			switch b.Kind {
			case saiasat.KindChapter:
				visit(b, b.Children)
			case saiasat.KindSection:
				visit(b, b.Children)
			case saiasat.KindClause:
				if parent != section {
					section, clauses.prev = parent, 1
				}
				switch {
				case (parent == nil || parent.Kind == saiasat.KindChapter) && !before:
					before = true
					r.add(b.Pos, saiasat.Error, "numbering/parent", nil, "clause %s comes before any section heading \"## %d. …\"", b.Number, b.Number[0])
				case parent != nil && parent.Kind == saiasat.KindSection && len(parent.Number) == 1 && b.Number[0] != parent.Number[0]:
					r.add(b.Pos, saiasat.Error, "numbering/parent", nil, "clause %s is in section %d; it belongs in section %d", b.Number, parent.Number[0], b.Number[0])
				}
				clauses.visit(b.Number, b.Pos)
			}
		}
	}
	visit(nil, r.doc.Blocks)
}

// numberingFlat checks clauses numbered 1, 2, 3 … through the whole text,
// across chapters and headings, with sub-clauses 12.1 under 12.
func (r *reporter) numberingFlat() {
	r.sections()
	clauses := newNumberer(r, "clause", 0, MaxClauseDepth)
	saiasat.WalkBlocks(r.doc.Blocks, func(b *saiasat.Block) bool {
		if b.Kind == saiasat.KindClause {
			clauses.visit(b.Number, b.Pos)
			return false
		}
		return true
	})
}

// itemStyle names the kind of label of an item: lists of different styles
// under one holder ("1." then "а)") are numbered apart.
func itemStyle(label string) string {
	r, _ := utf8.DecodeRuneInString(label)
	switch {
	case r >= '0' && r <= '9' && strings.HasSuffix(label, "."):
		return "dot"
	case r >= '0' && r <= '9':
		return "paren"
	case r < utf8.RuneSelf:
		return "latin"
	}
	return "cyrillic"
}

// items checks each list: the items directly under one block, of one
// style, numbered 1, 2, 3 (letters by their ordinal in the alphabet).
func (r *reporter) items() {
	var check func(bs []*saiasat.Block)
	check = func(bs []*saiasat.Block) {
		lists := make(map[string]*numberer)
		for _, b := range bs {
			if b.Kind == saiasat.KindItem && len(b.Number) > 0 {
				style := itemStyle(b.Label)
				n := lists[style]
				if n == nil {
					n = newNumberer(r, "item", 0, MaxItemDepth)
					n.itemLabel = r.itemLabel(style)
					lists[style] = n
				}
				n.visit(b.Number, b.Pos)
			}
			check(b.Children)
		}
	}
	check(r.doc.Blocks)
}

// itemLabel returns how items of style write their numbers.
func (r *reporter) itemLabel(style string) func(saiasat.Number) string {
	return func(n saiasat.Number) string {
		switch style {
		case "dot":
			return n.String() + "."
		case "latin", "cyrillic":
			if l := markdown.LetterAt(n.Last(), r.doc.Lang, style == "latin"); l != "" && len(n) == 1 {
				return l + ")"
			}
		}
		return n.String() + ")"
	}
}

// scheme reports numbering/scheme: a text whose numbers say it is written
// in another scheme than policy.yaml's numbering: declares.
func (r *reporter) scheme() {
	var clauses, oneLevel, looksFlat, looksSections int
	var first saiasat.Pos
	saiasat.WalkBlocks(r.doc.Blocks, func(b *saiasat.Block) bool {
		switch b.Kind {
		case saiasat.KindClause:
			clauses++
			if len(b.Number) == 1 {
				oneLevel++
			}
		case saiasat.KindParagraph:
			t := []byte(b.Text)
			switch {
			case markdown.ClauseLabel(t) > 0:
				looksSections++
			case markdown.ListItemLabel(t) > 0:
				looksFlat++
			default:
				return true
			}
			if first.Line == 0 {
				first = b.Pos
			}
		}
		return true
	})
	hint := func(want saiasat.Numbering, n int, what string) {
		r.add(first, saiasat.Warning, "numbering/scheme", nil, "%d paragraphs start with %s, and no clause is numbered as numbering: %s wants: set numbering: %s in policy.yaml", n, what, schemeName(r.doc.Numbering), want)
	}
	switch r.doc.Numbering {
	case saiasat.NumberingNone:
		if looksSections+looksFlat >= 2 {
			want := saiasat.NumberingFlat
			if looksSections > looksFlat {
				want = saiasat.NumberingSections
			}
			hint(want, looksSections+looksFlat, "a number")
		}
	case saiasat.NumberingFlat:
		if clauses > 0 && oneLevel == 0 {
			cs := r.doc.Clauses()
			r.add(cs[0].Pos, saiasat.Warning, "numbering/scheme", nil, "no clause is numbered in one level (\"1.\", \"2.\"), as numbering: flat wants: set numbering: sections in policy.yaml")
		}
	default:
		if clauses == 0 && looksFlat >= 2 {
			hint(saiasat.NumberingFlat, looksFlat, "\"N. \"")
		}
	}
}

func schemeName(n saiasat.Numbering) saiasat.Numbering {
	if n == "" {
		return saiasat.NumberingSections
	}
	return n
}
