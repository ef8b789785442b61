package diff

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
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

// WriteText writes the terminal redline: the policy.yaml fields that
// changed; per language, one line per changed block (`~ 3.10`, `+ 3.12.12`,
// `- 3.2`, `~ heading 6`, `~ title`), a run of renumbered clauses as one
// line (`3.3–3.13 → 3.2–3.12, text unchanged (17 clauses)`), and, for
// changed text, the block with deletions as [-…-] and insertions as {+…+},
// coloured when color is set, look-alike fixes named below it; then the
// concordance of clause numbers, the drift and the totals.
func (r *Result) WriteText(w io.Writer, color bool) error {
	paint := func(c, s string) string {
		if !color {
			return s
		}
		return c + s + reset
	}
	fmt.Fprintf(w, "%s %s → %s %s\n", r.From.Label, r.From.Version, r.To.Label, r.To.Version)
	for _, m := range r.Metadata {
		name := m.Field
		if m.Lang != "" {
			name += " (" + string(m.Lang) + ")"
		}
		fmt.Fprintf(w, "~ policy.yaml %s: %q → %q\n", name, m.From, m.To)
	}
	for _, ld := range r.Languages {
		fmt.Fprintf(w, "\n%s: %s\n", paint(bold, string(ld.Lang)), summaryLine(ld.Summary))
		for i := 0; i < len(ld.Changes); i++ {
			c := ld.Changes[i]
			if c.Kind == Unchanged {
				continue
			}
			if j := runEnd(ld.Changes, i); j-i >= 2 {
				a, b := ld.Changes[i], ld.Changes[j-1]
				fmt.Fprintf(w, "%s–%s → %s–%s, text unchanged (%d clauses)\n", a.From, b.From, a.To, b.To, j-i)
				i = j - 1
				continue
			}
			fmt.Fprintln(w, textHead(c, paint))
			var body string
			switch {
			case c.Paired() && c.Ops != nil:
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
				body = changedLines(strings.TrimLeft(b.String(), " \n"), color)
			case c.Kind == Added:
				body = paint(green, strings.TrimLeft(c.NewText, " \n"))
			case c.Kind == Removed:
				body = paint(red, strings.TrimLeft(c.OldText, " \n"))
			}
			if body != "" {
				fmt.Fprintln(w, "    "+strings.ReplaceAll(body, "\n", "\n    "))
			}
			if len(c.Fixes) > 0 {
				names := make([]string, len(c.Fixes))
				for k, f := range c.Fixes {
					names[k] = fmt.Sprintf("%s (%d)", f, f.Count)
				}
				fmt.Fprintf(w, "    look-alike fixes: %s\n", strings.Join(names, "; "))
			}
		}
		if len(ld.Concordance) > 0 && !sameConcordance(r.Languages) {
			writeConcordance(w, string(ld.Lang), ld.Concordance)
		}
	}
	if len(r.Languages) > 0 && len(r.Languages[0].Concordance) > 0 && sameConcordance(r.Languages) {
		var names []string
		for _, ld := range r.Languages {
			names = append(names, string(ld.Lang))
		}
		writeConcordance(w, strings.Join(names, ", "), r.Languages[0].Concordance)
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

// sameConcordance reports whether every language maps the same old
// numbers to the same new ones (whatever else happened to the clauses), so
// that one table serves them all.
func sameConcordance(ls []*LangDiff) bool {
	for _, ld := range ls[1:] {
		if !slices.EqualFunc(ld.Concordance, ls[0].Concordance, func(a, b Renumbering) bool {
			return a.From.Equal(b.From) && a.To.Equal(b.To)
		}) {
			return false
		}
	}
	return true
}

func writeConcordance(w io.Writer, langs string, cs []Renumbering) {
	fmt.Fprintf(w, "\nconcordance, %s (old → new; clauses whose number did not change are left out):\n", langs)
	for _, n := range cs {
		from, to := n.From.String(), n.To.String()
		if n.From == nil {
			from = "—"
		}
		if n.To == nil {
			to = "—"
		}
		fmt.Fprintf(w, "  %s → %s\n", from, to)
	}
}

// runEnd returns the index after the run of pure renumberings (clauses
// renumbered with their words unchanged) that starts at i.
func runEnd(cs []Change, i int) int {
	j := i
	for j < len(cs) && cs[j].Kind == Renumbered && cs[j].Block == BlockClause {
		j++
	}
	return j
}

// textHead is the line that names a change.
func textHead(c Change, paint func(c, s string) string) string {
	if c.Block != BlockClause {
		name := string(c.Block)
		if c.Block == BlockHeading {
			n := c.To
			if n == nil {
				n = c.From
			}
			if n == nil { // an unnumbered heading: its ID
				name += " " + cmp.Or(c.ToID, c.FromID)
			} else {
				name += " " + n.String()
			}
		}
		switch id := cmp.Or(c.ToID, c.FromID); {
		case c.Block == BlockText:
			name += fmt.Sprintf(" at line %d", max(c.ToLine, c.FromLine))
		case c.Block != BlockHeading && c.Block != BlockTitle && id != "":
			name += " " + id
		}
		switch c.Kind {
		case Added:
			return paint(green, "+ "+name)
		case Removed:
			return paint(red, "- "+name)
		case Moved:
			return name + " (moved)"
		}
		return "~ " + name
	}
	switch c.Kind {
	case Modified:
		head := "~ " + c.To.String()
		var also []string
		if c.AlsoRenumbered {
			head = "~ " + c.From.String() + " → " + c.To.String()
			also = append(also, "renumbered")
		}
		if c.AlsoMoved {
			also = append(also, "moved")
		}
		if c.FixOnly {
			also = append(also, "look-alike fixes only")
		}
		also = append(also, percent(c.Similarity)+" the same")
		return head + " (" + strings.Join(also, ", ") + ")"
	case Added:
		head := paint(green, "+ "+c.To.String())
		if c.SplitFrom != nil {
			head += " (split from " + c.SplitFrom.String() + ")"
		}
		return head
	case Removed:
		head := paint(red, "- "+c.From.String())
		if c.MergedInto != nil {
			head += " (merged into " + c.MergedInto.String() + ")"
		}
		return head
	case Moved:
		return c.From.String() + " → " + c.To.String() + " (moved)"
	}
	return c.From.String() + " → " + c.To.String()
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
	return fmt.Sprintf("%d added, %d removed, %d modified (%d look-alike fixes only), %d renumbered, %d moved, %d unchanged; %d headings, %d unnumbered text, %d policy.yaml fields changed",
		s.Added, s.Removed, s.Modified, s.FixOnly, s.Renumbered, s.Moved, s.Unchanged, s.Headings, s.Text, s.Metadata)
}

func joinLangs[T ~string](ls []T) string {
	s := make([]string, len(ls))
	for i, l := range ls {
		s[i] = string(l)
	}
	return strings.Join(s, ", ")
}
