package preview_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/saiasat/saiasat/preview"
)

// copyPolicy copies the bundled policy into a temporary folder of
// policies and returns the policy's folder.
func copyPolicy(tb testing.TB) string {
	tb.Helper()
	dir := filepath.Join(tb.TempDir(), "privacy")
	if err := os.CopyFS(dir, os.DirFS("../policies/privacy")); err != nil {
		tb.Fatal(err)
	}
	return dir
}

func get(t *testing.T, h http.Handler, target string) (int, string, http.Header) {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
	b, _ := io.ReadAll(w.Body)
	return w.Code, string(b), w.Header()
}

// TestPreviewPages: what each path answers for a draft with a finding in
// clause 1.2 of the Kazakh text, for one policy folder and for a folder of
// policies, and for a broken policy.yaml.
func TestPreviewPages(t *testing.T) {
	dir := copyPolicy(t)
	kk := filepath.Join(dir, "kk.md")
	src, _ := os.ReadFile(kk)
	os.WriteFile(kk, []byte(strings.Replace(string(src), "\n1.2. ", "\n1.2. Дeрбес ", 1)), 0o644)
	one, err := preview.New(dir, preview.Options{})
	if err != nil {
		t.Fatal(err)
	}
	all, err := preview.New(filepath.Dir(dir), preview.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		h      http.Handler
		target string
		status int
		want   []string
	}{
		{"the draft at /", one, "/", 200, []string{`<base href="/kk/privacy/draft/">`, `<div class="clause" id="1.2"><aside class="preview-finding preview-error">`, "kk.md:5", "[script/mixed]", `href="/_preview/redline/privacy"`, `src="/_preview/reload.js"`}},
		{"the Russian draft", one, "/ru/privacy/draft/", 200, []string{`<html lang="ru"`, `<div class="clause" id="1.2"><aside class="preview-finding`}},
		{"the redline", one, "/_preview/redline/privacy", 200, []string{"<ins", "Дeрбес"}},
		{"the edition in force", one, "/kk/privacy/", 200, []string{`<html lang="kk"`}},
		{"a folder without its slash", one, "/kk/privacy", 302, nil},
		{"the stylesheet", one, "/assets/site.css", 200, nil},
		{"the reload script", one, "/_preview/reload.js", 200, []string{"/_preview/version", "location.reload()"}},
		{"no such page", one, "/nothing", 404, nil},
		{"a folder of policies: the index at /", all, "/", 200, []string{`privacy/`}},
		{"a folder of policies: the draft", all, "/kk/privacy/draft/", 200, []string{"[script/mixed]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body, _ := get(t, tt.h, tt.target)
			if code != tt.status {
				t.Fatalf("status %d, want %d: %.300s", code, tt.status, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(body, w) {
					t.Errorf("the answer lacks %q", w)
				}
			}
		})
	}

	// A broken file: every page shows its error, and the version moved.
	before, _ := one.Version()
	meta := filepath.Join(dir, "policy.yaml")
	good, _ := os.ReadFile(meta)
	os.WriteFile(meta, append([]byte("id: [unclosed\n"), good...), 0o644)
	after, _ := one.Version()
	if before == after {
		t.Error("saving policy.yaml did not change the version")
	}
	for _, target := range []string{"/", "/kk/privacy/draft/"} {
		code, body, _ := get(t, one, target)
		if code != 200 || !strings.Contains(body, `<pre class="preview-error-text">`) || !strings.Contains(body, "policy.yaml") || !strings.Contains(body, "/_preview/reload.js") {
			t.Errorf("%s with a broken policy.yaml: %d %.400s", target, code, body)
		}
	}
	os.WriteFile(meta, good, 0o644)
	if code, body, _ := get(t, one, "/"); code != 200 || !strings.Contains(body, "[script/mixed]") {
		t.Errorf("mended: %d %.300s", code, body)
	}
}

// TestPreviewMissingFolder: a folder that is not there is an error at
// start, naming it.
func TestPreviewMissingFolder(t *testing.T) {
	_, err := preview.New(filepath.Join(t.TempDir(), "nothing"), preview.Options{})
	if err == nil || !strings.Contains(err.Error(), "nothing") {
		t.Errorf("error %v, want one naming the folder", err)
	}
}

// BenchmarkPreviewStart is the start of saiasat preview on the bundled
// policy: the first build (load, check, site with the draft, redline)
// and the first page.
func BenchmarkPreviewStart(b *testing.B) {
	dir := copyPolicy(b)
	b.ReportAllocs()
	// CPU time too (user + system, both cores): on a shared machine the
	// wall time measures the neighbours.
	cpu := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := cpu()
	defer func() { b.ReportMetric(float64((cpu()-start).Milliseconds())/float64(b.N), "cpu-ms/op") }()
	for b.Loop() {
		p, err := preview.New(dir, preview.Options{})
		if err != nil {
			b.Fatal(err)
		}
		w := httptest.NewRecorder()
		p.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
	}
}

// TestPreviewFirstDraft: a policy with no approved edition yet (a consent
// form being written, numbered by paragraph) is previewed as it will be
// published, with its findings beside its blocks, and with no redline,
// since there is no edition for it to replace.
func TestPreviewFirstDraft(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "aqniet-consent")
	if err := os.CopyFS(dir, os.DirFS("../testdata/corpus/aqniet-consent")); err != nil {
		t.Fatal(err)
	}
	ru := filepath.Join(dir, "ru.md")
	src, _ := os.ReadFile(ru)
	// A Latin "o" in the first word of the text's first paragraph.
	edited := strings.Replace(string(src), "Я, ", "Я, нижеподписавшийся тoже, ", 1)
	if edited == string(src) {
		t.Fatal("ru.md of aqniet-consent no longer starts its consent with «Я, »")
	}
	os.WriteFile(ru, []byte(edited), 0o644)
	h, err := preview.New(dir, preview.Options{})
	if err != nil {
		t.Fatal(err)
	}
	code, body, _ := get(t, h, "/ru/aqniet-consent/draft/")
	if code != 200 {
		t.Fatalf("GET the first draft: %d\n%s", code, body)
	}
	for _, want := range []string{"нижеподписавшийся", "[script/mixed]", "ru.md:", "Согласие"} {
		if !strings.Contains(body, want) {
			t.Errorf("the first draft's page lacks %q", want)
		}
	}
	if strings.Contains(body, `href="/_preview/redline/`) {
		t.Error("the first draft links a redline, but there is no edition to compare it with")
	}
	if code, _, _ := get(t, h, "/"); code != 200 {
		t.Errorf("GET /: %d", code)
	}
}
