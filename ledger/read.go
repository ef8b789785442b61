package ledger

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// Entry is a consent with its withdrawal, if any.
type Entry struct {
	Consent    *Record `json:"consent"`
	Withdrawal *Record `json:"withdrawal"`
}

// Page asks for one page of a listing: the entries after Cursor (from the
// start if empty), at most Limit of them (DefaultLimit if 0).
type Page struct {
	Cursor string
	Limit  int
}

// Listing limits.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// cursorTag starts a cursor's bytes: a cursor of another form is refused
// rather than misread.
const cursorTag = 'c'

func encodeCursor(index int64) string {
	b := make([]byte, 9)
	b[0] = cursorTag
	binary.BigEndian.PutUint64(b[1:], uint64(index))
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor returns the index a cursor continues after; -1 for none.
func decodeCursor(c string) (int64, error) {
	if c == "" {
		return -1, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil || len(b) != 9 || b[0] != cursorTag || b[1]&0x80 != 0 {
		return 0, errf(CodeInvalid, "cursor is not one this server gave")
	}
	return int64(binary.BigEndian.Uint64(b[1:])), nil
}

// Subject lists the consents of the customer with raw id subject that the
// caller may see, each with its withdrawal (whoever recorded it), in the
// order they were recorded, one page at a time: it returns the cursor of
// the next page, "" after the last. Each page reads at most Limit consents
// and their withdrawals, by index.
func (s *Service) Subject(ctx context.Context, c Caller, subject string, p Page) ([]Entry, string, error) {
	subject, err := NormalizeSubject(subject)
	if err != nil {
		return nil, "", err
	}
	limit := p.Limit
	switch {
	case limit == 0:
		limit = DefaultLimit
	case limit < 0 || limit > MaxLimit:
		return nil, "", errf(CodeInvalid, "limit must be 1 to %d", MaxLimit)
	}
	after, err := decodeCursor(p.Cursor)
	if err != nil {
		return nil, "", err
	}
	entries := []Entry{}
	if !c.ReadAll && c.Client == "" {
		return entries, "", nil
	}
	// One more than asked: whether there is a next page.
	cs, err := s.Store.Consents(ctx, ConsentQuery{Subject: SubjectMAC(s.SubjectKey, subject), Client: c.Client, AllClients: c.ReadAll, After: after, Limit: limit + 1})
	if err != nil {
		return nil, "", err
	}
	next := ""
	if len(cs) > limit {
		cs = cs[:limit]
		next = encodeCursor(cs[limit-1].Index)
	}
	ws, err := s.withdrawals(ctx, cs)
	if err != nil {
		return nil, "", err
	}
	for _, r := range cs {
		entries = append(entries, Entry{Consent: r, Withdrawal: ws[r.ID]})
	}
	return entries, next, nil
}

// withdrawals returns the withdrawals of consents cs, by consent id.
func (s *Service) withdrawals(ctx context.Context, cs []*Record) (map[string]*Record, error) {
	if len(cs) == 0 {
		return nil, nil
	}
	ids := make([]string, len(cs))
	for i, r := range cs {
		ids[i] = r.ID
	}
	return s.Store.Withdrawals(ctx, ids)
}

// latestPage is how many consents LatestConsent reads at a time, and
// latestMax how many it reads at most.
const (
	latestPage = 100
	latestMax  = 10_000
)

// LatestConsent returns the newest consent of the customer with raw id
// subject that the caller may see, is not withdrawn, and match accepts
// (the server matches the texts of one policy's editions); nil if none.
// It reads the subject's consents newest first, a page at a time, and
// stops at the first that answers; past latestMax consents it gives up
// with CodeUnprocessable rather than read a history without bound.
func (s *Service) LatestConsent(ctx context.Context, c Caller, subject string, match func(*Record) bool) (*Record, error) {
	subject, err := NormalizeSubject(subject)
	if err != nil {
		return nil, err
	}
	if !c.ReadAll && c.Client == "" {
		return nil, nil
	}
	q := ConsentQuery{Subject: SubjectMAC(s.SubjectKey, subject), Client: c.Client, AllClients: c.ReadAll, After: -1, Newest: true, Limit: latestPage}
	for read := 0; read < latestMax; read += latestPage {
		cs, err := s.Store.Consents(ctx, q)
		if err != nil {
			return nil, err
		}
		var candidates []*Record
		for _, r := range cs {
			if match(r) {
				candidates = append(candidates, r)
			}
		}
		ws, err := s.withdrawals(ctx, candidates)
		if err != nil {
			return nil, err
		}
		for _, r := range candidates {
			if ws[r.ID] == nil {
				return r, nil
			}
		}
		if len(cs) < latestPage {
			return nil, nil
		}
		q.After = cs[len(cs)-1].Index
	}
	return nil, errf(CodeUnprocessable, "the subject has over %d consents newer than any unwithdrawn one of these texts", latestMax)
}

// Get returns the record with id, if the caller may see it: a consent it
// wrote, or a withdrawal it wrote or of a consent it wrote.
func (s *Service) Get(ctx context.Context, c Caller, id string) (*Record, error) {
	r, _, err := s.visible(ctx, c, id)
	return r, err
}

// visible returns the record with id and its leaf if the caller may see
// it; CodeNotFound if there is none or it may not (the same answer, so
// that ids of others' records are not confirmed).
func (s *Service) visible(ctx context.Context, c Caller, id string) (*Record, []byte, error) {
	if !validID(id) {
		return nil, nil, errf(CodeNotFound, "no record with that id")
	}
	r, leaf, err := s.Store.Record(ctx, id)
	if err != nil {
		return nil, nil, err
	}
	if r == nil {
		return nil, nil, errf(CodeNotFound, "no record with that id")
	}
	if c.owns(r.Client) {
		return r, leaf, nil
	}
	if r.Kind == KindWithdrawal && validID(r.Consent) {
		con, _, err := s.Store.Record(ctx, r.Consent)
		if err != nil {
			return nil, nil, err
		}
		if con != nil && c.owns(con.Client) {
			return r, leaf, nil
		}
	}
	return nil, nil, errf(CodeNotFound, "no record with that id")
}

// Checkpoint returns the newest signed checkpoint. With fresh, or when it
// does not cover the log (checkpoints of a ledger written before the
// writer signed one with every batch), it has the store's writer sign one
// first: checkpoints are written by the writer only.
func (s *Service) Checkpoint(ctx context.Context, fresh bool) ([]byte, error) {
	if err := s.start(ctx); err != nil {
		return nil, err
	}
	covered, n, err := s.covered(ctx)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, errf(CodeNotFound, "the ledger is empty")
	}
	if fresh || covered < n {
		if err := s.Store.CheckpointNow(ctx); err != nil {
			return nil, err
		}
	}
	return s.LatestCheckpoint(ctx)
}

// LatestCheckpoint returns the newest stored checkpoint without signing a
// new one: what anyone may fetch. Its signature is checked first: a row
// edited outside saiasat is a *TamperedError, never served.
func (s *Service) LatestCheckpoint(ctx context.Context) ([]byte, error) {
	msg, _, err := s.latestCheckpoint(ctx)
	return msg, err
}

// latestCheckpoint returns the newest stored checkpoint and its tree, its
// signature checked.
func (s *Service) latestCheckpoint(ctx context.Context) ([]byte, tlog.Tree, error) {
	msg, err := s.Store.LatestCheckpoint(ctx)
	if err != nil {
		return nil, tlog.Tree{}, err
	}
	if msg == nil {
		return nil, tlog.Tree{}, errf(CodeNotFound, "no checkpoint yet")
	}
	t, err := OpenCheckpoint(msg, s.Verifier)
	if err != nil {
		return nil, t, &TamperedError{Where: "the latest checkpoint row", What: err.Error()}
	}
	return msg, t, nil
}

// ProofDoc is the inclusion proof of a record against a signed checkpoint.
type ProofDoc struct {
	ID         string      `json:"id"`
	Index      int64       `json:"index"`
	LeafSHA256 string      `json:"leaf_hash"`
	TreeSize   int64       `json:"tree_size"`
	TreeHash   string      `json:"tree_hash"`
	Proof      []tlog.Hash `json:"proof"`
	Checkpoint string      `json:"checkpoint"`
}

// Proof returns the inclusion proof of record id against the latest stored
// checkpoint. It writes nothing: the writer signs a checkpoint in the
// transaction of every batch, so a record that can be read is covered.
func (s *Service) Proof(ctx context.Context, c Caller, id string) (*ProofDoc, error) {
	if err := s.start(ctx); err != nil {
		return nil, err
	}
	r, leaf, err := s.visible(ctx, c, id)
	if err != nil {
		return nil, err
	}
	msg, t, err := s.latestCheckpoint(ctx)
	if err != nil {
		return nil, err
	}
	if t.N <= r.Index {
		// Only a writer without a checkpointer (another binary's) leaves
		// a record uncovered; ask ours once.
		if err := s.Store.CheckpointNow(ctx); err != nil {
			return nil, err
		}
		if msg, t, err = s.latestCheckpoint(ctx); err != nil {
			return nil, err
		}
	}
	p, err := Prove(t.N, r.Index, s.Store)
	if errors.Is(err, ErrHashMissing) {
		// The hashes of a committed tree are all stored, unless a row
		// was removed or renumbered.
		return nil, &TamperedError{Index: r.Index, What: fmt.Sprintf("its proof cannot be built from the stored hashes (%v)", err)}
	}
	if err != nil {
		return nil, err
	}
	// The proof is built from stored hashes, which a reader of the
	// database could have edited: it is checked before it is served.
	if err := CheckProof(p, t, r.Index, leaf); err != nil {
		return nil, &TamperedError{Index: r.Index, What: "its proof from the stored hashes does not reach the root the latest checkpoint signs (a hashes row was edited)"}
	}
	return &ProofDoc{ID: id, Index: r.Index, LeafSHA256: tlog.RecordHash(leaf).String(), TreeSize: t.N, TreeHash: t.Hash.String(), Proof: p, Checkpoint: string(msg)}, nil
}
