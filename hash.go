package saiasat

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Hash names bytes by their SHA-256: "sha256:" and 64 lowercase hex digits,
// so that `sha256sum` of the same bytes shows the same digits.
type Hash string

// HashPrefix starts every Hash.
const HashPrefix = "sha256:"

// HashBytes returns the Hash of b.
func HashBytes(b []byte) Hash {
	sum := sha256.Sum256(b)
	return Hash(HashPrefix + hex.EncodeToString(sum[:]))
}

// Hex returns the hex digits of h without the prefix.
func (h Hash) Hex() string { return strings.TrimPrefix(string(h), HashPrefix) }

// ParseHash checks that s is a well-formed Hash.
func ParseHash(s string) (Hash, error) {
	hexPart, ok := strings.CutPrefix(s, HashPrefix)
	if !ok || len(hexPart) != 2*sha256.Size {
		return "", fmt.Errorf("invalid hash %q: want %s and %d hex digits", s, HashPrefix, 2*sha256.Size)
	}
	for _, c := range hexPart {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return "", fmt.Errorf("invalid hash %q: want lowercase hex digits", s)
		}
	}
	return Hash(s), nil
}

// VersionHeader is the first line of the byte form a version hash covers.
const VersionHeader = "saiasat-version 1"

// VersionBytes is the canonical byte form behind a version hash (see
// docs/hashing.md): LF-terminated lines, languages in byte order.
//
//	saiasat-version 1
//	id privacy
//	edition 1
//	effective 2025-09-16
//	text kk sha256:…
//	text ru sha256:…
func VersionBytes(id string, edition int, effective time.Time, texts map[Lang]Hash) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\nid %s\nedition %d\neffective %s\n", VersionHeader, id, edition, effective.Format(DateLayout))
	langs := make([]Lang, 0, len(texts))
	for l := range texts {
		langs = append(langs, l)
	}
	slices.Sort(langs)
	for _, l := range langs {
		fmt.Fprintf(&b, "text %s %s\n", l, texts[l])
	}
	return []byte(b.String())
}

// VersionHash returns the Hash of VersionBytes: one name for one edition of
// a policy in all its languages.
func VersionHash(id string, edition int, effective time.Time, texts map[Lang]Hash) Hash {
	return HashBytes(VersionBytes(id, edition, effective, texts))
}
