package site_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/saiasat/saiasat/internal/testtool"
)

// axeScript is axe-core, which make deps installs from npm (pinned in the
// Makefile) into the ignored .deps folder.
const axeScript = "../.deps/npm/node_modules/axe-core/axe.min.js"

// TestAxe runs axe-core inside Chromium on every page type of the
// published site — current (with an approved edition to come), edition,
// upcoming edition, changes, editions index, index (a language's and the
// root's), 404 and draft — in kk and ru, at 390 and 1280 px: zero
// violations of any rule (no rule is disabled). It also adds up the fonts
// each page downloaded: within 150 KB. A page made wrong on purpose shows
// that axe does report.
func TestAxe(t *testing.T) {
	chromium := testtool.Require(t, chromium)
	axe, err := os.ReadFile(axeScript)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("axe-core: %v (make deps installs it)", err)
		}
		t.Skipf("axe-core: %v (make deps installs it)", err)
	}
	// Site a: edition 1 in force, edition 2 approved for 2026-12-01; site
	// b: edition 1 and the draft.
	root := t.TempDir()
	if err := buildAt(t, twoEditions(t), now).Write(filepath.Join(root, "a")); err != nil {
		t.Fatal(err)
	}
	if err := build(t, true).Write(filepath.Join(root, "b")); err != nil {
		t.Fatal(err)
	}
	// Each at a server's root, as the 404 pages link from there.
	srvA := httptest.NewServer(http.FileServer(http.Dir(filepath.Join(root, "a"))))
	defer srvA.Close()
	srvB := httptest.NewServer(http.FileServer(http.Dir(filepath.Join(root, "b"))))
	defer srvB.Close()
	bctx, problems := startBrowser(t, chromium)
	// Every page loads its fonts afresh, so the performance entries count
	// them all.
	if _, err := chromedp.Call(bctx, network.Enable, network.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(bctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true}); err != nil {
		t.Fatal(err)
	}
	srvURL := func(path string) string {
		site, path, _ := strings.Cut(path, "/")
		if site == "b" {
			return srvB.URL + "/" + path
		}
		return srvA.URL + "/" + path
	}

	pages := []struct{ name, path string }{
		{"current", "a/{lang}/privacy/"},
		{"edition", "a/{lang}/privacy/editions/1/"},
		{"upcoming edition", "a/{lang}/privacy/editions/2/"},
		{"changes", "a/{lang}/privacy/changes/2/"},
		{"editions", "a/{lang}/privacy/editions/"},
		{"index", "a/{lang}/"},
		{"404", "a/{lang}/404.html"},
		{"draft", "b/{lang}/privacy/draft/"},
		{"root index", "a/"},
		{"root 404", "a/404.html"},
	}
	type violation struct {
		ID, Impact, Help string
		Nodes            []string
	}
	run := func(path string, w, h int64) ([]violation, float64) {
		t.Helper()
		if err := chromedp.Do(bctx, chromedp.EmulateViewport(w, h), chromedp.Navigate(srvURL(path)), chromedp.WaitReady(chromedp.CSS("main"))); err != nil {
			t.Fatalf("open %s at %d px: %v", path, w, err)
		}
		fontBytes := eval(t, bctx, `document.fonts.ready.then(() => performance.getEntriesByType("resource")
			.filter(e => e.name.endsWith(".woff")).reduce((n, e) => n + e.decodedBodySize, 0))`)
		if _, err := chromedp.Run(bctx, chromedp.Evaluate[bool](string(axe)+"\n;true")); err != nil {
			t.Fatalf("inject axe-core into %s: %v", path, err)
		}
		out, err := chromedp.Run(bctx, chromedp.Evaluate[string](`axe.run(document, {resultTypes: ["violations"]}).then(r => JSON.stringify(
			r.violations.map(v => ({ID: v.id, Impact: v.impact, Help: v.help, Nodes: v.nodes.slice(0, 4).map(n => n.target.join(" "))}))))`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatalf("axe on %s: %v", path, err)
		}
		var vs []violation
		if err := json.Unmarshal([]byte(out), &vs); err != nil {
			t.Fatalf("axe on %s: %v", path, err)
		}
		return vs, fontBytes
	}
	n := 0
	for _, vp := range []struct{ w, h int64 }{{390, 844}, {1280, 900}} {
		for _, l := range []string{"kk", "ru"} {
			for _, pg := range pages {
				if strings.HasPrefix(pg.name, "root") && l == "ru" {
					continue // one page for both languages
				}
				path := strings.ReplaceAll(pg.path, "{lang}", l)
				vs, fontBytes := run(path, vp.w, vp.h)
				n++
				for _, v := range vs {
					t.Errorf("%s (%s, %d px): %s (%s): %s at %v", pg.name, l, vp.w, v.ID, v.Impact, v.Help, v.Nodes)
				}
				if fontBytes > 150*1024 || fontBytes == 0 {
					t.Errorf("%s (%s, %d px): %.0f bytes of fonts, want some and at most 150 KB", pg.name, l, vp.w, fontBytes)
				}
				if vp.w == 390 {
					t.Logf("%s (%s): %d violations, %.0f bytes of fonts", pg.name, l, len(vs), fontBytes)
				}
			}
		}
	}
	t.Logf("%d pages checked", n)
	// The check can fail: an image with no text and a link with no name on
	// a page are reported.
	if err := chromedp.Do(bctx, chromedp.Navigate(srvA.URL+"/kk/privacy/"), chromedp.WaitReady(chromedp.CSS("main"))); err != nil {
		t.Fatal(err)
	}
	eval(t, bctx, `(() => { const i = document.createElement("img"); i.src = "../../assets/favicon.svg"; document.querySelector("main").append(i);
		const a = document.createElement("a"); a.href = "#x"; document.querySelector("main").append(a); return 1 })()`)
	if _, err := chromedp.Run(bctx, chromedp.Evaluate[bool](string(axe)+"\n;true")); err != nil {
		t.Fatal(err)
	}
	out, err := chromedp.Run(bctx, chromedp.Evaluate[string](`axe.run(document).then(r => r.violations.map(v => v.id).join(" "))`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"image-alt", "link-name"} {
		if !strings.Contains(out, want) {
			t.Errorf("axe did not report %s on a page made to break it (it said %q)", want, out)
		}
	}
	for _, p := range problems() {
		t.Error(p)
	}
}
