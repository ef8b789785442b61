package server_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/saiasat/saiasat/ledger"
	"github.com/saiasat/saiasat/ledger/sqlite"
	"github.com/saiasat/saiasat/server"
	"golang.org/x/mod/sumdb/note"
)

const token = "test-token-0123456789"

// testTokens: the full-scope test token and a second one of the same
// client ("default", as SAIASAT_API_TOKENS makes them), one token per
// single scope, and two clients that write, read and withdraw their own.
var testTokens = append(server.EnvTokens("other,"+token),
	server.Token{Client: "website", Scopes: []string{server.ScopeRead, server.ScopeWithdraw, server.ScopeWrite}, Secret: websiteToken},
	server.Token{Client: "bank", Scopes: []string{server.ScopeRead, server.ScopeWithdraw, server.ScopeWrite}, Secret: bankToken},
	server.Token{Client: "writer", Scopes: []string{server.ScopeWrite}, Secret: "scope-write-0123456789"},
	server.Token{Client: "reader", Scopes: []string{server.ScopeRead}, Secret: "scope-read-0123456789"},
	server.Token{Client: "withdrawer", Scopes: []string{server.ScopeWithdraw}, Secret: "scope-withdraw-0123456789"},
	server.Token{Client: "auditor", Scopes: []string{server.ScopeReadAll}, Secret: "scope-read-all-0123456789"},
)

func consentServer(t *testing.T) (*server.Server, *sqlite.Store, note.Verifier) {
	t.Helper()
	// After edition 2 came into force: edition 1's texts are superseded.
	return consentServerAt(t, time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC))
}

// consentServerAt serves the bundled policy's two editions (2 in force
// from 2026-12-01) and a consent ledger in a SQLite file, at clock.
func consentServerAt(t *testing.T, clock time.Time) (*server.Server, *sqlite.Store, note.Verifier) {
	t.Helper()
	store, err := sqlite.Open(filepath.Join(t.TempDir(), "consents.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	s, verifier := newConsentServer(t, clock, store, nil)
	return s, store, verifier
}

// newConsentServer serves the bundled policy's two editions and the
// consent ledger in store, at clock (the real clock if zero), logging to
// log (nowhere if nil).
func newConsentServer(t testing.TB, clock time.Time, store ledger.Store, log *slog.Logger) (*server.Server, note.Verifier) {
	t.Helper()
	skey, vkey, _ := note.GenerateKey(rand.Reader, "saiasat-test")
	signer, _ := note.NewSigner(skey)
	verifier, _ := note.NewVerifier(vkey)
	now := time.Now
	if !clock.IsZero() {
		now = func() time.Time { return clock }
	}
	svc := &ledger.Service{Store: store, Signer: signer, Verifier: verifier, SubjectKey: []byte("k"), Now: now, Logger: log}
	s, err := server.New(loader(twoEditions(t)), server.Options{Now: now, Logger: log, Consents: &server.Consents{Service: svc, Tokens: testTokens}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s, verifier
}

func send(s http.Handler, method, target, body string, auth bool) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	if method == "POST" {
		r.Header.Set("Content-Type", "application/json")
	}
	if auth {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

func body(fields string) string {
	return `{"subject":"customer-42","text_sha256":"` + kk1 + `","lang":"kk","accepted_at":"2026-11-25T11:00:00Z","channel":"web"` + fields + `}`
}

func TestConsentAPI(t *testing.T) {
	s, store, verifier := consentServer(t)
	tests := []struct {
		name, method, target, body string
		auth                       bool
		status                     int
		want                       string
	}{
		{"no token", "POST", "/v1/consents", body(""), false, 401, "bearer token"},
		{"wrong token", "POST", "/v1/consents", body(""), false, 401, ""},
		{"unknown field", "POST", "/v1/consents", body(`,"extra":1`), true, 400, "documented fields"},
		{"malformed JSON", "POST", "/v1/consents", `{"subject":`, true, 400, ""},
		{"over 16 KiB", "POST", "/v1/consents", body(`,"evidence":{"x":"` + strings.Repeat("a", 17<<10) + `"}`), true, 413, "16 KiB"},
		{"evidence over 8 KiB", "POST", "/v1/consents", body(`,"evidence":{"x":"` + strings.Repeat("a", 9<<10) + `"}`), true, 400, "8 KiB"},
		{"evidence not an object", "POST", "/v1/consents", body(`,"evidence":[1]`), true, 400, "JSON object"},
		{"not an approved text", "POST", "/v1/consents", strings.Replace(body(""), kk1, "sha256:"+strings.Repeat("0", 64), 1), true, 422, "no approved text"},
		{"superseded at accepted_at", "POST", "/v1/consents", strings.Replace(body(""), "2026-11-25T11:00:00Z", "2026-12-04T00:00:00Z", 1), true, 422, "superseded"},
		{"superseded allowed", "POST", "/v1/consents", strings.Replace(body(`,"allow_superseded":true`), "2026-11-25T11:00:00Z", "2026-12-04T00:00:00Z", 1), true, 201, `"index"`},
		{"before the text came into force", "POST", "/v1/consents", strings.Replace(body(`,"allow_superseded":true`), "2026-11-25T11:00:00Z", "2024-01-01T00:00:00Z", 1), true, 422, "not come into force"},
		{"in the future", "POST", "/v1/consents", strings.Replace(body(""), "2026-11-25T11:00:00Z", "2026-12-05T12:10:00Z", 1), true, 422, "future"},
		{"text in another language", "POST", "/v1/consents", strings.Replace(body(""), `"lang":"kk"`, `"lang":"ru"`, 1), true, 422, "is in kk"},
		{"field name in another case", "POST", "/v1/consents", body(`,"Subject":"x"`), true, 400, "documented fields"},
		{"recorded", "POST", "/v1/consents", body(`,"evidence":{"ip":"10.1.2.3"}`), true, 201, `"receipt"`},
		{"GET on withdrawal", "GET", "/v1/consents/abc/withdrawal", "", true, 405, "POST"},
		{"unknown consent", "GET", "/v1/consents/abc", "", true, 404, ""},
		{"list needs a subject", "GET", "/v1/consents", "", true, 400, "subject"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.target, strings.NewReader(tt.body))
			r.Header.Set("Content-Type", "application/json")
			if tt.auth {
				r.Header.Set("Authorization", "Bearer "+token)
			} else if tt.name == "wrong token" {
				r.Header.Set("Authorization", "Bearer nope")
			}
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			if w.Code != tt.status || !strings.Contains(w.Body.String(), tt.want) {
				t.Errorf("%d %s, want %d with %q", w.Code, w.Body, tt.status, tt.want)
			}
			if w.Code >= 400 && w.Header().Get("Content-Type") != "application/problem+json" {
				t.Errorf("error as %s", w.Header().Get("Content-Type"))
			}
		})
	}

	// A consent, listed by subject, withdrawn, listed with its withdrawal,
	// proved against a signed checkpoint.
	w := send(s, "POST", "/v1/consents", body(""), true)
	var created struct {
		ID      string
		Index   int64
		Receipt string
	}
	json.Unmarshal(w.Body.Bytes(), &created)
	if _, err := note.Open([]byte(created.Receipt), note.VerifierList(verifier)); err != nil {
		t.Errorf("receipt does not verify: %v", err)
	}
	if w := send(s, "POST", "/v1/consents/"+created.ID+"/withdrawal", "", true); w.Code != 201 {
		t.Fatalf("withdrawal: %d %s", w.Code, w.Body)
	}
	if w := send(s, "POST", "/v1/consents/"+created.ID+"/withdrawal", "", true); w.Code != 409 {
		t.Errorf("second withdrawal: %d", w.Code)
	}
	list := send(s, "GET", "/v1/consents?subject=customer-42", "", true).Body.String()
	if strings.Count(list, `"kind": "consent"`) != 3 || strings.Count(list, `"kind": "withdrawal"`) != 1 || strings.Contains(list, "customer-42") {
		t.Errorf("listing: %s", list)
	}
	if other := send(s, "GET", "/v1/consents?subject=customer-43", "", true).Body.String(); !strings.Contains(other, `"consents": []`) {
		t.Errorf("another subject: %s", other)
	}
	pw := send(s, "GET", "/v1/consents/"+created.ID+"/proof", "", true)
	var p struct {
		Index      int64
		TreeSize   int64 `json:"tree_size"`
		Checkpoint string
	}
	if err := json.Unmarshal(pw.Body.Bytes(), &p); err != nil || p.TreeSize <= p.Index {
		t.Fatalf("proof: %s", pw.Body)
	}
	if cp := send(s, "GET", "/v1/consents/checkpoint", "", false); cp.Code != 200 || !strings.Contains(cp.Body.String(), "— saiasat-test") {
		t.Errorf("checkpoint: %d %s", cp.Code, cp.Body)
	}
	// The raw subject is on no page of the database.
	leaves, _, _, _ := store.Dump(context.Background())
	if bytes.Contains(bytes.Join(leaves, nil), []byte("customer-42")) {
		t.Error("the raw subject is stored")
	}
}

// Only an accepted token, whole and exact, is let through.
func TestConsentTokens(t *testing.T) {
	s, _, _ := consentServer(t)
	tests := []struct {
		header string
		status int
	}{
		{"Bearer " + token, 400},
		{"Bearer other", 400},
		{"Bearer " + token[:len(token)-1], 401},
		{"Bearer " + token + "x", 401},
		{"Bearer ", 401},
		{"Bearer", 401},
		{"bearer " + token, 400},
		{"BEARER " + token, 400},
		{"Basic " + token, 401},
		{token, 401},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/v1/consents", nil)
		r.Header.Set("Authorization", tt.header)
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
		// 400: through the check, refused for the missing subject.
		if w.Code != tt.status {
			t.Errorf("Authorization %q: %d, want %d", tt.header, w.Code, tt.status)
		}
	}
}

// sendKey posts body with an Idempotency-Key header (one field per value).
func sendKey(s http.Handler, body string, keys ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", "/v1/consents", strings.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+token)
	r.Header.Set("Content-Type", "application/json")
	for _, k := range keys {
		r.Header.Add("Idempotency-Key", k)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

// A client that retries after a lost answer, with the same Idempotency-Key,
// gets the first record back, not a second one; the key with another
// request is refused.
func TestConsentIdempotencyKey(t *testing.T) {
	s, store, _ := consentServer(t)
	ctx := context.Background()
	first := sendKey(s, body(`,"evidence":{"ip":"10.1.2.3"}`), `"retry-1"`)
	if first.Code != 201 || first.Header().Get("Idempotent-Replayed") != "" {
		t.Fatalf("first: %d %q %s", first.Code, first.Header().Get("Idempotent-Replayed"), first.Body)
	}
	// The same request, its key bare, its evidence spaced otherwise.
	again := sendKey(s, body(`,"evidence": { "ip": "10.1.2.3" }`), `retry-1`)
	if again.Code != 201 || again.Header().Get("Idempotent-Replayed") != "true" || again.Body.String() != first.Body.String() {
		t.Fatalf("retry: %d %q\n%s\nwant the first answer\n%s", again.Code, again.Header().Get("Idempotent-Replayed"), again.Body, first.Body)
	}
	for name, b := range map[string]string{
		"another subject": strings.Replace(body(`,"evidence":{"ip":"10.1.2.3"}`), "customer-42", "customer-43", 1),
		"another instant": strings.Replace(body(`,"evidence":{"ip":"10.1.2.3"}`), "11:00:00Z", "11:00:01Z", 1),
		"another channel": strings.Replace(body(`,"evidence":{"ip":"10.1.2.3"}`), `"web"`, `"app"`, 1),
		"other evidence":  body(`,"evidence":{"ip":"10.1.2.4"}`),
		"no evidence":     body(""),
	} {
		if w := sendKey(s, b, "retry-1"); w.Code != 422 || !strings.Contains(w.Body.String(), "another request") {
			t.Errorf("%s with a used key: %d %s", name, w.Code, w.Body)
		}
	}
	for name, keys := range map[string][]string{
		"empty quoted":       {`""`},
		"unterminated":       {`"abc`},
		"bad escape":         {`"a\b"`},
		"text after closing": {`"a"b`},
		"two fields":         {"a", "b"},
		"two fields joined":  {"a, b"},
		"a space":            {"a b"},
		"over 255":           {strings.Repeat("k", 256)},
		"not ASCII":          {"ключ"},
	} {
		if w := sendKey(s, body(""), keys...); w.Code != 400 || !strings.Contains(w.Body.String(), "Idempotency-Key") {
			t.Errorf("%s: %d %s", name, w.Code, w.Body)
		}
	}
	// Sixteen concurrent requests with one new key: one record, one answer.
	const n = 16
	answers := make([]*httptest.ResponseRecorder, n)
	done := make(chan int)
	for i := range n {
		go func() { answers[i] = sendKey(s, body(""), `"race"`); done <- i }()
	}
	for range n {
		<-done
	}
	for i, a := range answers {
		if a.Code != 201 || a.Body.String() != answers[0].Body.String() {
			t.Fatalf("concurrent request %d: %d %s, want the answer of request 0: %s", i, a.Code, a.Body, answers[0].Body)
		}
	}
	// Two records in all: the first key's and the race's.
	if n, err := store.Size(ctx); err != nil || n != 2 {
		t.Errorf("%d records (%v), want 2", n, err)
	}
	leaves, stored, _, err := store.Dump(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ps := ledger.Verify(leaves, stored, nil); len(ps) != 0 {
		t.Errorf("verify: %v", ps)
	}
}

// Ids that cannot be ids are 404, on both stores, and log no error; a
// subject of invalid UTF-8 is 400.
func TestConsentImpossibleIDs(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			var logs bytes.Buffer
			s, _ := newConsentServer(t, time.Time{}, st.open(t), slog.New(slog.NewTextHandler(&logs, nil)))
			for _, id := range []string{"%00", "%ff", "%ff%fe", "abc", strings.Repeat("A", 32), strings.Repeat("0", 33), strings.Repeat("0", 31) + "%00", "%2e%2e", strings.Repeat("f", 2000)} {
				for _, rt := range []struct{ method, path string }{{"GET", ""}, {"GET", "/proof"}, {"POST", "/withdrawal"}} {
					if w := send(s, rt.method, "/v1/consents/"+id+rt.path, "", true); w.Code != 404 || w.Header().Get("Content-Type") != "application/problem+json" {
						t.Errorf("%s %s%s: %d %s", rt.method, id, rt.path, w.Code, w.Body)
					}
				}
			}
			// A possible id that names nothing: 404 from the store.
			if w := send(s, "GET", "/v1/consents/"+strings.Repeat("0", 32), "", true); w.Code != 404 {
				t.Errorf("unknown id: %d %s", w.Code, w.Body)
			}
			for _, q := range []string{"subject=%ff%fe-ALICE", "subject=%fe%ff-ALICE", "subject=a%c3"} {
				if w := send(s, "GET", "/v1/consents?"+q, "", true); w.Code != 400 || !strings.Contains(w.Body.String(), "UTF-8") {
					t.Errorf("%s: %d %s", q, w.Code, w.Body)
				}
			}
			if strings.Contains(logs.String(), "level=ERROR") {
				t.Errorf("errors logged:\n%s", logs.String())
			}
		})
	}
}
