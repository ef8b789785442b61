// Package sqlite stores the consent log in a SQLite file through
// modernc.org/sqlite (no cgo): WAL, synchronous=FULL, and group commit —
// appends wait in a queue, one transaction writes a batch of them, and each
// is acknowledged only once the transaction holding it is durable.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"

	"github.com/saiasat/saiasat/ledger"
	"golang.org/x/mod/sumdb/tlog"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// ErrDuplicate is returned by Append for a record id already in the log,
// or a second withdrawal of one consent.
var ErrDuplicate = ledger.ErrDuplicate

// SchemaVersion is the schema this binary knows; a newer file is refused.
const SchemaVersion = 3

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
	insHash, insRec *sql.Stmt
}

// Open opens or creates the store at path, applying migrations.
func Open(path string) (*Store, error) {
	q := url.Values{}
	for _, p := range []string{"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(5000)", "foreign_keys(ON)"} {
		q.Add("_pragma", p)
	}
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
	s := &Store{db: db}
	if s.insHash, err = db.Prepare(`INSERT INTO hashes (idx, hash) VALUES (?, ?)`); err == nil {
		s.insRec, err = db.Prepare(`INSERT INTO records (idx, id, kind, subject, consent, idem, leaf) VALUES (?, ?, ?, ?, ?, ?, ?)`)
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("%s: prepare: %w", path, err)
	}
	s.Batcher = ledger.NewBatcher(s.write, MaxBatch)
	return s, nil
}

// ErrNewerSchema is returned by Open for a file written by a newer saiasat.
var ErrNewerSchema = errors.New("the database was written by a newer saiasat")

func migrate(db *sql.DB) error {
	var v int
	if err := db.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if v > SchemaVersion {
		return fmt.Errorf("%w: schema %d, this binary knows %d; upgrade saiasat", ErrNewerSchema, v, SchemaVersion)
	}
	for ; v < SchemaVersion; v++ {
		tx, err := db.Begin()
		if err != nil {
			return err
		}
		if _, err := tx.Exec(migrations[v]); err != nil {
			tx.Rollback()
			return fmt.Errorf("migrate to schema %d: %w", v+1, err)
		}
		if _, err := tx.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, v+1)); err != nil {
			tx.Rollback()
			return err
		}
		if err := tx.Commit(); err != nil {
			return err
		}
	}
	return nil
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
	edge, err := ledger.WriteBatch(sqliteTx{tx, s}, n, batch, s.edge)
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
func (t sqliteTx) Put(recs []*ledger.Record, leaves [][]byte, hashFrom int64, hashes []tlog.Hash) error {
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
		if _, err := insRec.Exec(rec.Index, rec.ID, rec.Kind, rec.Subject, null(rec.Consent), null(rec.IdempotencyKey), leaves[i]); err != nil {
			var se *sqlite.Error
			if errors.As(err, &se) && se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE {
				return fmt.Errorf("record %s: %w", rec.ID, ErrDuplicate)
			}
			return fmt.Errorf("insert record: %w", err)
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
		if err := s.db.QueryRow(`SELECT hash FROM hashes WHERE idx = ?`, x).Scan(&b); err != nil {
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
	var leaf []byte
	err := s.db.QueryRowContext(ctx, `SELECT leaf FROM records WHERE id = ?`, id).Scan(&leaf)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	r, err := ledger.ParseLeaf(leaf)
	return r, leaf, err
}

// ByIdempotencyKey returns the record appended with key, or nil.
func (s *Store) ByIdempotencyKey(ctx context.Context, key string) (*ledger.Record, error) {
	var leaf []byte
	err := s.db.QueryRowContext(ctx, `SELECT leaf FROM records WHERE idem = ?`, key).Scan(&leaf)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return ledger.ParseStored(leaf, key)
}

// BySubject returns the records of a subject (its consents and their
// withdrawals), in log order.
func (s *Store) BySubject(ctx context.Context, subject string) ([]*ledger.Record, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT leaf FROM records WHERE subject = ? ORDER BY idx`, subject)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*ledger.Record
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			return nil, err
		}
		r, err := ledger.ParseLeaf(b)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
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
func (s *Store) LatestCheckpoint(ctx context.Context) ([]byte, error) {
	var b []byte
	err := s.db.QueryRowContext(ctx, `SELECT note FROM checkpoints ORDER BY size DESC LIMIT 1`).Scan(&b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return b, err
}

// AddCheckpoint stores a signed checkpoint.
func (s *Store) AddCheckpoint(ctx context.Context, cp *ledger.Checkpoint) error {
	_, err := s.db.ExecContext(ctx, `INSERT OR IGNORE INTO checkpoints (size, note) VALUES (?, ?)`, cp.Tree.N, cp.Note)
	return err
}

// Dump returns every leaf, stored hash and checkpoint note, in order, for
// ledger.Verify.
func (s *Store) Dump(ctx context.Context) (leaves [][]byte, stored []tlog.Hash, notes [][]byte, err error) {
	// One read transaction: one snapshot, even while appends go on.
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, nil, nil, err
	}
	defer tx.Rollback()
	scan := func(q string, f func([]byte)) error {
		rows, err := tx.QueryContext(ctx, q)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var b []byte
			if err := rows.Scan(&b); err != nil {
				return err
			}
			f(b)
		}
		return rows.Err()
	}
	return ledger.DumpWith(scan)
}

// DB exposes the database for tests that tamper with it as its own client
// would.
func (s *Store) DB() *sql.DB { return s.db }

// Close stops the writer after the queued appends and closes the file.
func (s *Store) Close() error {
	s.Batcher.Close()
	return s.db.Close()
}

var _ ledger.Store = (*Store)(nil)
