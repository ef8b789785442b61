package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"os"
	"strings"
	"unicode/utf8"
)

// readJSON reads a request body whole, or answers why not and returns
// false: a body is accepted only when it is application/json (UTF-8, not
// encoded), within max and its declared length, arrived in full, and is
// exactly one JSON value of valid Unicode with nothing but white space
// after it. Only then may anything be recorded from it.
func readJSON(w http.ResponseWriter, r *http.Request, max int64) ([]byte, bool) {
	for _, ce := range r.Header.Values("Content-Encoding") {
		for _, c := range strings.Split(ce, ",") {
			if c = strings.TrimSpace(c); c != "" && !strings.EqualFold(c, "identity") {
				fail(w, r, http.StatusUnsupportedMediaType, "Content-Encoding is not decoded here: send the body as is")
				return nil, false
			}
		}
	}
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if cs, ok := params["charset"]; err != nil || mt != "application/json" || (ok && !strings.EqualFold(cs, "utf-8")) {
		fail(w, r, http.StatusUnsupportedMediaType, "Content-Type must be application/json (UTF-8)")
		return nil, false
	}
	// A declared length over the limit is refused before a byte is read.
	if r.ContentLength > max {
		fail(w, r, http.StatusRequestEntityTooLarge, "the body is over 16 KiB")
		return nil, false
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, max))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		fail(w, r, http.StatusRequestEntityTooLarge, "the body is over 16 KiB")
		return nil, false
	case errors.Is(err, os.ErrDeadlineExceeded):
		// The declared length never arrived: the server's read timeout.
		fail(w, r, http.StatusRequestTimeout, "the body did not arrive in full in time")
		return nil, false
	case err != nil:
		// Cut short: the connection closed before the declared length.
		fail(w, r, http.StatusBadRequest, "the body ended before its declared length")
		return nil, false
	case r.ContentLength >= 0 && int64(len(b)) != r.ContentLength:
		fail(w, r, http.StatusBadRequest, "the body is not of its declared length")
		return nil, false
	}
	if !validJSONText(b) {
		fail(w, r, http.StatusBadRequest, "the body must be UTF-8 JSON: invalid UTF-8 or an unpaired surrogate escape")
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	var v json.RawMessage
	if err := dec.Decode(&v); err != nil {
		fail(w, r, http.StatusBadRequest, "the body must be one JSON object with the documented fields")
		return nil, false
	}
	for _, c := range b[dec.InputOffset():] {
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			fail(w, r, http.StatusBadRequest, "the body must be one JSON value with nothing after it")
			return nil, false
		}
	}
	return v, true
}

// validJSONText reports whether b is valid UTF-8 with no \u escape of an
// unpaired surrogate: encoding/json would turn either into U+FFFD, so two
// different subjects would become one, and evidence would not read back
// as it was sent. It does not check JSON syntax; the decoder does.
func validJSONText(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	inString := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if !inString {
			inString = c == '"'
			continue
		}
		switch c {
		case '"':
			inString = false
		case '\\':
			if i+1 < len(b) && b[i+1] == 'u' {
				r, ok := hex4(b, i+2)
				if ok && r >= 0xD800 && r <= 0xDBFF {
					// A high surrogate must be followed by a low one.
					lo, ok2 := hex4(b, i+8)
					if !ok2 || b[i+6] != '\\' || b[i+7] != 'u' || lo < 0xDC00 || lo > 0xDFFF {
						return false
					}
					i += 11
					continue
				}
				if ok && r >= 0xDC00 && r <= 0xDFFF {
					return false
				}
			}
			i++ // the escaped character
		}
	}
	return true
}

// hex4 reads four hex digits at b[i:], if there are.
func hex4(b []byte, i int) (rune, bool) {
	if i < 0 || i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			r = r<<4 | rune(c-'0')
		case 'a' <= c && c <= 'f':
			r = r<<4 | rune(c-'a'+10)
		case 'A' <= c && c <= 'F':
			r = r<<4 | rune(c-'A'+10)
		default:
			return 0, false
		}
	}
	return r, true
}
