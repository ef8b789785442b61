package render_test

import (
	"strings"
	"testing"
	"time"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/diff"
	"github.com/saiasat/saiasat/internal/blocktest"
	"github.com/saiasat/saiasat/markdown"
)

// blockEdits change each kind of block of the every-kind text, in each
// language: old → new, applied in order.
var blockEdits = map[saiasat.Lang][][2]string{
	"ru": {
		{"# обработки персональных данных", "# обработки и защиты персональных данных"},
		{"№ 7", "№ 8"},
		{"г. Алматы 2024 год", "г. Алматы 2025 год"},
		{"Настоящая Политика определяет порядок обработки данных.\n\n", ""},
		{"## Глава 2. Заключительные положения", "## Глава 2. Заключительные и переходные положения"},
		{"## 2.\n", "## 2. Сроки\n"},
		{"## Часто задаваемые вопросы", "## Вопросы и ответы"},
		{"   б) хранение¹;", "   б) хранение¹;\n   в) удаление;"},
		{"• требовать исправления;", "● требовать исправления;"},
		{"| 5 лет |", "| 3 года |"},
		{"Ответы на вопросы даются по телефону.", "Ответы на вопросы даются по телефону.\n\nВопросы принимаются и письменно."},
		{"¹ Хранение – по правилам МФО.", "¹ Хранение – по правилам МФО и закону.\n² Второе примечание."},
		{"М.П.\n", ""},
		{"\n## Глава 2.", "\n2.2. Таблица пересматривается ежегодно.\n\n## Глава 2."},
	},
	"kk": {
		{"# дербес деректерді өңдеу САЯСАТЫ", "# дербес деректерді өңдеу және қорғау САЯСАТЫ"},
		{"№ 7", "№ 8"},
		{"Алматы қ. 2024 жыл", "Алматы қ. 2025 жыл"},
		{"Осы Саясат деректерді өңдеу тәртібін айқындайды.\n\n", ""},
		{"## 2-тарау. Қорытынды ережелер", "## 2-тарау. Қорытынды және өтпелі ережелер"},
		{"## 2.\n", "## 2. Мерзімдер\n"},
		{"## Жиі қойылатын сұрақтар", "## Сұрақтар мен жауаптар"},
		{"   ә) сақтау¹;", "   ә) сақтау¹;\n   б) жою;"},
		{"• түзетуді талап етуге;", "● түзетуді талап етуге;"},
		{"| 5 жыл |", "| 3 жыл |"},
		{"Сұрақтарға телефон арқылы жауап беріледі.", "Сұрақтарға телефон арқылы жауап беріледі.\n\nСұрақтар жазбаша да қабылданады."},
		{"¹ Сақтау – МҚҰ қағидалары бойынша.", "¹ Сақтау – МҚҰ қағидалары мен заң бойынша.\n² Екінші ескертпе."},
		{"М.О.\n", ""},
		{"\n## 2-тарау.", "\n2.2. Кесте жыл сайын қайта қаралады.\n\n## 2-тарау."},
	},
}

// everyBlockKind returns the every-kind text and a version of it with a
// change to every kind of block, in kk and ru.
func everyBlockKind(t *testing.T) (*diff.Version, *diff.Version) {
	t.Helper()
	src := map[saiasat.Lang]string{"kk": blocktest.EveryKindKK, "ru": blocktest.EveryKindRU}
	v := func(n int, texts map[saiasat.Lang]string) *diff.Version {
		x := &diff.Version{ID: "consent", Edition: n, Released: true, Label: "edition", Effective: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
			Languages: []saiasat.Lang{"kk", "ru"}, Docs: map[saiasat.Lang]*saiasat.Document{}}
		for l, s := range texts {
			x.Docs[l] = parse(t, l, s)
		}
		return x
	}
	b := map[saiasat.Lang]string{}
	for l, s := range src {
		for _, e := range blockEdits[l] {
			if !strings.Contains(s, e[0]) {
				t.Fatalf("%s: %q is not in the text", l, e[0])
			}
			s = strings.Replace(s, e[0], e[1], 1)
		}
		b[l] = s
	}
	return v(1, src), v(1, b)
}

func TestEveryBlockChangeIsShown(t *testing.T) {
	from, to := everyBlockKind(t)
	html := showsEveryChange(t, diff.Compare(from, to), func(l saiasat.Lang) []kindKey {
		return []kindKey{{l, diff.Modified, diff.BlockTitle}, {l, diff.Modified, diff.BlockApproval}, {l, diff.Modified, diff.BlockChapter},
			{l, diff.Modified, diff.BlockHeading}, {l, diff.Modified, diff.BlockText}, {l, diff.Removed, diff.BlockText}, {l, diff.Added, diff.BlockText},
			{l, diff.Modified, diff.BlockClause}, {l, diff.Added, diff.BlockClause}, {l, diff.Modified, diff.BlockTable},
			{l, diff.Modified, diff.BlockFootnote}, {l, diff.Added, diff.BlockFootnote}, {l, diff.Modified, diff.BlockSignature}}
	}, 0)
	// The fences of the stamp and the signature block are not words of
	// the text: the page does not print them, nor does the redline.
	if strings.Contains(html, ":::") {
		t.Error("the HTML redline prints a block's fence")
	}
	// A block's row is keyed by its ID in both languages: one row each.
	for _, key := range []string{`id="ca1"`, `id="cch2"`, `id="c2.1/t1"`, `id="cfn1"`, `id="cch2/h1/s1"`, `id="c¶p1"`, `id="c§ch2/h1"`} {
		if n := strings.Count(html, key); n != 1 {
			t.Errorf("%d rows %s, want 1 (kk and ru side by side)", n, key)
		}
	}
}

// In a text numbered in one level, a clause inserted renumbers every
// clause after it across chapters: the text, HTML and PDF show the added
// clause, the run of renumbering, a chapter renamed, a clause changed and
// one removed, as the JSON counts them.
func TestEveryFlatChangeIsShown(t *testing.T) {
	edits := map[saiasat.Lang][][2]string{
		"ru": {{"2. Микрокредит", "2. Клиент знакомится с Правилами.\n\n3. Микрокредит"}, {"\n3. Клиент", "\n4. Клиент"}, {"\n3.1. Заявление", "\n4.1. Заявление"},
			{"\n4. Решение", "\n5. Решение"}, {"в течение 1 (одного) дня", "в течение 2 (двух) дней"}, {"\n5. Договор заключается в электронной форме.\n", "\n"},
			{"## II. Порядок выдачи", "## II. Порядок выдачи микрокредита"}},
		"kk": {{"2. Микрокредит", "2. Клиент Қағидалармен танысады.\n\n3. Микрокредит"}, {"\n3. Клиент", "\n4. Клиент"}, {"\n3.1. Өтінішке", "\n4.1. Өтінішке"},
			{"\n4. Шешім", "\n5. Шешім"}, {"1 (бір) күн", "2 (екі) күн"}, {"\n5. Шарт электрондық нысанда жасалады.\n", "\n"},
			{"## II. Беру тәртібі", "## II. Микрокредит беру тәртібі"}},
	}
	src := map[saiasat.Lang]string{"kk": blocktest.FlatKK, "ru": blocktest.FlatRU}
	v := func(texts map[saiasat.Lang]string) *diff.Version {
		x := &diff.Version{ID: "rules", Edition: 1, Released: true, Label: "edition", Effective: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
			Languages: []saiasat.Lang{"kk", "ru"}, Docs: map[saiasat.Lang]*saiasat.Document{}}
		for l, s := range texts {
			doc, fs := markdown.Parse(string(l)+".md", l, []byte(strings.TrimRight(s, "\n")+"\n"), markdown.WithNumbering(saiasat.NumberingFlat))
			if len(fs) > 0 {
				t.Fatalf("%s: %v", l, fs)
			}
			x.Docs[l] = doc
		}
		return x
	}
	b := map[saiasat.Lang]string{}
	for l, s := range src {
		for _, e := range edits[l] {
			if !strings.Contains(s, e[0]) {
				t.Fatalf("%s: %q is not in the text", l, e[0])
			}
			s = strings.Replace(s, e[0], e[1], 1)
		}
		b[l] = s
	}
	r := diff.Compare(v(src), v(b))
	showsEveryChange(t, r, func(l saiasat.Lang) []kindKey {
		return []kindKey{{l, diff.Added, diff.BlockClause}, {l, diff.Renumbered, diff.BlockClause}, {l, diff.Modified, diff.BlockClause},
			{l, diff.Removed, diff.BlockClause}, {l, diff.Modified, diff.BlockChapter}}
	}, 0)
	// The concordance maps the flat numbers: 3 → 4 across the chapters.
	for _, ld := range r.Languages {
		found := false
		for _, n := range ld.Concordance {
			if n.From.String() == "3" && n.To.String() == "4" {
				found = true
			}
		}
		if !found {
			t.Errorf("%s concordance %v lacks 3 → 4", ld.Lang, ld.Concordance)
		}
	}
}
