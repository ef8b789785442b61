package textimport

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/markdown"
)

// Line patterns of the blocks of source format v2 (FORMAT-V2.md) as a PDF
// extraction gives them.
var (
	// approvalRe finds the word of an approval stamp: "УТВЕРЖДЕНО",
	// "УТВЕРЖДЕНЫ", "Утверждена", "БЕКІТІЛДІ", "бекітілген".
	approvalRe = regexp.MustCompile(`(?i)(?:^|[^\p{L}])(?:утвержден[оаы]?|бекітілді|бекітілген)(?:$|[^\p{L}])`)
	// cityRe is the city-and-year (or city-and-date) line under a title:
	// "г. Алматы 2024 год", "Алматы қ. 2024 жыл".
	cityRe = regexp.MustCompile(`^(?:г\.\s*\p{Lu}[\p{L}-]+|\p{Lu}[\p{L}-]+\s+қ\.)(?:\s+|$)`)
	// chapterLineRe is a chapter heading: "Глава 1. …", "Раздел I", "Бөлім
	// 2", "1-тарау. …", "2-бөлім", "IV. …".
	chapterLineRe = regexp.MustCompile(`^(?:(?i:глава|раздел|бөлім)\s+(?:[1-9]\d{0,2}|[IVXLC]+)|[1-9]\d{0,2}\s*-\s*(?i:тарау|бөлім)|[IVXLC]+\.)(?:\.?\s+\S|\.?$)`)
	// letterItemRe is a letter item: "а)", "ә)", "a)".
	letterItemRe = regexp.MustCompile(`^[a-zа-яёәғқңөұүһі]\)(?:\s|$)`)
	// untitledSectionRe is a section number standing alone: "3.".
	untitledSectionRe = regexp.MustCompile(`^[1-9]\d{0,2}\.$`)
	// blankRe is a form's blank: "____", "«___»".
	blankRe = regexp.MustCompile(`_{3,}`)
	// stampRe is the seal mark of a signature block: "М.П.", "М.О.".
	stampRe = regexp.MustCompile(`^(?:М\.\s?П\.|М\.\s?О\.)$`)
	// cellGapRe separates the columns of a table laid out with spaces.
	cellGapRe = regexp.MustCompile(`\s{2,}`)
)

// bulletGlyphs start a bullet line when a space follows.
var bulletGlyphs = []string{"-", "•", "▪", "–", "—", "●", "◦", "·"}

func bulletGlyph(t string) string {
	for _, g := range bulletGlyphs {
		if strings.HasPrefix(t, g+" ") {
			return g
		}
	}
	return ""
}

// footnoteMark returns the footnote mark that starts t ("¹", "*", "**")
// when a space follows it, else "".
func footnoteMark(t string) string {
	n := 0
	if strings.HasPrefix(t, "*") {
		for n < len(t) && t[n] == '*' {
			n++
		}
		if n > 3 {
			return ""
		}
	} else {
		for n < len(t) {
			r, size := utf8.DecodeRuneInString(t[n:])
			if !strings.ContainsRune("¹²³⁴⁵⁶⁷⁸⁹⁰", r) {
				break
			}
			n += size
		}
	}
	if n == 0 || n >= len(t) || t[n] != ' ' {
		return ""
	}
	return t[:n]
}

// isItem reports whether t starts an item: "1)", "11.1)", "а)", "a)".
func isItem(t string) bool {
	return markdown.ItemLabel([]byte(t)) > 0 || letterItemRe.MatchString(t)
}

// isBullet reports whether t starts a bullet of any glyph.
func isBullet(t string) bool { return bulletGlyph(t) != "" }

// startsBlock reports whether t opens a block of its own in the
// assembler's eyes: today's blocks, letter items, bullets of any glyph,
// chapters.
func startsBlock(t string) bool {
	return markdown.StartsBlock([]byte(t)) || sectionRe.MatchString(t) || isItem(t) || isBullet(t) || chapterLineRe.MatchString(t)
}

// squeezeSpaces turns runs of white space inside a line into one space: a
// line laid out with spaces ("г. Алматы        2024 год") keeps its words.
func squeezeSpaces(t string) string { return strings.Join(strings.Fields(t), " ") }

// titleLike reports whether the lines of a group can be a title: no block
// starts among them and none ends a sentence.
func titleLike(g []line) bool {
	if len(g) == 0 || len(g) > 5 {
		return false
	}
	for _, l := range g {
		t := l.text
		if startsBlock(t) || endsWithAny(t, ".;:!?") || cityRe.MatchString(t) || blankRe.MatchString(t) || len(cells(l.raw)) > 1 {
			return false
		}
	}
	return true
}

// cells splits a line laid out with spaces into its cells and their start
// columns (in runes): a table row.
func cells(raw string) []cell {
	raw = strings.TrimRightFunc(raw, unicode.IsSpace)
	var out []cell
	rs := []rune(raw)
	for i := 0; i < len(rs); {
		for i < len(rs) && unicode.IsSpace(rs[i]) {
			i++
		}
		if i >= len(rs) {
			break
		}
		start := i
		for i < len(rs) {
			if unicode.IsSpace(rs[i]) && (i+1 >= len(rs) || unicode.IsSpace(rs[i+1])) {
				break
			}
			i++
		}
		out = append(out, cell{col: start, text: strings.TrimSpace(string(rs[start:i]))})
	}
	return out
}

type cell struct {
	col  int
	text string
}

// column returns the index of the column of cols a cell starting at col
// belongs to: the last column starting at or before it (allowing two
// columns of slack), or -1.
func column(cols []int, col int) int {
	k := -1
	for i, c := range cols {
		if col+2 >= c {
			k = i
		}
	}
	return k
}

// pipeTable turns rows laid out with spaces into a GFM pipe table. The
// first line gives the columns; a line whose first column is empty
// continues the row above (a wrapped cell). It returns the number of lines
// used, 0 when lines does not start a table: two lines at least, each of
// two cells or more or continuing the row above.
func pipeTable(ls []line) (out []string, used int, conts []line) {
	if len(ls) < 2 {
		return nil, 0, nil
	}
	head := cells(ls[0].raw)
	if len(head) < 2 || startsBlock(ls[0].text) {
		return nil, 0, nil
	}
	cols := make([]int, len(head))
	for i, c := range head {
		cols[i] = c.col
	}
	rows := [][]string{texts(head)}
	// A table whose header starts in lower case has rows that do too: then
	// only a line with an empty first cell continues a row.
	h, _ := utf8.DecodeRuneInString(head[0].text)
	lowerHead := unicode.IsLower(h)
	for _, l := range ls[1:] {
		if l.kind == blank {
			break
		}
		cs := cells(l.raw)
		if len(cs) == 0 {
			break
		}
		first := column(cols, cs[0].col)
		if first < 0 || cs[0].col < cols[0] {
			break
		}
		// A row's first cell starts in upper case or with a digit; a line
		// whose first cell goes on in lower case continues the row above
		// (its cells wrapped). One cell in the first column that does not
		// is the text after the table.
		r, _ := utf8.DecodeRuneInString(cs[0].text)
		wrapped := first == 0 && unicode.IsLower(r) && !lowerHead
		if first == 0 && len(cs) == 1 && !wrapped {
			break
		}
		if first > 0 || wrapped {
			conts = append(conts, l)
		}
		if first == 0 && !wrapped {
			row := make([]string, len(cols))
			for _, c := range cs {
				if k := column(cols, c.col); k >= 0 {
					row[k] = joinCell(row[k], c.text)
				}
			}
			rows = append(rows, row)
		} else {
			row := rows[len(rows)-1]
			for _, c := range cs {
				if k := column(cols, c.col); k >= 0 {
					row[k] = joinCell(row[k], c.text)
				}
			}
		}
		used++
	}
	if len(rows) < 2 {
		return nil, 0, nil
	}
	for i, r := range rows {
		out = append(out, "| "+strings.Join(r, " | ")+" |")
		if i == 0 {
			out = append(out, "|"+strings.Repeat("---|", len(r)))
		}
	}
	return out, used + 1, conts
}

func texts(cs []cell) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = strings.ReplaceAll(c.text, "|", `\|`)
	}
	return out
}

func joinCell(a, b string) string {
	b = strings.ReplaceAll(b, "|", `\|`)
	if a == "" {
		return b
	}
	return join(a, b)
}

// detectNumbering is the scheme a text's numbers follow when the caller
// does not say: sections when a clause number of two parts or more starts
// a line, flat when at least two lines start "N. " and none does, none
// when no line starts with a number.
func detectNumbering(ls []line) saiasat.Numbering {
	one := 0
	for _, l := range ls {
		if l.kind == blank {
			continue
		}
		if markdown.ClauseLabel([]byte(l.text)) > 0 {
			return saiasat.NumberingSections
		}
		if sectionRe.MatchString(l.text) || untitledSectionRe.MatchString(l.text) {
			one++
		}
	}
	switch {
	case one >= 2:
		return saiasat.NumberingFlat
	case one == 1:
		return saiasat.NumberingSections
	}
	return saiasat.NumberingNone
}
