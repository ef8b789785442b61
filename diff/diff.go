// Package diff compares two versions of a policy clause by clause in every
// language: renumbering-aware alignment, word-level operations within
// changed clauses, and translation drift (a clause changed in one language
// but not another).
package diff

import (
	"slices"
	"strconv"
	"strings"
	"sync"
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
	Released bool
	// Canonical says the texts are known to be in canonical form, as a
	// verified release's are (their hashes are of the bytes as stored):
	// the diff then skips formatting them, most of the cost of a large
	// diff. Leave it false for a draft or folder.
	Canonical bool
	Effective time.Time
	// Title and Organization are policy.yaml's, printed on every page and
	// covered by the version hash.
	Title, Organization map[saiasat.Lang]string
	// Label names the side for people: "edition 1", "draft", a path.
	Label     string
	Version   saiasat.Hash
	Languages []saiasat.Lang
	Docs      map[saiasat.Lang]*saiasat.Document
}

// Summary counts clauses by what happened to them, each clause once (a
// clause whose words changed is modified, whatever else happened to it);
// then the changed headings (the title, chapter and section headings),
// pieces of unnumbered text (paragraphs, the approval stamp, tables,
// footnotes, signature blocks, lists outside clauses), and printed
// policy.yaml fields.
type Summary struct {
	Added      int `json:"added"`
	Removed    int `json:"removed"`
	Modified   int `json:"modified"`
	Renumbered int `json:"renumbered"`
	Moved      int `json:"moved"`
	Unchanged  int `json:"unchanged"`
	// FixOnly counts the modified clauses whose only change is look-alike
	// letters or typography (Fix); they are among Modified.
	FixOnly  int `json:"fix_only"`
	Headings int `json:"headings"`
	Text     int `json:"text"`
	Metadata int `json:"metadata"`
}

func (s *Summary) countChange(c *Change) {
	if c.Block != BlockClause {
		switch {
		case c.Kind == Unchanged:
		case c.Block == BlockTitle || c.Block == BlockHeading || c.Block == BlockChapter:
			s.Headings++
		default: // unnumbered text of every other kind
			s.Text++
		}
		return
	}
	if c.FixOnly {
		s.FixOnly++
	}
	s.count(c.Kind)
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
	s.FixOnly += o.FixOnly
	s.Headings += o.Headings
	s.Text += o.Text
	s.Metadata += o.Metadata
}

// Changed returns the number of changes of every kind: clauses that are
// not unchanged, headings, text and metadata.
func (s Summary) Changed() int {
	return s.Added + s.Removed + s.Modified + s.Renumbered + s.Moved + s.Headings + s.Text + s.Metadata
}

// LangDiff is the comparison of one language.
type LangDiff struct {
	Lang    saiasat.Lang
	Changes []Change
	Summary Summary
	// Concordance maps every old clause number that changed to its new
	// one (nil when removed), and names added clauses (From nil): what a
	// reference from another document to a clause now points at.
	Concordance []Renumbering
}

// Renumbering is one row of the concordance of clause numbers.
type Renumbering struct {
	From, To saiasat.Number
	// Kind is what happened to the clause (renumbered, moved, modified,
	// added, removed).
	Kind Kind
}

// MetaChange is a printed field of policy.yaml that changed: title and
// organization per language, edition and effective date.
type MetaChange struct {
	Field    string
	Lang     saiasat.Lang // empty for edition and effective
	From, To string
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
	Metadata  []MetaChange
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
	// Languages are independent: align them at once, one goroutine each.
	r.Languages = make([]*LangDiff, len(langs))
	var wg sync.WaitGroup
	for k, l := range langs {
		wg.Go(func() {
			ld := &LangDiff{Lang: l, Changes: align(prepare(from.Docs[l], from.Canonical), prepare(to.Docs[l], to.Canonical))}
			for i := range ld.Changes {
				ld.Summary.countChange(&ld.Changes[i])
			}
			ld.Concordance = concordance(ld.Changes)
			r.Languages[k] = ld
		})
	}
	wg.Wait()
	r.Metadata = metaChanges(from, to, langs)
	// A language's summary counts its own fields and the shared ones
	// (edition, effective date), as its column of the redline lists them;
	// the total counts each field once.
	for _, m := range r.Metadata {
		for _, ld := range r.Languages {
			if ld.Lang == m.Lang || m.Lang == "" {
				ld.Summary.Metadata++
			}
		}
	}
	for _, ld := range r.Languages {
		r.Summary.add(ld.Summary)
	}
	r.Summary.Metadata = len(r.Metadata)
	r.Drift = drift(r.Languages)
	return r
}

// metaChanges lists the printed policy.yaml fields that differ.
func metaChanges(from, to *Version, langs []saiasat.Lang) []MetaChange {
	var out []MetaChange
	for _, f := range []struct {
		name string
		a, b map[saiasat.Lang]string
	}{{"title", from.Title, to.Title}, {"organization", from.Organization, to.Organization}} {
		for _, l := range langs {
			if f.a[l] != f.b[l] {
				out = append(out, MetaChange{Field: f.name, Lang: l, From: f.a[l], To: f.b[l]})
			}
		}
	}
	if from.Edition != to.Edition {
		out = append(out, MetaChange{Field: "edition", From: editionString(from.Edition), To: editionString(to.Edition)})
	}
	if a, b := dateString(from.Effective), dateString(to.Effective); a != b {
		out = append(out, MetaChange{Field: "effective", From: a, To: b})
	}
	return out
}

func editionString(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func dateString(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(saiasat.DateLayout)
}

// concordance lists the clauses whose number changed, were removed or
// added: the old ones in the order of the old text, then the added ones.
func concordance(changes []Change) []Renumbering {
	var old, added []Renumbering
	var lines []int
	for _, c := range changes {
		if c.Block != BlockClause || c.Kind == Unchanged || (c.Paired() && c.FromLabel == c.ToLabel) {
			continue
		}
		r := Renumbering{From: c.From, To: c.To, Kind: c.Kind}
		if c.FromLine == 0 {
			added = append(added, r)
			continue
		}
		old = append(old, r)
		lines = append(lines, c.FromLine)
	}
	idx := make([]int, len(old))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(x, y int) int { return lines[x] - lines[y] })
	out := make([]Renumbering, 0, len(old)+len(added))
	for _, i := range idx {
		out = append(out, old[i])
	}
	return append(out, added...)
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
			if c.Block != BlockClause || c.FixOnly {
				continue // a script or typography fix is no translation
			}
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
