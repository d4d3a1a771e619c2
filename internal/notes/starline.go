package notes

import (
	"bytes"
	"strconv"
)

// This file expands the one-line lists of raw notes, "Label * a * b" and
// "Label 1. a * x 2. b", into a label and a markdown list.

// starItem is an item of a one-line list.
type starItem struct {
	text     []byte
	num      int // position in an inline ordered list, 0 for a bullet
	children [][]byte
}

// starLine expands line i when it is a standalone "Label * a * b" (or
// "Label 1. a 2. b") line, writing the label and a list that all map to
// line i. It reports whether it did.
func (n *normalizer) starLine(i int) bool {
	l := n.lines[i]
	prevOK := i == 0 || n.lines[i-1].flags&(fBlank|fATX|fHeading|fFence) != 0
	nextOK := i+1 == len(n.lines) || n.lines[i+1].flags&fBlank != 0
	if !prevOK || !nextOK || l.indent >= 4 || l.end-l.start > maxStarLine {
		return false
	}
	t := n.text(i)
	if !hasSep(t, '*', " ") && !hasSep(t, '1', ". ") {
		return false
	}
	rest := bytes.TrimSpace(t)
	if c := rest[0]; c == '#' || c == '>' || c == '|' || c == '<' {
		return false
	}
	label, items, ok := splitStarLine(rest)
	if !ok {
		return false
	}
	if len(label) > 0 && label[len(label)-1] != ':' {
		// "Volume testing is good * a * b" puts its label to its list as
		// a colon would.
		label = append(label[:len(label):len(label)], ':')
	}
	n.line(i, label)
	n.nz.estimate += len(items) + 1
	var buf []byte
	for _, it := range items {
		buf = buf[:0]
		indent := 2
		if it.num > 0 {
			buf = strconv.AppendInt(buf, int64(it.num), 10)
			buf = append(buf, ". "...)
			indent = len(buf)
		} else {
			buf = append(buf, "- "...)
		}
		buf = appendEscaped(buf, it.text)
		n.line(i, buf)
		for _, c := range it.children {
			buf = appendSpaces(buf[:0], indent)
			buf = append(buf, "- "...)
			buf = appendEscaped(buf, c)
			n.line(i, buf)
		}
	}
	return true
}

// hasSep reports whether t holds c after a space and followed by after.
func hasSep(t []byte, c byte, after string) bool {
	for i := 1; i < len(t); {
		j := bytes.IndexByte(t[i:], c)
		if j < 0 {
			return false
		}
		i += j
		if t[i-1] == ' ' && bytes.HasPrefix(t[i+1:], []byte(after)) {
			return true
		}
		i++
	}
	return false
}

// appendEscaped appends list item text, escaping a start that markdown
// would read as another block (a heading, a quote, a nested marker).
func appendEscaped(b, t []byte) []byte {
	if len(t) == 0 {
		return b
	}
	switch t[0] {
	case '#', '>', '-', '+', '*', '=', '|', '<', '`', '~':
		b = append(b, '\\')
	}
	if isDigit(t[0]) {
		k := 0
		for k < len(t) && isDigit(t[k]) {
			k++
		}
		if k < len(t) && (t[k] == '.' || t[k] == ')') {
			b = append(b, t[:k]...)
			b = append(b, '\\')
			return append(b, t[k:]...)
		}
	}
	return append(b, t...)
}

// splitStarLine reads "Label * a * b * c" (two separators at least, or one
// after a label ending in ':'), and "Label 1. a * note 2. b": a numbered
// item owns the bullets after it. In a bullet line an item ending in ':'
// owns the bullets after it. Every part must hold a letter.
func splitStarLine(t []byte) (label []byte, items []starItem, ok bool) {
	type sep struct{ at, width, num int }
	var stars, nums []sep
	want := 1
	sc := newTextScan(t, " ")
	for i := range sc.positions() {
		if i+2 < len(t) && t[i+1] == '*' && t[i+2] == ' ' {
			stars = append(stars, sep{i, 3, 0})
			if len(stars) > maxStarItems {
				return nil, nil, false
			}
			sc.next = i + 3
			continue
		}
		if i+1 < len(t) && isDigit(t[i+1]) {
			k := i + 1
			for k < len(t) && k < i+4 && isDigit(t[k]) {
				k++
			}
			if k+1 < len(t) && t[k] == '.' && t[k+1] == ' ' && atoiSmall(t[i+1:k]) == want {
				nums = append(nums, sep{i, k + 2 - i, want})
				want++
			}
		}
	}
	part := func(from, to int) ([]byte, bool) {
		if from > to {
			return nil, false
		}
		s := bytes.TrimSpace(t[from:to])
		return s, len(s) > 0 && hasLetter(s)
	}
	if len(nums) >= 2 && (len(stars) == 0 || stars[0].at > nums[0].at) {
		label, ok = part(0, nums[0].at)
		if !ok {
			return nil, nil, false
		}
		for k, s := range nums {
			end := len(t)
			if k+1 < len(nums) {
				end = nums[k+1].at
			}
			from := s.at + s.width
			it := starItem{num: s.num}
			for _, st := range stars {
				if st.at < from || st.at >= end {
					continue
				}
				if it.text == nil {
					if it.text, ok = part(from, st.at); !ok {
						return nil, nil, false
					}
				} else {
					c, ok := part(from, st.at)
					if !ok {
						return nil, nil, false
					}
					it.children = append(it.children, c)
				}
				from = st.at + st.width
			}
			last, ok := part(from, end)
			if !ok {
				return nil, nil, false
			}
			if it.text == nil {
				it.text = last
			} else {
				it.children = append(it.children, last)
			}
			items = append(items, it)
		}
		return label, items, true
	}
	if len(stars) == 0 {
		return nil, nil, false
	}
	label, ok = part(0, stars[0].at)
	if !ok || len(stars) < 2 && label[len(label)-1] != ':' {
		return nil, nil, false
	}
	parent := -1
	for k, s := range stars {
		end := len(t)
		if k+1 < len(stars) {
			end = stars[k+1].at
		}
		text, ok := part(s.at+s.width, end)
		if !ok {
			return nil, nil, false
		}
		colon := text[len(text)-1] == ':' && k+1 < len(stars)
		switch {
		case colon:
			items = append(items, starItem{text: text})
			parent = len(items) - 1
		case parent >= 0:
			items[parent].children = append(items[parent].children, text)
		default:
			items = append(items, starItem{text: text})
		}
	}
	return label, items, true
}
