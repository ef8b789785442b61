package site

import (
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/render"
)

// The site's own pages, in the policies' languages: each language's index
// (<lang>/index.html) and "not found" page (<lang>/404.html), and at the
// root both languages side by side (index.html, 404.html), so no page a
// borrower meets is in English or shows an id.

// indexGroup is one language's part of an index or 404 page.
type indexGroup struct {
	Lang     saiasat.Lang
	Heading  string
	Intro    string
	Policies []indexPolicy
}

// indexPage is an index or 404 page: one group, or one per language at
// the root.
type indexPage struct {
	page
	Groups []indexGroup
}

// index writes the index and 404 pages of every language of ps, and the
// root's.
func (b *builder) index(ps []indexPolicy) error {
	var langs []saiasat.Lang
	for _, p := range ps {
		if !slices.Contains(langs, p.Lang) {
			langs = append(langs, p.Lang)
		}
	}
	for _, kind := range []struct {
		name, file, heading, intro string
	}{{"index", "index.html", "SiteIndexTitle", "SiteIndexIntro"}, {"notfound", "404.html", "SiteNotFoundTitle", "SiteNotFoundIntro"}} {
		var all []indexGroup
		for _, l := range langs {
			loc, err := render.NewLocalizer(l)
			if err != nil {
				return err
			}
			g := indexGroup{Lang: l}
			if g.Heading, err = loc.T(kind.heading, nil); err != nil {
				return err
			}
			if g.Intro, err = loc.T(kind.intro, nil); err != nil {
				return err
			}
			for _, p := range ps {
				if p.Lang == l {
					g.Policies = append(g.Policies, p)
				}
			}
			all = append(all, g)
			at := string(l) + "/" + kind.file
			pg, err := b.sitePage(at, kind.file == "404.html", l, langs, g.Heading)
			if err != nil {
				return err
			}
			if err := b.exec(kind.name, at, indexPage{page: pg, Groups: []indexGroup{b.linked(g, at, kind.file == "404.html")}}); err != nil {
				return err
			}
		}
		if len(all) == 0 {
			continue
		}
		heading := ""
		for i, g := range all {
			if i > 0 {
				heading += " · "
			}
			heading += g.Heading
		}
		pg, err := b.sitePage(kind.file, kind.file == "404.html", all[0].Lang, langs, heading)
		if err != nil {
			return err
		}
		root := indexPage{page: pg}
		for _, g := range all {
			root.Groups = append(root.Groups, b.linked(g, kind.file, kind.file == "404.html"))
		}
		if err := b.exec(kind.name, kind.file, root); err != nil {
			return err
		}
	}
	return nil
}

// href links from the page at at to the site path to: relative, except on
// a 404 page, which is served at any path and so links from the site's
// root: the path of --base-url ("/policies/kk/privacy/"), else "/".
func (b *builder) href(at, to string, notFound bool) string {
	if notFound {
		prefix := ""
		if u, err := url.Parse(b.opt.BaseURL); err == nil {
			prefix = strings.TrimSuffix(u.Path, "/")
		}
		return prefix + "/" + strings.TrimSuffix(to, "index.html")
	}
	return rel(at, to)
}

// linked returns g with its links made from the page at at.
func (b *builder) linked(g indexGroup, at string, notFound bool) indexGroup {
	g.Policies = slices.Clone(g.Policies)
	for i := range g.Policies {
		g.Policies[i].Href = b.href(at, g.Policies[i].Href, notFound)
	}
	return g
}

// sitePage is the frame of an index or 404 page in lang: the style sheet,
// and a switch to the other languages' page of the same kind (none at the
// root, which shows every language).
func (b *builder) sitePage(at string, notFound bool, lang saiasat.Lang, langs []saiasat.Lang, title string) (page, error) {
	pg := page{Lang: lang, Title: title, Heading: title, Root: b.href(at, "", notFound)}
	if notFound {
		pg.NoIndex = true
	}
	loc, err := render.NewLocalizer(lang)
	if err != nil {
		return pg, err
	}
	if pg.LangsLabel, err = loc.T("SiteLangs", nil); err != nil {
		return pg, err
	}
	if !strings.Contains(at, "/") {
		return pg, nil
	}
	for _, l := range langs {
		if l == lang {
			continue
		}
		o, err := render.NewLocalizer(l)
		if err != nil {
			return pg, err
		}
		name, err := o.T("SiteLangName", nil)
		if err != nil {
			return pg, err
		}
		pg.Alternates = append(pg.Alternates, link{Lang: string(l), Name: name, Href: b.href(at, string(l)+"/"+path.Base(at), notFound)})
	}
	return pg, nil
}
