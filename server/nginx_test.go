package server_test

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/saiasat/saiasat/server"
)

// startNginx runs Debian's nginx (make deps installs it) on the published
// folder dir with the configuration publish generated for it, on a free
// port of 127.0.0.1, and returns its base URL. It stops with the test.
func startNginx(t *testing.T, dir string) string {
	t.Helper()
	bin, err := exec.LookPath("nginx")
	if err != nil {
		bin = "/usr/sbin/nginx"
		if _, err := os.Stat(bin); err != nil {
			if os.Getenv("CI") != "" {
				t.Fatal("nginx not found: make deps installs nginx")
			}
			t.Skip("nginx not found (make deps installs nginx)")
		}
	}
	prefix := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	user := ""
	if os.Geteuid() == 0 {
		// As root, nginx's workers would run as nobody, who cannot read a
		// test's temporary folders.
		user = "user root;"
	}
	conf := fmt.Sprintf(`%s
worker_processes 1;
daemon off;
pid %[2]s/nginx.pid;
error_log %[2]s/error.log;
events { worker_connections 256; }
http {
    access_log off;
    client_body_temp_path %[2]s/body;
    proxy_temp_path %[2]s/proxy;
    fastcgi_temp_path %[2]s/fastcgi;
    uwsgi_temp_path %[2]s/uwsgi;
    scgi_temp_path %[2]s/scgi;
    include %[3]s/http.conf;
    server {
        listen %[4]s;
        root %[5]s;
        include %[3]s/server.conf;
    }
}
`, user, prefix, filepath.Join(dir, server.NginxDir), addr, dir)
	cfg := filepath.Join(prefix, "nginx.conf")
	if err := os.WriteFile(cfg, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	// Its output goes to a file, not a pipe: a pipe held by a worker would
	// keep Wait waiting.
	out, err := os.Create(filepath.Join(prefix, "out.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	cmd := exec.Command(bin, "-e", filepath.Join(prefix, "error.log"), "-c", cfg, "-p", prefix)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	logs := func() string {
		a, _ := os.ReadFile(filepath.Join(prefix, "out.log"))
		b, _ := os.ReadFile(filepath.Join(prefix, "error.log"))
		return string(a) + string(b)
	}
	t.Cleanup(func() {
		// SIGTERM: the master stops its workers, then itself.
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("nginx: %s", logs())
		}
	})
	for i := 0; ; i++ {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			break
		}
		if i == 100 || cmd.ProcessState != nil {
			t.Fatalf("nginx did not start: %s", logs())
		}
		time.Sleep(50 * time.Millisecond)
	}
	return "http://" + addr
}

// compared are the headers that decide what a client or a cache does with
// an answer; Date, Server, Content-Length (Go may omit it on HEAD) and
// Accept-Ranges are not among them.
var compared = []string{"Content-Type", "ETag", "Cache-Control", "Vary", "Location",
	"X-Content-Type-Options", "Referrer-Policy", "X-Frame-Options", "Content-Security-Policy", "Last-Modified"}

type answer struct {
	status int
	header http.Header
	body   []byte
}

func fetch(t *testing.T, c *http.Client, url string, hdr ...string) answer {
	t.Helper()
	req, err := http.NewRequest("GET", url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return answer{resp.StatusCode, resp.Header, b}
}

// TestNginxMatchesServe publishes a site of two editions with its nginx
// configuration, serves the folder with a real nginx, and asks it and
// saiasat serve (the server package's handler, over HTTP) every path of the
// site and every read-only API path: the same status, the same bytes for
// every 200, and the same headers that matter (ETag, Content-Type,
// Cache-Control, Vary, the security headers), for plain requests, for a
// browser's Accept, and with If-None-Match (304 from both).
func TestNginxMatchesServe(t *testing.T) {
	root := twoEditions(t)
	st, err := loader(root)(now)
	if err != nil {
		t.Fatal(err)
	}
	server.AddStatic(st)
	dir := filepath.Join(t.TempDir(), "site")
	if err := st.Write(dir); err != nil {
		t.Fatal(err)
	}
	httpConf, serverConf := server.Nginx(st)
	if err := os.MkdirAll(filepath.Join(dir, server.NginxDir), 0o755); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, server.NginxDir, "http.conf"), httpConf, 0o644)
	os.WriteFile(filepath.Join(dir, server.NginxDir, "server.conf"), serverConf, 0o644)
	ngx := startNginx(t, dir)
	go1 := httptest.NewServer(newServer(t, root, now))
	t.Cleanup(go1.Close)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

	browser := []string{"Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
	type req struct {
		path string
		hdr  []string
	}
	var reqs []req
	add := func(p string, hdr ...string) { reqs = append(reqs, req{p, hdr}) }
	for _, p := range st.Paths() {
		add("/" + p)
		if dir, ok := strings.CutSuffix(p, "index.html"); ok {
			add("/" + dir)
			add("/"+dir, browser...)
			if dir != "" {
				add("/" + strings.TrimSuffix(dir, "/"))
			}
		}
	}
	add("/v1/policies")
	add("/v1/openapi.json")
	for _, id := range st.API.Order {
		p := st.API.Policies[id]
		base := "/v1/policies/" + id
		for _, l := range p.Languages {
			add(base + "/current?lang=" + string(l))
		}
		add(base + "/current?lang=xx")
		add(base + "/current")
		add(base + "/editions")
		for name := range p.Diffs {
			pair, lang, _ := strings.Cut(name, ".")
			from, to, _ := strings.Cut(pair, "-")
			q := "?from=" + from + "&to=" + to
			if lang != "" {
				q += "&lang=" + lang
			}
			add(base + "/diff" + q)
		}
		add(base + "/diff?from=one&to=2")
		add(base + "/diff?from=1&to=2&lang=xx")
		add(base + "/diff?from=1&to=9")
	}
	add("/v1/policies/nothing/current?lang=kk")
	add("/v1/policies/nothing/editions")
	for v := range st.API.Versions {
		add("/v1/versions/" + string(v))
	}
	add("/v1/versions/sha256:" + strings.Repeat("0", 64))
	add("/v1/versions/sha256:abc")
	for h := range st.API.Texts {
		add("/v1/texts/" + string(h))
		add("/v1/texts/"+string(h), browser...)
		add("/v1/texts/"+string(h), "Accept", "text/markdown")
		add("/v1/texts/" + string(h) + ".pdf")
	}
	add("/v1/texts/sha256:" + strings.Repeat("a", 64))
	add("/v1/texts/sha256:" + strings.Repeat("a", 64) + ".pdf")
	add("/v1/texts/sha256:abc")
	for _, p := range []string{"/nothing", "/kk/nothing/", "/ru/privacy/editions/9/", "/api/v1/texts/", "/api/v1/nothing.json", "/" + server.NginxDir + "/server.conf", "/v1/nothing"} {
		add(p)
		add(p, browser...)
	}
	slices.SortFunc(reqs, func(a, b req) int {
		return strings.Compare(a.path+strings.Join(a.hdr, " "), b.path+strings.Join(b.hdr, " "))
	})

	var checked, notModified int
	for _, r := range reqs {
		name := r.path
		if len(r.hdr) > 0 {
			name += " (" + strings.Join(r.hdr, ": ") + ")"
		}
		a := fetch(t, c, go1.URL+r.path, r.hdr...)
		b := fetch(t, c, ngx+r.path, r.hdr...)
		checked++
		if a.status != b.status {
			t.Errorf("%s: serve %d, nginx %d", name, a.status, b.status)
			continue
		}
		if a.status == 200 && !bytes.Equal(a.body, b.body) {
			t.Errorf("%s: the bodies differ (%d and %d bytes)", name, len(a.body), len(b.body))
		}
		if a.status == 404 && strings.HasPrefix(a.header.Get("Content-Type"), "text/html") && !bytes.Equal(a.body, b.body) {
			t.Errorf("%s: the 404 pages differ", name)
		}
		hs := compared
		if a.status == 301 {
			hs = []string{"Location"} // the bodies and types of redirects are each server's own
		}
		for _, h := range hs {
			if x, y := a.header.Values(h), b.header.Values(h); !slices.Equal(x, y) {
				t.Errorf("%s: %s: serve %q, nginx %q", name, h, x, y)
			}
		}
		etag := a.header.Get("ETag")
		if a.status != 200 || etag == "" {
			continue
		}
		for _, match := range []string{etag, `W/"x", ` + etag, "*"} {
			hdr := append(slices.Clone(r.hdr), "If-None-Match", match)
			a := fetch(t, c, go1.URL+r.path, hdr...)
			b := fetch(t, c, ngx+r.path, hdr...)
			if a.status != 304 || b.status != 304 {
				t.Errorf("%s, If-None-Match %s: serve %d, nginx %d, want 304 from both", name, match, a.status, b.status)
				continue
			}
			notModified++
			for _, h := range []string{"ETag", "Cache-Control", "Vary"} {
				if x, y := a.header.Values(h), b.header.Values(h); !slices.Equal(x, y) {
					t.Errorf("%s, 304: %s: serve %q, nginx %q", name, h, x, y)
				}
			}
		}
		// Another ETag is not a match.
		hdr := append(slices.Clone(r.hdr), "If-None-Match", `"sha256:`+strings.Repeat("0", 64)+`"`)
		if a, b := fetch(t, c, go1.URL+r.path, hdr...), fetch(t, c, ngx+r.path, hdr...); a.status != 200 || b.status != 200 {
			t.Errorf("%s with another ETag: serve %d, nginx %d, want 200", name, a.status, b.status)
		}
	}
	t.Logf("%d requests compared, %d conditional ones answered 304 by both", checked, notModified)
}
