package check

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/saiasat/saiasat"
)

// Formats of findings output.
const (
	FormatText   = "text"
	FormatJSON   = "json"
	FormatGitHub = "github"
)

// jsonFinding is the JSON shape of a finding (docs/format.md).
type jsonFinding struct {
	File     string  `json:"file"`
	Line     int     `json:"line"`
	Col      int     `json:"col"`
	Severity string  `json:"severity"`
	Rule     string  `json:"rule"`
	Message  string  `json:"message"`
	Fix      *string `json:"fix,omitempty"`
	// Accepted and Reason: the finding is accepted in policy.yaml, so it
	// blocks nothing, and why.
	Accepted bool   `json:"accepted,omitempty"`
	Reason   string `json:"reason,omitempty"`
}

// Write prints findings to w in format: "text" (file:line:col: severity:
// message [rule]), "json" (one array) or "github" (workflow annotations).
// Accepted findings are listed too, marked as accepted with their reason.
func Write(w io.Writer, format string, fs []saiasat.Finding) error {
	switch format {
	case FormatJSON:
		out := make([]jsonFinding, 0, len(fs))
		for _, f := range fs {
			j := jsonFinding{File: f.Pos.File, Line: f.Pos.Line, Col: f.Pos.Col, Severity: f.Severity.String(), Rule: f.Rule, Message: f.Message}
			if f.Fix != nil {
				j.Fix = &f.Fix.Text
			}
			j.Accepted, j.Reason = f.Accepted != "", f.Accepted
			out = append(out, j)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	case FormatGitHub:
		for _, f := range fs {
			level, msg := f.Severity.String(), f.Message
			if f.Accepted != "" {
				level, msg = "notice", "accepted: "+msg+" (reason: "+f.Accepted+")"
			}
			if _, err := fmt.Fprintf(w, "::%s file=%s,line=%d,col=%d,title=%s::%s\n", level,
				ghProperty(f.Pos.File), f.Pos.Line, f.Pos.Col, ghProperty(f.Rule), ghData(msg)); err != nil {
				return err
			}
		}
		return nil
	case FormatText, "":
		for _, f := range fs {
			line := f.String()
			if f.Accepted != "" {
				line = fmt.Sprintf("%s: accepted %s: %s [%s] (reason: %s)", f.Pos, f.Severity, f.Message, f.Rule, f.Accepted)
			}
			if _, err := fmt.Fprintln(w, line); err != nil {
				return err
			}
		}
		return nil
	}
	return fmt.Errorf("unknown format %q (want text, json or github)", format)
}

// GitHub workflow commands escape these characters in data and properties.
var (
	ghDataEscaper     = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")
	ghPropertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")
)

func ghData(s string) string     { return ghDataEscaper.Replace(s) }
func ghProperty(s string) string { return ghPropertyEscaper.Replace(s) }
