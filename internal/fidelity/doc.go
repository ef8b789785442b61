// Package fidelity holds the test of invariant 2 (issue 11, "Faithful"):
// every output of a text — the site's page, the policy PDF, the API's
// text, the redline — carries the words of its canonical Markdown, in
// order, with the format's markup (docs/format.md) accounted for.
//
// The words a reader must get are the program's own reading of the text
// (its tree of blocks from markdown.Parse in its numbering scheme, each
// block's paragraphs and children in source order by render.Parts, tables
// by render.TableRows, footnotes last, and markdown.Plain), checked twice
// before use: it
// must agree with a second reading of docs/format.md written apart from it
// (words_test.go, regular expressions where markdown.Spans scans bytes),
// and the only characters Spans may leave out are the markup's
// delimiters. So a change that drops or changes a character fails here
// whether it is made in a renderer or in the definition of the format.
//
// The texts are every fixture of the repository (policy folders in the
// numbering scheme their policy.yaml declares), the texts with every kind
// of block in each scheme (internal/blocktest, internal/kindsample), the
// bundled policy and generated texts.
//
// The package has no code of its own; the test needs pdftotext (make
// deps), and fails without it when CI is set.
package fidelity
