// Package markdown parses the policy source format — restricted CommonMark
// with clauses, items and bullets as goldmark blocks — into the domain's
// Document, with the position of every clause.
package markdown

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/saiasat/saiasat"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Extension adds the block parsers of the format in the sections scheme
// (clauses, items, bullets, tables, footnotes, containers) to a goldmark
// parser; ExtensionFor gives those of another numbering scheme.
var Extension goldmark.Extender = ExtensionFor(saiasat.NumberingSections)

// ExtensionFor returns the block parsers of the format for the numbering
// scheme: which lines open a clause ("3.1." in sections, "12." in flat, none
// in none) and whether "1." is an item in a clause (sections only).
func ExtensionFor(scheme saiasat.Numbering) goldmark.Extender {
	return extension{scheme: normScheme(scheme)}
}

// normScheme maps the zero value to the default scheme, sections.
func normScheme(s saiasat.Numbering) saiasat.Numbering {
	if s == "" {
		return saiasat.NumberingSections
	}
	return s
}

type extension struct{ scheme saiasat.Numbering }

func (e extension) Extend(m goldmark.Markdown) {
	leaf := leafParser{scheme: e.scheme}
	bps := []util.PrioritizedValue{
		util.Prioritized(containerParser{}, containerPriority),
		util.Prioritized(footnoteParser{leaf}, footnotePriority),
		util.Prioritized(tableParser{}, tablePriority),
		util.Prioritized(itemParser{leaf}, itemPriority),
		util.Prioritized(bulletParser{leaf}, bulletPriority),
	}
	if e.scheme != saiasat.NumberingNone {
		bps = append(bps, util.Prioritized(clauseParser{scheme: e.scheme}, clausePriority))
	}
	m.Parser().AddOptions(parser.WithBlockParsers(bps...))
}

// New returns the one goldmark configuration of the program for the
// sections scheme (NewFor for another): ATX headings and paragraphs, the
// format's blocks, and the format's own inline markup (Spans) in place of
// CommonMark's. Setext headings, code blocks, block quotes, HTML blocks,
// thematic breaks and CommonMark lists are not part of the format: a policy
// is headings and clauses, and a stray "---" or indented line must not
// change the structure of a legal text. Nor are CommonMark's inlines and
// link reference definitions: each drops or changes characters ("«___»
// 20__" becomes bold, "\*" loses its backslash, a "[1]: …" line vanishes),
// and the page must print the words that are hashed.
func New(opts ...goldmark.Option) goldmark.Markdown {
	return NewFor(saiasat.NumberingSections, opts...)
}

// NewFor is New for the numbering scheme of a policy.
func NewFor(scheme saiasat.Numbering, opts ...goldmark.Option) goldmark.Markdown {
	p := parser.NewParser(
		parser.WithBlockParsers(
			util.Prioritized(headingParser{parser.NewATXHeadingParser()}, 600),
			util.Prioritized(paragraphParser{parser.NewParagraphParser()}, 1000),
		),
		parser.WithASTTransformers(util.Prioritized(inlineTransformer{}, 100)),
	)
	opts = append([]goldmark.Option{goldmark.WithParser(p), goldmark.WithExtensions(ExtensionFor(scheme))}, opts...)
	return goldmark.New(opts...)
}

// paragraphParser is goldmark's paragraph parser, also for lines indented
// four spaces or more: without code blocks nothing else takes such a line,
// and goldmark would stop parsing at it.
type paragraphParser struct{ parser.BlockParser }

func (paragraphParser) CanAcceptIndentedLine() bool { return true }

// configs are the parsers of each scheme, built once: a goldmark parser is
// safe for concurrent use.
var configs = map[saiasat.Numbering]goldmark.Markdown{
	saiasat.NumberingSections: NewFor(saiasat.NumberingSections),
	saiasat.NumberingFlat:     NewFor(saiasat.NumberingFlat),
	saiasat.NumberingNone:     NewFor(saiasat.NumberingNone),
}

// Option is an option of Parse, ParseAST and ParseBlocks.
type Option func(*options)

type options struct{ scheme saiasat.Numbering }

// WithNumbering parses a text of the numbering scheme (policy.yaml's
// numbering:); without it, the default scheme, sections. An unknown scheme
// parses as sections (source/ reports it).
func WithNumbering(n saiasat.Numbering) Option {
	return func(o *options) { o.scheme = n }
}

func getOptions(opts []Option) options {
	var o options
	for _, f := range opts {
		f(&o)
	}
	if _, ok := configs[o.scheme]; !ok {
		o.scheme = saiasat.NumberingSections
	}
	return o
}

// ParseAST parses src with the program's goldmark configuration.
func ParseAST(src []byte, opts ...Option) ast.Node {
	return configs[getOptions(opts).scheme].Parser().Parse(text.NewReader(spaceTrailing(src)))
}

var sectionRe = regexp.MustCompile(`^([1-9]\d{0,2})\.?(?:\s+(.*))?$`)

// Parse parses the source of one language into a Document: its one tree
// of blocks (Blocks) and the view of sections and clauses derived from it.
// src should already have LF line ends (see canon.View); opts give the
// numbering scheme (WithNumbering). The findings are the syntax problems of
// the format: headings it does not know, an item with no clause or
// paragraph before it, a container left open.
func Parse(file string, lang saiasat.Lang, src []byte, opts ...Option) (*saiasat.Document, []saiasat.Finding) {
	doc := &saiasat.Document{Lang: lang, File: file, Source: src, Numbering: getOptions(opts).scheme}
	src = parseSource(src)
	lines := NewLines(src)
	root := ParseAST(src, opts...)
	p := &docParser{doc: doc, lines: lines, src: src}
	doc.Blocks = p.tree(root)
	sectionsView(doc, lines)
	p.links(root)
	return doc, p.findings
}

// ParseTree returns the tree of blocks Parse gives for src, without the
// inline pass, the derived view or findings: canonical form and the diff
// need only the structure.
func ParseTree(lang saiasat.Lang, src []byte, opts ...Option) []*saiasat.Block {
	doc := &saiasat.Document{Lang: lang, Source: src}
	src = parseSource(src)
	p := &docParser{doc: doc, lines: NewLines(src), src: src}
	return p.tree(ParseBlocks(src, opts...))
}

func (p *docParser) tree(root ast.Node) []*saiasat.Block {
	t := &treeBuilder{docParser: p, lang: p.doc.Lang, count: make(map[string]int)}
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		t.top(n)
	}
	extend(t.root)
	return t.root
}

type docParser struct {
	doc      *saiasat.Document
	lines    *Lines
	src      []byte
	findings []saiasat.Finding
}

func (p *docParser) pos(off int) saiasat.Pos {
	line, col := p.lines.Pos(off)
	return saiasat.Pos{File: p.doc.File, Line: line, Col: col}
}

func (p *docParser) report(off int, rule, format string, args ...any) {
	p.findings = append(p.findings, saiasat.Finding{
		Pos: p.pos(off), Severity: saiasat.Error, Rule: rule, Message: fmt.Sprintf(format, args...),
	})
}

// sectionsView fills doc.Title, doc.Sections and their clauses from
// doc.Blocks: the view of the text before the tree, which diff/, render/
// and site/ still read. It is derived here and nowhere else. A chapter is a
// Section numbered 0 titled with its label and title; clauses directly
// under a chapter or before any heading are in such a Section; a clause's
// Items and Bullets are all those under it, nested or not, in source order.
func sectionsView(doc *saiasat.Document, lines *Lines) {
	var cur *saiasat.Section
	open := func(s *saiasat.Section) {
		doc.Sections = append(doc.Sections, s)
		cur = s
	}
	var walk func(bs []*saiasat.Block)
	walk = func(bs []*saiasat.Block) {
		for _, b := range bs {
			switch b.Kind {
			case saiasat.KindTitle:
				doc.Title = strings.ReplaceAll(b.Text, "\n", " ")
			case saiasat.KindChapter:
				open(&saiasat.Section{Title: strings.TrimSpace(b.Label + " " + b.Text), Pos: b.Pos})
				walk(b.Children)
			case saiasat.KindSection:
				s := &saiasat.Section{Title: b.Text, Pos: b.Pos}
				if len(b.Number) == 1 {
					s.Number = b.Number[0]
				}
				open(s)
				walk(b.Children)
			case saiasat.KindClause:
				if cur == nil {
					open(&saiasat.Section{Pos: b.Pos})
				}
				cur.Clauses = append(cur.Clauses, viewClause(b, lines))
			}
		}
	}
	walk(doc.Blocks)
}

func viewClause(b *saiasat.Block, lines *Lines) *saiasat.Clause {
	c := &saiasat.Clause{Number: b.Number, Label: b.Label, Pos: b.Pos, EndLine: b.EndLine}
	var body []string
	for l := c.Pos.Line; l <= c.EndLine; l++ {
		t := lines.Text(l)
		if l == c.Pos.Line {
			off := 0
			// The clause's column counts runes; skip to its label's byte.
			for col := 1; col < c.Pos.Col && off < len(t); col++ {
				_, size := utf8.DecodeRune(t[off:])
				off += size
			}
			t = t[min(off+len(c.Label), len(t)):]
		}
		if t = bytes.TrimSpace(t); len(t) > 0 {
			body = append(body, string(t))
		}
	}
	c.Body = strings.Join(body, "\n")
	for _, ch := range b.Children {
		ch.Walk(func(x *saiasat.Block) bool {
			switch x.Kind {
			case saiasat.KindItem:
				c.Items = append(c.Items, &saiasat.Item{Number: x.Number, Pos: x.Pos, Text: x.Text})
			case saiasat.KindBullet:
				c.Bullets = append(c.Bullets, &saiasat.Bullet{Pos: x.Pos, Text: x.Text})
			}
			return true
		})
	}
	return c
}

// links records every clause and section link (Spans) with its
// destination and the position of its "[".
func (p *docParser) links(root ast.Node) {
	for _, b := range textBlocks(root, p.src) {
		if b.Heading {
			continue
		}
		for _, s := range Spans(b.Text) {
			if s.Link != "" {
				p.doc.Links = append(p.doc.Links, saiasat.Link{Dest: s.Link, Pos: p.pos(b.Offset(s.Start - 1))})
			}
		}
	}
}

func linesText(ls *text.Segments, src []byte, sep string) []byte {
	var b bytes.Buffer
	for i := range ls.Len() {
		if i > 0 {
			b.WriteString(sep)
		}
		seg := ls.At(i)
		b.Write(bytes.TrimSpace(seg.Value(src)))
	}
	return b.Bytes()
}
