package saiasat

import "time"

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
	Version    Hash
	Decision   string
	Date       time.Time
	Approver   string
	RecordedAt time.Time
}

// Approved reports whether r has been approved.
func (r *Release) Approved() bool { return r.Status == StatusApproved && r.Approval != nil }

// Policy returns the release as a policy, its documents the released texts,
// so that what applies to a draft (check, hashes, rendering) applies to it.
func (r *Release) Policy(dir string) *Policy {
	return &Policy{Dir: dir, ID: r.ID, Languages: r.Languages, Title: r.Title, Organization: r.Organization,
		Edition: r.Edition, Effective: r.Effective, Numbering: r.Numbering, Docs: r.Docs}
}
