package release_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/release"
)

// An approval records the decision in every language of the edition; one
// missing, or one in a language the edition lacks, is refused naming it.
// The record reads back as written, sealed.
func TestApproveDecisionPerLanguage(t *testing.T) {
	dir := policyDir(t)
	s, p := draft(t, dir, 1, "2025-09-16", kk1, ru1)
	r, err := s.Freeze(p, release.FreezeOptions{Edition: 1, Effective: date("2025-09-16")})
	if err != nil {
		t.Fatal(err)
	}
	kk := map[saiasat.Lang]string{"kk": "Жалғыз қатысушының 2025 жылғы 15 қыркүйектегі № 1 шешімі"}
	both := map[saiasat.Lang]string{"kk": kk["kk"], "ru": "Решение единственного участника № 1 от 15 сентября 2025 г."}
	approvers := map[saiasat.Lang]string{"kk": "Жалғыз қатысушы", "ru": "Единственный участник"}
	for _, tt := range []struct {
		name      string
		decisions map[saiasat.Lang]string
		approvers map[saiasat.Lang]string
		want      string
	}{
		{"no decision", nil, approvers, "needs the decision"},
		{"ru missing", kk, approvers, "decision in ru is missing"},
		{"approver ru missing", both, map[saiasat.Lang]string{"kk": "Жалғыз қатысушы"}, "approver in ru is missing"},
		{"a language the edition lacks", map[saiasat.Lang]string{"kk": "a", "ru": "b", "en": "c"}, approvers, "no en text"},
		{"an empty text", map[saiasat.Lang]string{"kk": "a", "ru": " "}, approvers, "decision in ru is missing"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := s.Approve(release.ApproveOptions{Edition: 1, Hash: r.Version, Decisions: tt.decisions, Approvers: tt.approvers, Date: date("2025-09-15")})
			if !release.IsCode(err, release.CodeInvalid) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("got %v, want an invalid-approval error saying %q", err, tt.want)
			}
		})
	}
	if _, err := s.Approve(release.ApproveOptions{Edition: 1, Hash: r.Version, Decisions: both, Approvers: approvers, Date: date("2025-09-15")}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "releases", "1", "release.json"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), `"decision":`) || !strings.Contains(string(b), `"decisions": {`) {
		t.Errorf("release.json records the decision per language only:\n%s", b)
	}
	rs, err := release.NewStore(dir).Releases()
	if err != nil {
		t.Fatal(err)
	}
	a := rs[0].Approval
	for l, want := range both {
		if got := a.DecisionIn(l); got != want {
			t.Errorf("decision in %s: %q, want %q", l, got, want)
		}
		if got := a.ApproverIn(l); got != approvers[l] {
			t.Errorf("approver in %s: %q, want %q", l, got, approvers[l])
		}
	}
}

// Edition 1, recorded before decisions per language existed, loads with
// its seal (so its bytes, hashes and the chain are unchanged): its
// one-text decision is kept as recorded and is no language's decision.
func TestEdition1DecisionKept(t *testing.T) {
	rs, err := release.NewStore("../policies/privacy").Releases()
	if err != nil {
		t.Fatal(err)
	}
	a := rs[0].Approval
	if got, want := string(rs[0].Seal), "sha256:c79afffb999de1ed3b01faeab02630fabdee54004acbf5b67c501a9937fde393"; got != want {
		t.Errorf("edition 1's seal %s, want %s", got, want)
	}
	if !strings.Contains(a.Decision, "saiasat") || a.DecisionIn("ru") != "" || a.DecisionIn("kk") != "" {
		t.Errorf("edition 1's decision: %q, per language %v", a.Decision, a.Decisions)
	}
}
