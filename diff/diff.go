// Package diff compares two versions of a policy clause by clause in every
// language: renumbering-aware alignment, word-level operations within
// changed clauses, and translation drift (a clause changed in one language
// but not another).
package diff

import (
	"slices"
	"strings"
	"time"

	"github.com/saiasat/saiasat"
)

// Version is one side of a comparison: an edition, the draft, or any policy
// folder.
type Version struct {
	ID string
	// Edition is 0 when the side is not a numbered edition.
	Edition int
	// Released is true for a frozen release; false for a draft or folder.
	Released  bool
	Effective time.Time
	Title     map[saiasat.Lang]string
	// Label names the side for people: "edition 1", "draft", a path.
	Label     string
	Version   saiasat.Hash
	Languages []saiasat.Lang
	Docs      map[saiasat.Lang]*saiasat.Document
}

// Summary counts changes by kind.
type Summary struct {
	Added      int `json:"added"`
	Removed    int `json:"removed"`
	Modified   int `json:"modified"`
	Renumbered int `json:"renumbered"`
	Moved      int `json:"moved"`
	Unchanged  int `json:"unchanged"`
}

func (s *Summary) count(k Kind) {
	switch k {
	case Added:
		s.Added++
	case Removed:
		s.Removed++
	case Modified:
		s.Modified++
	case Renumbered:
		s.Renumbered++
	case Moved:
		s.Moved++
	case Unchanged:
		s.Unchanged++
	}
}

func (s *Summary) add(o Summary) {
	s.Added += o.Added
	s.Removed += o.Removed
	s.Modified += o.Modified
	s.Renumbered += o.Renumbered
	s.Moved += o.Moved
	s.Unchanged += o.Unchanged
}

// Changed returns the number of clauses that are not unchanged.
func (s Summary) Changed() int { return s.Added + s.Removed + s.Modified + s.Renumbered + s.Moved }

// LangDiff is the comparison of one language.
type LangDiff struct {
	Lang    saiasat.Lang
	Changes []Change
	Summary Summary
}

// Drift is a clause whose text changed in some languages and not in others.
type Drift struct {
	Clause    string
	Changed   []saiasat.Lang
	Unchanged []saiasat.Lang
}

// Result is a whole comparison.
type Result struct {
	From, To  *Version
	Languages []*LangDiff
	Drift     []Drift
	Summary   Summary
}

// Compare compares from and to in every language either has, in the order
// of to's languages then from's.
func Compare(from, to *Version) *Result {
	r := &Result{From: from, To: to}
	var langs []saiasat.Lang
	for _, l := range append(slices.Clone(to.Languages), from.Languages...) {
		if !slices.Contains(langs, l) {
			langs = append(langs, l)
		}
	}
	for _, l := range langs {
		ld := &LangDiff{Lang: l, Changes: Align(from.Docs[l], to.Docs[l])}
		for _, c := range ld.Changes {
			ld.Summary.count(c.Kind)
		}
		r.Summary.add(ld.Summary)
		r.Languages = append(r.Languages, ld)
	}
	r.Drift = drift(r.Languages)
	return r
}

// drift lists the clauses whose text changed in some languages and stayed
// in others. A clause is keyed by its new number, or by its old one with a
// "-" when it was removed, so a removal and a renumbering into the same
// number stay apart.
func drift(langs []*LangDiff) []Drift {
	type state struct{ changed, unchanged []saiasat.Lang }
	states := make(map[string]*state)
	var order []string
	for _, ld := range langs {
		for _, c := range ld.Changes {
			key := "-" + c.From.String()
			if c.To != nil {
				key = c.To.String()
			}
			st := states[key]
			if st == nil {
				st = &state{}
				states[key] = st
				order = append(order, key)
			}
			if c.TextChanged() {
				st.changed = append(st.changed, ld.Lang)
			} else {
				st.unchanged = append(st.unchanged, ld.Lang)
			}
		}
	}
	var out []Drift
	for _, key := range order {
		st := states[key]
		if len(st.changed) > 0 && len(st.unchanged) > 0 {
			out = append(out, Drift{Clause: strings.TrimPrefix(key, "-"), Changed: st.changed, Unchanged: st.unchanged})
		}
	}
	return out
}
