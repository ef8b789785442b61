package render

import (
	"strings"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
	"github.com/saiasat/saiasat/diff"
)

// The redline PDF sets its own lines, so that two languages stand side by
// side row by row, a row that does not fit breaks across pages in both
// columns at once, and each run keeps its marks (struck, underlined,
// strong, a look-alike fix highlighted).

// style is how a run of text is drawn.
type style struct {
	size  float64
	font  string // fpdf style: "", "B", with "U" and "S" for lines
	color [3]int
	fill  bool // a look-alike fix: a yellow ground
}

var (
	plainStyle = style{size: 10}
	headStyle  = style{size: 8.5, font: "B", color: [3]int{80, 80, 80}}
	smallStyle = style{size: 8.5}
	fixStyle   = style{size: 8.5, color: [3]int{90, 60, 0}}
)

// segStyle is the style of a redline segment.
func segStyle(s Seg) style {
	st := plainStyle
	if s.Strong {
		st.font = "B"
	}
	switch s.Op {
	case diff.OpDelete:
		st.font += "S"
		st.color = [3]int{170, 0, 0}
	case diff.OpInsert:
		st.font += "U"
		st.color = [3]int{0, 110, 0}
	default:
		if s.Link != "" {
			st.font += "U"
		}
	}
	if s.Fix != "" && s.Op != diff.OpEqual {
		st.fill = true
		if !strings.Contains(st.font, "B") {
			st.font = "B" + st.font
		}
	}
	return st
}

// run is text of one style on one line, w wide.
type run struct {
	text string
	st   style
	w    float64
}

// pline is one set line: its runs and height.
type pline struct {
	runs []run
	h    float64
}

// piece is text with a style, before setting.
type piece struct {
	text string
	st   style
}

// setter breaks pieces into lines of a width, measuring with pdf's fonts.
type setter struct{ pdf *fpdf.Fpdf }

func (s setter) width(text string, st style) float64 {
	s.pdf.SetFont(serif, strings.Trim(st.font, "US"), st.size)
	return s.pdf.GetStringWidth(text)
}

// set breaks pieces into lines no wider than width: at spaces, at "\n",
// and inside a word only when the word alone is wider than a line. Spaces
// that would start a wrapped line are dropped unless they are a change.
func (s setter) set(pieces []piece, width float64) []pline {
	var out []pline
	var cur pline
	w := 0.0
	push := func() {
		if cur.h == 0 {
			cur.h = plainStyle.size * 0.48
		}
		out = append(out, cur)
		cur, w = pline{}, 0
	}
	add := func(text string, st style, tw float64) {
		if n := len(cur.runs); n > 0 && cur.runs[n-1].st == st {
			cur.runs[n-1].text += text
			cur.runs[n-1].w += tw
		} else {
			cur.runs = append(cur.runs, run{text: text, st: st, w: tw})
		}
		w += tw
		cur.h = max(cur.h, st.size*0.48)
	}
	for _, p := range pieces {
		for _, tok := range tokens(p.text) {
			switch {
			case tok == "\n":
				push()
				continue
			case strings.TrimSpace(tok) == "":
				if w == 0 && len(cur.runs) == 0 && p.st.color == ([3]int{}) && !p.st.fill {
					continue
				}
				add(tok, p.st, s.width(tok, p.st))
				continue
			}
			tw := s.width(tok, p.st)
			if w > 0 && w+tw > width {
				push()
			}
			for tw > width { // a word wider than a line: cut it
				cut := s.fit(tok, p.st, width-w)
				if cut == 0 && w == 0 {
					_, cut = utf8.DecodeRuneInString(tok)
				}
				add(tok[:cut], p.st, s.width(tok[:cut], p.st))
				push()
				tok = tok[cut:]
				tw = s.width(tok, p.st)
			}
			if tok != "" {
				add(tok, p.st, tw)
			}
		}
	}
	if len(cur.runs) > 0 || len(out) == 0 {
		push()
	}
	return out
}

// fit returns how many bytes of tok fit in width.
func (s setter) fit(tok string, st style, width float64) int {
	n := 0
	for i, r := range tok {
		if s.width(tok[:i+utf8.RuneLen(r)], st) > width {
			break
		}
		n = i + utf8.RuneLen(r)
	}
	return n
}

// tokens cuts text into words, runs of spaces, and "\n".
func tokens(text string) []string {
	var out []string
	start := 0
	kind := func(r rune) int {
		switch r {
		case '\n':
			return 2
		case ' ', '\t':
			return 1
		}
		return 0
	}
	prev := -1
	for i, r := range text {
		k := kind(r)
		if i > start && (k != prev || k == 2) {
			out = append(out, text[start:i])
			start = i
		}
		prev = k
	}
	if start < len(text) {
		out = append(out, text[start:])
	}
	return out
}

// column is where a cell is drawn: its left edge and width.
type column struct{ x, w float64 }

// block is one row of the layout: a cell of lines per column, and a rule
// above it when ruled.
type block struct {
	cells [][]pline
	ruled bool
}

// roomForRow reports whether a row can start at the current y: keep a
// row's first lines with it, so a page is started when fewer than three
// lines fit.
func roomForRow(pdf *fpdf.Fpdf) bool {
	_, pageH := pdf.GetPageSize()
	_, _, _, bottomMargin := pdf.GetMargins()
	return pdf.GetY()+3*plainStyle.size*0.48 <= pageH-bottomMargin
}

// draw sets rows of cells in columns, breaking across pages in every
// column at once, and returns the y after the last row.
func draw(pdf *fpdf.Fpdf, cols []column, b block) {
	_, pageH := pdf.GetPageSize()
	_, top, _, bottomMargin := pdf.GetMargins()
	bottom := pageH - bottomMargin
	next := make([]int, len(b.cells))
	remaining := func() bool {
		for i, c := range b.cells {
			if next[i] < len(c) {
				return true
			}
		}
		return false
	}
	first := true
	for remaining() {
		y := pdf.GetY()
		if !roomForRow(pdf) {
			pdf.AddPage()
			y = top
		}
		if first && b.ruled {
			pdf.SetDrawColor(180, 180, 180)
			pdf.Line(cols[0].x, y, cols[len(cols)-1].x+cols[len(cols)-1].w, y)
			y += 1
		}
		first = false
		end := y
		for i, c := range b.cells {
			yy := y
			for next[i] < len(c) && yy+c[next[i]].h <= bottom {
				paint(pdf, cols[i].x, yy, c[next[i]])
				yy += c[next[i]].h
				next[i]++
			}
			end = max(end, yy)
		}
		if remaining() {
			pdf.AddPage()
			continue
		}
		pdf.SetY(end + 1.5)
	}
}

func paint(pdf *fpdf.Fpdf, x, y float64, l pline) {
	for _, r := range l.runs {
		pdf.SetFont(serif, r.st.font, r.st.size)
		pdf.SetTextColor(r.st.color[0], r.st.color[1], r.st.color[2])
		if r.st.fill {
			pdf.SetFillColor(255, 226, 138)
		}
		pdf.SetXY(x, y)
		pdf.CellFormat(r.w, l.h, r.text, "", 0, "L", r.st.fill, 0, "")
		x += r.w
	}
}
