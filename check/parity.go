package check

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/markdown"
)

// Parity compares the texts of a policy across languages block by block:
// blocks are aligned by ID (docs/format.md), so a block present in one
// text and absent in another is parity/missing-<kind> (bullets count as
// items), one of another kind there is parity/kind, and aligned blocks
// whose texts do not carry the same anchors are parity/anchor. Each
// finding is reported in the file of the language that lacks the thing.
func Parity(p *saiasat.Policy) []saiasat.Finding {
	var docs []*saiasat.Document
	for _, l := range p.Languages {
		if d := p.Docs[l]; d != nil {
			docs = append(docs, d)
		}
	}
	// anchors must be in the other text; kept may be: a gloss counts as
	// carrying its word without being required.
	anchors := make(map[*saiasat.Block][]string)
	kept := make(map[*saiasat.Block][]string)
	ids := make(map[*saiasat.Document]map[string][]*saiasat.Block)
	for _, d := range docs {
		ids[d] = make(map[string][]*saiasat.Block)
		saiasat.WalkBlocks(d.Blocks, func(b *saiasat.Block) bool {
			ids[d][b.ID] = append(ids[d][b.ID], b)
			t := anchorText(b)
			anchors[b] = Anchors(t, d.Lang)
			kept[b] = anchorsOf(t, d.Lang, true)
			return true
		})
	}
	var fs []saiasat.Finding
	add := func(pos saiasat.Pos, sev saiasat.Severity, rule, format string, args ...any) {
		fs = append(fs, saiasat.Finding{Pos: pos, Severity: sev, Rule: rule, Message: fmt.Sprintf(format, args...)})
	}
	for _, a := range docs {
		for _, b := range docs {
			if a == b {
				continue
			}
			// Findings go to b, for what a has and b lacks. The k-th block
			// with an ID in a pairs with the k-th in b, so a duplicated
			// number is compared with its own counterpart; a missing
			// block is reported where it would stand, at the last block
			// before it that b has, and its children not again.
			seen := make(map[string]int)
			near := saiasat.Pos{File: b.File, Line: 1, Col: 1}
			saiasat.WalkBlocks(a.Blocks, func(x *saiasat.Block) bool {
				k := seen[x.ID]
				seen[x.ID]++
				ys := ids[b][x.ID]
				if k >= len(ys) {
					rule := "parity/missing-" + x.Kind.String()
					if x.Kind == saiasat.KindBullet {
						rule = "parity/missing-item"
					}
					add(near, saiasat.Error, rule, "%s is in %s (line %d) but not here", blockName(x), a.File, x.Pos.Line)
					return false
				}
				y := ys[k]
				near = y.Pos
				if x.Kind != y.Kind {
					add(y.Pos, saiasat.Error, "parity/kind", "%s is a %s here (line %d) and a %s in %s (line %d)", x.ID, y.Kind, y.Pos.Line, x.Kind, a.File, x.Pos.Line)
					return true
				}
				have := kept[y]
				for _, an := range anchors[x] {
					if latinWord(an) && !cyrillicLang(a.Lang) {
						// Every word of an English text is Latin: its
						// names are found from the other side.
						continue
					}
					if !slices.Contains(have, an) && !carries(anchorText(y), b.Lang, an) {
						add(y.Pos, saiasat.Warning, "parity/anchor", "%s lacks %q that %s has (line %d): numbers, dates, URLs, e-mail addresses and Latin-script names must match", blockName(y), an, a.File, x.Pos.Line)
					}
				}
				return true
			})
		}
	}
	return fs
}

// anchorText is the text of b whose anchors parity compares: a clause's
// or paragraph's text with its whole list (items and bullets, nested or
// not: a translation may move a word from one item to the next), a table's
// cells, a footnote's or container's text. Headings are not compared, nor
// items and bullets on their own (their holder is), nor a title.
func anchorText(b *saiasat.Block) string {
	switch b.Kind {
	case saiasat.KindTitle, saiasat.KindChapter, saiasat.KindSection, saiasat.KindItem, saiasat.KindBullet:
		return ""
	case saiasat.KindClause, saiasat.KindParagraph:
		texts := []string{b.Text}
		for _, c := range b.Children {
			c.Walk(func(x *saiasat.Block) bool {
				if x.Kind == saiasat.KindItem || x.Kind == saiasat.KindBullet {
					texts = append(texts, x.Text)
					return true
				}
				return false
			})
		}
		return strings.Join(texts, "\n")
	case saiasat.KindTable:
		// The delimiter row's dashes are no anchors.
		var rows []string
		for i, row := range strings.Split(b.Text, "\n") {
			if i != 1 {
				rows = append(rows, strings.Join(markdown.TableCells(row), " \n"))
			}
		}
		return strings.Join(rows, "\n")
	}
	return b.Text
}

// blockName names a block in a finding: "clause 3.1", "section 2", "item
// 2) (1.1/2)", "paragraph 3/p1".
func blockName(b *saiasat.Block) string {
	switch b.Kind {
	case saiasat.KindClause, saiasat.KindSection:
		if len(b.Number) > 0 {
			return b.Kind.String() + " " + b.ID
		}
	case saiasat.KindItem, saiasat.KindChapter, saiasat.KindFootnote, saiasat.KindBullet:
		return fmt.Sprintf("%s %s (%s)", b.Kind, b.Label, b.ID)
	}
	return b.Kind.String() + " " + b.ID
}

var (
	urlRe   = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s<>()\[\]«»"]+`)
	emailRe = regexp.MustCompile(`[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}`)
	// A number with its dotted parts (3.12.1, 16.09.2025, 1,5) and a law
	// number's Latin suffix (94-V).
	numberRe = regexp.MustCompile(`\d+(?:[.,]\d+)*(?:-[A-Z]+\b)?`)
	// Item labels and bullets at the start of a line are structure, compared
	// by parity/missing-item, not anchors.
	labelRe = regexp.MustCompile(`(?m)^(?:\d+(?:\.\d+)*\)|-)\s`)
	// A lowercase Latin term in brackets after the word it glosses —
	// "электрондық пошта (e-mail)", "файлы (cookies)" — is a translation
	// aid a text may give or omit, not a name.
	glossRe = regexp.MustCompile(`\(\s*[a-z]+(?:-[a-z]+)*\s*\)`)
)

// cyrillicLang reports whether texts in lang are written in Cyrillic, so
// that a Latin word in them is a name to keep in every translation.
func cyrillicLang(lang saiasat.Lang) bool { return lang == "kk" || lang == "ru" }

// latinWord reports whether s is made of Latin letters and inner hyphens.
func latinWord(s string) bool {
	for _, part := range strings.Split(s, "-") {
		if part == "" {
			return false
		}
		for _, r := range part {
			if !unicode.Is(unicode.Latin, r) {
				return false
			}
		}
	}
	return s != ""
}

// Anchors returns what both translations of a clause must carry unchanged:
// URLs, e-mail addresses, numbers, dates, law numbers and Latin-script
// words (a hyphenated one as one; a lowercase term in brackets, a gloss,
// not at all), each once, in order of first appearance. A word that mixes
// scripts counts in its mended form ("сookies" as "cookies"): script/mixed
// reports it, and one defect should give one finding, not two.
func Anchors(body string, lang saiasat.Lang) []string { return anchorsOf(body, lang, false) }

// anchorsOf returns the anchors of body, with the glossed terms when
// glosses is true.
func anchorsOf(body string, lang saiasat.Lang, glosses bool) []string {
	if ws := MixedWords([]byte(body), lang); len(ws) > 0 {
		b := []byte(body)
		for i := len(ws) - 1; i >= 0; i-- {
			if w := ws[i]; w.Fixed != "" {
				b = append(b[:w.Offset:w.Offset], append([]byte(w.Fixed), b[w.Offset+w.Length:]...)...)
			}
		}
		body = string(b)
	}
	var out []string
	add := func(s string) {
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	body = labelRe.ReplaceAllString(body, " ")
	mask := func(re *regexp.Regexp) {
		body = re.ReplaceAllStringFunc(body, func(m string) string {
			add(strings.TrimRight(m, ".,;:!?"))
			return " "
		})
	}
	// The regexps have no literal prefix to scan for; skip them when their
	// anchor character is absent, as it is in most clauses.
	if strings.Contains(body, "www.") || strings.Contains(body, "://") {
		mask(urlRe)
	}
	if strings.Contains(body, "@") {
		mask(emailRe)
	}
	body = numberRe.ReplaceAllStringFunc(body, func(m string) string {
		add(strings.TrimRight(m, ".,"))
		return " "
	})
	if !glosses {
		body = glossRe.ReplaceAllString(body, " ")
	}
	// A hyphenated Latin word ("e-mail", "Wi-Fi") is one anchor; in
	// "IP-адрес" the Latin part is.
	for _, w := range strings.FieldsFunc(body, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.Is(unicode.Mn, r) && r != '-' }) {
		var run []string
		flush := func() {
			if len(run) > 0 {
				add(strings.Join(run, "-"))
				run = run[:0]
			}
		}
		for _, part := range strings.Split(w, "-") {
			if latinWord(part) {
				run = append(run, part)
			} else {
				flush()
			}
		}
		flush()
	}
	return out
}
