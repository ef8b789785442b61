package textimport_test

import (
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/textimport"
	"go.yaml.in/yaml/v3"
	"golang.org/x/text/unicode/norm"
)

var update = flag.Bool("update", false, "rewrite the corpus's expected Markdown from the import (read the diff before committing)")

// corpusDoc is one language of a document of testdata/corpus: the text
// as a PDF extraction gives it (<lang>.txt) and the source text it must
// import to (<lang>.md), in a policy folder whose policy.yaml declares the
// numbering scheme.
type corpusDoc struct {
	dir, lang string
	numbering saiasat.Numbering
	kind      saiasat.DocKind
	edition   int
	effective string
}

func corpusDocs(t *testing.T) []corpusDoc {
	t.Helper()
	dirs, err := filepath.Glob("../testdata/corpus/*/policy.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) < 12 {
		t.Fatalf("%d documents in testdata/corpus, want 12 or more", len(dirs))
	}
	var docs []corpusDoc
	for _, p := range dirs {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var meta struct {
			Kind      string   `yaml:"kind"`
			Numbering string   `yaml:"numbering"`
			Languages []string `yaml:"languages"`
			Edition   int      `yaml:"edition"`
			Effective string   `yaml:"effective"`
		}
		if err := yaml.Unmarshal(b, &meta); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for _, lang := range meta.Languages {
			docs = append(docs, corpusDoc{filepath.Dir(p), lang, saiasat.Numbering(meta.Numbering), saiasat.DocKind(meta.Kind), meta.Edition, meta.Effective})
		}
	}
	return docs
}

func (d corpusDoc) name() string { return filepath.Base(d.dir) + "/" + d.lang }

// Every document of the corpus imports to its expected Markdown, with the
// numbering its policy.yaml declares and with the one the import reads
// from the text; and every input line is in the output or reported
// dropped, dropped only as page furniture.
func TestCorpusImport(t *testing.T) {
	for _, d := range corpusDocs(t) {
		t.Run(d.name(), func(t *testing.T) {
			src, err := os.ReadFile(filepath.Join(d.dir, d.lang+".txt"))
			if err != nil {
				t.Fatal(err)
			}
			mdPath := filepath.Join(d.dir, d.lang+".md")
			r, err := textimport.ImportWith(src, textimport.Options{Numbering: d.numbering})
			if err != nil {
				t.Fatal(err)
			}
			if *update {
				if err := os.WriteFile(mdPath, r.Text, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(mdPath)
			if err != nil {
				t.Fatal(err)
			}
			if string(r.Text) != string(want) {
				t.Errorf("import differs from %s:\n%s", mdPath, firstDifference(string(r.Text), string(want)))
			}
			if r.Meta.Numbering != d.numbering {
				t.Errorf("Meta.Numbering %q, want %q", r.Meta.Numbering, d.numbering)
			}
			if r.Meta.Kind != d.kind {
				t.Errorf("Meta.Kind %q, want %q (from the title %q)", r.Meta.Kind, d.kind, r.Meta.Title)
			}
			// What the text says of its edition and effective date, when
			// it says it, is what policy.yaml records.
			if m := r.Meta; (m.Edition != 0 && m.Edition != d.edition) || (!m.Effective.IsZero() && m.Effective.Format("2006-01-02") != d.effective) {
				t.Errorf("meta: edition %d, effective %s; policy.yaml: %d, %s", m.Edition, m.Effective.Format("2006-01-02"), d.edition, d.effective)
			}
			// Reading the scheme from the text gives the same text.
			auto, err := textimport.Import(src)
			if err != nil {
				t.Fatal(err)
			}
			if auto.Meta.Numbering != d.numbering || string(auto.Text) != string(r.Text) {
				t.Errorf("without --numbering: scheme %q, text equal %v", auto.Meta.Numbering, string(auto.Text) == string(r.Text))
			}
			accountFor(t, src, r)
		})
	}
}

// furnitureWhy are the reasons a corpus line may be dropped for.
var furnitureWhy = []string{"page number", "page header", "link target"}

// accountFor checks that every input line is in the output, field by
// field (a table row's cells end in different places), or reported
// dropped as page furniture.
func accountFor(t *testing.T, src []byte, r *textimport.Result) {
	t.Helper()
	out := corpusSqueeze(string(r.Text))
	dropped := make(map[int]bool)
	for _, d := range r.Dropped {
		if !slices.Contains(furnitureWhy, d.Why) {
			t.Errorf("line %d %q dropped as %q", d.Line, d.Text, d.Why)
		}
		dropped[d.Line] = true
	}
	lines := strings.Split(strings.ReplaceAll(string(src), "\f", "\n"), "\n")
	for i, l := range lines {
		if dropped[i+1] {
			continue
		}
		for _, f := range fieldRe.Split(strings.TrimSpace(l), -1) {
			if !strings.Contains(out, corpusSqueeze(f)) {
				t.Errorf("line %d %q: %q is neither in the text nor reported dropped", i+1, l, f)
			}
		}
	}
}

var fieldRe = regexp.MustCompile(`\s{2,}`)

// corpusSqueeze drops white space and the marks the format adds around words:
// heading marks, table pipes and the hyphen a wrapped word loses.
func corpusSqueeze(s string) string {
	return strings.Join(strings.FieldsFunc(norm.NFC.String(s), func(r rune) bool { return unicode.IsSpace(r) || r == '#' || r == '|' }), "")
}
