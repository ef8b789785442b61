package render

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/diff"
	"github.com/saiasat/saiasat/templates"
)

// RedlineOptions shape the approver's redline.
type RedlineOptions struct {
	// All lists unchanged clauses too.
	All bool
}

// Redline is the approver's view of a diff: per clause, each language's
// fate and words, aligned in rows.
type Redline struct {
	From, To *diff.Version
	Cols     []RedlineCol
	Rows     []RedlineRow
	// HasDrift is set when some clause changed in one language only; each
	// column words the list.
	HasDrift bool
}

// RedlineCol holds one language's strings.
type RedlineCol struct {
	Lang                                     saiasat.Lang
	Title, PolicyTitle, VersionLabel         string
	ApprovalHeading, ApprovalText            string
	ApprovalDraft, Signature, SummaryHeading string
	DriftHeading, NoChanges                  string
	FromLabel, ToLabel                       string
	Summary, Drift                           []string
	kinds                                    map[diff.Kind]string
}

// RedlineRow is one clause, keyed by its new number (its old one, marked
// "−", when removed), with a cell per language.
type RedlineRow struct {
	Key   string
	Cells []RedlineCell
}

// RedlineCell is one language's side of a row.
type RedlineCell struct {
	Lang saiasat.Lang
	Kind diff.Kind
	// Head says what happened: "3.3 → 3.2 renumbered".
	Head string
	Segs []diff.Op
}

// NewRedline lays out r for reading; languages are r's, each needing UI
// messages.
func NewRedline(r *diff.Result, opt RedlineOptions) (*Redline, error) {
	rl := &Redline{From: r.From, To: r.To}
	byLang := make(map[saiasat.Lang]map[string]*diff.Change)
	var keys []string
	seen := make(map[string]bool)
	for _, ld := range r.Languages {
		loc, err := NewLocalizer(ld.Lang)
		if err != nil {
			return nil, err
		}
		col, err := newCol(loc, r, ld)
		if err != nil {
			return nil, err
		}
		rl.Cols = append(rl.Cols, col)
		m := make(map[string]*diff.Change)
		for i := range ld.Changes {
			c := &ld.Changes[i]
			key := rowKey(c)
			m[key] = c
			if !seen[key] && (opt.All || c.Kind != diff.Unchanged) {
				seen[key] = true
				keys = append(keys, key)
			}
		}
		byLang[ld.Lang] = m
	}
	for _, key := range keys {
		row := RedlineRow{Key: key}
		for _, col := range rl.Cols {
			cell := RedlineCell{Lang: col.Lang}
			if c := byLang[col.Lang][key]; c != nil {
				cell.Kind = c.Kind
				cell.Head = head(c, col.kinds[c.Kind])
				cell.Segs = segments(c)
			}
			row.Cells = append(row.Cells, cell)
		}
		rl.Rows = append(rl.Rows, row)
	}
	rl.HasDrift = len(r.Drift) > 0
	return rl, nil
}

// langsIn names languages the way a sentence needs them: "қазақ тілінде",
// "на русском языке".
func langsIn(loc *Localizer, ls []saiasat.Lang) (string, error) {
	var out []string
	for _, l := range ls {
		s, err := loc.T("LangIn_"+string(l), nil)
		if err != nil {
			s = string(l) // a language without a message is named by its code
		}
		out = append(out, s)
	}
	return strings.Join(out, ", "), nil
}

// sideLabel names a side of the diff in loc's language: "редакция 1",
// "проект", or the folder's path.
func sideLabel(loc *Localizer, v *diff.Version) (string, error) {
	switch {
	case v.Released:
		return loc.T("LabelEdition", map[string]any{"Edition": v.Edition})
	case v.Label == "draft":
		s, err := loc.T("LabelDraft", nil)
		if err == nil && v.Edition > 0 {
			var ed string
			ed, err = loc.T("LabelEdition", map[string]any{"Edition": v.Edition})
			s += " (" + ed + ")"
		}
		return s, err
	}
	return v.Label, nil
}

func rowKey(c *diff.Change) string {
	if c.To == nil {
		return "−" + c.From.String()
	}
	return c.To.String()
}

func head(c *diff.Change, kind string) string {
	switch c.Kind {
	case diff.Renumbered, diff.Moved:
		return fmt.Sprintf("%s → %s: %s", c.From, c.To, kind)
	case diff.Unchanged:
		return ""
	}
	return kind
}

func segments(c *diff.Change) []diff.Op {
	switch {
	case c.Ops != nil:
		return c.Ops
	case c.Kind == diff.Added:
		return []diff.Op{{Op: diff.OpInsert, Text: c.ToClause.Body}}
	case c.Kind == diff.Removed:
		return []diff.Op{{Op: diff.OpDelete, Text: c.FromClause.Body}}
	}
	return []diff.Op{{Op: diff.OpEqual, Text: c.ToClause.Body}}
}

func newCol(loc *Localizer, r *diff.Result, ld *diff.LangDiff) (RedlineCol, error) {
	col := RedlineCol{Lang: ld.Lang, PolicyTitle: r.To.Title[ld.Lang], kinds: make(map[diff.Kind]string)}
	if col.PolicyTitle == "" {
		col.PolicyTitle = r.To.ID
	}
	var err error
	t := func(dst *string, id string, data map[string]any) {
		if err == nil {
			*dst, err = loc.T(id, data)
		}
	}
	t(&col.Title, "RedlineTitle", nil)
	t(&col.VersionLabel, "RedlineVersion", nil)
	t(&col.ApprovalHeading, "RedlineApprovalHeading", nil)
	t(&col.ApprovalText, "RedlineApprovalText", map[string]any{"Policy": col.PolicyTitle, "Edition": r.To.Edition, "Effective": FormatDate(ld.Lang, r.To.Effective)})
	t(&col.ApprovalDraft, "RedlineApprovalDraft", nil)
	t(&col.Signature, "RedlineSignature", nil)
	t(&col.SummaryHeading, "RedlineSummary", nil)
	t(&col.DriftHeading, "RedlineDrift", nil)
	t(&col.NoChanges, "RedlineNoChanges", nil)
	for _, k := range []struct {
		kind diff.Kind
		id   string
	}{{diff.Added, "KindAdded"}, {diff.Removed, "KindRemoved"}, {diff.Modified, "KindModified"}, {diff.Renumbered, "KindRenumbered"}, {diff.Moved, "KindMoved"}, {diff.Unchanged, "KindUnchanged"}} {
		var s string
		t(&s, k.id, nil)
		col.kinds[k.kind] = s
	}
	if err != nil {
		return col, err
	}
	if col.FromLabel, err = sideLabel(loc, r.From); err != nil {
		return col, err
	}
	if col.ToLabel, err = sideLabel(loc, r.To); err != nil {
		return col, err
	}
	for _, d := range r.Drift {
		changed, _ := langsIn(loc, d.Changed)
		unchanged, _ := langsIn(loc, d.Unchanged)
		line, err := loc.T("DriftLine", map[string]any{"Clause": d.Clause, "Changed": changed, "Unchanged": unchanged})
		if err != nil {
			return col, err
		}
		col.Drift = append(col.Drift, line)
	}
	col.Summary, err = SummaryLines(loc, ld.Summary)
	return col, err
}

// SummaryLines words a summary in loc's language with correct plural forms,
// leaving out kinds that did not occur (unchanged clauses are always said).
func SummaryLines(loc *Localizer, s diff.Summary) ([]string, error) {
	var out []string
	for _, x := range []struct {
		n  int
		id string
	}{{s.Added, "ClausesAdded"}, {s.Removed, "ClausesRemoved"}, {s.Modified, "ClausesModified"}, {s.Renumbered, "ClausesRenumbered"}, {s.Moved, "ClausesMoved"}, {s.Unchanged, "ClausesUnchanged"}} {
		if x.n == 0 && x.id != "ClausesUnchanged" {
			continue
		}
		line, err := loc.N(x.id, x.n)
		if err != nil {
			return nil, err
		}
		out = append(out, line)
	}
	return out, nil
}

var redlineTmpl = template.Must(template.ParseFS(templates.FS, "redline.html"))

// RedlineHTML renders the redline as one self-contained HTML page: styles
// inline, no script, no request to any other host.
func RedlineHTML(r *diff.Result, opt RedlineOptions) ([]byte, error) {
	rl, err := NewRedline(r, opt)
	if err != nil {
		return nil, err
	}
	lang := saiasat.Lang("kk")
	if len(rl.Cols) > 0 {
		lang = rl.Cols[0].Lang
	}
	var b bytes.Buffer
	if err := redlineTmpl.Execute(&b, struct {
		*Redline
		Lang saiasat.Lang
	}{rl, lang}); err != nil {
		return nil, fmt.Errorf("render redline: %w", err)
	}
	return b.Bytes(), nil
}
