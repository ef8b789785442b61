// Package sqlite stores the consent log in a SQLite file through
// modernc.org/sqlite (no cgo): WAL, synchronous=FULL, and group commit —
// appends wait in a queue, one transaction writes a batch of them, and each
// is acknowledged only once the transaction holding it is durable.
package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/saiasat/saiasat/ledger"
	"golang.org/x/mod/sumdb/tlog"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrDuplicate is returned by Append for a record id already in the log,
// or a second withdrawal of one consent.
var ErrDuplicate = ledger.ErrDuplicate

// SchemaVersion is the schema this binary knows; a newer file is refused.
const SchemaVersion = 4

// migrations[i] brings the schema from version i to i+1.
var migrations = []string{
	`CREATE TABLE records (
		idx     INTEGER PRIMARY KEY,
		id      TEXT NOT NULL UNIQUE,
		kind    TEXT NOT NULL,
		subject TEXT NOT NULL,
		consent TEXT,
		leaf    BLOB NOT NULL
	);
	CREATE INDEX records_subject ON records (subject);
	CREATE UNIQUE INDEX records_one_withdrawal ON records (consent) WHERE consent IS NOT NULL;
	CREATE TABLE hashes (idx INTEGER PRIMARY KEY, hash BLOB NOT NULL);
	CREATE TABLE checkpoints (size INTEGER PRIMARY KEY, note BLOB NOT NULL);`,
	// 2: which keys the records are made with (ledger.BindKeys).
	`CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);`,
	// 3: idempotency keys of consent requests (ledger.Record.IdempotencyKey).
	`ALTER TABLE records ADD COLUMN idem TEXT;
	CREATE UNIQUE INDEX records_idem ON records (idem) WHERE idem IS NOT NULL;`,
	// 4: the client that wrote a record (ledger.Record.Client), and the
	// index a listing pages through: a client's consents of a subject in
	// log order. It replaces records_subject: the listing of all clients
	// merges the pages of the subject's clients (Consents), and a second
	// index on the subject would cost every append another page written
	// at random (a third fewer appends a second, docs/benchmarks.md).
	`ALTER TABLE records ADD COLUMN client TEXT NOT NULL DEFAULT '';
	CREATE INDEX records_subject_client ON records (subject, client, idx);
	DROP INDEX records_subject;`,
}

// MaxBatch bounds the records one transaction writes.
const MaxBatch = 512

// Store is a consent log in one SQLite file.
type Store struct {
	db *sql.DB
	*ledger.Batcher
	// edge is the right edge of the tree the writer last committed; only
	// the Batcher's one writer touches it.
	edge *ledger.Edge
	// The writer's statements, prepared once: database/sql reuses them in
	// each transaction on the connection they were prepared on.
	insHash, insRec, insCp *sql.Stmt
	// cpr signs a checkpoint in every batch's transaction (nil: none).
	cpr atomic.Pointer[ledger.Checkpointer]
	// readOnly: opened by OpenReadOnly, at schema schema.
	readOnly bool
	schema   int
	path     string
}

// Open opens or creates the store at path, applying migrations.
func Open(path string) (*Store, error) {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(5000)", "foreign_keys(ON)"} {
		q.Add("_pragma", p)
	}
	// Write transactions begin IMMEDIATE, taking the write lock at BEGIN
	// under busy_timeout. A deferred one reads the next index first and
	// must then upgrade to a writer, which SQLite refuses at once with
	// SQLITE_BUSY, without waiting, while another connection or process
	// writes. Read-only transactions stay deferred (the driver's rule).
	q.Set("_txlock", "immediate")
	// The file holds personal data: readable by its owner only.
	if f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600); err == nil {
		f.Close()
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := migrate(db); err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s := &Store{db: db, schema: SchemaVersion, path: path}
	if s.insHash, err = db.Prepare(`INSERT INTO hashes (idx, hash) VALUES (?, ?)`); err == nil {
		s.insRec, err = db.Prepare(`INSERT INTO records (idx, id, kind, subject, consent, idem, client, leaf) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`)
	}
	if err == nil {
		// Another replica may not exist for SQLite, but a checkpoint of
		// this size may: CheckpointNow on an unchanged log.
		s.insCp, err = db.Prepare(`INSERT OR IGNORE INTO checkpoints (size, note) VALUES (?, ?)`)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: prepare: %w", path, err)
	}
	s.Batcher = ledger.NewBatcher(s.write, MaxBatch)
	return s, nil
}

// ErrNotLedger is returned by OpenReadOnly for a file that is not a
// saiasat consent ledger.
var ErrNotLedger = errors.New("not a saiasat consent ledger")

// errReadOnly refuses appends to a store opened read-only.
var errReadOnly = errors.New("the consent ledger is open read-only")

// OpenReadOnly opens the ledger at path for reading only, as ledger verify
// does: the file is opened with mode=ro and query_only, never created,
// migrated or switched to WAL. A file that is not a SQLite database of a
// saiasat schema is ErrNotLedger.
func OpenReadOnly(path string) (*Store, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	head := make([]byte, 16)
	_, err = io.ReadFull(f, head)
	f.Close()
	if err != nil || string(head) != "SQLite format 3\x00" {
		return nil, fmt.Errorf("%s: %w (not a SQLite database)", path, ErrNotLedger)
	}
	q := url.Values{}
	q.Set("mode", "ro")
	if _, err := os.Stat(path + "-wal"); errors.Is(err, fs.ErrNotExist) {
		// No write-ahead log: no process has the ledger open (SQLite
		// removes it when the last connection closes). Reading it as
		// immutable takes no lock and creates no -wal or -shm file beside
		// it; a live ledger is read through its log, as any reader does.
		q.Set("immutable", "1")
	}
	for _, p := range []string{"query_only(1)", "busy_timeout(5000)"} {
		q.Add("_pragma", p)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	var v, tables int
	err = db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name IN ('records', 'hashes', 'checkpoints')`).Scan(&tables)
	if err == nil && tables == 3 {
		err = db.QueryRow(`PRAGMA user_version`).Scan(&v)
	}
	switch {
	case err != nil:
		db.Close()
		return nil, fmt.Errorf("%s: %w", path, err)
	case tables != 3 || v < 1:
		db.Close()
		return nil, fmt.Errorf("%s: %w (no saiasat schema in it)", path, ErrNotLedger)
	case v > SchemaVersion:
		db.Close()
		return nil, fmt.Errorf("%s: %w: schema %d, this binary knows %d; upgrade saiasat", path, ErrNewerSchema, v, SchemaVersion)
	}
	s := &Store{db: db, readOnly: true, schema: v, path: path}
	s.Batcher = ledger.NewBatcher(func([]*ledger.Record) error { return errReadOnly }, 1)
	return s, nil
}

// ErrNewerSchema is returned by Open for a file written by a newer saiasat.
var ErrNewerSchema = errors.New("the database was written by a newer saiasat")

// migrate brings the file to SchemaVersion, one migration a transaction.
// Each reads the version inside its own transaction, which begins
// IMMEDIATE: two processes opening a new file at once migrate it once.
func migrate(db *sql.DB) error {
	for {
		done, err := migrateStep(db)
		if err != nil || done {
			return err
		}
	}
}

// migrateStep applies the next migration, or reports the file current.
func migrateStep(db *sql.DB) (done bool, err error) {
	tx, err := db.Begin()
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var v int
	if err := tx.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil {
		return false, fmt.Errorf("read schema version: %w", err)
	}
	if v > SchemaVersion {
		return false, fmt.Errorf("%w: schema %d, this binary knows %d; upgrade saiasat", ErrNewerSchema, v, SchemaVersion)
	}
	if v == SchemaVersion {
		return true, nil
	}
	if _, err := tx.Exec(migrations[v]); err != nil {
		return false, fmt.Errorf("migrate to schema %d: %w", v+1, err)
	}
	if _, err := tx.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, v+1)); err != nil {
		return false, err
	}
	return false, tx.Commit()
}

func (s *Store) write(batch []*ledger.Record) error {
	tx, err := s.db.Begin()
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	// The next index: MAX on the primary key, not a COUNT over the table.
	// Read every time: another process may have appended to the file.
	var n int64
	if err := tx.QueryRow(`SELECT COALESCE(MAX(idx) + 1, 0) FROM records`).Scan(&n); err != nil {
		return fmt.Errorf("count: %w", err)
	}
	edge, err := ledger.WriteBatch(sqliteTx{tx, s}, n, batch, s.edge, s.cpr.Load())
	if err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		s.edge = nil
		return err
	}
	s.edge = edge
	return nil
}

// sqliteTx writes a batch in one transaction.
type sqliteTx struct {
	tx *sql.Tx
	s  *Store
}

func (t sqliteTx) Hash(idx int64) (tlog.Hash, error) {
	var h tlog.Hash
	var b []byte
	err := t.tx.QueryRow(`SELECT hash FROM hashes WHERE idx = ?`, idx).Scan(&b)
	copy(h[:], b)
	return h, err
}

// Put writes the batch through the store's prepared statements, a row
// each: one multi-row INSERT was measured slower (docs/benchmarks.md).
func (t sqliteTx) Put(recs []*ledger.Record, leaves [][]byte, hashFrom int64, hashes []tlog.Hash, cp *ledger.Checkpoint) error {
	insHash := t.tx.Stmt(t.s.insHash)
	defer insHash.Close()
	for i := range hashes {
		if _, err := insHash.Exec(hashFrom+int64(i), hashes[i][:]); err != nil {
			return fmt.Errorf("insert hash: %w", err)
		}
	}
	insRec := t.tx.Stmt(t.s.insRec)
	defer insRec.Close()
	for i, rec := range recs {
		if _, err := insRec.Exec(rec.Index, rec.ID, rec.Kind, rec.Subject, null(rec.Consent), null(rec.IdempotencyKey), rec.Client, leaves[i]); err != nil {
			var se *sqlite.Error
			if errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE {
				return fmt.Errorf("record %s: %w", rec.ID, ErrDuplicate)
			}
			return fmt.Errorf("insert record: %w", err)
		}
	}
	if cp != nil {
		insCp := t.tx.Stmt(t.s.insCp)
		defer insCp.Close()
		if _, err := insCp.Exec(cp.Tree.N, cp.Note); err != nil {
			return fmt.Errorf("insert checkpoint: %w", err)
		}
	}
	return nil
}

// null is s, or NULL when s is empty.
func null(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// ReadHashes implements tlog.HashReader over the committed hashes.
func (s *Store) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		var b []byte
		err := s.db.QueryRow(`SELECT hash FROM hashes WHERE idx = ?`, x).Scan(&b)
		if errors.Is(err, sql.ErrNoRows) {
			err = ledger.ErrHashMissing
		}
		if err != nil {
			return nil, fmt.Errorf("hash %d: %w", x, err)
		}
		copy(out[i][:], b)
	}
	return out, nil
}

// Size returns the number of records.
func (s *Store) Size(ctx context.Context) (int64, error) {
	var n int64
	err := s.db.QueryRowContext(ctx, `SELECT COALESCE(MAX(idx) + 1, 0) FROM records`).Scan(&n)
	return n, err
}

// Record returns the record with id, or nil.
func (s *Store) Record(ctx context.Context, id string) (*ledger.Record, []byte, error) {
	rs, err := s.rows(ctx, `WHERE id = ?`, id)
	if err != nil || len(rs) == 0 {
		return nil, nil, err
	}
	return rs[0].Record, rs[0].Leaf, nil
}

// ByIdempotencyKey returns the record appended with key, or nil.
func (s *Store) ByIdempotencyKey(ctx context.Context, key string) (*ledger.Record, error) {
	rs, err := s.rows(ctx, `WHERE idem = ?`, key)
	if err != nil || len(rs) == 0 {
		return nil, err
	}
	return rs[0].Record, nil
}

// Consents returns the consents q selects, through records_subject_client:
// a client's page directly; all clients' by finding the subject's clients
// (one index seek each) and merging their pages, a read of at most a page
// per client.
func (s *Store) Consents(ctx context.Context, q ledger.ConsentQuery) ([]*ledger.Record, error) {
	if !q.AllClients {
		return s.consentsOf(ctx, q, q.Client)
	}
	clients, err := s.clients(ctx, q.Subject)
	if err != nil {
		return nil, err
	}
	var out []*ledger.Record
	for _, c := range clients {
		rs, err := s.consentsOf(ctx, q, c)
		if err != nil {
			return nil, err
		}
		out = append(out, rs...)
	}
	slices.SortFunc(out, func(a, b *ledger.Record) int {
		if q.Newest {
			return cmp.Compare(b.Index, a.Index)
		}
		return cmp.Compare(a.Index, b.Index)
	})
	return out[:min(len(out), q.Limit)], nil
}

// clientsQuery lists the clients with records of a subject, skipping from
// one to the next through records_subject_client (a loose index scan):
// one seek per client, however many records each has.
const clientsQuery = `WITH RECURSIVE c(client) AS (
	SELECT (SELECT client FROM records WHERE subject = ?1 ORDER BY subject, client LIMIT 1)
	UNION ALL
	SELECT (SELECT client FROM records WHERE subject = ?1 AND client > c.client ORDER BY subject, client LIMIT 1) FROM c WHERE c.client IS NOT NULL
) SELECT client FROM c WHERE client IS NOT NULL`

func (s *Store) clients(ctx context.Context, subject string) ([]string, error) {
	q, err := s.db.QueryContext(ctx, clientsQuery, subject)
	if err != nil {
		return nil, fmt.Errorf("clients of a subject: %w", err)
	}
	defer q.Close()
	var out []string
	for q.Next() {
		var c string
		if err := q.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, q.Err()
}

// consentsOf returns the consents q selects of one client.
func (s *Store) consentsOf(ctx context.Context, q ledger.ConsentQuery, client string) ([]*ledger.Record, error) {
	where, args := consentsWhere(q, client)
	rs, err := s.rows(ctx, where, args...)
	return ledger.Records(rs), err
}

// consentsWhere is the condition of consentsOf, and its arguments.
func consentsWhere(q ledger.ConsentQuery, client string) (string, []any) {
	where, args := `WHERE subject = ? AND client = ? AND kind = 'consent'`, []any{q.Subject, client}
	switch {
	case q.Newest && q.After >= 0:
		where += ` AND idx < ? ORDER BY idx DESC`
		args = append(args, q.After)
	case q.Newest:
		where += ` ORDER BY idx DESC`
	default:
		where += ` AND idx > ? ORDER BY idx`
		args = append(args, q.After)
	}
	return where + ` LIMIT ?`, append(args, q.Limit)
}

// Withdrawals returns the withdrawals of the consents ids, by consent id,
// through the unique index records_one_withdrawal.
func (s *Store) Withdrawals(ctx context.Context, ids []string) (map[string]*ledger.Record, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rs, err := s.rows(ctx, `WHERE consent IN (?`+strings.Repeat(`, ?`, len(ids)-1)+`)`, args...)
	if err != nil {
		return nil, err
	}
	out := make(map[string]*ledger.Record, len(rs))
	for _, r := range rs {
		out[r.Consent] = r.Record
	}
	return out, nil
}

// rows reads the records rows that where selects, checked by
// ledger.ReadRows against their leaves and the hashes stored for them.
func (s *Store) rows(ctx context.Context, where string, args ...any) ([]ledger.Checked, error) {
	q, err := s.db.QueryContext(ctx, `SELECT `+ledger.RowColumns(s.schema >= 4)+` FROM records `+where, args...)
	if err != nil {
		return nil, err
	}
	defer q.Close()
	return ledger.ReadRows(q, func() { q.Close() }, func(idx []int64) (map[int64]tlog.Hash, error) {
		return s.storedHashes(ctx, idx)
	})
}

// storedHashes reads the stored hashes at idx in one query; a missing one
// is missing from the map.
func (s *Store) storedHashes(ctx context.Context, idx []int64) (map[int64]tlog.Hash, error) {
	args := make([]any, len(idx))
	for i, x := range idx {
		args[i] = x
	}
	q, err := s.db.QueryContext(ctx, `SELECT idx, hash FROM hashes WHERE idx IN (?`+strings.Repeat(`, ?`, len(idx)-1)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("read hashes: %w", err)
	}
	defer q.Close()
	out := make(map[int64]tlog.Hash, len(idx))
	for q.Next() {
		var x int64
		var b []byte
		if err := q.Scan(&x, &b); err != nil {
			return nil, fmt.Errorf("read hashes: %w", err)
		}
		var h tlog.Hash
		copy(h[:], b)
		out[x] = h
	}
	return out, q.Err()
}

// Claim stores value under name unless one is stored, and returns the
// stored value.
func (s *Store) Claim(ctx context.Context, name, value string) (string, error) {
	if _, err := s.db.ExecContext(ctx, `INSERT INTO meta (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, name, value); err != nil {
		return "", err
	}
	var got string
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE name = ?`, name).Scan(&got)
	return got, err
}

// LatestCheckpoint returns the newest signed checkpoint, or nil.
// Its size column is checked against its note (ledger.CheckCheckpointRow).
func (s *Store) LatestCheckpoint(ctx context.Context) ([]byte, error) {
	var b []byte
	var size int64
	err := s.db.QueryRowContext(ctx, `SELECT size, note FROM checkpoints ORDER BY size DESC LIMIT 1`).Scan(&size, &b)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, nil
	case err != nil:
		return nil, err
	}
	return b, ledger.CheckCheckpointRow(size, b)
}

// SetCheckpointer makes the writer sign a checkpoint in every batch.
func (s *Store) SetCheckpointer(c *ledger.Checkpointer) { s.cpr.Store(c) }

// Dump returns every leaf, stored hash and checkpoint note, in order, for
// ledger.Verify.
func (s *Store) Dump(ctx context.Context) (leaves [][]byte, stored []tlog.Hash, notes [][]byte, err error) {
	err = s.read(ctx, func(query func(string, func(func(...any) error) error) error) error {
		leaves, stored, notes, err = ledger.DumpWith(query)
		return err
	})
	return leaves, stored, notes, err
}

// Snapshot returns every row, index columns included, for ledger verify.
func (s *Store) Snapshot(ctx context.Context) (snap *ledger.Snapshot, err error) {
	err = s.read(ctx, func(query func(string, func(func(...any) error) error) error) error {
		snap, err = ledger.SnapshotWith(s.schema, query)
		return err
	})
	return snap, err
}

// read runs f with a query function over one read transaction: one
// snapshot, even while appends go on.
func (s *Store) read(ctx context.Context, f func(query func(string, func(func(...any) error) error) error) error) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return f(func(q string, each func(func(...any) error) error) error {
		rows, err := tx.QueryContext(ctx, q)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			if err := each(rows.Scan); err != nil {
				return err
			}
		}
		return rows.Err()
	})
}

// Path is the file of the store.
func (s *Store) Path() string { return s.path }

// DB exposes the database for tests that tamper with it as its own client
// would.
func (s *Store) DB() *sql.DB { return s.db }

// Close stops the writer after the queued appends and closes the file.
func (s *Store) Close() error {
	s.Batcher.Close()
	return s.db.Close()
}

var _ ledger.Store = (*Store)(nil)
