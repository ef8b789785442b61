package check

import (
	"fmt"
	"html"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/markdown"
)

// markup reports text/markup: characters the format prints as written
// (markdown.Spans) that a Markdown reader — the author's editor, GitHub,
// the published .md file opened anywhere — would drop or change, and
// markup in headings, which take none. Each finding's fix rewrites the
// construct into what the format prints as meant: "__x__" into "**x**",
// "[text](https://…)" into "text (https://…)", "&amp;" into "&", "\*"
// into "*". Form blanks («___» ____________ 20__), footnote asterisks
// (ставка*), card masks (****1234) and brackets ([1]) are left alone.
func (r *reporter) markup() {
	for _, b := range markdown.TextBlocks(r.view) {
		m := markupScan{b: b, lit: literalMask(b.Text)}
		if b.Heading {
			m.heading()
		}
		m.backslashes()
		m.entities()
		m.codeSpans()
		m.tags()
		m.links()
		m.emphasis('_')
		m.emphasis('*')
		sort.SliceStable(m.found, func(i, j int) bool { return m.found[i].start < m.found[j].start })
		for _, f := range m.found {
			r.add(r.at(b.Offset(f.start)), saiasat.Error, "text/markup", r.markupFix(b, f), "%s", f.msg)
		}
	}
}

// markupFinding is one construct of a text block: bytes [start, end) of
// its text, rewritten by edits (offsets in the text) in the fix.
type markupFinding struct {
	start, end int
	edits      []markupEdit
	msg        string
}

type markupEdit struct {
	start, end int
	text       string
}

// markupFix turns a finding's edits into one replacement of the source
// bytes from its start to its end (a construct can span lines; the bytes
// between edits are copied from the source, indentation included).
func (r *reporter) markupFix(b markdown.TextBlock, f markupFinding) *saiasat.Fix {
	from, to := b.Offset(f.start), b.Offset(f.end-1)+1
	var out strings.Builder
	pos := from
	for _, e := range f.edits {
		s := b.Offset(e.start)
		out.Write(r.view[pos:s])
		out.WriteString(e.text)
		pos = s + e.end - e.start
	}
	out.Write(r.view[pos:to])
	return &saiasat.Fix{Offset: from, Length: to - from, Text: out.String()}
}

// literalMask marks the bytes of text that Spans prints; the others are
// the delimiters of strong runs and clause links.
func literalMask(text string) []bool {
	lit := make([]bool, len(text))
	for _, s := range markdown.Spans(text) {
		for i := s.Start; i < s.Start+len(s.Text); i++ {
			lit[i] = true
		}
	}
	return lit
}

type markupScan struct {
	b     markdown.TextBlock
	lit   []bool
	found []markupFinding
}

func (m *markupScan) add(start, end int, edits []markupEdit, format string, args ...any) {
	m.found = append(m.found, markupFinding{start: start, end: end, edits: edits, msg: fmt.Sprintf(format, args...)})
}

// literal reports whether every byte of [start, end) is printed as written.
func (m *markupScan) literal(start, end int) bool {
	for i := start; i < end; i++ {
		if !m.lit[i] {
			return false
		}
	}
	return true
}

// heading reports strong runs and links in a heading: a heading is printed
// as written (it is also the PDF's outline, the contents and the feed),
// so they would show their asterisks and brackets. The fix keeps the
// words.
func (m *markupScan) heading() {
	t := m.b.Text
	first, last := -1, -1
	var edits []markupEdit
	for i := range t {
		if !m.lit[i] {
			if first < 0 {
				first = i
			}
			last = i
			if len(edits) > 0 && edits[len(edits)-1].end == i {
				edits[len(edits)-1].end++
			} else {
				edits = append(edits, markupEdit{start: i, end: i + 1})
			}
		}
	}
	if first >= 0 {
		m.add(first, last+1, edits, "a heading takes no markup: %q is printed with its asterisks and brackets; the fix keeps the words (%q)", t[first:last+1], markdown.Plain(t[first:last+1]))
	}
	// The rest of a heading is printed as written; what was just reported
	// is left to the next check, after the fix.
	for i := range m.lit {
		m.lit[i] = first < 0 || i < first || i > last
	}
}

// backslashes reports "\*": CommonMark drops a backslash before ASCII
// punctuation, and one at a line's end (a hard break); the format prints
// it. The fix removes the backslash.
func (m *markupScan) backslashes() {
	t := m.b.Text
	for i := 0; i < len(t); i++ {
		if t[i] != '\\' || !m.lit[i] {
			continue
		}
		switch {
		case i+1 < len(t) && t[i+1] == '\n':
			m.add(i, i+1, []markupEdit{{i, i + 1, ""}}, "a backslash at the end of a line is printed: Markdown readers make it a line break; the fix removes it")
		case i+1 < len(t) && strings.IndexByte("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~", t[i+1]) >= 0:
			m.add(i, i+2, []markupEdit{{i, i + 1, ""}}, "%q is printed with its backslash: the format has no escapes (every character but the markup's is printed as written); the fix removes the backslash", t[i:i+2])
			i++
		}
	}
}

var entityRe = regexp.MustCompile(`&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});`)

// entities reports "&laquo;" and "&#171;": printed as written, shown as
// the character by Markdown readers. The fix writes the character.
func (m *markupScan) entities() {
	t := m.b.Text
	for _, loc := range entityRe.FindAllStringIndex(t, -1) {
		s := t[loc[0]:loc[1]]
		c := html.UnescapeString(s)
		if c == s || !m.literal(loc[0], loc[1]) || !utf8.ValidString(c) {
			continue
		}
		m.add(loc[0], loc[1], []markupEdit{{loc[0], loc[1], c}}, "%q is printed as written, not as %q: write the character itself; the fix does", s, c)
	}
}

// codeSpans reports `code`: printed with its backticks, shown without them
// as code by Markdown readers. The fix removes the backticks.
func (m *markupScan) codeSpans() {
	t := m.b.Text
	runs := charRuns(t, '`')
	for i := 0; i < len(runs); i++ {
		a := runs[i]
		for j := i + 1; j < len(runs); j++ {
			if b := runs[j]; b[1]-b[0] == a[1]-a[0] {
				if m.literal(a[0], b[1]) {
					m.add(a[0], b[1], []markupEdit{{a[0], a[1], ""}, {b[0], b[1], ""}}, "%q is printed with its backticks: the format has no code spans; the fix removes them", t[a[0]:b[1]])
				}
				i = j
				break
			}
		}
	}
}

var (
	commentRe  = regexp.MustCompile(`(?s)<!--.*?-->`)
	autolinkRe = regexp.MustCompile(`<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)>`)
	tagRe      = regexp.MustCompile(`</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>`)
)

// tags reports HTML: tags and comments are printed as written (Markdown
// readers hide them), "<https://…>" shows its angle brackets. The fix
// removes a tag or comment, and an address's brackets.
func (m *markupScan) tags() {
	t := m.b.Text
	taken := make([]bool, len(t))
	mark := func(a, b int) bool {
		for i := a; i < b; i++ {
			if taken[i] || !m.lit[i] {
				return false
			}
		}
		for i := a; i < b; i++ {
			taken[i] = true
		}
		return true
	}
	for _, loc := range commentRe.FindAllStringIndex(t, -1) {
		if mark(loc[0], loc[1]) {
			m.add(loc[0], loc[1], []markupEdit{{loc[0], loc[1], ""}}, "an HTML comment is printed as written (Markdown readers hide it); the fix removes it with its text")
		}
	}
	for _, loc := range autolinkRe.FindAllStringIndex(t, -1) {
		if mark(loc[0], loc[1]) {
			m.add(loc[0], loc[1], []markupEdit{{loc[0], loc[0] + 1, ""}, {loc[1] - 1, loc[1], ""}}, "%q is printed with its angle brackets: write the address alone; the fix does", t[loc[0]:loc[1]])
		}
	}
	for _, loc := range tagRe.FindAllStringIndex(t, -1) {
		if mark(loc[0], loc[1]) {
			m.add(loc[0], loc[1], []markupEdit{{loc[0], loc[1], ""}}, "HTML tag %q is printed as written (Markdown readers hide it): the format's only markup is **strong** and [text](#3.1) links; the fix removes the tag", t[loc[0]:loc[1]])
		}
	}
}

var (
	strayLinkRe = regexp.MustCompile(`\[([^\[\]\n]*)\]\(([^()\n]*)(\))?`)
	refDefRe    = regexp.MustCompile(`(?m)^\[[^\[\]\n]+\]:`)
)

// links reports "[text](…)" that is not a link to a clause or section:
// printed with its brackets and address, shown as a link by Markdown
// readers. The fix keeps the text and, for an address, the address in
// parentheses: the printed policy must show where it points.
func (m *markupScan) links() {
	t := m.b.Text
	for _, sm := range strayLinkRe.FindAllStringSubmatchIndex(t, -1) {
		start, end := sm[0], sm[1]
		if !m.literal(start, end) {
			continue
		}
		text, dest := t[sm[2]:sm[3]], t[sm[4]:sm[5]]
		closed := sm[6] >= 0
		var repl string
		switch {
		case !closed:
			repl = text + " (" + dest
		case text == "":
			repl = dest
		case strings.HasPrefix(dest, "#"):
			repl = text
		default:
			repl = text + " (" + dest + ")"
		}
		why := "only links to a clause or section, [text](#3.1), are links"
		if markdown.IsAnchor(dest) && text == "" {
			why = "a link needs text"
		} else if strings.HasPrefix(dest, "#") {
			why = fmt.Sprintf("%q is not a clause or section number", dest)
		}
		m.add(start, end, []markupEdit{{start, end, repl}}, "%q is printed as written, not as a link: %s; the fix writes %q", t[start:end], why, repl)
	}
	for _, loc := range refDefRe.FindAllStringIndex(t, -1) {
		if m.literal(loc[0], loc[1]) {
			m.add(loc[0], loc[1], []markupEdit{{loc[1] - 1, loc[1], ""}}, "%q starts a line: Markdown readers take the line for a link definition and hide it; the fix drops the colon", t[loc[0]:loc[1]])
		}
	}
}

// charRuns returns the maximal runs of c in t as [start, end) pairs.
func charRuns(t string, c byte) [][2]int {
	var out [][2]int
	for i := 0; i < len(t); i++ {
		if t[i] != c {
			continue
		}
		j := i
		for j < len(t) && t[j] == c {
			j++
		}
		out = append(out, [2]int{i, j})
		i = j - 1
	}
	return out
}

// emphasis reports what Markdown readers take for emphasis and the format
// prints as written: "_x_", "__x__", "*x*", "***x***", and a strong run
// broken by a space inside ("** x**"). A run of c opens when the character
// after it is a letter or digit and the one before is not; it closes an
// open run of the same length when the character before it is not a space
// and the one after is not a letter or digit. Runs of four or more are
// never delimiters: blanks (____________) and masks (****1234). The fix
// makes a double or triple run strong ("**x**") and removes a single one
// (the format has no italics).
func (m *markupScan) emphasis(c byte) {
	t := m.b.Text
	open := map[int]int{} // run length -> start of the open run
	for _, run := range charRuns(t, c) {
		a, b := run[0], run[1]
		n := b - a
		if n > 3 || !m.literal(a, b) {
			continue
		}
		prev, _ := utf8.DecodeLastRuneInString(t[:a])
		next, _ := utf8.DecodeRuneInString(t[b:])
		if a == 0 {
			prev = ' '
		}
		if b == len(t) {
			next = ' '
		}
		// A "**" printed as written is a strong run with a space inside.
		broken := c == '*' && n == 2
		canOpen := (wordy(next) || broken && !unicode.IsSpace(prev) || broken && unicode.IsSpace(next)) && !wordy(prev)
		canClose := !unicode.IsSpace(prev) && !wordy(next) || broken && unicode.IsSpace(prev)
		if s, ok := open[n]; ok && canClose && s < a {
			inner := t[s+n : a]
			if strings.IndexFunc(inner, wordy) >= 0 {
				m.emphasisFinding(c, s, a, n)
				delete(open, n)
				continue
			}
		}
		if canOpen {
			open[n] = a
		}
	}
}

func (m *markupScan) emphasisFinding(c byte, s, a, n int) {
	t := m.b.Text
	whole := t[s : a+n]
	what := "asterisks"
	if c == '_' {
		what = "underscores"
	}
	switch {
	case c == '*' && n == 2:
		inner := t[s+2 : a]
		trimmed := strings.TrimSpace(inner)
		lead := strings.Index(inner, trimmed)
		// Drop the spaces inside; keep one outside where a word would
		// otherwise touch the asterisks ("a** b**" → "a **b**").
		open, closing := "**", "**"
		if s > 0 && wordy(lastRune(t[:s])) {
			open = " **"
		}
		if a+2 < len(t) && wordy(firstRune(t[a+2:])) {
			closing = "** "
		}
		edits := []markupEdit{{s, s + 2 + lead, open}, {s + 2 + lead + len(trimmed), a + 2, closing}}
		m.add(s, a+2, edits, "%q is printed with its asterisks: strong text may not start or end with a space; the fix drops them", whole)
	case n == 1:
		m.add(s, a+1, []markupEdit{{s, s + 1, ""}, {a, a + 1, ""}}, "%q is printed with its %s: the format has no italics (Markdown readers show them); the fix removes them — write **…** for bold", whole, what)
	default:
		m.add(s, a+n, []markupEdit{{s, s + n, "**"}, {a, a + n, "**"}}, "%q is printed with its %s (Markdown readers show bold): the format's bold is %s; the fix writes it", whole, what, "**…**")
	}
}

func wordy(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func lastRune(s string) rune  { r, _ := utf8.DecodeLastRuneInString(s); return r }
func firstRune(s string) rune { r, _ := utf8.DecodeRuneInString(s); return r }
