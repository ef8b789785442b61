package textimport_test

import (
	"strings"
	"testing"
	"unicode"

	"github.com/saiasat/saiasat/internal/fuzzseed"
	"github.com/saiasat/saiasat/textimport"
	"golang.org/x/text/unicode/norm"
)

// FuzzImport imports arbitrary input: no panic, and every input line is in
// the text written (spacing and heading marks aside) or reported dropped.
func FuzzImport(f *testing.F) {
	fuzzseed.Add(f, "../testdata/seed/*.txt")
	fuzzseed.Add(f, "../testdata/corpus/*/*.txt")
	f.Add([]byte("1. Общие\n1.1. Право:\n1. знать;\n2. требовать.\n1.2.\u00a0Текст п.\n1.3. настоящей\n\n5\n\nлет.\n\nhttps://x.kz/\n"))
	f.Add([]byte("\xff\xfe1\x00.\x00 \x00"))
	f.Fuzz(func(t *testing.T, src []byte) {
		r, err := textimport.Import(src)
		if err != nil {
			return
		}
		kept := fuzzSqueeze(string(r.Text))
		dropped := make(map[int]bool)
		for _, d := range r.Dropped {
			dropped[d.Line] = true
		}
		if strings.HasPrefix(string(src), "\xff\xfe") || strings.HasPrefix(string(src), "\xfe\xff") {
			return // line numbers are of the decoded text
		}
		view := strings.ReplaceAll(strings.ReplaceAll(strings.TrimPrefix(string(src), "\uFEFF"), "\r\n", "\n"), "\f", "\n")
		for i, l := range strings.Split(strings.ReplaceAll(view, "\r", "\n"), "\n") {
			if dropped[i+1] {
				continue
			}
			// A line laid out in columns is a table row: its cells end up
			// in different rows' cells when they wrap, so each is looked
			// for on its own.
			for _, field := range fieldRe.Split(l, -1) {
				if !strings.Contains(kept, fuzzSqueeze(field)) {
					t.Fatalf("line %d %q is neither in the text nor reported dropped:\n%s", i+1, l, r.Text)
				}
			}
		}
	})
}

// fuzzSqueeze drops white space and what the format adds around the
// words: heading marks and table pipes.
func fuzzSqueeze(s string) string {
	return strings.Join(strings.FieldsFunc(norm.NFC.String(s), func(r rune) bool { return unicode.IsSpace(r) || r == '#' || r == '|' }), "")
}
