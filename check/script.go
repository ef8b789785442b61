package check

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/saiasat/saiasat"
)

// LookAlike is one pair of letters that look alike in Latin and Cyrillic,
// the usual cause of a mixed word: a Latin "i" typed into a Kazakh word, a
// Cyrillic "с" in "cookies", a Latin "ə" from an old Kazakh font.
type LookAlike struct {
	Latin, Cyrillic rune
	// ToCyrillic: the Latin letter in a Cyrillic word is mended to the
	// Cyrillic one, in the languages Langs lists (every language when
	// empty).
	ToCyrillic bool
	Langs      []saiasat.Lang
	// KazakhWordIn: in these languages the Latin letter is mended only in
	// a word that has a letter of Kazakh's own (ә ғ қ ң ө ұ ү һ і), such as
	// a Kazakh name quoted in Russian. In a Russian word a Latin "i" may as
	// well have been meant as "и", so the reader retypes it.
	KazakhWordIn []saiasat.Lang
	// Or is the letter of those languages the Latin one may have been
	// meant as instead ("и" for "i"), named in the finding.
	Or rune
	// ToLatin: the Cyrillic letter in a Latin word is mended to the Latin
	// one ("Gооgle").
	ToLatin bool
}

// lookAlikes is the one table script/mixed mends by, upper and lower case
// each a pair of its own (check/script_test.go tests every row both ways
// it applies).
var lookAlikes = []LookAlike{
	{Latin: 'a', Cyrillic: 'а', ToCyrillic: true, ToLatin: true}, {Latin: 'A', Cyrillic: 'А', ToCyrillic: true, ToLatin: true},
	{Latin: 'B', Cyrillic: 'В', ToCyrillic: true, ToLatin: true},
	{Latin: 'c', Cyrillic: 'с', ToCyrillic: true, ToLatin: true}, {Latin: 'C', Cyrillic: 'С', ToCyrillic: true, ToLatin: true},
	{Latin: 'e', Cyrillic: 'е', ToCyrillic: true, ToLatin: true}, {Latin: 'E', Cyrillic: 'Е', ToCyrillic: true, ToLatin: true},
	// ë for ё: Russian and Kazakh both write ё.
	{Latin: 'ë', Cyrillic: 'ё', ToCyrillic: true, ToLatin: true}, {Latin: 'Ë', Cyrillic: 'Ё', ToCyrillic: true, ToLatin: true},
	{Latin: 'H', Cyrillic: 'Н', ToCyrillic: true, ToLatin: true},
	// h for һ: only Kazakh has һ; in a Russian word an "h" has no twin.
	{Latin: 'h', Cyrillic: 'һ', ToCyrillic: true, Langs: []saiasat.Lang{"kk"}, ToLatin: true},
	{Latin: 'i', Cyrillic: 'і', ToCyrillic: true, KazakhWordIn: []saiasat.Lang{"ru"}, Or: 'и', ToLatin: true},
	{Latin: 'I', Cyrillic: 'І', ToCyrillic: true, KazakhWordIn: []saiasat.Lang{"ru"}, Or: 'И', ToLatin: true},
	{Latin: 'K', Cyrillic: 'К', ToCyrillic: true, ToLatin: true},
	{Latin: 'M', Cyrillic: 'М', ToCyrillic: true, ToLatin: true},
	{Latin: 'o', Cyrillic: 'о', ToCyrillic: true, ToLatin: true}, {Latin: 'O', Cyrillic: 'О', ToCyrillic: true, ToLatin: true},
	{Latin: 'p', Cyrillic: 'р', ToCyrillic: true, ToLatin: true}, {Latin: 'P', Cyrillic: 'Р', ToCyrillic: true, ToLatin: true},
	{Latin: 'T', Cyrillic: 'Т', ToCyrillic: true, ToLatin: true},
	{Latin: 'x', Cyrillic: 'х', ToCyrillic: true, ToLatin: true}, {Latin: 'X', Cyrillic: 'Х', ToCyrillic: true, ToLatin: true},
	{Latin: 'y', Cyrillic: 'у', ToCyrillic: true, ToLatin: true}, {Latin: 'Y', Cyrillic: 'У', ToCyrillic: true, ToLatin: true},
	// Ү (straight u) is written Y too; a Latin Y in a Cyrillic word is
	// mended to У above, the commoner letter: the reader confirms the fix.
	{Latin: 'y', Cyrillic: 'ү', ToLatin: true}, {Latin: 'Y', Cyrillic: 'Ү', ToLatin: true},
	// The Latin schwa and barred o of IPA and the old Latin alphabets,
	// which Kazakh fonts and keyboards put in place of ә and ө.
	{Latin: 'ə', Cyrillic: 'ә', ToCyrillic: true, ToLatin: true}, {Latin: 'Ə', Cyrillic: 'Ә', ToCyrillic: true, ToLatin: true},
	{Latin: 'ɵ', Cyrillic: 'ө', ToCyrillic: true, ToLatin: true}, {Latin: 'Ɵ', Cyrillic: 'Ө', ToCyrillic: true, ToLatin: true},
}

// LookAlikes returns the pairs script/mixed mends, in table order.
func LookAlikes() []LookAlike { return slices.Clone(lookAlikes) }

var (
	// latinToCyrillic maps by language ("" for every language).
	latinToCyrillic = make(map[saiasat.Lang]map[rune]rune)
	cyrillicToLatin = make(map[rune]rune)
	// kazakhWordOnly holds, by language, the Latin letters mended only in
	// a word with a letter of Kazakh's own, and the row of each.
	kazakhWordOnly = make(map[saiasat.Lang]map[rune]LookAlike)
)

// kazakhLetters are the letters Kazakh writes and Russian does not, with
// the Latin stand-ins the table mends to them (ə, ɵ).
const kazakhLetters = "әғқңөұүһіӘҒҚҢӨҰҮҺІəƏɵƟ"

func init() {
	for _, p := range lookAlikes {
		if p.ToCyrillic {
			langs := p.Langs
			if len(langs) == 0 {
				langs = []saiasat.Lang{""}
			}
			for _, l := range langs {
				if latinToCyrillic[l] == nil {
					latinToCyrillic[l] = make(map[rune]rune)
				}
				latinToCyrillic[l][p.Latin] = p.Cyrillic
			}
		}
		for _, l := range p.KazakhWordIn {
			if kazakhWordOnly[l] == nil {
				kazakhWordOnly[l] = make(map[rune]LookAlike)
			}
			kazakhWordOnly[l][p.Latin] = p
		}
		if p.ToLatin {
			cyrillicToLatin[p.Cyrillic] = p.Latin
		}
	}
}

// MixedWord describes a word that mixes Latin and Cyrillic letters.
type MixedWord struct {
	Offset, Length int    // byte span of the word
	Word           string // as written
	Fixed          string // in one script; "" when a letter has no look-alike
	Script         string // "Cyrillic" or "Latin": the script of the fix
	// Unmatched is, when Fixed is "", the first letter that cannot be
	// mended here: it has no look-alike in Script, or one only in a word
	// with a Kazakh letter (LookAlike.KazakhWordIn).
	Unmatched rune
}

// MixedWords finds every word of text that mixes Latin and Cyrillic
// letters. A word is a run of letters and combining marks. The fix takes the
// script of most of the word's letters; a tie goes to Cyrillic in Kazakh and
// Russian text and to Latin in any other language.
func MixedWords(text []byte, lang saiasat.Lang) []MixedWord {
	var out []MixedWord
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRune(text[i:])
		if !isWordRune(r) {
			i += size
			continue
		}
		start := i
		lat, cyr := 0, 0
		for i < len(text) {
			r, size = utf8.DecodeRune(text[i:])
			if !isWordRune(r) {
				break
			}
			switch {
			case unicode.Is(unicode.Latin, r):
				lat++
			case unicode.Is(unicode.Cyrillic, r):
				cyr++
			}
			i += size
		}
		if lat == 0 || cyr == 0 {
			continue
		}
		toCyr := cyr > lat || (cyr == lat && (lang == "kk" || lang == "ru"))
		w := MixedWord{Offset: start, Length: i - start, Word: string(text[start:i]), Script: "Latin"}
		if toCyr {
			w.Script = "Cyrillic"
		}
		w.Fixed, w.Unmatched = convert(w.Word, toCyr, lang)
		out = append(out, w)
	}
	return out
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.Is(unicode.Mn, r) }

// convert rewrites the letters of word outside the target script by their
// look-alikes, or returns "" and the first letter that has none.
func convert(word string, toCyrillic bool, lang saiasat.Lang) (string, rune) {
	out := make([]rune, 0, len(word))
	kazakh := strings.ContainsAny(word, kazakhLetters)
	for _, r := range word {
		switch {
		case toCyrillic && unicode.Is(unicode.Latin, r):
			c, ok := latinToCyrillic[""][r]
			if !ok {
				c, ok = latinToCyrillic[lang][r]
			}
			if _, only := kazakhWordOnly[lang][r]; !ok || only && !kazakh {
				return "", r
			}
			r = c
		case !toCyrillic && unicode.Is(unicode.Cyrillic, r):
			c, ok := cyrillicToLatin[r]
			if !ok {
				return "", r
			}
			r = c
		}
		out = append(out, r)
	}
	return string(out), 0
}

// script reports script/mixed: one finding per mixed word occurrence, with
// the word in one script as its fix.
func (r *reporter) script() {
	for n := 1; n <= r.lines.Count(); n++ {
		line := r.lines.Text(n)
		if !utf8.Valid(line) {
			continue // text/utf8 reports it
		}
		r.mixed(r.lines.Start(n), line)
	}
}

func (r *reporter) mixed(base int, line []byte) {
	for _, w := range MixedWords(line, r.doc.Lang) {
		w.Offset += base
		if w.Fixed == "" {
			if p, ok := kazakhWordOnly[r.doc.Lang][w.Unmatched]; ok {
				r.add(r.at(w.Offset), saiasat.Error, "script/mixed", nil, "%q mixes Latin and Cyrillic letters: Latin %q in a word with no other Kazakh letter may be meant as Kazakh %q or as %q: retype it",
					w.Word, string(p.Latin), string(p.Cyrillic), string(p.Or))
				continue
			}
			r.add(r.at(w.Offset), saiasat.Error, "script/mixed", nil, "%q mixes Latin and Cyrillic letters; no look-alike exists to make it %s: retype it", w.Word, w.Script)
			continue
		}
		r.add(r.at(w.Offset), saiasat.Error, "script/mixed", &saiasat.Fix{Offset: w.Offset, Length: w.Length, Text: w.Fixed},
			"%q mixes Latin and Cyrillic letters: %s", w.Word, describeMix(w))
	}
}

// describeMix names the letters that differ, e.g. `Latin "i" in Cyrillic
// word; write "іс"`.
func describeMix(w MixedWord) string {
	var odd []rune
	for _, r := range w.Word {
		if slices.Contains(odd, r) {
			continue
		}
		if (w.Script == "Cyrillic" && unicode.Is(unicode.Latin, r)) || (w.Script == "Latin" && unicode.Is(unicode.Cyrillic, r)) {
			odd = append(odd, r)
		}
	}
	from := "Latin"
	if w.Script == "Latin" {
		from = "Cyrillic"
	}
	return from + " " + quoteRunes(odd) + " in a " + w.Script + " word; write \"" + w.Fixed + "\""
}

func quoteRunes(rs []rune) string {
	s := ""
	for i, r := range rs {
		if i > 0 {
			s += ", "
		}
		s += "\"" + string(r) + "\""
	}
	return s
}
