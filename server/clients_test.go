package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/saiasat/saiasat/ledger"
)

// Two clients with their own tokens (write, read, withdraw), besides the
// test tokens' read-all auditor.
const (
	websiteToken = "website-token-0123456789"
	bankToken    = "bank-token-0123456789"
	auditorToken = "scope-read-all-0123456789"
)

// sendAs sends a request with the bearer token secret, and Idempotency-Key
// key if not empty.
func sendAs(s http.Handler, secret, method, target, body, key string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, strings.NewReader(body))
	r.Header.Set("Authorization", "Bearer "+secret)
	if body != "" {
		r.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		r.Header.Set("Idempotency-Key", key)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}

// created reads the id of a 201 answer.
func created(t *testing.T, w *httptest.ResponseRecorder) string {
	t.Helper()
	var rec struct{ ID string }
	if w.Code != 201 || json.Unmarshal(w.Body.Bytes(), &rec) != nil || rec.ID == "" {
		t.Fatalf("want 201 with an id: %d %s", w.Code, w.Body)
	}
	return rec.ID
}

// listing is a page of GET /v1/consents.
type listing struct {
	Consents []struct {
		ID         string
		Index      int64
		Client     string
		Withdrawal *struct{ ID, Client string }
	}
	NextCursor *string `json:"next_cursor"`
}

func list(t *testing.T, s http.Handler, secret, query string) listing {
	t.Helper()
	w := sendAs(s, secret, "GET", "/v1/consents?"+query, "", "")
	var l listing
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &l) != nil {
		t.Fatalf("GET /v1/consents?%s: %d %s", query, w.Code, w.Body)
	}
	return l
}

func ids(l listing) []string {
	var out []string
	for _, c := range l.Consents {
		out = append(out, c.ID)
	}
	return out
}

// Each client reads, proves and withdraws only the records it wrote; its
// idempotency keys are its own; the token's client is in the leaf; a
// read-all token sees every client's records. On both stores.
func TestConsentClients(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			store := st.open(t)
			s, _ := newConsentServer(t, time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC), store, nil)
			web := created(t, sendAs(s, websiteToken, "POST", "/v1/consents", body(""), "k-1"))
			// The same key from another client, with another body: its own
			// record, not a replay nor a 422.
			w := sendAs(s, bankToken, "POST", "/v1/consents", strings.Replace(body(""), `"web"`, `"branch"`, 1), "k-1")
			bank := created(t, w)
			if w.Header().Get("Idempotent-Replayed") != "" || bank == web {
				t.Fatalf("another client's key replayed: %s", w.Body)
			}
			// The website's retry with its key is its own replay.
			if w := sendAs(s, websiteToken, "POST", "/v1/consents", body(""), "k-1"); w.Code != 201 || w.Header().Get("Idempotent-Replayed") != "true" || created(t, w) != web {
				t.Fatalf("retry: %d %s", w.Code, w.Body)
			}

			for _, tt := range []struct {
				who, secret string
				want        []string
			}{
				{"website", websiteToken, []string{web}},
				{"bank", bankToken, []string{bank}},
				{"auditor (read-all)", auditorToken, []string{web, bank}},
			} {
				if got := ids(list(t, s, tt.secret, "subject=customer-42")); strings.Join(got, ",") != strings.Join(tt.want, ",") {
					t.Errorf("%s lists %v, want %v", tt.who, got, tt.want)
				}
			}
			// Another client's record is no record: 404, as an unknown id.
			for _, path := range []string{"/v1/consents/" + bank, "/v1/consents/" + bank + "/proof"} {
				if w := sendAs(s, websiteToken, "GET", path, "", ""); w.Code != 404 {
					t.Errorf("website GET %s: %d %s", path, w.Code, w.Body)
				}
				if w := sendAs(s, bankToken, "GET", path, "", ""); w.Code != 200 {
					t.Errorf("bank GET %s: %d %s", path, w.Code, w.Body)
				}
				if w := sendAs(s, auditorToken, "GET", path, "", ""); w.Code != 200 {
					t.Errorf("auditor GET %s: %d %s", path, w.Code, w.Body)
				}
			}
			if w := sendAs(s, websiteToken, "POST", "/v1/consents/"+bank+"/withdrawal", "", ""); w.Code != 404 {
				t.Errorf("website withdraws the bank's consent: %d %s", w.Code, w.Body)
			}
			wd := created(t, sendAs(s, bankToken, "POST", "/v1/consents/"+bank+"/withdrawal", "", ""))
			if w := sendAs(s, auditorToken, "GET", "/v1/consents/"+wd, "", ""); w.Code != 200 || !strings.Contains(w.Body.String(), `"client": "bank"`) {
				t.Errorf("auditor reads the withdrawal: %d %s", w.Code, w.Body)
			}
			if w := sendAs(s, websiteToken, "GET", "/v1/consents/"+wd, "", ""); w.Code != 404 {
				t.Errorf("website reads the bank's withdrawal: %d %s", w.Code, w.Body)
			}
			// The re-consent status of a client is of its own consents: the
			// bank's is withdrawn, the website's stands.
			if a := statusAs(t, s, bankToken, "subject=customer-42&policy=privacy"); a.Consent != nil {
				t.Errorf("bank's status: %+v, want no consent", a.Consent)
			}
			if a := statusAs(t, s, websiteToken, "subject=customer-42&policy=privacy"); a.Consent == nil || a.Consent.ID != web {
				t.Errorf("website's status: %+v, want %s", a.Consent, web)
			}

			// The client is in the hashed leaf, not beside it.
			leaves, _, _, err := store.Dump(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			clients := map[string]string{}
			for _, l := range leaves {
				r, err := ledger.ParseLeaf(l)
				if err != nil {
					t.Fatal(err)
				}
				clients[r.ID] = r.Client
				if !bytes.Contains(l, []byte(`"client":"`+r.Client+`"`)) {
					t.Errorf("leaf without its client: %s", l)
				}
			}
			if clients[web] != "website" || clients[bank] != "bank" || clients[wd] != "bank" {
				t.Errorf("clients in the leaves: %v", clients)
			}
		})
	}
}

func statusAs(t *testing.T, s http.Handler, secret, query string) statusAnswer {
	t.Helper()
	w := sendAs(s, secret, "GET", "/v1/consents/status?"+query, "", "")
	var a statusAnswer
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &a) != nil {
		t.Fatalf("status?%s: %d %s", query, w.Code, w.Body)
	}
	return a
}

// Listings come a page at a time: limit (default 100, 1 to 1,000) and the
// opaque cursor of the page before; the last page's next_cursor is null.
// Bad values are 400. On both stores.
func TestConsentPages(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			s, _ := newConsentServer(t, time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC), st.open(t), nil)
			const n = 250
			var want []string
			var mu sync.Mutex
			errs := make(chan error, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					w := sendAs(s, websiteToken, "POST", "/v1/consents", body(""), "")
					if w.Code != 201 {
						errs <- fmt.Errorf("consent %d: %d %s", i, w.Code, w.Body)
						return
					}
					var rec struct{ ID string }
					json.Unmarshal(w.Body.Bytes(), &rec)
					mu.Lock()
					want = append(want, rec.ID)
					mu.Unlock()
				}()
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			// Another subject's and another client's consents are on no page.
			created(t, sendAs(s, websiteToken, "POST", "/v1/consents", strings.Replace(body(""), "customer-42", "customer-43", 1), ""))
			created(t, sendAs(s, bankToken, "POST", "/v1/consents", body(""), ""))

			if l := list(t, s, websiteToken, "subject=customer-42"); len(l.Consents) != 100 || l.NextCursor == nil {
				t.Errorf("default page: %d consents, next %v", len(l.Consents), l.NextCursor)
			}
			for _, limit := range []int{1, 7, 100, 249, 250, 1000} {
				var got []string
				var sizes []int
				last := int64(-1)
				q := fmt.Sprintf("subject=customer-42&limit=%d", limit)
				for pages := 0; ; pages++ {
					if pages > n {
						t.Fatalf("limit %d: no last page", limit)
					}
					l := list(t, s, websiteToken, q)
					for _, c := range l.Consents {
						if c.Index <= last {
							t.Fatalf("limit %d: index %d after %d", limit, c.Index, last)
						}
						last = c.Index
					}
					got = append(got, ids(l)...)
					sizes = append(sizes, len(l.Consents))
					if l.NextCursor == nil {
						break
					}
					q = fmt.Sprintf("subject=customer-42&limit=%d&cursor=%s", limit, url.QueryEscape(*l.NextCursor))
				}
				if len(got) != n || !sameSet(got, want) {
					t.Errorf("limit %d: %d consents on %d pages, want the %d posted", limit, len(got), len(sizes), n)
				}
				for i, size := range sizes[:len(sizes)-1] {
					if size != limit {
						t.Errorf("limit %d: page %d holds %d", limit, i, size)
					}
				}
			}
			// The Link header names the next page; the last page has none.
			w := sendAs(s, websiteToken, "GET", "/v1/consents?subject=customer-42&limit=200", "", "")
			link, ok := strings.CutPrefix(w.Header().Get("Link"), "<")
			link, ok2 := strings.CutSuffix(link, `>; rel="next"`)
			if !ok || !ok2 {
				t.Fatalf("Link: %q", w.Header().Get("Link"))
			}
			if w := sendAs(s, websiteToken, "GET", link, "", ""); w.Code != 200 || w.Header().Get("Link") != "" || strings.Count(w.Body.String(), `"kind": "consent"`) != n-200 {
				t.Errorf("GET %s: %d, Link %q, %d consents", link, w.Code, w.Header().Get("Link"), strings.Count(w.Body.String(), `"kind": "consent"`))
			}
			for _, q := range []string{"limit=0", "limit=-1", "limit=1001", "limit=abc", "limit=01", "limit=1e2", "limit=", "limit=+5", "limit=5&limit=6",
				"cursor=", "cursor=abc", "cursor=%ff", "cursor=" + strings.Repeat("A", 400), "cursor=Y3Vyc29y&cursor=Y3Vyc29y"} {
				w := sendAs(s, websiteToken, "GET", "/v1/consents?subject=customer-42&"+q, "", "")
				if w.Code != 400 || w.Header().Get("Content-Type") != "application/problem+json" {
					t.Errorf("%s: %d %s", q, w.Code, w.Body)
				}
			}
		})
	}
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		if m[x]--; m[x] < 0 {
			return false
		}
	}
	return true
}

// A row edited with the database's own client is found on read: the API
// answers 500 problem+json that says nothing of the ledger, and logs an
// ERROR naming the record. Before, the listing moved record 0 to another
// customer, and an edited id made the real one 404. On both stores.
func TestConsentTampered(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			store := st.open(t)
			var logs bytes.Buffer
			var logMu sync.Mutex
			s, _ := newConsentServer(t, time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC), store, slog.New(slog.NewTextHandler(&lockedWriter{w: &logs, mu: &logMu}, nil)))
			a := created(t, sendAs(s, websiteToken, "POST", "/v1/consents", body(""), ""))
			created(t, sendAs(s, websiteToken, "POST", "/v1/consents", strings.Replace(body(""), "customer-42", "customer-43", 1), ""))
			created(t, sendAs(s, websiteToken, "POST", "/v1/consents", strings.Replace(body(""), "customer-42", "customer-44", 1), ""))

			// Record 0 is moved to record 1's customer.
			store.edit(t, "UPDATE records SET subject = (SELECT subject FROM records WHERE idx = 1) WHERE idx = 0")
			// Record 2's id is changed.
			forged := strings.Repeat("ab", 16)
			store.edit(t, "UPDATE records SET id = '"+forged+"' WHERE idx = 2")

			for _, tt := range []struct {
				target string
				record string
			}{
				{"/v1/consents?subject=customer-43", "record=0"},
				{"/v1/consents/" + a, "record=0"},
				{"/v1/consents/" + a + "/proof", "record=0"},
				{"/v1/consents/status?subject=customer-43&policy=privacy", "record=0"},
				{"/v1/consents/" + forged, "record=2"},
				{"/v1/consents/" + forged + "/proof", "record=2"},
			} {
				logMu.Lock()
				logs.Reset()
				logMu.Unlock()
				w := sendAs(s, websiteToken, "GET", tt.target, "", "")
				if w.Code != 500 || w.Header().Get("Content-Type") != "application/problem+json" {
					t.Errorf("GET %s: %d %s", tt.target, w.Code, w.Body)
				}
				for _, secret := range []string{"record", "edited", "leaf", "verify", "sqlite", "postgres", "subject"} {
					if strings.Contains(strings.ToLower(w.Body.String()), secret) {
						t.Errorf("GET %s: the answer tells %q: %s", tt.target, secret, w.Body)
					}
				}
				logMu.Lock()
				got := logs.String()
				logMu.Unlock()
				if !strings.Contains(got, "level=ERROR") || !strings.Contains(got, tt.record) {
					t.Errorf("GET %s: log %q, want an ERROR with %s", tt.target, got, tt.record)
				}
			}
			// Withdrawing the edited record is refused too, and appends
			// nothing.
			before := recorded(t, store)
			if w := sendAs(s, websiteToken, "POST", "/v1/consents/"+a+"/withdrawal", "", ""); w.Code != 500 {
				t.Errorf("withdrawal of an edited record: %d %s", w.Code, w.Body)
			}
			if w := sendAs(s, websiteToken, "POST", "/v1/consents/"+forged+"/withdrawal", "", ""); w.Code != 500 {
				t.Errorf("withdrawal of a record with an edited id: %d %s", w.Code, w.Body)
			}
			if n := recorded(t, store); n != before {
				t.Errorf("%d records after refused withdrawals, want %d", n, before)
			}
		})
	}
}

// lockedWriter serializes writes to w: the server logs from many
// goroutines.
type lockedWriter struct {
	w  *bytes.Buffer
	mu *sync.Mutex
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// A subject is one customer however its characters are composed (NFC
// before the HMAC); a subject of nothing visible, or over 256 bytes, is
// refused; the checkpoint's first line names this ledger (C2SP origin).
func TestConsentSubjectForms(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			s, _ := newConsentServer(t, time.Date(2026, 12, 5, 12, 0, 0, 0, time.UTC), st.open(t), nil)
			nfd := created(t, sendAs(s, websiteToken, "POST", "/v1/consents", strings.Replace(body(""), "customer-42", "Jose\u0301", 1), ""))
			nfc := created(t, sendAs(s, websiteToken, "POST", "/v1/consents", strings.Replace(body(""), "customer-42", "Jos\u00e9", 1), ""))
			for _, q := range []string{"subject=" + url.QueryEscape("Jos\u00e9"), "subject=" + url.QueryEscape("Jose\u0301")} {
				if got := ids(list(t, s, websiteToken, q)); strings.Join(got, ",") != nfd+","+nfc {
					t.Errorf("%s lists %v, want both %s and %s", q, got, nfd, nfc)
				}
			}
			for name, subject := range map[string]string{
				"zero-width space": "\u200b",
				"spaces":           "   ",
				"a BOM and a ZWJ":  "\ufeff\u200d",
				"257 bytes":        strings.Repeat("a", 257),
			} {
				js, _ := json.Marshal(subject)
				if w := sendAs(s, websiteToken, "POST", "/v1/consents", strings.Replace(body(""), `"customer-42"`, string(js), 1), ""); w.Code != 400 || w.Header().Get("Content-Type") != "application/problem+json" {
					t.Errorf("POST subject %s: %d %s", name, w.Code, w.Body)
				}
				if w := sendAs(s, websiteToken, "GET", "/v1/consents?subject="+url.QueryEscape(subject), "", ""); w.Code != 400 {
					t.Errorf("GET subject %s: %d %s", name, w.Code, w.Body)
				}
			}
			w := sendAs(s, "", "GET", "/v1/consents/checkpoint", "", "")
			if first, _, _ := strings.Cut(w.Body.String(), "\n"); w.Code != 200 || !strings.HasPrefix(first, "saiasat.ledger/") {
				t.Errorf("checkpoint: %d, origin %q", w.Code, first)
			}
		})
	}
}
