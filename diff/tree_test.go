package diff_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/canon"
	"github.com/saiasat/saiasat/diff"
	"github.com/saiasat/saiasat/internal/blocktest"
	"github.com/saiasat/saiasat/markdown"
)

// Every kind of block is either a unit the diff aligns on its own or lines
// of the unit above it; a kind added to saiasat.Kinds without a place in
// the diff fails here rather than being dropped.
func TestEveryKindIsAUnitOrLines(t *testing.T) {
	for _, k := range saiasat.Kinds() {
		for _, parent := range append([]saiasat.Kind{0}, saiasat.Kinds()...) {
			if _, _, ok := diff.BlockOf(k, parent); !ok {
				t.Errorf("kind %s under %s: the diff has no place for it", k, parent)
			}
		}
	}
}

// kindEdits change one block of each kind in the every-kind text; each
// must come out as a change of that block, named by its ID, that Apply
// replays exactly.
var kindEdits = []struct {
	kind      diff.Block
	id        string
	old, new  string
	wantKinds []diff.Kind
}{
	{diff.BlockTitle, "", "# обработки персональных данных", "# обработки и защиты персональных данных", []diff.Kind{diff.Modified}},
	{diff.BlockApproval, "a1", "от «15» ноября 2023 года № 7", "от «20» ноября 2023 года № 8", []diff.Kind{diff.Modified}},
	{diff.BlockText, "p1", "г. Алматы 2024 год", "г. Алматы 2025 год", []diff.Kind{diff.Modified}},
	{diff.BlockChapter, "ch1", "## Глава 1. Общие положения", "## Глава 1. Основные положения", []diff.Kind{diff.Modified}},
	{diff.BlockHeading, "1", "## 1. Термины", "## 1. Термины и определения", []diff.Kind{diff.Modified}},
	{diff.BlockHeading, "2", "## 2.\n", "## 2. Сроки\n", []diff.Kind{diff.Modified}},
	{diff.BlockHeading, "ch2/h1", "## Часто задаваемые вопросы", "## Вопросы и ответы", []diff.Kind{diff.Modified}},
	{diff.BlockClause, "", "   б) хранение¹;", "   б) хранение¹;\n   в) удаление;", []diff.Kind{diff.Modified}},
	{diff.BlockClause, "", "   а) сбор;", "   а) сбор и запись;", []diff.Kind{diff.Modified}},
	{diff.BlockClause, "", "• требовать исправления;", "● требовать исправления;", []diff.Kind{diff.Modified}},
	{diff.BlockClause, "", "▪ отозвать согласие.\n", "", []diff.Kind{diff.Modified}},
	{diff.BlockTable, "2.1/t1", "| Маркетинг | Телефон | до отзыва согласия |", "| Маркетинг | Телефон, e-mail | 3 года |", []diff.Kind{diff.Modified}},
	{diff.BlockText, "ch2/h1/p1", "Ответы на вопросы даются по телефону.", "Ответы на вопросы даются по телефону и по почте.", []diff.Kind{diff.Modified}},
	{diff.BlockFootnote, "fn1", "¹ Хранение – по правилам МФО.", "¹ Хранение – по правилам МФО и закону.", []diff.Kind{diff.Modified}},
	{diff.BlockSignature, "ch2/h1/s1", "М.П.\n", "", []diff.Kind{diff.Modified}},
	{diff.BlockFootnote, "fn2", "¹ Хранение – по правилам МФО.", "¹ Хранение – по правилам МФО.\n² Второе примечание.", []diff.Kind{diff.Added}},
	{diff.BlockApproval, "a1", "::: approval\nУТВЕРЖДЕНО\nРешением единственного участника ТОО «МФО «Пример»\nот «15» ноября 2023 года № 7\n:::\n\n", "", []diff.Kind{diff.Removed}},
}

func treeVersion(t *testing.T, label, src string) *diff.Version {
	doc, fs := markdown.Parse("ru.md", "ru", []byte(src))
	if len(fs) > 0 {
		t.Fatalf("%s: %v", label, fs)
	}
	return &diff.Version{Label: label, Languages: []saiasat.Lang{"ru"}, Docs: map[saiasat.Lang]*saiasat.Document{"ru": doc}}
}

func TestApplyEveryKind(t *testing.T) {
	a := treeVersion(t, "a", blocktest.EveryKindRU)
	for _, e := range kindEdits {
		t.Run(string(e.kind)+"/"+e.new, func(t *testing.T) {
			if !strings.Contains(blocktest.EveryKindRU, e.old) {
				t.Fatalf("%q is not in the text", e.old)
			}
			src := strings.Replace(blocktest.EveryKindRU, e.old, e.new, 1)
			r := diff.Compare(a, treeVersion(t, "b", src))
			var js bytes.Buffer
			if err := r.WriteJSON(&js, false); err != nil {
				t.Fatal(err)
			}
			got, err := diff.Apply(a, js.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			want, err := canon.Format([]byte(src))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got.Texts["ru"], want) {
				t.Fatalf("Apply(A, JSON) is not B:\n%s", firstDifference(got.Texts["ru"], want))
			}
			var doc struct {
				Languages map[string]struct {
					Changes []struct {
						Kind  diff.Kind  `json:"kind"`
						Block diff.Block `json:"block"`
						From  *string    `json:"from"`
						To    *string    `json:"to"`
						ToID  string     `json:"to_id"`
						FrID  string     `json:"from_id"`
					} `json:"changes"`
				} `json:"languages"`
			}
			if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			cs := doc.Languages["ru"].Changes
			if len(cs) != len(e.wantKinds) {
				t.Fatalf("%d changes, want %d: %s", len(cs), len(e.wantKinds), js.Bytes())
			}
			for i, c := range cs {
				block := c.Block
				if block == "" {
					block = diff.BlockClause
				}
				// A numbered block's ID is its number.
				id := c.ToID
				for _, s := range []*string{&c.FrID, c.To, c.From} {
					if id == "" && s != nil {
						id = *s
					}
				}
				if block != e.kind || c.Kind != e.wantKinds[i] || (e.id != "" && id != e.id) {
					t.Errorf("change %d: %s %s %q, want %s %s %q", i, c.Kind, block, id, e.wantKinds[i], e.kind, e.id)
				}
			}
		})
	}
}
