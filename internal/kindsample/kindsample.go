// Package kindsample gives the tests one text per language that holds a
// block of every kind of docs/format.md, so that each stage's test can
// prove it handles every saiasat.Kind: a kind added to Kinds without a
// block here fails those tests (Missing), and one without handling in a
// stage fails that stage's test.
package kindsample

import (
	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/markdown"
)

// Texts are the sample texts, kk and ru, in the sections scheme: the same
// blocks with the same IDs in both.
var Texts = map[saiasat.Lang]string{
	"kk": `::: approval
Жалғыз қатысушының 2023 жылғы 15 қарашадағы
№ 7 шешімімен БЕКІТІЛДІ
:::

# ЖЕКЕ ДЕРЕКТЕРДІ ӨҢДЕУ

# саясаты

Алматы қ. 2024 жыл

## 1-тарау. Жалпы ережелер

## 1. Мақсаты

1.1. Субъект құқылы:
1) білуге;
2) алуға:
   а) мақсаттар;
   - мерзімдер.

1.2. Сақтау мерзімі¹:

| Мақсат | Мерзімі |
|---|---|
| Қарыз | 5 жыл |

¹ Заңға сәйкес.

::: signature
Қарыз алушы ____________ /Т.А.Ә./
:::
`,
	"ru": `::: approval
УТВЕРЖДЕНО
Решением единственного участника от «15» ноября 2023 года № 7
:::

# ПОЛИТИКА ОБРАБОТКИ

# персональных данных

г. Алматы 2024 год

## Глава 1. Общие положения

## 1. Цель

1.1. Субъект вправе:
1) знать;
2) получать:
   а) цели;
   - сроки.

1.2. Срок хранения¹:

| Цель | Срок |
|---|---|
| Заём | 5 лет |

¹ В соответствии с Законом.

::: signature
Заемщик ____________ /Ф.И.О./
:::
`,
}

// Blocks returns the first block of each kind in the sample of lang.
func Blocks(lang saiasat.Lang) map[saiasat.Kind]*saiasat.Block {
	doc, _ := markdown.Parse(string(lang)+".md", lang, []byte(Texts[lang]))
	out := make(map[saiasat.Kind]*saiasat.Block)
	saiasat.WalkBlocks(doc.Blocks, func(b *saiasat.Block) bool {
		if out[b.Kind] == nil {
			out[b.Kind] = b
		}
		return true
	})
	return out
}

// Missing returns the kinds of saiasat.Kinds that the sample of lang has no
// block of: a new kind must get one here first.
func Missing(lang saiasat.Lang) []saiasat.Kind {
	have := Blocks(lang)
	var out []saiasat.Kind
	for _, k := range saiasat.Kinds() {
		if have[k] == nil {
			out = append(out, k)
		}
	}
	return out
}
