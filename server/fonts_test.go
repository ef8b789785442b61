package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/saiasat/saiasat/server"
)

// TestFontsCachedForGood: the site's fonts, named by their content's hash
// and linked from its style sheet, are served as font/woff that browsers
// keep for a year without asking again.
func TestFontsCachedForGood(t *testing.T) {
	s := newServer(t, twoEditions(t), now)
	css := do(s, "GET", "/assets/site.css")
	if css.Code != http.StatusOK {
		t.Fatalf("site.css: %d", css.Code)
	}
	n := 0
	for _, part := range strings.Split(css.Body.String(), `url("`)[1:] {
		u := part[:strings.Index(part, `"`)]
		if !strings.HasSuffix(u, ".woff") {
			continue
		}
		n++
		w := do(s, "GET", "/assets/"+u)
		if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "font/woff" || w.Header().Get("Cache-Control") != server.Immutable || w.Header().Get("ETag") == "" {
			t.Errorf("%s: %d, %q, %q, ETag %q", u, w.Code, w.Header().Get("Content-Type"), w.Header().Get("Cache-Control"), w.Header().Get("ETag"))
		}
		if !strings.HasPrefix(w.Body.String(), "wOFF") {
			t.Errorf("%s is not a WOFF file", u)
		}
	}
	if n != 4 {
		t.Errorf("site.css names %d fonts, want 4", n)
	}
	if cc := css.Header().Get("Cache-Control"); cc == server.Immutable {
		t.Errorf("site.css is cached for good (%q), but its name stays as its content changes", cc)
	}
}
