package notes

import (
	"strings"
	"unicode"
)

// This file cuts a cloze text too long, or of too many clozes, to show
// whole on each of its cards into pieces that each make their own cards.

// maxClozeContext is the most text a piece of a cut cloze text shows
// before its first deletion, and after its last.
const maxClozeContext = 1024

// clozePiece is a piece of a cloze text: its parts, the first and last
// plain text cut down to what the piece shows, and whether it is too big
// to make cards of (see clozePieces).
type clozePiece struct {
	parts  []clozePart
	tooBig bool
}

// clozePieces cuts the parts of a cloze text of size bytes into pieces
// that make their cards alone. A text of at most maxClozeUnit bytes and
// maxClozes numbers is one piece, itself. A longer one is cut between
// deletions, where no cloze number has deletions on both sides, into
// pieces of at most maxClozes numbers whose deletions span at most
// maxClozeUnit-2*maxClozeContext bytes, each showing at most
// maxClozeContext bytes of the text before and after them (see
// clozeLead, clozeTrail); the text between two pieces is cut where
// gapCut says. A piece that no cut makes small enough (a number with
// deletions far apart) is too big: its cards would show more than a card
// can, and cost more than linear time. Each deletion is in one piece.
func clozePieces(parts []clozePart, size int) []clozePiece {
	last := map[int]int{} // the index of each number's last deletion
	for i, p := range parts {
		if p.num > 0 {
			last[p.num] = i
		}
	}
	if size <= maxClozeUnit && len(last) <= maxClozes {
		return []clozePiece{{parts: parts}}
	}
	end := func(i int) int { // where part i ends in the text
		if i+1 < len(parts) {
			return parts[i+1].off
		}
		return size
	}
	var pieces []clozePiece
	var lead clozePart // what the piece being made shows before its first deletion
	lo, hi := -1, -1   // its first and last deletions
	open := -1         // the last deletion of its numbers
	nums := map[int]bool{}
	finish := func(trail clozePart) {
		piece := clozePiece{tooBig: len(nums) > maxClozes || end(hi)-parts[lo].off > maxClozeUnit}
		if lead.text != "" {
			piece.parts = append(piece.parts, lead)
		}
		piece.parts = append(piece.parts, parts[lo:hi+1]...)
		if trail.text != "" {
			piece.parts = append(piece.parts, trail)
		}
		pieces = append(pieces, piece)
		clear(nums)
	}
	if len(parts) > 0 && parts[0].num <= 0 {
		lead = clozeLead(parts[0])
	}
	for i, p := range parts {
		if p.num <= 0 {
			continue
		}
		if lo >= 0 && open < i && (!nums[p.num] && len(nums) == maxClozes || end(i)-parts[lo].off > maxClozeUnit-2*maxClozeContext) {
			var trail, next clozePart
			if hi < i-1 { // the plain text between hi and i
				g := parts[i-1]
				k := gapCut(g.text)
				trail = clozeTrail(clozePart{text: g.text[:k], off: g.off})
				next = clozeLead(clozePart{text: g.text[k:], off: g.off + k})
			}
			finish(trail)
			lead, lo = next, -1
		}
		if lo < 0 {
			lo, open = i, -1
		}
		hi = i
		nums[p.num] = true
		open = max(open, last[p.num])
	}
	var trail clozePart
	if n := len(parts); n > 0 && parts[n-1].num <= 0 {
		trail = clozeTrail(parts[n-1])
	}
	finish(trail)
	return pieces
}

// gapCut returns where the text between two pieces of a cloze text is
// cut: after its last line break, else after its last sentence ('.',
// '!', '?' or ';' before a space), else before its first word, so that
// the words leading into a deletion stay with it.
func gapCut(s string) int {
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return i + 1
	}
	for i := len(s) - 2; i >= 0; i-- {
		if strings.IndexByte(".!?;", s[i]) >= 0 && isSpace(s[i+1]) {
			return i + 1
		}
	}
	if i := strings.IndexFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }); i >= 0 {
		return i
	}
	return len(s)
}

// clozeLead is the end of p that a piece shows before its first
// deletion: at most maxClozeContext bytes, from the start of a line,
// sentence or word, without the spaces before it.
func clozeLead(p clozePart) clozePart {
	s := p.text
	if len(s) > maxClozeContext {
		from := len(s) - maxClozeContext
		k := -1
		for i := from; i < len(s)-1 && k < 0; i++ {
			if s[i] == '\n' || strings.IndexByte(".!?;", s[i]) >= 0 && isSpace(s[i+1]) {
				k = i + 1
			}
		}
		if k < 0 {
			k = strings.IndexAny(s[from:], " \t")
			if k < 0 {
				k = len(s)
			} else {
				k += from
			}
		}
		s = s[k:]
	}
	t := strings.TrimLeft(s, " \t\n")
	return clozePart{text: t, off: p.off + len(p.text) - len(t)}
}

// clozeTrail is the start of p that a piece shows after its last
// deletion: at most maxClozeContext bytes, to the end of a line,
// sentence or word, without the spaces after it.
func clozeTrail(p clozePart) clozePart {
	s := p.text
	if len(s) > maxClozeContext {
		k := -1
		for i := maxClozeContext - 1; i >= 0 && k < 0; i-- {
			if s[i] == '\n' || strings.IndexByte(".!?;", s[i]) >= 0 && isSpace(s[i+1]) {
				k = i + 1
			}
		}
		if k < 0 {
			k = max(strings.LastIndexAny(s[:maxClozeContext+1], " \t"), 0)
		}
		s = s[:k]
	}
	return clozePart{text: strings.TrimRight(s, " \t\n"), off: p.off}
}
