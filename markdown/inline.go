package markdown

import "strings"

// The inline markup of the format, defined once here and used by every
// renderer (the site's pages, the policy PDF, the redline): a legal text
// is read from many outputs, and each must print the same characters.
//
// Clause, item and bullet text may use exactly two constructions:
//
//	**strong**        "**", text not starting or ending with a space, "**"
//	[text](#3.11.1)   a link to a clause ("#3.11.1") or a section ("#2")
//
// A strong run may hold links; a link's text is literal. Everything else
// is printed as written: underscores (form blanks «___» ____________ 20__),
// single asterisks (footnotes), brackets, backslashes, "&amp;", "<b>",
// backticks. Titles and section headings take no markup at all.

// Span is a run of a text's characters printed the same way. Text is a
// verbatim substring of the input, starting at byte offset Start: the
// markup's delimiters are the only characters that no span holds.
type Span struct {
	Text  string
	Start int
	// Strong is set inside "**…**".
	Strong bool
	// Link is the destination of a clause or section link ("#3.11.1"),
	// or "" outside links.
	Link string
}

// Spans splits text — the text of one clause, item or bullet, lines joined
// by "\n" — into the spans a reader sees, in order. Adjacent characters
// with the same marks are one span, except that two links are never
// merged.
func Spans(text string) []Span {
	links := findLinks(text)
	strong := findStrong(text, links)
	var out []Span
	emit := func(start, end int, isStrong bool, link string) {
		if start >= end {
			return
		}
		if n := len(out); n > 0 && link == "" && out[n-1].Link == "" && out[n-1].Strong == isStrong && out[n-1].Start+len(out[n-1].Text) == start {
			out[n-1].Text = text[out[n-1].Start:end]
			return
		}
		out = append(out, Span{Text: text[start:end], Start: start, Strong: isStrong, Link: link})
	}
	// Walk the text, cutting at every delimiter; d holds delimiters in
	// order of position: strong markers and link parts.
	type delim struct {
		start, end int
		strongOn   int // +1 opens strong, -1 closes it, 0 none
		link       string
		linkOn     bool
	}
	var ds []delim
	for _, p := range strong {
		ds = append(ds, delim{start: p[0], end: p[0] + 2, strongOn: 1}, delim{start: p[1], end: p[1] + 2, strongOn: -1})
	}
	for _, l := range links {
		ds = append(ds, delim{start: l.start, end: l.start + 1, link: l.dest, linkOn: true}, delim{start: l.textEnd, end: l.end, linkOn: false})
	}
	sortDelims := func() {
		for i := 1; i < len(ds); i++ {
			for j := i; j > 0 && ds[j].start < ds[j-1].start; j-- {
				ds[j], ds[j-1] = ds[j-1], ds[j]
			}
		}
	}
	sortDelims()
	pos, isStrong, link := 0, false, ""
	for _, d := range ds {
		emit(pos, d.start, isStrong, link)
		switch {
		case d.strongOn != 0:
			isStrong = d.strongOn > 0
		case d.linkOn:
			link = d.link
		default:
			link = ""
		}
		pos = d.end
	}
	emit(pos, len(text), isStrong, link)
	return out
}

// Plain returns what a reader reads of text: the characters of its spans,
// without the markup's delimiters.
func Plain(text string) string {
	spans := Spans(text)
	if len(spans) == 1 {
		return spans[0].Text
	}
	var b strings.Builder
	for _, s := range spans {
		b.WriteString(s.Text)
	}
	return b.String()
}

// inlineLink is a "[text](#N)" found in a text: it starts at start, its
// text runs to textEnd, and the whole link ends at end.
type inlineLink struct {
	start, textEnd, end int
	dest                string
}

// findLinks returns the clause and section links of text, left to right.
// A link's text is one or more characters without "[", "]" or a line end;
// its destination is "#" and a number of one to four parts, each 1–3
// digits without a leading zero ("#2", "#3.11.1").
func findLinks(text string) []inlineLink {
	var out []inlineLink
	for i := 0; i < len(text); i++ {
		if text[i] != '[' {
			continue
		}
		j := i + 1
		for j < len(text) && text[j] != ']' && text[j] != '[' && text[j] != '\n' {
			j++
		}
		if j == i+1 || j >= len(text) || text[j] != ']' || !strings.HasPrefix(text[j:], "](#") {
			continue
		}
		k := j + 3
		n := anchorLen(text[k:])
		if n == 0 || k+n >= len(text) || text[k+n] != ')' {
			continue
		}
		out = append(out, inlineLink{start: i, textEnd: j, end: k + n + 1, dest: text[j+2 : k+n]})
		i = k + n
	}
	return out
}

// anchorLen returns the length of the section or clause number that starts
// s ("2", "3.11.1"), or 0.
func anchorLen(s string) int {
	n, parts := scanNumber([]byte(s))
	if parts > 4 {
		return 0
	}
	return n
}

// IsAnchor reports whether s is the anchor of a section or clause link:
// "#" and a number of one to four parts ("#2", "#3.11.1").
func IsAnchor(s string) bool {
	rest, ok := strings.CutPrefix(s, "#")
	return ok && rest != "" && anchorLen(rest) == len(rest)
}

// findStrong returns the byte offsets of the opening and closing "**" of
// every strong run of text. A marker is a run of exactly two asterisks
// outside any link; it opens when followed by a character other than a
// space, and closes an open run when preceded by one. Unpaired markers
// are literal.
func findStrong(text string, links []inlineLink) [][2]int {
	var out [][2]int
	open := -1
	li := 0
	for i := 0; i < len(text); i++ {
		for li < len(links) && links[li].end <= i {
			li++
		}
		if li < len(links) && i >= links[li].start {
			i = links[li].end - 1
			continue
		}
		if text[i] != '*' {
			continue
		}
		j := i
		for j < len(text) && text[j] == '*' {
			j++
		}
		if j-i != 2 {
			i = j - 1
			continue
		}
		before := i > 0 && !isSpaceByte(text[i-1])
		after := j < len(text) && !isSpaceByte(text[j])
		switch {
		case open >= 0 && before && i > open+2:
			out = append(out, [2]int{open, i})
			open = -1
		case after:
			open = i
		}
		i = j - 1
	}
	return out
}

// isSpaceByte reports whether c is an ASCII space, tab or line end. A
// no-break space (two bytes in UTF-8) counts as text, as it does in print.
func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }
