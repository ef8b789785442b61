package check

import (
	"fmt"

	"github.com/saiasat/saiasat"
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
	r     *reporter
	kind  string // "section", "clause", "item"
	depth int    // the depth the sequence starts below: 1 for clauses (under their section), 0 otherwise
	max   int
	seen  map[string]saiasat.Pos
	last  map[string]int // last child number seen, by parent number
	prev  int            // depth of the previous number
}

func newNumberer(r *reporter, kind string, depth, max int) *numberer {
	return &numberer{r: r, kind: kind, depth: depth, max: max, prev: depth,
		seen: make(map[string]saiasat.Pos), last: make(map[string]int)}
}

func (s *numberer) name(n saiasat.Number) string {
	if s.kind == "item" {
		return "item " + n.String() + ")"
	}
	return s.kind + " " + n.String()
}

func (s *numberer) label(n saiasat.Number) string {
	switch s.kind {
	case "item":
		return n.String() + ")"
	case "section":
		return "section " + n.String()
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
		if s.kind == "section" {
			lost = fmt.Sprintf("sections %d–%d are missing", from, to)
		}
	}
	if prevK == 0 {
		return "is the first of its level: " + lost
	}
	return "follows " + num(prevK) + ": " + lost
}

// numbering checks sections, clauses and the items of each clause.
func (r *reporter) numbering() {
	secs := newNumberer(r, "section", 0, 1)
	clauses := newNumberer(r, "clause", 1, MaxClauseDepth)
	before := false
	for _, s := range r.doc.Sections {
		if s.Number > 0 {
			secs.visit(saiasat.Number{s.Number}, s.Pos)
		}
		clauses.prev = 1
		for _, c := range s.Clauses {
			switch {
			case s.Number == 0 && s.Title == "" && !before:
				before = true
				r.add(c.Pos, saiasat.Error, "numbering/parent", nil, "clause %s comes before any section heading \"## %d. …\"", c.Number, c.Number[0])
			case s.Number > 0 && c.Number[0] != s.Number:
				r.add(c.Pos, saiasat.Error, "numbering/parent", nil, "clause %s is in section %d; it belongs in section %d", c.Number, s.Number, c.Number[0])
			}
			clauses.visit(c.Number, c.Pos)
			items := newNumberer(r, "item", 0, MaxItemDepth)
			for _, it := range c.Items {
				items.visit(it.Number, it.Pos)
			}
		}
	}
}

// clauses reports clause/empty: a number with no text.
func (r *reporter) clauses() {
	for _, c := range r.doc.Clauses() {
		if c.Body == "" {
			r.add(c.Pos, saiasat.Error, "clause/empty", nil, "clause %s has no text", c.Number)
		}
	}
}
