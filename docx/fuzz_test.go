package docx

import (
	"testing"
)

// FuzzImport: no document, however broken its XML or numbering, panics
// the import; it imports or fails with an error.
func FuzzImport(f *testing.F) {
	clauses := `<w:abstractNum w:abstractNumId="0">` + lvl(0, 1, "decimal", "%1.", "") + lvl(1, 0, "upperRoman", "%1.%2.%9", `<w:lvlRestart w:val="5"/>`) + `</w:abstractNum>`
	f.Add(p(1, 0, "", "a")+p(1, 1, "", "b")+p(1, 8, "", "c"), clauses+`<w:num w:numId="1"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="12"><w:startOverride w:val="-3"/></w:lvlOverride></w:num>`)
	f.Add(`<w:tbl><w:tr><w:tc><w:tbl><w:tr><w:tc>`+p(1, 0, "", "x")+`</w:tc></w:tr></w:tbl></w:tc></w:tr></w:tbl>`, clauses)
	f.Add(`<w:p><w:r><w:footnoteReference w:id="9"/></w:r></w:p>`, `<w:num w:numId="1"><w:abstractNumId w:val="1"/></w:num>`)
	f.Fuzz(func(t *testing.T, body, numbering string) {
		Import(makeDocx(t, body, numbering, `<w:style w:type="paragraph" w:styleId="S"><w:basedOn w:val="S"/></w:style>`))
	})
}
