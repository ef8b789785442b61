package postgres_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/saiasat/saiasat/internal/storetest"
	"github.com/saiasat/saiasat/internal/testtool"
	"github.com/saiasat/saiasat/ledger"
	"github.com/saiasat/saiasat/ledger/postgres"
)

var (
	serverOnce sync.Once
	serverURL  string
	stopServer func()
	databases  atomic.Int64
)

func TestMain(m *testing.M) {
	code := m.Run()
	if stopServer != nil {
		stopServer()
	}
	os.Exit(code)
}

// database creates a fresh database on the test server.
func database(t *testing.T) string {
	t.Helper()
	serverOnce.Do(func() { serverURL, stopServer = testtool.Postgres(t) })
	if serverURL == "" {
		t.Skip("no PostgreSQL server")
	}
	name := fmt.Sprintf("t%d", databases.Add(1))
	conn, err := pgx.Connect(context.Background(), serverURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), "CREATE DATABASE "+name); err != nil {
		t.Fatal(err)
	}
	return strings.Replace(serverURL, "/postgres?", "/"+name+"?", 1)
}

func open(t *testing.T, url string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// urls are the databases of the stores the conformance suite opened.
var urls sync.Map

func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Backend{
		Open: func(t *testing.T) (ledger.Store, func() ledger.Store) {
			url := database(t)
			s := open(t, url)
			urls.Store(s, url)
			return s, func() ledger.Store { s := open(t, url); urls.Store(s, url); return s }
		},
		Client: func(t *testing.T, s ledger.Store, sql string) {
			url, _ := urls.Load(s)
			if out, err := exec.Command(testtool.Require(t, "psql"), "-v", "ON_ERROR_STOP=1", "-q", url.(string), "-c", sql).CombinedOutput(); err != nil {
				t.Fatalf("psql: %v\n%s", err, out)
			}
		},
		Tamper: func(t *testing.T, s ledger.Store, idx int64) {
			if err := s.(*postgres.Store).Exec(context.Background(), `UPDATE records SET leaf = replace(convert_from(leaf, 'UTF8'), '"web"', '"app"')::bytea WHERE idx = $1`, idx); err != nil {
				t.Fatal(err)
			}
		},
		Duplicate: postgres.ErrDuplicate,
	})
}

// Two stores on one database, as two server replicas: their concurrent
// appends make one consistent log.
func TestTwoWriters(t *testing.T) {
	url := database(t)
	a, b := open(t, url), open(t, url)
	var wg sync.WaitGroup
	for w, s := range []*postgres.Store{a, b} {
		for c := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range 25 {
					r := &ledger.Record{ID: fmt.Sprintf("w%d-%d-%d", w, c, i), Kind: ledger.KindConsent, Subject: "s", RecordedAt: "2026-11-25T12:00:00Z"}
					if err := s.Append(context.Background(), r); err != nil {
						t.Error(err)
					}
				}
			}()
		}
	}
	wg.Wait()
	leaves, stored, _, err := a.Dump(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(leaves) != 400 {
		t.Fatalf("%d records, want 400", len(leaves))
	}
	if ps := ledger.Verify(leaves, stored, nil); len(ps) != 0 {
		t.Errorf("verify: %v", ps[:min(3, len(ps))])
	}
	a.Close()
	b.Close()
}

func TestNewerSchemaRefused(t *testing.T) {
	url := database(t)
	s := open(t, url)
	if err := s.Exec(context.Background(), `UPDATE saiasat_schema SET version = 99`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := postgres.Open(context.Background(), url); err == nil || !strings.Contains(err.Error(), "newer saiasat") {
		t.Errorf("open a newer schema: %v", err)
	}
}

// A ledger written by a binary of schema 1 (before keys were bound and
// idempotency keys kept) is brought to the current schema at start, its
// records kept.
func TestMigrateFromSchema1(t *testing.T) {
	ctx := context.Background()
	url := database(t)
	s := open(t, url)
	for i := range 3 {
		if err := s.Append(ctx, &ledger.Record{ID: fmt.Sprintf("c%d", i), Kind: ledger.KindConsent, Subject: "s", RecordedAt: "2026-11-25T12:00:00Z"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Exec(ctx, `DROP TABLE meta; DROP INDEX records_idem; DROP INDEX records_subject_client; DROP INDEX records_subject; CREATE INDEX records_subject ON records (subject); ALTER TABLE records DROP COLUMN idem; ALTER TABLE records DROP COLUMN client; UPDATE saiasat_schema SET version = 1`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, url)
	defer s.Close()
	if n, err := s.Size(ctx); n != 3 || err != nil {
		t.Errorf("%d records after the migration (%v), want 3", n, err)
	}
	if v, err := s.Claim(ctx, "k", "v"); v != "v" || err != nil {
		t.Errorf("claim after the migration: %q, %v", v, err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var version int
	if err := conn.QueryRow(ctx, `SELECT version FROM saiasat_schema`).Scan(&version); err != nil || version != postgres.SchemaVersion {
		t.Errorf("schema %d (%v), want %d", version, err, postgres.SchemaVersion)
	}
}

// A ledger of schema 3 (no client column, the subject index without idx;
// idempotency keys beside the leaf only) is brought to schema 4 at start:
// its records read back as written by no client, its keys still found,
// and listings page through the new indexes.
func TestMigrateFromSchema3(t *testing.T) {
	ctx := context.Background()
	url := database(t)
	s := open(t, url)
	subject := func(i int) string { return fmt.Sprintf("%064x", i%37) }
	for i := range 45 {
		if err := s.Append(ctx, &ledger.Record{ID: fmt.Sprintf("c%d", i), Kind: ledger.KindConsent, Subject: subject(i), RecordedAt: "2026-11-25T12:00:00Z"}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Exec(ctx, `DROP INDEX records_subject_client; DROP INDEX records_subject; CREATE INDEX records_subject ON records (subject); ALTER TABLE records DROP COLUMN client; UPDATE records SET idem = 'key-of-schema-3' WHERE idx = 5; UPDATE saiasat_schema SET version = 3`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	ro, err := postgres.OpenReadOnly(ctx, url)
	if err != nil {
		t.Fatalf("read-only open of schema 3: %v", err)
	}
	if snap, err := ro.Snapshot(ctx); err != nil || len(snap.Rows) != 45 {
		t.Errorf("read-only snapshot of schema 3: %v", err)
	}
	ro.Close()
	s = open(t, url)
	defer s.Close()
	if r, err := s.ByIdempotencyKey(ctx, "key-of-schema-3"); err != nil || r == nil || r.Index != 5 {
		t.Errorf("a key of schema 3: %+v, %v", r, err)
	}
	got, err := s.Consents(ctx, ledger.ConsentQuery{Subject: subject(5), AllClients: true, After: -1, Limit: 10})
	if err != nil || len(got) != 2 || got[0].Index != 5 || got[1].Index != 5+37 {
		t.Errorf("listing after the migration: %v, %v", got, err)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var version int
	if err := conn.QueryRow(ctx, `SELECT version FROM saiasat_schema`).Scan(&version); err != nil || version != postgres.SchemaVersion {
		t.Errorf("schema %d (%v), want %d", version, err, postgres.SchemaVersion)
	}
	var def string
	if err := conn.QueryRow(ctx, `SELECT indexdef FROM pg_indexes WHERE indexname = 'records_subject_client'`).Scan(&def); err != nil || !strings.Contains(def, "(subject, client, idx)") {
		t.Errorf("records_subject_client: %q, %v", def, err)
	}
}

// BenchmarkAppend64 is the PostgreSQL side of the SQLite benchmark of the
// same name: 64 concurrent clients, group commit against one transaction
// per record.
func BenchmarkAppend64(b *testing.B) {
	url, stop := testtool.Postgres(b)
	defer stop()
	storetest.BenchAppend64(b, func(b *testing.B) storetest.Appender {
		conn, err := pgx.Connect(context.Background(), url)
		if err != nil {
			b.Fatal(err)
		}
		db := fmt.Sprintf("bench%d", databases.Add(1))
		conn.Exec(context.Background(), "CREATE DATABASE "+db)
		conn.Close(context.Background())
		s, err := postgres.Open(context.Background(), strings.Replace(url, "/postgres?", "/"+db+"?", 1))
		if err != nil {
			b.Fatal(err)
		}
		return s
	}, func(i int) *ledger.Record {
		return &ledger.Record{ID: fmt.Sprintf("b%d", i), Kind: ledger.KindConsent, Subject: "s", RecordedAt: "2026-11-25T12:00:00Z"}
	})
}

// BenchmarkProve10M is the PostgreSQL side of the SQLite benchmark of the
// same name: the hashes table of a real database filled (with COPY) with
// the 20 million stored hashes of ten million records, then inclusion
// proofs of random records through Store.ReadHashes, each checked against
// the tree.
func BenchmarkProve10M(b *testing.B) {
	const n = 10_000_000
	ctx := context.Background()
	url, stop := testtool.Postgres(b)
	defer stop()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE prove10m"); err != nil {
		b.Fatal(err)
	}
	s, err := postgres.Open(ctx, strings.Replace(url, "/postgres?", "/prove10m?", 1))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	stored, _, err := storetest.SyntheticHashes(n)
	if err != nil {
		b.Fatal(err)
	}
	db, err := pgx.Connect(ctx, strings.Replace(url, "/postgres?", "/prove10m?", 1))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close(ctx)
	i := 0
	if _, err := db.CopyFrom(ctx, pgx.Identifier{"hashes"}, []string{"idx", "hash"}, pgx.CopyFromFunc(func() ([]any, error) {
		if i == len(stored) {
			return nil, nil
		}
		i++
		return []any{int64(i - 1), stored[i-1][:]}, nil
	})); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(ctx, "VACUUM ANALYZE hashes"); err != nil {
		b.Fatal(err)
	}
	storetest.BenchProve(b, n, s)
}
