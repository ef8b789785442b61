package site_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/saiasat/saiasat/release"
	"github.com/saiasat/saiasat/site"
)

// With --base-url under a path prefix, every link of every page, feed and
// JSON document leads somewhere: the published folder is served under
// /policies/ by net/http's FileServer behind StripPrefix, and the test
// follows every link from the root page, in pages (href, src), feeds
// (href) and JSON documents (every string that is a URL or a path).
func TestBaseURLPrefix(t *testing.T) {
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	defer srv.Close()
	base := srv.URL + "/policies"
	rs, err := release.NewStore(twoEditions(t)).Releases()
	if err != nil {
		t.Fatal(err)
	}
	s, err := site.Build([]site.Input{{Releases: rs}}, site.Options{Now: now, BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "site")
	if err := s.Write(dir); err != nil {
		t.Fatal(err)
	}
	mux.Handle("/policies/", http.StripPrefix("/policies", http.FileServer(http.Dir(dir))))

	attr := regexp.MustCompile(`(?:href|src)="([^"]+)"`)
	seen := map[string]string{}
	// From the root page, and from every JSON document of the API mirror
	// (they name texts by hash and link to pages, not to each other).
	queue := []string{base + "/"}
	for _, p := range s.Paths() {
		if strings.HasSuffix(p, ".json") {
			queue = append(queue, base+"/"+p)
		}
	}
	for _, q := range queue {
		seen[q] = "(start)"
	}
	reached := map[string]bool{}
	followed := 0
	for len(queue) > 0 {
		page := queue[0]
		queue = queue[1:]
		resp, err := http.Get(page)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s (linked from %s): %s", strings.TrimPrefix(page, srv.URL), strings.TrimPrefix(seen[page], srv.URL), resp.Status)
			continue
		}
		followed++
		p := strings.TrimPrefix(page, base+"/")
		if p == "" || strings.HasSuffix(p, "/") {
			p += "index.html"
		}
		reached[p] = true
		var links []string
		switch ct := resp.Header.Get("Content-Type"); {
		case strings.HasPrefix(ct, "text/html"), strings.HasSuffix(page, ".xml"):
			for _, m := range attr.FindAllSubmatch(body, -1) {
				links = append(links, strings.ReplaceAll(string(m[1]), "&amp;", "&"))
			}
		case strings.HasSuffix(page, ".json"):
			var v any
			if err := json.Unmarshal(body, &v); err != nil {
				t.Errorf("%s: %v", page, err)
			}
			links = jsonLinks(v, nil)
		}
		from, _ := url.Parse(page)
		for _, l := range links {
			u, err := from.Parse(l)
			if err != nil {
				t.Errorf("%s: bad link %q", page, l)
				continue
			}
			u.Fragment = ""
			if u.Host != from.Host {
				continue
			}
			if !strings.HasPrefix(u.Path, "/policies/") {
				t.Errorf("%s links %q, outside the prefix", strings.TrimPrefix(page, srv.URL), l)
				continue
			}
			if _, ok := seen[u.String()]; !ok {
				seen[u.String()] = page
				queue = append(queue, u.String())
			}
		}
	}
	// Every page, feed, PDF and Markdown file is reached, but the 404
	// pages, which no link leads to, and the API's texts, named by hash.
	for _, p := range s.Paths() {
		if !reached[p] && !strings.HasSuffix(p, "404.html") && !strings.HasPrefix(p, "assets/") && !strings.HasPrefix(p, "api/v1/texts/") {
			t.Errorf("%s: no link leads to it", p)
		}
	}
	t.Logf("followed %d links under /policies/", followed)
}

// jsonLinks collects the strings of a JSON value that are URLs, and the
// paths among the values of link fields (urls.html, .pdf, .md); a text
// that starts with "/" ("/или" in a diff) is not a link.
func jsonLinks(v any, out []string) []string {
	switch v := v.(type) {
	case string:
		if strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") {
			out = append(out, v)
		}
	case []any:
		for _, e := range v {
			out = jsonLinks(e, out)
		}
	case map[string]any:
		for k, e := range v {
			if s, ok := e.(string); ok && strings.HasPrefix(s, "/") && (k == "html" || k == "pdf" || k == "md" || k == "url" || k == "href") {
				out = append(out, s)
				continue
			}
			out = jsonLinks(e, out)
		}
	}
	return out
}
