// Package textimport turns a policy's text as extracted from a PDF or a word
// processor into the source format (v2, docs/format.md): it recognises the
// approval stamp, the title, the city-and-year line, chapters, sections,
// clauses in the sections and flat schemes, letter and nested items,
// bullets of any glyph, paragraphs, tables laid out with spaces, signature
// blocks and footnotes; it joins wrapped lines, and removes page furniture
// (headers, page numbers, link targets) by their patterns and by repetition
// — never by the strings of one document — reporting every line it drops
// and every reading a person should confirm. The letters of the text are
// kept as published; anomalies are for check to report.
package textimport

import (
	"bytes"
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/canon"
	"github.com/saiasat/saiasat/markdown"
)

// Meta is what the page furniture says about the document, proposed for
// policy.yaml. Zero values were not found.
type Meta struct {
	Organization string
	Title        string
	Edition      int
	Effective    time.Time
	Pages        int
	// ApprovalNumber and ApprovalDate are the approval decision's number
	// ("7", "12-П") and date, read from the approval stamp.
	ApprovalNumber string
	ApprovalDate   time.Time
	// Numbering is the scheme the text was read with (Options.Numbering,
	// or the one its numbers follow); Kind the kind of document its title
	// names ("" without a title).
	Numbering saiasat.Numbering
	Kind      saiasat.DocKind
}

// Dropped is an input line the import removed, and why.
type Dropped struct {
	Line int
	Text string
	Why  string
}

// Result is an imported text.
type Result struct {
	// Text is the source text in canonical form.
	Text    []byte
	Meta    Meta
	Dropped []Dropped
	// Notes are decisions a reader should confirm: lines joined that could
	// have been read otherwise.
	Notes []Dropped
}

// Patterns of page furniture in Kazakh, Russian and English.
var (
	pageCountRe = regexp.MustCompile(`(?i)^(?:\d+\s+беттің\s+\d+-беті|страница\s+\d+\s+из\s+\d+|стр\.\s*\d+\s+из\s+\d+|page\s+\d+\s+of\s+\d+)$`)
	// A bare number ("7", "- 7 -", "7 / 8") is a page number only standing
	// apart from the text: "24/7" or "30" can end a wrapped line.
	pageNumberRe = regexp.MustCompile(`^(?:\d{1,3}\s*/\s*\d{1,3}|[-–—]?\s*\d{1,3}\s*[-–—]?)$`)
	pagesRe      = regexp.MustCompile(`(?i)(\d+)\s+беттің|из\s+(\d+)|of\s+(\d+)|/\s*(\d+)$`)
	linkRe       = regexp.MustCompile(`(?i)^(?:https?://|www\.)\S+$`)
	editionRe    = regexp.MustCompile(`(?i)^(.*?)\s*(?:Басылым|Редакция|Edition)\s*:\s*(\d+)\s*(.*)$`)
	effectiveRe  = regexp.MustCompile(`(?i)(?:Қолданысқа\s+енгізілді|Введена\s+в\s+действие|Effective)\s*:`)
	dateRe       = regexp.MustCompile(`^(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s*(?:жылы|ж\.|г\.|года))?$`)
	sectionRe    = regexp.MustCompile(`^[1-9]\d{0,2}\.\s+\S`)
)

// maxMarkerGap is how many lines may separate two pieces of one page header
// (a title wrapped over a few lines sits between the date and the page
// number).
const maxMarkerGap = 6

type kind int

const (
	body kind = iota
	blank
	structural
	pageCount
	pageNumber
	headerKey
	date
	repeated
	link
)

type line struct {
	n    int // 1-based input line
	text string
	kind kind
	// raw is the line as extracted, right-trimmed: its columns lay out a
	// table; indent is its indentation in runes, which nests list items.
	raw    string
	indent int
	// brk: page furniture was dropped right before this line (a page
	// break), so a blank line before it says nothing of paragraphs.
	brk bool
}

// Import converts src, UTF-8 or UTF-16 with a byte order mark, reading its
// numbering scheme from the text. It fails only on text in another
// encoding.
func Import(src []byte) (*Result, error) { return ImportWith(src, Options{}) }

// ImportWith is Import with options.
func ImportWith(src []byte, opt Options) (*Result, error) {
	src, err := decode(src)
	if err != nil {
		return nil, err
	}
	v := canon.View(src)
	v = bytes.ReplaceAll(v, []byte("\f"), []byte("\n"))
	if !utf8Valid(v) {
		return nil, fmt.Errorf("not UTF-8: convert the text to UTF-8 first")
	}
	if i := bytes.IndexByte(v, 0); i >= 0 {
		return nil, fmt.Errorf("binary file (NUL byte at offset %d), not a text", i)
	}
	res := &Result{}
	var ls []line
	counts := make(map[string]int)
	for i, raw := range strings.Split(string(v), "\n") {
		t := strings.TrimFunc(raw, unicode.IsSpace)
		if m, why := mendLabel(t); why != "" {
			res.Notes = append(res.Notes, Dropped{i + 1, t, why})
			t = m
		}
		r := strings.TrimRightFunc(raw, unicode.IsSpace)
		ls = append(ls, line{n: i + 1, text: t, raw: r, indent: len([]rune(r)) - len([]rune(strings.TrimLeftFunc(r, unicode.IsSpace)))})
		if t != "" {
			counts[t]++
		}
	}
	for i := range ls {
		ls[i].kind = classify(ls[i].text)
	}
	res.Notes = append(res.Notes, pageNumbers(ls)...)
	markRepeated(ls, counts)
	linkTargets(ls)

	drop := make([]bool, len(ls))
	// Link targets: a line that is nothing but a URL is where a PDF put a
	// hyperlink's target, not text. A page number standing apart goes too,
	// on its own: it never pulls neighbouring lines into a header.
	for i, l := range ls {
		switch l.kind {
		case link:
			drop[i] = true
			res.Dropped = append(res.Dropped, Dropped{l.n, l.text, "link target"})
		case pageNumber:
			drop[i] = true
			res.Dropped = append(res.Dropped, Dropped{l.n, l.text, "page number"})
		}
	}
	// Page headers: markers close together, with no clause between them,
	// form a block if one of them is a page number or an edition line.
	var group []int
	flush := func() {
		defer func() { group = group[:0] }()
		anchor := false
		for _, i := range group {
			anchor = anchor || ls[i].kind == pageCount || ls[i].kind == headerKey
		}
		if !anchor {
			return
		}
		first, last := group[0], group[len(group)-1]
		res.meta(ls[first : last+1])
		for i := first; i <= last; i++ {
			if !drop[i] {
				drop[i] = true
				if ls[i].kind != blank {
					why := "page header"
					if ls[i].kind == pageCount {
						why = "page number"
					}
					res.Dropped = append(res.Dropped, Dropped{ls[i].n, ls[i].text, why})
				}
			}
		}
	}
	for i, l := range ls {
		switch l.kind {
		case pageCount, headerKey, date, repeated:
		default:
			if l.kind == structural && len(group) > 0 {
				flush()
			}
			continue
		}
		// A page has one page number: a second one starts another header,
		// so that the text between two short pages is not taken for one.
		twoCounts := l.kind == pageCount && slices.ContainsFunc(group, func(j int) bool { return ls[j].kind == pageCount })
		if len(group) > 0 && (i-group[len(group)-1] > maxMarkerGap || twoCounts) {
			flush()
		}
		group = append(group, i)
	}
	if len(group) > 0 {
		flush()
	}

	numbering := opt.Numbering
	if numbering == "" {
		numbering = detectNumbering(ls)
	}
	res.Meta.Numbering = numbering
	out, notes, approval := assemble(ls, drop, numbering)
	res.meta2(out, approval)
	res.Notes = append(res.Notes, notes...)
	slices.SortStableFunc(res.Notes, func(a, b Dropped) int { return cmp.Compare(a.Line, b.Line) })
	text, err := canon.Format([]byte(strings.Join(out, "\n") + "\n"))
	if err != nil {
		return nil, err
	}
	res.Text = text
	return res, nil
}

// join appends a wrapped line: a line ending in a hyphen right after a
// letter joins without a space and keeps the hyphen ("интернет-" +
// "ресурсының"); any other joins with one space.
func join(prev, next string) string {
	if hyphenJoin(prev) {
		return prev + next
	}
	return prev + " " + next
}

func hyphenJoin(prev string) bool {
	// The last two runes only: prev may be a long clause being joined.
	if !strings.HasSuffix(prev, "-") {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(prev[:len(prev)-1])
	return unicode.IsLetter(r)
}

// inList reports whether next starts an item or bullet right after another
// one: list items often end with no punctuation at all.
func inList(prev, next string) bool {
	item := func(t string) bool { return isItem(t) || isBullet(t) }
	return item(strings.TrimSpace(prev)) && item(next)
}

// endsSentence reports whether a line ends where a list item or a clause
// may begin after it: with . ; : ! ? or a closing bracket or quote.
func endsSentence(s string) bool {
	t := strings.TrimSpace(s)
	if t == "" {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(t)
	return strings.ContainsRune(".;:!?)»\"", r)
}

func classify(t string) kind {
	switch {
	case t == "":
		return blank
	case linkRe.MatchString(t):
		return link
	case pageCountRe.MatchString(t):
		return pageCount
	case pageNumberRe.MatchString(t):
		// Before the structural patterns: "- 3 -" is a page number, not a
		// bullet, if it stands apart (see Import).
		return pageNumber
	case markdown.StartsBlock([]byte(t)) || (sectionRe.MatchString(t) && !dateRe.MatchString(t)):
		return structural
	case editionRe.MatchString(t) || effectiveRe.MatchString(t):
		return headerKey
	case dateRe.MatchString(t):
		return date
	}
	return body
}

// markRepeated marks the body lines that repeat as page headers do: every
// occurrence within a few lines of a page number, edition line or date. A
// sentence that merely recurs in the text is left alone.
func markRepeated(ls []line, counts map[string]int) {
	const near = 3
	nearMarker := func(i int) bool {
		for _, step := range []int{-1, 1} {
			seen := 0
			for j := i + step; j >= 0 && j < len(ls) && seen < near; j += step {
				switch ls[j].kind {
				case blank:
					continue
				case pageCount, headerKey, date:
					return true
				}
				seen++
			}
		}
		return false
	}
	ok := make(map[string]bool)
	for i, l := range ls {
		// A header line has several words; a single word recurs in any text.
		if l.kind != body || counts[l.text] < 2 || !strings.Contains(l.text, " ") {
			continue
		}
		v, seen := ok[l.text]
		if !seen {
			v = true
		}
		ok[l.text] = v && nearMarker(i)
	}
	for i, l := range ls {
		if l.kind == body && ok[l.text] {
			ls[i].kind = repeated
		}
	}
}

// meta reads the first page header found.
func (r *Result) meta(block []line) {
	if r.Meta.Edition != 0 || r.Meta.Title != "" || r.Meta.Pages != 0 || !r.Meta.Effective.IsZero() {
		return
	}
	var title []string
	for i, l := range block {
		switch l.kind {
		case headerKey:
			if m := editionRe.FindStringSubmatch(l.text); m != nil {
				fmt.Sscan(m[2], &r.Meta.Edition)
				r.Meta.Organization = strings.TrimSpace(m[1])
			}
			if effectiveRe.MatchString(l.text) {
				rest := strings.TrimSpace(effectiveRe.ReplaceAllString(l.text, ""))
				if d, ok := parseDate(rest); ok {
					r.Meta.Effective = d
				} else if i+1 < len(block) {
					for _, next := range block[i+1:] {
						if next.kind == blank {
							continue
						}
						if d, ok := parseDate(next.text); ok {
							r.Meta.Effective = d
						}
						break
					}
				}
			}
		case pageCount:
			if m := pagesRe.FindStringSubmatch(l.text); m != nil {
				for _, g := range m[1:] {
					if g != "" {
						fmt.Sscan(g, &r.Meta.Pages)
					}
				}
			}
		case body, repeated:
			title = append(title, l.text)
		}
	}
	if len(title) > 0 {
		t := title[0]
		for _, next := range title[1:] {
			t = join(t, next)
		}
		r.Meta.Title = t
	}
}

func parseDate(s string) (time.Time, bool) {
	m := dateRe.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return time.Time{}, false
	}
	t, err := time.Parse("2.1.2006", m[1]+"."+m[2]+"."+m[3])
	return t, err == nil
}

func utf8Valid(b []byte) bool { return strings.ToValidUTF8(string(b), "\uFFFD") == string(b) }

// Findings returns the dropped lines as import/dropped findings of file.
func (r *Result) Findings(file string) []saiasat.Finding {
	var fs []saiasat.Finding
	for _, d := range r.Dropped {
		fs = append(fs, saiasat.Finding{Pos: saiasat.Pos{File: file, Line: d.Line, Col: 1}, Severity: saiasat.Warning, Rule: "import/dropped",
			Message: fmt.Sprintf("dropped %s %q", d.Why, d.Text)})
	}
	for _, d := range r.Notes {
		fs = append(fs, saiasat.Finding{Pos: saiasat.Pos{File: file, Line: d.Line, Col: 1}, Severity: saiasat.Warning, Rule: "import/joined",
			Message: fmt.Sprintf("%s: %q", d.Why, d.Text)})
	}
	return fs
}
