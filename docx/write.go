package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"strings"
	"time"

	"github.com/saiasat/saiasat/markdown"
)

// esc escapes text for XML character data and attributes.
func esc(s string) string {
	var b bytes.Buffer
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// rPr is the run formatting the writer uses.
type rPr struct{ bold bool }

// textRun writes one run: its text, keeping spaces (xml:space) and turning
// "\n" into line breaks.
func textRun(b *strings.Builder, t string, f rPr, tag string) {
	if t == "" {
		return
	}
	b.WriteString("<w:r>")
	if f.bold {
		b.WriteString("<w:rPr><w:b/><w:bCs/></w:rPr>")
	}
	for i, line := range strings.Split(t, "\n") {
		if i > 0 {
			b.WriteString("<w:br/>")
		}
		if line != "" {
			fmt.Fprintf(b, `<w:%s xml:space="preserve">%s</w:%s>`, tag, esc(line), tag)
		}
	}
	b.WriteString("</w:r>")
}

// inlineRuns writes text with its **strong** spans bold; a link is kept as
// written ([text](#N)), so that the import gives it back.
func inlineRuns(b *strings.Builder, text, tag string) {
	for _, s := range markdown.Spans(text) {
		t := s.Text
		if s.Link != "" {
			t = "[" + t + "](" + s.Link + ")"
		}
		textRun(b, t, rPr{bold: s.Strong}, tag)
	}
}

// pProps are a paragraph's properties.
type pProps struct {
	style        string
	numID, ilvl  int // numID 0: none
	right        bool
	keepWithNext bool
}

func (p pProps) write(b *strings.Builder) {
	if p.style == "" && p.numID == 0 && !p.right {
		return
	}
	b.WriteString("<w:pPr>")
	if p.style != "" {
		fmt.Fprintf(b, `<w:pStyle w:val="%s"/>`, p.style)
	}
	if p.numID > 0 {
		fmt.Fprintf(b, `<w:numPr><w:ilvl w:val="%d"/><w:numId w:val="%d"/></w:numPr>`, p.ilvl, p.numID)
	}
	if p.right {
		b.WriteString(`<w:jc w:val="right"/>`)
	}
	b.WriteString("</w:pPr>")
}

const wNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

// stylesXML defines the styles the writer uses: Normal, Title, the
// headings (with their outline levels, which the import reads) and a
// table grid.
const stylesXML = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles ` + wNS + `>
<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:cs="Times New Roman"/><w:sz w:val="24"/><w:lang w:val="ru-RU"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="center"/><w:spacing w:after="240"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:jc w:val="center"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:b/><w:sz w:val="28"/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Heading2"><w:name w:val="heading 2"/><w:basedOn w:val="Normal"/><w:pPr><w:keepNext/><w:spacing w:before="240"/><w:jc w:val="center"/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="Header"><w:name w:val="header"/><w:basedOn w:val="Normal"/><w:pPr><w:jc w:val="right"/></w:pPr><w:rPr><w:sz w:val="18"/></w:rPr></w:style>
<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:left w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:right w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="auto"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="auto"/></w:tblBorders></w:tblPr></w:style>
</w:styles>`

// part is one file of the package.
type part struct{ name, body string }

// related is a part the document refers to: its name under word/, the
// relationship type and content type (the last segments of their URIs).
type related struct{ name, rel, content, body string }

// writePackage zips the parts with the content types and relationships a
// word processor needs: the document, styles, numbering and settings,
// a default header when header is not empty, and the core properties
// (the title).
func writePackage(document, numbering, settings, header, title string, extra ...related) ([]byte, error) {
	rels := `<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>` +
		`<Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/>`
	types := `<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>` +
		`<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>` +
		`<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>` +
		`<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>`
	parts := []part{{"word/styles.xml", stylesXML}, {"word/settings.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n<w:settings " + wNS + ">" + settings + "</w:settings>"}}
	if numbering != "" {
		rels += `<Relationship Id="rIdNumbering" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/>`
		types += `<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>`
		parts = append(parts, part{"word/numbering.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n<w:numbering " + wNS + ">" + numbering + "</w:numbering>"})
	}
	for i, x := range extra {
		rels += fmt.Sprintf(`<Relationship Id="rIdX%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/%s" Target="%s"/>`, i, x.rel, x.name)
		types += fmt.Sprintf(`<Override PartName="/word/%s" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.%s"/>`, x.name, x.content)
		parts = append(parts, part{"word/" + x.name, x.body})
	}
	sect := `<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="850" w:bottom="1134" w:left="1701" w:header="567" w:footer="567" w:gutter="0"/></w:sectPr>`
	if header != "" {
		rels += `<Relationship Id="rIdHeader" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/header" Target="header1.xml"/>`
		types += `<Override PartName="/word/header1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml"/>`
		var h strings.Builder
		h.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n<w:hdr " + wNS + ">")
		for _, l := range strings.Split(header, "\n") {
			h.WriteString(`<w:p><w:pPr><w:pStyle w:val="Header"/></w:pPr>`)
			textRun(&h, l, rPr{}, "t")
			h.WriteString("</w:p>")
		}
		h.WriteString("</w:hdr>")
		parts = append(parts, part{"word/header1.xml", h.String()})
		sect = strings.Replace(sect, "<w:sectPr>", `<w:sectPr><w:headerReference w:type="default" r:id="rIdHeader"/>`, 1)
	}
	doc := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n<w:document " + wNS + "><w:body>" + document + sect + "</w:body></w:document>"
	parts = append([]part{
		{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
			`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>` + types + `</Types>`},
		{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`},
		{"word/_rels/document.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` + rels + `</Relationships>`},
		{"word/document.xml", doc},
		{"docProps/core.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
			`<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>` + esc(title) + `</dc:title><dc:creator>saiasat</dc:creator></cp:coreProperties>`},
	}, parts...)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	// A fixed time: the same input gives the same bytes.
	stamp := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, p := range parts {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: p.name, Method: zip.Deflate, Modified: stamp})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write([]byte(p.body)); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
