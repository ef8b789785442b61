package ledger

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/saiasat/saiasat"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// Error codes of the consent service; the HTTP layer maps them to statuses
// in one table.
const (
	CodeInvalid       = "invalid"       // malformed request: 400
	CodeUnprocessable = "unprocessable" // well formed, refused on its meaning: 422
	CodeNotFound      = "not_found"     // 404
	CodeConflict      = "conflict"      // 409
)

// Error is a refusal of the consent service, safe to show the caller.
type Error struct {
	Code string
	Msg  string
}

func (e *Error) Error() string { return e.Msg }

func errf(code, format string, args ...any) error {
	return &Error{Code: code, Msg: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of err, or "" for an internal error.
func ErrorCode(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

// TextStatus is what the service needs to know of a text at an instant.
type TextStatus struct {
	// Approved: h names an approved text, in language Lang.
	Approved bool
	Lang     saiasat.Lang
	// InForce: it was the text in force in its language at the instant.
	InForce bool
	// Started: its edition had come into force by the instant (it may have
	// been superseded since).
	Started bool
}

// Texts tells the service about the texts consents point to.
type Texts interface {
	Status(h saiasat.Hash, at time.Time) TextStatus
}

// Service records consents and withdrawals in a Store.
type Service struct {
	Store    Store
	Texts    Texts
	Signer   note.Signer
	Verifier note.Verifier
	// SubjectKey is the HMAC key under which subjects are stored.
	SubjectKey []byte
	Now        func() time.Time
	// CheckpointEvery signs a checkpoint after this many records.
	CheckpointEvery int64
	// Logger receives what cannot be answered to a caller (a checkpoint
	// that failed to sign after a record was durable).
	Logger *slog.Logger

	mu sync.Mutex // serializes checkpoint signing
}

// MaxEvidence bounds a consent's evidence object.
const MaxEvidence = 8 << 10

// ConsentRequest is the body of POST /v1/consents.
type ConsentRequest struct {
	Subject         string          `json:"subject"`
	TextSHA256      string          `json:"text_sha256"`
	Lang            string          `json:"lang"`
	AcceptedAt      string          `json:"accepted_at"`
	Channel         string          `json:"channel"`
	Evidence        json.RawMessage `json:"evidence,omitempty"`
	AllowSuperseded bool            `json:"allow_superseded,omitempty"`
	// IdempotencyKey is the request's Idempotency-Key header, if any: a
	// request repeated with the same key and body gets the first answer
	// again instead of a second record.
	IdempotencyKey string `json:"-"`
}

// Recorded is the answer to a consent request.
type Recorded struct {
	Record  *Record
	Receipt *Receipt // nil if signing failed after the record was durable
	// Replayed: the request repeated an earlier one's idempotency key, and
	// this is that earlier request's record.
	Replayed bool
}

// MaxIdempotencyKey bounds an idempotency key.
const MaxIdempotencyKey = 255

// idempotencyKey checks a client's key and returns its stored form: an HMAC
// under the subject key, as a careless client may put a customer's id in it.
func (s *Service) idempotencyKey(k string) (string, error) {
	if k == "" || len(k) > MaxIdempotencyKey {
		return "", errf(CodeInvalid, "Idempotency-Key must be 1 to %d characters", MaxIdempotencyKey)
	}
	for i := range len(k) {
		if k[i] < 0x20 || k[i] > 0x7e {
			return "", errf(CodeInvalid, "Idempotency-Key must be printable ASCII")
		}
	}
	return SubjectMAC(s.SubjectKey, "idempotency-key\x00"+k), nil
}

// replay answers a request whose idempotency key prev was recorded with:
// the same record if the request is the same, else a refusal.
func (s *Service) replay(prev *Record, req ConsentRequest) (*Recorded, error) {
	if prev.Kind != KindConsent || !sameConsent(prev, s.SubjectKey, req) {
		return nil, errf(CodeUnprocessable, "this Idempotency-Key was used for another request")
	}
	rc, err := s.receipt(prev)
	if err != nil {
		s.logError("sign receipt", err)
		rc = nil
	}
	return &Recorded{Record: prev, Receipt: rc, Replayed: true}, nil
}

// sameConsent reports whether req asks for what r records.
func sameConsent(r *Record, subjectKey []byte, req ConsentRequest) bool {
	at, err := time.Parse(time.RFC3339Nano, req.AcceptedAt)
	if err != nil || r.AcceptedAt != at.UTC().Format(time.RFC3339Nano) {
		return false
	}
	var ev []byte
	if len(req.Evidence) > 0 {
		var b bytes.Buffer
		if json.Compact(&b, req.Evidence) != nil {
			return false
		}
		ev = b.Bytes()
	}
	return hmac.Equal([]byte(r.Subject), []byte(SubjectMAC(subjectKey, req.Subject))) &&
		string(r.TextSHA256) == req.TextSHA256 && string(r.Lang) == req.Lang &&
		r.Channel == req.Channel && bytes.Equal(r.Evidence, ev)
}

// Receipt is what the lender keeps for a recorded consent: the record's
// leaf hash, signed.
type Receipt struct {
	Note string `json:"note"`
}

// SubjectMAC returns the stored form of a subject: HMAC-SHA256 under key.
func SubjectMAC(key []byte, subject string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(subject))
	return hex.EncodeToString(m.Sum(nil))
}

func newID() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// Consent records a consent. A request that repeats an earlier one's
// idempotency key gets the earlier record back, whether that one is long
// durable or was appended a moment ago by a concurrent request.
func (s *Service) Consent(ctx context.Context, req ConsentRequest) (*Recorded, error) {
	var idem string
	if req.IdempotencyKey != "" {
		var err error
		if idem, err = s.idempotencyKey(req.IdempotencyKey); err != nil {
			return nil, err
		}
		prev, err := s.Store.ByIdempotencyKey(ctx, idem)
		if err != nil {
			return nil, fmt.Errorf("read idempotency key: %w", err)
		}
		if prev != nil {
			return s.replay(prev, req)
		}
	}
	now := s.Now().UTC()
	switch {
	case strings.TrimSpace(req.Subject) == "" || len(req.Subject) > 256:
		return nil, errf(CodeInvalid, "subject must be the customer id, 1 to 256 characters")
	case req.Lang == "":
		return nil, errf(CodeInvalid, "lang is required")
	case req.Channel == "" || len(req.Channel) > 64:
		return nil, errf(CodeInvalid, "channel must be 1 to 64 characters, like web or app")
	case len(req.Evidence) > MaxEvidence:
		return nil, errf(CodeInvalid, "evidence is over 8 KiB")
	}
	if len(req.Evidence) > 0 {
		var obj map[string]any
		if err := json.Unmarshal(req.Evidence, &obj); err != nil || obj == nil {
			return nil, errf(CodeInvalid, "evidence must be a JSON object")
		}
	}
	h, err := saiasat.ParseHash(req.TextSHA256)
	if err != nil {
		return nil, errf(CodeInvalid, "text_sha256 must be sha256: and 64 lowercase hex digits")
	}
	at, err := time.Parse(time.RFC3339Nano, req.AcceptedAt)
	if err != nil {
		return nil, errf(CodeInvalid, "accepted_at must be an RFC 3339 instant")
	}
	if at.After(now.Add(5 * time.Minute)) {
		return nil, errf(CodeUnprocessable, "accepted_at is more than 5 minutes in the future")
	}
	st := s.Texts.Status(h, at)
	switch {
	case !st.Approved:
		return nil, errf(CodeUnprocessable, "text_sha256 names no approved text")
	case st.Lang != saiasat.Lang(req.Lang):
		return nil, errf(CodeUnprocessable, "that text is in %s, not %s", st.Lang, req.Lang)
	case !st.Started:
		return nil, errf(CodeUnprocessable, "that text had not come into force at accepted_at")
	case !st.InForce && !req.AllowSuperseded:
		return nil, errf(CodeUnprocessable, "that text was superseded by accepted_at (allow_superseded: true records it anyway)")
	}
	// accepted_at is stored exactly as it was judged, to the nanosecond.
	r := &Record{ID: newID(), Kind: KindConsent, Subject: SubjectMAC(s.SubjectKey, req.Subject), TextSHA256: h,
		Lang: st.Lang, AcceptedAt: at.UTC().Format(time.RFC3339Nano), Channel: req.Channel, Evidence: req.Evidence,
		RecordedAt: now.Format(time.RFC3339Nano), IdempotencyKey: idem}
	if err := s.Store.Append(ctx, r); err != nil {
		if idem != "" && errors.Is(err, ErrDuplicate) {
			// A concurrent request with this key was appended first.
			prev, err2 := s.Store.ByIdempotencyKey(ctx, idem)
			if err2 == nil && prev != nil {
				return s.replay(prev, req)
			}
		}
		return nil, fmt.Errorf("append consent: %w", err)
	}
	s.afterAppend(ctx, r.Index)
	rc, err := s.receipt(r)
	if err != nil {
		// The record is durable: it is answered as recorded, without a
		// receipt, rather than as a failure a client would retry.
		s.logError("sign receipt", err)
		return &Recorded{Record: r}, nil
	}
	return &Recorded{Record: r, Receipt: rc}, nil
}

func (s *Service) logError(what string, err error) {
	if s.Logger != nil {
		s.Logger.Error(what, "err", err)
	}
}

func (s *Service) receipt(r *Record) (*Receipt, error) {
	leaf, err := r.Leaf()
	if err != nil {
		return nil, err
	}
	text := fmt.Sprintf("saiasat consent receipt\nid %s\nindex %d\nleaf %s\n", r.ID, r.Index, tlog.RecordHash(leaf))
	msg, err := note.Sign(&note.Note{Text: text}, s.Signer)
	if err != nil {
		return nil, fmt.Errorf("sign receipt: %w", err)
	}
	return &Receipt{Note: string(msg)}, nil
}

// Withdraw appends the withdrawal of consent id.
func (s *Service) Withdraw(ctx context.Context, id string) (*Record, error) {
	c, _, err := s.Store.Record(ctx, id)
	if err != nil {
		return nil, err
	}
	if c == nil || c.Kind != KindConsent {
		return nil, errf(CodeNotFound, "no consent with that id")
	}
	all, err := s.Store.BySubject(ctx, c.Subject)
	if err != nil {
		return nil, err
	}
	for _, o := range all {
		if o.Kind == KindWithdrawal && o.Consent == id {
			return nil, errf(CodeConflict, "that consent is already withdrawn")
		}
	}
	w := &Record{ID: newID(), Kind: KindWithdrawal, Subject: c.Subject, Consent: id, RecordedAt: s.Now().UTC().Format(time.RFC3339Nano)}
	if err := s.Store.Append(ctx, w); err != nil {
		// The store keeps one withdrawal per consent, across replicas.
		if errors.Is(err, ErrDuplicate) {
			return nil, errf(CodeConflict, "that consent is already withdrawn")
		}
		return nil, fmt.Errorf("append withdrawal: %w", err)
	}
	s.afterAppend(ctx, w.Index)
	return w, nil
}

// Entry is a consent with its withdrawal, if any.
type Entry struct {
	Consent    *Record `json:"consent"`
	Withdrawal *Record `json:"withdrawal"`
}

// Subject lists the consents of the customer with raw id subject.
func (s *Service) Subject(ctx context.Context, subject string) ([]Entry, error) {
	rs, err := s.Store.BySubject(ctx, SubjectMAC(s.SubjectKey, subject))
	if err != nil {
		return nil, err
	}
	entries := []Entry{}
	at := make(map[string]int)
	for _, r := range rs {
		switch r.Kind {
		case KindConsent:
			at[r.ID] = len(entries)
			entries = append(entries, Entry{Consent: r})
		case KindWithdrawal:
			if i, ok := at[r.Consent]; ok && entries[i].Withdrawal == nil {
				entries[i].Withdrawal = r
			}
		}
	}
	return entries, nil
}

// Get returns the record with id.
func (s *Service) Get(ctx context.Context, id string) (*Record, error) {
	r, _, err := s.Store.Record(ctx, id)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, errf(CodeNotFound, "no record with that id")
	}
	return r, nil
}

// afterAppend signs a checkpoint every CheckpointEvery records. A failure
// to sign loses nothing: the record is durable; the next checkpoint covers
// it.
func (s *Service) afterAppend(ctx context.Context, index int64) {
	if s.CheckpointEvery > 0 && (index+1)%s.CheckpointEvery == 0 {
		if _, err := s.Checkpoint(ctx, false); err != nil {
			s.logError("checkpoint", err)
		}
	}
}

// Checkpoint returns the newest signed checkpoint; with fresh, or when
// records were appended since, it signs a new one first.
func (s *Service) Checkpoint(ctx context.Context, fresh bool) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	latest, err := s.Store.LatestCheckpoint(ctx)
	if err != nil {
		return nil, err
	}
	n, err := s.Store.Size(ctx)
	if err != nil {
		return nil, err
	}
	if latest != nil && !fresh {
		if t, err := OpenCheckpoint(latest, s.Verifier); err == nil && t.N == n {
			return latest, nil
		}
	}
	if n == 0 {
		return nil, errf(CodeNotFound, "the ledger is empty")
	}
	cp, err := SignCheckpoint(n, s.Store, s.Signer)
	if err != nil {
		return nil, err
	}
	if err := s.Store.AddCheckpoint(ctx, cp); err != nil {
		return nil, err
	}
	return cp.Note, nil
}

// LatestCheckpoint returns the newest stored checkpoint without signing a
// new one: what anyone may fetch.
func (s *Service) LatestCheckpoint(ctx context.Context) ([]byte, error) {
	msg, err := s.Store.LatestCheckpoint(ctx)
	if err != nil {
		return nil, err
	}
	if msg == nil {
		return nil, errf(CodeNotFound, "no checkpoint yet")
	}
	return msg, nil
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

// Proof returns the inclusion proof of record id against the latest
// checkpoint, signing one first if none covers the record yet.
func (s *Service) Proof(ctx context.Context, id string) (*ProofDoc, error) {
	r, leaf, err := s.Store.Record(ctx, id)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, errf(CodeNotFound, "no record with that id")
	}
	msg, err := s.Checkpoint(ctx, false)
	if err != nil {
		return nil, err
	}
	t, err := OpenCheckpoint(msg, s.Verifier)
	if err != nil {
		return nil, err
	}
	if t.N <= r.Index {
		if msg, err = s.Checkpoint(ctx, true); err != nil {
			return nil, err
		}
		if t, err = OpenCheckpoint(msg, s.Verifier); err != nil {
			return nil, err
		}
	}
	p, err := Prove(t.N, r.Index, s.Store)
	if err != nil {
		return nil, err
	}
	return &ProofDoc{ID: id, Index: r.Index, LeafSHA256: tlog.RecordHash(leaf).String(), TreeSize: t.N, TreeHash: t.Hash.String(), Proof: p, Checkpoint: string(msg)}, nil
}
