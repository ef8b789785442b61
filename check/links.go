package check

import (
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

// hasAnchor reports whether the text has the numbered section or clause
// that "#frag" names: a block of that ID.
func (r *reporter) hasAnchor(frag string) bool {
	found := false
	saiasat.WalkBlocks(r.doc.Blocks, func(b *saiasat.Block) bool {
		if (b.Kind == saiasat.KindSection || b.Kind == saiasat.KindClause) && len(b.Number) > 0 && b.ID == frag {
			found = true
		}
		return !found
	})
	return found
}
