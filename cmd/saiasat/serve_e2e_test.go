package main

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/saiasat/saiasat/internal/testtool"
)

// startServe starts the built binary on a free port of 127.0.0.1 and
// returns its base URL; the process is stopped with SIGTERM at the end.
func startServe(t *testing.T, bin, policies string) (string, *exec.Cmd) {
	t.Helper()
	return startServeDB(t, bin, policies, filepath.Join(t.TempDir(), "consents.db"), true)
}

// serveDir is the working folder of the servers the tests start (their
// data/ holds the ledger keys); "" is the test's own.
var serveDir string

// startServeDB starts serve with the consent ledger in db and the test
// token; with stop, SIGTERM ends it at the end of the test.
func startServeDB(t *testing.T, bin, policies, db string, stop bool, args ...string) (string, *exec.Cmd) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"serve", "--addr", "127.0.0.1:0", "--policies", policies, "--log-format", "json", "--db", db}, args...)...)
	cmd.Env = append(os.Environ(), "SAIASAT_API_TOKENS=e2e-token")
	cmd.Dir = serveDir
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = io.Discard
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		t.Fatalf("serve printed no address: %v", err)
	}
	m := regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(line)
	if m == "" {
		cmd.Process.Kill()
		t.Fatalf("serve said %q", line)
	}
	t.Cleanup(func() {
		if !stop {
			return
		}
		cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("serve after SIGTERM: %v", err)
			}
		case <-time.After(20 * time.Second):
			cmd.Process.Kill()
			t.Error("serve did not stop on SIGTERM")
		}
	})
	return m, cmd
}

func fetch(t *testing.T, url string, hdr ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

func TestServeEndToEnd(t *testing.T) {
	bin := buildBinary(t)
	root := t.TempDir()
	pol := filepath.Join(root, "policies")
	copyDir(t, "../../policies", pol)
	base, cmd := startServe(t, bin, pol)

	// The website's path: current, then the exact text by its hash.
	resp, body := fetch(t, base+"/v1/policies/privacy/current?lang=kk")
	if resp.StatusCode != 200 {
		t.Fatalf("current: %d %s", resp.StatusCode, body)
	}
	var cur struct {
		Edition int    `json:"edition"`
		Text    string `json:"text_sha256"`
		URLs    struct{ HTML, PDF, MD string }
	}
	if err := json.Unmarshal(body, &cur); err != nil {
		t.Fatal(err)
	}
	_, text := fetch(t, base+"/v1/texts/"+cur.Text)
	sum := sha256.Sum256(text)
	if got := "sha256:" + hex.EncodeToString(sum[:]); got != cur.Text {
		t.Fatalf("sha256 of /v1/texts/%s is %s", cur.Text, got)
	}
	for _, u := range []struct{ url, ctype string }{{cur.URLs.HTML, "text/html"}, {cur.URLs.PDF, "application/pdf"}, {cur.URLs.MD, "text/markdown"}} {
		r, b := fetch(t, base+u.url)
		if r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), u.ctype) || len(b) == 0 {
			t.Errorf("%s: %d %s", u.url, r.StatusCode, r.Header.Get("Content-Type"))
		}
	}
	if r, b := fetch(t, base+cur.URLs.MD); string(b) != string(text) || r.StatusCode != 200 {
		t.Error("the edition's Markdown differs from the text its hash names")
	}

	// Overlong headers are refused by the server, not by a crash.
	req, _ := http.NewRequest("GET", base+"/healthz", nil)
	req.Header.Set("X-Big", strings.Repeat("a", 64<<10))
	if r, err := http.DefaultClient.Do(req); err == nil {
		if r.StatusCode != http.StatusRequestHeaderFieldsTooLarge || r.Header.Get("Content-Type") != "application/problem+json" || r.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("64 KiB header: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
		}
		r.Body.Close()
	}

	// Approve edition 2 on disk, effective in the past for this test so it
	// becomes current, and reload with SIGHUP while requests run.
	if code, out, errs := exe(t, bin, "release", "--policies", pol); code != 0 {
		t.Fatalf("release: %d %s %s", code, out, errs)
	}
	_, out, _ := exe(t, bin, "log", "--policies", pol)
	v2 := regexp.MustCompile(`edition 2 .*?(sha256:[0-9a-f]{64})`).FindStringSubmatch(out)
	if v2 == nil {
		t.Fatalf("log: %s", out)
	}
	if code, _, errs := exe(t, bin, "approve", "--policies", pol, "--edition", "2", "--hash", v2[1], "--decision", "kk=Жалғыз қатысушының 2026 жылғы 20 қарашадағы № 2 шешімі", "--decision", "ru=Решение единственного участника № 2 от 20 ноября 2026 г.", "--date", "2026-11-20"); code != 0 {
		t.Fatalf("approve: %s", errs)
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []string
	stop := make(chan struct{})
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				r, err := http.Get(base + "/v1/policies/privacy/editions")
				if err != nil {
					mu.Lock()
					failures = append(failures, err.Error())
					mu.Unlock()
					continue
				}
				io.Copy(io.Discard, r.Body)
				r.Body.Close()
				if r.StatusCode != 200 {
					mu.Lock()
					failures = append(failures, r.Status)
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(100 * time.Millisecond)
	cmd.Process.Signal(syscall.SIGHUP)
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, b := fetch(t, base+"/v1/policies/privacy/editions")
		if strings.Contains(string(b), `"edition": 2`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("edition 2 did not appear after SIGHUP")
		}
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	close(stop)
	wg.Wait()
	for _, f := range failures {
		t.Errorf("request during reload: %s", f)
	}
}

// A sweep of bad requests: no 5xx, and nothing served but the published
// set.
func TestServeBadRequests(t *testing.T) {
	bin := buildBinary(t)
	base, _ := startServe(t, bin, "../../policies")
	paths := []string{
		"/../../../../etc/passwd", "/..%2f..%2f..%2fetc%2fpasswd", "/%2e%2e/%2e%2e/etc/passwd", "/kk/privacy/..%2f..%2f..%2fgo.mod",
		"/v1/texts/..%2f..%2fgo.mod", "/v1/texts/sha256:%2e%2e", "/v1/texts/sha256:" + strings.Repeat("g", 64), "/v1/versions/%00",
		"/v1/policies/%2e%2e/current?lang=kk", "/v1/policies/privacy/current?lang=%00", "/v1/policies/privacy/current?lang=kk&at=%ff",
		"/v1/policies/privacy/diff?from=-1&to=99999999999999999999", "/%25%32%65%25%32%65/etc/passwd", "//etc/passwd", "/./kk/./privacy/",
		"/" + strings.Repeat("a/", 3000), "/v1/texts/" + strings.Repeat("sha256:", 500), "/releases/1/release.json", "/policies/privacy/kk.md",
		"/go.mod", "/.git/config", "/kk/privacy/index.html%00.pdf", "/v1/texts/sha256:07b8f57c29d70afe036e148f8b138c98c0e754d8875491fea51d2b6af07498c3%2e%2e",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := "abc/.%20-_~:?#&=қ0123456789"
	for range 300 {
		var b strings.Builder
		b.WriteByte('/')
		for range rng.IntN(60) {
			b.WriteByte(alphabet[rng.IntN(len(alphabet))])
		}
		paths = append(paths, b.String())
	}
	secret, _ := os.ReadFile("../../go.mod")
	for _, p := range paths {
		req, err := http.NewRequest("GET", base+p, nil)
		if err != nil {
			continue // not even a URL
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Errorf("%q: %v", p, err)
			continue
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode >= 500 {
			t.Errorf("%q: %d %s", p, resp.StatusCode, b)
		}
		if strings.Contains(string(b), "root:x:0:0") || (len(secret) > 0 && strings.Contains(string(b), string(secret[:20]))) {
			t.Errorf("%q served a file outside the published set", p)
		}
		if resp.StatusCode >= 400 && !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/problem+json") {
			t.Errorf("%q: %d as %s", p, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
}

// SIGKILL in the middle of concurrent consents: after a restart every
// consent that got a 201 is there, and the ledger verifies.
func TestServeCrash(t *testing.T) {
	bin := buildBinary(t)
	crashAndRestart(t, bin, "../../policies", filepath.Join(t.TempDir(), "consents.db"), 700*time.Millisecond)
}

// Two serve processes on one PostgreSQL, appending concurrently: one
// consistent log, every acknowledged consent there once, and ledger verify
// passes.
func TestServeTwoReplicasOnPostgres(t *testing.T) {
	bin := buildBinary(t)
	url, stop := testtool.Postgres(t)
	defer stop()
	policies, err := filepath.Abs("../../policies")
	if err != nil {
		t.Fatal(err)
	}
	serveDir = t.TempDir()
	defer func() { serveDir = "" }()
	a, _ := startServeDB(t, bin, policies, url, true)
	b, _ := startServeDB(t, bin, policies, url, true)
	text := currentText(t, a, "kk")
	var mu sync.Mutex
	acked := map[string]int{}
	var wg sync.WaitGroup
	for g, base := range []string{a, b, a, b, a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 40 {
				body := fmt.Sprintf(`{"subject":"s-%d-%d","text_sha256":"%s","lang":"kk","accepted_at":"%s","channel":"app"}`, g, i, text, time.Now().UTC().Format(time.RFC3339))
				req, _ := http.NewRequest("POST", base+"/v1/consents", strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer e2e-token")
				req.Header.Set("Content-Type", "application/json")
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				var r struct{ ID string }
				json.NewDecoder(resp.Body).Decode(&r)
				resp.Body.Close()
				if resp.StatusCode != 201 {
					t.Errorf("POST: %d", resp.StatusCode)
					continue
				}
				mu.Lock()
				acked[r.ID]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if len(acked) != 240 {
		t.Errorf("%d distinct acknowledged ids, want 240", len(acked))
	}
	// A proof makes the replica sign a checkpoint covering every record.
	for id := range acked {
		proof(t, b, id)
		break
	}
	cmd := exec.Command(bin, "ledger", "verify", "--db", url)
	cmd.Dir = serveDir
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "240 records") {
		t.Errorf("ledger verify: %v\n%s", err, out)
	}
}

// One row edited with the database's own client (sqlite3, psql): ledger
// verify names its index and exits 1.
func TestLedgerVerifyNamesEditedRow(t *testing.T) {
	bin := buildBinary(t)
	db := filepath.Join(t.TempDir(), "consents.db")
	base, cmd := startServeDB(t, bin, "../../policies", db, false)
	text := currentText(t, base, "kk")
	var lastID string
	for i := range 30 {
		body := fmt.Sprintf(`{"subject":"s-%d","text_sha256":"%s","lang":"kk","accepted_at":"%s","channel":"web"}`, i, text, time.Now().UTC().Format(time.RFC3339))
		req, _ := http.NewRequest("POST", base+"/v1/consents", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer e2e-token")
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 201 {
			t.Fatalf("POST %d: %v", i, err)
		}
		var r struct{ ID string }
		json.NewDecoder(resp.Body).Decode(&r)
		resp.Body.Close()
		lastID = r.ID
	}
	// A checkpoint, kept outside the database too, then stop the server.
	proof(t, base, lastID)
	_, cp := fetch(t, base+"/v1/consents/checkpoint")
	kept := filepath.Join(t.TempDir(), "checkpoint")
	os.WriteFile(kept, cp, 0o644)
	cmd.Process.Signal(syscall.SIGTERM)
	cmd.Wait()
	if code, out, _ := exe(t, bin, "ledger", "verify", "--db", db); code != 0 || !strings.Contains(out, "30 records") {
		t.Fatalf("verify before: %d %s", code, out)
	}
	sqlite3 := testtool.Require(t, "sqlite3")
	if out, err := exec.Command(sqlite3, db, `UPDATE records SET leaf = CAST(replace(CAST(leaf AS TEXT), '"web"', '"app"') AS BLOB) WHERE idx = 12`).CombinedOutput(); err != nil {
		t.Fatalf("sqlite3: %v %s", err, out)
	}
	code, out, _ := exe(t, bin, "ledger", "verify", "--db", db, "--checkpoint", kept)
	if code != 1 || !strings.HasPrefix(out, "record 12: ") {
		t.Errorf("verify after editing row 12: exit %d\n%s", code, out)
	}
}

// proof asks a server for the inclusion proof of a record, which makes it
// sign a checkpoint covering it.
func proof(t *testing.T, base, id string) {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/v1/consents/"+id+"/proof", nil)
	req.Header.Set("Authorization", "Bearer e2e-token")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("proof of %s: %d", id, resp.StatusCode)
	}
}

// currentText is the text_sha256 of the privacy policy in force in lang.
func currentText(t *testing.T, base, lang string) string {
	t.Helper()
	_, b := fetch(t, base+"/v1/policies/privacy/current?lang="+lang)
	var c struct {
		Text string `json:"text_sha256"`
	}
	if err := json.Unmarshal(b, &c); err != nil || c.Text == "" {
		t.Fatalf("current %s: %q (%v)", lang, b, err)
	}
	return c.Text
}

// serve with a tokens file: each token does what its scopes allow; a line
// in error stops serve at start with file:line, exit 2.
func TestServeTokensFile(t *testing.T) {
	bin := buildBinary(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad-tokens")
	os.WriteFile(bad, []byte("website consents:write site-token-0123456789\nreader consents:reed read-token-0123456789\n"), 0o600)
	code, _, errs := exe(t, bin, "serve", "--addr", "127.0.0.1:0", "--policies", "../../policies", "--db", filepath.Join(dir, "c.db"), "--tokens", bad)
	if code != 2 || !strings.HasPrefix(errs, "saiasat: "+bad+`:2: unknown scope "consents:reed"`) || strings.Count(errs, "\n") != 1 || strings.Contains(errs, "read-token") {
		t.Errorf("bad tokens file: exit %d %q", code, errs)
	}
	good := filepath.Join(dir, "tokens")
	os.WriteFile(good, []byte("# the website\nwebsite consents:write consents:read site-token-0123456789\nreader consents:read read-token-0123456789\n"), 0o600)
	base, _ := startServeDB(t, bin, "../../policies", filepath.Join(dir, "c.db"), true, "--tokens", good)
	text := currentText(t, base, "kk")
	post := func(token string) int {
		body := fmt.Sprintf(`{"subject":"s-1","text_sha256":"%s","lang":"kk","accepted_at":"%s","channel":"web"}`, text, time.Now().UTC().Format(time.RFC3339))
		req, _ := http.NewRequest("POST", base+"/v1/consents", strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	for token, want := range map[string]int{"site-token-0123456789": 201, "read-token-0123456789": 403, "e2e-token": 201, "nope-token-0123456789": 401} {
		if got := post(token); got != want {
			t.Errorf("POST with %s: %d, want %d", token, got, want)
		}
	}
}
