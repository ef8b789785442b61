package docx

import (
	"archive/zip"
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/saiasat/saiasat"
)

// makeDocx zips a minimal .docx from its parts' inner XML.
func makeDocx(t testing.TB, body, numbering, styles string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, content string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(content))
	}
	add("word/document.xml", `<?xml version="1.0"?><w:document `+wNS+`><w:body>`+body+`</w:body></w:document>`)
	if numbering != "" {
		add("word/numbering.xml", `<?xml version="1.0"?><w:numbering `+wNS+`>`+numbering+`</w:numbering>`)
	}
	if styles != "" {
		add("word/styles.xml", `<?xml version="1.0"?><w:styles `+wNS+`>`+styles+`</w:styles>`)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// p is a paragraph numbered by numId/ilvl (numID 0: none) or styled.
func p(numID, ilvl int, style, text string) string {
	var pr string
	if style != "" {
		pr += `<w:pStyle w:val="` + style + `"/>`
	}
	if numID > 0 {
		pr += fmt.Sprintf(`<w:numPr><w:ilvl w:val="%d"/><w:numId w:val="%d"/></w:numPr>`, ilvl, numID)
	}
	return `<w:p><w:pPr>` + pr + `</w:pPr><w:r><w:t>` + text + `</w:t></w:r></w:p>`
}

// lvl is one w:lvl; extra goes inside it (w:isLgl, w:lvlRestart, w:pStyle).
func lvl(i, start int, format, text, extra string) string {
	return fmt.Sprintf(`<w:lvl w:ilvl="%d"><w:start w:val="%d"/><w:numFmt w:val="%s"/><w:lvlText w:val="%s"/>%s</w:lvl>`, i, start, format, text, extra)
}

// TestNumbering rebuilds the numbers a reader of the document sees from
// numbering.xml in the cases Word documents use.
func TestNumbering(t *testing.T) {
	clauses := `<w:abstractNum w:abstractNumId="0">` + lvl(0, 1, "decimal", "%1.", "") + lvl(1, 1, "decimal", "%1.%2.", "") + lvl(2, 1, "decimal", "%1.%2.%3.", "") + `</w:abstractNum>`
	for _, tc := range []struct {
		name, body, numbering, styles, want string
	}{
		{"multi-level, restarting per section",
			p(0, 0, "", "x") + p(1, 1, "", "a") + p(1, 1, "", "b") + p(1, 2, "", "c") + p(1, 0, "", "Second") + p(1, 1, "", "d") + p(1, 2, "", "e"),
			clauses + `<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>`, "",
			"x\n\n1.1. a\n\n1.2. b\n\n1.2.1. c\n\n## 2. Second\n\n2.1. d\n\n2.1.1. e\n"},
		{"start 3 and a startOverride restarting level 2 at 12",
			p(1, 1, "", "a") + p(2, 1, "", "b") + p(2, 2, "", "c"),
			`<w:abstractNum w:abstractNumId="0">` + lvl(0, 3, "decimal", "%1.", "") + lvl(1, 1, "decimal", "%1.%2.", "") + lvl(2, 1, "decimal", "%1.%2.%3.", "") + `</w:abstractNum>` +
				`<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="1"><w:startOverride w:val="12"/></w:lvlOverride></w:num>`, "",
			"3.1. a\n\n3.12. b\n\n3.12.1. c\n"},
		{"isLgl shows a Roman chapter in decimal",
			p(1, 0, "", "Chapter") + p(1, 1, "", "a"),
			`<w:abstractNum w:abstractNumId="0">` + lvl(0, 2, "upperRoman", "%1.", "") + lvl(1, 1, "decimal", "%1.%2.", "<w:isLgl/>") + `</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>`, "",
			"## II. Chapter\n\n2.1. a\n"},
		{"lvlRestart 0: level 2 never restarts",
			p(1, 0, "", "One") + p(1, 1, "", "a") + p(1, 0, "", "Two") + p(1, 1, "", "b"),
			`<w:abstractNum w:abstractNumId="0">` + lvl(0, 1, "decimal", "%1.", "") + lvl(1, 1, "decimal", "%1.%2.", `<w:lvlRestart w:val="0"/>`) + `</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>`, "",
			"## 1. One\n\n1.1. a\n\n## 2. Two\n\n2.2. b\n"},
		{"letters: russianLower and lowerLetter items, restarting per clause",
			p(1, 0, "", "S") + p(1, 1, "", "a:") + p(1, 2, "", "один;") + p(1, 2, "", "два.") + p(1, 1, "", "b:") + p(1, 2, "", "три."),
			`<w:abstractNum w:abstractNumId="0">` + lvl(0, 1, "decimal", "%1.", "") + lvl(1, 1, "decimal", "%1.%2.", "") + lvl(2, 1, "russianLower", "%3)", "") + `</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>`, "",
			"## 1. S\n\n1.1. a:\nа) один;\nб) два.\n\n1.2. b:\nа) три.\n"},
		{"numbering carried by styles (w:pStyle → numPr; the level from the abstract's w:pStyle)",
			p(0, 0, "H1", "Общие") + p(0, 0, "Clause", "a") + p(0, 0, "Clause", "b"),
			`<w:abstractNum w:abstractNumId="7">` + lvl(0, 1, "decimal", "%1.", `<w:pStyle w:val="H1"/>`) + lvl(1, 1, "decimal", "%1.%2.", `<w:pStyle w:val="Clause"/>`) + `</w:abstractNum><w:num w:numId="4"><w:abstractNumId w:val="7"/></w:num>`,
			`<w:style w:type="paragraph" w:styleId="H1"><w:name w:val="heading 1"/><w:pPr><w:numPr><w:numId w:val="4"/></w:numPr></w:pPr></w:style>` +
				`<w:style w:type="paragraph" w:styleId="Base"><w:name w:val="Base"/><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="4"/></w:numPr></w:pPr></w:style>` +
				`<w:style w:type="paragraph" w:styleId="Clause"><w:name w:val="Clause"/><w:basedOn w:val="Base"/></w:style>`,
			"## 1. Общие\n\n1.1. a\n\n1.2. b\n"},
		{"a lvlOverride/w:lvl changes the look, not the count; upperLetter and lowerRoman",
			p(1, 0, "", "x") + p(2, 0, "", "y") + p(3, 0, "", "z"),
			`<w:abstractNum w:abstractNumId="0">` + lvl(0, 1, "upperLetter", "%1)", "") + `</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>` +
				`<w:num w:numId="2"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0">` + lvl(0, 1, "lowerRoman", "%1)", "") + `</w:lvlOverride></w:num>` +
				`<w:num w:numId="3"><w:abstractNumId w:val="0"/></w:num>`, "",
			"A) x\nii) y\nC) z\n"},
		{"flat numbering: one list of 1. 2. 3. is clauses; a list of 1. inside one of them is its items",
			p(1, 0, "", "a:") + p(2, 0, "", "x;") + p(2, 0, "", "y.") + p(1, 0, "", "b") + p(1, 0, "", "c"),
			`<w:abstractNum w:abstractNumId="0">` + lvl(0, 1, "decimal", "%1.", "") + `</w:abstractNum><w:abstractNum w:abstractNumId="1">` + lvl(0, 1, "decimal", "%1.", "") + `</w:abstractNum>` +
				`<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num><w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>`, "",
			"1. a:\n1. x;\n2. y.\n\n2. b\n\n3. c\n"},
		{"chapters numbered Глава %1. are headings; isLgl in the clauses below",
			p(1, 0, "", "Общие положения") + p(1, 1, "", "a") + p(1, 0, "", "Права") + p(1, 1, "", "b"),
			`<w:abstractNum w:abstractNumId="0">` + lvl(0, 1, "decimal", "Глава %1.", "") + lvl(1, 1, "decimal", "%1.%2.", "<w:isLgl/>") + `</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>`, "",
			"## Глава 1. Общие положения\n\n1.1. a\n\n## Глава 2. Права\n\n2.1. b\n"},
		{"bullets keep a glyph of the format; Word's Symbol bullet becomes •",
			p(1, 0, "", "a") + p(1, 1, "", "b"),
			`<w:abstractNum w:abstractNumId="0">` + lvl(0, 1, "bullet", "\uf0b7", "") + lvl(1, 1, "bullet", "–", "") + `</w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>`, "",
			"• a\n   – b\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Import(makeDocx(t, tc.body, tc.numbering, tc.styles))
			if err != nil {
				t.Fatal(err)
			}
			if string(res.Text) != tc.want {
				t.Errorf("got\n%s\nwant\n%s", res.Text, tc.want)
			}
		})
	}
}

// TestImportRefusesTrackedChanges: a document with revisions still in it
// gives no text, and findings naming each kind of revision.
func TestImportRefusesTrackedChanges(t *testing.T) {
	body := `<w:p><w:r><w:t>a </w:t></w:r><w:ins w:id="1" w:author="x" w:date="2026-01-01T00:00:00Z"><w:r><w:t>b</w:t></w:r></w:ins>` +
		`<w:del w:id="2" w:author="x"><w:r><w:delText>c</w:delText></w:r></w:del><w:del w:id="3" w:author="x"><w:r><w:delText>d</w:delText></w:r></w:del></w:p>` +
		`<w:p><w:moveFrom w:id="4" w:author="x"><w:r><w:t>e</w:t></w:r></w:moveFrom></w:p>`
	res, err := Import(makeDocx(t, body, "", ""))
	if err != nil {
		t.Fatal(err)
	}
	if res.Text != nil {
		t.Errorf("text written despite tracked changes: %q", res.Text)
	}
	var got []string
	for _, f := range res.Findings("a.docx") {
		got = append(got, f.String())
	}
	want := []string{
		`a.docx:1:1: error: tracked change still in the file (accept or reject all changes in Word first): "w:ins ×1" [import/tracked-change]`,
		`a.docx:1:1: error: tracked change still in the file (accept or reject all changes in Word first): "w:del ×2" [import/tracked-change]`,
		`a.docx:2:1: error: tracked change still in the file (accept or reject all changes in Word first): "w:moveFrom ×1" [import/tracked-change]`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestImportBadFiles: a file that is not a .docx is one clear error.
func TestImportBadFiles(t *testing.T) {
	for name, data := range map[string][]byte{
		"not a zip":          []byte("hello"),
		"zip without a body": makeZip(t, "a.txt", "x"),
		"broken XML":         makeZip(t, "word/document.xml", "<w:document><w:body>"),
	} {
		if _, err := Import(data); err == nil {
			t.Errorf("%s: imported", name)
		}
	}
}

func makeZip(t testing.TB, name, content string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create(name)
	w.Write([]byte(content))
	zw.Close()
	return buf.Bytes()
}

// TestImportReports: what the import leaves out is reported, one finding
// each, in check's shape: the Title paragraph (proposed for policy.yaml),
// hidden text, italics, underline and strikethrough, a header, a footer,
// comments and a footnote nothing refers to.
func TestImportReports(t *testing.T) {
	run := func(props, text string) string {
		return `<w:r><w:rPr>` + props + `</w:rPr><w:t xml:space="preserve">` + text + `</w:t></w:r>`
	}
	body := `<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr>` + run("", "Политика") + `</w:p>` +
		`<w:p>` + run("", "1.1. Текст ") + run("<w:i/>", "курсивом") + run("<w:vanish/>", "скрыто") + `</w:p>` +
		`<w:p>` + run("", "1.2. Слово ") + run("<w:strike/>", "зачёркнуто") + run(`<w:u w:val="single"/>`, " подчёркнуто") + run(`<w:b/>`, " жирно") + `</w:p>`
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range map[string]string{
		"word/document.xml": `<w:document ` + wNS + `><w:body>` + body + `</w:body></w:document>`,
		"word/styles.xml":   `<w:styles ` + wNS + `><w:style w:type="paragraph" w:styleId="Title"><w:name w:val="Title"/></w:style></w:styles>`,
		"word/header1.xml":  `<w:hdr ` + wNS + `><w:p>` + run("", "Страница 1 из 3") + `</w:p></w:hdr>`,
		"word/footer2.xml":  `<w:ftr ` + wNS + `><w:p>` + run("", "ТОО «Пример»") + `</w:p></w:ftr>`,
		"word/comments.xml": `<w:comments ` + wNS + `><w:comment w:id="0"><w:p>` + run("", "Проверить срок") + `</w:p></w:comment></w:comments>`,
		"word/footnotes.xml": `<w:footnotes ` + wNS + `><w:footnote w:type="separator" w:id="-1"><w:p>` + run("", "—") + `</w:p></w:footnote>` +
			`<w:footnote w:id="4"><w:p>` + run("", "Забытая сноска") + `</w:p></w:footnote></w:footnotes>`,
	} {
		w, _ := zw.Create(name)
		w.Write([]byte(content))
	}
	zw.Close()
	res, err := Import(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if want := "1.1. Текст курсивом\n\n1.2. Слово зачёркнуто подчёркнуто **жирно**\n"; string(res.Text) != want {
		t.Errorf("text\n%s\nwant\n%s", res.Text, want)
	}
	var got []string
	fs := res.Findings("a.docx")
	saiasat.SortFindings(fs)
	for _, f := range fs {
		got = append(got, f.String())
	}
	want := []string{
		`a.docx: warning: dropped comments (word/comments.xml) "Проверить срок" [import/dropped]`,
		`a.docx: warning: dropped footer (word/footer2.xml) "ТОО «Пример»" [import/dropped]`,
		`a.docx: warning: dropped footnote 4 no paragraph refers to "Забытая сноска" [import/dropped]`,
		`a.docx: warning: dropped header (word/header1.xml) "Страница 1 из 3" [import/dropped]`,
		`a.docx:1:1: warning: dropped title paragraph, proposed for policy.yaml: "Политика" [import/dropped]`,
		`a.docx:2:1: warning: dropped hidden text "скрыто" [import/dropped]`,
		`a.docx:2:1: warning: dropped italics in "1.1. Текст курсивом" [import/formatting]`,
		`a.docx:3:1: warning: dropped strikethrough, underline in "1.2. Слово зачёркнуто подчёркнуто жирно" [import/formatting]`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
