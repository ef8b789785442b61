package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/saiasat/saiasat/internal/testtool"
	"github.com/saiasat/saiasat/ledger"
)

// makeLedger creates the ledger db (a SQLite file or a postgres:// URL)
// with its keys, and appends n records through its writer, which signs a
// checkpoint with each batch.
func makeLedger(t *testing.T, db string, n int) {
	t.Helper()
	t.Setenv("SAIASAT_SUBJECT_KEY", "")
	ctx := context.Background()
	store, keys, err := openLedger(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	store.SetCheckpointer(&ledger.Checkpointer{Origin: ledger.Origin(keys.subject), Signer: keys.signer})
	for i := range n {
		r := &ledger.Record{ID: fmt.Sprintf("%032x", i+1), Kind: ledger.KindConsent, Subject: fmt.Sprintf("%064x", i%7), Client: "a", RecordedAt: "2026-11-30T12:00:00Z"}
		if err := store.Append(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
}

// files lists a folder with each file's bytes.
func files(t *testing.T, dir string) map[string]string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		out[e.Name()] = string(b)
	}
	return out
}

// ledger verify opens the store read-only: a file that is no ledger is
// refused in one line (exit 2) and left as it was, an empty ledger is a
// finding unless --allow-empty, and verifying a ledger writes nothing.
func TestLedgerVerifyReadOnly(t *testing.T) {
	dir := t.TempDir()
	sqlite3 := testtool.Require(t, "sqlite3")
	os.WriteFile(filepath.Join(dir, "foreign.db"), []byte("a spreadsheet, say\n"), 0o600)
	os.WriteFile(filepath.Join(dir, "zero.db"), nil, 0o600)
	// Real SQLite files that are not ledgers: an application's database,
	// one in WAL mode, one with a table of the ledger's name, and one with
	// the ledger's tables but no schema version.
	for name, sql := range map[string]string{
		"app.db":   "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO users (name) VALUES ('a')",
		"wal.db":   "PRAGMA journal_mode = WAL; CREATE TABLE t (x); INSERT INTO t VALUES (1)",
		"other.db": "CREATE TABLE records (a); PRAGMA user_version = 7",
		"bare.db":  "CREATE TABLE records (a); CREATE TABLE hashes (a); CREATE TABLE checkpoints (a)",
	} {
		if out, err := exec.Command(sqlite3, filepath.Join(dir, name), sql).CombinedOutput(); err != nil {
			t.Fatalf("sqlite3: %v %s", err, out)
		}
	}
	before := files(t, dir)
	for _, db := range []string{"foreign.db", "zero.db", "app.db", "wal.db", "other.db", "bare.db"} {
		code, out, errs := run(t, dir, "ledger", "verify", "--db", db, "--verifier-key", "none")
		if want := "saiasat: " + db + ": not a saiasat consent ledger\n"; code != 2 || errs != want || out != "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want 2 and %q", db, code, out, errs, want)
		}
	}
	if after := files(t, dir); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("verify changed the folder: %d files before, %d after", len(before), len(after))
	}

	makeLedger(t, filepath.Join(dir, "empty.db"), 0)
	if code, out, _ := run(t, dir, "ledger", "verify", "--db", "empty.db"); code != 1 || !strings.Contains(out, "holds no record") {
		t.Errorf("empty ledger: exit %d, %q; want 1, holds no record", code, out)
	}
	if code, out, _ := run(t, dir, "ledger", "verify", "--db", "empty.db", "--allow-empty"); code != 0 {
		t.Errorf("empty ledger with --allow-empty: exit %d, %q", code, out)
	}

	makeLedger(t, filepath.Join(dir, "c.db"), 30)
	before = files(t, dir)
	code, out, errs := run(t, dir, "ledger", "verify", "--db", "c.db")
	if code != 0 || !strings.Contains(out, "c.db: 30 records, 30 checkpoints (the largest signs 30 records), all verified") {
		t.Errorf("verify: exit %d\n%s%s", code, out, errs)
	}
	if after := files(t, dir); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("verify wrote to the folder: %v before, %v after", slices.Sorted(mapsKeys(before)), slices.Sorted(mapsKeys(after)))
	}

	// A ledger of a newer schema is refused, not read as this one.
	if out, err := exec.Command(sqlite3, filepath.Join(dir, "c.db"), "PRAGMA user_version = 99").CombinedOutput(); err != nil {
		t.Fatalf("sqlite3: %v %s", err, out)
	}
	before = files(t, dir)
	if code, _, errs := run(t, dir, "ledger", "verify", "--db", "c.db"); code != 2 || !strings.Contains(errs, "c.db: the database was written by a newer saiasat") || strings.Count(errs, "\n") != 1 {
		t.Errorf("newer schema: exit %d, %q", code, errs)
	}
	if after := files(t, dir); fmt.Sprint(after) != fmt.Sprint(before) {
		t.Error("verify of a newer schema changed the folder")
	}
}

func mapsKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// A deleted middle row makes every later record carry another index:
// verify prints the problems of the first 20 records, then a count.
func TestLedgerVerifyShowsTheFirstTwenty(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "c.db")
	makeLedger(t, db, 100)
	if out, err := exec.Command(testtool.Require(t, "sqlite3"), db, "DELETE FROM records WHERE idx = 10").CombinedOutput(); err != nil {
		t.Fatalf("sqlite3: %v %s", err, out)
	}
	code, out, _ := run(t, dir, "ledger", "verify", "--db", "c.db")
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	named := map[string]bool{}
	for _, l := range lines[:len(lines)-1] {
		what, _, _ := strings.Cut(l, ": ")
		named[what] = true
	}
	last := lines[len(lines)-1]
	if code != 1 || len(named) != 20 || !strings.HasPrefix(lines[0], "record 10: ") || !strings.Contains(last, "records or rows with problems (the first 20 shown)") {
		t.Errorf("exit %d, %d records named, %d lines:\n%s", code, len(named), len(lines), out)
	}
}

// A connection string's password is never printed: not in the summary,
// not in an error.
func TestLedgerVerifyHidesThePassword(t *testing.T) {
	url, stop := testtool.Postgres(t)
	defer stop()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	for _, db := range []string{"ledgerdb", "otherdb"} {
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+db); err != nil {
			t.Fatal(err)
		}
	}
	conn.Close(ctx)
	// The test server trusts local connections: the password is ignored,
	// but it is in the string, as it would be in production.
	const secret = "s3cret-Pa55"
	withPass := func(db string) string {
		return strings.Replace(strings.Replace(url, "saiasat@", "saiasat:"+secret+"@", 1), "/postgres?", "/"+db+"?", 1)
	}
	dir := t.TempDir()
	t.Chdir(dir)
	makeLedger(t, withPass("ledgerdb"), 40)
	code, out, errs := run(t, "", "ledger", "verify", "--db", withPass("ledgerdb"))
	if code != 0 || strings.Contains(out+errs, secret) || !strings.Contains(out, "saiasat:xxxxx@") {
		t.Errorf("verify: exit %d\n%s%s", code, out, errs)
	}
	// A deleted middle row, with psql: the first 20 records, then a count.
	ledgerURL := strings.Replace(url, "/postgres?", "/ledgerdb?", 1)
	if out, err := exec.Command(testtool.Require(t, "psql"), "-v", "ON_ERROR_STOP=1", "-q", ledgerURL, "-c", "DELETE FROM records WHERE idx = 10").CombinedOutput(); err != nil {
		t.Fatalf("psql: %v\n%s", err, out)
	}
	code, out, errs = run(t, "", "ledger", "verify", "--db", withPass("ledgerdb"))
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if code != 1 || strings.Contains(out+errs, secret) || !strings.HasPrefix(lines[0], "record 10: ") ||
		!strings.Contains(lines[len(lines)-1], "saiasat:xxxxx@") || !strings.Contains(lines[len(lines)-1], "records or rows with problems (the first 20 shown)") {
		t.Errorf("verify after a deleted row: exit %d\n%s%s", code, out, errs)
	}
	// A database without a ledger is refused, and nothing is created in it.
	code, out, errs = run(t, "", "ledger", "verify", "--db", withPass("otherdb"))
	if code != 2 || strings.Contains(out+errs, secret) || !strings.Contains(errs, "not a saiasat consent ledger") {
		t.Errorf("verify of a database without a ledger: exit %d\n%s%s", code, out, errs)
	}
	other, err := pgx.Connect(ctx, strings.Replace(url, "/postgres?", "/otherdb?", 1))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)
	var tables int
	if err := other.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public'`).Scan(&tables); err != nil || tables != 0 {
		t.Errorf("verify created %d tables (%v)", tables, err)
	}
	code, out, errs = run(t, "", "ledger", "verify", "--db", withPass("nosuchdb"))
	if code != 2 || strings.Contains(out+errs, secret) || strings.Count(errs, "\n") != 1 {
		t.Errorf("verify of a missing database: exit %d\n%s%s", code, out, errs)
	}
	if bytes.Contains([]byte(errs), []byte(secret)) {
		t.Error("password printed")
	}
}
