package fidelity_test

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/net/html"
)

// The format's markup, read a second time, apart from markdown.Spans: this
// file is the test's own statement of docs/format.md, written with
// regular expressions where Spans scans bytes.
var (
	headingRe = regexp.MustCompile(`^ {0,3}(#{1,6})(?:[ \t]+|$)(.*)$`)
	closingRe = regexp.MustCompile(`(?:^|[ \t]+)#+[ \t]*$`)
	clauseRe  = regexp.MustCompile(`^[ \t]*([1-9][0-9]{0,2}(?:\.[1-9][0-9]{0,2})*\.?)(?:[ \t]+|$)(.*)$`)
	itemRe    = regexp.MustCompile(`^[ \t]*([1-9][0-9]{0,2}(?:\.[1-9][0-9]{0,2})*\)|[а-яәғқңөұүһіё]\)|[a-z]\))(?:[ \t]+|$)(.*)$`)
	// A bullet: one of the format's glyphs, then a space or the line's end.
	bulletRe = regexp.MustCompile(`^[ \t]*(-|•|▪|–|—|●|◦|·)(?:[ \t]+|$)(.*)$`)
	// A footnote: a line, not indented, that starts with a mark — digits
	// in superscript or one to three asterisks — and a space.
	footnoteRe = regexp.MustCompile(`^([¹²³⁴⁵⁶⁷⁸⁹⁰]+|\*{1,3})[ \t]+(.*)$`)
	fenceRe    = regexp.MustCompile(`^:::[ \t]*(approval|signature)?[ \t]*$`)
	// A clause or section link: text without brackets or line ends, "#"
	// and a number of one to four parts of 1–3 digits, no leading zero.
	linkRe  = regexp.MustCompile(`\[([^\[\]\n]+)\]\(#[1-9][0-9]{0,2}(?:\.[1-9][0-9]{0,2}){0,3}\)`)
	starsRe = regexp.MustCompile(`\*+`)
)

// expectedWords returns the words a reader must get from a canonical
// Markdown text (docs/format.md, source format v2): headings and title
// lines as written without their "#" marks; clause, item and footnote
// labels as written; a bullet's glyph as written, "-" printed as "–"; the
// lines of an approval stamp or signature block as written, their fences
// left out; a pipe table's cells, its delimiter row left out; footnotes
// last; the rest with "**" pairs and link syntax removed, each block read
// apart. Words are split at white space.
func expectedWords(md string) []string {
	var words, notes []string
	var block []string
	inNote := false
	flush := func() {
		if block != nil {
			ws := strings.Fields(readInline(strings.Join(block, "\n")))
			if inNote {
				notes = append(notes, ws...)
			} else {
				words = append(words, ws...)
			}
			block = nil
		}
		inNote = false
	}
	lines := strings.Split(md, "\n")
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if strings.TrimSpace(line) == "" {
			flush()
			continue
		}
		if m := fenceRe.FindStringSubmatch(line); m != nil && m[1] != "" {
			// A container: its lines as written, up to the closing fence.
			flush()
			for i++; i < len(lines) && !fenceRe.MatchString(lines[i]); i++ {
				words = append(words, strings.Fields(lines[i])...)
			}
			continue
		}
		if isTableStart(lines, i) {
			flush()
			for ; i < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i]), "|"); i++ {
				if cells := splitCells(lines[i]); !isDelimiter(cells) {
					for _, c := range cells {
						words = append(words, strings.Fields(readInline(c))...)
					}
				}
			}
			i--
			continue
		}
		if m := headingRe.FindStringSubmatch(line); m != nil {
			flush()
			words = append(words, strings.Fields(closingRe.ReplaceAllString(m[2], ""))...)
			continue
		}
		if m := footnoteRe.FindStringSubmatch(line); m != nil {
			flush()
			notes = append(notes, m[1])
			block, inNote = []string{m[2]}, true
			continue
		}
		for _, re := range []*regexp.Regexp{clauseRe, itemRe, bulletRe} {
			if m := re.FindStringSubmatch(line); m != nil {
				flush()
				if m[1] == "-" {
					m[1] = "–"
				}
				words = append(words, m[1])
				block = []string{m[2]}
				line = ""
				break
			}
		}
		if line != "" {
			block = append(block, line)
		}
	}
	flush()
	return append(words, notes...)
}

// isTableStart reports whether lines[i] opens a pipe table: it and the
// next line start with "|", and the next is a delimiter row.
func isTableStart(lines []string, i int) bool {
	return i+1 < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i]), "|") &&
		strings.HasPrefix(strings.TrimSpace(lines[i+1]), "|") && isDelimiter(splitCells(lines[i+1]))
}

// splitCells cuts a table row at its pipes ("\|" is a character of a cell).
func splitCells(line string) []string {
	l := strings.TrimSpace(line)
	l = strings.TrimPrefix(l, "|")
	if strings.HasSuffix(l, "|") && !strings.HasSuffix(l, `\|`) {
		l = l[:len(l)-1]
	}
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(l); i++ {
		switch {
		case l[i] == '\\' && i+1 < len(l):
			cur.WriteByte(l[i])
			cur.WriteByte(l[i+1])
			i++
		case l[i] == '|':
			cells = append(cells, cur.String())
			cur.Reset()
		default:
			cur.WriteByte(l[i])
		}
	}
	return append(cells, cur.String())
}

func isDelimiter(cells []string) bool {
	for _, c := range cells {
		c = strings.TrimSpace(c)
		if c == "" || strings.Trim(c, ":-") != "" || !strings.Contains(c, "-") {
			return false
		}
	}
	return len(cells) > 0
}

// readInline removes the markup of one block's text: a link keeps its
// text; a strong run loses its "**" — runs of exactly two asterisks
// outside links, one opening when a non-space follows it and closing the
// open one when a non-space precedes it.
func readInline(t string) string {
	links := linkRe.FindAllStringSubmatchIndex(t, -1)
	inLink := func(i int) bool {
		for _, l := range links {
			if i >= l[0] && i < l[1] {
				return true
			}
		}
		return false
	}
	drop := make([]bool, len(t))
	open := -1
	for _, r := range starsRe.FindAllStringIndex(t, -1) {
		if r[1]-r[0] != 2 || inLink(r[0]) {
			continue
		}
		spaceAt := func(i int) bool { return i < 0 || i >= len(t) || strings.ContainsRune(" \t\n\r", rune(t[i])) }
		if open >= 0 && !spaceAt(r[0]-1) {
			drop[open], drop[open+1], drop[r[0]], drop[r[0]+1] = true, true, true, true
			open = -1
		} else if !spaceAt(r[1]) {
			open = r[0]
		}
	}
	for _, l := range links {
		// "[" and "](#…)" go; the text stays.
		drop[l[0]] = true
		for i := l[3]; i < l[1]; i++ {
			drop[i] = true
		}
	}
	var b strings.Builder
	for i := 0; i < len(t); i++ {
		if !drop[i] {
			b.WriteByte(t[i])
		}
	}
	return b.String()
}

// pageWords returns the words of a policy page's text as a browser shows
// it, parsed by an HTML5 parser (golang.org/x/net/html: tags gone,
// entities resolved): the text's element in <main> (div.text), without the
// links to the same clause in the other language (a.other-lang), which are
// the page's, not the text's. A block element's edges separate words;
// inline elements (strong, a, span) do not.
func pageWords(page []byte) ([]string, error) {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return nil, err
	}
	main := find(doc, func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == "main" })
	if main == nil {
		return nil, fmt.Errorf("no <main> on the page")
	}
	text := find(main, func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == "div" && hasClass(n, "text") })
	if text == nil {
		return nil, fmt.Errorf("no text (div.text) in <main>")
	}
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && hasClass(n, "other-lang"):
			return
		case n.Type == html.ElementNode && blockElements[n.Data]:
			b.WriteByte(' ')
			defer b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(text)
	return strings.Fields(b.String()), nil
}

var blockElements = map[string]bool{"p": true, "div": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"li": true, "ul": true, "ol": true, "br": true, "section": true, "article": true, "table": true, "tr": true, "td": true, "th": true, "nav": true}

// find returns the first node under n, n included, for which ok is true.
func find(n *html.Node, ok func(*html.Node) bool) *html.Node {
	if ok(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, ok); f != nil {
			return f
		}
	}
	return nil
}

func hasClass(n *html.Node, class string) bool {
	for _, a := range n.Attr {
		if a.Key == "class" && slices.Contains(strings.Fields(a.Val), class) {
			return true
		}
	}
	return false
}

// inOrder checks that got holds want's words in order, allowing between
// them only words for which chrome is true (a PDF's page headers and
// footers); it names the first word out of place.
func inOrder(want, got []string, chrome func(string) bool) error {
	j := 0
	for i, w := range want {
		for j < len(got) && got[j] != w {
			if !chrome(got[j]) {
				return fmt.Errorf("word %d of %d: want %q, the output has %q\n  text:   …%s…\n  output: …%s…", i+1, len(want), w, got[j], around(want, i), around(got, j))
			}
			j++
		}
		if j == len(got) {
			return fmt.Errorf("word %d of %d, %q, and those after it are missing\n  text: …%s…", i+1, len(want), w, around(want, i))
		}
		j++
	}
	for ; j < len(got); j++ {
		if !chrome(got[j]) {
			return fmt.Errorf("the output has %q after the text's last word\n  output: …%s…", got[j], around(got, j))
		}
	}
	return nil
}

func around(ws []string, i int) string {
	return strings.Join(ws[max(0, i-6):min(len(ws), i+6)], " ")
}

func noChrome(string) bool { return false }
