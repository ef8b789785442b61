package render

import (
	"bytes"
	"fmt"
	"html/template"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/canon"
	"github.com/saiasat/saiasat/diff"
	"github.com/saiasat/saiasat/templates"
)

// RedlineOptions shape the approver's redline.
type RedlineOptions struct {
	// All lists unchanged clauses too.
	All bool
	// Approver names, per language, whose decision approves the edition
	// ("the sole participant's decision", "a board's resolution"); empty
	// for the one in the message files.
	Approver map[saiasat.Lang]string
}

// Redline is the approver's view of a diff: the policy.yaml fields that
// changed, then per block each language's fate and words, aligned in rows,
// runs of pure renumbering folded into one row, and the concordance of
// clause numbers.
type Redline struct {
	From, To *diff.Version
	Cols     []RedlineCol
	Rows     []RedlineRow
	// Concordance has one row per old clause number that changed (and per
	// added clause), a cell per language.
	Concordance []ConcordanceRow
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
	MetaHeading, ConcordanceHeading          string
	ConcordanceNote, TextHashLabel           string
	FromLabel, ToLabel                       string
	// FromText and ToText are the text hashes of this language.
	FromText, ToText saiasat.Hash
	Summary, Drift   []string
	// Meta words the changed policy.yaml fields: "Басылым: 1 → 2".
	Meta  []string
	kinds map[diff.Kind]string
	loc   *Localizer
}

// RedlineRow is one block, keyed by its new number (its old one, marked
// "−", when removed; "#" for the title, "§N" for a section heading, "¶"
// and a line for unnumbered text), or a run of renumbered clauses, with a
// cell per language.
type RedlineRow struct {
	Key   string
	Cells []RedlineCell
	// Run is the number of renumbered clauses folded into the row (0 for
	// a row of one block).
	Run int
}

// RedlineCell is one language's side of a row.
type RedlineCell struct {
	Lang saiasat.Lang
	Kind diff.Kind
	// Block is what the row is about: clause, title, heading, text.
	Block diff.Block
	// Head says what happened: "3.3 → 3.2 renumbered".
	Head string
	Segs []Seg
	// Run is the number of this language's renumbered clauses a folded
	// row stands for; 0 in a row of one block.
	Run int
	// Fixes names the look-alike letters and typography changed, in words:
	// "латын i → қазақ і (12)".
	Fixes string
}

// ConcordanceRow maps an old clause number to the new one in each
// language: "—" where the clause was removed; Old is "—" for an added one.
type ConcordanceRow struct {
	Old string
	New []string
}

// NewRedline lays out r for reading; languages are r's, each needing UI
// messages.
func NewRedline(r *diff.Result, opt RedlineOptions) (*Redline, error) {
	rl := &Redline{From: r.From, To: r.To}
	byLang := make(map[saiasat.Lang]map[string]*diff.Change)
	var order [][]string // each language's row keys in its document order
	shown := make(map[string]bool)
	for _, ld := range r.Languages {
		loc, err := NewLocalizer(ld.Lang)
		if err != nil {
			return nil, err
		}
		col, err := newCol(loc, r, ld, opt)
		if err != nil {
			return nil, err
		}
		rl.Cols = append(rl.Cols, col)
		m := make(map[string]*diff.Change)
		var keys []string
		for i := range ld.Changes {
			c := &ld.Changes[i]
			key := rowKey(c)
			m[key] = c
			keys = append(keys, key)
			if opt.All || c.Kind != diff.Unchanged {
				shown[key] = true
			}
		}
		byLang[ld.Lang] = m
		order = append(order, keys)
	}
	for _, key := range mergeOrder(order) {
		if !shown[key] {
			continue
		}
		row := RedlineRow{Key: key}
		for _, col := range rl.Cols {
			cell := RedlineCell{Lang: col.Lang}
			if c := byLang[col.Lang][key]; c != nil {
				var err error
				if cell, err = newCell(col, c); err != nil {
					return nil, err
				}
			}
			row.Cells = append(row.Cells, cell)
		}
		rl.Rows = append(rl.Rows, row)
	}
	rl.Rows = foldRuns(rl, byLang)
	rl.Concordance = concordanceRows(r, rl.Cols)
	rl.HasDrift = len(r.Drift) > 0
	return rl, nil
}

func newCell(col RedlineCol, c *diff.Change) (RedlineCell, error) {
	cell := RedlineCell{Lang: col.Lang, Kind: c.Kind, Block: c.Block, Segs: segments(c)}
	var err error
	if cell.Head, err = head(col, c); err != nil {
		return cell, err
	}
	cell.Fixes, err = fixLine(col.loc, c.Fixes)
	return cell, err
}

// foldRuns folds each run of rows in which every language's clause was
// renumbered with its words unchanged into one row: "3.3–3.13 → 3.2–3.12".
func foldRuns(rl *Redline, byLang map[saiasat.Lang]map[string]*diff.Change) []RedlineRow {
	pure := func(row RedlineRow) bool {
		n := 0
		for _, c := range row.Cells {
			switch {
			case c.Kind == "":
			case c.Kind == diff.Renumbered && c.Block == diff.BlockClause:
				n++
			default:
				return false
			}
		}
		return n > 0
	}
	var out []RedlineRow
	for i := 0; i < len(rl.Rows); {
		j := i
		for j < len(rl.Rows) && pure(rl.Rows[j]) {
			j++
		}
		if j-i < 2 {
			out = append(out, rl.Rows[i])
			i++
			continue
		}
		first, last := rl.Rows[i], rl.Rows[j-1]
		row := RedlineRow{Key: first.Key + "–" + last.Key, Run: j - i}
		for k, col := range rl.Cols {
			// This language's clauses of the run: it may lack some.
			var a, b *diff.Change
			n := 0
			for _, r := range rl.Rows[i:j] {
				if r.Cells[k].Kind == "" {
					continue
				}
				if a == nil {
					a = byLang[col.Lang][r.Key]
				}
				b = byLang[col.Lang][r.Key]
				n++
			}
			cell := RedlineCell{Lang: col.Lang}
			if n > 0 {
				cell.Kind, cell.Block, cell.Run = diff.Renumbered, diff.BlockClause, n
				s, err := col.loc.N("RenumberedRun", n)
				if err != nil {
					s = fmt.Sprint(n)
				}
				cell.Head = fmt.Sprintf("%s–%s → %s–%s: %s", a.From, b.From, a.To, b.To, s)
			}
			row.Cells = append(row.Cells, cell)
		}
		out = append(out, row)
		i = j
	}
	return out
}

// concordanceRows joins the languages' concordances by old number.
func concordanceRows(r *diff.Result, cols []RedlineCol) []ConcordanceRow {
	idx := make(map[string]int)
	var rows []ConcordanceRow
	for k, ld := range r.Languages {
		for _, n := range ld.Concordance {
			key, old := "−"+n.From.String(), n.From.String()
			if n.From == nil {
				key, old = "+"+n.To.String(), "—"
			}
			i, ok := idx[key]
			if !ok {
				i = len(rows)
				idx[key] = i
				rows = append(rows, ConcordanceRow{Old: old, New: make([]string, len(cols))})
			}
			nw := n.To.String()
			if n.To == nil {
				nw = "—"
			}
			if k < len(cols) {
				rows[i].New[k] = nw
			}
		}
	}
	return rows
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

// mergeOrder joins the languages' row keys into one document order: the
// first language's order, each key only another language has placed after
// the key that comes before it there. A change in the second language only
// (ru 1.1) so stands before the first language's 2.1, not after its 7.5.
func mergeOrder(order [][]string) []string {
	var out []string
	at := make(map[string]int) // key → index in out
	for _, keys := range order {
		prev := -1
		for _, k := range keys {
			if i, ok := at[k]; ok {
				prev = i
				continue
			}
			prev++
			if prev == len(out) { // the usual case: at the end, nothing moves
				out = append(out, k)
				at[k] = prev
				continue
			}
			out = append(out[:prev+1], out[prev:]...)
			out[prev] = k
			for i := prev; i < len(out); i++ {
				at[out[i]] = i
			}
		}
	}
	return out
}

// rowKey names a change's row: a block's number or stable ID, the same in
// every language, so that the languages' changes to one block share a
// row; "−" marks a removed block.
func rowKey(c *diff.Change) string {
	gone, id := "", c.ToID
	if c.ToLine == 0 {
		gone, id = "−", c.FromID
	}
	switch c.Block {
	case diff.BlockClause:
	case diff.BlockTitle:
		return "#"
	case diff.BlockHeading:
		if c.To == nil && c.From == nil {
			return gone + "§" + id
		}
		if c.To == nil {
			return "−§" + c.From.String()
		}
		return "§" + c.To.String()
	case diff.BlockText:
		switch {
		case id != "":
			return gone + "¶" + id
		case c.ToLine == 0:
			return fmt.Sprintf("−¶%d", c.FromLine)
		}
		return fmt.Sprintf("¶%d", c.ToLine)
	case diff.BlockItem, diff.BlockBullet:
		return gone + "·" + id
	default: // approval a1, chapter ch2, table 3/t1, footnote fn1, signature s1
		return gone + id
	}
	if c.To == nil {
		return "−" + c.From.String()
	}
	return c.To.String()
}

// head words what happened to a block in col's language: "3.3 → 3.2:
// нөмірі өзгерді", "Бөлім тақырыбы: өзгертілді", "өзгертілді (3.9 → 3.8,
// нөмірі өзгерді; тек жазу түзетулері)".
func head(col RedlineCol, c *diff.Change) (string, error) {
	kind := col.kinds[c.Kind]
	if c.Block != diff.BlockClause {
		b, err := col.loc.T("Block_"+string(c.Block), nil)
		return b + ": " + kind, err
	}
	switch c.Kind {
	case diff.Renumbered, diff.Moved:
		return fmt.Sprintf("%s → %s: %s", c.From, c.To, kind), nil
	case diff.Unchanged:
		// Shown beside a change in another language: say so.
		return kind, nil
	case diff.Modified:
		var also []string
		if c.AlsoRenumbered {
			also = append(also, fmt.Sprintf("%s → %s, %s", c.From, c.To, col.kinds[diff.Renumbered]))
		}
		if c.AlsoMoved {
			also = append(also, col.kinds[diff.Moved])
		}
		if c.FixOnly {
			s, err := col.loc.T("FixOnly", nil)
			if err != nil {
				return "", err
			}
			also = append(also, s)
		}
		if len(also) > 0 {
			kind += " (" + strings.Join(also, "; ") + ")"
		}
	}
	return kind, nil
}

// fixLine names fixes in loc's language: "латын i → қазақ і (12)".
func fixLine(loc *Localizer, fs []diff.Fix) (string, error) {
	if len(fs) == 0 {
		return "", nil
	}
	var parts []string
	for _, f := range fs {
		a, err := charName(loc, f.From)
		if err != nil {
			return "", err
		}
		b, err := charName(loc, f.To)
		if err != nil {
			return "", err
		}
		parts = append(parts, fmt.Sprintf("%s → %s (%d)", a, b, f.Count))
	}
	label, err := loc.T("FixesLabel", nil)
	return label + ": " + strings.Join(parts, "; "), err
}

// charName names a character in loc's language: "латын i".
func charName(loc *Localizer, s string) (string, error) {
	r, _ := utf8.DecodeRuneInString(s)
	return loc.T("Char_"+diff.CharKind(r), map[string]any{"C": s})
}

// segments are what a cell shows: the block's operations, its text when
// unchanged, printed with the site's inline markup. The label of a clause
// is in the row's key, so the space after it and the blank lines before
// unnumbered text are left out, and so are the "#" marks of a title or
// heading when no operation changed them.
func segments(c *diff.Change) []Seg {
	ops := c.Ops
	if ops == nil {
		ops = []diff.Op{{Op: diff.OpEqual, Text: c.NewText}}
	}
	ops = slices.Clone(ops)
	if len(ops) > 0 {
		ops[0].Text = strings.TrimLeft(ops[0].Text, " \n")
		if (c.Block == diff.BlockTitle || c.Block == diff.BlockHeading || c.Block == diff.BlockChapter) && ops[0].Op == diff.OpEqual {
			if t := strings.TrimLeft(ops[0].Text, "#"); len(t) < len(ops[0].Text) && strings.HasPrefix(t, " ") {
				ops[0].Text = strings.TrimLeft(t, " ")
			}
		}
	}
	return marked(ops, c.Block)
}

func newCol(loc *Localizer, r *diff.Result, ld *diff.LangDiff, opt RedlineOptions) (RedlineCol, error) {
	col := RedlineCol{Lang: ld.Lang, PolicyTitle: r.To.Title[ld.Lang], kinds: make(map[diff.Kind]string), loc: loc,
		FromText: textHash(r.From, ld.Lang), ToText: textHash(r.To, ld.Lang)}
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
	t(&col.ApprovalText, "RedlineApprovalText", map[string]any{"Policy": col.PolicyTitle, "Edition": r.To.Edition, "Effective": strings.ReplaceAll(formatDate(ld.Lang, "DateInText", r.To.Effective), " ", "\u00a0")}) // one date, never cut by a line end
	t(&col.ApprovalDraft, "RedlineApprovalDraft", nil)
	approver := opt.Approver[ld.Lang]
	if approver == "" {
		t(&approver, "ApproverDefault", nil)
	}
	owner, instrument := splitApprover(approver)
	t(&col.Signature, "RedlineSignature", map[string]any{"Approver": approver, "Owner": owner, "Instrument": instrument})
	t(&col.MetaHeading, "RedlineMeta", nil)
	t(&col.ConcordanceHeading, "RedlineConcordance", nil)
	t(&col.ConcordanceNote, "RedlineConcordanceNote", nil)
	t(&col.TextHashLabel, "RedlineTextHash", nil)
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
	for _, m := range r.Metadata {
		if m.Lang != "" && m.Lang != ld.Lang {
			continue // the other column lists it
		}
		line, err := metaLine(loc, m)
		if err != nil {
			return col, err
		}
		col.Meta = append(col.Meta, line)
	}
	col.Summary, err = SummaryLines(loc, ld.Summary)
	return col, err
}

// textHash is the hash of one language's canonical text of v.
// splitApprover cuts an approver phrase before its last word, the
// instrument («Директорлар кеңесінің» + «шешімі»), for languages that put
// the date and number between the two.
func splitApprover(s string) (owner, instrument string) {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, ' '); i >= 0 {
		return strings.TrimSpace(s[:i]), s[i+1:]
	}
	return "", s
}

func textHash(v *diff.Version, l saiasat.Lang) saiasat.Hash {
	if d := v.Docs[l]; d != nil {
		if h, err := canon.TextHash(d.Source); err == nil {
			return h
		}
	}
	return ""
}

// metaLine words a changed policy.yaml field: "Басылым: 1 → 2".
func metaLine(loc *Localizer, m diff.MetaChange) (string, error) {
	name, err := loc.T("Meta_"+m.Field, nil)
	if err != nil {
		return "", err
	}
	if m.Lang != "" {
		name += " (" + string(m.Lang) + ")"
	}
	from, to := m.From, m.To
	if m.Field == "effective" {
		from, to = localDate(loc, from), localDate(loc, to)
	}
	return fmt.Sprintf("%s: %s → %s", name, orDash(from), orDash(to)), nil
}

func localDate(loc *Localizer, s string) string {
	t, err := time.Parse(saiasat.DateLayout, s)
	if err != nil {
		return s
	}
	return strings.ReplaceAll(FormatDate(loc.lang, t), " ", "\u00a0") // a date is never cut by a line end
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// SummaryLines words a summary in loc's language with correct plural forms,
// leaving out kinds that did not occur (unchanged clauses are always said).
func SummaryLines(loc *Localizer, s diff.Summary) ([]string, error) {
	var out []string
	for _, x := range []struct {
		n  int
		id string
	}{{s.Added, "ClausesAdded"}, {s.Removed, "ClausesRemoved"}, {s.Modified, "ClausesModified"}, {s.FixOnly, "ClausesFixOnly"},
		{s.Renumbered, "ClausesRenumbered"}, {s.Moved, "ClausesMoved"}, {s.Unchanged, "ClausesUnchanged"},
		{s.Headings, "HeadingsChanged"}, {s.Text, "TextChanged"}, {s.Metadata, "MetadataChanged"}} {
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
