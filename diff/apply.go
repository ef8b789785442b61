package diff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/saiasat/saiasat"
)

// Rebuilt is what Apply makes of an old version and a diff's JSON
// document: the new version's canonical text per language and its printed
// policy.yaml fields.
type Rebuilt struct {
	Texts               map[saiasat.Lang][]byte
	Title, Organization map[saiasat.Lang]string
	Edition             string
	Effective           string
}

// Apply rebuilds the new side of a diff from its old side and the diff's
// JSON document (as WriteJSON writes it, with or without unchanged
// clauses): the proof that the JSON carries every change. Each changed
// block of the new text stands at its to_line with the text its ops (or,
// when its words did not change, the old block at from_line) give; the
// old blocks no change names fill the other lines in their order.
func Apply(from *Version, doc []byte) (*Rebuilt, error) {
	var j jsonResult
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return nil, fmt.Errorf("diff JSON: %w", err)
	}
	out := &Rebuilt{Texts: make(map[saiasat.Lang][]byte), Title: make(map[saiasat.Lang]string), Organization: make(map[saiasat.Lang]string),
		Edition: editionString(from.Edition), Effective: dateString(from.Effective)}
	for l, s := range from.Title {
		out.Title[l] = s
	}
	for l, s := range from.Organization {
		out.Organization[l] = s
	}
	for _, m := range j.Metadata {
		switch m.Field {
		case "title":
			out.Title[m.Lang] = m.To
		case "organization":
			out.Organization[m.Lang] = m.To
		case "edition":
			out.Edition = m.To
		case "effective":
			out.Effective = m.To
		default:
			return nil, fmt.Errorf("diff JSON: unknown metadata field %q", m.Field)
		}
	}
	for _, m := range []map[saiasat.Lang]string{out.Title, out.Organization} {
		for l, s := range m {
			if s == "" {
				delete(m, l)
			}
		}
	}
	for lang, ld := range j.Languages {
		doc := from.Docs[lang]
		if !from.Canonical {
			doc = canonical(doc)
		}
		text, err := applyLang(doc, ld.Changes)
		if err != nil {
			return nil, fmt.Errorf("diff JSON, %s: %w", lang, err)
		}
		out.Texts[lang] = text
	}
	return out, nil
}

func applyLang(from *saiasat.Document, changes []jsonChange) ([]byte, error) {
	ba := splitBlocks(from)
	used := make([]bool, len(ba))
	type placed struct {
		start int // line of "\n" + text, 0-based, where the block's lead starts
		text  string
	}
	var news []placed
	newLines := 0
	for _, c := range changes {
		var old *block
		if c.FromLine > 0 {
			i := blockAt(ba, c.FromLine)
			if i < 0 || used[i] {
				return nil, fmt.Errorf("from_line %d is not the start of an old block", c.FromLine)
			}
			used[i], old = true, ba[i]
		}
		if c.ToLine <= 0 {
			if c.Kind != Removed {
				return nil, fmt.Errorf("%s change without to_line", c.Kind)
			}
			continue
		}
		var text string
		switch {
		case c.Ops != nil:
			_, text = ApplyOps(c.Ops)
		case old != nil:
			text = old.text
		}
		var whole string
		switch {
		case !knownBlock(c.Block) && c.Block != "":
			return nil, fmt.Errorf("unknown block %q", c.Block)
		case c.Block != "" && textLike(c.Block):
			whole = text + "\n"
		case c.Block == "" || c.Block == BlockClause:
			if c.ToLabel == nil {
				return nil, fmt.Errorf("clause at line %d has no to_label", c.ToLine)
			}
			whole = "\n" + *c.ToLabel + text + "\n"
		default: // the title, a heading
			whole = "\n" + text + "\n"
		}
		lead := len(whole) - len(strings.TrimLeft(whole, "\n"))
		news = append(news, placed{start: c.ToLine - lead, text: whole})
		newLines += strings.Count(whole, "\n")
	}
	var kept []string
	for i, b := range ba {
		if !used[i] {
			kept = append(kept, b.whole())
			newLines += strings.Count(b.whole(), "\n")
		}
	}
	at := make(map[int]string, len(news))
	for _, p := range news {
		if _, dup := at[p.start]; dup || p.start < 0 {
			return nil, fmt.Errorf("two blocks at line %d", p.start)
		}
		at[p.start] = p.text
	}
	var b strings.Builder
	placedN := 0
	for line, k := 0, 0; line < newLines; {
		t, ok := at[line]
		if ok {
			placedN++
		} else {
			if k >= len(kept) {
				return nil, fmt.Errorf("nothing for line %d", line)
			}
			t = kept[k]
			k++
		}
		n := strings.Count(t, "\n")
		for l := line + 1; l < line+n; l++ {
			if _, clash := at[l]; clash {
				return nil, fmt.Errorf("a block overlaps line %d", l)
			}
		}
		b.WriteString(t)
		line += n
	}
	if placedN != len(at) {
		return nil, fmt.Errorf("%d changes placed beyond the text or across others", len(at)-placedN)
	}
	return []byte(strings.TrimPrefix(b.String(), "\n")), nil
}
