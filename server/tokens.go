package server

import (
	"bufio"
	"crypto/sha256"
	"crypto/subtle"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
)

// The scopes a token may carry; each consent endpoint requires one.
const (
	// ScopeWrite records consents: POST /v1/consents.
	ScopeWrite = "consents:write"
	// ScopeRead reads the client's own records: listing, one record, its
	// proof, the re-consent status.
	ScopeRead = "consents:read"
	// ScopeWithdraw appends withdrawals.
	ScopeWithdraw = "consents:withdraw"
	// ScopeReadAll widens reading (and withdrawing, with ScopeWithdraw) to
	// every client's records; it includes ScopeRead.
	ScopeReadAll = "consents:read-all"
)

// AllScopes are the scopes of a full-scope token, in the order documented.
var AllScopes = []string{ScopeWrite, ScopeRead, ScopeWithdraw, ScopeReadAll}

// EnvClient is the client name of the tokens of SAIASAT_API_TOKENS: one
// name for all of them, since that list is how a token is rotated (old and
// new accepted together), and a rotated token must stay the same client,
// with the same records and idempotency keys.
const EnvClient = "default"

// MinTokenLen is the shortest token a tokens file may hold.
const MinTokenLen = 16

// Token is an accepted bearer token: the client it speaks for, and what it
// may do.
type Token struct {
	// Client names the client; it is recorded in every record the token
	// writes, and a client reads only its own records without read-all.
	Client string
	Scopes []string
	// Secret is the bearer token itself; never logged.
	Secret string
}

// Has reports whether the token carries scope (read-all includes read).
func (t Token) Has(scope string) bool {
	return slices.Contains(t.Scopes, scope) || (scope == ScopeRead && slices.Contains(t.Scopes, ScopeReadAll))
}

// EnvTokens returns the comma-separated tokens of SAIASAT_API_TOKENS as
// full-scope tokens of client EnvClient.
func EnvTokens(list string) []Token {
	var out []Token
	for _, t := range strings.Split(list, ",") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, Token{Client: EnvClient, Scopes: AllScopes, Secret: t})
		}
	}
	return out
}

// ParseTokens reads a tokens file: one `name scope… token` line per token,
// blank lines and lines starting with # ignored. A client name may appear
// on several lines (a token being rotated); a token may not. Errors are
// one line naming file:line, and never quote a token.
func ParseTokens(r io.Reader, file string) ([]Token, error) {
	var out []Token
	seen := map[string]int{} // token → line
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) == 1 {
			return nil, fmt.Errorf("%s:%d: a line is `name scope… token`, like `website consents:write consents:read <token>` (a bare token is the old format)", file, n)
		}
		if len(f) < 3 {
			return nil, fmt.Errorf("%s:%d: a line is `name scope… token`: a name, at least one scope, then the token", file, n)
		}
		name, scopes, secret := f[0], f[1:len(f)-1], f[len(f)-1]
		if !validClient(name) {
			return nil, fmt.Errorf("%s:%d: client name %q: 1 to 64 ASCII letters, digits, '.', '_' or '-'", file, n, name)
		}
		if slices.Contains(AllScopes, secret) {
			return nil, fmt.Errorf("%s:%d: the line ends with a scope, not a token", file, n)
		}
		for _, s := range scopes {
			if !slices.Contains(AllScopes, s) {
				return nil, fmt.Errorf("%s:%d: unknown scope %q (want %s)", file, n, s, strings.Join(AllScopes, ", "))
			}
		}
		if len(secret) < MinTokenLen {
			return nil, fmt.Errorf("%s:%d: the token of %s is shorter than %d characters", file, n, name, MinTokenLen)
		}
		for i := range len(secret) {
			if secret[i] < 0x21 || secret[i] > 0x7e {
				return nil, fmt.Errorf("%s:%d: the token of %s is not printable ASCII", file, n, name)
			}
		}
		if prev, dup := seen[secret]; dup {
			return nil, fmt.Errorf("%s:%d: the same token as line %d", file, n, prev)
		}
		seen[secret] = n
		out = append(out, Token{Client: name, Scopes: slices.Compact(slices.Sorted(slices.Values(scopes))), Secret: secret})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return out, nil
}

func validClient(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for _, c := range []byte(s) {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// tokenSet holds the digests of the accepted tokens.
type tokenSet struct {
	tokens  []Token
	digests [][sha256.Size]byte
}

func newTokenSet(ts []Token) *tokenSet {
	s := &tokenSet{tokens: ts}
	for _, t := range ts {
		s.digests = append(s.digests, sha256.Sum256([]byte(t.Secret)))
	}
	return s
}

// lookup returns the token whose secret is got, comparing every digest in
// constant time: digests, not tokens, since ConstantTimeCompare returns at
// once on a length mismatch, which would tell a token's length.
func (s *tokenSet) lookup(got string) (Token, bool) {
	d := sha256.Sum256([]byte(got))
	found := -1
	for i := range s.digests {
		eq := subtle.ConstantTimeCompare(d[:], s.digests[i][:])
		found = subtle.ConstantTimeSelect(eq, i, found)
	}
	if found < 0 || got == "" {
		return Token{}, false
	}
	return s.tokens[found], true
}

// bearer returns the token of an Authorization header; the scheme is
// case-insensitive (RFC 7235, section 2.1).
func bearer(r *http.Request) string {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return token
}
