package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/ledger"
)

// Consents configures the consent API: the service that records, and the
// bearer tokens accepted (never logged).
type Consents struct {
	Service *ledger.Service
	Tokens  []Token

	tokens *tokenSet
}

// consentFields are the field names of a consent request, as written.
var consentFields = map[string]bool{"subject": true, "text_sha256": true, "lang": true, "accepted_at": true, "channel": true, "evidence": true, "allow_superseded": true}

// MaxConsentBody bounds a request body of the consent API.
const MaxConsentBody = 16 << 10

// statusOf maps the consent service's error codes to HTTP statuses: the
// one table.
var statusOf = map[string]int{
	ledger.CodeInvalid:       http.StatusBadRequest,
	ledger.CodeUnprocessable: http.StatusUnprocessableEntity,
	ledger.CodeNotFound:      http.StatusNotFound,
	ledger.CodeConflict:      http.StatusConflict,
}

// failErr answers err: a service refusal with its status and message, any
// other error as a 500 that says nothing (the log has it).
func (s *Server) failErr(w http.ResponseWriter, r *http.Request, err error) {
	if st, ok := statusOf[ledger.ErrorCode(err)]; ok {
		fail(w, r, st, err.Error())
		return
	}
	var te *ledger.TamperedError
	if errors.As(err, &te) {
		// Evidence that the database was edited behind the ledger: the
		// operator must hear of it, by record; the caller learns nothing
		// of the ledger's insides.
		s.log.Error("consent API: a ledger row disagrees with its hashed leaf; run saiasat ledger verify", "record", te.Index, "what", te.What, "path", r.URL.Path)
		fail(w, r, http.StatusInternalServerError, "")
		return
	}
	s.log.Error("consent API", "path", r.URL.Path, "err", err)
	fail(w, r, http.StatusInternalServerError, "")
}

// texts answers the service's questions about texts from the state loaded.
type texts struct{ s *Server }

func (t texts) Status(h saiasat.Hash, at time.Time) ledger.TextStatus {
	st := t.s.state.Load()
	info, ok := st.site.API.Texts[h]
	if !ok {
		return ledger.TextStatus{}
	}
	p := st.site.API.Policies[info.Policy]
	out := ledger.TextStatus{Approved: true, Lang: info.Lang}
	if e := p.At(at); e != nil {
		out.InForce = e.Edition == info.Edition
		out.Started = e.Edition >= info.Edition
	}
	return out
}

func (s *Server) consentRoutes(c *Consents) {
	c.Service.Texts = texts{s}
	c.tokens = newTokenSet(c.Tokens)
	s.consents = c
	s.mux.HandleFunc("/v1/consents", byMethod(map[string]http.HandlerFunc{
		http.MethodPost: s.authorized(ScopeWrite, s.postConsent), http.MethodGet: s.authorized(ScopeRead, s.listConsents)}))
	s.mux.HandleFunc("/v1/consents/status", byMethod(map[string]http.HandlerFunc{http.MethodGet: s.authorized(ScopeRead, s.consentStatus)}))
	s.mux.HandleFunc("/v1/consents/checkpoint", byMethod(map[string]http.HandlerFunc{http.MethodGet: s.checkpoint}))
	s.mux.HandleFunc("/v1/consents/{id}", byMethod(map[string]http.HandlerFunc{http.MethodGet: s.authorized(ScopeRead, s.getConsent)}))
	s.mux.HandleFunc("/v1/consents/{id}/proof", byMethod(map[string]http.HandlerFunc{http.MethodGet: s.authorized(ScopeRead, s.proof)}))
	s.mux.HandleFunc("/v1/consents/{id}/withdrawal", byMethod(map[string]http.HandlerFunc{http.MethodPost: s.authorized(ScopeWithdraw, s.withdraw)}))
}

// byMethod dispatches on the method; any other gets the 405 problem with
// Allow. HEAD goes where GET does.
func byMethod(hs map[string]http.HandlerFunc) http.HandlerFunc {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		if hs[m] != nil {
			allow = append(allow, m)
			if m == http.MethodGet {
				allow = append(allow, http.MethodHead)
			}
		}
	}
	return func(w http.ResponseWriter, r *http.Request) {
		m := r.Method
		if m == http.MethodHead {
			m = http.MethodGet
		}
		h := hs[m]
		if h == nil {
			w.Header().Set("Allow", strings.Join(allow, ", "))
			fail(w, r, http.StatusMethodNotAllowed, "allowed here: "+strings.Join(allow, ", "))
			return
		}
		h(w, r)
	}
}

// tokenHandler is a handler of the consent API, given the token the
// request was authorized with.
type tokenHandler func(w http.ResponseWriter, r *http.Request, t Token)

// authorized lets a request through with an accepted bearer token that
// carries scope: 401 without one, 403 without the scope.
func (s *Server) authorized(scope string, h tokenHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t, ok := s.consents.tokens.lookup(bearer(r))
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="saiasat"`)
			fail(w, r, http.StatusUnauthorized, "a valid bearer token is required")
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		if !t.Has(scope) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="saiasat", error="insufficient_scope", scope="`+scope+`"`)
			fail(w, r, http.StatusForbidden, "this token lacks the scope "+scope)
			return
		}
		h(w, r, t)
	}
}

// documentedFields reports whether b is a JSON object whose names are
// consent fields, exactly as written (encoding/json would take "Subject"
// for "subject"), each once (it would keep the last of two).
func documentedFields(b []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(b))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	seen := map[string]bool{}
	for dec.More() {
		t, err := dec.Token()
		k, ok := t.(string)
		if err != nil || !ok || !consentFields[k] || seen[k] {
			return false
		}
		seen[k] = true
		var v json.RawMessage
		if dec.Decode(&v) != nil {
			return false
		}
	}
	return true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		http.Error(w, "", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

func (s *Server) postConsent(w http.ResponseWriter, r *http.Request, t Token) {
	b, ok := readJSON(w, r, MaxConsentBody)
	if !ok {
		return
	}
	if !documentedFields(b) {
		fail(w, r, http.StatusBadRequest, "the body must be one JSON object with the documented fields, each once")
		return
	}
	var req ledger.ConsentRequest
	if err := json.Unmarshal(b, &req); err != nil {
		fail(w, r, http.StatusBadRequest, "the body must be one JSON object with the documented fields")
		return
	}
	// The body's form is checked before its idempotency key is looked up:
	// a malformed body is a 400 whatever key it carries.
	if msg := consentForm(&req); msg != "" {
		fail(w, r, http.StatusBadRequest, msg)
		return
	}
	req.Client = t.Client
	if vs := r.Header.Values("Idempotency-Key"); len(vs) > 0 {
		k, ok := idempotencyKey(vs)
		if !ok {
			fail(w, r, http.StatusBadRequest, "Idempotency-Key must be one string of 1 to 255 printable ASCII characters, quoted (\"…\") or bare; a bare key has no space, comma or quote")
			return
		}
		req.IdempotencyKey = k
	}
	got, err := s.consents.Service.Consent(r.Context(), req)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	rec := got.Record
	w.Header().Set("Location", "/v1/consents/"+rec.ID)
	if got.Replayed {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	doc := map[string]any{"id": rec.ID, "index": rec.Index, "recorded_at": rec.RecordedAt, "text_sha256": rec.TextSHA256, "receipt": nil}
	if got.Receipt != nil {
		doc["receipt"] = got.Receipt.Note
	}
	writeJSON(w, http.StatusCreated, doc)
}

// idempotencyKey reads the Idempotency-Key header: one field, a structured
// field string (RFC 8941: "…" with \" and \\ escapes), or, as many clients
// send it, the bare key.
func idempotencyKey(vs []string) (string, bool) {
	if len(vs) != 1 {
		return "", false
	}
	v := strings.TrimSpace(vs[0])
	if len(v) < 2 || v[0] != '"' {
		// A bare key has no quote, comma or space: "a, b" is two fields
		// that a proxy joined, not one key.
		return v, v != "" && !strings.ContainsAny(v, "\", \t")
	}
	var b strings.Builder
	for i := 1; i < len(v); i++ {
		switch c := v[i]; {
		case c == '"':
			return b.String(), i == len(v)-1 && b.Len() > 0
		case c == '\\':
			i++
			if i == len(v) || (v[i] != '"' && v[i] != '\\') {
				return "", false
			}
			b.WriteByte(v[i])
		default:
			b.WriteByte(c)
		}
	}
	return "", false // no closing quote
}

// recordDoc is a record as the API shows it, with a link to its text.
func recordDoc(r *ledger.Record) map[string]any {
	d := map[string]any{"id": r.ID, "index": r.Index, "kind": r.Kind, "recorded_at": r.RecordedAt}
	if r.Kind == ledger.KindConsent {
		d["text_sha256"], d["lang"], d["accepted_at"], d["channel"] = r.TextSHA256, r.Lang, r.AcceptedAt, r.Channel
		d["text_url"] = "/v1/texts/" + string(r.TextSHA256)
		if len(r.Evidence) > 0 {
			d["evidence"] = r.Evidence
		}
	} else {
		d["consent"] = r.Consent
	}
	if r.Client != "" {
		d["client"] = r.Client
	}
	return d
}

// subjectParam reads the subject= of a query: required, valid UTF-8 (a
// byte that is not would be replaced, and two customers become one).
func subjectParam(w http.ResponseWriter, r *http.Request) (string, bool) {
	subject := r.URL.Query().Get("subject")
	switch {
	case subject == "":
		fail(w, r, http.StatusBadRequest, "subject is required")
		return "", false
	case !utf8.ValidString(subject):
		fail(w, r, http.StatusBadRequest, "subject must be UTF-8")
		return "", false
	}
	return subject, true
}

// idParam reads the {id} of a path: a record id is 32 lowercase hex
// digits, so anything else names no record (404, without asking the
// store).
func idParam(w http.ResponseWriter, r *http.Request) (string, bool) {
	id := r.PathValue("id")
	ok := len(id) == 32
	for i := 0; ok && i < len(id); i++ {
		ok = '0' <= id[i] && id[i] <= '9' || 'a' <= id[i] && id[i] <= 'f'
	}
	if !ok {
		fail(w, r, http.StatusNotFound, "no record with that id")
	}
	return id, ok
}

func (s *Server) listConsents(w http.ResponseWriter, r *http.Request, t Token) {
	subject, ok := subjectParam(w, r)
	if !ok {
		return
	}
	page, ok := pageParams(w, r)
	if !ok {
		return
	}
	entries, next, err := s.consents.Service.Subject(r.Context(), caller(t), subject, page)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	out := []map[string]any{}
	for _, e := range entries {
		d := recordDoc(e.Consent)
		if e.Withdrawal != nil {
			d["withdrawal"] = recordDoc(e.Withdrawal)
		}
		out = append(out, d)
	}
	var nextCursor any // null on the last page
	if next != "" {
		nextCursor = next
		q := url.Values{"subject": {subject}, "cursor": {next}}
		if page.Limit != 0 {
			q.Set("limit", strconv.Itoa(page.Limit))
		}
		w.Header().Set("Link", "</v1/consents?"+q.Encode()+`>; rel="next"`)
	}
	writeJSON(w, http.StatusOK, map[string]any{"consents": out, "next_cursor": nextCursor})
}

func (s *Server) getConsent(w http.ResponseWriter, r *http.Request, t Token) {
	id, ok := idParam(w, r)
	if !ok {
		return
	}
	rec, err := s.consents.Service.Get(r.Context(), caller(t), id)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, recordDoc(rec))
}

func (s *Server) withdraw(w http.ResponseWriter, r *http.Request, t Token) {
	id, ok := idParam(w, r)
	if !ok {
		return
	}
	rec, err := s.consents.Service.Withdraw(r.Context(), caller(t), id)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, recordDoc(rec))
}

func (s *Server) proof(w http.ResponseWriter, r *http.Request, t Token) {
	id, ok := idParam(w, r)
	if !ok {
		return
	}
	p, err := s.consents.Service.Proof(r.Context(), caller(t), id)
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, p)
}

func (s *Server) checkpoint(w http.ResponseWriter, r *http.Request) {
	msg, err := s.consents.Service.LatestCheckpoint(r.Context())
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(msg)
}

// caller is who a request's token speaks for, to the ledger: its client,
// which reads and withdraws only its own records unless the token has
// read-all.
func caller(t Token) ledger.Caller {
	return ledger.Caller{Client: t.Client, ReadAll: t.Has(ScopeReadAll)}
}

// consentForm checks what a consent request must be whatever it asks
// for, and returns why it is not ("" if it is): the ledger looks an
// Idempotency-Key up before it judges the rest, so a malformed body with
// a used key would be answered 422 "used for another request" instead of
// 400. The subject's own rules (valid UTF-8, NFC, visible) are the
// ledger's, applied before the key is looked up.
func consentForm(req *ledger.ConsentRequest) string {
	switch {
	case req.Subject == "" || req.TextSHA256 == "" || req.Lang == "" || req.AcceptedAt == "" || req.Channel == "":
		return "subject, text_sha256, lang, accepted_at and channel are required"
	case len(req.Channel) > 64 || !utf8.ValidString(req.Channel):
		return "channel must be 1 to 64 characters of UTF-8, like web or app"
	case len(req.Evidence) > ledger.MaxEvidence:
		return "evidence is over 8 KiB"
	}
	if len(req.Evidence) > 0 {
		var obj map[string]json.RawMessage
		if !utf8.Valid(req.Evidence) || json.Unmarshal(req.Evidence, &obj) != nil || obj == nil {
			return "evidence must be a JSON object of valid UTF-8"
		}
	}
	if _, err := saiasat.ParseHash(req.TextSHA256); err != nil {
		return "text_sha256 must be sha256: and 64 lowercase hex digits"
	}
	if _, err := time.Parse(time.RFC3339Nano, req.AcceptedAt); err != nil {
		return "accepted_at must be an RFC 3339 instant"
	}
	return ""
}

// pageParams reads the limit= and cursor= of a listing: a limit is a
// decimal number from 1 to ledger.MaxLimit (default ledger.DefaultLimit),
// a cursor the next_cursor of the page before. Anything else is 400.
func pageParams(w http.ResponseWriter, r *http.Request) (ledger.Page, bool) {
	q := r.URL.Query()
	var p ledger.Page
	if vs, ok := q["limit"]; ok {
		n, err := strconv.Atoi(vs[0])
		if len(vs) != 1 || err != nil || n < 1 || n > ledger.MaxLimit || strconv.Itoa(n) != vs[0] {
			fail(w, r, http.StatusBadRequest, fmt.Sprintf("limit must be one number from 1 to %d", ledger.MaxLimit))
			return p, false
		}
		p.Limit = n
	}
	if vs, ok := q["cursor"]; ok {
		if len(vs) != 1 || vs[0] == "" {
			fail(w, r, http.StatusBadRequest, "cursor must be one next_cursor of an earlier page")
			return p, false
		}
		p.Cursor = vs[0]
	}
	return p, true
}
