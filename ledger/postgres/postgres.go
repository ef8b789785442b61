// Package postgres stores the consent log in PostgreSQL through pgx, for
// several server replicas: each batch of appends takes the log's lock, so
// appends from several processes stay one consistent log, and a record is
// acknowledged only once the transaction holding it has committed.
package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/saiasat/saiasat/ledger"
	"golang.org/x/mod/sumdb/tlog"
)

// SchemaVersion is the schema this binary knows; a newer one is refused.
const SchemaVersion = 3

var migrations = []string{
	`CREATE TABLE records (
		idx     BIGINT PRIMARY KEY,
		id      TEXT NOT NULL UNIQUE,
		kind    TEXT NOT NULL,
		subject TEXT NOT NULL,
		consent TEXT,
		leaf    BYTEA NOT NULL
	);
	CREATE INDEX records_subject ON records (subject);
	CREATE UNIQUE INDEX records_one_withdrawal ON records (consent) WHERE consent IS NOT NULL;
	CREATE TABLE hashes (idx BIGINT PRIMARY KEY, hash BYTEA NOT NULL);
	CREATE TABLE checkpoints (size BIGINT PRIMARY KEY, note BYTEA NOT NULL);`,
	// 2: which keys the records are made with (ledger.BindKeys).
	`CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);`,
	// 3: idempotency keys of consent requests (ledger.Record.IdempotencyKey).
	`ALTER TABLE records ADD COLUMN idem TEXT;
	CREATE UNIQUE INDEX records_idem ON records (idem) WHERE idem IS NOT NULL;`,
}

// MaxBatch bounds the records one transaction writes.
const MaxBatch = 512

// ErrNewerSchema is returned by Open for a database of a newer saiasat.
var ErrNewerSchema = errors.New("the database was written by a newer saiasat")

// ErrDuplicate is returned by Append for a record id already in the log,
// or a second withdrawal of one consent.
var ErrDuplicate = ledger.ErrDuplicate

// Store is a consent log in PostgreSQL.
type Store struct {
	pool *pgxpool.Pool
	*ledger.Batcher
	// edge is the right edge of the tree this writer last committed; only
	// the Batcher's one writer touches it.
	edge *ledger.Edge
}

// lockKey is the advisory lock that serializes schema changes and appends
// across processes.
const lockKey = 0x5a1a5a7

// Open connects to the database at url and applies migrations.
func Open(ctx context.Context, url string) (*Store, error) {
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	if err := migrate(ctx, pool); err != nil {
		pool.Close()
		return nil, err
	}
	s := &Store{pool: pool}
	s.Batcher = ledger.NewBatcher(s.write, MaxBatch)
	return s, nil
}

func migrate(ctx context.Context, pool *pgxpool.Pool) error {
	tx, err := pool.Begin(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockKey); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS saiasat_schema (version INT NOT NULL)`); err != nil {
		return err
	}
	var v int
	err = tx.QueryRow(ctx, `SELECT version FROM saiasat_schema`).Scan(&v)
	if errors.Is(err, pgx.ErrNoRows) {
		if _, err := tx.Exec(ctx, `INSERT INTO saiasat_schema (version) VALUES (0)`); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	if v > SchemaVersion {
		return fmt.Errorf("%w: schema %d, this binary knows %d; upgrade saiasat", ErrNewerSchema, v, SchemaVersion)
	}
	for ; v < SchemaVersion; v++ {
		if _, err := tx.Exec(ctx, migrations[v]); err != nil {
			return fmt.Errorf("migrate to schema %d: %w", v+1, err)
		}
	}
	if _, err := tx.Exec(ctx, `UPDATE saiasat_schema SET version = $1`, v); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

func (s *Store) write(batch []*ledger.Record) error {
	ctx := context.Background()
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback(ctx)
	// One log across processes: the lock is held until commit.
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, lockKey); err != nil {
		return err
	}
	// Read under the lock: another replica may have appended since this
	// writer's last batch, and then its remembered edge is not used.
	var n int64
	if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(idx) + 1, 0) FROM records`).Scan(&n); err != nil {
		return err
	}
	edge, err := ledger.WriteBatch(pgTx{ctx, tx}, n, batch, s.edge)
	if err != nil {
		return err
	}
	if err := tx.Commit(ctx); err != nil {
		s.edge = nil
		return err
	}
	s.edge = edge
	return nil
}

// pgTx writes a batch in one transaction.
type pgTx struct {
	ctx context.Context
	tx  pgx.Tx
}

func (t pgTx) Hash(idx int64) (tlog.Hash, error) {
	var h tlog.Hash
	var b []byte
	err := t.tx.QueryRow(t.ctx, `SELECT hash FROM hashes WHERE idx = $1`, idx).Scan(&b)
	copy(h[:], b)
	return h, err
}

// Put writes the batch with COPY, one round trip per table instead of one
// per row. A batch of one record takes plain INSERTs, which are cheaper for
// a single row (and keep the naive loop of the benchmarks at its best).
func (t pgTx) Put(recs []*ledger.Record, leaves [][]byte, hashFrom int64, hashes []tlog.Hash) error {
	hrows := make([][]any, len(hashes))
	for i := range hashes {
		hrows[i] = []any{hashFrom + int64(i), hashes[i][:]}
	}
	rrows := make([][]any, len(recs))
	for i, rec := range recs {
		rrows[i] = []any{rec.Index, rec.ID, rec.Kind, rec.Subject, null(rec.Consent), null(rec.IdempotencyKey), leaves[i]}
	}
	if len(recs) == 1 {
		for _, r := range hrows {
			if _, err := t.tx.Exec(t.ctx, `INSERT INTO hashes (idx, hash) VALUES ($1, $2)`, r...); err != nil {
				return fmt.Errorf("insert hash: %w", err)
			}
		}
		_, err := t.tx.Exec(t.ctx, `INSERT INTO records (idx, id, kind, subject, consent, idem, leaf) VALUES ($1, $2, $3, $4, $5, $6, $7)`, rrows[0]...)
		return recordsErr(err, recs)
	}
	if _, err := t.tx.CopyFrom(t.ctx, pgx.Identifier{"hashes"}, []string{"idx", "hash"}, pgx.CopyFromRows(hrows)); err != nil {
		return fmt.Errorf("insert hashes: %w", err)
	}
	_, err := t.tx.CopyFrom(t.ctx, pgx.Identifier{"records"}, []string{"idx", "id", "kind", "subject", "consent", "idem", "leaf"}, pgx.CopyFromRows(rrows))
	return recordsErr(err, recs)
}

// null is s, or NULL when s is empty.
func null(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// recordsErr names a unique violation as ErrDuplicate: the record's own id
// when it was alone, or the batch, whose records the Batcher then writes
// half by half.
func recordsErr(err error, recs []*ledger.Record) error {
	if err == nil {
		return nil
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) && pe.Code == "23505" { // unique_violation
		if len(recs) == 1 {
			return fmt.Errorf("record %s: %w", recs[0].ID, ErrDuplicate)
		}
		return fmt.Errorf("a record of the batch: %w", ErrDuplicate)
	}
	return fmt.Errorf("insert records: %w", err)
}

// ReadHashes implements tlog.HashReader over the committed hashes.
func (s *Store) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	// One round trip for all of them: a proof needs some forty hashes, and
	// a round trip each would cost milliseconds.
	ctx := context.Background()
	rows, err := s.pool.Query(ctx, `SELECT idx, hash FROM hashes WHERE idx = ANY($1)`, idx)
	if err != nil {
		return nil, fmt.Errorf("read hashes: %w", err)
	}
	defer rows.Close()
	got := make(map[int64]tlog.Hash, len(idx))
	for rows.Next() {
		var x int64
		var b []byte
		if err := rows.Scan(&x, &b); err != nil {
			return nil, fmt.Errorf("read hashes: %w", err)
		}
		var h tlog.Hash
		copy(h[:], b)
		got[x] = h
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read hashes: %w", err)
	}
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		h, ok := got[x]
		if !ok {
			return nil, fmt.Errorf("hash %d: missing", x)
		}
		out[i] = h
	}
	return out, nil
}

// Size returns the number of records.
func (s *Store) Size(ctx context.Context) (int64, error) {
	var n int64
	err := s.pool.QueryRow(ctx, `SELECT COALESCE(MAX(idx) + 1, 0) FROM records`).Scan(&n)
	return n, err
}

// Record returns the record with id, or nil.
func (s *Store) Record(ctx context.Context, id string) (*ledger.Record, []byte, error) {
	var leaf []byte
	err := s.pool.QueryRow(ctx, `SELECT leaf FROM records WHERE id = $1`, id).Scan(&leaf)
	if errors.Is(err, pgx.ErrNoRows) {
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
	err := s.pool.QueryRow(ctx, `SELECT leaf FROM records WHERE idem = $1`, key).Scan(&leaf)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return ledger.ParseStored(leaf, key)
}

// BySubject returns a subject's records in log order.
func (s *Store) BySubject(ctx context.Context, subject string) ([]*ledger.Record, error) {
	rows, err := s.pool.Query(ctx, `SELECT leaf FROM records WHERE subject = $1 ORDER BY idx`, subject)
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

// AddCheckpoint stores a signed checkpoint.
func (s *Store) AddCheckpoint(ctx context.Context, cp *ledger.Checkpoint) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO checkpoints (size, note) VALUES ($1, $2) ON CONFLICT (size) DO NOTHING`, cp.Tree.N, cp.Note)
	return err
}

// Claim stores value under name unless one is stored, and returns the
// stored value.
func (s *Store) Claim(ctx context.Context, name, value string) (string, error) {
	if _, err := s.pool.Exec(ctx, `INSERT INTO meta (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, name, value); err != nil {
		return "", err
	}
	var got string
	err := s.pool.QueryRow(ctx, `SELECT value FROM meta WHERE name = $1`, name).Scan(&got)
	return got, err
}

// LatestCheckpoint returns the newest signed checkpoint, or nil.
func (s *Store) LatestCheckpoint(ctx context.Context) ([]byte, error) {
	var b []byte
	err := s.pool.QueryRow(ctx, `SELECT note FROM checkpoints ORDER BY size DESC LIMIT 1`).Scan(&b)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	return b, err
}

// Dump returns every leaf, stored hash and checkpoint note, in order.
func (s *Store) Dump(ctx context.Context) (leaves [][]byte, stored []tlog.Hash, notes [][]byte, err error) {
	// One snapshot, even while other replicas append.
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, nil, nil, err
	}
	defer tx.Rollback(ctx)
	scan := func(q string, f func([]byte)) error {
		rows, err := tx.Query(ctx, q)
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

// Exec runs a statement, for tests that tamper as the database's own
// client would.
func (s *Store) Exec(ctx context.Context, sql string, args ...any) error {
	_, err := s.pool.Exec(ctx, sql, args...)
	return err
}

// Close stops the writer after the queued appends and closes the pool.
func (s *Store) Close() error {
	s.Batcher.Close()
	s.pool.Close()
	return nil
}

var _ ledger.Store = (*Store)(nil)
