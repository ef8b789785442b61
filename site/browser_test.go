package site_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/saiasat/saiasat/internal/testtool"
)

const chromium = "/usr/bin/chromium"

// TestBrowser opens the published site in Debian's Chromium, headless,
// served on 127.0.0.1: the page renders with its Kazakh letters, a clause's
// language link lands on the same clause in Russian, nothing is logged as an
// error, and no request leaves 127.0.0.1. A screenshot is kept in the
// test's artifact folder (go test -artifacts).
func TestBrowser(t *testing.T) {
	chromium := testtool.Require(t, chromium)
	dir := filepath.Join(t.TempDir(), "site")
	if err := build(t, false).Write(dir); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(dir)))
	defer srv.Close()

	var mu sync.Mutex
	var problems []string
	note := func(s string) {
		mu.Lock()
		problems = append(problems, s)
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

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
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
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx, chromedp.WithListener(listen))
	defer bcancel()

	if err := chromedp.Do(bctx, chromedp.Navigate(srv.URL+"/kk/privacy/"), chromedp.WaitVisible(chromedp.CSS(`div.clause[id="3.12.1"]`))); err != nil {
		t.Fatalf("open the Kazakh page: %v", err)
	}
	text, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS("main")))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Қолданысқа енгізілді", "Пайдаланушы", "ұғымдар", "өңдеу"} {
		if !strings.Contains(text, want) {
			t.Errorf("the page's text lacks %q", want)
		}
	}
	if err := chromedp.Do(bctx, chromedp.Click(chromedp.CSS(`div.clause[id="3.12.1"] a.other-lang`)), chromedp.WaitVisible(chromedp.CSS(`html[lang="ru"] div.clause[id="3.12.1"]`))); err != nil {
		t.Fatalf("follow the language link: %v", err)
	}
	loc, err := chromedp.Run(bctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(loc, "/ru/privacy/#3.12.1") {
		t.Errorf("the language link landed on %s, want /ru/privacy/#3.12.1", loc)
	}
	shot, err := chromedp.Run(bctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(t.ArtifactDir(), "ru-privacy-3.12.1.png"), shot, 0o644); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, p := range problems {
		t.Error(p)
	}
}
