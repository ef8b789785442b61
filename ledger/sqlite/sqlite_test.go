package sqlite_test

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/saiasat/saiasat/internal/storetest"
	"github.com/saiasat/saiasat/internal/testtool"
	"github.com/saiasat/saiasat/ledger"
	"github.com/saiasat/saiasat/ledger/sqlite"
)

func record(i int) *ledger.Record {
	return &ledger.Record{ID: fmt.Sprintf("c%06d", i), Kind: ledger.KindConsent, Subject: fmt.Sprintf("%064x", i%37),
		TextSHA256: "sha256:07b8f57c29d70afe036e148f8b138c98c0e754d8875491fea51d2b6af07498c3", Lang: "kk",
		AcceptedAt: "2026-11-25T12:00:00Z", Channel: "web", RecordedAt: "2026-11-25T12:00:01Z"}
}

func open(t testing.TB, path string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, storetest.Backend{
		Open: func(t *testing.T) (ledger.Store, func() ledger.Store) {
			path := filepath.Join(t.TempDir(), "consents.db")
			return open(t, path), func() ledger.Store { return open(t, path) }
		},
		Tamper: func(t *testing.T, s ledger.Store, idx int64) {
			if _, err := s.(*sqlite.Store).DB().Exec(`UPDATE records SET leaf = replace(leaf, '"web"', '"app"') WHERE idx = ?`, idx); err != nil {
				t.Fatal(err)
			}
		},
		Client: func(t *testing.T, s ledger.Store, sql string) {
			if out, err := exec.Command(testtool.Require(t, "sqlite3"), s.(*sqlite.Store).Path(), sql).CombinedOutput(); err != nil {
				t.Fatalf("sqlite3: %v\n%s", err, out)
			}
		},
		Duplicate: sqlite.ErrDuplicate,
	})
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "consents.db")
	s := open(t, path)
	if _, err := s.DB().Exec(`PRAGMA user_version = 99`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if _, err := sqlite.Open(path); !errors.Is(err, sqlite.ErrNewerSchema) {
		t.Errorf("open a newer schema: %v", err)
	}
}

// A ledger written by a binary of schema 1 (before keys were bound and
// idempotency keys kept) is brought to the current schema at start, its
// records kept.
func TestMigrateFromSchema1(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "consents.db")
	s := open(t, path)
	for i := range 3 {
		if err := s.Append(ctx, record(i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.DB().Exec(`DROP TABLE meta; DROP INDEX records_idem; DROP INDEX records_subject_client; CREATE INDEX records_subject ON records (subject); ALTER TABLE records DROP COLUMN idem; ALTER TABLE records DROP COLUMN client; PRAGMA user_version = 1`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = open(t, path)
	defer s.Close()
	if n, err := s.Size(ctx); n != 3 || err != nil {
		t.Errorf("%d records after the migration (%v), want 3", n, err)
	}
	if v, err := s.Claim(ctx, "k", "v"); v != "v" || err != nil {
		t.Errorf("claim after the migration: %q, %v", v, err)
	}
	var version int
	if err := s.DB().QueryRow(`PRAGMA user_version`).Scan(&version); err != nil || version != sqlite.SchemaVersion {
		t.Errorf("schema %d (%v), want %d", version, err, sqlite.SchemaVersion)
	}
}

// A ledger of schema 3 (no client column, no listing index; idempotency
// keys beside the leaf only) is brought to schema 4 at start: its records
// read back as written by no client, its keys still found, and listings
// page through the new index.
func TestMigrateFromSchema3(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "consents.db")
	s := open(t, path)
	for i := range 45 {
		if err := s.Append(ctx, record(i)); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.DB().Exec(`DROP INDEX records_subject_client; CREATE INDEX records_subject ON records (subject); ALTER TABLE records DROP COLUMN client; UPDATE records SET idem = 'key-of-schema-3' WHERE idx = 5; PRAGMA user_version = 3`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	ro, err := sqlite.OpenReadOnly(path)
	if err != nil {
		t.Fatalf("read-only open of schema 3: %v", err)
	}
	if snap, err := ro.Snapshot(ctx); err != nil || len(snap.Rows) != 45 {
		t.Errorf("read-only snapshot of schema 3: %v", err)
	}
	ro.Close()
	s = open(t, path)
	defer s.Close()
	var version int
	if err := s.DB().QueryRow(`PRAGMA user_version`).Scan(&version); err != nil || version != sqlite.SchemaVersion {
		t.Errorf("schema %d (%v), want %d", version, err, sqlite.SchemaVersion)
	}
	if r, err := s.ByIdempotencyKey(ctx, "key-of-schema-3"); err != nil || r == nil || r.Index != 5 {
		t.Errorf("a key of schema 3: %+v, %v", r, err)
	}
	subject := record(5).Subject
	got, err := s.Consents(ctx, ledger.ConsentQuery{Subject: subject, AllClients: true, After: -1, Limit: 10})
	if err != nil || len(got) != 2 || got[0].Index != 5 || got[1].Index != 5+37 {
		t.Errorf("listing after the migration: %v, %v", got, err)
	}
	if got, err := s.Consents(ctx, ledger.ConsentQuery{Subject: subject, Client: "", After: -1, Limit: 10}); err != nil || len(got) != 2 {
		t.Errorf("listing by (no) client after the migration: %d, %v", len(got), err)
	}
	// Every query of a listing seeks through records_subject_client: no
	// scan of the table, no sort.
	type query struct {
		sql  string
		args []any
	}
	queries := []query{{sqlite.ClientsQuery, []any{subject}}}
	for _, q := range []ledger.ConsentQuery{
		{Subject: subject, After: -1, Limit: 10},
		{Subject: subject, After: 5, Limit: 10},
		{Subject: subject, After: -1, Newest: true, Limit: 10},
		{Subject: subject, After: 5, Newest: true, Limit: 10},
	} {
		sql, args := sqlite.ConsentsSQL(q, "a")
		queries = append(queries, query{sql, args})
	}
	for _, q := range queries {
		rows, err := s.DB().Query(`EXPLAIN QUERY PLAN `+q.sql, q.args...)
		if err != nil {
			t.Fatal(err)
		}
		plan := ""
		for rows.Next() {
			var id, parent, unused int
			var detail string
			rows.Scan(&id, &parent, &unused, &detail)
			plan += detail + "\n"
		}
		rows.Close()
		for _, line := range strings.Split(strings.TrimSpace(plan), "\n") {
			if strings.Contains(line, "TEMP B-TREE") || strings.Contains(line, " records") && !strings.Contains(line, "INDEX records_subject_client (subject=?") {
				t.Errorf("%s\ndoes not seek through records_subject_client:\n%s", q.sql, plan)
				break
			}
		}
	}
	// The index the listing of all clients used before is gone.
	var n int
	if err := s.DB().QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name = 'records_subject'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("records_subject is still there (%d, %v)", n, err)
	}
}

// BenchmarkAppend64 measures acknowledged, durable appends per second with
// 64 concurrent clients: group commit against one transaction per record
// (the naive loop) on the same kind of store, in the same run.
func BenchmarkAppend64(b *testing.B) {
	storetest.BenchAppend64(b, func(b *testing.B) storetest.Appender {
		return open(b, filepath.Join(b.TempDir(), "consents.db"))
	}, record)
}

// BenchmarkProve10M measures an inclusion proof read from the SQLite file
// of a log of ten million records. Only the hashes table is filled (the
// proof reads nothing else), and every proof is checked against the tree.
func BenchmarkProve10M(b *testing.B) {
	const n = 10_000_000
	s := open(b, filepath.Join(b.TempDir(), "consents.db"))
	defer s.Close()
	stored, _, err := storetest.SyntheticHashes(n)
	if err != nil {
		b.Fatal(err)
	}
	tx, err := s.DB().Begin()
	if err != nil {
		b.Fatal(err)
	}
	ins, err := tx.Prepare(`INSERT INTO hashes (idx, hash) VALUES (?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	for i, h := range stored {
		if _, err := ins.Exec(i, h[:]); err != nil {
			b.Fatal(err)
		}
	}
	ins.Close()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	storetest.BenchProve(b, n, s)
}

// Two stores on one file, as two serve processes: while one holds the
// write lock, the other's append waits for it (busy_timeout) instead of
// failing with SQLITE_BUSY when its transaction, having read the next
// index, upgrades to a writer. TestConformance's 64 clients over two
// stores met that failure under load.
func TestAppendWaitsForAnotherWriter(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "consents.db")
	a, b := open(t, path), open(t, path)
	defer a.Close()
	defer b.Close()
	if err := a.Append(ctx, record(0)); err != nil {
		t.Fatal(err)
	}
	tx, err := a.DB().Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`INSERT INTO meta (name, value) VALUES ('held', 'by a')`); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- b.Append(ctx, record(1)) }()
	time.Sleep(300 * time.Millisecond)
	select {
	case err := <-done:
		t.Fatalf("append returned while another store held the write lock: %v", err)
	default:
	}
	// A reader is not kept waiting by the writer.
	if _, err := b.Size(ctx); err != nil {
		t.Fatalf("size while another store writes: %v", err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatalf("append while another store wrote: %v", err)
	}
	if n, err := a.Size(ctx); err != nil || n != 2 {
		t.Fatalf("size %d, %v; want 2 records", n, err)
	}
}
