package site

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"
	"unicode"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/render"
	"github.com/saiasat/saiasat/templates"
)

var (
	pages   = template.Must(template.ParseFS(templates.FS, "site.html"))
	siteCSS = must(templates.FS.ReadFile("site.css"))
	favicon = must(templates.FS.ReadFile("favicon.svg"))
)

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

type link struct {
	Lang, Name, Href, Text string
}

// approvedLine says who approved an edition and when, as far as it was
// recorded, and quotes the decision when it is in the page's language.
type approvedLine struct {
	Label, Text, Decision string
}

// textLang guesses the language of a short Cyrillic text: Kazakh if it has
// a letter Russian lacks, else Russian; "" if it has no Cyrillic letter.
// A recorded decision or approver is shown only on the page of its
// language.
func textLang(s string) saiasat.Lang {
	if strings.ContainsAny(s, "ӘәҒғҚқҢңӨөҰұҮүҺһІі") {
		return "kk"
	}
	for _, r := range s {
		if unicode.Is(unicode.Cyrillic, r) {
			return "ru"
		}
	}
	return ""
}

// page is what every policy page's head and foot need.
type page struct {
	Lang                  saiasat.Lang
	Title, PolicyTitle    string
	NoIndex               bool
	Root, Home, HomeText  string
	LangsLabel            string
	Alternates            []link
	Feed, FeedTitle       string
	Links                 []link
	Status, State         string
	Approved              *approvedLine
	AboutLabel            string
	VersionLabel, Version string
	HashLabel, TextHash   string
	Downloads             []link
	ContentsLabel         string
	Sections              []section
	Body                  template.HTML
	Heading, Count, Intro string
	EditionLabel          string
	EffectiveLabel        string
	Rows                  any
	Summary               []string
	Changes               *changesPart
	Next                  string
	NextLinks             []link
	StatusLabel           string
	Policies              []indexPolicy
}

// section is an entry of a page's contents: a chapter or section heading
// with its id and its line as printed ("1. Общие положения").
type section struct {
	ID, Text string
}

func (b *builder) exec(name, p string, data any) error {
	var buf bytes.Buffer
	if err := pages.ExecuteTemplate(&buf, name, data); err != nil {
		return fmt.Errorf("render %s: %w", p, err)
	}
	b.add(p, buf.Bytes())
	return nil
}

// indexPolicy is one policy on a language's index and 404 pages.
type indexPolicy struct {
	Lang                saiasat.Lang
	Href, Title, Status string
}

// policy builds every page of one policy in every language, and returns
// its entry on each language's index.
func (b *builder) policy(es []*edition) ([]indexPolicy, error) {
	last := es[len(es)-1].policy
	id, langs := last.ID, last.Languages
	var ips []indexPolicy
	for _, l := range langs {
		loc, err := render.NewLocalizer(l)
		if err != nil {
			return nil, err
		}
		pb := &policyPages{builder: b, id: id, lang: l, langs: langs, loc: loc, editions: es}
		if err := pb.build(); err != nil {
			return nil, err
		}
		ip := indexPolicy{Lang: l, Href: dirPath(l, id), Title: last.Title[l]}
		if cur := current(es, b.opt.Now); cur != nil {
			ip.Title = cur.policy.Title[l]
			ip.Status, _ = pb.status(cur, cur)
		} else {
			ip.Status = pb.t("SiteNoCurrent", nil)
		}
		ips = append(ips, ip)
		if pb.err != nil {
			return nil, pb.err
		}
	}
	return ips, nil
}

// pdfs renders an edition's PDF in each language, with their hashes.
func pdfs(e *edition, url func(string) string) (map[saiasat.Lang][]byte, map[saiasat.Lang]saiasat.Hash, error) {
	out := make(map[saiasat.Lang][]byte)
	hashes := make(map[saiasat.Lang]saiasat.Hash)
	approvals, err := pdfApprovals(e)
	if err != nil {
		return nil, nil, err
	}
	for _, l := range e.policy.Languages {
		doc := e.parse(l)
		b, err := render.PolicyPDF(doc, render.PolicyPDFOptions{
			Lang: l, Title: e.policy.Title[l], Organization: e.policy.Organization[l], Edition: e.n,
			Effective: render.FormatDateShort(l, e.effective), EffectiveDate: e.effective, TextHash: e.hashes[l],
			URL: url(editionPath(l, e.policy.ID, e) + "index.html"), Draft: e.draft, Approval: approvals[l],
		})
		if err != nil {
			return nil, nil, err
		}
		out[l], hashes[l] = b, saiasat.HashBytes(b)
	}
	return out, hashes, nil
}

// dirPath is a language's folder of a policy: "kk/privacy/".
func dirPath(l saiasat.Lang, id string) string { return string(l) + "/" + id + "/" }

func editionPath(l saiasat.Lang, id string, e *edition) string {
	return string(l) + "/" + id + "/" + e.dir() + "/"
}

func fileName(id string, l saiasat.Lang, e *edition, ext string) string {
	if e.draft {
		return fmt.Sprintf("%s-%s-draft.%s", id, l, ext)
	}
	return fmt.Sprintf("%s-%s-%d.%s", id, l, e.n, ext)
}
