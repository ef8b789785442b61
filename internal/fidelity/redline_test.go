package fidelity_test

import (
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/canon"
	"github.com/saiasat/saiasat/diff"
	"github.com/saiasat/saiasat/internal/testtool"
	"github.com/saiasat/saiasat/markdown"
	"github.com/saiasat/saiasat/release"
	"github.com/saiasat/saiasat/render"
	"github.com/saiasat/saiasat/server"
	"github.com/saiasat/saiasat/site"
	"golang.org/x/net/html"
)

// redlineCase is a pair of versions the redline compares.
type redlineCase struct {
	name string
	a, b map[saiasat.Lang][]byte // canonical texts
	// numbering is the texts' scheme.
	numbering saiasat.Numbering
}

// redlineCases pairs every text of the corpus — the fixtures and
// generatedTexts generated texts — with a copy mutated at random (words
// deleted, inserted, replaced, wrapped in strong), and adds the pairs the
// repository holds: both sides of every diff case, and the bundled
// policy's edition 1 against its draft; then the smallest cases of three
// defects the redline once had (see checkView).
func redlineCases(t *testing.T, generatedTexts int) []redlineCase {
	t.Helper()
	canonicalIn := func(n saiasat.Numbering, texts map[saiasat.Lang][]byte) map[saiasat.Lang][]byte {
		out := map[saiasat.Lang][]byte{}
		for l, src := range texts {
			c, err := canon.Format(src, markdown.WithNumbering(n))
			if err != nil {
				t.Fatal(err)
			}
			out[l] = c
		}
		return out
	}
	canonical := func(texts map[saiasat.Lang][]byte) map[saiasat.Lang][]byte {
		return canonicalIn(saiasat.NumberingSections, texts)
	}
	var out []redlineCase
	fixtures := append(repoFixtures(t), generated(generatedTexts)...)
	pairs := map[string]map[string]fixture{}
	for i, f := range fixtures {
		a := canonicalIn(f.numbering, f.texts)
		rng := rand.New(rand.NewPCG(7, uint64(i)))
		b := map[saiasat.Lang][]byte{}
		for _, l := range slices.Sorted(maps.Keys(a)) {
			b[l] = canonicalIn(f.numbering, map[saiasat.Lang][]byte{l: mutate(rng, a[l])})[l]
		}
		out = append(out, redlineCase{name: f.name + "/mutated", a: a, b: b, numbering: f.numbering})
		if base, side, ok := cutLast(f.name); ok && strings.HasSuffix(base, ".txtar") {
			if pairs[base] == nil {
				pairs[base] = map[string]fixture{}
			}
			pairs[base][side] = f
		}
	}
	for _, name := range slices.Sorted(maps.Keys(pairs)) {
		if old, ok := pairs[name]["old"]; ok {
			if nw, ok := pairs[name]["new"]; ok {
				out = append(out, redlineCase{name: name, a: canonical(old.texts), b: canonical(nw.texts)})
			}
		}
	}
	ed1, draft := map[saiasat.Lang][]byte{}, map[saiasat.Lang][]byte{}
	for _, l := range []saiasat.Lang{"kk", "ru"} {
		r, err := os.ReadFile(filepath.Join(bundled, "releases", "1", string(l)+".md"))
		if err != nil {
			t.Fatal(err)
		}
		d, err := os.ReadFile(filepath.Join(bundled, string(l)+".md"))
		if err != nil {
			t.Fatal(err)
		}
		ed1[l], draft[l] = r, d
	}
	out = append(out, redlineCase{name: "policies/privacy/1-draft", a: ed1, b: canonical(draft)})
	// The smallest cases of the redline's former defects (see checkView).
	for _, p := range []struct{ name, a, b string }{
		{"defect-A", "## 1. A\n\n1.1. **Сұрақтар** мен [жауаптар](#1.1) бөлімі.\n", "## 1. A\n\n1.1. Сұрақтар** мен жауаптар](#1.1) бөлімі.\n"},
		{"defect-B", "## 1. A\n\n1.1. Мәтін.\n\n## 2. Б\n\n2.1. Мәтін.\n", "## 1. A\n\n1.1. Мәтін.\n\n2.1. Мәтін.\n"},
		{"defect-C", "## 1. A\n\n1.1. Тізім:\n1) **бірінші\n- екінші** мәтін.\n", "## 1. A\n\n1.1. Тізім, жаңа:\n1) **бірінші\n- екінші** мәтін.\n"},
	} {
		out = append(out, redlineCase{name: "repro/" + p.name, a: map[saiasat.Lang][]byte{"kk": []byte(p.a)}, b: map[saiasat.Lang][]byte{"kk": []byte(p.b)}})
	}
	return out
}

func cutLast(s string) (string, string, bool) {
	i := strings.LastIndexByte(s, '/')
	if i < 0 {
		return "", "", false
	}
	return s[:i], s[i+1:], true
}

// mutate changes words of src: on lines that are not headings, after the
// block's label, a word is deleted, replaced, or wrapped in "**" with the
// next, or an odd word is inserted.
func mutate(rng *rand.Rand, src []byte) []byte {
	lines := strings.Split(string(src), "\n")
	for i, line := range lines {
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" || rng.IntN(3) != 0 {
			continue
		}
		ws := strings.Split(line, " ")
		from := 0
		if markdown.StartsBlock([]byte(line)) {
			from = 1
		}
		if len(ws) <= from {
			continue
		}
		k := from + rng.IntN(len(ws)-from)
		switch rng.IntN(4) {
		case 0:
			if len(ws)-from > 1 {
				ws = slices.Delete(ws, k, k+1)
			}
		case 1:
			ws[k] = oddWords[rng.IntN(len(oddWords))]
		case 2:
			if k+1 < len(ws) {
				ws[k], ws[k+1] = "**"+ws[k], ws[k+1]+"**"
			}
		default:
			ws = slices.Insert(ws, k+1, kkWords[rng.IntN(len(kkWords))])
		}
		lines[i] = strings.Join(ws, " ")
	}
	return []byte(strings.Join(lines, "\n"))
}

// diffVersion is one side of a redline case.
func diffVersion(label string, edition int, texts map[saiasat.Lang][]byte, n saiasat.Numbering) *diff.Version {
	v := &diff.Version{ID: "t", Edition: edition, Label: label, Docs: map[saiasat.Lang]*saiasat.Document{},
		Title: map[saiasat.Lang]string{}, Effective: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	hashes := map[saiasat.Lang]saiasat.Hash{}
	for _, l := range []saiasat.Lang{"kk", "ru"} {
		if t, ok := texts[l]; ok {
			v.Languages = append(v.Languages, l)
			v.Docs[l], _ = markdown.Parse(string(l)+".md", l, t, markdown.WithNumbering(n))
			v.Title[l] = "Т"
			hashes[l] = saiasat.HashBytes(t)
		}
	}
	v.Version = saiasat.VersionInput{ID: "t", Edition: edition, Effective: v.Effective, Texts: hashes}.Hash()
	return v
}

// blockWords is what a reader must read of one side of a block of the
// redline (diff.Change's OldText or NewText), as the page prints it: a
// clause's text after its number (lead text, items, bullets) with the
// format's markup, a title, chapter or heading as written without its "#"
// marks, unnumbered text as the page prints text outside clauses; the
// lines of an approval stamp or signature block as written, without their
// fences; a table's and a footnote's lines with the markup read line by
// line — the redline shows a table as its rows are written, pipes
// included, so the approver reads the bytes signed. A bullet's mark is "-"
// here and in what it is compared with: the redline may print it as
// written or as the page's "–".
func blockWords(block diff.Block, text string, n saiasat.Numbering) []string {
	var ws []string
	lines := strings.Split(strings.Trim(text, "\n"), "\n")
	switch {
	case strings.TrimSpace(text) == "":
	case block == diff.BlockTitle || block == diff.BlockHeading || block == diff.BlockChapter:
		for _, l := range lines {
			ws = append(ws, strings.Fields(strings.TrimLeft(strings.TrimSpace(l), "#"))...)
		}
	case block == diff.BlockApproval || block == diff.BlockSignature:
		// Its fences, the first and last lines (":::" and whatever
		// follows, as the parser reads a fence), are not printed.
		for i, l := range lines {
			if (i == 0 || i == len(lines)-1) && strings.HasPrefix(strings.TrimSpace(l), ":::") {
				continue
			}
			ws = append(ws, strings.Fields(l)...)
		}
	case block == diff.BlockTable || block == diff.BlockFootnote:
		for _, l := range lines {
			ws = append(ws, strings.Fields(markdown.Plain(l))...)
		}
	case block == diff.BlockText || block == diff.BlockItem || block == diff.BlockBullet:
		ws = readerWordsOf([]byte(text), n)
	default:
		ws = readerWordsOf([]byte("1.1. "+text), saiasat.NumberingSections)[1:]
	}
	return dashes(ws)
}

func dashes(ws []string) []string {
	for i, w := range ws {
		if w == "–" {
			ws[i] = "-"
		}
	}
	return ws
}

// TestRedlineFaithful renders the redline of every case (render.RedlineHTML
// and RedlinePDF, unchanged blocks included) and checks, per language:
//   - HTML, per block (clause, title, section heading, unnumbered text):
//     the cell read without its deletions (<del>) gives exactly the new
//     block's words, and read without its insertions (<ins>) exactly the
//     old block's — so every word of B is shown in order, and every
//     deleted word of A; the words are the page's (markup as the site
//     prints it), not raw Markdown;
//   - PDF (pdftotext): the words of every cell, deleted and inserted as
//     the redline presents them (render.NewRedline's segments, whose
//     reading the HTML check holds to the texts), appear in order.
//
// A clause renumbered with its words unchanged may have no row: the
// redline folds runs of them into one.
func TestRedlineFaithful(t *testing.T) {
	testtool.Require(t, "pdftotext") // fails in CI, skips elsewhere
	// 24 generated texts: the mutations of more texts meet more pairings
	// of markup (150 were run once: no difference but the defects since mended),
	// at about 1 s of -race time each on two busy cores.
	for _, c := range redlineCases(t, 24) {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			r := diff.Compare(diffVersion("a", 1, c.a, c.numbering), diffVersion("b", 2, c.b, c.numbering))
			opt := render.RedlineOptions{All: true}
			page, err := render.RedlineHTML(r, opt)
			if err != nil {
				t.Fatal(err)
			}
			cells, err := redlineCells(page)
			if err != nil {
				t.Fatal(err)
			}
			for _, ld := range r.Languages {
				for _, ch := range ld.Changes {
					key := "c" + rowKey(&ch)
					cell, ok := cells[key+"/"+string(ld.Lang)]
					if !ok {
						if ch.Kind == diff.Renumbered && !ch.TextChanged() {
							continue
						}
						t.Errorf("%s %s (%s %s): no row in the HTML redline", ld.Lang, key, ch.Block, ch.Kind)
						continue
					}
					where := fmt.Sprintf("HTML %s %s (%s %s)", ld.Lang, key, ch.Block, ch.Kind)
					checkView(t, where+", read without deletions", false, blockWords(ch.Block, ch.NewText, c.numbering), cell.new)
					checkView(t, where+", read without insertions", true, blockWords(ch.Block, ch.OldText, c.numbering), cell.old)
				}
			}

			pdf, err := render.RedlinePDF(r, opt)
			if err != nil {
				t.Fatal(err)
			}
			words, _, err := pdfWords(t, pdf)
			if err != nil {
				t.Fatal(err)
			}
			rl, err := render.NewRedline(r, opt)
			if err != nil {
				t.Fatal(err)
			}
			for k, col := range rl.Cols {
				var want []string
				for _, row := range rl.Rows {
					var b strings.Builder
					for _, s := range row.Cells[k].Segs {
						b.WriteString(s.Text)
					}
					want = append(want, dashes(strings.Fields(b.String()))...)
				}
				if err := subsequence(want, words); err != nil {
					t.Errorf("PDF %s: %v", col.Lang, err)
				}
			}
		})
	}
}

// checkView checks one reading of a redline cell against the block's words.
// Three defects the redline once had are each a case of redlineCases:
//   - A: an edit that changes how the "**" and link delimiters around it
//     pair left delimiters one text hid and the other printed in text shown
//     as unchanged (the redline now shows such text deleted with its old
//     marks and inserted with its new ones);
//   - B: a section heading added or removed was shown with its "#" marks;
//   - C: a "**" in an item paired with one in the next bullet or paragraph
//     (the redline now reads each block apart, as the page does).
func checkView(t *testing.T, where string, old bool, want, got []string) {
	t.Helper()
	if err := inOrder(want, got, noChrome); err != nil {
		t.Errorf("%s: %v", where, err)
	}
}

// rowKey is the id the HTML redline gives a block's row, after "c": "#"
// for the title, "§N" for a numbered section heading and "§" and its ID
// for another, "¶" and its ID for unnumbered text (its line when the text
// has no tree), "·" and its ID for a list outside clauses, its ID for an
// approval stamp, chapter, table, footnote or signature block, a clause's
// number; "−" and the old one for a block removed.
func rowKey(c *diff.Change) string {
	gone, id := "", c.ToID
	if c.ToLine == 0 {
		gone, id = "−", c.FromID
	}
	switch c.Block {
	case diff.BlockClause:
	case diff.BlockTitle:
		return "#"
	case diff.BlockHeading:
		switch {
		case c.To == nil && c.From == nil:
			return gone + "§" + id
		case c.To == nil:
			return "−§" + c.From.String()
		}
		return "§" + c.To.String()
	case diff.BlockText:
		switch {
		case id != "":
			return gone + "¶" + id
		case c.ToLine == 0:
			return fmt.Sprintf("−¶%d", c.FromLine)
		}
		return fmt.Sprintf("¶%d", c.ToLine)
	case diff.BlockItem, diff.BlockBullet:
		return gone + "·" + id
	default:
		return gone + id
	}
	if c.To == nil {
		return "−" + c.From.String()
	}
	return c.To.String()
}

// redlineCell is one language's cell of a row, read two ways.
type redlineCell struct{ old, new []string }

// redlineCells reads the HTML redline's clause cells (td.text, by row id
// and language) without their deletions and without their insertions;
// the cell's head (span.kind, what happened to the clause) is not the
// text's.
func redlineCells(page []byte) (map[string]redlineCell, error) {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return nil, err
	}
	out := map[string]redlineCell{}
	var rows func(n *html.Node)
	rows = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "tr" && attr(n, "id") != "" {
			for td := n.FirstChild; td != nil; td = td.NextSibling {
				if td.Type == html.ElementNode && td.Data == "td" && hasClass(td, "text") {
					out[attr(n, "id")+"/"+attr(td, "lang")] = redlineCell{old: dashes(cellWords(td, "ins")), new: dashes(cellWords(td, "del"))}
				}
			}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			rows(c)
		}
	}
	rows(doc)
	if len(out) == 0 {
		return nil, fmt.Errorf("no clause cells (tr[id] td.text) in the redline")
	}
	return out, nil
}

// cellWords reads a cell's text, leaving out the elements named skip, the
// cell's head and its note of look-alike letters fixed (span.fixes): they
// are the redline's words, not the text's.
func cellWords(td *html.Node, skip string) []string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && (n.Data == skip || hasClass(n, "kind") || hasClass(n, "fixes")):
			return
		case n.Type == html.ElementNode && blockElements[n.Data]:
			b.WriteByte(' ')
			defer b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(td)
	return strings.Fields(b.String())
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// subsequence checks that want's words appear in got in order, anything
// between them (the other language's column, the redline's headings). A
// word the PDF broke — at a line's end where the word is too long for its
// column, or where a page break cuts a cell — is joined: a piece that ends
// its line, with the piece that opens a later line (the next line of its
// column may come after the other column's lines), when together they
// make exactly the word wanted.
func subsequence(want []string, got []pdfWord) error {
	j := 0
	for i, w := range want {
		for {
			if j == len(got) {
				return fmt.Errorf("word %d of %d, %q, not found in order\n  text: …%s…", i+1, len(want), w, around(want, i))
			}
			if g := got[j].text; g == w || g == "–" && w == "-" {
				j++
				break
			}
			if k := joined(w, got, j); k > j {
				j = k + 1
				break
			}
			j++
		}
	}
	return nil
}

// joined returns the index of the last piece of w when w starts at got[j]
// broken over lines, or -1. Every line start that continues w is tried in
// turn (the other column may hold a line starting with "__" too).
func joined(w string, got []pdfWord, j int) int {
	var from func(acc string, k int) int
	from = func(acc string, k int) int {
		if acc == w {
			return k
		}
		if !got[k].last || !strings.HasPrefix(w, acc) {
			return -1
		}
		for m := k + 1; m < len(got); m++ {
			if got[m].first && strings.HasPrefix(w, acc+got[m].text) {
				if end := from(acc+got[m].text, m); end >= 0 {
					return end
				}
			}
		}
		return -1
	}
	if got[j].text == w {
		return -1
	}
	return from(got[j].text, j)
}

// TestChangesPageFaithful publishes every redline case as two approved
// editions of a policy and reads the site's public "what changed" page
// (GET /{lang}/{id}/changes/2/ from the server) as TestRedlineFaithful
// reads the redline: per changed block, the row read without deletions
// gives exactly the new block's words, without insertions the old one's.
func TestChangesPageFaithful(t *testing.T) {
	// The pairs the repository holds and the generated texts' mutations:
	// the page shares the redline's cells (render.NewRedline), which
	// TestRedlineFaithful reads for every case; a site of two editions
	// per case costs four PDFs each.
	var cases []redlineCase
	for _, c := range redlineCases(t, 12) {
		if !strings.HasSuffix(c.name, "/mutated") || strings.HasPrefix(c.name, "generated/") || strings.HasPrefix(c.name, "testdata/") {
			cases = append(cases, c)
		}
	}
	dir := t.TempDir()
	eff1, eff2 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	var inputs []site.Input
	for i, c := range cases {
		id := fmt.Sprintf("c%d", i+1)
		st := release.NewStore(filepath.Join(dir, id))
		for ed, texts := range []map[saiasat.Lang][]byte{c.a, c.b} {
			eff := []time.Time{eff1, eff2}[ed]
			p := &saiasat.Policy{Dir: filepath.Join(dir, id), ID: id, Edition: ed + 1, Effective: eff, Numbering: c.numbering,
				Title: map[saiasat.Lang]string{}, Organization: map[saiasat.Lang]string{}, Docs: map[saiasat.Lang]*saiasat.Document{}}
			for _, l := range []saiasat.Lang{"kk", "ru"} {
				if src, ok := texts[l]; ok {
					p.Languages = append(p.Languages, l)
					p.Title[l], p.Organization[l] = "Т", "О"
					p.Docs[l], _ = markdown.Parse(string(l)+".md", l, src, markdown.WithNumbering(c.numbering))
				}
			}
			r, err := st.Freeze(p, release.FreezeOptions{Edition: ed + 1, Effective: eff})
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if _, err := st.Approve(release.ApproveOptions{Edition: ed + 1, Hash: r.Version, Decision: "№ 1", Date: eff, Approver: "—"}); err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
		}
		rs, err := st.Releases()
		if err != nil {
			t.Fatal(err)
		}
		inputs = append(inputs, site.Input{Releases: rs})
	}
	srv, err := server.New(func(at time.Time) (*site.Site, error) {
		return site.Build(inputs, site.Options{Now: at})
	}, server.Options{Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	for i, c := range cases {
		id := fmt.Sprintf("c%d", i+1)
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			for _, l := range []saiasat.Lang{"kk", "ru"} {
				if c.a[l] == nil || c.b[l] == nil {
					continue
				}
				page := get(t, srv, "/"+string(l)+"/"+id+"/changes/2/", "text/html")
				rows, err := changeRows(page)
				if err != nil {
					t.Fatal(err)
				}
				// The page compares one language at a time, as the site
				// does.
				r := diff.Compare(diffVersion("a", 1, map[saiasat.Lang][]byte{l: c.a[l]}, c.numbering), diffVersion("b", 2, map[saiasat.Lang][]byte{l: c.b[l]}, c.numbering))
				for _, ch := range r.Languages[0].Changes {
					if ch.Kind == diff.Unchanged {
						continue
					}
					key := rowKey(&ch)
					row, ok := rows[key]
					if !ok {
						if ch.Kind == diff.Renumbered && !ch.TextChanged() {
							continue
						}
						t.Errorf("%s %s (%s %s): no row on the changes page", l, key, ch.Block, ch.Kind)
						continue
					}
					where := fmt.Sprintf("%s %s (%s %s)", l, key, ch.Block, ch.Kind)
					checkView(t, where+", read without deletions", false, blockWords(ch.Block, ch.NewText, c.numbering), row.new)
					checkView(t, where+", read without insertions", true, blockWords(ch.Block, ch.OldText, c.numbering), row.old)
				}
			}
		})
	}
}

// changeRows reads the rows (div.change, by id) of a "what changed" page,
// as redlineCells reads the redline's cells.
func changeRows(page []byte) (map[string]redlineCell, error) {
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		return nil, err
	}
	out := map[string]redlineCell{}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && n.Data == "div" && hasClass(n, "change") {
			out[attr(n, "id")] = redlineCell{old: dashes(cellWords(n, "ins")), new: dashes(cellWords(n, "del"))}
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return out, nil
}
