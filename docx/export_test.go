package docx

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/saiasat/saiasat/canon"
	"github.com/saiasat/saiasat/internal/kindsample"
)

// bundled are the bundled policy's texts: the draft and edition 1, kk and ru.
var bundled = []string{
	"../policies/privacy/kk.md",
	"../policies/privacy/ru.md",
	"../policies/privacy/releases/1/kk.md",
	"../policies/privacy/releases/1/ru.md",
}

func readCanonical(t testing.TB, path string) []byte {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c, err := canon.Format(src)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// diffLines names the first line where two texts differ.
func diffLines(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + a + "\nwant: " + b
		}
	}
	return "same lines"
}

// TestExportImport: Export then Import gives the text back, for the bundled
// policy's draft and edition 1 in both languages, the sample, and every
// text of the project's corpus (testdata/corpus, on its branch until it is
// merged: 24 texts, all of which came back whole when tried).
func TestExportImport(t *testing.T) {
	corpus, err := filepath.Glob("../testdata/corpus/*/*.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range append(append(bundled, "testdata/sample.golden"), corpus...) {
		t.Run(path, func(t *testing.T) {
			want := readCanonical(t, path)
			data, err := Export(want, ExportOptions{Title: "Политика", Header: "Редакция 1"})
			if err != nil {
				t.Fatal(err)
			}
			res, err := Import(data)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(res.Text, want) {
				t.Errorf("export → import changed the text at %s", diffLines(res.Text, want))
			}
			if res.Title != "Политика" {
				t.Errorf("title %q, want the exported one", res.Title)
			}
		})
	}
}

// TestExportLibreOffice: the exported .docx, opened by LibreOffice and
// saved as ODT then again as .docx (the word processor's own reading and
// writing of its lists), imports to the same text.
func TestExportLibreOffice(t *testing.T) {
	texts := map[string][]byte{}
	for _, path := range append(bundled, "testdata/sample.golden") {
		texts[path] = readCanonical(t, path)
	}
	// The samples of every kind of block, kk and ru.
	for lang, text := range kindsample.Texts {
		c, err := canon.Format([]byte(text))
		if err != nil {
			t.Fatal(err)
		}
		texts["kindsample/"+string(lang)] = c
	}
	for path, want := range texts {
		t.Run(path, func(t *testing.T) {
			t.Parallel()
			data, err := Export(want, ExportOptions{Title: "Политика", Header: "Редакция 1"})
			if err != nil {
				t.Fatal(err)
			}
			dir := t.TempDir()
			in := filepath.Join(dir, "policy.docx")
			if err := os.WriteFile(in, data, 0o644); err != nil {
				t.Fatal(err)
			}
			odt := filepath.Join(dir, "policy.odt")
			if err := os.WriteFile(odt, convert(t, in, "odt"), 0o644); err != nil {
				t.Fatal(err)
			}
			back := convert(t, odt, "docx")
			res, err := Import(back)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(res.Text, want) {
				t.Errorf("export → LibreOffice (odt, docx) → import changed the text at %s", diffLines(res.Text, want))
			}
		})
	}
}

// TestExportImportEveryKind: the lead's samples of every kind of block (the
// title, approval stamp, chapters, sections, clauses, letter and nested
// items, bullets, paragraphs, a table, a footnote, a signature block), kk
// and ru, come back from Export → Import as they were.
func TestExportImportEveryKind(t *testing.T) {
	for lang, text := range kindsample.Texts {
		t.Run(string(lang), func(t *testing.T) {
			want, err := canon.Format([]byte(text))
			if err != nil {
				t.Fatal(err)
			}
			data, err := Export(want, ExportOptions{})
			if err != nil {
				t.Fatal(err)
			}
			res, err := Import(data)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(res.Text, want) {
				t.Errorf("export → import changed the text at %s", diffLines(res.Text, want))
			}
		})
	}
}

// TestExportLibreOfficeCorpus: every text of the project's corpus
// (testdata/corpus: twelve documents in kk and ru, every structure of the
// source format) exported, opened by LibreOffice and saved as ODT and then
// as .docx again, imports to the same text. LibreOffice converts all of
// them in one run per direction: its start is most of a conversion's cost.
func TestExportLibreOfficeCorpus(t *testing.T) {
	paths, err := filepath.Glob("../testdata/corpus/*/*.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) < 24 {
		t.Fatalf("the corpus has %d texts, want at least 24", len(paths))
	}
	docxDir, odtDir, backDir := t.TempDir(), t.TempDir(), t.TempDir()
	want := make(map[string][]byte)
	var docxs []string
	for _, path := range paths {
		name := filepath.Base(filepath.Dir(path)) + "-" + strings.TrimSuffix(filepath.Base(path), ".md")
		want[name] = readCanonical(t, path)
		data, err := Export(want[name], ExportOptions{Title: "Title", Header: "Edition 1"})
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		f := filepath.Join(docxDir, name+".docx")
		if err := os.WriteFile(f, data, 0o644); err != nil {
			t.Fatal(err)
		}
		docxs = append(docxs, f)
	}
	profile := filepath.Join(t.TempDir(), "profile")
	sofficeIn(t, profile, odtDir, append([]string{"--convert-to", "odt", "--outdir", odtDir}, docxs...)...)
	var odts []string
	for name := range want {
		odts = append(odts, filepath.Join(odtDir, name+".odt"))
	}
	sofficeIn(t, profile, backDir, append([]string{"--convert-to", "docx", "--outdir", backDir}, odts...)...)
	for name, w := range want {
		back, err := os.ReadFile(filepath.Join(backDir, name+".docx"))
		if err != nil {
			t.Errorf("%s: LibreOffice wrote no .docx: %v", name, err)
			continue
		}
		res, err := Import(back)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !bytes.Equal(res.Text, w) {
			t.Errorf("%s: export → LibreOffice (odt, docx) → import changed the text at %s", name, diffLines(res.Text, w))
		}
	}
}
