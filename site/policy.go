package site

import (
	"encoding/xml"
	"fmt"
	"html/template"
	"strings"
	"time"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/diff"
	"github.com/saiasat/saiasat/markdown"
	"github.com/saiasat/saiasat/render"
)

// policyPages builds one language's pages of one policy.
type policyPages struct {
	*builder
	id       string
	lang     saiasat.Lang
	langs    []saiasat.Lang
	loc      *render.Localizer
	editions []*edition
	err      error
}

func (p *policyPages) t(id string, data map[string]any) string {
	s, err := p.loc.T(id, data)
	if err != nil && p.err == nil {
		p.err = err
	}
	return s
}

// name is a language's own name for itself ("Қазақша", "Русский").
func (p *policyPages) name(l saiasat.Lang) string {
	loc, err := render.NewLocalizer(l)
	if err != nil {
		return string(l)
	}
	s, err := loc.T("SiteLangName", nil)
	if err != nil {
		return string(l)
	}
	return s
}

func (p *policyPages) build() error {
	cur := current(p.editions, p.opt.Now)
	base := dirPath(p.lang, p.id)
	for _, e := range p.editions {
		if err := p.editionPage(e, editionPath(p.lang, p.id, e)+"index.html", cur); err != nil {
			return err
		}
		p.add(editionPath(p.lang, p.id, e)+fileName(p.id, p.lang, e, "md"), e.texts[p.lang])
		p.add(editionPath(p.lang, p.id, e)+fileName(p.id, p.lang, e, "pdf"), e.pdfs[p.lang])
		if prev := previous(p.editions, e); prev != nil && !e.draft {
			if err := p.changesPage(prev, e); err != nil {
				return err
			}
		}
	}
	if cur != nil {
		if err := p.editionPage(cur, base+"index.html", cur); err != nil {
			return err
		}
	} else if err := p.editionsPage(base + "index.html"); err != nil {
		return err
	}
	if err := p.editionsPage(base + "editions/index.html"); err != nil {
		return err
	}
	if err := p.feed(); err != nil {
		return err
	}
	return p.err
}

// frame fills what every page of this language shares; same is the path of
// this page in another language, with {lang} for the language.
func (p *policyPages) frame(at string, samePath func(saiasat.Lang) string) page {
	pg := page{Lang: p.lang, Root: rel(at, ""), Home: rel(at, dirPath(p.lang, p.id)+"editions/"), HomeText: p.t("SiteEditions", nil),
		LangsLabel: p.t("SiteLangs", nil), Feed: rel(at, dirPath(p.lang, p.id)+"feed.xml"), FeedTitle: p.t("SiteFeed", nil)}
	last := p.editions[len(p.editions)-1].policy
	pg.PolicyTitle = last.Title[p.lang]
	for _, l := range p.langs {
		if l != p.lang {
			pg.Alternates = append(pg.Alternates, link{Lang: string(l), Name: p.name(l), Href: rel(at, samePath(l))})
		}
	}
	pg.Links = []link{{Href: rel(at, dirPath(p.lang, p.id)), Text: p.t("SiteCurrentLink", nil)}, {Href: rel(at, dirPath(p.lang, p.id)+"editions/"), Text: p.t("SiteEditions", nil)},
		{Href: rel(at, string(p.lang)+"/"), Text: p.t("SiteIndexTitle", nil)}}
	return pg
}

// date writes t the local way for a page, its parts held together by
// no-break spaces, so that a narrow screen never leaves "г." or "ж." (or
// the year) alone at the start of a line.
func (p *policyPages) date(t time.Time) string {
	return strings.ReplaceAll(render.FormatDate(p.lang, t), " ", "\u00a0")
}

// successor returns the first approved edition after e, or nil.
func successor(es []*edition, e *edition) *edition {
	for _, o := range es {
		if !o.draft && o.n > e.n {
			return o
		}
	}
	return nil
}

// status is the page's one short line: edition, dates and state, in the
// tense the state calls for; state names it for the style sheet.
func (p *policyPages) status(e, cur *edition) (line, state string) {
	date := p.date(e.effective)
	switch {
	case e.draft:
		return p.t("SiteStatusDraft", map[string]any{"Edition": e.n, "Date": date}), "draft"
	case saiasat.InForceFrom(e.effective).After(p.opt.Now):
		return p.t("SiteStatusUpcomingLine", map[string]any{"Edition": e.n, "Date": date}), "upcoming"
	case cur != nil && e.n < cur.n:
		end := successor(p.editions, e)
		return p.t("SiteStatusPastLine", map[string]any{"Edition": e.n, "Date": p.date(end.effective), "Current": cur.n}), "past"
	}
	return p.t("SiteStatusInForceLine", map[string]any{"Edition": e.n, "Date": date}), ""
}

// approval says who approved e and when, only as far as it was recorded,
// and quotes the decision in the page's language (approvalIn).
func (p *policyPages) approval(e *edition) *approvedLine {
	a := &approvedLine{Label: p.t("SiteApprovalLabel", nil)}
	var err error
	if a.Text, a.Decision, err = approvalIn(e, p.loc, p.lang, p.date); err != nil && p.err == nil {
		p.err = err
	}
	return a
}

func (p *policyPages) editionPage(e *edition, at string, cur *edition) error {
	isCurrent := at == dirPath(p.lang, p.id)+"index.html"
	samePath := func(l saiasat.Lang) string {
		if isCurrent {
			return dirPath(l, p.id)
		}
		return editionPath(l, p.id, e)
	}
	pg := p.frame(at, samePath)
	pg.PolicyTitle = e.policy.Title[p.lang]
	pg.Title = pg.PolicyTitle
	if e.draft {
		// A draft is no one's policy yet: search engines leave it out and
		// its title says what it is.
		pg.NoIndex = true
		pg.Title = p.t("SiteDraftTitle", map[string]any{"Title": pg.PolicyTitle})
	}
	pg.Status, pg.State = p.status(e, cur)
	pg.Approved = p.approval(e)
	// The edition in force announces an approved edition still to come,
	// with links to its text and to what changes.
	if cur != nil && e.n == cur.n && !e.draft {
		if o := successor(p.editions, e); o != nil {
			pg.Next = p.t("SiteNext", map[string]any{"Edition": o.n, "Date": p.date(o.effective)})
			pg.NextLinks = []link{{Href: rel(at, editionPath(p.lang, p.id, o)), Text: p.t("SiteNextText", nil)},
				{Href: rel(at, dirPath(p.lang, p.id)+changesDir(o)), Text: p.t("SiteChanges", nil)}}
		}
	}
	pg.AboutLabel = p.t("SiteAbout", nil)
	pg.VersionLabel = p.t("SiteVersionHash", nil)
	pg.Version = string(e.version)
	pg.HashLabel = p.t("SiteTextHash", nil)
	pg.TextHash = string(e.hashes[p.lang])
	dir := editionPath(p.lang, p.id, e)
	pg.Downloads = []link{{Href: rel(at, dir+fileName(p.id, p.lang, e, "pdf")), Text: "PDF"}, {Href: rel(at, dir+fileName(p.id, p.lang, e, "md")), Text: p.t("SiteMarkdown", nil)}}
	if prev := previous(p.editions, e); prev != nil && !e.draft {
		pg.Downloads = append(pg.Downloads, link{Href: rel(at, dirPath(p.lang, p.id)+changesDir(e)), Text: p.t("SiteChanges", nil)})
	}
	pg.ContentsLabel = p.t("SiteContents", nil)
	doc := e.parse(p.lang)
	pg.Sections = contents(doc)
	var others []markdown.LangLink
	for _, a := range pg.Alternates {
		others = append(others, markdown.LangLink{Lang: a.Lang, Text: a.Name, Prefix: a.Href})
	}
	opt := markdown.HTMLOptions{OtherLangs: others}
	if isCurrent {
		// A citation names the text it cites: the current page's clause
		// numbers link to the edition's own page, which never changes.
		opt.NumPrefix = rel(at, dir)
	}
	body, err := render.PageHTML(doc, opt)
	if err != nil {
		return err
	}
	// Every character of the text is escaped; the only elements are the
	// clause renderer's, strong and links to "#N": safe to embed as is.
	pg.Body = template.HTML(body)
	return p.exec("policy", at, pg)
}

// contents lists a text's chapters and headings for the page's contents:
// from its tree of blocks, or the numbered sections of a text parsed
// without one.
func contents(doc *saiasat.Document) []section {
	var out []section
	if len(doc.Blocks) == 0 {
		for _, s := range doc.Sections {
			if s.Number > 0 {
				out = append(out, section{itoa(s.Number), itoa(s.Number) + ". " + s.Title})
			}
		}
		return out
	}
	saiasat.WalkBlocks(doc.Blocks, func(b *saiasat.Block) bool {
		switch b.Kind {
		case saiasat.KindChapter, saiasat.KindSection:
			line := b.Text
			if b.Label != "" {
				line = strings.TrimSpace(b.Label + " " + b.Text)
			}
			out = append(out, section{b.ID, line})
			return true
		}
		return false // clauses and the rest hold no headings
	})
	return out
}

// decisionRecorded reports whether e's approving decision was recorded
// with its date: not so for an edition in force before releases were kept
// (historic), whatever its record carries.
func decisionRecorded(e *edition) bool {
	a := approvalOf(e)
	return a != nil && !e.release.Historic && !a.Date.IsZero()
}

func approvalOf(e *edition) *saiasat.Approval {
	if e.release == nil {
		return nil
	}
	return e.release.Approval
}

func changesDir(e *edition) string { return "changes/" + itoa(e.n) + "/" }

type editionRow struct {
	Edition               int
	Label, Href           string
	Effective, Status     string
	Changes, ChangesLabel string
}

func (p *policyPages) editionsPage(at string) error {
	pg := p.frame(at, func(l saiasat.Lang) string { return dirPath(l, p.id) + "editions/" })
	pg.Heading = p.t("SiteEditions", nil)
	pg.Title = pg.PolicyTitle + " – " + pg.Heading
	pg.EffectiveLabel = p.t("SiteEffectiveCol", nil)
	pg.StatusLabel = p.t("SiteStatusCol", nil)
	pg.EditionLabel = p.t("SiteEditionCol", nil)
	cur := current(p.editions, p.opt.Now)
	var rows []editionRow
	n := 0
	for i := len(p.editions) - 1; i >= 0; i-- {
		e := p.editions[i]
		if e.draft {
			continue
		}
		n++
		r := editionRow{Edition: e.n, Label: p.t("SiteEditionLink", map[string]any{"Edition": e.n}), Href: rel(at, editionPath(p.lang, p.id, e)), Effective: p.date(e.effective)}
		switch {
		case saiasat.InForceFrom(e.effective).After(p.opt.Now):
			r.Status = p.t("SiteStatusUpcoming", nil)
		case cur != nil && e.n == cur.n:
			r.Status = p.t("SiteStatusInForce", nil)
		default:
			r.Status = p.t("SiteStatusPast", nil)
		}
		if previous(p.editions, e) != nil {
			r.Changes, r.ChangesLabel = rel(at, dirPath(p.lang, p.id)+changesDir(e)), p.t("SiteChanges", nil)
		}
		rows = append(rows, r)
	}
	pg.Rows = rows
	count, err := p.loc.N("EditionsCount", n)
	if err != nil {
		return err
	}
	pg.Count = count
	if cur == nil {
		pg.Count += " " + p.t("SiteNoCurrent", nil)
	}
	return p.exec("editions", at, pg)
}

// changesPage is the public "what changed" page between two consecutive
// approved editions, in one language.
func (p *policyPages) changesPage(prev, e *edition) error {
	at := dirPath(p.lang, p.id) + changesDir(e) + "index.html"
	pg := p.frame(at, func(l saiasat.Lang) string { return dirPath(l, p.id) + changesDir(e) })
	pg.Heading = p.t("SiteChangesTitle", map[string]any{"From": prev.n, "To": e.n})
	pg.Title = pg.PolicyTitle + " – " + pg.Heading
	r := diff.Compare(version(prev, p.lang), version(e, p.lang))
	rl, err := render.NewRedline(r, render.RedlineOptions{})
	if err != nil {
		return err
	}
	type changeRow struct {
		Key, Head, Fixes string
		Kind             diff.Kind
		Block            diff.Block
		Run              int
		Segs             []render.Seg
	}
	var rows []changeRow
	for _, row := range rl.Rows {
		c := row.Cells[0]
		rows = append(rows, changeRow{Key: row.Key, Head: c.Head, Fixes: c.Fixes, Kind: c.Kind, Block: c.Block, Run: row.Run, Segs: c.Segs})
	}
	pg.Rows = rows
	for _, c := range rl.Cols {
		pg.Summary = c.Summary
		pg.Changes = &changesPart{Meta: c.Meta, ConcordanceHeading: c.ConcordanceHeading, ConcordanceNote: c.ConcordanceNote, FromLabel: c.FromLabel, ToLabel: c.ToLabel}
	}
	for _, cr := range rl.Concordance {
		pg.Changes.Concordance = append(pg.Changes.Concordance, [2]string{cr.Old, cr.New[0]})
	}
	return p.exec("changes", at, pg)
}

// changesPart is what only the "what changed" page has: the policy.yaml
// fields that changed and the concordance of clause numbers, old → new.
type changesPart struct {
	Meta                                                    []string
	ConcordanceHeading, ConcordanceNote, FromLabel, ToLabel string
	Concordance                                             [][2]string
}

// version is an edition as one side of a diff, in one language.
func version(e *edition, l saiasat.Lang) *diff.Version {
	doc := e.parse(l)
	return &diff.Version{ID: e.policy.ID, Edition: e.n, Released: !e.draft, Canonical: !e.draft, Effective: e.effective, Title: e.policy.Title, Organization: e.policy.Organization,
		Label: "edition " + itoa(e.n), Version: e.version, Languages: []saiasat.Lang{l}, Docs: map[saiasat.Lang]*saiasat.Document{l: doc}}
}

// The Atom feed: one entry per approved edition, those approved for a
// future date included, so readers learn of a change before it applies.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"xml:lang,attr"`
	Title   string      `xml:"title"`
	ID      string      `xml:"id"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  atomAuthor  `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomAuthor struct {
	Name string `xml:"name"`
}

type atomEntry struct {
	Title   string   `xml:"title"`
	ID      string   `xml:"id"`
	Updated string   `xml:"updated"`
	Link    atomLink `xml:"link"`
	Summary string   `xml:"summary"`
}

func (p *policyPages) feed() error {
	at := dirPath(p.lang, p.id) + "feed.xml"
	last := p.editions[len(p.editions)-1].policy
	f := atomFeed{Lang: string(p.lang), Title: last.Title[p.lang], ID: "urn:saiasat:" + p.id + ":" + string(p.lang),
		Links: []atomLink{{Rel: "self", Href: p.url(at)}, {Href: p.url(dirPath(p.lang, p.id))}}, Author: atomAuthor{Name: last.Organization[p.lang]}}
	for i := len(p.editions) - 1; i >= 0; i-- {
		e := p.editions[i]
		if e.draft {
			continue
		}
		target := editionPath(p.lang, p.id, e)
		if previous(p.editions, e) != nil {
			target = dirPath(p.lang, p.id) + changesDir(e)
		}
		updated := e.release.Approval.RecordedAt.UTC().Format("2006-01-02T15:04:05Z")
		if f.Updated == "" || updated > f.Updated {
			f.Updated = updated
		}
		// The summary tells the approval as the page does, then the hash.
		approval, decision, err := approvalIn(e, p.loc, p.lang, func(t time.Time) string { return render.FormatDateShort(p.lang, t) })
		if err != nil {
			return err
		}
		if decision != "" {
			approval += " — " + decision
		}
		f.Entries = append(f.Entries, atomEntry{
			Title: p.t("SiteFeedEntry", map[string]any{"Edition": e.n, "Date": render.FormatDate(p.lang, e.effective)}),
			// The version hash names the edition for good.
			ID: "urn:saiasat:" + p.id + ":" + string(e.version), Updated: updated,
			Link: atomLink{Href: p.url(target)}, Summary: approval + ". " + p.t("SiteTextHash", nil) + ": " + string(e.hashes[p.lang]),
		})
	}
	out, err := xml.MarshalIndent(f, "", "  ")
	if err != nil {
		return err
	}
	p.add(at, append([]byte(xml.Header), append(out, '\n')...))
	return nil
}

func itoa(n int) string { return fmt.Sprint(n) }
