package diff

import (
	"cmp"
	"slices"
	"strings"

	"github.com/saiasat/saiasat"
	"github.com/sergi/go-diff/diffmatchpatch"
)

// Kind is what happened to one clause between two versions of a text.
type Kind string

// Kinds of change.
const (
	Unchanged  Kind = "unchanged"
	Modified   Kind = "modified"
	Added      Kind = "added"
	Removed    Kind = "removed"
	Renumbered Kind = "renumbered"
	Moved      Kind = "moved"
)

// Change is one clause's fate. From and To are nil where the clause is
// absent; Ops are set when its text changed.
type Change struct {
	Kind       Kind
	From, To   saiasat.Number
	FromClause *saiasat.Clause
	ToClause   *saiasat.Clause
	Similarity float64
	Ops        []Op
	// SplitFrom names the old clause an added clause was cut from;
	// MergedInto the new clause a removed clause was joined into.
	SplitFrom, MergedInto saiasat.Number
}

// TextChanged reports whether the clause's words changed, whatever its
// number did.
func (c *Change) TextChanged() bool {
	switch c.Kind {
	case Modified, Added, Removed:
		return true
	case Renumbered, Moved:
		return c.Ops != nil
	}
	return false
}

// Thresholds of the quick word-bag similarity for pairing clauses that are
// not identical: within the stretch between identical anchors, and across
// the whole text (a clause moved and edited).
const (
	pairThreshold   = 0.5
	globalThreshold = 0.6
	// maxPairs bounds the similarity matrix of one stretch; beyond it only
	// same-number pairing is tried.
	maxPairs = 250_000
)

type side struct {
	clauses []*saiasat.Clause
	norm    []string
	bags    []bag
	match   []int // index on the other side, -1
}

func newSide(doc *saiasat.Document) *side {
	s := &side{}
	if doc != nil {
		s.clauses = doc.Clauses()
	}
	n := len(s.clauses)
	s.norm = make([]string, n)
	s.bags = make([]bag, n)
	s.match = make([]int, n)
	for i, c := range s.clauses {
		s.norm[i] = strings.Join(strings.Fields(c.Body), " ")
		s.match[i] = -1
	}
	return s
}

func (s *side) bag(i int) bag {
	if s.bags[i].words == nil {
		s.bags[i] = newBag(s.norm[i])
	}
	return s.bags[i]
}

// Align pairs the clauses of two texts of one language and says what
// happened to each. Identical texts pair first (so an insertion at the top
// of a section yields one added clause and renumbered ones, not a cascade of
// modified ones); then similar texts within the stretches between them;
// then similar texts anywhere; then equal numbers.
func Align(from, to *saiasat.Document) []Change {
	a, b := newSide(from), newSide(to)
	pair := func(i, j int) { a.match[i], b.match[j] = j, i }

	// 1. Identical text in the same order: the longest common subsequence of
	// the two lists of clause texts (go-diff over one rune per distinct
	// text), so that repeated texts such as «Алынып тасталды» pair in order
	// and never cross.
	for _, p := range commonInOrder(a.norm, b.norm) {
		pair(p[0], p[1])
	}
	// 1b. Identical text anywhere else (a clause moved): prefer the same
	// number, then the nearest position.
	byText := make(map[string][]int)
	for j, t := range b.norm {
		byText[t] = append(byText[t], j)
	}
	for i, t := range a.norm {
		if a.match[i] >= 0 {
			continue
		}
		best := -1
		for _, j := range byText[t] {
			if b.match[j] >= 0 {
				continue
			}
			if best < 0 || betterCandidate(a.clauses[i], b.clauses[j], b.clauses[best], i, j, best) {
				best = j
			}
		}
		if best >= 0 {
			pair(i, best)
		}
	}

	// 2. Similar text within each stretch between anchors in order.
	for _, g := range gaps(a, b) {
		greedy(a, b, g.as, g.bs, pairThreshold, pair)
	}
	// 3. Similar text anywhere: a clause moved and edited.
	greedy(a, b, unmatched(a), unmatched(b), globalThreshold, pair)
	// 4. The same number: a clause rewritten in place.
	byNum := make(map[string]int)
	for j, c := range b.clauses {
		if b.match[j] < 0 {
			byNum[c.Number.String()] = j
		}
	}
	for i, c := range a.clauses {
		if j, ok := byNum[c.Number.String()]; ok && a.match[i] < 0 && b.match[j] < 0 {
			pair(i, j)
		}
	}
	return classify(a, b, sectionTargets(from, to))
}

// sectionTargets maps each section number of from to the section of to
// with the same title (white space and case aside); a section whose title
// is not found has no target.
func sectionTargets(from, to *saiasat.Document) map[int]int {
	out := make(map[int]int)
	if from == nil || to == nil {
		return out
	}
	key := func(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }
	byTitle := make(map[string][]int)
	for _, s := range to.Sections {
		byTitle[key(s.Title)] = append(byTitle[key(s.Title)], s.Number)
	}
	for _, s := range from.Sections {
		if s.Title == "" {
			continue
		}
		switch ts := byTitle[key(s.Title)]; {
		case len(ts) == 1:
			out[s.Number] = ts[0]
			continue
		case len(ts) > 1:
			continue // several sections of that title: where its clauses went decides
		}
		// A retitled section: the one whose title shares most words, if
		// clearly so.
		best, bestSim, second := 0, 0.0, 0.0
		mine := newBag(s.Title)
		for _, t := range to.Sections {
			switch sim := dice(mine, newBag(t.Title)); {
			case sim > bestSim:
				best, bestSim, second = t.Number, sim, bestSim
			case sim > second:
				second = sim
			}
		}
		switch {
		case bestSim >= pairThreshold && bestSim > second:
			out[s.Number] = best
		case bestSim < pairThreshold:
			// A section that is gone: its clauses moved wherever they went.
			out[s.Number] = -1
		}
	}
	return out
}

// commonInOrder returns the index pairs of the longest common subsequence
// of a and b.
func commonInOrder(a, b []string) [][2]int {
	var c coder
	ra, rb := c.encode(a), c.encode(b)
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	var out [][2]int
	i, j := 0, 0
	for _, d := range dmp.DiffMainRunes(ra, rb, false) {
		n := len([]rune(d.Text))
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			for k := 0; k < n; k++ {
				out = append(out, [2]int{i + k, j + k})
			}
			i, j = i+n, j+n
		case diffmatchpatch.DiffDelete:
			i += n
		case diffmatchpatch.DiffInsert:
			j += n
		}
	}
	return out
}

func betterCandidate(ac, cand, best *saiasat.Clause, i, j, k int) bool {
	cs, bs := cand.Number.Equal(ac.Number), best.Number.Equal(ac.Number)
	if cs != bs {
		return cs
	}
	return abs(j-i) < abs(k-i)
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func unmatched(s *side) []int {
	var out []int
	for i, m := range s.match {
		if m < 0 {
			out = append(out, i)
		}
	}
	return out
}

type gap struct{ as, bs []int }

// gaps cuts both sides at the anchors that keep their order (the longest
// increasing run of matched pairs) and returns the unmatched clauses of each
// stretch.
func gaps(a, b *side) []gap {
	var pairs [][2]int
	for i, j := range a.match {
		if j >= 0 {
			pairs = append(pairs, [2]int{i, j})
		}
	}
	anchors := lis(pairs)
	var out []gap
	pi, pj := 0, 0
	for _, p := range append(anchors, [2]int{len(a.clauses), len(b.clauses)}) {
		var g gap
		for i := pi; i < p[0]; i++ {
			if a.match[i] < 0 {
				g.as = append(g.as, i)
			}
		}
		for j := pj; j < p[1]; j++ {
			if b.match[j] < 0 {
				g.bs = append(g.bs, j)
			}
		}
		if len(g.as) > 0 && len(g.bs) > 0 {
			out = append(out, g)
		}
		pi, pj = p[0]+1, p[1]+1
	}
	return out
}

// lis returns the longest subsequence of pairs (sorted by their first
// element) whose second elements increase.
func lis(pairs [][2]int) [][2]int {
	if len(pairs) == 0 {
		return nil
	}
	tails := []int{} // index into pairs of the smallest tail of each length
	prev := make([]int, len(pairs))
	for k, p := range pairs {
		n, _ := slices.BinarySearchFunc(tails, p[1], func(t, target int) int { return cmp.Compare(pairs[t][1], target) })
		if n > 0 {
			prev[k] = tails[n-1]
		} else {
			prev[k] = -1
		}
		if n == len(tails) {
			tails = append(tails, k)
		} else {
			tails[n] = k
		}
	}
	out := make([][2]int, len(tails))
	for k, i := tails[len(tails)-1], len(tails)-1; i >= 0; k, i = prev[k], i-1 {
		out[i] = pairs[k]
	}
	return out
}

// greedy pairs the most similar clauses of as and bs first, down to the
// threshold; ties prefer the same number, then the nearer position.
func greedy(a, b *side, as, bs []int, threshold float64, pair func(i, j int)) {
	if len(as) == 0 || len(bs) == 0 || len(as)*len(bs) > maxPairs {
		return
	}
	type cand struct {
		i, j int
		sim  float64
		same bool
	}
	var cs []cand
	for _, i := range as {
		for _, j := range bs {
			if s := dice(a.bag(i), b.bag(j)); s >= threshold {
				cs = append(cs, cand{i, j, s, a.clauses[i].Number.Equal(b.clauses[j].Number)})
			}
		}
	}
	slices.SortStableFunc(cs, func(x, y cand) int {
		if c := cmp.Compare(y.sim, x.sim); c != 0 {
			return c
		}
		if x.same != y.same {
			if x.same {
				return -1
			}
			return 1
		}
		return cmp.Compare(abs(x.i-x.j), abs(y.i-y.j))
	})
	for _, c := range cs {
		if a.match[c.i] < 0 && b.match[c.j] < 0 {
			pair(c.i, c.j)
		}
	}
}

// classify turns the pairing into changes, in the order of the new text,
// each removed clause after the new place of the clause before it.
// titled maps old sections to the new section of the same title.
func classify(a, b *side, titled map[int]int) []Change {
	// Where each old section went: the section of the same title, or else
	// where most of its clauses went. A clause that follows its section is
	// renumbered; one that leaves it is moved.
	votes := make(map[int]map[int]int)
	for i, j := range a.match {
		if j >= 0 {
			s := a.clauses[i].Number[0]
			if votes[s] == nil {
				votes[s] = make(map[int]int)
			}
			votes[s][b.clauses[j].Number[0]]++
		}
	}
	target := make(map[int]int)
	for s, vs := range votes {
		best, n := s, -1
		for t, c := range vs {
			if c > n || (c == n && t == s) || (c == n && best != s && t < best) {
				best, n = t, c
			}
		}
		target[s] = best
	}
	for s, t := range titled {
		target[s] = t
	}

	type keyed struct {
		key float64
		ch  Change
	}
	var out []keyed
	for j, c := range b.clauses {
		i := b.match[j]
		if i < 0 {
			out = append(out, keyed{float64(j), Change{Kind: Added, To: c.Number, ToClause: c}})
			continue
		}
		old := a.clauses[i]
		ch := Change{From: old.Number, To: c.Number, FromClause: old, ToClause: c, Similarity: 1}
		// Exact text, line breaks included: items moved onto one line are
		// a change the approver must see.
		textSame := old.Body == c.Body
		if !textSame {
			ch.Ops = WordOps(old.Body, c.Body)
			ch.Similarity = Similarity(ch.Ops)
		}
		switch {
		case old.Number.Equal(c.Number) && textSame:
			ch.Kind = Unchanged
		case old.Number.Equal(c.Number):
			ch.Kind = Modified
		case target[old.Number[0]] != c.Number[0]:
			// A target of -1 (a section that is gone) never matches.
			ch.Kind = Moved
		default:
			ch.Kind = Renumbered
		}
		out = append(out, keyed{float64(j), ch})
	}
	last := -0.5
	for i, c := range a.clauses {
		if j := a.match[i]; j >= 0 {
			last = float64(j)
			continue
		}
		out = append(out, keyed{last + 0.5, Change{Kind: Removed, From: c.Number, FromClause: c}})
	}
	slices.SortStableFunc(out, func(x, y keyed) int { return cmp.Compare(x.key, y.key) })
	changes := make([]Change, len(out))
	for k, o := range out {
		changes[k] = o.ch
	}
	annotateSplitsAndMerges(changes)
	return changes
}

// annotateSplitsAndMerges marks an added clause whose words stood in a
// paired clause that lost words (a split), and a removed clause whose words
// now stand in a paired clause that gained words (a merge): most of the
// clause's words must be found in that clause's old (split) or new (merge)
// text.
func annotateSplitsAndMerges(changes []Change) {
	// The old and new texts of changes with word operations, as bags, made
	// once: every added or removed clause is held against all of them.
	type texts struct{ old, new bag }
	bags := make(map[int]*texts)
	bagsOf := func(i int) *texts {
		if b := bags[i]; b != nil {
			return b
		}
		b := &texts{old: newBag(changes[i].FromClause.Body), new: newBag(changes[i].ToClause.Body)}
		bags[i] = b
		return b
	}
	for k := range changes {
		c := &changes[k]
		if c.Kind != Added && c.Kind != Removed {
			continue
		}
		text, want := c.ToClause, OpDelete
		if c.Kind == Removed {
			text, want = c.FromClause, OpInsert
		}
		mine := newBag(text.Body)
		best, bestShare := -1, 0.0
		for i, o := range changes {
			if o.Ops == nil || !slices.ContainsFunc(o.Ops, func(op Op) bool { return op.Op == want }) {
				continue
			}
			other := bagsOf(i).old
			if c.Kind == Removed {
				other = bagsOf(i).new
			}
			if share := containment(mine, other); share > bestShare {
				best, bestShare = i, share
			}
		}
		if best >= 0 && bestShare >= globalThreshold {
			if c.Kind == Added {
				c.SplitFrom = changes[best].From
			} else {
				c.MergedInto = changes[best].To
			}
		}
	}
}

// containment is the share of a's words (with their counts) found in b.
func containment(a, b bag) float64 {
	if a.n == 0 {
		return 0
	}
	n := 0
	for w, c := range a.words {
		n += min(c, b.words[w])
	}
	return float64(n) / float64(a.n)
}
