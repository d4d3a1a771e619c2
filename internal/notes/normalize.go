package notes

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/util"
)

// Limits that keep hostile input from costing more than linear time and
// memory, in our code and in goldmark's.
const (
	maxNest      = 32   // container markers (>, -, 1.) read at the start of one line
	maxIndent    = 128  // columns of leading space kept on a line
	maxListDepth = 16   // nesting of a raw-notes list
	maxStarLine  = 4096 // bytes of a "Label * a * b" line
	maxStarItems = 64   // items of a "Label * a * b" line
)

// normalized is the markdown handed to goldmark, with what is needed to
// point back into the original input.
type normalized struct {
	raw    bool // the notes are raw text, not markdown
	org    bool // the notes are org-mode: "- term :: description" defines
	src    []byte
	starts []int32 // byte offset of each line of src
	orig   []int32 // 1-based line of the original input of each line of src
	qa     []qaBlock
	// estimate is a guess at the number of cards: enough room for most
	// notes, so that the cards are not copied as they grow.
	estimate int
	// splits are offsets where src may be cut into parts that goldmark
	// parses alone: ATX headings at the margin after a blank line,
	// outside fenced code and HTML blocks, where every block before has
	// ended; never the first H1, which may be the deck's (see
	// walker.heading).
	splits []int
	// refs are the labels of the link reference definitions, as
	// util.ToLinkReference folds them.
	refs map[string]bool
	// h1 is the line of src holding the text of the first level-1
	// heading, or -1; h1Text is that text; h1s counts the level-1
	// headings.
	h1     int
	h1Text []byte
	h1s    int
	// title is an org file's #+TITLE or a Logseq page's title:: and
	// tags its tags::.
	title []byte
	tags  []string
	// sections are the lines (of src) of Logseq blocks marked heading::
	// true: section names, not items.
	sections map[int]bool
}

// qaBlock is a question block and an answer block around a line that is
// only "?". The normaliser lifts it out of the markdown, leaving blank lines.
type qaBlock struct {
	off   int // offset in src of the question's first line
	line  int // original line of the question
	front []byte
	back  []byte
}

// line flags.
const (
	fBlank   = 1 << iota // blank, or nothing but notes-to-self
	fFence               // a fence line or inside a fenced block
	fQmark               // only "?"
	fQA                  // part of a question/answer block
	fMarker              // starts with a list marker
	fATX                 // an ATX heading
	fHeading             // inferred heading (raw text), level in lineRec.level
	fSep                 // a line that only separates sections (raw text); also fBlank
	fFixed               // a heading whose level is settled (underlined, starred, org)
	fBreak               // ends the list before it: written as an empty HTML comment
)

// listBreak is the line that stands for an fBreak line: markdown ends a
// list at it, and it says nothing.
var listBreak = []byte("<!-- -->")

type lineRec struct {
	start, end int32 // the line's bytes, without its line ending
	flags      uint16
	level      uint8
	indent     uint16 // columns of leading space, capped
}

// Kinds of notes files.
const (
	kindMarkdown = iota
	kindRaw      // plain text (.txt)
	kindOrg      // Emacs org-mode (.org)
)

// normalize turns the raw-notes idioms in body into markdown: bullets
// such as • become list items with their nesting read from indentation,
// "Label * a * b" lines become a label and a list, and (raw text only)
// short standalone lines become headings. It keeps a map from each line of
// the result to the line of the input, firstLine being the input line of
// body's first line.
func normalize(body []byte, firstLine int, kind int) *normalized {
	lines := splitLines(body)
	raw := kind == kindRaw
	nz := &normalized{h1: -1, raw: raw, org: kind == kindOrg}
	n := &normalizer{body: body, lines: lines, raw: raw, org: kind == kindOrg, nz: nz, first: firstLine}
	if bytes.Contains(body, []byte("<details")) {
		n.details()
	}
	n.classify()
	n.questions()
	if raw && !n.hasATX {
		n.rawClassify()
		n.headings()
	}
	n.emit()
	return nz
}

type normalizer struct {
	body   []byte
	lines  []lineRec
	raw    bool
	org    bool
	orgEnd string // what ends the org block or drawer being skipped
	// sectionLines are the input lines of Logseq blocks marked heading::
	// true (see normalized.sections).
	sectionLines map[int]bool
	hasATX       bool
	fancy        bool // a non-markdown bullet appears
	first        int
	nz           *normalized
	out          []byte
}

func splitLines(b []byte) []lineRec {
	lines := make([]lineRec, 0, len(b)/32+1)
	for start := 0; start < len(b) || start == 0; {
		j := bytes.IndexByte(b[start:], '\n')
		end := len(b)
		next := len(b) + 1
		if j >= 0 {
			end = start + j
			next = end + 1
		}
		e := end
		if e > start && b[e-1] == '\r' {
			e--
		}
		lines = append(lines, lineRec{start: int32(start), end: int32(e)})
		start = next
		if start >= len(b) {
			break
		}
	}
	return lines
}

func (n *normalizer) text(i int) []byte { return n.body[n.lines[i].start:n.lines[i].end] }

// classify sets the flags of every line: fences, blanks, "?" lines, list
// markers and ATX headings.
func (n *normalizer) classify() {
	var fenceChar byte
	fenceLen := 0
	var htmlEnd string // the end of the HTML block being read
	for i := range n.lines {
		l := &n.lines[i]
		t := n.text(i)
		ind, rest := indentOf(t)
		l.indent = uint16(min(ind, 1<<15))
		if htmlEnd != "" {
			// HTML blocks that blank lines do not end pass through
			// as they are, like fenced code.
			l.flags |= fFence
			if bytes.Contains(bytes.ToLower(t), []byte(htmlEnd)) {
				htmlEnd = ""
			}
			continue
		}
		if ind < 4 && len(rest) > 1 && rest[0] == '<' {
			if end := htmlBlockEnd(rest); end != "" {
				l.flags |= fFence
				if !bytes.Contains(bytes.ToLower(rest[1:]), []byte(end)) {
					htmlEnd = end
				}
				continue
			}
		}
		if fenceLen > 0 {
			l.flags |= fFence
			if c, k := fenceRun(rest); c == fenceChar && k >= fenceLen && len(bytes.TrimSpace(rest[k:])) == 0 {
				fenceLen = 0
			}
			continue
		}
		if c, k := fenceRun(rest); k >= 3 && (c == '~' || bytes.IndexByte(rest[k:], '`') < 0) {
			l.flags |= fFence
			fenceChar, fenceLen = c, k
			continue
		}
		if n.org && (n.orgEnd != "" || ind == 0 && len(rest) > 0 && (rest[0] == '*' || rest[0] == '#' || rest[0] == ':')) {
			if n.orgLine(i, rest) {
				continue
			}
		}
		switch {
		case len(rest) == 0:
			l.flags |= fBlank
		case rest[0] != '-' && rest[0] != '*' && isProperty(rest):
			l.flags |= fBlank
			n.property(i, rest)
		case rest[0] == '?' && len(bytes.TrimSpace(rest)) == 1:
			l.flags |= fQmark
		case rest[0] == '[' && onlyNotes(rest):
			l.flags |= fBlank
		case ind < 4 && rest[0] == '#' && atxLevel(rest) > 0:
			l.flags |= fATX
			n.hasATX = true
		case ind < 4 && rest[0] == '[':
			if label, ok := refLabel(rest); ok {
				if n.nz.refs == nil {
					n.nz.refs = map[string]bool{}
				}
				n.nz.refs[util.ToLinkReference(label)] = true
			}
		default:
			if m, fancy := markerLen(rest); m > 0 {
				l.flags |= fMarker
				n.fancy = n.fancy || fancy
				n.nz.estimate++
			}
		}
	}
}

// htmlBlockEnd returns what ends an HTML block that t starts, for the
// blocks that blank lines do not end (CommonMark's kinds 1 to 5), or "".
func htmlBlockEnd(t []byte) string {
	low := bytes.ToLower(t[:min(len(t), 12)])
	for _, tag := range []string{"script", "pre", "style", "textarea"} {
		if bytes.HasPrefix(low[1:], []byte(tag)) {
			if k := 1 + len(tag); k == len(t) || t[k] == ' ' || t[k] == '>' || t[k] == '\t' {
				return "</" + tag + ">"
			}
		}
	}
	switch {
	case bytes.HasPrefix(t, []byte("<!--")):
		return "-->"
	case bytes.HasPrefix(t, []byte("<?")):
		return "?>"
	case bytes.HasPrefix(t, []byte("<![CDATA[")):
		return "]]>"
	case len(t) > 2 && t[1] == '!' && isLetter(t[2]):
		return ">"
	}
	return ""
}

// refLabel returns the label of a link reference definition line,
// "[label]: destination".
func refLabel(t []byte) ([]byte, bool) {
	end := bytes.IndexByte(t, ']')
	if end < 2 || end+1 >= len(t) || t[end+1] != ':' || bytes.IndexByte(t[1:end], '[') >= 0 {
		return nil, false
	}
	return t[1:end], true
}

// indentOf returns the columns of leading space of t (tabs to the next
// multiple of 4) and the rest of t.
func indentOf(t []byte) (int, []byte) {
	col := 0
	for i, c := range t {
		switch c {
		case ' ':
			col++
		case '\t':
			col += 4 - col%4
		default:
			return col, t[i:]
		}
	}
	return col, nil
}

// fenceRun returns the fence character starting t and how many of it.
func fenceRun(t []byte) (byte, int) {
	if len(t) == 0 || (t[0] != '`' && t[0] != '~') {
		return 0, 0
	}
	k := 1
	for k < len(t) && t[k] == t[0] {
		k++
	}
	return t[0], k
}

// atxLevel returns the level of an ATX heading line, or 0.
func atxLevel(t []byte) int {
	k := 0
	for k < len(t) && t[k] == '#' {
		k++
	}
	if k == 0 || k > 6 || (k < len(t) && t[k] != ' ' && t[k] != '\t') {
		return 0
	}
	return k
}

// fancyBullets are the bullets of raw notes that markdown does not know.
var fancyBullets = []string{"•", "◦", "▪", "‣", "●", "○", "■", "–"}

// markerLen returns the length of the list marker starting t (including
// the space after it), or 0, and whether it is a bullet markdown does not
// know. A thematic break ("- - -", "***") is not a marker.
func markerLen(t []byte) (int, bool) {
	if len(t) == 0 {
		return 0, false
	}
	switch c := t[0]; {
	case c == '-' || c == '*' || c == '+':
		if len(t) > 1 && (t[1] == ' ' || t[1] == '\t') && !isBreak(t) {
			return 2, false
		}
		if c == '-' && len(t) > 2 && t[1] == ')' && t[2] == ' ' {
			return 3, true // "-)", a bullet some notes use
		}
		return 0, false
	case isDigit(c):
		k := 1
		for k < len(t) && k < 9 && isDigit(t[k]) {
			k++
		}
		if k+1 < len(t) && (t[k] == '.' || t[k] == ')') && (t[k+1] == ' ' || t[k+1] == '\t') {
			return k + 2, false
		}
		return 0, false
	case c >= utf8.RuneSelf:
		for _, f := range fancyBullets {
			if bytes.HasPrefix(t, []byte(f)) {
				k := len(f)
				if k < len(t) && (t[k] == ' ' || t[k] == '\t') {
					return k + 1, true
				}
			}
		}
	}
	return 0, false
}

// isBreak reports whether t is a thematic break: three or more of one of
// - * _ and nothing else but spaces.
func isBreak(t []byte) bool {
	c := t[0]
	k := 0
	for _, x := range t {
		switch x {
		case c:
			k++
		case ' ', '\t':
		default:
			return false
		}
	}
	return k >= 3
}

// questions finds the "?" lines that sit between a question block and an
// answer block and lifts both blocks out.
func (n *normalizer) questions() {
	for i := range n.lines {
		if n.lines[i].flags&fQmark == 0 || n.lines[i].flags&fQA != 0 {
			continue
		}
		content := func(j int) bool {
			return j >= 0 && j < len(n.lines) && n.lines[j].flags&(fBlank|fQA|fATX|fQmark) == 0
		}
		if !content(i-1) || !content(i+1) || n.lines[i-1].flags&fFence != 0 {
			continue
		}
		qs := i - 1
		for content(qs-1) && n.lines[qs-1].flags&fFence == 0 {
			qs--
		}
		ae := i + 1
		for content(ae+1) || (ae+1 < len(n.lines) && n.lines[ae+1].flags&fFence != 0 && n.lines[ae].flags&fFence != 0) {
			ae++
		}
		for j := qs; j <= ae; j++ {
			n.lines[j].flags |= fQA
		}
		n.nz.qa = append(n.nz.qa, qaBlock{
			line:  qs + n.first,
			front: n.join(qs, i),
			back:  n.join(i+1, ae+1),
		})
	}
}

// join returns lines [from, to) joined by newlines, each trimmed at the end.
func (n *normalizer) join(from, to int) []byte {
	var b []byte
	for j := from; j < to; j++ {
		if j > from {
			b = append(b, '\n')
		}
		b = append(b, bytes.TrimRight(n.text(j), " \t")...)
	}
	return b
}

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

// emit writes the markdown and the line map.
func (n *normalizer) emit() {
	n.out = make([]byte, 0, len(n.body)+len(n.body)/16+64)
	n.nz.starts = make([]int32, 0, len(n.lines)+16)
	n.nz.orig = make([]int32, 0, len(n.lines)+16)
	qa := 0
	for i := 0; i < len(n.lines); {
		l := n.lines[i]
		switch {
		case l.flags&fFence != 0:
			n.line(i, n.text(i))
		case l.flags&fBreak != 0:
			n.line(i, listBreak)
		case l.flags&fQA != 0:
			if l.flags&fQmark == 0 && (i == 0 || n.lines[i-1].flags&fQA == 0) {
				n.nz.qa[qa].off = len(n.out)
				qa++
			}
			n.line(i, nil)
		case l.flags&fBlank != 0:
			n.line(i, nil)
		case l.flags&fHeading != 0:
			if l.level != 1 || n.nz.h1 >= 0 {
				n.split(i) // not before the first H1: see walker.heading
			}
			if l.level == 1 {
				n.firstH1(len(n.nz.starts), n.headText(i))
			}
			n.heading(i, int(l.level))
		case n.raw && !n.hasATX:
			i = n.rawBlock(i)
			continue
		case l.flags&fATX != 0:
			t := n.text(i)
			_, rest := indentOf(t)
			if t[0] == '#' && (atxLevel(rest) != 1 || n.nz.h1 >= 0) {
				n.split(i) // not before the first H1: see walker.heading
			}
			if atxLevel(rest) == 1 {
				n.firstH1(len(n.nz.starts), atxText(rest))
			}
			n.line(i, t)
		case l.flags&fMarker != 0:
			i = n.list(i)
			continue
		default:
			if n.nz.h1 < 0 && i > 0 && n.lines[i-1].flags&(fBlank|fFence|fQA|fMarker|fATX) == 0 && setextH1(n.text(i)) {
				n.firstH1(len(n.nz.starts)-1, bytes.TrimSpace(n.text(i-1)))
			}
			if !n.starLine(i) {
				n.line(i, capPrefix(n.text(i)))
			}
		}
		i++
	}
	n.nz.src = n.out
	n.nz.estimate += n.nz.estimate/2 + len(n.nz.qa) + 16
}

// split notes that the output may be cut before input line i, a heading,
// when it follows a blank line at the margin.
func (n *normalizer) split(i int) {
	if i > 0 && len(n.out) > 0 && n.lines[i-1].flags&fBlank != 0 && n.lines[i-1].flags&fFence == 0 {
		n.nz.splits = append(n.nz.splits, len(n.out))
	}
}

// firstH1 records a level-1 heading, on output line line: the first one
// and the count.
func (n *normalizer) firstH1(line int, text []byte) {
	n.nz.h1s++
	if n.nz.h1 < 0 {
		n.nz.h1, n.nz.h1Text = line, text
	}
}

// atxText is the text of an ATX heading line: without its opening and
// closing #s.
func atxText(t []byte) []byte {
	t = bytes.TrimLeft(t, "#")
	t = bytes.TrimSpace(t)
	if j := len(bytes.TrimRight(t, "#")); j < len(t) && (j == 0 || t[j-1] == ' ' || t[j-1] == '\t') {
		t = bytes.TrimSpace(t[:j])
	}
	return t
}

// setextH1 reports whether t underlines a level-1 setext heading: only
// '=' after at most three spaces.
func setextH1(t []byte) bool {
	ind, rest := indentOf(t)
	rest = bytes.TrimRight(rest, " \t")
	if ind >= 4 || len(rest) == 0 {
		return false
	}
	for _, c := range rest {
		if c != '=' {
			return false
		}
	}
	return true
}

// line writes one output line standing for input line i.
func (n *normalizer) line(i int, t []byte) {
	if n.sectionLines[i] {
		if n.nz.sections == nil {
			n.nz.sections = map[int]bool{}
		}
		n.nz.sections[len(n.nz.starts)] = true
	}
	n.nz.starts = append(n.nz.starts, int32(len(n.out)))
	n.nz.orig = append(n.nz.orig, int32(i+n.first))
	n.out = append(n.out, t...)
	n.out = append(n.out, '\n')
}

func (n *normalizer) heading(i, level int) {
	n.nz.starts = append(n.nz.starts, int32(len(n.out)))
	n.nz.orig = append(n.nz.orig, int32(i+n.first))
	n.out = append(n.out, "######"[:level]...)
	n.out = append(n.out, ' ')
	n.out = append(n.out, n.headText(i)...)
	n.out = append(n.out, '\n')
}

// list writes the run of list lines starting at i and returns the line
// after it. Raw text, and markdown holding bullets it does not know, have
// their nesting read from indentation and rewritten as markdown; other
// markdown lists pass through.
func (n *normalizer) list(i int) int {
	end := i
	fancy := false
	for end < len(n.lines) {
		f := n.lines[end].flags
		if f&(fBlank|fFence|fQA|fATX|fHeading|fQmark) != 0 {
			break
		}
		if f&fMarker == 0 && n.lines[end].indent == 0 {
			break // a lazy line: markdown reads it as the item's own
		}
		if f&fMarker != 0 && !fancy {
			_, rest := indentOf(n.text(end))
			_, fancy = markerLen(rest)
		}
		end++
	}
	if !n.raw && !fancy {
		content := -1                     // the text column of the last item
		lastCol, lastOrdered := -1, false // its marker's column, and whether it is a step
		from, to := -1, -1                // bullets moved from column from to column to
		var buf []byte
		for j := i; j < end; j++ {
			t := n.text(j)
			if n.lines[j].flags&fMarker != 0 {
				col, rest := indentOf(t)
				m, _ := markerLen(rest)
				ordered := isDigit(rest[0])
				switch {
				case content >= 0 && col > content+3 && col <= maxIndent:
					// "- item" then "      - sub": markdown would read
					// the sub-bullet as text of the item; its writer
					// meant a nested bullet.
					buf = append(appendSpaces(buf[:0], content), rest...)
					t, col = buf, content
				case !ordered && (lastOrdered && col > lastCol && col < content || col == from):
					// "1. step" then " * detail": indented, but short of
					// the step's text, the bullets are the step's;
					// markdown would start a list of their own.
					if col != from {
						from, to = col, content
					}
					buf = append(appendSpaces(buf[:0], to), rest...)
					t, col = buf, to
				default:
					from = -1
				}
				content, lastCol, lastOrdered = col+m, col, ordered
			}
			n.line(j, capPrefix(t))
		}
		return end
	}
	type level struct{ col, cum, width int }
	var stack []level
	var buf []byte
	for j := i; j < end; j++ {
		col, rest := indentOf(n.text(j))
		buf = buf[:0]
		m, fancy := markerLen(rest)
		if m == 0 {
			cum := 0
			if len(stack) > 0 {
				top := stack[len(stack)-1]
				cum = top.cum + top.width
			}
			buf = appendSpaces(buf, cum)
			buf = append(buf, bytes.TrimSpace(rest)...)
			n.line(j, buf)
			continue
		}
		for len(stack) > 0 && stack[len(stack)-1].col >= col {
			stack = stack[:len(stack)-1]
		}
		if len(stack) >= maxListDepth {
			stack = stack[:maxListDepth-1]
		}
		cum := 0
		if len(stack) > 0 {
			top := stack[len(stack)-1]
			cum = top.cum + top.width
		}
		marker := bytes.TrimSpace(rest[:m])
		if fancy || marker[0] == '*' || marker[0] == '+' {
			marker = []byte("-")
		}
		buf = appendSpaces(buf, cum)
		buf = append(buf, marker...)
		buf = append(buf, ' ')
		buf = append(buf, bytes.TrimSpace(rest[m:])...)
		n.line(j, buf)
		stack = append(stack, level{col: col, cum: cum, width: len(marker) + 1})
	}
	return end
}

func appendSpaces(b []byte, k int) []byte {
	for range k {
		b = append(b, ' ')
	}
	return b
}

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
	sc := textScan{protector: protector{b: t}}
	for i := range sc.positions() {
		if t[i] != ' ' {
			continue
		}
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

// capPrefix bounds the leading indentation and the container markers
// (>, -, 1.) of a line, escaping the marker past maxNest, so that goldmark
// never builds thousands of nested blocks.
func capPrefix(t []byte) []byte {
	if len(t) == 0 {
		return t
	}
	switch c := t[0]; {
	case c == ' ' || c == '\t' || c == '>' || c == '-' || c == '*' || c == '+' || isDigit(c):
	default:
		return t
	}
	col, rest := indentOf(t)
	if col > maxIndent {
		t = append(bytes.Repeat([]byte(" "), maxIndent), rest...)
	}
	count := 0
	i := 0
	for i < len(t) {
		for i < len(t) && (t[i] == ' ' || t[i] == '\t') {
			i++
		}
		if i >= len(t) {
			break
		}
		esc := i
		switch c := t[i]; {
		case c == '>':
			i++
		case (c == '-' || c == '*' || c == '+') && i+1 < len(t) && (t[i+1] == ' ' || t[i+1] == '\t'):
			i += 2
		case isDigit(c):
			k := i
			for k < len(t) && k < i+9 && isDigit(t[k]) {
				k++
			}
			if k+1 < len(t) && (t[k] == '.' || t[k] == ')') && (t[k+1] == ' ' || t[k+1] == '\t') {
				esc = k
				i = k + 2
			} else {
				return t
			}
		default:
			return t
		}
		count++
		if count > maxNest {
			out := make([]byte, 0, len(t)+1)
			out = append(out, t[:esc]...)
			out = append(out, '\\')
			return append(out, t[esc:]...)
		}
	}
	return t
}

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
		n.nz.title = val
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
			n.nz.title = bytes.TrimSpace(rest[len(rest)-len(v):])
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

// headText is the text of heading line i: an org heading without its
// stars, timestamps and tags; a "*** Topic ***" line without its stars.
func (n *normalizer) headText(i int) []byte {
	t := bytes.TrimSpace(n.text(i))
	if inner, lvl := starHeading(t); lvl > 0 && !n.org {
		return inner
	}
	if n.org && len(t) > 0 && t[0] == '*' {
		t = bytes.TrimSpace(bytes.TrimLeft(t, "*"))
		for _, kw := range []string{"TODO ", "DONE "} {
			t = bytes.TrimPrefix(t, []byte(kw))
		}
		t = orgTrim(t)
	}
	return t
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
