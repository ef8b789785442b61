package site

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/diff"
	"github.com/saiasat/saiasat/render"
)

// The read-only API's documents (docs/site.md). The static mirror puts each
// under api/v1/ with a file extension where the server negotiates.

// API indexes the API documents of a built site.
type API struct {
	// Policies by id, and their ids in order.
	Policies map[string]*PolicyAPI
	Order    []string
	// Texts by text hash; Versions maps a version hash to its document's
	// path in Files.
	Texts    map[saiasat.Hash]*TextAPI
	Versions map[saiasat.Hash]string
	// PoliciesPath is the path of the policies list in Files.
	PoliciesPath string
}

// PolicyAPI is one policy's documents.
type PolicyAPI struct {
	ID           string
	Languages    []saiasat.Lang
	EditionsPath string
	// Editions in order, each with its "current" document per language,
	// so the edition in force at any instant is a lookup.
	Editions []*EditionAPI
	// Diffs maps "from-to" of consecutive editions to their document, and
	// "from-to.lang" to the document of that language alone.
	Diffs map[string]string
}

// EditionAPI is one approved edition as the API serves it.
type EditionAPI struct {
	Edition   int
	Effective time.Time
	Version   saiasat.Hash
	// Current holds the JSON document of GET …/current for each language.
	Current map[saiasat.Lang][]byte
	// Diff is the edition as a side of a diff, for pairs that are not
	// consecutive.
	Diff *diff.Version
}

// TextAPI locates one text by its hash.
type TextAPI struct {
	Policy  string
	Edition int
	Lang    saiasat.Lang
	// Paths in Files: the canonical Markdown, the PDF, the HTML page.
	MD, PDF, HTML string
}

// At returns the edition in force at t: the latest whose effective date
// has begun in Kazakhstan, or nil.
func (p *PolicyAPI) At(t time.Time) *EditionAPI {
	var cur *EditionAPI
	for _, e := range p.Editions {
		if !saiasat.InForceFrom(e.Effective).After(t) {
			cur = e
		}
	}
	return cur
}

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

// Edition is an entry of GET /v1/policies/{id}/editions: the release
// manifest with its status at build time, its PDFs' hashes and its URLs.
// GET /v1/versions/{version} serves the Manifest part alone, which never
// changes.
type Edition struct {
	Manifest
	Status string                        `json:"status"`
	PDFs   map[saiasat.Lang]saiasat.Hash `json:"pdfs"`
	URLs   map[saiasat.Lang]URLs         `json:"urls"`
}

// Manifest is what a version hash names, and the approval bound to it:
// nothing in it depends on the day or on how the site is rendered.
type Manifest struct {
	Policy       string                        `json:"policy"`
	Edition      int                           `json:"edition"`
	Effective    string                        `json:"effective"`
	Version      saiasat.Hash                  `json:"version"`
	Previous     *saiasat.Hash                 `json:"previous"`
	Title        map[saiasat.Lang]string       `json:"title"`
	Organization map[saiasat.Lang]string       `json:"organization"`
	Texts        map[saiasat.Lang]saiasat.Hash `json:"texts"`
	Historic     bool                          `json:"historic,omitempty"`
	Approval     *ApprovalDoc                  `json:"approval"`
}

// ApprovalDoc is the approval of an edition as a reader may be shown it.
// When the decision was recorded, Decisions (the decision as cited) and
// Approvers hold it per language, and Date is its date. When it was not (an
// edition in force before releases were kept, or a record without a date),
// Recorded is false, Decisions and Date are null — the date such a record
// carries is the day the edition came into force, and its text is
// bookkeeping, not the decision — and Note says so in the policy's
// languages, as the pages do. The stored release is not changed.
type ApprovalDoc struct {
	Recorded  bool                    `json:"recorded"`
	Decisions map[saiasat.Lang]string `json:"decisions"`
	Date      *string                 `json:"date"`
	Approvers map[saiasat.Lang]string `json:"approvers,omitempty"`
	Note      map[saiasat.Lang]string `json:"note,omitempty"`
}

// approvalDoc is e's approval in reader's words; nil when not approved.
func approvalDoc(e *edition) (*ApprovalDoc, error) {
	a := approvalOf(e)
	if a == nil {
		return nil, nil
	}
	d := &ApprovalDoc{}
	if decisionRecorded(e) {
		date := a.Date.Format(saiasat.DateLayout)
		d.Recorded, d.Date, d.Decisions = true, &date, make(map[saiasat.Lang]string)
		for _, l := range e.policy.Languages {
			decision, approver := decisionIn(e, l)
			if decision != "" {
				d.Decisions[l] = decision
			}
			if approver != "" {
				if d.Approvers == nil {
					d.Approvers = make(map[saiasat.Lang]string)
				}
				d.Approvers[l] = approver
			}
		}
		return d, nil
	}
	d.Note = make(map[saiasat.Lang]string)
	for _, l := range e.policy.Languages {
		loc, err := render.NewLocalizer(l)
		if err != nil {
			return nil, err
		}
		if d.Note[l], err = loc.T("SiteDecisionNotRecorded", nil); err != nil {
			return nil, err
		}
	}
	return d, nil
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

func (b *builder) editionDoc(id string, e *edition, cur *edition) (Edition, error) {
	d := Edition{Manifest: Manifest{Policy: id, Edition: e.n, Effective: e.effective.Format(saiasat.DateLayout), Version: e.version,
		Title: e.policy.Title, Organization: e.policy.Organization, Texts: e.hashes}, PDFs: e.pdfHashes, URLs: make(map[saiasat.Lang]URLs)}
	switch {
	case saiasat.InForceFrom(e.effective).After(b.opt.Now):
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
		var err error
		if d.Approval, err = approvalDoc(e); err != nil {
			return d, fmt.Errorf("approval of %s edition %d: %w", id, e.n, err)
		}
	}
	for _, l := range e.policy.Languages {
		d.URLs[l] = b.urls(id, l, e)
	}
	return d, nil
}

// apiPolicies writes the static mirror of the API for every policy.
func (b *builder) apiPolicies(all [][]*edition) error {
	var list []PolicySummary
	var err error
	for _, es := range all {
		// The API serves approved editions only, never the draft.
		es = slices.DeleteFunc(slices.Clone(es), func(e *edition) bool { return e.draft })
		if len(es) == 0 {
			// A first draft (Options.FirstDrafts): nothing approved to serve.
			continue
		}
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
				if err = b.addJSON(fmt.Sprintf("api/v1/policies/%s/current.%s.json", id, l), c); err != nil {
					return err
				}
			}
		}
		list = append(list, s)
		pa := &PolicyAPI{ID: id, Languages: last.Languages, EditionsPath: "api/v1/policies/" + id + "/editions.json", Diffs: make(map[string]string)}
		b.api.Policies[id] = pa
		b.api.Order = append(b.api.Order, id)
		var docs []Edition
		for i, e := range es {
			if from := saiasat.InForceFrom(e.effective); from.After(b.opt.Now) && (b.next.IsZero() || from.Before(b.next)) {
				b.next = from
			}
			d, err := b.editionDoc(id, e, cur)
			if err != nil {
				return err
			}
			docs = append(docs, d)
			vpath := "api/v1/versions/" + string(e.version) + ".json"
			if err := b.addJSON(vpath, d.Manifest); err != nil {
				return err
			}
			b.api.Versions[e.version] = vpath
			ea := &EditionAPI{Edition: e.n, Effective: e.effective, Version: e.version, Current: make(map[saiasat.Lang][]byte), Diff: fullVersion(e)}
			for _, l := range e.policy.Languages {
				md, pdf := "api/v1/texts/"+string(e.hashes[l])+".md", "api/v1/texts/"+string(e.hashes[l])+".pdf"
				b.add(md, e.texts[l])
				b.add(pdf, e.pdfs[l])
				b.api.Texts[e.hashes[l]] = &TextAPI{Policy: id, Edition: e.n, Lang: l, MD: md, PDF: pdf, HTML: editionPath(l, id, e) + "index.html"}
				c := Current{Policy: id, Edition: e.n, Lang: l, Version: e.version, TextSHA256: e.hashes[l],
					EffectiveFrom: e.effective.Format(saiasat.DateLayout), Title: e.policy.Title[l], URLs: b.urls(id, l, e)}
				if ea.Current[l], err = jsonBytes(c); err != nil {
					return err
				}
			}
			pa.Editions = append(pa.Editions, ea)
			if i > 0 {
				prev := es[i-1]
				r := diff.Compare(fullVersion(prev), fullVersion(e))
				dpath := fmt.Sprintf("api/v1/policies/%s/diff/%d-%d.json", id, prev.n, e.n)
				if err := b.addJSON(dpath, r.JSON(false)); err != nil {
					return err
				}
				pa.Diffs[fmt.Sprintf("%d-%d", prev.n, e.n)] = dpath
				// Each language alone too (?lang=), so a static server can
				// answer every diff of consecutive editions the API does.
				for _, l := range e.policy.Languages {
					if !slices.Contains(prev.policy.Languages, l) {
						continue
					}
					r := diff.Compare(oneLang(fullVersion(prev), l), oneLang(fullVersion(e), l))
					lpath := fmt.Sprintf("api/v1/policies/%s/diff/%d-%d.%s.json", id, prev.n, e.n, l)
					if err := b.addJSON(lpath, r.JSON(false)); err != nil {
						return err
					}
					pa.Diffs[fmt.Sprintf("%d-%d.%s", prev.n, e.n, l)] = lpath
				}
			}
		}
		if err := b.addJSON(pa.EditionsPath, map[string]any{"policy": id, "editions": docs}); err != nil {
			return err
		}
	}
	b.api.PoliciesPath = "api/v1/policies.json"
	return b.addJSON(b.api.PoliciesPath, map[string]any{"policies": list})
}

// oneLang is v narrowed to language l, as GET …/diff?lang= compares.
func oneLang(v *diff.Version, l saiasat.Lang) *diff.Version {
	c := *v
	c.Languages = []saiasat.Lang{l}
	return &c
}

func fullVersion(e *edition) *diff.Version {
	return &diff.Version{ID: e.policy.ID, Edition: e.n, Released: !e.draft, Canonical: !e.draft, Effective: e.effective, Title: e.policy.Title, Organization: e.policy.Organization,
		Label: "edition " + itoa(e.n), Version: e.version, Languages: e.policy.Languages, Docs: e.release.Docs}
}

// JSON encodes v as the API's documents are encoded: indented, with «» and &
// as they are.
func JSON(v any) ([]byte, error) { return jsonBytes(v) }
