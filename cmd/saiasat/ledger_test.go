package main

import (
	"context"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/saiasat/saiasat/internal/testtool"
	"github.com/saiasat/saiasat/ledger"
	"github.com/saiasat/saiasat/ledger/sqlite"
	"golang.org/x/mod/sumdb/note"
)

// Servers starting at once on a fresh data folder end up with one set of
// keys: one creates each file, the others read it.
func TestLoadKeysConcurrently(t *testing.T) {
	t.Setenv("SAIASAT_SUBJECT_KEY", "")
	base := filepath.Join(t.TempDir(), "ledger")
	const n = 6
	keys := make([]*ledgerKeys, n)
	errs := testtool.Parallel(n, func(i int) (err error) {
		keys[i], err = loadKeys(base, 0)
		return err
	})
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

// A ledger that holds records never gets new key files: a lost key file is
// an error naming it, and a signing key that did not sign the ledger's
// checkpoints is refused (a ledger of schema 1 has no keys bound yet).
func TestOpenLedgerKeepsTheKeysOfItsRecords(t *testing.T) {
	ctx := context.Background()
	t.Setenv("SAIASAT_SUBJECT_KEY", "")
	dir := t.TempDir()
	db := filepath.Join(dir, "consents.db")
	store, keys, err := openLedger(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Append(ctx, &ledger.Record{ID: "c1", Kind: ledger.KindConsent, Subject: "s", RecordedAt: "2026-11-25T12:00:00Z"}); err != nil {
		t.Fatal(err)
	}
	store.SetCheckpointer(&ledger.Checkpointer{Origin: ledger.Origin(keys.subject), Signer: keys.signer})
	if err := store.CheckpointNow(ctx); err != nil {
		t.Fatal(err)
	}
	store.Close()
	for _, f := range []string{".subject-key", ".signing-key"} {
		saved, err := os.ReadFile(db + f)
		if err != nil {
			t.Fatal(err)
		}
		os.Remove(db + f)
		if store, _, err := openLedger(ctx, db); err == nil || !strings.Contains(err.Error(), db+f+" is missing") {
			if store != nil {
				store.Close()
			}
			t.Errorf("without %s: %v, want it named as missing", f, err)
		}
		if err := os.WriteFile(db+f, saved, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	// Another signing key, on a ledger whose keys were never bound.
	store, _, err = openLedger(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	store.(*sqlite.Store).DB().Exec(`DELETE FROM meta`)
	store.Close()
	skey, _, _ := note.GenerateKey(rand.Reader, "saiasat-ledger")
	os.WriteFile(db+".signing-key", []byte(skey+"\n"), 0o600)
	os.Remove(db + ".verifier-key")
	if store, _, err := openLedger(ctx, db); !errors.Is(err, ledger.ErrOtherKeys) || !strings.Contains(err.Error(), db+".signing-key") {
		if store != nil {
			store.Close()
		}
		t.Errorf("another signing key: %v, want the latest checkpoint named", err)
	}
}
