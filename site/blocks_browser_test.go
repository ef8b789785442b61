package site_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/internal/blocktest"
	"github.com/saiasat/saiasat/internal/testtool"
	"github.com/saiasat/saiasat/markdown"
	"github.com/saiasat/saiasat/release"
	"github.com/saiasat/saiasat/site"
)

// wideTable is a table too wide for a phone: long words that cannot wrap.
const wideTable = `
## 3. Передача

3.1. Данные передаются:

| Получатель | Категории данных | Основание | Страна | Срок хранения |
|---|---|---|---|---|
| Кредитное бюро «Первое кредитное бюро» | ФИО, ИИН, сведения о микрокредитах | Закон о кредитных бюро | Казахстан | 10 лет |
| Коллекторское агентство | ФИО, телефон, задолженность | Договор о микрокредите | Казахстан | до погашения |
`

// The blocks of the tree as a demanding reader sees them in Chromium, at
// 390 px and 1280 px: the approval stamp right-aligned and line by line; a
// table wider than a phone scrolls inside its own box and never widens
// the page; footnotes in smaller type than the text, after it; a nested
// item indented more than its parent; a chapter above its sections.
func TestBlocksInBrowser(t *testing.T) {
	chromium := testtool.Require(t, chromium)
	src := strings.Replace(blocktest.EveryKindRU, "\n## Глава 2.", wideTable+"\n## Глава 2.", 1)
	doc, fs := markdown.Parse("ru.md", "ru", []byte(src))
	if len(fs) > 0 {
		t.Fatal(fs)
	}
	p := &saiasat.Policy{Dir: filepath.Join(t.TempDir(), "consent"), ID: "consent", Languages: []saiasat.Lang{"ru"}, Edition: 1, Effective: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		Title: map[saiasat.Lang]string{"ru": "Политика"}, Organization: map[saiasat.Lang]string{"ru": "ТОО «МФО «Пример»"},
		Docs: map[saiasat.Lang]*saiasat.Document{"ru": doc}}
	st := release.NewStore(p.Dir)
	r, err := st.Freeze(p, release.FreezeOptions{Edition: 1, Effective: p.Effective})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Approve(release.ApproveOptions{Edition: 1, Hash: r.Version, Decision: "№ 7", Date: p.Effective, Approver: "—"}); err != nil {
		t.Fatal(err)
	}
	rs, err := st.Releases()
	if err != nil {
		t.Fatal(err)
	}
	s, err := site.Build([]site.Input{{Releases: rs}}, site.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "site")
	if err := s.Write(dir); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("no-first-run", true))
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	num := func(js string) float64 {
		t.Helper()
		v, err := chromedp.Run(bctx, chromedp.Evaluate[float64](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	str := func(js string) string {
		t.Helper()
		v, err := chromedp.Run(bctx, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	for _, w := range []int64{390, 1280} {
		if err := chromedp.Do(bctx, chromedp.EmulateViewport(w, 844), chromedp.Navigate(srv.URL+"/ru/consent/"),
			chromedp.WaitVisible(chromedp.CSS(`div.table`))); err != nil {
			t.Fatalf("open the page at %d px: %v", w, err)
		}
		if got := num(`document.documentElement.scrollWidth`); got > float64(w) {
			t.Errorf("at %d px the page is %.0f px wide: something widens it", w, got)
		}
		if w == 390 {
			box := `document.querySelector('div.table[id="3.1/t1"]')`
			if sw, cw := num(box+`.scrollWidth`), num(box+`.clientWidth`); sw <= cw {
				t.Errorf("at 390 px the wide table (%.0f px) does not scroll in its box (%.0f px)", sw, cw)
			}
			if got := str(`getComputedStyle(` + box + `).overflowX`); got != "auto" {
				t.Errorf("the table's box: overflow-x %s", got)
			}
		}
		if got := str(`getComputedStyle(document.querySelector(".approval")).textAlign`); got != "right" {
			t.Errorf("at %d px the approval stamp is aligned %s, want right", w, got)
		}
		stamp := `document.querySelector(".approval")`
		if r, pr := num(stamp+`.getBoundingClientRect().right`), num(`document.querySelector("div.text").getBoundingClientRect().right`); pr-r > 2 {
			t.Errorf("at %d px the stamp ends %.0f px left of the text's edge", w, pr-r)
		}
		if lines := num(`document.querySelectorAll(".approval br").length`); lines != 2 {
			t.Errorf("the stamp has %.0f line breaks, want 2 (three lines as written)", lines)
		}
		text := num(`parseFloat(getComputedStyle(document.querySelector("div.clause p")).fontSize)`)
		note := num(`parseFloat(getComputedStyle(document.querySelector(".footnote")).fontSize)`)
		if note >= text {
			t.Errorf("footnotes in %.1f px type, the text in %.1f px: want smaller", note, text)
		}
		if num(`document.querySelector(".footnotes").getBoundingClientRect().top`) < num(`document.querySelector(".signature").getBoundingClientRect().bottom`) {
			t.Error("the footnotes are not after the text")
		}
		outer := num(`document.querySelector('p.item.depth1').getBoundingClientRect().left`)
		inner := num(`document.querySelector('p.item.depth2').getBoundingClientRect().left`)
		if inner <= outer {
			t.Errorf("a nested item starts at %.0f px, its parent at %.0f px: not indented", inner, outer)
		}
		if num(`document.querySelector("h2.chapter").getBoundingClientRect().top`) >= num(`document.querySelector('h3[id="1"]').getBoundingClientRect().top`) {
			t.Error("the chapter heading is not above its section")
		}
		shot, err := chromedp.Run(bctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(t.ArtifactDir(), "blocks-"+strconv.Itoa(int(w))+".png"), shot, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
