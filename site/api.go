package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/diff"
	"github.com/saiasat/saiasat/render"
)

// The read-only API's documents (docs/site.md). The static mirror puts each
// under api/v1/ with a file extension where the server negotiates.

// PolicySummary is an entry of GET /v1/policies.
type PolicySummary struct {
	ID             string                  `json:"id"`
	Languages      []saiasat.Lang          `json:"languages"`
	Title          map[saiasat.Lang]string `json:"title"`
	CurrentEdition *int                    `json:"current_edition"`
}

// Current is GET /v1/policies/{id}/current?lang=…: the edition in force.
type Current struct {
	Policy        string       `json:"policy"`
	Edition       int          `json:"edition"`
	Lang          saiasat.Lang `json:"lang"`
	Version       saiasat.Hash `json:"version"`
	TextSHA256    saiasat.Hash `json:"text_sha256"`
	EffectiveFrom string       `json:"effective_from"`
	Title         string       `json:"title"`
	URLs          URLs         `json:"urls"`
}

// URLs are where one edition's text is readable.
type URLs struct {
	HTML string `json:"html"`
	PDF  string `json:"pdf"`
	MD   string `json:"md"`
}

// Edition is an entry of GET /v1/policies/{id}/editions and the body of
// GET /v1/versions/{version}: the release manifest with its PDFs' hashes.
type Edition struct {
	Policy       string                        `json:"policy"`
	Edition      int                           `json:"edition"`
	Effective    string                        `json:"effective"`
	Status       string                        `json:"status"`
	Version      saiasat.Hash                  `json:"version"`
	Previous     *saiasat.Hash                 `json:"previous"`
	Title        map[saiasat.Lang]string       `json:"title"`
	Organization map[saiasat.Lang]string       `json:"organization"`
	Texts        map[saiasat.Lang]saiasat.Hash `json:"texts"`
	PDFs         map[saiasat.Lang]saiasat.Hash `json:"pdfs"`
	Historic     bool                          `json:"historic,omitempty"`
	Approval     *ApprovalDoc                  `json:"approval"`
	URLs         map[saiasat.Lang]URLs         `json:"urls"`
}

// ApprovalDoc is the approval of an edition.
type ApprovalDoc struct {
	Decision string `json:"decision"`
	Date     string `json:"date"`
	Approver string `json:"approver"`
}

func jsonBytes(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func (b *builder) addJSON(p string, v any) error {
	data, err := jsonBytes(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", p, err)
	}
	b.add(p, data)
	return nil
}

func (b *builder) urls(id string, l saiasat.Lang, e *edition) URLs {
	dir := editionPath(l, id, e)
	return URLs{HTML: b.url(dir), PDF: b.url(dir + fileName(id, l, e, "pdf")), MD: b.url(dir + fileName(id, l, e, "md"))}
}

func (b *builder) editionDoc(id string, e *edition, cur *edition) Edition {
	d := Edition{Policy: id, Edition: e.n, Effective: e.effective.Format(saiasat.DateLayout), Version: e.version,
		Title: e.policy.Title, Organization: e.policy.Organization, Texts: e.hashes, PDFs: e.pdfHashes, URLs: make(map[saiasat.Lang]URLs)}
	switch {
	case e.effective.After(b.opt.Now):
		d.Status = "upcoming"
	case cur != nil && cur.n == e.n:
		d.Status = "in_force"
	default:
		d.Status = "past"
	}
	if r := e.release; r != nil {
		d.Historic = r.Historic
		if r.Previous != "" {
			prev := r.Previous
			d.Previous = &prev
		}
		if a := r.Approval; a != nil {
			d.Approval = &ApprovalDoc{Decision: a.Decision, Date: a.Date.Format(saiasat.DateLayout), Approver: a.Approver}
		}
	}
	for _, l := range e.policy.Languages {
		d.URLs[l] = b.urls(id, l, e)
	}
	return d
}

// apiPolicies writes the static mirror of the API for every policy.
func (b *builder) apiPolicies(all [][]*edition) error {
	var list []PolicySummary
	for _, es := range all {
		// The API serves approved editions only, never the draft.
		es = slices.DeleteFunc(slices.Clone(es), func(e *edition) bool { return e.draft })
		last := es[len(es)-1].policy
		id := last.ID
		cur := current(es, b.opt.Now)
		s := PolicySummary{ID: id, Languages: last.Languages, Title: last.Title}
		if cur != nil {
			n := cur.n
			s.CurrentEdition = &n
			for _, l := range cur.policy.Languages {
				c := Current{Policy: id, Edition: cur.n, Lang: l, Version: cur.version, TextSHA256: cur.hashes[l],
					EffectiveFrom: cur.effective.Format(saiasat.DateLayout), Title: cur.policy.Title[l], URLs: b.urls(id, l, cur)}
				if err := b.addJSON(fmt.Sprintf("api/v1/policies/%s/current.%s.json", id, l), c); err != nil {
					return err
				}
			}
		}
		list = append(list, s)
		var docs []Edition
		for i, e := range es {
			d := b.editionDoc(id, e, cur)
			docs = append(docs, d)
			if err := b.addJSON("api/v1/versions/"+string(e.version)+".json", d); err != nil {
				return err
			}
			for _, l := range e.policy.Languages {
				b.add("api/v1/texts/"+string(e.hashes[l])+".md", e.texts[l])
				b.add("api/v1/texts/"+string(e.hashes[l])+".pdf", e.pdfs[l])
			}
			if i > 0 {
				prev := es[i-1]
				r := diff.Compare(fullVersion(prev), fullVersion(e))
				if err := b.addJSON(fmt.Sprintf("api/v1/policies/%s/diff/%d-%d.json", id, prev.n, e.n), r.JSON(false)); err != nil {
					return err
				}
			}
		}
		if err := b.addJSON("api/v1/policies/"+id+"/editions.json", map[string]any{"policy": id, "editions": docs}); err != nil {
			return err
		}
	}
	return b.addJSON("api/v1/policies.json", map[string]any{"policies": list})
}

func fullVersion(e *edition) *diff.Version {
	return &diff.Version{ID: e.policy.ID, Edition: e.n, Released: !e.draft, Effective: e.effective, Title: e.policy.Title,
		Label: "edition " + itoa(e.n), Version: e.version, Languages: e.policy.Languages, Docs: e.release.Docs}
}

// index is the site's front page, in English: the tool's own page.
func (b *builder) index(ps []indexPolicy) error {
	en, err := render.NewLocalizer("en")
	if err != nil {
		return err
	}
	title, err := en.T("SiteIndexTitle", nil)
	if err != nil {
		return err
	}
	intro, err := en.T("SiteIndexIntro", nil)
	if err != nil {
		return err
	}
	return b.exec("index", "index.html", map[string]any{"Title": title, "Intro": intro, "Policies": ps})
}
