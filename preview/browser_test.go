package preview_test

import (
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/saiasat/saiasat/internal/testtool"
	"github.com/saiasat/saiasat/preview"
)

const chromium = "/usr/bin/chromium"

// TestPreviewInChromium opens the preview of a copy of the bundled policy
// in Debian's Chromium, headless, at 1280 × 900, then edits the draft on
// disk as an editor would: the saved edit appears without a click (the
// page reloads itself), the finding check makes of it is shown beside the
// clause it concerns (to the right of the clause, at its height), the
// redline against the edition in force is one click away and shows the
// edit, and a broken policy.yaml shows its error, which goes away when
// the file is mended.
func TestPreviewInChromium(t *testing.T) {
	chromium := testtool.Require(t, chromium)
	dir := filepath.Join(t.TempDir(), "privacy")
	if err := os.CopyFS(dir, os.DirFS("../policies/privacy")); err != nil {
		t.Fatal(err)
	}
	p, err := preview.New(dir, preview.Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(p)
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
	)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	// The first step starts the browser: no short timeout.
	if err := chromedp.Do(bctx, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(srv.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`div.clause[id="1.2"]`))); err != nil {
		t.Fatalf("open the draft at /: %v", err)
	}
	wait := func(what, sel string) {
		t.Helper()
		sctx, scancel := context.WithTimeout(bctx, 30*time.Second)
		defer scancel()
		if err := chromedp.Do(sctx, chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
			t.Fatalf("%s (%s): %v", what, sel, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}
	findings, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll("aside.preview-finding").length`))
	if err != nil {
		t.Fatal(err)
	}
	if findings != 0 {
		t.Fatalf("the bundled draft shows %d findings, want none", findings)
	}

	// Save an edit with a mixed-script word into clause 1.2 of kk.md.
	kk := filepath.Join(dir, "kk.md")
	src, err := os.ReadFile(kk)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(src), "\n1.2. ", "\n1.2. ТЕКСЕРУСӨЗ Дeрбес ", 1) // Latin e
	if edited == string(src) {
		t.Fatal("clause 1.2 not found in kk.md")
	}
	if err := os.WriteFile(kk, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	wait("the edit appears", `div.clause[id="1.2"] aside.preview-finding`)
	clause, aside := text(`div.clause[id="1.2"]`), text(`div.clause[id="1.2"] aside.preview-finding`)
	if !strings.Contains(clause, "ТЕКСЕРУСӨЗ") {
		t.Errorf("clause 1.2 lacks the saved edit: %.200s", clause)
	}
	if !strings.Contains(aside, "script/mixed") || !strings.Contains(aside, "kk.md:5") {
		t.Errorf("the finding beside clause 1.2 reads %q, want the script/mixed finding at kk.md:5", aside)
	}
	// Beside: to the right of the clause's text, starting at its height.
	type box struct{ ClauseRight, ClauseTop, ClauseBottom, AsideLeft, AsideTop float64 }
	geo, err := chromedp.Run(bctx, chromedp.Evaluate[box](`(() => {
		const c = document.querySelector('div.clause[id="1.2"]').getBoundingClientRect();
		const a = document.querySelector('div.clause[id="1.2"] aside.preview-finding').getBoundingClientRect();
		return {ClauseRight: c.right, ClauseTop: c.top, ClauseBottom: c.bottom, AsideLeft: a.left, AsideTop: a.top};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if geo.AsideLeft < geo.ClauseRight || geo.AsideTop < geo.ClauseTop-1 || geo.AsideTop > geo.ClauseBottom {
		t.Errorf("the finding is not beside its clause: %+v", geo)
	}

	// The redline against edition 1, one click away, shows the edit.
	if err := chromedp.Do(bctx, chromedp.Click(chromedp.CSS(`a.preview-redline`))); err != nil {
		t.Fatalf("click the redline link: %v", err)
	}
	wait("the redline opens", `ins`)
	red := text(`body`)
	if !strings.Contains(red, "ТЕКСЕРУСӨЗ") {
		t.Errorf("the redline lacks the edit: %.300s", red)
	}

	// A broken file shows its error, and the page mends itself.
	if err := chromedp.Do(bctx, chromedp.Navigate(srv.URL+"/")); err != nil {
		t.Fatal(err)
	}
	wait("back to the draft", `div.clause[id="1.2"]`)
	meta := filepath.Join(dir, "policy.yaml")
	good, err := os.ReadFile(meta)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(meta, append([]byte("id: [unclosed\n"), good...), 0o644); err != nil {
		t.Fatal(err)
	}
	wait("the error shows", `pre.preview-error-text`)
	errText := text(`pre.preview-error-text`)
	if !strings.Contains(errText, "policy.yaml") {
		t.Errorf("the error page says %q, want it to name policy.yaml", errText)
	}
	if err := os.WriteFile(meta, good, 0o644); err != nil {
		t.Fatal(err)
	}
	wait("the draft comes back", `div.clause[id="1.2"] aside.preview-finding`)
}
