package server

import (
	"bytes"
	"encoding/json"
	"log"
	"net"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"
)

// HTTPServer returns the http.Server that runs h as saiasat serve does:
// header, read, write and idle timeouts (5 s, 10 s, 30 s, 120 s) and a
// 16 KiB header limit. Serve it on Listener(ln), so that net/http's own
// answers are problem+json too.
func HTTPServer(h http.Handler, errorLog *log.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       10 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    MaxHeaderBytes,
		// "OPTIONS *" reaches the handler, which allows GET and HEAD only.
		DisableGeneralOptionsHandler: true,
		ErrorLog:                     errorLog,
	}
}

// MaxHeaderBytes bounds a request's header; net/http answers 431 beyond
// it (allowing itself 4 KiB of slack).
const MaxHeaderBytes = 16 << 10

// Listener wraps ln so that the answers net/http writes on its own, before
// any handler runs — 431 for a header over the limit, 400 for a malformed
// request, 501 for a transfer coding it does not know, 417 for an Expect it
// cannot meet — are problem+json documents with the security headers,
// like every other error. net/http writes them straight to the connection
// as text/plain, each in one Write, in a form no handler here produces
// (handlers always set the security headers), which is how they are told
// apart.
func Listener(ln net.Listener) net.Listener { return problemListener{ln} }

type problemListener struct{ net.Listener }

func (l problemListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return problemConn{c}, nil
}

type problemConn struct{ net.Conn }

func (c problemConn) Write(p []byte) (int, error) {
	q, ok := rewriteOwnAnswer(p)
	if !ok {
		return c.Conn.Write(p)
	}
	if _, err := c.Conn.Write(q); err != nil {
		return 0, err
	}
	return len(p), nil
}

// CloseWrite keeps net/http's half-close after a 431, which lets the
// client read the answer before the connection goes.
func (c problemConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// goErrorHeaders is what net/http writes after the status line of its own
// error answers (net/http/server.go, conn.serve).
const goErrorHeaders = "\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n"

// rewriteOwnAnswer returns the problem+json form of one of net/http's own
// answers, or false if p is not one.
func rewriteOwnAnswer(p []byte) ([]byte, bool) {
	rest, ok := bytes.CutPrefix(p, []byte("HTTP/1.1 "))
	if !ok || len(rest) < 4 {
		return nil, false
	}
	code, err := strconv.Atoi(string(rest[:3]))
	if err != nil || code < 400 || rest[3] != ' ' {
		return nil, false
	}
	var detail string
	if status, body, ok := bytes.Cut(rest, []byte(goErrorHeaders)); ok && !bytes.Contains(status, []byte("\r\n")) {
		// The body repeats the status line ("400 Bad Request: missing
		// required Host header") or says what was wrong ("Unsupported
		// transfer encoding"): net/http's public texts, no internals.
		d := strings.TrimPrefix(string(body), strconv.Itoa(code)+" "+http.StatusText(code))
		detail = strings.TrimSpace(strings.TrimPrefix(d, ":"))
		switch {
		case code == http.StatusRequestHeaderFieldsTooLarge:
			detail = "the request header is over 16 KiB"
		case detail == "":
			detail = "malformed HTTP request"
		}
	} else if code == http.StatusExpectationFailed && bytes.HasSuffix(p, []byte("\r\n\r\n")) && !bytes.Contains(p, []byte("\r\nX-Content-Type-Options:")) {
		// sendExpectationFailed: headers only, through the response writer.
		detail = "only Expect: 100-continue is supported"
	} else {
		return nil, false
	}
	if detail != "" {
		detail = strings.ToLower(detail[:1]) + detail[1:]
	}
	b, _ := json.Marshal(problem{Type: "about:blank", Title: http.StatusText(code), Status: code, Detail: detail})
	b = append(b, '\n')
	var out bytes.Buffer
	out.WriteString("HTTP/1.1 " + strconv.Itoa(code) + " " + http.StatusText(code) + "\r\n")
	hdr := http.Header{
		"Content-Type":   {"application/problem+json"},
		"Cache-Control":  {"no-store"},
		"Connection":     {"close"},
		"Content-Length": {strconv.Itoa(len(b))},
		"Date":           {time.Now().UTC().Format(http.TimeFormat)},
	}
	for k, v := range securityHeaders {
		hdr[k] = v
	}
	keys := make([]string, 0, len(hdr))
	for k := range hdr {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		out.WriteString(k + ": " + hdr[k][0] + "\r\n")
	}
	out.WriteString("\r\n")
	out.Write(b)
	return out.Bytes(), true
}
