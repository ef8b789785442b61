package server

import (
	"encoding/json"
	"net/http"
)

// problem is an RFC 9457 problem details document. Detail says what the
// caller sent wrong, never what went wrong inside.
type problem struct {
	Type     string `json:"type"`
	Title    string `json:"title"`
	Status   int    `json:"status"`
	Detail   string `json:"detail,omitempty"`
	Instance string `json:"instance,omitempty"`
}

// fail writes a problem+json response; the one place statuses meet bodies.
func fail(w http.ResponseWriter, r *http.Request, status int, detail string) {
	h := w.Header()
	h.Set("Content-Type", "application/problem+json")
	h.Set("Cache-Control", "no-store")
	h.Del("ETag")
	w.WriteHeader(status)
	if r.Method == http.MethodHead {
		return
	}
	b, _ := json.Marshal(problem{Type: "about:blank", Title: http.StatusText(status), Status: status, Detail: detail, Instance: r.URL.Path})
	w.Write(append(b, '\n'))
}
