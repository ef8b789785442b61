package check

import (
	"cmp"
	"slices"

	"github.com/saiasat/saiasat"
	"github.com/saiasat/saiasat/canon"
)

// ApplyFixes returns doc's text with the fixes of findings in doc.File
// applied, and how many were applied. Fix offsets are in the view of the
// source (canon.View), so the result also drops a BOM and CR line ends.
// Overlapping fixes are skipped: the next check reports what is left.
func ApplyFixes(doc *saiasat.Document, findings []saiasat.Finding) ([]byte, int) {
	var fixes []saiasat.Fix
	for _, f := range findings {
		if f.Fix != nil && f.Pos.File == doc.File {
			fixes = append(fixes, *f.Fix)
		}
	}
	slices.SortFunc(fixes, func(a, b saiasat.Fix) int { return cmp.Compare(a.Offset, b.Offset) })
	view := canon.View(doc.Source)
	out := make([]byte, 0, len(view))
	pos, n := 0, 0
	for _, f := range fixes {
		if f.Offset < pos || f.Offset+f.Length > len(view) {
			continue
		}
		out = append(out, view[pos:f.Offset]...)
		out = append(out, f.Text...)
		pos = f.Offset + f.Length
		n++
	}
	out = append(out, view[pos:]...)
	return out, n
}
