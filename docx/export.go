package docx

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/saiasat/saiasat/markdown"
)

// ExportOptions say what Export prints around the text.
type ExportOptions struct {
	// Title is printed first in the Title style (policy.yaml's title); the
	// import proposes it for policy.yaml rather than putting it in the text.
	Title string
	// Header is the page header, lines joined by "\n": the edition, its
	// version hash. The import reports it and leaves it out of the text.
	Header string
}

// Export writes a policy text (the source format) as a .docx in which
// section and clause numbers, and items numbered 1), 2), … in sequence,
// are automatic numbering (numbering.xml), so that a lawyer editing it in
// Word sees and keeps real numbered lists, and Import gives the same text
// back. A number that does not follow from the one before (a gap, a label
// without its final dot) starts a list of its own at that number; nested
// or multi-part item labels ("11.1)"), letter items and bullets are kept
// as typed.
func Export(text []byte, opt ExportOptions) ([]byte, error) {
	var b strings.Builder
	if opt.Title != "" {
		b.WriteString(`<w:p>`)
		pProps{style: "Title"}.write(&b)
		textRun(&b, opt.Title, rPr{}, "t")
		b.WriteString(`</w:p>`)
	}
	na := newNumAlloc()
	for _, blk := range sourceBlocks(string(text)) {
		writeBlock(&b, blk, na)
	}
	return writePackage(b.String(), na.xml(), "", opt.Header, opt.Title)
}

// srcBlock is a paragraph of the source: a heading, a clause, an item, a
// bullet, text, a table or a container, with the lines that continue it.
type srcBlock struct {
	kind  string // title, heading, clause, item, text, table, approval, container
	lines []string
}

var (
	headingNumRe = regexp.MustCompile(`^(\d+)(\.?)(?:( +)(.*))?$`)
	delimRowRe   = regexp.MustCompile(`^\s*:?-+:?\s*$`)
)

// sourceBlocks cuts a source text into its paragraphs.
func sourceBlocks(text string) []srcBlock {
	var out []srcBlock
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	prevBlank := true
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		t := strings.TrimLeft(l, " ")
		b := []byte(t)
		switch {
		case strings.TrimSpace(l) == "":
			prevBlank = true
			continue
		case strings.HasPrefix(t, ":::"):
			kind := "container"
			if strings.TrimSpace(strings.TrimPrefix(t, ":::")) == "approval" {
				kind = "approval"
			}
			blk := srcBlock{kind: kind, lines: []string{l}}
			for i+1 < len(lines) {
				i++
				blk.lines = append(blk.lines, lines[i])
				if strings.TrimSpace(lines[i]) == ":::" {
					break
				}
			}
			out = append(out, blk)
		case strings.HasPrefix(t, "|"):
			if len(out) > 0 && out[len(out)-1].kind == "table" && !prevBlank {
				out[len(out)-1].lines = append(out[len(out)-1].lines, l)
			} else {
				out = append(out, srcBlock{kind: "table", lines: []string{l}})
			}
		case markdown.HeadingLevel(b) == 1:
			out = append(out, srcBlock{kind: "title", lines: []string{l}})
		case markdown.HeadingLevel(b) > 1:
			out = append(out, srcBlock{kind: "heading", lines: []string{l}})
		case markdown.ClauseLabel(b) > 0:
			out = append(out, srcBlock{kind: "clause", lines: []string{l}})
		case markdown.ItemLabel(b) > 0 || markdown.BulletLabel(b) > 0 || isLetterItem(t) || isBullet(t):
			out = append(out, srcBlock{kind: "item", lines: []string{l}})
		case !prevBlank && len(out) > 0 && out[len(out)-1].kind != "table" && out[len(out)-1].kind != "heading" &&
			out[len(out)-1].kind != "title" && !strings.HasSuffix(out[len(out)-1].kind, "container") && out[len(out)-1].kind != "approval":
			out[len(out)-1].lines = append(out[len(out)-1].lines, l)
		default:
			out = append(out, srcBlock{kind: "text", lines: []string{l}})
		}
		prevBlank = false
	}
	return out
}

// isBullet reports whether t starts with one of the format's bullet glyphs
// and a space.
func isBullet(t string) bool {
	for _, g := range bulletGlyphs {
		if strings.HasPrefix(t, g+" ") {
			return true
		}
	}
	return false
}

func writeBlock(b *strings.Builder, blk srcBlock, na *numAlloc) {
	para := func(pp pProps, text string) {
		b.WriteString("<w:p>")
		pp.write(b)
		inlineRuns(b, text, "t")
		b.WriteString("</w:p>")
	}
	rest := strings.Join(blk.lines[1:], "\n")
	join := func(first string) string {
		if rest == "" {
			return first
		}
		return first + "\n" + rest
	}
	first := blk.lines[0]
	switch blk.kind {
	case "title":
		na.endItems()
		para(pProps{style: "Heading1"}, strings.TrimPrefix(strings.TrimLeft(first, " "), "# "))
	case "heading":
		na.endItems()
		h := strings.TrimLeft(strings.TrimLeft(first, " "), "#")
		h = strings.TrimPrefix(h, " ")
		if m := headingNumRe.FindStringSubmatch(h); m != nil {
			n, _ := strconv.Atoi(m[1])
			if id, lvl := na.clause([]int{n}, m[2] == "."); id > 0 {
				text := ""
				if m[3] != "" {
					text = m[3][1:] + m[4]
				}
				para(pProps{style: "Heading2", numID: id, ilvl: lvl}, text)
				return
			}
		}
		para(pProps{style: "Heading2"}, h)
	case "clause":
		na.endItems()
		t := strings.TrimLeft(first, " ")
		n := markdown.ClauseLabel([]byte(t))
		label := t[:n]
		parts := parseNumber(strings.TrimSuffix(label, "."))
		if id, lvl := na.clause(parts, strings.HasSuffix(label, ".")); id > 0 {
			para(pProps{numID: id, ilvl: lvl}, join(strings.TrimPrefix(t[n:], " ")))
			return
		}
		para(pProps{}, join(t))
	case "item":
		t := strings.TrimLeft(first, " ")
		n := markdown.ItemLabel([]byte(t))
		if n > 0 && t == first && !strings.Contains(t[:n], ".") {
			v, _ := strconv.Atoi(t[:n-1])
			if id, lvl, ok := na.item(v); ok {
				para(pProps{numID: id, ilvl: lvl}, join(strings.TrimPrefix(t[n:], " ")))
				return
			}
		}
		// Typed: a nested, multi-part or letter label, a bullet, or a number
		// out of sequence. The items after it still continue the list.
		para(pProps{}, join(first))
	case "table":
		writeTable(b, blk.lines)
	case "approval":
		for _, l := range blk.lines[1 : len(blk.lines)-1] {
			para(pProps{right: true}, l)
		}
	case "container":
		para(pProps{}, strings.Join(blk.lines, "\n"))
	default:
		para(pProps{}, join(first))
	}
}

// parseNumber reads "3.12.1" as its parts.
func parseNumber(s string) []int {
	var out []int
	for _, p := range strings.Split(s, ".") {
		n, _ := strconv.Atoi(p)
		out = append(out, n)
	}
	return out
}

// cells splits a pipe table row into its cells ("\|" is a pipe inside one).
func cells(row string) []string {
	row = strings.TrimSpace(row)
	row = strings.TrimPrefix(row, "|")
	if strings.HasSuffix(row, "|") && !strings.HasSuffix(row, `\|`) {
		row = row[:len(row)-1]
	}
	var out []string
	var cur strings.Builder
	for i := 0; i < len(row); i++ {
		switch {
		case row[i] == '\\' && i+1 < len(row) && row[i+1] == '|':
			cur.WriteByte('|')
			i++
		case row[i] == '|':
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(row[i])
		}
	}
	return append(out, strings.TrimSpace(cur.String()))
}

func writeTable(b *strings.Builder, lines []string) {
	var rows [][]string
	width := 0
	for i, l := range lines {
		cs := cells(l)
		if i == 1 {
			delim := true
			for _, c := range cs {
				delim = delim && delimRowRe.MatchString(c)
			}
			if delim {
				continue
			}
		}
		rows = append(rows, cs)
		width = max(width, len(cs))
	}
	b.WriteString(`<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="5000" w:type="pct"/></w:tblPr><w:tblGrid>`)
	for range width {
		fmt.Fprintf(b, `<w:gridCol w:w="%d"/>`, 9000/width)
	}
	b.WriteString(`</w:tblGrid>`)
	for _, r := range rows {
		b.WriteString("<w:tr>")
		for i := range width {
			b.WriteString(`<w:tc><w:tcPr><w:tcW w:w="0" w:type="auto"/></w:tcPr><w:p>`)
			if i < len(r) {
				inlineRuns(b, r[i], "t")
			}
			b.WriteString("</w:p></w:tc>")
		}
		b.WriteString("</w:tr>")
	}
	b.WriteString("</w:tbl>")
}

// numAlloc allocates the lists of an exported text: one abstract list of
// section and clause numbers ("%1.", "%1.%2.", …) and one of items
// ("%1)"). All the clause paragraphs count one list, as Word and
// LibreOffice do across the nums of one abstract list: a number that
// follows from the one before uses the plain num; a label written without
// its final dot a num whose w:lvlOverride/w:lvl drops it; a number that
// does not follow (a gap, a repeat) a fresh num whose w:startOverride
// restarts its level there. A number whose upper parts do not match the
// list is typed instead.
type numAlloc struct {
	nums    []string
	clauseC counter
	looks   map[int]int // level → num of the label without its final dot
	itemNum int         // the num of the current clause's items, 0 none
	itemC   counter
	used    bool
}

func newNumAlloc() *numAlloc { return &numAlloc{looks: make(map[int]int)} }

const (
	clauseAbstract = 1
	itemAbstract   = 2
	baseClauseNum  = 1
)

func clauseLvlText(l int, dot bool) string {
	parts := make([]string, l+1)
	for k := range parts {
		parts[k] = fmt.Sprintf("%%%d", k+1)
	}
	t := strings.Join(parts, ".")
	if dot {
		t += "."
	}
	return t
}

func lvlXML(l int, text string) string {
	return fmt.Sprintf(`<w:lvl w:ilvl="%d"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%s"/><w:lvlJc w:val="left"/><w:suff w:val="space"/><w:pPr><w:ind w:left="0" w:firstLine="0"/></w:pPr></w:lvl>`, l, text)
}

// reserve makes numId 1 the clauses' plain num.
func (na *numAlloc) reserve() {
	if len(na.nums) == 0 {
		na.nums = append(na.nums, fmt.Sprintf(`<w:num w:numId="%d"><w:abstractNumId w:val="%d"/></w:num>`, baseClauseNum, clauseAbstract))
	}
}

// newNum adds a num of an abstract list with overrides and returns its id.
func (na *numAlloc) newNum(abstract int, overrides string) int {
	na.reserve()
	id := len(na.nums) + 1
	na.nums = append(na.nums, fmt.Sprintf(`<w:num w:numId="%d"><w:abstractNumId w:val="%d"/>%s</w:num>`, id, abstract, overrides))
	return id
}

// clause returns the numId and level of a section or clause number, or
// numID 0 when the number is to be typed.
func (na *numAlloc) clause(n []int, dot bool) (numID, ilvl int) {
	l := len(n) - 1
	if l > 8 {
		return 0, 0
	}
	c := &na.clauseC
	for i := 0; i < l; i++ {
		v := 1
		if c.used[i] {
			v = c.val[i]
		}
		if v != n[i] {
			return 0, 0
		}
	}
	expected := 1
	if c.used[l] {
		expected = c.val[l] + 1
	}
	na.reserve()
	switch {
	case n[l] != expected:
		ov := fmt.Sprintf(`<w:lvlOverride w:ilvl="%d"><w:startOverride w:val="%d"/>`, l, n[l])
		if !dot {
			ov += lvlXML(l, clauseLvlText(l, false))
		}
		numID = na.newNum(clauseAbstract, ov+"</w:lvlOverride>")
	case !dot:
		if na.looks[l] == 0 {
			na.looks[l] = na.newNum(clauseAbstract, fmt.Sprintf(`<w:lvlOverride w:ilvl="%d">%s</w:lvlOverride>`, l, lvlXML(l, clauseLvlText(l, false))))
		}
		numID = na.looks[l]
	default:
		numID = baseClauseNum
	}
	c.val[l], c.used[l] = n[l], true
	for k := 0; k < l; k++ {
		c.val[k], c.used[k] = n[k], true
	}
	for k := l + 1; k < 9; k++ {
		c.used[k] = false
	}
	return numID, l
}

// item returns the numId of an item numbered v, ok false when v does not
// follow the item before (it is then typed).
func (na *numAlloc) item(v int) (numID, ilvl int, ok bool) {
	if na.itemNum == 0 {
		na.itemNum = na.newNum(itemAbstract, fmt.Sprintf(`<w:lvlOverride w:ilvl="0"><w:startOverride w:val="%d"/></w:lvlOverride>`, v))
		na.itemC.val[0] = v
		return na.itemNum, 0, true
	}
	if v != na.itemC.val[0]+1 {
		return 0, 0, false
	}
	na.itemC.val[0] = v
	return na.itemNum, 0, true
}

// endItems ends the clause's items: the next clause's start anew.
func (na *numAlloc) endItems() { na.itemNum = 0 }

// xml returns numbering.xml's content.
func (na *numAlloc) xml() string {
	if len(na.nums) == 0 {
		return ""
	}
	var b strings.Builder
	for _, a := range []int{clauseAbstract, itemAbstract} {
		fmt.Fprintf(&b, `<w:abstractNum w:abstractNumId="%d"><w:multiLevelType w:val="multilevel"/>`, a)
		for l := 0; l < 9; l++ {
			t := clauseLvlText(l, true)
			if a == itemAbstract {
				t = fmt.Sprintf("%%%d)", l+1)
			}
			b.WriteString(lvlXML(l, t))
		}
		b.WriteString("</w:abstractNum>")
	}
	for _, n := range na.nums {
		b.WriteString(n)
	}
	return b.String()
}
