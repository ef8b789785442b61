package markdown_test

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/markdown"
)

// flat lists a tree one block a line: depth (as indentation), kind, ID,
// label, number, line:col-endline and text (with "\n" shown as "⏎").
func flat(bs []*saiasat.Block) []string {
	var out []string
	var rec func([]*saiasat.Block, int)
	rec = func(bs []*saiasat.Block, d int) {
		for _, b := range bs {
			out = append(out, fmt.Sprintf("%s%s %s %q %s %d:%d-%d %s", strings.Repeat(". ", d), b.Kind, b.ID, b.Label, b.Number, b.Pos.Line, b.Pos.Col, b.EndLine, strings.ReplaceAll(b.Text, "\n", "⏎")))
			rec(b.Children, d+1)
		}
	}
	rec(bs, 0)
	return out
}

// TestTreeKinds parses one kk and one ru example of each kind of block and
// asserts the whole tree: kinds, IDs (docs/format.md's rule), labels,
// numbers, positions and texts.
func TestTreeKinds(t *testing.T) {
	tests := []struct {
		name   string
		lang   saiasat.Lang
		scheme saiasat.Numbering
		src    string
		want   []string
	}{
		{"title kk", "kk", "", "# ЖЕКЕ ДЕРЕКТЕРДІ\n# өңдеу саясаты\n\n## 1. Жалпы\n", []string{
			`title title ""  1:1-2 ЖЕКЕ ДЕРЕКТЕРДІ⏎өңдеу саясаты`,
			`section 1 "1." 1 4:1-4 Жалпы`,
		}},
		{"title ru", "ru", "", "# ПОЛИТИКА\n\n# конфиденциальности\n", []string{
			`title title ""  1:1-3 ПОЛИТИКА⏎конфиденциальности`,
		}},
		{"approval ru", "ru", "", "::: approval\nУТВЕРЖДЕНО\n  Решением единственного участника\nот «15» ноября 2023 года № 7\n:::\n\n# Политика\n", []string{
			`approval a1 "approval"  1:1-5 УТВЕРЖДЕНО⏎Решением единственного участника⏎от «15» ноября 2023 года № 7`,
			`title title ""  7:1-7 Политика`,
		}},
		{"approval kk", "kk", "", "::: approval\nҚатысушының 2023 жылғы 15 қарашадағы\n№ 7 шешімімен БЕКІТІЛДІ\n:::\n", []string{
			`approval a1 "approval"  1:1-4 Қатысушының 2023 жылғы 15 қарашадағы⏎№ 7 шешімімен БЕКІТІЛДІ`,
		}},
		{"signature ru in a section", "ru", "", "## 5. Подписи\n\n::: signature\nЗаемщик ____________ /Ф.И.О./\n«___» ________ 20__ г.\nМ.П.\n:::\n", []string{
			`section 5 "5." 5 1:1-7 Подписи`,
			`. signature 5/s1 "signature"  3:1-7 Заемщик ____________ /Ф.И.О./⏎«___» ________ 20__ г.⏎М.П.`,
		}},
		{"signature kk top level", "kk", "", "::: signature\nҚолы ________\n:::\n\n::: signature\nМ.О.\n:::\n", []string{
			`signature s1 "signature"  1:1-3 Қолы ________`,
			`signature s2 "signature"  5:1-7 М.О.`,
		}},
		{"chapters ru", "ru", "", "## Глава 1. Общие положения\n\n## 1. Термины\n\n1.1. Текст.\n\n## Раздел II\n\n## III.\n", []string{
			`chapter ch1 "Глава 1." 1 1:1-5 Общие положения`,
			`. section 1 "1." 1 3:1-5 Термины`,
			`. . clause 1.1 "1.1." 1.1 5:1-5 Текст.`,
			`chapter ch2 "Раздел II" 2 7:1-7 `,
			`chapter ch3 "III." 3 9:1-9 `,
		}},
		{"chapters kk", "kk", "", "## 1-тарау. Жалпы ережелер\n\nКіріспе.\n\n## 2-бөлім\n\n## Бөлім 3. Қорытынды\n", []string{
			`chapter ch1 "1-тарау." 1 1:1-3 Жалпы ережелер`,
			`. paragraph ch1/p1 ""  3:1-3 Кіріспе.`,
			`chapter ch2 "2-бөлім" 2 5:1-5 `,
			`chapter ch3 "Бөлім 3." 3 7:1-7 Қорытынды`,
		}},
		{"sections ru: numbered, untitled, unnumbered", "ru", "", "## 1. Общие\n\n## 2.\n\n2.1. Текст.\n\n## Часто задаваемые вопросы\n\nОтвет.\n", []string{
			`section 1 "1." 1 1:1-1 Общие`,
			`section 2 "2." 2 3:1-5 `,
			`. clause 2.1 "2.1." 2.1 5:1-5 Текст.`,
			`section h1 ""  7:1-9 Часто задаваемые вопросы`,
			`. paragraph h1/p1 ""  9:1-9 Ответ.`,
		}},
		{"sections kk under a chapter", "kk", "", "## I. Жалпы\n\n## Анықтамалар\n\n## 1. Мақсат\n", []string{
			`chapter ch1 "I." 1 1:1-5 Жалпы`,
			`. section ch1/h1 ""  3:1-3 Анықтамалар`,
			`. section 1 "1." 1 5:1-5 Мақсат`,
		}},
		{"clauses sections kk", "kk", "", "## 3. Өңдеу\n\n3.1. Бірінші\nжалғасы.\n\n3.1.1 Ішкі тармақ.\n", []string{
			`section 3 "3." 3 1:1-6 Өңдеу`,
			`. clause 3.1 "3.1." 3.1 3:1-4 Бірінші⏎жалғасы.`,
			`. clause 3.1.1 "3.1.1" 3.1.1 6:1-6 Ішкі тармақ.`,
		}},
		{"clauses flat ru", "ru", saiasat.NumberingFlat, "## Глава 1\n\n1. Первый.\n2. Второй.\n2.1. Подпункт.\n\n## Глава 2\n\n3. Третий.\n", []string{
			`chapter ch1 "Глава 1" 1 1:1-5 `,
			`. clause 1 "1." 1 3:1-3 Первый.`,
			`. clause 2 "2." 2 4:1-4 Второй.`,
			`. clause 2.1 "2.1." 2.1 5:1-5 Подпункт.`,
			`chapter ch2 "Глава 2" 2 7:1-9 `,
			`. clause 3 "3." 3 9:1-9 Третий.`,
		}},
		{"clauses flat kk", "kk", saiasat.NumberingFlat, "1. Бірінші.\n\n2. Екінші 5 жыл.\n", []string{
			`clause 1 "1." 1 1:1-1 Бірінші.`,
			`clause 2 "2." 2 3:1-3 Екінші 5 жыл.`,
		}},
		{"items kk letters and nesting", "kk", "", "## 4. Құқықтар\n\n4.1. Субъект құқылы:\n1) білуге;\n2) алуға:\n   а) мақсаттар;\n   ә) мерзімдер;\n      a) latin;\n3) талап етуге.\n", []string{
			`section 4 "4." 4 1:1-9 Құқықтар`,
			`. clause 4.1 "4.1." 4.1 3:1-9 Субъект құқылы:`,
			`. . item 4.1/1 "1)" 1 4:1-4 білуге;`,
			`. . item 4.1/2 "2)" 2 5:1-8 алуға:`,
			`. . . item 4.1/2/1 "а)" 1 6:4-6 мақсаттар;`,
			`. . . item 4.1/2/2 "ә)" 2 7:4-8 мерзімдер;`,
			`. . . . item 4.1/2/2/1 "a)" 1 8:7-8 latin;`,
			`. . item 4.1/3 "3)" 3 9:1-9 талап етуге.`,
		}},
		{"items ru: letters skip ё й, numbered list in a clause", "ru", "", "4.1. Субъект вправе:\n1. знать;\n2. получать:\nа) сведения;\nб) копии;\nи) иное.\n11.1) вложенный номер.\n", []string{
			`clause 4.1 "4.1." 4.1 1:1-7 Субъект вправе:`,
			`. item 4.1/1 "1." 1 2:1-2 знать;`,
			`. item 4.1/2 "2." 2 3:1-3 получать:`,
			`. item 4.1/1 "а)" 1 4:1-4 сведения;`,
			`. item 4.1/2 "б)" 2 5:1-5 копии;`,
			`. item 4.1/9 "и)" 9 6:1-6 иное.`,
			`. item 4.1/11.1 "11.1)" 11.1 7:1-7 вложенный номер.`,
		}},
		{"nesting ru: a child of the line above only, else beside the nearest at its indent", "ru", "", "1.1. x:\n1) a\n  а) b\n        • c\n    б) d\n 2) e\n", []string{
			`clause 1.1 "1.1." 1.1 1:1-6 x:`,
			`. item 1.1/1 "1)" 1 2:1-5 a`,
			`. . item 1.1/1/1 "а)" 1 3:3-4 b`,
			`. . . bullet 1.1/1/1/b1 "•"  4:9-4 c`,
			`. . item 1.1/1/2 "б)" 2 5:5-5 d`,
			`. item 1.1/2 "2)" 2 6:2-6 e`,
		}},
		{"bullets ru, every glyph", "ru", "", "1.1. Данные:\n- один\n• два\n▪ три\n– четыре\n— пять\n● шесть\n  ◦ вложенный\n· семь\n", []string{
			`clause 1.1 "1.1." 1.1 1:1-9 Данные:`,
			`. bullet 1.1/b1 "-"  2:1-2 один`,
			`. bullet 1.1/b2 "•"  3:1-3 два`,
			`. bullet 1.1/b3 "▪"  4:1-4 три`,
			`. bullet 1.1/b4 "–"  5:1-5 четыре`,
			`. bullet 1.1/b5 "—"  6:1-6 пять`,
			`. bullet 1.1/b6 "●"  7:1-8 шесть`,
			`. . bullet 1.1/b6/b1 "◦"  8:3-8 вложенный`,
			`. bullet 1.1/b7 "·"  9:1-9 семь`,
		}},
		{"bullets kk under a paragraph", "kk", "", "Деректер:\n• аты;\n• тегі.\n", []string{
			`paragraph p1 ""  1:1-3 Деректер:`,
			`. bullet p1/b1 "•"  2:1-2 аты;`,
			`. bullet p1/b2 "•"  3:1-3 тегі.`,
		}},
		{"paragraphs ru: preamble, city line, under a heading", "ru", "", "# Политика\n\nг. Алматы 2024 год\n\nНастоящая Политика\nопределяет порядок.\n\n## 1. Общие\n\nВведение раздела.\n\n1.1. Текст.\n", []string{
			`title title ""  1:1-1 Политика`,
			`paragraph p1 ""  3:1-3 г. Алматы 2024 год`,
			`paragraph p2 ""  5:1-6 Настоящая Политика⏎определяет порядок.`,
			`section 1 "1." 1 8:1-12 Общие`,
			`. paragraph 1/p1 ""  10:1-10 Введение раздела.`,
			`. clause 1.1 "1.1." 1.1 12:1-12 Текст.`,
		}},
		{"paragraphs kk, numbering none", "kk", saiasat.NumberingNone, "# КЕЛІСІМ\n\nМен, ____________, келісім беремін:\n1) жинауға;\n2) өңдеуге.\n\n1.1. Бұл нөмір емес.\n\nКелісім 5 жыл әрекет етеді.\n", []string{
			`title title ""  1:1-1 КЕЛІСІМ`,
			`paragraph p1 ""  3:1-5 Мен, ____________, келісім беремін:`,
			`. item p1/1 "1)" 1 4:1-4 жинауға;`,
			`. item p1/2 "2)" 2 5:1-5 өңдеуге.`,
			`paragraph p2 ""  7:1-7 1.1. Бұл нөмір емес.`,
			`paragraph p3 ""  9:1-9 Келісім 5 жыл әрекет етеді.`,
		}},
		{"tables ru: top level and in a clause", "ru", "", "| Цель | Срок |\n|---|:-:|\n| Займ | 5 лет |\n\n2.1. Сроки:\n\n| Данные | Срок |\n| --- | --- |\n| ФИО | 5 лет |\nПосле таблицы.\n", []string{
			`table t1 ""  1:1-3 | Цель | Срок |⏎|---|:-:|⏎| Займ | 5 лет |`,
			`clause 2.1 "2.1." 2.1 5:1-10 Сроки:⏎После таблицы.`,
			`. table 2.1/t1 ""  7:1-9 | Данные | Срок |⏎| --- | --- |⏎| ФИО | 5 лет |`,
		}},
		{"table kk needs its delimiter row", "kk", "", "## 2. Кесте\n\n| Мақсат | Мерзім |\n| Несие | 5 жыл |\n", []string{
			`section 2 "2." 2 1:1-4 Кесте`,
			`. paragraph 2/p1 ""  3:1-4 | Мақсат | Мерзім |⏎| Несие | 5 жыл |`,
		}},
		{"footnotes ru", "ru", "", "## 1. Ставки\n\n1.1. Ставка* и ставка¹.\n\n* Годовая.\n¹ Номинальная.\n*** Третья.\n", []string{
			`section 1 "1." 1 1:1-7 Ставки`,
			`. clause 1.1 "1.1." 1.1 3:1-3 Ставка* и ставка¹.`,
			`. footnote fn1 "*"  5:1-5 Годовая.`,
			`. footnote fn2 "¹"  6:1-6 Номинальная.`,
			`. footnote fn3 "***"  7:1-7 Третья.`,
		}},
		{"footnotes kk end a clause", "kk", "", "1.1. Мөлшерлеме².\n² Жылдық.\nжалғасы\n", []string{
			`clause 1.1 "1.1." 1.1 1:1-1 Мөлшерлеме².`,
			`footnote fn1 "²"  2:1-3 Жылдық.⏎жалғасы`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, fs := markdown.Parse("x.md", tt.lang, []byte(tt.src), markdown.WithNumbering(tt.scheme))
			if len(fs) != 0 {
				t.Errorf("findings: %v", fs)
			}
			got := flat(doc.Blocks)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("tree:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// The bundled texts and edition 1 parse to the tree of what they are —
// title, sections, clauses, items, bullets, nothing else — and the derived
// view of sections and clauses holds every clause of the tree at its
// place.
func TestTreeBundled(t *testing.T) {
	files := []string{"../policies/privacy/kk.md", "../policies/privacy/ru.md", "../policies/privacy/releases/1/kk.md", "../policies/privacy/releases/1/ru.md", "../testdata/clean/kk.md", "../testdata/clean/ru.md"}
	ids := map[string][]string{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, fs := markdown.Parse(f, "kk", src)
		if len(fs) != 0 {
			t.Errorf("%s: findings %v", f, fs)
		}
		var clauses []string
		saiasat.WalkBlocks(doc.Blocks, func(b *saiasat.Block) bool {
			switch b.Kind {
			case saiasat.KindTitle, saiasat.KindSection, saiasat.KindItem, saiasat.KindBullet:
			case saiasat.KindClause:
				clauses = append(clauses, fmt.Sprintf("%s@%d-%d", b.ID, b.Pos.Line, b.EndLine))
			default:
				t.Errorf("%s:%d: a %s in a text of sections and clauses", f, b.Pos.Line, b.Kind)
			}
			ids[f] = append(ids[f], b.ID)
			return true
		})
		var view []string
		for _, c := range doc.Clauses() {
			view = append(view, fmt.Sprintf("%s@%d-%d", c.Number, c.Pos.Line, c.EndLine))
		}
		if strings.Join(clauses, " ") != strings.Join(view, " ") || len(clauses) < 7 {
			t.Errorf("%s: tree clauses %v\nview %v", f, clauses, view)
		}
	}
	// The two languages of each edition have the same blocks.
	for i := 0; i < len(files); i += 2 {
		if a, b := strings.Join(ids[files[i]], " "), strings.Join(ids[files[i+1]], " "); a != b {
			t.Errorf("%s and %s differ in block ids:\n%s\n%s", files[i], files[i+1], a, b)
		}
	}
}

// RenderHTML parses in the scheme of its options: "1. text" is a clause
// of a flat text, a paragraph of a sections one.
func TestRenderHTMLScheme(t *testing.T) {
	src := []byte("1. Бірінші.\n\n2. Екінші.\n")
	flat, err := markdown.RenderHTML(src, markdown.HTMLOptions{Numbering: saiasat.NumberingFlat})
	if err != nil {
		t.Fatal(err)
	}
	sections, err := markdown.RenderHTML(src, markdown.HTMLOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(flat), `<div class="clause" id="2">`) || strings.Contains(string(sections), `class="clause"`) {
		t.Errorf("flat:\n%s\nsections:\n%s", flat, sections)
	}
}
