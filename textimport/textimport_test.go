package textimport_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/saiasat/saiasat/textimport"
)

// seed is the published edition 1 as extracted from its PDF, a copy of
// shared/seed kept in the repository so the test needs nothing beside it.
const seed = "../testdata/seed/privacy-policy-kk-edition-1.txt"

// The published edition 1, imported, is byte for byte the committed
// Kazakh text of release 1.
func TestSeedGolden(t *testing.T) {
	src, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(edition1Text)
	if err != nil {
		t.Fatal(err)
	}
	r, err := textimport.Import(src)
	if err != nil {
		t.Fatal(err)
	}
	if string(r.Text) != string(want) {
		t.Errorf("import of the seed differs from %s:\n%s", edition1Text, firstDifference(string(r.Text), string(want)))
	}
	m := r.Meta
	if m.Organization != "«Satcredit.kz» Микроқаржы ұйымы» ЖШС" || m.Title != "«Satcredit.kz» МҚҰ» ЖШС интернет-ресурсының құпиялық және қауіпсіздік саясаты" ||
		m.Edition != 1 || m.Effective.Format("2006-01-02") != "2025-09-16" || m.Pages != 8 {
		t.Errorf("meta %+v", m)
	}
	var why []string
	for _, d := range r.Dropped {
		why = append(why, fmt.Sprintf("%d %s", d.Line, d.Why))
	}
	// Five link targets and one page header of seven lines.
	if got := strings.Join(why, ", "); got != "42 link target, 85 link target, 291 link target, 292 link target, 325 link target, "+
		"181 page header, 183 page header, 184 page header, 186 page header, 187 page header, 189 page header, 190 page number" {
		t.Errorf("dropped: %s", got)
	}
}

func firstDifference(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("line %d:\n got %q\nwant %q", i+1, al[i], bl[i])
		}
	}
	return fmt.Sprintf("lengths %d and %d lines", len(al), len(bl))
}

// page makes the text as a PDF extraction would give it: source blocks
// wrapped at width (breaking after a hyphen inside a word when it falls
// there), indented, with trailing spaces, and a header block on top of each
// page of height lines.
type page struct {
	width, height int
	header        func(pageNo, pages int) []string
	footer        func(pageNo, pages int) []string
	formFeed      bool
	crlf          bool
}

func (p page) render(source string) string {
	var body []string
	for _, block := range strings.Split(strings.TrimSpace(source), "\n") {
		block = strings.TrimPrefix(block, "## ")
		if block == "" {
			body = append(body, "")
			continue
		}
		body = append(body, wrap(block, p.width)...)
	}
	pages := (len(body) + p.height - 1) / p.height
	var out []string
	for k := 0; k < pages; k++ {
		if k > 0 && p.formFeed {
			out = append(out, "\f")
		}
		if p.header != nil && k > 0 {
			out = append(out, "", "")
			out = append(out, p.header(k+1, pages)...)
			out = append(out, " ")
		}
		for _, l := range body[k*p.height : min((k+1)*p.height, len(body))] {
			out = append(out, " "+l+" ")
		}
		if p.footer != nil {
			out = append(out, p.footer(k+1, pages)...)
		}
	}
	s := strings.Join(out, "\n") + "\n"
	s = strings.ReplaceAll(s, "\n\f\n", "\f")
	if p.crlf {
		s = strings.ReplaceAll(s, "\n", "\r\n")
	}
	return s
}

// wrap breaks a line at single spaces (or after a hyphen inside a word)
// before width runes, never so that a wrapped line starts like a block.
func wrap(s string, width int) []string {
	var out []string
	r := []rune(s)
	for len(r) > width {
		cut := -1
		for i := width; i > width/2; i-- {
			if r[i] == ' ' && r[i-1] != ' ' && r[i+1] != ' ' && !looksLikeStart(string(r[i+1:])) {
				cut = i
				break
			}
			if r[i-1] == '-' && r[i-2] != ' ' && r[i] != ' ' && !looksLikeStart(string(r[i:])) {
				out = append(out, string(r[:i]))
				r = r[i:]
				cut = -2
				break
			}
		}
		if cut == -2 {
			continue
		}
		if cut < 0 {
			break
		}
		out = append(out, string(r[:cut]))
		r = r[cut+1:]
	}
	return append(out, string(r))
}

func looksLikeStart(s string) bool {
	for i, c := range s {
		if c >= '0' && c <= '9' || c == '.' || c == ')' {
			continue
		}
		if i > 0 && (c == ' ' || c == ')') {
			return true
		}
		return c == '-' && strings.HasPrefix(s, "- ")
	}
	return false
}

var (
	kkHeader = func(n, pages int) []string {
		return []string{"«Satcredit.kz» Микроқаржы ұйымы» ЖШС Басылым: 1", "", "Қолданысқа енгізілді:", "16.09.2025 жылы", "",
			"«Satcredit.kz» МҚҰ» ЖШС интернет-", "ресурсының құпиялық және қауіпсіздік", "", "саясаты", fmt.Sprintf("%d беттің %d-беті", pages, n)}
	}
	ruHeader = func(n, pages int) []string {
		return []string{"ТОО «Микрофинансовая организация «Satcredit.kz» Редакция: 1", "Введена в действие: 16.09.2025 г.",
			"Политика конфиденциальности и безопасности интернет-", "ресурса ТОО «МФО «Satcredit.kz»", fmt.Sprintf("Страница %d из %d", n, pages)}
	}
)

func TestSyntheticVariants(t *testing.T) {
	kk, err := os.ReadFile(edition1Text)
	if err != nil {
		t.Fatal(err)
	}
	ru, err := os.ReadFile(edition1RuText)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		source   []byte
		page     page
		meta     string
		minDrops int
	}{
		{"Kazakh, repeated headers on every page", kk, page{width: 78, height: 40, header: kkHeader}, "1 2025-09-16 «Satcredit.kz» Микроқаржы ұйымы» ЖШС", 10},
		{"Russian header, form feeds, CRLF", ru, page{width: 90, height: 35, header: ruHeader, formFeed: true, crlf: true}, "1 2025-09-16 ТОО «Микрофинансовая организация «Satcredit.kz»", 10},
		{"page numbers as footers only", kk, page{width: 70, height: 30, footer: func(n, _ int) []string { return []string{"", fmt.Sprintf("- %d -", n), ""} }}, "", 5},
		{"narrow pages: breaks inside items", ru, page{width: 50, height: 11, header: ruHeader}, "1 2025-09-16 ТОО «Микрофинансовая организация «Satcredit.kz»", 40},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			input := tt.page.render(string(tt.source))
			r, err := textimport.Import([]byte(input))
			if err != nil {
				t.Fatal(err)
			}
			if string(r.Text) != string(tt.source) {
				t.Errorf("round trip differs:\n%s", firstDifference(string(r.Text), string(tt.source)))
			}
			if len(r.Dropped) < tt.minDrops {
				t.Errorf("%d lines dropped, want at least %d", len(r.Dropped), tt.minDrops)
			}
			if tt.meta != "" {
				m := r.Meta
				if got := fmt.Sprintf("%d %s %s", m.Edition, m.Effective.Format("2006-01-02"), m.Organization); got != tt.meta {
					t.Errorf("meta %q, want %q", got, tt.meta)
				}
			}
		})
	}
}

// A page break in the middle of an enumerated item: the item continues
// after the header.
func TestPageBreakInsideItem(t *testing.T) {
	input := "2. Ұғымдар\n2.1. Мынадай ұғымдар:\n1) бірінші ұғым, ол екі жолға\n\n\n" +
		strings.Join(kkHeader(2, 3), "\n") + "\n \nжалғасады;\n2) екінші ұғым.\n"
	r, err := textimport.Import([]byte(input))
	if err != nil {
		t.Fatal(err)
	}
	want := "## 2. Ұғымдар\n\n2.1. Мынадай ұғымдар:\n1) бірінші ұғым, ол екі жолға жалғасады;\n2) екінші ұғым.\n"
	if string(r.Text) != want {
		t.Errorf("got\n%s\nwant\n%s", r.Text, want)
	}
}

func TestNotUTF8(t *testing.T) {
	if _, err := textimport.Import([]byte("1.1. \xcf\xee\xeb\xe8\xf2\xe8\xea\xe0")); err == nil {
		t.Error("Windows-1251 bytes accepted")
	}
}

// Lines that look like page furniture or a new item but continue a
// sentence are kept, joined, and reported when a reader should look.
func TestAmbiguousLines(t *testing.T) {
	input := "1. Жалпы\n1.1. Пайдаланушы өтінімді тәулік бойы\n24/7\nрежимінде бере алады, мерзімі\n30\nкүнтізбелік күн.\n" +
		"1.2. Ақпарат осы Саясаттың 3.1-тармағының\n1) тармақшасына сәйкес өңделеді.\n" +
		"1.3. Ақпарат-\nтық қауіпсіздік.\n" +
		"1.4. Кіріспе:\n1) ақпарат\n2) ақпарат\n"
	r, err := textimport.Import([]byte(input))
	if err != nil {
		t.Fatal(err)
	}
	want := "## 1. Жалпы\n\n" +
		"1.1. Пайдаланушы өтінімді тәулік бойы 24/7 режимінде бере алады, мерзімі 30 күнтізбелік күн.\n\n" +
		"1.2. Ақпарат осы Саясаттың 3.1-тармағының 1) тармақшасына сәйкес өңделеді.\n\n" +
		"1.3. Ақпарат-тық қауіпсіздік.\n\n" +
		"1.4. Кіріспе:\n1) ақпарат\n2) ақпарат\n"
	if string(r.Text) != want {
		t.Errorf("got\n%s\nwant\n%s", r.Text, want)
	}
	if len(r.Dropped) != 0 {
		t.Errorf("dropped %v", r.Dropped)
	}
	var notes []string
	for _, n := range r.Notes {
		notes = append(notes, fmt.Sprint(n.Line))
	}
	// Line 8 (an item label continuing a sentence) and line 10 (a hyphen).
	if got := strings.Join(notes, " "); got != "8 10" {
		t.Errorf("notes on lines %s, want 8 10", got)
	}
}
