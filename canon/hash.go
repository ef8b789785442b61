package canon

import (
	"bytes"
	"fmt"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/markdown"
)

// Hashes names one edition of a policy: its version hash, and per language
// the text hash and one hash per clause.
type Hashes struct {
	ID        string       `json:"id"`
	Edition   int          `json:"edition"`
	Effective string       `json:"effective"`
	Version   saiasat.Hash `json:"version"`
	Languages []LangHashes `json:"languages"`
}

// LangHashes are the hashes of one language's canonical text.
type LangHashes struct {
	Lang saiasat.Lang `json:"lang"`
	File string       `json:"file"`
	Text saiasat.Hash `json:"text_sha256"`
	// Canonical is false when the file on disk differs from its canonical
	// form: the hashes are those of the canonical form, which `saiasat fmt`
	// would write.
	Canonical bool         `json:"canonical"`
	Clauses   []ClauseHash `json:"clauses"`
}

// ClauseHash is the hash of one clause: the canonical lines Line to EndLine,
// each with its "\n".
type ClauseHash struct {
	Clause  string       `json:"clause"`
	Line    int          `json:"line"`
	EndLine int          `json:"end_line"`
	Hash    saiasat.Hash `json:"sha256"`
}

// PolicyHashes computes the hashes of p from the canonical form of each of
// its documents, in the order of p.Languages.
func PolicyHashes(p *saiasat.Policy) (*Hashes, error) {
	h := &Hashes{ID: p.ID, Edition: p.Edition, Effective: p.Effective.Format(saiasat.DateLayout)}
	texts := make(map[saiasat.Lang]saiasat.Hash)
	for _, lang := range p.Languages {
		doc := p.Docs[lang]
		if doc == nil {
			return nil, fmt.Errorf("%s: no %s text", p.Dir, lang)
		}
		lh, err := DocumentHashes(doc)
		if err != nil {
			return nil, err
		}
		texts[lang] = lh.Text
		h.Languages = append(h.Languages, *lh)
	}
	h.Version = saiasat.VersionInput{ID: p.ID, Edition: p.Edition, Effective: p.Effective, Title: p.Title, Organization: p.Organization, Texts: texts}.Hash()
	return h, nil
}

// DocumentHashes computes the text hash and clause hashes of doc's
// canonical form.
func DocumentHashes(doc *saiasat.Document) (*LangHashes, error) {
	c, err := FormatDoc(doc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", doc.File, err)
	}
	lh := &LangHashes{Lang: doc.Lang, File: doc.File, Text: saiasat.HashBytes(c), Canonical: bytes.Equal(c, doc.Source)}
	cdoc, _ := markdown.Parse(doc.File, doc.Lang, c, markdown.WithNumbering(doc.Numbering))
	lines := markdown.NewLines(c)
	for _, cl := range cdoc.Clauses() {
		start := lines.Start(cl.Pos.Line)
		end := len(c)
		if cl.EndLine < lines.Count() {
			end = lines.Start(cl.EndLine + 1)
		}
		lh.Clauses = append(lh.Clauses, ClauseHash{
			Clause: cl.Number.String(), Line: cl.Pos.Line, EndLine: cl.EndLine, Hash: saiasat.HashBytes(c[start:end]),
		})
	}
	return lh, nil
}
