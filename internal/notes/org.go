package notes

import "bytes"

// This file reads what org-mode files (.org) hold apart from markdown:
// "*" headings, #+KEYWORD lines, #+BEGIN_…/#+END_… blocks, :PROPERTIES:
// drawers, and the timestamps and tags org adds to a heading.

// orgLine classifies a line of an org-mode file that org reads apart from
// markdown: a "* Heading", a "#+KEYWORD:" line, the lines of a
// #+BEGIN_…/#+END_… block, a :PROPERTIES: drawer. It reports whether it
// did.
func (n *normalizer) orgLine(i int, rest []byte) bool {
	l := &n.lines[i]
	up := bytes.ToUpper(bytes.TrimSpace(rest))
	if n.orgEnd != "" {
		l.flags |= fBlank
		if bytes.HasPrefix(up, []byte(n.orgEnd)) {
			n.orgEnd = ""
		}
		return true
	}
	switch {
	case rest[0] == '*':
		k := 0
		for k < len(rest) && rest[k] == '*' {
			k++
		}
		if k < len(rest) && rest[k] == ' ' && len(bytes.TrimSpace(rest[k:])) > 0 {
			l.flags |= fHeading | fFixed
			l.level = uint8(min(k, 6))
			n.hasATX = true
			return true
		}
	case rest[0] == '#' && len(rest) > 1 && rest[1] == '+':
		l.flags |= fBlank
		if v, ok := bytes.CutPrefix(up, []byte("#+TITLE:")); ok && n.nz.title == nil {
			n.nz.title = bytes.Clone(bytes.TrimSpace(rest[len(rest)-len(v):]))
		}
		if kind, ok := bytes.CutPrefix(up, []byte("#+BEGIN_")); ok {
			name, _, _ := bytes.Cut(kind, []byte(" "))
			n.orgEnd = "#+END_" + string(name)
		}
		return true
	case rest[0] == ':' && bytes.Equal(up, []byte(":PROPERTIES:")):
		l.flags |= fBlank
		n.orgEnd = ":END:"
		return true
	}
	return false
}

// orgTrim drops what org adds at the end of a heading: <timestamps>,
// [timestamps] and :tags:.
func orgTrim(t []byte) []byte {
	for {
		t = bytes.TrimSpace(t)
		switch {
		case len(t) > 2 && (t[len(t)-1] == '>' || t[len(t)-1] == ']'):
			open := byte('<')
			if t[len(t)-1] == ']' {
				open = '['
			}
			j := bytes.LastIndexByte(t, open)
			if j < 0 || !isDigit(t[min(j+1, len(t)-1)]) {
				return t
			}
			t = t[:j]
		case len(t) > 2 && t[len(t)-1] == ':' && bytes.LastIndexByte(t, ' ') >= 0:
			tags := t[bytes.LastIndexByte(t, ' ')+1:]
			if len(tags) < 3 || tags[0] != ':' || bytes.IndexByte(tags[1:len(tags)-1], ' ') >= 0 {
				return t
			}
			t = t[:len(t)-len(tags)]
		default:
			return t
		}
	}
}
