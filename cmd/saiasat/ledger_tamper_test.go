package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/saiasat/saiasat/internal/storetest"
	"github.com/saiasat/saiasat/internal/testtool"
	"github.com/saiasat/saiasat/ledger"
	"github.com/saiasat/saiasat/ledger/postgres"
	"github.com/saiasat/saiasat/ledger/sqlite"
)

// verifyWith runs saiasat ledger verify on db with the public key vkey, as
// a user would.
func verifyWith(t *testing.T, db, vkey string) (int, string) {
	t.Helper()
	file := filepath.Join(t.TempDir(), "verifier-key")
	if err := os.WriteFile(file, []byte(vkey+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run(t, "", "ledger", "verify", "--db", db, "--verifier-key", file)
	return code, out + errs
}

// Each column of each table edited with sqlite3 on the real file: ledger
// verify names the record or row and exits 1, and the reads that meet the
// row refuse it.
func TestLedgerVerifyTamperedSQLite(t *testing.T) {
	sqlite3 := testtool.Require(t, "sqlite3")
	storetest.RunColumns(t, storetest.Backend{
		Open: func(t *testing.T) (ledger.Store, func() ledger.Store) {
			path := filepath.Join(t.TempDir(), "consents.db")
			s, err := sqlite.Open(path)
			if err != nil {
				t.Fatal(err)
			}
			return s, nil
		},
		Client: func(t *testing.T, s ledger.Store, sql string) {
			if out, err := exec.Command(sqlite3, s.(*sqlite.Store).Path(), sql).CombinedOutput(); err != nil {
				t.Fatalf("sqlite3: %v\n%s", err, out)
			}
		},
		Blob: func(col, from, to string) string {
			return fmt.Sprintf(`CAST(replace(CAST(%s AS TEXT), '%s', '%s') AS BLOB)`, col, from, to)
		},
		Verify: func(t *testing.T, s ledger.Store, vkey string) (int, string) {
			return verifyWith(t, s.(*sqlite.Store).Path(), vkey)
		},
	})
}

// The same with psql against a PostgreSQL server started for the test.
func TestLedgerVerifyTamperedPostgres(t *testing.T) {
	psql := testtool.Require(t, "psql")
	server, stop := testtool.Postgres(t)
	defer stop()
	var mu sync.Mutex
	urls := map[ledger.Store]string{}
	n := 0
	storetest.RunColumns(t, storetest.Backend{
		Open: func(t *testing.T) (ledger.Store, func() ledger.Store) {
			ctx := context.Background()
			mu.Lock()
			n++
			name := fmt.Sprint("tamper", n)
			mu.Unlock()
			conn, err := pgx.Connect(ctx, server)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close(ctx)
			if _, err := conn.Exec(ctx, "CREATE DATABASE "+name); err != nil {
				t.Fatal(err)
			}
			url := strings.Replace(server, "/postgres?", "/"+name+"?", 1)
			s, err := postgres.Open(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			urls[s] = url
			mu.Unlock()
			return s, nil
		},
		Client: func(t *testing.T, s ledger.Store, sql string) {
			mu.Lock()
			url := urls[s]
			mu.Unlock()
			if out, err := exec.Command(psql, "-v", "ON_ERROR_STOP=1", "-q", url, "-c", sql).CombinedOutput(); err != nil {
				t.Fatalf("psql: %v\n%s", err, out)
			}
		},
		Blob: func(col, from, to string) string {
			return fmt.Sprintf(`convert_to(replace(convert_from(%s, 'UTF8'), '%s', '%s'), 'UTF8')`, col, from, to)
		},
		Verify: func(t *testing.T, s ledger.Store, vkey string) (int, string) {
			mu.Lock()
			url := urls[s]
			mu.Unlock()
			return verifyWith(t, url, vkey)
		},
	})
}
