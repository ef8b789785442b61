package diff_test

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/diff"
	"github.com/saiasat/saiasat/markdown"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite golden files")

// version builds a diff side from texts by language.
func version(label string, edition int, texts map[saiasat.Lang][]byte) *diff.Version {
	v := &diff.Version{Edition: edition, Label: label, Docs: make(map[saiasat.Lang]*saiasat.Document)}
	hashes := make(map[saiasat.Lang]saiasat.Hash)
	for _, l := range []saiasat.Lang{"kk", "ru"} {
		t, ok := texts[l]
		if !ok {
			continue
		}
		v.Languages = append(v.Languages, l)
		v.Docs[l], _ = markdown.Parse(string(l)+".md", l, t)
		hashes[l] = saiasat.HashBytes(t)
	}
	v.Version = saiasat.VersionInput{ID: "t", Edition: edition, Effective: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Texts: hashes}.Hash()
	return v
}

func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txtar")
	if len(files) == 0 {
		t.Fatal("no testdata")
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			ar, err := txtar.ParseFile(file)
			if err != nil {
				t.Fatal(err)
			}
			old, new := map[saiasat.Lang][]byte{}, map[saiasat.Lang][]byte{}
			wantIdx := -1
			for i, f := range ar.Files {
				switch {
				case strings.HasPrefix(f.Name, "old/"):
					old[saiasat.Lang(strings.TrimSuffix(strings.TrimPrefix(f.Name, "old/"), ".md"))] = f.Data
				case strings.HasPrefix(f.Name, "new/"):
					new[saiasat.Lang(strings.TrimSuffix(strings.TrimPrefix(f.Name, "new/"), ".md"))] = f.Data
				case f.Name == "want.json":
					wantIdx = i
				}
			}
			r := diff.Compare(version("edition 1", 1, old), version("edition 2", 2, new))
			var got bytes.Buffer
			if err := r.WriteJSON(&got, false); err != nil {
				t.Fatal(err)
			}
			if *update {
				ar.Files[wantIdx].Data = got.Bytes()
				if err := os.WriteFile(file, txtar.Format(ar), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if want := ar.Files[wantIdx].Data; !bytes.Equal(got.Bytes(), want) {
				t.Errorf("diff differs from %s want.json (go test -update, then review):\n%s", file, got.String())
			}
			// Every change's ops rebuild its old and new text exactly.
			for _, ld := range r.Languages {
				for _, c := range ld.Changes {
					if c.Ops == nil {
						continue
					}
					o, n := diff.ApplyOps(c.Ops)
					if o != c.OldText || n != c.NewText {
						t.Errorf("%s %s: ops do not rebuild the texts", ld.Lang, c.To)
					}
				}
			}
		})
	}
}

// Kinds of the changes of one language, "kind from→to", in order.
func kinds(r *diff.Result, lang saiasat.Lang) []string {
	var out []string
	for _, ld := range r.Languages {
		if ld.Lang != lang {
			continue
		}
		for _, c := range ld.Changes {
			if c.Block != diff.BlockClause {
				continue
			}
			out = append(out, string(c.Kind)+" "+c.From.String()+"→"+c.To.String())
		}
	}
	return out
}

func TestOneWordInALongClause(t *testing.T) {
	words := make([]string, 2000)
	for i := range words {
		words[i] = []string{"дербес", "деректер", "Пайдаланушы", "өңдеу", "МҚҰ", "келісім", "сақтау"}[i%7]
	}
	oldBody := strings.Join(words, " ")
	words[1234] = "иесіздендіру"
	newBody := strings.Join(words, " ")
	r := diff.Compare(
		version("old", 1, map[saiasat.Lang][]byte{"kk": []byte("## 1. A\n\n1.1. " + oldBody + "\n")}),
		version("new", 2, map[saiasat.Lang][]byte{"kk": []byte("## 1. A\n\n1.1. " + newBody + "\n")}))
	var c []diff.Change
	for _, ch := range r.Languages[0].Changes {
		if ch.Block == diff.BlockClause {
			c = append(c, ch)
		}
	}
	if len(c) != 1 || c[0].Kind != diff.Modified {
		t.Fatalf("changes %v", kinds(r, "kk"))
	}
	var del, ins []string
	for _, op := range c[0].Ops {
		switch op.Op {
		case diff.OpDelete:
			del = append(del, op.Text)
		case diff.OpInsert:
			ins = append(ins, op.Text)
		}
	}
	if want := []string{words[1234-7]}; !slices.Equal(ins, []string{"иесіздендіру"}) || len(del) != 1 || !slices.Contains([]string{"дербес", "деректер", "Пайдаланушы", "өңдеу", "МҚҰ", "келісім", "сақтау"}, del[0]) {
		t.Errorf("delete %q insert %q, want one word each (%v)", del, ins, want)
	}
	if c[0].Similarity < 0.999 || c[0].Similarity >= 1 {
		t.Errorf("similarity %v", c[0].Similarity)
	}
}

func TestWordOpsKeepWordsWhole(t *testing.T) {
	// A character diff would cut Cyrillic words apart ("дер{+бес дер+}ектерді").
	ops := diff.WordOps("оның жазбаша келісімімен өңделеді", "оның келісімімен ғана өңделеді")
	want := []diff.Op{{Op: "equal", Text: "оның "}, {Op: "delete", Text: "жазбаша "}, {Op: "equal", Text: "келісімімен"}, {Op: "insert", Text: " ғана"}, {Op: "equal", Text: " өңделеді"}}
	if !slices.Equal(ops, want) {
		t.Errorf("ops %q, want %q", ops, want)
	}
}

// A removed bullet or item is struck whole, from its dash or label to its
// line end, not from its words to the next bullet's dash.
func TestRemovedLinesStruckWhole(t *testing.T) {
	for _, tt := range []struct{ name, old, new, want string }{
		{"bullet", "береді:\n- бюроларға;\n- **үшінші** тұлғаларға.", "береді:\n- **үшінші** тұлғаларға.", "- бюроларға;\n"},
		{"item", "ұғымдар:\n1) бір;\n2) екі;\n3) үш.", "ұғымдар:\n1) бір;\n3) үш.", "2) екі;\n"},
		{"inserted bullet", "береді:\n- а;\n- б.", "береді:\n- а;\n- жаңа;\n- б.", "- жаңа;\n"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ops := diff.WordOps(tt.old, tt.new)
			var changed []string
			for _, op := range ops {
				if op.Op != diff.OpEqual {
					changed = append(changed, op.Text)
				}
			}
			if len(changed) != 1 || changed[0] != tt.want {
				t.Errorf("changed %q, want %q (ops %q)", changed, tt.want, ops)
			}
			if o, n := diff.ApplyOps(ops); o != tt.old || n != tt.new {
				t.Errorf("ops rebuild %q %q", o, n)
			}
		})
	}
}

// FuzzDiff checks the two properties of the diff: a text compared with
// itself has only unchanged clauses, and the ops of every changed clause
// rebuild its old and new texts exactly.
func FuzzDiff(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.txtar")
	for _, file := range files {
		ar, _ := txtar.ParseFile(file)
		var o, n []byte
		for _, fl := range ar.Files {
			if fl.Name == "old/kk.md" {
				o = fl.Data
			}
			if fl.Name == "new/kk.md" {
				n = fl.Data
			}
		}
		f.Add(o, n)
	}
	f.Fuzz(func(t *testing.T, a, b []byte) {
		va := version("a", 1, map[saiasat.Lang][]byte{"kk": a})
		self := diff.Compare(va, va)
		for _, c := range self.Languages[0].Changes {
			if c.Kind != diff.Unchanged {
				t.Fatalf("diff(A, A): %s %s→%s", c.Kind, c.From, c.To)
			}
		}
		r := diff.Compare(va, version("b", 2, map[saiasat.Lang][]byte{"kk": b}))
		for _, c := range r.Languages[0].Changes {
			if c.Ops == nil {
				continue
			}
			o, n := diff.ApplyOps(c.Ops)
			if o != c.OldText || n != c.NewText {
				t.Fatalf("ops of %s→%s do not rebuild the texts:\n%q\n%q", c.From, c.To, o, n)
			}
		}
	})
}

// collapseSpace is strings.Fields joined by one space, for every input.
func FuzzCollapseSpace(f *testing.F) {
	for _, s := range []string{"", " ", "a b", "a  b", " a", "a ", "a\nb", "a\u00a0b", "қ ә\tі", "a\u2003b", "abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := diff.CollapseSpace(s), strings.Join(strings.Fields(s), " "); got != want {
			t.Errorf("CollapseSpace(%q) = %q, want %q", s, got, want)
		}
	})
}
