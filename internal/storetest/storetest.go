// Package storetest is the conformance suite every consent-log store
// passes: SQLite and PostgreSQL run the same tests.
package storetest

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/saiasat/saiasat/internal/testtool"
	"github.com/saiasat/saiasat/ledger"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Backend opens fresh stores of one kind and tampers with them as their
// own database client would.
type Backend struct {
	// Open returns a new, empty store; Reopen opens the same store again.
	Open func(t *testing.T) (s ledger.Store, reopen func() ledger.Store)
	// Tamper changes the stored bytes of record idx with plain SQL.
	Tamper func(t *testing.T, s ledger.Store, idx int64)
	// Client runs statements on the store's database with the database's
	// own command-line client (sqlite3, psql), as someone editing it by
	// hand would; ? in them stands for the text of an argument.
	Client func(t *testing.T, s ledger.Store, sql string)
	// Blob returns an SQL expression of column col (bytes) with every
	// from replaced by to, in the database's dialect.
	Blob func(col, from, to string) string
	// Verify runs saiasat ledger verify on the store, with the public key
	// vkey, and returns its exit code and output (RunColumns).
	Verify func(t *testing.T, s ledger.Store, vkey string) (code int, stdout string)
	// Duplicate is the error a duplicate record id gives.
	Duplicate error
}

func record(i int) *ledger.Record {
	return &ledger.Record{ID: fmt.Sprintf("c%06d", i), Kind: ledger.KindConsent, Subject: fmt.Sprintf("%064x", i%37),
		TextSHA256: "sha256:07b8f57c29d70afe036e148f8b138c98c0e754d8875491fea51d2b6af07498c3", Lang: "kk",
		AcceptedAt: "2026-11-25T12:00:00Z", Channel: "web", RecordedAt: "2026-11-25T12:00:01Z"}
}

func keys(t *testing.T) (note.Signer, note.Verifier) {
	skey, vkey, err := note.GenerateKey(rand.Reader, "storetest")
	if err != nil {
		t.Fatal(err)
	}
	s, _ := note.NewSigner(skey)
	v, _ := note.NewVerifier(vkey)
	return s, v
}

func verify(t *testing.T, s ledger.Store, v note.Verifier) []ledger.Problem {
	t.Helper()
	leaves, stored, notes, err := s.Dump(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var trees []tlog.Tree
	for _, n := range notes {
		tr, err := ledger.OpenCheckpoint(n, v)
		if err != nil {
			t.Fatal(err)
		}
		trees = append(trees, tr)
	}
	return ledger.Verify(leaves, stored, trees)
}

// checkpoint has the store's writer sign a checkpoint of the log as it is
// and returns its tree.
func checkpoint(t *testing.T, s ledger.Store, signer note.Signer, v note.Verifier) tlog.Tree {
	t.Helper()
	ctx := context.Background()
	s.SetCheckpointer(&ledger.Checkpointer{Origin: "storetest", Signer: signer})
	if err := s.CheckpointNow(ctx); err != nil {
		t.Fatal(err)
	}
	msg, err := s.LatestCheckpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := ledger.OpenCheckpoint(msg, v)
	if err != nil {
		t.Fatal(err)
	}
	return tr
}

// Run runs the suite.
func Run(t *testing.T, b Backend) {
	ctx := context.Background()
	runService(t, b)
	t.Run("concurrent appends, reopen, proofs", func(t *testing.T) {
		s, reopen := b.Open(t)
		const clients, each = 16, 25
		var wg sync.WaitGroup
		errs := make(chan error, clients*each)
		for c := range clients {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range each {
					if err := s.Append(ctx, record(c*each+i)); err != nil {
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
		signer, verifier := keys(t)
		tree := checkpoint(t, s, signer, verifier)
		if tree.N != clients*each {
			t.Fatalf("checkpoint of %d records, want %d", tree.N, clients*each)
		}
		latestNote, _ := s.LatestCheckpoint(ctx)
		s.Close()
		s = reopen()
		defer s.Close()
		if n, _ := s.Size(ctx); n != clients*each {
			t.Fatalf("%d records after reopening, want %d", n, clients*each)
		}
		if ps := verify(t, s, verifier); len(ps) != 0 {
			t.Fatalf("verify: %v", ps)
		}
		r, leaf, err := s.Record(ctx, "c000123")
		if err != nil || r == nil {
			t.Fatalf("record: %v %v", r, err)
		}
		p, err := ledger.Prove(tree.N, r.Index, s)
		if err != nil {
			t.Fatal(err)
		}
		if err := ledger.CheckProof(p, tree, r.Index, leaf); err != nil {
			t.Errorf("proof: %v", err)
		}
		if err := s.Append(ctx, record(123)); !errors.Is(err, b.Duplicate) {
			t.Errorf("duplicate id: %v", err)
		}
		subj, err := s.Consents(ctx, ledger.ConsentQuery{Subject: fmt.Sprintf("%064x", 5), AllClients: true, After: -1, Limit: 1000})
		if err != nil || len(subj) != 11 { // records 5, 42, … 375 of 400
			t.Errorf("by subject: %d, %v; want 11", len(subj), err)
		}
		if latest, err := s.LatestCheckpoint(ctx); err != nil || string(latest) != string(latestNote) {
			t.Errorf("latest checkpoint: %v", err)
		}
	})
	t.Run("a bad record fails alone; one withdrawal per consent", func(t *testing.T) {
		s, _ := b.Open(t)
		defer s.Close()
		if err := s.Append(ctx, record(0)); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		results := make([]error, 40)
		for i := range results {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r := record(1000 + i)
				switch {
				case i == 7:
					r = record(0) // a duplicate id, in the middle of a batch
				case i >= 20:
					r = &ledger.Record{ID: fmt.Sprintf("w%d", i), Kind: ledger.KindWithdrawal, Subject: r.Subject, Consent: "c000000", RecordedAt: r.RecordedAt}
				}
				results[i] = s.Append(ctx, r)
			}()
		}
		wg.Wait()
		withdrawn := 0
		for i, err := range results {
			switch {
			case i == 7:
				if !errors.Is(err, b.Duplicate) {
					t.Errorf("duplicate id: %v", err)
				}
			case i >= 20:
				if err == nil {
					withdrawn++
				} else if !errors.Is(err, b.Duplicate) {
					t.Errorf("withdrawal %d: %v", i, err)
				}
			case err != nil:
				t.Errorf("record %d failed with the duplicate's batch: %v", i, err)
			}
		}
		if withdrawn != 1 {
			t.Errorf("%d withdrawals of one consent recorded, want 1", withdrawn)
		}
		leaves, stored, _, _ := s.Dump(ctx)
		if ps := ledger.Verify(leaves, stored, nil); len(ps) != 0 {
			t.Errorf("verify: %v", ps)
		}
	})
	t.Run("tampering is named by index", func(t *testing.T) {
		s, _ := b.Open(t)
		defer s.Close()
		for i := range 40 {
			if err := s.Append(ctx, record(i)); err != nil {
				t.Fatal(err)
			}
		}
		signer, verifier := keys(t)
		checkpoint(t, s, signer, verifier)
		b.Tamper(t, s, 17)
		ps := verify(t, s, verifier)
		if len(ps) == 0 || ps[0].Index != 17 {
			t.Errorf("problems %v, want record 17 first", ps)
		}
	})
	t.Run("keys: the first claim wins, across reopening and concurrent claims", func(t *testing.T) {
		s, reopen := b.Open(t)
		const claimers = 8
		got := make([]string, claimers)
		errs := testtool.Parallel(claimers, func(i int) (err error) {
			got[i], err = s.Claim(ctx, "test", fmt.Sprintf("value%d", i))
			return err
		})
		for i := range claimers {
			if errs[i] != nil || got[i] != got[0] || got[0] == "" {
				t.Fatalf("claims returned %q (errors %v): want one value for all", got, errs)
			}
		}
		s.Close()
		s = reopen()
		defer s.Close()
		if v, err := s.Claim(ctx, "test", "another"); err != nil || v != got[0] {
			t.Errorf("claim after reopening: %q, %v; want %q", v, err, got[0])
		}
		key := []byte("the first subject key, 32 bytes+")
		if err := ledger.BindKeys(ctx, s, key, "vkey1"); err != nil {
			t.Fatal(err)
		}
		if err := ledger.BindKeys(ctx, s, key, "vkey1"); err != nil {
			t.Errorf("the same keys again: %v", err)
		}
		for _, c := range []struct {
			key  []byte
			vkey string
		}{{[]byte("another subject key, 32 bytes.."), "vkey1"}, {key, "vkey2"}} {
			if err := ledger.BindKeys(ctx, s, c.key, c.vkey); !errors.Is(err, ledger.ErrOtherKeys) {
				t.Errorf("other keys (%q, %s) accepted: %v", c.key, c.vkey, err)
			}
		}
	})
	t.Run("idempotency keys: found, unique, in the leaf", func(t *testing.T) {
		s, reopen := b.Open(t)
		a, c := record(1), record(2)
		a.IdempotencyKey, c.IdempotencyKey = "key-a", "key-a"
		if err := s.Append(ctx, a); err != nil {
			t.Fatal(err)
		}
		if err := s.Append(ctx, c); !errors.Is(err, b.Duplicate) {
			t.Errorf("a second record with one key: %v, want %v", err, b.Duplicate)
		}
		if err := s.Append(ctx, record(3)); err != nil { // no key: many may have none
			t.Fatal(err)
		}
		if err := s.Append(ctx, record(4)); err != nil {
			t.Fatal(err)
		}
		s.Close()
		s = reopen()
		defer s.Close()
		got, err := s.ByIdempotencyKey(ctx, "key-a")
		if err != nil || got == nil || got.ID != a.ID || got.IdempotencyKey != "key-a" {
			t.Fatalf("by key: %+v, %v; want record %s", got, err, a.ID)
		}
		if got, err := s.ByIdempotencyKey(ctx, "key-b"); got != nil || err != nil {
			t.Errorf("an unknown key: %+v, %v; want nil, nil", got, err)
		}
		// The stored key (an HMAC, made by the service) is in the leaf, so
		// that its column is checked against a hashed record.
		_, leaf, _ := s.Record(ctx, a.ID)
		if !strings.Contains(string(leaf), `"idem":"key-a"`) {
			t.Errorf("the key is not in the leaf: %s", leaf)
		}
	})
	t.Run("racing repeats of one idempotency key: one record each", func(t *testing.T) {
		s, _ := b.Open(t)
		defer s.Close()
		const pairs = 32
		errs := testtool.Parallel(2*pairs, func(i int) error {
			r := record(100 + i)
			r.IdempotencyKey = fmt.Sprint("race-", i/2)
			return s.Append(ctx, r)
		})
		for k := range pairs {
			a, c := errs[2*k], errs[2*k+1]
			if (a == nil) == (c == nil) || !errors.Is(cmp.Or(a, c), b.Duplicate) {
				t.Errorf("key %d: %v and %v, want one record and one %v", k, a, c, b.Duplicate)
			}
		}
		if n, err := s.Size(ctx); err != nil || n != pairs {
			t.Errorf("%d records (%v), want %d", n, err, pairs)
		}
		leaves, stored, _, _ := s.Dump(ctx)
		if ps := ledger.Verify(leaves, stored, nil); len(ps) != 0 {
			t.Errorf("verify: %v", ps)
		}
	})
}
