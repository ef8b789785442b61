package site_test

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/saiasat/saiasat/release"
)

// What a borrower reads about an edition's status is true and in the
// page's language: the first edition's decision was never recorded, so no
// page claims a date for it or quotes the record's Russian note; a draft
// says what it is in its title, its status line and to search engines; no
// page shows the tool's own words.
func TestHonestStatus(t *testing.T) {
	s := build(t, true)
	for _, c := range []struct {
		file      string
		want, not []string
	}{
		{"kk/privacy/index.html",
			[]string{"1-басылым · 16.09.2025 ж. бастап қолданыста", "<dd>Бекіту туралы шешім жазылмаған: оның нөмірі мен күні белгісіз</dd>", "<title>«Satcredit.kz» МҚҰ» ЖШС"},
			[]string{"Бекітілді", "Решение", "noindex"}},
		{"ru/privacy/index.html",
			[]string{"Редакция 1 · действует с 16 сентября 2025 г.", "<dd>Решение об утверждении не записано: его номер и дата неизвестны</dd>"},
			[]string{"Утверждена", "noindex"}},
		{"kk/privacy/draft/index.html",
			[]string{`<meta name="robots" content="noindex">`, "<title>ЖОБА: ", "ЖОБА · 2-басылым бекітілмеген; 01.12.2026 ж. бастап қолданысқа енгізіледі деп күтілуде", "<dd>Бекітілмеген</dd>"},
			[]string{"енгізілді"}},
		{"ru/privacy/draft/index.html",
			[]string{`<meta name="robots" content="noindex">`, "<title>ПРОЕКТ: ", "ПРОЕКТ · редакция 2 не утверждена; предполагается ввести ее в действие с 1 декабря 2026 г."},
			[]string{"Введена в действие", "действует с 1"}},
	} {
		page := spaced(s.Files[c.file])
		for _, w := range c.want {
			if !strings.Contains(page, w) {
				t.Errorf("%s lacks %q", c.file, w)
			}
		}
		for _, n := range c.not {
			if strings.Contains(page, n) {
				t.Errorf("%s says %q", c.file, n)
			}
		}
	}
	internal := regexp.MustCompile(`(?i)saiasat|запись внесена|жылы<`)
	h1 := regexp.MustCompile(`<h1[ >]`)
	for _, p := range s.Paths() {
		// The feed's entry ids are URNs a reader does not see; they stay.
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		page := s.Files[p]
		if m := internal.Find(page); m != nil {
			t.Errorf("%s shows %q to readers", p, m)
		}
		if n := len(h1.FindAll(page, -1)); n != 1 {
			t.Errorf("%s has %d <h1>, want 1", p, n)
		}
	}
}

// Every clause can be cited for good: on the current page its number links
// to the clause on the edition's own page, which keeps its text when the
// next edition comes into force; an edition's page links to itself; and
// each edition page shows the version hash approvals bind to beside the
// language's text hash.
func TestStableCitations(t *testing.T) {
	s := build(t, true)
	for _, c := range []struct{ file, want string }{
		{"kk/privacy/index.html", `<div class="clause" id="3.3"><a class="num" href="../../kk/privacy/editions/1/#3.3">3.3</a>`},
		{"kk/privacy/editions/1/index.html", `<div class="clause" id="3.3"><a class="num" href="#3.3">3.3</a>`},
		{"ru/privacy/editions/1/index.html", "sha256:cd4dfdbebd04151be864dc3d149a7820452d344e2aab63677f629fe157ed8485"},
		{"ru/privacy/editions/1/index.html", "sha256:4f392c06150556b742a4a040b20b0b69e545616f62b588605abfb0ebd668730a"},
		{"kk/privacy/editions/1/index.html", "sha256:07b8f57c29d70afe036e148f8b138c98c0e754d8875491fea51d2b6af07498c3"},
		// The language link beside a cited clause names the language.
		{"kk/privacy/editions/1/index.html", `<a class="other-lang" lang="ru" hreflang="ru" href="../../../../ru/privacy/editions/1/#3.3">Русский</a>`},
	} {
		if !strings.Contains(string(s.Files[c.file]), c.want) {
			t.Errorf("%s lacks %q", c.file, c.want)
		}
	}
}

// The index and 404 pages speak the policies' languages, name the
// policies by their titles (no ids) and link to them; the 404 page's links
// work from any path.
func TestIndexAnd404(t *testing.T) {
	s := build(t, false)
	for _, c := range []struct {
		file      string
		want, not []string
	}{
		{"kk/index.html", []string{`<html lang="kk">`, "<h1><span lang=\"kk\">Құжаттар</span></h1>", `<a href="../kk/privacy/">«Satcredit.kz» МҚҰ» ЖШС интернет-ресурсының құпиялық және қауіпсіздік саясаты</a>`, `hreflang="ru" href="../ru/">Русский</a>`}, []string{"privacy:", "Policies"}},
		{"ru/index.html", []string{`<html lang="ru">`, "Документы", `<a href="../ru/privacy/">Политика конфиденциальности`, "Редакция 1 · действует с 16 сентября 2025 г."}, []string{"privacy:"}},
		{"index.html", []string{`<section lang="kk">`, `<section lang="ru">`, `<a href="kk/privacy/">`, `<a href="ru/privacy/">`}, []string{"privacy:", "Policies", "editions"}},
		{"kk/404.html", []string{"Бет табылмады", `<a href="/kk/privacy/">`, `href="/assets/site.css"`, `<meta name="robots" content="noindex">`}, nil},
		{"ru/404.html", []string{"Страница не найдена", `<a href="/ru/privacy/">`}, nil},
		{"404.html", []string{"Бет табылмады", "Страница не найдена"}, nil},
	} {
		page := spaced(s.Files[c.file])
		for _, w := range c.want {
			if !strings.Contains(page, w) {
				t.Errorf("%s lacks %q", c.file, w)
			}
		}
		for _, n := range c.not {
			if strings.Contains(page, n) {
				t.Errorf("%s says %q", c.file, n)
			}
		}
	}
}

// spaced is a page with its no-break spaces as plain ones, for tests that
// quote its words; TestDatesHoldTogether checks the no-break spaces.
func spaced(b []byte) string { return strings.ReplaceAll(string(b), "\u00a0", " ") }

// A date on a page never breaks across lines: "16 сентября 2025 г." and
// "16.09.2025 ж." are held together by no-break spaces.
func TestDatesHoldTogether(t *testing.T) {
	s := build(t, true)
	for file, want := range map[string]string{
		"ru/privacy/index.html":       "действует с 16\u00a0сентября\u00a02025\u00a0г.",
		"kk/privacy/index.html":       "16.09.2025\u00a0ж. бастап",
		"ru/privacy/draft/index.html": "с 1\u00a0декабря\u00a02026\u00a0г.",
	} {
		if !strings.Contains(string(s.Files[file]), want) {
			t.Errorf("%s lacks %q", file, want)
		}
	}
}

// The API's version documents and editions lists say what a reader may be
// told about edition 1's approval: not recorded, no decision and no date,
// in kk and ru words, never the record's tool-internal note; the stored
// release keeps its bytes (its note is still there, only not shown).
func TestHonestAPI(t *testing.T) {
	rs, err := release.NewStore(bundled).Releases()
	if err != nil {
		t.Fatal(err)
	}
	r1 := rs[0]
	if r1.Edition != 1 || !strings.Contains(r1.Approval.Decision, "запись внесена") {
		t.Fatalf("edition 1's stored decision %q: the test expects the record's note", r1.Approval.Decision)
	}
	s := build(t, false)
	v1 := "api/v1/versions/" + string(r1.Version) + ".json"
	var doc struct {
		Approval *struct {
			Recorded  bool              `json:"recorded"`
			Decisions map[string]string `json:"decisions"`
			Date      *string           `json:"date"`
			Note      map[string]string `json:"note"`
		} `json:"approval"`
	}
	if err := json.Unmarshal(s.Files[v1], &doc); err != nil {
		t.Fatalf("%s: %v", v1, err)
	}
	a := doc.Approval
	if a == nil || a.Recorded || a.Decisions != nil || a.Date != nil || !strings.Contains(string(s.Files[v1]), `"decisions": null`) {
		t.Fatalf("%s approval %+v, want recorded false, decisions and date null", v1, a)
	}
	for l, want := range map[string]string{"kk": "Бекіту туралы шешім жазылмаған: оның нөмірі мен күні белгісіз", "ru": "Решение об утверждении не записано: его номер и дата неизвестны"} {
		if a.Note[l] != want {
			t.Errorf("%s note %s %q, want %q", v1, l, a.Note[l], want)
		}
	}
	internal := regexp.MustCompile(`(?i)saiasat|запись внесена|внедрения`)
	n := 0
	for _, p := range s.Paths() {
		if !strings.HasPrefix(p, "api/") || !strings.HasSuffix(p, ".json") {
			continue
		}
		n++
		if m := internal.Find(s.Files[p]); m != nil {
			t.Errorf("%s shows %q", p, m)
		}
	}
	if n < 3 {
		t.Errorf("%d API documents checked, want the policies list, editions and versions", n)
	}
	after, err := release.NewStore(bundled).Releases()
	if err != nil || after[0].Approval.Decision != r1.Approval.Decision {
		t.Errorf("edition 1's stored decision changed: %v", err)
	}
}
