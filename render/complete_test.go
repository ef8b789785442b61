package render_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/diff"
	"github.com/saiasat/saiasat/markdown"
	"github.com/saiasat/saiasat/render"
)

// everyKind builds two versions of testdata/clean whose diff holds every
// kind of change in both languages: the title and a heading renamed, a
// section with unnumbered text removed and another added, unnumbered text
// added, a clause inserted at the top of a section (the two after it
// renumbered: a run), a look-alike letter changed, words changed, an item
// inserted, a bullet removed, a clause moved to another section, and every
// printed policy.yaml field changed.
func everyKind(t *testing.T) (*diff.Version, *diff.Version) {
	t.Helper()
	words := map[saiasat.Lang][]string{
		"kk": {"## 4. Ескі бөлім", "Ескі бөлімнің нөмірсіз мәтіні.", "4.1. Ескі бөлімнің тармағы.", " және анықтамалар", "Бөлімге кіріспе мәтін.",
			"1.1. Жаңадан енгізілген алғашқы тармақ.", "өте ", "3) кездейсоқ тармақша;", "## 5. Қорытынды ережелер", "5.1. Қорытынды тармақ мәтіні."},
		"ru": {"## 4. Старый раздел", "Ненумерованный текст старого раздела.", "4.1. Пункт старого раздела.", " и определения", "Вводные положения главы первой.",
			"1.1. Вновь включенный первый пункт.", "очень ", "3) случайный подпункт;", "## 5. Заключительные положения", "5.1. Текст заключительного пункта."},
	}
	texts := [2]map[saiasat.Lang][]byte{{}, {}}
	for _, l := range []saiasat.Lang{"kk", "ru"} {
		src, err := os.ReadFile("../testdata/clean/" + string(l) + ".md")
		if err != nil {
			t.Fatal(err)
		}
		w := words[l]
		ls := strings.Split(strings.TrimSuffix(string(src), "\n"), "\n")
		texts[0][l] = []byte(strings.Join(append(ls, "", w[0], "", w[1], "", w[2]), "\n") + "\n")

		var b []string
		for i, line := range ls {
			switch {
			case i == 0:
				line += " (2)"
			case strings.HasPrefix(line, "## 2."):
				line += w[3]
			case strings.HasPrefix(line, "1.1. "):
				b = append(b, w[4], "", w[5], "")
				line = "1.2. " + line[5:]
			case strings.HasPrefix(line, "1.2. "):
				line = "1.3. " + line[5:]
			case strings.HasPrefix(line, "2) "):
				// A Latin e for a Cyrillic е: a look-alike fix.
				line = strings.Replace(line, "е", "e", 1)
			case strings.HasPrefix(line, "2.2. "):
				line = "2.2. " + w[6] + line[5:]
			case strings.HasPrefix(line, "2.1) "):
				b = append(b, w[7])
			case strings.HasPrefix(line, "2.3. "):
				b = b[:len(b)-1] // the blank line before it
				continue
			case strings.HasPrefix(line, "- ") && len(b) > 0 && strings.HasSuffix(b[len(b)-1], ":"):
				continue // the first bullet
			}
			b = append(b, line)
		}
		for _, line := range ls {
			if strings.HasPrefix(line, "2.3. ") {
				b = append(b, "", "3.2. "+line[5:])
			}
		}
		b = append(b, "", w[8], "", w[9])
		texts[1][l] = []byte(strings.Join(b, "\n") + "\n")
	}
	v := func(n int, title, org string, eff time.Time) *diff.Version {
		x := &diff.Version{ID: "clean", Edition: n, Released: true, Label: fmt.Sprintf("edition %d", n), Effective: eff,
			Title: map[saiasat.Lang]string{"kk": title, "ru": title}, Organization: map[saiasat.Lang]string{"kk": org, "ru": org},
			Languages: []saiasat.Lang{"kk", "ru"}, Docs: map[saiasat.Lang]*saiasat.Document{}}
		hashes := map[saiasat.Lang]saiasat.Hash{}
		for l, src := range texts[n-1] {
			x.Docs[l], _ = markdown.Parse(string(l)+".md", l, src)
			hashes[l] = saiasat.HashBytes(src)
		}
		x.Version = saiasat.VersionInput{ID: "clean", Edition: n, Effective: eff, Texts: hashes}.Hash()
		return x
	}
	return v(1, "Саясат", "ЖШС", time.Date(2025, 9, 16, 0, 0, 0, 0, time.UTC)), v(2, "Жаңа саясат", "Жаңа ЖШС", time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC))
}

// kindKey is a kind of change of a kind of block.
type kindKey struct {
	lang  saiasat.Lang
	kind  diff.Kind
	block diff.Block
}

// Every change the JSON carries is shown by the text, HTML and PDF
// redlines, kind by kind and language by language, and the counts agree:
// on testdata/clean with every kind of change (everyKind), and on the
// every-kind text with a change to each kind of block (everyBlockKind).
func TestEveryChangeIsShown(t *testing.T) {
	from, to := everyKind(t)
	html := showsEveryChange(t, diff.Compare(from, to), func(l saiasat.Lang) []kindKey {
		return []kindKey{{l, diff.Modified, diff.BlockTitle}, {l, diff.Modified, diff.BlockHeading}, {l, diff.Added, diff.BlockHeading},
			{l, diff.Removed, diff.BlockHeading}, {l, diff.Added, diff.BlockText}, {l, diff.Removed, diff.BlockText}, {l, diff.Added, diff.BlockClause},
			{l, diff.Removed, diff.BlockClause}, {l, diff.Modified, diff.BlockClause}, {l, diff.Renumbered, diff.BlockClause}, {l, diff.Moved, diff.BlockClause}}
	}, 6) // title and organization per language, edition, effective
	if !strings.Contains(html, `<strong>үшінші тұлғаларға</strong>`) {
		t.Error("HTML redline lacks the strong run of 3.1")
	}
}

// showsEveryChange checks that the text, HTML and PDF redlines of r show
// each change of its JSON, that the fixture holds the kinds must names in
// each language, and metadata printed fields; it returns the HTML.
func showsEveryChange(t *testing.T, r *diff.Result, must func(saiasat.Lang) []kindKey, metadata int) string {
	t.Helper()

	// What the JSON says.
	var js bytes.Buffer
	if err := r.WriteJSON(&js, false); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Languages map[saiasat.Lang]struct {
			Changes []struct {
				Kind  diff.Kind
				Block diff.Block
			}
			Summary diff.Summary
		}
		Metadata []json.RawMessage
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	want := map[kindKey]int{}
	for l, ld := range doc.Languages {
		for _, c := range ld.Changes {
			b := c.Block
			if b == "" {
				b = diff.BlockClause
			}
			want[kindKey{l, c.Kind, b}]++
		}
	}
	// The fixture must hold every kind in both languages, or the test
	// proves less than it says.
	for _, l := range []saiasat.Lang{"kk", "ru"} {
		for _, k := range must(l) {
			if want[k] == 0 {
				t.Errorf("fixture lacks %v: %v", k, want)
			}
		}
	}
	if len(doc.Metadata) != metadata {
		t.Errorf("fixture: %d metadata changes, want %d", len(doc.Metadata), metadata)
	}

	t.Run("text", func(t *testing.T) {
		var b bytes.Buffer
		if err := r.WriteText(&b, false); err != nil {
			t.Fatal(err)
		}
		got := countText(t, b.String())
		compare(t, "text", got, want)
		if n := strings.Count(b.String(), "~ policy.yaml "); n != len(doc.Metadata) {
			t.Errorf("text shows %d policy.yaml changes, JSON has %d", n, len(doc.Metadata))
		}
	})
	rl, err := render.NewRedline(r, render.RedlineOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var html string
	t.Run("html", func(t *testing.T) {
		h, err := render.RedlineHTML(r, render.RedlineOptions{})
		if err != nil {
			t.Fatal(err)
		}
		html = string(h)
		got := map[kindKey]int{}
		cell := regexp.MustCompile(`<td class="text" lang="(\w+)" data-kind="(\w+)" data-block="(\w+)"(?: data-run="(\d+)")?>`)
		for _, m := range cell.FindAllStringSubmatch(html, -1) {
			n := 1
			if m[4] != "" {
				n, _ = strconv.Atoi(m[4])
			}
			if m[2] != string(diff.Unchanged) {
				got[kindKey{saiasat.Lang(m[1]), diff.Kind(m[2]), diff.Block(m[3])}] += n
			}
		}
		compare(t, "HTML", got, want)
		// Each column lists its language's fields and the shared ones.
		if n := strings.Count(html, `data-kind="metadata"`); n != doc.Languages["kk"].Summary.Metadata+doc.Languages["ru"].Summary.Metadata {
			t.Errorf("HTML shows %d policy.yaml changes, the JSON's summaries %d", n, doc.Languages["kk"].Summary.Metadata+doc.Languages["ru"].Summary.Metadata)
		}
		// Inline markup as the site prints it, never raw.
		for _, raw := range []string{"**", "](#"} {
			if strings.Contains(html, raw) {
				t.Errorf("HTML redline holds raw markup %q", raw)
			}
		}
	})
	t.Run("pdf", func(t *testing.T) {
		pdf, err := render.RedlinePDF(r, render.RedlineOptions{})
		if err != nil {
			t.Fatal(err)
		}
		text := pdftotext(t, pdf)
		flat := strings.Join(strings.Fields(text), "")
		// Every cell's head, in order of the rows, each after the one
		// before: a change missing from the PDF breaks the chain.
		// The rows start after the preamble's last line: the policy.yaml
		// fields of the last column.
		// (its summary when no field changed).
		last := rl.Cols[len(rl.Cols)-1].Meta
		if len(last) == 0 {
			last = rl.Cols[len(rl.Cols)-1].Summary
		}
		at := strings.Index(flat, strings.Join(strings.Fields(last[len(last)-1]), ""))
		if at < 0 {
			t.Fatalf("PDF lacks %q", last[len(last)-1])
		}
		got := map[kindKey]int{}
		for _, row := range rl.Rows {
			for _, c := range row.Cells {
				if c.Kind == "" {
					continue
				}
				h := strings.Join(strings.Fields(c.Head), "")
				i := strings.Index(flat[at:], h)
				if i < 0 {
					t.Errorf("PDF lacks %s %s %q after the rows before it", row.Key, c.Lang, c.Head)
					continue
				}
				at += i + len(h)
				if c.Kind != diff.Unchanged {
					got[kindKey{c.Lang, c.Kind, c.Block}] += max(c.Run, 1)
				}
			}
		}
		compare(t, "PDF", got, want)
		for _, c := range rl.Cols {
			for _, s := range append(append([]string{}, c.Summary...), c.Meta...) {
				if !strings.Contains(flat, strings.Join(strings.Fields(s), "")) {
					t.Errorf("PDF lacks %q", s)
				}
			}
		}
		for _, raw := range []string{"**", "](#"} {
			if strings.Contains(text, raw) {
				t.Errorf("PDF redline holds raw markup %q", raw)
			}
		}
	})
	// One source of truth: the summary each language's column words is
	// the JSON's.
	for k, c := range rl.Cols {
		loc, err := render.NewLocalizer(c.Lang)
		if err != nil {
			t.Fatal(err)
		}
		lines, err := render.SummaryLines(loc, doc.Languages[c.Lang].Summary)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Join(lines, "; ") != strings.Join(rl.Cols[k].Summary, "; ") {
			t.Errorf("%s summary %q, JSON's %q", c.Lang, rl.Cols[k].Summary, lines)
		}
	}
	return html
}

// countText counts the change lines of the text redline, per language.
func countText(t *testing.T, out string) map[kindKey]int {
	t.Helper()
	got := map[kindKey]int{}
	var lang saiasat.Lang
	num := `\d+(?:\.\d+)*`
	res := []struct {
		re    *regexp.Regexp
		kind  diff.Kind
		block diff.Block
	}{
		{regexp.MustCompile(`^~ title$`), diff.Modified, diff.BlockTitle},
		{regexp.MustCompile(`^~ heading \S+$`), diff.Modified, diff.BlockHeading},
		{regexp.MustCompile(`^\+ heading \S+$`), diff.Added, diff.BlockHeading},
		{regexp.MustCompile(`^- heading \S+$`), diff.Removed, diff.BlockHeading},
		{regexp.MustCompile(`^~ text at line \d+$`), diff.Modified, diff.BlockText},
		{regexp.MustCompile(`^\+ text at line \d+$`), diff.Added, diff.BlockText},
		{regexp.MustCompile(`^- text at line \d+$`), diff.Removed, diff.BlockText},
		{regexp.MustCompile(`^~ ` + num + `( → ` + num + `)? \(`), diff.Modified, diff.BlockClause},
		{regexp.MustCompile(`^\+ ` + num + `( |$)`), diff.Added, diff.BlockClause},
		{regexp.MustCompile(`^- ` + num + `( |$)`), diff.Removed, diff.BlockClause},
		{regexp.MustCompile(`^` + num + ` → ` + num + ` \(moved\)$`), diff.Moved, diff.BlockClause},
		{regexp.MustCompile(`^` + num + ` → ` + num + `$`), diff.Renumbered, diff.BlockClause},
	}
	for _, b := range []diff.Block{diff.BlockApproval, diff.BlockChapter, diff.BlockTable, diff.BlockFootnote, diff.BlockSignature, diff.BlockItem, diff.BlockBullet} {
		res = append(res, struct {
			re    *regexp.Regexp
			kind  diff.Kind
			block diff.Block
		}{regexp.MustCompile(`^~ ` + string(b) + ` \S+$`), diff.Modified, b}, struct {
			re    *regexp.Regexp
			kind  diff.Kind
			block diff.Block
		}{regexp.MustCompile(`^\+ ` + string(b) + ` \S+$`), diff.Added, b}, struct {
			re    *regexp.Regexp
			kind  diff.Kind
			block diff.Block
		}{regexp.MustCompile(`^- ` + string(b) + ` \S+$`), diff.Removed, b})
	}
	run := regexp.MustCompile(`^` + num + `–` + num + ` → ` + num + `–` + num + `, text unchanged \((\d+) clauses\)$`)
	head := regexp.MustCompile(`^(\w+): \d+ added`)
	for _, line := range strings.Split(out, "\n") {
		if m := head.FindStringSubmatch(line); m != nil {
			lang = saiasat.Lang(m[1])
			continue
		}
		if lang == "" || strings.HasPrefix(line, " ") {
			continue
		}
		if m := run.FindStringSubmatch(line); m != nil {
			n, _ := strconv.Atoi(m[1])
			got[kindKey{lang, diff.Renumbered, diff.BlockClause}] += n
			continue
		}
		for _, x := range res {
			if x.re.MatchString(line) {
				got[kindKey{lang, x.kind, x.block}]++
				break
			}
		}
	}
	return got
}

func compare(t *testing.T, format string, got, want map[kindKey]int) {
	t.Helper()
	for k, n := range want {
		if k.kind == diff.Unchanged {
			continue
		}
		if got[k] != n {
			t.Errorf("%s shows %d %s %s %s, JSON has %d", format, got[k], k.lang, k.kind, k.block, n)
		}
	}
	for k, n := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s shows %d %s %s %s the JSON does not have", format, n, k.lang, k.kind, k.block)
		}
	}
}
