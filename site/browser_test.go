package site_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/css"
	"github.com/chromedp/cdproto/dom"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/saiasat/saiasat/internal/testtool"
	"github.com/saiasat/saiasat/server"
	"github.com/saiasat/saiasat/site"
)

const chromium = "/usr/bin/chromium"

// TestBrowser opens the published site in Debian's Chromium, headless,
// served on 127.0.0.1: at 390 × 844 and 1280 × 900, in both languages, the
// policy's first clause is on the first screen and the page has one <h1>;
// tap targets of the language links are at least 44 px; a cited clause's
// language link lands on the same clause in Russian; served by saiasat
// serve's handler (its Content-Security-Policy), every Kazakh and Russian
// letter, regular and bold, is set in the site's own font and no other
// (DevTools CSS.getPlatformFontsForNode); nothing is logged as an error,
// and no request leaves 127.0.0.1. A screenshot is kept in the test's
// artifact folder (go test -artifacts).
func TestBrowser(t *testing.T) {
	chromium := testtool.Require(t, chromium)
	dir := filepath.Join(t.TempDir(), "site")
	if err := build(t, false).Write(dir); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()
	// The same site as saiasat serve answers it, with its headers (the
	// Content-Security-Policy must let the fonts load).
	served, err := server.New(func(time.Time) (*site.Site, error) { return build(t, false), nil }, server.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	defer served.Close()
	live := httptest.NewServer(served)
	defer live.Close()

	bctx, problems := startBrowser(t, chromium)

	// Phone first: at 390 × 844 the policy's first clause starts within
	// the first screen, under one <h1>, and the language switch is a
	// target a thumb can hit (44 px). The same holds on a desktop.
	for _, vp := range []struct{ w, h int64 }{{390, 844}, {1280, 900}} {
		for _, l := range []string{"kk", "ru"} {
			if err := chromedp.Do(bctx, chromedp.EmulateViewport(vp.w, vp.h), chromedp.Navigate(srv.URL+"/"+l+"/privacy/"),
				chromedp.WaitVisible(chromedp.CSS(`div.clause[id="3.12.1"]`))); err != nil {
				t.Fatalf("open the %s page at %d px: %v", l, vp.w, err)
			}
			top := eval(t, bctx, `document.querySelector("div.clause").getBoundingClientRect().top`)
			h1s := eval(t, bctx, `document.querySelectorAll("h1").length`)
			switchHeight := eval(t, bctx, `document.querySelector("nav.langs a").getBoundingClientRect().height`)
			if top >= float64(vp.h) {
				t.Errorf("%s at %d×%d: the first clause starts at %.0f px, below the first screen", l, vp.w, vp.h, top)
			}
			if h1s != 1 {
				t.Errorf("%s at %d px: %.0f <h1>, want 1", l, vp.w, h1s)
			}
			if switchHeight < 44 {
				t.Errorf("%s at %d px: the language switch is %.0f px high, want ≥ 44", l, vp.w, switchHeight)
			}
			t.Logf("%s at %d×%d: first clause at %.0f px", l, vp.w, vp.h, top)
		}
	}
	text, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Редакция 1 · действует с 16 сентября 2025 г.", "Пользователь", "понятия"} {
		if !strings.Contains(strings.ReplaceAll(text, "\u00a0", " "), want) {
			t.Errorf("the page's text lacks %q", want)
		}
	}
	// A cited clause (a link to its edition's page) offers the same clause
	// in the other language, as a full-size target named in that language.
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(srv.URL+"/kk/privacy/editions/1/#3.12.1"),
		chromedp.WaitVisible(chromedp.CSS(`div.clause[id="3.12.1"] a.other-lang`))); err != nil {
		t.Fatalf("open a cited clause: %v", err)
	}
	linkHeight := eval(t, bctx, `document.querySelector('div.clause[id="3.12.1"] a.other-lang').getBoundingClientRect().height`)
	if linkHeight < 44 {
		t.Errorf("the cited clause's language link is %.0f px high, want ≥ 44", linkHeight)
	}
	if err := chromedp.Do(bctx, chromedp.Click(chromedp.CSS(`div.clause[id="3.12.1"] a.other-lang`)), chromedp.WaitVisible(chromedp.CSS(`html[lang="ru"] div.clause[id="3.12.1"]`))); err != nil {
		t.Fatalf("follow the language link: %v", err)
	}
	loc, err := chromedp.Run(bctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(loc, "/ru/privacy/editions/1/#3.12.1") {
		t.Errorf("the language link landed on %s, want /ru/privacy/editions/1/#3.12.1", loc)
	}
	shot, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(t.ArtifactDir(), "ru-privacy-3.12.1.png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
	// Last, as it asks for the DOM itself: the site's own font sets every
	// Kazakh and Russian letter, regular and bold, with no ransom-note
	// fallback: a clause with all of them is added to the page in the test
	// (its number bold, the text regular, then a bold run), and Chromium
	// reports, through the DevTools protocol, which fonts rendered each
	// node's text: one, the bundled one, downloaded from saiasat serve.
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(390, 844), chromedp.Navigate(live.URL+"/kk/privacy/"), chromedp.WaitVisible(chromedp.CSS(`div.text`))); err != nil {
		t.Fatal(err)
	}
	eval(t, bctx, `document.fonts.ready.then(() => 1)`)
	eval(t, bctx, `(() => { const d = document.createElement("div"); d.className = "clause"; d.id = "letters";
		const p = document.createElement("p"); const n = document.createElement("a"); n.className = "num"; n.id = "letters-num";
		n.textContent = "`+kazakh+`"; p.appendChild(n); const r = document.createElement("span"); r.id = "letters-regular";
		r.textContent = "`+kazakh+` `+russian+` "; p.appendChild(r);
		const b = document.createElement("strong"); b.id = "letters-bold"; b.textContent = "`+russian+`"; p.appendChild(b);
		d.appendChild(p); document.querySelector("div.text").prepend(d); return 1 })()`)
	eval(t, bctx, `document.fonts.ready.then(() => 1)`)
	for _, c := range []struct{ sel, family string }{
		// The clause's number is bold, its text regular, then a bold run.
		{"#letters-num", "Saiasat Serif"}, // bold
		{"#letters-regular", "Saiasat Serif"},
		{"#letters-bold", "Saiasat Serif"}, // bold
		{`div.clause[id="2.1"] p`, "Saiasat Serif"},
		{"p.status", "Saiasat Sans"},
		{"header.site a", "Saiasat Sans"},
	} {
		fonts := platformFonts(t, bctx, c.sel)
		if len(fonts) != 1 || fonts[0].FamilyName != c.family || !fonts[0].IsCustomFont {
			var names []string
			for _, f := range fonts {
				names = append(names, fmt.Sprintf("%s (custom %v)", f.FamilyName, f.IsCustomFont))
			}
			t.Errorf("%s is set in %v, want only the bundled %s", c.sel, names, c.family)
		}
		for _, f := range fonts {
			t.Logf("%s: %s (%s, %.0f glyphs)", c.sel, f.FamilyName, f.PostScriptName, f.GlyphCount)
		}
	}
	for _, sel := range []string{"#letters-num", "#letters-bold"} {
		if w := eval(t, bctx, `parseInt(getComputedStyle(document.querySelector("`+sel+`")).fontWeight)`); w != 700 {
			t.Errorf("%s: font-weight %.0f, want 700", sel, w)
		}
	}
	for _, p := range problems() {
		t.Error(p)
	}
}

// startBrowser starts Debian's Chromium, headless, for the test's life,
// with a listener that notes what a page must never do: log an error or
// a warning, throw, or request anything from another host than
// 127.0.0.1; problems returns those notes.
func startBrowser(t *testing.T, chromium string) (ctx context.Context, problems func() []string) {
	var mu sync.Mutex
	var notes []string
	note := func(s string) {
		mu.Lock()
		notes = append(notes, s)
		mu.Unlock()
	}
	listen := func(ev any) {
		switch ev := ev.(type) {
		case *network.EventRequestWillBeSent:
			if u, err := url.Parse(ev.Request.URL); err == nil && u.Scheme != "data" && u.Hostname() != "127.0.0.1" {
				note("request to " + ev.Request.URL)
			}
		case *runtime.EventConsoleAPICalled:
			if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeWarning {
				note("console " + string(ev.Type))
			}
		case *runtime.EventExceptionThrown:
			note("exception: " + ev.ExceptionDetails.Text)
		case *log.EventEntryAdded:
			if ev.Entry.Level == log.EntryLevelError {
				note("log: " + ev.Entry.Text + " " + ev.Entry.URL)
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.UserDataDir(t.TempDir()),
		// The machine's network is closed: no background connections.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
	)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)
	bctx, bcancel := chromedp.NewContext(actx, chromedp.WithListener(listen))
	t.Cleanup(bcancel)
	return bctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return slices.Clone(notes)
	}
}

// eval returns the number a script in the test's page gives, once a
// promise it returns settles (the page
// itself has no script; the test measures it through the DevTools
// protocol).
func eval(t *testing.T, ctx context.Context, js string) float64 {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[float64](js, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("%s: %v", js, err)
	}
	return v
}

// The letters the font test sets: every Kazakh and Russian letter, upper
// and lower case.
const (
	kazakh  = "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
	russian = "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
)

// platformFonts returns the fonts Chromium used for the text of the first
// element sel matches (its own text nodes, not its children's), with their
// glyph counts.
func platformFonts(t *testing.T, ctx context.Context, sel string) []*css.PlatformFontUsage {
	t.Helper()
	doc, err := chromedp.Call(ctx, dom.GetDocument, dom.GetDocumentParams{})
	if err != nil {
		t.Fatal(err)
	}
	n, err := chromedp.Call(ctx, dom.QuerySelector, dom.QuerySelectorParams{NodeID: doc.Root.NodeID, Selector: sel})
	if err != nil || n.NodeID == 0 {
		t.Fatalf("%s: %v", sel, err)
	}
	if _, err := chromedp.Call(ctx, css.Enable, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	r, err := chromedp.Call(ctx, css.GetPlatformFontsForNode, css.GetPlatformFontsForNodeParams{NodeID: n.NodeID})
	if err != nil {
		t.Fatal(err)
	}
	return r.Fonts
}
