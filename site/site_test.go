package site_test

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/go-fonts/liberation/liberationserifbold"
	"github.com/go-fonts/liberation/liberationserifregular"
	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/saiasat/saiasat/internal/testtool"
	"github.com/saiasat/saiasat/release"
	"github.com/saiasat/saiasat/site"
	"github.com/saiasat/saiasat/source"
	"golang.org/x/image/font/sfnt"
)

var update = flag.Bool("update", false, "rewrite golden files")

const bundled = "../policies/privacy"

// now is a fixed day after edition 1 came into force and before the draft's
// date: the build is the same whenever the test runs.
var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func build(t testing.TB, draft bool) *site.Site {
	t.Helper()
	rs, err := release.NewStore(bundled).Releases()
	if err != nil {
		t.Fatal(err)
	}
	in := site.Input{Releases: rs}
	if draft {
		p, _, err := source.Load(os.DirFS(bundled), "policies/privacy")
		if err != nil {
			t.Fatal(err)
		}
		in.Draft = p
	}
	s, err := site.Build([]site.Input{in}, site.Options{Now: now, BaseURL: "https://www.satcredit.kz"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Golden HTML of the published policy pages of the seed policy, and the list
// of files.
func TestGolden(t *testing.T) {
	s := build(t, true)
	golden := map[string][]byte{
		"kk-privacy.html":  s.Files["kk/privacy/index.html"],
		"ru-privacy.html":  s.Files["ru/privacy/index.html"],
		"kk-editions.html": s.Files["kk/privacy/editions/index.html"],
		"ru-draft.html":    s.Files["ru/privacy/draft/index.html"],
		"kk-feed.xml":      s.Files["kk/privacy/feed.xml"],
		"files.txt":        []byte(strings.Join(s.Paths(), "\n") + "\n"),
		"current.kk.json":  s.Files["api/v1/policies/privacy/current.kk.json"],
		"policies.json":    s.Files["api/v1/policies.json"],
	}
	for name, got := range golden {
		file := filepath.Join("testdata", name)
		if *update {
			if err := os.WriteFile(file, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(file)
		if err != nil {
			t.Fatalf("%v (go test -update)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from %s (go test -update, then review)", name, file)
		}
	}
}

// Every output carries exactly the approved text: the Markdown files and
// API texts are the released bytes, and the API's hash names them.
func TestExactText(t *testing.T) {
	s := build(t, false)
	for _, l := range []string{"kk", "ru"} {
		want, err := os.ReadFile(filepath.Join(bundled, "releases", "1", l+".md"))
		if err != nil {
			t.Fatal(err)
		}
		if got := s.Files[l+"/privacy/editions/1/privacy-"+l+"-1.md"]; !bytes.Equal(got, want) {
			t.Errorf("%s Markdown differs from the release", l)
		}
		cur := string(s.Files["api/v1/policies/privacy/current."+l+".json"])
		h := regexp.MustCompile(`"text_sha256": "(sha256:[0-9a-f]+)"`).FindStringSubmatch(cur)
		if h == nil || !bytes.Equal(s.Files["api/v1/texts/"+h[1]+".md"], want) {
			t.Errorf("%s: the API's text for its hash is not the released text", l)
		}
	}
	// No draft anywhere unless asked for.
	for _, p := range s.Paths() {
		if strings.Contains(p, "draft") {
			t.Errorf("draft published without --draft: %s", p)
		}
	}
}

// Two builds give the same bytes, PDFs included.
func TestDeterministic(t *testing.T) {
	a, b := build(t, true), build(t, true)
	if len(a.Files) != len(b.Files) {
		t.Fatalf("%d files, then %d", len(a.Files), len(b.Files))
	}
	for p, data := range a.Files {
		if !bytes.Equal(data, b.Files[p]) {
			t.Errorf("%s differs between two builds", p)
		}
	}
}

// No page has an inline script, an inline style or a request to another
// host: the site works under a strict Content-Security-Policy.
func TestNoInlineOrThirdParty(t *testing.T) {
	s := build(t, true)
	bad := regexp.MustCompile(`(?i)<script|\sstyle=|<style|\son[a-z]+=|(src|href)="(https?:)?//`)
	for _, p := range s.Paths() {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		if m := bad.Find(s.Files[p]); m != nil {
			t.Errorf("%s: %q", p, m)
		}
		if !bytes.Contains(s.Files[p], []byte(`<html lang="`)) {
			t.Errorf("%s: no lang attribute", p)
		}
	}
}

// Liberation Serif has a glyph for every letter the texts and the UI use.
func TestFontCoverage(t *testing.T) {
	runes := map[rune]bool{}
	files, _ := filepath.Glob(filepath.Join(bundled, "releases", "*", "*.md"))
	drafts, _ := filepath.Glob(filepath.Join(bundled, "*.md"))
	locales, _ := filepath.Glob("../templates/locales/*.yaml")
	for _, f := range append(append(files, drafts...), locales...) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range string(b) {
			if !unicode.IsControl(r) {
				runes[r] = true
			}
		}
	}
	for _, r := range "ӘҒҚҢӨҰҮҺІәғқңөұүһі" {
		runes[r] = true
	}
	for name, ttf := range map[string][]byte{"regular": liberationserifregular.TTF, "bold": liberationserifbold.TTF} {
		f, err := sfnt.Parse(ttf)
		if err != nil {
			t.Fatal(err)
		}
		var buf sfnt.Buffer
		for r := range runes {
			if g, err := f.GlyphIndex(&buf, r); err != nil || g == 0 {
				t.Errorf("Liberation Serif %s has no glyph for %q (%U)", name, r, r)
			}
		}
	}
}

// The PDFs pass pdfcpu's strict validation, and pdftotext reads every
// clause's words in order, with no replacement characters.
func TestPDFs(t *testing.T) {
	s := build(t, true)
	api.DisableConfigDir()
	conf := model.NewDefaultConfiguration()
	conf.ValidationMode = model.ValidationStrict
	for _, l := range []string{"kk", "ru"} {
		for _, p := range []string{l + "/privacy/editions/1/privacy-" + l + "-1", l + "/privacy/draft/privacy-" + l + "-draft"} {
			pdf := s.Files[p+".pdf"]
			if err := api.Validate(bytes.NewReader(pdf), conf); err != nil {
				t.Errorf("%s.pdf: pdfcpu: %v", p, err)
			}
			text := pdftotext(t, pdf)
			if strings.ContainsRune(text, '\uFFFD') {
				t.Errorf("%s.pdf: replacement characters in the text", p)
			}
			if missing := wordsInOrder(string(s.Files[p+".md"]), text); missing != "" {
				t.Errorf("%s.pdf: the text's words are not all there in order; first missing: %q", p, missing)
			}
			pages := regexp.MustCompile(`(\d+) беттің (\d+)-беті|Страница (\d+) из (\d+)`).FindAllStringSubmatch(text, -1)
			if len(pages) < 2 {
				t.Errorf("%s.pdf: page headers not found", p)
			}
		}
		text := pdftotext(t, s.Files[l+"/privacy/editions/1/privacy-"+l+"-1.pdf"])
		for _, want := range map[string][]string{"kk": {"Басылым: 1", "Қолданысқа енгізілді: 16.09.2025 ж."}, "ru": {"Редакция: 1", "Введена в действие: 16.09.2025 г."}}[l] {
			if !strings.Contains(text, want) {
				t.Errorf("%s: the header lacks %q", l, want)
			}
		}
		// The draft says so on every page.
		draft := pdftotext(t, s.Files[l+"/privacy/draft/privacy-"+l+"-draft.pdf"])
		pages := strings.Split(strings.TrimRight(draft, "\f"), "\f")
		marker := map[string]string{"kk": "ЖОБА", "ru": "ПРОЕКТ"}[l]
		// …and when it is expected to come into force, never that it has.
		if want := map[string]string{"kk": "Қолданысқа енгізілуі күтілуде: 01.12.2026 ж.", "ru": "Предполагается ввести в действие: 01.12.2026 г."}[l]; !strings.Contains(draft, want) {
			t.Errorf("%s draft PDF lacks %q", l, want)
		}
		if bad := map[string]string{"kk": "енгізілді", "ru": "Введена в действие"}[l]; strings.Contains(draft, bad) {
			t.Errorf("%s draft PDF says %q", l, bad)
		}
		for i, pg := range pages {
			if !strings.Contains(pg, marker) {
				t.Errorf("%s draft page %d lacks %q", l, i+1, marker)
			}
		}
	}
}

// wordsInOrder checks that the words of the Markdown text appear in the
// extracted text in order (headers and footers may come between); it
// returns the first word not found.
func wordsInOrder(md, text string) string {
	split := func(s string) []string {
		return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	}
	md = strings.ReplaceAll(md, "## ", "")
	got := split(text)
	i := 0
	for _, w := range split(md) {
		for i < len(got) && got[i] != w {
			i++
		}
		if i == len(got) {
			return w
		}
		i++
	}
	return ""
}

func pdftotext(t *testing.T, pdf []byte) string { return testtool.PDFText(t, pdf) }

// HTML Tidy (Debian's tidy, HTML5 aware) finds no error and no warning in
// any page.
func TestHTMLValid(t *testing.T) {
	tidy := testtool.Require(t, "tidy")
	s := build(t, true)
	dir := t.TempDir()
	for _, p := range s.Paths() {
		if !strings.HasSuffix(p, ".html") {
			continue
		}
		f := filepath.Join(dir, strings.ReplaceAll(p, "/", "_"))
		if err := os.WriteFile(f, s.Files[p], 0o644); err != nil {
			t.Fatal(err)
		}
		out, _ := exec.Command(tidy, "-q", "-e", f).CombinedOutput()
		if len(bytes.TrimSpace(out)) > 0 {
			t.Errorf("%s:\n%s", p, out)
		}
	}
}
