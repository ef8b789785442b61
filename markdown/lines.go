package markdown

import (
	"sort"
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
