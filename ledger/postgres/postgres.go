// Package postgres stores the consent log in PostgreSQL through pgx, for
// several server replicas: each batch of appends takes the log's lock, so
// appends from several processes stay one consistent log, and a record is
// acknowledged only once the transaction holding it has committed.
package postgres

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/saiasat/saiasat/ledger"
	"golang.org/x/mod/sumdb/tlog"
)

// SchemaVersion is the schema this binary knows; a newer one is refused.
const SchemaVersion = 4

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
	// 4: the client that wrote a record (ledger.Record.Client), and the
	// indexes a listing pages through in log order: a subject's records,
	// and a client's records of a subject.
	`ALTER TABLE records ADD COLUMN client TEXT NOT NULL DEFAULT '';
	DROP INDEX records_subject;
	CREATE INDEX records_subject ON records (subject, idx);
	CREATE INDEX records_subject_client ON records (subject, client, idx);`,
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
	// cpr signs a checkpoint in every batch's transaction (nil: none).
	cpr    atomic.Pointer[ledger.Checkpointer]
	schema int
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
	s := &Store{pool: pool, schema: SchemaVersion}
	s.Batcher = ledger.NewBatcher(s.write, MaxBatch)
	return s, nil
}

// ErrNotLedger is returned by OpenReadOnly for a database that holds no
// saiasat consent ledger.
var ErrNotLedger = errors.New("not a saiasat consent ledger")

var errReadOnly = errors.New("the consent ledger is open read-only")

// OpenReadOnly connects for reading only, as ledger verify does: every
// transaction is read-only (default_transaction_read_only), nothing is
// created or migrated. A database without a saiasat schema is
// ErrNotLedger.
func OpenReadOnly(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("connection string: %w", err)
	}
	cfg.ConnConfig.RuntimeParams["default_transaction_read_only"] = "on"
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect: %w", err)
	}
	var v int
	var ok bool
	err = pool.QueryRow(ctx, `SELECT to_regclass('saiasat_schema') IS NOT NULL AND to_regclass('records') IS NOT NULL AND to_regclass('hashes') IS NOT NULL AND to_regclass('checkpoints') IS NOT NULL`).Scan(&ok)
	if err == nil && ok {
		err = pool.QueryRow(ctx, `SELECT version FROM saiasat_schema`).Scan(&v)
	}
	switch {
	case err != nil && !errors.Is(err, pgx.ErrNoRows):
		pool.Close()
		return nil, err
	case v > SchemaVersion:
		pool.Close()
		return nil, fmt.Errorf("%w: schema %d, this binary knows %d; upgrade saiasat", ErrNewerSchema, v, SchemaVersion)
	case !ok || v < 1:
		pool.Close()
		return nil, ErrNotLedger
	}
	s := &Store{pool: pool, schema: v}
	s.Batcher = ledger.NewBatcher(func([]*ledger.Record) error { return errReadOnly }, 1)
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
	edge, err := ledger.WriteBatch(pgTx{ctx, tx}, n, batch, s.edge, s.cpr.Load())
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
func (t pgTx) Put(recs []*ledger.Record, leaves [][]byte, hashFrom int64, hashes []tlog.Hash, cp *ledger.Checkpoint) error {
	if err := t.put(recs, leaves, hashFrom, hashes); err != nil {
		return err
	}
	if cp != nil {
		// Another replica may have signed this size already.
		if _, err := t.tx.Exec(t.ctx, `INSERT INTO checkpoints (size, note) VALUES ($1, $2) ON CONFLICT (size) DO NOTHING`, cp.Tree.N, cp.Note); err != nil {
			return fmt.Errorf("insert checkpoint: %w", err)
		}
	}
	return nil
}

func (t pgTx) put(recs []*ledger.Record, leaves [][]byte, hashFrom int64, hashes []tlog.Hash) error {
	if len(recs) == 0 {
		return nil
	}
	hrows := make([][]any, len(hashes))
	for i := range hashes {
		hrows[i] = []any{hashFrom + int64(i), hashes[i][:]}
	}
	rrows := make([][]any, len(recs))
	for i, rec := range recs {
		rrows[i] = []any{rec.Index, rec.ID, rec.Kind, rec.Subject, null(rec.Consent), null(rec.IdempotencyKey), rec.Client, leaves[i]}
	}
	if len(recs) == 1 {
		for _, r := range hrows {
			if _, err := t.tx.Exec(t.ctx, `INSERT INTO hashes (idx, hash) VALUES ($1, $2)`, r...); err != nil {
				return fmt.Errorf("insert hash: %w", err)
			}
		}
		_, err := t.tx.Exec(t.ctx, `INSERT INTO records (idx, id, kind, subject, consent, idem, client, leaf) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, rrows[0]...)
		return recordsErr(err, recs)
	}
	if _, err := t.tx.CopyFrom(t.ctx, pgx.Identifier{"hashes"}, []string{"idx", "hash"}, pgx.CopyFromRows(hrows)); err != nil {
		return fmt.Errorf("insert hashes: %w", err)
	}
	_, err := t.tx.CopyFrom(t.ctx, pgx.Identifier{"records"}, []string{"idx", "id", "kind", "subject", "consent", "idem", "client", "leaf"}, pgx.CopyFromRows(rrows))
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
	got, err := s.storedHashes(context.Background(), idx)
	if err != nil {
		return nil, err
	}
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		h, ok := got[x]
		if !ok {
			return nil, fmt.Errorf("hash %d: %w", x, ledger.ErrHashMissing)
		}
		out[i] = h
	}
	return out, nil
}

// storedHashes reads the stored hashes at idx in one query; a missing one
// is missing from the map.
func (s *Store) storedHashes(ctx context.Context, idx []int64) (map[int64]tlog.Hash, error) {
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
	return got, nil
}

// Size returns the number of records.
func (s *Store) Size(ctx context.Context) (int64, error) {
	var n int64
	err := s.pool.QueryRow(ctx, `SELECT COALESCE(MAX(idx) + 1, 0) FROM records`).Scan(&n)
	return n, err
}

// Record returns the record with id, or nil.
func (s *Store) Record(ctx context.Context, id string) (*ledger.Record, []byte, error) {
	rs, err := s.rows(ctx, `WHERE id = $1`, id)
	if err != nil || len(rs) == 0 {
		return nil, nil, err
	}
	return rs[0].Record, rs[0].Leaf, nil
}

// ByIdempotencyKey returns the record appended with key, or nil.
func (s *Store) ByIdempotencyKey(ctx context.Context, key string) (*ledger.Record, error) {
	rs, err := s.rows(ctx, `WHERE idem = $1`, key)
	if err != nil || len(rs) == 0 {
		return nil, err
	}
	return rs[0].Record, nil
}

// Consents returns the consents q selects, through records_subject (all
// clients) or records_subject_client.
func (s *Store) Consents(ctx context.Context, q ledger.ConsentQuery) ([]*ledger.Record, error) {
	where, args := `WHERE subject = $1`, []any{q.Subject}
	if !q.AllClients {
		args = append(args, q.Client)
		where += fmt.Sprintf(` AND client = $%d`, len(args))
	}
	where += ` AND kind = 'consent'`
	switch {
	case q.Newest && q.After >= 0:
		args = append(args, q.After)
		where += fmt.Sprintf(` AND idx < $%d ORDER BY idx DESC`, len(args))
	case q.Newest:
		where += ` ORDER BY idx DESC`
	default:
		args = append(args, q.After)
		where += fmt.Sprintf(` AND idx > $%d ORDER BY idx`, len(args))
	}
	args = append(args, q.Limit)
	rs, err := s.rows(ctx, where+fmt.Sprintf(` LIMIT $%d`, len(args)), args...)
	return ledger.Records(rs), err
}

// Withdrawals returns the withdrawals of the consents ids, by consent id,
// through the unique index records_one_withdrawal.
func (s *Store) Withdrawals(ctx context.Context, ids []string) (map[string]*ledger.Record, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rs, err := s.rows(ctx, `WHERE consent = ANY($1)`, ids)
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
	q, err := s.pool.Query(ctx, `SELECT `+ledger.RowColumns(s.schema >= 4)+` FROM records `+where, args...)
	if err != nil {
		return nil, err
	}
	defer q.Close()
	return ledger.ReadRows(q, func() { q.Close() }, func(idx []int64) (map[int64]tlog.Hash, error) {
		return s.storedHashes(ctx, idx)
	})
}

// SetCheckpointer makes the writer sign a checkpoint in every batch.
func (s *Store) SetCheckpointer(c *ledger.Checkpointer) { s.cpr.Store(c) }

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
// Its size column is checked against its note (ledger.CheckCheckpointRow).
func (s *Store) LatestCheckpoint(ctx context.Context) ([]byte, error) {
	var b []byte
	var size int64
	err := s.pool.QueryRow(ctx, `SELECT size, note FROM checkpoints ORDER BY size DESC LIMIT 1`).Scan(&size, &b)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return nil, nil
	case err != nil:
		return nil, err
	}
	return b, ledger.CheckCheckpointRow(size, b)
}

// Dump returns every leaf, stored hash and checkpoint note, in order.
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

// read runs f with a query function over one read-only, repeatable-read
// transaction: one snapshot, even while other replicas append.
func (s *Store) read(ctx context.Context, f func(query func(string, func(func(...any) error) error) error) error) error {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return err
	}
	defer tx.Rollback(ctx)
	return f(func(q string, each func(func(...any) error) error) error {
		rows, err := tx.Query(ctx, q)
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
