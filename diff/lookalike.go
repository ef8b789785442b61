package diff

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Fix is a change of letters that does not change their look: a script fix
// (Latin i → Kazakh і, Cyrillic с → Latin c) or a typographic one (a space
// made no-break, a quote mark, a dash), counted over a block.
type Fix struct {
	From  string `json:"from"`
	To    string `json:"to"`
	Class string `json:"class"` // "script" or "typography"
	Count int    `json:"count"`
}

// lookAlike pairs letters of two scripts that print the same in the fonts
// of a legal text; each pair is a script fix either way.
var lookAlike = map[[2]rune]bool{}

// typoGroups are characters that differ in typography only.
var typoGroups = [][]rune{
	{' ', '\u00A0', '\u202F', '\u2009', '\u2007'},
	{'-', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2212'},
	{'"', '\'', '«', '»', '“', '”', '„', '‘', '’', '‚'},
}

var typoGroup = map[rune]int{}

func init() {
	// Latin, then its Cyrillic look-alike (Kazakh letters included).
	for _, p := range []string{"aа", "cс", "eе", "oо", "pр", "xх", "yу", "iі", "sѕ", "jј", "hһ",
		"AА", "BВ", "CС", "EЕ", "HН", "IІ", "KК", "MМ", "OО", "PР", "TТ", "XХ", "YҮ", "SЅ",
		"əә", "ƏӘ", "ɵө", "ƟӨ"} { // the IPA letters Kazakh texts carry for ә and ө
		r := []rune(p)
		lookAlike[[2]rune{r[0], r[1]}] = true
		lookAlike[[2]rune{r[1], r[0]}] = true
	}
	for g, rs := range typoGroups {
		for _, r := range rs {
			typoGroup[r] = g + 1
		}
	}
}

// fixClass says whether replacing a by b keeps the look: "script",
// "typography", or "" for a visible change.
func fixClass(a, b rune) string {
	switch {
	case lookAlike[[2]rune{a, b}]:
		return "script"
	case typoGroup[a] != 0 && typoGroup[a] == typoGroup[b]:
		return "typography"
	}
	return ""
}

// CharKind says what kind of character r is, for naming a fix in words:
// "latin", "cyrillic", "kazakh" (the letters of the Kazakh alphabet beyond
// the Russian one), "space", "nbsp", "narrow-nbsp", "thin-space",
// "figure-space", "hyphen", "nb-hyphen", "figure-dash", "en-dash",
// "em-dash", "minus", "quote", or "other".
func CharKind(r rune) string {
	switch r {
	case ' ':
		return "space"
	case '\u00A0':
		return "nbsp"
	case '\u202F':
		return "narrow-nbsp"
	case '\u2009':
		return "thin-space"
	case '\u2007':
		return "figure-space"
	case '-', '\u2010':
		return "hyphen"
	case '\u2011':
		return "nb-hyphen"
	case '\u2012':
		return "figure-dash"
	case '\u2013':
		return "en-dash"
	case '\u2014':
		return "em-dash"
	case '\u2212':
		return "minus"
	}
	switch {
	case typoGroup[r] == 3:
		return "quote"
	case unicode.Is(unicode.Latin, r):
		return "latin"
	case isKazakh(r):
		return "kazakh"
	case unicode.Is(unicode.Cyrillic, r):
		return "cyrillic"
	}
	return "other"
}

func isKazakh(r rune) bool {
	switch unicode.ToLower(r) {
	case 'ә', 'ғ', 'қ', 'ң', 'ө', 'ұ', 'ү', 'һ', 'і':
		return true
	}
	return false
}

var englishKinds = map[string]string{
	"latin": "Latin %s", "cyrillic": "Cyrillic %s", "kazakh": "Kazakh %s", "space": "space",
	"nbsp": "no-break space", "narrow-nbsp": "narrow no-break space", "thin-space": "thin space",
	"figure-space": "figure space", "hyphen": "hyphen %s", "nb-hyphen": "non-breaking hyphen",
	"figure-dash": "figure dash %s", "en-dash": "en dash %s", "em-dash": "em dash %s", "minus": "minus sign %s",
	"quote": "quote mark %s", "other": "%s",
}

// CharName names r in English: "Latin i", "Kazakh і", "no-break space".
func CharName(r rune) string {
	f := englishKinds[CharKind(r)]
	if f == "" {
		f = "%s"
	}
	if !strings.Contains(f, "%s") {
		return f
	}
	return fmt.Sprintf(f, string(r))
}

// String words the fix in English: "Latin i → Kazakh і".
func (f Fix) String() string {
	a, _ := utf8.DecodeRuneInString(f.From)
	b, _ := utf8.DecodeRuneInString(f.To)
	return CharName(a) + " → " + CharName(b)
}

// refineFixes rewrites each deletion followed by an insertion of the same
// length that differs only by look-alike or typographic characters into
// character-level operations, each fixed character marked, so the redline
// points at the letter and not the word. It returns the new operations.
func refineFixes(ops []Op) []Op {
	var out []Op
	emit := func(op Op) {
		if op.Text == "" {
			return
		}
		if n := len(out); n > 0 && out[n-1].Op == op.Op && out[n-1].Fix == op.Fix && op.Op == OpEqual {
			out[n-1].Text += op.Text
			return
		}
		out = append(out, op)
	}
	for k := 0; k < len(ops); k++ {
		op := ops[k]
		if op.Op == OpDelete && k+1 < len(ops) && ops[k+1].Op == OpInsert {
			if fine, ok := charFixes(op.Text, ops[k+1].Text); ok {
				for _, f := range fine {
					emit(f)
				}
				k++
				continue
			}
		}
		emit(op)
	}
	return out
}

// charFixes returns the character-level operations from a to b when they
// have the same length and every difference keeps the look.
func charFixes(a, b string) ([]Op, bool) {
	ra, rb := []rune(a), []rune(b)
	if len(ra) != len(rb) {
		return nil, false
	}
	var out []Op
	eq := []rune{}
	for i := range ra {
		if ra[i] == rb[i] {
			eq = append(eq, ra[i])
			continue
		}
		class := fixClass(ra[i], rb[i])
		if class == "" {
			return nil, false
		}
		if len(eq) > 0 {
			out = append(out, Op{Op: OpEqual, Text: string(eq)})
			eq = eq[:0]
		}
		out = append(out, Op{Op: OpDelete, Text: string(ra[i]), Fix: class}, Op{Op: OpInsert, Text: string(rb[i]), Fix: class})
	}
	if len(eq) > 0 {
		out = append(out, Op{Op: OpEqual, Text: string(eq)})
	}
	return out, true
}

// fixes counts the fixes among ops, in order of first appearance, and says
// whether they are the whole change.
func fixes(ops []Op) ([]Fix, bool) {
	var out []Fix
	only := true
	for k, op := range ops {
		switch {
		case op.Op == OpEqual:
		case op.Fix == "":
			only = false
		case op.Op == OpDelete && k+1 < len(ops):
			f := Fix{From: op.Text, To: ops[k+1].Text, Class: op.Fix}
			found := false
			for i := range out {
				if out[i].From == f.From && out[i].To == f.To {
					out[i].Count++
					found = true
				}
			}
			if !found {
				f.Count = 1
				out = append(out, f)
			}
		}
	}
	return out, only && len(out) > 0
}
