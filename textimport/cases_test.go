package textimport_test

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf16"

	"github.com/saiasat/saiasat/textimport"
)

// The layouts that used to merge or drop text without a word, each with
// the text it must give, the lines it must note for a reader and the lines
// it may drop. The texts are written for these tests.
func TestMergesAndDrops(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    string
		notes   string // input lines noted, in order
		dropped string // input lines dropped, in order
	}{
		{
			name:  "no-break space after clause numbers",
			in:    "1. Общие положения\n1.1. Кредитор хранит анкеты.\n1.2.\u00a0Анкеты хранятся в архиве.\n1.3.\u00a0\u00a0Архив закрыт для посторонних.\n",
			want:  "## 1. Общие положения\n\n1.1. Кредитор хранит анкеты.\n\n1.2. Анкеты хранятся в архиве.\n\n1.3. Архив закрыт для посторонних.\n",
			notes: "3 4",
		},
		{
			name:  "no-break space after a section number and an item label",
			in:    "1.\u00a0Термины\n1.1. В тексте:\n1)\u00a0заявка – просьба о займе;\n2) заём – сумма денег.\n",
			want:  "## 1. Термины\n\n1.1. В тексте:\n1) заявка – просьба о займе;\n2) заём – сумма денег.\n",
			notes: "1 3",
		},
		{
			name:  "no space after clause numbers",
			in:    "2. Сроки\n2.1. Заявка рассматривается за день.\n2.2.Политика действует до отмены.\n2.3.«Личный кабинет» открывается после входа.\n",
			want:  "## 2. Сроки\n\n2.1. Заявка рассматривается за день.\n\n2.2. Политика действует до отмены.\n\n2.3. «Личный кабинет» открывается после входа.\n",
			notes: "3 4",
		},
		{
			name:  "no space after a section number",
			in:    "1. Начало\n1.1. Текст первого раздела.\n2.Хранение\n2.1. Текст второго раздела.\n",
			want:  "## 1. Начало\n\n1.1. Текст первого раздела.\n\n## 2. Хранение\n\n2.1. Текст второго раздела.\n",
			notes: "3",
		},
		{
			name: "a decimal or a date stays as written",
			in:   "1. Ставки\n1.1. Ставка равна\n2.5\nпроцента с 01.02.2024.\n",
			want: "## 1. Ставки\n\n1.1. Ставка равна 2.5 процента с 01.02.2024.\n",
			// "2.5" could be a clause; not the one expected after 1.1.
			notes: "3",
		},
		{
			name:  "an unpunctuated line between clauses does not swallow the heading",
			in:    "1. Общие положения\n1.1. Сайт принадлежит кредитору.\nЧасто задаваемые вопросы\n2. Вопросы клиентов\n2.1. Ответ дают в течение суток.\n",
			want:  "## 1. Общие положения\n\n1.1. Сайт принадлежит кредитору.\n\nЧасто задаваемые вопросы\n\n## 2. Вопросы клиентов\n\n2.1. Ответ дают в течение суток.\n",
			notes: "3",
		},
		{
			name:  "a title and a year before the first heading",
			in:    "Политика обработки данных\n2024 год\n1. Общие положения\n1.1. Политика описывает обработку данных.\n",
			want:  "Политика обработки данных 2024 год\n\n## 1. Общие положения\n\n1.1. Политика описывает обработку данных.\n",
			notes: "2",
		},
		{
			name:  "a Kazakh heading after an unfinished line",
			in:    "1. Жалпы ережелер\n1.1. Сайт кредиторға тиесілі.\nЖиі қойылатын сұрақтар\n2. Сұрақтар\n2.1. Жауап бір тәулік ішінде беріледі.\n",
			want:  "## 1. Жалпы ережелер\n\n1.1. Сайт кредиторға тиесілі.\n\nЖиі қойылатын сұрақтар\n\n## 2. Сұрақтар\n\n2.1. Жауап бір тәулік ішінде беріледі.\n",
			notes: "3",
		},
		{
			name:  "a plausible clause after an unfinished line starts a clause",
			in:    "3. Хранение\n3.1. Кредитор хранит данные в защищённом месте\n3.2. Данные удаляются по сроку.\n",
			want:  "## 3. Хранение\n\n3.1. Кредитор хранит данные в защищённом месте\n\n3.2. Данные удаляются по сроку.\n",
			notes: "2",
		},
		{
			name: "a numbered list under a clause stays in the clause",
			in: "4. Права клиента\n4.1. Клиент имеет право:\n1. знать, какие данные о нём хранятся;\n2. требовать исправить\nневерные данные;\n3. отозвать согласие.\n" +
				"4.2. Кредитор отвечает в срок.\n",
			want: "## 4. Права клиента\n\n4.1. Клиент имеет право:\n1. знать, какие данные о нём хранятся;\n2. требовать исправить неверные данные;\n3. отозвать согласие.\n\n" +
				"4.2. Кредитор отвечает в срок.\n",
			notes: "3 4 6",
		},
		{
			name: "a list whose numbers could be sections, in the first section",
			in:   "1. Общие\n1.1. Клиент вправе:\n1. знать о данных;\n2. требовать удаления.\n2. Сроки\n2.1. Срок равен году.\n",
			want: "## 1. Общие\n\n1.1. Клиент вправе:\n1. знать о данных;\n2. требовать удаления.\n\n## 2. Сроки\n\n2.1. Срок равен году.\n",
			// Line 3 is not a plausible section (1 after 1.1); line 4 is (2),
			// but continues the list after a ";".
			notes: "3 4",
		},
		{
			name:  "a reference wrapped after п.",
			in:    "3. Цели\n3.1. Данные обрабатываются в целях из п.\n3.2. настоящей Политики и хранятся год.\n3.2. Кредитор не продаёт данные.\n",
			want:  "## 3. Цели\n\n3.1. Данные обрабатываются в целях из п. 3.2. настоящей Политики и хранятся год.\n\n3.2. Кредитор не продаёт данные.\n",
			notes: "3",
		},
		{
			name: "a sentence ending in и т. п. is not a reference",
			in:   "3. Данные\n3.1. Кредитор собирает имя, адрес и т.п.\n3.2. Кредитор хранит их, телефоны и т. п.\n3.3. Данные не продаются.\n",
			want: "## 3. Данные\n\n3.1. Кредитор собирает имя, адрес и т.п.\n\n3.2. Кредитор хранит их, телефоны и т. п.\n\n3.3. Данные не продаются.\n",
		},
		{
			name:  "a reference wrapped after пункта and №",
			in:    "5. Основания\n5.1. Порядок указан в разделе 6 и в пункта\n5.2. правил, утверждённых приказом №\n5.3. от прошлого года.\n5.2. Иных оснований нет.\n",
			want:  "## 5. Основания\n\n5.1. Порядок указан в разделе 6 и в пункта 5.2. правил, утверждённых приказом № 5.3. от прошлого года.\n\n5.2. Иных оснований нет.\n",
			notes: "3 4",
		},
		{
			name:  "a reference wrapped after тармағының and before тармағында",
			in:    "2. Мақсаттар\n2.1. Деректер осы Саясаттың 4-тармағының\n2.2. тармақшасына сәйкес өңделеді.\n2.2. Деректер осы Саясаттың\n2.3. тармағында көрсетілген мерзімде сақталады.\n",
			want:  "## 2. Мақсаттар\n\n2.1. Деректер осы Саясаттың 4-тармағының 2.2. тармақшасына сәйкес өңделеді.\n\n2.2. Деректер осы Саясаттың 2.3. тармағында көрсетілген мерзімде сақталады.\n",
			notes: "3 5",
		},
		{
			name: "a number inside a sentence, on a line of its own",
			in:   "1. Сроки\n1.1. Срок хранения составляет\n5\nлет с даты договора.\n",
			want: "## 1. Сроки\n\n1.1. Срок хранения составляет 5 лет с даты договора.\n",
		},
		{
			name:  "a number inside a sentence, apart from it",
			in:    "1. Сроки\n1.1. Срок хранения составляет\n\n5\n\nлет с даты договора.\n",
			want:  "## 1. Сроки\n\n1.1. Срок хранения составляет 5 лет с даты договора.\n",
			notes: "4",
		},
		{
			name:    "page numbers counting up, inside sentences",
			in:      "1. Сроки\n1.1. Кредитор хранит договор\n\n2\n\nпять лет.\n1.2. Кредитор хранит анкету\n\n3\n\nтри года.\n",
			want:    "## 1. Сроки\n\n1.1. Кредитор хранит договор пять лет.\n\n1.2. Кредитор хранит анкету три года.\n",
			dropped: "4 9",
		},
		{
			name:    "a lone page number between sentences",
			in:      "1. Сроки\n1.1. Кредитор хранит договор пять лет.\n\n- 4 -\n\n1.2. Анкета хранится три года.\n",
			want:    "## 1. Сроки\n\n1.1. Кредитор хранит договор пять лет.\n\n1.2. Анкета хранится три года.\n",
			dropped: "4",
		},
		{
			name: "a URL after a colon is text",
			in:   "1. Сайт\n1.1. Сайт кредитора находится по адресу:\n\nhttps://example.kz/\n\n1.2. Сайт работает всегда.\n",
			want: "## 1. Сайт\n\n1.1. Сайт кредитора находится по адресу: https://example.kz/\n\n1.2. Сайт работает всегда.\n",
			// The URL ends the clause with no full stop: 1.2 still opens.
			notes: "4",
		},
		{
			name: "a URL inside a wrapped sentence is text",
			in:   "1. Сайт\n1.1. Сайт\nhttps://example.kz/\nпринадлежит кредитору.\n",
			want: "## 1. Сайт\n\n1.1. Сайт https://example.kz/ принадлежит кредитору.\n",
		},
		{
			name: "a detached URL after an unfinished line is text",
			in:   "1. Сайт\n1.1. Заявку подают на сайте\n\nhttps://example.kz/\n\nв любое время.\n",
			want: "## 1. Сайт\n\n1.1. Заявку подают на сайте https://example.kz/ в любое время.\n",
		},
		{
			name:    "a detached URL after a sentence is a link target",
			in:      "1. Сайт\n1.1. Заявку подают на сайте кредитора.\n\nhttps://example.kz/\nhttps://example.kz/apply\n1.2. Ответ приходит за день.\n",
			want:    "## 1. Сайт\n\n1.1. Заявку подают на сайте кредитора.\n\n1.2. Ответ приходит за день.\n",
			dropped: "4 5",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := textimport.Import([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if string(r.Text) != tt.want {
				t.Errorf("got\n%s\nwant\n%s", r.Text, tt.want)
			}
			if got := lineNumbers(r.Notes); got != tt.notes {
				t.Errorf("notes on lines %q, want %q: %v", got, tt.notes, r.Notes)
			}
			if got := lineNumbers(r.Dropped); got != tt.dropped {
				t.Errorf("dropped lines %q, want %q: %v", got, tt.dropped, r.Dropped)
			}
			// Every input line is in the output (spacing aside) or reported
			// as dropped.
			kept := squeeze(strings.ReplaceAll(string(r.Text), "## ", ""))
			dropped := make(map[int]bool)
			for _, d := range r.Dropped {
				dropped[d.Line] = true
			}
			for i, l := range strings.Split(tt.in, "\n") {
				if !dropped[i+1] && !strings.Contains(kept, squeeze(l)) {
					t.Errorf("line %d %q is neither in the output nor reported", i+1, l)
				}
			}
		})
	}
}

// squeeze drops every space, so that text can be compared whatever its
// line breaks and mended spaces.
func squeeze(s string) string {
	return strings.Join(strings.FieldsFunc(s, unicode.IsSpace), "")
}

func lineNumbers(ds []textimport.Dropped) string {
	var s []string
	for _, d := range ds {
		s = append(s, fmt.Sprint(d.Line))
	}
	return strings.Join(s, " ")
}

// UTF-16 with a byte order mark, as Word's "Unicode text" saves, imports as
// the same text in UTF-8 would; without the mark it is refused.
func TestUTF16(t *testing.T) {
	text := "1. Жалпы\r\n1.1. Несие беруші деректерді сақтайды.\r\n1.2. Ə мен ә бірдей көрінеді.\r\n"
	want, err := textimport.Import([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	u := utf16.Encode([]rune(text))
	le, be := []byte{0xFF, 0xFE}, []byte{0xFE, 0xFF}
	for _, c := range u {
		le = append(le, byte(c), byte(c>>8))
		be = append(be, byte(c>>8), byte(c))
	}
	for name, src := range map[string][]byte{"little-endian": le, "big-endian": be} {
		r, err := textimport.Import(src)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if string(r.Text) != string(want.Text) {
			t.Errorf("%s: got\n%s\nwant\n%s", name, r.Text, want.Text)
		}
	}
	if _, err := textimport.Import(le[:len(le)-1]); err == nil || !strings.Contains(err.Error(), "odd number of bytes") {
		t.Errorf("cut UTF-16: %v", err)
	}
	if _, err := textimport.Import(le[2:]); err == nil {
		t.Error("UTF-16 without a byte order mark accepted")
	}
}
