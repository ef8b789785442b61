package check

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/saiasat/saiasat"
)

// Parity compares the texts of a policy across languages: a section,
// clause or item present in one and absent in another (parity/missing-*),
// and clauses whose texts do not carry the same anchors (parity/anchor).
// Each finding is reported in the file of the language that lacks the thing.
func Parity(p *saiasat.Policy) []saiasat.Finding {
	var docs []*saiasat.Document
	for _, l := range p.Languages {
		if d := p.Docs[l]; d != nil {
			docs = append(docs, d)
		}
	}
	// anchors must be in the other text; kept may be: a gloss counts as
	// carrying its word without being required.
	anchors := make(map[*saiasat.Clause][]string)
	kept := make(map[*saiasat.Clause][]string)
	for _, d := range docs {
		for _, c := range d.Clauses() {
			anchors[c] = Anchors(c.Body, d.Lang)
			kept[c] = anchorsOf(c.Body, d.Lang, true)
		}
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
			// Findings go to b, for what a has and b lacks.
			for _, s := range a.Sections {
				if s.Number > 0 && !slices.ContainsFunc(b.Sections, func(t *saiasat.Section) bool { return t.Number == s.Number }) {
					add(nearPos(b, saiasat.Number{s.Number}), saiasat.Error, "parity/missing-section", "section %d is in %s (line %d) but not here", s.Number, a.File, s.Pos.Line)
				}
			}
			// The k-th clause numbered n in a pairs with the k-th in b, so a
			// duplicated number is compared with its own counterpart.
			bByNum := byNumber(b)
			seen := make(map[string]int)
			for _, ca := range a.Clauses() {
				key := ca.Number.String()
				k := seen[key]
				seen[key]++
				var cb *saiasat.Clause
				if k < len(bByNum[key]) {
					cb = bByNum[key][k]
				}
				if cb == nil {
					add(nearPos(b, ca.Number), saiasat.Error, "parity/missing-clause", "clause %s is in %s (line %d) but not here", ca.Number, a.File, ca.Pos.Line)
					continue
				}
				for _, it := range ca.Items {
					if !slices.ContainsFunc(cb.Items, func(x *saiasat.Item) bool { return x.Number.Equal(it.Number) }) {
						add(cb.Pos, saiasat.Error, "parity/missing-item", "clause %s lacks item %s) that %s has (line %d)", ca.Number, it.Number, a.File, it.Pos.Line)
					}
				}
				if len(ca.Bullets) > len(cb.Bullets) {
					add(cb.Pos, saiasat.Error, "parity/missing-item", "clause %s has %d bullets here and %d in %s", ca.Number, len(cb.Bullets), len(ca.Bullets), a.File)
				}
				have := kept[cb]
				for _, an := range anchors[ca] {
					if latinWord(an) && !cyrillicLang(a.Lang) {
						// Every word of an English text is Latin: its
						// names are found from the other side.
						continue
					}
					if !slices.Contains(have, an) && !carries(cb.Body, b.Lang, an) {
						add(cb.Pos, saiasat.Warning, "parity/anchor", "clause %s lacks %q that %s has (line %d): numbers, dates, URLs, e-mail addresses and Latin-script names must match", ca.Number, an, a.File, ca.Pos.Line)
					}
				}
			}
		}
	}
	return fs
}

func byNumber(d *saiasat.Document) map[string][]*saiasat.Clause {
	m := make(map[string][]*saiasat.Clause)
	for _, c := range d.Clauses() {
		m[c.Number.String()] = append(m[c.Number.String()], c)
	}
	return m
}

// nearPos returns where something numbered n would stand in doc: at the
// last clause or section numbered before it, or at the top of the file.
func nearPos(doc *saiasat.Document, n saiasat.Number) saiasat.Pos {
	pos := saiasat.Pos{File: doc.File, Line: 1, Col: 1}
	for _, s := range doc.Sections {
		if s.Number > 0 && s.Number <= n[0] {
			pos = s.Pos
		}
		for _, c := range s.Clauses {
			if c.Number.Compare(n) < 0 {
				pos = c.Pos
			}
		}
	}
	return pos
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
