package diff

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// Op is one word-level edit: "equal", "delete" or "insert" and its text.
// Concatenating the equal and delete texts gives the old clause text; the
// equal and insert texts, the new one.
//
// Fix marks a one-character deletion and the insertion after it that
// change a letter or mark without changing its look: "script" (Latin i →
// Kazakh і) or "typography" (a no-break space, a quote mark, a dash).
type Op struct {
	Op   string `json:"op"`
	Text string `json:"text"`
	Fix  string `json:"fix,omitempty"`
}

// Names of Op.Op.
const (
	OpEqual  = "equal"
	OpDelete = "delete"
	OpInsert = "insert"
)

// tokens splits s into words (letters, digits and marks), runs of white
// space, and single other characters, so that a diff never cuts a word.
func tokens(s string) []string {
	var out []string
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		j := i + size
		switch {
		case isWord(r):
			for j < len(s) {
				r2, n := utf8.DecodeRuneInString(s[j:])
				if !isWord(r2) {
					break
				}
				j += n
			}
		case unicode.IsSpace(r):
			for j < len(s) {
				r2, n := utf8.DecodeRuneInString(s[j:])
				if !unicode.IsSpace(r2) {
					break
				}
				j += n
			}
		}
		out = append(out, s[i:j])
		i = j
	}
	return out
}

func isWord(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

func isWordToken(t string) bool {
	r, _ := utf8.DecodeRuneInString(t)
	return isWord(r)
}

// tokenRune maps the i-th distinct token to a rune go-diff compares: the
// Private Use Areas, skipping nothing a text could hold.
func tokenRune(i int) rune {
	switch {
	case i < 0x1900: // U+E000–U+F8FF
		return rune(0xE000 + i)
	case i < 0x1900+0xFFFE: // plane 15
		return rune(0xF0000 + i - 0x1900)
	default: // plane 16
		return rune(0x100000 + i - 0x1900 - 0xFFFE)
	}
}

// coder maps each distinct string to a private-use rune, so go-diff can
// compare sequences of words (or of whole clause texts) as runes.
type coder struct {
	ids   map[string]rune
	vocab []string
}

func (c *coder) encode(ts []string) []rune {
	if c.ids == nil {
		c.ids = make(map[string]rune)
	}
	rs := make([]rune, len(ts))
	for i, t := range ts {
		r, ok := c.ids[t]
		if !ok {
			r = tokenRune(len(c.vocab))
			c.ids[t] = r
			c.vocab = append(c.vocab, t)
		}
		rs[i] = r
	}
	return rs
}

func (c *coder) decode(r rune) string {
	switch {
	case r >= 0x100000:
		return c.vocab[int(r-0x100000)+0x1900+0xFFFE]
	case r >= 0xF0000:
		return c.vocab[int(r-0xF0000)+0x1900]
	}
	return c.vocab[int(r-0xE000)]
}

// WordOps returns the word-level edits from old to new: go-diff over word
// tokens, with semantic cleanup. There is no time limit, so the result is
// the same on every machine; callers diff aligned clauses, never whole texts.
func WordOps(old, new string) []Op {
	if old == new {
		if old == "" {
			return nil
		}
		return []Op{{Op: OpEqual, Text: old}}
	}
	var c coder
	ra, rb := c.encode(tokens(old)), c.encode(tokens(new))
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = 0
	diffs := dmp.DiffCleanupSemantic(dmp.DiffMainRunes(ra, rb, false))
	var ops []Op
	for _, d := range diffs {
		var b strings.Builder
		for _, r := range d.Text {
			b.WriteString(c.decode(r))
		}
		op := OpEqual
		switch d.Type {
		case diffmatchpatch.DiffDelete:
			op = OpDelete
		case diffmatchpatch.DiffInsert:
			op = OpInsert
		}
		if n := len(ops); n > 0 && ops[n-1].Op == op {
			ops[n-1].Text += b.String()
			continue
		}
		ops = append(ops, Op{Op: op, Text: b.String()})
	}
	return refineFixes(alignLines(ops))
}

// alignLines slides each lone insertion or deletion of whole lines so that
// it covers them from their first character to their line end: a removed
// bullet is "- x;\n", not "x;\n- ", which strikes the next bullet's
// dash and leaves its own. A sliding keeps both texts: equal A0+s, delete
// X0+s, equal B reads the same as equal A0, delete s+X0, equal s+B.
func alignLines(ops []Op) []Op {
	for k, op := range ops {
		if op.Op == OpEqual || k == 0 || k+1 >= len(ops) || ops[k-1].Op != OpEqual || ops[k+1].Op != OpEqual {
			continue
		}
		a, x, b := ops[k-1].Text, op.Text, ops[k+1].Text
		if strings.HasSuffix(a, "\n") && strings.HasSuffix(x, "\n") {
			continue // already whole lines
		}
		// Slide left by the longest shared ending that puts x at a line
		// start, ending with "\n".
		n := 0
		for n < len(a) && n < len(x) && a[len(a)-1-n] == x[len(x)-1-n] {
			n++
		}
		for s := n; s > 0; s-- {
			a0, x0, tail := a[:len(a)-s], x[:len(x)-s], x[len(x)-s:]
			nx := tail + x0
			if (a0 == "" || strings.HasSuffix(a0, "\n")) && strings.HasSuffix(nx, "\n") {
				ops[k-1].Text, ops[k].Text, ops[k+1].Text = a0, nx, tail+b
				break
			}
		}
	}
	out := ops[:0]
	for _, op := range ops {
		if op.Text != "" {
			out = append(out, op)
		}
	}
	return out
}

// ApplyOps rebuilds the old and the new text from ops.
func ApplyOps(ops []Op) (old, new string) {
	var o, n strings.Builder
	for _, op := range ops {
		switch op.Op {
		case OpEqual:
			o.WriteString(op.Text)
			n.WriteString(op.Text)
		case OpDelete:
			o.WriteString(op.Text)
		case OpInsert:
			n.WriteString(op.Text)
		}
	}
	return o.String(), n.String()
}

// Similarity is the share of tokens two texts have in common along ops:
// 2 × equal ÷ (old + new), counting words and punctuation marks (not white
// space), 1 for two empty texts. A changed comma makes it less than 1.
func Similarity(ops []Op) float64 {
	eq, del, ins := 0, 0, 0
	for _, op := range ops {
		n := 0
		for _, t := range tokens(op.Text) {
			if strings.TrimSpace(t) != "" {
				n++
			}
		}
		switch op.Op {
		case OpEqual:
			eq += n
		case OpDelete:
			del += n
		case OpInsert:
			ins += n
		}
	}
	if eq+del+ins == 0 {
		return 1
	}
	return float64(2*eq) / float64(2*eq+del+ins)
}

// bag is the multiset of the words of a text, for a quick similarity that
// pairs clauses before any diff is run.
type bag struct {
	words map[string]int
	n     int
}

func newBag(s string) bag {
	b := bag{words: make(map[string]int)}
	for _, t := range tokens(s) {
		if isWordToken(t) {
			b.words[strings.ToLower(t)]++
			b.n++
		}
	}
	return b
}

// dice returns 2|A∩B| ÷ (|A|+|B|) over the two word multisets.
func dice(a, b bag) float64 {
	if a.n+b.n == 0 {
		return 1
	}
	small, large := a, b
	if len(small.words) > len(large.words) {
		small, large = large, small
	}
	common := 0
	for w, c := range small.words {
		common += min(c, large.words[w])
	}
	return float64(2*common) / float64(a.n+b.n)
}
