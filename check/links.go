package check

import (
	"strconv"
	"strings"

	"github.com/saiasat/saiasat"
)

// links reports link/broken: a link to "#3.12.1" (a clause) or "#3" (a
// section) that the document does not have.
func (r *reporter) links() {
	for _, l := range r.doc.Links {
		frag, ok := strings.CutPrefix(l.Dest, "#")
		if !ok {
			continue
		}
		if !r.hasAnchor(frag) {
			r.add(l.Pos, saiasat.Error, "link/broken", nil, "link to #%s: no clause or section %s in this text", frag, frag)
		}
	}
}

func (r *reporter) hasAnchor(frag string) bool {
	if n, err := strconv.Atoi(frag); err == nil {
		for _, s := range r.doc.Sections {
			if s.Number == n {
				return true
			}
		}
		return false
	}
	n, err := saiasat.ParseNumber(frag)
	return err == nil && len(n) > 1 && r.doc.Clause(n) != nil
}
