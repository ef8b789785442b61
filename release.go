package saiasat

import (
	"sort"
	"strings"
	"time"
)

// ReleaseStatus is where a release stands in approval.
type ReleaseStatus string

// Release statuses. A pending release may be frozen again; an approved one
// never changes.
const (
	StatusPending  ReleaseStatus = "pending"
	StatusApproved ReleaseStatus = "approved"
)

// Release is one frozen edition of a policy: its canonical texts, their
// hashes, its place in the chain of editions and, once given, its approval.
type Release struct {
	ID           string
	Edition      int
	Effective    time.Time
	Languages    []Lang
	Title        map[Lang]string
	Organization map[Lang]string
	Texts        map[Lang]Hash
	// Numbering is the texts' numbering scheme, as policy.yaml declared it
	// when the edition was frozen; empty for sections. It says how the
	// texts parse; it is sealed in release.json but not part of the
	// version hash, which names the words.
	Numbering Numbering
	Version   Hash
	// Previous is the version hash of the edition before, "" for the first
	// release: releases form a chain, as commits do.
	Previous Hash
	// PreviousSeal is the seal of the edition before as it stood, approved,
	// when this one was frozen: an edit to an earlier approval, title or
	// historic finding breaks the chain even if its author re-seals it.
	PreviousSeal Hash
	// Seal is the hash of this release's release.json content.
	Seal   Hash
	Status ReleaseStatus
	// Historic marks an edition in force before this tool: its text is kept
	// as published, and Findings lists what check found in it.
	Historic bool
	Findings []Finding
	FrozenAt time.Time
	Approval *Approval
	// Docs are the parsed canonical texts.
	Docs map[Lang]*Document
}

// Approval records the decision that approved a release; it binds to the
// version hash the approver read on the redline.
type Approval struct {
	Version Hash
	// Decisions is the decision as it is cited, per language ("Жалғыз
	// қатысушының 2026 жылғы 20 қарашадағы № 2 шешімі" / "Решение
	// единственного участника № 2 от 20 ноября 2026 г."): what readers are
	// shown. Approvals recorded before it existed have none.
	Decisions map[Lang]string
	// Approvers names who approved, per language.
	Approvers map[Lang]string
	// Decision and Approver are the one-text record of earlier approvals
	// (edition 1's is a bookkeeping note in Russian): kept as recorded,
	// since the release's seal covers them.
	Decision   string
	Date       time.Time
	Approver   string
	RecordedAt time.Time
}

// DecisionIn returns the decision as cited in language l, "" when none was
// recorded in l.
func (a *Approval) DecisionIn(l Lang) string { return a.Decisions[l] }

// Cited is the decision for a log line: the one-text record, or each
// language's text joined by " / ".
func (a *Approval) Cited() string {
	if len(a.Decisions) == 0 {
		return a.Decision
	}
	langs := make([]string, 0, len(a.Decisions))
	for l := range a.Decisions {
		langs = append(langs, string(l))
	}
	sort.Strings(langs)
	var out []string
	for _, l := range langs {
		out = append(out, a.Decisions[Lang(l)])
	}
	return strings.Join(out, " / ")
}

// ApproverIn returns who approved, named in language l, "" when not
// recorded in l.
func (a *Approval) ApproverIn(l Lang) string { return a.Approvers[l] }

// Approved reports whether r has been approved.
func (r *Release) Approved() bool { return r.Status == StatusApproved && r.Approval != nil }

// Policy returns the release as a policy, its documents the released texts,
// so that what applies to a draft (check, hashes, rendering) applies to it.
func (r *Release) Policy(dir string) *Policy {
	return &Policy{Dir: dir, ID: r.ID, Languages: r.Languages, Title: r.Title, Organization: r.Organization,
		Edition: r.Edition, Effective: r.Effective, Numbering: r.Numbering, Docs: r.Docs}
}
