// Package server serves the published site and the read-only version-hash
// API from memory: the site as publish builds it, every response computed
// at load, replaced whole on reload so no request sees half of two states.
package server

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/diff"
	"github.com/saiasat/saiasat/site"
)

//go:embed openapi.json
var openAPI []byte

// Loader builds the site of the approved releases on disk as of now,
// verifying every release as it loads.
type Loader func(now time.Time) (*site.Site, error)

// Options configure a Server.
type Options struct {
	Logger *slog.Logger
	// Consents, when set, serves the consent API under /v1/consents.
	Consents *Consents
	// Now is the clock; tests set it.
	Now func() time.Time
	// OnLoad, when set, is called after each load that succeeds: the
	// first, a Reload, and the reload when an edition comes into force.
	// saiasat serve tunes the garbage collector to the new site there.
	OnLoad func()
}

// Server is the HTTP handler of the site and the API.
type Server struct {
	load    Loader
	now     func() time.Time
	log     *slog.Logger
	metrics *metrics
	mux     *http.ServeMux

	state    atomic.Pointer[state]
	draining atomic.Bool
	consents *Consents
	reloadMu sync.Mutex
	timer    *time.Timer
	onLoad   func()
}

// state is everything one load serves.
type state struct {
	site    *site.Site
	etags   map[string]string // file path → strong ETag
	current map[*site.EditionAPI]map[saiasat.Lang]string
	texts   map[*site.EditionAPI]map[saiasat.Lang]saiasat.Hash // each edition's texts
	diffs   sync.Map                                           // "id/from/to/lang" → JSON, computed once
	// mdHeaders are the header values of each text's Markdown, made once:
	// building them per request cost allocations on the hottest route.
	mdHeaders map[saiasat.Hash]*headerValues
	diffCount atomic.Int64
}

// maxCachedDiffs bounds the diffs of non-consecutive editions kept in
// memory.
const maxCachedDiffs = 1000

// New loads the releases and returns the server; the load's error, if any,
// is returned and nothing is served.
func New(load Loader, opt Options) (*Server, error) {
	s := &Server{load: load, now: opt.Now, log: opt.Logger, metrics: newMetrics(), mux: http.NewServeMux(), onLoad: opt.OnLoad}
	if s.now == nil {
		s.now = time.Now
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if err := s.Reload(); err != nil {
		return nil, err
	}
	s.routes()
	if opt.Consents != nil {
		s.consentRoutes(opt.Consents)
	}
	return s, nil
}

// Reload loads the releases again and swaps the new state in; requests in
// flight finish with the state they started with. On error the old state
// stays.
func (s *Server) Reload() error {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	now := s.now()
	st, err := s.load(now)
	if err != nil {
		return err
	}
	AddStatic(st)
	// An approved edition never disappears: consent records name it.
	if old := s.state.Load(); old != nil {
		for v := range old.site.API.Versions {
			if _, ok := st.API.Versions[v]; !ok {
				return fmt.Errorf("reload refused: approved version %s is no longer on disk", v)
			}
		}
	}
	next := &state{site: st, etags: make(map[string]string, len(st.Files)), current: make(map[*site.EditionAPI]map[saiasat.Lang]string), texts: textsOf(st.API)}
	for p, b := range st.Files {
		next.etags[p] = etagOf(b)
	}
	next.mdHeaders = make(map[saiasat.Hash]*headerValues, len(st.API.Texts))
	for h, t := range st.API.Texts {
		// The exact canonical bytes: their SHA-256 is the hash in the URL.
		next.mdHeaders[h] = newHeaderValues("text/markdown; charset=utf-8", `"`+string(h)+`"`, Immutable, len(st.Files[t.MD]))
	}
	for _, p := range st.API.Policies {
		for _, e := range p.Editions {
			m := make(map[saiasat.Lang]string)
			for l, b := range e.Current {
				m[l] = etagOf(b)
			}
			next.current[e] = m
		}
	}
	s.state.Store(next)
	// The pages of the edition in force change when the next edition's
	// date comes: load again then.
	if s.timer != nil {
		s.timer.Stop()
	}
	if !st.NextChange.IsZero() {
		s.timer = time.AfterFunc(st.NextChange.Sub(now)+time.Second, s.reloadAtEffectiveDate)
	}
	attrs := []any{"files", len(st.Files), "policies", len(st.API.Order), "without_approved_release", st.Skipped}
	if !st.NextChange.IsZero() {
		// A zero time would read as a date in year 1: say nothing instead.
		attrs = append(attrs, "next_change", st.NextChange)
	}
	s.log.Info("loaded", attrs...)
	if s.onLoad != nil {
		s.onLoad()
	}
	return nil
}

// reloadAtEffectiveDate reloads when an edition comes into force, trying
// again every minute until it succeeds.
func (s *Server) reloadAtEffectiveDate() {
	if err := s.Reload(); err != nil {
		s.log.Error("reload at effective date failed; retrying in a minute", "err", err)
		s.reloadMu.Lock()
		s.timer = time.AfterFunc(time.Minute, s.reloadAtEffectiveDate)
		s.reloadMu.Unlock()
	}
}

// Drain makes /readyz answer 503, so a load balancer stops sending
// requests before shutdown.
func (s *Server) Drain() { s.draining.Store(true) }

// Close stops the reload timer.
func (s *Server) Close() {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	if s.timer != nil {
		s.timer.Stop()
	}
}

func (s *Server) routes() {
	s.mux.Handle("/healthz", get(func(w http.ResponseWriter, r *http.Request) {
		plain(w, r, "ok\n")
	}))
	s.mux.Handle("/readyz", get(func(w http.ResponseWriter, r *http.Request) {
		if s.state.Load() == nil || s.draining.Load() {
			fail(w, r, http.StatusServiceUnavailable, "not ready")
			return
		}
		plain(w, r, "ready\n")
	}))
	s.mux.Handle("/metrics", get(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		s.metrics.write(w)
	}))
	s.mux.Handle("/v1/openapi.json", get(func(w http.ResponseWriter, r *http.Request) {
		if !acceptsJSON(w, r) {
			return
		}
		serve(w, r, "application/json", openAPI, etagOf(openAPI), "public, max-age=300")
	}))
	s.mux.Handle("/v1/policies", get(s.policies))
	s.mux.Handle("/v1/policies/{id}/current", get(s.current))
	s.mux.Handle("/v1/policies/{id}/editions", get(s.editions))
	s.mux.Handle("/v1/policies/{id}/diff", get(s.diff))
	s.mux.Handle("/v1/versions/{hash}", get(s.version))
	s.mux.Handle(textRoute, get(s.text))
	s.mux.Handle("/", get(s.file))
}

// get allows GET and HEAD only: any other method is a 405 with Allow.
func get(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			fail(w, r, http.StatusMethodNotAllowed, "only GET and HEAD are allowed here")
			return
		}
		h(w, r)
	})
}

// Immutable is the Cache-Control of content addressed by its hash.
const Immutable = "public, max-age=31536000, immutable"

func etagOf(b []byte) string {
	sum := sha256.Sum256(b)
	return `"sha256:` + hex.EncodeToString(sum[:]) + `"`
}

// serve writes body with its validators, or 304 when the client has it.
func serve(w http.ResponseWriter, r *http.Request, contentType string, body []byte, etag, cacheControl string) {
	h := w.Header()
	h["Content-Type"] = []string{contentType}
	h["Etag"] = []string{etag}
	h["Cache-Control"] = []string{cacheControl}
	if match := r.Header.Get("If-None-Match"); match != "" && etagMatches(match, etag) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

// headerValues are the values serve sets, as the header map holds them.
type headerValues struct {
	contentType, etag, cacheControl, length []string
}

func newHeaderValues(contentType, etag, cacheControl string, length int) *headerValues {
	return &headerValues{[]string{contentType}, []string{etag}, []string{cacheControl}, []string{strconv.Itoa(length)}}
}

// servePrepared is serve with header values made in advance; the slices
// are shared between requests and never written.
func servePrepared(w http.ResponseWriter, r *http.Request, body []byte, v *headerValues) {
	h := w.Header()
	h["Content-Type"] = v.contentType
	h["Etag"] = v.etag
	h["Cache-Control"] = v.cacheControl
	if match := r.Header["If-None-Match"]; len(match) > 0 && etagMatches(strings.Join(match, ","), v.etag[0]) {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h["Content-Length"] = v.length
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}

var varyAccept = []string{"Accept"}

func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		t = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(t), "W/"))
		if t == etag || t == "*" {
			return true
		}
	}
	return false
}

func plain(w http.ResponseWriter, r *http.Request, s string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if r.Method != http.MethodHead {
		w.Write([]byte(s))
	}
}

func acceptsJSON(w http.ResponseWriter, r *http.Request) bool {
	if negotiate(r.Header.Get("Accept"), "application/json") == "" {
		fail(w, r, http.StatusNotAcceptable, "this resource is application/json")
		return false
	}
	return true
}

func (s *Server) policies(w http.ResponseWriter, r *http.Request) {
	st := s.state.Load()
	if !acceptsJSON(w, r) {
		return
	}
	p := st.site.API.PoliciesPath
	serve(w, r, "application/json", st.site.Files[p], st.etags[p], "public, max-age=60")
}

func policyOf(w http.ResponseWriter, r *http.Request, st *state) *site.PolicyAPI {
	p := st.site.API.Policies[r.PathValue("id")]
	if p == nil {
		fail(w, r, http.StatusNotFound, "no such policy")
	}
	return p
}

func (s *Server) current(w http.ResponseWriter, r *http.Request) {
	st := s.state.Load()
	p := policyOf(w, r, st)
	if p == nil {
		return
	}
	q := r.URL.Query()
	lang := saiasat.Lang(q.Get("lang"))
	if !containsLang(p.Languages, lang) {
		fail(w, r, http.StatusBadRequest, fmt.Sprintf("lang must be one of %v", p.Languages))
		return
	}
	at := s.now()
	if v := q.Get("at"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			fail(w, r, http.StatusBadRequest, "at must be an RFC 3339 instant, like 2026-11-30T19:00:00Z (a + in an offset is written %2B in a query)")
			return
		}
		at = t
	}
	e := p.At(at)
	if e == nil {
		fail(w, r, http.StatusNotFound, "no edition in force at that instant")
		return
	}
	if !acceptsJSON(w, r) {
		return
	}
	body, ok := e.Current[lang]
	if !ok {
		fail(w, r, http.StatusNotFound, "the edition in force at that instant has no text in that language")
		return
	}
	serve(w, r, "application/json", body, st.current[e][lang], "public, max-age=60")
}

func containsLang(ls []saiasat.Lang, l saiasat.Lang) bool {
	for _, x := range ls {
		if x == l {
			return true
		}
	}
	return false
}

func (s *Server) editions(w http.ResponseWriter, r *http.Request) {
	st := s.state.Load()
	p := policyOf(w, r, st)
	if p == nil || !acceptsJSON(w, r) {
		return
	}
	serve(w, r, "application/json", st.site.Files[p.EditionsPath], st.etags[p.EditionsPath], "public, max-age=60")
}

func (s *Server) diff(w http.ResponseWriter, r *http.Request) {
	st := s.state.Load()
	p := policyOf(w, r, st)
	if p == nil {
		return
	}
	q := r.URL.Query()
	from, ok1 := editionNumber(q.Get("from"))
	to, ok2 := editionNumber(q.Get("to"))
	if !ok1 || !ok2 {
		fail(w, r, http.StatusBadRequest, "from and to must be edition numbers")
		return
	}
	lang := saiasat.Lang(q.Get("lang"))
	if lang != "" && !containsLang(p.Languages, lang) {
		fail(w, r, http.StatusBadRequest, fmt.Sprintf("lang must be one of %v", p.Languages))
		return
	}
	var a, b *site.EditionAPI
	for _, e := range p.Editions {
		if e.Edition == from {
			a = e
		}
		if e.Edition == to {
			b = e
		}
	}
	if a == nil || b == nil {
		fail(w, r, http.StatusNotFound, "no such approved edition")
		return
	}
	if !acceptsJSON(w, r) {
		return
	}
	name := fmt.Sprintf("%d-%d", from, to)
	if lang != "" {
		name += "." + string(lang)
	}
	if path, ok := p.Diffs[name]; ok {
		serve(w, r, "application/json", st.site.Files[path], st.etags[path], "public, max-age=300")
		return
	}
	key := fmt.Sprintf("%s/%d/%d/%s", p.ID, from, to, lang)
	body, ok := st.diffs.Load(key)
	if !ok {
		va, vb := a.Diff, b.Diff
		if lang != "" {
			va, vb = oneLang(va, lang), oneLang(vb, lang)
		}
		b, err := site.JSON(diff.Compare(va, vb).JSON(false))
		if err != nil {
			s.log.Error("diff", "err", err)
			fail(w, r, http.StatusInternalServerError, "")
			return
		}
		body = b
		// Other pairs are computed on first request and kept, up to a
		// bound: anyone may ask for every pair.
		if st.diffCount.Add(1) <= maxCachedDiffs {
			body, _ = st.diffs.LoadOrStore(key, b)
		}
	}
	b2 := body.([]byte)
	serve(w, r, "application/json", b2, etagOf(b2), "public, max-age=300")
}

// editionNumber reads an edition number as written: "2", not "+2" or "02".
func editionNumber(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n > 0 && strconv.Itoa(n) == s
}

func oneLang(v *diff.Version, l saiasat.Lang) *diff.Version {
	c := *v
	c.Languages = []saiasat.Lang{l}
	return &c
}

func (s *Server) version(w http.ResponseWriter, r *http.Request) {
	st := s.state.Load()
	h, err := saiasat.ParseHash(r.PathValue("hash"))
	if err != nil {
		fail(w, r, http.StatusBadRequest, "a version is sha256: and 64 lowercase hex digits")
		return
	}
	p, ok := st.site.API.Versions[h]
	if !ok {
		fail(w, r, http.StatusNotFound, "no approved edition has that version hash")
		return
	}
	if !acceptsJSON(w, r) {
		return
	}
	serve(w, r, "application/json", st.site.Files[p], `"`+string(h)+`"`, Immutable)
}

func (s *Server) text(w http.ResponseWriter, r *http.Request) {
	s.textNamed(w, r, r.PathValue("name"))
}

// textRoute is the text route's pattern, its label in logs and metrics.
const textRoute = "/v1/texts/{name}"

// textNamed answers the text route for name, the path's last segment.
func (s *Server) textNamed(w http.ResponseWriter, r *http.Request, name string) {
	st := s.state.Load()
	raw, pdf := strings.CutSuffix(name, ".pdf")
	if !pdf {
		// The same URL is Markdown or a page, by Accept: caches must know.
		w.Header()["Vary"] = varyAccept
	}
	h, err := saiasat.ParseHash(raw)
	if err != nil {
		fail(w, r, http.StatusBadRequest, "a text is sha256: and 64 lowercase hex digits, optionally .pdf")
		return
	}
	t, ok := st.site.API.Texts[h]
	if !ok {
		fail(w, r, http.StatusNotFound, "no approved text has that hash")
		return
	}
	if pdf {
		if negotiate(r.Header.Get("Accept"), "application/pdf") == "" {
			fail(w, r, http.StatusNotAcceptable, "this resource is application/pdf")
			return
		}
		// Rendered from the text: a new renderer may change its bytes, so
		// it is revalidated, unlike the text itself.
		serve(w, r, "application/pdf", st.site.Files[t.PDF], st.etags[t.PDF], "public, max-age=86400")
		return
	}
	switch negotiate(r.Header.Get("Accept"), "text/markdown", "text/plain", "text/html") {
	case "text/markdown", "text/plain":
		servePrepared(w, r, st.site.Files[t.MD], st.mdHeaders[h])
	case "text/html":
		s.securityHTML(w)
		serve(w, r, "text/html; charset=utf-8", st.site.Files[t.HTML], st.etags[t.HTML], "public, max-age=300")
	default:
		fail(w, r, http.StatusNotAcceptable, "this text is text/markdown, or text/html as a page")
	}
}

// file serves the published site from memory; nothing on disk is ever
// opened, so no path can reach outside the published set.
func (s *Server) file(w http.ResponseWriter, r *http.Request) {
	st := s.state.Load()
	p := strings.TrimPrefix(r.URL.Path, "/")
	if p == "" || strings.HasSuffix(p, "/") {
		p += "index.html"
	}
	body, ok := st.site.Files[p]
	if !ok {
		if _, dir := st.site.Files[p+"/index.html"]; dir && !strings.Contains(p, "//") {
			http.Redirect(w, r, "/"+p+"/", http.StatusMovedPermanently)
			return
		}
		s.pageNotFound(w, r, st.site.Files)
		return
	}
	ct := contentType(p)
	if strings.HasPrefix(ct, "text/html") {
		s.securityHTML(w)
	}
	cache := "public, max-age=300"
	// Only what a hash names in its path: the texts, the manifests and the
	// fonts (their file names carry their content's hash).
	if (strings.HasPrefix(p, "api/v1/texts/") && strings.HasSuffix(p, ".md")) || strings.HasPrefix(p, "api/v1/versions/") ||
		(strings.HasPrefix(p, "assets/fonts/") && strings.HasSuffix(p, ".woff")) {
		cache = Immutable
	}
	serve(w, r, ct, body, st.etags[p], cache)
}

func contentType(p string) string {
	switch path.Ext(p) {
	case ".html":
		return "text/html; charset=utf-8"
	case ".md":
		return "text/markdown; charset=utf-8"
	case ".xml":
		return "application/atom+xml; charset=utf-8"
	case ".json":
		return "application/json"
	case ".woff":
		return "font/woff"
	}
	if t := mime.TypeByExtension(path.Ext(p)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// CSP of HTML pages: the site has no script, no inline style, and fetches
// nothing from any other host; its style sheet and fonts are its own.
const htmlCSP = "default-src 'none'; style-src 'self'; font-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

func (s *Server) securityHTML(w http.ResponseWriter) {
	w.Header().Set("Content-Security-Policy", htmlCSP)
}

// statusWriter records the status and size of a response.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// ServeHTTP sets the security headers every response carries, recovers
// from panics as a 500 that says nothing internal, and logs and counts one
// line per request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	sw := &statusWriter{ResponseWriter: w}
	h := w.Header()
	// Assigned one by one: ranging over the map cost a measurable share
	// of a request (docs/benchmarks.md).
	h["X-Content-Type-Options"] = secNosniff
	h["Referrer-Policy"] = secReferrer
	h["X-Frame-Options"] = secFrame
	h["Content-Security-Policy"] = secCSP
	route := ""
	defer func() {
		if v := recover(); v != nil {
			if errors.Is(asError(v), http.ErrAbortHandler) {
				panic(v)
			}
			s.log.Error("panic", "path", r.URL.Path, "panic", fmt.Sprint(v))
			if sw.status == 0 {
				fail(sw, r, http.StatusInternalServerError, "")
			}
		}
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		if route == "" {
			route = r.Pattern
		}
		if route == "" {
			route = "other"
		}
		d := time.Since(start)
		s.metrics.observe(route, sw.status, d)
		// LogAttrs: typed attributes, not boxed in an ...any per request.
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request", slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.String("route", route), slog.Int("status", sw.status), slog.Int("bytes", sw.bytes), slog.Duration("duration", d))
	}()
	// Only GET and HEAD, but for the consent API's POSTs: checked before the
	// mux, so CONNECT and OPTIONS get the same 405 problem as any other.
	consentPost := r.Method == http.MethodPost && s.consents != nil && strings.HasPrefix(r.URL.Path, "/v1/consents")
	if r.Method != http.MethodGet && r.Method != http.MethodHead && !consentPost {
		h["Allow"] = []string{"GET, HEAD"}
		fail(sw, r, http.StatusMethodNotAllowed, "only GET and HEAD are allowed here")
		return
	}
	// A text by hash, the hottest read, is routed here without the mux:
	// its pattern match and path cleaning were a tenth of the request's
	// CPU under wrk. A name with a slash, a dot segment or an escape is
	// left to the mux, which cleans and redirects as before.
	if name, ok := strings.CutPrefix(r.URL.Path, "/v1/texts/"); ok && name != "" && r.URL.RawPath == "" &&
		!strings.Contains(name, "/") && name != "." && name != ".." && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		route = textRoute
		s.textNamed(sw, r, name)
		return
	}
	s.mux.ServeHTTP(sw, r)
}

// The security headers every response carries; their slices are shared
// and never written.
var (
	secNosniff  = []string{"nosniff"}
	secReferrer = []string{"no-referrer"}
	secFrame    = []string{"DENY"}
	secCSP      = []string{"default-src 'none'; frame-ancestors 'none'"}
)

// securityHeaders are those headers by name.
var securityHeaders = map[string][]string{
	"X-Content-Type-Options":  secNosniff,
	"Referrer-Policy":         secReferrer,
	"X-Frame-Options":         secFrame,
	"Content-Security-Policy": secCSP,
}

func asError(v any) error {
	if err, ok := v.(error); ok {
		return err
	}
	return nil
}
