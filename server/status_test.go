package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

type statusAnswer struct {
	Policy   string `json:"policy"`
	UpToDate bool   `json:"up_to_date"`
	Consent  *struct {
		ID         string `json:"id"`
		Edition    int    `json:"edition"`
		Lang       string `json:"lang"`
		TextSHA256 string `json:"text_sha256"`
	} `json:"consent"`
	InForce *struct {
		Edition int               `json:"edition"`
		Texts   map[string]string `json:"texts"`
	} `json:"in_force"`
	Upcoming *struct {
		Edition       int    `json:"edition"`
		EffectiveFrom string `json:"effective_from"`
	} `json:"upcoming"`
}

func status(t *testing.T, s interface {
	ServeHTTP(w http.ResponseWriter, r *http.Request)
}, query string) statusAnswer {
	t.Helper()
	w := send(s, "GET", "/v1/consents/status?"+query, "", true)
	var a statusAnswer
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &a) != nil {
		t.Fatalf("status?%s: %d %s", query, w.Code, w.Body)
	}
	return a
}

// The website asks whether to ask again: the subject's latest unwithdrawn
// consent is to the edition in force, in its language, or it is not.
func TestConsentStatus(t *testing.T) {
	s, _, _ := consentServer(t)
	var cur struct {
		Text string `json:"text_sha256"`
	}
	json.Unmarshal(send(s, "GET", "/v1/policies/privacy/current?lang=kk", "", false).Body.Bytes(), &cur)

	a := status(t, s, "subject=customer-42&policy=privacy")
	if a.UpToDate || a.Consent != nil || a.InForce == nil || a.InForce.Edition != 2 || a.InForce.Texts["kk"] != cur.Text || a.Upcoming != nil {
		t.Errorf("no consent yet: %+v", a)
	}
	// A consent to edition 1, accepted while it was in force.
	if w := send(s, "POST", "/v1/consents", body(""), true); w.Code != 201 {
		t.Fatal(w.Body)
	}
	a = status(t, s, "subject=customer-42&policy=privacy")
	if a.UpToDate || a.Consent == nil || a.Consent.Edition != 1 || a.Consent.TextSHA256 != kk1 || a.InForce.Edition != 2 {
		t.Errorf("consent to edition 1: %+v", a)
	}
	// Then to edition 2: up to date.
	w := send(s, "POST", "/v1/consents", strings.NewReplacer(kk1, cur.Text, "2026-11-25T11:00:00Z", "2026-12-02T00:00:00Z").Replace(body("")), true)
	var second struct{ ID string }
	if json.Unmarshal(w.Body.Bytes(), &second); w.Code != 201 {
		t.Fatal(w.Body)
	}
	a = status(t, s, "subject=customer-42&policy=privacy")
	if !a.UpToDate || a.Consent.ID != second.ID || a.Consent.Edition != 2 {
		t.Errorf("consent to edition 2: %+v", a)
	}
	// Withdrawn: the latest unwithdrawn one is edition 1's again.
	send(s, "POST", "/v1/consents/"+second.ID+"/withdrawal", "", true)
	a = status(t, s, "subject=customer-42&policy=privacy")
	if a.UpToDate || a.Consent == nil || a.Consent.Edition != 1 {
		t.Errorf("after withdrawing edition 2's: %+v", a)
	}
	for query, want := range map[string]int{
		"policy=privacy":                      400,
		"subject=%ff%fe-ALICE&policy=privacy": 400,
		"subject=customer-42&policy=cookies":  404,
		"subject=customer-42":                 404,
	} {
		if w := send(s, "GET", "/v1/consents/status?"+query, "", true); w.Code != want || w.Header().Get("Content-Type") != "application/problem+json" {
			t.Errorf("status?%s: %d %s, want %d", query, w.Code, w.Body, want)
		}
	}
}

// Before edition 2 comes into force, the status names it as upcoming.
func TestConsentStatusUpcoming(t *testing.T) {
	s, _, _ := consentServerAt(t, time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	if w := send(s, "POST", "/v1/consents", body(""), true); w.Code != 201 {
		t.Fatal(w.Body)
	}
	a := status(t, s, "subject=customer-42&policy=privacy")
	if !a.UpToDate || a.InForce.Edition != 1 || a.Upcoming == nil || a.Upcoming.Edition != 2 || a.Upcoming.EffectiveFrom != "2026-12-01" {
		t.Errorf("%+v", a)
	}
}
