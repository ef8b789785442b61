package server

import (
	"net/http"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/ledger"
	"github.com/saiasat/saiasat/site"
)

// editionDoc is an edition as the status answer names it.
type editionDoc struct {
	Edition       int                           `json:"edition"`
	EffectiveFrom string                        `json:"effective_from"`
	Version       saiasat.Hash                  `json:"version"`
	Texts         map[saiasat.Lang]saiasat.Hash `json:"texts"`
}

// statusConsent is the consent the status answer is about.
type statusConsent struct {
	ID         string       `json:"id"`
	Index      int64        `json:"index"`
	Edition    int          `json:"edition"`
	Lang       saiasat.Lang `json:"lang"`
	TextSHA256 saiasat.Hash `json:"text_sha256"`
	AcceptedAt string       `json:"accepted_at"`
	TextURL    string       `json:"text_url"`
}

// statusDoc answers GET /v1/consents/status: is the subject's latest
// unwithdrawn consent to this policy to the text now in force, in the
// consent's language?
type statusDoc struct {
	Policy string `json:"policy"`
	// UpToDate: there is such a consent, and its text is the in-force
	// edition's text in its language. When false, the site asks again.
	UpToDate bool           `json:"up_to_date"`
	Consent  *statusConsent `json:"consent"`
	InForce  *editionDoc    `json:"in_force"`
	// Upcoming is the next approved edition not yet in force, if any: the
	// site may ask for consent to it once it comes into force.
	Upcoming *editionDoc `json:"upcoming"`
}

func (st *state) editionDoc(p *site.PolicyAPI, e *site.EditionAPI) *editionDoc {
	if e == nil {
		return nil
	}
	return &editionDoc{Edition: e.Edition, EffectiveFrom: e.Effective.Format(saiasat.DateLayout), Version: e.Version, Texts: st.texts[e]}
}

func (s *Server) consentStatus(w http.ResponseWriter, r *http.Request, t Token) {
	st := s.state.Load()
	q := r.URL.Query()
	subject, ok := subjectParam(w, r)
	if !ok {
		return
	}
	p := st.site.API.Policies[q.Get("policy")]
	if p == nil {
		fail(w, r, http.StatusNotFound, "no such policy (policy= is required)")
		return
	}
	now := s.now()
	match := func(rec *ledger.Record) bool {
		ti := st.site.API.Texts[rec.TextSHA256]
		return ti != nil && ti.Policy == p.ID
	}
	c, err := s.latestConsent(r, t, subject, match)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	cur := p.At(now)
	doc := statusDoc{Policy: p.ID, InForce: st.editionDoc(p, cur)}
	for _, e := range p.Editions {
		if saiasat.InForceFrom(e.Effective).After(now) {
			doc.Upcoming = st.editionDoc(p, e)
			break
		}
	}
	if c != nil {
		ti := st.site.API.Texts[c.TextSHA256]
		doc.Consent = &statusConsent{ID: c.ID, Index: c.Index, Edition: ti.Edition, Lang: c.Lang, TextSHA256: c.TextSHA256,
			AcceptedAt: c.AcceptedAt, TextURL: "/v1/texts/" + string(c.TextSHA256)}
		doc.UpToDate = cur != nil && st.texts[cur][c.Lang] == c.TextSHA256
	}
	writeJSON(w, http.StatusOK, doc)
}

// latestConsent is the subject's latest unwithdrawn consent that match
// accepts, or nil.
func (s *Server) latestConsent(r *http.Request, t Token, subject string, match func(*ledger.Record) bool) (*ledger.Record, error) {
	return s.consents.Service.LatestConsent(r.Context(), caller(t), subject, match)
}

// textsOf indexes the texts of each edition by language.
func textsOf(a *site.API) map[*site.EditionAPI]map[saiasat.Lang]saiasat.Hash {
	out := map[*site.EditionAPI]map[saiasat.Lang]saiasat.Hash{}
	for h, ti := range a.Texts {
		p := a.Policies[ti.Policy]
		if p == nil {
			continue
		}
		for _, e := range p.Editions {
			if e.Edition == ti.Edition {
				if out[e] == nil {
					out[e] = map[saiasat.Lang]saiasat.Hash{}
				}
				out[e][ti.Lang] = h
			}
		}
	}
	return out
}
