package blocktest

// EveryKindRU is a small text in Russian holding every kind of block of
// FORMAT-V2, written for the tests (a fictional lender): a title over two
// lines, an approval stamp, a preamble and a city-and-year line, chapters,
// numbered, untitled and unnumbered sections, clauses, items (numbered,
// letter, nested), bullets of several glyphs, a table, a footnote and a
// signature block.
const EveryKindRU = `# ПОЛИТИКА
# обработки персональных данных ТОО «МФО «Пример»

::: approval
УТВЕРЖДЕНО
Решением единственного участника ТОО «МФО «Пример»
от «15» ноября 2023 года № 7
:::

г. Алматы 2024 год

Настоящая Политика определяет порядок обработки данных.

## Глава 1. Общие положения

## 1. Термины

1.1. В Политике используются понятия:
1) данные – сведения о Клиенте;
2) обработка – действия с данными:
   а) сбор;
   б) хранение¹;
3) Клиент – физическое лицо.

1.2. Клиент вправе:
- знать цель обработки;
• требовать исправления;
▪ отозвать согласие.

## 2.

2.1. Сроки хранения указаны в таблице:

| Цель | Данные | Срок |
|---|---|---|
| Выдача микрокредита | ФИО, ИИН | 5 лет |
| Маркетинг | Телефон | до отзыва согласия |

## Глава 2. Заключительные положения

## Часто задаваемые вопросы

Ответы на вопросы даются по телефону.

¹ Хранение – по правилам МФО.

::: signature
Клиент: ____________ /Ф.И.О./
«___» ____________ 20__ г.
М.П.
:::
`
