package server_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/saiasat/saiasat/internal/testtool"
	"github.com/saiasat/saiasat/ledger"
	"github.com/saiasat/saiasat/ledger/postgres"
	"github.com/saiasat/saiasat/ledger/sqlite"
)

// One PostgreSQL server for the package's tests, started on first use;
// each test gets its own database on it.
var (
	pgOnce      sync.Once
	pgURL       string
	pgStop      func()
	pgDatabases atomic.Int64
)

func TestMain(m *testing.M) {
	code := m.Run()
	if pgStop != nil {
		pgStop()
	}
	os.Exit(code)
}

// testStore is a ledger store with a way to edit it behind saiasat's back:
// SQL run by the database's own client (sqlite3, psql), as an operator or
// an attacker with database access would.
type testStore struct {
	ledger.Store
	edit func(t *testing.T, sql string)
}

// stores opens a fresh ledger store of each kind: a SQLite file and a
// database on a real PostgreSQL server.
var stores = []struct {
	name string
	open func(t *testing.T) *testStore
}{
	{"sqlite", func(t *testing.T) *testStore {
		path := filepath.Join(t.TempDir(), "consents.db")
		s, err := sqlite.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return &testStore{s, func(t *testing.T, sql string) {
			if out, err := exec.Command(testtool.Require(t, "sqlite3"), path, sql).CombinedOutput(); err != nil {
				t.Fatalf("sqlite3: %v\n%s", err, out)
			}
		}}
	}},
	{"postgres", func(t *testing.T) *testStore {
		pgOnce.Do(func() { pgURL, pgStop = testtool.Postgres(t) })
		if pgURL == "" {
			t.Fatal("PostgreSQL did not start")
		}
		ctx := context.Background()
		conn, err := pgx.Connect(ctx, pgURL)
		if err != nil {
			t.Fatal(err)
		}
		db := fmt.Sprintf("server%d", pgDatabases.Add(1))
		_, err = conn.Exec(ctx, "CREATE DATABASE "+db)
		conn.Close(ctx)
		if err != nil {
			t.Fatal(err)
		}
		url := strings.Replace(pgURL, "/postgres?", "/"+db+"?", 1)
		s, err := postgres.Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return &testStore{s, func(t *testing.T, sql string) {
			if out, err := exec.Command(testtool.Require(t, "psql"), "-v", "ON_ERROR_STOP=1", "-q", url, "-c", sql).CombinedOutput(); err != nil {
				t.Fatalf("psql: %v\n%s", err, out)
			}
		}}
	}},
}
