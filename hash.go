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

// VersionInput is what a version hash names: one edition of a policy in all
// its languages, with the title and organization it is published under.
type VersionInput struct {
	ID           string
	Edition      int
	Effective    time.Time
	Title        map[Lang]string
	Organization map[Lang]string
	Texts        map[Lang]Hash
}

// Bytes is the canonical byte form behind a version hash (see
// docs/hashing.md): LF-terminated lines, each group's languages in byte
// order. Titles and organizations are single lines (policy.yaml refuses
// others).
//
//	saiasat-version 1
//	id privacy
//	edition 1
//	effective 2025-09-16
//	title kk …
//	title ru …
//	organization kk …
//	organization ru …
//	text kk sha256:…
//	text ru sha256:…
func (v VersionInput) Bytes() []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\nid %s\nedition %d\neffective %s\n", VersionHeader, v.ID, v.Edition, v.Effective.Format(DateLayout))
	for _, g := range []struct {
		key string
		m   map[Lang]string
	}{{"title", v.Title}, {"organization", v.Organization}} {
		for _, l := range sortedLangs(g.m) {
			fmt.Fprintf(&b, "%s %s %s\n", g.key, l, g.m[l])
		}
	}
	texts := make(map[Lang]string, len(v.Texts))
	for l, h := range v.Texts {
		texts[l] = string(h)
	}
	for _, l := range sortedLangs(texts) {
		fmt.Fprintf(&b, "text %s %s\n", l, texts[l])
	}
	return []byte(b.String())
}

// Hash returns the version hash: the Hash of Bytes.
func (v VersionInput) Hash() Hash { return HashBytes(v.Bytes()) }

func sortedLangs(m map[Lang]string) []Lang {
	langs := make([]Lang, 0, len(m))
	for l := range m {
		langs = append(langs, l)
	}
	slices.Sort(langs)
	return langs
}
