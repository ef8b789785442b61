// Package saiasat is the domain of the saiasat toolkit: a privacy policy kept
// as structured Markdown, clause by clause, in several languages, and the
// findings and hashes that name its exact text.
//
// The package imports only the standard library. Parsing lives in markdown/,
// loading policy folders in source/, canonical form and hashing in canon/,
// the rules in check/; render/ and site/ build on these types.
package saiasat

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Lang is a language code as used in file names and policy.yaml: "kk", "ru".
type Lang string

// Pos is a position in a source file. Line and Col are 1-based; Col counts
// characters (runes), not bytes, since a Cyrillic letter is two bytes.
type Pos struct {
	File string
	Line int
	Col  int
}

// String formats p as file:line:col, the form editors and CI understand.
func (p Pos) String() string {
	switch {
	case p.Line == 0:
		return p.File
	case p.Col == 0:
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// Number is a clause or item number: 3.12.1 is Number{3, 12, 1}.
type Number []int

// ParseNumber parses "3.12.1" (a trailing dot is allowed) into a Number.
// Every part must be a positive integer without leading zeros.
func ParseNumber(s string) (Number, error) {
	s = strings.TrimSuffix(s, ".")
	if s == "" {
		return nil, fmt.Errorf("empty number")
	}
	parts := strings.Split(s, ".")
	n := make(Number, len(parts))
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v <= 0 || p[0] == '0' {
			return nil, fmt.Errorf("invalid number %q", s)
		}
		n[i] = v
	}
	return n, nil
}

// String formats n as "3.12.1", without a trailing dot.
func (n Number) String() string {
	var b strings.Builder
	for i, v := range n {
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(strconv.Itoa(v))
	}
	return b.String()
}

// Parent returns n without its last part; nil for a one-part number.
func (n Number) Parent() Number {
	if len(n) <= 1 {
		return nil
	}
	return n[:len(n)-1]
}

// Last returns the last part of n, or 0 for an empty number.
func (n Number) Last() int {
	if len(n) == 0 {
		return 0
	}
	return n[len(n)-1]
}

// Equal reports whether n and m have the same parts.
func (n Number) Equal(m Number) bool {
	if len(n) != len(m) {
		return false
	}
	for i := range n {
		if n[i] != m[i] {
			return false
		}
	}
	return true
}

// Compare orders numbers part by part: 3.2 < 3.10 < 3.10.1 < 4.
func (n Number) Compare(m Number) int {
	for i := 0; i < len(n) && i < len(m); i++ {
		if n[i] != m[i] {
			if n[i] < m[i] {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(n) < len(m):
		return -1
	case len(n) > len(m):
		return 1
	}
	return 0
}

// Document is the text of a policy in one language, parsed into one tree of
// blocks (and the view of sections and clauses derived from it). Source
// holds the bytes the document was parsed from.
type Document struct {
	Lang   Lang
	File   string
	Source []byte
	Title  string
	// Numbering is the scheme the text was parsed in (policy.yaml's
	// numbering:); empty means sections.
	Numbering Numbering
	// Blocks is the text's one tree of blocks, in source order: every line
	// of the text belongs to exactly one block (docs/format.md).
	Blocks []*Block
	// Sections is a view derived from Blocks by the parser (markdown's
	// sectionsView, and nothing else), kept for the stages that still read
	// sections and clauses: chapters are Sections numbered 0, and a
	// clause's Items and Bullets are all those under it.
	Sections []*Section
	Links    []Link
}

// Clauses returns every clause of d in source order.
func (d *Document) Clauses() []*Clause {
	var cs []*Clause
	for _, s := range d.Sections {
		cs = append(cs, s.Clauses...)
	}
	return cs
}

// Clause returns the first clause of d numbered n, or nil.
func (d *Document) Clause(n Number) *Clause {
	for _, s := range d.Sections {
		for _, c := range s.Clauses {
			if c.Number.Equal(n) {
				return c
			}
		}
	}
	return nil
}

// Section is a `## N. Title` heading and the clauses under it. A document's
// text before its first heading, if it has clauses, is a Section with
// Number 0.
type Section struct {
	Number int
	Title  string
	Pos    Pos
	// Clauses are flat in source order; nesting is in their numbers.
	Clauses []*Clause
}

// Clause is a numbered block of the policy: "3.12.1. text", with its
// enumerated items and bullets.
type Clause struct {
	Number Number
	// Label is the number as written, "3.3" or "3.3.1.", kept because the
	// published text is inconsistent and must stay as it is.
	Label string
	Pos   Pos
	// EndLine is the last non-blank line of the clause.
	EndLine int
	// Body is the clause's source text after its number: the lead text,
	// then one line per item and bullet as written, joined with "\n".
	Body    string
	Items   []*Item
	Bullets []*Bullet
}

// Item is an enumerated item inside a clause: "1) text" or "11.1) text".
type Item struct {
	Number Number
	Pos    Pos
	Text   string
}

// Bullet is a "- text" line inside a clause.
type Bullet struct {
	Pos  Pos
	Text string
}

// Policy is one policy folder: its metadata from policy.yaml and its
// documents, one per language, in the order of Languages.
type Policy struct {
	// Dir is the folder as named to the user.
	Dir          string
	ID           string
	Languages    []Lang
	Title        map[Lang]string
	Organization map[Lang]string
	// Approver names, per language, the instrument that approves an
	// edition ("Решение единственного участника", "Протокол общего
	// собрания участников", "Приказ директора", "Решение совета
	// директоров"); empty for the sole participant's decision. It is not
	// part of the version hash: it says who signs, not what is signed.
	Approver map[Lang]string
	Edition  int
	// Kind is the kind of legal text (policy.yaml's kind:, default
	// privacy-policy); Numbering its texts' numbering scheme (default
	// sections).
	Kind      DocKind
	Numbering Numbering
	// Effective is the date the edition comes into force (a calendar date;
	// time of day and zone are not part of it).
	Effective time.Time
	Docs      map[Lang]*Document
	// Accept lists the findings the legal team has accepted, each with its
	// reason (policy.yaml's accept key).
	Accept []Acceptance
}

// Acceptance accepts the findings of one rule in one clause (or any one
// block) of one language's text: a false alarm that must not block a
// release. It is kept in policy.yaml, not in the text, so the text's bytes
// and hashes stay those of the legal wording.
type Acceptance struct {
	Rule string
	Lang Lang
	// Number is the clause ("3.4") or section ("3") the finding is in.
	Number Number
	// Block, instead of Number, is the ID of a block whose lines hold the
	// finding ("p2", "ch1/s2/p1", "signature"; saiasat hash --blocks lists
	// them): a paragraph of a text without clauses, such as a consent.
	Block string
	// Text, when not empty, must occur in the finding's message: one
	// anchor, not every finding of the rule in the clause.
	Text   string
	Reason string
	// Pos is the entry in policy.yaml.
	Pos Pos
}

// DateLayout is the layout of dates in policy.yaml, release files and hashes.
const DateLayout = "2006-01-02"

// Link is a link in a document's text, with its destination as written.
type Link struct {
	Dest string
	Pos  Pos
}

// Kazakhstan is the time zone in which effective dates begin: UTC+5, the
// single time zone of the Republic since 1 March 2024.
var Kazakhstan = time.FixedZone("UTC+05", 5*60*60)

// InForceFrom returns the instant an edition with effective date d comes
// into force: the start of that day in Kazakhstan.
func InForceFrom(d time.Time) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, Kazakhstan)
}
