package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
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
	subject     []byte
	signer      note.Signer
	verifier    note.Verifier
	verifierKey string
}

// readOrCreate returns the value in the file at path, creating it with
// make's value first if there is none. Of several processes starting at
// once, one creates the file and the others read it.
func readOrCreate(path string, perm os.FileMode, make func() (string, error)) (string, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		b, err = create(path, perm, make)
	}
	if err != nil {
		return "", err // names the path already
	}
	v := strings.TrimSpace(string(b))
	if v == "" {
		return "", fmt.Errorf("%s: empty", path)
	}
	return v, nil
}

// create writes make's value to path unless another process has just
// created it, and returns the bytes now at path.
func create(path string, perm os.FileMode, make func() (string, error)) ([]byte, error) {
	v, err := make()
	if err != nil {
		return nil, err
	}
	b := []byte(v + "\n")
	err = atomicfile.Create(path, b, perm)
	if errors.Is(err, atomicfile.ErrExist) {
		return os.ReadFile(path) // another process created it first
	}
	return b, err
}

// loadKeys reads the ledger's keys beside db, creating any that is missing
// unless the ledger already holds records (records > 0): a new key there
// would file customers under other subjects, or sign checkpoints that the
// published key cannot check, so the old files must be restored instead.
func loadKeys(db string, records int64) (*ledgerKeys, error) {
	k := &ledgerKeys{}
	missing := func(path string) error {
		if records == 0 {
			return nil
		}
		return fmt.Errorf("%s is missing, but the consent ledger holds %d records made with it: restore the file from the server that made them (or a backup); a new key would not match them", path, records)
	}
	if v := os.Getenv("SAIASAT_SUBJECT_KEY"); v != "" {
		if len(v) < 32 {
			return nil, errors.New("SAIASAT_SUBJECT_KEY must be at least 32 characters: it keeps customer ids unreadable")
		}
		k.subject = []byte(v)
	} else {
		v, err := readOrCreate(db+".subject-key", 0o600, func() (string, error) {
			if err := missing(db + ".subject-key"); err != nil {
				return "", err
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
	skey, err := readOrCreate(db+".signing-key", 0o600, func() (string, error) {
		if err := missing(db + ".signing-key"); err != nil {
			return "", err
		}
		s, _, err := note.GenerateKey(rand.Reader, "saiasat-ledger")
		return s, err
	})
	if err != nil {
		return nil, err
	}
	if k.signer, err = note.NewSigner(skey); err != nil {
		return nil, fmt.Errorf("%s.signing-key: %w", db, err)
	}
	// The public key is derived from the signing key, never generated
	// beside it, so no race between processes can pair the wrong two.
	vkey, err := ledger.VerifierKey(skey)
	if err != nil {
		return nil, fmt.Errorf("%s.signing-key: %w", db, err)
	}
	k.verifierKey = vkey
	if k.verifier, err = note.NewVerifier(vkey); err != nil {
		return nil, fmt.Errorf("%s.signing-key: %w", db, err)
	}
	stored, err := readOrCreate(db+".verifier-key", 0o644, func() (string, error) { return vkey, nil })
	if err != nil {
		return nil, err
	}
	if stored != vkey {
		return nil, fmt.Errorf("%s.verifier-key is not the public key of %s.signing-key: restore the pair, or move both away to start a new ledger", db, db)
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
	records, err := store.Size(ctx)
	if err != nil {
		err = fmt.Errorf("count the consent ledger's records: %w", err)
	}
	var keys *ledgerKeys
	if err == nil {
		keys, err = loadKeys(keyBase, records)
	}
	if err == nil {
		err = checkLatestCheckpoint(ctx, store, keys, keyBase+".signing-key")
	}
	if err == nil {
		err = ledger.BindKeys(ctx, store, keys.subject, keys.verifierKey)
	}
	if err != nil {
		store.Close()
		return nil, nil, err
	}
	return store, keys, nil
}

// checkLatestCheckpoint refuses a signing key that did not sign the
// ledger's latest checkpoint: a ledger of schema 1 has no keys bound yet,
// and this is how its first start under this binary knows the right ones.
func checkLatestCheckpoint(ctx context.Context, store ledger.Store, keys *ledgerKeys, keyFile string) error {
	cp, err := store.LatestCheckpoint(ctx)
	if err != nil {
		return fmt.Errorf("read the consent ledger's latest checkpoint: %w", err)
	}
	if cp == nil {
		return nil
	}
	_, err = note.Open(cp, note.VerifierList(keys.verifier))
	var unverified *note.UnverifiedNoteError
	switch {
	case errors.As(err, &unverified):
		return fmt.Errorf("%w: its latest checkpoint was not signed with %s; restore the key files of the server that made the ledger", ledger.ErrOtherKeys, keyFile)
	case err != nil:
		return fmt.Errorf("the consent ledger's latest checkpoint is unreadable (%v): run saiasat ledger verify", err)
	}
	return nil
}

func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// maxShown bounds the records ledger verify prints problems of: a
// deleted middle row would otherwise name every record after it.
const maxShown = 20

func (m *Main) runLedger(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "verify" {
		return usagef("saiasat ledger verify --help", "ledger has one subcommand: verify")
	}
	db := DefaultDB
	var vkeyFile string
	var external multiFlag
	var allowEmpty bool
	fs := m.newFlagSet("ledger verify", "", "Re-derives every record's hashes and the Merkle tree of the consent ledger,\nchecks every column the API reads against the record's hashed bytes, and\nchecks every checkpoint — those stored, and those you kept (--checkpoint) —\nagainst the public key; any edited, deleted, added or reordered record is\nreported by index (exit 1; the first 20 records, then a count). The ledger\nis opened read-only: nothing is created, migrated or written. Stored\ncheckpoints alone prove only what whoever can write the database has not\nrewritten: keep checkpoints elsewhere.")
	fs.StringVar(&db, "db", db, "the consent `database`: a SQLite file or a postgres:// URL")
	fs.StringVar(&vkeyFile, "verifier-key", "", "the ledger's public key `file` (default: <db>.verifier-key, or data/ledger.verifier-key for PostgreSQL)")
	fs.Var(&external, "checkpoint", "a signed checkpoint `file` kept outside the database (repeatable)")
	fs.BoolVar(&allowEmpty, "allow-empty", false, "accept a ledger that holds no record (a new one); without it, an empty ledger is a finding, as a wiped one would be")
	rest, err := parse(fs, args[1:])
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usagef("saiasat ledger verify --help", "unexpected argument %q", rest[0])
	}
	shown, hide := redact(db)
	keyBase := db
	var store ledger.Store
	if isPostgres(db) {
		keyBase = filepath.Join(filepath.Dir(DefaultDB), "ledger")
		store, err = postgres.OpenReadOnly(ctx, db)
	} else {
		store, err = sqlite.OpenReadOnly(db)
	}
	if err != nil {
		err = unwrapNotExist(err)
		if errors.Is(err, postgres.ErrNotLedger) || errors.Is(err, sqlite.ErrNotLedger) {
			return fmt.Errorf("%s: not a saiasat consent ledger", shown)
		}
		if !isPostgres(db) {
			return err // names the file
		}
		return errors.New(hide(fmt.Sprintf("%s: %v", shown, err)))
	}
	defer store.Close()
	if vkeyFile == "" {
		vkeyFile = keyBase + ".verifier-key"
	}
	vb, err := os.ReadFile(vkeyFile)
	if err != nil {
		return fmt.Errorf("%s: %w", vkeyFile, unwrapNotExist(err))
	}
	vkey := strings.TrimSpace(string(vb))
	verifier, err := note.NewVerifier(vkey)
	if err != nil {
		return fmt.Errorf("%s: %w", vkeyFile, err)
	}
	snap, err := store.Snapshot(ctx)
	if err != nil {
		return errors.New(hide(fmt.Sprintf("%s: %v", shown, err)))
	}
	var trees []tlog.Tree
	bad := 0
	for _, f := range external {
		b, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("--checkpoint %s: %w", f, unwrapNotExist(err))
		}
		t, err := ledger.OpenCheckpoint(b, verifier)
		if err != nil {
			fmt.Fprintf(m.Stdout, "checkpoint %s: %v\n", f, err)
			bad++
			continue
		}
		trees = append(trees, t)
	}
	rep, err := ledger.VerifySnapshot(snap, vkey, trees)
	if err != nil {
		return fmt.Errorf("%s: %w", vkeyFile, err)
	}
	if rep.Records == 0 && !allowEmpty {
		fmt.Fprintf(m.Stdout, "%s: the ledger holds no record; a wiped ledger looks the same (--allow-empty accepts a new one)\n", shown)
		return errFindings
	}
	// Problems are printed for the first maxShown records (or rows) they
	// name, then counted.
	type key struct {
		index int64
		where string
	}
	named, printed := map[key]bool{}, map[key]bool{}
	for _, p := range rep.Problems {
		k := key{p.Index, p.Where}
		named[k] = true
		if printed[k] || len(printed) < maxShown {
			printed[k] = true
			fmt.Fprintln(m.Stdout, p)
		}
	}
	if len(named) > 0 {
		more := ""
		if len(named) > len(printed) {
			more = fmt.Sprintf(" (the first %d shown)", len(printed))
		}
		fmt.Fprintf(m.Stdout, "%s: %d records or rows with problems%s\n", shown, len(named), more)
	}
	if rep.Records > 0 && rep.Checkpoints == 0 {
		fmt.Fprintf(m.Stdout, "no checkpoint: the %d records are consistent with their stored hashes, which proves nothing against someone who rewrote both\n", rep.Records)
		bad++
	}
	if bad+len(rep.Problems) > 0 {
		return errFindings
	}
	fmt.Fprintf(m.Stdout, "%s: %d records, %d checkpoints (the largest signs %d records), all verified\n", shown, rep.Records, rep.Checkpoints, rep.Covered)
	return nil
}

// redact returns a database name fit to print — a URL's password
// replaced — and a function that hides the password in other text (an
// error message that quotes the connection string).
func redact(db string) (string, func(string) string) {
	u, err := url.Parse(db)
	if err != nil || u.User == nil || !isPostgres(db) {
		if isPostgres(db) {
			// Unparsable: print no part of it after the scheme.
			scheme, _, _ := strings.Cut(db, "://")
			return scheme + "://…", func(string) string { return "cannot parse the connection string" }
		}
		return db, func(s string) string { return s }
	}
	pass, ok := u.User.Password()
	if !ok || pass == "" {
		return db, func(s string) string { return s }
	}
	return u.Redacted(), func(s string) string {
		s = strings.ReplaceAll(s, pass, "xxxxx")
		return strings.ReplaceAll(s, url.QueryEscape(pass), "xxxxx")
	}
}

// multiFlag collects a repeatable flag.
type multiFlag []string

func (f *multiFlag) String() string     { return strings.Join(*f, ",") }
func (f *multiFlag) Set(v string) error { *f = append(*f, v); return nil }

// checkpointEvery has the writer sign a checkpoint every interval when the
// latest does not cover the log, until ctx ends. The writer signs one with
// every batch, so this only catches up a ledger whose records another
// binary appended.
func checkpointEvery(ctx context.Context, svc *ledger.Service, interval time.Duration) {
	every(ctx, interval, func() {
		if n, err := svc.Store.Size(ctx); err == nil && n > 0 {
			if _, err := svc.Checkpoint(ctx, false); err != nil && svc.Logger != nil {
				svc.Logger.Error("checkpoint", "err", err)
			}
		}
	})
}

// every calls f every interval until ctx ends.
func every(ctx context.Context, interval time.Duration, f func()) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			f()
		}
	}
}
