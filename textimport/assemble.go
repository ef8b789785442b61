package textimport

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

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

// assemble builds the output lines from the kept input lines. The front
// of the text comes first: an approval stamp (a group of lines with
// "УТВЕРЖДЕНО" or "БЕКІТІЛДІ") and a title (the group after it, of lines
// that end no sentence). Then tables laid out with spaces, signature blocks
// (a group with blanks "____" or "М.П."), footnotes, city-and-year lines and
// headings standing apart are recognised by their shape; any other line
// that starts a heading, clause, item or bullet opens a block, and any
// other is joined to the block before it. Where the layout alone cannot
// decide, the clause numbers seen so far do (see plausible), and every such
// decision is returned as a note for a reader to confirm.
func assemble(ls []line, drop []bool, numbering saiasat.Numbering) (out []string, notes []Dropped, approval []string) {
	var kept []line
	brk := false
	for i, l := range ls {
		if drop[i] {
			brk = true
			continue
		}
		if l.kind == blank && (len(kept) == 0 || kept[len(kept)-1].kind == blank) {
			if len(kept) > 0 {
				kept[len(kept)-1].brk = kept[len(kept)-1].brk || brk
			}
			brk = false
			continue
		}
		l.brk = brk
		brk = false
		kept = append(kept, l)
	}
	a := assembler{tail: -1, numbering: numbering}
	i := 0
	// group returns the end of the group of lines starting at i: the next
	// blank line.
	group := func(i int) int {
		j := i
		for j < len(kept) && kept[j].kind != blank {
			j++
		}
		return j
	}
	skip := func(i int) int {
		for i < len(kept) && kept[i].kind == blank {
			i++
		}
		return i
	}
	i = skip(i)
	if j := group(i); j > i && slices.ContainsFunc(kept[i:j], func(l line) bool { return approvalRe.MatchString(l.text) }) &&
		!slices.ContainsFunc(kept[i:j], func(l line) bool { return startsBlock(l.text) }) {
		// The stamp ends with its last line that says something of the
		// decision: the approval word, a number, a date, an edition. A
		// title set right under it, with no blank line, is not stamp.
		end := i
		for k := i; k < j; k++ {
			t := kept[k].text
			if am := saiasat.ParseApproval(t); approvalRe.MatchString(t) || am.Number != "" || !am.Date.IsZero() || editionWordRe.MatchString(t) {
				end = k + 1
			}
		}
		a.out = append(a.out, "::: approval")
		for _, l := range kept[i:end] {
			a.out = append(a.out, squeezeSpaces(l.text))
			approval = append(approval, squeezeSpaces(l.text))
		}
		a.out = append(a.out, ":::", "")
		if i = end; end == j {
			i = skip(j)
		}
	}
	// The title: a group of title-like lines, and the groups after it
	// while they are title-like too (a PDF puts blank lines between title
	// lines of different sizes), up to five lines; a group followed by a
	// clause or section is that block's heading, not the title's.
	for n := 0; ; {
		j := group(i)
		if j == i || j >= len(kept) || n+j-i > 5 || !titleLike(kept[i:j]) {
			break
		}
		if k := skip(j); n > 0 && (k >= len(kept) || startsBlock(kept[k].text) || kept[k].brk || kept[j].brk || !startsSentence(kept[k].text)) {
			break
		}
		for _, l := range kept[i:j] {
			a.out = append(a.out, "# "+squeezeSpaces(l.text), "")
		}
		n += j - i
		a.cur = curTitle
		i = skip(j)
	}
	for i < len(kept) {
		l := kept[i]
		if l.kind == blank {
			a.blank = true
			a.brk = a.brk || l.brk
			i++
			continue
		}
		a.brk = a.brk || l.brk
		atGroup := a.blank || len(a.out) == 0 || a.cur == curHeading || a.cur == curTitle
		next := i + 1
		switch {
		case atGroup && cityRe.MatchString(l.text) && !startsBlock(l.text):
			a.block(curCity, squeezeSpaces(l.text))
		case a.tableAt(kept[i:], &next):
		case atGroup && a.signatureAt(kept[i:group(i)]):
			next = group(i)
		case footnoteMark(l.text) != "":
			t := l.text
			for next < len(kept) && kept[next].kind != blank && !startsBlock(kept[next].text) && footnoteMark(kept[next].text) == "" {
				t = join(t, kept[next].text)
				next++
			}
			a.block(curFootnote, t)
		case atGroup && a.numbering == saiasat.NumberingSections && untitledSectionRe.MatchString(l.text):
			a.heading(l.text)
			n, _ := strconv.Atoi(strings.TrimSuffix(l.text, "."))
			a.last = saiasat.Number{n}
		case (a.blank || a.cur == curTitle) && standsApart(kept, i) && headingLike(l.text):
			a.heading(l.text)
		default:
			if a.cur == curFootnote && a.brk && !startsBlock(l.text) && !startsSentence(l.text) {
				a.unfoot(l)
			}
			a.add(l)
		}
		a.blank, a.brk = false, false
		i = next
	}
	a.flushFeet()
	return a.out, a.notes, approval
}

// unfoot handles a footnote printed at the foot of a page inside a block
// that goes on at the top of the next (l, in lower case, continues it):
// the footnote is taken out and written after that block ends, and l joins
// the block.
func (a *assembler) unfoot(l line) {
	a.feet = append(a.feet, a.out[a.foot.at:]...)
	a.out = a.out[:a.foot.at]
	a.cur, a.inClause, a.listIndent = a.foot.cur, a.foot.inClause, a.foot.listIndent
	a.note(l, "a footnote at the foot of a page inside a block: the text on the next page joined to the block, the footnote written after it")
}

// flushFeet writes the footnotes held back by unfoot: a block that a
// footnote cannot interrupt has ended.
func (a *assembler) flushFeet() {
	a.out = append(a.out, a.feet...)
	a.feet = nil
}

// standsApart reports whether kept[i] has a blank line (or the start) on
// both sides, not made by a page break, and text after it.
func standsApart(kept []line, i int) bool {
	before := i == 0 || (kept[i-1].kind == blank && !kept[i-1].brk && !kept[i].brk)
	// After a page break the next page must open a block: a heading at
	// the foot of a page, not a sentence running on.
	after := i+2 < len(kept) && kept[i+1].kind == blank && (!kept[i+1].brk && !kept[i+2].brk || startsBlock(kept[i+2].text))
	more := slices.ContainsFunc(kept[i+1:], func(l line) bool { return l.kind != blank })
	return before && after && more
}

// headingLike reports whether a line standing apart reads as an
// unnumbered heading ("Часто задаваемые вопросы", "Жалпы ережелер"): a
// few words starting with a capital and no end punctuation.
func headingLike(t string) bool {
	r, _ := utf8.DecodeRuneInString(t)
	return unicode.IsUpper(r) && !startsBlock(t) && !endsWithAny(t, ".;:!?,") && len(strings.Fields(t)) <= 8 && utf8.RuneCountInString(t) <= 60 &&
		!cityRe.MatchString(t) && !blankRe.MatchString(t) && footnoteMark(t) == ""
}

// tableAt writes the table laid out with spaces that starts ls, if one
// does, and sets *next past it.
func (a *assembler) tableAt(ls []line, next *int) bool {
	rows, used, conts := pipeTable(ls)
	if used == 0 {
		return false
	}
	for _, l := range conts {
		a.note(l, "a table line read as the wrapped cells of the row above (its first cell is empty or goes on in lower case): check the row")
	}
	a.flushFeet()
	a.out = append(a.out, "")
	a.out = append(a.out, rows...)
	a.out = append(a.out, "")
	a.cur, a.tail, a.listIndent = curTable, -1, nil
	*next += used - 1
	return true
}

// signatureAt writes g as a signature block when it is one: a group of
// lines with a form's blanks or a seal mark.
func (a *assembler) signatureAt(g []line) bool {
	if !slices.ContainsFunc(g, func(l line) bool { return blankRe.MatchString(l.text) || stampRe.MatchString(l.text) }) ||
		slices.ContainsFunc(g, func(l line) bool {
			return startsBlock(l.text) || cityRe.MatchString(l.text) && blankRe.MatchString(l.text)
		}) {
		return false
	}
	a.flushFeet()
	a.out = append(a.out, "", "::: signature")
	for _, l := range g {
		a.out = append(a.out, squeezeSpaces(l.text))
	}
	a.out = append(a.out, ":::", "")
	a.cur, a.tail, a.listIndent = curContainer, -1, nil
	return true
}

// block writes a paragraph or footnote of its own.
func (a *assembler) block(c curKind, t string) {
	a.flushFeet()
	if c == curFootnote {
		a.foot = footState{len(a.out), a.cur, a.inClause, a.listIndent}
	}
	a.out = append(a.out, "", t)
	a.cur, a.tail, a.inClause, a.listIndent = c, -1, false, nil
}

// heading writes "## t": an unnumbered heading or an untitled section.
func (a *assembler) heading(t string) {
	a.flushFeet()
	a.out = append(a.out, "", "## "+t, "")
	a.cur, a.tail, a.inClause, a.listIndent = curHeading, -1, false, nil
	a.listNext = 0
}

// footState is where a footnote was written and the block it followed.
type footState struct {
	at         int
	cur        curKind
	inClause   bool
	listIndent []int
}

// curKind is the kind of block the assembler writes into.
type curKind int

const (
	curNone curKind = iota
	curTitle
	curHeading
	curClause
	curPara
	curList
	curTable
	curContainer
	curFootnote
	// curCity: the city-and-year line, a paragraph closed at its end.
	curCity
)

type assembler struct {
	out   []string
	notes []Dropped
	// numbering is the text's scheme: in the flat one "12. text" is a
	// clause, not a section.
	numbering saiasat.Numbering
	// cur is the kind of the block last opened; blank: a blank line came
	// before the line being added.
	cur   curKind
	blank bool
	// brk: the blank lines before the line being added hold a page break.
	brk bool
	// foot is the state before the last footnote written; feet the
	// footnotes held back until the block they interrupted ends.
	foot footState
	feet []string
	// listIndent holds the indentation of each open level of a list, to
	// nest an item under the one above it.
	listIndent []int
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
	for len(a.out) > 0 && a.out[len(a.out)-1] == "" {
		a.out = a.out[:len(a.out)-1]
	}
	if len(a.out) == 0 {
		a.open(l, t)
		return
	}
	prev := a.out[len(a.out)-1]
	heading := strings.HasPrefix(prev, "## ") || strings.HasPrefix(prev, "# ") || prev == ":::" || strings.HasPrefix(prev, "|") || a.cur == curCity
	if chapterLineRe.MatchString(t) && (heading || endsSentence(prev) || a.blank) {
		a.open(l, t)
		return
	}
	if !startsBlock(t) || chapterLineRe.MatchString(t) {
		a.continueLine(l, prev, heading)
		return
	}
	num, section := a.labelNumber(t)
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
	case heading || endsSentence(prev) || inList(prev, t) || (a.blank && !a.inClause && a.cur != curList):
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
	if heading || (a.blank && !a.inClause && a.cur != curHeading && (endsSentence(prev) || !a.brk) && startsSentence(l.text)) {
		// Text after a heading, or a new paragraph of unnumbered text.
		a.out = append(a.out, "", l.text)
		a.cur, a.tail, a.listIndent = curPara, -1, nil
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
	num, section := a.labelNumber(t)
	a.tail = -1
	if !isItem(t) && !isBullet(t) || (num != nil && !section) {
		a.flushFeet() // a top-level block: the text a footnote interrupted has ended
	}
	switch {
	case chapterLineRe.MatchString(t):
		a.out = append(a.out, "", "## "+t, "")
		a.inClause, a.cur, a.listIndent = false, curHeading, nil
	case section:
		a.out = append(a.out, "", "## "+t, "")
		a.last, a.inClause, a.cur, a.listIndent = num, false, curHeading, nil
	case num != nil:
		a.out = append(a.out, "", t)
		a.last, a.inClause, a.cur, a.listIndent = num, true, curClause, nil
	case isItem(t) || isBullet(t):
		a.out = append(a.out, strings.Repeat("   ", a.depth(l.indent))+t)
		if a.cur != curList && a.cur != curClause {
			a.inClause = false
		}
		a.cur = curList
	default:
		a.out = append(a.out, "", t)
		a.inClause, a.cur, a.listIndent = false, curPara, nil
	}
	if num != nil {
		a.listNext = 0
	}
}

// listLine keeps "1. знать …" as a line of the current clause: a numbered
// list under the clause, not a section.
// depth returns the nesting level of a list line indented by ind: a line
// indented two columns or more past the list line above is its child.
func (a *assembler) depth(ind int) int {
	st := a.listIndent
	for len(st) > 0 && st[len(st)-1] > ind {
		st = st[:len(st)-1]
	}
	switch {
	case len(st) == 0:
		st = append(st, ind)
	case ind >= st[len(st)-1]+2:
		st = append(st, ind)
	default:
		st[len(st)-1] = ind
	}
	a.listIndent = st
	return len(st) - 1
}

// startsSentence reports whether t begins like a new sentence: a capital,
// a digit or an opening quote.
func startsSentence(t string) bool {
	r, _ := utf8.DecodeRuneInString(t)
	return unicode.IsUpper(r) || unicode.IsDigit(r) || strings.ContainsRune("«\"(", r)
}

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

// labelNumber is labelNumber in the assembler's numbering scheme: in the
// flat one, "12. text" is a clause.
func (a *assembler) labelNumber(t string) (saiasat.Number, bool) {
	n, section := labelNumber(t)
	if section && a.numbering == saiasat.NumberingFlat {
		return n, false
	}
	if n != nil && a.numbering == saiasat.NumberingNone {
		return nil, false
	}
	return n, section
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
	r, _ := utf8.DecodeLastRuneInString(s)
	return s != "" && strings.ContainsRune(chars, r)
}
