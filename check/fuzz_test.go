package check_test

import (
	"testing"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/canon"
	"github.com/saiasat/saiasat/check"
	"github.com/saiasat/saiasat/internal/fuzzseed"
	"github.com/saiasat/saiasat/internal/kindsample"
	"github.com/saiasat/saiasat/markdown"
)

// FuzzCheck runs every single-text rule on arbitrary input: no panic, every
// finding inside the input, every fix inside the text it mends.
func FuzzCheck(f *testing.F) {
	fuzzseed.Add(f, "../policies/*/*.md", "../markdown/testdata/*.md", "../testdata/clean/*.md")
	f.Add([]byte("\uFEFF## 1. A\r\n1.1. сookies i\u200bс и\u0306 [x](#9.9)\r\n1) a\n3) b\n"))
	f.Add([]byte("## 1. **A** [b](#1)\n\n1.1. «___» 20__ __x__ *a* b* ** c** [d](https://e) <b>&amp;</b> `f` \\* [](#1.1)\n[1]: g\n- ***h*** _i_\n"))
	for _, t := range kindsample.Texts {
		f.Add([]byte(t))
	}
	f.Add([]byte("## I.\n\n1. a:\nа) b\n   • c\n| x |\n|---|\n| y | z |\n\n* n\n::: approval\nx\n"))
	schemes := []saiasat.Numbering{saiasat.NumberingSections, saiasat.NumberingFlat, saiasat.NumberingNone}
	f.Fuzz(func(t *testing.T, src []byte) {
		view := canon.View(src)
		// One scheme per input, by its length, as FuzzFormat does.
		doc, _ := markdown.Parse("f.md", "kk", view, markdown.WithNumbering(schemes[len(src)%3]))
		doc.Source = src
		fs := check.Document(doc)
		lines := max(markdown.NewLines(view).Count(), 1)
		for _, f := range fs {
			if f.Pos.Line < 1 || f.Pos.Line > lines {
				t.Fatalf("%s: line outside 1..%d", f, lines)
			}
			if f.Fix != nil && (f.Fix.Offset < 0 || f.Fix.Offset+f.Fix.Length > len(view)) {
				t.Fatalf("%s: fix %+v outside the text of %d bytes", f, *f.Fix, len(view))
			}
		}
		check.ApplyFixes(doc, fs)
	})
}
