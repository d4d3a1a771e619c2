package notes

import (
	"bytes"
	"slices"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"

	"github.com/recall-cli/recall/internal/card"
)

// labelFor finds what a list at the top of a section is a list of: the
// paragraph right before it (touching it, ending in ':' or a short line),
// else the heading right before it, else the section's heading, else the
// deck.
func (w *walker) labelFor(n ast.Node) label {
	prev := n.PreviousSibling()
	if prev != nil {
		switch prev.Kind() {
		case kindBlockText, ast.KindParagraph:
			if lab, ok := w.paraLabel(prev, !n.HasBlankPreviousLines()); ok {
				return lab
			}
		case ast.KindHeading:
			if prev == w.topNode && len(w.heads) > 0 {
				h := w.heads[len(w.heads)-1]
				text, norm := h.text, w.ctxNorm[len(w.ctxNorm)-1]
				if t := strings.TrimRight(text, ": "); t != text && t != "" {
					text, norm = t, normKey(t)
				}
				return label{text: text, norm: norm, direct: true, from: fromHeading, colon: text != h.text}
			}
		}
	}
	if len(w.heads) > 0 {
		h := w.heads[len(w.heads)-1]
		return label{text: h.text, norm: w.ctxNorm[len(w.ctxNorm)-1], from: fromHeading}
	}
	return label{text: w.deck, norm: w.normDeck, from: fromHeading}
}

// paraLabel reads the paragraph p before a list as its label. Of a
// paragraph of several lines, the label is its last sentence: in raw text
// its last line, in markdown the lines after the last one that ends a
// sentence. A paragraph that is metadata, only a link or a note to self
// labels nothing.
func (w *walker) paraLabel(p ast.Node, touching bool) (label, bool) {
	ls := p.Lines()
	n := ls.Len()
	from := 0
	for i := n - 1; i > 0; i-- {
		s := ls.At(i - 1)
		a, b := trimSpan(w.src, s.Start, s.Stop)
		if w.nz.raw && (b == a || w.src[b-1] != ':') || !w.nz.raw && b > a && strings.IndexByte(".?!", w.src[b-1]) >= 0 {
			// In raw text a line is a thought of its own, but labels
			// above the last chain into it ("LLMs:" "several parts:").
			from = i
			break
		}
	}
	b := w.buf[:0]
	for i := from; i < n; i++ {
		s := ls.At(i)
		if i > from {
			b = append(b, ' ')
		}
		b = append(b, bytes.TrimSpace(w.src[s.Start:s.Stop])...)
	}
	w.buf = b
	if len(b) == 0 || len(b) > maxLabel {
		return label{}, false
	}
	colon := b[len(b)-1] == ':'
	if !touching && !colon && (n-from > 1 || words(string(b)) > 12 || b[len(b)-1] == '.' || b[len(b)-1] == '!') {
		return label{}, false
	}
	if bytes.Contains(b, []byte("::")) && firstSep(b) >= 0 {
		return label{}, false
	}
	var text string
	var tags []string
	if from == 0 {
		text, tags = w.textOf(p, ' ')
	} else {
		text, tags = w.cl.clean(b)
	}
	text = strings.TrimSpace(strings.TrimRight(text, ":"))
	if text == "" || isMeta(text) || linkOnly(text) || isSelfNote(text) {
		return label{}, false
	}
	lab := label{text: text, norm: normKey(text), tags: tags, direct: true, para: true, colon: colon, from: fromParagraph}
	if from == 0 && !colon {
		// A definition labels its list by its term, unless it only
		// counts the list ("Structure: has 3 components").
		if d, ok := w.paraDefOf(p); ok && !d.question && (words(d.def) > 4 || !listOfMany(p.NextSibling())) {
			lab.text, lab.norm, lab.def = d.term, normKey(d.term), &d
		} else if term, _, ok := definition(text, []byte(text)); ok && termOK(term) && strongDef(text) && listOfMany(p.NextSibling()) {
			// "Clean Architecture: defined by Uncle Bob in 2012" defines
			// nothing, but its term still names the list.
			lab.text, lab.norm = term, normKey(term)
		}
	}
	return lab, true
}

// listOfMany reports whether n is a list of two items or more.
func listOfMany(n ast.Node) bool {
	return n != nil && n.Kind() == ast.KindList && n.FirstChild() != nil && n.FirstChild().NextSibling() != nil
}

// item kinds.
const (
	itemEmpty = iota
	itemPlain
	itemDef
	itemExplicit
	itemCloze
)

// item roles: what an item is to its list.
const (
	// roleSkip is an item that is not content: empty, metadata, a note to
	// self, a reaction or filler. It is in no card.
	roleSkip = iota
	// roleMember is an item to recall.
	roleMember
	// roleHeader is an item whose substance is its children: a list card
	// shows it with them, and it is never hidden or an answer alone.
	roleHeader
	// roleRef is a bare link: shown as a reference, never counted or
	// hidden.
	roleRef
	// roleExample is an example ("e.g. …", "For example" over a list):
	// shown, never counted or hidden; the lists under it make no card.
	roleExample
)

type item struct {
	node     ast.Node
	text     string
	raw      []byte // text as bytes (in src, or a copy)
	tags     []string
	off      int
	num      int
	kind     int
	role     int
	why      string // why a skipped item is skipped (see skipReason)
	term     string
	def      string
	sep, sl  int  // explicit separator
	children bool // it holds a list
	colon    bool // its text ended in ':'
	nw       int  // words in text (of an item that is not skipped)
	long     bool // too long to hide
	folded   bool // a definition that shows its children in its back
}

// itemText reads the text of a list item: its first paragraph, cleaned,
// without a page reference, and with a quotation that
// follows it (a "> quote" under a bullet) as part of it. colon reports
// whether the text ended in ':', which is trimmed from an item that holds
// a list. The common case, one plain line, costs no allocation.
func (w *walker) itemText(c ast.Node, children bool) (text string, raw []byte, tags []string, colon bool, off int) {
	text, raw, tags, colon, off = w.itemText1(c, children)
	if w.nz.org && bytes.Contains(raw, []byte(" :: ")) {
		// An org description list item, "term :: description", is read
		// as the definition it is: "term: description".
		if pos, sl := explicitSep(raw); pos >= 0 && sl == 2 {
			text = strings.TrimSpace(text[:pos]) + ": " + strings.TrimSpace(text[pos+sl:])
			raw = []byte(text)
		}
	}
	return text, raw, tags, colon, off
}

// itemText1 is itemText for any notes.
func (w *walker) itemText1(c ast.Node, children bool) (text string, raw []byte, tags []string, colon bool, off int) {
	first := c.FirstChild()
	var quote ast.Node
	if first != nil && first.Kind() == ast.KindBlockquote {
		quote, first = first, nil
	} else if first != nil && first.NextSibling() != nil && first.NextSibling().Kind() == ast.KindBlockquote {
		quote = first.NextSibling()
	}
	if quote == nil && c.NextSibling() == nil && c.Parent() != nil && c.Parent().Parent() != nil && c.Parent().Parent().Kind() == ast.KindListItem {
		// "- try" then "> quote" under the item above: markdown gives
		// the quote to that item, its writer meant it for this one.
		if q := c.Parent().NextSibling(); q != nil && q.Kind() == ast.KindBlockquote && q.PreviousSibling() == c.Parent() {
			quote = q
		}
	}
	if l, ok := first.(*ast.List); ok && wrapper(c) {
		// "- 1. Anytime": a bullet that only holds a one-item list is
		// that item, number and all.
		t, r, tg, cl, o := w.itemText(l.FirstChild(), false)
		if t != "" && l.IsOrdered() {
			t = strconv.Itoa(l.Start) + ". " + t
			r = []byte(t)
		}
		return t, r, tg, cl, o
	}
	if first == nil || !isText(first) || first.Lines().Len() == 0 {
		off = firstOffset(c)
		if quote != nil {
			text, tags = w.quoteText(quote)
			raw = []byte(text)
		}
		return text, raw, tags, false, off
	}
	off = first.Lines().At(0).Start
	if a, b, ok := w.plainLine(first); ok && quote == nil && (b-a < 2 || w.src[a] != 'p' || !isDigit(w.src[a+1])) {
		colon = b > a && w.src[b-1] == ':'
		if children {
			for b > a && w.src[b-1] == ':' {
				b--
			}
			a, b = trimSpan(w.src, a, b)
		}
		return w.srcStr[a:b], w.src[a:b], nil, colon, off
	}
	text, tags = w.cl.clean(w.raw(first, ' '))
	if k := pageRef(text); k > 0 {
		text = strings.TrimSpace(text[k:])
	}
	if quote != nil {
		if q, qtags := w.quoteText(quote); q != "" {
			text = strings.TrimRight(text, " :") + " “" + q + "”"
			tags = append(tags, qtags...)
		}
	}
	colon = strings.HasSuffix(text, ":")
	if children {
		text = strings.TrimSpace(strings.TrimRight(text, ":"))
	}
	return text, []byte(text), tags, colon, off
}

// quoteText is the text of a blockquote's paragraphs, cleaned and joined.
func (w *walker) quoteText(q ast.Node) (string, []string) {
	var parts []string
	var tags []string
	for ch := q.FirstChild(); ch != nil; ch = ch.NextSibling() {
		if isText(ch) {
			t, tg := w.cl.clean(w.raw(ch, ' '))
			if t != "" {
				parts = append(parts, t)
				tags = append(tags, tg...)
			}
		}
	}
	return strings.Join(parts, " "), tags
}

// pageRef returns the length of the page reference opening an item of
// book notes ("p18: ", "p35 The…", "pp. 3-5: "), or 0. A bare "p" with
// its number needs a colon or a capital after it, so that "p99 latency"
// stays.
func pageRef(s string) int {
	k := pageRefEnd(s)
	if k == 0 || k >= len(s) {
		return 0
	}
	if s[0] == 'p' && s[1] != 'p' && s[1] != '.' {
		j := 1
		for j < len(s) && isDigit(s[j]) {
			j++
		}
		if j < len(s) && s[j] != ':' && (s[k] < 'A' || s[k] > 'Z') {
			return 0
		}
	} else if s[0] == 'P' {
		return 0
	}
	return k
}

// skip reasons, as recall lint says them.
const (
	whyEmpty     = "empty"
	whyMeta      = "metadata"
	whySelfNote  = "note to self"
	whyComment   = "a reaction, not content"
	whyFiller    = "filler"
	whySection   = "a section name"
	whyExample   = "an example"
	whyTask      = "a task (note to self)"
	whyAboutMe   = "the note-taker's own story"
	whyImage     = "an image"
	whyFragment  = "an unfinished line"
	whyLongLabel = "a label too long to ask for a list"
	// Why a list makes no card.
	whyExamples  = "examples, not a set to recall"
	whyRoster    = "a roster of people (metadata)"
	whyCarryOn   = "a sentence carried on over bullets, not a label and its list"
	whyQuestions = "questions, not what the notes answer"
	whyTooLong   = "too many long sentences to recall (mark the key phrase of each with ==…== to get clozes)"
	whyRemarks   = "remarks, not a set to recall (a label ending in ':' or naming the set asks for them)"
)

// skipReason says why text is not content, or "". The common case, a
// plain item, is decided by a few byte tests.
func skipReason(text string, children bool) string {
	if text == "" {
		return whyEmpty
	}
	switch text[0] {
	case 'T', 'F', 'X', 't', '?', 'I', 'i', 'N':
		if isSelfNote(text) {
			return whySelfNote
		}
	case '[':
		if isTask(text) {
			return whyTask
		}
	default:
		if strings.HasSuffix(text, "??") || len(text) < 40 && mayDoubt(text) && isSelfNote(text) {
			return whySelfNote
		}
	}
	if isMeta(text) {
		return whyMeta
	}
	if children {
		return ""
	}
	if shortClass(text)&(fillerItems|nonPrompts) != 0 {
		return whyFiller
	}
	if isComment(text) {
		return whyComment
	}
	if aboutMe(text) {
		return whyAboutMe
	}
	return ""
}

// readItem reads the text of a list item, what kind of item it is and
// what it is to its list.
func (w *walker) readItem(c ast.Node, num int, ordered bool) item {
	it := item{node: c, num: num}
	it.children = hasChildList(c)
	it.text, it.raw, it.tags, it.colon, it.off = w.itemText(c, it.children)
	if it.why = skipReason(it.text, it.children); it.why != "" {
		return it
	}
	if w.nz.sections != nil && w.nz.sections[w.outLine(w.base+it.off)] {
		// A Logseq block marked heading:: true names a section: it
		// labels its lists and is not one of its list's items.
		it.why = whySection
		return it
	}
	it.kind, it.role = itemPlain, roleMember
	it.nw = words(it.text)
	if example(it.text) {
		// An example is shown; "For example" over a list of them is not
		// worth a line on its own.
		it.role, it.why = roleExample, whyExample
		if it.children {
			it.role = roleSkip
		}
		return it
	}
	if bytes.Contains(it.raw, []byte("::")) {
		if pos, sl := explicitSep(it.raw); pos >= 0 {
			it.kind, it.sep, it.sl = itemExplicit, pos, sl
			return it
		}
	}
	if len(it.raw) <= maxClozeUnit && (bytes.Contains(it.raw, []byte("==")) || bytes.Contains(it.raw, []byte("{{"))) && parseClozes(it.raw) != nil {
		it.kind = itemCloze
		return it
	}
	if it.children {
		if content, refs := w.childContent(c); content > refs {
			it.role = roleHeader
		}
	}
	if linkOnly(it.text) {
		switch {
		case strings.HasPrefix(it.text, "!["):
			it.role, it.why = roleSkip, whyImage
		case it.role != roleHeader:
			it.role = roleRef
		}
		return it
	}
	if !ordered {
		if term, def, ok := itemDefinition(it.text, it.raw); ok {
			it.kind, it.term, it.def = itemDef, term, def
		}
	}
	return it
}

// itemDefinition reads a bullet as a definition: its form (see
// definition), a real term and a definition that says something.
func itemDefinition(text string, raw []byte) (term, def string, ok bool) {
	if !mayDefine(raw) {
		return "", "", false
	}
	if term, def, ok = definition(text, raw); ok && termOK(term) && defOK(def) && (!dashed(raw) || !clause(def) && words(def) > 1) {
		return term, def, true
	}
	return "", "", false
}

// dashed reports whether a bullet's definition separator is a dash:
// "Term - definition", the form remarks share ("sonar code analysis -
// complexity is the second lint issue").
func dashed(raw []byte) bool {
	n, l := defSep(raw)
	return n > 0 && l != 1 && l != 4 && (l != 3 || raw[n+1] == '-')
}

// partClozes says which members of a list part its clozes hide, given
// their texts and which are headers or definitions, and whether it has
// clozes at all (see listCards).
func partClozes(texts []string, header, def []bool) []bool {
	hide := make([]bool, len(texts))
	long, n := 0, 0
	for i, t := range texts {
		if hideWords(t) > maxHideWords {
			long++
		} else if !header[i] && !def[i] && !heavyCode(t) && !strings.HasSuffix(t, "?") && answerOK(t) {
			hide[i] = true
			n++
		}
	}
	if len(texts) < minClozeItems || 2*long > len(texts) || n == 0 {
		clear(hide)
	}
	return hide
}

// hasChildList reports whether item c holds a list of its own (not the
// one-item list that is its text, see itemText).
func hasChildList(c ast.Node) bool {
	if wrapper(c) {
		return false
	}
	for ch := c.FirstChild(); ch != nil; ch = ch.NextSibling() {
		if ch.Kind() == ast.KindList {
			return true
		}
	}
	return false
}

// wrapper reports whether item c only holds a one-item list whose item
// holds no list: "- 1. Anytime" (see itemText).
func wrapper(c ast.Node) bool {
	first := c.FirstChild()
	l, ok := first.(*ast.List)
	if !ok || first.NextSibling() != nil || l.FirstChild() == nil || l.FirstChild().NextSibling() != nil {
		return false
	}
	for ch := l.FirstChild().FirstChild(); ch != nil; ch = ch.NextSibling() {
		if ch.Kind() == ast.KindList {
			return false
		}
	}
	return true
}

// childContent counts the items of the lists in item c that are content,
// and of those the ones that are only links.
func (w *walker) childContent(c ast.Node) (content, refs int) {
	for l := c.FirstChild(); l != nil; l = l.NextSibling() {
		if l.Kind() != ast.KindList {
			continue
		}
		for li := l.FirstChild(); li != nil; li = li.NextSibling() {
			kids := hasChildList(li)
			text, _, _, _, _ := w.itemText(li, kids)
			if skipReason(text, kids) != "" || example(text) {
				continue
			}
			content++
			if !kids && linkOnly(text) {
				refs++
			} else {
				return content, refs // one is enough to tell
			}
		}
	}
	return content, refs
}

// isMember reports whether an item is one a list card asks for.
func (it *item) isMember() bool {
	return (it.role == roleMember || it.role == roleHeader) && (it.kind == itemPlain || it.kind == itemDef)
}

// shown reports whether a list card shows the item: a member, a link or
// an example.
func (it *item) shown() bool {
	return it.isMember() || it.role == roleRef || it.role == roleExample
}

// hideable reports whether a list's cloze may hide the item: content of
// its own, not a definition (which has its card), short enough to recall,
// not code and not a question (a question is asked, not recalled).
func (it *item) hideable() bool {
	return it.role == roleMember && it.kind == itemPlain && !it.long && !heavyCode(it.text) && !strings.HasSuffix(it.text, "?") && answerOK(it.text)
}

// dropFragments takes out of a list the one-word lines the note-taker
// left unfinished among sentences ("Pick" after "Pick software …" and
// "Find scenarios …"): not an item to hide, count or ask for.
func dropFragments(items []item) {
	total, counted := 0, 0 // the words of the members short enough to hide
	for i := range items {
		if it := &items[i]; it.isMember() && it.nw <= maxHideWords {
			total += it.nw
			counted++
		}
	}
	for i := range items {
		it := &items[i]
		if it.isMember() && it.role == roleMember && it.nw == 1 && fragment(it.text) && counted > 1 && total-1 >= 5*(counted-1) {
			it.role, it.why = roleSkip, whyFragment
		}
	}
}

// plainTerms turns back into plain items the definitions of a list whose
// term repeats: "DP: …", "DP: …" or "emerald = …", "emerald = …" label a
// kind of remark, not a thing; and those whose definition repeats:
// "dnsenum - cli command", "dnsmap - cli command" say what kind of thing
// each is, not what it is.
func plainTerms(items []item) {
	for i := range items {
		if items[i].kind != itemDef {
			continue
		}
		ti := normKey(items[i].term)
		for j := i + 1; j < len(items) && j < i+64; j++ {
			if items[j].kind == itemDef && (normKey(items[j].term) == ti || strings.EqualFold(items[j].def, items[i].def)) {
				items[i].kind, items[j].kind = itemPlain, itemPlain
			}
		}
	}
}

// list makes the cards of a list: a list card and clozes per part (or
// one basic card), definitions, explicit cards and clozes of its items,
// then the lists nested in its items, each labelled by its parent item.
func (w *walker) list(l *ast.List, lab label, ctx, ctxNorm []string, at anchor, depth int) {
	if depth > maxDepth {
		return
	}
	ordered := l.IsOrdered()
	if depth == 0 && lab.para {
		switch {
		case generic(lab.text) && w.topic != "":
			// "Steps" under "k-means clustering: …" are its steps.
			lab.text += " of " + w.topic
			lab.norm = normKey(lab.text)
		case lab.def == nil:
			if s := subjectOf(lab.text); s != "" {
				w.topic = s
			}
		}
	}
	itemBase, memberBase := len(w.items), len(w.members)
	defer func() {
		clear(w.items[itemBase:])
		w.items, w.members = w.items[:itemBase], w.members[:memberBase]
	}()
	k := 0
	for c := l.FirstChild(); c != nil; c = c.NextSibling() {
		k++
		num := k
		if ordered {
			num = l.Start + k - 1
		}
		w.items = append(w.items, w.readItem(c, num, ordered))
	}
	items := w.items[itemBase:]
	plainTerms(items)
	dropFragments(items)
	if n := words(lab.text); n > 1 && lab.from == fromItem && connectives.has(lastWordOf(lab.text)) {
		// "Knowledge graphs for" › "Words: …", "Work: …": the items
		// finish the label's sentence; they define nothing.
		for i := range items {
			if items[i].kind == itemDef {
				items[i].kind = itemPlain
			}
		}
	}
	defs := 0
	for i := range items {
		if it := &items[i]; it.isMember() {
			w.members = append(w.members, int32(i))
			if it.kind == itemDef {
				defs++
			}
		}
	}
	members := w.members[memberBase:]
	// A list of definitions, maybe with a few bare names, is a glossary:
	// each definition is its own card and there is no list card.
	glossary := defs >= 2 && defs*3 >= len(members)*2

	var listFind, prev int32 = -1, w.cur
	if w.lint && len(items) > 0 {
		listFind = w.find(items[0].off, Finding{Text: excerpt(lab.text)})
		w.finding(listFind)
	}
	// A list of section names, every one with a list under it, and
	// nothing naming it but the heading above (or the deck), or a heading
	// or paragraph that does not ask for them, is the outline of the
	// notes, not something to recite ("Jamie Taylor" › "Knowledge
	// graphs", "Challenges"). A bullet over bullets that each hold a list
	// ("Buddy system" › "Phase 1", "Phase 2") names them.
	outline := len(members) > 0 && (!lab.direct || !ordered && len(members) >= 2 && lab.from != fromItem && !asksForSet(lab))
	headers := 0
	for _, m := range members {
		it := &items[m]
		if it.role == roleHeader {
			headers++
		}
		// Under a label that asks nothing, definitions are sections too.
		outline = outline && (it.role == roleHeader || lab.direct && it.kind == itemDef)
	}
	outline = outline && headers > 0
	folded := false
	if lab.def != nil {
		// The paragraph above defines the label: the list elaborates the
		// definition, and one or two plain items are shown with it.
		var more strings.Builder
		if len(members) > 0 && len(members) <= maxFold && defs == 0 {
			folded = true
			for _, m := range members {
				it := &items[m]
				if it.role == roleHeader {
					folded = false
				}
				more.WriteString("\n")
				if ordered {
					more.WriteString(strconv.Itoa(it.num) + ". ")
				} else {
					more.WriteString("- ")
				}
				more.WriteString(it.text)
			}
		}
		if !folded {
			more.Reset()
		}
		defAt := at.with(suffixDef, 0)
		if len(members) == 0 {
			// A list with nothing in it labels nothing: the definition is
			// the paragraph's own (see paraDefinition).
			defAt = w.anchorAt(sitePara, w.paraN).with(suffixDef, 0)
		}
		w.defCard(*lab.def, more.String(), ctx, ctxNorm, defAt)
	}
	// A heading, a statement or a talk's title is not a question: the
	// bullets under it are what the note-taker heard, not a set to
	// recall, unless they are short parallel phrases (see listShape.terms)
	// or a few points on a topic of a word or three ("Open": what the
	// state does); under a talk's title, never. A label that names the set
	// ("Takeaways", "Why it fails:") asks for its items whatever they
	// are, but no more long sentences than one card holds: nobody
	// recites a book's twenty take-aways, in parts or whole. Wordy lists
	// get no clozes.
	var shape listShape
	silent := ""
	switch {
	case example(lab.text):
		silent = whyExamples // "For example:" over its examples
	case lab.from == fromItem && carryOn(lab.text):
		silent = whyCarryOn // "then they both become accepted" › "yet they are incompatible"
	case len(members) >= 2 && !ordered && words(lab.text) > maxLabelWords:
		silent = whyLongLabel // a paragraph's worth of question over its answers
	case len(members) >= 2 && roster(items, members):
		silent = whyRoster // "Ada Lovelace, Analytical Engines"
	case !ordered && len(members) >= 2:
		shape = readList(items, members)
		switch {
		case shape.questions:
			silent = whyQuestions
		case !asksForSet(lab) && (!shape.terms && (shape.code || shape.loudHeads || !smallTopic(lab, len(members))) || talkTitle(lab.text)):
			silent = whyRemarks
		case shape.wordy && (len(members) > maxPart || shape.words > maxWordyWords):
			silent = whyTooLong
		}
	}
	wordy := shape.wordy
	switch {
	case glossary, folded, outline, silent != "":
	case len(members) >= 2 && len(members) <= maxListItems && w.lists:
		w.listParts(items, members, ordered, wordy, lab, ctx, ctxNorm, at)
	case len(members) == 1 && lab.direct:
		it := &items[members[0]]
		if it.role == roleMember && it.kind == itemPlain && promptLike(lab.text, lab.colon, lab.from) && answerOK(it.text) && normKey(it.text) != lab.norm {
			front := question(lab.text)
			w.push(&card.Card{
				Kind: card.Basic, Front: front, Back: it.text,
				Context: w.safe(ctx, ctxNorm, normKey(it.text)),
				Tags:    w.withTags(w.tags, lab.tags, it.tags),
				Key:     normKey(front), Anchor: at.String(),
			}, it.off, w.newGroup(), false)
		}
	}

	if listFind >= 0 {
		w.finding(prev)
		w.lintList(items, members, ordered, glossary, outline, folded, silent, lab, listFind)
	}

	// Cards made from single items show a paragraph label in their
	// breadcrumb.
	itemCtx, itemNorm := ctx, ctxNorm
	var itemLabel bool
	ensureItemCtx := func() {
		if lab.para && !itemLabel {
			itemCtx = append(slices.Clip(ctx), lab.text)
			itemNorm = append(slices.Clip(ctxNorm), lab.norm)
			itemLabel = true
		}
	}
	for i := range items {
		it := &items[i]
		switch {
		case !w.lint || it.kind < itemDef:
		case glossary && it.kind == itemDef:
			w.finding(listFind) // a glossary's definitions count as its cards
		default:
			shape := map[int]string{itemDef: "definition", itemExplicit: "question", itemCloze: "cloze"}[it.kind]
			w.finding(w.find(it.off, Finding{Shape: shape, Text: excerpt(it.text)}))
		}
		switch it.kind {
		case itemDef:
			ensureItemCtx()
			w.definitionCard(it, itemCtx, itemNorm, at)
		case itemExplicit:
			ensureItemCtx()
			w.explicit(it.text[:it.sep], it.text[it.sep+it.sl:], it.sl == 3, itemCtx, itemNorm, w.withTags(w.tags, it.tags), at.item(it.num), it.off)
		case itemCloze:
			ensureItemCtx()
			w.clozeCards(it.raw, []int{it.off}, itemCtx, itemNorm, w.withTags(w.tags, it.tags), at.item(it.num))
		}
		w.finding(prev)
	}
	for i := range items {
		it := &items[i]
		if !it.children || it.folded || it.why == whyExample {
			continue
		}
		ensureItemCtx()
		text := it.text
		if it.kind == itemDef {
			text = it.term
		}
		child := label{text: text, direct: true, colon: it.colon && it.kind != itemDef, from: fromItem}
		cctx, cnorm := itemCtx, itemNorm
		if text == "" || it.role == roleSkip && it.why != whySection || it.role == roleRef || linkOnly(text) && !bareDomain(text) {
			child = lab
			child.direct, child.para = false, false
		} else {
			child.norm = normKey(text)
			cctx = append(slices.Clip(itemCtx), text)
			cnorm = append(slices.Clip(itemNorm), child.norm)
		}
		m := 0
		for ch := it.node.FirstChild(); ch != nil; ch = ch.NextSibling() {
			if cl, ok := ch.(*ast.List); ok {
				m++
				w.list(cl, child, cctx, cnorm, at.inList(it.num, m), depth+1)
			}
		}
	}
}

// maxFold is the most children a definition shows in its own back rather
// than in a list card of their own.
const maxFold = 2

// definitionCard makes the card "Term?" → definition of a bullet. A
// definition with one or two plain children shows them under it: they
// elaborate it, and make no list card of their own.
func (w *walker) definitionCard(it *item, ctx, ctxNorm []string, at anchor) {
	def := it.def
	if it.children && w.plainChildren(it.node) {
		var b strings.Builder
		if n := w.appendNested(&b, it.node, 0, 1, maxFold+1); n > 0 && n <= maxFold && !strings.Contains(b.String(), "\n ") {
			def += b.String()
			it.folded = true
		}
	}
	st := &w.st
	q := question(it.term)
	an := at.item(it.num).with(suffixDef, 0)
	st.reset(2*len(q) + len(def) + an.len() + 16)
	st.b.WriteString(q)
	front := st.end()
	st.norm(q)
	key := st.end()
	st.norm(it.def)
	normDef := st.end()
	ai := st.anchor(an)
	w.push(&card.Card{
		Kind: card.Basic, Front: st.get(front), Back: def,
		Context: w.defContext(ctx, ctxNorm, def, st.get(normDef)),
		Tags:    w.withTags(w.tags, it.tags),
		Key:     st.get(key), Anchor: st.get(ai),
	}, it.off, w.newGroup(), false)
}

// plainChildren reports whether the items of the lists in item c are all
// plain: none a definition, a question or a cloze of its own, which would
// make its own card rather than be shown under its parent's.
func (w *walker) plainChildren(c ast.Node) bool {
	for l := c.FirstChild(); l != nil; l = l.NextSibling() {
		if l.Kind() != ast.KindList {
			continue
		}
		ordered := l.(*ast.List).IsOrdered()
		for li := l.FirstChild(); li != nil; li = li.NextSibling() {
			text, _, _, _, _ := w.itemText(li, hasChildList(li))
			if k := readsAs(text, ordered); k != itemPlain && k != itemEmpty {
				return false
			}
		}
	}
	return true
}

// defContext is the breadcrumb of a definition card whose back is def
// (normalised: norm when it is one line).
func (w *walker) defContext(ctx, ctxNorm []string, def, norm string) []string {
	if strings.IndexByte(def, '\n') < 0 {
		return w.safe(ctx, ctxNorm, norm)
	}
	return w.safeBack(ctx, ctxNorm, def)
}

// maxNested bounds the lines a list card's back shows under one item.
const maxNested = 3

// appendNested writes the content items of the lists in item c to b, a
// line each ("\n" first), indented by indent columns and two or three
// more a level, down to depth more levels. It returns how many it wrote,
// stopping past limit.
func (w *walker) appendNested(b *strings.Builder, c ast.Node, indent, depth, limit int) int {
	n := 0
	for l := c.FirstChild(); l != nil && n <= limit; l = l.NextSibling() {
		list, ok := l.(*ast.List)
		if !ok {
			continue
		}
		num := list.Start
		for li := list.FirstChild(); li != nil; li = li.NextSibling() {
			kids := hasChildList(li)
			text, _, _, _, _ := w.itemText(li, kids)
			marker := "- "
			if list.IsOrdered() {
				marker = strconv.Itoa(num) + ". "
				num++
			}
			if skipReason(text, kids) != "" {
				continue
			}
			b.WriteByte('\n')
			for range indent {
				b.WriteByte(' ')
			}
			if n == limit {
				b.WriteString("- …")
				return n + 1
			}
			b.WriteString(marker)
			b.WriteString(text)
			n++
			if kids && depth > 0 {
				n += w.appendNested(b, li, indent+len(marker), depth-1, limit-n)
			}
		}
	}
	return n
}

// listParts makes the list cards and clozes of a list, in consecutive
// parts of at most maxPart members, as even as they can be: "Label
// (1/4)". Wordy lists get no clozes.
func (w *walker) listParts(items []item, members []int32, ordered, wordy bool, lab label, ctx, ctxNorm []string, at anchor) {
	n := len(members)
	parts := (n + maxPart - 1) / maxPart
	g := w.newGroup()
	for p := range parts {
		lo, hi := partBounds(n, parts, p)
		w.listCards(items, members, lo, hi, p+1, parts, ordered, wordy, lab, ctx, ctxNorm, at, g)
	}
}

// listCards makes the list card of members[lo:hi], part k of parts, and
// one cloze per member it may hide, showing the part with that member
// hidden. The back shows what the header items hold; the clozes show the
// part's items alone. All the text is built in one buffer.
func (w *walker) listCards(items []item, members []int32, lo, hi, k, parts int, ordered, wordy bool, lab label, ctx, ctxNorm []string, at anchor, g int32) {
	ms := members[lo:hi]
	n := len(ms)
	// The items shown: the part's members, and the links among them (and
	// before the first part and after the last).
	first, last := int(ms[0]), int(ms[n-1])
	if k == 1 {
		first = 0
	}
	if k == parts {
		last = len(items) - 1
	}
	long, hideable := 0, 0
	sum := 0
	if n >= minClozeItems && w.clozes {
		for _, m := range ms {
			it := &items[m]
			it.long = it.nw > maxHideWords && hideWords(it.text) > maxHideWords
		}
	}
	for i := first; i <= last; i++ {
		it := &items[i]
		if it.shown() {
			sum += len(it.text) + 8
		}
	}
	for _, m := range ms {
		it := &items[m]
		if it.long {
			long++
		}
		if it.hideable() {
			hideable++
		}
	}
	// A cloze of a two-item list is the list card with one item shown: a
	// review that adds no recall (the minimum-information principle). A
	// list of long sentences is read, not recited: it gets its list card.
	makeClozes := w.clozes && !wordy && n >= minClozeItems && 2*long <= n && hideable > 0
	st := &w.st
	st.reset(3*sum + 3*len(lab.text) + 64 + at.len() + hideable*(4*len(lab.text)+2*sum+at.len()+64))
	// Strings 0..n-1: the members normalised.
	for _, m := range ms {
		st.norm(items[m].text)
		st.end()
	}
	marker := func(it *item) {
		switch {
		case !ordered:
			st.b.WriteString("- ")
		case it.num >= 0 && it.num < len(orderedMarks):
			st.b.WriteString(orderedMarks[it.num])
		default:
			st.num(it.num)
			st.b.WriteString(". ")
		}
	}
	name := func() {
		st.b.WriteString(lab.text)
		if parts > 1 {
			st.b.WriteString(" (")
			st.num(k)
			st.b.WriteByte('/')
			st.num(parts)
			st.b.WriteByte(')')
		}
	}
	name()
	if k > 1 {
		// A part after the first is asked after the item before it:
		// "name the next 5" alone could not be answered.
		st.b.WriteString(" — after “")
		st.b.WriteString(cue(items[members[lo-1]].text))
		st.b.WriteString("”, name the next ")
	} else {
		st.b.WriteString(" — name the ")
	}
	st.num(n)
	st.b.WriteString(" items")
	if ordered {
		st.b.WriteString(" in order")
	}
	front := st.end()
	// The list as its card's back shows it: the items one a line, and
	// under each header item the lines it holds. The clozes' fronts and
	// texts are cut from it, around the member they hide (a header is
	// never hidden, and never shown without what it holds); textAt[j] is
	// where member j's text starts in it.
	start := st.b.Len()
	textAt := w.cuts[:0]
	j := 0
	for i := first; i <= last; i++ {
		it := &items[i]
		if !it.shown() {
			continue
		}
		if st.b.Len() > start {
			st.b.WriteByte('\n')
		}
		mk := st.b.Len()
		marker(it)
		width := st.b.Len() - mk
		if j < n && int(ms[j]) == i {
			textAt = append(textAt, st.b.Len()-start)
			j++
		}
		st.b.WriteString(it.text)
		if it.role == roleHeader {
			w.appendNested(&st.b, it.node, width, 0, maxNested)
		}
	}
	back := st.end()
	w.cuts = textAt
	if strings.Count(st.get(back), "\n") >= maxClozeLines {
		// A cloze that shows this much hides one line among too many:
		// the list card asks for them all.
		makeClozes = false
	}
	st.b.WriteString("list:")
	st.b.WriteString(lab.norm)
	if parts > 1 {
		st.b.WriteString(" (")
		st.num(k)
		st.b.WriteByte('/')
		st.num(parts)
		st.b.WriteByte(')')
	}
	key := st.end()
	listAt := at
	if k > 1 {
		listAt = at.with(suffixPart, k)
	}
	listAnchor := st.anchor(listAt)
	clozes := len(st.ends) // strings clozes+4c…: front, text, key, anchor of cloze c
	var hidden []int
	for c := range ms {
		it := &items[ms[c]]
		if !makeClozes || !it.hideable() {
			continue
		}
		hidden = append(hidden, c)
		all := st.get(back)
		before, after := all[:textAt[c]], all[textAt[c]+len(it.text):]
		for pass := range 2 {
			// The text for Anki must hold no "{{" but its own cloze.
			esc := func(s string) string { return s }
			if pass == 1 {
				esc = textEscape
			}
			if ordered {
				st.b.WriteByte('#')
				st.num(it.num)
				st.b.WriteString(" of ")
			}
			if pass == 0 {
				name()
			} else {
				st.b.WriteString(esc(lab.text))
				if parts > 1 {
					st.b.WriteString(" (")
					st.num(k)
					st.b.WriteByte('/')
					st.num(parts)
					st.b.WriteByte(')')
				}
			}
			st.b.WriteString("\n\n")
			st.b.WriteString(esc(before))
			if pass == 0 {
				st.b.WriteString(card.Gap)
			} else {
				st.b.WriteString("{{c1::")
				st.b.WriteString(clozeEscape(it.text))
				st.b.WriteString("}}")
			}
			st.b.WriteString(esc(after))
			st.end()
		}
		st.b.WriteString("cloze:")
		st.b.WriteString(lab.norm)
		st.b.WriteByte('|')
		st.b.WriteString(st.get(c))
		st.end()
		st.anchor(at.item(it.num))
	}

	ctx = w.safeAll(ctx, ctxNorm, 0, n)
	var extra [][]string
	for _, m := range ms {
		if items[m].tags != nil {
			extra = append(extra, items[m].tags)
		}
	}
	w.push(&card.Card{
		Kind: card.List, Front: st.get(front), Back: st.get(back),
		Context: ctx, Tags: w.withTags(w.tags, append(extra, lab.tags)...),
		Key: st.get(key), Anchor: st.get(listAnchor),
	}, items[ms[0]].off, g, false)
	tags := w.withTags(w.tags, lab.tags)
	for x, c := range hidden {
		it := &items[ms[c]]
		s := clozes + 4*x
		w.push(&card.Card{
			Kind: card.Cloze, Front: st.get(s), Back: it.text,
			Context: ctx, Tags: w.withTags(tags, it.tags),
			Key: st.get(s + 2), Anchor: st.get(s + 3), Text: st.get(s + 1),
		}, it.off, g, true)
	}
}

// firstSep is explicitSep's position alone.
func firstSep(b []byte) int {
	pos, _ := explicitSep(b)
	return pos
}

// clozeEscape keeps a deletion from ending its Anki cloze early or
// opening another: "::" (which starts a hint), "}}" and "{{" become
// character references, which markdown shows as the characters.
func clozeEscape(s string) string {
	if !strings.Contains(s, "::") && !strings.Contains(s, "}}") && !strings.Contains(s, "{{") {
		return s
	}
	return strings.NewReplacer("::", ":&#58;", "}}", "}&#125;", "{{", "{&#123;").Replace(s)
}

// textEscape keeps the text around a cloze from opening another: "{{"
// becomes "{&#123;".
func textEscape(s string) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	return strings.ReplaceAll(s, "{{", "{&#123;")
}

// isText reports whether n is a paragraph (or the text of a tight list
// item).
func isText(n ast.Node) bool {
	k := n.Kind()
	return k == kindBlockText || k == ast.KindParagraph || k == ast.KindTextBlock
}

// mayDefine reports whether a bullet can be a definition at all: it holds
// a separator's character or starts in bold.
func mayDefine(b []byte) bool {
	if bytes.HasPrefix(b, []byte("**")) || bytes.HasPrefix(b, []byte("__")) {
		return true
	}
	for _, c := range b {
		if c == ':' || c == '-' || c == '=' || c == 0xe2 { // 0xe2 starts – and —
			return true
		}
	}
	return false
}

// isTask reports whether s opens with a task box: what the note-taker
// means to do (or did), not what they learned.
func isTask(s string) bool {
	return len(s) > 4 && s[0] == '[' && s[2] == ']' && s[3] == ' ' && (s[1] == ' ' || s[1] == 'x' || s[1] == 'X')
}

// orderedMarks are the markers of the first items of ordered lists.
var orderedMarks = func() (m [100]string) {
	for i := range m {
		m[i] = strconv.Itoa(i) + ". "
	}
	return m
}()

// cue is the start of an item, to ask for the items after it: its first
// six words.
func cue(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' && i > 0 && s[i-1] != ' ' {
			if n++; n == 6 {
				return strings.TrimRight(s[:i], ",;:.") + " …"
			}
		}
	}
	return s
}

// partBounds is where part p of n members in parts parts starts and
// ends: the first n%parts parts hold one more than the others.
func partBounds(n, parts, p int) (lo, hi int) {
	size, extra := n/parts, n%parts
	lo = p*size + min(p, extra)
	hi = lo + size
	if p < extra {
		hi++
	}
	return lo, hi
}
