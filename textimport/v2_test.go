package textimport_test

import (
	"strings"
	"testing"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/textimport"
)

// The structures of source format v2, each as a PDF extraction lays it
// out, with the source text it must give and the numbering scheme the
// import reads from it. The texts are written for these tests.
func TestImportV2Structures(t *testing.T) {
	tests := []struct {
		name      string
		in, want  string
		numbering saiasat.Numbering
	}{
		{
			name: "approval stamp right-aligned, title over two lines, city line laid out with spaces",
			in: "                                   УТВЕРЖДЕНО\n                 Решением единственного участника\n                  от «15» ноября 2023 года № 7\n\n" +
				"        ПОЛИТИКА\n   обработки персональных данных\n\nг. Алматы                          2024 год\n\n1. Общие положения\n1.1. Текст.\n",
			want: "::: approval\nУТВЕРЖДЕНО\nРешением единственного участника\nот «15» ноября 2023 года № 7\n:::\n\n# ПОЛИТИКА\n\n# обработки персональных данных\n\n" +
				"г. Алматы 2024 год\n\n## 1. Общие положения\n\n1.1. Текст.\n",
			numbering: saiasat.NumberingSections,
		},
		{
			name:      "a title right under the stamp, no blank line between",
			in:        "УТВЕРЖДЕНО\nприказом директора\nот 27.05.2024 № 12-П\nПРАВИЛА\nприёма имущества в залог\n\n1. Общие\n1.1. Текст.\n",
			want:      "::: approval\nУТВЕРЖДЕНО\nприказом директора\nот 27.05.2024 № 12-П\n:::\n\n# ПРАВИЛА\n\n# приёма имущества в залог\n\n## 1. Общие\n\n1.1. Текст.\n",
			numbering: saiasat.NumberingSections,
		},
		{
			name:      "Kazakh stamp ending in БЕКІТІЛДІ",
			in:        "ЖШС қатысушысының\n2023 жылғы 15 қарашадағы № 7 хаттамасымен\nБЕКІТІЛДІ\n\nҚАҒИДАЛАР\n\n1. Мәтін бірінші.\n2. Мәтін екінші.\n",
			want:      "::: approval\nЖШС қатысушысының\n2023 жылғы 15 қарашадағы № 7 хаттамасымен\nБЕКІТІЛДІ\n:::\n\n# ҚАҒИДАЛАР\n\n1. Мәтін бірінші.\n\n2. Мәтін екінші.\n",
			numbering: saiasat.NumberingFlat,
		},
		{
			name:      "chapters and flat numbering running across them",
			in:        "Глава 1. Общие положения\n1. Первый пункт.\n2. Второй пункт.\nГлава 2. Условия\n3. Третий пункт.\n",
			want:      "## Глава 1. Общие положения\n\n1. Первый пункт.\n\n2. Второй пункт.\n\n## Глава 2. Условия\n\n3. Третий пункт.\n",
			numbering: saiasat.NumberingFlat,
		},
		{
			name:      "Kazakh and Roman chapters",
			in:        "1-тарау. Жалпы ережелер\n1. Бірінші.\n\nII. ШАРТТАР\n2. Екінші.\n",
			want:      "## 1-тарау. Жалпы ережелер\n\n1. Бірінші.\n\n## II. ШАРТТАР\n\n2. Екінші.\n",
			numbering: saiasat.NumberingFlat,
		},
		{
			name:      "letter items in Kazakh, nested under a numbered item",
			in:        "1. Жалпы\n1.1. Ломбард қабылдайды:\n1) бұйымдарды;\n2) техниканы:\n   а) телефондарды;\n   ә) ноутбуктерді;\n3) көліктерді.\n",
			want:      "## 1. Жалпы\n\n1.1. Ломбард қабылдайды:\n1) бұйымдарды;\n2) техниканы:\n   а) телефондарды;\n   ә) ноутбуктерді;\n3) көліктерді.\n",
			numbering: saiasat.NumberingSections,
		},
		{
			name:      "Latin letter items and bullets of several glyphs",
			in:        "1. Акцептом признается:\na) регистрация;\nb) подпись.\n2. Банк:\n– принимает заявления;\n— хранит записи;\n● отвечает;\n▪ уведомляет.\n",
			want:      "1. Акцептом признается:\na) регистрация;\nb) подпись.\n\n2. Банк:\n– принимает заявления;\n— хранит записи;\n● отвечает;\n▪ уведомляет.\n",
			numbering: saiasat.NumberingFlat,
		},
		{
			name: "a table laid out with spaces, cells wrapped",
			in: "1. Сроки\n1.1. Данные хранятся:\n\nЦель          Данные        Срок\nЗаявка        ФИО, ИИН      5 лет\nДоговор       ФИО, номер    5 лет после\n" +
				"              счёта         погашения\nРассылка      телефон       до отзыва\nпредложений\n\n1.2. Далее.\n",
			want: "## 1. Сроки\n\n1.1. Данные хранятся:\n\n| Цель | Данные | Срок |\n|---|---|---|\n| Заявка | ФИО, ИИН | 5 лет |\n| Договор | ФИО, номер счёта | 5 лет после погашения |\n" +
				"| Рассылка предложений | телефон | до отзыва |\n\n1.2. Далее.\n",
			numbering: saiasat.NumberingSections,
		},
		{
			name: "paragraphs, a signature block with blanks and a footnote, no numbering",
			in: "СОГЛАСИЕ\n\nЯ даю согласие на обработку\nданных*.\n\nСогласие действует 5 лет.\n\nФ.И.О. ____________\nПодпись ________ «___» ______ 20__ г.\n\n" +
				"* Кроме случаев, указанных\nв законе.\n",
			want: "# СОГЛАСИЕ\n\nЯ даю согласие на обработку данных*.\n\nСогласие действует 5 лет.\n\n::: signature\nФ.И.О. ____________\nПодпись ________ «___» ______ 20__ г.\n:::\n\n" +
				"* Кроме случаев, указанных в законе.\n",
			numbering: saiasat.NumberingNone,
		},
		{
			name:      "a paragraph is not cut at a page break",
			in:        "УВЕДОМЛЕНИЕ\n\nБанк сообщает клиентам об изменении\n\nСтраница 1 из 2\n\nусловий обслуживания.\n\nПодробности на сайте.\n\nСтраница 2 из 2\n",
			want:      "# УВЕДОМЛЕНИЕ\n\nБанк сообщает клиентам об изменении условий обслуживания.\n\nПодробности на сайте.\n",
			numbering: saiasat.NumberingNone,
		},
		{
			name:      "an untitled section and an unnumbered heading standing apart",
			in:        "1. Общие\n1.1. Первый.\n\n2.\n\n2.1. Второй.\n\nЧасто задаваемые вопросы\n\nКак подать заявку? На сайте.\n",
			want:      "## 1. Общие\n\n1.1. Первый.\n\n## 2.\n\n2.1. Второй.\n\n## Часто задаваемые вопросы\n\nКак подать заявку? На сайте.\n",
			numbering: saiasat.NumberingSections,
		},
		{
			name:      "title lines apart, as a PDF of several font sizes gives them; a heading at the foot of a page",
			in:        "Дербес деректерді өңдеу\n\nСАЯСАТЫ\n\nЖалпы ережелер\n\n1. Бірінші.\n\nДеректерді беру\n\n\n2 беттің 1-беті\n\n2. Екінші.\n",
			want:      "# Дербес деректерді өңдеу\n\n# САЯСАТЫ\n\n## Жалпы ережелер\n\n1. Бірінші.\n\n## Деректерді беру\n\n2. Екінші.\n",
			numbering: saiasat.NumberingFlat,
		},
		{
			name: "a footnote at the foot of a page inside a clause goes after the clause",
			in: "1. Ставки\n1.1. Годовая ставка вознаграждения* не превышает\n\n* По методике Национального Банка.\n\nСтраница 1 из 2\n\n" +
				"предельного значения.\n1.2. Далее.\n\nСтраница 2 из 2\n",
			want:      "## 1. Ставки\n\n1.1. Годовая ставка вознаграждения* не превышает предельного значения.\n\n* По методике Национального Банка.\n\n1.2. Далее.\n",
			numbering: saiasat.NumberingSections,
		},
		{
			name:      "a paragraph between a heading and its first clause",
			in:        "2. Рассмотрение заявки\n\nЗаявка рассматривается так.\n\n2.1. Клиент подаёт заявку.\n",
			want:      "## 2. Рассмотрение заявки\n\nЗаявка рассматривается так.\n\n2.1. Клиент подаёт заявку.\n",
			numbering: saiasat.NumberingSections,
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
			if r.Meta.Numbering != tt.numbering {
				t.Errorf("numbering %q, want %q", r.Meta.Numbering, tt.numbering)
			}
		})
	}
}

// The metadata a text gives in its stamp, page headers and clauses, in the
// common kk and ru phrasings.
func TestImportMetadata(t *testing.T) {
	tests := []struct {
		name, in                      string
		number, date, effective, kind string
		edition                       int
	}{
		{"ru stamp with «15» ноября", "УТВЕРЖДЕНО\nРешением участника\nот «15» ноября 2023 года № 7\n\nПОЛИТИКА\nконфиденциальности\n\n1. Общие\n1.1. Политика вводится в действие с 1 декабря 2023 года.\n",
			"7", "2023-11-15", "2023-12-01", "privacy-policy", 0},
		{"kk stamp with хаттамасымен", "ЖШС қатысушыларының\n2024 жылғы 20 ақпандағы № 3 хаттамасымен\nБЕКІТІЛДІ\n\nҚАҒИДАЛАРЫ\n\n1. Қағидалар 2024 жылғы 1 наурыздан бастап қолданысқа енгізіледі.\n2. Екінші.\n",
			"3", "2024-02-20", "2024-03-01", "rules", 0},
		{"numeric date, number with letters, edition in the stamp", "УТВЕРЖДЕНО\nприказом директора от 27.05.2024 № 12-П\nРедакция № 3\n\nПРАВИЛА\n\n1. Текст.\n2. Текст.\n",
			"12-П", "2024-05-27", "", "rules", 3},
		{"kk edition N-басылым, offer", "Директордың 2024 жылғы 2 сәуірдегі № 4 бұйрығымен\nБЕКІТІЛДІ\n2-басылым\n\nЖАРИЯ ОФЕРТА\n\n1. Оферта 2024 жылғы 5 сәуірден бастап күшіне енеді.\n2. Екінші.\n",
			"4", "2024-04-02", "2024-04-05", "offer", 2},
		{"kk stamp with the date first, «10» and №4/2", "2021 жылғы «10» наурыздағы «Мысал» МҚҰ» ЖШС\nқатысушыларының жалпы жиналысының №4/2 хаттамасымен\nБЕКІТІЛДІ\n\nҚҰПИЯЛЫЛЫҚ САЯСАТЫ\n\nАлматы қ.\n\n1. Жалпы ережелер.\n1.1. Мәтін.\n",
			"4/2", "2021-03-10", "", "privacy-policy", 0},
		{"no stamp, consent", "СОГЛАСИЕ\nна обработку\n\nЯ даю согласие.\n", "", "", "", "consent", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := textimport.Import([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			m := r.Meta
			date := func(s string) string {
				if strings.HasPrefix(s, "0001") {
					return ""
				}
				return s
			}
			if m.ApprovalNumber != tt.number || date(m.ApprovalDate.Format("2006-01-02")) != tt.date ||
				date(m.Effective.Format("2006-01-02")) != tt.effective || string(m.Kind) != tt.kind || m.Edition != tt.edition {
				t.Errorf("meta № %q of %s, effective %s, kind %q, edition %d; want № %q of %s, effective %s, kind %q, edition %d\n%s",
					m.ApprovalNumber, m.ApprovalDate.Format("2006-01-02"), m.Effective.Format("2006-01-02"), m.Kind, m.Edition,
					tt.number, tt.date, tt.effective, tt.kind, tt.edition, r.Text)
			}
		})
	}
}
