package docx

import (
	"bytes"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
)

// level is one w:lvl of an abstract numbering definition.
type level struct {
	start   int
	fmt     string // w:numFmt: decimal, lowerLetter, russianLower, bullet, none…
	text    string // w:lvlText, "%1.%2."
	restart int    // w:lvlRestart, -1 when absent (restart after any higher level)
	legal   bool   // w:isLgl: every %N shown in decimal
	pStyle  string
	set     bool
}

// abstractNum is a w:abstractNum: nine levels, or a link to a numbering
// style (w:numStyleLink) that holds them.
type abstractNum struct {
	levels    [9]level
	styleLink string
}

// num is a w:num: an instance of an abstract definition, with overrides.
type num struct {
	abstract string
	start    map[int]int   // w:lvlOverride/w:startOverride
	levels   map[int]level // w:lvlOverride/w:lvl
}

// numbering is numbering.xml.
type numbering struct {
	abstracts map[string]*abstractNum
	nums      map[int]*num
}

// style is a paragraph or character style of styles.xml.
type style struct {
	name, basedOn string
	numID, ilvl   int // -1 when absent
	outline       int
	bold          bool
	boldSet       bool
}

type styles struct{ byID map[string]*style }

func parseStyles(data []byte) (*styles, error) {
	s := &styles{byID: make(map[string]*style)}
	if data == nil {
		return s, nil
	}
	var cur *style
	inRPr := false
	err := walkW(data, func(t xml.StartElement, v string) {
		switch t.Name.Local {
		case "style":
			id, _ := attr(t, "styleId")
			cur = &style{numID: -1, ilvl: -1, outline: -1}
			s.byID[id] = cur
		case "name":
			if cur != nil {
				cur.name = v
			}
		case "basedOn":
			if cur != nil {
				cur.basedOn = v
			}
		case "numId":
			if cur != nil {
				cur.numID = atoi(v, -1)
			}
		case "ilvl":
			if cur != nil {
				cur.ilvl = atoi(v, -1)
			}
		case "outlineLvl":
			if cur != nil {
				cur.outline = atoi(v, -1)
			}
		case "rPr":
			inRPr = true
		case "b":
			if cur != nil && inRPr {
				cur.bold, cur.boldSet = on(t), true
			}
		}
	}, func(local string) {
		switch local {
		case "style":
			cur = nil
		case "rPr":
			inRPr = false
		}
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

// chain returns a style and those it is based on, nearest first.
func (s *styles) chain(id string) []*style {
	var out []*style
	for i := 0; id != "" && i < 20; i++ {
		st, ok := s.byID[id]
		if !ok {
			break
		}
		out = append(out, st)
		id = st.basedOn
	}
	return out
}

// bold reports whether a character style makes its text bold.
func (s *styles) bold(id string) bool {
	for _, st := range s.chain(id) {
		if st.boldSet {
			return st.bold
		}
	}
	return false
}

// numPr returns the numbering a paragraph style carries: numId and ilvl,
// -1 where the chain says nothing.
func (s *styles) numPr(id string) (numID, ilvl int) {
	numID, ilvl = -1, -1
	for _, st := range s.chain(id) {
		if numID < 0 && st.numID >= 0 {
			numID = st.numID
		}
		if ilvl < 0 && st.ilvl >= 0 {
			ilvl = st.ilvl
		}
	}
	return numID, ilvl
}

// outline returns a style's outline level: w:outlineLvl in its chain, or
// the level of a built-in heading style ("heading 2" → 1); -1 for none.
func (s *styles) outline(id string) int {
	for _, st := range s.chain(id) {
		if st.outline >= 0 {
			return st.outline
		}
		n := strings.ToLower(st.name)
		if rest, ok := strings.CutPrefix(n, "heading "); ok {
			if k, err := strconv.Atoi(rest); err == nil && k >= 1 && k <= 9 {
				return k - 1
			}
		}
	}
	return -1
}

// name returns a style's name in lower case ("title", "heading 1").
func (s *styles) name(id string) string {
	if st, ok := s.byID[id]; ok {
		return strings.ToLower(st.name)
	}
	return strings.ToLower(id)
}

func parseNumbering(data []byte) (*numbering, error) {
	n := &numbering{abstracts: make(map[string]*abstractNum), nums: make(map[int]*num)}
	if data == nil {
		return n, nil
	}
	var (
		abs      *abstractNum
		nm       *num
		lv       *level
		lvIdx    int
		override = -1
	)
	err := walkW(data, func(t xml.StartElement, v string) {
		switch t.Name.Local {
		case "abstractNum":
			id, _ := attr(t, "abstractNumId")
			abs = &abstractNum{}
			for i := range abs.levels {
				abs.levels[i] = level{start: 1, fmt: "decimal", restart: -1}
			}
			n.abstracts[id] = abs
		case "num":
			id, _ := attr(t, "numId")
			nm = &num{start: make(map[int]int), levels: make(map[int]level)}
			n.nums[atoi(id, -1)] = nm
		case "abstractNumId":
			if nm != nil {
				nm.abstract = v
			}
		case "lvlOverride":
			il, _ := attr(t, "ilvl")
			override = atoi(il, -1)
		case "startOverride":
			if nm != nil && override >= 0 {
				nm.start[override] = atoi(v, 0)
			}
		case "numStyleLink":
			if abs != nil {
				abs.styleLink = v
			}
		case "lvl":
			il, _ := attr(t, "ilvl")
			lvIdx = atoi(il, -1)
			lv = &level{start: 1, fmt: "decimal", restart: -1, set: true}
			if abs != nil && nm == nil && lvIdx >= 0 && lvIdx < 9 {
				lv = &abs.levels[lvIdx]
				lv.set = true
			}
		case "start":
			if lv != nil {
				lv.start = atoi(v, 1)
			}
		case "numFmt":
			if lv != nil {
				lv.fmt = v
			}
		case "lvlText":
			if lv != nil {
				lv.text = v
			}
		case "lvlRestart":
			if lv != nil {
				lv.restart = atoi(v, -1)
			}
		case "isLgl":
			if lv != nil {
				lv.legal = on(t)
			}
		case "pStyle":
			if lv != nil {
				lv.pStyle = v
			}
		}
	}, func(local string) {
		switch local {
		case "abstractNum":
			abs = nil
		case "num":
			nm = nil
		case "lvlOverride":
			override = -1
		case "lvl":
			if nm != nil && lv != nil && override >= 0 {
				nm.levels[override] = *lv
			}
			lv = nil
		}
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// abstractOf returns the abstract definition a num uses, following a link
// to a numbering style (w:numStyleLink → the style's numId → its num).
func (n *numbering) abstractOf(nm *num, st *styles) (string, *abstractNum) {
	id := nm.abstract
	for i := 0; i < 5; i++ {
		a, ok := n.abstracts[id]
		if !ok {
			return id, nil
		}
		if a.styleLink == "" {
			return id, a
		}
		sid, _ := st.numPr(a.styleLink)
		linked, ok := n.nums[sid]
		if !ok {
			return id, a
		}
		id = linked.abstract
	}
	return id, nil
}

// counter is the state of one list: the current value of each level and
// whether the level has been used since its last restart.
type counter struct {
	val  [9]int
	used [9]bool
	// pend is a start value a num's w:startOverride set for a level not
	// yet used.
	pend    [9]int
	hasPend [9]bool
}

// numberer assigns the displayed number to each numbered paragraph, in
// document order, as Word does.
type numberer struct {
	n        *numbering
	st       *styles
	counters map[string]*counter
	begun    map[int]bool // nums whose start overrides have been applied
}

// levelOf returns the definition of level ilvl of a num, with overrides.
func (nb *numberer) levelOf(nm *num, a *abstractNum, ilvl int) level {
	if l, ok := nm.levels[ilvl]; ok {
		if s, ok := nm.start[ilvl]; ok {
			l.start = s
		}
		return l
	}
	l := a.levels[ilvl]
	if s, ok := nm.start[ilvl]; ok {
		l.start = s
	}
	return l
}

// number sets p.label (and bullet, numbered) from its numbering.
func (nb *numberer) number(p *para) {
	numID, ilvl := p.numID, p.ilvl
	if numID < 0 || ilvl < 0 {
		sNum, sLvl := nb.st.numPr(p.style)
		if numID < 0 {
			numID = sNum
		}
		if ilvl < 0 {
			ilvl = sLvl
		}
	}
	if numID <= 0 {
		return
	}
	nm, ok := nb.n.nums[numID]
	if !ok {
		return
	}
	absID, a := nb.n.abstractOf(nm, nb.st)
	if a == nil {
		return
	}
	if ilvl < 0 {
		// A style that carries numbering without a level: the level whose
		// w:pStyle names it, else the first.
		ilvl = 0
		for i, l := range a.levels {
			if l.pStyle != "" && l.pStyle == p.style {
				ilvl = i
				break
			}
		}
	}
	if ilvl > 8 {
		ilvl = 8
	}
	// The nums of one abstract definition count one list, as in Word (and
	// as LibreOffice writes a list: its first paragraph in a num that
	// restarts it, the others in a num that continues it). A num's
	// w:startOverride values restart their levels the first time the num
	// is used; a w:lvlOverride/w:lvl only changes a level's look.
	key := "a" + absID
	c := nb.counters[key]
	if c == nil {
		c = &counter{}
		nb.counters[key] = c
	}
	lv := nb.levelOf(nm, a, ilvl)
	if len(nm.start) > 0 && !nb.begun[numID] {
		nb.begun[numID] = true
		for k, v := range nm.start {
			switch {
			case k < 0 || k > 8:
			case k <= ilvl:
				c.val[k], c.used[k] = v, true
				if k == ilvl {
					c.val[k]-- // counted below
				}
			default:
				c.pend[k], c.hasPend[k] = v, true
			}
		}
	}
	// A level above that was never used counts as used at its start: after
	// "1.1." with no "1." before it, the next top-level paragraph is "2.".
	for k := 0; k < ilvl; k++ {
		if !c.used[k] {
			c.val[k], c.used[k] = nb.levelOf(nm, a, k).start, true
			if c.hasPend[k] {
				c.val[k], c.hasPend[k] = c.pend[k], false
			}
		}
	}
	if c.used[ilvl] {
		c.val[ilvl]++
	} else {
		c.val[ilvl] = lv.start
		if c.hasPend[ilvl] {
			c.val[ilvl], c.hasPend[ilvl] = c.pend[ilvl], false
		}
		c.used[ilvl] = true
	}
	// Lower levels restart when a level above their w:lvlRestart is used
	// (by default, any higher level).
	for k := ilvl + 1; k < 9; k++ {
		r := nb.levelOf(nm, a, k).restart
		if r < 0 {
			r = k
		}
		if r > 0 && ilvl < r {
			c.used[k] = false
		}
	}
	p.numKey, p.numLevel, p.numbered = key, ilvl, true
	if lv.fmt == "bullet" {
		p.bullet = true
		p.label = lv.text
		return
	}
	var b strings.Builder
	t := lv.text
	for i := 0; i < len(t); i++ {
		if t[i] == '%' && i+1 < len(t) && t[i+1] >= '1' && t[i+1] <= '9' {
			k := int(t[i+1] - '1')
			i++
			v := c.val[k]
			kl := nb.levelOf(nm, a, k)
			if !c.used[k] && k != ilvl {
				v = kl.start
			}
			f := kl.fmt
			if lv.legal {
				f = "decimal"
			}
			b.WriteString(format(v, f))
			continue
		}
		b.WriteByte(t[i])
	}
	p.label = b.String()
}

// Letters of the list formats Word knows by name. Russian lists skip
// ё й ъ ы ь (FORMAT-V2 rule 7).
var (
	latinLower   = []rune("abcdefghijklmnopqrstuvwxyz")
	russianLower = []rune("абвгдежзиклмнопрстуфхцчшщэюя")
)

// format writes v in a w:numFmt.
func format(v int, f string) string {
	switch f {
	case "none":
		return ""
	case "lowerLetter":
		return letters(v, latinLower)
	case "upperLetter":
		return strings.ToUpper(letters(v, latinLower))
	case "russianLower":
		return letters(v, russianLower)
	case "russianUpper":
		return strings.ToUpper(letters(v, russianLower))
	case "lowerRoman":
		return strings.ToLower(roman(v))
	case "upperRoman":
		return roman(v)
	case "decimalZero":
		if v < 10 && v >= 0 {
			return "0" + strconv.Itoa(v)
		}
	}
	return strconv.Itoa(v)
}

// letters writes v (1-based) as Word does: a…z, then aa…zz, aaa….
func letters(v int, alpha []rune) string {
	if v < 1 {
		return strconv.Itoa(v)
	}
	n := len(alpha)
	if (v-1)/n >= 10 {
		// Past "zzzzzzzzzz" no reader counts in letters (and a huge start
		// value would make a huge label).
		return strconv.Itoa(v)
	}
	r := alpha[(v-1)%n]
	return strings.Repeat(string(r), (v-1)/n+1)
}

func roman(v int) string {
	if v <= 0 || v >= 4000 {
		return strconv.Itoa(v)
	}
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, x := range vals {
		for v >= x {
			b.WriteString(syms[i])
			v -= x
		}
	}
	return b.String()
}

// walkW reads an XML part token by token, calling start for each element
// in the WordprocessingML namespace (with its w:val, if any) and end with
// the local name of every end element.
func walkW(data []byte, start func(t xml.StartElement, val string), end func(local string)) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Space == nsW {
				v, _ := attr(t, "val")
				start(t, v)
			}
		case xml.EndElement:
			end(t.Name.Local)
		}
	}
}
