package check_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/canon"
	"github.com/saiasat/saiasat/check"
	"github.com/saiasat/saiasat/markdown"
	"github.com/saiasat/saiasat/source"
)

// found formats findings of one rule as "line:col" for comparison.
func found(fs []saiasat.Finding, rule string) []string {
	var out []string
	for _, f := range fs {
		if f.Rule == rule {
			out = append(out, fmt.Sprintf("%d:%d", f.Pos.Line, f.Pos.Col))
		}
	}
	return out
}

func docFindings(lang saiasat.Lang, src string) []saiasat.Finding {
	doc, fs := markdown.Parse(string(lang)+".md", lang, []byte(src))
	return append(fs, check.Document(doc)...)
}

func TestDocumentRules(t *testing.T) {
	const sec = "## 1. S\n\n"
	tests := []struct {
		name string
		lang saiasat.Lang
		src  string
		rule string
		want []string // positions "line:col"; nil: must not fire
		msg  string   // a substring of the first finding's message
	}{
		{"gap fires on the later clause", "kk", sec + "1.1. a\n\n1.3. b\n", "numbering/gap", []string{"5:1"}, "1.2 is missing"},
		{"gap range", "kk", sec + "1.1. a\n\n1.4. b\n", "numbering/gap", []string{"5:1"}, "1.2–1.3 are missing"},
		{"gap at the first clause", "kk", sec + "1.2. a\n", "numbering/gap", []string{"3:1"}, "1.1 is missing"},
		{"gap in nested clauses", "kk", sec + "1.1. a\n\n1.1.1. b\n\n1.1.3. c\n", "numbering/gap", []string{"7:1"}, "1.1.2 is missing"},
		{"gap in items", "kk", sec + "1.1. a\n1) x\n3) z\n", "numbering/gap", []string{"5:1"}, "follows 1): 2) is missing"},
		{"gap in sections", "kk", "## 1. A\n\n1.1. a\n\n## 3. C\n\n3.1. c\n", "numbering/gap", []string{"5:1"}, "section 2 is missing"},
		{"no gap", "kk", sec + "1.1. a\n\n1.2. b\n\n1.2.1. c\n\n1.3. d\n1) x\n2) y\n2.1) z\n", "numbering/gap", nil, ""},
		{"duplicate", "kk", sec + "1.1. a\n\n1.1. b\n", "numbering/duplicate", []string{"5:1"}, "already at line 3"},
		{"duplicate item", "kk", sec + "1.1. a\n1) x\n1) y\n", "numbering/duplicate", []string{"5:1"}, ""},
		{"no duplicate across clauses' items", "kk", sec + "1.1. a\n1) x\n\n1.2. b\n1) y\n", "numbering/duplicate", nil, ""},
		{"order", "kk", sec + "1.1. a\n\n1.3. b\n\n1.2. c\n", "numbering/order", []string{"7:1"}, "comes after 1.3"},
		{"parent missing", "kk", sec + "1.1. a\n\n1.2.1. b\n", "numbering/parent", []string{"5:1"}, "no clause 1.2"},
		{"parent closed", "kk", sec + "1.12. a\n\n1.13. b\n\n1.12.1. c\n", "numbering/parent", []string{"7:1"}, "outside 1.12"},
		{"clause in the wrong section", "kk", sec + "1.1. a\n\n4.1. b\n", "numbering/parent", []string{"5:1"}, "belongs in section 4"},
		{"item parent missing", "kk", sec + "1.1. a\n1) x\n2.1) y\n", "numbering/parent", []string{"5:1"}, "no item 2)"},
		{"clause before any section", "kk", "1.1. a\n", "numbering/parent", []string{"1:1"}, "before any section"},
		{"parent present", "kk", sec + "1.12. a\n\n1.12.1. b\n\n1.12.2. c\n\n1.13. d\n", "numbering/parent", nil, ""},
		{"depth skips a level", "kk", sec + "1.1. a\n\n1.1.1.1. b\n", "numbering/depth", []string{"5:1"}, "skips a level"},
		{"depth too deep", "kk", sec + "1.1. a\n\n1.1.1. b\n\n1.1.1.1. c\n\n1.1.1.1.1. d\n", "numbering/depth", []string{"9:1"}, "at most 4"},
		{"depth fine", "kk", sec + "1.1. a\n\n1.1.1. b\n\n1.1.1.1. c\n\n1.2. d\n", "numbering/depth", nil, ""},

		{"mixed: Cyrillic с in cookies", "kk", sec + "1.1. сookies файлдары\n", "script/mixed", []string{"3:6"}, `write "cookies"`},
		{"mixed: Latin i in a Kazakh word", "kk", sec + "1.1. деректердi жою\n", "script/mixed", []string{"3:6"}, `write "деректерді"`},
		{"mixed: tie goes to Cyrillic in kk", "kk", sec + "1.1. iс-әрекет\n", "script/mixed", []string{"3:6"}, `write "іс"`},
		{"mixed: tie goes to Latin in en", "en", sec + "1.1. iс\n", "script/mixed", []string{"3:6"}, `write "ic"`},
		{"mixed: two words on a line", "ru", sec + "1.1. сookie и рixel\n", "script/mixed", []string{"3:6", "3:15"}, ""},
		{"mixed: Latin schwa in a Kazakh word", "kk", sec + "1.1. Пайдаланушы əрбір өтінімді\n", "script/mixed", []string{"3:18"}, `Latin "ə" in a Cyrillic word; write "әрбір"`},
		{"mixed: Latin barred o and h in Kazakh words", "kk", sec + "1.1. ɵтінім мен жиhаз\n", "script/mixed", []string{"3:6", "3:17"}, `write "өтінім"`},
		{"mixed: h in a Russian word has no look-alike", "ru", sec + "1.1. дhом\n", "script/mixed", []string{"3:6"}, "no look-alike"},
		{"mixed: no look-alike", "ru", sec + "1.1. дaнныеz\n", "script/mixed", []string{"3:6"}, "no look-alike"},
		{"not mixed", "kk", sec + "1.1. cookie файлдары, Яндекс.Метрика, IP-адрес, Google Analytics\n", "script/mixed", nil, ""},

		{"ruble sign: not in the PDF's font", "ru", sec + "1.1. Сумма 500 ₽, плата 5 ₽.\n", "text/glyph", []string{"3:16", "3:27"}, "рубль"},
		{"superscript plus: not in the PDF's font", "kk", sec + "1.1. Ескерту⁺.\n", "text/glyph", []string{"3:13"}, "¹ to ⁹"},
		{"a check mark", "ru", sec + "1.1. Готово ✓\n", "text/glyph", []string{"3:13"}, "U+2713"},
		{"the tenge sign, ⁰ and ⁹ are drawn (fonts.Extra)", "ru", sec + "1.1. Сумма 500 ₸, сноски¹⁰ и ⁹.\n", "text/glyph", nil, ""},
		{"every character the corpus writes is drawn", "kk", sec + "1.1. «Мәтін» — № 94-V, 1² § 3, 5 °C, € 10…\n", "text/glyph", nil, ""},
		{"zero-width space", "kk", sec + "1.1. a\u200bb\n", "text/invisible", []string{"3:7"}, "U+200B"},
		{"soft hyphen", "kk", sec + "1.1. a\u00adb\n", "text/invisible", []string{"3:7"}, "soft hyphen"},
		{"no-break space is visible", "kk", sec + "1.1. a\u00a0b\tc\n", "text/invisible", nil, ""},
		{"NFC", "kk", sec + "1.1. и\u0306\n", "text/nfc", []string{"3:6"}, "NFC"},
		{"invalid UTF-8", "kk", sec + "1.1. ab\xffc\n", "text/utf8", []string{"3:8"}, "0xFF"},
		{"NFC on a line with invalid UTF-8", "kk", sec + "1.1. \xff и\u0306\n", "text/nfc", []string{"3:8"}, "NFC"},
		{"invisible after invalid UTF-8", "kk", sec + "1.1. a\xffb\u200bc\n", "text/invisible", []string{"3:9"}, "U+200B"},
		{"invisible between invalid bytes", "kk", sec + "1.1. c\xd1\u200b\x81ookies\n", "text/invisible", []string{"3:8"}, "U+200B"},
		{"BOM", "kk", "\uFEFF" + sec + "1.1. a\n", "text/bom", []string{"1:1"}, ""},
		{"CRLF", "kk", "## 1. S\r\n\r\n1.1. a\r\n", "text/crlf", []string{"1:8"}, "CR line ends (3)"},
		{"CRLF alone is not also non-canonical", "kk", "## 1. S\r\n\r\n1.1. a\r\n", "format/canonical", nil, ""},
		{"no-break space after a clause number", "kk", sec + "1.1. a\n\n1.2.\u00a0b\n", "format/clause-space", []string{"5:5"}, `"1.2."`},
		{"no space after a clause number", "ru", sec + "1.1. а\n\n1.2.Политика и 1.3.б\n", "format/clause-space", []string{"5:5"}, `no space after the number "1.2."`},
		{"no space after a number that is not a clause", "ru", sec + "1.1. а\n2.5кг 16.09.2025г. 1.2кг\n", "format/clause-space", nil, ""},
		{"no-break space inside text", "kk", sec + "1.1. a\u00a0b 16.09.2025\u00a0жылы\n", "format/clause-space", nil, ""},
		{"indented line before the first clause is a paragraph", "kk", sec + "    Кіріспе.\n\n1.1. a\n", "format/stray-text", nil, ""},
		{"indented line does not hide what follows", "kk", sec + "    Кіріспе.\n\n1.1. a\n\n1.3. b\n", "numbering/gap", []string{"7:1"}, "1.2 is missing"},
		{"mixed word found despite bad UTF-8 elsewhere", "kk", sec + "1.1. \xff\n\n1.2. сookies\n", "script/mixed", []string{"5:6"}, ""},
		{"section 01", "kk", "## 01. A\n\n1.1. a\n", "format/heading", []string{"1:1"}, "without leading zeros"},
		{"section without title is allowed", "kk", "## 1.\n\n1.1. a\n", "format/heading", nil, ""},
		{"empty file", "kk", "", "doc/empty", []string{"1:1"}, ""},
		{"empty clause", "kk", sec + "1.1.\n\n1.2. b\n", "clause/empty", []string{"3:1"}, "1.1 has no text"},
		{"clause text on the next line is not empty", "kk", sec + "1.1.\nтекст\n", "clause/empty", nil, ""},
		{"broken link", "kk", sec + "1.1. see [1.9](#1.9)\n", "link/broken", []string{"3:10"}, "#1.9"},
		{"links that resolve", "kk", sec + "1.1. see [1.1](#1.1), [section 1](#1), [site](https://example.kz)\n", "link/broken", nil, ""},
		{"not canonical", "kk", "## 3. S\n1.1. a\n", "format/canonical", []string{"2:1"}, "saiasat fmt"},
		{"canonical", "kk", sec + "1.1. a\n", "format/canonical", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs := docFindings(tt.lang, tt.src)
			got := found(fs, tt.rule)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("%s at %v, want %v; all findings:\n%v", tt.rule, got, tt.want, fs)
			}
			if tt.msg == "" {
				return
			}
			for _, f := range fs {
				if f.Rule == tt.rule {
					if !strings.Contains(f.Message, tt.msg) {
						t.Errorf("message %q does not contain %q", f.Message, tt.msg)
					}
					break
				}
			}
		})
	}
}

func TestMixedWordFix(t *testing.T) {
	tests := []struct {
		lang       saiasat.Lang
		word, want string
	}{
		{"kk", "сookies", "cookies"},
		{"kk", "Рixels", "Pixels"},
		{"kk", "иесiздендiруге", "иесіздендіруге"},
		{"kk", "iс", "іс"},
		{"ru", "сookie", "cookie"},
		{"en", "iс", "ic"},
		{"ru", "Mаil", "Mail"},
		// The look-alikes Kazakh texts carry, one test per pair.
		{"kk", "əрбір", "әрбір"},
		{"kk", "Əкімшілік", "Әкімшілік"},
		{"kk", "өтінімдерге", ""}, // not mixed: no finding
		{"kk", "ɵтінім", "өтінім"},
		{"kk", "Ɵзгерістер", "Өзгерістер"},
		{"kk", "жиhаз", "жиһаз"},
		{"kk", "Қазақстанда hәм", "һәм"},
		{"ru", "əрбір", "әрбір"},
		{"ru", "дhом", "-"}, // Russian has no һ: retype
	}
	for _, tt := range tests {
		ws := check.MixedWords([]byte(tt.word), tt.lang)
		switch tt.want {
		case "":
			if len(ws) != 0 {
				t.Errorf("MixedWords(%q, %s) = %+v, want none", tt.word, tt.lang, ws)
			}
			continue
		case "-":
			tt.want = ""
		}
		if len(ws) != 1 || ws[0].Fixed != tt.want {
			t.Errorf("MixedWords(%q, %s) = %+v, want fix %q", tt.word, tt.lang, ws, tt.want)
		}
	}
}

// check --fix mends the Kazakh look-alikes, and nothing is left to report.
func TestFixKazakhLookAlikes(t *testing.T) {
	src := "## 1. Жалпы\n\n1.1. Əрбір пайдаланушы ɵтінім береді, Ɵзгерістер əкімшілікке жиhаз туралы.\n"
	want := "## 1. Жалпы\n\n1.1. Әрбір пайдаланушы өтінім береді, Өзгерістер әкімшілікке жиһаз туралы.\n"
	doc, _ := markdown.Parse("kk.md", "kk", []byte(src))
	fs := check.Document(doc)
	if got := found(fs, "script/mixed"); len(got) != 5 {
		t.Fatalf("script/mixed at %v, want 5 findings", got)
	}
	out, n := check.ApplyFixes(doc, fs)
	if n != 5 || string(out) != want {
		t.Errorf("%d fixes:\n%s\nwant\n%s", n, out, want)
	}
	doc2, _ := markdown.Parse("kk.md", "kk", out)
	if left := check.Document(doc2); len(left) != 0 {
		t.Errorf("after --fix: %v", left)
	}
}

func TestApplyFixes(t *testing.T) {
	src := "\uFEFF## 1. S\r\n\r\n1.1. сookies i\u200bс деректердi и\u0306\r\n"
	doc, _ := markdown.Parse("kk.md", "kk", canon.View([]byte(src)))
	doc.Source = []byte(src)
	fs := check.Document(doc)
	out, n := check.ApplyFixes(doc, fs)
	if n != 4 {
		t.Errorf("applied %d fixes, want 4 (two mixed words, one invisible, one NFC): %v", n, fs)
	}
	doc2, _ := markdown.Parse("kk.md", "kk", out)
	left := check.Document(doc2)
	// "iс" was split by the zero-width space; once it is gone the next check
	// reports the joined word, which is what --fix's second pass is for.
	if got := found(left, "script/mixed"); !slices.Equal(got, []string{"3:14"}) {
		t.Errorf("after fixes script/mixed at %v, want [3:14]; text %q", got, out)
	}
	for _, rule := range []string{"text/invisible", "text/nfc", "text/bom", "text/crlf"} {
		if got := found(left, rule); got != nil {
			t.Errorf("after fixes %s still at %v", rule, got)
		}
	}
}

func loadPolicy(t *testing.T, files map[string]string) (*saiasat.Policy, []saiasat.Finding) {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, text := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(text)}
	}
	p, fs, err := source.Load(fsys, "p")
	if err != nil {
		t.Fatal(err)
	}
	return p, check.Policy(p, fs)
}

const meta = "id: p\nlanguages: [kk, ru]\ntitle: {kk: T, ru: T}\norganization: {kk: O, ru: O}\nedition: 1\neffective: 2025-09-16\n"

func TestParity(t *testing.T) {
	tests := []struct {
		name, kk, ru string
		rule         string
		want         []string // "file:line"
		msg          string
	}{
		{"missing clause reported in the file that lacks it",
			"## 1. A\n\n1.1. a\n\n1.2. b\n\n1.3. c\n", "## 1. А\n\n1.1. а\n\n1.3. в\n",
			"parity/missing-clause", []string{"p/ru.md:3"}, "clause 1.2 is in p/kk.md (line 5)"},
		{"missing section", "## 1. A\n\n1.1. a\n\n## 2. B\n\n2.1. b\n", "## 1. А\n\n1.1. а\n",
			"parity/missing-section", []string{"p/ru.md:3"}, "section 2"},
		{"missing item", "## 1. A\n\n1.1. a\n1) x\n2) y\n", "## 1. А\n\n1.1. а\n1) х\n",
			"parity/missing-item", []string{"p/ru.md:4"}, "item 2) (1.1/2) is in p/kk.md (line 5)"},
		{"duplicate numbers pair with their counterparts", "# T\n\n1.1. before\n\n## 1. A\n\n1.1. y\n", "# T\n\n1.1. before\n\n## 1. A\n\n1.1. y\n",
			"parity/anchor", nil, ""},
		{"a mixed-script word counts in its mended form", "## 1. A\n\n1.1. сookies файлдары\n", "## 1. А\n\n1.1. файлы cookies\n",
			"parity/anchor", nil, ""},
		{"same structure", "## 1. A\n\n1.1. a\n1) x\n- b\n", "## 1. А\n\n1.1. а\n1) х\n- б\n",
			"parity/missing-item", nil, ""},
		{"law number dropped", "## 1. A\n\n1.1. Заң № 94-V, 2013 жылғы 21 мамыр\n", "## 1. А\n\n1.1. Закон от 21 мая 2013 года\n",
			"parity/anchor", []string{"p/ru.md:3"}, `"94-V"`},
		{"Latin name dropped", "## 1. A\n\n1.1. Google Analytics, Matomo\n", "## 1. А\n\n1.1. Google Analytics\n",
			"parity/anchor", []string{"p/ru.md:3"}, `"Matomo"`},
		{"URL and e-mail dropped", "## 1. A\n\n1.1. www.satcredit.kz, info@satcredit.kz\n", "## 1. А\n\n1.1. сайт\n",
			"parity/anchor", []string{"p/ru.md:3", "p/ru.md:3"}, "info@satcredit.kz"},
		{"date changed", "## 1. A\n\n1.1. 16.09.2025 жылы\n", "## 1. А\n\n1.1. 16.09.2026 г.\n",
			"parity/anchor", []string{"p/kk.md:3", "p/ru.md:3"}, ""},
		{"anchors kept in other words", "## 1. A\n\n1.1. 2013 жылғы 21 мамырдағы № 94-V Заң, www.satcredit.kz, IBAN, 3.12.1-тармақ\n",
			"## 1. А\n\n1.1. Закон от 21 мая 2013 года № 94-V, www.satcredit.kz, IBAN, пункт 3.12.1\n",
			"parity/anchor", nil, ""},
		{"a transliterated acronym", "## 1. A\n\n1.1. Код SMS арқылы жіберіледі, ЖСН және IIN.\n", "## 1. А\n\n1.1. Код отправляется по СМС, ИИН.\n",
			"parity/anchor", nil, ""},
		{"an acronym spelt otherwise is missing", "## 1. A\n\n1.1. Код SMS арқылы жіберіледі.\n", "## 1. А\n\n1.1. Код отправляется в ПУШ.\n",
			"parity/anchor", []string{"p/ru.md:3"}, `"SMS"`},
		{"a gloss in brackets", "## 1. A\n\n1.1. Электрондық пошта мекенжайы.\n", "## 1. А\n\n1.1. Адрес электронной почты (e-mail).\n",
			"parity/anchor", nil, ""},
		{"a hyphenated Latin word is one anchor", "## 1. A\n\n1.1. Wi-Fi желісі және e-mail.\n", "## 1. А\n\n1.1. Сеть и e-mail.\n",
			"parity/anchor", []string{"p/ru.md:3"}, `"Wi-Fi"`},
		{"a number written in words", "## 1. A\n\n1.1. Он сегіз жасқа толған тұлға деректерін бес жыл бойы сақтайды.\n",
			"## 1. А\n\n1.1. Лицо, достигшее 18 (восемнадцати) лет, хранит данные 5 лет.\n",
			"parity/anchor", nil, ""},
		{"numbers in words both ways", "## 1. A\n\n1.1. Өтінім 125 күн және жүз күн сақталады.\n",
			"## 1. А\n\n1.1. Заявка хранится сто двадцать пять дней и 100 дней.\n",
			"parity/anchor", nil, ""},
		{"a number in other words is missing", "## 1. A\n\n1.1. Он жеті жасқа толған тұлға.\n", "## 1. А\n\n1.1. Лицо, достигшее 18 (восемнадцати) лет.\n",
			"parity/anchor", []string{"p/kk.md:3"}, `"18"`},
		{"a part of a number in words is not the number", "## 1. A\n\n1.1. Он бес күн.\n", "## 1. А\n\n1.1. 5 дней.\n",
			"parity/anchor", []string{"p/kk.md:3"}, `"5"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, fs := loadPolicy(t, map[string]string{"policy.yaml": meta, "kk.md": tt.kk, "ru.md": tt.ru})
			var got []string
			var msgs []string
			for _, f := range fs {
				if f.Rule == tt.rule {
					got = append(got, fmt.Sprintf("%s:%d", f.Pos.File, f.Pos.Line))
					msgs = append(msgs, f.Message)
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("%s at %v, want %v; all:\n%v", tt.rule, got, tt.want, fs)
			}
			if tt.msg != "" && !strings.Contains(msgs[0], tt.msg) {
				t.Errorf("message %q does not contain %q", msgs[0], tt.msg)
			}
		})
	}
}

// In an English version every word is Latin: its words are not anchors
// the other texts must carry, but it must carry theirs.
func TestParityEnglish(t *testing.T) {
	en := strings.Replace(meta, "languages: [kk, ru]", "languages: [ru, en]", 1)
	en = strings.ReplaceAll(en, "{kk: T, ru: T}", "{ru: T, en: T}")
	en = strings.ReplaceAll(en, "{kk: O, ru: O}", "{ru: O, en: O}")
	for _, tt := range []struct {
		name, en string
		want     []string
	}{
		{"carries the names", "## 1. A\n\n1.1. The Satcredit site keeps data for 5 years.\n", nil},
		{"lacks a name", "## 1. A\n\n1.1. The site keeps data for 5 years.\n", []string{`p/en.md:3 "Satcredit"`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, fs := loadPolicy(t, map[string]string{"policy.yaml": en, "ru.md": "## 1. А\n\n1.1. Сайт Satcredit хранит данные 5 лет.\n", "en.md": tt.en})
			var got []string
			for _, f := range fs {
				if f.Rule == "parity/anchor" {
					got = append(got, fmt.Sprintf("%s:%d %s", f.Pos.File, f.Pos.Line, strings.Fields(f.Message)[3]))
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("parity/anchor %v, want %v; all:\n%v", got, tt.want, fs)
			}
		})
	}
}

func TestMeta(t *testing.T) {
	const text = "## 1. A\n\n1.1. a\n"
	tests := []struct {
		name  string
		yaml  string
		files []string
		rule  string
		want  []string // "line:col"
	}{
		{"clean", meta, []string{"kk.md", "ru.md"}, "meta/", nil},
		{"unknown key", meta + "owner: legal\n", []string{"kk.md", "ru.md"}, "meta/unknown-key", []string{"7:1"}},
		{"missing key", strings.Replace(meta, "edition: 1\n", "", 1), []string{"kk.md", "ru.md"}, "meta/missing-key", []string{"1:1"}},
		{"language without a file", meta, []string{"kk.md"}, "meta/missing-file", []string{"2:1"}},
		{"file without a language", meta, []string{"kk.md", "ru.md", "en.md"}, "meta/extra-file", []string{"2:1"}},
		{"invalid YAML", "id: p\n  x: : y\n", nil, "meta/yaml", []string{"2:1"}},
		{"bad date", strings.Replace(meta, "2025-09-16", "16.09.2025", 1), []string{"kk.md", "ru.md"}, "meta/invalid", []string{"6:12"}},
		{"bad edition", strings.Replace(meta, "edition: 1", "edition: first", 1), []string{"kk.md", "ru.md"}, "meta/invalid", []string{"5:10"}},
		{"title lacks a language", strings.Replace(meta, "title: {kk: T, ru: T}", "title: {kk: T}", 1), []string{"kk.md", "ru.md"}, "meta/missing-key", []string{"3:8"}},
		{"bad YAML: no extra-file guess", "- a\n- b\n", []string{"kk.md"}, "meta/extra-file", nil},
		{"id differs from folder", strings.Replace(meta, "id: p", "id: other", 1), []string{"kk.md", "ru.md"}, "meta/id", []string{"1:1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"policy.yaml": tt.yaml}
			for _, f := range tt.files {
				files[f] = text
			}
			_, fs := loadPolicy(t, files)
			var got []string
			for _, f := range fs {
				if strings.HasPrefix(f.Rule, tt.rule) {
					got = append(got, fmt.Sprintf("%d:%d", f.Pos.Line, f.Pos.Col))
				}
			}
			if !slices.Equal(got, tt.want) {
				t.Fatalf("%s at %v, want %v; all:\n%v", tt.rule, got, tt.want, fs)
			}
		})
	}
}

// On a line with invalid bytes, removing an invisible character could join
// the bytes around it into a new letter: such a finding carries no fix.
func TestNoFixThatJoinsInvalidBytes(t *testing.T) {
	for _, line := range []string{"c\xd1\u200b\x81ookies", "a\xe2\x80\u200b\xaeb", "\xe2\u200b\u200b\x80\u200b\x8b"} {
		src := "## 1. S\n\n1.1. " + line + "\n"
		doc, _ := markdown.Parse("kk.md", "kk", canon.View([]byte(src)))
		doc.Source = []byte(src)
		fs := check.Document(doc)
		if got := found(fs, "text/invisible"); len(got) == 0 {
			t.Errorf("%q: no text/invisible finding", line)
		}
		out, _ := check.ApplyFixes(doc, fs)
		if !strings.Contains(string(out), line) {
			t.Errorf("%q: fixes changed the line: %q", line, out)
		}
	}
}

// A finding accepted in policy.yaml is kept, marked with its reason; one
// entry accepts only its rule, language, clause and text; an entry that
// accepts nothing is itself reported; a malformed one is a meta finding.
func TestAccept(t *testing.T) {
	kk := "## 1. A\n\n1.1. Код SMS арқылы, Matomo.\n\n1.2. Мәтін Matomo.\n"
	ru := "## 1. А\n\n1.1. Код отправляется в ПУШ.\n\n1.2. Текст.\n"
	entry := func(fields string) string { return meta + "accept:\n  - {" + fields + "}\n" }
	const reason = `reason: "ПУШ is how the Russian text names it"`
	tests := []struct {
		name     string
		yaml     string
		accepted []string // "line message-word" of accepted parity/anchor findings
		open     int      // parity/anchor findings left open
		meta     []string // meta/* rules reported
	}{
		{"no acceptance", meta, nil, 3, nil},
		{"one anchor of one clause", entry(`rule: parity/anchor, lang: ru, clause: "1.1", text: SMS, ` + reason), []string{`3 "SMS"`}, 2, nil},
		{"every anchor of one clause", entry(`rule: parity/anchor, lang: ru, clause: "1.1", ` + reason), []string{`3 "Matomo"`, `3 "SMS"`}, 1, nil},
		{"another clause", entry(`rule: parity/anchor, lang: ru, clause: "1.2", text: SMS, ` + reason), nil, 3, []string{"meta/unused-accept"}},
		{"another language", entry(`rule: parity/anchor, lang: kk, clause: "1.1", ` + reason), nil, 3, []string{"meta/unused-accept"}},
		{"another rule", entry(`rule: script/mixed, lang: ru, clause: "1.1", ` + reason), nil, 3, []string{"meta/unused-accept"}},
		{"no reason", entry(`rule: parity/anchor, lang: ru, clause: "1.1"`), nil, 3, []string{"meta/missing-key"}},
		{"an empty reason", entry(`rule: parity/anchor, lang: ru, clause: "1.1", reason: " "`), nil, 3, []string{"meta/invalid"}},
		{"a meta rule", entry(`rule: meta/id, lang: ru, clause: "1.1", ` + reason), nil, 3, []string{"meta/invalid"}},
		{"an unknown field", entry(`rule: parity/anchor, lang: ru, clause: "1.1", line: 3, ` + reason), nil, 3, []string{"meta/unknown-key"}},
		{"not a clause number", entry(`rule: parity/anchor, lang: ru, clause: "x", ` + reason), nil, 3, []string{"meta/invalid"}},
		{"not a language of the policy", entry(`rule: parity/anchor, lang: en, clause: "1.1", ` + reason), nil, 3, []string{"meta/invalid"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, fs := loadPolicy(t, map[string]string{"policy.yaml": tt.yaml, "kk.md": kk, "ru.md": ru})
			var accepted, metas []string
			open := 0
			for _, f := range fs {
				switch {
				case strings.HasPrefix(f.Rule, "meta/"):
					metas = append(metas, f.Rule)
				case f.Rule != "parity/anchor":
				case f.Accepted != "":
					accepted = append(accepted, fmt.Sprintf("%d %s", f.Pos.Line, strings.Fields(f.Message)[3]))
					if f.Accepted != "ПУШ is how the Russian text names it" {
						t.Errorf("reason %q", f.Accepted)
					}
				default:
					open++
				}
			}
			if !slices.Equal(accepted, tt.accepted) || open != tt.open || !slices.Equal(metas, tt.meta) {
				t.Errorf("accepted %v, %d open, meta %v; want %v, %d, %v; all:\n%v", accepted, open, metas, tt.accepted, tt.open, tt.meta, fs)
			}
			if got := len(saiasat.Open(fs)); got != tt.open+len(tt.meta) {
				t.Errorf("saiasat.Open: %d findings, want %d", got, tt.open+len(tt.meta))
			}
		})
	}
}

// Every look-alike pair script/mixed mends, one case each way it applies:
// a Latin letter in a Cyrillic word of kk and ru, a Cyrillic letter in a
// Latin word.
func TestLookAlikePairs(t *testing.T) {
	toCyrillic := []struct{ latin, cyrillic string }{
		{"a", "а"}, {"c", "с"}, {"e", "е"}, {"i", "і"}, {"o", "о"}, {"p", "р"}, {"x", "х"}, {"y", "у"},
		{"A", "А"}, {"B", "В"}, {"C", "С"}, {"E", "Е"}, {"H", "Н"}, {"I", "І"}, {"K", "К"}, {"M", "М"},
		{"O", "О"}, {"P", "Р"}, {"T", "Т"}, {"X", "Х"}, {"Y", "У"},
		{"ə", "ә"}, {"Ə", "Ә"}, {"ɵ", "ө"}, {"Ɵ", "Ө"},
	}
	for _, p := range toCyrillic {
		for _, lang := range []saiasat.Lang{"kk", "ru"} {
			word := "мәт" + p.latin + "ін"
			ws := check.MixedWords([]byte(word), lang)
			if len(ws) != 1 || ws[0].Fixed != "мәт"+p.cyrillic+"ін" {
				t.Errorf("%s %q: %+v, want %q", lang, word, ws, "мәт"+p.cyrillic+"ін")
			}
		}
	}
	// h → һ is Kazakh only.
	if ws := check.MixedWords([]byte("мәтhін"), "kk"); len(ws) != 1 || ws[0].Fixed != "мәтһін" {
		t.Errorf("kk h: %+v", ws)
	}
	if ws := check.MixedWords([]byte("мәтhін"), "ru"); len(ws) != 1 || ws[0].Fixed != "" {
		t.Errorf("ru h: %+v, want no fix", ws)
	}
	toLatin := []struct{ cyrillic, latin string }{
		{"а", "a"}, {"с", "c"}, {"е", "e"}, {"і", "i"}, {"о", "o"}, {"р", "p"}, {"х", "x"}, {"у", "y"}, {"һ", "h"},
		{"А", "A"}, {"В", "B"}, {"С", "C"}, {"Е", "E"}, {"Н", "H"}, {"І", "I"}, {"К", "K"}, {"М", "M"},
		{"О", "O"}, {"Р", "P"}, {"Т", "T"}, {"Х", "X"}, {"У", "Y"}, {"Ү", "Y"},
	}
	for _, p := range toLatin {
		word := "Goo" + p.cyrillic + "gle"
		if ws := check.MixedWords([]byte(word), "kk"); len(ws) != 1 || ws[0].Fixed != "Goo"+p.latin+"gle" {
			t.Errorf("%q: %+v, want %q", word, ws, "Goo"+p.latin+"gle")
		}
	}
}

// A finding in a text without clauses (a consent of paragraphs) is
// accepted by its block's ID; the block must hold the finding's line, and
// an entry names a clause or a block, not both or neither.
func TestAcceptBlock(t *testing.T) {
	none := meta + "numbering: none\n"
	kk := "# Келісім\n\nМен келісемін.\n\nКод SMS арқылы, Matomo.\n"
	ru := "# Согласие\n\nЯ соглашаюсь.\n\nКод приходит в ПУШ.\n"
	entry := func(fields string) string { return none + "accept:\n  - {" + fields + "}\n" }
	const reason = `reason: "ПУШ is how the Russian text names it"`
	tests := []struct {
		name     string
		yaml     string
		accepted int      // parity/anchor findings accepted
		open     int      // left open
		meta     []string // meta/* rules reported
	}{
		{"no acceptance", none, 0, 2, nil},
		{"the paragraph", entry(`rule: parity/anchor, lang: ru, block: p2, ` + reason), 2, 0, nil},
		{"one anchor of it", entry(`rule: parity/anchor, lang: ru, block: p2, text: SMS, ` + reason), 1, 1, nil},
		{"another paragraph", entry(`rule: parity/anchor, lang: ru, block: p1, ` + reason), 0, 2, []string{"meta/unused-accept"}},
		{"no such block", entry(`rule: parity/anchor, lang: ru, block: p9, ` + reason), 0, 2, []string{"meta/unused-accept"}},
		{"clause and block", entry(`rule: parity/anchor, lang: ru, clause: "1", block: p2, ` + reason), 0, 2, []string{"meta/invalid"}},
		{"neither", entry(`rule: parity/anchor, lang: ru, ` + reason), 0, 2, []string{"meta/missing-key"}},
		{"not an ID", entry(`rule: parity/anchor, lang: ru, block: "p 2", ` + reason), 0, 2, []string{"meta/invalid"}},
		{"not an ID either", entry(`rule: parity/anchor, lang: ru, block: "p2\n", ` + reason), 0, 2, []string{"meta/invalid"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, fs := loadPolicy(t, map[string]string{"policy.yaml": tt.yaml, "kk.md": kk, "ru.md": ru})
			var metas []string
			accepted, open := 0, 0
			for _, f := range fs {
				switch {
				case strings.HasPrefix(f.Rule, "meta/"):
					metas = append(metas, f.Rule)
				case f.Rule != "parity/anchor":
					t.Errorf("unexpected finding %v", f)
				case f.Accepted != "":
					accepted++
				default:
					open++
				}
			}
			if accepted != tt.accepted || open != tt.open || !slices.Equal(metas, tt.meta) {
				t.Errorf("%d accepted, %d open, meta %v; want %d, %d, %v; all:\n%v", accepted, open, metas, tt.accepted, tt.open, tt.meta, fs)
			}
		})
	}
}

// block: names the innermost block holding the finding, as clause: names
// the innermost numbered one: a paragraph's ID does not accept a finding
// in one of its bullets, and a chapter's does not accept its paragraphs'.
func TestAcceptInnermostBlock(t *testing.T) {
	none := meta + "numbering: none\n"
	kk := "# Келісім\n\nМен келісемін:\n\n- cookie файлдары;\n- пиксельдер.\n"
	ru := "# Согласие\n\nЯ соглашаюсь:\n\n- файлы сookie;\n- пиксели.\n"
	for _, c := range []struct {
		block    string
		accepted bool
	}{{"p1", false}, {"p1/b1", true}, {"p1/b2", false}, {"title", false}} {
		t.Run(c.block, func(t *testing.T) {
			yaml := none + "accept:\n  - {rule: script/mixed, lang: ru, block: \"" + c.block + "\", reason: \"a quoted product name\"}\n"
			_, fs := loadPolicy(t, map[string]string{"policy.yaml": yaml, "kk.md": kk, "ru.md": ru})
			accepted, unused := 0, 0
			for _, f := range fs {
				switch {
				case f.Rule == "script/mixed" && f.Accepted != "":
					accepted++
				case f.Rule == "meta/unused-accept":
					unused++
				}
			}
			if got := accepted == 1 && unused == 0; got != c.accepted || accepted+unused != 1 {
				t.Errorf("block %s: %d accepted, %d unused; want accepted %v; all:\n%v", c.block, accepted, unused, c.accepted, fs)
			}
		})
	}
}
