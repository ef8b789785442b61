// Package ledger keeps consent records as the leaves of an append-only
// RFC 6962 Merkle log (golang.org/x/mod/sumdb/tlog): each record's bytes are
// hashed into the tree, the tree's size and root are published as signed
// checkpoints (ed25519, in the note format of golang.org/x/mod/sumdb/note),
// and an inclusion proof shows that a record is in a checkpointed tree. Any
// record edited, removed or reordered after the fact changes a hash that a
// checkpoint has already signed.
//
// This package owns the log's arithmetic and formats; storage (SQLite,
// PostgreSQL) stores the records' bytes and the tree's stored hashes.
package ledger

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/saiasat/saiasat"
	"golang.org/x/mod/sumdb/tlog"
)

// Store keeps the log: records' leaf bytes and the tree's stored hashes.
// Append assigns the record's index and returns only once it is durable.
//
// Every record a store returns was read with its index columns (idx, id,
// kind, subject, consent, idem, client) and checked against its leaf by
// Row.Record: a row edited outside saiasat is a *TamperedError naming its
// index, never a silently wrong answer.
type Store interface {
	tlog.HashReader
	Append(ctx context.Context, r *Record) error
	// Record returns the record with id and its leaf bytes; nil if none.
	Record(ctx context.Context, id string) (*Record, []byte, error)
	// Consents returns the consents q selects, through the index of
	// subject, client and index: a bounded read whatever the subject's
	// history.
	Consents(ctx context.Context, q ConsentQuery) ([]*Record, error)
	// Withdrawals returns the withdrawals of the consents with the given
	// ids, by consent id, through the unique index of withdrawn consents.
	Withdrawals(ctx context.Context, consentIDs []string) (map[string]*Record, error)
	// ByIdempotencyKey returns the record appended with that (stored)
	// idempotency key; nil if none. Appending a second record with one key
	// fails with ErrDuplicate.
	ByIdempotencyKey(ctx context.Context, key string) (*Record, error)
	Size(ctx context.Context) (int64, error)
	// SetCheckpointer makes the store's one writer sign a checkpoint of the
	// whole tree in the transaction of every batch it writes (nil: none).
	// Checkpoints are written by nothing else, so they never race records.
	SetCheckpointer(c *Checkpointer)
	// CheckpointNow asks the writer to sign and store a checkpoint of the
	// tree as it is, and returns once it is durable.
	CheckpointNow(ctx context.Context) error
	// LatestCheckpoint returns the newest signed checkpoint; nil if none.
	LatestCheckpoint(ctx context.Context) ([]byte, error)
	// Claim stores value under name unless a value is stored there already,
	// and returns the value stored: the first claim wins, across processes.
	Claim(ctx context.Context, name, value string) (string, error)
	// Dump returns every leaf, stored hash and checkpoint note, in order.
	Dump(ctx context.Context) (leaves [][]byte, stored []tlog.Hash, notes [][]byte, err error)
	// Snapshot returns every row of the log, index columns included, in
	// one read transaction: what ledger verify checks.
	Snapshot(ctx context.Context) (*Snapshot, error)
	Close() error
}

// ConsentQuery selects consents of one subject, in log order.
type ConsentQuery struct {
	Subject string
	// Client selects the consents that client wrote, unless AllClients.
	Client     string
	AllClients bool
	// After: only records of a greater index (-1: from the first). With
	// Newest, only those of a smaller index (-1: from the last), newest
	// first.
	After  int64
	Newest bool
	Limit  int
}

// ErrDuplicate is a store's refusal of a record whose id is in the log, or
// of a second withdrawal of one consent.
var ErrDuplicate = errors.New("duplicate record")

// Kinds of record.
const (
	KindConsent    = "consent"
	KindWithdrawal = "withdrawal"
)

// Record is one entry of the log. A withdrawal refers to its consent;
// nothing is ever updated in place.
type Record struct {
	Index int64  `json:"index"`
	ID    string `json:"id"`
	Kind  string `json:"kind"`
	// Subject is the HMAC-SHA256 (hex) of the lender's customer id under the
	// server's key: the raw id is never stored.
	Subject    string          `json:"subject"`
	TextSHA256 saiasat.Hash    `json:"text_sha256,omitempty"`
	Lang       saiasat.Lang    `json:"lang,omitempty"`
	AcceptedAt string          `json:"accepted_at,omitempty"`
	Channel    string          `json:"channel,omitempty"`
	Evidence   json.RawMessage `json:"evidence,omitempty"`
	// Consent is the id of the consent a withdrawal withdraws.
	Consent    string `json:"consent,omitempty"`
	RecordedAt string `json:"recorded_at"`
	// Client names the API client that wrote the record; records written
	// before clients existed have none.
	Client string `json:"client,omitempty"`
	// IdempotencyKey is the stored form (an HMAC over the client and the
	// key) of the Idempotency-Key the consent was posted with, if any. It is
	// in the leaf (since schema 4) so that the index the store keeps of it
	// is checked against a hashed record like every other column: a key
	// moved to another row would make a retry answer another record.
	// Records of schema 3 kept it beside the leaf only (see Row.Record).
	IdempotencyKey string `json:"idem,omitempty"`
}

// Leaf returns the bytes of r that the log hashes: compact JSON with the
// fields in the order of Record, no HTML escaping, evidence compacted. The
// store keeps exactly these bytes; verification re-derives the hash from
// them.
func (r *Record) Leaf() ([]byte, error) {
	c := *r
	if len(c.Evidence) > 0 {
		var b bytes.Buffer
		if err := json.Compact(&b, c.Evidence); err != nil {
			return nil, fmt.Errorf("evidence: %w", err)
		}
		c.Evidence = b.Bytes()
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&c); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// ParseLeaf reads a record back from its leaf bytes.
func ParseLeaf(leaf []byte) (*Record, error) {
	var r Record
	dec := json.NewDecoder(bytes.NewReader(leaf))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err != nil {
		return nil, fmt.Errorf("leaf: %w", err)
	}
	return &r, nil
}

// DumpWith implements a store's Dump over query, the row query a store's
// read transaction gives (as for SnapshotWith); every store has the same
// three tables (records, hashes, checkpoints), read here in log order.
func DumpWith(query func(q string, each func(scan func(dest ...any) error) error) error) (leaves [][]byte, stored []tlog.Hash, notes [][]byte, err error) {
	scan := func(q string, f func([]byte)) error {
		return query(q, func(scan func(...any) error) error {
			var b []byte
			if err := scan(&b); err != nil {
				return err
			}
			f(b)
			return nil
		})
	}
	if err = scan(`SELECT leaf FROM records ORDER BY idx`, func(b []byte) { leaves = append(leaves, b) }); err != nil {
		return nil, nil, nil, err
	}
	if err = scan(`SELECT hash FROM hashes ORDER BY idx`, func(b []byte) {
		var h tlog.Hash
		copy(h[:], b)
		stored = append(stored, h)
	}); err != nil {
		return nil, nil, nil, err
	}
	if err = scan(`SELECT note FROM checkpoints ORDER BY size`, func(b []byte) { notes = append(notes, b) }); err != nil {
		return nil, nil, nil, err
	}
	return leaves, stored, notes, nil
}

// StoredHashes returns the hashes a store must append, at the indexes
// tlog.StoredHashIndex(0, n) onwards, when leaf n is added; r reads the
// hashes stored so far.
func StoredHashes(n int64, leaf []byte, r tlog.HashReader) ([]tlog.Hash, error) {
	return tlog.StoredHashes(n, leaf, r)
}

// Tx is what WriteBatch needs of a store's open transaction.
type Tx interface {
	// Hash reads the stored hash at idx, committed before the transaction.
	Hash(idx int64) (tlog.Hash, error)
	// Put stores the batch in one go: each record with its leaf (the bytes
	// hashed into the tree), the tree hashes they add, which belong at
	// the stored indexes from hashFrom on, and the checkpoint of the tree
	// after the batch (nil if the writer signs none; one of that size may
	// be stored already, by another replica).
	Put(recs []*Record, leaves [][]byte, hashFrom int64, hashes []tlog.Hash, cp *Checkpoint) error
}

// Edge is the right edge of a tree: the stored hashes of the complete
// subtrees that make up a tree of N records. They are all a new record's
// hashes need, so a writer that remembers the edge of the tree it last
// committed reads nothing back from its store for the next batch.
type Edge struct {
	N      int64
	Hashes map[int64]tlog.Hash
}

// edgeIndexes returns the stored indexes of the edge of a tree of n records.
func edgeIndexes(n int64) []int64 {
	var out []int64
	for level := 0; n>>level > 0; level++ {
		if n>>level&1 == 1 {
			out = append(out, tlog.StoredHashIndex(level, n>>level-1))
		}
	}
	return out
}

// WriteBatch numbers batch from n, the log's size, computes each record's
// leaf and the tree hashes it adds, and, with a checkpointer, signs the
// tree after the batch; it stores them through tx with one Put. edge is
// the writer's edge of the tree of n records, or nil when it has none or
// it is of another size (another process appended): hashes are then read
// through tx. It returns the edge after the batch, which the writer may
// keep once the transaction has committed. An empty batch only signs a
// checkpoint of the tree of n records.
func WriteBatch(tx Tx, n int64, batch []*Record, edge *Edge, cpr *Checkpointer) (*Edge, error) {
	if edge != nil && edge.N != n {
		edge = nil
	}
	hashFrom := tlog.StoredHashIndex(0, n)
	var hashes []tlog.Hash
	hash := func(x int64) (tlog.Hash, error) {
		if x >= hashFrom {
			return hashes[x-hashFrom], nil
		}
		if edge != nil {
			if h, ok := edge.Hashes[x]; ok {
				return h, nil
			}
		}
		h, err := tx.Hash(x)
		if err != nil {
			return h, fmt.Errorf("hash %d: %w", x, err)
		}
		return h, nil
	}
	reader := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			h, err := hash(x)
			if err != nil {
				return nil, err
			}
			out[i] = h
		}
		return out, nil
	})
	leaves := make([][]byte, len(batch))
	for i, rec := range batch {
		rec.Index = n + int64(i)
		leaf, err := rec.Leaf()
		if err != nil {
			return nil, err
		}
		hs, err := tlog.StoredHashes(rec.Index, leaf, reader)
		if err != nil {
			return nil, err
		}
		leaves[i] = leaf
		hashes = append(hashes, hs...)
	}
	size := n + int64(len(batch))
	next := &Edge{N: size, Hashes: make(map[int64]tlog.Hash)}
	for _, x := range edgeIndexes(size) {
		h, err := hash(x)
		if err != nil {
			return nil, err
		}
		next.Hashes[x] = h
	}
	var cp *Checkpoint
	if cpr != nil && size > 0 {
		// The tree hash needs exactly the new edge: nothing is read.
		th, err := tlog.TreeHash(size, next)
		if err != nil {
			return nil, err
		}
		if cp, err = cpr.Sign(tlog.Tree{N: size, Hash: th}); err != nil {
			return nil, err
		}
	}
	if err := tx.Put(batch, leaves, hashFrom, hashes, cp); err != nil {
		return nil, err
	}
	return next, nil
}

// ReadHashes reads the edge's hashes: those of its tree's hash.
func (e *Edge) ReadHashes(idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		h, ok := e.Hashes[x]
		if !ok {
			return nil, fmt.Errorf("hash %d is not on the edge of %d records", x, e.N)
		}
		out[i] = h
	}
	return out, nil
}

// Prove returns the inclusion proof of record n in the tree of size t.
func Prove(t, n int64, r tlog.HashReader) (tlog.RecordProof, error) {
	return tlog.ProveRecord(t, n, r)
}

// CheckProof checks that leaf is record n of the tree.
func CheckProof(p tlog.RecordProof, tree tlog.Tree, n int64, leaf []byte) error {
	return tlog.CheckRecord(p, tree.N, tree.Hash, n, tlog.RecordHash(leaf))
}

// Problem is what Verify found wrong, at a record index.
type Problem struct {
	Index int64
	What  string
	// Where names what is wrong when it is not the record itself (a
	// checkpoint row); Index is then the last record it concerns.
	Where string
}

func (p Problem) String() string {
	if p.Where != "" {
		return fmt.Sprintf("%s: %s", p.Where, p.What)
	}
	return fmt.Sprintf("record %d: %s", p.Index, p.What)
}

// Verify re-derives the log from the leaves: each leaf must parse and
// carry its own index; each record's stored hashes must be those its bytes
// give, with the stored hashes of the records before it (so an edited row is
// named alone, not with every record above it in the tree); and every
// checkpoint's root must be the root of the stored tree at its size. It
// returns every problem, by index.
func Verify(leaves [][]byte, stored []tlog.Hash, checkpoints []tlog.Tree) []Problem {
	var problems []Problem
	reader := tlog.HashReaderFunc(func(idx []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(idx))
		for i, x := range idx {
			if x < 0 || x >= int64(len(stored)) {
				return nil, fmt.Errorf("stored hash %d is missing", x)
			}
			out[i] = stored[x]
		}
		return out, nil
	})
	if want := tlog.StoredHashCount(int64(len(leaves))); int64(len(stored)) != want {
		problems = append(problems, Problem{Index: int64(len(leaves)), What: fmt.Sprintf("%d stored hashes for %d records (want %d): records or hashes were added or removed", len(stored), len(leaves), want)})
	}
	for n, leaf := range leaves {
		r, err := ParseLeaf(leaf)
		switch {
		case err != nil:
			problems = append(problems, Problem{Index: int64(n), What: err.Error()})
		case r.Index != int64(n):
			problems = append(problems, Problem{Index: int64(n), What: fmt.Sprintf("carries index %d: records were reordered or removed", r.Index)})
		}
		hs, err := tlog.StoredHashes(int64(n), leaf, reader)
		if err != nil {
			problems = append(problems, Problem{Index: int64(n), What: err.Error()})
			continue
		}
		start := tlog.StoredHashIndex(0, int64(n))
		for i, h := range hs {
			if at := start + int64(i); at >= int64(len(stored)) || stored[at] != h {
				problems = append(problems, Problem{Index: int64(n), What: "its stored hash differs from the hash of its bytes: the record was edited"})
				break
			}
		}
	}
	for _, c := range checkpoints {
		if c.N > int64(len(leaves)) {
			problems = append(problems, Problem{Index: c.N - 1, What: fmt.Sprintf("a checkpoint signed %d records; only %d are left", c.N, len(leaves))})
			continue
		}
		h, err := tlog.TreeHash(c.N, reader)
		if err != nil || h != c.Hash {
			problems = append(problems, Problem{Index: c.N - 1, What: fmt.Sprintf("the tree of the first %d records no longer has the root the checkpoint signed", c.N)})
		}
	}
	slices.SortStableFunc(problems, func(a, b Problem) int { return cmp.Compare(a.Index, b.Index) })
	return problems
}
