package kindsample_test

import (
	"testing"

	"github.com/saiasat/saiasat/internal/kindsample"
	"github.com/saiasat/saiasat/markdown"
)

// The samples hold every kind, parse without findings, and have the same
// IDs and kinds in kk and ru.
func TestSamples(t *testing.T) {
	ids := map[string]string{}
	for lang, text := range kindsample.Texts {
		if m := kindsample.Missing(lang); len(m) > 0 {
			t.Errorf("%s sample has no block of kind %v", lang, m)
		}
		doc, fs := markdown.Parse(string(lang)+".md", lang, []byte(text))
		if len(fs) > 0 {
			t.Errorf("%s: %v", lang, fs)
		}
		ids[string(lang)] = markdown.DumpIDs(doc.Blocks)
	}
	if ids["kk"] != ids["ru"] {
		t.Errorf("kk and ru differ:\n%s\n%s", ids["kk"], ids["ru"])
	}
}
