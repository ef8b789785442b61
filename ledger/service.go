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
	"unicode"
	"unicode/utf8"

	"github.com/saiasat/saiasat"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
	"golang.org/x/text/unicode/norm"
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
	// Origin is the first line of the ledger's checkpoints, its name
	// (https://c2sp.org/tlog-checkpoint); default Origin(SubjectKey).
	Origin string
	Now    func() time.Time
	// Logger receives what cannot be answered to a caller (a receipt that
	// failed to sign after a record was durable).
	Logger *slog.Logger

	mu    sync.Mutex // guards ready
	ready bool
}

// Caller is who asks: the API client the request's token names. A caller
// reads and withdraws only the records it wrote, unless ReadAll. Records
// written before clients existed have no client and are visible only to
// ReadAll callers (the full-scope tokens of before): no client may claim
// them by having an empty name.
type Caller struct {
	Client  string
	ReadAll bool
}

// owns reports whether c may see a record written by client.
func (c Caller) owns(client string) bool {
	return c.ReadAll || (c.Client != "" && client == c.Client)
}

// MaxEvidence bounds a consent's evidence object.
const MaxEvidence = 8 << 10

// MaxSubject bounds a subject, in bytes of its NFC form.
const MaxSubject = 256

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
	// Client is the API client the request's token names, set by the
	// server: it is recorded in the leaf.
	Client string `json:"-"`
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
// under the subject key over the client and the key, so that one client's
// key never finds another's record (and a careless client may put a
// customer's id in it). The form without a client is that of schema 3,
// so the keys of before still replay for callers without a name.
func (s *Service) idempotencyKey(client, k string) (string, error) {
	if k == "" || len(k) > MaxIdempotencyKey {
		return "", errf(CodeInvalid, "Idempotency-Key must be 1 to %d characters", MaxIdempotencyKey)
	}
	for i := range len(k) {
		if k[i] < 0x20 || k[i] > 0x7e {
			return "", errf(CodeInvalid, "Idempotency-Key must be printable ASCII")
		}
	}
	if client == "" {
		return SubjectMAC(s.SubjectKey, "idempotency-key\x00"+k), nil
	}
	// The key is printable ASCII: no NUL, so no two (client, key) pairs
	// give one input.
	return SubjectMAC(s.SubjectKey, "idempotency-key\x00client\x00"+client+"\x00"+k), nil
}

// replay answers a request whose idempotency key prev was recorded with:
// the same record if the request is the same, else a refusal.
func (s *Service) replay(prev *Record, req ConsentRequest, subject string) (*Recorded, error) {
	if prev.Kind != KindConsent || prev.Client != req.Client || !sameConsent(prev, s.SubjectKey, req, subject) {
		return nil, errf(CodeUnprocessable, "this Idempotency-Key was used for another request")
	}
	rc, err := s.receipt(prev)
	if err != nil {
		s.logError("sign receipt", err)
		rc = nil
	}
	return &Recorded{Record: prev, Receipt: rc, Replayed: true}, nil
}

// sameConsent reports whether req, whose subject in NFC is subject, asks
// for what r records.
func sameConsent(r *Record, subjectKey []byte, req ConsentRequest, subject string) bool {
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
	return hmac.Equal([]byte(r.Subject), []byte(SubjectMAC(subjectKey, subject))) &&
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

// NormalizeSubject returns the form of a customer id that is stored (under
// HMAC): valid UTF-8 in NFC, so that "José" typed either way is one
// customer, and with at least one visible character.
func NormalizeSubject(subject string) (string, error) {
	if !utf8.ValidString(subject) {
		return "", errf(CodeInvalid, "subject must be valid UTF-8")
	}
	subject = norm.NFC.String(subject)
	if subject == "" || len(subject) > MaxSubject {
		return "", errf(CodeInvalid, "subject must be the customer id, 1 to %d bytes", MaxSubject)
	}
	if !strings.ContainsFunc(subject, visible) {
		return "", errf(CodeInvalid, "subject must hold a visible character, not only spaces, controls or invisible format characters")
	}
	return subject, nil
}

// visible reports whether r shows: not a space, control, format character
// (zero-width space, joiners, marks of direction) or another character
// that Unicode says to ignore in display (Hangul fillers, variation
// selectors).
func visible(r rune) bool {
	return !unicode.IsSpace(r) && !unicode.IsControl(r) && !unicode.In(r, unicode.Cf, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector, unicode.White_Space)
}

const idLen = 32

func newID() string {
	var b [idLen / 2]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// validID reports whether id has the form newID makes: anything else is
// no record, answered without asking the store (PostgreSQL refuses a NUL
// or invalid UTF-8 in a text parameter with an error, not a miss).
func validID(id string) bool {
	if len(id) != idLen {
		return false
	}
	for i := range len(id) {
		if c := id[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// start makes the store's writer sign a checkpoint with every batch, and
// has it sign one now if the latest does not cover the log (a ledger
// written before checkpoints were signed with every batch): from then on
// every record a read sees is covered by a stored checkpoint.
func (s *Service) start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ready {
		return nil
	}
	origin := s.Origin
	if origin == "" {
		origin = Origin(s.SubjectKey)
	}
	s.Store.SetCheckpointer(&Checkpointer{Origin: origin, Signer: s.Signer})
	covered, n, err := s.covered(ctx)
	if err != nil {
		return err
	}
	if n > covered {
		if err := s.Store.CheckpointNow(ctx); err != nil {
			return fmt.Errorf("sign a checkpoint of the ledger: %w", err)
		}
	}
	s.ready = true
	return nil
}

// Start readies the service (see start); the first call of any method does
// it too. A server calls it before serving, so that the first request does
// not wait for a catch-up checkpoint.
func (s *Service) Start(ctx context.Context) error { return s.start(ctx) }

// covered returns the size of the latest checkpoint (0 if none or it does
// not open) and the log's size.
func (s *Service) covered(ctx context.Context) (covered, n int64, err error) {
	latest, err := s.Store.LatestCheckpoint(ctx)
	if err != nil {
		return 0, 0, err
	}
	if n, err = s.Store.Size(ctx); err != nil {
		return 0, 0, err
	}
	if latest != nil {
		if t, err := OpenCheckpoint(latest, s.Verifier); err == nil {
			covered = t.N
		}
	}
	return covered, n, nil
}

// Consent records a consent. A request that repeats an earlier one's
// idempotency key gets the earlier record back, whether that one is long
// durable or was appended a moment ago by a concurrent request.
func (s *Service) Consent(ctx context.Context, req ConsentRequest) (*Recorded, error) {
	if err := s.start(ctx); err != nil {
		return nil, err
	}
	subject, err := NormalizeSubject(req.Subject)
	if err != nil {
		return nil, err
	}
	var idem string
	if req.IdempotencyKey != "" {
		if idem, err = s.idempotencyKey(req.Client, req.IdempotencyKey); err != nil {
			return nil, err
		}
		prev, err := s.Store.ByIdempotencyKey(ctx, idem)
		if err != nil {
			return nil, fmt.Errorf("read idempotency key: %w", err)
		}
		if prev != nil {
			return s.replay(prev, req, subject)
		}
	}
	now := s.Now().UTC()
	switch {
	case req.Lang == "":
		return nil, errf(CodeInvalid, "lang is required")
	case req.Channel == "" || len(req.Channel) > 64:
		return nil, errf(CodeInvalid, "channel must be 1 to 64 characters, like web or app")
	case !utf8.ValidString(req.Channel):
		return nil, errf(CodeInvalid, "channel must be valid UTF-8")
	case len(req.Evidence) > MaxEvidence:
		return nil, errf(CodeInvalid, "evidence is over 8 KiB")
	case !utf8.Valid(req.Evidence):
		// encoding/json would store U+FFFD for the bytes, and answer
		// them back as something else than was posted.
		return nil, errf(CodeInvalid, "evidence must be valid UTF-8 JSON")
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
	r := &Record{ID: newID(), Kind: KindConsent, Subject: SubjectMAC(s.SubjectKey, subject), TextSHA256: h,
		Lang: st.Lang, AcceptedAt: at.UTC().Format(time.RFC3339Nano), Channel: req.Channel, Evidence: req.Evidence,
		RecordedAt: now.Format(time.RFC3339Nano), Client: req.Client, IdempotencyKey: idem}
	if err := s.Store.Append(ctx, r); err != nil {
		if idem != "" && errors.Is(err, ErrDuplicate) {
			// A concurrent request with this key was appended first.
			prev, err2 := s.Store.ByIdempotencyKey(ctx, idem)
			if err2 == nil && prev != nil {
				return s.replay(prev, req, subject)
			}
		}
		return nil, fmt.Errorf("append consent: %w", err)
	}
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

// Withdraw appends the withdrawal of consent id, recorded as the caller's.
func (s *Service) Withdraw(ctx context.Context, c Caller, id string) (*Record, error) {
	if err := s.start(ctx); err != nil {
		return nil, err
	}
	if !validID(id) {
		return nil, errf(CodeNotFound, "no consent with that id")
	}
	con, _, err := s.Store.Record(ctx, id)
	if err != nil {
		return nil, err
	}
	if con == nil || con.Kind != KindConsent || !c.owns(con.Client) {
		return nil, errf(CodeNotFound, "no consent with that id")
	}
	// The unique index of withdrawn consents, not the subject's history.
	ws, err := s.Store.Withdrawals(ctx, []string{id})
	if err != nil {
		return nil, err
	}
	if ws[id] != nil {
		return nil, errf(CodeConflict, "that consent is already withdrawn")
	}
	w := &Record{ID: newID(), Kind: KindWithdrawal, Subject: con.Subject, Consent: id, RecordedAt: s.Now().UTC().Format(time.RFC3339Nano), Client: c.Client}
	if err := s.Store.Append(ctx, w); err != nil {
		// The store keeps one withdrawal per consent, across replicas.
		if errors.Is(err, ErrDuplicate) {
			return nil, errf(CodeConflict, "that consent is already withdrawn")
		}
		return nil, fmt.Errorf("append withdrawal: %w", err)
	}
	return w, nil
}
