package main

import (
	"context"
	"errors"
	"path/filepath"
	"sync"
	"testing"

	"github.com/saiasat/saiasat/ledger"
)

// Servers starting at once on a fresh data folder end up with one set of
// keys: one creates each file, the others read it.
func TestLoadKeysConcurrently(t *testing.T) {
	t.Setenv("SAIASAT_SUBJECT_KEY", "")
	base := filepath.Join(t.TempDir(), "ledger")
	const n = 6
	keys := make([]*ledgerKeys, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			keys[i], errs[i] = loadKeys(base)
		}()
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("server %d: %v", i, errs[i])
		}
		if string(keys[i].subject) != string(keys[0].subject) || keys[i].verifierKey != keys[0].verifierKey {
			t.Fatalf("servers 0 and %d have different keys", i)
		}
	}
}

// A second server with another subject key is refused before it can
// file a customer under another subject.
func TestOpenLedgerRefusesOtherKeys(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "consents.db")
	t.Setenv("SAIASAT_SUBJECT_KEY", "the first server's subject key, 32+")
	store, _, err := openLedger(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	store.Close()
	store, _, err = openLedger(ctx, db)
	if err != nil {
		t.Fatalf("the same key again: %v", err)
	}
	store.Close()
	t.Setenv("SAIASAT_SUBJECT_KEY", "a replica's other subject key, 32+")
	if store, _, err := openLedger(ctx, db); !errors.Is(err, ledger.ErrOtherKeys) {
		if store != nil {
			store.Close()
		}
		t.Fatalf("another subject key: %v, want ErrOtherKeys", err)
	}
}
