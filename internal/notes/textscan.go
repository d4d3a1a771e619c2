package notes

import (
	"bytes"
	"iter"
)

// This file holds the walk through card text that every reader of
// markers shares: it steps over what markdown reads no marker in,
// backslash escapes, code spans and math, as markdown would.

// protector recognises the parts of a piece of markdown that recall must
// never read markers in: backslash escapes, code spans and $…$ / $$…$$
// math. It remembers failed searches for a closing delimiter, so that a
// line full of unmatched openers costs linear time, not quadratic.
type protector struct {
	b []byte
	// tickFail[n] is 1 + the position from which no run of exactly n
	// backticks follows; 0 when not known.
	tickFail  [33]int
	mathFail  int
	dmathFail int
}

// skip returns the end of the protected region that starts at i, or i
// when none starts there. Unmatched openers are skipped as literal text.
func (p *protector) skip(i int) int {
	b := p.b
	switch b[i] {
	case '\\':
		if i+1 < len(b) && isASCIIPunct(b[i+1]) {
			return i + 2
		}
	case '`':
		n := 1
		for i+n < len(b) && b[i+n] == '`' {
			n++
		}
		if n < len(p.tickFail) && (p.tickFail[n] == 0 || i < p.tickFail[n]-1) {
			if end := closeTicks(b, i+n, n); end >= 0 {
				return end
			}
			p.tickFail[n] = i + 1
		}
		return i + n
	case '$':
		if i+1 < len(b) && b[i+1] == '$' {
			if p.dmathFail == 0 || i < p.dmathFail-1 {
				if j := bytes.Index(b[i+2:], dollars); j >= 0 {
					return i + 2 + j + 2
				}
				p.dmathFail = i + 1
			}
			return i + 2
		}
		if i+1 < len(b) && !isSpace(b[i+1]) && (p.mathFail == 0 || i < p.mathFail-1) {
			if end := closeMath(b, i+1); end >= 0 {
				return end
			}
			p.mathFail = i + 1
		}
		return i + 1
	}
	return i
}

var dollars = []byte("$$")

// textScan is the walk every reader of markers in card text shares
// (explicitSep, parseClozes, defSep, cleaner.clean, splitStarLine): it
// gives the positions of the bytes the reader looks for, stepping over
// the others and over what no marker is read in: backslash escapes, code
// spans and math (see protector).
//
//	sc := newTextScan(b, "{:")
//	for i := range sc.positions() {
//		// b[i] is '{' or ':'; set sc.next to go on past more than b[i]
//	}
type textScan struct {
	protector
	marks byteSet // the bytes to give
	stops byteSet // marks, and the bytes that may open an escape, code or math
	// next is where the walk goes on after the byte it gave: the byte
	// after it, unless the loop moves it on past what it read.
	next int
	// from is where the walk went on from before the byte it gave:
	// b[from:i] are the bytes it stepped over to reach i, and b[from:]
	// once the walk is done.
	from int
}

// newTextScan starts a walk of b for the bytes of marks.
func newTextScan(b []byte, marks string) textScan {
	s := textScan{protector: protector{b: b}}
	for i := range len(marks) {
		s.marks.add(marks[i])
	}
	// It stops at what protector.skip may step over too.
	s.stops = s.marks
	s.stops.add('\\')
	s.stops.add('`')
	s.stops.add('$')
	return s
}

// positions yields, in order, the position of each byte of marks in the
// text outside escapes, code spans and math.
func (s *textScan) positions() iter.Seq[int] {
	return func(yield func(int) bool) {
		b := s.b
		for i := 0; ; {
			s.from = i
			for i < len(b) {
				c := b[i]
				if !s.stops.has(c) {
					i++
					continue
				}
				if c == '\\' || c == '`' || c == '$' {
					if j := s.skip(i); j > i {
						i = j
						continue
					}
				}
				if s.marks.has(c) {
					break
				}
				i++
			}
			if i >= len(b) {
				return
			}
			s.next = i + 1
			if !yield(i) {
				return
			}
			i = s.next
		}
	}
}

// byteSet is a set of bytes.
type byteSet [8]uint32

func (s *byteSet) add(c byte)      { s[c>>5] |= 1 << (c & 31) }
func (s *byteSet) has(c byte) bool { return s[c>>5]&(1<<(c&31)) != 0 }

// closeTicks returns the end of the first run of exactly n backticks at or
// after from, or -1.
func closeTicks(b []byte, from, n int) int {
	for from < len(b) {
		j := bytes.IndexByte(b[from:], '`')
		if j < 0 {
			return -1
		}
		start := from + j
		end := start + 1
		for end < len(b) && b[end] == '`' {
			end++
		}
		if end-start == n {
			return end
		}
		from = end
	}
	return -1
}

// closeMath returns the end of the closing $ of inline math that opened
// just before from, or -1. A closing $ follows a non-space and is not
// followed by a digit (so "$5 and $10" is not math).
func closeMath(b []byte, from int) int {
	for from < len(b) {
		j := bytes.IndexByte(b[from:], '$')
		if j < 0 {
			return -1
		}
		k := from + j
		if k > from && !isSpace(b[k-1]) && b[k-1] != '\\' && (k+1 >= len(b) || !isDigit(b[k+1])) {
			return k + 1
		}
		from = k + 1
	}
	return -1
}
