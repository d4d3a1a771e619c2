package notes

import (
	"bytes"
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/recall-cli/recall/internal/card"
)

// This file rebuilds, for Format, the lists of the notes from the cards
// made of them: their items, numbers, order, labels and nesting.

// flist is a list being rebuilt.
type flist struct {
	path    []int // the list path to the list: item, list, item, list…
	depth   int
	ordered bool
	label   string // what the list is of, when known
	para    bool   // labelled by a paragraph
	// labelTags are the inline tags of a paragraph label.
	labelTags []string
	listCard  *card.Card
	parts     map[int]*card.Card // the list cards of its parts, by part (1 for one)
	defLabel  *card.Card         // the card of the definition that labels it
	single    *card.Card         // the basic card of a one-item list
	clozes    []*card.Card
	cnums     []int
	members   []*fitem // in the order of the list card's back
	byNum     map[int]*fitem
	items     []*fitem // in order, once placed
	glossary  bool
	// underEmpty is set when an item above the list has no text: it has
	// no entry in the breadcrumbs of the cards under it.
	underEmpty bool
}

// fitem is an item of a list being rebuilt.
type fitem struct {
	path     []int // the list path to the item: item, list, item…
	num      int   // 0 when not known
	text     string
	known    bool // text is known
	basic    *card.Card
	reverse  *card.Card
	def      *card.Card
	clozes   []*card.Card
	children map[int]*flist
	tags     []string
	ref      bool     // a link or an example: shown, not a member
	nested   []string // the lines a list card's back shows under it
}

func (l *flist) walk(fn func(*flist)) {
	fn(l)
	for _, it := range l.items {
		for _, m := range sortedKeys(it.children) {
			it.children[m].walk(fn)
		}
	}
}

// wouldCloze reports whether Parse would make a cloze of the list as
// rebuilt, were clozes on: a part of it has a member a cloze may hide.
func (l *flist) wouldCloze() bool {
	var ms []*fitem
	for _, m := range l.members {
		if !m.ref {
			ms = append(ms, m)
		}
	}
	n := len(ms)
	if n < minClozeItems || !l.ordered && wordyTexts(ms) {
		return false
	}
	parts := (n + maxPart - 1) / maxPart
	for p := 0; p < parts; p++ {
		if c := l.parts[p+1]; c != nil && strings.Count(c.Back, "\n") >= maxClozeLines {
			continue // too tall to cloze
		}
		lo, hi := partBounds(n, parts, p)
		part := ms[lo:hi]
		texts := make([]string, len(part))
		header := make([]bool, len(part))
		def := make([]bool, len(part))
		for i, m := range part {
			texts[i] = m.text
			header[i] = len(m.nested) > 0
			def[i] = !l.ordered && readsAs(m.text, false) == itemDef
		}
		if slices.Contains(partClozes(texts, header, def), true) {
			return true
		}
	}
	return false
}

// wordyTexts reports whether members are wordy (see listShape).
func wordyTexts(ms []*fitem) bool {
	var texts, plain []string
	for _, m := range ms {
		texts = append(texts, m.text)
		if len(m.nested) == 0 {
			plain = append(plain, m.text)
		}
	}
	if len(plain) >= 2 {
		texts = plain // as readList reads them: not by their headers
	}
	return readTexts(texts).wordy
}

// terms reports whether the list's members read as short parallel
// phrases (see listShape.terms), which need no colon to be asked for.
func (l *flist) terms() bool {
	var texts []string
	for _, k := range sortedKeys(l.parts) {
		for _, bi := range backItems(l.parts[k].Back) {
			if len(bi.nested) > 0 || !linkOnly(bi.text) && !example(bi.text) {
				texts = append(texts, bi.text)
			}
		}
	}
	return readTexts(texts).terms
}

// makesList reports whether the list as rebuilt would get a list card.
func (l *flist) makesList() bool {
	n := 0
	for _, m := range l.members {
		if !m.ref {
			n++
		}
	}
	return n >= 2 && !l.glossary
}

func (l *flist) item(num int) *fitem {
	if it, ok := l.byNum[num]; ok {
		return it
	}
	it := &fitem{num: num, path: append(slices.Clip(l.path), num)}
	l.byNum[num] = it
	return it
}

func (it *fitem) child(m, depth int) *flist {
	if it.children == nil {
		it.children = map[int]*flist{}
	}
	if l, ok := it.children[m]; ok {
		return l
	}
	l := &flist{depth: depth, byNum: map[int]*fitem{}, path: append(slices.Clip(it.path), m)}
	it.children[m] = l
	return l
}

// listLabel splits a list card's front into its label and whether the
// list is ordered.
func listLabel(front string) (string, bool, bool) {
	i := strings.LastIndex(front, " — name the ")
	rest := ""
	if i >= 0 {
		rest = front[i+len(" — name the "):]
	} else if j := strings.LastIndex(front, "”, name the next "); j >= 0 {
		// A later part: "Label (2/3) — after “cue”, name the next 5 items".
		i = strings.LastIndex(front[:j], ") — after “") + 1
		if i <= 0 {
			return "", false, false
		}
		rest = front[j+len("”, name the next "):]
	} else {
		return "", false, false
	}
	ordered := strings.HasSuffix(rest, " items in order")
	if !ordered && !strings.HasSuffix(rest, " items") {
		return "", false, false
	}
	return front[:i], ordered, true
}

// backItem is an item of a list card's back: its text, its number (0
// for a bullet) and the lines shown under it.
type backItem struct {
	text   string
	num    int
	nested []string
}

// backItems splits a list card's back into its items, with the lines of
// the lists under them (indented) kept apart.
func backItems(back string) []backItem {
	var items []backItem
	for _, line := range strings.Split(back, "\n") {
		if strings.HasPrefix(line, " ") && len(items) > 0 {
			it := &items[len(items)-1]
			it.nested = append(it.nested, strings.TrimSpace(line))
			continue
		}
		if t, ok := strings.CutPrefix(line, "- "); ok {
			items = append(items, backItem{text: t})
			continue
		}
		n, t, _ := strings.Cut(line, ". ")
		k, _ := strconv.Atoi(n)
		items = append(items, backItem{text: t, num: k})
	}
	return items
}

// stripApart removes the breadcrumb entry a card's front was told apart
// by ("Entry › Front", see finisher.tellApart).
func stripApart(front string, ctx []string) string {
	for _, e := range ctx {
		if rest, ok := strings.CutPrefix(front, e+" › "); ok {
			return rest
		}
	}
	return front
}

// partLabel removes the " (k/n)" a list card's label has in a list of
// several parts.
func partLabel(label string) string {
	if !strings.HasSuffix(label, ")") {
		return label
	}
	i := strings.LastIndex(label, " (")
	if i < 0 {
		return label
	}
	k, n, ok := strings.Cut(label[i+2:len(label)-1], "/")
	if _, err := strconv.Atoi(k); err != nil || !ok {
		return label
	}
	if _, err := strconv.Atoi(n); err != nil {
		return label
	}
	return label[:i]
}

// buildList rebuilds the list of a block from its cards.
func (f *formatter) buildList(b *block) *flist {
	top := &flist{byNum: map[int]*fitem{}}
	for k, i := range b.cards {
		c := &f.cards[i]
		l := b.locs[k]
		lst := top
		steps := l.steps
		for len(steps) >= 2 {
			lst = lst.item(steps[0]).child(steps[1], lst.depth+1)
			steps = steps[2:]
		}
		if len(steps) == 0 {
			switch {
			case l.suffix.kind == suffixDef:
				lst.defLabel = c
			case c.Kind == card.List:
				k := 1
				if l.suffix.kind == suffixPart {
					k = l.suffix.n
				}
				if lst.parts == nil {
					lst.parts = map[int]*card.Card{}
				}
				lst.parts[k] = c
				if k == 1 {
					lst.listCard = c
				}
			case c.Kind == card.Basic:
				lst.single = c
			}
			continue
		}
		it := lst.item(steps[0])
		switch {
		case l.suffix.kind == suffixNone && c.Kind == card.Cloze:
			lst.clozes = append(lst.clozes, c)
			lst.cnums = append(lst.cnums, steps[0])
		case l.suffix.kind == suffixDef:
			it.def = c
		case l.suffix.kind == suffixReverse:
			it.reverse = c
		case l.suffix.kind == suffixNone && c.Kind == card.Basic:
			it.basic = c
		case l.suffix.kind == suffixCloze:
			it.clozes = append(it.clozes, c)
		}
	}
	f.settle(top, b)
	return top
}

// settle works out a list's order, label, members and items, and then
// those of the lists nested in it.
func (f *formatter) settle(l *flist, b *block) {
	if l.listCard != nil {
		label, ordered, ok := listLabel(stripApart(l.listCard.Front, l.listCard.Context))
		if ok {
			l.label, l.ordered = partLabel(label), ordered
		}
		var back []backItem
		for _, k := range sortedKeys(l.parts) {
			back = append(back, backItems(l.parts[k].Back)...)
		}
		members := 0
		for _, bi := range back {
			it := &fitem{text: bi.text, known: true, num: bi.num, nested: bi.nested}
			it.ref = len(bi.nested) == 0 && (linkOnly(bi.text) || example(bi.text))
			if !it.ref {
				members++
			}
			l.members = append(l.members, it)
		}
		if !l.ordered {
			// A cloze hides its member: that gives the member's place.
			for k, c := range l.clozes {
				for _, m := range l.members {
					if m.num == 0 && !m.ref && m.text == c.Back {
						m.num = l.cnums[k]
						break
					}
				}
			}
		}
	} else if l.single != nil {
		l.members = []*fitem{{text: l.single.Back, known: true}}
		if l.label == "" {
			l.label = strings.TrimSuffix(stripApart(l.single.Front, l.single.Context), "?")
		}
	}
	if l.defLabel != nil && l.label == "" {
		l.label = strings.TrimSuffix(stripApart(l.defLabel.Front, l.defLabel.Context), "?")
	}
	if l.depth == 0 {
		f.topLabel(l, b)
	}
	// Merge the items known by number into the members they are.
	for _, num := range sortedKeys(l.byNum) {
		it := l.byNum[num]
		var m *fitem
		for _, x := range l.members {
			if x.num == num {
				m = x
			}
		}
		switch {
		case m != nil || l.ordered:
		case it.def != nil:
			for _, x := range l.members {
				if x.num == 0 && isDefOf(x.text, it.def) {
					m = x
					break
				}
			}
		case it.children != nil:
			if want, _ := f.childLabel(it, l, b); want != "" {
				for _, x := range l.members {
					if x.num == 0 && x.text == want {
						m = x
						break
					}
				}
			}
		}
		if m == nil {
			continue
		}
		m.num = num
		m.basic, m.reverse, m.def, m.clozes, m.children = it.basic, it.reverse, it.def, it.clozes, it.children
		l.byNum[num] = m
	}
	// Items only known from their own cards.
	for _, num := range sortedKeys(l.byNum) {
		it := l.byNum[num]
		if it.known {
			continue
		}
		switch {
		case it.def != nil:
			it.text = defText(it.def)
			if t, _ := f.childLabel(it, l, b); t != "" && isDefOf(t, it.def) {
				it.text = t
			}
			it.known = true
			l.members = append(l.members, it)
		case it.basic != nil || it.reverse != nil:
			it.text, it.known = explicitText(it.basic, it.reverse), true
			if t, _ := f.childLabel(it, l, b); t != "" && isExplicitOf(t, it.basic, it.reverse) {
				it.text = t // the bullet as its lists' breadcrumb has it
			}
		case len(it.clozes) > 0:
			u, ok := clozeUnit(it.clozes)
			if !ok {
				u, ok = piecesUnit(it.clozes) // a long text Parse cut in pieces
			}
			if ok && !strings.Contains(u, "\n") {
				it.text, it.known = u, true
			}
		case it.children != nil:
			if t, empty := f.childLabel(it, l, b); t != "" {
				it.text, it.known = t, true
				l.members = append(l.members, it)
			} else if empty {
				it.known = true
			}
		}
	}
	l.glossary = !l.ordered && l.listCard == nil && l.single == nil && len(l.members) > 0
	for _, m := range l.members {
		l.glossary = l.glossary && m.def != nil
	}
	// A list with no list card shows no numbers: it is written bulleted,
	// unless a member would read as a definition there and made none.
	if l.listCard == nil && !l.ordered {
		for _, m := range l.members {
			if m.def == nil && readsAs(m.text, false) == itemDef {
				l.ordered = true
			}
		}
		if l.ordered {
			// A numbered item defines nothing: the definitions beside
			// it are written as the questions they ask ("Term? ::
			// definition"), which give the same cards.
			for _, m := range l.members {
				if m.def != nil {
					if t, ok := defQuestion(m.def); ok {
						m.text = t
					}
				}
			}
		}
	}
	l.place()
	for _, it := range l.items {
		lines := it.nested
		if it.def != nil {
			lines = folded(it.def)
		}
		if len(lines) > 0 && len(it.children) == 0 {
			// Children no card of their own shows: the list card's
			// back (or the folded definition) does.
			c := it.child(1, l.depth+1)
			for _, line := range lines {
				m := &fitem{known: true}
				if t, ok := strings.CutPrefix(line, "- "); ok {
					m.text = t
				} else if n, t, ok := strings.Cut(line, ". "); ok {
					m.text, m.num, c.ordered = t, atoiString(n), true
				}
				if m.text == "…" {
					continue
				}
				c.members = append(c.members, m)
			}
		}
		for _, m := range sortedKeys(it.children) {
			c := it.children[m]
			if c.single != nil && it.text != "" && !strings.HasSuffix(it.text, ":") && !promptLike(it.text, false, fromItem) {
				// Only a colon makes this bullet ask its one child.
				it.text += ":"
			}
			if c.listCard != nil && it.text != "" && !strings.HasSuffix(it.text, ":") && !asksForSet(label{text: it.text, from: fromItem}) && !c.terms() {
				// A colon makes sure the bullet asks for its list, as
				// the one in the notes did.
				it.text += ":"
			}
			if c.label == "" {
				// An item with no text gives its lists its own label.
				c.label = cmp.Or(it.text, l.label)
			}
			c.underEmpty = l.underEmpty || it.known && it.text == ""
			f.settle(c, b)
		}
		if c := it.children[1]; c != nil && len(it.nested) > 0 && it.def == nil && c.listCard == nil && c.single == nil {
			// Cards of their own show some of the children; the list
			// card's back shows them all, in order.
			c.items = shownItems(c.items, it.nested)
		}
	}
}

// shownItems puts in the order of the lines a list card's back shows
// under an item (lines) the items known from their own cards, and adds
// the lines no card knows as items of their own.
func shownItems(known []*fitem, lines []string) []*fitem {
	var out []*fitem
	used := map[*fitem]bool{}
	for _, line := range lines {
		m := &fitem{known: true}
		if t, ok := strings.CutPrefix(line, "- "); ok {
			m.text = t
		} else if n, t, ok := strings.Cut(line, ". "); ok {
			m.text, m.num = t, atoiString(n)
		}
		if m.text == "…" {
			continue
		}
		for _, x := range known {
			if !used[x] && strings.TrimSuffix(x.text, ":") == m.text {
				m = x
				break
			}
		}
		used[m] = true
		out = append(out, m)
	}
	for _, x := range known {
		if !used[x] {
			out = append(out, x)
		}
	}
	return out
}

// atoiString is the number s spells, or 0.
func atoiString(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// childLabel is the text of an item known only as the parent of lists,
// in list l: the entry for it in the breadcrumbs of the cards made under
// it, else the label of its lists. empty is set when the item has no text
// (its lists then have l's label, and the breadcrumbs no entry for it).
func (f *formatter) childLabel(it *fitem, l *flist, b *block) (text string, empty bool) {
	para := 0
	if b.para {
		para = 1
	}
	// One entry for each parent item, after the headings and the
	// paragraph that labels the list at the top, if there is one.
	at := len(it.path) / 2 // the item's place among the parent items
	short := false
	above := "" // with one entry missing: the entry of an item above it, or its own
	for k, i := range b.cards {
		steps := b.locs[k].steps
		c := &f.cards[i]
		if len(steps) <= len(it.path) || !slices.Equal(steps[:len(it.path)], it.path) || len(c.Context) == 0 {
			continue
		}
		d := len(steps) / 2
		_, tail := align(f.crumbs(c), b.slugs)
		if len(tail) == d+para {
			return tail[para+at], false
		}
		if len(tail) == d+para-1 {
			short = true
			if at > 0 {
				above = tail[para+at-1]
			}
		}
	}
	label := ""
	for _, m := range sortedKeys(it.children) {
		c := it.children[m]
		if c.listCard != nil {
			label, _, _ = listLabel(c.listCard.Front)
			break
		}
		if c.single != nil {
			label = strings.TrimSuffix(c.single.Front, "?")
			break
		}
	}
	if short && l.underEmpty && above != "" {
		// The entry missing is that of the item above with no text.
		return above, false
	}
	if short && (label == "" || label == l.label) {
		if above != "" && above != l.label && label == "" {
			// An item above it has no text; the entry is this one's.
			return above, false
		}
		return "", true
	}
	return label, false
}

// isDefOf reports whether the bullet text makes the definition card d.
func isDefOf(text string, d *card.Card) bool {
	term, def, ok := itemDefinition(text, []byte(text))
	back, _, _ := strings.Cut(d.Back, "\n")
	return ok && question(term) == stripApart(d.Front, d.Context) && def == back
}

// folded are the lines a definition card shows under its definition: the
// items of the list it folded in.
func folded(d *card.Card) []string {
	_, rest, ok := strings.Cut(d.Back, "\n")
	if !ok {
		return nil
	}
	return strings.Split(rest, "\n")
}

// defText writes a definition card back as a bullet that makes it.
func defText(d *card.Card) string {
	term := strings.TrimSuffix(stripApart(d.Front, d.Context), "?")
	back, _, _ := strings.Cut(d.Back, "\n")
	// "**Term:** definition" last: a term whose '*' would close the
	// bold too soon ("A(00*") still has the colon inside it.
	for _, t := range []string{term + ": " + back, "**" + term + "**: " + back, term + " - " + back, "**" + term + ":** " + back} {
		if isDefOf(t, d) && readsAs(t, false) == itemDef {
			return t
		}
	}
	return term + ": " + back
}

// defQuestion writes a definition card back as the item "Term? ::
// definition", which makes the same card in an ordered list too; not
// when the definition folds in a list, which such an item does not.
func defQuestion(d *card.Card) (string, bool) {
	if strings.Contains(d.Back, "\n") {
		return "", false
	}
	t := stripApart(d.Front, d.Context) + " :: " + d.Back
	return t, readsAs(t, true) == itemExplicit && isExplicitOf(t, &card.Card{Front: stripApart(d.Front, d.Context), Back: d.Back}, nil)
}

// readsAs is the kind readItem gives an item of this text.
func readsAs(text string, ordered bool) int {
	b := []byte(text)
	if text == "" || skipReason(text, false) != "" || example(text) {
		return itemEmpty // not content ("sources: …" is metadata)
	}
	if bytes.Contains(b, []byte("::")) {
		if pos, _ := explicitSep(b); pos >= 0 {
			return itemExplicit
		}
	}
	if parseClozes(b) != nil {
		return itemCloze
	}
	if !ordered {
		if _, _, ok := itemDefinition(text, b); ok {
			return itemDef
		}
	}
	return itemPlain
}

// isExplicitOf reports whether the bullet text makes the explicit cards
// basic and reverse.
func isExplicitOf(text string, basic, reverse *card.Card) bool {
	pos, sl := explicitSep([]byte(text))
	if pos < 0 {
		return false
	}
	q, a := strings.TrimSpace(text[:pos]), strings.TrimSpace(text[pos+sl:])
	if reverse != nil {
		return sl == 3 && q == reverse.Back && a == reverse.Front
	}
	return sl == 2 && q == basic.Front && a == basic.Back
}

// explicitText writes a basic card (and its reverse) back as "Q :: A"
// ("Q ::: A").
func explicitText(basic, reverse *card.Card) string {
	if reverse != nil {
		return reverse.Back + " ::: " + reverse.Front
	}
	return basic.Front + " :: " + basic.Back
}

// place puts a list's items in order: those known by number at their
// numbers, the other members after the member before them.
func (l *flist) place() {
	var seq []*fitem
	for _, num := range sortedKeys(l.byNum) {
		it := l.byNum[num]
		if it.known || len(it.children) > 0 {
			seq = append(seq, it)
		}
	}
	if l.ordered && l.listCard != nil {
		for _, m := range l.members {
			if _, ok := l.byNum[m.num]; !ok {
				seq = append(seq, m)
			}
		}
		slices.SortStableFunc(seq, func(a, b *fitem) int { return a.num - b.num })
		// Fill the numbers no card came from with empty items.
		var full []*fitem
		for i, it := range seq {
			if i > 0 {
				for n := seq[i-1].num + 1; n < it.num; n++ {
					full = append(full, &fitem{num: n})
				}
			}
			full = append(full, it)
		}
		l.items = full
		return
	}
	// A member not placed goes right after the member before it.
	placed := map[*fitem]bool{}
	for _, it := range seq {
		placed[it] = true
	}
	after := map[*fitem][]*fitem{}
	var prev *fitem
	for _, m := range l.members {
		if placed[m] {
			prev = m
		} else {
			after[prev] = append(after[prev], m)
		}
	}
	all := after[nil]
	for _, it := range seq {
		all = append(append(all, it), after[it]...)
	}
	seq = all
	if l.ordered {
		// No card shows the numbers.
		for i, it := range seq {
			it.num = i + 1
		}
	}
	l.items = seq
}

// topLabel works out whether a list at the top of a block is labelled by
// a paragraph, and the paragraph's text.
func (f *formatter) topLabel(l *flist, b *block) {
	heading := f.deck
	if len(b.heads) > 0 {
		heading = b.heads[len(b.heads)-1]
	}
	// The cards made from single items, and the lists nested in items,
	// show a paragraph label after the headings.
	for k, i := range b.cards {
		c := &f.cards[i]
		d := len(b.locs[k].steps) / 2
		if len(b.locs[k].steps)%2 == 0 && d == 0 {
			continue
		}
		if len(c.Context) == 0 {
			continue
		}
		_, tail := align(f.crumbs(c), b.slugs)
		if len(tail) == d+1 {
			l.label, l.para, b.para = tail[0], true, true
			return
		}
	}
	// A one-item list asks its label, which must be a paragraph or the
	// heading right above when the heading asks (see promptLike): the
	// deck's name never is.
	if l.label != "" && (l.label != heading || l.single != nil && (len(b.heads) == 0 || !promptLike(heading, false, fromHeading))) {
		l.para, b.para = true, true
		return
	}
	if l.label == "" && l.single == nil && l.listCard == nil {
		l.label = heading
	}
}

// own is a card made from the item alone, which carries its tags.
func (it *fitem) own() *card.Card {
	switch {
	case it.def != nil:
		return it.def
	case it.basic != nil:
		return it.basic
	case it.reverse != nil:
		return it.reverse
	case len(it.clozes) > 0:
		return it.clozes[0]
	}
	return nil
}
