package server

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/ledger"
)

// Consents configures the consent API: the service that records, and the
// bearer tokens accepted (never logged).
type Consents struct {
	Service *ledger.Service
	Tokens  []string
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
	s.consents = c
	s.mux.HandleFunc("/v1/consents", byMethod(map[string]http.HandlerFunc{
		http.MethodPost: s.authorized(s.postConsent), http.MethodGet: s.authorized(s.listConsents)}))
	s.mux.HandleFunc("/v1/consents/checkpoint", byMethod(map[string]http.HandlerFunc{http.MethodGet: s.checkpoint}))
	s.mux.HandleFunc("/v1/consents/{id}", byMethod(map[string]http.HandlerFunc{http.MethodGet: s.authorized(s.getConsent)}))
	s.mux.HandleFunc("/v1/consents/{id}/proof", byMethod(map[string]http.HandlerFunc{http.MethodGet: s.authorized(s.proof)}))
	s.mux.HandleFunc("/v1/consents/{id}/withdrawal", byMethod(map[string]http.HandlerFunc{http.MethodPost: s.authorized(s.withdraw)}))
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

// authorized lets a request through with one of the accepted bearer
// tokens, compared in constant time.
func (s *Server) authorized(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		// The scheme is case-insensitive (RFC 7235, section 2.1).
		auth := r.Header.Get("Authorization")
		scheme, token, ok := strings.Cut(auth, " ")
		ok = ok && strings.EqualFold(scheme, "Bearer")
		// Digests are compared, not the tokens: ConstantTimeCompare returns
		// at once on a length mismatch, which would tell a token's length.
		got := sha256.Sum256([]byte(token))
		valid := 0
		for _, t := range s.consents.Tokens {
			want := sha256.Sum256([]byte(t))
			valid |= subtle.ConstantTimeCompare(got[:], want[:])
		}
		if !ok || token == "" || valid != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="saiasat"`)
			fail(w, r, http.StatusUnauthorized, "a valid bearer token is required")
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		h(w, r)
	}
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

func (s *Server) postConsent(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxConsentBody)
	dec := json.NewDecoder(r.Body)
	var fields map[string]json.RawMessage
	if err := dec.Decode(&fields); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			fail(w, r, http.StatusRequestEntityTooLarge, "the body is over 16 KiB")
			return
		}
		fail(w, r, http.StatusBadRequest, "the body must be one JSON object with the documented fields")
		return
	}
	if dec.More() {
		fail(w, r, http.StatusBadRequest, "the body must be one JSON object")
		return
	}
	// Exact field names: encoding/json would take "Subject" for "subject".
	for k := range fields {
		if !consentFields[k] {
			fail(w, r, http.StatusBadRequest, "the body must be one JSON object with the documented fields")
			return
		}
	}
	raw, _ := json.Marshal(fields)
	var req ledger.ConsentRequest
	if err := json.Unmarshal(raw, &req); err != nil {
		fail(w, r, http.StatusBadRequest, "the body must be one JSON object with the documented fields")
		return
	}
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
	return d
}

// fullScope is the caller every token is until tokens carry scopes: it
// reads and withdraws every record.
var fullScope = ledger.Caller{ReadAll: true}

func (s *Server) listConsents(w http.ResponseWriter, r *http.Request) {
	subject := r.URL.Query().Get("subject")
	if subject == "" {
		fail(w, r, http.StatusBadRequest, "subject is required")
		return
	}
	entries, _, err := s.consents.Service.Subject(r.Context(), fullScope, subject, ledger.Page{})
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
	writeJSON(w, http.StatusOK, map[string]any{"consents": out})
}

func (s *Server) getConsent(w http.ResponseWriter, r *http.Request) {
	rec, err := s.consents.Service.Get(r.Context(), fullScope, r.PathValue("id"))
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, recordDoc(rec))
}

func (s *Server) withdraw(w http.ResponseWriter, r *http.Request) {
	rec, err := s.consents.Service.Withdraw(r.Context(), fullScope, r.PathValue("id"))
	if err != nil {
		s.failErr(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, recordDoc(rec))
}

func (s *Server) proof(w http.ResponseWriter, r *http.Request) {
	p, err := s.consents.Service.Proof(r.Context(), fullScope, r.PathValue("id"))
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
