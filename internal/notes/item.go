package notes

import (
	"bytes"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// This file reads the items of a list: their text, the kind of item each
// is (plain, a definition, a question, a cloze) and what it is to its
// list (a member, a header over a list of its own, a link, an example,
// or nothing to recall, and why).

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
			// "Label: :" as "Label:": a breadcrumb Format can write back.
			for b > a && (w.src[b-1] == ':' || isSpace(w.src[b-1])) {
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
		text = strings.TrimSpace(strings.TrimRight(text, ": \t"))
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
	if (bytes.Contains(it.raw, []byte("==")) || bytes.Contains(it.raw, []byte("{{"))) && parseClozes(it.raw) != nil {
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
