package textimport

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// decode returns src as UTF-8: UTF-16 with a byte order mark (what Word's
// "Unicode text" and Windows' Notepad save) is converted, anything else is
// returned as it is.
func decode(src []byte) ([]byte, error) {
	var big bool
	switch {
	case len(src) >= 2 && src[0] == 0xFF && src[1] == 0xFE:
	case len(src) >= 2 && src[0] == 0xFE && src[1] == 0xFF:
		big = true
	default:
		return src, nil
	}
	b := src[2:]
	if len(b)%2 != 0 {
		return nil, errors.New("UTF-16 text with an odd number of bytes: the file is cut short")
	}
	u := make([]uint16, len(b)/2)
	for i := range u {
		if big {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	out := make([]byte, 0, len(b))
	for _, r := range utf16.Decode(u) {
		out = utf8.AppendRune(out, r)
	}
	return out, nil
}

var (
	// A label followed by a no-break, narrow or figure space instead of a
	// space: "1.2.\u00a0Текст", "3)\u00a0мәтін".
	nbspLabelRe = regexp.MustCompile(`^(\d{1,3}(?:\.\d{1,3})*[.)]?)[\x{00A0}\x{202F}\x{2007}]+(\S)`)
	// A label with no space before the text: "1.2.Политика", "2.Общие",
	// "1)мәтін". A one-part number needs a capital after it, so that "2.5"
	// or "3.шт" written as such stay as they are.
	tightClauseRe  = regexp.MustCompile(`^(\d{1,3}(?:\.\d{1,3})+\.)([\p{L}«"])`)
	tightSectionRe = regexp.MustCompile(`^([1-9]\d{0,2}\.)([\p{Lu}«"])`)
	tightItemRe    = regexp.MustCompile(`^(\d{1,3}(?:\.\d{1,3})*\))(\p{L})`)
)

// mendLabel puts a plain space between a clause, section or item number
// and its text where the source has a no-break space or none, so that the
// line starts its block instead of being joined to the one before. It
// returns t unchanged and why == "" when there is nothing to mend.
func mendLabel(t string) (mended, why string) {
	if m := nbspLabelRe.FindStringSubmatchIndex(t); m != nil {
		return t[:m[3]] + " " + t[m[4]:], "a no-break space after the number " + t[:m[3]] + ", replaced by a space so that the line starts its own block"
	}
	for _, re := range []*regexp.Regexp{tightClauseRe, tightSectionRe, tightItemRe} {
		if m := re.FindStringSubmatchIndex(t); m != nil {
			return t[:m[3]] + " " + t[m[4]:], "no space after the number " + t[:m[3]] + ": one inserted so that the line starts its own block"
		}
	}
	return t, ""
}

var digitsRe = regexp.MustCompile(`\d+`)

// pageNumbers decides which bare numbers on a line of their own ("7",
// "- 7 -", "7 / 8") are page numbers, and turns the others back into body
// text, with a note. A number is a page number when it stands apart (a
// blank line on one side at least) and either belongs to a run of such
// numbers counting up by one — the pages — or stands between two sentences.
// A number inside a sentence ("составляет\n5\nлет") is text.
func pageNumbers(ls []line) []Dropped {
	var cand []int
	for i := range ls {
		if ls[i].kind != pageNumber {
			continue
		}
		before := i == 0 || ls[i-1].kind == blank
		after := i+1 == len(ls) || ls[i+1].kind == blank
		if before || after {
			cand = append(cand, i)
		} else {
			ls[i].kind = body
		}
	}
	value := func(i int) int {
		v, _ := strconv.Atoi(digitsRe.FindString(ls[i].text))
		return v
	}
	var notes []Dropped
	for k, i := range cand {
		v := value(i)
		chain := (k > 0 && value(cand[k-1]) == v-1) || (k+1 < len(cand) && value(cand[k+1]) == v+1)
		// The last line of the text, standing apart, is the last page's
		// number, even when it is the only page.
		last := neighbour(ls, i, 1) < 0
		if chain || last || betweenSentences(ls, i) {
			continue
		}
		ls[i].kind = body
		notes = append(notes, Dropped{ls[i].n, ls[i].text, "a number alone on a line kept as text: it stands inside a sentence and is not one of a run of page numbers"})
	}
	return notes
}

// betweenSentences reports whether the text before line i ends a sentence
// (or there is none) and the text after it starts one (or there is none).
func betweenSentences(ls []line, i int) bool {
	prev, next := neighbour(ls, i, -1), neighbour(ls, i, 1)
	if prev >= 0 && !endsSentence(ls[prev].text) {
		return false
	}
	if next < 0 {
		return true
	}
	t := ls[next].text
	if ls[next].kind != body {
		return true // a block, a header, another number
	}
	r, _ := utf8.DecodeRuneInString(t)
	return !unicode.IsLower(r)
}

// neighbour returns the index of the nearest line before (step -1) or
// after (step 1) i that is not blank and not a bare number, or -1.
func neighbour(ls []line, i, step int) int {
	for j := i + step; j >= 0 && j < len(ls); j += step {
		if ls[j].kind != blank && ls[j].kind != pageNumber {
			return j
		}
	}
	return -1
}

// linkTargets decides which lines that are nothing but a URL are a PDF's
// link targets: those that stand apart from the text (after a blank line or
// another target) right after a finished sentence (. ; ! ?). A URL after
// "адресу:" or inside a sentence, or one ending in punctuation, is text.
func linkTargets(ls []line) {
	for i := range ls {
		if ls[i].kind != link {
			continue
		}
		detached := i > 0 && (ls[i-1].kind == blank || ls[i-1].kind == link)
		t := ls[i].text
		if !detached || strings.ContainsAny(t[len(t)-1:], ".,;:") || !afterSentence(ls, i) {
			ls[i].kind = body
		}
	}
}

// afterSentence reports whether the nearest text line before i, past blank
// lines and other link targets, ends with . ; ! or ?.
func afterSentence(ls []line, i int) bool {
	for j := i - 1; j >= 0; j-- {
		switch ls[j].kind {
		case blank, link:
			continue
		}
		return endsWithAny(ls[j].text, ".;!?")
	}
	return false
}
