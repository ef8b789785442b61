package saiasat

import (
	"cmp"
	"fmt"
	"slices"
)

// Severity says whether a finding blocks a release (Error) or asks for a
// human look (Warning).
type Severity int

// Severities, in increasing order of weight.
const (
	Warning Severity = iota + 1
	Error
)

// String returns "warning" or "error", the words used in every output format.
func (s Severity) String() string {
	switch s {
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// Finding is one problem in a source file, at a position, under a rule id
// such as "numbering/gap".
type Finding struct {
	Pos      Pos
	Severity Severity
	Rule     string
	Message  string
	// Fix, when not nil, mends the finding by replacing a byte span of the
	// file.
	Fix *Fix
	// Accepted is the reason the finding was accepted (policy.yaml's
	// accept list), or "": an accepted finding is listed but blocks
	// nothing.
	Accepted string
}

// Open returns the findings of fs that are not accepted: those that make
// check exit 1 and block a release.
func Open(fs []Finding) []Finding {
	var out []Finding
	for _, f := range fs {
		if f.Accepted == "" {
			out = append(out, f)
		}
	}
	return out
}

// Fix replaces Length bytes at byte Offset of a file with Text.
type Fix struct {
	Offset int
	Length int
	Text   string
}

// String formats f as "file:line:col: severity: message [rule]".
func (f Finding) String() string {
	return fmt.Sprintf("%s: %s: %s [%s]", f.Pos, f.Severity, f.Message, f.Rule)
}

// SortFindings orders findings by file, line, column, then rule, so output is
// stable whatever order the rules ran in.
func SortFindings(fs []Finding) {
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			cmp.Compare(a.Pos.File, b.Pos.File),
			cmp.Compare(a.Pos.Line, b.Pos.Line),
			cmp.Compare(a.Pos.Col, b.Pos.Col),
			cmp.Compare(a.Rule, b.Rule),
			cmp.Compare(a.Message, b.Message),
		)
	})
}
