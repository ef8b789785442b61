package ledger

import (
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

// VerifierKey returns the public verifier key of a note signer key
// ("PRIVATE+KEY+name+hash+key", ed25519), as note.GenerateKey would have
// returned beside it.
func VerifierKey(skey string) (string, error) {
	// Cut, not Split: the base64 key may hold "+" itself.
	priv, rest, _ := strings.Cut(skey, "+")
	k, rest, _ := strings.Cut(rest, "+")
	name, rest, _ := strings.Cut(rest, "+")
	_, key64, ok := strings.Cut(rest, "+")
	if priv != "PRIVATE" || k != "KEY" || !ok {
		return "", errors.New("not a signing key (PRIVATE+KEY+name+hash+key)")
	}
	key, err := base64.StdEncoding.DecodeString(key64)
	// 1 is note's algorithm byte for ed25519.
	if err != nil || len(key) != 1+ed25519.SeedSize || key[0] != 1 {
		return "", errors.New("not an ed25519 signing key")
	}
	pub := ed25519.NewKeyFromSeed(key[1:]).Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(name, pub)
	if err != nil {
		return "", err
	}
	if _, err := note.NewSigner(skey); err != nil {
		return "", err // a hash that does not match the key, for one
	}
	return vkey, nil
}

// SubjectKeyID names a subject key without revealing it: the HMAC of a
// fixed label under the key. Two servers with the same ID file a customer
// under the same subject.
func SubjectKeyID(key []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("saiasat subject key id"))
	return hex.EncodeToString(m.Sum(nil))[:32]
}

// ErrOtherKeys is returned by BindKeys when the store was started with
// other keys.
var ErrOtherKeys = errors.New("the consent ledger was started with other keys")

// BindKeys records, on the first start, which subject key and checkpoint key
// the store's records are made with, and refuses other ones later: a
// replica started with a fresh key would file customers under other
// subjects and sign checkpoints no one can check with the published key.
func BindKeys(ctx context.Context, s Store, subjectKey []byte, verifierKey string) error {
	for _, k := range []struct{ name, value, fix string }{
		{"subject-key-id", SubjectKeyID(subjectKey), "give every server the first server's subject key (its .subject-key file, or the same SAIASAT_SUBJECT_KEY)"},
		{"verifier-key", verifierKey, "give every server the first server's .signing-key and .verifier-key files"},
	} {
		got, err := s.Claim(ctx, k.name, k.value)
		if err != nil {
			return fmt.Errorf("read the ledger's %s: %w", k.name, err)
		}
		if got != k.value {
			return fmt.Errorf("%w: its %s is %s, this server's is %s; %s", ErrOtherKeys, k.name, got, k.value, k.fix)
		}
	}
	return nil
}
