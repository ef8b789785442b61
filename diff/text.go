package diff

import (
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// ANSI colours of the terminal redline.
const (
	red   = "\x1b[31m"
	green = "\x1b[32m"
	bold  = "\x1b[1m"
	reset = "\x1b[0m"
)

// WriteText writes the terminal redline: per language, one line per changed
// clause (`~ 3.10`, `+ 3.12.12`, `- 3.2`, `3.3 → 3.2`) and, for changed
// text, the clause with deletions as [-…-] and insertions as {+…+},
// coloured when color is set.
func (r *Result) WriteText(w io.Writer, color bool) error {
	paint := func(c, s string) string {
		if !color {
			return s
		}
		return c + s + reset
	}
	fmt.Fprintf(w, "%s %s → %s %s\n", r.From.Label, r.From.Version, r.To.Label, r.To.Version)
	for _, ld := range r.Languages {
		fmt.Fprintf(w, "\n%s: %s\n", paint(bold, string(ld.Lang)), summaryLine(ld.Summary))
		for _, c := range ld.Changes {
			var head string
			switch c.Kind {
			case Unchanged:
				continue
			case Modified:
				head = "~ " + c.To.String()
			case Added:
				head = paint(green, "+ "+c.To.String())
				if c.SplitFrom != nil {
					head += " (split from " + c.SplitFrom.String() + ")"
				}
			case Removed:
				head = paint(red, "- "+c.From.String())
				if c.MergedInto != nil {
					head += " (merged into " + c.MergedInto.String() + ")"
				}
			case Renumbered, Moved:
				head = c.From.String() + " → " + c.To.String()
				if c.Kind == Moved {
					head += " (moved)"
				}
				if c.Ops != nil {
					head = "~ " + head + fmt.Sprintf(" (%s the same)", percent(c.Similarity))
				}
			}
			fmt.Fprintln(w, head)
			var body string
			switch {
			case c.Ops != nil:
				var b strings.Builder
				for _, op := range c.Ops {
					switch op.Op {
					case OpEqual:
						b.WriteString(op.Text)
					case OpDelete:
						b.WriteString(paint(red, "[-"+op.Text+"-]"))
					case OpInsert:
						b.WriteString(paint(green, "{+"+op.Text+"+}"))
					}
				}
				body = b.String()
			case c.Kind == Added:
				body = paint(green, c.ToClause.Body)
			case c.Kind == Removed:
				body = paint(red, c.FromClause.Body)
			}
			if c.Ops != nil {
				body = changedLines(body, color)
			}
			if body != "" {
				fmt.Fprintln(w, "    "+strings.ReplaceAll(body, "\n", "\n    "))
			}
		}
	}
	if len(r.Drift) > 0 {
		fmt.Fprintf(w, "\ndrift (text changed in one language only):\n")
		for _, d := range r.Drift {
			fmt.Fprintf(w, "  %s changed in %s, unchanged in %s\n", d.Clause, joinLangs(d.Changed), joinLangs(d.Unchanged))
		}
	}
	_, err := fmt.Fprintf(w, "\n%s\n", summaryLine(r.Summary))
	return err
}

// changedLines keeps the lines of a redlined clause that carry a change,
// and the first line for context, folding each run of other lines into "…":
// a clause with twenty items shows the item that changed, not all twenty.
func changedLines(body string, color bool) string {
	marks := []string{"[-", "{+"}
	if color {
		marks = []string{red, green}
	}
	lines := strings.Split(body, "\n")
	var out []string
	skipped := false
	for i, l := range lines {
		if i == 0 || strings.Contains(l, marks[0]) || strings.Contains(l, marks[1]) || strings.Contains(l, "-]") || strings.Contains(l, "+}") {
			out = append(out, l)
			skipped = false
			continue
		}
		if !skipped {
			out = append(out, "…")
			skipped = true
		}
	}
	return strings.Join(out, "\n")
}

// percent writes a similarity below 1 so that it never reads as 100%.
func percent(sim float64) string {
	p := math.Floor(sim*1000) / 10
	if p >= 100 {
		p = 99.9
	}
	return strconv.FormatFloat(p, 'f', -1, 64) + "%"
}

func summaryLine(s Summary) string {
	return fmt.Sprintf("%d added, %d removed, %d modified, %d renumbered, %d moved, %d unchanged",
		s.Added, s.Removed, s.Modified, s.Renumbered, s.Moved, s.Unchanged)
}

func joinLangs[T ~string](ls []T) string {
	s := make([]string, len(ls))
	for i, l := range ls {
		s[i] = string(l)
	}
	return strings.Join(s, ", ")
}
