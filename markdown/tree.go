package markdown

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/saiasat/saiasat"
	"github.com/yuin/goldmark/ast"
)

// treeBuilder turns goldmark's top-level nodes into the document's one tree
// of blocks (docs/format.md): chapters hold what follows them until the
// next chapter, sections what follows them until the next heading; items
// and bullets nest by indentation.
type treeBuilder struct {
	*docParser
	lang    saiasat.Lang
	root    []*saiasat.Block
	chapter *saiasat.Block
	section *saiasat.Block
	// lastList is the list that top-level items and bullets join: that
	// of the paragraph just before them, or of the items before them.
	lastList *listStack
	titled   bool // a block other than the title has been seen
	count    map[string]int
}

// listStack is the chain of open items and bullets of one holder (a
// clause, item or paragraph), innermost last.
type listStack struct {
	holder *saiasat.Block // nil: the top level
	open   []listEntry
}

type listEntry struct {
	indent int
	b      *saiasat.Block
}

func (t *treeBuilder) next(parent string, k saiasat.Kind) int {
	key := parent + "\x00" + k.String()
	t.count[key]++
	return t.count[key]
}

// container is the block new top-level blocks go under: the current
// section, else the current chapter, else the top level (nil).
func (t *treeBuilder) container() *saiasat.Block {
	if t.section != nil {
		return t.section
	}
	return t.chapter
}

func (t *treeBuilder) add(parent, b *saiasat.Block) {
	if parent == nil {
		t.root = append(t.root, b)
	} else {
		parent.Children = append(parent.Children, b)
	}
}

func idOf(b *saiasat.Block) string {
	if b == nil {
		return ""
	}
	return b.ID
}

// lastLine returns the last non-blank line of the top-level node n: the
// line before the next node, or the text's last, minus trailing blanks.
func (t *treeBuilder) lastLine(n ast.Node, first int) int {
	last := t.lines.Count()
	if next := n.NextSibling(); next != nil && next.Pos() >= 0 {
		last = t.lines.Line(next.Pos()) - 1
	}
	for last > first && len(bytes.TrimSpace(t.lines.Text(last))) == 0 {
		last--
	}
	return max(last, first)
}

func (t *treeBuilder) top(n ast.Node) {
	if n.Pos() < 0 {
		return
	}
	pos := t.pos(n.Pos())
	first := pos.Line
	end := t.lastLine(n, first)
	b := &saiasat.Block{Pos: pos, EndLine: end}
	switch n := n.(type) {
	case *ast.Heading:
		t.heading(n, b)
		return
	case *Clause:
		t.titled = true
		b.Kind, b.Number, b.Label, b.ID = saiasat.KindClause, n.Number, n.Label, n.Number.String()
		t.add(t.container(), b)
		t.clauseBody(n, b)
		t.lastList = nil
		return
	case *ast.Paragraph:
		if len(bytes.TrimSpace(n.Lines().Value(t.src))) == 0 {
			// Only white space goldmark does not count as blank ("\v"):
			// a blank line to canonical form, no block.
			return
		}
		t.titled = true
		b.Kind = saiasat.KindParagraph
		c := t.container()
		b.ID = saiasat.ChildID(idOf(c), saiasat.KindParagraph, t.next(idOf(c), saiasat.KindParagraph))
		b.Text = string(linesText(n.Lines(), t.src, "\n"))
		t.add(c, b)
		t.lastList = &listStack{holder: b}
		return
	case *Item, *Bullet:
		t.titled = true
		// Items and bullets after a paragraph belong to it ("… право:"
		// then "1) знать …"): the goldmark paragraph ends at them.
		if t.lastList == nil {
			t.lastList = &listStack{holder: t.container()}
			if _, isItem := n.(*Item); isItem {
				t.report(n.Pos(), "format/stray-text", "item outside any clause or list: it belongs after a clause's first line or a paragraph ending with \":\"")
			}
		}
		t.listMember(t.lastList, n, b)
		return
	case *Table:
		t.titled = true
		c := t.container()
		b.Kind = saiasat.KindTable
		b.ID = saiasat.ChildID(idOf(c), saiasat.KindTable, t.next(idOf(c), saiasat.KindTable))
		b.Text = tableText(n, t.src)
		b.EndLine = first + n.Lines().Len() - 1
		t.add(c, b)
	case *Footnote:
		t.titled = true
		b.Kind, b.Label, b.Text = saiasat.KindFootnote, n.Mark, string(linesText(n.Lines(), t.src, "\n"))
		b.ID = saiasat.ChildID("", saiasat.KindFootnote, t.next("", saiasat.KindFootnote))
		t.add(t.container(), b)
	case *Container:
		t.container1(n, b)
	default:
		t.titled = true
		t.report(n.Pos(), "format/stray-text", "text the format does not know")
	}
	t.lastList = nil
}

func (t *treeBuilder) container1(n *Container, b *saiasat.Block) {
	var lines []string
	for i := range n.Lines().Len() {
		seg := n.Lines().At(i)
		l := string(bytes.TrimSpace(seg.Value(t.src)))
		if l == "" && len(lines) > 0 && lines[len(lines)-1] == "" {
			continue // a run of blank lines is one, as canonical form writes it
		}
		lines = append(lines, l)
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	for len(lines) > 0 && lines[0] == "" {
		lines = lines[1:]
	}
	b.Text = strings.Join(lines, "\n")
	b.Label = n.Name
	if !n.Closed {
		t.report(n.Pos(), "format/container", "\"::: %s\" is not closed: end it with a line \":::\"", n.Name)
	}
	switch n.Name {
	case FenceApproval:
		b.Kind = saiasat.KindApproval
		b.ID = saiasat.ChildID("", saiasat.KindApproval, t.next("", saiasat.KindApproval))
		t.add(t.container(), b)
		return
	case FenceSignature:
	default:
		t.report(n.Pos(), "format/container", "unknown container \"::: %s\": the format has \"::: approval\" and \"::: signature\"; its lines are kept as a signature block", n.Name)
	}
	t.titled = true
	c := t.container()
	b.Kind = saiasat.KindSignature
	b.ID = saiasat.ChildID(idOf(c), saiasat.KindSignature, t.next(idOf(c), saiasat.KindSignature))
	t.add(c, b)
}

// leadingZeroRe matches a heading that starts with a number with a leading
// zero, "01. Title": a section number mistyped, not an unnumbered heading.
var leadingZeroRe = regexp.MustCompile(`^0[0-9]*\.?(\s|$)`)

// tableText is a table's rows, each trimmed, joined with "\n".
func tableText(n *Table, src []byte) string {
	return string(linesText(n.Lines(), src, "\n"))
}

func (t *treeBuilder) heading(n *ast.Heading, b *saiasat.Block) {
	title := strings.TrimSpace(string(linesText(n.Lines(), t.src, " ")))
	t.lastList = nil
	if n.Level == 1 && !t.titled {
		if len(t.root) > 0 && t.root[len(t.root)-1].Kind == saiasat.KindTitle {
			tb := t.root[len(t.root)-1]
			tb.Text += "\n" + title
			tb.EndLine = b.EndLine
			return
		}
		b.Kind, b.ID, b.Text = saiasat.KindTitle, "title", title
		t.root = append(t.root, b)
		return
	}
	t.titled = true
	if n.Level == 2 {
		if label, num, rest, ok := ChapterLabel(title); ok {
			b.Kind, b.Label, b.Number, b.Text = saiasat.KindChapter, label, saiasat.Number{num}, rest
			b.ID = "ch" + strconv.Itoa(num)
			t.root = append(t.root, b)
			t.chapter, t.section = b, nil
			return
		}
	}
	b.Kind = saiasat.KindSection
	b.Text = title
	switch m := sectionRe.FindStringSubmatch(title); {
	case n.Level == 2 && m != nil:
		num, _ := strconv.Atoi(m[1])
		b.Number, b.ID = saiasat.Number{num}, m[1]
		b.Label = strings.TrimSpace(strings.TrimSuffix(title, m[2]))
		b.Text = m[2]
	default:
		if n.Level == 2 && leadingZeroRe.MatchString(title) {
			t.report(n.Pos(), "format/heading", "section number in %q has a leading zero: write \"## N. Title\", N from 1, without leading zeros", title)
		}
		if n.Level == 1 {
			t.report(n.Pos(), "format/heading", "a second \"# \" title: the title is the \"# \" lines before anything else")
		} else if n.Level > 2 {
			t.report(n.Pos(), "format/heading", "heading level %d is not part of the format: sections and chapters are \"## \" lines, clauses start with their number", n.Level)
		}
		pid := idOf(t.chapter)
		b.ID = saiasat.ChildID(pid, saiasat.KindSection, t.next(pid, saiasat.KindSection))
	}
	if t.chapter != nil {
		t.chapter.Children = append(t.chapter.Children, b)
	} else {
		t.root = append(t.root, b)
	}
	t.section = b
}

// clauseBody fills clause b from goldmark's clause node: its paragraphs
// are its text, its items and bullets nest by indentation, its tables are
// children.
func (t *treeBuilder) clauseBody(n *Clause, b *saiasat.Block) {
	var text []string
	list := &listStack{holder: b}
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		switch ch := ch.(type) {
		case *Item, *Bullet:
			t.listMember(list, ch, &saiasat.Block{Pos: t.pos(ch.Pos())})
		case *Table:
			tb := &saiasat.Block{Kind: saiasat.KindTable, Pos: t.pos(ch.Pos()), Text: tableText(ch, t.src)}
			tb.ID = saiasat.ChildID(b.ID, saiasat.KindTable, t.next(b.ID, saiasat.KindTable))
			tb.EndLine = tb.Pos.Line + ch.Lines().Len() - 1
			b.Children = append(b.Children, tb)
			list.open = nil
		default:
			if tx := string(linesText(ch.Lines(), t.src, "\n")); tx != "" {
				text = append(text, tx)
			}
			list.open = nil
		}
	}
	b.Text = strings.Join(text, "\n")
}

// listMember adds item or bullet n, as block b, to the list of l.holder
// (docs/format.md's rule 7): under the item or bullet line above when
// indented at least 2 more, else beside the nearest one above at the same
// or a smaller indent.
func (t *treeBuilder) listMember(l *listStack, n ast.Node, b *saiasat.Block) {
	b.Pos = t.pos(n.Pos())
	b.Text = string(linesText(n.Lines(), t.src, "\n"))
	b.EndLine = b.Pos.Line + max(n.Lines().Len(), 1) - 1
	if ls := n.Lines(); ls.Len() > 0 {
		// A label alone on its line puts the text below it: the extent ends
		// at the text's last line, not one line per text line from the label.
		b.EndLine = max(b.EndLine, t.pos(ls.At(ls.Len()-1).Start).Line)
	}
	var ind int
	switch n := n.(type) {
	case *Item:
		ind = n.Indent
		b.Kind, b.Label = saiasat.KindItem, n.Label
		b.Number = n.Number
		if n.Letter != 0 {
			b.Number = saiasat.Number{LetterOrdinal(n.Letter, t.lang)}
		}
	case *Bullet:
		ind = n.Indent
		b.Kind, b.Label = saiasat.KindBullet, n.Glyph
	}
	// A child of the line above when indented at least 2 more than it;
	// else a sibling of the nearest open member at the same or a smaller
	// indent.
	if n := len(l.open); n > 0 && ind < l.open[n-1].indent+2 {
		for len(l.open) > 0 && l.open[len(l.open)-1].indent > ind {
			l.open = l.open[:len(l.open)-1]
		}
		if len(l.open) > 0 {
			l.open = l.open[:len(l.open)-1]
		}
	}
	parent := l.holder
	if len(l.open) > 0 {
		parent = l.open[len(l.open)-1].b
	}
	pid := idOf(parent)
	if b.Kind == saiasat.KindItem {
		b.ID = b.Number.String()
		if pid != "" {
			b.ID = pid + "/" + b.ID
		}
	} else {
		b.ID = saiasat.ChildID(pid, saiasat.KindBullet, t.next(pid, saiasat.KindBullet))
	}
	t.add(parent, b)
	l.open = append(l.open, listEntry{indent: ind, b: b})
}

// extend sets every block's EndLine to the last line of its whole extent:
// its own lines and its children's.
func extend(bs []*saiasat.Block) int {
	last := 0
	for _, b := range bs {
		b.EndLine = max(b.EndLine, extend(b.Children), b.Pos.Line)
		last = max(last, b.EndLine)
	}
	return last
}

// DumpTree writes a tree of blocks one block a line, indented by depth:
// kind, ID, label, lines and text. Golden files and debugging read it.
func DumpTree(bs []*saiasat.Block) string {
	var s strings.Builder
	var rec func([]*saiasat.Block, int)
	rec = func(bs []*saiasat.Block, depth int) {
		for _, b := range bs {
			fmt.Fprintf(&s, "%s%s %s %q %d-%d %q\n", strings.Repeat("  ", depth), b.Kind, b.ID, b.Label, b.Pos.Line, b.EndLine, b.Text)
			rec(b.Children, depth+1)
		}
	}
	rec(bs, 0)
	return s.String()
}

// DumpIDs writes the kind and ID of every block of a tree, one a line:
// what parity aligns, for tests.
func DumpIDs(bs []*saiasat.Block) string {
	var s strings.Builder
	saiasat.WalkBlocks(bs, func(b *saiasat.Block) bool {
		fmt.Fprintf(&s, "%s %s\n", b.Kind, b.ID)
		return true
	})
	return s.String()
}
