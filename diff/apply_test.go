package diff_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/canon"
	"github.com/saiasat/saiasat/diff"
	"github.com/saiasat/saiasat/internal/blocktest"
	"github.com/saiasat/saiasat/internal/fuzzseed"
	"github.com/saiasat/saiasat/markdown"
	"golang.org/x/tools/txtar"
)

// A mutation edits the lines of a text; it returns false when the text has
// nothing it could edit.
type mutation struct {
	name string
	edit func(rng *rand.Rand, ls []string) ([]string, bool)
}

func isHeading(l string) bool { return strings.HasPrefix(l, "## ") }
func isClause(l string) bool  { return markdown.ClauseLabel([]byte(l)) > 0 }

// pick returns a random index of ls whose line satisfies ok, or -1.
func pick(rng *rand.Rand, ls []string, ok func(string) bool) int {
	var idx []int
	for i, l := range ls {
		if ok(l) {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 {
		return -1
	}
	return idx[rng.IntN(len(idx))]
}

// blockEnd returns the index after the block that starts at line i: up to
// the next heading or clause.
func blockEnd(ls []string, i int) int {
	j := i + 1
	for j < len(ls) && !isHeading(ls[j]) && !isClause(ls[j]) {
		j++
	}
	return j
}

func splice(ls []string, i, j int, with ...string) []string {
	out := append([]string{}, ls[:i]...)
	out = append(out, with...)
	return append(out, ls[j:]...)
}

var (
	chapterLine = regexp.MustCompile(`^## (Глава \d|Раздел |\d+-тарау|\d+-бөлім|[IVX]+\.)`)
	flatClause  = regexp.MustCompile(`^([1-9][0-9]*)\. `)
)

var mutations = []mutation{
	{"heading renamed", func(rng *rand.Rand, ls []string) ([]string, bool) {
		i := pick(rng, ls, isHeading)
		if i < 0 {
			return ls, false
		}
		ls[i] += " және шағымдар"
		return ls, true
	}},
	{"title changed", func(rng *rand.Rand, ls []string) ([]string, bool) {
		if len(ls) > 0 && strings.HasPrefix(ls[0], "# ") {
			ls[0] += " (жаңа)"
			return ls, true
		}
		return append([]string{"# Жаңа атау", ""}, ls...), true
	}},
	{"title removed", func(rng *rand.Rand, ls []string) ([]string, bool) {
		if len(ls) > 1 && strings.HasPrefix(ls[0], "# ") {
			return ls[2:], true
		}
		return ls, false
	}},
	{"section added", func(rng *rand.Rand, ls []string) ([]string, bool) {
		i := pick(rng, ls, isHeading)
		if i < 0 {
			i = len(ls)
		}
		return splice(ls, i, i, "## 9. Қосымша бөлім", "", "9.1. Жаңа тармақ мәтіні.", ""), true
	}},
	{"section removed", func(rng *rand.Rand, ls []string) ([]string, bool) {
		i := pick(rng, ls, isHeading)
		if i < 0 {
			return ls, false
		}
		j := i + 1
		for j < len(ls) && !isHeading(ls[j]) {
			j++
		}
		return splice(ls, i, j), true
	}},
	{"bullet removed", func(rng *rand.Rand, ls []string) ([]string, bool) {
		i := pick(rng, ls, func(l string) bool { return strings.HasPrefix(l, "- ") })
		if i < 0 {
			return ls, false
		}
		return splice(ls, i, i+1), true
	}},
	{"item inserted", func(rng *rand.Rand, ls []string) ([]string, bool) {
		i := pick(rng, ls, func(l string) bool { return markdown.ItemLabel([]byte(l)) > 0 })
		if i < 0 {
			return ls, false
		}
		return splice(ls, i, i, "1) жаңа тармақша;"), true
	}},
	{"white space only", func(rng *rand.Rand, ls []string) ([]string, bool) {
		i := pick(rng, ls, func(l string) bool { return strings.Count(l, " ") > 2 })
		if i < 0 {
			return ls, false
		}
		k := strings.LastIndex(ls[i], " ")
		ls[i] = ls[i][:k] + []string{"  ", "\u00a0", "\t"}[rng.IntN(3)] + ls[i][k+1:]
		return ls, true
	}},
	{"letter only", func(rng *rand.Rand, ls []string) ([]string, bool) {
		i := pick(rng, ls, func(l string) bool { return strings.ContainsAny(l, "іср") })
		if i < 0 {
			return ls, false
		}
		r := strings.NewReplacer("і", "i", "с", "c", "р", "p")
		k := strings.IndexAny(ls[i], "іср")
		_, n := utf8.DecodeRuneInString(ls[i][k:])
		ls[i] = ls[i][:k] + r.Replace(ls[i][k:k+n]) + ls[i][k+n:]
		return ls, true
	}},
	{"clause inserted, run renumbered", func(rng *rand.Rand, ls []string) ([]string, bool) {
		i := pick(rng, ls, isClause)
		if i < 0 {
			return ls, false
		}
		label := ls[i][:markdown.ClauseLabel([]byte(ls[i]))]
		n, _ := saiasat.ParseNumber(label)
		out := splice(ls, i, i, label+" Жаңадан енгізілген тармақ.", "")
		// Renumber the clauses after it in its section, as an editor would.
		for k := i + 2; k < len(out) && !isHeading(out[k]); k++ {
			if m := markdown.ClauseLabel([]byte(out[k])); m > 0 {
				c, _ := saiasat.ParseNumber(out[k][:m])
				if len(c) == len(n) && c.Parent().Equal(n.Parent()) {
					c = append(saiasat.Number{}, c...)
					c[len(c)-1]++
					out[k] = c.String() + "." + out[k][m:]
				}
			}
		}
		return out, true
	}},
	{"clause removed", func(rng *rand.Rand, ls []string) ([]string, bool) {
		i := pick(rng, ls, isClause)
		if i < 0 {
			return ls, false
		}
		return splice(ls, i, blockEnd(ls, i)), true
	}},
	{"clause moved", func(rng *rand.Rand, ls []string) ([]string, bool) {
		i := pick(rng, ls, isClause)
		if i < 0 {
			return ls, false
		}
		j := blockEnd(ls, i)
		moved := append([]string{}, ls[i:j]...)
		rest := splice(ls, i, j)
		k := pick(rng, rest, isHeading)
		if k < 0 {
			return ls, false
		}
		return splice(rest, k+1, k+1, append([]string{""}, moved...)...), true
	}},
	{"clause words changed", func(rng *rand.Rand, ls []string) ([]string, bool) {
		i := pick(rng, ls, isClause)
		if i < 0 {
			return ls, false
		}
		ls[i] = strings.Replace(ls[i], " ", " өзгертілген ", 1)
		return ls, true
	}},
	{"unnumbered text added", func(rng *rand.Rand, ls []string) ([]string, bool) {
		i := pick(rng, ls, isHeading)
		if i < 0 {
			return append(ls, "", "Нөмірсіз мәтін."), true
		}
		return splice(ls, i+1, i+1, "", "Бөлімнің нөмірсіз мәтіні."), true
	}},
	{"unnumbered text removed", func(rng *rand.Rand, ls []string) ([]string, bool) {
		i := pick(rng, ls, func(l string) bool {
			return l != "" && !isHeading(l) && !isClause(l) && !strings.HasPrefix(l, "# ") && !strings.HasPrefix(l, "- ") && markdown.ItemLabel([]byte(l)) == 0
		})
		if i < 0 || i == 0 || ls[i-1] != "" {
			return ls, false
		}
		return splice(ls, i, i+1), true
	}},
	{"approval stamp changed", func(rng *rand.Rand, ls []string) ([]string, bool) {
		i := pick(rng, ls, func(l string) bool { return strings.Contains(l, "№ ") })
		if i < 0 {
			return ls, false
		}
		ls[i] = strings.Replace(ls[i], "№ ", "№ 1", 1)
		return ls, true
	}},
	{"chapter renamed", func(rng *rand.Rand, ls []string) ([]string, bool) {
		i := pick(rng, ls, func(l string) bool { return chapterLine.MatchString(l) })
		if i < 0 {
			return ls, false
		}
		ls[i] += " (жаңа)"
		return ls, true
	}},
	{"table cell changed", func(rng *rand.Rand, ls []string) ([]string, bool) {
		i := pick(rng, ls, func(l string) bool { return strings.HasPrefix(l, "| ") })
		if i < 0 {
			return ls, false
		}
		ls[i] = strings.Replace(ls[i], " | ", " | өзгертілген ", 1)
		return ls, true
	}},
	{"table row added", func(rng *rand.Rand, ls []string) ([]string, bool) {
		i := pick(rng, ls, func(l string) bool { return strings.HasPrefix(l, "| ") })
		if i < 0 || i+1 >= len(ls) || !strings.HasPrefix(ls[i+1], "|") {
			return ls, false
		}
		return splice(ls, i+2, i+2, "| Жаңа | жол | бар |"), true
	}},
	{"footnote changed, one added", func(rng *rand.Rand, ls []string) ([]string, bool) {
		i := pick(rng, ls, func(l string) bool { return strings.HasPrefix(l, "¹ ") })
		if i < 0 {
			return ls, false
		}
		ls[i] += " Өзгертілді."
		return splice(ls, i+1, i+1, "² Жаңа ескертпе."), true
	}},
	{"signature line removed", func(rng *rand.Rand, ls []string) ([]string, bool) {
		i := pick(rng, ls, func(l string) bool { return strings.Contains(l, "____________ /") })
		if i < 0 {
			return ls, false
		}
		return splice(ls, i, i+1), true
	}},
	{"nested item inserted", func(rng *rand.Rand, ls []string) ([]string, bool) {
		i := pick(rng, ls, func(l string) bool { return strings.HasPrefix(l, "   ") && strings.Contains(l, ") ") })
		if i < 0 {
			return ls, false
		}
		return splice(ls, i+1, i+1, "   в) жаңа ішкі тармақша;"), true
	}},
	{"bullet glyph changed", func(rng *rand.Rand, ls []string) ([]string, bool) {
		i := pick(rng, ls, func(l string) bool {
			return strings.HasPrefix(l, "• ") || strings.HasPrefix(l, "– ") || strings.HasPrefix(l, "● ")
		})
		if i < 0 {
			return ls, false
		}
		_, n := utf8.DecodeRuneInString(ls[i])
		ls[i] = "▪" + ls[i][n:]
		return ls, true
	}},
	{"flat clause inserted, all after renumbered", func(rng *rand.Rand, ls []string) ([]string, bool) {
		i := pick(rng, ls, func(l string) bool { return flatClause.MatchString(l) })
		if i < 0 {
			return ls, false
		}
		out := splice(ls, i, i, ls[i][:strings.Index(ls[i], " ")]+" Жаңадан енгізілген тармақ.", "")
		for k := i + 2; k < len(out); k++ {
			if m := flatClause.FindStringSubmatch(out[k]); m != nil {
				n, _ := strconv.Atoi(m[1])
				out[k] = strconv.Itoa(n+1) + out[k][len(m[1]):]
			}
		}
		return out, true
	}},
	{"blank line removed", func(rng *rand.Rand, ls []string) ([]string, bool) {
		i := pick(rng, ls, func(l string) bool { return l == "" })
		if i < 0 {
			return ls, false
		}
		return splice(ls, i, i+1), true
	}},
}

// texts are the inputs the mutations start from: the bundled policy's
// draft and edition 1, testdata/clean, and the old and new texts of every
// diff fixture.
func texts(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, f := range []string{"../policies/privacy/kk.md", "../policies/privacy/ru.md", "../policies/privacy/releases/1/kk.md",
		"../policies/privacy/releases/1/ru.md", "../testdata/clean/kk.md", "../testdata/clean/ru.md"} {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[f] = b
	}
	// Texts with every kind of block, in each numbering scheme.
	for name, text := range map[string]string{"everykind/kk.md": blocktest.EveryKindKK, "everykind/ru.md": blocktest.EveryKindRU,
		"flat/kk.md": blocktest.FlatKK, "flat/ru.md": blocktest.FlatRU, "none/kk.md": blocktest.NoneKK, "none/ru.md": blocktest.NoneRU} {
		out["blocktest:"+name] = []byte(text)
	}
	files, _ := filepath.Glob("testdata/*.txtar")
	for _, file := range files {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range ar.Files {
			if strings.HasSuffix(f.Name, ".md") {
				out[file+":"+f.Name] = f.Data
			}
		}
	}
	return out
}

// schemeOf is the numbering scheme of a text of texts.
func schemeOf(path string) saiasat.Numbering {
	switch {
	case strings.HasPrefix(path, "blocktest:flat/"):
		return saiasat.NumberingFlat
	case strings.HasPrefix(path, "blocktest:none/"):
		return saiasat.NumberingNone
	}
	return saiasat.NumberingSections
}

// side is one language's text with policy.yaml fields.
func side(label string, edition int, effective string, title, org string, text []byte) *diff.Version {
	return sideIn(saiasat.NumberingSections, label, edition, effective, title, org, text)
}

// sideIn is side for a text of numbering scheme n.
func sideIn(n saiasat.Numbering, label string, edition int, effective string, title, org string, text []byte) *diff.Version {
	v := version(label, edition, map[saiasat.Lang][]byte{"kk": text})
	v.Docs["kk"], _ = markdown.Parse("kk.md", "kk", text, markdown.WithNumbering(n))
	v.Effective, _ = time.Parse(saiasat.DateLayout, effective)
	v.Title = map[saiasat.Lang]string{"kk": title}
	v.Organization = map[saiasat.Lang]string{"kk": org}
	return v
}

// checkApply asserts the invariant: applying the JSON document of diff(A,
// B), with and without unchanged blocks, to A gives B's canonical text and
// printed fields.
func checkApply(t *testing.T, name string, a, b *diff.Version) {
	t.Helper()
	r := diff.Compare(a, b)
	for _, all := range []bool{false, true} {
		var js bytes.Buffer
		if err := r.WriteJSON(&js, all); err != nil {
			t.Fatal(err)
		}
		got, err := diff.Apply(a, js.Bytes())
		if err != nil {
			t.Fatalf("%s (all=%v): %v", name, all, err)
		}
		for _, l := range b.Languages {
			want, err := canon.Format(b.Docs[l].Source)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Texts[l], want) {
				t.Fatalf("%s (all=%v), %s: Apply(A, JSON(diff(A, B))) is not B:\n%s", name, all, l, firstDifference(got.Texts[l], want))
			}
			if got.Title[l] != b.Title[l] || got.Organization[l] != b.Organization[l] {
				t.Fatalf("%s: title/organization %q %q, want %q %q", name, got.Title[l], got.Organization[l], b.Title[l], b.Organization[l])
			}
		}
		if got.Edition != fmt.Sprint(b.Edition) || got.Effective != b.Effective.Format(saiasat.DateLayout) {
			t.Fatalf("%s: edition %s effective %s", name, got.Edition, got.Effective)
		}
	}
}

func firstDifference(got, want []byte) string {
	i := 0
	for i < len(got) && i < len(want) && got[i] == want[i] {
		i++
	}
	from := max(0, i-80)
	return fmt.Sprintf("at byte %d:\ngot  %q\nwant %q", i, got[from:min(len(got), i+80)], want[from:min(len(want), i+80)])
}

// The fixtures: each mutation once on the bundled draft (and on the clean
// testdata), plus the policy.yaml fields.
func TestApplyFixtures(t *testing.T) {
	for path, text := range texts(t) {
		if !strings.Contains(path, "policies/privacy/kk.md") && !strings.Contains(path, "clean/kk.md") && !strings.HasPrefix(path, "blocktest:") {
			continue
		}
		n := schemeOf(path)
		for k, m := range mutations {
			ls := strings.Split(strings.TrimSuffix(string(text), "\n"), "\n")
			out, ok := m.edit(rand.New(rand.NewPCG(uint64(k), 7)), ls)
			if !ok {
				continue
			}
			t.Run(filepath.Base(filepath.Dir(path))+"/"+filepath.Base(path)+"/"+m.name, func(t *testing.T) {
				b := []byte(strings.Join(out, "\n") + "\n")
				a := sideIn(n, "a", 1, "2025-09-16", "Саясат", "МҚҰ", text)
				checkApply(t, m.name, a, sideIn(n, "b", 1, "2025-09-16", "Саясат", "МҚҰ", b))
				r := diff.Compare(a, sideIn(n, "b", 1, "2025-09-16", "Саясат", "МҚҰ", b))
				ca, _ := canon.Format(text)
				cb, _ := canon.Format(b)
				if changed := !bytes.Equal(ca, cb); changed != (r.Summary.Changed() > 0) {
					t.Errorf("%s: canonical texts differ: %v; the diff counts %d changes", m.name, changed, r.Summary.Changed())
				}
			})
		}
	}
	t.Run("metadata", func(t *testing.T) {
		text := texts(t)["../testdata/clean/kk.md"]
		checkApply(t, "metadata", side("a", 1, "2025-09-16", "Саясат", "МҚҰ", text), side("b", 2, "2026-12-01", "Жаңа саясат", "Жаңа МҚҰ", text))
	})
	t.Run("edition 1 to draft", func(t *testing.T) {
		from, to := edition1And2(t)
		checkApply(t, "edition 1 → draft", from, to)
	})
	t.Run("to and from nothing", func(t *testing.T) {
		text := texts(t)["../testdata/clean/kk.md"]
		checkApply(t, "empty → clean", side("a", 1, "2025-09-16", "С", "М", nil), side("b", 1, "2025-09-16", "С", "М", text))
		checkApply(t, "clean → empty", side("a", 1, "2025-09-16", "С", "М", text), side("b", 1, "2025-09-16", "С", "М", nil))
	})
}

// The property: random chains of mutations on every input text.
func TestApplyGenerated(t *testing.T) {
	n := 0
	for path, text := range texts(t) {
		rng := rand.New(rand.NewPCG(uint64(len(text)), uint64(len(path))))
		for range 12 {
			ls := strings.Split(strings.TrimSuffix(string(text), "\n"), "\n")
			var names []string
			for range 1 + rng.IntN(4) {
				m := mutations[rng.IntN(len(mutations))]
				var ok bool
				if ls, ok = m.edit(rng, ls); ok {
					names = append(names, m.name)
				}
			}
			b := []byte(strings.Join(ls, "\n") + "\n")
			scheme := schemeOf(path)
			checkApply(t, path+": "+strings.Join(names, ", "), sideIn(scheme, "a", 1, "2025-09-16", "С", "М", text), sideIn(scheme, "b", 2, "2025-09-16", "С", "М", b))
			n++
		}
	}
	t.Logf("%d generated pairs", n)
}

// Every change in the JSON is needed: dropping any one of them (a heading
// renamed, say) makes Apply fail or give another text. This is the
// mutation the invariant's test must catch.
func TestApplyNeedsEveryChange(t *testing.T) {
	text := texts(t)["../testdata/clean/kk.md"]
	b := strings.Replace(string(text), "## 2. Негізгі ұғымдар", "## 2. Негізгі ұғымдар мен анықтамалар", 1)
	b = strings.Replace(b, "# Дербес деректерді өңдеу саясаты", "# Дербес деректер саясаты", 1)
	b = strings.Replace(b, "1.2. Саясат", "1.2. Бұл Саясат", 1)
	needsEveryChange(t, saiasat.NumberingSections, string(text), b, "heading", "title", "")
	// A change to every kind of block.
	b = blocktest.EveryKindRU
	for _, e := range [][2]string{
		{"# обработки персональных данных", "# обработки и защиты персональных данных"},
		{"№ 7", "№ 8"},
		{"г. Алматы 2024 год", "г. Алматы 2025 год"},
		{"## Глава 2. Заключительные положения", "## Глава 2. Заключительные и переходные положения"},
		{"## Часто задаваемые вопросы", "## Вопросы и ответы"},
		{"   б) хранение¹;", "   б) хранение¹;\n   в) удаление;"},
		{"| 5 лет |", "| 3 года |"},
		{"¹ Хранение – по правилам МФО.", "¹ Хранение – по правилам МФО и закону."},
		{"М.П.\n", ""},
	} {
		b = strings.Replace(b, e[0], e[1], 1)
	}
	needsEveryChange(t, saiasat.NumberingSections, blocktest.EveryKindRU, b, "title", "approval", "text", "chapter", "heading", "", "table", "footnote", "signature")
	// Flat numbering: a clause inserted, those after it renumbered.
	b = strings.Replace(blocktest.FlatRU, "3. Клиент", "3. Заявление подается лично.\n\n4. Клиент", 1)
	b = strings.Replace(b, "\n4. Решение", "\n5. Решение", 1)
	b = strings.Replace(b, "\n5. Договор", "\n6. Договор", 1)
	needsEveryChange(t, saiasat.NumberingFlat, blocktest.FlatRU, b, "")
}

// needsEveryChange drops each change of diff(a, b)'s JSON in turn: Apply
// must then fail or give another text. The changes must hold each of
// blocks ("" for a clause).
func needsEveryChange(t *testing.T, n saiasat.Numbering, a, b string, blocks ...string) {
	t.Helper()
	av, bv := sideIn(n, "a", 1, "2025-09-16", "С", "М", []byte(a)), sideIn(n, "b", 1, "2025-09-16", "С", "М", []byte(b))
	want, err := canon.Format([]byte(b))
	if err != nil {
		t.Fatal(err)
	}
	var js bytes.Buffer
	if err := diff.Compare(av, bv).WriteJSON(&js, false); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	kk := doc["languages"].(map[string]any)["kk"].(map[string]any)
	changes := kk["changes"].([]any)
	seen := map[string]bool{}
	for i := range changes {
		c := changes[i].(map[string]any)
		block, _ := c["block"].(string)
		seen[block] = true
		kk["changes"] = append(append([]any{}, changes[:i]...), changes[i+1:]...)
		mutated, _ := json.Marshal(doc)
		got, err := diff.Apply(av, mutated)
		if err == nil && bytes.Equal(got.Texts["kk"], want) {
			t.Errorf("the %s change %v can be dropped and Apply still gives B", block, c)
		}
	}
	for _, b := range blocks {
		if !seen[b] {
			t.Errorf("changes %v: want a change of block %q", seen, b)
		}
	}
}

// FuzzApply holds the invariant for any two texts the parser accepts.
func FuzzApply(f *testing.F) {
	// Sections of at most 4 KiB: whole 30 KB texts stall the fuzzer while
	// it minimizes.
	for path, text := range texts(f) {
		for _, piece := range fuzzseed.Cut(text) {
			f.Add(piece, bytes.Replace(piece, []byte("##"), []byte("## 7.\n\nx\n\n##"), 1))
		}
		// Every mutation of the fixtures, on the small clean texts.
		if !strings.Contains(path, "clean/") {
			continue
		}
		for k, m := range mutations {
			ls := strings.Split(strings.TrimSuffix(string(text), "\n"), "\n")
			if out, ok := m.edit(rand.New(rand.NewPCG(uint64(k), 11)), ls); ok {
				f.Add(text, []byte(strings.Join(out, "\n")+"\n"))
			}
		}
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		if !utf8.Valid(a) || !utf8.Valid(b) {
			return // no canonical form, no hash: nothing to rebuild
		}
		checkApply(t, "fuzz", side("a", 1, "2025-09-16", "С", "М", a), side("b", 1, "2025-09-16", "С", "М", b))
	})
}
