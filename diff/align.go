package diff

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

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

// Change is one block's fate: a clause's, or the title's, a section
// heading's or unnumbered text's (Block). From and To are the clause
// numbers (a heading's section number as one part), nil where the block is
// absent or has none; FromLine and ToLine its first line in each canonical
// text, 0 where absent. OldText and NewText are what Ops cover: a clause's
// text after its label (FromLabel, ToLabel as written), a heading's or the
// title's line, unnumbered text with the blank lines before it. Ops are set
// when the text changed, and for added and removed blocks (all inserted,
// all deleted), so that the changes rebuild the new text (Apply).
type Change struct {
	Kind                 Kind
	Block                Block
	From, To             saiasat.Number
	FromLine, ToLine     int
	FromLabel, ToLabel   string
	OldText, NewText     string
	FromClause, ToClause *saiasat.Clause
	// FromID and ToID are the block's stable IDs in each text's tree
	// ("3.2", "p1", "3/t1", "ch2"), empty where absent or not known.
	FromID, ToID string
	Similarity   float64
	Ops          []Op
	// AlsoRenumbered and AlsoMoved say what else happened to a modified
	// clause: its number changed; it went to another section.
	AlsoRenumbered, AlsoMoved bool
	// SplitFrom names the old clause an added clause was cut from;
	// MergedInto the new clause a removed clause was joined into.
	SplitFrom, MergedInto saiasat.Number
	// Fixes lists the look-alike letters and typography a modified block
	// changed (see Fix); FixOnly is set when that is all its change.
	Fixes   []Fix
	FixOnly bool
}

// TextChanged reports whether the block's words changed, whatever its
// number did.
func (c *Change) TextChanged() bool {
	switch c.Kind {
	case Modified, Added, Removed:
		return true
	}
	return false
}

// Paired reports whether the block is on both sides.
func (c *Change) Paired() bool { return c.FromLine > 0 && c.ToLine > 0 }

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
	nums  []saiasat.Number // each clause's number
	blk   []int            // block index of each clause
	norm  []string
	bags  []bag
	match []int // index on the other side, -1
}

func newSide(bs []*block) *side {
	s := &side{}
	for k, b := range bs {
		if b.kind == BlockClause {
			s.nums = append(s.nums, b.number)
			s.blk = append(s.blk, k)
		}
	}
	n := len(s.nums)
	s.norm = make([]string, n)
	s.bags = make([]bag, n)
	s.match = make([]int, n)
	for i, k := range s.blk {
		s.norm[i] = collapseSpace(bs[k].text)
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

// Align compares two texts of one language, each in its canonical form
// (the text a version hash names), block by block, and says what happened
// to each clause, heading, title and piece of unnumbered text, in the order
// of the new text.
//
// Clauses pair first by identical text (so an insertion at the top of a
// section yields one added clause and renumbered ones, not a cascade of
// modified ones); then similar texts within the stretches between them;
// then similar texts anywhere; then equal numbers. Other blocks pair by
// identical text, then (headings) section number, then similar text.
func Align(from, to *saiasat.Document) []Change {
	return align(prepare(from, false), prepare(to, false))
}

// prepared is a text in canonical form cut into blocks.
type prepared struct {
	doc    *saiasat.Document
	blocks []*block
}

// prepare returns a future of doc's canonical form and blocks, computed on
// its own goroutine: the two sides of a diff are prepared at once.
// isCanonical skips formatting a text known to be canonical.
func prepare(doc *saiasat.Document, isCanonical bool) <-chan prepared {
	ch := make(chan prepared, 1)
	go func() {
		if !isCanonical {
			doc = canonical(doc)
		}
		ch <- prepared{doc, splitBlocks(doc)}
	}()
	return ch
}

func align(pa, pb <-chan prepared) []Change {
	x, y := <-pa, <-pb
	from, to, ba, bb := x.doc, y.doc, x.blocks, y.blocks
	ma, mb := make([]int, len(ba)), make([]int, len(bb))
	for i := range ma {
		ma[i] = -1
	}
	for j := range mb {
		mb[j] = -1
	}
	a, b := alignClauses(ba, bb)
	for i, j := range a.match {
		if j >= 0 {
			ma[a.blk[i]], mb[b.blk[j]] = b.blk[j], a.blk[i]
		}
	}
	for _, k := range []Block{BlockTitle, BlockApproval, BlockChapter, BlockHeading, BlockText, BlockTable, BlockFootnote, BlockSignature, BlockItem, BlockBullet} {
		pairOthers(ba, bb, ma, mb, k)
	}
	return classify(ba, bb, ma, mb, sectionMoves(a, b, sectionTargets(from, to)))
}

// alignClauses pairs the clauses of two texts.
func alignClauses(ba, bb []*block) (*side, *side) {
	a, b := newSide(ba), newSide(bb)
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
			if best < 0 || betterCandidate(a.nums[i], b.nums[j], b.nums[best], i, j, best) {
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
	for j, n := range b.nums {
		if b.match[j] < 0 {
			byNum[n.String()] = j
		}
	}
	for i, n := range a.nums {
		if j, ok := byNum[n.String()]; ok && a.match[i] < 0 && b.match[j] < 0 {
			pair(i, j)
		}
	}
	return a, b
}

// pairOthers pairs the blocks of one kind other than clauses: identical
// text in order, identical text anywhere, then (headings) the same section
// number, then the most similar, down to pairThreshold. The title pairs
// with the title whatever its words.
func pairOthers(ba, bb []*block, ma, mb []int, kind Block) {
	var ia, ib []int
	for i, b := range ba {
		if b.kind == kind {
			ia = append(ia, i)
		}
	}
	for j, b := range bb {
		if b.kind == kind {
			ib = append(ib, j)
		}
	}
	if len(ia) == 0 || len(ib) == 0 {
		return
	}
	pair := func(i, j int) { ma[i], mb[j] = j, i }
	ta, tb := make([]string, len(ia)), make([]string, len(ib))
	for k, i := range ia {
		ta[k] = ba[i].whole()
	}
	for k, j := range ib {
		tb[k] = bb[j].whole()
	}
	for _, p := range commonInOrder(ta, tb) {
		pair(ia[p[0]], ib[p[1]])
	}
	free := func(idx []int, m []int) []int {
		var out []int
		for _, i := range idx {
			if m[i] < 0 {
				out = append(out, i)
			}
		}
		return out
	}
	byText := make(map[string][]int)
	for _, j := range free(ib, mb) {
		byText[bb[j].whole()] = append(byText[bb[j].whole()], j)
	}
	for _, i := range free(ia, ma) {
		for _, j := range byText[ba[i].whole()] {
			if mb[j] < 0 {
				pair(i, j)
				break
			}
		}
	}
	// The same stable ID ("p2", "3/t1", "ch2"): the block in the same
	// place, its words changed.
	byID := make(map[string]int)
	for _, j := range free(ib, mb) {
		if id := bb[j].id; id != "" {
			byID[id] = j
		}
	}
	for _, i := range free(ia, ma) {
		if j, ok := byID[ba[i].id]; ok && ba[i].id != "" && mb[j] < 0 {
			pair(i, j)
		}
	}
	if kind == BlockHeading {
		for _, i := range free(ia, ma) {
			for _, j := range free(ib, mb) {
				if ba[i].number != nil && ba[i].number.Equal(bb[j].number) {
					pair(i, j)
					break
				}
			}
		}
	}
	fa, fb := free(ia, ma), free(ib, mb)
	if len(fa) > 0 && len(fb) > 0 && len(fa)*len(fb) <= maxPairs {
		type cand struct {
			i, j int
			sim  float64
		}
		var cs []cand
		for _, i := range fa {
			for _, j := range fb {
				if s := dice(newBag(ba[i].text), newBag(bb[j].text)); s >= pairThreshold {
					cs = append(cs, cand{i, j, s})
				}
			}
		}
		slices.SortStableFunc(cs, func(x, y cand) int { return cmp.Compare(y.sim, x.sim) })
		for _, c := range cs {
			if ma[c.i] < 0 && mb[c.j] < 0 {
				pair(c.i, c.j)
			}
		}
	}
	if kind == BlockTitle {
		if fa, fb := free(ia, ma), free(ib, mb); len(fa) == 1 && len(fb) == 1 {
			pair(fa[0], fb[0])
		}
	}
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

func betterCandidate(an, cand, best saiasat.Number, i, j, k int) bool {
	cs, bs := cand.Equal(an), best.Equal(an)
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
	for _, p := range append(anchors, [2]int{len(a.nums), len(b.nums)}) {
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
				cs = append(cs, cand{i, j, s, a.nums[i].Equal(b.nums[j])})
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

// sectionMoves returns where each old section went: the section of the
// same title (titled), or else where most of its clauses went. A clause
// that follows its section is renumbered; one that leaves it is moved.
func sectionMoves(a, b *side, titled map[int]int) map[int]int {
	votes := make(map[int]map[int]int)
	for i, j := range a.match {
		if j >= 0 {
			s := a.nums[i][0]
			if votes[s] == nil {
				votes[s] = make(map[int]int)
			}
			votes[s][b.nums[j][0]]++
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
	return target
}

// classify turns the pairing of blocks into changes, in the order of the
// new text, each removed block after the new place of the block before it.
//
// A pair of identical blocks is unchanged only when it keeps its order
// with the other identical pairs (the longest increasing run of them); one
// that does not is moved. So the unchanged blocks stand in the same order
// in both texts, which is what lets Apply put them back without being
// told where.
func classify(ba, bb []*block, ma, mb []int, target map[int]int) []Change {
	var same [][2]int
	for i, j := range ma {
		if j >= 0 && ba[i].whole() == bb[j].whole() {
			same = append(same, [2]int{i, j})
		}
	}
	inOrder := make(map[int]bool)
	for _, p := range lis(same) {
		inOrder[p[0]] = true
	}

	type keyed struct {
		key float64
		ch  Change
	}
	var out []keyed
	for j, nb := range bb {
		i := mb[j]
		if i < 0 {
			ch := Change{Kind: Added, Block: nb.kind, To: nb.number, ToLine: nb.line, ToID: nb.id, ToLabel: nb.label, NewText: nb.text, ToClause: nb.clause}
			if nb.text != "" {
				ch.Ops = []Op{{Op: OpInsert, Text: nb.text}}
			}
			out = append(out, keyed{float64(j), ch})
			continue
		}
		ob := ba[i]
		ch := Change{Block: nb.kind, From: ob.number, To: nb.number, FromLine: ob.line, ToLine: nb.line, FromID: ob.id, ToID: nb.id,
			FromLabel: ob.label, ToLabel: nb.label, OldText: ob.text, NewText: nb.text,
			FromClause: ob.clause, ToClause: nb.clause, Similarity: 1}
		// Exact text, line breaks included: items moved onto one line are
		// a change the approver must see.
		textSame := ob.text == nb.text
		if !textSame {
			ch.Ops = WordOps(ob.text, nb.text)
			ch.Similarity = Similarity(ch.Ops)
			ch.Fixes, ch.FixOnly = fixes(ch.Ops)
		}
		sectionMoved := nb.kind == BlockClause && target[ob.number[0]] != nb.number[0] // a target of -1 (a section gone) never matches
		switch {
		case ob.whole() == nb.whole() && inOrder[i]:
			ch.Kind = Unchanged
		case ob.whole() == nb.whole():
			ch.Kind = Moved
		case !textSame:
			ch.Kind = Modified
			ch.AlsoRenumbered = nb.kind == BlockClause && ob.label != nb.label
			ch.AlsoMoved = sectionMoved
		case sectionMoved:
			ch.Kind = Moved
		case nb.kind == BlockClause:
			ch.Kind = Renumbered
		default:
			// The same words with other blank lines before them.
			ch.Kind = Modified
		}
		out = append(out, keyed{float64(j), ch})
	}
	last := -0.5
	for i, ob := range ba {
		if j := ma[i]; j >= 0 {
			last = float64(j)
			continue
		}
		ch := Change{Kind: Removed, Block: ob.kind, From: ob.number, FromLine: ob.line, FromID: ob.id, FromLabel: ob.label, OldText: ob.text, FromClause: ob.clause}
		if ob.text != "" {
			ch.Ops = []Op{{Op: OpDelete, Text: ob.text}}
		}
		out = append(out, keyed{last + 0.5, ch})
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
		b := &texts{old: newBag(changes[i].OldText), new: newBag(changes[i].NewText)}
		bags[i] = b
		return b
	}
	// The paired clauses that lost words (where an added clause may have
	// been cut from) and that gained words (where a removed one may have
	// been joined), found once.
	var lost, gained []int
	for i, o := range changes {
		if o.Block != BlockClause || !o.Paired() || o.Ops == nil {
			continue
		}
		if slices.ContainsFunc(o.Ops, func(op Op) bool { return op.Op == OpDelete }) {
			lost = append(lost, i)
		}
		if slices.ContainsFunc(o.Ops, func(op Op) bool { return op.Op == OpInsert }) {
			gained = append(gained, i)
		}
	}
	for k := range changes {
		c := &changes[k]
		if c.Block != BlockClause || (c.Kind != Added && c.Kind != Removed) {
			continue
		}
		text, candidates := c.NewText, lost
		if c.Kind == Removed {
			text, candidates = c.OldText, gained
		}
		if len(candidates) == 0 {
			continue
		}
		mine := newBag(text)
		best, bestShare := -1, 0.0
		for _, i := range candidates {
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

// collapseSpace returns s with every run of white space (as strings.Fields
// sees it) made one space and none at the ends; s itself, not a copy, when
// it has nothing to collapse, as most clauses have not.
func collapseSpace(s string) string {
	prevSpace := true // at the start, a space would be leading
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) {
				return strings.Join(strings.Fields(s), " ")
			}
			i += n - 1
			prevSpace = false
			continue
		}
		switch c {
		case ' ':
			if prevSpace {
				return strings.Join(strings.Fields(s), " ")
			}
			prevSpace = true
		case '\t', '\n', '\v', '\f', '\r':
			return strings.Join(strings.Fields(s), " ")
		default:
			prevSpace = false
		}
	}
	if prevSpace && len(s) > 0 {
		return strings.Join(strings.Fields(s), " ")
	}
	return s
}
