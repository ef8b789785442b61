package render

import (
	"fmt"
	"strings"
	"testing"

	"github.com/saiasat/saiasat/diff"
)

// TestMarked: a cell prints each side's words with that side's marks, as
// its page does; markup is read per paragraph, item and bullet; a change
// of marks alone is a change shown.
func TestMarked(t *testing.T) {
	show := func(segs []Seg) string {
		var b strings.Builder
		for _, s := range segs {
			mark := ""
			if s.Strong {
				mark = "B"
			}
			if s.Link != "" {
				mark += "L" + s.Link
			}
			fmt.Fprintf(&b, "%s[%s]%s|", s.Op, s.Text, mark)
		}
		return b.String()
	}
	eq := func(s string) diff.Op { return diff.Op{Op: diff.OpEqual, Text: s} }
	del := func(s string) diff.Op { return diff.Op{Op: diff.OpDelete, Text: s} }
	ins := func(s string) diff.Op { return diff.Op{Op: diff.OpInsert, Text: s} }
	tests := []struct {
		name  string
		block diff.Block
		ops   []diff.Op
		want  string
	}{
		{"strong and link", diff.BlockClause, []diff.Op{eq("**Сұрақтар** мен [жауаптар](#1.1).")},
			"equal[Сұрақтар]B|equal[ мен ]|equal[жауаптар]L#1.1|equal[.]|"},
		{"made strong", diff.BlockClause, []diff.Op{ins("**"), eq("сөз"), ins("**"), eq(" бар.")},
			"delete[сөз]|insert[сөз]B|equal[ бар.]|"},
		{"a deleted ** unpairs the other", diff.BlockClause, []diff.Op{del("**"), eq("а** б.")},
			"delete[а]B|insert[а**]|equal[ б.]|"},
		{"a link's destination changed", diff.BlockClause, []diff.Op{eq("[осы тармақты](#1."), del("1"), ins("2"), eq(") қараңыз.")},
			"delete[осы тармақты]L#1.1|insert[осы тармақты]L#1.2|equal[ қараңыз.]|"},
		{"no pairing across an item and a bullet", diff.BlockClause, []diff.Op{eq("Тізім:\n1) **бір\n- екі** үш.")},
			"equal[Тізім:\n1) **бір\n- екі** үш.]|"},
		{"heading added without its marks", diff.BlockHeading, []diff.Op{ins("## 2. Б")},
			"insert[2. Б]|"},
		{"heading text literal", diff.BlockHeading, []diff.Op{eq("## 2. **Б**")},
			"equal[2. **Б**]|"},
		{"unnumbered text with a # line", diff.BlockText, []diff.Op{del("# Ескі\n\nМәтін **а**.")},
			"delete[Ескі\n\nМәтін ]|delete[а]B|delete[.]|"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := show(marked(tt.ops, tt.block)); got != tt.want {
				t.Errorf("marked:\n got %q\nwant %q", got, tt.want)
			}
		})
	}
}
