package sqlite_test

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/saiasat/saiasat/ledger"
	"github.com/saiasat/saiasat/ledger/sqlite"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func record(i int) *ledger.Record {
	return &ledger.Record{ID: fmt.Sprintf("c%06d", i), Kind: ledger.KindConsent, Subject: fmt.Sprintf("%064x", i%37),
		TextSHA256: "sha256:07b8f57c29d70afe036e148f8b138c98c0e754d8875491fea51d2b6af07498c3", Lang: "kk",
		AcceptedAt: "2026-11-25T12:00:00Z", Channel: "web", RecordedAt: "2026-11-25T12:00:01Z"}
}

func open(t testing.TB, path string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func verify(t *testing.T, s *sqlite.Store, verifier note.Verifier) []ledger.Problem {
	t.Helper()
	leaves, stored, notes, err := s.Dump(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var trees []tlog.Tree
	for _, n := range notes {
		tr, err := ledger.OpenCheckpoint(n, verifier)
		if err != nil {
			t.Fatal(err)
		}
		trees = append(trees, tr)
	}
	return ledger.Verify(leaves, stored, trees)
}

// Concurrent appends get distinct consecutive indexes, all durable; the
// log re-derives, checkpoints verify, and proofs check, after a reopen too.
func TestConcurrentAppends(t *testing.T) {
	path := filepath.Join(t.TempDir(), "consents.db")
	s := open(t, path)
	const clients, each = 16, 25
	var wg sync.WaitGroup
	errs := make(chan error, clients*each)
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				if err := s.Append(context.Background(), record(c*each+i)); err != nil {
					errs <- err
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	skey, vkey, _ := note.GenerateKey(rand.Reader, "test")
	signer, _ := note.NewSigner(skey)
	verifier, _ := note.NewVerifier(vkey)
	cp, err := ledger.SignCheckpoint(clients*each, s, signer)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.AddCheckpoint(context.Background(), cp); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = open(t, path)
	defer s.Close()
	if n, _ := s.Size(context.Background()); n != clients*each {
		t.Fatalf("%d records after reopening, want %d", n, clients*each)
	}
	if ps := verify(t, s, verifier); len(ps) != 0 {
		t.Fatalf("verify: %v", ps)
	}
	r, leaf, err := s.Record(context.Background(), "c000123")
	if err != nil || r == nil {
		t.Fatalf("record: %v %v", r, err)
	}
	p, err := ledger.Prove(cp.Tree.N, r.Index, s)
	if err != nil {
		t.Fatal(err)
	}
	if err := ledger.CheckProof(p, cp.Tree, r.Index, leaf); err != nil {
		t.Errorf("proof: %v", err)
	}
	if err := s.Append(context.Background(), record(123)); !errors.Is(err, sqlite.ErrDuplicate) {
		t.Errorf("duplicate id: %v", err)
	}
}

// A row edited with the database's own SQL is named by its index.
func TestTamperWithSQL(t *testing.T) {
	s := open(t, filepath.Join(t.TempDir(), "consents.db"))
	defer s.Close()
	for i := range 40 {
		if err := s.Append(context.Background(), record(i)); err != nil {
			t.Fatal(err)
		}
	}
	skey, vkey, _ := note.GenerateKey(rand.Reader, "test")
	signer, _ := note.NewSigner(skey)
	verifier, _ := note.NewVerifier(vkey)
	cp, _ := ledger.SignCheckpoint(40, s, signer)
	s.AddCheckpoint(context.Background(), cp)
	if _, err := s.DB().Exec(`UPDATE records SET leaf = replace(leaf, '"web"', '"app"') WHERE idx = 17`); err != nil {
		t.Fatal(err)
	}
	ps := verify(t, s, verifier)
	if len(ps) == 0 || ps[0].Index != 17 {
		t.Errorf("problems %v, want record 17 first", ps)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "consents.db")
	s := open(t, path)
	if _, err := s.DB().Exec(`PRAGMA user_version = 99`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := sqlite.Open(path); !errors.Is(err, sqlite.ErrNewerSchema) {
		t.Errorf("open a newer schema: %v", err)
	}
}

// BenchmarkAppend64 measures acknowledged, durable appends per second with
// 64 concurrent clients: group commit against one transaction per record
// (the naive loop) on the same kind of store, in the same run.
func BenchmarkAppend64(b *testing.B) {
	for _, naive := range []bool{false, true} {
		name := "group-commit"
		if naive {
			name = "naive"
		}
		b.Run(name, func(b *testing.B) {
			s := open(b, filepath.Join(b.TempDir(), "consents.db"))
			defer s.Close()
			s.Naive = naive
			var mu sync.Mutex
			next := 0
			var lat []time.Duration
			b.SetParallelism(32) // 2 cores × 32 = 64 clients
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					mu.Lock()
					i := next
					next++
					mu.Unlock()
					start := time.Now()
					if err := s.Append(context.Background(), record(i)); err != nil {
						b.Error(err)
						return
					}
					d := time.Since(start)
					mu.Lock()
					lat = append(lat, d)
					mu.Unlock()
				}
			})
			b.StopTimer()
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
			if len(lat) > 0 {
				slices.Sort(lat)
				b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
			}
		})
	}
}
