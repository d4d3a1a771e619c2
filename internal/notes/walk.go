package notes

import (
	"bytes"
	"errors"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"github.com/yuin/goldmark/ast"

	"github.com/recall-cli/recall/internal/card"
)

// This file walks the syntax tree of one part of the notes in document
// order: it follows the headings above each card and makes the cards of
// paragraphs (definitions, "Q :: A" lines, clozes) and question blocks,
// handing lists to list.go.

// More limits on what one block can make.
const (
	maxDepth     = 40   // blocks nested in blocks that are still read
	maxLabel     = 300  // bytes of a paragraph that can label a list
	maxClozeUnit = 8192 // bytes of a text that can hold clozes
	// minClozeItems is the fewest members a list needs for clozes.
	minClozeItems = 3
	// maxClozeLines is the most lines a list's cloze shows: a list card
	// taller than this gets no clozes.
	maxClozeLines = 11
	// maxLabelWords is the most words of a label a list card asks by.
	maxLabelWords = 25
)

// walker walks the syntax tree in document order and makes the cards.
type walker struct {
	name, deck, normDeck string
	nz                   *normalized
	// The part of the markdown being walked (see walker.parse), and the
	// same as a string, which card text is cut from when it can be.
	src           []byte
	srcStr        string
	base          int // offset of src in nz.src
	cl            cleaner
	buf           []byte
	st            strs
	clozes, lists bool
	hideH1        bool // the first H1 names the deck: it is not in breadcrumbs
	fileTags      []string

	// The section: headings above, and what they give every card.
	heads             []head
	topNode           ast.Node // the heading node of heads' top, in this part
	ctx, ctxNorm      []string // breadcrumb: deck and headings
	subdeck           string   // the heading below the title, for card.Card.Section
	tags              []string
	sec               anchor // the section's anchor: file and heading path, no site
	listN, paraN, qaN int
	qaNext            int
	// steps is room for the list path of the block being walked, which
	// its anchors share (see anchor.inList).
	steps []int

	unit    []byte // a paragraph's lines without its explicit cards
	offs    []int
	cuts    []int   // listCards' positions of its members
	items   []item  // a stack: the items of the lists being read
	members []int32 // a stack: their list members

	lastLine int // the line outLine found last

	// topic is what the section is about just now: the term the notes
	// defined last, or the subject of the last list ("Advantages of a
	// surrogate key"). A list labelled only "Steps" or "Disadvantages"
	// under it is its list. A heading clears it.
	topic string

	// scan is set for a walker that only follows headings and tags, to
	// learn the state each part starts in (see parse).
	scan bool

	k int // the part walked
	// cont is, for a part that starts inside a list (see job), the
	// number of that list's items before the part, and contNext says the
	// part ends inside a list: such a list is walked as a chunk of the
	// whole (see chunkOK), its items numbered from itemBase.
	cont     int
	contNext bool
	chunk    bool
	itemBase int

	lint      bool
	findings  []Finding
	cardFind  []int32 // the finding each card counts for, or -1
	cur       int32   // the finding the cards pushed now count for
	cards     []card.Card
	groups    []int32
	listCloze []bool
	keyIDs    []uint64
	estimate  int // cards to make room for
	group     int32
	tooMany   bool
	err       error
}

type head struct {
	level   int
	text    string
	norm    string   // text normalised
	path    string   // the slugs of this heading and those above, joined by '/'
	tagPath string   // the same joined by "::"
	tags    []string // inline #tags of the heading and of its tag-only paragraphs
}

// strs builds the strings of a batch of cards in a strings.Builder, so
// that they cost no copy: each string is written and closed with end, and
// get cuts it from the builder's string. Batches follow each other in one
// builder while it has room, so that the cards of a big file do not each
// keep the unused end of a builder of their own.
type strs struct {
	b    strings.Builder
	base int // where the batch starts in b
	ends []int
}

// strsChunk is the least a builder of strs holds.
const strsChunk = 32 << 10

// reset starts a batch of about size bytes.
func (s *strs) reset(size int) {
	if s.b.Cap()-s.b.Len() < size {
		s.b = strings.Builder{}
		s.b.Grow(max(size, strsChunk))
	}
	s.base = s.b.Len()
	s.ends = s.ends[:0]
}

// end closes the string being built and returns its index.
func (s *strs) end() int {
	s.ends = append(s.ends, s.b.Len())
	return len(s.ends) - 1
}

// anchor writes an anchor as one string and returns its index.
func (s *strs) anchor(a anchor) int {
	a.write(&s.b)
	return s.end()
}

// num writes a number.
func (s *strs) num(n int) {
	var buf [20]byte
	s.b.Write(strconv.AppendInt(buf[:0], int64(n), 10))
}

// norm writes the normalised s (see normKey).
func (s *strs) norm(v string) {
	var buf [256]byte
	if len(v) <= len(buf) {
		s.b.Write(appendNorm(buf[:0], v))
		return
	}
	s.b.Write(appendNorm(nil, v))
}

// get returns string i.
func (s *strs) get(i int) string {
	start := s.base
	if i > 0 {
		start = s.ends[i-1]
	}
	return s.b.String()[start:s.ends[i]]
}

// section recomputes what the heading stack gives every card.
func (w *walker) section() {
	ctx := make([]string, 1, len(w.heads)+1)
	ctx[0] = w.deck
	norm := make([]string, 1, len(w.heads)+1)
	norm[0] = w.normDeck
	n := len(w.fileTags) + 1
	for _, h := range w.heads {
		ctx = append(ctx, h.text)
		norm = append(norm, h.norm)
		n += len(h.tags)
	}
	tags := make([]string, 0, n)
	tags = append(tags, w.fileTags...)
	for _, h := range w.heads {
		tags = append(tags, h.tags...)
	}
	path := ""
	if len(w.heads) > 0 {
		top := w.heads[len(w.heads)-1]
		if top.tagPath != "" {
			tags = append(tags, top.tagPath)
		}
		path = top.path
	}
	w.ctx, w.ctxNorm = ctx, norm
	w.subdeck = w.sectionOf()
	w.tags = slices.Clip(uniq(tags))
	w.sec = anchor{file: w.name, path: path}
}

// sectionOf is the first heading of the stack below the file's title: the
// one level-1 heading of a file that has only one is its title, shown in
// the breadcrumb when it does not name the deck but never a section.
func (w *walker) sectionOf() string {
	for _, h := range w.heads {
		if h.level == 1 && w.nz.h1s == 1 {
			continue
		}
		return h.text
	}
	return ""
}

// anchorAt is the anchor of block n of kind k of the section.
func (w *walker) anchorAt(k siteKind, n int) anchor {
	if w.steps == nil {
		w.steps = make([]int, 0, 16)
	}
	a := w.sec
	a.site, a.steps = site{k, n}, w.steps[:0]
	return a
}

// uniq drops repeated strings, keeping the first of each.
func uniq(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if !slices.Contains(s[:i], v) {
			out = append(out, v)
		}
	}
	return out
}

// walk makes the cards of one part of the notes: doc is its tree, src
// its text and base where it starts in the normalised notes.
func (w *walker) walk(doc ast.Node, src []byte, base int) {
	// A part's markdown is only read: the string shares its bytes.
	w.src, w.srcStr, w.base = src, unsafe.String(unsafe.SliceData(src), len(src)), base
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if w.qaNext < len(w.nz.qa) && !w.scan {
			if off := firstOffset(n); off >= 0 {
				w.flushQA(base + off)
			}
		}
		if !w.scan {
			first, last := n == doc.FirstChild() && w.cont > 0, n.NextSibling() == nil && w.contNext
			if (first || last) && n.Kind() != ast.KindList {
				w.err = errListCut
				return
			}
			w.chunk = first || last
			if first {
				w.itemBase = w.cont
			}
		}
		w.block(n, 0)
	}
}

// errListCut is the walker's error for a list the notes were cut inside
// (see normalized.listCuts) whose cards depend on more than each item:
// the parse starts over without such cuts.
var errListCut = errors.New("notes: a list cut into parts is not a list of questions")

// isDeckHeading reports whether h is the H1 that names the deck.
func (w *walker) isDeckHeading(h ast.Node) bool {
	if !w.hideH1 || h.(*ast.Heading).Level != 1 || h.Lines().Len() == 0 {
		return false
	}
	return w.outLine(w.base+h.Lines().At(0).Start) == w.nz.h1
}

func (w *walker) block(n ast.Node, depth int) {
	switch n.Kind() {
	case ast.KindHeading:
		w.heading(n.(*ast.Heading))
	case kindBlockText, ast.KindParagraph:
		w.paragraph(n)
	case ast.KindList:
		if w.scan {
			return
		}
		w.listN++
		w.list(n.(*ast.List), w.labelFor(n), w.ctx, w.ctxNorm, w.anchorAt(siteList, w.listN), depth)
	case ast.KindBlockquote:
		if depth < maxDepth {
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				w.block(c, depth+1)
			}
		}
	case ast.KindFencedCodeBlock, ast.KindCodeBlock:
		if w.lint && !w.scan {
			w.skipped(n, "code")
		}
	case ast.KindHTMLBlock:
		if w.lint && !w.scan && !w.isBreak(n) {
			w.skipped(n, "HTML")
		}
	}
}

// isBreak reports whether an HTML block is a list break the normaliser
// wrote (see listBreak).
func (w *walker) isBreak(n ast.Node) bool {
	ls := n.Lines()
	if ls.Len() != 1 {
		return false
	}
	s := ls.At(0)
	return bytes.Equal(bytes.TrimSpace(w.src[s.Start:s.Stop]), listBreak)
}

// firstOffset is where a block's first line starts, or -1.
func firstOffset(n ast.Node) int {
	for d := 0; n != nil && d < maxDepth*2; d++ {
		if n.Type() == ast.TypeBlock && n.Lines().Len() > 0 {
			return n.Lines().At(0).Start
		}
		n = n.FirstChild()
	}
	return -1
}

// flushQA makes the cards of the question blocks before offset off of
// the normalised notes.
func (w *walker) flushQA(off int) {
	for w.qaNext < len(w.nz.qa) && w.nz.qa[w.qaNext].off < off {
		q := w.nz.qa[w.qaNext]
		w.qaNext++
		w.qaN++
		front, t1 := w.cl.clean(q.front)
		back, t2 := w.cl.clean(q.back)
		_, tm := w.cl.clean(q.mark)
		front, back = trimLines(front), trimLines(back)
		prev := w.finding(w.find(-q.line, Finding{Shape: "question block", Text: w.excerpt(front)}))
		w.push(&card.Card{
			Kind:    card.Basic,
			Front:   front,
			Back:    back,
			Context: w.safeBack(w.ctx, w.ctxNorm, back),
			Tags:    w.withTags(w.tags, t1, tm, t2),
			Key:     normKey(front),
			Anchor:  w.anchorAt(siteQA, w.qaN).String(),
		}, -q.line, w.newGroup(), false)
		w.finding(prev)
	}
}

func (w *walker) heading(h *ast.Heading) {
	text, tags := w.textOf(h, ' ')
	for len(w.heads) > 0 && w.heads[len(w.heads)-1].level >= h.Level {
		w.heads = w.heads[:len(w.heads)-1]
	}
	if text != "" && !w.isDeckHeading(h) {
		hd := head{level: h.Level, text: text, norm: normKey(text), tags: tags}
		var up head
		if len(w.heads) > 0 {
			up = w.heads[len(w.heads)-1]
		}
		hd.path, hd.tagPath = up.path, up.tagPath
		if sl := slug(text); sl != "" {
			if up.path != "" {
				hd.path, hd.tagPath = up.path+"/"+sl, up.tagPath+"::"+sl
			} else {
				hd.path, hd.tagPath = sl, sl
			}
		}
		w.heads = append(w.heads, hd)
		w.topNode = h
	} else if len(tags) > 0 {
		w.fileTags = append(w.fileTags, tags...)
	}
	if !w.scan {
		w.section()
	}
	if w.isDeckHeading(h) && len(w.heads) == 0 {
		// The deck's heading leaves the path as it was: the lists after
		// it go on counting from those before it, so that no two share
		// an anchor. (The notes are never cut before it, see
		// normalized.splits.)
		return
	}
	w.listN, w.paraN, w.qaN = 0, 0, 0
	w.topic = ""
}

// raw returns the text of a block's lines, each trimmed, joined by sep.
// The result is only good until the next call.
func (w *walker) raw(n ast.Node, sep byte) []byte {
	ls := n.Lines()
	switch ls.Len() {
	case 0:
		return nil
	case 1:
		s := ls.At(0)
		return bytes.TrimSpace(w.src[s.Start:s.Stop])
	}
	b := w.buf[:0]
	for i := range ls.Len() {
		s := ls.At(i)
		if i > 0 {
			b = append(b, sep)
		}
		b = append(b, bytes.TrimSpace(w.src[s.Start:s.Stop])...)
	}
	w.buf = b
	return b
}

// textOf returns a block's cleaned text (see cleaner.clean), its lines
// joined by sep, and its tags. The common case, one line with nothing to
// clean, costs no allocation: the text is cut from srcStr.
func (w *walker) textOf(n ast.Node, sep byte) (string, []string) {
	if a, b, ok := w.plainLine(n); ok {
		return w.srcStr[a:b], nil
	}
	return w.cl.clean(w.raw(n, sep))
}

// plainLine returns where the text of a one-line block with nothing to
// clean is in src.
func (w *walker) plainLine(n ast.Node) (int, int, bool) {
	ls := n.Lines()
	if ls.Len() != 1 {
		return 0, 0, false
	}
	s := ls.At(0)
	a, b := trimSpan(w.src, s.Start, s.Stop)
	t := w.src[a:b]
	return a, b, !mayClean(t)
}

// trimSpan trims the spaces at both ends of src[a:b].
func trimSpan(src []byte, a, b int) (int, int) {
	for a < b && isSpace(src[a]) {
		a++
	}
	for b > a && isSpace(src[b-1]) {
		b--
	}
	return a, b
}

// interesting reports whether a paragraph may hold card markers.
func interesting(b []byte) bool {
	return bytes.Contains(b, []byte("::")) || bytes.Contains(b, []byte("==")) || bytes.Contains(b, []byte("{{"))
}

func (w *walker) paragraph(n ast.Node) {
	w.paraN++
	b := w.raw(n, '\n')
	if len(b) == 0 {
		return
	}
	if !interesting(b) {
		if b[0] == '#' {
			// A paragraph of tags only tags its section.
			if text, tags := w.cl.clean(b); text == "" && len(tags) > 0 {
				if len(w.heads) == 0 {
					w.fileTags = append(w.fileTags, tags...)
				} else {
					h := &w.heads[len(w.heads)-1]
					h.tags = append(h.tags, tags...)
				}
				if !w.scan {
					w.section()
				}
				return
			}
		}
		if !w.scan && !w.paraDefinition(n) && w.lint && !w.labels(n) {
			w.skipped(n, "prose")
		}
		return
	}
	if w.scan {
		return
	}
	made := len(w.cards)
	defer func() {
		if w.lint && len(w.cards) == made && !w.labels(n) {
			w.skipped(n, "prose")
		}
	}()
	at := w.anchorAt(sitePara, w.paraN)
	ls := n.Lines()
	unit := w.unit[:0]
	offs := w.offs[:0] // where each line of unit starts in src
	for i := range ls.Len() {
		s := ls.At(i)
		a, b := trimSpan(w.src, s.Start, s.Stop)
		line := w.src[a:b]
		if pos, l := explicitSep(line); pos >= 0 {
			q, t1 := w.cl.clean(line[:pos])
			ans, t2 := w.cl.clean(line[pos+l:])
			prev := w.finding(w.find(a, Finding{Shape: "question", Text: w.excerpt(q)}))
			w.explicit(q, ans, l == 3, w.ctx, w.ctxNorm, w.withTags(w.tags, t1, t2), at.item(i+1), a)
			w.finding(prev)
			continue
		}
		if len(unit) > 0 {
			unit = append(unit, '\n')
		}
		offs = append(offs, a)
		unit = append(unit, line...)
	}
	w.unit, w.offs = unit, offs
	if len(unit) > 0 && (bytes.Contains(unit, []byte("==")) || bytes.Contains(unit, []byte("{{"))) {
		text, tags := w.cl.clean(unit)
		prev := w.finding(w.find(offs[0], Finding{Shape: "cloze", Text: w.excerpt(text)}))
		w.clozeCards([]byte(text), offs, w.ctx, w.ctxNorm, w.withTags(w.tags, tags), at)
		w.finding(prev)
	}
}

// paraDef is a definition read from a paragraph (see paraDefOf).
type paraDef struct {
	term, def string
	question  bool // the "term" is a question its definition answers
	tags      []string
	off       int
}

// paraDefOf reads a paragraph that is one definition: "Term: definition",
// "Term = definition" and the other forms of a bullet, on one line (in
// raw text, one line with the lines that carry it on), with a real term
// and a definition of one or two short sentences. In raw text, a line
// that asks and answers ("How does a container work? take your computer
// and…") is one too.
func (w *walker) paraDefOf(n ast.Node) (paraDef, bool) {
	ls := n.Lines()
	if ls.Len() == 0 || ls.Len() > 1 && !w.nz.raw {
		return paraDef{}, false
	}
	b := w.raw(n, ' ')
	if len(b) == 0 || b[len(b)-1] == ':' || !w.nz.raw && (!strongDefB(b) || !mayDefine(b)) || wordsB(b) > maxTermWords+maxParaDefWords+2 {
		return paraDef{}, false
	}
	text, tags := w.cl.clean(b)
	if text == "" || text[len(text)-1] == ':' {
		return paraDef{}, false
	}
	d := paraDef{tags: tags, off: ls.At(0).Start}
	if term, def, ok := definition(text, []byte(text)); ok && termOK(term) && defOK(def) && words(def) <= maxParaDefWords && (w.nz.raw || strongDef(text)) {
		d.term, d.def = term, def
		return d, true
	}
	if w.nz.raw {
		if q, a, ok := strings.Cut(text, "? "); ok && isQuestion([]byte(q)) && !deictic(q) && words(q) <= 12 && defOK(a) && words(a) <= maxParaDefWords {
			d.term, d.def, d.question = q+"?", strings.TrimSpace(a), true
			return d, true
		}
	}
	return paraDef{}, false
}

// strongDefB is strongDef of the raw bytes of a paragraph, before they
// are cleaned: a cheap test that rules most prose out.
func strongDefB(b []byte) bool {
	if bytes.HasPrefix(b, []byte("**")) || bytes.HasPrefix(b, []byte("__")) {
		return true
	}
	// Every strong separator holds '=' or '>'.
	if bytes.IndexByte(b, '=') < 0 && bytes.IndexByte(b, '>') < 0 {
		return false
	}
	return bytes.Contains(b, []byte(" = ")) || bytes.Contains(b, []byte(" == ")) || bytes.Contains(b, []byte(" -> ")) || bytes.Contains(b, []byte(" => "))
}

// strongDef reports whether a line of markdown prose is written as a
// definition, not a sentence with a colon in it: its term is in bold, or
// its separator is "=", "==", "->" or "=>".
func strongDef(text string) bool {
	if strings.HasPrefix(text, "**") || strings.HasPrefix(text, "__") {
		return true
	}
	n, l := defSep([]byte(text))
	if n < 0 {
		return false
	}
	sep := strings.TrimSpace(text[n : n+l])
	return sep == "=" || sep == "==" || sep == "->" || sep == "=>"
}

// paraDefinition makes the card of a paragraph that is a definition,
// unless the list right under it takes it as its label (see paraLabel).
func (w *walker) paraDefinition(n ast.Node) bool {
	d, ok := w.paraDefOf(n)
	if !ok {
		return false
	}
	if w.labels(n) {
		return true
	}
	prev := w.finding(w.find(d.off, Finding{Shape: "definition", Text: w.excerpt(d.term)}))
	w.defCard(d, "", w.ctx, w.ctxNorm, w.anchorAt(sitePara, w.paraN).with(suffixDef, 0))
	w.finding(prev)
	return true
}

// labels reports whether paragraph n labels the list right after it.
func (w *walker) labels(n ast.Node) bool {
	next := n.NextSibling()
	if next == nil || next.Kind() != ast.KindList {
		return false
	}
	_, ok := w.paraLabel(n, !next.HasBlankPreviousLines())
	return ok
}

// defCard makes the card "Term?" → definition of a paragraph, with more
// (its folded list, if any) after the definition.
func (w *walker) defCard(d paraDef, more string, ctx, ctxNorm []string, at anchor) {
	if !d.question {
		w.topic = d.term
	}
	front := question(d.term)
	w.push(&card.Card{
		Kind: card.Basic, Front: front, Back: d.def + more,
		Context: w.safeBack(ctx, ctxNorm, d.def+more),
		Tags:    w.withTags(w.tags, d.tags),
		Key:     normKey(front), Anchor: at.String(),
	}, d.off, w.newGroup(), false)
}

// wordsB counts the space-separated words of b.
func wordsB(b []byte) int {
	n := 0
	in := false
	for _, c := range b {
		if c == ' ' || c == '\t' || c == '\n' {
			in = false
		} else if !in {
			in = true
			n++
		}
	}
	return n
}

// explicit makes the cards of "Q :: A" (and, with ":::", its reverse).
func (w *walker) explicit(q, a string, rev bool, ctx, ctxNorm, tags []string, at anchor, off int) {
	q, a = strings.TrimSpace(q), strings.TrimSpace(a)
	if q == "" || a == "" {
		return
	}
	st := &w.st
	st.reset(2*len(q) + 2*len(a) + 2*at.len() + 24)
	st.norm(q)
	kq := st.end()
	st.norm(a)
	ka := st.end()
	an := st.anchor(at)
	ra := st.anchor(at.with(suffixReverse, 0))
	g := w.newGroup()
	w.push(&card.Card{
		Kind: card.Basic, Front: q, Back: a,
		Context: w.safe(ctx, ctxNorm, st.get(ka)),
		Tags:    tags, Key: st.get(kq), Anchor: st.get(an),
	}, off, g, false)
	if rev {
		w.push(&card.Card{
			Kind: card.Reverse, Front: a, Back: q,
			Context: w.safe(ctx, ctxNorm, st.get(kq)),
			Tags:    tags, Key: st.get(ka), Anchor: st.get(ra),
		}, off, g, false)
	}
}

// clozeCards makes one cloze card per cloze number of unit, in pieces
// when it is too long to show whole (see clozePieces). offs are the
// offsets in src of unit's lines.
func (w *walker) clozeCards(unit []byte, offs []int, ctx, ctxNorm, tags []string, at anchor) {
	parts := parseClozes(unit)
	if parts == nil {
		return
	}
	pieces := clozePieces(parts, len(unit))
	lines := []int{0} // where each line of unit starts
	for i, c := range unit {
		if c == '\n' {
			lines = append(lines, i+1)
		}
	}
	lineOf := func(off int) int {
		i, _ := slices.BinarySearch(lines, off+1)
		return i - 1
	}
	for _, pc := range pieces {
		if len(w.cards) >= maxCards {
			w.tooMany = true
			return
		}
		var first clozePart
		for _, p := range pc.parts {
			if p.num > 0 {
				first = p
				break
			}
		}
		off := offs[min(lineOf(first.off), len(offs)-1)]
		if pc.tooBig {
			w.warn(off, "clozes too far apart to show on one card (more than %d numbers, or one number in places %d KB apart): no cards; number them apart or split the text", maxClozes, maxClozeUnit/1024)
			continue
		}
		w.clozePiece(pc.parts, offs, lineOf, ctx, ctxNorm, tags, at)
	}
	if len(pieces) > 1 {
		n := 0
		for _, p := range parts {
			if p.num > 0 {
				n++
			}
		}
		w.warn(offs[0], "a cloze text of %d clozes (%d KB) is cut in %d parts: each card shows the part around its cloze", n, (len(unit)+1023)/1024, len(pieces))
	}
}

// clozePiece makes the cards of a piece of a cloze text, one per cloze
// number, each showing the piece. lineOf gives the line of unit of an
// offset in it.
func (w *walker) clozePiece(parts []clozePart, offs []int, lineOf func(int) int, ctx, ctxNorm, tags []string, at anchor) {
	var nums []int
	size := 0
	for _, p := range parts {
		size += len(p.text)
		if p.num > 0 && !slices.Contains(nums, p.num) {
			nums = append(nums, p.num)
		}
	}
	slices.Sort(nums)
	g := w.newGroup()
	st := &w.st
	for _, num := range nums {
		st.reset(3*size + at.len() + 64)
		delAt := -1
		for _, p := range parts {
			switch {
			case p.num != num:
				st.b.WriteString(p.text)
			case p.hint != "":
				st.b.WriteByte('[')
				st.b.WriteString(p.hint)
				st.b.WriteByte(']')
			default:
				st.b.WriteString(card.Gap)
			}
		}
		front := st.end()
		for _, p := range parts {
			if p.num != num {
				st.b.WriteString(textEscape(p.text))
				continue
			}
			st.b.WriteString("{{c1::")
			st.b.WriteString(clozeEscape(p.text))
			if p.hint != "" {
				st.b.WriteString("::")
				st.b.WriteString(clozeEscape(p.hint))
			}
			st.b.WriteString("}}")
		}
		text := st.end()
		for _, p := range parts {
			if p.num != num {
				continue
			}
			if delAt >= 0 {
				st.b.WriteString("; ")
			} else {
				delAt = p.off
			}
			st.b.WriteString(p.text)
		}
		back := st.end()
		st.b.WriteString("cloze:|")
		st.norm(st.get(back))
		key := st.end()
		// Each deletion is an answer the breadcrumb must not give.
		first := len(st.ends)
		for _, p := range parts {
			if p.num == num {
				st.norm(p.text)
				st.end()
			}
		}
		ctx := w.safeAll(ctx, ctxNorm, first, len(st.ends))
		an := st.anchor(at.with(suffixCloze, num))
		line := lineOf(delAt)
		w.push(&card.Card{
			Kind:    card.Cloze,
			Front:   st.get(front),
			Back:    st.get(back),
			Context: ctx,
			Tags:    tags,
			Key:     st.get(key),
			Anchor:  st.get(an),
			Text:    st.get(text),
		}, offs[min(line, len(offs)-1)], g, false)
	}
}

// safeAll is safe for the answers that are strings from to to of w.st,
// normalised.
func (w *walker) safeAll(ctx, ctxNorm []string, from, to int) []string {
	return withoutLeaks(ctx, ctxNorm, func(c string) bool {
		for a := from; a < to; a++ {
			if leaks(c, w.st.get(a)) {
				return true
			}
		}
		return false
	})
}

// leaks reports whether a breadcrumb entry c gives away an answer a (both
// normalised): it equals it, or holds it when it is 12 characters or more.
func leaks(c, a string) bool {
	return a != "" && (c == a || len(a) >= 12 && strings.Contains(c, a))
}

// safe returns ctx without the entries that would give the (normalised)
// answer away.
func (w *walker) safe(ctx, ctxNorm []string, answer string) []string {
	return withoutLeaks(ctx, ctxNorm, func(c string) bool { return leaks(c, answer) })
}

// safeBack is safe for a back of several lines: an entry gives it away
// when it gives away the whole or its first line (a definition, before
// what it folds in).
func (w *walker) safeBack(ctx, ctxNorm []string, back string) []string {
	first, _, more := strings.Cut(back, "\n")
	if !more {
		return w.safe(ctx, ctxNorm, normKey(back))
	}
	whole, line := normKey(back), normKey(first)
	return withoutLeaks(ctx, ctxNorm, func(c string) bool { return leaks(c, whole) || leaks(c, line) })
}

// withoutLeaks returns ctx without the entries whose normalised form leak
// reports; ctx itself, unallocated, when none does (the common case).
func withoutLeaks(ctx, ctxNorm []string, leak func(string) bool) []string {
	var out []string
	for i, c := range ctxNorm {
		l := leak(c)
		switch {
		case l && out == nil:
			out = append(make([]string, 0, len(ctx)), ctx[:i]...)
		case !l && out != nil:
			out = append(out, ctx[i])
		}
	}
	if out == nil {
		return ctx
	}
	return slices.Clip(out)
}

// withTags returns base with more tags added, or base itself when there
// are none.
func (w *walker) withTags(base []string, more ...[]string) []string {
	n := 0
	for _, m := range more {
		n += len(m)
	}
	if n == 0 {
		return base
	}
	out := make([]string, 0, len(base)+n)
	out = append(out, base...)
	for _, m := range more {
		out = append(out, m...)
	}
	return slices.Clip(uniq(out))
}

func (w *walker) newGroup() int32 {
	w.group++
	return w.group
}

// push adds a card made at offset off of src (or, when off is negative,
// at original line -off). listCloze marks the clozes of a list.
func (w *walker) push(c *card.Card, off int, group int32, listCloze bool) {
	if len(w.cards) >= maxCards {
		w.tooMany = true
		return
	}
	if cap(w.cards) == 0 {
		w.cards = make([]card.Card, 0, w.estimate)
		w.groups = make([]int32, 0, w.estimate)
		w.listCloze = make([]bool, 0, w.estimate)
	}
	w.cards = append(w.cards, *c)
	w.groups = append(w.groups, group)
	w.listCloze = append(w.listCloze, listCloze)
	if w.lint {
		w.cardFind = append(w.cardFind, w.cur)
		if w.cur >= 0 {
			w.findings[w.cur].Cards++
		}
	}
	p := &w.cards[len(w.cards)-1]
	p.Deck = w.deck
	p.Section = w.subdeck
	line := -off
	if off >= 0 {
		line = w.lineAt(off)
	}
	p.Source = card.Source{File: w.name, Line: line}
}

// lineAt maps an offset of src to the line of the original input.
func (w *walker) lineAt(off int) int {
	return int(w.nz.orig[w.outLine(w.base+off)])
}

// outLine returns the line of the normalised notes holding offset off.
func (w *walker) outLine(off int) int {
	s := w.nz.starts
	// The walk goes forward: look a few lines past the last answer first.
	if i := w.lastLine; i < len(s) && int(s[i]) <= off {
		for range 8 {
			if i+1 == len(s) || int(s[i+1]) > off {
				w.lastLine = i
				return i
			}
			i++
		}
	}
	lo, hi := 0, len(s)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if int(s[m]) <= off {
			lo = m + 1
		} else {
			hi = m
		}
	}
	w.lastLine = max(lo-1, 0)
	return w.lastLine
}

// trimLines drops the spaces a cut tag or note leaves at the ends of the
// lines of a block's text, and the lines it leaves empty.
func trimLines(s string) string {
	if !strings.Contains(s, " \n") && !strings.Contains(s, "\n\n") {
		return s
	}
	lines := strings.Split(s, "\n")
	out := lines[:0]
	for _, l := range lines {
		if l = strings.TrimRight(l, " \t"); l != "" {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
