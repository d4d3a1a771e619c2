package notes

import (
	"errors"
	"strconv"
	"strings"
)

// This file holds the anchor, where in the notes a card was made: the one
// place its spelling is written and read.

// anchor says where in the notes a card was made, closely enough for
// Format to put the card back there. Cards carry it spelt out
// (card.Card.Anchor), and collections keep that spelling, so it must never
// change:
//
//	file#heading/path@site/steps:suffix
//
// for instance "talk.md#containers/k8s@list1/3/list1/2:def": the
// definition card of item 2 of the first list in item 3 of the first list
// under the heading path containers/k8s.
type anchor struct {
	file string
	// path is the slugs of the headings above, joined by '/', or "".
	path string
	// site is the block of the section the card was made in.
	site site
	// steps lead down from the site to the card's place: in a list, the
	// number of an item, then which list in it ("listM"), then the number
	// of an item of that list, and so on; in a paragraph, the line.
	steps []int
	// suffix is what the card is of that place, when it is not its only
	// or main card.
	suffix suffix
}

// siteKind is the kind of block an anchor's site is.
type siteKind uint8

const (
	siteList siteKind = iota + 1 // "listN": the section's Nth list
	sitePara                     // "pN": its Nth paragraph
	siteQA                       // "qaN": its Nth question block
)

// site is the block of a section an anchor points to.
type site struct {
	kind siteKind
	n    int
}

// suffixKind is what a card is of its place.
type suffixKind uint8

const (
	suffixNone    suffixKind = iota
	suffixDef                // ":def": the definition card
	suffixReverse            // ":reverse": the reverse of a "Q ::: A" card
	suffixCloze              // ":cN": the cloze card of deletion N
	suffixPart               // ":partN": the list card of part N
)

// suffix is what a card is of its place, with the number of a cloze or a
// part.
type suffix struct {
	kind suffixKind
	n    int
}

// The words of sites and suffixes, by kind.
var (
	siteWords   = [...]string{siteList: "list", sitePara: "p", siteQA: "qa"}
	suffixWords = [...]string{suffixDef: "def", suffixReverse: "reverse", suffixCloze: "c", suffixPart: "part"}
)

// inList is the anchor of a list in item num of the list a points to: the
// m-th list in it. item and inList append to a's steps, in place when
// their slice has room: write what they return out before a's next item or
// list is made (the walker keeps one slice for the list path it is on).
func (a anchor) inList(num, m int) anchor {
	a.steps = append(a.steps, num, m)
	return a
}

// item is the anchor of item num of the list a points to, or of line num
// of the paragraph. See inList.
func (a anchor) item(num int) anchor {
	a.steps = append(a.steps, num)
	return a
}

// with is a with the suffix k, numbered n for a cloze or a part.
func (a anchor) with(k suffixKind, n int) anchor {
	a.suffix = suffix{k, n}
	return a
}

// String spells the anchor out.
func (a anchor) String() string {
	var b strings.Builder
	b.Grow(a.len())
	a.write(&b)
	return b.String()
}

// write writes the anchor's spelling to b.
func (a *anchor) write(b *strings.Builder) {
	var num [20]byte
	b.WriteString(a.file)
	b.WriteByte('#')
	b.WriteString(a.path)
	b.WriteByte('@')
	b.WriteString(siteWords[a.site.kind])
	b.Write(strconv.AppendInt(num[:0], int64(a.site.n), 10))
	for i, s := range a.steps {
		b.WriteByte('/')
		if i%2 == 1 {
			b.WriteString("list")
		}
		b.Write(strconv.AppendInt(num[:0], int64(s), 10))
	}
	if k := a.suffix.kind; k != suffixNone {
		b.WriteByte(':')
		b.WriteString(suffixWords[k])
		if k == suffixCloze || k == suffixPart {
			b.Write(strconv.AppendInt(num[:0], int64(a.suffix.n), 10))
		}
	}
}

// len is the length of the anchor's spelling.
func (a *anchor) len() int {
	n := len(a.file) + 1 + len(a.path) + 1 + len(siteWords[a.site.kind]) + digits(a.site.n)
	for i, s := range a.steps {
		n += 1 + digits(s)
		if i%2 == 1 {
			n += len("list")
		}
	}
	if k := a.suffix.kind; k != suffixNone {
		n += 1 + len(suffixWords[k])
		if k == suffixCloze || k == suffixPart {
			n += digits(a.suffix.n)
		}
	}
	return n
}

// digits is the length of n written in decimal.
func digits(n int) int {
	d := 1
	if n < 0 {
		d++
		n = -n
	}
	for ; n >= 10; n /= 10 {
		d++
	}
	return d
}

// slugs are the slugs of the headings above the anchor's place.
func (a anchor) slugs() []string {
	if a.path == "" {
		return nil
	}
	return strings.Split(a.path, "/")
}

// errAnchor is the error of a string that is no anchor.
var errAnchor = errors.New("not an anchor (file#heading/path@site/steps:suffix)")

// parseAnchor reads an anchor as String spells it. The file may hold any
// character; the heading path, made of slugs, holds no '#' or '@'.
func parseAnchor(s string) (anchor, error) {
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return anchor{}, errAnchor
	}
	hash := strings.LastIndexByte(s[:at], '#')
	if hash < 0 {
		return anchor{}, errAnchor
	}
	a := anchor{file: s[:hash], path: s[hash+1 : at]}
	if a.path != "" && (strings.HasPrefix(a.path, "/") || strings.HasSuffix(a.path, "/") || strings.Contains(a.path, "//")) {
		return anchor{}, errAnchor
	}
	rest, suf, hasSuf := strings.Cut(s[at+1:], ":")
	if hasSuf {
		var ok bool
		if a.suffix, ok = parseSuffix(suf); !ok {
			return anchor{}, errAnchor
		}
	}
	first, steps, hasSteps := strings.Cut(rest, "/")
	var ok bool
	if a.site, ok = parseSite(first); !ok {
		return anchor{}, errAnchor
	}
	if !hasSteps {
		return a, nil
	}
	for i, step := range strings.Split(steps, "/") {
		if i%2 == 1 {
			if step, ok = strings.CutPrefix(step, "list"); !ok {
				return anchor{}, errAnchor
			}
		}
		n, ok := number(step)
		if !ok {
			return anchor{}, errAnchor
		}
		a.steps = append(a.steps, n)
	}
	return a, nil
}

// parseSite reads "list3", "p1" or "qa2".
func parseSite(s string) (site, bool) {
	for k, w := range siteWords {
		if w == "" {
			continue
		}
		if rest, ok := strings.CutPrefix(s, w); ok {
			if n, ok := number(rest); ok {
				return site{siteKind(k), n}, true
			}
		}
	}
	return site{}, false
}

// parseSuffix reads "def", "reverse", "c2" or "part3".
func parseSuffix(s string) (suffix, bool) {
	switch s {
	case "def":
		return suffix{kind: suffixDef}, true
	case "reverse":
		return suffix{kind: suffixReverse}, true
	}
	for _, k := range []suffixKind{suffixCloze, suffixPart} {
		if rest, ok := strings.CutPrefix(s, suffixWords[k]); ok {
			if n, ok := number(rest); ok {
				return suffix{k, n}, true
			}
		}
	}
	return suffix{}, false
}

// number reads a number as strconv.Itoa writes one that is not negative:
// digits, and no leading zero but in "0".
func number(s string) (int, bool) {
	if s == "" || len(s) > 1 && s[0] == '0' {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}

// isDefAnchor reports whether an anchor, spelt out, is a definition
// card's.
func isDefAnchor(s string) bool {
	return strings.HasSuffix(s, ":def")
}
