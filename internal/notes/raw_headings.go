package notes

import (
	"bytes"
	"strings"
	"unicode/utf8"
)

// This file infers the headings of raw text: short standalone lines that
// do not read as sentences, and the levels of runs of them.

// headings infers the headings of raw text: short standalone lines that
// do not read as sentences, followed by more notes. The first line is the
// title (level 1). A heading directly followed by another is its parent.
// A run of headings with nothing between them so ends in the heading its
// notes are under, a leaf; and a leaf is a sibling of the leaf before it
// (a talk after a talk), so a run ends at the level of the last leaf with
// its parents above it, and goes deeper only when it is too long for that.
// The first run sets the leaves' level.
func (n *normalizer) headings() {
	type block struct{ start, end int }
	var blocks []block
	for i := 0; i < len(n.lines); {
		if n.lines[i].flags&fBlank != 0 {
			i++
			continue
		}
		j := i
		for j < len(n.lines) && n.lines[j].flags&fBlank == 0 {
			j++
		}
		blocks = append(blocks, block{i, j})
		i = j
	}
	type heading struct {
		k int // its block
		l *lineRec
	}
	var heads []heading
	prevColon := false
	colonRun := false
	for k, b := range blocks {
		single := b.end == b.start+1
		l := &n.lines[b.start]
		t := bytes.TrimSpace(n.text(b.start))
		next := k+1 < len(blocks)
		if l.flags&fFixed != 0 {
			prevColon, colonRun = false, false
			continue
		}
		// The first line of the notes, and the first after a line that
		// only separates sections, is a title when it reads as one, even
		// with notes right under it.
		sep := k > 0 && n.sepBefore(b.start)
		if (k == 0 || sep) && l.flags&(fFence|fQA|fMarker|fQmark) == 0 && l.indent < 4 && (next || !single) && (titleLike(t) || sep && headingShape(t, 12, false)) {
			l.flags |= fHeading | fFixed
			l.level = 1
			prevColon, colonRun = false, false
			if !single {
				last := bytes.TrimSpace(n.text(b.end - 1))
				prevColon = len(last) > 0 && last[len(last)-1] == ':'
			}
			continue
		}
		plain := single && l.flags&(fFence|fQA|fMarker|fQmark) == 0 && l.indent < 4
		cand := plain && next && headingLike(t, 8)
		if !cand && single && next && l.flags&fMarker != 0 && l.indent < 4 && n.numberedTitle(t, blocks[k+1].start) {
			// "1. missing functionality" alone, with notes under it
			// before "2. …": a numbered section.
			cand = true
		}
		switch {
		case prevColon:
			cand = false
			colonRun = true
		case colonRun && single && words(string(t)) <= 2 && bytes.IndexByte(t, ':') < 0:
			cand = false
		default:
			colonRun = false
		}
		last := bytes.TrimSpace(n.text(b.end - 1))
		prevColon = !cand && len(last) > 0 && last[len(last)-1] == ':'
		if cand {
			l.flags |= fHeading
			heads = append(heads, heading{k, l})
		}
	}
	leaf := 0 // the level of the leaves
	for i := 0; i < len(heads); {
		j := i + 1
		for j < len(heads) && heads[j].k == heads[j-1].k+1 {
			j++
		}
		if r := j - i; leaf == 0 || leaf-(r-1) < 2 {
			leaf = min(1+r, 6)
		}
		for x := i; x < j; x++ {
			heads[x].l.level = uint8(max(2, leaf-(j-1-x)))
		}
		i = j
	}
}

// numberedTitle reports whether t, a line alone, is the title of a
// numbered section: "N. Title" that reads as a heading, followed (at line
// next) by notes rather than the next step of a list.
func (n *normalizer) numberedTitle(t []byte, next int) bool {
	m, _ := markerLen(t)
	if m == 0 || !isDigit(t[0]) || !headingLike(bytes.TrimSpace(t[m:]), 10) {
		return false
	}
	return n.lines[next].flags&fMarker == 0
}

// sepBefore reports whether the lines before line i, up to the first that
// is not blank, hold a separator.
func (n *normalizer) sepBefore(i int) bool {
	for j := i - 1; j >= 0 && n.lines[j].flags&fBlank != 0; j-- {
		if n.lines[j].flags&fSep != 0 {
			return true
		}
	}
	return false
}

// titleLike reports whether a raw line reads as the title of what follows
// it: a heading, or a short question or phrase with a final '?' or '.'.
func titleLike(t []byte) bool {
	if headingLike(t, 12) {
		return true
	}
	if len(t) > 1 && (t[len(t)-1] == '?' || t[len(t)-1] == '.' && t[len(t)-2] != '.') && words(string(t)) <= 8 {
		return headingLike(t[:len(t)-1], 8)
	}
	return false
}

// sentenceStarts are first words that make a short line a sentence rather
// than a heading ("This leads to high overhead").
var sentenceStarts = map[string]bool{
	"this": true, "that": true, "these": true, "those": true, "it": true,
	"i": true, "we": true, "you": true, "they": true, "he": true, "she": true,
	"there": true, "here": true, "it's": true, "i'm": true,
}

// headingLike reports whether a raw line reads as a heading: at most
// maxWords words, no final punctuation, no markers or notes, not a sentence
// opening with a pronoun, no link.
func headingLike(t []byte, maxWords int) bool {
	return headingShape(t, maxWords, true)
}

// headingShape is headingLike; a title that follows a separator line
// (loose) may open with a preposition: "From Zero to Hero - a Game in Go".
func headingShape(t []byte, maxWords int, strict bool) bool {
	if len(t) == 0 || len(t) > 100 {
		return false
	}
	s := string(t)
	if w := words(s); w == 0 || w > maxWords {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	if !isAlnumRune(r) {
		return false
	}
	last, _ := utf8.DecodeLastRuneInString(s)
	if strings.ContainsRune(".:;,!?…", last) {
		return false
	}
	for _, bad := range []string{"[", "`", " * ", " 1. ", "::", "==", "{{", "=>", "->", " = ", "|", "http", "www."} {
		if strings.Contains(s, bad) {
			return false
		}
	}
	for _, f := range strings.Fields(s) {
		if strings.Contains(f, "/") && strings.Contains(f, ".") {
			return false // a link
		}
	}
	first, _, _ := strings.Cut(s, " ")
	first = strings.ToLower(strings.ReplaceAll(first, "’", "'"))
	if sentenceStarts[first] || hasFiniteVerb(s) || mentionsSlides(s) || strict && nonTermStarts.has(firstWordOf(s)) {
		return false
	}
	// "Goal: app permissions model" is a remark, not a heading;
	// "Lecture 4: Law of Change" is a title.
	if k, _, ok := strings.Cut(s, ": "); ok && nonTerms.has(k) {
		return false
	}
	return true
}

func isAlnumRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isAlnum(byte(r))
	}
	return r != utf8.RuneError && !strings.ContainsRune("•◦▪‣●○■–—“”‘’«»", r)
}
