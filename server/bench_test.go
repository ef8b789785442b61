package server_test

import (
	"net/http/httptest"
	"testing"
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
