package render_test

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/diff"
	"github.com/saiasat/saiasat/internal/testtool"
	"github.com/saiasat/saiasat/markdown"
	"github.com/saiasat/saiasat/render"
	"github.com/saiasat/saiasat/templates"
	"go.yaml.in/yaml/v3"
)

func TestPlurals(t *testing.T) {
	tests := []struct {
		lang saiasat.Lang
		n    int
		want string
	}{
		{"ru", 1, "1 пункт добавлен"},
		{"ru", 2, "2 пункта добавлены"},
		{"ru", 4, "4 пункта добавлены"},
		{"ru", 5, "5 пунктов добавлено"},
		{"ru", 11, "11 пунктов добавлено"},
		{"ru", 21, "21 пункт добавлен"},
		{"ru", 22, "22 пункта добавлены"},
		{"ru", 0, "0 пунктов добавлено"},
		{"kk", 1, "1 тармақ қосылды"},
		{"kk", 5, "5 тармақ қосылды"},
	}
	for _, tt := range tests {
		loc, err := render.NewLocalizer(tt.lang)
		if err != nil {
			t.Fatal(err)
		}
		lines, err := render.SummaryLines(loc, diff.Summary{Added: tt.n, Unchanged: 1})
		if err != nil {
			t.Fatal(err)
		}
		if tt.n > 0 && lines[0] != tt.want {
			t.Errorf("%s %d: %q, want %q", tt.lang, tt.n, lines[0], tt.want)
		}
	}
}

// Every message exists in every language, and every plural message has
// the CLDR forms of its language: kk one/other, ru one/few/many/other.
func TestMessagesComplete(t *testing.T) {
	forms := map[string][]string{"kk": {"one", "other"}, "ru": {"one", "few", "many", "other"}}
	ids := map[string]map[string]any{}
	for lang := range forms {
		b, err := templates.FS.ReadFile("locales/active." + lang + ".yaml")
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := yaml.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		ids[lang] = m
	}
	b, err := templates.FS.ReadFile("locales/active.en.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var en map[string]any
	if err := yaml.Unmarshal(b, &en); err != nil {
		t.Fatal(err)
	}
	for id := range en {
		if _, ok := ids["kk"][id]; !ok && !strings.HasPrefix(id, "SiteIndex") {
			t.Errorf("en has %s, which the policy languages lack", id)
		}
	}
	for lang, m := range ids {
		for other, om := range ids {
			for id := range om {
				if _, ok := m[id]; !ok {
					t.Errorf("%s lacks %s, which %s has", lang, id, other)
				}
			}
		}
		for id, v := range m {
			plural, ok := v.(map[string]any)
			if !ok {
				continue
			}
			for _, f := range forms[lang] {
				if _, ok := plural[f]; !ok {
					t.Errorf("%s %s lacks the plural form %q", lang, id, f)
				}
			}
		}
	}
}

func TestFormatDate(t *testing.T) {
	d := time.Date(2025, 9, 16, 0, 0, 0, 0, time.UTC)
	for lang, want := range map[saiasat.Lang]string{"kk": "16.09.2025 ж.", "ru": "16 сентября 2025 г.", "en": "2025-09-16"} {
		if got := render.FormatDate(lang, d); got != want {
			t.Errorf("%s: %q, want %q", lang, got, want)
		}
	}
	for lang, want := range map[saiasat.Lang]string{"kk": "16.09.2025 ж.", "ru": "16.09.2025 г."} {
		if got := render.FormatDateShort(lang, d); got != want {
			t.Errorf("short %s: %q, want %q", lang, got, want)
		}
	}
}

func sampleDiff(t *testing.T) *diff.Result {
	t.Helper()
	v := func(ed int, kk, ru string, released bool) *diff.Version {
		x := &diff.Version{ID: "privacy", Edition: ed, Released: released, Label: "edition " + string(rune('0'+ed)),
			Effective: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
			Title:     map[saiasat.Lang]string{"kk": "Құпиялық саясаты", "ru": "Политика конфиденциальности"},
			Languages: []saiasat.Lang{"kk", "ru"}, Docs: map[saiasat.Lang]*saiasat.Document{}}
		x.Docs["kk"], _ = markdown.Parse("kk.md", "kk", []byte(kk))
		x.Docs["ru"], _ = markdown.Parse("ru.md", "ru", []byte(ru))
		x.Version = saiasat.HashBytes([]byte(kk + ru))
		return x
	}
	from := v(1, "## 2. Ұғымдар\n\n2.1. сookies – файлдар <script>;\n\n2.2. Ескі.\n", "## 2. Понятия\n\n2.1. cookies – файлы <script>;\n\n2.2. Старый.\n", true)
	to := v(2, "## 2. Ұғымдар\n\n2.1. cookies – шағын файлдар <script>;\n\n2.2. Жаңа.\n\n2.3. Ескі.\n", "## 2. Понятия\n\n2.1. cookies – файлы <script>;\n\n2.2. Новый.\n\n2.3. Старый.\n", true)
	return diff.Compare(from, to)
}

func TestRedlineHTML(t *testing.T) {
	r := sampleDiff(t)
	b, err := render.RedlineHTML(r, render.RedlineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	html := string(b)
	for _, want := range []string{
		string(r.From.Version), string(r.To.Version),
		`<del class="fix">с</del><ins class="fix">c</ins>ookies`, "Көзге көрінбейтін түзетулер: кирилл с → латын c (1)",
		`lang="kk"`, `lang="ru"`,
		"2.2 → 2.3: перенумерован", "2.2 → 2.3: нөмірі өзгерді",
		"1 пункт добавлен", "1 тармақ қосылды",
		"saiasat approve --policy privacy --edition 2 --hash " + string(r.To.Version),
		"Решение единственного участника",
		"Қолданысқа енгізілу күні: 2026\u00a0жылғы\u00a01\u00a0желтоқсан.", "Дата введения в действие: 1\u00a0декабря\u00a02026\u00a0года.",
		"редакция 1", "2-басылым",
		"2.1: текст изменен на казахском языке, на русском языке не изменен",
		"2.1: мәтін қазақ тілінде өзгерді, орыс тілінде өзгерген жоқ",
		"&lt;script&gt;",
	} {
		if !strings.Contains(html, want) {
			t.Errorf("redline lacks %q", want)
		}
	}
	// Self-contained: nothing fetched from anywhere, no script.
	if m := regexp.MustCompile(`(?i)(src|href)\s*=|<script|@import|url\(`).FindString(html); m != "" {
		t.Errorf("redline refers outside itself: %q", m)
	}
}

func pdftotext(t *testing.T, pdf []byte) string { return testtool.PDFText(t, pdf) }

func TestRedlinePDF(t *testing.T) {
	r := sampleDiff(t)
	a, err := render.RedlinePDF(r, render.RedlineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := render.RedlinePDF(r, render.RedlineOptions{})
	if !bytes.Equal(a, b) {
		t.Error("two renders of the same redline differ")
	}
	text := pdftotext(t, a)
	for _, want := range []string{
		string(r.To.Version), "Бекітуге ұсынылады", "Представляется на утверждение",
		"Решение единственного участника", "Жалғыз қатысушының 20__ жылғы",
		"1 пункт добавлен", "1 тармақ қосылды", "Жаңа.", "Новый.", "1 / 1",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
}

// The PDF prints a text as the page does (markdown.Spans): strong and
// clause links as their words, every other character as written — form
// blanks, footnote asterisks, entities, escapes and tags included.
func TestPolicyPDFInlineText(t *testing.T) {
	src := "## 1. А\n\n1.1. a &amp; \\* <https://x.kz/a> **қалың** `code` [1.1-тармақ](#1.1) «___» ____ 20__ ж. ставка*\n"
	doc, _ := markdown.Parse("kk.md", "kk", []byte(src))
	pdf, err := render.PolicyPDF(doc, render.PolicyPDFOptions{Lang: "kk", Title: "Т", Organization: "О", Edition: 1, Effective: "16.09.2025 ж.",
		EffectiveDate: time.Date(2025, 9, 16, 0, 0, 0, 0, time.UTC), TextHash: "sha256:00"})
	if err != nil {
		t.Fatal(err)
	}
	text := pdftotext(t, pdf)
	if want := "a &amp; \\* <https://x.kz/a> қалың `code` 1.1-тармақ «___» ____ 20__ ж. ставка*"; !strings.Contains(text, want) {
		t.Errorf("PDF text lacks %q:\n%s", want, text)
	}
}

// Rows follow the document, whichever language a change is in: a change in
// ru only (1.1) stands before a change in kk only (2.1), and a clause added
// in ru only stands where ru put it.
func TestRedlineRowsInDocumentOrder(t *testing.T) {
	v := func(ed int, kk, ru string) *diff.Version {
		x := &diff.Version{ID: "privacy", Edition: ed, Label: "edition " + string(rune('0'+ed)),
			Effective: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
			Title:     map[saiasat.Lang]string{"kk": "Саясат", "ru": "Политика"},
			Languages: []saiasat.Lang{"kk", "ru"}, Docs: map[saiasat.Lang]*saiasat.Document{}}
		x.Docs["kk"], _ = markdown.Parse("kk.md", "kk", []byte(kk))
		x.Docs["ru"], _ = markdown.Parse("ru.md", "ru", []byte(ru))
		x.Version = saiasat.HashBytes([]byte(kk + ru))
		return x
	}
	kk1 := "## 1. Жалпы\n\n1.1. Бір.\n\n1.2. Екі.\n\n## 2. Ұғымдар\n\n2.1. Үш.\n\n2.2. Төрт.\n"
	ru1 := "## 1. Общие\n\n1.1. Один.\n\n1.2. Два.\n\n## 2. Понятия\n\n2.1. Три.\n\n2.2. Четыре.\n"
	for _, tc := range []struct {
		name   string
		kk, ru string
		want   []string
	}{
		{"ru first, kk later", strings.Replace(kk1, "Үш.", "Үш өзгерді.", 1), strings.Replace(ru1, "Один.", "Один изменен.", 1), []string{"1.1", "2.1"}},
		{"kk first, ru later", strings.Replace(kk1, "Бір.", "Бір өзгерді.", 1), strings.Replace(ru1, "Четыре.", "Четыре изменен.", 1), []string{"1.1", "2.2"}},
		{"added in ru only", strings.Replace(kk1, "Төрт.", "Төрт өзгерді.", 1), strings.Replace(ru1, "1.2. Два.\n", "1.2. Два.\n\n1.3. Новый.\n", 1), []string{"1.3", "2.2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rl, err := render.NewRedline(diff.Compare(v(1, kk1, ru1), v(2, tc.kk, tc.ru)), render.RedlineOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, row := range rl.Rows {
				got = append(got, row.Key)
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("rows %q, want %q", got, tc.want)
			}
		})
	}
}

// The signature line in each language's document order for every approver
// kind policy.yaml can name, and the approval sentence with its own full
// stop after a date that is not an abbreviation.
func TestRedlineSignatureWords(t *testing.T) {
	for _, tc := range []struct {
		name   string
		kk, ru string
		wantKK string
		wantRU string
	}{
		{"default", "", "", "Жалғыз қатысушының 20__ жылғы «___» ____________ № ______ шешімі     Қолы:", "Решение единственного участника № ______ от «___» ____________ 20__ г.     Подпись:"},
		{"board", "Директорлар кеңесінің шешімі", "Решение совета директоров", "Директорлар кеңесінің 20__ жылғы «___» ____________ № ______ шешімі     Қолы:", "Решение совета директоров № ______ от «___» ____________ 20__ г.     Подпись:"},
		{"general meeting", "Қатысушылардың жалпы жиналысының хаттамасы", "Протокол общего собрания участников", "Қатысушылардың жалпы жиналысының 20__ жылғы «___» ____________ № ______ хаттамасы     Қолы:", "Протокол общего собрания участников № ______ от «___» ____________ 20__ г.     Подпись:"},
		{"director", "Директордың бұйрығы", "Приказ директора", "Директордың 20__ жылғы «___» ____________ № ______ бұйрығы     Қолы:", "Приказ директора № ______ от «___» ____________ 20__ г.     Подпись:"},
		{"one word", " Бұйрық ", "Приказ", "20__ жылғы «___» ____________ № ______ Бұйрық     Қолы:", "Приказ № ______ от «___» ____________ 20__ г.     Подпись:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			opt := render.RedlineOptions{}
			if tc.kk != "" {
				opt.Approver = map[saiasat.Lang]string{"kk": tc.kk, "ru": tc.ru}
			}
			rl, err := render.NewRedline(sampleDiff(t), opt)
			if err != nil {
				t.Fatal(err)
			}
			for _, col := range rl.Cols {
				want := map[saiasat.Lang]string{"kk": tc.wantKK, "ru": tc.wantRU}[col.Lang]
				if !strings.HasPrefix(col.Signature, want) {
					t.Errorf("%s signature %q, want it to start %q", col.Lang, col.Signature, want)
				}
			}
		})
	}
	rl, err := render.NewRedline(sampleDiff(t), render.RedlineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, col := range rl.Cols {
		want := map[saiasat.Lang]string{
			"kk": "Қолданысқа енгізілу күні: 2026 жылғы 1 желтоқсан. Шешім тек осы нұсқа хэшіне қатысты:",
			"ru": "Дата введения в действие: 1 декабря 2026 года. Решение относится только к версии с хешем:",
		}[col.Lang]
		if !strings.HasSuffix(strings.ReplaceAll(col.ApprovalText, "\u00a0", " "), want) {
			t.Errorf("%s approval text %q, want it to end %q", col.Lang, col.ApprovalText, want)
		}
	}
}

// A concordance longer than a page repeats its column headings on every
// page it runs onto, so a reader of page 5 knows which column is which.
func TestRedlinePDFConcordanceHeadings(t *testing.T) {
	doc := func(first string, n int) string {
		var b strings.Builder
		b.WriteString("## 1. Жалпы\n\n")
		num := 1
		if first != "" {
			fmt.Fprintf(&b, "1.1. %s\n\n", first)
			num++
		}
		for i := 1; i <= n; i++ {
			fmt.Fprintf(&b, "1.%d. Тармақ нөмірі %d, мәтіні өзгермейді.\n\n", num, i)
			num++
		}
		return b.String()
	}
	v := func(ed int, text string) *diff.Version {
		x := &diff.Version{ID: "privacy", Edition: ed, Label: "edition " + string(rune('0'+ed)),
			Effective: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
			Title:     map[saiasat.Lang]string{"kk": "Саясат", "ru": "Политика"},
			Languages: []saiasat.Lang{"kk", "ru"}, Docs: map[saiasat.Lang]*saiasat.Document{}}
		x.Docs["kk"], _ = markdown.Parse("kk.md", "kk", []byte(text))
		x.Docs["ru"], _ = markdown.Parse("ru.md", "ru", []byte(text))
		x.Version = saiasat.HashBytes([]byte(text))
		return x
	}
	r := diff.Compare(v(1, doc("", 150)), v(2, doc("Жаңа тармақ.", 150)))
	rl, err := render.NewRedline(r, render.RedlineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	pdf, err := render.RedlinePDF(r, render.RedlineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	row := regexp.MustCompile(`(?m)^→ 1\.\d+$`)
	headings := []string{"kk: " + rl.Cols[0].ToLabel, "ru: " + rl.Cols[1].ToLabel}
	pages := 0
	for i, page := range strings.Split(pdftotext(t, pdf), "\f") {
		if !row.MatchString(page) {
			continue
		}
		pages++
		for _, h := range headings {
			if !strings.Contains(page, h) {
				t.Errorf("page %d carries concordance rows without the heading %q", i+1, h)
			}
		}
	}
	if pages < 2 {
		t.Errorf("concordance on %d pages, want a test that runs it over at least 2", pages)
	}
}

// A changed effective date is one unit on a line: a phone's narrow column
// left «16 / сентября 2025 г.» and «16.09.2025 / ж.» on two lines.
func TestRedlineDatesHoldTogether(t *testing.T) {
	r := sampleDiff(t)
	r.Metadata = append(r.Metadata, diff.MetaChange{Field: "effective", From: "2025-09-16", To: "2026-12-01"})
	b, err := render.RedlineHTML(r, render.RedlineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"16.09.2025\u00a0ж. → 01.12.2026\u00a0ж.", "16\u00a0сентября\u00a02025\u00a0г. → 1\u00a0декабря\u00a02026\u00a0г."} {
		if !strings.Contains(string(b), want) {
			t.Errorf("redline lacks %q", want)
		}
	}
}
