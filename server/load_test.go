//go:build !race

// The load test runs without the race detector, in a go test invocation of
// its own (make test): under -race its fixed request count takes too long.

package server_test

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/saiasat/saiasat/ledger"
	"github.com/saiasat/saiasat/server"
	"golang.org/x/mod/sumdb/note"
)

// The load: loadClients concurrent clients, each posting loadConsents
// consents; every mixEvery-th consent, it also asks for the proof of one
// of its records, lists the subject's first page and follows its cursor,
// and fetches the checkpoint. The count of consents is the guarantee;
// mixEvery only sets the mix.
const (
	loadClients  = 64
	loadConsents = 5000
	mixEvery     = 50
)

// 64 concurrent clients over real HTTP against the handler saiasat serve
// runs (server.HTTPServer on server.Listener, the writer signing a
// checkpoint with every batch), on a SQLite file and on PostgreSQL: every
// answer is a 200 or 201 (before, SQLite refused 20,724 of the 320,000
// consents with 500), and every consent that got a 201 is in the log,
// which verifies.
func TestLoad(t *testing.T) {
	for _, st := range stores {
		t.Run(st.name, func(t *testing.T) {
			store := st.open(t)
			clock := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
			skey, vkey, _ := note.GenerateKey(rand.Reader, "saiasat-load")
			signer, _ := note.NewSigner(skey)
			verifier, _ := note.NewVerifier(vkey)
			svc := &ledger.Service{Store: store, Signer: signer, Verifier: verifier, SubjectKey: []byte("k"), Now: func() time.Time { return clock }}
			if err := svc.Start(context.Background()); err != nil {
				t.Fatal(err)
			}
			s, err := server.New(loader(twoEditions(t)), server.Options{Now: func() time.Time { return clock }, Consents: &server.Consents{Service: svc, Tokens: testTokens}})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(s.Close)
			addr, _ := live(t, s, 0)
			base := "http://" + addr
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: loadClients}, Timeout: time.Minute}

			type answer struct {
				status int
				body   []byte
			}
			// Half the clients write as the website, half as the bank: each
			// lists and proves its own records.
			do := func(secret, method, path, body string) (answer, error) {
				req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
				req.Header.Set("Authorization", "Bearer "+secret)
				if body != "" {
					req.Header.Set("Content-Type", "application/json")
				}
				resp, err := client.Do(req)
				if err != nil {
					return answer{}, err
				}
				defer resp.Body.Close()
				b, err := io.ReadAll(resp.Body)
				return answer{resp.StatusCode, b}, err
			}

			var mu sync.Mutex
			acked := make(map[string]bool, loadClients*loadConsents)
			statuses := map[string]int{}
			var failures []string
			failf := func(format string, args ...any) {
				mu.Lock()
				defer mu.Unlock()
				if len(failures) < 20 {
					failures = append(failures, fmt.Sprintf(format, args...))
				}
			}
			start, cpu0 := time.Now(), cpuTime()
			var wg sync.WaitGroup
			for g := range loadClients {
				wg.Add(1)
				go func() {
					defer wg.Done()
					secret := websiteToken
					if g%2 == 1 {
						secret = bankToken
					}
					var mine []string
					count := func(kind string, a answer) {
						mu.Lock()
						statuses[fmt.Sprintf("%s %d", kind, a.status)]++
						mu.Unlock()
					}
					for i := range loadConsents {
						subject := fmt.Sprintf("load-%d-%d", g, i%20)
						a, err := do(secret, "POST", "/v1/consents", strings.Replace(body(""), "customer-42", subject, 1))
						if err != nil {
							failf("POST: %v", err)
							continue
						}
						count("POST consent", a)
						var rec struct{ ID string }
						if a.status != 201 || json.Unmarshal(a.body, &rec) != nil || rec.ID == "" {
							failf("POST consent: %d %s", a.status, a.body)
							continue
						}
						mine = append(mine, rec.ID)
						if i%mixEvery != mixEvery-1 {
							continue
						}
						a, err = do(secret, "GET", "/v1/consents/"+mine[len(mine)/2]+"/proof", "")
						if err != nil || a.status != 200 {
							failf("proof: %d %s %v", a.status, a.body, err)
						}
						count("GET proof", a)
						a, err = do(secret, "GET", "/v1/consents?limit=20&subject="+subject, "")
						if err != nil || a.status != 200 {
							failf("listing: %d %s %v", a.status, a.body, err)
						}
						count("GET listing", a)
						var page struct {
							NextCursor *string `json:"next_cursor"`
						}
						if json.Unmarshal(a.body, &page) == nil && page.NextCursor != nil {
							a, err = do(secret, "GET", "/v1/consents?limit=20&subject="+subject+"&cursor="+*page.NextCursor, "")
							if err != nil || a.status != 200 {
								failf("next page: %d %s %v", a.status, a.body, err)
							}
							count("GET next page", a)
						}
						// Every record is covered by a checkpoint once written.
						a, err = do(secret, "GET", "/v1/consents/checkpoint", "")
						if err != nil || a.status != 200 {
							failf("checkpoint: %d %s %v", a.status, a.body, err)
						}
						count("GET checkpoint", a)
					}
					mu.Lock()
					for _, id := range mine {
						acked[id] = true
					}
					mu.Unlock()
				}()
			}
			wg.Wait()
			elapsed := time.Since(start)
			t.Logf("%d clients × %d consents in %v (%.0f consents/s; %v CPU in this process, server and clients); answers: %v",
				loadClients, loadConsents, elapsed.Round(time.Millisecond), float64(len(acked))/elapsed.Seconds(), (cpuTime() - cpu0).Round(time.Millisecond), statuses)
			for _, f := range failures {
				t.Error(f)
			}
			for k, n := range statuses {
				if !strings.HasSuffix(k, " 200") && !strings.HasSuffix(k, " 201") {
					t.Errorf("%d × %s", n, k)
				}
			}

			// Every acknowledged consent is in the log, once, and the log
			// verifies against a checkpoint over all of it.
			cp, err := svc.Checkpoint(context.Background(), true)
			if err != nil {
				t.Fatal(err)
			}
			tree, err := ledger.OpenCheckpoint(cp, verifier)
			if err != nil {
				t.Fatal(err)
			}
			leaves, stored, _, err := store.Dump(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if ps := ledger.Verify(leaves, stored, nil); len(ps) > 0 {
				t.Errorf("verify: %v", ps[0])
			}
			if tree.N != int64(len(leaves)) {
				t.Errorf("checkpoint over %d records, %d in the log", tree.N, len(leaves))
			}
			inLog := make(map[string]bool, len(leaves))
			for _, l := range leaves {
				r, err := ledger.ParseLeaf(l)
				if err != nil {
					t.Fatal(err)
				}
				inLog[r.ID] = true
			}
			missing := 0
			for id := range acked {
				if !inLog[id] {
					missing++
				}
			}
			if missing > 0 || len(acked) != loadClients*loadConsents || len(leaves) != len(acked) {
				t.Errorf("%d acknowledged (want %d), %d in the log, %d acknowledged and missing", len(acked), loadClients*loadConsents, len(leaves), missing)
			}
		})
	}
}

// cpuTime returns the CPU time, user and system, of this process so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
