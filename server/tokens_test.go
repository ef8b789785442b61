package server_test

import (
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/saiasat/saiasat/server"
)

func TestParseTokens(t *testing.T) {
	good := "# clients\n\nwebsite consents:write consents:read site-token-0123456789\n" +
		"  audit consents:read-all consents:read-all   audit-token-0123456789  \n" +
		"website consents:write site-token-rotated-0123\n"
	ts, err := server.ParseTokens(strings.NewReader(good), "tokens.txt")
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) != 3 || ts[0].Client != "website" || !slices.Equal(ts[0].Scopes, []string{"consents:read", "consents:write"}) ||
		ts[1].Client != "audit" || !slices.Equal(ts[1].Scopes, []string{"consents:read-all"}) || ts[1].Secret != "audit-token-0123456789" ||
		ts[2].Secret != "site-token-rotated-0123" {
		t.Errorf("%+v", ts)
	}
	secret := "s3cret-token-0123456789"
	tests := []struct{ name, text, want string }{
		{"a bare token (the old format)", "\n" + secret + "\n", "tokens.txt:2: a line is `name scope… token`"},
		{"no scope", "website " + secret, "tokens.txt:1: a line is `name scope… token`: a name, at least one scope"},
		{"unknown scope", "website consents:write consents:delete " + secret, `tokens.txt:1: unknown scope "consents:delete"`},
		{"no token", "website consents:write consents:read", "tokens.txt:1: the line ends with a scope, not a token"},
		{"short token", "website consents:write short", "tokens.txt:1: the token of website is shorter than 16 characters"},
		{"bad name", "web/site consents:write " + secret, `tokens.txt:1: client name "web/site"`},
		{"a token twice", "a consents:write " + secret + "\nb consents:read " + secret, "tokens.txt:2: the same token as line 1"},
		{"not ASCII", "website consents:write " + secret + "ключ", "tokens.txt:1: the token of website is not printable ASCII"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := server.ParseTokens(strings.NewReader(tt.text), "tokens.txt")
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) || strings.Contains(err.Error(), secret) || strings.Contains(err.Error(), "\n") {
				t.Errorf("got %v, want %q…, one line, without the token", err, tt.want)
			}
		})
	}
	env := server.EnvTokens(" a-token , ,b-token")
	if len(env) != 2 || env[0].Client != server.EnvClient || env[1].Secret != "b-token" || !slices.Equal(env[0].Scopes, server.AllScopes) {
		t.Errorf("env tokens: %+v", env)
	}
}

// Each endpoint requires its scope: 403 problem+json without it, through
// with it (a refusal for another reason then shows the check passed).
func TestConsentScopes(t *testing.T) {
	s, _, _ := consentServer(t)
	routes := []struct {
		method, target, scope string
	}{
		{"POST", "/v1/consents", server.ScopeWrite},
		{"GET", "/v1/consents?subject=x", server.ScopeRead},
		{"GET", "/v1/consents/00000000000000000000000000000000", server.ScopeRead},
		{"GET", "/v1/consents/00000000000000000000000000000000/proof", server.ScopeRead},
		{"POST", "/v1/consents/00000000000000000000000000000000/withdrawal", server.ScopeWithdraw},
	}
	for _, tok := range testTokens {
		for _, rt := range routes {
			r := httptest.NewRequest(rt.method, rt.target, strings.NewReader(`{}`))
			r.Header.Set("Authorization", "Bearer "+tok.Secret)
			r.Header.Set("Content-Type", "application/json")
			w := httptest.NewRecorder()
			s.ServeHTTP(w, r)
			if tok.Has(rt.scope) == (w.Code == 403) {
				t.Errorf("%s (%v) %s %s: %d %s", tok.Client, tok.Scopes, rt.method, rt.target, w.Code, w.Body)
			}
			if w.Code == 403 && (!strings.Contains(w.Body.String(), rt.scope) || w.Header().Get("Content-Type") != "application/problem+json") {
				t.Errorf("403 without naming %s: %s", rt.scope, w.Body)
			}
		}
	}
	// The checkpoint needs no token.
	if w := send(s, "GET", "/v1/consents/checkpoint", "", false); w.Code == 401 || w.Code == 403 {
		t.Errorf("checkpoint: %d", w.Code)
	}
}
