package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/saiasat/saiasat/server"
)

// BenchmarkCurrent is the handler's own cost for GET current, no network.
func BenchmarkCurrent(b *testing.B) {
	s := newServer(b, twoEditions(b), now)
	r := httptest.NewRequest("GET", "/v1/policies/privacy/current?lang=kk", nil)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
	}
}

// BenchmarkText is the handler's own cost for GET a text by hash.
func BenchmarkText(b *testing.B) {
	s := newServer(b, twoEditions(b), now)
	r := httptest.NewRequest("GET", "/v1/texts/"+kk1, nil)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		s.ServeHTTP(w, r)
	}
}

// discard is a ResponseWriter that keeps headers and drops the body, so
// a benchmark measures the handler, not a recorder's buffer.
type discard struct{ h http.Header }

func (d *discard) Header() http.Header         { return d.h }
func (d *discard) Write(b []byte) (int, error) { return len(b), nil }
func (d *discard) WriteHeader(int)             {}

// BenchmarkTextHandler is the handler's own cost for GET a text by hash,
// as wrk asks it (no Accept), with the log line written to io.Discard by
// the same text handler serve uses; BenchmarkTextReference is what the
// reference server of bench/nethttp does for the same request with the
// same features (security and caching headers, a log line).
func BenchmarkTextHandler(b *testing.B) {
	s, err := server.New(loader(twoEditions(b)), server.Options{Now: func() time.Time { return now }, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	r := httptest.NewRequest("GET", "/v1/texts/"+kk1, nil)
	b.ReportAllocs()
	for b.Loop() {
		s.ServeHTTP(&discard{h: make(http.Header)}, r)
	}
}

func BenchmarkTextReference(b *testing.B) {
	body := make([]byte, 30789)
	length := []string{strconv.Itoa(len(body))}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		hd := w.Header()
		hd["X-Content-Type-Options"] = []string{"nosniff"}
		hd["Referrer-Policy"] = []string{"no-referrer"}
		hd["X-Frame-Options"] = []string{"DENY"}
		hd["Content-Security-Policy"] = []string{"default-src 'none'; frame-ancestors 'none'"}
		hd["Etag"] = []string{`"sha256:0000000000000000000000000000000000000000000000000000000000000000"`}
		hd["Cache-Control"] = []string{"public, max-age=60"}
		hd["Vary"] = []string{"Accept"}
		hd["Content-Type"] = []string{"application/octet-stream"}
		hd["Content-Length"] = length
		w.Write(body)
		log.Info("request", "method", r.Method, "path", r.URL.Path, "status", http.StatusOK, "bytes", len(body), "duration", time.Since(start))
	})
	r := httptest.NewRequest("GET", "/v1/texts/"+kk1, nil)
	b.ReportAllocs()
	for b.Loop() {
		h.ServeHTTP(&discard{h: make(http.Header)}, r)
	}
}
