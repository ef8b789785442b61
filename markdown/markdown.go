// Package markdown parses the policy source format — restricted CommonMark
// with clauses, items and bullets as goldmark blocks — into the domain's
// Document, with the position of every clause.
package markdown

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/saiasat/saiasat"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Extension adds the clause, item and bullet block parsers to a goldmark
// parser.
var Extension goldmark.Extender = extension{}

type extension struct{}

func (extension) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithBlockParsers(
		util.Prioritized(clauseParser{}, clausePriority),
		util.Prioritized(itemParser{}, itemPriority),
		util.Prioritized(bulletParser{}, bulletPriority),
	))
}

// New returns the one goldmark configuration of the program: ATX headings
// and paragraphs, the clause extension, and the format's own inline markup
// (Spans) in place of CommonMark's. Setext headings, code blocks, block
// quotes, HTML blocks, thematic breaks and CommonMark lists are not part
// of the format: a policy is headings and clauses, and a stray "---" or
// indented line must not change the structure of a legal text. Nor are
// CommonMark's inlines and link reference definitions: each drops or
// changes characters ("«___» 20__" becomes bold, "\*" loses its
// backslash, a "[1]: …" line vanishes), and the page must print the words
// that are hashed.
func New(opts ...goldmark.Option) goldmark.Markdown {
	p := parser.NewParser(
		parser.WithBlockParsers(
			util.Prioritized(headingParser{parser.NewATXHeadingParser()}, 600),
			util.Prioritized(paragraphParser{parser.NewParagraphParser()}, 1000),
		),
		parser.WithASTTransformers(util.Prioritized(inlineTransformer{}, 100)),
	)
	opts = append([]goldmark.Option{goldmark.WithParser(p), goldmark.WithExtensions(Extension)}, opts...)
	return goldmark.New(opts...)
}

// paragraphParser is goldmark's paragraph parser, also for lines indented
// four spaces or more: without code blocks nothing else takes such a line,
// and goldmark would stop parsing at it.
type paragraphParser struct{ parser.BlockParser }

func (paragraphParser) CanAcceptIndentedLine() bool { return true }

var md = New()

// ParseAST parses src with the program's goldmark configuration.
func ParseAST(src []byte) ast.Node {
	return md.Parser().Parse(text.NewReader(src))
}

var sectionRe = regexp.MustCompile(`^([1-9]\d{0,2})\.?(?:\s+(.*))?$`)

// Parse parses the source of one language into a Document. src should
// already have LF line ends (see canon.View); findings are the syntax
// problems of the format: text outside any clause, headings the format
// does not know.
func Parse(file string, lang saiasat.Lang, src []byte) (*saiasat.Document, []saiasat.Finding) {
	doc := &saiasat.Document{Lang: lang, File: file, Source: src}
	lines := NewLines(src)
	root := ParseAST(src)
	p := &docParser{doc: doc, lines: lines, src: src}
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		p.block(n)
	}
	p.links(root)
	return doc, p.findings
}

type docParser struct {
	doc      *saiasat.Document
	lines    *Lines
	src      []byte
	section  *saiasat.Section
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

func (p *docParser) block(n ast.Node) {
	switch n := n.(type) {
	case *ast.Heading:
		title := strings.TrimSpace(string(linesText(n.Lines(), p.src, " ")))
		switch {
		case n.Level == 1 && p.doc.Title == "" && len(p.doc.Sections) == 0:
			p.doc.Title = title
		case n.Level == 2:
			s := &saiasat.Section{Title: title, Pos: p.pos(n.Pos())}
			if m := sectionRe.FindStringSubmatch(title); m != nil {
				fmt.Sscan(m[1], &s.Number)
				s.Title = m[2]
				if s.Title == "" {
					p.report(n.Pos(), "format/heading", "section %d has no title: write \"## %d. Title\"", s.Number, s.Number)
				}
			} else {
				p.report(n.Pos(), "format/heading", "section heading %q has no number: write \"## N. Title\", N from 1, without leading zeros", title)
			}
			p.doc.Sections = append(p.doc.Sections, s)
			p.section = s
		case n.Level == 1:
			p.report(n.Pos(), "format/heading", "a second \"# \" title: the document has one title, before its first section")
		default:
			p.report(n.Pos(), "format/heading", "heading level %d is not part of the format: sections are \"## N. Title\", clauses start with their number", n.Level)
		}
	case *Clause:
		if p.section == nil {
			p.section = &saiasat.Section{Pos: p.pos(n.Pos())}
			p.doc.Sections = append(p.doc.Sections, p.section)
		}
		p.section.Clauses = append(p.section.Clauses, p.clause(n))
	case *Item, *Bullet:
		p.report(n.Pos(), "format/stray-text", "item outside any clause: it belongs after a clause's first line")
	default:
		p.report(n.Pos(), "format/stray-text", "text outside any clause: start it with a clause number, or make it a \"## N. Title\" heading")
	}
}

func (p *docParser) clause(n *Clause) *saiasat.Clause {
	c := &saiasat.Clause{Number: n.Number, Label: n.Label, Pos: p.pos(n.Pos())}
	first := c.Pos.Line
	last := p.lines.Count()
	if next := n.NextSibling(); next != nil {
		last = p.lines.Line(next.Pos()) - 1
	}
	for last > first && len(bytes.TrimSpace(p.lines.Text(last))) == 0 {
		last--
	}
	c.EndLine = last
	var body []string
	for l := first; l <= last; l++ {
		t := p.lines.Text(l)
		if l == first {
			start := n.Pos() - p.lines.Start(l) + len(n.Label)
			t = t[min(start, len(t)):]
		}
		if t = bytes.TrimSpace(t); len(t) > 0 {
			body = append(body, string(t))
		}
	}
	c.Body = strings.Join(body, "\n")
	for ch := n.FirstChild(); ch != nil; ch = ch.NextSibling() {
		switch ch := ch.(type) {
		case *Item:
			c.Items = append(c.Items, &saiasat.Item{Number: ch.Number, Pos: p.pos(ch.Pos()), Text: string(linesText(ch.Lines(), p.src, "\n"))})
		case *Bullet:
			c.Bullets = append(c.Bullets, &saiasat.Bullet{Pos: p.pos(ch.Pos()), Text: string(linesText(ch.Lines(), p.src, "\n"))})
		}
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
