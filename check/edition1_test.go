package check_test

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/check"
	"github.com/saiasat/saiasat/release"
	"github.com/saiasat/saiasat/source"
)

var update = flag.Bool("update", false, "rewrite golden files")

// The bundled policy: edition 1 as released (historic, approved) and the
// working draft of edition 2.
const bundled = "../policies/privacy"

// edition1 loads release 1 through the release store, which verifies its
// hashes, and checks its texts as check checks a draft.
func edition1(t *testing.T) (*saiasat.Release, []saiasat.Finding) {
	t.Helper()
	r, err := release.NewStore(bundled).Release(1)
	if err != nil {
		t.Fatal(err)
	}
	return r, check.Policy(r.Policy(bundled), nil)
}

func checkEdition1(t *testing.T) []saiasat.Finding {
	_, fs := edition1(t)
	return fs
}

// The published edition 1 lacks clauses 3.2 and 3.12.12.
func TestEdition1Gaps(t *testing.T) {
	var got []string
	for _, f := range checkEdition1(t) {
		if f.Rule == "numbering/gap" && strings.HasSuffix(f.Pos.File, "kk.md") {
			got = append(got, fmt.Sprintf("%d %s", f.Pos.Line, f.Message))
		}
	}
	want := []string{
		"36 clause 3.3 follows 3.1: 3.2 is missing",
		"101 clause 3.12.13 follows 3.12.11: 3.12.12 is missing",
	}
	if !slices.Equal(got, want) {
		t.Errorf("gaps in kk.md:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Every word of the Kazakh text that mixes Latin and Cyrillic letters is
// reported once, on its own line. The expected list comes from a separate,
// plainer scan: ASCII Latin letters next to Cyrillic ones in one word.
func TestEdition1MixedScripts(t *testing.T) {
	src, err := os.ReadFile(bundled + "/releases/1/kk.md")
	if err != nil {
		t.Fatal(err)
	}
	word := regexp.MustCompile(`[\p{L}\p{Mn}]+`)
	latin := regexp.MustCompile(`[A-Za-z]`)
	cyrillic := regexp.MustCompile(`\p{Cyrillic}`)
	var want []string
	for i, line := range bytes.Split(src, []byte("\n")) {
		for _, w := range word.FindAll(line, -1) {
			if latin.Match(w) && cyrillic.Match(w) {
				want = append(want, fmt.Sprintf("%d %s", i+1, w))
			}
		}
	}
	var got []string
	for _, f := range checkEdition1(t) {
		if f.Rule == "script/mixed" && strings.HasSuffix(f.Pos.File, "kk.md") {
			w := regexp.MustCompile(`^"([^"]+)"`).FindStringSubmatch(f.Message)
			got = append(got, fmt.Sprintf("%d %s", f.Pos.Line, w[1]))
			if f.Fix == nil || f.Fix.Text == "" {
				t.Errorf("%s: no fix", f)
			}
		}
	}
	if len(want) <= 20 {
		t.Fatalf("the plain scan found %d mixed words; the published text has over twenty", len(want))
	}
	if !slices.Equal(got, want) {
		t.Errorf("script/mixed findings (%d):\n%s\nwant (%d):\n%s", len(got), strings.Join(got, "\n"), len(want), strings.Join(want, "\n"))
	}
}

// The whole report on edition 1, as `saiasat check` prints it.
func TestEdition1Golden(t *testing.T) {
	var b bytes.Buffer
	if err := check.Write(&b, check.FormatText, checkEdition1(t)); err != nil {
		t.Fatal(err)
	}
	golden := "testdata/edition1.golden"
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if !bytes.Equal(b.Bytes(), want) {
		t.Errorf("check of edition 1 differs from %s (run go test -update and review the diff):\n%s", golden, b.String())
	}
}

// The findings recorded in release.json when edition 1 was frozen are the
// findings check gives on it now: exactly its known defects.
func TestEdition1RecordedFindings(t *testing.T) {
	r, fs := edition1(t)
	var got, want []string
	for _, f := range fs {
		got = append(got, fmt.Sprintf("%s:%d:%d %s %s", filepath.Base(f.Pos.File), f.Pos.Line, f.Pos.Col, f.Rule, f.Message))
	}
	for _, f := range r.Findings {
		want = append(want, fmt.Sprintf("%s:%d:%d %s %s", f.Pos.File, f.Pos.Line, f.Pos.Col, f.Rule, f.Message))
	}
	if !slices.Equal(got, want) {
		t.Errorf("check on edition 1:\n%s\nrecorded in release.json:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	rules := map[string]int{}
	for _, f := range fs {
		rules[f.Rule]++
	}
	// Two gaps per language and 23 mixed-script words in the Kazakh text.
	if len(rules) != 2 || rules["numbering/gap"] != 4 || rules["script/mixed"] != 23 {
		t.Errorf("rules %v, want only numbering/gap ×4 and script/mixed ×23", rules)
	}
}

// The working draft of edition 2 passes every rule.
func TestDraftClean(t *testing.T) {
	p, fs, err := source.Load(os.DirFS(bundled), "policies/privacy")
	if err != nil {
		t.Fatal(err)
	}
	if fs := check.Policy(p, fs); len(fs) != 0 {
		t.Errorf("the draft has findings:\n%v", fs)
	}
	if p.Edition != 2 {
		t.Errorf("draft edition %d, want 2", p.Edition)
	}
}

func TestCleanFixture(t *testing.T) {
	p, fs, err := source.Load(os.DirFS("../testdata/clean"), "testdata/clean")
	if err != nil {
		t.Fatal(err)
	}
	if fs := check.Policy(p, fs); len(fs) != 0 {
		t.Errorf("clean fixture has findings:\n%v", fs)
	}
}
