package server_test

import (
	"context"
	"fmt"
	"os"
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

// stores opens a fresh ledger store of each kind: a SQLite file and a
// database on a real PostgreSQL server.
var stores = []struct {
	name string
	open func(t *testing.T) ledger.Store
}{
	{"sqlite", func(t *testing.T) ledger.Store {
		s, err := sqlite.Open(filepath.Join(t.TempDir(), "consents.db"))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}},
	{"postgres", func(t *testing.T) ledger.Store {
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
		s, err := postgres.Open(ctx, strings.Replace(pgURL, "/postgres?", "/"+db+"?", 1))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { s.Close() })
		return s
	}},
}
