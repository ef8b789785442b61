package diff_test

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/canon"
	"github.com/saiasat/saiasat/check"
	"github.com/saiasat/saiasat/diff"
	"github.com/saiasat/saiasat/release"
	"github.com/saiasat/saiasat/source"
)

const bundled = "../policies/privacy"

// edition1And2 returns release 1 of the bundled policy (verified as it
// loads) and its working draft, edition 2.
func edition1And2(tb testing.TB) (*diff.Version, *diff.Version) {
	tb.Helper()
	r, err := release.NewStore(bundled).Release(1)
	if err != nil {
		tb.Fatal(err)
	}
	p, _, err := source.Load(os.DirFS(bundled), "policies/privacy")
	if err != nil {
		tb.Fatal(err)
	}
	h, err := canon.PolicyHashes(p)
	if err != nil {
		tb.Fatal(err)
	}
	// A verified release's texts are canonical (their hashes are of the
	// bytes as stored): say so, as saiasat diff does.
	for l, d := range r.Docs {
		if c, err := canon.Format(d.Source); err != nil || !bytes.Equal(c, d.Source) {
			tb.Fatalf("release 1 %s is not in canonical form", l)
		}
	}
	from := &diff.Version{ID: r.ID, Edition: 1, Released: true, Canonical: true, Effective: r.Effective, Title: r.Title, Organization: r.Organization, Label: "edition 1", Version: r.Version, Languages: r.Languages, Docs: r.Docs}
	to := &diff.Version{ID: p.ID, Edition: p.Edition, Effective: p.Effective, Title: p.Title, Organization: p.Organization, Label: "draft", Version: h.Version, Languages: p.Languages, Docs: p.Docs}
	return from, to
}

// The diff from edition 1 to the draft of edition 2 is the golden one, and
// it holds nothing but the renumbering, the mended mixed-script words and
// the bilingual review's wording fixes (reviewed, below).
func TestEdition1To2Golden(t *testing.T) {
	from, to := edition1And2(t)
	r := diff.Compare(from, to)
	var got bytes.Buffer
	if err := r.WriteJSON(&got, false); err != nil {
		t.Fatal(err)
	}
	golden := "testdata/edition1-2.json"
	if *update {
		if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test -update)", err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		t.Errorf("diff 1 → 2 differs from %s (go test -update, then review)", golden)
	}

	fixed := 0
	for _, ld := range r.Languages {
		if s := ld.Summary; s.Added+s.Removed+s.Moved != 0 {
			t.Errorf("%s: %+v: edition 2 adds, removes or moves nothing", ld.Lang, s)
		}
		for _, c := range ld.Changes {
			switch c.Kind {
			case diff.Unchanged, diff.Renumbered, diff.Modified:
			default:
				t.Errorf("%s %s: %s", ld.Lang, c.From, c.Kind)
			}
			if (c.Kind == diff.Renumbered || c.AlsoRenumbered) && !renumberedContiguously(c.From, c.To) {
				t.Errorf("%s: %s → %s is not the contiguous renumbering", ld.Lang, c.From, c.To)
			}
			if c.Kind != diff.Modified {
				continue
			}
			// Every letter changed is a look-alike mended, marked at the
			// letter, or one of the review's wording fixes; a clause the
			// review left alone changed by script fixes only.
			old, _ := diff.ApplyOps(c.Ops)
			if !c.FixOnly && reviewed(old, ld.Lang) == old {
				t.Errorf("%s %s: not a script fix only: %q", ld.Lang, c.To, c.Ops)
			}
			for _, f := range c.Fixes {
				if f.Class != "script" {
					t.Errorf("%s %s: fix %v", ld.Lang, c.To, f)
				}
				fixed += f.Count
			}
			if mended(reviewed(old, ld.Lang), ld.Lang) != c.NewText {
				t.Errorf("%s %s: the new text is not the old one with its mixed-script words mended and the review's fixes", ld.Lang, c.To)
			}
		}
	}
	// 23 words mixing scripts, some with several letters to mend.
	if fixed < 23 {
		t.Errorf("%d letters fixed, want at least 23", fixed)
	}
	// kk 2.1 and 3.8 (3.9 in edition 1) have script fixes; the review
	// changed ru 1.1 and 2.1 item 10, and «и/или», «және/немесе» in 2.1,
	// 3.2.5, 3.8, 5.4, 6.2, 7.5 of both languages. Only ru 1.1 changed in
	// one language alone: kk 1.1 already named the policy after its full
	// name.
	if s := r.Summary; s.Modified != 13 || s.FixOnly != 0 || len(r.Drift) != 1 || r.Drift[0].Clause != "1.1" {
		t.Errorf("summary %+v, drift %v: want 13 modified (the script fixes share clauses with the review's), and drift in 1.1 only", s, r.Drift)
	}
}

// mended applies check's fixes for mixed-script words to s.
// reviewed is s with the wording fixes of the bilingual review of the
// draft (issue 14) applied: «и (или)» / «және (немесе)» throughout, and in
// Russian «(далее – «Политика»)» after the policy's full name and 2.1
// item 10 saying whose data is disclosed to whom.
func reviewed(s string, lang saiasat.Lang) string {
	if lang == "kk" {
		return strings.ReplaceAll(s, "және/немесе", "және (немесе)")
	}
	return strings.NewReplacer("и/или", "и (или)",
		"Политика конфиденциальности и безопасности (далее – «Политика») интернет-ресурса ТОО «МФО «Satcredit.kz» (далее – «МФО»)",
		"Политика конфиденциальности и безопасности интернет-ресурса ТОО «МФО «Satcredit.kz» (далее соответственно – «Политика» и «МФО»)",
		"направленные на раскрытие МФО своих персональных данных", "направленные на раскрытие своих персональных данных МФО").Replace(s)
}

// mended is s with its mixed-script words written in one script.
func mended(s string, lang saiasat.Lang) string {
	b := []byte(s)
	ws := check.MixedWords(b, lang)
	for i := len(ws) - 1; i >= 0; i-- {
		w := ws[i]
		b = append(b[:w.Offset:w.Offset], append([]byte(w.Fixed), b[w.Offset+w.Length:]...)...)
	}
	return string(b)
}

// renumberedContiguously reports whether to is from with the gaps of
// edition 1 closed: in section 3, numbers after the missing 3.2 move down
// one, and under old 3.12 the numbers after the missing 3.12.12 too.
func renumberedContiguously(from, to saiasat.Number) bool {
	want := append(saiasat.Number(nil), from...)
	if len(from) >= 2 && from[0] == 3 && from[1] > 2 {
		want[1]--
	}
	if len(from) == 3 && from[0] == 3 && from[1] == 12 && from[2] > 12 {
		want[2]--
	}
	return want.Equal(to)
}

// BenchmarkWholeTextWordDiffPeer is the peer of BenchmarkDiffEdition1: go-diff
// over the word tokens of each whole text, with no clause alignment — what a
// plain redline tool does, and all it can say is where words changed.
func BenchmarkWholeTextWordDiffPeer(b *testing.B) {
	from, to := edition1And2(b)
	for b.Loop() {
		for _, l := range []saiasat.Lang{"kk", "ru"} {
			diff.WordOps(string(from.Docs[l].Source), string(to.Docs[l].Source))
		}
	}
}
