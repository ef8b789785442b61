// Package docx reads and writes Word documents (WordprocessingML, .docx)
// for the legal team's desk: Import turns a .docx into the source format,
// rebuilding automatic numbering from numbering.xml as a reader of the
// document sees it; Export writes a policy text as a .docx with automatic
// numbering; Redline writes a comparison as tracked changes. Only
// archive/zip and encoding/xml are used: a .docx is a zip of XML parts.
package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
)

// The WordprocessingML namespace; element names are matched by it.
const nsW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"

// run is a stretch of text with the formatting Import cares about.
type run struct {
	text                              string
	bold, italic, underline, strike   bool
	superscript, footnote, hiddenText bool
}

// para is one paragraph of the body, a table cell, a footnote or a header.
type para struct {
	n       int // 1-based ordinal among the body's paragraphs
	style   string
	numID   int // -1 when the paragraph names no numbering itself
	ilvl    int // -1 when not given
	jc      string
	outline int // -1 when none
	runs    []run
	// label is the automatic number as displayed ("3.12.1."), set by the
	// numbering pass; bullet says its format is a bullet glyph.
	label     string
	bullet    bool
	numKey    string
	numLevel  int
	numbered  bool
	formatted map[string]bool // formatting dropped: italic, underline, strike
}

// text returns the paragraph's plain text.
func (p *para) text() string {
	var b strings.Builder
	for _, r := range p.runs {
		b.WriteString(r.text)
	}
	return b.String()
}

// table is a table of the body: rows of cells, each cell's paragraphs.
type table struct {
	n    int // ordinal of its first paragraph
	rows [][][]*para
}

// item is a paragraph or a table of the body, in document order.
type item struct {
	p *para
	t *table
}

// tracked is a revision still in the file.
type tracked struct {
	elem string
	para int
}

// pkg is a .docx as Import reads it.
type pkg struct {
	body      []item
	footnotes map[string][]*para
	styles    *styles
	numbering *numbering
	tracked   []tracked
	// furniture are the parts not imported (headers, footers, comments):
	// part name and its text.
	furniture [][2]string
	paras     int
}

// openPackage reads the parts of a .docx that Import uses.
func openPackage(data []byte) (*pkg, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("not a .docx (zip): %w", err)
	}
	parts := make(map[string]*zip.File)
	for _, f := range zr.File {
		parts[strings.TrimPrefix(f.Name, "/")] = f
	}
	read := func(name string) ([]byte, error) {
		f, ok := parts[name]
		if !ok {
			return nil, nil
		}
		rc, err := f.Open()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		defer rc.Close()
		// A part over 256 MiB is not a policy; the limit keeps a zip bomb out.
		b, err := io.ReadAll(io.LimitReader(rc, 256<<20))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return b, nil
	}
	doc, err := read("word/document.xml")
	if err != nil {
		return nil, err
	}
	if doc == nil {
		return nil, fmt.Errorf("not a Word document: no word/document.xml in it")
	}
	p := &pkg{footnotes: make(map[string][]*para)}
	if b, err := read("word/styles.xml"); err != nil {
		return nil, err
	} else if p.styles, err = parseStyles(b); err != nil {
		return nil, fmt.Errorf("word/styles.xml: %w", err)
	}
	if b, err := read("word/numbering.xml"); err != nil {
		return nil, err
	} else if p.numbering, err = parseNumbering(b); err != nil {
		return nil, fmt.Errorf("word/numbering.xml: %w", err)
	}
	pr := &partReader{pkg: p, body: true}
	if err := pr.read(doc); err != nil {
		return nil, fmt.Errorf("word/document.xml: %w", err)
	}
	p.body, p.paras = pr.items, pr.count
	if b, err := read("word/footnotes.xml"); err != nil {
		return nil, err
	} else if b != nil {
		fr := &partReader{pkg: p, notes: p.footnotes}
		if err := fr.read(b); err != nil {
			return nil, fmt.Errorf("word/footnotes.xml: %w", err)
		}
	}
	var names []string
	for name := range parts {
		base := strings.TrimPrefix(name, "word/")
		if base != name && !strings.Contains(base, "/") && strings.HasSuffix(base, ".xml") &&
			(strings.HasPrefix(base, "header") || strings.HasPrefix(base, "footer") || strings.HasPrefix(base, "comments") || base == "endnotes.xml") {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	for _, name := range names {
		b, err := read(name)
		if err != nil {
			return nil, err
		}
		fr := &partReader{pkg: &pkg{styles: p.styles}}
		if err := fr.read(b); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		var texts []string
		for _, it := range fr.items {
			if it.p != nil {
				if t := strings.TrimSpace(it.p.text()); t != "" {
					texts = append(texts, t)
				}
			}
		}
		if len(texts) > 0 {
			p.furniture = append(p.furniture, [2]string{name, strings.Join(texts, " / ")})
		}
	}
	return p, nil
}

// partReader walks one XML part (the body, footnotes, a header) and
// collects its paragraphs and tables.
type partReader struct {
	*pkg
	body  bool
	notes map[string][]*para
	items []item
	count int
}

func attr(se xml.StartElement, name string) (string, bool) {
	for _, a := range se.Attr {
		if a.Name.Local == name && (a.Name.Space == nsW || a.Name.Space == "") {
			return a.Value, true
		}
	}
	return "", false
}

// on reports whether a toggle property (w:b, w:i, w:strike) is on: present
// with no value, or a value other than false/0/off.
func on(se xml.StartElement) bool {
	v, ok := attr(se, "val")
	return !ok || (v != "0" && v != "false" && v != "off" && v != "none")
}

func atoi(s string, def int) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil {
		return def
	}
	return n
}

// trackedElems are the revision marks Import refuses.
var trackedElems = map[string]bool{
	"ins": true, "del": true, "moveFrom": true, "moveTo": true, "rPrChange": true, "pPrChange": true,
	"sectPrChange": true, "tblPrChange": true, "trPrChange": true, "tcPrChange": true, "numberingChange": true,
	"cellIns": true, "cellDel": true, "cellMerge": true, "tblGridChange": true,
}

func (r *partReader) read(data []byte) error {
	dec := xml.NewDecoder(bytes.NewReader(data))
	var (
		paras   []*para  // open paragraphs (a text box nests one in another)
		tables  []*table // open tables
		cur     *run
		inRPr   bool
		inPPr   bool
		skip    int // depth inside a skipped subtree (mc:Fallback, w:instrText)
		depth   int
		noteID  string
		inNote  bool
		stack   []string
		footRef bool
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			stack = append(stack, t.Name.Local)
			if skip > 0 {
				skip++
				continue
			}
			if t.Name.Space != nsW {
				if t.Name.Local == "Fallback" {
					skip = 1
				}
				continue
			}
			local := t.Name.Local
			if trackedElems[local] {
				n := 0
				if len(paras) > 0 {
					n = paras[len(paras)-1].n
				}
				r.pkg.tracked = append(r.pkg.tracked, tracked{local, n})
			}
			switch local {
			case "footnote":
				if ty, _ := attr(t, "type"); ty == "" || ty == "normal" {
					noteID, _ = attr(t, "id")
					inNote = true
				}
			case "p":
				p := &para{numID: -1, ilvl: -1, outline: -1}
				if r.body && len(paras) == 0 {
					r.count++
					p.n = r.count
				} else if len(paras) > 0 {
					p.n = paras[len(paras)-1].n
				}
				paras = append(paras, p)
			case "pPr":
				inPPr = true
			case "rPr":
				inRPr = true
			case "pStyle":
				if inPPr && len(paras) > 0 && !inRPr {
					paras[len(paras)-1].style, _ = attr(t, "val")
				}
			case "numId":
				if inPPr && len(paras) > 0 {
					v, _ := attr(t, "val")
					paras[len(paras)-1].numID = atoi(v, -1)
				}
			case "ilvl":
				if inPPr && len(paras) > 0 {
					v, _ := attr(t, "val")
					paras[len(paras)-1].ilvl = atoi(v, -1)
				}
			case "jc":
				if inPPr && !inRPr && len(paras) > 0 && len(stack) >= 2 && stack[len(stack)-2] == "pPr" {
					paras[len(paras)-1].jc, _ = attr(t, "val")
				}
			case "outlineLvl":
				if inPPr && len(paras) > 0 {
					v, _ := attr(t, "val")
					paras[len(paras)-1].outline = atoi(v, -1)
				}
			case "r":
				cur = &run{}
			case "rStyle":
				if cur != nil && r.styles != nil {
					sv, _ := attr(t, "val")
					if r.styles.bold(sv) {
						cur.bold = true
					}
				}
			case "b":
				if cur != nil && inRPr {
					cur.bold = on(t)
				}
			case "i":
				if cur != nil && inRPr {
					cur.italic = on(t)
				}
			case "u":
				if cur != nil && inRPr {
					cur.underline = on(t)
				}
			case "strike", "dstrike":
				if cur != nil && inRPr {
					cur.strike = on(t)
				}
			case "vanish":
				if cur != nil && inRPr {
					cur.hiddenText = on(t)
				}
			case "vertAlign":
				if cur != nil && inRPr {
					v, _ := attr(t, "val")
					cur.superscript = v == "superscript"
				}
			case "t":
				// text follows as CharData
			case "delText", "instrText", "delInstrText":
				skip = 1
			case "tab", "ptab":
				if cur != nil && !inRPr && !inPPr {
					cur.text += "\t"
				}
			case "br", "cr":
				if cur != nil && !inRPr {
					if ty, _ := attr(t, "type"); ty != "page" && ty != "column" {
						cur.text += "\n"
					}
				}
			case "noBreakHyphen":
				if cur != nil {
					cur.text += "\u2011"
				}
			case "footnoteReference":
				if cur != nil {
					id, _ := attr(t, "id")
					cur.footnote = true
					cur.text += "\x00" + id + "\x00"
				}
			case "footnoteRef":
				footRef = true
			case "tbl":
				tb := &table{}
				if r.body {
					tb.n = r.count + 1
				}
				tables = append(tables, tb)
			case "tr":
				if len(tables) > 0 {
					tb := tables[len(tables)-1]
					tb.rows = append(tb.rows, nil)
				}
			case "tc":
				if len(tables) > 0 {
					tb := tables[len(tables)-1]
					if len(tb.rows) > 0 {
						tb.rows[len(tb.rows)-1] = append(tb.rows[len(tb.rows)-1], nil)
					}
				}
			}
		case xml.EndElement:
			depth--
			stack = stack[:len(stack)-1]
			if skip > 0 {
				skip--
				continue
			}
			if t.Name.Space != nsW {
				continue
			}
			switch t.Name.Local {
			case "pPr":
				inPPr = false
			case "rPr":
				inRPr = false
			case "r":
				if cur != nil && len(paras) > 0 && !footRef {
					p := paras[len(paras)-1]
					p.runs = append(p.runs, *cur)
				}
				cur, footRef = nil, false
			case "p":
				if len(paras) == 0 {
					continue
				}
				p := paras[len(paras)-1]
				paras = paras[:len(paras)-1]
				switch {
				case inNote:
					r.notes[noteID] = append(r.notes[noteID], p)
				case len(tables) > 0:
					tb := tables[len(tables)-1]
					if len(tb.rows) > 0 && len(tb.rows[len(tb.rows)-1]) > 0 {
						row := tb.rows[len(tb.rows)-1]
						row[len(row)-1] = append(row[len(row)-1], p)
					}
				default:
					r.items = append(r.items, item{p: p})
				}
			case "tbl":
				tb := tables[len(tables)-1]
				tables = tables[:len(tables)-1]
				if len(tables) > 0 {
					// A nested table's paragraphs join the outer cell.
					outer := tables[len(tables)-1]
					if len(outer.rows) > 0 && len(outer.rows[len(outer.rows)-1]) > 0 {
						row := outer.rows[len(outer.rows)-1]
						for _, tr := range tb.rows {
							for _, c := range tr {
								row[len(row)-1] = append(row[len(row)-1], c...)
							}
						}
					}
				} else {
					r.items = append(r.items, item{t: tb})
				}
			case "footnote":
				inNote = false
			}
		case xml.CharData:
			if skip > 0 || cur == nil || len(stack) == 0 || stack[len(stack)-1] != "t" {
				continue
			}
			cur.text += string(t)
		}
	}
}
