package markdown

import (
	"bytes"

	"github.com/saiasat/saiasat"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// HTMLOptions shape the HTML of clauses.
type HTMLOptions struct {
	// OtherLangs are the clause links to the same clause in other languages:
	// text and a URL prefix to which "#<number>" is appended.
	OtherLangs []LangLink
	// NumPrefix is put before "#<number>" in each clause number's link:
	// empty, the number links to the clause on the page itself; the
	// current-edition page sets the edition's own page, so a copied link
	// keeps citing the same text after the next edition comes into force.
	NumPrefix string
	// Numbering is the text's numbering scheme (Document.Numbering):
	// empty, sections.
	Numbering saiasat.Numbering
}

// LangLink is a link to the same clause in another language.
type LangLink struct {
	Lang, Text, Prefix string
}

// clauseRenderer writes clauses, items and bullets. Every clause gets the
// id of its number (id="3.12.1", not goldmark's ASCII-only auto ids) and its
// number is a link to itself, so anyone can copy a clause's link without
// scripts.
type clauseRenderer struct{ opt HTMLOptions }

// NewHTMLRenderer returns the node renderer of the clause extension.
func NewHTMLRenderer(opt HTMLOptions) renderer.NodeRenderer { return &clauseRenderer{opt: opt} }

func (r *clauseRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindClause, r.clause)
	reg.Register(KindItem, r.item)
	reg.Register(KindBullet, r.bullet)
	reg.Register(KindFootnote, r.footnote)
	reg.Register(KindContainer, r.container)
	reg.Register(KindTable, r.table)
}

func (r *clauseRenderer) clause(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	c := n.(*Clause)
	id := c.Number.String()
	if !entering {
		w.WriteString("</div>\n")
		return ast.WalkContinue, nil
	}
	w.WriteString(`<div class="clause" id="`)
	w.WriteString(id)
	w.WriteString(`"><a class="num" href="`)
	w.Write(util.EscapeHTML([]byte(r.opt.NumPrefix + "#" + id)))
	w.WriteString(`">`)
	w.Write(util.EscapeHTML([]byte(c.Label)))
	w.WriteString(`</a>`)
	for _, l := range r.opt.OtherLangs {
		w.WriteString(` <a class="other-lang" lang="` + l.Lang + `" hreflang="` + l.Lang + `" href="`)
		w.Write(util.EscapeHTML([]byte(l.Prefix + "#" + id)))
		w.WriteString(`">`)
		w.Write(util.EscapeHTML([]byte(l.Text)))
		w.WriteString(`</a>`)
	}
	w.WriteString("\n")
	return ast.WalkContinue, nil
}

func (r *clauseRenderer) item(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		w.WriteString("</p>\n")
		return ast.WalkContinue, nil
	}
	it := n.(*Item)
	w.WriteString(`<p class="item depth` + string(rune('0'+min(max(len(it.Number), 1), 3))) + `"><span class="label">`)
	w.Write(util.EscapeHTML([]byte(it.Label)))
	w.WriteString(`</span> `)
	return ast.WalkContinue, nil
}

func (r *clauseRenderer) bullet(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		w.WriteString("</p>\n")
		return ast.WalkContinue, nil
	}
	// "-" is printed as a dash, as it always was; every other glyph as
	// written.
	glyph := n.(*Bullet).Glyph
	if glyph == "-" {
		glyph = "–"
	}
	w.WriteString(`<p class="bullet"><span class="label">`)
	w.Write(util.EscapeHTML([]byte(glyph)))
	w.WriteString(`</span> `)
	return ast.WalkContinue, nil
}

func (r *clauseRenderer) footnote(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		w.WriteString("</p>\n")
		return ast.WalkContinue, nil
	}
	w.WriteString(`<p class="footnote"><span class="label">`)
	w.Write(util.EscapeHTML([]byte(n.(*Footnote).Mark)))
	w.WriteString(`</span> `)
	return ast.WalkContinue, nil
}

// container writes an approval stamp or signature block line by line as
// written, with no markup of its own (the stylesheet aligns a stamp
// right).
func (r *clauseRenderer) container(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	c := n.(*Container)
	w.WriteString(`<div class="` + containerClass(c.Name) + `">` + "\n")
	for i := range c.Lines().Len() {
		seg := c.Lines().At(i)
		line := bytes.TrimSpace(seg.Value(src))
		w.WriteString("<p>")
		w.Write(util.EscapeHTML(line))
		w.WriteString("</p>\n")
	}
	w.WriteString("</div>\n")
	return ast.WalkSkipChildren, nil
}

func containerClass(name string) string {
	if name == FenceApproval {
		return "approval"
	}
	return "signature"
}

// table writes a pipe table: its header row as th, its body rows as td,
// each cell's text with the format's inline markup (Spans).
func (r *clauseRenderer) table(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	w.WriteString("<table>\n")
	for i := range n.Lines().Len() {
		if i == 1 {
			continue // the delimiter row
		}
		tag := "td"
		if i == 0 {
			tag = "th"
		}
		w.WriteString("<tr>")
		seg := n.Lines().At(i)
		for _, cell := range TableCells(string(seg.Value(src))) {
			w.WriteString("<" + tag + ">")
			writeSpans(w, cell)
			w.WriteString("</" + tag + ">")
		}
		w.WriteString("</tr>\n")
	}
	w.WriteString("</table>\n")
	return ast.WalkSkipChildren, nil
}

// writeSpans writes text with the format's inline markup as HTML: strong
// runs, clause links, everything else escaped as written.
func writeSpans(w util.BufWriter, text string) {
	for _, s := range Spans(text) {
		if s.Strong {
			w.WriteString("<strong>")
		}
		if s.Link != "" {
			w.WriteString(`<a href="`)
			w.Write(util.EscapeHTML([]byte(s.Link)))
			w.WriteString(`">`)
		}
		w.Write(util.EscapeHTML([]byte(s.Text)))
		if s.Link != "" {
			w.WriteString("</a>")
		}
		if s.Strong {
			w.WriteString("</strong>")
		}
	}
}

// RenderHTML renders src — a policy text — as HTML: goldmark with the clause
// extension and the format's inline markup (Spans), every other character
// printed as written and HTML-escaped, headings with ids from their
// section numbers ("3").
func RenderHTML(src []byte, opt HTMLOptions) ([]byte, error) {
	m := NewFor(normScheme(opt.Numbering))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(NewHTMLRenderer(opt), 100)))
	doc := m.Parser().Parse(textReader(src))
	// Section headings get ids from their numbers: "## 3. Title" → id="3".
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if h, ok := n.(*ast.Heading); ok && h.Level == 2 {
			title := string(linesText(h.Lines(), src, " "))
			if m := sectionRe.FindStringSubmatch(title); m != nil {
				h.SetAttributeString("id", []byte(m[1]))
			}
		}
	}
	var b bytes.Buffer
	if err := m.Renderer().Render(&b, src, doc); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func textReader(src []byte) text.Reader { return text.NewReader(spaceTrailing(src)) }
