package notes

import "bytes"

// This file reads Logseq's properties, "key:: value" lines: a page's
// title:: and tags::, and heading:: true, which makes a block a section
// name.

// isProperty reports whether a line is a Logseq property, "key:: value"
// (no space before the colons, unlike "Question :: Answer").
func isProperty(t []byte) bool {
	k := 0
	for k < len(t) && (isLetter(t[k]) || isDigit(t[k]) || t[k] == '_' || t[k] == '-') {
		k++
	}
	return k > 0 && isLetter(t[0]) && bytes.HasPrefix(t[k:], []byte("::")) && (len(t) == k+2 || t[k+2] == ' ')
}

// property reads a Logseq property line i: page properties (title::,
// tags::) before any notes, and heading:: true, which makes the block
// above a section name.
func (n *normalizer) property(i int, t []byte) {
	k := bytes.Index(t, []byte("::"))
	key := string(bytes.ToLower(t[:k]))
	val := bytes.TrimSpace(t[k+2:])
	top := true
	for j := 0; j < i; j++ {
		if n.lines[j].flags&fBlank == 0 {
			top = false
			break
		}
	}
	switch {
	case top && key == "title" && n.nz.title == nil:
		n.nz.title = bytes.Clone(val)
	case top && key == "tags":
		for _, tag := range bytes.Split(val, []byte(",")) {
			if t := tagName(bytes.Trim(bytes.TrimSpace(tag), "[]#")); t != "" {
				n.nz.tags = append(n.nz.tags, t)
			}
		}
	case key == "heading" && string(bytes.ToLower(val)) == "true":
		for j := i - 1; j >= 0; j-- {
			if n.lines[j].flags&fMarker != 0 {
				if n.sectionLines == nil {
					n.sectionLines = map[int]bool{}
				}
				n.sectionLines[j] = true
				break
			}
			if n.lines[j].flags&fBlank == 0 {
				break
			}
		}
	}
}
