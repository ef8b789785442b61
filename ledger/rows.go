package ledger

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Row is a row of a store's records table: the index columns the store
// looks records up by, and the leaf, the bytes the tree hashes. The
// columns are copies of what the leaf says, kept for the indexes; they
// are trusted only once checked against it (Record).
type Row struct {
	Index                                    int64
	ID, Kind, Subject, Consent, Idem, Client string
	Leaf                                     []byte
}

// RowColumns is the select list a store reads a Row with, in the order of
// Row's fields; a schema without the client column (before 4) reads it as
// empty.
func RowColumns(hasClient bool) string {
	client := "client"
	if !hasClient {
		client = "'' AS client"
	}
	return "idx, id, kind, subject, COALESCE(consent, ''), COALESCE(idem, ''), " + client + ", leaf"
}

// Dest returns the scan destinations of the columns of RowColumns.
func (w *Row) Dest() []any {
	return []any{&w.Index, &w.ID, &w.Kind, &w.Subject, &w.Consent, &w.Idem, &w.Client, &w.Leaf}
}

// TamperedError is a record (or a checkpoint row) that no longer says what
// its leaf (its signature) says: it was edited outside saiasat. A read that
// meets one fails rather than answer from the edited row.
type TamperedError struct {
	Index int64
	// Where names the row when it is not record Index's: a checkpoint row.
	Where string
	What  string
}

func (e *TamperedError) Error() string {
	where := e.Where
	if where == "" {
		where = fmt.Sprintf("record %d", e.Index)
	}
	return fmt.Sprintf("%s: %s: the row was edited outside saiasat (run saiasat ledger verify)", where, e.What)
}

// Record parses the row's leaf and checks every index column against it.
func (w *Row) Record() (*Record, error) {
	r, err := ParseLeaf(w.Leaf)
	if err != nil {
		return nil, &TamperedError{Index: w.Index, What: err.Error()}
	}
	if what := w.mismatch(r); what != "" {
		return nil, &TamperedError{Index: w.Index, What: what}
	}
	return r, nil
}

// mismatch names the first column that differs from the leaf r, or "".
func (w *Row) mismatch(r *Record) string {
	if w.Index != r.Index {
		return fmt.Sprintf("its idx column is %d, its leaf says %d", w.Index, r.Index)
	}
	for _, c := range [...]struct{ col, got, want string }{
		{"id", w.ID, r.ID}, {"kind", w.Kind, r.Kind}, {"subject", w.Subject, r.Subject},
		{"consent", w.Consent, r.Consent}, {"client", w.Client, r.Client},
	} {
		if c.got != c.want {
			return fmt.Sprintf("its %s column differs from its leaf", c.col)
		}
	}
	// Consents of schema 3 kept their idempotency key beside the leaf
	// only: a key column on a consent whose leaf has neither key nor
	// client is such a record, and cannot be checked. A replay still
	// needs the request to match the record field by field.
	legacy := w.Idem != "" && r.IdempotencyKey == "" && r.Client == "" && r.Kind == KindConsent
	if w.Idem != r.IdempotencyKey && !legacy {
		return "its idem column differs from its leaf"
	}
	return ""
}

// ErrHashMissing is a store's answer for a stored hash of a committed tree
// that is not there: its row was removed or renumbered.
var ErrHashMissing = errors.New("stored hash missing")

// LeafHashIndexes returns the stored indexes of the rows' record hashes
// (level 0 of the tree), for CheckLeaves.
func LeafHashIndexes(ws []Row) []int64 {
	out := make([]int64, len(ws))
	for i, w := range ws {
		out[i] = tlog.StoredHashIndex(0, w.Index)
	}
	return out
}

// CheckLeaves checks each row's leaf against the hash stored for it when
// it was appended (stored, by LeafHashIndexes): a leaf edited where no
// index column copies it (its channel, its evidence) no longer hashes to
// Checked is a record read from its row and checked against it
// (Row.Record), with its leaf.
type Checked struct {
	*Record
	Leaf []byte
}

// Records returns the records of cs.
func Records(cs []Checked) []*Record {
	out := make([]*Record, len(cs))
	for i, c := range cs {
		out[i] = c.Record
	}
	return out
}

// RowScanner is a query's result as both stores' drivers give it
// (database/sql's *Rows, pgx's Rows), read in RowColumns' order.
type RowScanner interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// ReadRows reads every row of q, each checked against its leaf
// (Row.Record); then, after done has released the query, every leaf
// against the hash stored when it was appended (CheckLeaves), read with
// stored. It is the one read path of both stores' records.
func ReadRows(q RowScanner, done func(), stored func(idx []int64) (map[int64]tlog.Hash, error)) ([]Checked, error) {
	var out []Checked
	var ws []Row
	for q.Next() {
		var w Row
		if err := q.Scan(w.Dest()...); err != nil {
			return nil, err
		}
		r, err := w.Record()
		if err != nil {
			return nil, err
		}
		out = append(out, Checked{r, w.Leaf})
		ws = append(ws, w)
	}
	if err := q.Err(); err != nil {
		return nil, err
	}
	done()
	if len(ws) == 0 {
		return nil, nil
	}
	hashes, err := stored(LeafHashIndexes(ws))
	if err != nil {
		return nil, err
	}
	return out, CheckLeaves(ws, hashes)
}

// it. The rows have passed Record, so their idx is their leaf's.
func CheckLeaves(ws []Row, stored map[int64]tlog.Hash) error {
	for _, w := range ws {
		h, ok := stored[tlog.StoredHashIndex(0, w.Index)]
		switch {
		case !ok:
			return &TamperedError{Index: w.Index, What: "the hash stored when it was appended is missing"}
		case h != tlog.RecordHash(w.Leaf):
			return &TamperedError{Index: w.Index, What: "its leaf differs from the hash stored when it was appended"}
		}
	}
	return nil
}

// CheckCheckpointRow checks a checkpoint row's size column against the
// tree size its note states (the signature is the reader's to check, with
// the ledger's key): a row whose size was edited would be taken for the
// latest checkpoint.
func CheckCheckpointRow(size int64, msg []byte) error {
	where := fmt.Sprintf("checkpoint row of size %d", size)
	body, _, ok := bytes.Cut(msg, []byte("\n\n"))
	if !ok {
		return &TamperedError{Index: max(size-1, 0), Where: where, What: "its note is not a signed note"}
	}
	_, t, err := ParseCheckpoint(msg[:len(body)+1]) // with its newline
	switch {
	case err != nil:
		return &TamperedError{Index: max(size-1, 0), Where: where, What: err.Error()}
	case t.N != size:
		return &TamperedError{Index: max(size-1, 0), Where: where, What: fmt.Sprintf("its size column differs from the %d records its note signs", t.N)}
	}
	return nil
}

// StoredCheckpoint is a row of a store's checkpoints table.
type StoredCheckpoint struct {
	Size int64
	Note []byte
}

// Snapshot is every row of a store's log, read in one transaction.
type Snapshot struct {
	Rows []Row
	// HashIdx holds the idx column of each hashes row, Stored its hash.
	HashIdx     []int64
	Stored      []tlog.Hash
	Checkpoints []StoredCheckpoint
	// Meta is the meta table (schema 2 on): the keys the ledger is bound
	// to (BindKeys); nil before schema 2.
	Meta map[string]string
}

// SnapshotWith implements a store's Snapshot: query runs a statement and
// calls each for every row with the row's Scan; every store has the same
// three tables, read here in log order.
func SnapshotWith(schema int, query func(q string, each func(scan func(dest ...any) error) error) error) (*Snapshot, error) {
	hasClient := schema >= 4
	s := &Snapshot{}
	if err := query(`SELECT `+RowColumns(hasClient)+` FROM records ORDER BY idx`, func(scan func(...any) error) error {
		var w Row
		if err := scan(w.Dest()...); err != nil {
			return err
		}
		s.Rows = append(s.Rows, w)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read records: %w", err)
	}
	if err := query(`SELECT idx, hash FROM hashes ORDER BY idx`, func(scan func(...any) error) error {
		var x int64
		var b []byte
		if err := scan(&x, &b); err != nil {
			return err
		}
		var h tlog.Hash
		copy(h[:], b)
		s.HashIdx = append(s.HashIdx, x)
		s.Stored = append(s.Stored, h)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read hashes: %w", err)
	}
	if err := query(`SELECT size, note FROM checkpoints ORDER BY size`, func(scan func(...any) error) error {
		var c StoredCheckpoint
		if err := scan(&c.Size, &c.Note); err != nil {
			return err
		}
		s.Checkpoints = append(s.Checkpoints, c)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read checkpoints: %w", err)
	}
	if schema >= 2 {
		s.Meta = map[string]string{}
		if err := query(`SELECT name, value FROM meta`, func(scan func(...any) error) error {
			var k, v string
			if err := scan(&k, &v); err != nil {
				return err
			}
			s.Meta[k] = v
			return nil
		}); err != nil {
			return nil, fmt.Errorf("read meta: %w", err)
		}
	}
	return s, nil
}

// Report is what VerifySnapshot found.
type Report struct {
	Records int64
	// Checkpoints counts the checkpoints that opened (stored and given);
	// Covered is the most records one of them signs.
	Checkpoints int
	Covered     int64
	Problems    []Problem
}

// VerifySnapshot checks everything a store holds: each row's index
// columns against its leaf, the hashes rows' indexes, each stored
// checkpoint's signature and size column, the keys the meta table binds
// (the public key against verifierKey, the subject key id against the
// origin of the checkpoints it signed), and then the log itself (Verify)
// against the stored checkpoints and those kept elsewhere (extra).
func VerifySnapshot(s *Snapshot, verifierKey string, extra []tlog.Tree) (Report, error) {
	v, err := note.NewVerifier(verifierKey)
	if err != nil {
		return Report{}, err
	}
	rep := Report{Records: int64(len(s.Rows))}
	var problems []Problem
	meta := func(name, what string) {
		problems = append(problems, Problem{Index: -1, Where: "meta row " + name, What: what})
	}
	if s.Meta != nil && len(s.Rows) > 0 {
		// Bound on the first start, before any record (BindKeys).
		switch got, ok := s.Meta["verifier-key"]; {
		case !ok:
			meta("verifier-key", "missing: the ledger's public key row was removed or renamed")
		case got != verifierKey:
			meta("verifier-key", "differs from the public key verified with: the row was edited, or the key is another ledger's")
		}
		if _, ok := s.Meta["subject-key-id"]; !ok {
			meta("subject-key-id", "missing: the row was removed or renamed")
		}
	}
	origins := map[string]bool{}
	leaves := make([][]byte, len(s.Rows))
	for i, w := range s.Rows {
		leaves[i] = w.Leaf
		r, err := ParseLeaf(w.Leaf)
		if err != nil {
			continue // Verify names it
		}
		if w.Index != int64(i) {
			problems = append(problems, Problem{Index: int64(i), What: fmt.Sprintf("its idx column is %d at position %d: records were removed, added or renumbered", w.Index, i)})
		} else if what := w.mismatch(r); what != "" {
			problems = append(problems, Problem{Index: int64(i), What: what + ": the row was edited"})
		}
	}
	for i, x := range s.HashIdx {
		if x != int64(i) {
			level, n := tlog.SplitStoredHashIndex(int64(i))
			problems = append(problems, Problem{Index: (n+1)<<level - 1, What: fmt.Sprintf("the hashes row at position %d has idx %d: hash rows were removed, added or renumbered", i, x)})
			break // the rest follows from the first
		}
	}
	trees := slices.Clone(extra)
	for _, c := range s.Checkpoints {
		where := fmt.Sprintf("checkpoint row of size %d", c.Size)
		last := max(c.Size-1, 0)
		origin, t, err := OpenCheckpointOrigin(c.Note, v)
		if err == nil {
			origins[origin] = true
		}
		switch {
		case err != nil:
			problems = append(problems, Problem{Index: last, Where: where, What: err.Error()})
		case t.N != c.Size:
			problems = append(problems, Problem{Index: last, Where: where, What: fmt.Sprintf("its size column differs from the %d records it signs: the row was edited", t.N)})
		default:
			trees = append(trees, t)
		}
	}
	if id, ok := s.Meta["subject-key-id"]; ok {
		// The origin signed in the checkpoints names the subject key id.
		for o := range origins {
			if got, ok := strings.CutPrefix(o, originPrefix); ok && got != id {
				meta("subject-key-id", "differs from the one the signed checkpoints name: the row was edited")
				break
			}
		}
	}
	rep.Checkpoints = len(trees)
	for _, t := range trees {
		rep.Covered = max(rep.Covered, t.N)
	}
	problems = append(problems, Verify(leaves, s.Stored, trees)...)
	slices.SortStableFunc(problems, func(a, b Problem) int { return cmp.Compare(a.Index, b.Index) })
	rep.Problems = problems
	return rep, nil
}
