package notes

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/yuin/goldmark/util"
)

// This file holds the normaliser's frame: it cuts the input into lines,
// sorts them (fences, HTML blocks, blanks, list markers, headings, "?"
// lines), lifts question blocks out, and writes the markdown goldmark
// reads with a map back to the lines of the input. What it does for one
// kind of input is in raw.go and raw_headings.go (raw text), org.go,
// logseq.go, details.go and starline.go.

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
	raw bool // the notes are raw text, not markdown
	org bool // the notes are org-mode: "- term :: description" defines
	// src is the markdown, or nil when it went to spill as it was
	// written; size is its length either way.
	src    []byte
	size   int
	spill  Spill
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
	// listCuts are offsets where src may be cut inside a list (see
	// normalizer.listCutsOK), in order, at least listGap bytes apart.
	listCuts []listCut
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

// listCut is a place inside a long list where the notes may be cut into
// parts: before an item of a list of questions that sits right under a
// heading, items being the list's items before it (see walker.list).
type listCut struct {
	off, items int
}

// qaBlock is a question block and an answer block around a line that is
// only "?". The normaliser lifts it out of the markdown, leaving blank lines.
type qaBlock struct {
	off   int // offset in src of the question's first line
	line  int // original line of the question
	front []byte
	back  []byte
	mark  []byte // the "?" line, which may carry tags
}

// qmarkLine reports whether a line is a question block's "?" line: only
// "?", or "?" and tags or notes to self ("? #hard"), which would read as
// a bare "?" in the block once cut.
func qmarkLine(rest []byte) bool {
	if rest[0] == '?' && len(bytes.TrimSpace(rest)) == 1 {
		return true
	}
	if !bytes.Contains(rest, []byte("?")) || !mayClean(rest) {
		return false
	}
	t, _ := (&cleaner{}).clean(rest)
	return t == "?"
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
//
// listGap is the least distance between the places where a long list of
// questions may be cut (normalized.listCuts); 0 marks none. With spill,
// the markdown goes to it as it is written instead of staying in memory.
func normalize(body []byte, firstLine int, kind int, listGap int, spill Spill) (*normalized, error) {
	lines := splitLines(body)
	raw := kind == kindRaw
	nz := &normalized{h1: -1, raw: raw, org: kind == kindOrg, spill: spill}
	n := &normalizer{body: body, lines: lines, raw: raw, org: kind == kindOrg, nz: nz, first: firstLine, listGap: listGap}
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
	return nz, n.err
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
	listGap      int
	nz           *normalized
	// out is the markdown written; with a spill, only what was written
	// since outBase, the length of what went to the spill before.
	out     []byte
	outBase int
	err     error // of the spill
}

// part returns the markdown from start to end: a slice of src, or read
// back from the spill.
func (nz *normalized) part(start, end int) ([]byte, error) {
	if nz.spill == nil {
		return nz.src[start:end], nil
	}
	b := make([]byte, end-start)
	if _, err := nz.spill.ReadAt(b, int64(start)); err != nil {
		return nil, fmt.Errorf("reading back the notes: %w", err)
	}
	return b, nil
}

// off is the length of the markdown written so far.
func (n *normalizer) off() int { return n.outBase + len(n.out) }

// spillSize is how much markdown the normaliser holds before it writes
// it to the spill.
const spillSize = 64 << 10

// flush writes the markdown held to the spill, if there is one and it
// holds enough (or all, at the end).
func (n *normalizer) flush(all bool) {
	if n.nz.spill == nil || len(n.out) < spillSize && !all {
		return
	}
	if n.err == nil {
		_, n.err = n.nz.spill.WriteAt(n.out, int64(n.outBase))
	}
	n.outBase += len(n.out)
	n.out = n.out[:0]
}

func splitLines(b []byte) []lineRec {
	lines := make([]lineRec, 0, bytes.Count(b, []byte("\n"))+1)
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
		case qmarkLine(rest):
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
			mark:  bytes.Clone(n.text(i)),
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

// emit writes the markdown and the line map.
func (n *normalizer) emit() {
	if n.nz.spill != nil {
		n.out = make([]byte, 0, 2*spillSize)
	} else {
		n.out = make([]byte, 0, len(n.body)+len(n.body)/16+64)
	}
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
				n.nz.qa[qa].off = n.off()
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
	n.flush(true)
	n.nz.size = n.off()
	if n.nz.spill == nil {
		n.nz.src = n.out
	}
	n.nz.estimate += n.nz.estimate/2 + len(n.nz.qa) + 16
}

// split notes that the output may be cut before input line i, a heading,
// when it follows a blank line at the margin.
func (n *normalizer) split(i int) {
	if i > 0 && n.off() > 0 && n.lines[i-1].flags&fBlank != 0 && n.lines[i-1].flags&fFence == 0 {
		n.nz.splits = append(n.nz.splits, n.off())
	}
}

// firstH1 records a level-1 heading, on output line line: the first one
// and the count.
func (n *normalizer) firstH1(line int, text []byte) {
	n.nz.h1s++
	if n.nz.h1 < 0 {
		n.nz.h1, n.nz.h1Text = line, bytes.Clone(text) // not a part of the input, which can go
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
	n.nz.starts = append(n.nz.starts, int32(n.off()))
	n.nz.orig = append(n.nz.orig, int32(i+n.first))
	n.out = append(n.out, t...)
	n.out = append(n.out, '\n')
	n.flush(false)
}

func (n *normalizer) heading(i, level int) {
	n.nz.starts = append(n.nz.starts, int32(n.off()))
	n.nz.orig = append(n.nz.orig, int32(i+n.first))
	n.out = append(n.out, "######"[:level]...)
	n.out = append(n.out, ' ')
	n.out = append(n.out, n.headText(i)...)
	n.out = append(n.out, '\n')
	n.flush(false)
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
		cuts := n.listGap > 0 && n.listCutsOK(i, end)
		lastCut := n.off()
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
			if cuts && j > i && n.off()-lastCut >= n.listGap {
				n.nz.listCuts = append(n.nz.listCuts, listCut{off: n.off(), items: j - i})
				lastCut = n.off()
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

// listCutsOK reports whether the list of lines i to end may be cut
// between its items into parts that goldmark parses alone, the walker
// carrying the list over (see walker.list): a tight list, right under an
// ATX heading with only empty lines between, ended by an empty line, a
// heading or the end, whose every line is a bullet at the margin, of one
// marker, holding "::". Such a list's items are questions, each its own
// card, whatever the others are; the walker checks that they are and the
// parse starts over without these cuts when they are not.
func (n *normalizer) listCutsOK(i, end int) bool {
	if end < len(n.lines) && n.lines[end].flags&(fATX|fHeading) == 0 && !n.empty(end) {
		return false
	}
	p := i - 1
	for p >= 0 && n.empty(p) {
		p--
	}
	if p < 0 || n.lines[p].flags&fATX == 0 || n.lines[p].flags&(fFence|fQA) != 0 {
		return false
	}
	// Under a level-1 heading, which may name the deck and then go on
	// counting the blocks above it (see walker.heading), only when it is
	// the first line.
	if _, rest := indentOf(n.text(p)); atxLevel(rest) == 1 {
		for q := p - 1; q >= 0; q-- {
			if !n.empty(q) {
				return false
			}
		}
	}
	var marker byte
	for j := i; j < end; j++ {
		l := n.lines[j]
		t := n.text(j)
		if l.flags&fMarker == 0 || l.flags&(fFence|fQA|fQmark) != 0 || l.indent != 0 || len(t) < 2 {
			return false
		}
		if c := t[0]; c != '-' && c != '*' && c != '+' || t[1] != ' ' || marker != 0 && c != marker {
			return false
		}
		marker = t[0]
		if !bytes.Contains(t, []byte("::")) {
			return false
		}
	}
	return true
}

// empty reports whether line i is empty but for spaces, and no part of a
// block.
func (n *normalizer) empty(i int) bool {
	return n.lines[i].flags&(fFence|fQA) == 0 && len(bytes.TrimSpace(n.text(i))) == 0
}
