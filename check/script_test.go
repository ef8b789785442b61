package check_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/check"
	"github.com/saiasat/saiasat/markdown"
)

// Every row of the look-alike table, each way it applies, through check
// and --fix: the mixed word is reported with the fix, the fix applied, and
// the mended text has no script/mixed finding left. A row that does not
// apply in a language (h → һ in Russian) must give a finding with no fix.
func TestLookAlikeTable(t *testing.T) {
	for _, p := range check.LookAlikes() {
		if p.ToCyrillic {
			for _, lang := range []saiasat.Lang{"kk", "ru"} {
				applies := len(p.Langs) == 0 || slices.Contains(p.Langs, lang)
				t.Run(fmt.Sprintf("%c→%c/%s", p.Latin, p.Cyrillic, lang), func(t *testing.T) {
					// "мәт?ін" for kk, "тек?ст" for ru: a word of the language
					// with the look-alike in its middle.
					pre, post := "мәт", "ін"
					if lang == "ru" {
						pre, post = "тек", "ст"
					}
					want := pre + string(p.Cyrillic) + post
					if !applies || slices.Contains(p.KazakhWordIn, lang) {
						want = ""
					}
					mend(t, lang, pre+string(p.Latin)+post, want)
					if slices.Contains(p.KazakhWordIn, lang) {
						// A Kazakh word quoted in this language is mended.
						mend(t, lang, "мәт"+string(p.Latin)+"ін", "мәт"+string(p.Cyrillic)+"ін")
					}
				})
			}
		}
		if p.ToLatin {
			t.Run(fmt.Sprintf("%c→%c", p.Cyrillic, p.Latin), func(t *testing.T) {
				mend(t, "kk", "Goo"+string(p.Cyrillic)+"gleBot", "Goo"+string(p.Latin)+"gleBot")
			})
		}
	}
}

// mend checks word in a clause of lang: one script/mixed finding; with
// want != "" its fix gives want and the fixed text is clean of
// script/mixed, with want == "" the finding says to retype.
func mend(t *testing.T, lang saiasat.Lang, word, want string) {
	t.Helper()
	src := "## 1. A\n\n1.1. " + word + " мәтін.\n"
	if lang == "ru" {
		src = "## 1. A\n\n1.1. " + word + " текст.\n"
	}
	doc, _ := markdown.Parse(string(lang)+".md", lang, []byte(src))
	var mixed []saiasat.Finding
	for _, f := range check.Document(doc) {
		if f.Rule == "script/mixed" {
			mixed = append(mixed, f)
		}
	}
	if len(mixed) != 1 {
		t.Fatalf("%q: %d script/mixed findings, want 1: %v", word, len(mixed), mixed)
	}
	if want == "" {
		if mixed[0].Fix != nil {
			t.Fatalf("%q: fix %q, want none (no look-alike in %s)", word, mixed[0].Fix.Text, lang)
		}
		return
	}
	if mixed[0].Fix == nil || mixed[0].Fix.Text != want {
		t.Fatalf("%q: finding %v, want the fix %q", word, mixed[0], want)
	}
	out, n := check.ApplyFixes(doc, mixed)
	doc2, _ := markdown.Parse(string(lang)+".md", lang, out)
	for _, f := range check.Document(doc2) {
		if f.Rule == "script/mixed" {
			t.Errorf("after %d fix(es), still %v in %q", n, f, out)
		}
	}
}

// The table has each letter in both cases, unless the other case has no
// look-alike: the exceptions are listed with the reason.
func TestLookAlikeCases(t *testing.T) {
	noPartner := map[rune]string{
		'B': "lower-case в does not look like b", 'H': "н does not look like h (h is һ, Kazakh only)",
		'K': "к is not k in most fonts", 'M': "м does not look like m", 'T': "т does not look like t",
		'h': "capital Һ has no Latin twin (H is Н)",
	}
	pairs := check.LookAlikes()
	has := func(lat, cyr rune) bool {
		return slices.ContainsFunc(pairs, func(p check.LookAlike) bool { return p.Latin == lat && p.Cyrillic == cyr })
	}
	for _, p := range pairs {
		if _, ok := noPartner[p.Latin]; ok {
			continue
		}
		other := unicode.ToUpper
		if unicode.IsUpper(p.Latin) {
			other = unicode.ToLower
		}
		if !has(other(p.Latin), other(p.Cyrillic)) {
			t.Errorf("%c/%c is in the table, %c/%c is not", p.Latin, p.Cyrillic, other(p.Latin), other(p.Cyrillic))
		}
	}
	// The three Kazakh look-alikes of issue 13 are rows of it.
	for _, p := range [][2]rune{{'ə', 'ә'}, {'Ə', 'Ә'}, {'ɵ', 'ө'}, {'Ɵ', 'Ө'}, {'h', 'һ'}} {
		if !has(p[0], p[1]) {
			t.Errorf("%c → %c missing", p[0], p[1])
		}
	}
}

// A Latin "i" in a Russian word with no letter of Kazakh's own is not
// mended to the Kazakh "і": "мiр" was as likely meant as "мир". The
// finding says which two letters it may be; in a Kazakh word quoted in
// Russian, and in Kazakh text, it is mended.
func TestLatinIInRussian(t *testing.T) {
	for _, c := range []struct {
		lang      saiasat.Lang
		word, fix string
	}{
		{"ru", "мiр", ""},
		{"ru", "Iнформация", ""},
		{"ru", "мәтiін", "мәтіін"},
		{"ru", "Бiрлiк", ""}, // no other Kazakh letter: ambiguous, retyped
		{"ru", "Бiрлік", "Бірлік"},
		{"ru", "мəтiн", "мәтін"}, // a Latin ə stands for ә: a Kazakh word
		{"kk", "мiр", "мір"},
		{"kk", "Бiрлiк", "Бірлік"},
	} {
		t.Run(string(c.lang)+"/"+c.word, func(t *testing.T) {
			ws := check.MixedWords([]byte(c.word), c.lang)
			if len(ws) != 1 {
				t.Fatalf("%d mixed words, want 1: %v", len(ws), ws)
			}
			if ws[0].Fixed != c.fix {
				t.Errorf("fixed %q, want %q", ws[0].Fixed, c.fix)
			}
			if c.fix == "" && ws[0].Unmatched != 'i' && ws[0].Unmatched != 'I' {
				t.Errorf("unmatched %q, want the Latin i", ws[0].Unmatched)
			}
		})
	}
	doc, _ := markdown.Parse("ru.md", "ru", []byte("## 1. A\n\n1.1. Наш мiр.\n"))
	var msgs []string
	for _, f := range check.Document(doc) {
		if f.Rule == "script/mixed" {
			msgs = append(msgs, f.Message)
		}
	}
	if len(msgs) != 1 || !strings.Contains(msgs[0], `"і"`) || !strings.Contains(msgs[0], `"и"`) {
		t.Errorf("findings %q, want one that names both і and и", msgs)
	}
}
