package markdown_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/saiasat/saiasat/markdown"
)

// show writes spans compactly: strong runs in {…}, links as <text|dest>.
func show(spans []markdown.Span) string {
	var b strings.Builder
	for _, s := range spans {
		t := s.Text
		if s.Link != "" {
			t = "<" + t + "|" + s.Link + ">"
		}
		if s.Strong {
			t = "{" + t + "}"
		}
		b.WriteString(t)
	}
	return b.String()
}

func TestSpans(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain text", "plain text"},
		{"**Сұрақтар** [3.11.1-тармаққа](#3.11.1) сәйкес", "{Сұрақтар} <3.11.1-тармаққа|#3.11.1> сәйкес"},
		{"[2-бөлімде](#2) көрсетілген", "<2-бөлімде|#2> көрсетілген"},
		{"**см. [п. 1.1](#1.1)**", "{см. }{<п. 1.1|#1.1>}"},
		{"a**b**c", "a{b}c"},
		{"**a** and **b**", "{a} and {b}"},
		{"**two\nlines**", "{two\nlines}"},
		// Literal: blanks, footnotes, stray brackets, other Markdown.
		{"«___» ____________ 20__ г.", "«___» ____________ 20__ г."},
		{"№ ______ от «__» ______ 20__ ж.", "№ ______ от «__» ______ 20__ ж."},
		{"_x_ and __x__", "_x_ and __x__"},
		{"*a* b*", "*a* b*"},
		{"ставка* (см. * ниже)", "ставка* (см. * ниже)"},
		{"***x***", "***x***"},
		{"** x**", "** x**"},
		{"**x **", "**x **"},
		{"****", "****"},
		{"**", "**"},
		{"a ** b", "a ** b"},
		{"[1] сноска", "[1] сноска"},
		{"[сайт](https://example.kz)", "[сайт](https://example.kz)"},
		{"[п. 3](#3.x)", "[п. 3](#3.x)"},
		{"[п. 3](#03)", "[п. 3](#03)"},
		{"[](#3)", "[](#3)"},
		{"[a\nb](#3)", "[a\nb](#3)"},
		{"[[a](#3)", "[<a|#3>"},
		{"[**a**](#3)", "<**a**|#3>"},
		{`\*not escaped\*`, `\*not escaped\*`},
		{"&amp; &laquo; <b>x</b> `code`", "&amp; &laquo; <b>x</b> `code`"},
		{"<https://example.kz>", "<https://example.kz>"},
		{"**[a](#1)**[b](#1)", "{<a|#1>}<b|#1>"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			spans := markdown.Spans(tt.in)
			if got := show(spans); got != tt.want {
				t.Errorf("Spans(%q) = %q, want %q", tt.in, got, tt.want)
			}
			for _, s := range spans {
				if tt.in[s.Start:s.Start+len(s.Text)] != s.Text {
					t.Errorf("span %q does not start at %d of %q", s.Text, s.Start, tt.in)
				}
			}
		})
	}
}

func TestPlain(t *testing.T) {
	tests := []struct{ in, want string }{
		{"**Сұрақтар** [3.11.1-тармаққа](#3.11.1)", "Сұрақтар 3.11.1-тармаққа"},
		{"«___» ____________ 20__ г.", "«___» ____________ 20__ г."},
		{"*a* b*", "*a* b*"},
	}
	for _, tt := range tests {
		if got := markdown.Plain(tt.in); got != tt.want {
			t.Errorf("Plain(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestIsAnchor(t *testing.T) {
	for s, want := range map[string]bool{"#2": true, "#3.11.1": true, "#1.2.3.4": true, "#1.2.3.4.5": false, "#": false, "2": false, "#03": false, "#3.": false, "#x": false} {
		if got := markdown.IsAnchor(s); got != want {
			t.Errorf("IsAnchor(%q) = %v, want %v", s, got, want)
		}
	}
}

func ExampleSpans() {
	for _, s := range markdown.Spans("**Сұрақтар** [3.11.1-тармаққа](#3.11.1), «___» 20__ ж.") {
		fmt.Printf("%q strong=%v link=%q\n", s.Text, s.Strong, s.Link)
	}
	// Output:
	// "Сұрақтар" strong=true link=""
	// " " strong=false link=""
	// "3.11.1-тармаққа" strong=false link="#3.11.1"
	// ", «___» 20__ ж." strong=false link=""
}

// The page prints what Spans says: the blank's underscores, the footnote's
// asterisk, entities, escapes and tags as written; strong and clause links
// as elements.
func TestRenderHTMLInline(t *testing.T) {
	tests := []struct{ src, want string }{
		{"1.1. «___» ____________ 20__ г.", "<p>«___» ____________ 20__ г.</p>"},
		{"1.1. **Сұрақтар** [3.11.1-тармаққа](#3.11.1)", `<p><strong>Сұрақтар</strong> <a href="#3.11.1">3.11.1-тармаққа</a></p>`},
		{"1.1. _x_ *a* b* \\* &amp; <b>x</b> `c` [s](https://x.kz)", "<p>_x_ *a* b* \\* &amp;amp; &lt;b&gt;x&lt;/b&gt; `c` [s](https://x.kz)</p>"},
		{"1.1. a\n**b\nc** d", "<p>a\n<strong>b\nc</strong> d</p>"},
		{"1.1. x\n- **Сұрақтар** [1-бөлім](#1)", `<p class="bullet"><span class="label">–</span> <strong>Сұрақтар</strong> <a href="#1">1-бөлім</a></p>`},
		{"1.1. x\n1) «__» 20__ ж.", `<p class="item depth1"><span class="label">1)</span> «__» 20__ ж.</p>`},
		{"## 2. **Не** _жирный_ &amp;", `<h2 id="2">2. **Не** _жирный_ &amp;amp;</h2>`},
		{"1.1. [1]: https://example.kz\n", "<p>[1]: https://example.kz</p>"},
		// The text on a clause's own line is its lead paragraph, whatever
		// it starts with (generated texts of the fidelity test found "#"
		// dropped and the rest printed as a heading).
		{"1.1. # келісімі [x](#1.1)", `<p># келісімі <a href="#1.1">x</a></p>`},
		{"1.1. ## 2. Бөлім", "<p>## 2. Бөлім</p>"},
		{"1.1. - дефис", "<p>- дефис</p>"},
		{"1.1. 1) тармақ\n2) екінші", `<p>1) тармақ</p>` + "\n" + `<p class="item depth1"><span class="label">2)</span> екінші</p>`},
	}
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			out, err := markdown.RenderHTML([]byte(tt.src), markdown.HTMLOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(out), tt.want) {
				t.Errorf("RenderHTML(%q) =\n%s\nwant it to contain\n%s", tt.src, out, tt.want)
			}
		})
	}
}
