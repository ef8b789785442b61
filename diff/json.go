package diff

import (
	"encoding/json"
	"io"
	"math"

	"github.com/saiasat/saiasat"
)

// The JSON document of `saiasat diff --format json` (docs/diff.md).
type jsonResult struct {
	From      jsonSide                `json:"from"`
	To        jsonSide                `json:"to"`
	Languages map[saiasat.Lang]jsonLD `json:"languages"`
	Drift     []jsonDrift             `json:"drift"`
	Metadata  []jsonMeta              `json:"metadata"`
	Summary   Summary                 `json:"summary"`
}

type jsonMeta struct {
	Field string       `json:"field"`
	Lang  saiasat.Lang `json:"lang,omitempty"`
	From  string       `json:"from"`
	To    string       `json:"to"`
}

type jsonRenumbering struct {
	From *string `json:"from"`
	To   *string `json:"to"`
	Kind Kind    `json:"kind"`
}

type jsonSide struct {
	Edition *int         `json:"edition"`
	Version saiasat.Hash `json:"version"`
	Label   string       `json:"label"`
}

type jsonLD struct {
	Changes     []jsonChange      `json:"changes"`
	Concordance []jsonRenumbering `json:"concordance"`
	Summary     Summary           `json:"summary"`
}

type jsonChange struct {
	Kind           Kind     `json:"kind"`
	Block          Block    `json:"block,omitempty"`
	From           *string  `json:"from"`
	To             *string  `json:"to"`
	FromID         string   `json:"from_id,omitempty"`
	ToID           string   `json:"to_id,omitempty"`
	FromLabel      *string  `json:"from_label,omitempty"`
	ToLabel        *string  `json:"to_label,omitempty"`
	FromLine       int      `json:"from_line,omitempty"`
	ToLine         int      `json:"to_line,omitempty"`
	AlsoRenumbered bool     `json:"renumbered,omitempty"`
	AlsoMoved      bool     `json:"moved,omitempty"`
	Similarity     *float64 `json:"similarity,omitempty"`
	Ops            []Op     `json:"ops,omitempty"`
	Fixes          []Fix    `json:"fixes,omitempty"`
	FixOnly        bool     `json:"fix_only,omitempty"`
	SplitFrom      *string  `json:"split_from,omitempty"`
	MergedInto     *string  `json:"merged_into,omitempty"`
}

type jsonDrift struct {
	Clause    string         `json:"clause"`
	Changed   []saiasat.Lang `json:"changed"`
	Unchanged []saiasat.Lang `json:"unchanged"`
}

func numPtr(n saiasat.Number) *string {
	if n == nil {
		return nil
	}
	s := n.String()
	return &s
}

// idUnlessNumber is a block's ID, or "" when it is its number as From or
// To already says.
func idUnlessNumber(id string, n saiasat.Number) string {
	if n != nil && n.String() == id {
		return ""
	}
	return id
}

func sideJSON(v *Version) jsonSide {
	s := jsonSide{Version: v.Version, Label: v.Label}
	if v.Edition > 0 {
		e := v.Edition
		s.Edition = &e
	}
	return s
}

// JSON returns the comparison as its JSON document; unchanged clauses are
// left out unless all is set.
func (r *Result) JSON(all bool) any {
	out := jsonResult{From: sideJSON(r.From), To: sideJSON(r.To), Languages: make(map[saiasat.Lang]jsonLD), Drift: []jsonDrift{}, Metadata: []jsonMeta{}, Summary: r.Summary}
	for _, m := range r.Metadata {
		out.Metadata = append(out.Metadata, jsonMeta(m))
	}
	for _, ld := range r.Languages {
		j := jsonLD{Changes: []jsonChange{}, Concordance: []jsonRenumbering{}, Summary: ld.Summary}
		for _, c := range ld.Changes {
			if c.Kind == Unchanged && !all {
				continue
			}
			jc := jsonChange{Kind: c.Kind, From: numPtr(c.From), To: numPtr(c.To), FromLine: c.FromLine, ToLine: c.ToLine,
				AlsoRenumbered: c.AlsoRenumbered, AlsoMoved: c.AlsoMoved, Ops: c.Ops, Fixes: c.Fixes, FixOnly: c.FixOnly,
				SplitFrom: numPtr(c.SplitFrom), MergedInto: numPtr(c.MergedInto)}
			if c.Block != BlockClause {
				jc.Block = c.Block
				// A clause's ID is its number; other blocks are named by
				// theirs, as the redline aligns them across languages (a
				// numbered heading's ID is its number, said once).
				jc.FromID, jc.ToID = idUnlessNumber(c.FromID, c.From), idUnlessNumber(c.ToID, c.To)
			} else {
				if c.FromLine > 0 {
					jc.FromLabel = &c.FromLabel
				}
				if c.ToLine > 0 {
					jc.ToLabel = &c.ToLabel
				}
			}
			if c.Paired() {
				s := math.Round(c.Similarity*1000) / 1000
				if s == 1 && c.Ops != nil {
					s = 0.999 // changed text never reads as identical
				}
				jc.Similarity = &s
			}
			j.Changes = append(j.Changes, jc)
		}
		for _, n := range ld.Concordance {
			j.Concordance = append(j.Concordance, jsonRenumbering{From: numPtr(n.From), To: numPtr(n.To), Kind: n.Kind})
		}
		out.Languages[ld.Lang] = j
	}
	for _, d := range r.Drift {
		out.Drift = append(out.Drift, jsonDrift(d))
	}
	return out
}

// WriteJSON writes the JSON document, indented, to w.
func (r *Result) WriteJSON(w io.Writer, all bool) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(r.JSON(all))
}
