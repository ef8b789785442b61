// Package blocktest builds the tree of blocks of a small text by hand, the
// way FORMAT-V2 defines it, for the tests of the stages that walk the tree
// (diff, render, site) while they are written apart from the parser. It
// knows only the plain shapes its tests use.
package blocktest

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/saiasat/saiasat"
)

var (
	chapterRe = regexp.MustCompile(`^## (Глава \d+\.?|Раздел [IVX]+\.?|\d+-тарау\.?|[IVX]+\.)`)
	sectionRe = regexp.MustCompile(`^## (\d+)\.`)
	clauseRe  = regexp.MustCompile(`^(\d+(?:\.\d+)+\.?|\d+\.) `)
	itemRe    = regexp.MustCompile(`^( *)(\d+\)|[а-яәғқңөұүһі]\)|[a-z]\)) `)
	bulletRe  = regexp.MustCompile(`^( *)([-•▪–—●◦·]) `)
	fnRe      = regexp.MustCompile(`^([¹²³⁴⁵⁶⁷⁸⁹⁰]+|\*{1,3}) `)
)

// Doc returns src as a Document whose Blocks are built by hand. Lines:
// "# " title lines; "::: approval" / "::: signature" … ":::"; "## Глава N",
// "## I." chapters; "## N. Title" and "## Title" sections; "N.M. " clauses
// (or "N. " when flat); items "1)", "а)", "a)" and bullets, nested by two
// more spaces; "|" tables; footnotes "¹ ", "* "; anything else a paragraph,
// each blank-line-separated run one.
func Doc(lang saiasat.Lang, src string, flat bool) *saiasat.Document {
	d := &saiasat.Document{Lang: lang, File: string(lang) + ".md", Source: []byte(src)}
	lines := strings.Split(strings.TrimSuffix(src, "\n"), "\n")
	var chapter, section, clause *saiasat.Block
	var list []*saiasat.Block // open items/bullets by depth
	var listIndent []int
	counts := map[string]int{}
	child := func(parent *saiasat.Block, k saiasat.Kind) string {
		pid := ""
		if parent != nil {
			pid = parent.ID
		}
		key := pid + "/" + k.String()
		counts[key]++
		return saiasat.ChildID(pid, k, counts[key])
	}
	add := func(parent *saiasat.Block, b *saiasat.Block) {
		if parent == nil {
			d.Blocks = append(d.Blocks, b)
		} else {
			parent.Children = append(parent.Children, b)
		}
	}
	container := func() *saiasat.Block {
		switch {
		case section != nil:
			return section
		case chapter != nil:
			return chapter
		}
		return nil
	}
	var para *saiasat.Block
	for i := 0; i < len(lines); i++ {
		l, n := lines[i], i+1
		pos := saiasat.Pos{File: d.File, Line: n, Col: 1}
		if strings.TrimSpace(l) == "" {
			para = nil
			continue
		}
		switch {
		case strings.HasPrefix(l, "# "):
			if len(d.Blocks) > 0 && d.Blocks[len(d.Blocks)-1].Kind == saiasat.KindTitle {
				t := d.Blocks[len(d.Blocks)-1]
				t.Text += "\n" + l[2:]
				t.EndLine = n
			} else {
				d.Blocks = append(d.Blocks, &saiasat.Block{Kind: saiasat.KindTitle, ID: "title", Text: l[2:], Pos: pos, EndLine: n})
			}
			d.Title = d.Blocks[len(d.Blocks)-1].Text
			continue
		case strings.HasPrefix(l, "::: "):
			k := saiasat.KindApproval
			var parent *saiasat.Block
			if strings.TrimSpace(l[4:]) == "signature" {
				k, parent = saiasat.KindSignature, container()
			}
			j := i + 1
			for j < len(lines) && lines[j] != ":::" {
				j++
			}
			b := &saiasat.Block{Kind: k, Text: strings.Join(lines[i+1:j], "\n"), Pos: pos, EndLine: j + 1}
			b.ID = child(parent, k)
			add(parent, b)
			i, clause, list, listIndent, para = j, nil, nil, nil, nil
			continue
		case chapterRe.MatchString(l):
			m := chapterRe.FindStringSubmatch(l)
			num := len(d.Blocks) // stand-in numbers: the order of chapters
			chapter = &saiasat.Block{Kind: saiasat.KindChapter, Label: m[1], Text: strings.TrimLeft(strings.TrimPrefix(l[3+len(m[1]):], "."), " "), Pos: pos, EndLine: n}
			counts["chapters"]++
			chapter.ID = "ch" + strconv.Itoa(counts["chapters"])
			_ = num
			d.Blocks = append(d.Blocks, chapter)
			section, clause, list, listIndent, para = nil, nil, nil, nil, nil
			continue
		case strings.HasPrefix(l, "## "):
			b := &saiasat.Block{Kind: saiasat.KindSection, Pos: pos, EndLine: n}
			if m := sectionRe.FindStringSubmatch(l); m != nil {
				v, _ := strconv.Atoi(m[1])
				b.ID, b.Number, b.Label, b.Text = m[1], saiasat.Number{v}, m[1]+".", strings.TrimSpace(l[3+len(m[1])+1:])
			} else {
				b.ID, b.Text = child(chapter, saiasat.KindSection), l[3:]
			}
			add(chapter, b)
			section, clause, list, listIndent, para = b, nil, nil, nil, nil
			continue
		case strings.HasPrefix(l, "|"):
			j := i
			for j+1 < len(lines) && strings.HasPrefix(lines[j+1], "|") {
				j++
			}
			parent := clause
			if parent == nil {
				parent = container()
			}
			b := &saiasat.Block{Kind: saiasat.KindTable, Text: strings.Join(lines[i:j+1], "\n"), Pos: pos, EndLine: j + 1}
			b.ID = child(parent, saiasat.KindTable)
			add(parent, b)
			i, list, listIndent, para = j, nil, nil, nil
			continue
		case fnRe.MatchString(l) && clause == nil && list == nil:
			m := fnRe.FindStringSubmatch(l)
			b := &saiasat.Block{Kind: saiasat.KindFootnote, Label: m[1], Text: l[len(m[0]):], Pos: pos, EndLine: n}
			b.ID = child(nil, saiasat.KindFootnote)
			d.Blocks = append(d.Blocks, b)
			section, chapter, para = nil, nil, nil
			continue
		}
		if m := clauseRe.FindStringSubmatch(l); m != nil && (flat || strings.Count(strings.TrimSuffix(m[1], "."), ".") > 0) {
			num, _ := saiasat.ParseNumber(m[1])
			clause = &saiasat.Block{Kind: saiasat.KindClause, ID: num.String(), Number: num, Label: m[1], Text: l[len(m[0]):], Pos: pos, EndLine: n}
			add(container(), clause)
			list, listIndent, para = nil, nil, nil
			continue
		}
		im, bm := itemRe.FindStringSubmatch(l), bulletRe.FindStringSubmatch(l)
		if im != nil || bm != nil {
			m, k := im, saiasat.KindItem
			if m == nil {
				m, k = bm, saiasat.KindBullet
			}
			ind := len(m[1])
			for len(listIndent) > 0 && listIndent[len(listIndent)-1]+2 > ind {
				list, listIndent = list[:len(list)-1], listIndent[:len(listIndent)-1]
			}
			parent := clause
			if parent == nil {
				parent = para
			}
			if len(list) > 0 {
				parent = list[len(list)-1]
			}
			b := &saiasat.Block{Kind: k, Label: m[2], Text: l[len(m[0]):], Pos: saiasat.Pos{File: d.File, Line: n, Col: ind + 1}, EndLine: n}
			pid := ""
			if parent != nil {
				pid = parent.ID
			}
			if k == saiasat.KindItem {
				// A letter item's ID uses its ordinal in its alphabet.
				n := strings.TrimSuffix(m[2], ")")
				abcs := []string{"абвгдежзиклмнопрстуфхцчшщэюя", "abcdefghijklmnopqrstuvwxyz"}
				if lang == "kk" {
					abcs[0] = "аәбвгғдеёжзийкқлмнңоөпрстуұүфхһцчшщъыіьэюя"
				}
				for _, abc := range abcs {
					if r := []rune(n); len(r) == 1 {
						if k := strings.IndexRune(abc, r[0]); k >= 0 {
							n = strconv.Itoa(len([]rune(abc[:k])) + 1)
						}
					}
				}
				b.ID = pid + "/" + n
			} else {
				b.ID = child(parent, k)
			}
			add(parent, b)
			list, listIndent = append(list, b), append(listIndent, ind)
			continue
		}
		switch {
		case len(list) > 0:
			list[len(list)-1].Text += "\n" + strings.TrimSpace(l)
			list[len(list)-1].EndLine = n
		case clause != nil:
			clause.Text += "\n" + strings.TrimSpace(l)
			clause.EndLine = n
		case para != nil:
			para.Text += "\n" + strings.TrimSpace(l)
			para.EndLine = n
		default:
			parent := container()
			para = &saiasat.Block{Kind: saiasat.KindParagraph, Text: strings.TrimSpace(l), Pos: pos, EndLine: n}
			para.ID = child(parent, saiasat.KindParagraph)
			add(parent, para)
		}
	}
	return d
}
