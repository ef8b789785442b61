package render_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/internal/blocktest"
	"github.com/saiasat/saiasat/internal/testtool"
	"github.com/saiasat/saiasat/markdown"
	"github.com/saiasat/saiasat/render"
)

// parse parses a test's text, which must have no findings.
func parse(t *testing.T, lang saiasat.Lang, src string) *saiasat.Document {
	t.Helper()
	doc, fs := markdown.Parse(string(lang)+".md", lang, []byte(src))
	if len(fs) > 0 {
		t.Fatalf("%s: %v", lang, fs)
	}
	return doc
}

// What the page shows of each kind of block in the every-kind text: a
// kind without an entry here, or whose entry is not on the page, fails.
var pageShows = map[saiasat.Kind][]string{
	saiasat.KindTitle:     {`<p class="doc-title">ПОЛИТИКА<br>` + "\n" + `обработки персональных данных ТОО «МФО «Пример»</p>`},
	saiasat.KindApproval:  {`<div class="approval" id="a1"><p>УТВЕРЖДЕНО<br>` + "\n" + `Решением единственного участника`},
	saiasat.KindChapter:   {`<h2 class="chapter" id="ch1">Глава 1. Общие положения</h2>`, `<h2 class="chapter" id="ch2">`},
	saiasat.KindSection:   {`<h3 id="1">1. Термины</h3>`, `<h3 id="2">2.</h3>`, `<h3 id="ch2/h1">Часто задаваемые вопросы</h3>`},
	saiasat.KindClause:    {`<div class="clause" id="1.1"><a class="num" href="#1.1">1.1.</a>` + "\n<p>В Политике используются понятия:</p>"},
	saiasat.KindItem:      {`<p class="item depth1"><span class="label">2)</span> обработка`, `<p class="item depth2"><span class="label">а)</span> сбор;</p>`},
	saiasat.KindBullet:    {`<p class="bullet"><span class="label">–</span> знать`, `<span class="label">•</span> требовать`, `<span class="label">▪</span> отозвать`},
	saiasat.KindParagraph: {`<p class="para" id="p1">г. Алматы 2024 год</p>`, `<p class="para" id="ch2/h1/p1">`},
	saiasat.KindTable:     {`<div class="table" id="2.1/t1" role="region" tabindex="0"><table>` + "\n<thead>\n<tr><th>Цель</th><th>Данные</th><th>Срок</th></tr>\n</thead>\n<tbody>\n<tr><td>Выдача микрокредита</td>"},
	saiasat.KindFootnote:  {`<div class="footnotes">` + "\n" + `<p class="footnote" id="fn1"><span class="label">¹</span> Хранение`},
	saiasat.KindSignature: {`<div class="signature" id="ch2/h1/s1"><p>Клиент: ____________ /Ф.И.О./<br>` + "\n" + `«___» ____________ 20__ г.<br>` + "\nМ.П.</p></div>"},
}

func TestPageEveryKind(t *testing.T) {
	doc := parse(t, "ru", blocktest.EveryKindRU)
	html, err := render.PageHTML(doc, markdown.HTMLOptions{})
	if err != nil {
		t.Fatal(err)
	}
	page := string(html)
	for _, k := range saiasat.Kinds() {
		shows, ok := pageShows[k]
		if !ok {
			t.Errorf("kind %s: no test of how the page shows it", k)
		}
		for _, s := range shows {
			if !strings.Contains(page, s) {
				t.Errorf("kind %s: the page lacks %q", k, s)
			}
		}
	}
	// Footnotes come last.
	if i, j := strings.Index(page, `class="footnotes"`), strings.Index(page, `class="signature"`); i < j {
		t.Errorf("footnotes at %d before the signature block at %d", i, j)
	}
	if t.Failed() {
		t.Log(page)
	}
}

// A block of a kind the renderers do not know is an error, never dropped.
func TestUnknownKindFails(t *testing.T) {
	doc := &saiasat.Document{Lang: "ru", Blocks: []*saiasat.Block{{Kind: saiasat.Kind(200), ID: "x1", Text: "x"}}}
	if _, err := render.PageHTML(doc, markdown.HTMLOptions{}); err == nil {
		t.Error("PageHTML: no error for an unknown kind")
	}
	if _, err := render.PolicyPDF(doc, render.PolicyPDFOptions{Lang: "ru", Title: "Т", Organization: "О", Edition: 1}); err == nil {
		t.Error("PolicyPDF: no error for an unknown kind")
	}
}

// The PDF of the every-kind text: every block's words, the stamp to the
// right of the page, the table's cells in their columns, footnotes after
// the signature block.
func TestPolicyPDFEveryKind(t *testing.T) {
	doc := parse(t, "ru", blocktest.EveryKindRU)
	pdf, err := render.PolicyPDF(doc, render.PolicyPDFOptions{Lang: "ru", Title: "Политика", Organization: "ТОО «МФО «Пример»", Edition: 1, Effective: "01.01.2026"})
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(testtool.PDFText(t, pdf)), " ")
	for _, want := range []string{"ПОЛИТИКА обработки персональных данных", "УТВЕРЖДЕНО Решением единственного участника", "Глава 1. Общие положения",
		"1. Термины", "1.1. В Политике используются понятия:", "а) сбор;", "• требовать исправления;", "▪ отозвать согласие.",
		"г. Алматы 2024 год", "Выдача микрокредита", "до отзыва согласия", "Часто задаваемые вопросы", "¹ Хранение – по правилам МФО.",
		"Клиент: ____________ /Ф.И.О./", "«___» ____________ 20__ г.", "М.П."} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	if i, j := strings.Index(text, "¹ Хранение"), strings.Index(text, "М.П."); i < j {
		t.Error("the footnote is not after the signature block")
	}
	// Layout: the stamp's lines end at the right margin; a cell's words
	// stay in their column.
	cmd := exec.Command(testtool.Require(t, "pdftotext"), "-layout", "-", "-")
	cmd.Stdin = strings.NewReader(string(pdf))
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	var stamp, row string
	for _, l := range strings.Split(string(out), "\n") {
		switch {
		case strings.Contains(l, "УТВЕРЖДЕНО"):
			stamp = l
		case strings.Contains(l, "Выдача микрокредита"):
			row = l
		}
	}
	if lead := len([]rune(stamp)) - len([]rune(strings.TrimLeft(stamp, " "))); lead < 40 {
		t.Errorf("the stamp is not right-aligned: %q", stamp)
	}
	if !strings.Contains(row, "ФИО, ИИН") || !strings.Contains(row, "5 лет") {
		t.Errorf("a table row's cells are not on one line: %q", row)
	}
}
