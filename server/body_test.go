package server_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/saiasat/saiasat/server"
)

// live serves h on a port of 127.0.0.1 as saiasat serve does
// (server.HTTPServer on server.Listener), with the read timeout given; it
// returns the address and a channel that receives each connection's
// remote address when the server is done with it.
func live(t *testing.T, h http.Handler, readTimeout time.Duration) (string, <-chan string) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := server.HTTPServer(h, nil)
	if readTimeout > 0 {
		hs.ReadTimeout = readTimeout
	}
	closed := make(chan string, 100)
	hs.ConnState = func(c net.Conn, st http.ConnState) {
		if st == http.StateClosed || st == http.StateHijacked {
			closed <- c.RemoteAddr().String()
		}
	}
	go hs.Serve(server.Listener(ln))
	t.Cleanup(func() { hs.Close() })
	return ln.Addr().String(), closed
}

// raw sends req on a new connection, then half-closes it if closeWrite,
// and reads the answer.
func raw(t *testing.T, addr, req string, closeWrite bool) (*http.Response, []byte) {
	t.Helper()
	c, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(30 * time.Second))
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	if closeWrite {
		c.(*net.TCPConn).CloseWrite()
	}
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, b
}

// checkProblem fails unless resp is a problem+json document of status
// with the security headers.
func checkProblem(t *testing.T, resp *http.Response, b []byte, status int) {
	t.Helper()
	var p struct {
		Status int
		Title  string
	}
	if resp.StatusCode != status || resp.Header.Get("Content-Type") != "application/problem+json" || json.Unmarshal(b, &p) != nil || p.Status != status || p.Title != http.StatusText(status) {
		t.Errorf("%d %s %q, want a %d problem", resp.StatusCode, resp.Header.Get("Content-Type"), b, status)
	}
	for _, h := range []string{"X-Content-Type-Options", "Content-Security-Policy", "X-Frame-Options", "Referrer-Policy"} {
		if resp.Header.Get(h) == "" {
			t.Errorf("%d answer without %s", status, h)
		}
	}
}

func recorded(t *testing.T, store interface {
	Size(context.Context) (int64, error)
}) int64 {
	t.Helper()
	n, err := store.Size(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// A body is accepted only when read whole: one JSON value of valid
// Unicode, then the end, within the limit, as application/json, not
// encoded. Anything else is refused and records nothing, on both stores.
func TestConsentBodyReadWhole(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) { testBodyReadWhole(t, st.open(t)) })
	}
}

func testBodyReadWhole(t *testing.T, store *testStore) {
	s, _ := newConsentServer(t, time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC), store, nil)
	valid := body("")
	tests := []struct {
		name, body string
		hdr        map[string]string
		status     int
		want       string
	}{
		{"trailing garbage", valid + "   GARBAGE", nil, 400, "nothing after it"},
		{"20,000 spaces then garbage", valid + strings.Repeat(" ", 20000) + "GARBAGE", nil, 413, "16 KiB"},
		{"a stray ]", valid + "]", nil, 400, "nothing after it"},
		{"two objects", valid + valid, nil, 400, "nothing after it"},
		{"an array", "[" + valid + "]", nil, 400, "documented fields"},
		{"null", "null", nil, 400, "documented fields"},
		{"a field twice", strings.Replace(valid, `"channel":"web"`, `"channel":"web","channel":"app"`, 1), nil, 400, "each once"},
		{"invalid UTF-8 in subject", strings.Replace(valid, "customer-42", "\xff\xfe-ALICE", 1), nil, 400, "UTF-8"},
		{"an unpaired surrogate in subject", strings.Replace(valid, "customer-42", `\udcff-ALICE`, 1), nil, 400, "surrogate"},
		{"a high surrogate alone", strings.Replace(valid, "customer-42", `\ud800x`, 1), nil, 400, "surrogate"},
		{"invalid UTF-8 in evidence", body(`,"evidence":{"ua":"` + "\xc3\x28" + `"}`), nil, 400, "UTF-8"},
		{"no Content-Type", valid, map[string]string{"Content-Type": ""}, 415, "application/json"},
		{"text/plain", valid, map[string]string{"Content-Type": "text/plain"}, 415, "application/json"},
		{"form", valid, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, 415, ""},
		{"another charset", valid, map[string]string{"Content-Type": "application/json; charset=latin1"}, 415, "UTF-8"},
		{"gzip", valid, map[string]string{"Content-Encoding": "gzip"}, 415, "Content-Encoding"},
		{"identity, then br", valid, map[string]string{"Content-Encoding": "identity, br"}, 415, "Content-Encoding"},
		{"used key, invalid body", `{"subject":"customer-42"}`, map[string]string{"Idempotency-Key": "k-1"}, 400, ""},
		// The key is looked up only once the body is well formed: a used
		// key with a malformed body is 400, not 422 "used for another
		// request".
		{"used key, evidence not an object", body(`,"evidence":[1]`), map[string]string{"Idempotency-Key": "k-1"}, 400, "evidence"},
		{"used key, evidence null", body(`,"evidence":null`), map[string]string{"Idempotency-Key": "k-1"}, 400, "evidence"},
		{"used key, bad text_sha256", strings.Replace(valid, kk1, "sha256:XYZ", 1), map[string]string{"Idempotency-Key": "k-1"}, 400, "text_sha256"},
		{"used key, bad accepted_at", strings.Replace(valid, "2026-11-25T11:00:00Z", "yesterday", 1), map[string]string{"Idempotency-Key": "k-1"}, 400, "accepted_at"},
		{"used key, channel over 64", strings.Replace(valid, `"web"`, `"`+strings.Repeat("w", 65)+`"`, 1), map[string]string{"Idempotency-Key": "k-1"}, 400, "channel"},
		{"used key, invisible subject", strings.Replace(valid, "customer-42", `​`, 1), map[string]string{"Idempotency-Key": "k-1"}, 400, "visible"},
		{"used key, trailing garbage", valid + "]", map[string]string{"Idempotency-Key": "k-1"}, 400, "nothing after it"},
	}
	// The key of the last case is used first, by a valid request.
	if w := sendKey(s, valid, "k-1"); w.Code != 201 {
		t.Fatalf("first use of the key: %d %s", w.Code, w.Body)
	}
	before := recorded(t, store)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/v1/consents", strings.NewReader(tt.body))
			r.Header.Set("Authorization", "Bearer "+token)
			r.Header.Set("Content-Type", "application/json")
			for k, v := range tt.hdr {
				r.Header.Set(k, v)
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.want) || w.Header().Get("Content-Type") != "application/problem+json" {
				t.Errorf("%d %s %s, want %d with %q", w.Code, w.Header().Get("Content-Type"), w.Body, tt.status, tt.want)
			}
		})
	}
	if n := recorded(t, store); n != before {
		t.Errorf("%d records after the refused requests, want %d", n, before)
	}
	// What is allowed: a charset parameter of UTF-8, white space after the
	// value, identity encoding.
	for name, hdr := range map[string][2]string{
		"charset=utf-8": {"Content-Type", "application/json; charset=utf-8"},
		"charset=UTF-8": {"Content-Type", "Application/JSON;charset=\"UTF-8\""},
		"identity":      {"Content-Encoding", "identity"},
	} {
		r := httptest.NewRequest("POST", "/v1/consents", strings.NewReader(valid+" \r\n\t"))
		r.Header.Set("Authorization", "Bearer "+token)
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set(hdr[0], hdr[1])
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		if w.Code != 201 {
			t.Errorf("%s: %d %s", name, w.Code, w.Body)
		}
	}
}

// Bodies cut short, shorter than declared, or followed by more, over real
// connections, on both stores: nothing is recorded.
func TestConsentBodyOverTheWire(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) { testBodyOverTheWire(t, st.open(t)) })
	}
}

func testBodyOverTheWire(t *testing.T, store *testStore) {
	s, _ := newConsentServer(t, time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC), store, nil)
	addr, closed := live(t, s, 2*time.Second)
	valid := body("")
	head := func(length int) string {
		return fmt.Sprintf("POST /v1/consents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", token, length)
	}

	t.Run("cut short, half-closed", func(t *testing.T) {
		resp, b := raw(t, addr, head(5000)+valid, true)
		checkProblem(t, resp, b, 400)
	})
	t.Run("cut short, closed", func(t *testing.T) {
		c, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		io.WriteString(c, head(5000)+valid)
		local := c.LocalAddr().String()
		c.Close()
		// Wait until the server is done with that connection.
		for a := range closed {
			if a == local {
				break
			}
		}
	})
	t.Run("shorter than declared, connection kept open", func(t *testing.T) {
		resp, b := raw(t, addr, head(5000)+valid, false)
		checkProblem(t, resp, b, 408)
	})
	t.Run("declared over the limit", func(t *testing.T) {
		resp, b := raw(t, addr, head(100000)+valid, false)
		checkProblem(t, resp, b, 413)
	})
	for _, tt := range []struct {
		name, body string
		status     int
	}{
		{"20,000 spaces then GARBAGE", valid + strings.Repeat(" ", 20000) + "GARBAGE", 413},
		{"1,000 spaces then GARBAGE", valid + strings.Repeat(" ", 1000) + "GARBAGE", 400},
		{"a stray ]", valid + "]", 400},
	} {
		t.Run(tt.name, func(t *testing.T) {
			resp, b := raw(t, addr, head(len(tt.body))+tt.body, false)
			checkProblem(t, resp, b, tt.status)
		})
	}
	t.Run("chunked, cut short", func(t *testing.T) {
		req := fmt.Sprintf("POST /v1/consents HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n%x\r\n%s\r\n", token, len(valid), valid)
		resp, b := raw(t, addr, req, true)
		checkProblem(t, resp, b, 400)
	})
	if n := recorded(t, store); n != 0 {
		t.Fatalf("%d records from broken requests", n)
	}
	// The same body, whole, is recorded: the refusals were for the cut.
	resp, b := raw(t, addr, head(len(valid))+valid, false)
	if resp.StatusCode != 201 {
		t.Fatalf("whole body: %d %s", resp.StatusCode, b)
	}
	if n := recorded(t, store); n != 1 {
		t.Errorf("%d records, want 1", n)
	}
}

// net/http's own answers, written before any handler runs, are
// problem+json with the security headers too; the handlers' answers pass
// through unchanged.
func TestGoOwnErrorsAreProblems(t *testing.T) {
	s, _, _ := consentServer(t)
	addr, _ := live(t, s, 0)
	tests := []struct {
		name, req string
		status    int
	}{
		{"header over 16 KiB", "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + strings.Repeat("a", 64<<10) + "\r\n\r\n", 431},
		{"not HTTP", "GARBAGE\r\n\r\n", 400},
		{"no Host", "GET /healthz HTTP/1.1\r\n\r\n", 400},
		{"two Hosts", "GET /healthz HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400},
		{"a header line without a colon", "GET /healthz HTTP/1.1\r\nHost: x\r\nnocolon\r\n\r\n", 400},
		{"unknown transfer coding", "POST /v1/consents HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n", 501},
		{"HTTP/9.9", "GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n", 505},
		{"an Expect other than 100-continue", "GET /healthz HTTP/1.1\r\nHost: x\r\nExpect: tea\r\n\r\n", 417},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, b := raw(t, addr, tt.req, false)
			checkProblem(t, resp, b, tt.status)
		})
	}
	// The handler's own answers are not rewritten.
	resp, b := raw(t, addr, "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n", false)
	if resp.StatusCode != 200 || string(b) != "ok\n" {
		t.Errorf("healthz: %d %q", resp.StatusCode, b)
	}
	resp, b = raw(t, addr, "GET /no-such-page HTTP/1.1\r\nHost: x\r\n\r\n", false)
	checkProblem(t, resp, b, 404)
	if !strings.Contains(string(b), `"instance":"/no-such-page"`) {
		t.Errorf("404 from the handler: %s", b)
	}
}
