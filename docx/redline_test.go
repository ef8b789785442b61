package docx

import (
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/canon"
	"github.com/saiasat/saiasat/diff"
	"github.com/saiasat/saiasat/internal/kindsample"
	"github.com/saiasat/saiasat/markdown"
	"github.com/saiasat/saiasat/release"
	"github.com/saiasat/saiasat/source"
)

const policyDir = "../policies/privacy"

// bundledVersions returns edition 1 and the draft of the bundled policy.
func bundledVersions(t testing.TB) (ed1, draft *diff.Version) {
	t.Helper()
	r, err := release.NewStore(policyDir).Release(1)
	if err != nil {
		t.Fatal(err)
	}
	ed1 = &diff.Version{ID: r.ID, Edition: 1, Released: true, Canonical: true, Effective: r.Effective, Title: r.Title,
		Organization: r.Organization, Label: "edition 1", Version: r.Version, Languages: r.Languages, Docs: r.Docs}
	p, _, err := source.Load(os.DirFS(policyDir), policyDir)
	if err != nil {
		t.Fatal(err)
	}
	draft = &diff.Version{ID: p.ID, Edition: p.Edition, Effective: p.Effective, Title: p.Title, Organization: p.Organization,
		Label: "draft", Version: "sha256:draft", Languages: p.Languages, Docs: p.Docs}
	return ed1, draft
}

// visible returns a source text as the redline prints it once all changes
// are accepted: each non-blank line, headings without their # marks.
func visible(src []byte) []string {
	var out []string
	for _, l := range strings.Split(string(src), "\n") {
		if strings.TrimSpace(l) == "" {
			continue
		}
		if h := strings.TrimLeft(l, "#"); h != l && strings.HasPrefix(h, " ") {
			l = h[1:]
		}
		out = append(out, l)
	}
	return out
}

// langPart returns the lines of one language's part of a redline's text: after
// its heading, the approval block (4 lines) and the title.
func langPart(t *testing.T, txt []byte, lang saiasat.Lang) []string {
	t.Helper()
	lines := strings.Split(strings.ReplaceAll(strings.TrimPrefix(string(txt), "\ufeff"), "\r\n", "\n"), "\n")
	start := -1
	for i, l := range lines {
		if l == langNames[lang] {
			start = i
		}
	}
	if start < 0 {
		t.Fatalf("no %s part (%q) in the redline", lang, langNames[lang])
	}
	var out []string
	for _, l := range lines[start+6:] {
		if _, other := nameLang(l); other {
			break
		}
		if strings.TrimSpace(l) != "" {
			out = append(out, l)
		}
	}
	return out
}

func nameLang(l string) (saiasat.Lang, bool) {
	for k, v := range langNames {
		if v == l {
			return k, true
		}
	}
	return "", false
}

// TestRedlineAcceptAll: the redline of edition 1 → the draft, opened in
// LibreOffice with all tracked changes accepted, reads exactly as the
// draft in both languages, and with all rejected exactly as edition 1; as
// it is, it reads as neither (its deletions are real revisions); every
// revision has an author and a date.
func TestRedlineAcceptAll(t *testing.T) {
	t.Parallel()
	ed1, draft := bundledVersions(t)
	r := diff.Compare(ed1, draft)
	date := time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)
	data, err := Redline(r, RedlineOptions{Author: "Юрист", Date: date, Approver: map[saiasat.Lang]string{"ru": "Директор"}})
	if err != nil {
		t.Fatal(err)
	}
	checkRevisions(t, data, "Юрист", "2026-11-30T06:00:00Z")
	// The script fixes (edition 1's Latin i in Kazakh words) are named in
	// a comment: the struck and the inserted letter look the same.
	if c := zipPart(t, data, "word/comments.xml"); !strings.Contains(c, "Latin i → Kazakh і ×") {
		t.Errorf("no comment names the script fixes: %.300s", c)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "redline.docx")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	profile := filepath.Join(t.TempDir(), "profile")
	asIs := textAsIs(t, path, profile)
	accepted := acceptAll(t, path, profile)
	rejected := rejectAll(t, path, profile)
	for _, lang := range draft.Languages {
		old := visible(ed1.Docs[lang].Source)
		if got := langPart(t, rejected, lang); strings.Join(got, "\n") != strings.Join(old, "\n") {
			t.Errorf("%s: rejecting all changes does not give edition 1: %s", lang, diffLines([]byte(strings.Join(got, "\n")), []byte(strings.Join(old, "\n"))))
		}
		want := visible(draft.Docs[lang].Source)
		got := langPart(t, accepted, lang)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s: accepting all changes does not give the draft: %s", lang, diffLines([]byte(strings.Join(got, "\n")), []byte(strings.Join(want, "\n"))))
		}
		if strings.Join(langPart(t, asIs, lang), "\n") == strings.Join(want, "\n") {
			t.Errorf("%s: the redline reads as the draft before accepting: no revisions in it", lang)
		}
	}
	for _, s := range []string{string(ed1.Version), "sha256:draft", "УТВЕРЖДЕНО", "Директор", "БЕКІТІЛДІ",
		"Clause numbers, kk: old → new", "Clause numbers, ru: old → new", "3.3\n3.2\nrenumbered\n"} {
		if !bytes.Contains(accepted, []byte(s)) {
			t.Errorf("the redline does not show %q", s)
		}
	}
}

// checkRevisions reads document.xml: w:ins and w:del are there, each with
// the author and date.
func checkRevisions(t *testing.T, data []byte, author, date string) {
	t.Helper()
	doc := zipPart(t, data, "word/document.xml")
	revs := regexp.MustCompile(`<w:(ins|del) [^>]*>`).FindAllString(doc, -1)
	kinds := map[string]int{}
	for _, r := range revs {
		kinds[r[3:6]]++
		if !strings.Contains(r, `w:author="`+author+`"`) || !strings.Contains(r, `w:date="`+date+`"`) {
			t.Fatalf("revision without the author or date: %s", r)
		}
	}
	if kinds["ins"] == 0 || kinds["del"] == 0 {
		t.Errorf("revisions: %v, want both insertions and deletions", kinds)
	}
}

// TestRedlineEveryKind: a redline of the lead's samples of every kind of
// block against an edited copy (the stamp's number, a title line, a new
// clause renumbering the next, an item, a table row, the footnote and the
// signature changed), accepted in LibreOffice, reads as the edited copy;
// rejected, as the sample.
func TestRedlineEveryKind(t *testing.T) {
	t.Parallel()
	edits := map[saiasat.Lang][][2]string{
		"kk": {{"№ 7", "№ 8"}, {"# саясаты", "# саясаты мен қорғау"}, {"1.2. Сақтау", "1.2. Жаңа тармақ.\n\n1.3. Сақтау"}, {"2) алуға:", "2) көшірмелерді алуға:"}, {"| 5 жыл |", "| 7 жыл |"}, {"¹ Заңға сәйкес.", "¹ Заңға сәйкес (2024)."}, {"/Т.А.Ә./", "/Т.А.Ә./ М.О."}},
		"ru": {{"№ 7", "№ 8"}, {"# персональных данных", "# персональных данных и их защиты"}, {"1.2. Срок", "1.2. Новый пункт.\n\n1.3. Срок"}, {"2) получать:", "2) получать копии:"}, {"| 5 лет |", "| 7 лет |"}, {"¹ В соответствии с Законом.", "¹ В соответствии с Законом (2024)."}, {"/Ф.И.О./", "/Ф.И.О./ М.П."}},
	}
	version := func(label string, edited bool) *diff.Version {
		v := &diff.Version{ID: "sample", Label: label, Version: saiasat.Hash("sha256:" + label), Docs: map[saiasat.Lang]*saiasat.Document{},
			Title: map[saiasat.Lang]string{"kk": "Саясат", "ru": "Политика"}}
		for _, lang := range []saiasat.Lang{"kk", "ru"} {
			text := kindsample.Texts[lang]
			if edited {
				for _, e := range edits[lang] {
					if !strings.Contains(text, e[0]) {
						t.Fatalf("%s sample lacks %q", lang, e[0])
					}
					text = strings.Replace(text, e[0], e[1], 1)
				}
			}
			doc, _ := markdown.Parse(string(lang)+".md", lang, []byte(text))
			v.Docs[lang] = doc
			v.Languages = append(v.Languages, lang)
		}
		return v
	}
	a, b := version("sample", false), version("edited", true)
	data, err := Redline(diff.Compare(a, b), RedlineOptions{Date: time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "redline.docx")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	profile := filepath.Join(t.TempDir(), "profile")
	textAsIs(t, path, profile) // creates the profile the macro goes in
	accepted, rejected := acceptAll(t, path, profile), rejectAll(t, path, profile)
	for _, lang := range []saiasat.Lang{"kk", "ru"} {
		for _, side := range []struct {
			name string
			txt  []byte
			v    *diff.Version
		}{{"accepting", accepted, b}, {"rejecting", rejected, a}} {
			src, err := canon.Format(side.v.Docs[lang].Source)
			if err != nil {
				t.Fatal(err)
			}
			want := strings.Join(visible(src), "\n")
			if got := strings.Join(langPart(t, side.txt, lang), "\n"); got != want {
				t.Errorf("%s: %s all changes does not give the %s text: %s", lang, side.name, side.v.Label, diffLines([]byte(got), []byte(want)))
			}
		}
	}
}

// zipPart returns one part of a .docx.
func zipPart(t *testing.T, data []byte, name string) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			defer rc.Close()
			b, err := io.ReadAll(rc)
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
	t.Fatalf("no %s in the .docx", name)
	return ""
}

// TestRedlineCorpus: for every document of the project's corpus (twelve
// documents in kk and ru, in the three numbering schemes, with every kind
// of block), the tracked-changes redline against a copy with every fourth
// line edited, accepted in LibreOffice, reads exactly as the edited copy.
func TestRedlineCorpus(t *testing.T) {
	dirs, err := filepath.Glob("../testdata/corpus/*/policy.yaml")
	if err != nil || len(dirs) < 12 {
		t.Fatalf("corpus: %d documents (%v), want at least 12", len(dirs), err)
	}
	profile := filepath.Join(t.TempDir(), "profile")
	made := false
	for _, meta := range dirs {
		dir := filepath.Dir(meta)
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) {
			a := loadVersion(t, dir, "original")
			edited := filepath.Join(t.TempDir(), name)
			if err := os.CopyFS(edited, os.DirFS(dir)); err != nil {
				t.Fatal(err)
			}
			for _, lang := range a.Languages {
				f := filepath.Join(edited, string(lang)+".md")
				src, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				lines := strings.Split(string(src), "\n")
				n := 0
				for j, l := range lines {
					if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "|") || strings.HasPrefix(l, ":::") {
						continue
					}
					if n++; n%4 == 0 {
						lines[j] = l + " ИЗМ"
					}
				}
				if err := os.WriteFile(f, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			b := loadVersion(t, edited, "edited")
			data, err := Redline(diff.Compare(a, b), RedlineOptions{Date: time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)})
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(t.TempDir(), "redline.docx")
			if err := os.WriteFile(path, data, 0o644); err != nil {
				t.Fatal(err)
			}
			if !made {
				textAsIs(t, path, profile) // creates the profile the macro goes in
				made = true
			}
			accepted := acceptAll(t, path, profile)
			for _, lang := range b.Languages {
				src, err := canon.FormatDoc(b.Docs[lang])
				if err != nil {
					t.Fatal(err)
				}
				want := strings.Join(visible(src), "\n")
				if got := strings.Join(langPart(t, accepted, lang), "\n"); got != want {
					t.Errorf("%s: accepting all changes does not give the edited text: %s", lang, diffLines([]byte(got), []byte(want)))
				}
			}
		})
	}
}

// loadVersion loads the policy folder dir as a version of the diff.
func loadVersion(t *testing.T, dir, label string) *diff.Version {
	t.Helper()
	p, _, err := source.Load(os.DirFS(dir), dir)
	if err != nil {
		t.Fatal(err)
	}
	return &diff.Version{ID: p.ID, Edition: p.Edition, Effective: p.Effective, Title: p.Title, Organization: p.Organization,
		Label: label, Version: saiasat.Hash("sha256:" + label), Languages: p.Languages, Docs: p.Docs}
}
