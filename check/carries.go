package check

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/saiasat/saiasat"
)

// carries reports whether body, a clause in lang, carries anchor in another
// form than the anchor itself: a Latin acronym transliterated ("SMS" as
// "СМС") or a whole number written in words ("18" as "он сегіз" or
// "восемнадцати"). Parity accepts either as the anchor kept.
func carries(body string, lang saiasat.Lang, anchor string) bool {
	if isAcronym(anchor) {
		return hasTransliteration(body, anchor)
	}
	if n, err := strconv.Atoi(anchor); err == nil && anchor[0] != '0' && n > 0 && n < 1000 {
		return slices.Contains(numberValues(body, lang), n)
	}
	return false
}

// isAcronym reports whether s is two or more capital Latin letters.
func isAcronym(s string) bool {
	if utf8.RuneCountInString(s) < 2 {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

// acronymLetters are the Cyrillic letters each Latin capital is read or
// written as in a transliterated acronym (SMS → СМС, PIN → ПИН, IIN → ИИН).
var acronymLetters = map[rune]string{
	'A': "А", 'B': "БВ", 'C': "СЦК", 'D': "Д", 'E': "ЕЭИ", 'F': "Ф", 'G': "Г", 'H': "ХНЭ",
	'I': "ИІЙ", 'J': "ЖД", 'K': "ҚК", 'L': "Л", 'M': "М", 'N': "Н", 'O': "О", 'P': "ПР",
	'Q': "К", 'R': "Р", 'S': "С", 'T': "Т", 'U': "УЮҰҮ", 'V': "В", 'W': "ВУ", 'X': "ХК",
	'Y': "УЙЫ", 'Z': "З",
}

// hasTransliteration reports whether body has a word of capital Cyrillic
// letters that spells acronym letter by letter.
func hasTransliteration(body, acronym string) bool {
	lat := []rune(acronym)
	for _, w := range strings.FieldsFunc(body, func(r rune) bool { return !unicode.IsLetter(r) }) {
		cyr := []rune(w)
		if len(cyr) != len(lat) {
			continue
		}
		ok := true
		for i, c := range cyr {
			if !unicode.IsUpper(c) || !strings.ContainsRune(acronymLetters[lat[i]], c) {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// Number words, with the case endings Russian puts on every word of a
// number, and the suffixes Kazakh puts on the last one.
var (
	ruUnits = [...]string{"", `(?:один|одн(?:а|о|ого|ой|ому|им|ом|у|и|их))`, `дв(?:а|е|ух|ум|умя)`, `тр(?:и|[её]х|[её]м|емя)`,
		`четыр(?:е|[её]х|[её]м|ьмя)`, `пят(?:ь|и|ью)`, `шест(?:ь|и|ью)`, `сем(?:ь|и|ью)`, `вос(?:емь|ьми|емью|ьмью)`, `девят(?:ь|и|ью)`}
	ruTeens = [...]string{`десят(?:ь|и|ью)`, `одиннадцат(?:ь|и|ью)`, `двенадцат(?:ь|и|ью)`, `тринадцат(?:ь|и|ью)`, `четырнадцат(?:ь|и|ью)`,
		`пятнадцат(?:ь|и|ью)`, `шестнадцат(?:ь|и|ью)`, `семнадцат(?:ь|и|ью)`, `восемнадцат(?:ь|и|ью)`, `девятнадцат(?:ь|и|ью)`}
	ruTens = [...]string{"", "", `двадцат(?:ь|и|ью)`, `тридцат(?:ь|и|ью)`, `сорок(?:а)?`, `(?:пят(?:ь|и)десят(?:и)?|пятьюдесятью)`,
		`(?:шест(?:ь|и)десят(?:и)?|шестьюдесятью)`, `(?:сем(?:ь|и)десят(?:и)?|семьюдесятью)`, `(?:вос(?:емь|ьми)десят(?:и)?|восемьюдесятью)`, `девяност(?:о|а)`}
	ruHundreds = [...]string{"", `ст(?:о|а)`, `(?:двест(?:и)|двухсот|двумст(?:ам|ами|ах))`, `(?:трист(?:а)|тр[её]хсот|тр[её]мст(?:ам|ами|ах))`,
		`(?:четырест(?:а)|четыр[её]хсот|четыр[её]мст(?:ам|ами|ах))`, `пят(?:ьсот|исот|ист(?:ам|ах)|ьюстами)`, `шест(?:ьсот|исот|ист(?:ам|ах)|ьюстами)`,
		`сем(?:ьсот|исот|ист(?:ам|ах)|ьюстами)`, `вос(?:емьсот|ьмисот|ьмист(?:ам|ах)|емьюстами)`, `девят(?:ьсот|исот|ист(?:ам|ах)|ьюстами)`}
	kkUnits = [...]string{"", "бір", "екі", "үш", "төрт", "бес", "алты", "жеті", "сегіз", "тоғыз"}
	kkTens  = [...]string{"", "он", "жиырма", "отыз", "қырық", "елу", "алпыс", "жетпіс", "сексен", "тоқсан"}
	// The case, ordinal and collective endings a Kazakh number takes
	// ("он сегізге", "бесінші", "екеу" aside).
	kkSuffix = `(?:ға|ге|қа|ке|а|е|на|не|да|де|та|те|нда|нде|дан|ден|тан|тен|нан|нен|ның|нің|дың|дің|тың|тің|ны|ні|ды|ді|ты|ті|н|мен|бен|пен|ыншы|інші|ншы|нші|ау|еу)`

	numberWords = sync.OnceValue(buildNumberWords)
)

// numberWord is one word of a number: its value, whether it multiplies
// what comes before it (Kazakh "екі жүз"), and whether it ends the number
// (a Kazakh word with a suffix).
type numberWord struct {
	re       *regexp.Regexp
	value    int
	multiply bool
	last     bool
}

func buildNumberWords() map[saiasat.Lang][]numberWord {
	m := make(map[saiasat.Lang][]numberWord)
	add := func(lang saiasat.Lang, expr string, v int, multiply, last bool) {
		m[lang] = append(m[lang], numberWord{regexp.MustCompile(`^` + expr + `$`), v, multiply, last})
	}
	for i := 1; i <= 9; i++ {
		add("ru", ruUnits[i], i, false, false)
		add("ru", ruHundreds[i], 100*i, false, false)
		add("kk", kkUnits[i], i, false, false)
		add("kk", kkUnits[i]+kkSuffix, i, false, true)
		add("kk", kkTens[i], 10*i, false, false)
		add("kk", kkTens[i]+kkSuffix, 10*i, false, true)
	}
	for i := 0; i <= 9; i++ {
		add("ru", ruTeens[i], 10+i, false, false)
		if i >= 2 {
			add("ru", ruTens[i], 10*i, false, false)
		}
	}
	add("kk", "жүз", 100, true, false)
	add("kk", "жүз"+kkSuffix, 100, true, true)
	return m
}

// numberValues returns the whole numbers written in words in body, a text
// in lang: "он сегіз" is 18, "сто двадцать пять" 125, and "он бес" 15,
// never 5.
func numberValues(body string, lang saiasat.Lang) []int {
	words := numberWords()[lang]
	if words == nil {
		return nil
	}
	var out []int
	value, running := 0, false
	end := func() {
		if running {
			out = append(out, value)
		}
		value, running = 0, false
	}
	for _, w := range strings.FieldsFunc(strings.ToLower(body), func(r rune) bool { return !unicode.IsLetter(r) }) {
		i := slices.IndexFunc(words, func(nw numberWord) bool { return nw.re.MatchString(w) })
		if i < 0 {
			end()
			continue
		}
		nw := words[i]
		switch {
		case nw.multiply && running && value < 10:
			value *= nw.value
		default:
			value += nw.value
		}
		running = true
		if nw.last {
			end()
		}
	}
	end()
	return out
}
