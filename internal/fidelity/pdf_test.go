package fidelity_test

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/saiasat/saiasat/internal/testtool"
	"golang.org/x/net/html"
)

// pdfWord is one word pdftotext found, with where it stands.
type pdfWord struct {
	text string
	page int
	// line counts the lines of the whole document; first and last say
	// whether the word opens or ends its line.
	line        int
	first, last bool
	yMin, yMax  float64 // points from the page's top
	xMax        float64
	// full is set for a word that fills its line to the right margin.
	full bool
}

// pdfWords returns the words of pdf in the order the PDF draws them, with
// their pages, lines and positions: pdftotext -raw -bbox, poppler's
// reading of the real file in content-stream order. Not the default
// order: poppler's layout analysis takes a justified line whose spaces a
// long word has stretched for a row of columns, and reads its last words
// after the next line (generated text 11 met it); the policy PDF is one
// column, and it draws its lines top to bottom. A word starts a new line
// when it stands lower or higher than the word before it (the redline's
// second column starts back at its row's top), or to its left.
func pdfWords(t *testing.T, pdf []byte) ([]pdfWord, [][2]float64, error) {
	t.Helper()
	bin := testtool.Require(t, "pdftotext")
	f := filepath.Join(t.TempDir(), "doc.pdf")
	if err := os.WriteFile(f, pdf, 0o644); err != nil {
		return nil, nil, err
	}
	out, err := exec.Command(bin, "-enc", "UTF-8", "-raw", "-bbox", f, "-").Output()
	if err != nil {
		return nil, nil, fmt.Errorf("pdftotext -raw -bbox: %w", err)
	}
	doc, err := html.Parse(bytes.NewReader(out))
	if err != nil {
		return nil, nil, fmt.Errorf("pdftotext's output: %w", err)
	}
	var words []pdfWord
	var heights, widths []float64
	page, line := 0, 0
	var xMax float64
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "page":
				page++
				heights = append(heights, attrFloat(n, "height"))
				widths = append(widths, attrFloat(n, "width"))
			case "word":
				w := pdfWord{text: nodeText(n), page: page, yMin: attrFloat(n, "ymin"), yMax: attrFloat(n, "ymax")}
				x := attrFloat(n, "xmin")
				prev := len(words) - 1
				if prev < 0 || words[prev].page != page || w.yMin > words[prev].yMax-1 || w.yMax < words[prev].yMin+1 || x < xMax {
					line++
					w.first = true
					if prev >= 0 {
						words[prev].last = true
					}
				}
				w.line, xMax = line, attrFloat(n, "xmax")
				w.xMax = xMax
				words = append(words, w)
				return
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if len(words) > 0 {
		words[len(words)-1].last = true
	}
	pages := make([][2]float64, len(heights))
	for i := range pages {
		pages[i] = [2]float64{widths[i], heights[i]}
	}
	return words, pages, nil
}

func attrFloat(n *html.Node, key string) float64 {
	for _, a := range n.Attr {
		if a.Key == key {
			v, _ := strconv.ParseFloat(a.Val, 64)
			return v
		}
	}
	return 0
}

func nodeText(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// The policy PDF's running header and footer (render.PolicyPDF) lie
// outside the text's area: its top margin is 38 mm, the header's lines
// end above it; the text's lines end 20 mm above the page's foot, the
// footer starts 15 mm above it. The cut lines fall between the two.
const (
	mm           = 72 / 25.4
	headerBottom = 36 * mm // a word ending above this is the header's
	footerTop    = 18 * mm // a word starting below height-footerTop is the footer's
	rightMargin  = 15 * mm
	// A line is full when its last word ends less than a wide letter
	// (11 pt type) short of the right margin.
	fullSlack = 12
)

// pdfBodyWords returns the words of a policy PDF outside its running
// header and footer.
func pdfBodyWords(t *testing.T, pdf []byte) ([]pdfWord, error) {
	words, pages, err := pdfWords(t, pdf)
	if err != nil {
		return nil, err
	}
	var out []pdfWord
	for _, w := range words {
		size := pages[w.page-1]
		if w.yMax < headerBottom || w.yMin > size[1]-footerTop {
			continue
		}
		w.full = w.xMax > size[0]-rightMargin-fullSlack
		out = append(out, w)
	}
	return out, nil
}

// pdfInOrder checks that the PDF's words are want's, in order, and nothing
// else. A word the PDF broke over lines is joined, where the PDF itself
// broke it and nowhere else. fpdf breaks a line at its last space that
// fits; only a line with no space in it — one word longer than the line —
// is broken inside the word, at the last letter that fits, with no
// hyphen. So pieces are joined only when each piece but the last is alone
// on its line (after a clause, item or bullet label, which the PDF prints
// in a cell of its own) and fills it to the right margin, the next piece
// opens the next line, and together they make exactly the word wanted. Two whole
// words on two lines are never one, a hyphen is never removed, and
// pdftotext's own line breaks between words are left alone.
func pdfInOrder(want []string, got []pdfWord) error {
	_, err := pdfMatch(want, got)
	return err
}

// pdfMatch is pdfInOrder, also counting the words joined.
func pdfMatch(want []string, got []pdfWord) (joined int, err error) {
	j := 0
	texts := make([]string, len(got))
	for i, w := range got {
		texts[i] = w.text
	}
	for i, w := range want {
		if j == len(got) {
			return joined, fmt.Errorf("word %d of %d, %q, and those after it are missing\n  text: …%s…", i+1, len(want), w, around(want, i))
		}
		if got[j].text == w {
			j++
			continue
		}
		acc, k := got[j].text, j
		for acc != w && alone(got, k) && got[k].last && got[k].full && k+1 < len(got) && got[k+1].first && strings.HasPrefix(w, acc+got[k+1].text) {
			k++
			acc += got[k].text
		}
		if acc == w && k > j {
			j = k + 1
			joined++
			continue
		}
		return joined, fmt.Errorf("word %d of %d: want %q, the PDF has %q (page %d)\n  text: …%s…\n  PDF:  …%s…", i+1, len(want), w, got[j].text, got[j].page, around(want, i), around(texts, j))
	}
	if j < len(got) {
		return joined, fmt.Errorf("the PDF has %q after the text's last word (page %d)\n  PDF: …%s…", got[j].text, got[j].page, around(texts, j))
	}
	return joined, nil
}

// labelRe is a block's label as the PDF prints it: "3.1.", "3.1", "2.1)",
// "–".
var labelRe = regexp.MustCompile(`^(?:[1-9][0-9]{0,2}(?:\.[1-9][0-9]{0,2})*[.)]?|–)$`)

// alone reports whether word k is the only one on its line, but for a
// label before it.
func alone(ws []pdfWord, k int) bool {
	return ws[k].first || k > 0 && ws[k-1].first && ws[k-1].line == ws[k].line && labelRe.MatchString(ws[k-1].text)
}

// The join rule: what it joins and what it refuses.
func TestPDFJoin(t *testing.T) {
	n := 0
	line := func(ws ...string) []pdfWord {
		n++
		var out []pdfWord
		for i, w := range ws {
			out = append(out, pdfWord{text: w, line: n, first: i == 0, last: i == len(ws)-1})
		}
		return out
	}
	// full is a line that reaches the right margin.
	full := func(ws ...string) []pdfWord {
		l := line(ws...)
		l[len(l)-1].full = true
		return l
	}
	cat := func(ls ...[]pdfWord) []pdfWord {
		var out []pdfWord
		for _, l := range ls {
			out = append(out, l...)
		}
		return out
	}
	for _, tt := range []struct {
		name   string
		want   []string
		got    []pdfWord
		joined int
		ok     bool
	}{
		{"same words", []string{"a", "b", "c"}, cat(line("a", "b"), line("c")), 0, true},
		{"a word longer than a line", []string{"a", "____", "c"}, cat(line("a"), full("__"), line("__", "c")), 1, true},
		{"broken twice", []string{"abcdef"}, cat(full("ab"), full("cd"), line("ef")), 1, true},
		{"broken after a hyphen", []string{"IP-адрес"}, cat(full("IP-"), line("адрес")), 1, true},
		{"after a label", []string{"1)", "____", "c"}, cat(full("1)", "__"), line("__", "c")), 1, true},
		{"a piece that shares its line", []string{"a", "____", "c"}, cat(full("a", "__"), line("__", "c")), 0, false},
		{"a piece short of the margin", []string{"IPадрес"}, cat(line("IP"), line("адрес")), 0, false},
		{"a hyphen is never dropped", []string{"IPадрес"}, cat(full("IP-"), line("адрес")), 0, false},
		{"a break inside the next line", []string{"abc"}, cat(full("ab"), line("x", "c")), 0, false},
		{"not inside a line", []string{"ab"}, line("a", "b"), 0, false},
		{"a missing word", []string{"a", "b", "c"}, line("a", "c"), 0, false},
		{"an extra word", []string{"a", "c"}, line("a", "b", "c"), 0, false},
		{"a word after the text", []string{"a"}, line("a", "b"), 0, false},
		{"words out of order", []string{"a", "b"}, line("b", "a"), 0, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			n, err := pdfMatch(tt.want, tt.got)
			if (err == nil) != tt.ok {
				t.Errorf("pdfMatch(%q) = %v, want ok=%v", tt.want, err, tt.ok)
			}
			if tt.ok && n != tt.joined {
				t.Errorf("joined %d, want %d", n, tt.joined)
			}
		})
	}
}
