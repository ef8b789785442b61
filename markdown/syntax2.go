package markdown

import (
	"bytes"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/saiasat/saiasat"
)

// Line syntax of the blocks of source format v2 (docs/format.md): letter
// items, bullets of any glyph, footnotes, fenced containers, pipe tables and
// chapter headings.

// The alphabets of letter items, in order: a letter item's Number is its
// ordinal here, so that kk "ә)" and ru "б)" (both the second) align.
var (
	kazakhLetters  = []rune("аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя")
	russianLetters = []rune("абвгдежзиклмнопрстуфхцчшщэюя")
	latinLetters   = []rune("abcdefghijklmnopqrstuvwxyz")
)

// LetterOrdinal returns the ordinal of letter r in the alphabet of lang's
// letter items: Latin letters in the Latin alphabet, Cyrillic ones in the
// Russian alphabet for ru (which skips ё й ъ ы ь) and the Kazakh one
// otherwise; 0 when r is not a letter of item labels.
func LetterOrdinal(r rune, lang saiasat.Lang) int {
	if i := indexRune(latinLetters, r); i > 0 {
		return i
	}
	if lang == "ru" {
		if i := indexRune(russianLetters, r); i > 0 {
			return i
		}
	}
	return indexRune(kazakhLetters, r)
}

func indexRune(rs []rune, r rune) int {
	for i, x := range rs {
		if x == r {
			return i + 1
		}
	}
	return 0
}

// LetterItemLabel returns the length of the letter item label that starts
// b — "а)", "ә)", "a)", one lower-case letter of an item alphabet, then ")"
// and a space or the line end — and its letter; 0 when there is none.
func LetterItemLabel(b []byte) (int, rune) {
	r, size := utf8.DecodeRune(b)
	if size == 0 || LetterOrdinal(r, "kk") == 0 {
		return 0, 0
	}
	if size >= len(b) || b[size] != ')' || !isSpaceOrEOL(b[size+1:]) {
		return 0, 0
	}
	return size + 1, r
}

// ListItemLabel returns the length of "1. " style labels, a one-part number
// and a dot followed by a space: the numbered list inside a clause of the
// sections scheme (and a flat clause's label).
func ListItemLabel(b []byte) int {
	n, parts := scanNumber(b)
	if n == 0 || parts != 1 || n >= len(b) || b[n] != '.' || !isSpaceOrEOL(b[n+1:]) {
		return 0
	}
	return n + 1
}

// FlatClauseLabel returns the length of a clause label of the flat scheme:
// "12." (one part, with its dot) or any label ClauseLabel accepts.
func FlatClauseLabel(b []byte) int {
	if n := ListItemLabel(b); n > 0 {
		return n
	}
	return ClauseLabel(b)
}

// bulletGlyphs are the glyphs that start a bullet line.
var bulletGlyphs = []string{"-", "•", "▪", "–", "—", "●", "◦", "·"}

// BulletGlyph returns the length in bytes of the bullet glyph that starts b
// when a space or the line end follows it, else 0.
func BulletGlyph(b []byte) int {
	for _, g := range bulletGlyphs {
		if bytes.HasPrefix(b, []byte(g)) && isSpaceOrEOL(b[len(g):]) {
			return len(g)
		}
	}
	return 0
}

// FootnoteLabel returns the length of the footnote mark that starts b — a
// run of superscript digits or one to three asterisks — followed by a
// space and text, else 0.
func FootnoteLabel(b []byte) int {
	n := 0
	if len(b) > 0 && b[0] == '*' {
		for n < len(b) && b[n] == '*' {
			n++
		}
		if n > 3 {
			return 0
		}
	} else {
		for n < len(b) {
			r, size := utf8.DecodeRune(b[n:])
			if !isSuperDigit(r) {
				break
			}
			n += size
		}
	}
	if n == 0 || n >= len(b) || (b[n] != ' ' && b[n] != '\t') {
		return 0
	}
	// A mark with nothing after it is text: canonical form drops the
	// space, and a footnote must not turn into a paragraph by fmt.
	if len(bytes.TrimSpace(b[n:])) == 0 {
		return 0
	}
	return n
}

func isSuperDigit(r rune) bool {
	return r == '¹' || r == '²' || r == '³' || r == '⁰' || (r >= '⁴' && r <= '⁹')
}

// Fence returns the name of a container fence line ("::: approval" gives
// "approval", a closing ":::" gives "") and whether b is a fence at all.
func Fence(b []byte) (name string, ok bool) {
	t := bytes.TrimSpace(b)
	if !bytes.HasPrefix(t, []byte(":::")) {
		return "", false
	}
	rest := bytes.TrimLeft(t[3:], ":")
	return string(bytes.TrimSpace(rest)), true
}

// The container names of the format.
const (
	FenceApproval  = "approval"
	FenceSignature = "signature"
)

var delimCellRe = regexp.MustCompile(`^\s*:?-+:?\s*$`)

// IsTableRow reports whether b, without its indentation, is a row of a
// pipe table: it starts with "|".
func IsTableRow(b []byte) bool {
	t := bytes.TrimLeft(b, " \t")
	return len(t) > 0 && t[0] == '|'
}

// IsTableDelimiter reports whether b is a table's delimiter row:
// "|---|:--:|".
func IsTableDelimiter(b []byte) bool {
	if !IsTableRow(b) {
		return false
	}
	cells := TableCells(string(b))
	if len(cells) == 0 {
		return false
	}
	for _, c := range cells {
		if !delimCellRe.MatchString(c) {
			return false
		}
	}
	return true
}

// TableCells splits one row of a pipe table into its cells, trimmed; "\|"
// is a pipe inside a cell and stays as written.
func TableCells(row string) []string {
	t := strings.TrimSpace(row)
	t = strings.TrimPrefix(t, "|")
	if strings.HasSuffix(t, "|") && !strings.HasSuffix(t, `\|`) {
		t = t[:len(t)-1]
	}
	var cells []string
	start := 0
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case '\\':
			i++
		case '|':
			cells = append(cells, strings.TrimSpace(t[start:i]))
			start = i + 1
		}
	}
	return append(cells, strings.TrimSpace(t[start:]))
}

// chapterRe matches a chapter label at the start of a "## " heading's text:
// "Глава 1", "Раздел II", "Бөлім 3", "1-тарау", "2-бөлім", or a Roman
// numeral with its dot "IV.", then an optional dot.
var chapterRe = regexp.MustCompile(`^(?i:(?:(глава|раздел|бөлім)\s+([1-9][0-9]{0,2}|[IVXLC]+))|(?:([1-9][0-9]{0,2})\s*-\s*(тарау|бөлім))|(?-i:([IVXLC]+)\.))(\.?)(?:\s+|$)`)

// ChapterLabel parses the text of a "## " heading as a chapter: its label
// as written ("Глава 1.", "II."), its number (Roman converted) and its
// title; ok is false when the heading is not a chapter.
func ChapterLabel(heading string) (label string, num int, title string, ok bool) {
	m := chapterRe.FindStringSubmatchIndex(heading)
	if m == nil {
		return "", 0, "", false
	}
	group := func(i int) string {
		if m[2*i] < 0 {
			return ""
		}
		return heading[m[2*i]:m[2*i+1]]
	}
	var digits string
	switch {
	case group(2) != "":
		digits = group(2)
	case group(3) != "":
		digits = group(3)
	default:
		digits = group(5)
	}
	num, err := strconv.Atoi(digits)
	if err != nil {
		num = roman(digits)
	}
	if num <= 0 {
		return "", 0, "", false
	}
	label = strings.TrimSpace(heading[:m[1]])
	return label, num, strings.TrimSpace(heading[m[1]:]), true
}

// roman converts a Roman numeral to its value, 0 when it is not a
// well-formed one (under 400, which no chapter reaches).
func roman(s string) int {
	vals := map[byte]int{'I': 1, 'V': 5, 'X': 10, 'L': 50, 'C': 100}
	total := 0
	for i := 0; i < len(s); i++ {
		v := vals[s[i]]
		if v == 0 {
			return 0
		}
		if i+1 < len(s) && vals[s[i+1]] > v {
			total -= v
		} else {
			total += v
		}
	}
	if total <= 0 || total >= 400 || toRoman(total) != s {
		return 0
	}
	return total
}

func toRoman(n int) string {
	syms := []struct {
		v int
		s string
	}{{100, "C"}, {90, "XC"}, {50, "L"}, {40, "XL"}, {10, "X"}, {9, "IX"}, {5, "V"}, {4, "IV"}, {1, "I"}}
	var b strings.Builder
	for _, x := range syms {
		for n >= x.v {
			b.WriteString(x.s)
			n -= x.v
		}
	}
	return b.String()
}

// LetterAt returns the letter of ordinal n in the alphabet LetterOrdinal
// uses for lang (the Latin one when latin is set), or "" out of range.
func LetterAt(n int, lang saiasat.Lang, latin bool) string {
	abc := kazakhLetters
	switch {
	case latin:
		abc = latinLetters
	case lang == "ru":
		abc = russianLetters
	}
	if n < 1 || n > len(abc) {
		return ""
	}
	return string(abc[n-1])
}
