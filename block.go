package saiasat

import (
	"strconv"
	"strings"
)

// Kind is what a Block of a text is. Every stage (check, canon, diff,
// render, site) walks one tree of Blocks and handles every Kind in Kinds;
// a stage that meets a kind it does not handle fails its test rather than
// dropping the block (docs/format.md lists the source syntax of each).
type Kind uint8

// The kinds of Block.
const (
	// KindTitle is the text's title: its "# …" lines before anything else,
	// joined with "\n" (a title may run over several lines).
	KindTitle Kind = iota + 1
	// KindApproval is the approval stamp ("УТВЕРЖДЕНО Решением …",
	// "… хаттамасымен БЕКІТІЛДІ"), kept line by line as written.
	KindApproval
	// KindChapter is a division above sections or clauses: "Глава 1",
	// "1-тарау", "Раздел I", "I.".
	KindChapter
	// KindSection is a heading: "3. Title", "3." (untitled) or an
	// unnumbered "Title".
	KindSection
	// KindClause is a numbered clause: "3.12.1. text", or "12. text" in a
	// text numbered in one level.
	KindClause
	// KindItem is an enumerated item: "1)", "11.1)", "а)", "ә)", "a)", or
	// "1." inside a clause. Items may hold items and bullets (nested lists).
	KindItem
	// KindBullet is a bullet, its glyph ("-", "•", "▪", "–", "—", "●")
	// kept as written.
	KindBullet
	// KindParagraph is unnumbered text: a preamble, text between a heading
	// and its first clause, or every paragraph of an unnumbered text.
	KindParagraph
	// KindTable is a GFM pipe table, kept line by line as written.
	KindTable
	// KindFootnote is a footnote: text after a mark ("¹", "*") that the
	// text refers to.
	KindFootnote
	// KindSignature is a signature block or a form to fill in, kept line by
	// line as written, blanks included.
	KindSignature
	kindEnd
)

// Kinds returns every Kind, in declaration order: the list a stage's test
// walks to prove it handles them all.
func Kinds() []Kind {
	ks := make([]Kind, 0, kindEnd-1)
	for k := KindTitle; k < kindEnd; k++ {
		ks = append(ks, k)
	}
	return ks
}

var kindNames = [...]string{
	KindTitle:     "title",
	KindApproval:  "approval",
	KindChapter:   "chapter",
	KindSection:   "section",
	KindClause:    "clause",
	KindItem:      "item",
	KindBullet:    "bullet",
	KindParagraph: "paragraph",
	KindTable:     "table",
	KindFootnote:  "footnote",
	KindSignature: "signature",
}

// String returns the kind's name as JSON and findings print it: "clause".
func (k Kind) String() string {
	if k > 0 && k < kindEnd {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// ParseKind returns the Kind named s, as String writes it.
func ParseKind(s string) (Kind, bool) {
	for k := KindTitle; k < kindEnd; k++ {
		if kindNames[k] == s {
			return k, true
		}
	}
	return 0, false
}

// Block is one block of a text: a node of the document's one tree.
type Block struct {
	Kind Kind
	// ID names the block within its text and is the same in every
	// language of a policy, so that parity, the diff and the site align
	// blocks by it: the number of a numbered block ("3.12.1", "3"), and
	// for the others an id derived from the block's place (its parent's
	// ID and its ordinal among its kind there), as docs/format.md
	// defines it.
	ID string
	// Number is the block's number for a numbered block (a letter item's
	// ordinal in its alphabet: а) and a) are 1); nil otherwise.
	Number Number
	// Label is the number or mark as written: "3.12.1.", "3.3", "а)",
	// "Глава 1.", "•", "¹"; empty for unnumbered blocks.
	Label string
	// Text is the block's own text as written, after its label: lines
	// trimmed and joined with "\n". Children's text is not part of it.
	Text     string
	Pos      Pos
	EndLine  int
	Children []*Block
}

// Walk calls fn for b and each block under it, depth first in source
// order; fn returning false skips the block's children.
func (b *Block) Walk(fn func(*Block) bool) {
	if !fn(b) {
		return
	}
	for _, c := range b.Children {
		c.Walk(fn)
	}
}

// WalkBlocks calls fn for every block of bs and under them, depth first in
// source order; fn returning false skips a block's children.
func WalkBlocks(bs []*Block, fn func(*Block) bool) {
	for _, b := range bs {
		b.Walk(fn)
	}
}

// Numbering is the numbering scheme of a policy's texts, declared in
// policy.yaml (`numbering:`) and checked by the numbering/* rules.
type Numbering string

// The numbering schemes.
const (
	// NumberingSections: "## N. Title" sections and clauses numbered
	// N.M, N.M.K under them (the bundled policy; the default).
	NumberingSections Numbering = "sections"
	// NumberingFlat: clauses "N. text" numbered 1, 2, 3 … through the
	// whole text, across chapters and headings.
	NumberingFlat Numbering = "flat"
	// NumberingNone: no numbers; the text is kept paragraph by paragraph.
	NumberingNone Numbering = "none"
)

// DocKind is the kind of legal text a policy folder holds (policy.yaml's
// `kind:`).
type DocKind string

// The kinds of legal text.
const (
	DocPrivacy DocKind = "privacy-policy"
	DocConsent DocKind = "consent"
	DocRules   DocKind = "rules"
	DocOffer   DocKind = "offer"
	DocOther   DocKind = "other"
)

// DocKinds lists the kinds policy.yaml accepts.
func DocKinds() []DocKind {
	return []DocKind{DocPrivacy, DocConsent, DocRules, DocOffer, DocOther}
}

// ChildID returns the id of the n-th (1-based) unnumbered block of kind k
// under the block with id parent ("" for the top level): "p1", "3/p2",
// "3.2/t1". The prefix letters are docs/format.md's: p paragraph, t table,
// fn footnote, s signature, h unnumbered heading, b bullet.
func ChildID(parent string, k Kind, n int) string {
	var p string
	switch k {
	case KindParagraph:
		p = "p"
	case KindTable:
		p = "t"
	case KindFootnote:
		p = "fn"
	case KindSignature:
		p = "s"
	case KindSection:
		p = "h"
	case KindBullet:
		p = "b"
	case KindApproval:
		p = "a"
	default:
		p = strings.ToLower(k.String()[:1])
	}
	id := p + strconv.Itoa(n)
	if parent == "" {
		return id
	}
	return parent + "/" + id
}
