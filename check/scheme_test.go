package check_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/check"
	"github.com/saiasat/saiasat/markdown"
)

// The numbering/* rules of each scheme, in kk and ru.
func TestNumberingSchemes(t *testing.T) {
	tests := []struct {
		name   string
		lang   saiasat.Lang
		scheme saiasat.Numbering
		src    string
		rule   string
		want   []string // "line:col"; nil: must not fire
		msg    string
	}{
		// sections
		{"sections: clean with chapters ru", "ru", saiasat.NumberingSections, "## Глава 1\n\n## 1. А\n\n1.1. а\n\n## Глава 2\n\n## 2. Б\n\n2.1. б\n", "numbering/gap", nil, ""},
		{"sections: chapter gap kk", "kk", saiasat.NumberingSections, "## 1-тарау\n\n## 3-тарау\n", "numbering/gap", []string{"3:1"}, "chapter 2 is missing"},
		{"sections: Roman chapters in order ru", "ru", saiasat.NumberingSections, "## I. А\n\n## III. В\n\n## II. Б\n", "numbering/order", []string{"5:1"}, "comes after chapter 3"},
		{"sections: a clause directly under a chapter kk", "kk", saiasat.NumberingSections, "## 1-тарау\n\n1.1. а\n", "numbering/parent", []string{"3:1"}, "before any section heading"},
		{"sections: clause in the wrong section under a chapter ru", "ru", saiasat.NumberingSections, "## Глава 1\n\n## 1. А\n\n2.1. а\n", "numbering/parent", []string{"5:1"}, "belongs in section 2"},
		{"sections: one-level paragraphs hint at flat kk", "kk", saiasat.NumberingSections, "# Ереже\n\n1. Бірінші.\n\n2. Екінші.\n", "numbering/scheme", []string{"3:1"}, "set numbering: flat"},
		{"sections: a numbered list in a preamble is no hint ru", "ru", saiasat.NumberingSections, "1. Первое.\n\n## 1. А\n\n1.1. а\n", "numbering/scheme", nil, ""},
		// flat
		{"flat: clean across chapters ru", "ru", saiasat.NumberingFlat, "## Глава 1\n\n1. а\n\n2. б\n\n2.1. в\n\n## Глава 2\n\n3. г\n", "numbering/gap", nil, ""},
		{"flat: gap across chapters kk", "kk", saiasat.NumberingFlat, "## 1-тарау\n\n1. а\n\n## 2-тарау\n\n3. б\n", "numbering/gap", []string{"7:1"}, "2 is missing"},
		{"flat: numbering restarts in a chapter ru", "ru", saiasat.NumberingFlat, "## Глава 1\n\n1. а\n\n2. б\n\n## Глава 2\n\n1. в\n", "numbering/duplicate", []string{"9:1"}, "already at line 3"},
		{"flat: sub-clause without parent kk", "kk", saiasat.NumberingFlat, "1. а\n\n2.1. б\n", "numbering/parent", []string{"3:1"}, "no clause 2"},
		{"flat: no section check on clauses ru", "ru", saiasat.NumberingFlat, "## 1. А\n\n1. а\n\n2. б\n", "numbering/parent", nil, ""},
		{"flat: clauses of two levels only hint at sections kk", "kk", saiasat.NumberingFlat, "## 1. А\n\n1.1. а\n\n1.2. б\n", "numbering/scheme", []string{"3:1"}, "set numbering: sections"},
		// none
		{"none: paragraphs only, clean ru", "ru", saiasat.NumberingNone, "# Согласие\n\nЯ даю согласие.\n\nСогласие действует 5 лет.\n", "numbering/scheme", nil, ""},
		{"none: numbered paragraphs hint at sections kk", "kk", saiasat.NumberingNone, "1.1. Бірінші.\n\n1.2. Екінші.\n", "numbering/scheme", []string{"1:1"}, "set numbering: sections"},
		{"none: items in a paragraph still numbered ru", "ru", saiasat.NumberingNone, "Я согласен на:\n1) сбор;\n3) обработку.\n", "numbering/gap", []string{"3:1"}, "2) is missing"},
		// items of every style
		{"letters kk: ә follows а", "kk", "", "1.1. x:\nа) бір\nә) екі\nб) үш\n", "numbering/gap", nil, ""},
		{"letters ru: б follows а, в missing", "ru", "", "1.1. x:\nа) один\nб) два\nг) четыре\n", "numbering/gap", []string{"4:1"}, "follows б): в) is missing"},
		{"letters ru skip й: и then к", "ru", "", "1.1. x:\nа) 1\nб) 2\nв) 3\nг) 4\nд) 5\nе) 6\nж) 7\nз) 8\nи) 9\nк) 10\n", "numbering/gap", nil, ""},
		{"Latin letters: b missing", "kk", "", "1.1. x:\na) one\nc) three\n", "numbering/gap", []string{"3:1"}, "b) is missing"},
		{"a list in a clause ru: 1. 2. and letters apart", "ru", "", "## 1. А\n\n1.1. x:\n1. знать;\n2. получать:\n   а) цели;\n   б) сроки;\n3. требовать.\n", "numbering/gap", nil, ""},
		{"a list in a clause kk: 1. then 3.", "kk", "", "## 1. А\n\n1.1. x:\n1. білу;\n3. талап ету.\n", "numbering/gap", []string{"5:1"}, "follows 1.: 2. is missing"},
		{"nested lists numbered apart ru", "ru", "", "1.1. x:\n1) а\n   1) б\n   2) в\n2) г\n", "numbering/duplicate", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, fs := markdown.Parse(string(tt.lang)+".md", tt.lang, []byte(tt.src), markdown.WithNumbering(tt.scheme))
			fs = append(fs, check.Document(doc)...)
			got := found(fs, tt.rule)
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Fatalf("%s at %v, want %v; all: %v", tt.rule, got, tt.want, fs)
			}
			if tt.msg != "" {
				for _, f := range fs {
					if f.Rule == tt.rule && !strings.Contains(f.Message, tt.msg) {
						t.Errorf("message %q lacks %q", f.Message, tt.msg)
					}
				}
			}
		})
	}
}

// Parity aligns every kind of block by ID across kk and ru.
func TestParityBlocks(t *testing.T) {
	tests := []struct {
		name, kk, ru string
		rule         string
		want         []string // "file:line"
		msg          string
	}{
		{"letter items align by ordinal: ә) is б)", "## 1. A\n\n1.1. x:\nа) бір\nә) екі\n", "## 1. А\n\n1.1. x:\nа) один\nб) два\n", "parity/missing-item", nil, ""},
		{"a paragraph missing in ru", "# Т\n\nАлматы қ. 2024 жыл\n\nКіріспе.\n\n## 1. A\n\n1.1. x\n", "# Т\n\nг. Алматы 2024 год\n\n## 1. А\n\n1.1. x\n",
			"parity/missing-paragraph", []string{"p/ru.md:3"}, "paragraph p2 is in p/kk.md (line 5)"},
		{"a table in kk, a paragraph in ru", "1.1. x\n\n| a | b |\n|---|---|\n| 1 | 2 |\n", "1.1. x\n\nтаблица\n", "parity/missing-table", []string{"p/ru.md:1"}, "table 1.1/t1"},
		{"a kind differs: chapter vs section", "## 1-тарау\n", "## Глава\n", "parity/missing-chapter", []string{"p/ru.md:1"}, "chapter 1-тарау (ch1)"},
		{"anchors in a table's cells", "| Мақсат | Мерзім |\n|---|---|\n| Қарыз | 5 жыл |\n", "| Цель | Срок |\n|---|---|\n| Заём | 3 года |\n", "parity/anchor", []string{"p/kk.md:1", "p/ru.md:1"}, `table t1 lacks`},
		{"anchors in a paragraph with its list", "Келісім:\n1) 18 жас;\n", "Согласие:\n1) 18 лет;\n", "parity/anchor", nil, ""},
		{"anchors in a footnote", "1.1. x¹\n\n¹ 2013 жылғы Заң.\n", "1.1. x¹\n\n¹ Закон 2014 года.\n", "parity/anchor", []string{"p/kk.md:3", "p/ru.md:3"}, "footnote ¹ (fn1)"},
		{"approval stamps compare number and date", "::: approval\n2023 жылғы 15 қарашадағы № 7 БЕКІТІЛДІ\n:::\n", "::: approval\nУТВЕРЖДЕНО от «15» ноября 2023 года № 8\n:::\n",
			"parity/anchor", []string{"p/kk.md:1", "p/ru.md:1"}, "approval a1 lacks"},
		{"a table in kk, a signature in ru", "1.1. x\n\n| a |\n|---|\n", "1.1. x\n\n::: signature\n| a |\n:::\n", "parity/missing-table", []string{"p/ru.md:1"}, "table 1.1/t1 is in p/kk.md (line 3)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, fs := loadPolicy(t, map[string]string{"policy.yaml": meta, "kk.md": tt.kk, "ru.md": tt.ru})
			var got []string
			for _, f := range fs {
				if f.Rule == tt.rule {
					got = append(got, f.Pos.File+":"+strconv.Itoa(f.Pos.Line))
					if tt.msg != "" && !strings.Contains(f.Message, tt.msg) {
						t.Errorf("message %q lacks %q", f.Message, tt.msg)
					}
				}
			}
			if strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("%s at %v, want %v; all:\n%v", tt.rule, got, tt.want, fs)
			}
		})
	}
}

// Blocks of one ID and two kinds: section 1 in kk, flat clause 1 in ru.
func TestParityKind(t *testing.T) {
	flat := meta + "numbering: flat\n"
	_, fs := loadPolicy(t, map[string]string{"policy.yaml": flat, "kk.md": "## 1. Жалпы\n", "ru.md": "# Т\n\n1. Общие.\n"})
	var got []string
	for _, f := range fs {
		if f.Rule == "parity/kind" {
			got = append(got, f.String())
		}
	}
	want := []string{
		"p/kk.md:1:1: error: 1 is a section here (line 1) and a clause in p/ru.md (line 3) [parity/kind]",
		"p/ru.md:3:1: error: 1 is a clause here (line 3) and a section in p/kk.md (line 1) [parity/kind]",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("parity/kind:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
