package markdown

import (
	"bytes"

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
	w.WriteString(`<p class="item depth` + string(rune('0'+min(len(it.Number), 3))) + `"><span class="label">`)
	w.WriteString(it.Number.String())
	w.WriteString(`)</span> `)
	return ast.WalkContinue, nil
}

func (r *clauseRenderer) bullet(w util.BufWriter, src []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		w.WriteString("</p>\n")
		return ast.WalkContinue, nil
	}
	w.WriteString(`<p class="bullet"><span class="label">–</span> `)
	return ast.WalkContinue, nil
}

// RenderHTML renders src — a policy text — as HTML: goldmark with the clause
// extension and the format's inline markup (Spans), every other character
// printed as written and HTML-escaped, headings with ids from their
// section numbers ("3").
func RenderHTML(src []byte, opt HTMLOptions) ([]byte, error) {
	m := New()
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

func textReader(src []byte) text.Reader { return text.NewReader(src) }
