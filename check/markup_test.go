package check_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/check"
	"github.com/saiasat/saiasat/markdown"
)

// text/markup: cases that must fire (with position and the text after
// --fix) and cases that must not.
func TestMarkupRule(t *testing.T) {
	const head = "## 1. Бөлім\n\n"
	tests := []struct {
		name string
		line string   // the text of clause 1.1 (line 3), or a heading when it starts with "#"
		want []string // "line:col"; nil: must not fire
		msg  string   // a substring of the first message
		fix  string   // the line after --fix
	}{
		// Must fire.
		{"double underscores", "1.1. __маңызды__ ереже.", []string{"3:6"}, "underscores", "1.1. **маңызды** ереже."},
		{"single underscores", "1.1. _маңызды_ ереже.", []string{"3:6"}, "no italics", "1.1. маңызды ереже."},
		{"asterisk emphasis", "1.1. *a* b*", []string{"3:6"}, "asterisks", "1.1. a b*"},
		{"triple asterisks", "1.1. ***важно***", []string{"3:6"}, "asterisks", "1.1. **важно**"},
		{"strong with a space inside", "1.1. ** важно** и **здесь **.", []string{"3:6", "3:19"}, "start or end with a space", "1.1. **важно** и **здесь**."},
		{"external link", "1.1. См. [сайт](https://example.kz).", []string{"3:10"}, "not as a link", "1.1. См. сайт (https://example.kz)."},
		{"link to no number", "1.1. См. [п. 3](#3.x).", []string{"3:10"}, `"#3.x" is not`, "1.1. См. п. 3."},
		{"unclosed link", "1.1. См. [п. 3](#3 и далее.", []string{"3:10"}, "not as a link", "1.1. См. п. 3 (#3 и далее."},
		{"empty link text", "1.1. См. [](#1.1).", []string{"3:10"}, "needs text", "1.1. См. #1.1."},
		{"html tag", "1.1. <b>Важно</b>: текст.", []string{"3:6", "3:14"}, "HTML tag", "1.1. Важно: текст."},
		{"html comment", "1.1. Текст<!-- черновик -->.", []string{"3:11"}, "comment", "1.1. Текст."},
		{"autolink", "1.1. Сайт <https://example.kz>.", []string{"3:11"}, "angle brackets", "1.1. Сайт https://example.kz."},
		{"backslash escape", `1.1. Ставка \* 10.`, []string{"3:13"}, "backslash", "1.1. Ставка * 10."},
		{"escaped blank", `1.1. «\_\_» 20\_\_ г.`, []string{"3:7", "3:9", "3:15", "3:17"}, "backslash", "1.1. «__» 20__ г."},
		{"entity", "1.1. &laquo;Заң&raquo; &amp; &#8470; 5.", []string{"3:6", "3:16", "3:24", "3:30"}, `"&laquo;" is printed as written`, "1.1. «Заң» & № 5."},
		{"code span", "1.1. Файл `cookie` сақталады.", []string{"3:11"}, "backticks", "1.1. Файл cookie сақталады."},
		{"link definition line", "1.1. Мәтін\n[1]: https://example.kz", []string{"4:1"}, "link definition", "1.1. Мәтін\n[1] https://example.kz"},
		{"strong in a heading", "## 1. **Жалпы** ережелер", []string{"1:7"}, "heading takes no markup", "## 1. Жалпы ережелер"},
		{"link in a heading", "## 1. Бөлім [2](#2)", []string{"1:13"}, "heading takes no markup", "## 1. Бөлім 2"},
		{"strong across lines, broken", "1.1. ** a\nb**", []string{"3:6"}, "space", "1.1. **a\nb**"},

		// Must not fire.
		{"form blank ru", "1.1. «___» ____________ 20__ г.", nil, "", ""},
		{"form blank kk", "1.1. № ______ «___» ____________ 20__ ж. Қолы: ____________", nil, "", ""},
		{"signature line", "1.1. _________Иванов И.И._________", nil, "", ""},
		{"footnote asterisk", "1.1. Годовая ставка* указана. * Примечание: без НДС.", nil, "", ""},
		{"card mask", "1.1. Карта ****1234 и **** 5678.", nil, "", ""},
		{"one stray double asterisk", "1.1. Карта **1234.", nil, "", ""},
		{"strong and clause link", "1.1. **Сұрақтар** [3.11.1-тармаққа](#3.11.1) сәйкес.", nil, "", ""},
		{"strong across lines", "1.1. **a\nb** c", nil, "", ""},
		{"snake case", "1.1. Cookie _ga, _gid және _ym_uid.", nil, "", ""},
		{"brackets", "1.1. [1] Заң; [а] және [б] тармақтары.", nil, "", ""},
		{"less than", "1.1. Сома < 100 және > 5, a<b.", nil, "", ""},
		{"ampersand", "1.1. Procter & Gamble; AT&T.", nil, "", ""},
		{"windows path", `1.1. C:\Users\Name.`, nil, "", ""},
		{"one backtick", "1.1. It`s.", nil, "", ""},
		{"multiplication", "1.1. 2 * 3 = 6.", nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := head + tt.line + "\n"
			if strings.HasPrefix(tt.line, "#") {
				src = tt.line + "\n\n1.1. Мәтін.\n"
			}
			doc, _ := markdown.Parse("kk.md", "kk", []byte(src))
			fs := check.Document(doc)
			if got := found(fs, "text/markup"); !slices.Equal(got, tt.want) {
				t.Fatalf("text/markup at %v, want %v\n%v", got, tt.want, fs)
			}
			if tt.want == nil {
				return
			}
			var first saiasat.Finding
			for _, f := range fs {
				if f.Rule == "text/markup" {
					first = f
					break
				}
			}
			if !strings.Contains(first.Message, tt.msg) {
				t.Errorf("message %q lacks %q", first.Message, tt.msg)
			}
			var mine []saiasat.Finding
			for _, f := range fs {
				if f.Rule == "text/markup" {
					if f.Fix == nil {
						t.Errorf("finding without a fix: %v", f)
					}
					mine = append(mine, f)
				}
			}
			fixed, _ := check.ApplyFixes(doc, mine)
			want := strings.Replace(src, tt.line, tt.fix, 1)
			if string(fixed) != want {
				t.Errorf("after --fix:\n%s\nwant:\n%s", fixed, want)
			}
			doc2, _ := markdown.Parse("kk.md", "kk", fixed)
			if again := found(check.Document(doc2), "text/markup"); again != nil {
				t.Errorf("the fixed text still fires at %v:\n%s", again, fixed)
			}
		})
	}
}
