package server_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/saiasat/saiasat/release"
	"github.com/saiasat/saiasat/server"
	"github.com/saiasat/saiasat/site"
	"github.com/saiasat/saiasat/source"
)

const bundled = "../policies/privacy"

var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// twoEditions copies the bundled policy and approves its draft as edition
// 2, effective 2026-12-01.
func twoEditions(t testing.TB) string {
	t.Helper()
	root := t.TempDir()
	dir := filepath.Join(root, "privacy")
	if err := os.CopyFS(dir, os.DirFS(bundled)); err != nil {
		t.Fatal(err)
	}
	approveDraft(t, dir)
	return root
}

func approveDraft(t testing.TB, dir string) {
	t.Helper()
	p, _, err := source.Load(os.DirFS(dir), dir)
	if err != nil {
		t.Fatal(err)
	}
	s := release.NewStore(dir)
	s.Now = func() time.Time { return now }
	r, err := s.Freeze(p, release.FreezeOptions{Edition: p.Edition, Effective: p.Effective})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Approve(release.ApproveOptions{Edition: p.Edition, Hash: r.Version, Decision: "Решение № 2", Date: now, Approver: "Единственный участник"}); err != nil {
		t.Fatal(err)
	}
}

func loader(root string) server.Loader {
	return func(at time.Time) (*site.Site, error) {
		subs, err := source.Discover(os.DirFS(root))
		if err != nil {
			return nil, err
		}
		var in []site.Input
		for _, sub := range subs {
			rs, err := release.NewStore(filepath.Join(root, sub)).Releases()
			if err != nil {
				return nil, err
			}
			in = append(in, site.Input{Releases: rs})
		}
		return site.Build(in, site.Options{Now: at})
	}
}

func newServer(t testing.TB, root string, clock time.Time) *server.Server {
	t.Helper()
	s, err := server.New(loader(root), server.Options{Now: func() time.Time { return clock }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

func do(s http.Handler, method, target string, hdr ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

const (
	kk1 = "sha256:07b8f57c29d70afe036e148f8b138c98c0e754d8875491fea51d2b6af07498c3"
	v1  = "sha256:cd4dfdbebd04151be864dc3d149a7820452d344e2aab63677f629fe157ed8485"
)

func TestRoutes(t *testing.T) {
	s := newServer(t, twoEditions(t), now)
	tests := []struct {
		name, method, target string
		hdr                  []string
		status               int
		ctype                string
		body                 string // substring
		headers              map[string]string
	}{
		{"policies", "GET", "/v1/policies", nil, 200, "application/json", `"current_edition": 1`, map[string]string{"Cache-Control": "public, max-age=60"}},
		{"current kk", "GET", "/v1/policies/privacy/current?lang=kk", nil, 200, "application/json", `"text_sha256": "` + kk1, map[string]string{"Cache-Control": "public, max-age=60"}},
		{"current at a future instant", "GET", "/v1/policies/privacy/current?lang=ru&at=2026-12-01T00:00:00%2B05:00", nil, 200, "application/json", `"edition": 2`, nil},
		{"current at the first day", "GET", "/v1/policies/privacy/current?lang=kk&at=2025-09-16T00:00:00Z", nil, 200, "application/json", `"edition": 1`, nil},
		{"current before any edition", "GET", "/v1/policies/privacy/current?lang=kk&at=2020-01-01T00:00:00Z", nil, 404, "application/problem+json", "no edition in force", nil},
		{"current without lang", "GET", "/v1/policies/privacy/current", nil, 400, "application/problem+json", "lang must be one of", nil},
		{"current with an unknown lang", "GET", "/v1/policies/privacy/current?lang=en", nil, 400, "application/problem+json", "lang", nil},
		{"current with a bad instant", "GET", "/v1/policies/privacy/current?lang=kk&at=yesterday", nil, 400, "application/problem+json", "RFC 3339", nil},
		{"unknown policy", "GET", "/v1/policies/cookies/current?lang=kk", nil, 404, "application/problem+json", "no such policy", nil},
		{"editions", "GET", "/v1/policies/privacy/editions", nil, 200, "application/json", `"status": "upcoming"`, nil},
		{"diff", "GET", "/v1/policies/privacy/diff?from=1&to=2", nil, 200, "application/json", `"renumbered": 62`, map[string]string{"Cache-Control": "public, max-age=300"}},
		{"diff with a signed number", "GET", "/v1/policies/privacy/diff?from=%2B1&to=2", nil, 400, "application/problem+json", "edition numbers", nil},
		{"diff backwards", "GET", "/v1/policies/privacy/diff?from=2&to=1", nil, 200, "application/json", `"renumbered": 62`, nil},
		{"diff in one language", "GET", "/v1/policies/privacy/diff?from=1&to=2&lang=ru", nil, 200, "application/json", `"ru"`, nil},
		{"diff of an unknown edition", "GET", "/v1/policies/privacy/diff?from=1&to=9", nil, 404, "application/problem+json", "", nil},
		{"diff with bad numbers", "GET", "/v1/policies/privacy/diff?from=one&to=2", nil, 400, "application/problem+json", "edition numbers", nil},
		{"version", "GET", "/v1/versions/" + v1, nil, 200, "application/json", `"historic": true`, map[string]string{"ETag": `"` + v1 + `"`, "Cache-Control": server.Immutable}},
		{"malformed version", "GET", "/v1/versions/sha256:abc", nil, 400, "application/problem+json", "64 lowercase hex", nil},
		{"unknown version", "GET", "/v1/versions/sha256:" + strings.Repeat("0", 64), nil, 404, "application/problem+json", "", nil},
		{"text", "GET", "/v1/texts/" + kk1, nil, 200, "text/markdown; charset=utf-8", "## 1. Жалпы ережелер.", map[string]string{"ETag": `"` + kk1 + `"`, "Cache-Control": server.Immutable, "Vary": "Accept"}},
		{"text as a page", "GET", "/v1/texts/" + kk1, []string{"Accept", "text/html,application/xhtml+xml,*/*;q=0.8"}, 200, "text/html; charset=utf-8", `<html lang="kk">`, map[string]string{"Vary": "Accept", "Content-Security-Policy": "default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"}},
		{"text as a PDF", "GET", "/v1/texts/" + kk1 + ".pdf", nil, 200, "application/pdf", "%PDF-", map[string]string{"Cache-Control": "public, max-age=86400"}},
		{"text in a type it has not", "GET", "/v1/texts/" + kk1, []string{"Accept", "image/png"}, 406, "application/problem+json", "", map[string]string{"Vary": "Accept"}},
		{"JSON refused", "GET", "/v1/policies", []string{"Accept", "application/xml"}, 406, "application/problem+json", "", nil},
		{"unknown text", "GET", "/v1/texts/sha256:" + strings.Repeat("a", 64), nil, 404, "application/problem+json", "", nil},
		{"upper-case hash", "GET", "/v1/texts/SHA256:" + strings.Repeat("A", 64), nil, 400, "application/problem+json", "", nil},
		{"wrong method", "POST", "/v1/policies", nil, 405, "application/problem+json", "only GET and HEAD", map[string]string{"Allow": "GET, HEAD"}},
		{"wrong method on a page", "DELETE", "/kk/privacy/", nil, 405, "application/problem+json", "", map[string]string{"Allow": "GET, HEAD"}},
		{"OPTIONS", "OPTIONS", "/v1/policies", nil, 405, "application/problem+json", "", map[string]string{"Allow": "GET, HEAD"}},
		{"site page", "GET", "/kk/privacy/", nil, 200, "text/html; charset=utf-8", "1-басылым · 16.09.2025\u00a0ж. бастап қолданыста", map[string]string{"Content-Security-Policy": "default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"}},
		{"site folder without slash", "GET", "/ru/privacy", nil, 301, "", "", map[string]string{"Location": "/ru/privacy/"}},
		{"site PDF", "GET", "/ru/privacy/editions/1/privacy-ru-1.pdf", nil, 200, "application/pdf", "", map[string]string{"Cache-Control": "public, max-age=300"}},
		{"version in the mirror", "GET", "/api/v1/versions/" + v1 + ".json", nil, 200, "application/json", v1, map[string]string{"Cache-Control": server.Immutable}},
		{"feed", "GET", "/kk/privacy/feed.xml", nil, 200, "application/atom+xml; charset=utf-8", "2-басылым", nil},
		{"no such page", "GET", "/kk/cookies/", nil, 404, "application/problem+json", "", nil},
		// A browser meets the site's own 404 page, in the path's language.
		{"no such page in a browser", "GET", "/ru/cookies/", []string{"Accept", "text/html,application/xhtml+xml,*/*;q=0.8"}, 404, "text/html; charset=utf-8", "Страница не найдена", map[string]string{"Vary": "Accept", "Cache-Control": "no-store"}},
		{"no such page in a browser, kk", "GET", "/kk/cookies/", []string{"Accept", "text/html"}, 404, "text/html; charset=utf-8", `<html lang="kk">`, nil},
		{"no such page in a browser, elsewhere", "GET", "/nothing", []string{"Accept", "text/html"}, 404, "text/html; charset=utf-8", "Бет табылмады</span> · <span lang=\"ru\">Страница не найдена", nil},
		{"no such API path in a browser", "GET", "/v1/nothing", []string{"Accept", "text/html"}, 404, "application/problem+json", "", nil},
		{"openapi", "GET", "/v1/openapi.json", nil, 200, "application/json", `"openapi": "3.0.3"`, nil},
		{"healthz", "GET", "/healthz", nil, 200, "text/plain; charset=utf-8", "ok", nil},
		{"readyz", "GET", "/readyz", nil, 200, "text/plain; charset=utf-8", "ready", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := do(s, tt.method, tt.target, tt.hdr...)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			if tt.ctype != "" && w.Header().Get("Content-Type") != tt.ctype {
				t.Errorf("Content-Type %q, want %q", w.Header().Get("Content-Type"), tt.ctype)
			}
			if !strings.Contains(w.Body.String(), tt.body) {
				t.Errorf("body lacks %q:\n%.300s", tt.body, w.Body)
			}
			for k, v := range tt.headers {
				if got := w.Header().Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			// On every response.
			for k, v := range map[string]string{"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"} {
				if got := w.Header().Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			if !strings.Contains(w.Header().Get("Content-Security-Policy"), "frame-ancestors 'none'") {
				t.Errorf("CSP %q lacks frame-ancestors 'none'", w.Header().Get("Content-Security-Policy"))
			}
			if w.Code >= 400 && !strings.HasPrefix(w.Header().Get("Content-Type"), "text/html") {
				var p map[string]any
				if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || p["status"] != float64(w.Code) || p["title"] == "" {
					t.Errorf("not a problem document: %s", w.Body)
				}
			}
		})
	}
}

// The text a hash names is the bytes whose SHA-256 is that hash.
func TestTextHashIsSha256OfBody(t *testing.T) {
	s := newServer(t, twoEditions(t), now)
	for _, lang := range []string{"kk", "ru"} {
		var cur struct {
			Text string `json:"text_sha256"`
		}
		json.Unmarshal(do(s, "GET", "/v1/policies/privacy/current?lang="+lang).Body.Bytes(), &cur)
		body := do(s, "GET", "/v1/texts/"+cur.Text).Body.Bytes()
		sum := sha256.Sum256(body)
		if got := "sha256:" + hex.EncodeToString(sum[:]); got != cur.Text {
			t.Errorf("%s: sha256 of the body %s, hash %s", lang, got, cur.Text)
		}
	}
}

func TestConditionalAndHead(t *testing.T) {
	s := newServer(t, twoEditions(t), now)
	for _, target := range []string{"/v1/policies/privacy/current?lang=kk", "/v1/texts/" + kk1, "/v1/versions/" + v1, "/kk/privacy/"} {
		w := do(s, "GET", target)
		etag := w.Header().Get("ETag")
		if etag == "" || !strings.HasPrefix(etag, `"sha256:`) {
			t.Fatalf("%s: ETag %q", target, etag)
		}
		if w2 := do(s, "GET", target, "If-None-Match", etag); w2.Code != 304 || w2.Body.Len() != 0 {
			t.Errorf("%s with If-None-Match: %d, %d bytes", target, w2.Code, w2.Body.Len())
		}
		if w3 := do(s, "GET", target, "If-None-Match", `"sha256:other"`); w3.Code != 200 {
			t.Errorf("%s with another ETag: %d", target, w3.Code)
		}
		if h := do(s, "HEAD", target); h.Code != 200 || h.Body.Len() != 0 || h.Header().Get("Content-Length") == "" {
			t.Errorf("HEAD %s: %d, %d bytes", target, h.Code, h.Body.Len())
		}
	}
}

func TestMetrics(t *testing.T) {
	s := newServer(t, twoEditions(t), now)
	do(s, "GET", "/v1/policies")
	do(s, "GET", "/v1/texts/sha256:bad")
	body := do(s, "GET", "/metrics").Body.String()
	for _, want := range []string{
		`saiasat_http_requests_total{route="/v1/policies",status="200"} 1`,
		`saiasat_http_requests_total{route="/v1/texts/{name}",status="400"} 1`,
		`saiasat_http_request_duration_seconds_bucket{route="/v1/policies",status="200",le="+Inf"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q:\n%s", want, body)
		}
	}
}

// A new approval on disk appears after Reload, and requests running
// through the reload all succeed.
func TestReload(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "privacy")
	if err := os.CopyFS(dir, os.DirFS(bundled)); err != nil {
		t.Fatal(err)
	}
	s := newServer(t, root, time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC))
	srv := httptest.NewServer(s)
	defer srv.Close()
	if body := get(t, srv.URL+"/v1/policies/privacy/current?lang=ru"); !strings.Contains(body, `"edition": 1`) {
		t.Fatalf("before: %s", body)
	}
	approveDraft(t, dir)
	stop := make(chan struct{})
	errs := make(chan string, 1000)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				return
			default:
			}
			resp, err := http.Get(srv.URL + "/v1/policies/privacy/current?lang=kk")
			if err != nil {
				errs <- err.Error()
				continue
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				errs <- resp.Status
			}
		}
	}()
	time.Sleep(50 * time.Millisecond)
	if err := s.Reload(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	close(stop)
	<-done
	close(errs)
	for e := range errs {
		t.Errorf("request during reload: %s", e)
	}
	if body := get(t, srv.URL+"/v1/policies/privacy/current?lang=ru"); !strings.Contains(body, `"edition": 2`) {
		t.Errorf("after reload: %s", body)
	}
}

func get(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// A broken release on disk: the reload is refused and the old state keeps
// serving.
func TestReloadRefusesTampering(t *testing.T) {
	root := t.TempDir()
	dir := filepath.Join(root, "privacy")
	if err := os.CopyFS(dir, os.DirFS(bundled)); err != nil {
		t.Fatal(err)
	}
	s := newServer(t, root, now)
	f := filepath.Join(dir, "releases", "1", "kk.md")
	b, _ := os.ReadFile(f)
	b[10] ^= 1
	os.WriteFile(f, b, 0o644)
	if err := s.Reload(); !release.IsCode(err, release.CodeTampered) {
		t.Errorf("reload of a tampered release: %v", err)
	}
	if w := do(s, "GET", "/v1/texts/"+kk1); w.Code != 200 {
		t.Errorf("the old state stopped serving: %d", w.Code)
	}
}

// docs/api.md carries the OpenAPI document the server serves.
func TestOpenAPIInDocs(t *testing.T) {
	doc, err := os.ReadFile("../docs/api.md")
	if err != nil {
		t.Fatal(err)
	}
	served, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), "```json\n"+string(served)+"```") {
		t.Error("docs/api.md's OpenAPI document differs from server/openapi.json")
	}
	var v map[string]any
	if err := json.Unmarshal(served, &v); err != nil || v["openapi"] != "3.0.3" {
		t.Errorf("openapi.json: %v", err)
	}
}

// A version document never changes with the day: what a hash names is
// immutable.
func TestVersionDocumentStable(t *testing.T) {
	root := twoEditions(t)
	a := do(newServer(t, root, now), "GET", "/v1/versions/"+v1).Body.String()
	b := do(newServer(t, root, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)), "GET", "/v1/versions/"+v1).Body.String()
	if a != b {
		t.Errorf("the version document changed with the date:\n%s\n%s", a, b)
	}
	if strings.Contains(a, "status") {
		t.Error("the version document carries a status")
	}
}

// An approved edition that vanishes from disk is a refused reload.
func TestReloadRefusesVanishedEdition(t *testing.T) {
	root := twoEditions(t)
	s := newServer(t, root, now)
	if err := os.RemoveAll(filepath.Join(root, "privacy", "releases", "2")); err != nil {
		t.Fatal(err)
	}
	if err := s.Reload(); err == nil || !strings.Contains(err.Error(), "no longer on disk") {
		t.Errorf("reload after removing an approved edition: %v", err)
	}
	if w := do(s, "GET", "/v1/policies/privacy/diff?from=1&to=2"); w.Code != 200 {
		t.Errorf("the old state stopped serving: %d", w.Code)
	}
}

func TestDrain(t *testing.T) {
	s := newServer(t, twoEditions(t), now)
	s.Drain()
	if w := do(s, "GET", "/readyz"); w.Code != 503 {
		t.Errorf("readyz while draining: %d", w.Code)
	}
}

// Every operation of the OpenAPI document answers its errors as
// problem+json: a default response and every 4xx and 5xx one are the
// problem document; every consent operation that needs a token names its
// scope.
func TestOpenAPIErrorsAreProblems(t *testing.T) {
	b, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Security  []any                      `json:"security"`
			Scope     string                     `json:"x-required-scope"`
			Responses map[string]json.RawMessage `json:"responses"`
		}
		Components struct {
			Responses map[string]struct {
				Content map[string]any
			}
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Components.Responses["Problem"].Content["application/problem+json"] == nil {
		t.Fatal("no Problem response of application/problem+json")
	}
	const problem = `{"$ref":"#/components/responses/Problem"}`
	for path, ops := range doc.Paths {
		for method, op := range ops {
			for code, r := range op.Responses {
				var compact bytes.Buffer
				json.Compact(&compact, r)
				if (code == "default" || code[0] == '4' || code[0] == '5') && compact.String() != problem && !strings.Contains(compact.String(), "application/problem+json") {
					t.Errorf("%s %s: %s is not a problem: %s", method, path, code, r)
				}
			}
			if op.Responses["default"] == nil {
				t.Errorf("%s %s: no default (problem) response", method, path)
			}
			if len(op.Security) > 0 && !slices.Contains(server.AllScopes, op.Scope) {
				t.Errorf("%s %s: needs a token but names no scope (%q)", method, path, op.Scope)
			}
		}
	}
	for _, path := range []string{"/v1/consents", "/v1/consents/status", "/v1/consents/checkpoint", "/v1/consents/{id}", "/v1/consents/{id}/proof", "/v1/consents/{id}/withdrawal"} {
		if doc.Paths[path] == nil {
			t.Errorf("%s is not documented", path)
		}
	}
}
