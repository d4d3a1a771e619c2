package notes

import "bytes"

// This file unwraps HTML <details> blocks, which notes use to fold a list
// away, so that what they fold is read as the notes it is.

// details unwraps HTML <details> blocks, which notes use to fold a list
// away: the <summary> line becomes blank, the <details> and </details>
// lines end the lists around them (see fBreak), and the lines between lose
// the indentation they share, so that markdown reads them as it would
// outside.
func (n *normalizer) details() {
	open := -1
	for i := range n.lines {
		t := bytes.TrimSpace(n.text(i))
		low := bytes.ToLower(t)
		switch {
		case bytes.HasPrefix(low, []byte("<details")):
			// What it folds away is a block of its own: the list
			// before it ends, and so does the one in it.
			n.blankLine(i)
			n.lines[i].flags |= fBreak
			open = i
		case open >= 0 && bytes.HasPrefix(low, []byte("<summary")) && bytes.HasSuffix(low, []byte("</summary>")):
			n.blankLine(i)
		case open >= 0 && bytes.HasPrefix(low, []byte("</details")):
			n.blankLine(i)
			n.lines[i].flags |= fBreak
			n.dedent(open+1, i)
			open = -1
		}
	}
}

// blankLine makes line i empty.
func (n *normalizer) blankLine(i int) { n.lines[i].start = n.lines[i].end }

// dedent removes from lines [from, to) the leading spaces and tabs they
// all have.
func (n *normalizer) dedent(from, to int) {
	least := -1
	for i := from; i < to; i++ {
		t := n.text(i)
		if len(bytes.TrimSpace(t)) == 0 {
			continue
		}
		if k := indentBytes(t); least < 0 || k < least {
			least = k
		}
	}
	for i := from; i < to && least > 0; i++ {
		l := &n.lines[i]
		l.start += int32(min(least, indentBytes(n.text(i))))
	}
}
