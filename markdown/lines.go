package markdown

import (
	"bytes"
	"sort"
	"unicode"
	"unicode/utf8"
)

// Lines maps byte offsets of a source to 1-based lines and character
// columns. goldmark reports byte offsets; findings need lines and columns
// counted in characters.
type Lines struct {
	src    []byte
	starts []int
}

// NewLines indexes the line starts of src. A line ends at "\n".
func NewLines(src []byte) *Lines {
	starts := []int{0}
	for i, c := range src {
		if c == '\n' && i+1 < len(src) {
			starts = append(starts, i+1)
		}
	}
	return &Lines{src: src, starts: starts}
}

// Count returns the number of lines.
func (l *Lines) Count() int {
	if len(l.src) == 0 {
		return 0
	}
	return len(l.starts)
}

// Line returns the 1-based line holding byte offset off, clamped into src
// (goldmark can report an offset past the end, goldmark#604).
func (l *Lines) Line(off int) int {
	off = max(0, min(off, len(l.src)-1))
	return sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > off })
}

// Pos returns the line and character column of byte offset off.
func (l *Lines) Pos(off int) (line, col int) {
	off = max(0, min(off, len(l.src)))
	line = l.Line(off)
	start := l.starts[line-1]
	return line, utf8.RuneCount(l.src[start:off]) + 1
}

// Start returns the byte offset of the start of 1-based line n.
func (l *Lines) Start(n int) int { return l.starts[n-1] }

// Text returns 1-based line n without its line end.
func (l *Lines) Text(n int) []byte {
	start := l.starts[n-1]
	end := len(l.src)
	if n < len(l.starts) {
		end = l.starts[n] - 1
	} else if end > start && l.src[end-1] == '\n' {
		end--
	}
	return l.src[start:end]
}

// spaceTrailing returns src with the white space at each line's end that
// goldmark does not count as space ("\v", "\f", a no-break space …), and
// the tabs of each line's indentation, made ASCII spaces, byte for byte,
// so offsets stay. Canonical form trims all
// of it, and a line must parse the same before and after: "#\v" is the
// heading "#" either way, not a paragraph that fmt turns into a heading.
// src itself is returned when there is none, the usual case.
func spaceTrailing(src []byte) []byte {
	var out []byte
	end := len(src)
	for end > 0 {
		start := bytes.LastIndexByte(src[:end], '\n') + 1
		i := end
		odd := false
		for i > start {
			r, size := utf8.DecodeLastRune(src[start:i])
			if r == '\r' || !unicode.IsSpace(r) {
				break
			}
			odd = odd || (r != ' ' && r != '\t')
			i -= size
		}
		if odd {
			if out == nil {
				out = append([]byte(nil), src...)
			}
			for k := i; k < end; k++ {
				out[k] = ' '
			}
		}
		// A tab in the indentation is one space: goldmark counts it as
		// up to four columns and then reads "\t1)" as text but "\t1) x"
		// as an item; the format's nesting counts characters.
		for k := start; k < i && (src[k] == ' ' || src[k] == '\t'); k++ {
			if src[k] == '\t' {
				if out == nil {
					out = append([]byte(nil), src...)
				}
				out[k] = ' '
			}
		}
		end = start - 1
	}
	if out == nil {
		return src
	}
	return out
}

// parseSource is src as the goldmark parsers read it: trailing white space
// as spaceTrailing makes it, and a final line end, which canonical form
// always writes ("\t* 0" without one is a paragraph to goldmark, with one
// a footnote). Offsets into src stay valid.
func parseSource(src []byte) []byte {
	s := spaceTrailing(src)
	if len(s) > 0 && s[len(s)-1] != '\n' {
		s = append(s[:len(s):len(s)], '\n')
	}
	return s
}
