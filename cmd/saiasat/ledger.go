package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/saiasat/saiasat/internal/atomicfile"
	"github.com/saiasat/saiasat/ledger"
	"github.com/saiasat/saiasat/ledger/postgres"
	"github.com/saiasat/saiasat/ledger/sqlite"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// DefaultDB is where serve keeps consents unless --db says otherwise.
const DefaultDB = "data/consents.db"

// ledgerKeys are the keys beside the database: the subject HMAC key (or
// SAIASAT_SUBJECT_KEY) and the checkpoint signing key, created with mode
// 0600 on first start.
type ledgerKeys struct {
	subject  []byte
	signer   note.Signer
	verifier note.Verifier
}

func readOrCreate(path string, make func() (string, error)) (string, error) {
	b, err := os.ReadFile(path)
	if err == nil {
		return strings.TrimSpace(string(b)), nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return "", err
	}
	v, err := make()
	if err != nil {
		return "", err
	}
	if err := atomicfile.WriteFile(path, []byte(v+"\n"), 0o600); err != nil {
		return "", err
	}
	return v, nil
}

func loadKeys(db string, create bool) (*ledgerKeys, error) {
	k := &ledgerKeys{}
	if v := os.Getenv("SAIASAT_SUBJECT_KEY"); v != "" {
		k.subject = []byte(v)
	} else {
		v, err := readOrCreate(db+".subject-key", func() (string, error) {
			if !create {
				return "", fmt.Errorf("%s.subject-key: missing", db)
			}
			var b [32]byte
			if _, err := rand.Read(b[:]); err != nil {
				return "", err
			}
			return hex.EncodeToString(b[:]), nil
		})
		if err != nil {
			return nil, err
		}
		k.subject = []byte(v)
	}
	var vkey string
	skey, err := readOrCreate(db+".signing-key", func() (string, error) {
		if !create {
			return "", fmt.Errorf("%s.signing-key: missing", db)
		}
		s, v, err := note.GenerateKey(rand.Reader, "saiasat-ledger")
		vkey = v
		return s, err
	})
	if err != nil {
		return nil, err
	}
	if vkey != "" {
		if err := atomicfile.WriteFile(db+".verifier-key", []byte(vkey+"\n"), 0o644); err != nil {
			return nil, err
		}
	}
	if k.signer, err = note.NewSigner(skey); err != nil {
		return nil, fmt.Errorf("%s.signing-key: %w", db, err)
	}
	vb, err := os.ReadFile(db + ".verifier-key")
	if err != nil {
		return nil, fmt.Errorf("%s.verifier-key: %w", db, err)
	}
	if k.verifier, err = note.NewVerifier(strings.TrimSpace(string(vb))); err != nil {
		return nil, fmt.Errorf("%s.verifier-key: %w", db, err)
	}
	return k, nil
}

// openLedger opens the store db — a SQLite file, or a postgres:// URL —
// creating its folder and keys on first start. The keys of a PostgreSQL
// ledger are files under data/ (ledger.*), to be shared by its replicas.
func openLedger(ctx context.Context, db string) (ledger.Store, *ledgerKeys, error) {
	keyBase := db
	var store ledger.Store
	var err error
	if isPostgres(db) {
		keyBase = filepath.Join(filepath.Dir(DefaultDB), "ledger")
		store, err = postgres.Open(ctx, db)
	} else {
		if err := os.MkdirAll(filepath.Dir(db), 0o700); err != nil {
			return nil, nil, err
		}
		store, err = sqlite.Open(db)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("open the consent ledger: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(keyBase), 0o700); err != nil {
		store.Close()
		return nil, nil, err
	}
	keys, err := loadKeys(keyBase, true)
	if err != nil {
		store.Close()
		return nil, nil, err
	}
	return store, keys, nil
}

func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// tokens reads the accepted bearer tokens: SAIASAT_API_TOKENS
// (comma-separated) and the file named by --tokens (one per line).
func tokens(file string) ([]string, error) {
	var out []string
	for _, t := range strings.Split(os.Getenv("SAIASAT_API_TOKENS"), ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("--tokens %s: %w", file, err)
		}
		for _, t := range strings.Split(string(b), "\n") {
			if t = strings.TrimSpace(t); t != "" && !strings.HasPrefix(t, "#") {
				out = append(out, t)
			}
		}
	}
	return out, nil
}

func (m *Main) runLedger(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		return usagef("saiasat ledger verify --help", "ledger has one subcommand: verify")
	}
	db := DefaultDB
	fs := m.newFlagSet("ledger verify", "", "Re-derives every leaf and the Merkle tree of the consent ledger and checks\nevery stored checkpoint; any edited, deleted or reordered record is reported\nby index (exit 1).")
	fs.StringVar(&db, "db", db, "the consent `database`: a SQLite file or a postgres:// URL")
	rest, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("saiasat ledger verify --help", "unexpected argument %q", rest[0])
	}
	keyBase := db
	var store ledger.Store
	if isPostgres(db) {
		keyBase = filepath.Join(filepath.Dir(DefaultDB), "ledger")
		if store, err = postgres.Open(ctx, db); err != nil {
			return err
		}
	} else {
		if _, err := os.Stat(db); err != nil {
			return fmt.Errorf("%s: %w", db, unwrapNotExist(err))
		}
		if store, err = sqlite.Open(db); err != nil {
			return err
		}
	}
	defer store.Close()
	keys, err := loadKeys(keyBase, false)
	if err != nil {
		return err
	}
	leaves, stored, notes, err := store.Dump(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", db, err)
	}
	var trees []tlog.Tree
	bad := 0
	for i, n := range notes {
		t, err := ledger.OpenCheckpoint(n, keys.verifier)
		if err != nil {
			fmt.Fprintf(m.Stdout, "checkpoint %d: %v\n", i+1, err)
			bad++
			continue
		}
		trees = append(trees, t)
	}
	problems := ledger.Verify(leaves, stored, trees)
	for _, p := range problems {
		fmt.Fprintln(m.Stdout, p)
	}
	if bad+len(problems) > 0 {
		return errFindings
	}
	fmt.Fprintf(m.Stdout, "%s: %d records, %d checkpoints, all verified\n", db, len(leaves), len(trees))
	return nil
}

// checkpointEvery signs a checkpoint every interval when records were
// added, until ctx ends.
func checkpointEvery(ctx context.Context, svc *ledger.Service, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n, err := svc.Store.Size(ctx); err == nil && n > 0 {
				svc.Checkpoint(ctx, false)
			}
		}
	}
}
