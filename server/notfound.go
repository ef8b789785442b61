package server

import (
	"net/http"
	"strings"
)

// pageNotFound answers a path the site does not have. A browser (its Accept
// prefers HTML) gets the site's own 404 page in the language of the path's
// first segment ("/ru/…" → ru/404.html; both languages elsewhere), as
// publish wrote it; an API client, or anyone who does not ask for HTML,
// gets problem+json as for every other error, and so does any path of the
// API (/v1/, and its mirror /api/).
func (s *Server) pageNotFound(w http.ResponseWriter, r *http.Request, files map[string][]byte) {
	api := strings.HasPrefix(r.URL.Path, "/v1/") || strings.HasPrefix(r.URL.Path, "/api/")
	if api || negotiate(r.Header.Get("Accept"), "application/problem+json", "text/html") != "text/html" {
		fail(w, r, http.StatusNotFound, "no such page")
		return
	}
	page := "404.html"
	if lang, _, ok := strings.Cut(strings.TrimPrefix(r.URL.Path, "/"), "/"); ok {
		if _, has := files[lang+"/404.html"]; has {
			page = lang + "/404.html"
		}
	}
	body, ok := files[page]
	if !ok {
		fail(w, r, http.StatusNotFound, "no such page")
		return
	}
	s.securityHTML(w)
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Vary", "Accept")
	w.WriteHeader(http.StatusNotFound)
	if r.Method != http.MethodHead {
		w.Write(body)
	}
}
