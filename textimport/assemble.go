package textimport

import (
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/markdown"
)

// refEndRe matches a line that ends inside a cross-reference: "согласно п.",
// "пункта", "тармағының", "ст.", "№". A number on the next line is the
// reference's target ("3.2. настоящей Политики"), not a new clause.
var refEndRe = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(?:(?:п|пп|подп|ст)\.|(?:пункт|подпункт|тармақ|тармағ|стать|бап|баб)\p{L}*|№)$`)

// etcRe matches "и т. п." ("and so on"), which ends a sentence with "п.".
var etcRe = regexp.MustCompile(`(?i)(?:^|[^\p{L}])т\.\s*п\.$`)

// endsInReference reports whether line breaks off inside a reference.
func endsInReference(line string) bool { return refEndRe.MatchString(line) && !etcRe.MatchString(line) }

// refStartRe matches a line whose number is followed by the word that
// names it a reference, as Kazakh puts it after the number: "3.2.
// тармағында көрсетілген" continues "осы Саясаттың".
var refStartRe = regexp.MustCompile(`^\d{1,3}(?:\.\d{1,3})*\.?\s+(?:тармақ|тармағ|бап|баб|бөлім|пункт|подпункт)\p{L}*`)

// assemble builds the output lines from the kept input lines: a line that
// starts a heading, clause, item or bullet opens a block, any other is
// joined to the block before it. Where the layout alone cannot decide, the
// clause numbers seen so far do (see plausible), and every such decision is
// returned as a note for a reader to confirm.
func assemble(ls []line, drop []bool) (out []string, notes []Dropped) {
	a := assembler{tail: -1}
	for i, l := range ls {
		if drop[i] || l.kind == blank {
			continue
		}
		a.add(l)
	}
	return a.out, a.notes
}

type assembler struct {
	out   []string
	notes []Dropped
	// last is the number of the last section ([n]) or clause opened.
	last saiasat.Number
	// inClause: the current block is a clause, so a numbered list line
	// ("1. знать …") can belong to it.
	inClause bool
	// listNext is the number the next line of a numbered list inside the
	// clause would carry; 0 when no such list is open.
	listNext int
	// prevLine is the input line last added, for notes about it.
	prevLine line
	// tail is the byte offset in the last output line where text joined
	// after a finished sentence begins, or -1: a line that stood apart and
	// may turn out to be a heading or title of its own.
	tail int
}

func (a *assembler) note(l line, why string) {
	a.notes = append(a.notes, Dropped{l.n, l.text, why})
}

func (a *assembler) add(l line) {
	defer func() { a.prevLine = l }()
	t := l.text
	if len(a.out) == 0 {
		a.open(l, t)
		return
	}
	prev := a.out[len(a.out)-1]
	heading := strings.HasPrefix(prev, "## ")
	start := markdown.StartsBlock([]byte(t)) || sectionRe.MatchString(t)
	if !start {
		a.continueLine(l, prev, heading)
		return
	}
	num, section := labelNumber(t)
	switch {
	case !heading && (endsInReference(prev) || (!endsSentence(prev) && refStartRe.MatchString(t))):
		// "согласно п." / "3.2. настоящей Политики": the number is the
		// target of the reference the line before breaks off.
		a.note(l, "a line that starts like a clause or item, joined to the line before, which ends in a reference (п., пункт, тармақ, ст., №)")
		a.join(prev, t)
		return
	case section && a.inClause && !a.plausible(num) && a.listContext(prev):
		a.listLine(l, num[0])
		return
	case section && a.inClause && a.listNext == num[0] && a.listNext > 1 && endsWithAny(prev, ";,"):
		// "2. получать …;" right after "1. знать …;" continues the list even
		// when section 2 would also be plausible.
		a.listLine(l, num[0])
		return
	case heading || endsSentence(prev) || inList(prev, t):
		a.open(l, t)
		return
	case num != nil && a.plausible(num):
		// The number is the one expected next: a block, even though the
		// line before has no end punctuation (a title, "2024 год", a
		// heading's first line). That line stays where it is, and is noted.
		why := "a line with no end punctuation before " + describe(num, section) + ": check whether it is a heading or title of its own"
		if a.tail > 0 {
			// The text since the last finished sentence stood apart: it
			// is kept apart, as a paragraph, not as the clause's words.
			last := a.out[len(a.out)-1]
			a.out[len(a.out)-1] = last[:a.tail]
			a.out = append(a.out, "", strings.TrimSpace(last[a.tail:]))
			why += "; kept as a paragraph of its own"
		}
		a.note(a.prevLine, why)
		a.open(l, t)
		return
	}
	// A line that starts like a clause or item but follows an unfinished
	// sentence is the sentence wrapped ("… сәйкес" / "1) тармақшасына");
	// it is joined, and reported, since only a reader can be sure.
	a.note(l, "a line that starts like a clause or item, joined to the unfinished sentence before it")
	a.join(prev, t)
}

// continueLine adds a line that does not start a block.
func (a *assembler) continueLine(l line, prev string, heading bool) {
	if heading {
		a.out = append(a.out, l.text)
		return
	}
	if hyphenJoin(prev) {
		a.note(l, "joined to the line before, which ends in a hyphen: check the word is written with one")
	}
	a.join(prev, l.text)
}

func (a *assembler) join(prev, t string) {
	if endsWithAny(prev, ".;!?") && !strings.HasPrefix(prev, "## ") {
		a.tail = len(prev)
	}
	a.out[len(a.out)-1] = join(prev, t)
}

// open starts a block with line t.
func (a *assembler) open(l line, t string) {
	num, section := labelNumber(t)
	a.tail = -1
	switch {
	case section:
		a.out = append(a.out, "## "+t)
		a.last, a.inClause = num, false
	case num != nil:
		a.out = append(a.out, t)
		a.last, a.inClause = num, true
	default:
		a.out = append(a.out, t)
	}
	if num != nil {
		a.listNext = 0
	}
}

// listLine keeps "1. знать …" as a line of the current clause: a numbered
// list under the clause, not a section.
func (a *assembler) listLine(l line, n int) {
	a.note(l, "a numbered line inside clause "+a.last.String()+" kept as a line of the clause (a list), not a section: section "+strconv.Itoa(n)+" would not follow "+a.last.String())
	a.out = append(a.out, l.text)
	a.listNext = n + 1
	a.tail = -1
}

// listContext reports whether a numbered line may be a list inside the
// clause: the clause announces one ("право:") or a list is already open.
func (a *assembler) listContext(prev string) bool {
	return a.listNext > 0 || endsWithAny(prev, ":;")
}

// plausible reports whether n is a number that may come right after
// a.last: its next sibling, its first child, or the next sibling of one of
// its parents ("2" or "1.4" after "1.3.2"). The first number of a text is
// plausible when every part is 1.
func (a *assembler) plausible(n saiasat.Number) bool {
	if len(a.last) == 0 {
		return !slices.ContainsFunc(n, func(v int) bool { return v != 1 })
	}
	if len(n) == len(a.last)+1 && slices.Equal(n[:len(a.last)], a.last) && n[len(n)-1] == 1 {
		return true
	}
	k := len(n)
	return k <= len(a.last) && slices.Equal(n[:k-1], a.last[:k-1]) && n[k-1] == a.last[k-1]+1
}

// labelNumber returns the number of the clause ("1.2.") or section ("2.")
// that starts t, and whether it is a section; nil for anything else.
func labelNumber(t string) (saiasat.Number, bool) {
	b := []byte(t)
	if n := markdown.ClauseLabel(b); n > 0 {
		num, err := saiasat.ParseNumber(strings.TrimSpace(t[:n]))
		if err == nil {
			return num, false
		}
		return nil, false
	}
	if sectionRe.MatchString(t) && markdown.ItemLabel(b) == 0 {
		dot := strings.IndexByte(t, '.')
		if v, err := strconv.Atoi(t[:dot]); err == nil {
			return saiasat.Number{v}, true
		}
	}
	return nil, false
}

func describe(n saiasat.Number, section bool) string {
	if section {
		return "heading " + n.String() + "."
	}
	return "clause " + n.String()
}

func endsWithAny(s, chars string) bool {
	s = strings.TrimSpace(s)
	return s != "" && strings.ContainsRune(chars, []rune(s)[len([]rune(s))-1])
}
