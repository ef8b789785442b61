package release

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/saiasat/saiasat"
)

// manifest is release.json, field for field; docs/releases.md documents it.
type manifest struct {
	ID           string            `json:"id"`
	Edition      int               `json:"edition"`
	Effective    string            `json:"effective"`
	Languages    []saiasat.Lang    `json:"languages"`
	Title        map[string]string `json:"title"`
	Organization map[string]string `json:"organization"`
	Texts        map[string]string `json:"texts"`
	Numbering    string            `json:"numbering,omitempty"`
	Version      string            `json:"version"`
	Previous     *string           `json:"previous"`
	PreviousSeal *string           `json:"previous_seal"`
	Status       string            `json:"status"`
	Historic     bool              `json:"historic,omitempty"`
	Findings     []findingJSON     `json:"findings,omitempty"`
	FrozenAt     string            `json:"frozen_at"`
	Approval     *approvalJSON     `json:"approval,omitempty"`
	// Seal is the hash of this manifest encoded with an empty seal: a changed
	// title or status is caught as surely as a changed text.
	Seal string `json:"seal,omitempty"`
}

type findingJSON struct {
	File     string `json:"file"`
	Line     int    `json:"line"`
	Col      int    `json:"col"`
	Severity string `json:"severity"`
	Rule     string `json:"rule"`
	Message  string `json:"message"`
	// Accepted is the reason policy.yaml accepted the finding, if it did.
	Accepted string `json:"accepted,omitempty"`
}

// approvalJSON is the approval in release.json. decisions and approvers
// (per language) came later than decision and approver (one text each);
// every field is left out when empty, so an approval recorded before keeps
// its exact bytes, and so its seal (docs/releases.md).
type approvalJSON struct {
	Version    string            `json:"version"`
	Decision   string            `json:"decision,omitempty"`
	Decisions  map[string]string `json:"decisions,omitempty"`
	Date       string            `json:"date"`
	Approver   string            `json:"approver,omitempty"`
	Approvers  map[string]string `json:"approvers,omitempty"`
	RecordedAt string            `json:"recorded_at"`
}

// encode is the one byte form of a manifest: two-space indent, no HTML
// escaping (so «» and & stay readable), map keys sorted, final newline.
func (m *manifest) encode() ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return nil, fmt.Errorf("encode release manifest: %w", err)
	}
	return b.Bytes(), nil
}

func (m *manifest) seal() (string, error) {
	c := *m
	c.Seal = ""
	b, err := c.encode()
	if err != nil {
		return "", err
	}
	return string(saiasat.HashBytes(b)), nil
}

func fromRelease(r *saiasat.Release) *manifest {
	m := &manifest{
		ID: r.ID, Edition: r.Edition, Effective: r.Effective.Format(saiasat.DateLayout), Languages: r.Languages,
		Title: langMap(r.Title), Organization: langMap(r.Organization), Texts: make(map[string]string),
		Numbering: string(r.Numbering), Version: string(r.Version), Status: string(r.Status), Historic: r.Historic, FrozenAt: r.FrozenAt.UTC().Format(time.RFC3339),
	}
	for l, h := range r.Texts {
		m.Texts[string(l)] = string(h)
	}
	if r.Previous != "" {
		p := string(r.Previous)
		m.Previous = &p
	}
	if r.PreviousSeal != "" {
		p := string(r.PreviousSeal)
		m.PreviousSeal = &p
	}
	for _, f := range r.Findings {
		m.Findings = append(m.Findings, findingJSON{File: f.Pos.File, Line: f.Pos.Line, Col: f.Pos.Col, Severity: f.Severity.String(), Rule: f.Rule, Message: f.Message, Accepted: f.Accepted})
	}
	if a := r.Approval; a != nil {
		m.Approval = &approvalJSON{Version: string(a.Version), Decision: a.Decision, Date: a.Date.Format(saiasat.DateLayout), Approver: a.Approver, RecordedAt: a.RecordedAt.UTC().Format(time.RFC3339)}
		if len(a.Decisions) > 0 {
			m.Approval.Decisions = langMap(a.Decisions)
		}
		if len(a.Approvers) > 0 {
			m.Approval.Approvers = langMap(a.Approvers)
		}
	}
	return m
}

func langMap(m map[saiasat.Lang]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[string(k)] = v
	}
	return out
}

func (m *manifest) release() (*saiasat.Release, error) {
	r := &saiasat.Release{ID: m.ID, Edition: m.Edition, Languages: m.Languages, Status: saiasat.ReleaseStatus(m.Status), Historic: m.Historic, Numbering: saiasat.Numbering(m.Numbering),
		Title: make(map[saiasat.Lang]string), Organization: make(map[saiasat.Lang]string), Texts: make(map[saiasat.Lang]saiasat.Hash)}
	var err error
	if r.Effective, err = time.Parse(saiasat.DateLayout, m.Effective); err != nil {
		return nil, fmt.Errorf("effective: %w", err)
	}
	if r.FrozenAt, err = time.Parse(time.RFC3339, m.FrozenAt); err != nil {
		return nil, fmt.Errorf("frozen_at: %w", err)
	}
	if r.Status != saiasat.StatusPending && r.Status != saiasat.StatusApproved {
		return nil, fmt.Errorf("unknown status %q", m.Status)
	}
	for k, v := range m.Title {
		r.Title[saiasat.Lang(k)] = v
	}
	for k, v := range m.Organization {
		r.Organization[saiasat.Lang(k)] = v
	}
	for _, l := range m.Languages {
		h, err := saiasat.ParseHash(m.Texts[string(l)])
		if err != nil {
			return nil, fmt.Errorf("texts.%s: %w", l, err)
		}
		r.Texts[l] = h
	}
	if len(m.Texts) != len(m.Languages) {
		return nil, fmt.Errorf("texts and languages disagree")
	}
	if r.Version, err = saiasat.ParseHash(m.Version); err != nil {
		return nil, fmt.Errorf("version: %w", err)
	}
	if m.Previous != nil {
		if r.Previous, err = saiasat.ParseHash(*m.Previous); err != nil {
			return nil, fmt.Errorf("previous: %w", err)
		}
	}
	if m.PreviousSeal != nil {
		if r.PreviousSeal, err = saiasat.ParseHash(*m.PreviousSeal); err != nil {
			return nil, fmt.Errorf("previous_seal: %w", err)
		}
	}
	if r.Seal, err = saiasat.ParseHash(m.Seal); err != nil {
		return nil, fmt.Errorf("seal: %w", err)
	}
	for _, f := range m.Findings {
		sev := saiasat.Error
		if f.Severity == saiasat.Warning.String() {
			sev = saiasat.Warning
		}
		r.Findings = append(r.Findings, saiasat.Finding{Pos: saiasat.Pos{File: f.File, Line: f.Line, Col: f.Col}, Severity: sev, Rule: f.Rule, Message: f.Message, Accepted: f.Accepted})
	}
	if a := m.Approval; a != nil {
		ap := &saiasat.Approval{Decision: a.Decision, Approver: a.Approver}
		for k, v := range a.Decisions {
			if ap.Decisions == nil {
				ap.Decisions = make(map[saiasat.Lang]string)
			}
			ap.Decisions[saiasat.Lang(k)] = v
		}
		for k, v := range a.Approvers {
			if ap.Approvers == nil {
				ap.Approvers = make(map[saiasat.Lang]string)
			}
			ap.Approvers[saiasat.Lang(k)] = v
		}
		if a.Decision == "" && len(a.Decisions) == 0 {
			return nil, fmt.Errorf("approval: no decision")
		}
		if ap.Version, err = saiasat.ParseHash(a.Version); err != nil {
			return nil, fmt.Errorf("approval.version: %w", err)
		}
		if ap.Date, err = time.Parse(saiasat.DateLayout, a.Date); err != nil {
			return nil, fmt.Errorf("approval.date: %w", err)
		}
		if ap.RecordedAt, err = time.Parse(time.RFC3339, a.RecordedAt); err != nil {
			return nil, fmt.Errorf("approval.recorded_at: %w", err)
		}
		r.Approval = ap
	}
	return r, nil
}
