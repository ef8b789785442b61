package fidelity_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/canon"
	"github.com/saiasat/saiasat/internal/testtool"
	"github.com/saiasat/saiasat/markdown"
	"github.com/saiasat/saiasat/release"
	"github.com/saiasat/saiasat/render"
	"github.com/saiasat/saiasat/server"
	"github.com/saiasat/saiasat/site"
	"github.com/saiasat/saiasat/source"
)

// now is a day on which every fixture's edition 1 and the bundled
// policy's edition 1 are in force.
var now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

const bundled = root + "/policies/privacy"

// published is one text as the site publishes it: its canonical bytes,
// where its page and PDF are, and what the PDF's title block says.
type published struct {
	name  string // fixture name and language, for messages
	id    string
	lang  saiasat.Lang
	text  []byte // canonical Markdown
	page  string // the page's URL path
	pdf   string // the PDF's path in the site
	api   bool   // approved: the API serves the text by hash
	title string // policy.yaml's title in lang
	// numbering is the policy's numbering scheme.
	numbering saiasat.Numbering
	edition   int
	eff       time.Time
	draft     bool
	// approval is the message id of the PDF's approval line (the site's
	// approval as recorded), "" for none (the draft).
	approval string
}

// TestFaithful publishes every text of the corpus — the repository's
// fixtures, the bundled policy's edition 1 and draft, and generated texts —
// through the real release store, site build and HTTP server, and checks
// that each output gives a reader the words of the canonical Markdown, in
// order (see words.go for what "the words" are):
//   - the page (GET of the edition's page, its text as an HTML parser
//     reads it);
//   - the PDF (pdftotext -bbox-layout on the PDF the site serves, with the
//     running header and footer set aside by position);
//   - the API: GET /v1/texts/{hash} gives the canonical bytes, whose
//     SHA-256 is the hash; as text/html, the page; as .pdf, the same PDF.
func TestFaithful(t *testing.T) {
	testtool.Require(t, "pdftotext") // fails in CI, skips elsewhere
	fixtures := append(repoFixtures(t), generated(12)...)
	srv, texts := publish(t, fixtures)
	t.Cleanup(func() {
		// The generated texts hold words longer than a line: the rule
		// that joins a word the PDF broke must have met some.
		if pdfJoins.Load() == 0 && !t.Failed() {
			t.Error("no PDF broke a word over two lines: the join rule went untried")
		}
		t.Logf("%d texts; %d words the PDFs broke over lines, joined", len(texts), pdfJoins.Load())
	})
	for _, p := range texts {
		t.Run(p.name, func(t *testing.T) {
			t.Parallel()
			want := readerWords(t, p.text, p.numbering)

			page := get(t, srv, p.page, "text/html")
			got, err := pageWords(page)
			if err != nil {
				t.Fatalf("page %s: %v", p.page, err)
			}
			if err := inOrder(want, got, noChrome); err != nil {
				t.Errorf("page %s: %v", p.page, err)
			}

			pdf := get(t, srv, "/"+p.pdf, "application/pdf")
			if err := pdfFaithful(t, pdf, p); err != nil {
				t.Errorf("PDF %s: %v", p.pdf, err)
			}

			if !p.api {
				return
			}
			var cur struct {
				Text saiasat.Hash `json:"text_sha256"`
			}
			if err := json.Unmarshal(get(t, srv, "/v1/policies/"+p.id+"/current?lang="+string(p.lang), "application/json"), &cur); err != nil {
				t.Fatal(err)
			}
			md := get(t, srv, "/v1/texts/"+string(cur.Text), "text/markdown")
			if !bytes.Equal(md, p.text) {
				t.Errorf("GET /v1/texts/%s is not the canonical text (%d bytes, want %d)", cur.Text, len(md), len(p.text))
			}
			if sum := sha256.Sum256(md); "sha256:"+hex.EncodeToString(sum[:]) != string(cur.Text) {
				t.Errorf("GET /v1/texts/%s: its SHA-256 is not the hash", cur.Text)
			}
			if err := inOrder(want, readerWordsOf(md, p.numbering), noChrome); err != nil {
				t.Errorf("API text: %v", err)
			}
			got, err = pageWords(get(t, srv, "/v1/texts/"+string(cur.Text), "text/html"))
			if err != nil {
				t.Fatalf("API text as HTML: %v", err)
			}
			if err := inOrder(want, got, noChrome); err != nil {
				t.Errorf("API text as HTML: %v", err)
			}
			if !bytes.Equal(get(t, srv, "/v1/texts/"+string(cur.Text)+".pdf", "application/pdf"), pdf) {
				t.Errorf("GET /v1/texts/%s.pdf is not the edition's PDF", cur.Text)
			}
		})
	}
}

// readerWords returns the words a reader must get from a canonical text
// (its tree of blocks and markdown.Plain), after checking that this
// reading agrees with the test's own reading of docs/format.md
// (expectedWords) and that the only characters Spans leaves out are the
// markup's delimiters.
func readerWords(t *testing.T, text []byte, n saiasat.Numbering) []string {
	t.Helper()
	words := readerWordsOf(text, n)
	if err := inOrder(expectedWords(string(text)), words, noChrome); err != nil {
		t.Fatalf("the tree of blocks and Plain do not read the text as docs/format.md says: %v", err)
	}
	doc, _ := markdown.Parse("t.md", "kk", text, markdown.WithNumbering(n))
	var err error
	saiasat.WalkBlocks(doc.Blocks, func(b *saiasat.Block) bool {
		switch b.Kind {
		case saiasat.KindClause, saiasat.KindItem, saiasat.KindBullet, saiasat.KindParagraph, saiasat.KindFootnote:
			if e := onlyDelimiters(b.Text); e != nil && err == nil {
				err = e
			}
		case saiasat.KindTable:
			for _, r := range render.TableRows(b.Text) {
				for _, c := range r {
					if e := onlyDelimiters(c); e != nil && err == nil {
						err = e
					}
				}
			}
		}
		return true
	})
	if err != nil {
		t.Fatalf("markdown.Spans drops more than markup: %v", err)
	}
	return words
}

// readerWordsOf reads a text through the program's own definition of the
// format, its tree of blocks (markdown.Parse in the text's numbering
// scheme) in the order the page prints it: each block's label, then its
// text with the markup's delimiters removed (markdown.Plain); titles,
// headings, approval stamps and signature blocks as written; a table's
// cells row by row (render.TableRows); a bullet's glyph as written, "-"
// printed as "–"; footnotes last.
func readerWordsOf(text []byte, n saiasat.Numbering) []string {
	doc, _ := markdown.Parse("t.md", "kk", text, markdown.WithNumbering(n))
	words, notes := blockWordsOf(markdown.NewLines(text), doc.Blocks)
	return append(words, notes...)
}

// blockWordsOf returns the words of bs and the blocks under them, each
// block's paragraphs and children in source order (render.Parts over src,
// the text's lines), and apart the words of their footnotes.
func blockWordsOf(src *markdown.Lines, bs []*saiasat.Block) (words, notes []string) {
	plain := func(s string) []string { return strings.Fields(markdown.Plain(s)) }
	var walk func(b *saiasat.Block)
	// content adds b's paragraphs and children in source order.
	content := func(b *saiasat.Block) {
		for _, pt := range render.Parts(src, b) {
			if pt.Child != nil {
				walk(pt.Child)
			} else if b.Kind == saiasat.KindFootnote {
				notes = append(notes, plain(pt.Text)...)
			} else {
				words = append(words, plain(pt.Text)...)
			}
		}
	}
	walk = func(b *saiasat.Block) {
		switch b.Kind {
		case saiasat.KindTitle, saiasat.KindApproval, saiasat.KindSignature:
			words = append(words, strings.Fields(b.Text)...)
		case saiasat.KindChapter, saiasat.KindSection:
			words = append(words, strings.Fields(b.Label+" "+b.Text)...)
		case saiasat.KindClause, saiasat.KindItem:
			words = append(words, b.Label)
			content(b)
			return
		case saiasat.KindBullet:
			g := b.Label
			if g == "-" {
				g = "–"
			}
			words = append(words, g)
			content(b)
			return
		case saiasat.KindParagraph:
			content(b)
			return
		case saiasat.KindTable:
			for _, r := range render.TableRows(b.Text) {
				for _, c := range r {
					words = append(words, plain(c)...)
				}
			}
		case saiasat.KindFootnote:
			notes = append(notes, b.Label)
			content(b)
			return
		default:
			panic("fidelity: no reading of blocks of kind " + b.Kind.String())
		}
		for _, c := range b.Children {
			walk(c)
		}
	}
	for _, b := range bs {
		walk(b)
	}
	return words, notes
}

// delimRe is what may lie between two spans, or before the first or after
// the last: "**", "[" and "](#N)", in any sequence.
var delimRe = regexp.MustCompile(`^(?:\*\*|\[|\]\(#[1-9][0-9]{0,2}(?:\.[1-9][0-9]{0,2}){0,3}\))+$`)

// onlyDelimiters checks that every byte of text that no span holds is
// part of a delimiter of the format's markup.
func onlyDelimiters(text string) error {
	pos := 0
	gap := func(end int) error {
		if g := text[pos:end]; g != "" && !delimRe.MatchString(g) {
			return fmt.Errorf("%q is not printed in %q", g, text)
		}
		return nil
	}
	for _, s := range markdown.Spans(text) {
		if text[s.Start:s.Start+len(s.Text)] != s.Text {
			return fmt.Errorf("span %q is not the text at %d of %q", s.Text, s.Start, text)
		}
		if err := gap(s.Start); err != nil {
			return err
		}
		pos = s.Start + len(s.Text)
	}
	return gap(len(text))
}

// publish freezes and approves each fixture as edition 1 of its own policy
// in a temporary folder, adds the bundled policy (its releases as they are
// on disk, and its draft), and returns an HTTP server of the site built
// from them, as saiasat serve builds it, with the texts it publishes.
func publish(t *testing.T, fixtures []fixture) (http.Handler, []published) {
	t.Helper()
	dir := t.TempDir()
	eff := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var inputs []site.Input
	var out []published
	titles := map[saiasat.Lang]string{"kk": "Сынақ саясаты", "ru": "Тестовая политика"}
	// A text published twice (a diff case's unchanged side, the seed's
	// import, which is edition 1) is published once: the API names a text
	// by its hash, and the hash's PDF must be this edition's.
	seen := map[saiasat.Hash]bool{}
	bundledTexts, _ := filepath.Glob(filepath.Join(bundled, "releases", "*", "*.md"))
	for _, f := range bundledTexts {
		if b, err := os.ReadFile(f); err == nil {
			seen[saiasat.HashBytes(b)] = true
		}
	}
	for i, f := range fixtures {
		for _, l := range f.langs() {
			c, err := canon.Format(f.texts[l], markdown.WithNumbering(f.numbering))
			if err != nil {
				t.Fatal(err)
			}
			if h := saiasat.HashBytes(c); seen[h] {
				delete(f.texts, l)
			} else {
				seen[h] = true
			}
		}
		if len(f.texts) == 0 {
			continue
		}
		id := fmt.Sprintf("f%d", i+1)
		p := &saiasat.Policy{Dir: filepath.Join(dir, id), ID: id, Languages: f.langs(), Edition: 1, Effective: eff, Numbering: f.numbering,
			Title: map[saiasat.Lang]string{}, Organization: map[saiasat.Lang]string{}, Docs: map[saiasat.Lang]*saiasat.Document{}}
		for _, l := range p.Languages {
			p.Title[l], p.Organization[l] = titles[l], "ЖШС «Мысал»"
			p.Docs[l], _ = markdown.Parse(string(l)+".md", l, f.texts[l], markdown.WithNumbering(f.numbering))
		}
		st := release.NewStore(p.Dir)
		r, err := st.Freeze(p, release.FreezeOptions{Edition: 1, Effective: eff})
		if err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		if _, err := st.Approve(release.ApproveOptions{Edition: 1, Hash: r.Version, Decision: "№ 1", Date: eff, Approver: "—"}); err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		rs, err := st.Releases()
		if err != nil {
			t.Fatalf("%s: %v", f.name, err)
		}
		inputs = append(inputs, site.Input{Releases: rs})
		for _, l := range p.Languages {
			c, err := canon.Format(f.texts[l], markdown.WithNumbering(f.numbering))
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, published{name: f.name + "/" + string(l), id: id, lang: l, text: c, api: true, numbering: f.numbering,
				page: "/" + string(l) + "/" + id + "/", pdf: fmt.Sprintf("%s/%s/editions/1/%s-%s-1.pdf", l, id, id, l),
				title: p.Title[l], edition: 1, eff: eff, approval: "SiteApprovedOn"})
		}
	}

	rs, err := release.NewStore(bundled).Releases()
	if err != nil {
		t.Fatal(err)
	}
	draft, _, err := source.Load(os.DirFS(bundled), "policies/privacy")
	if err != nil {
		t.Fatal(err)
	}
	inputs = append(inputs, site.Input{Releases: rs, Draft: draft})
	for _, r := range rs {
		for _, l := range r.Languages {
			out = append(out, published{name: fmt.Sprintf("policies/privacy/releases/%d/%s", r.Edition, l), id: r.ID, lang: l,
				text: r.Docs[l].Source, api: true, page: fmt.Sprintf("/%s/%s/editions/%d/", l, r.ID, r.Edition),
				pdf:   fmt.Sprintf("%s/%s/editions/%d/%s-%s-%d.pdf", l, r.ID, r.Edition, r.ID, l, r.Edition),
				title: r.Title[l], edition: r.Edition, eff: r.Effective, approval: "SiteDecisionNotRecorded"})
		}
	}
	for _, l := range draft.Languages {
		c, err := canon.Format(draft.Docs[l].Source)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, published{name: "policies/privacy/" + string(l), id: draft.ID, lang: l, text: c,
			page: fmt.Sprintf("/%s/%s/draft/", l, draft.ID), pdf: fmt.Sprintf("%s/%s/draft/%s-%s-draft.pdf", l, draft.ID, draft.ID, l),
			title: draft.Title[l], edition: draft.Edition, eff: draft.Effective, draft: true})
	}

	srv, err := server.New(func(at time.Time) (*site.Site, error) {
		return site.Build(inputs, site.Options{Now: at})
	}, server.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	return srv, out
}

// get answers a GET of target from h, failing the test on any status but
// 200.
func get(t *testing.T, h http.Handler, target, accept string) []byte {
	t.Helper()
	r := httptest.NewRequest(http.MethodGet, target, nil)
	r.Header.Set("Accept", accept)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s (Accept: %s): %d %s", target, accept, w.Code, w.Body.Bytes())
	}
	return w.Body.Bytes()
}

// pdfFaithful checks the words of a policy PDF: the approval stamps
// (printed above everything), its title block (the policy's title,
// "edition · effective", on a draft the draft line), then the text's
// words, the text's own "# title" left out where it is the title block's
// (render.PolicyPDF prints it once), footnotes last.
func pdfFaithful(t *testing.T, pdf []byte, p published) error {
	loc, err := render.NewLocalizer(p.lang)
	if err != nil {
		return err
	}
	ed, err := loc.T("PDFEdition", map[string]any{"Edition": p.edition})
	if err != nil {
		return err
	}
	effID := "PDFEffective"
	if p.draft {
		effID = "PDFEffectiveDraft" // not in force yet
	}
	eff, err := loc.T(effID, map[string]any{"Date": render.FormatDateShort(p.lang, p.eff)})
	if err != nil {
		return err
	}
	doc, _ := markdown.Parse("t.md", p.lang, p.text, markdown.WithNumbering(p.numbering))
	var stamps []string
	var rest []*saiasat.Block
	first := true
	for _, b := range doc.Blocks {
		switch {
		case b.Kind == saiasat.KindApproval:
			stamps = append(stamps, strings.Fields(b.Text)...)
			continue
		case first && b.Kind == saiasat.KindTitle && strings.ReplaceAll(b.Text, "\n", " ") == p.title:
		default:
			rest = append(rest, b)
		}
		first = false
	}
	want := append(stamps, strings.Fields(p.title+" "+ed+" · "+eff)...)
	if p.approval != "" {
		// The fixtures' decisions ("№ 1", approver "—") are in no
		// language: the line says the date only.
		a, err := loc.T(p.approval, map[string]any{"Date": render.FormatDateShort(p.lang, p.eff)})
		if err != nil {
			return err
		}
		want = append(want, strings.Fields(a)...)
	}
	if p.draft {
		d, err := loc.T("PDFDraft", nil)
		if err != nil {
			return err
		}
		want = append(want, strings.Fields(d)...)
	}
	words, notes := blockWordsOf(markdown.NewLines(p.text), withoutStamps(rest))
	want = append(append(want, words...), notes...)
	got, err := pdfBodyWords(t, pdf)
	if err != nil {
		return err
	}
	n, err := pdfMatch(want, got)
	pdfJoins.Add(int64(n))
	return err
}

// withoutStamps returns bs with the approval stamps under them left out:
// the PDF prints them at the top.
func withoutStamps(bs []*saiasat.Block) []*saiasat.Block {
	var out []*saiasat.Block
	for _, b := range bs {
		if b.Kind == saiasat.KindApproval {
			continue
		}
		c := *b
		c.Children = withoutStamps(b.Children)
		out = append(out, &c)
	}
	return out
}

// pdfJoins counts the words the PDFs broke over two lines, joined by
// pdfMatch's rule.
var pdfJoins atomic.Int64
