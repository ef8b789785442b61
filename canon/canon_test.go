package canon_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/canon"
	"github.com/saiasat/saiasat/internal/fuzzseed"
	"github.com/saiasat/saiasat/internal/kindsample"
	"github.com/saiasat/saiasat/markdown"
	"golang.org/x/text/unicode/norm"
)

func TestFormat(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"blank only", "\n \n\t\n", ""},
		{"final newline added", "## 1. A\n\n1.1. x", "## 1. A\n\n1.1. x\n"},
		{"CRLF", "## 1. A\r\n\r\n1.1. x\r\n", "## 1. A\n\n1.1. x\n"},
		{"lone CR", "## 1. A\r\r1.1. x\r", "## 1. A\n\n1.1. x\n"},
		{"BOM dropped", "\uFEFF## 1. A\n\n1.1. x\n", "## 1. A\n\n1.1. x\n"},
		{"trailing spaces and hard break", "1.1. x  \ny\t\n", "1.1. x\ny\n"},
		{"blank line runs collapse", "1.1. x\n\n\n\n1.2. y\n\n\n", "1.1. x\n\n1.2. y\n"},
		{"blank line inserted before clause", "## 1. A\n1.1. x\n1.2. y\n", "## 1. A\n\n1.1. x\n\n1.2. y\n"},
		{"items stay together", "1.1. x:\n1) a;\n2) b.\n- c\n", "1.1. x:\n1) a;\n2) b.\n- c\n"},
		{"date line is not a block", "1.1. x\n16.09.2025 жылы\n", "1.1. x\n16.09.2025 жылы\n"},
		{"NFC composes", "1.1. и\u0306\n", "1.1. й\n"},
		{"letters untouched", "1.1. сookies iс\n", "1.1. сookies iс\n"},
		{"internal spaces kept", "3.12.10  Сайтты\n", "3.12.10  Сайтты\n"},
		{"leading blank lines", "\n\n# T\n## 1. A\n", "# T\n\n## 1. A\n"},
		{"heading then text", "## 1. A\ntext\n", "## 1. A\n\ntext\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := canon.Format([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("Format(%q) = %q, want %q", tt.in, got, tt.want)
			}
			again, _ := canon.Format(got)
			if !bytes.Equal(again, got) {
				t.Errorf("not idempotent: %q -> %q", got, again)
			}
		})
	}
}

func TestFormatInvalidUTF8(t *testing.T) {
	_, err := canon.Format([]byte("1.1. ok\n1.2. \xff bad\n"))
	if !errors.Is(err, canon.ErrInvalidUTF8) {
		t.Fatalf("err = %v, want ErrInvalidUTF8", err)
	}
	if got, want := err.Error(), "invalid UTF-8 at line 2"; got != want {
		t.Errorf("err = %q, want %q", got, want)
	}
}

// The bundled policy is kept in canonical form, so its text hash is the
// plain SHA-256 of the file, as `sha256sum` prints it.
func TestTextHashIsSha256sumOfCanonicalFile(t *testing.T) {
	files, _ := filepath.Glob("../policies/*/*.md")
	released, _ := filepath.Glob("../policies/*/releases/*/*.md")
	files = append(files, released...)
	if len(files) == 0 {
		t.Fatal("no policy texts")
	}
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		h, err := canon.TextHash(src)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(src)
		if got, want := string(h), "sha256:"+hex.EncodeToString(sum[:]); got != want {
			t.Errorf("%s: TextHash = %s, sha256sum = %s", file, got, want)
		}
	}
}

func TestDocumentHashes(t *testing.T) {
	src := []byte("## 1. A\n\n1.1. first\n1) item\n\n1.2. second\n")
	doc, _ := markdown.Parse("x.md", "kk", src)
	lh, err := canon.DocumentHashes(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !lh.Canonical {
		t.Error("Canonical = false for a canonical text")
	}
	if len(lh.Clauses) != 2 {
		t.Fatalf("clauses = %d, want 2", len(lh.Clauses))
	}
	// A clause hash covers its lines with their newlines: sed -n 3,4p | sha256sum.
	if got, want := lh.Clauses[0].Hash, saiasat.HashBytes([]byte("1.1. first\n1) item\n")); got != want {
		t.Errorf("clause 1.1 hash = %s, want %s", got, want)
	}
	if got, want := lh.Clauses[1].Hash, saiasat.HashBytes([]byte("1.2. second\n")); got != want {
		t.Errorf("clause 1.2 hash = %s, want %s", got, want)
	}

	// The same text with CRLF and a BOM has the same hashes.
	crlf := append([]byte("\uFEFF"), bytes.ReplaceAll(src, []byte("\n"), []byte("\r\n"))...)
	doc2, _ := markdown.Parse("x.md", "kk", canon.View(crlf))
	doc2.Source = crlf
	lh2, err := canon.DocumentHashes(doc2)
	if err != nil {
		t.Fatal(err)
	}
	if lh2.Text != lh.Text || lh2.Canonical {
		t.Errorf("CRLF+BOM: text %s canonical %v, want %s false", lh2.Text, lh2.Canonical, lh.Text)
	}
}

func TestPolicyHashes(t *testing.T) {
	kk, _ := markdown.Parse("kk.md", "kk", []byte("1.1. a\n"))
	ru, _ := markdown.Parse("ru.md", "ru", []byte("1.1. б\n"))
	p := &saiasat.Policy{ID: "privacy", Edition: 2, Effective: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC),
		Title: map[saiasat.Lang]string{"kk": "Т", "ru": "П"}, Organization: map[saiasat.Lang]string{"kk": "Ж", "ru": "О"},
		Languages: []saiasat.Lang{"ru", "kk"}, Docs: map[saiasat.Lang]*saiasat.Document{"kk": kk, "ru": ru}}
	h, err := canon.PolicyHashes(p)
	if err != nil {
		t.Fatal(err)
	}
	want := "saiasat-version 1\nid privacy\nedition 2\neffective 2026-12-01\n" +
		"title kk Т\ntitle ru П\norganization kk Ж\norganization ru О\n" +
		"text kk " + string(saiasat.HashBytes([]byte("1.1. a\n"))) + "\n" +
		"text ru " + string(saiasat.HashBytes([]byte("1.1. б\n"))) + "\n"
	if got := h.Version; got != saiasat.HashBytes([]byte(want)) {
		t.Errorf("Version = %s, want the hash of\n%s", got, want)
	}
	if h.Languages[0].Lang != "ru" {
		t.Errorf("languages not in policy order: %v", h.Languages[0].Lang)
	}
}

// FuzzFormat checks the properties of canonical form: no panic, idempotent,
// and blind to CRLF versus LF.
func FuzzFormat(f *testing.F) {
	fuzzseed.Add(f, "../policies/*/*.md", "../markdown/testdata/*.md", "../testdata/clean/*.md")
	f.Add([]byte("## 1. A\r\n1.1. x  \n\n\n1) y\n"))
	for _, t := range kindsample.Texts {
		f.Add([]byte(t))
	}
	f.Add([]byte("1. x:\n  а) y\n     • z\n| a |\n|---|\n* n\n::: signature\n«___»"))
	schemes := []saiasat.Numbering{saiasat.NumberingSections, saiasat.NumberingFlat, saiasat.NumberingNone}
	f.Fuzz(func(t *testing.T, src []byte) {
		// One scheme per input, chosen by its length: three formats of
		// every input made each execution, and so minimizing, three times
		// slower, and the fuzzer stalled (35 executions in 40 s).
		for _, scheme := range schemes[len(src)%3 : len(src)%3+1] {
			opt := markdown.WithNumbering(scheme)
			once, err := canon.Format(src, opt)
			if err != nil {
				return
			}
			twice, err := canon.Format(once, opt)
			if err != nil {
				t.Fatalf("%s: Format of canonical text failed: %v", scheme, err)
			}
			if !bytes.Equal(once, twice) {
				t.Fatalf("%s: not idempotent:\n once %q\ntwice %q", scheme, once, twice)
			}
			// Canonical form keeps the structure: the same blocks, kinds,
			// IDs, labels and texts, in the same order.
			// Texts compared in NFC: canonical form composes them.
			if a, b := structure(norm.NFC.Bytes(canon.View(src)), opt), structure(once, opt); a != b {
				t.Fatalf("%s: fmt changed the structure:\n%s\n---\n%s", scheme, a, b)
			}
			if bytes.IndexByte(src, '\r') < 0 {
				crlf, err := canon.Format(bytes.ReplaceAll(src, []byte("\n"), []byte("\r\n")), opt)
				if err != nil || !bytes.Equal(crlf, once) {
					t.Fatalf("%s: CRLF changes canonical form: %q vs %q (%v)", scheme, crlf, once, err)
				}
			}
		}
	})
}

// structure lists every block of the tree Parse finds: kind, ID, label
// and text, by depth.
func structure(src []byte, opts ...markdown.Option) string {
	doc, _ := markdown.Parse("f.md", "kk", canon.View(src), opts...)
	var b strings.Builder
	var rec func([]*saiasat.Block, int)
	rec = func(bs []*saiasat.Block, d int) {
		for _, x := range bs {
			fmt.Fprintf(&b, "%s%s %s %q %q\n", strings.Repeat(" ", d), x.Kind, x.ID, x.Label, x.Text)
			rec(x.Children, d+1)
		}
	}
	rec(doc.Blocks, 0)
	return b.String()
}

// TestFormatEveryKind formats the kk and ru samples, which hold a block of
// every kind of saiasat.Kinds: Format knows each kind (a kind without a
// canonical layout makes it fail), keeps every block, and writes the
// sample as canonical form wants it.
func TestFormatEveryKind(t *testing.T) {
	for lang, text := range kindsample.Texts {
		if m := kindsample.Missing(lang); len(m) > 0 {
			t.Fatalf("the %s sample has no %v: add one to internal/kindsample", lang, m)
		}
		out, err := canon.Format([]byte(text))
		if err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		if a, b := structure([]byte(text)), structure(out); a != b {
			t.Errorf("%s: fmt changed the blocks:\n%s\n---\n%s", lang, a, b)
		}
		if string(out) != text {
			t.Errorf("%s: the sample is not canonical:\n%s", lang, out)
		}
	}
}

// TestFormatBlocks: the layout of each new kind of block.
func TestFormatBlocks(t *testing.T) {
	tests := []struct {
		name, in, want string
		scheme         saiasat.Numbering
	}{
		{"nested items 3 spaces per level", "1.1. x:\n1) a\n  а) b\n        • c\n    ә) d\n2) e\n",
			"1.1. x:\n1) a\n   а) b\n      • c\n   ә) d\n2) e\n", ""},
		{"items under a paragraph, numbering none", "Келісім:\n    1) бір\n      - екі\n", "Келісім:\n1) бір\n   - екі\n", saiasat.NumberingNone},
		{"containers stand apart", "# T\n::: approval\nУТВЕРЖДЕНО\n   от «15» ноября\n:::\nг. Алматы\n", "# T\n\n::: approval\nУТВЕРЖДЕНО\n   от «15» ноября\n:::\n\nг. Алматы\n", ""},
		{"tables stand apart, in a clause too", "1.1. Сроки:\n| a | b |\n|---|---|\n| c | d |\nПосле.\n", "1.1. Сроки:\n\n| a | b |\n|---|---|\n| c | d |\n\nПосле.\n", ""},
		{"footnotes as written", "1.1. x*\n* сноска\n¹ ещё\n", "1.1. x*\n* сноска\n¹ ещё\n", ""},
		{"flat clauses", "# T\n1. a\n2. b\n", "# T\n\n1. a\n\n2. b\n", saiasat.NumberingFlat},
		{"flat text in the sections scheme is paragraphs", "# T\n1. a\n2. b\n", "# T\n\n1. a\n2. b\n", ""},
		{"a multi-line title", "# A\n# B\n## 1. C\n", "# A\n\n# B\n\n## 1. C\n", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := canon.Format([]byte(tt.in), markdown.WithNumbering(tt.scheme))
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("Format:\n%s\nwant:\n%s", got, tt.want)
			}
			again, _ := canon.Format(got, markdown.WithNumbering(tt.scheme))
			if !bytes.Equal(again, got) {
				t.Errorf("not idempotent:\n%s", again)
			}
		})
	}
}
