package check_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/check"
	"github.com/saiasat/saiasat/internal/kindsample"
	"github.com/saiasat/saiasat/markdown"
)

// lines of s, for editing a sample by line number.
func lines(s string) []string { return strings.Split(s, "\n") }

// TestCheckEveryKind proves check handles every kind of saiasat.Kinds on
// the kk and ru samples, which hold one block of each: they are clean; an
// invisible character, and a Latin look-alike in a Cyrillic word, planted
// in each block's own line are reported on it;
// and taking each block out of the ru text gives parity/missing-<kind> in
// ru.md for the block kk.md still has. A kind without check rules fails
// here (check/kind), as does a kind the samples lack.
func TestCheckEveryKind(t *testing.T) {
	for lang := range kindsample.Texts {
		if m := kindsample.Missing(lang); len(m) > 0 {
			t.Fatalf("the %s sample has no %v: add one to internal/kindsample", lang, m)
		}
	}
	_, fs := loadPolicy(t, map[string]string{"policy.yaml": meta, "kk.md": kindsample.Texts["kk"], "ru.md": kindsample.Texts["ru"]})
	if len(fs) != 0 {
		t.Fatalf("the samples have findings: %v", fs)
	}
	for lang, text := range kindsample.Texts {
		for _, k := range saiasat.Kinds() {
			b := kindsample.Blocks(lang)[k]
			t.Run(fmt.Sprintf("%s %s planted", lang, k), func(t *testing.T) {
				// The block's first line with text of its own: a
				// container's first inner line, else its first line.
				line := b.Pos.Line
				if k == saiasat.KindApproval || k == saiasat.KindSignature {
					line++
				}
				ls := lines(text)
				l := []rune(ls[line-1])
				ls[line-1] = string(l[:len(l)-1]) + "\u200b" + string(l[len(l)-1:])
				got := found(docFindings(lang, strings.Join(ls, "\n")), "text/invisible")
				if want := fmt.Sprintf("%d:%d", line, len(l)); len(got) != 1 || got[0] != want {
					t.Errorf("text/invisible at %v, want [%s]", got, want)
				}
				// And a Latin look-alike in a Cyrillic word of that line:
				// script/mixed reads every block's text, a table's cells
				// and a container's lines included.
				ls = lines(text)
				l = []rune(ls[line-1])
				at := strings.IndexFunc(string(l), func(r rune) bool { return strings.ContainsRune("аеорсхАЕОРСХ", r) })
				if at < 0 {
					t.Fatalf("line %d %q has no letter with a Latin look-alike", line, ls[line-1])
				}
				col := len([]rune(ls[line-1][:at]))
				l[col] = map[rune]rune{'а': 'a', 'е': 'e', 'о': 'o', 'р': 'p', 'с': 'c', 'х': 'x', 'А': 'A', 'Е': 'E', 'О': 'O', 'Р': 'P', 'С': 'C', 'Х': 'X'}[l[col]]
				ls[line-1] = string(l)
				got = found(docFindings(lang, strings.Join(ls, "\n")), "script/mixed")
				if len(got) != 1 || !strings.HasPrefix(got[0], fmt.Sprintf("%d:", line)) {
					t.Errorf("script/mixed at %v, want one on line %d", got, line)
				}
			})
		}
	}
	kk := kindsample.Blocks("kk")
	for _, k := range saiasat.Kinds() {
		b := kindsample.Blocks("ru")[k]
		t.Run(fmt.Sprintf("ru lacks the %s", k), func(t *testing.T) {
			last := b.EndLine
			switch k {
			case saiasat.KindChapter, saiasat.KindSection:
				last = b.Pos.Line // the heading, not what it holds
			}
			ls := lines(kindsample.Texts["ru"])
			ru := strings.Join(append(ls[:b.Pos.Line-1:b.Pos.Line-1], ls[last:]...), "\n")
			_, fs := loadPolicy(t, map[string]string{"policy.yaml": meta, "kk.md": kindsample.Texts["kk"], "ru.md": ru})
			rule := "parity/missing-" + k.String()
			if k == saiasat.KindBullet {
				rule = "parity/missing-item"
			}
			var got []string
			for _, f := range fs {
				// Only ru.md's: without a section heading, a signature
				// under it in kk.md stands in the chapter in ru.md, with
				// that place's ID, which kk.md lacks in turn.
				if strings.HasPrefix(f.Rule, "parity/missing-") && f.Pos.File == "p/ru.md" {
					got = append(got, f.Pos.File+" "+f.Rule+" "+f.Message)
				}
			}
			want := fmt.Sprintf("p/ru.md %s %s is in p/kk.md (line %d) but not here", rule, kindName(kk[k]), kk[k].Pos.Line)
			if len(got) != 1 || !strings.HasPrefix(got[0], want) {
				t.Errorf("parity findings %q, want one: %s", got, want)
			}
		})
	}
}

// kindName is how parity findings name a block (check's blockName).
func kindName(b *saiasat.Block) string {
	switch b.Kind {
	case saiasat.KindItem, saiasat.KindChapter, saiasat.KindFootnote, saiasat.KindBullet:
		return fmt.Sprintf("%s %s (%s)", b.Kind, b.Label, b.ID)
	}
	return b.Kind.String() + " " + b.ID
}

// The rules of each kind of block of its own, in kk and ru.
func TestKindRules(t *testing.T) {
	tests := []struct {
		name   string
		lang   saiasat.Lang
		scheme saiasat.Numbering
		src    string
		rule   string
		want   []string // "line:col"; nil: must not fire
	}{
		{"empty clause ru", "ru", "", "## 1. А\n\n1.1.\n", "clause/empty", []string{"3:1"}},
		{"clause with only items is not empty kk", "kk", "", "## 1. А\n\n1.1.\n1) бір\n", "clause/empty", nil},
		{"empty item kk", "kk", "", "## 1. А\n\n1.1. Мәтін:\n1)\n2) екі\n", "item/empty", []string{"4:1"}},
		{"empty bullet ru", "ru", "", "Текст:\n- \n– второй\n", "item/empty", []string{"2:1"}},
		{"table row short ru", "ru", "", "| Цель | Срок |\n|---|---|\n| Заём |\n", "table/columns", []string{"3:1"}},
		{"table row long kk, in a clause", "kk", "", "1.1. Кесте:\n\n  | Мақсат | Мерзім |\n  |---|---|\n  | Қарыз | 5 | жыл |\n", "table/columns", []string{"5:3"}},
		{"table fine", "ru", "", "| a | b |\n|:-|-:|\n| c \\| d | e |\n", "table/columns", nil},
		{"orphan footnote ru", "ru", "", "1.1. Ставка.\n\n¹ Годовая.\n", "footnote/orphan", []string{"3:1"}},
		{"footnote used kk", "kk", "", "1.1. Мөлшерлеме*.\n\n* Жылдық.\n", "footnote/orphan", nil},
		{"approval without number or date ru", "ru", "", "::: approval\nУТВЕРЖДЕНО\nдиректором\n:::\n", "approval/incomplete", []string{"1:1"}},
		{"approval with date kk", "kk", "", "::: approval\n2023 жылғы 15 қарашадағы шешіммен БЕКІТІЛДІ\n:::\n", "approval/incomplete", nil},
		{"a link to a flat clause", "ru", saiasat.NumberingFlat, "1. См. [пункт 2](#2).\n\n2. Текст.\n", "link/broken", nil},
		{"a link to a flat clause that is not there", "kk", saiasat.NumberingFlat, "1. Қар. [3-тармақ](#3).\n\n2. Мәтін.\n", "link/broken", []string{"1:9"}},
		{"flat: no-break space after a one-part number", "ru", saiasat.NumberingFlat, "1.\u00a0Текст.\n\n2.Текст.\n", "format/clause-space", []string{"1:3", "3:3"}},
		{"sections: a one-part number is no clause", "ru", "", "1.\u00a0Текст.\n", "format/clause-space", nil},
		{"none: no clause numbers at all", "kk", saiasat.NumberingNone, "1.1.\u00a0Мәтін.\n", "format/clause-space", nil},
		{"unclosed container", "ru", "", "::: signature\nПодпись ____\n", "format/container", []string{"1:1"}},
		{"unknown container", "kk", "", "::: stamp\nМ.О.\n:::\n", "format/container", []string{"1:1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, fs := markdown.Parse(string(tt.lang)+".md", tt.lang, []byte(tt.src), markdown.WithNumbering(tt.scheme))
			fs = append(fs, check.Document(doc)...)
			if got := found(fs, tt.rule); strings.Join(got, " ") != strings.Join(tt.want, " ") {
				t.Errorf("%s at %v, want %v; all: %v", tt.rule, got, tt.want, fs)
			}
		})
	}
}
