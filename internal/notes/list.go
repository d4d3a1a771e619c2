package notes

import (
	"slices"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"

	"github.com/recall-cli/recall/internal/card"
)

// This file makes the cards of a list: its list cards and clozes, in
// parts when it is long, or the one basic card of a one-item list; the
// cards of its items (definitions, questions, clozes); then those of the
// lists nested in them.

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
	// A list the notes were cut inside goes on numbering its items from
	// the part before (see walker.walk).
	k := 0
	chunk := w.chunk && depth == 0
	if chunk {
		k, w.itemBase, w.chunk = w.itemBase, 0, false
	}
	for c := l.FirstChild(); c != nil; c = c.NextSibling() {
		k++
		num := k
		if ordered {
			num = l.Start + k - 1
		}
		w.items = append(w.items, w.readItem(c, num, ordered))
	}
	items := w.items[itemBase:]
	if chunk && !chunkOK(ordered, items) {
		w.err = errListCut
		return
	}
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
	case len(members) >= 2 && w.lists:
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
// opening another: "::" (which starts a hint), "}}", "{{" and a final '}'
// (the cloze's own "}}" would close a character early) become character
// references, which markdown shows as the characters.
func clozeEscape(s string) string {
	if !strings.Contains(s, "::") && !strings.Contains(s, "}}") && !strings.Contains(s, "{{") && !strings.HasSuffix(s, "}") {
		return s
	}
	s = strings.NewReplacer("::", ":&#58;", "}}", "}&#125;", "{{", "{&#123;").Replace(s)
	if t, ok := strings.CutSuffix(s, "}"); ok {
		s = t + "&#125;"
	}
	return s
}

// textEscape keeps the text around a cloze from opening another: "{{"
// becomes "{&#123;".
func textEscape(s string) string {
	if !strings.Contains(s, "{{") {
		return s
	}
	return strings.ReplaceAll(s, "{{", "{&#123;")
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

// chunkOK reports whether a list cut into parts (see normalized.listCuts)
// makes in each part the cards it makes whole: a bulleted list of
// questions, each its own card, with nothing under them. Such a list has
// no member to ask for or hide, so nothing of one item changes another's
// cards.
func chunkOK(ordered bool, items []item) bool {
	if ordered {
		return false
	}
	for i := range items {
		if it := &items[i]; it.kind != itemExplicit || it.children {
			return false
		}
	}
	return true
}
