package ledger_test

import (
	"crypto/rand"
	"strings"
	"testing"

	"github.com/saiasat/saiasat/ledger"
	"golang.org/x/mod/sumdb/note"
)

func TestVerifierKey(t *testing.T) {
	for range 20 {
		skey, vkey, err := note.GenerateKey(rand.Reader, "saiasat-ledger")
		if err != nil {
			t.Fatal(err)
		}
		got, err := ledger.VerifierKey(skey)
		if err != nil || got != vkey {
			t.Fatalf("VerifierKey = %q, %v; want %q", got, err, vkey)
		}
	}
	skey, _, _ := note.GenerateKey(rand.Reader, "k")
	f := strings.SplitN(skey, "+", 5)
	for name, bad := range map[string]string{
		"empty":        "",
		"a public key": strings.Join(f[2:], "+"),
		"wrong hash":   strings.Join([]string{f[0], f[1], f[2], "00000000", f[4]}, "+"),
		"bad base64":   strings.Join([]string{f[0], f[1], f[2], f[3], "!!"}, "+"),
		"short key":    strings.Join([]string{f[0], f[1], f[2], f[3], "AQID"}, "+"),
	} {
		if v, err := ledger.VerifierKey(bad); err == nil {
			t.Errorf("%s: VerifierKey(%q) = %q, want an error", name, bad, v)
		}
	}
}
