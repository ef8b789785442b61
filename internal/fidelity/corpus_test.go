package fidelity_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/canon"
	"github.com/saiasat/saiasat/internal/blocktest"
	"github.com/saiasat/saiasat/internal/kindsample"
	"github.com/saiasat/saiasat/markdown"
	"github.com/saiasat/saiasat/textimport"
	"golang.org/x/tools/txtar"
)

// root is the repository's root, from this package's folder.
const root = "../.."

// fixture is one set of texts the fidelity test publishes as a policy:
// its texts by language, as found (before canonical form).
type fixture struct {
	name  string
	texts map[saiasat.Lang][]byte
	// numbering is the texts' scheme: policy.yaml's, sections when none.
	numbering saiasat.Numbering
}

func (f fixture) langs() []saiasat.Lang {
	var ls []saiasat.Lang
	for l := range f.texts {
		ls = append(ls, l)
	}
	slices.Sort(ls)
	return ls
}

// repoFixtures returns every Markdown text under the repository's testdata
// folders that the parser accepts (canon.Format succeeds and the text is
// not empty): policy folders (testdata/clean), loose Markdown files
// (markdown/testdata/*.md), both sides of every diff case
// (diff/testdata/*.txtar), and the published PDF's text in testdata/seed
// as saiasat import makes it a source. The bundled policy is published from its own
// folder (see bundledInput). A file of unknown language is read as kk: the
// language only picks the pages' words around the text.
func repoFixtures(t *testing.T) []fixture {
	t.Helper()
	var out []fixture
	addIn := func(n saiasat.Numbering, name string, texts map[saiasat.Lang][]byte) {
		f := fixture{name: name, texts: map[saiasat.Lang][]byte{}, numbering: n}
		for l, src := range texts {
			if c, err := canon.Format(src, markdown.WithNumbering(n)); err == nil && len(strings.TrimSpace(string(c))) > 0 {
				f.texts[l] = src
			}
		}
		if len(f.texts) > 0 {
			out = append(out, f)
		}
	}
	add := func(name string, texts map[saiasat.Lang][]byte) { addIn(saiasat.NumberingSections, name, texts) }
	// Texts with every kind of block, in each numbering scheme.
	for _, k := range []struct {
		name   string
		n      saiasat.Numbering
		kk, ru string
	}{{"everykind", saiasat.NumberingSections, blocktest.EveryKindKK, blocktest.EveryKindRU},
		{"flat", saiasat.NumberingFlat, blocktest.FlatKK, blocktest.FlatRU},
		{"none", saiasat.NumberingNone, blocktest.NoneKK, blocktest.NoneRU},
		{"kindsample", saiasat.NumberingSections, kindsample.Texts["kk"], kindsample.Texts["ru"]}} {
		addIn(k.n, "blocktest/"+k.name, map[saiasat.Lang][]byte{"kk": []byte(k.kk), "ru": []byte(k.ru)})
	}
	var dirs []string
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		switch {
		case d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules"):
			return filepath.SkipDir
		case d.IsDir() && d.Name() == "testdata":
			dirs = append(dirs, p)
			return filepath.SkipDir
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) < 3 {
		t.Fatalf("found %d testdata folders under %s: is the test run from its package?", len(dirs), root)
	}
	for _, dir := range dirs {
		rel, _ := filepath.Rel(root, dir)
		err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			name, _ := filepath.Rel(root, p)
			switch {
			case strings.HasSuffix(p, ".md") && d.Name() != "kk.md" && d.Name() != "ru.md":
				src, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				add(name, map[saiasat.Lang][]byte{"kk": src})
			case d.Name() == "kk.md":
				// A policy folder: its languages together, in the
				// numbering scheme its policy.yaml declares.
				texts := map[saiasat.Lang][]byte{}
				for _, l := range []saiasat.Lang{"kk", "ru"} {
					if src, err := os.ReadFile(filepath.Join(filepath.Dir(p), string(l)+".md")); err == nil {
						texts[l] = src
					}
				}
				addIn(numberingOf(filepath.Dir(p)), filepath.Dir(name), texts)
			case d.Name() == "ru.md":
				if _, err := os.Stat(filepath.Join(filepath.Dir(p), "kk.md")); err != nil {
					src, err := os.ReadFile(p)
					if err != nil {
						return err
					}
					add(name, map[saiasat.Lang][]byte{"ru": src})
				}
			case strings.HasSuffix(p, ".txt") && filepath.Base(filepath.Dir(p)) == "seed":
				// A published PDF's text (testdata/seed), as saiasat import
				// makes it a source.
				src, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				res, err := textimport.Import(src)
				if err != nil {
					return fmt.Errorf("import %s: %w", p, err)
				}
				l := saiasat.Lang("kk")
				if strings.Contains(d.Name(), "-ru-") {
					l = "ru"
				}
				add(name+"/imported", map[saiasat.Lang][]byte{l: res.Text})
			case strings.HasSuffix(p, ".txtar"):
				ar, err := txtar.ParseFile(p)
				if err != nil {
					return err
				}
				sides := map[string]map[saiasat.Lang][]byte{}
				for _, f := range ar.Files {
					side, file, ok := strings.Cut(f.Name, "/")
					l := saiasat.Lang(strings.TrimSuffix(file, ".md"))
					if !ok || !strings.HasSuffix(file, ".md") {
						continue
					}
					if sides[side] == nil {
						sides[side] = map[saiasat.Lang][]byte{}
					}
					sides[side][l] = f.Data
				}
				for _, side := range slices.Sorted(func(yield func(string) bool) {
					for s := range sides {
						if !yield(s) {
							return
						}
					}
				}) {
					add(name+"/"+side, sides[side])
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s: %v", rel, err)
		}
	}
	return out
}

// numberingOf reads the numbering: line of a policy folder's policy.yaml;
// sections when there is none.
func numberingOf(dir string) saiasat.Numbering {
	b, err := os.ReadFile(filepath.Join(dir, "policy.yaml"))
	if err != nil {
		return saiasat.NumberingSections
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "numbering:"); ok {
			return saiasat.Numbering(strings.Trim(strings.TrimSpace(v), `"'`))
		}
	}
	return saiasat.NumberingSections
}

// Words of generated texts: each language's letters, Latin names, numbers
// as legal texts write them, and every character the format prints as
// written — form blanks, footnote asterisks, brackets, backslashes,
// entities, tags, backticks, underscores inside and around words.
var (
	kkWords  = strings.Fields("Пайдаланушы дербес деректерді өңдеу МҚҰ келісімі сақтау жинау беру құқығы бар Сайтты тұлғаларға ақпарат үшінші жылғы")
	ruWords  = strings.Fields("Пользователь персональные данные обработка МФО согласие хранение передача лицам вправе Сайта информации третьим года")
	oddWords = []string{
		"«___»", "____________", "20__", "г.", "ж.", "№", "______", "«__»", "__", "_", "_x_", "__init__", "snake_case", "_курсив_",
		"*", "ставка*", "*примечание", "**", "***", "*a*", "****", "x**y",
		"[1]", "[текст]", "[", "]", "(а)", "[x](https://x.kz)", "[3.1](#03)", "<https://satcredit.kz>",
		`\`, `\*`, `\_`, `\[`, `C:\Users`,
		"&amp;", "&laquo;", "&#169;", "&", "&nbsp;",
		"<b>", "</b>", "<!--", "-->", "<br>", "<span>",
		"`code`", "``", "~~зачёркнуто~~", "#", "#1", "1)", "-", "—", "–", "%", "$", "\"кавычки\"", "'",
		"cookies", "Google", "Analytics", "IP-адрес", "сookies", "деректердi", "IBAN", "KZ12", "94-V", "16.09.2025", "3.12.1-тармақ", "п.", "3.6",
		"www.satcredit.kz", "info@satcredit.kz", "|", "+", "=", "===", "---", ">", "<",
		// Longer than a PDF line: the PDF must break them inside.
		strings.Repeat("_", 120), "https://www.satcredit.kz/ru/privacy/editions/1/privacy-ru-1.pdf?utm_source=saiasat&utm_medium=email&utm_campaign=consent_2026",
	}
)

// generated returns n policies of random text: sections, clauses (some
// numbered "3.1", some "3.1."), lead text over several lines, items and
// bullets, and inside them strong runs, clause and section links, and the
// odd words above, so every printed character of the format is met in
// every position: at a line's start and end, inside strong, beside a link.
func generated(n int) []fixture {
	var out []fixture
	for i := range n {
		rng := rand.New(rand.NewPCG(11, uint64(i)))
		f := fixture{name: fmt.Sprintf("generated/%d", i), texts: map[saiasat.Lang][]byte{}}
		for _, l := range []saiasat.Lang{"kk", "ru"} {
			words := kkWords
			if l == "ru" {
				words = ruWords
			}
			f.texts[l] = genText(rng, words)
		}
		out = append(out, f)
	}
	return out
}

func genText(rng *rand.Rand, words []string) []byte {
	var b strings.Builder
	var numbers []string // clause and section numbers so far, for links
	word := func() string {
		if rng.IntN(3) == 0 {
			return oddWords[rng.IntN(len(oddWords))]
		}
		return words[rng.IntN(len(words))]
	}
	phrase := func(min, max int) string {
		ws := make([]string, min+rng.IntN(max-min+1))
		for i := range ws {
			ws[i] = word()
		}
		return strings.Join(ws, " ")
	}
	// inline is one run of clause text: words, with strong runs and links.
	inline := func() string {
		var parts []string
		for range 3 + rng.IntN(10) {
			switch r := rng.IntN(12); {
			case r == 0:
				parts = append(parts, "**"+phrase(1, 4)+"**")
			case r == 1 && len(numbers) > 0:
				parts = append(parts, "["+phrase(1, 2)+"](#"+numbers[rng.IntN(len(numbers))]+")")
			case r == 2 && len(numbers) > 0:
				// A link inside a strong run, and strong touching a word.
				parts = append(parts, "**"+word()+" ["+word()+"](#"+numbers[rng.IntN(len(numbers))]+")**"+word())
			default:
				parts = append(parts, word())
			}
		}
		s := strings.Join(parts, " ")
		// Break the run into lines now and then, as pasted text is.
		ws := strings.Split(s, " ")
		for i := 1; i < len(ws); i++ {
			if rng.IntN(8) == 0 {
				ws[i] = "\n" + ws[i]
			}
		}
		return strings.ReplaceAll(strings.Join(ws, " "), " \n", "\n")
	}
	if rng.IntN(2) == 0 {
		fmt.Fprintf(&b, "# %s\n\n", phrase(2, 6))
	}
	for s := 1; s <= 1+rng.IntN(3); s++ {
		fmt.Fprintf(&b, "## %d. %s\n\n", s, phrase(1, 5))
		numbers = append(numbers, fmt.Sprint(s))
		for c := 1; c <= 1+rng.IntN(4); c++ {
			num := fmt.Sprintf("%d.%d", s, c)
			dot := "."
			if rng.IntN(3) == 0 {
				dot = ""
			}
			fmt.Fprintf(&b, "%s%s %s\n", num, dot, inline())
			numbers = append(numbers, num)
			for k := 1; k <= rng.IntN(4); k++ {
				switch rng.IntN(3) {
				case 0:
					fmt.Fprintf(&b, "%d) %s\n", k, inline())
				case 1:
					fmt.Fprintf(&b, "- %s\n", inline())
				default:
					// A second paragraph of the clause.
					fmt.Fprintf(&b, "\n%s\n", inline())
				}
			}
			if rng.IntN(3) == 0 {
				num := fmt.Sprintf("%s.1", num)
				fmt.Fprintf(&b, "\n%s. %s\n", num, inline())
				numbers = append(numbers, num)
			}
			b.WriteString("\n")
		}
	}
	return []byte(b.String())
}
