package notes

import (
	"bytes"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/recall-cli/recall/internal/card"
)

// Format writes cards as a recall deck file, markdown that Parse turns
// back into the same cards: the same ID, Deck, Kind, Front, Back, Context
// and Tags (Source and order may differ). It backs `recall generate
// --format md`, and its own output formats to the same bytes.
//
// The cards must be those Parse made, in its order: the notes are rebuilt
// from their anchors (heading path, list nesting, item positions), keys,
// list labels, groups (a basic card and its reverse become one ":::"
// line) and tags. The file opens with front matter (deck:, tags: every
// card has beyond its heading path, and cards: options when list clozes
// or list cards were off) and an H1 naming the deck; the headings of the
// breadcrumbs follow, holding lists under their labels, definitions,
// "Q :: A" lines, "?" blocks and cloze paragraphs ({{cN::…}}, one
// paragraph per group). Other tags are written inline as #tags.
//
// Cards of several decks are an error: a file holds one deck. Cards of
// several files of one deck are written as one file. A few shapes do not
// come back: a heading with no letter or digit (it has no slug, so its
// place is lost), and text that reads differently once read again (a
// note-to-self cut from it that leaves a #tag, or a label that then
// starts a quote or a list).
func Format(w io.Writer, cards []card.Card) error {
	if len(cards) == 0 {
		return nil
	}
	var decks []string
	for i := range cards {
		if !slices.Contains(decks, cards[i].Deck) {
			decks = append(decks, cards[i].Deck)
		}
	}
	if len(decks) > 1 {
		q := make([]string, len(decks))
		for i, d := range decks {
			q[i] = strconv.Quote(d)
		}
		return fmt.Errorf("--format md holds one deck; these cards come from %d decks: %s", len(decks), strings.Join(q, ", "))
	}
	f := &formatter{deck: decks[0], cards: cards, texts: map[string]string{}}
	if err := f.group(); err != nil {
		return err
	}
	f.resolve()
	f.write()
	_, err := w.Write(f.out.Bytes())
	return err
}

// block is the cards of one block of the notes: a list, a paragraph or a
// question block.
type block struct {
	file    string
	slugs   []string
	site    site
	restart bool // the section starts again here, under the same headings
	para    bool // the list at the top is labelled by a paragraph
	cards   []int
	locs    []anchor // where each card is

	heads []string // the texts of the headings above
	list  *flist   // a list block's list

	// labels is the list a paragraph of clozes labels, which then holds
	// the paragraph's text as it was; labelled is set on the list once
	// the paragraph is written, touching it when its label ends in no ':'.
	labels          *block
	labelled, touch bool
}

// formatter rebuilds the notes of one deck.
type formatter struct {
	deck   string
	cards  []card.Card
	blocks []*block
	texts  map[string]string // heading path → its heading's text

	fileTags   []string
	clozesOff  bool
	listsOff   bool
	noTitle    bool // headings run six deep: no H1 for the deck
	out        bytes.Buffer
	heads      []outHead
	lastVis    visible // what the last block written was, as goldmark sees it
	lastMarker byte
}

// visible kinds of the block written last.
type visible int

const (
	visHeading   visible = iota
	visLabelPara         // a paragraph that would label a list after it
	visPara
	visList
)

type outHead struct {
	text  string
	slug  string
	tags  []string
	depth int
}

// group sorts the cards into blocks: the cards of one site, in a run.
func (f *formatter) group() error {
	type where struct {
		file, path string
		site       site
	}
	var cur *block
	seen := map[where]bool{}     // sites of the section being read
	inBlock := map[string]bool{} // anchor+kind of the cards of cur
	for i := range f.cards {
		c := &f.cards[i]
		l, err := parseAnchor(c.Anchor)
		if err != nil {
			return fmt.Errorf("card %s (%q): no anchor to place it by; --format md takes the cards notes give", c.ID, c.Front)
		}
		key := where{l.file, l.path, l.site}
		ak := c.Anchor + "\x00" + string(c.Kind)
		if cur != nil && cur.file == l.file && strings.Join(cur.slugs, "/") == l.path && cur.site == l.site && !inBlock[ak] {
			cur.cards = append(cur.cards, i)
			cur.locs = append(cur.locs, l)
			inBlock[ak] = true
			continue
		}
		restart := false
		if cur == nil || cur.file != l.file || strings.Join(cur.slugs, "/") != l.path {
			clear(seen)
		} else if seen[key] {
			restart = true
			clear(seen)
		}
		seen[key] = true
		clear(inBlock)
		inBlock[ak] = true
		cur = &block{file: l.file, slugs: l.slugs(), site: l.site, restart: restart, cards: []int{i}, locs: []anchor{l}}
		f.blocks = append(f.blocks, cur)
	}
	return nil
}

// align splits a breadcrumb (without the deck) into the texts of the
// headings with the given slugs ("" where left out) and what follows them.
func align(ctx []string, slugs []string) ([]string, []string) {
	heads := make([]string, len(slugs))
	j := 0
	for i, e := range ctx {
		if j >= len(slugs) {
			return heads, ctx[i:]
		}
		s := slug(e)
		k := slices.Index(slugs[j:], s)
		if k < 0 {
			return heads, ctx[i:]
		}
		heads[j+k] = e
		j += k + 1
	}
	return heads, nil
}

// resolve works out each block's headings and list, and the file's
// options and tags.
func (f *formatter) resolve() {
	// Heading texts: from every card whose breadcrumb has them.
	for _, b := range f.blocks {
		for _, i := range b.cards {
			c := &f.cards[i]
			if len(c.Context) == 0 {
				continue
			}
			heads, _ := align(f.crumbs(c), b.slugs)
			for k, h := range heads {
				p := strings.Join(b.slugs[:k+1], "/")
				if _, ok := f.texts[p]; h != "" && !ok {
					f.texts[p] = h
				}
			}
		}
	}
	// A heading every card leaves out of its breadcrumb (it gives the
	// answer away) may label the list under it.
	for _, b := range f.blocks {
		p := strings.Join(b.slugs, "/")
		if _, ok := f.texts[p]; ok || len(b.slugs) == 0 {
			continue
		}
		for k, i := range b.cards {
			c := &f.cards[i]
			if b.site.kind != siteList || len(b.locs[k].steps) > 0 {
				continue
			}
			label, _, ok := listLabel(c.Front)
			if c.Kind == card.Basic {
				label, ok = strings.TrimSuffix(c.Front, "?"), true
			}
			if ok && slug(label) == b.slugs[len(b.slugs)-1] {
				f.texts[p] = label
			}
		}
	}
	depth := 0
	for _, b := range f.blocks {
		b.heads = make([]string, len(b.slugs))
		local := map[int]string{}
		for _, i := range b.cards {
			if c := &f.cards[i]; len(c.Context) > 0 {
				heads, _ := align(f.crumbs(c), b.slugs)
				for k, h := range heads {
					if _, ok := local[k]; h != "" && !ok {
						local[k] = h
					}
				}
			}
		}
		for k := range b.slugs {
			switch t, ok := local[k]; {
			case ok:
				b.heads[k] = t
			case f.texts[strings.Join(b.slugs[:k+1], "/")] != "":
				b.heads[k] = f.texts[strings.Join(b.slugs[:k+1], "/")]
			default:
				b.heads[k] = b.slugs[k]
			}
		}
		depth = max(depth, len(b.slugs))
		if b.site.kind == siteList {
			b.list = f.buildList(b)
		}
	}
	f.noTitle = depth >= 6
	// A paragraph of clozes right before a list may be its label too.
	for k := 1; k < len(f.blocks); k++ {
		b, p := f.blocks[k], f.blocks[k-1]
		if b.list == nil || !b.list.para || b.restart || p.list != nil || p.site.kind == siteQA ||
			p.file != b.file || !slices.Equal(p.slugs, b.slugs) || parseClozes([]byte(b.list.label)) == nil {
			continue
		}
		all := true
		for _, l := range p.locs {
			all = all && l.suffix.kind == suffixCloze
		}
		if all {
			p.labels = b
		}
	}
	f.fileTags = f.commonTags()

	anyList := false
	for i := range f.cards {
		anyList = anyList || f.cards[i].Kind == card.List
	}
	for _, b := range f.blocks {
		if b.list == nil {
			continue
		}
		b.list.walk(func(l *flist) {
			if l.listCard != nil && len(l.clozes) == 0 && l.wouldCloze() {
				f.clozesOff = true
			}
			if !anyList && l.makesList() {
				f.listsOff = true
			}
		})
	}
}

// commonTags are the tags every card has ahead of its heading path's tag:
// the front matter's.
func (f *formatter) commonTags() []string {
	var common []string
	first := true
	for _, b := range f.blocks {
		p := strings.Join(b.slugs, "::")
		for _, i := range b.cards {
			t := f.cards[i].Tags
			if p != "" {
				if k := slices.Index(t, p); k >= 0 {
					t = t[:k]
				}
			}
			if first {
				common, first = slices.Clone(t), false
				continue
			}
			n := 0
			for n < len(common) && n < len(t) && common[n] == t[n] {
				n++
			}
			common = common[:n]
		}
	}
	return common
}

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

func sortedKeys[V any](m map[int]V) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
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
	if n > maxListItems || n < minClozeItems || !l.ordered && wordyTexts(ms) {
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
	return n >= 2 && n <= maxListItems && !l.glossary
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
			if u, ok := clozeUnit(it.clozes); ok && !strings.Contains(u, "\n") {
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
	for _, t := range []string{term + ": " + back, "**" + term + "**: " + back, term + " - " + back} {
		if isDefOf(t, d) && readsAs(t, false) == itemDef {
			return t
		}
	}
	return term + ": " + back
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
	if len(b) <= maxClozeUnit && parseClozes(b) != nil {
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

// clozeSpan is a deletion of a cloze text: where it is in the text
// without markup, its hint and the number of its card.
type clozeSpan struct {
	start, end int
	hint       string
	num        int
}

// clozeUnit rebuilds the text of a cloze group from its cards' Text, each
// card's deletions marked {{cN::…}} again (numbered in the cards' order),
// or ==…== when that is the only way to write them. ok is false when the
// cards disagree on the text or no markup gives the cards back.
func clozeUnit(group []*card.Card) (string, bool) {
	var full string
	var spans []clozeSpan
	for n, c := range group {
		var b strings.Builder
		rest := c.Text
		for {
			i := strings.Index(rest, "{{c1::")
			if i < 0 {
				b.WriteString(unescapeText(rest))
				break
			}
			b.WriteString(unescapeText(rest[:i]))
			rest = rest[i+len("{{c1::"):]
			j := strings.Index(rest, "}}")
			if j < 0 {
				return "", false
			}
			del, hint, _ := strings.Cut(rest[:j], "::")
			del, hint = unescapeCloze(del), unescapeCloze(hint)
			spans = append(spans, clozeSpan{b.Len(), b.Len() + len(del), hint, n + 1})
			b.WriteString(del)
			rest = rest[j+2:]
		}
		if n == 0 {
			full = b.String()
		} else if b.String() != full {
			return "", false
		}
	}
	slices.SortFunc(spans, func(a, b clozeSpan) int { return a.start - b.start })
	for k := 1; k < len(spans); k++ {
		if spans[k].start < spans[k-1].end {
			return "", false
		}
	}
	// {{cN::…}} cannot hold "::" or "}}"; ==…== holds no hint and is
	// numbered after the {{cN}} of its text.
	writable := func(s clozeSpan) bool {
		d := full[s.start:s.end]
		return !strings.Contains(d, "::") && !strings.Contains(d, "}}") && !strings.Contains(s.hint, "}}")
	}
	mark := func(mode int) string {
		var b strings.Builder
		at := 0
		for _, s := range spans {
			b.WriteString(full[at:s.start])
			if mode == 1 || mode == 2 && !writable(s) {
				b.WriteString("==" + full[s.start:s.end] + "==")
			} else {
				b.WriteString("{{c" + strconv.Itoa(s.num) + "::" + full[s.start:s.end])
				if s.hint != "" {
					b.WriteString("::" + s.hint)
				}
				b.WriteString("}}")
			}
			at = s.end
		}
		b.WriteString(full[at:])
		return b.String()
	}
	want := clozeShape{full, spans}
	for mode := range 3 { // {{cN::…}}, ==…==, both
		if u := mark(mode); shapeOf(u).equal(want) {
			return u, true
		}
	}
	return "", false
}

// relines breaks a label, a paragraph's lines joined by spaces, into
// lines again where the paragraph's cloze text u has them, if the label
// then makes the cards u makes.
func relines(label, u string) ([]string, bool) {
	want := shapeOf(u)
	if !shapeOf(label).equal(shapeOf(strings.ReplaceAll(u, "\n", " "))) {
		return nil, false
	}
	// Map each line break of u's text to its space in the label.
	b := []byte(label)
	plain := 0
	for _, p := range parseClozes(b) {
		if p.num <= 0 {
			for i := 0; i < len(p.text); i++ {
				if want.full[plain+i] == '\n' {
					if b[p.off+i] != ' ' {
						return nil, false
					}
					b[p.off+i] = '\n'
				}
			}
		}
		plain += len(p.text)
	}
	lines := strings.Split(string(b), "\n")
	if !shapeOf(string(b)).equal(want) {
		return nil, false
	}
	return lines, true
}

// clozeShape is what the cloze cards of a text depend on: the text
// without markup and its deletions.
type clozeShape struct {
	full  string
	spans []clozeSpan // by start
}

// shapeOf reads the clozes of a text as Parse does.
func shapeOf(s string) clozeShape {
	var sh clozeShape
	var b strings.Builder
	for _, p := range parseClozes([]byte(s)) {
		if p.num > 0 {
			sh.spans = append(sh.spans, clozeSpan{b.Len(), b.Len() + len(p.text), p.hint, p.num})
		}
		b.WriteString(p.text)
	}
	sh.full = b.String()
	return sh
}

// equal reports whether two cloze texts make the same cards: the same
// text, and deletions that group the same way, in the same order.
func (a clozeShape) equal(b clozeShape) bool {
	if a.full != b.full || len(a.spans) != len(b.spans) {
		return false
	}
	rank := func(sh clozeShape) []int {
		nums := []int{}
		for _, s := range sh.spans {
			if !slices.Contains(nums, s.num) {
				nums = append(nums, s.num)
			}
		}
		slices.Sort(nums)
		out := make([]int, len(sh.spans))
		for i, s := range sh.spans {
			out[i] = slices.Index(nums, s.num)
		}
		return out
	}
	ra, rb := rank(a), rank(b)
	for i := range a.spans {
		x, y := a.spans[i], b.spans[i]
		if x.start != y.start || x.end != y.end || x.hint != y.hint || ra[i] != rb[i] {
			return false
		}
	}
	return true
}

func unescapeText(s string) string { return strings.ReplaceAll(s, "{&#123;", "{{") }

func unescapeCloze(s string) string {
	return strings.NewReplacer(":&#58;", "::", "}&#125;", "}}", "{&#123;", "{{").Replace(s)
}

// write writes the notes.
func (f *formatter) write() {
	f.out.WriteString("---\ndeck: " + yamlString(f.deck) + "\n")
	if len(f.fileTags) > 0 {
		q := make([]string, len(f.fileTags))
		for i, t := range f.fileTags {
			q[i] = yamlString(t)
		}
		f.out.WriteString("tags: [" + strings.Join(q, ", ") + "]\n")
	}
	if f.clozesOff || f.listsOff {
		f.out.WriteString("cards:\n")
		if f.clozesOff {
			f.out.WriteString("  clozes: false\n")
		}
		if f.listsOff {
			f.out.WriteString("  lists: false\n")
		}
	}
	f.out.WriteString("---\n")
	if !f.noTitle && titleOK(f.deck) {
		f.out.WriteString("\n# " + f.deck + "\n")
	}
	f.lastVis = visHeading
	for _, b := range f.blocks {
		f.enter(b)
		want := f.sectionTags(b)
		switch {
		case b.site.kind == siteQA:
			f.qa(b, want)
		case b.list != nil:
			f.listBlock(b, want)
		default:
			f.para(b, want)
		}
	}
}

// titleOK reports whether an H1 of the deck's name reads back as that
// name.
func titleOK(deck string) bool {
	if deck == "" || strings.ContainsAny(deck, "\n\r") || strings.HasSuffix(deck, "#") {
		return false
	}
	t, tags := (&cleaner{}).clean([]byte(deck))
	return t == deck && len(tags) == 0
}

// yamlString writes s as a YAML scalar, quoted when it must be.
func yamlString(s string) string {
	plain := s != "" && s == strings.TrimSpace(s) && !strings.Contains(s, ": ") && !strings.Contains(s, " #") &&
		!strings.ContainsAny(s[:1], "-?:,[]{}#&*!|>'\"%@`") && !strings.ContainsAny(s, ",[]{}\"'\\") &&
		!strings.HasSuffix(s, ":")
	for _, r := range s {
		plain = plain && r >= ' ' && r != 0x7f
	}
	if plain {
		return s
	}
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r < ' ' || r == 0x7f:
			fmt.Fprintf(&b, "\\x%02x", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// enter writes the headings of a block's section, as far as they differ
// from those written; the deepest new one waits for its tags (see
// sectionTags).
func (f *formatter) enter(b *block) {
	k := 0
	for k < len(f.heads) && k < len(b.heads) && f.heads[k].text == b.heads[k] && f.heads[k].slug == b.slugs[k] {
		k++
	}
	if b.restart && k == len(b.heads) && k > 0 {
		k--
	}
	if k == len(f.heads) && k == len(b.heads) {
		return
	}
	f.heads = f.heads[:k]
	for i := k; i < len(b.heads); i++ {
		f.heads = append(f.heads, outHead{text: b.heads[i], slug: b.slugs[i], depth: -1})
	}
}

// sectionTags works out the tags the headings give the block's cards,
// writes the headings not yet written with theirs (or a paragraph of tags
// when a section's tags grew), and returns the tags every card of the
// block starts with.
func (f *formatter) sectionTags(b *block) []string {
	cur := f.headTags()
	p := strings.Join(b.slugs, "::")
	t := f.cards[b.cards[0]].Tags
	var grow []string
	if p != "" && hasPrefix(t, cur) && !hasPrefix(t, uniq(append(slices.Clone(cur), p))) {
		if k := slices.Index(t[len(cur):], p); k > 0 {
			grow = t[len(cur) : len(cur)+k]
		}
	}
	n := len(f.heads)
	if n > 0 && f.heads[n-1].depth < 0 {
		f.heads[n-1].tags = slices.Clone(grow)
	} else if len(grow) > 0 && n > 0 {
		f.heads[n-1].tags = append(f.heads[n-1].tags, grow...)
		f.out.WriteString("\n" + strings.TrimSpace(inlineTags(grow)) + "\n")
		f.lastVis = visPara
	}
	for i := range f.heads {
		h := &f.heads[i]
		if h.depth >= 0 {
			continue
		}
		h.depth = i + 1
		level := h.depth + 1
		if f.noTitle {
			level = h.depth
		}
		line := h.text + inlineTags(h.tags)
		if strings.HasSuffix(line, "#") {
			// A closing sequence of its own keeps the text's last #.
			line += " #"
		}
		f.out.WriteString("\n" + strings.Repeat("#", level) + " " + line + "\n")
		f.lastVis = visHeading
	}
	want := f.headTags()
	if p != "" {
		want = uniq(append(want, p))
	}
	return want
}

// headTags are the tags of the file and of the headings written.
func (f *formatter) headTags() []string {
	tags := slices.Clone(f.fileTags)
	for _, h := range f.heads {
		tags = append(tags, h.tags...)
	}
	return uniq(tags)
}

func hasPrefix(s, prefix []string) bool {
	return len(s) >= len(prefix) && slices.Equal(s[:len(prefix)], prefix)
}

// extras are the tags of a card beyond those its section gives.
func extras(c *card.Card, want []string) []string {
	if hasPrefix(c.Tags, want) {
		return c.Tags[len(want):]
	}
	var out []string
	for _, t := range c.Tags {
		if !slices.Contains(want, t) {
			out = append(out, t)
		}
	}
	return out
}

// tagged writes text with its inline tags: after it, or before it when
// the text would start another block (">", "1) x") on a line of its own.
func tagged(text string, tags []string) string {
	if len(tags) > 0 && opensBlock(text) {
		return strings.TrimSpace(inlineTags(tags)) + " " + text
	}
	return text + inlineTags(tags)
}

// crumbs is a card's breadcrumb without the deck's name (which it lacks
// when the name gives the answer away).
func (f *formatter) crumbs(c *card.Card) []string {
	if len(c.Context) > 0 && c.Context[0] == f.deck {
		return c.Context[1:]
	}
	return c.Context
}

// inlineTags writes tags as " #a #b".
func inlineTags(tags []string) string {
	var b strings.Builder
	for _, t := range tags {
		b.WriteString(" #" + t)
	}
	return b.String()
}

// qa writes a question block: the question, a line "?", the answer.
func (f *formatter) qa(b *block, want []string) {
	c := &f.cards[b.cards[0]]
	front := c.Front
	if i := strings.IndexByte(front, '\n'); i >= 0 {
		front = front[:i] + inlineTags(extras(c, want)) + front[i:]
	} else {
		front += inlineTags(extras(c, want))
	}
	f.out.WriteString("\n" + front + "\n?\n" + c.Back + "\n")
	// goldmark never sees the block: lastVis stays.
}

// para writes a paragraph: its "Q :: A" lines and its cloze text, each
// line where it was.
func (f *formatter) para(b *block, want []string) {
	type qaLine struct{ basic, reverse *card.Card }
	lines := map[int]*qaLine{}
	var clozes []*card.Card
	for k, i := range b.cards {
		c := &f.cards[i]
		l := b.locs[k]
		switch {
		case l.suffix.kind == suffixDef:
			f.asked(c, want)
		case l.suffix.kind == suffixCloze:
			clozes = append(clozes, c)
		case len(l.steps) == 1:
			q := lines[l.steps[0]]
			if q == nil {
				q = &qaLine{}
				lines[l.steps[0]] = q
			}
			if c.Kind == card.Reverse {
				q.reverse = c
			} else {
				q.basic = c
			}
		}
	}
	var unit []string
	var unitTags []string
	var loose []string // cloze texts that could not be joined
	if len(clozes) > 0 && b.labels != nil {
		u, ok := clozeUnit(clozes)
		label := b.labels.list.label
		tags := inlineTags(extras(clozes[0], want))
		if ok {
			if lines, ok := relines(label+":", u); ok {
				lines[len(lines)-1] = strings.TrimSuffix(lines[len(lines)-1], ":") + tags + ":"
				f.paragraph(lines)
				b.labels.labelled = true
				return
			}
			if lines, ok := relines(label, u); ok {
				lines[len(lines)-1] += tags
				f.paragraph(lines)
				b.labels.labelled, b.labels.touch = true, true
				return
			}
		}
	}
	if len(clozes) > 0 {
		if u, ok := clozeUnit(clozes); ok {
			unit = strings.Split(u, "\n")
			unitTags = extras(clozes[0], want)
		} else {
			for _, c := range clozes {
				t, ok := clozeUnit([]*card.Card{c})
				if !ok {
					t = c.Text
				}
				loose = append(loose, t+inlineTags(extras(c, want)))
			}
		}
	}
	var out []string
	idx := sortedKeys(lines)
	total := len(lines) + len(unit)
	if len(idx) > 0 {
		total = max(total, idx[len(idx)-1])
	}
	u := 0
	for i := 1; i <= total; i++ {
		if q, ok := lines[i]; ok {
			c := q.basic
			if c == nil {
				c = q.reverse
			}
			out = append(out, explicitText(q.basic, q.reverse)+inlineTags(extras(c, want)))
			continue
		}
		if u < len(unit) {
			line := unit[u]
			u++
			if u == len(unit) {
				line += inlineTags(unitTags)
			}
			out = append(out, line)
		}
	}
	for ; u < len(unit); u++ {
		line := unit[u]
		if u == len(unit)-1 {
			line += inlineTags(unitTags)
		}
		out = append(out, line)
	}
	if len(out) > 0 && len(unit) == 0 && opensBlock(out[0]) {
		// The line went on a paragraph whose first line made no card; a
		// line of its own, it would open another block.
		out = slices.Insert(out, 0, "…")
	}
	switch {
	case len(out) == 1 && starSplits(out[0]):
		// Alone on its line the normaliser would make a list of it; as
		// the one item of a list, it makes the same card.
		if f.lastVis == visLabelPara || f.lastVis == visHeading {
			f.out.WriteString("\n<!-- -->\n")
		}
		marker := byte('-')
		if f.lastVis == visList && f.lastMarker == marker {
			marker = '*'
		}
		f.out.WriteString("\n" + string(marker) + " " + out[0] + "\n")
		f.lastVis, f.lastMarker = visList, marker
	case len(out) > 0:
		f.paragraph(out)
	}
	for _, t := range loose {
		f.paragraph(strings.Split(t, "\n"))
	}
}

// asked writes a card a paragraph made, a definition, as a question that
// makes it again: "Q :: A", or a question block when the answer has
// lines.
func (f *formatter) asked(c *card.Card, want []string) {
	tags := inlineTags(extras(c, want))
	if strings.Contains(c.Back, "\n") {
		f.out.WriteString("\n" + c.Front + tags + "\n?\n" + c.Back + "\n")
		return
	}
	f.paragraph([]string{c.Front + " :: " + c.Back + tags})
}

// opensBlock reports whether a line at the start of a paragraph would
// start another block: a heading, a quote, a list, a fence or HTML.
func opensBlock(line string) bool {
	if line == "" {
		return false
	}
	switch line[0] {
	case '#', '>', '-', '*', '+', '`', '~', '<', '|', '=', '_':
		return true
	}
	_, rest := indentOf([]byte(line))
	if m, _ := markerLen(rest); m > 0 {
		return true
	}
	// "0)" or "3." alone: an empty step.
	i := 0
	for i < len(rest) && isDigit(rest[i]) {
		i++
	}
	return i > 0 && i == len(rest)-1 && (rest[i] == ')' || rest[i] == '.')
}

// starSplits reports whether the normaliser reads a line standing alone
// as "Label * a * b" or "Label 1. a 2. b".
func starSplits(line string) bool {
	t := []byte(strings.TrimSpace(line))
	if len(t) == 0 || !hasSep(t, '*', " ") && !hasSep(t, '1', ". ") {
		return false
	}
	_, _, ok := splitStarLine(t)
	return ok
}

// paragraph writes a paragraph of lines and notes whether it would label
// a list written right after it.
func (f *formatter) paragraph(lines []string) {
	f.out.WriteString("\n" + lines[0] + "\n")
	for _, l := range lines[1:] {
		if opensBlock(l) {
			// Indented, the line goes on the paragraph.
			l = "    " + l
		}
		f.out.WriteString(l + "\n")
	}
	f.lastVis = visPara
	raw := strings.Join(lines, " ")
	if len(raw) > 0 && len(raw) <= maxLabel && (raw[len(raw)-1] == ':' ||
		len(lines) == 1 && words(raw) <= 12 && raw[len(raw)-1] != '.' && raw[len(raw)-1] != '!') &&
		(!strings.Contains(raw, "::") || firstSep([]byte(raw)) < 0) {
		if t, _ := (&cleaner{}).clean([]byte(raw)); strings.TrimSpace(strings.TrimRight(t, ":")) != "" {
			f.lastVis = visLabelPara
		}
	}
}

// listBlock writes a list block: its label paragraph, if it has one, and
// the list.
func (f *formatter) listBlock(b *block, want []string) {
	l := b.list
	if l.defLabel != nil {
		f.asked(l.defLabel, want)
	}
	if l.single != nil && !l.para && f.lastVis != visHeading {
		// Only a paragraph can label it here.
		l.para = true
	}
	f.listTags(l, want)
	marker := byte('-')
	if l.ordered {
		marker = '.'
	}
	switch {
	case b.touch:
		f.renderList(l, "", marker)
		f.lastVis, f.lastMarker = visList, marker
		return
	case b.labelled:
	case l.para && (len(l.label)+len(inlineTags(l.labelTags))+1 > maxLabel || starSplits(l.label+":")):
		// Too long to end in ':', or a line the normaliser would read
		// as a list, the label touches its list.
		f.out.WriteString("\n" + tagged(l.label, l.labelTags))
	case l.para:
		colon := ":"
		if strings.HasSuffix(tagged(l.label, l.labelTags), ":") {
			colon = " :" // the label's own ':' stays
		} else if !f.listsOff && l.listCard == nil && l.single == nil && l.defLabel == nil && words(l.label) <= 12 && !strings.ContainsAny(l.label[len(l.label)-1:], ".!") {
			// A label that asked for no list card: a colon would ask.
			colon = ""
		}
		f.out.WriteString("\n" + tagged(l.label, l.labelTags) + colon + "\n")
	case f.lastVis == visList:
		if f.lastMarker == marker {
			marker = map[byte]byte{'-': '*', '.': ')'}[marker]
		}
	case f.lastVis == visLabelPara,
		f.lastVis == visHeading && l.single == nil && len(l.members) == 1 && len(l.items) > 0:
		f.out.WriteString("\n<!-- -->\n")
	}
	f.out.WriteString("\n")
	f.renderList(l, "", marker)
	f.lastVis, f.lastMarker = visList, marker
}

// renderList writes the items of a list and the lists nested in them.
func (f *formatter) renderList(l *flist, indent string, marker byte) {
	for _, it := range l.items {
		m := string(marker) + " "
		if l.ordered {
			m = strconv.Itoa(it.num) + string(marker) + " "
		}
		text := tagged(it.text, it.tags)
		if text == "" {
			f.out.WriteString(indent + strings.TrimSpace(m) + "\n")
		} else {
			f.out.WriteString(indent + m + text + "\n")
		}
		next := map[bool]byte{false: '-', true: '.'}
		for _, k := range sortedKeys(it.children) {
			c := it.children[k]
			cm := next[c.ordered]
			f.renderList(c, indent+strings.Repeat(" ", len(m)), cm)
			next[c.ordered] = map[byte]byte{'-': '*', '*': '-', '.': ')', ')': '.'}[cm]
		}
	}
}

// listTags shares the tags of a list's cards out between its label and
// its items, and does the same for the lists nested in it.
func (f *formatter) listTags(l *flist, want []string) {
	for _, it := range l.items {
		if c := it.own(); c != nil {
			it.tags = extras(c, want)
		}
	}
	para := l.para && l.depth == 0
	switch {
	case l.listCard != nil && len(l.clozes) == len(l.members) && len(l.clozes) > 0:
		ek := make([][]string, len(l.clozes))
		for k, c := range l.clozes {
			ek[k] = extras(c, want)
		}
		el := extras(l.listCard, want)
		try := func(lab []string) bool {
			var all []string
			for k := range ek {
				if !hasPrefix(ek[k], lab) {
					return false
				}
				all = append(all, ek[k][len(lab):]...)
			}
			if !slices.Equal(uniq(append(all, lab...)), el) {
				return false
			}
			l.labelTags = lab
			for k, m := range l.members {
				m.tags = slices.Clone(ek[k][len(lab):])
			}
			return true
		}
		if !para || !try(lcp(ek)) {
			try(nil)
		}
	case l.single != nil:
		e := extras(l.single, want)
		if para {
			l.labelTags = e
		} else if len(l.members) > 0 {
			l.members[0].tags = e
		}
	case l.listCard != nil:
		el := extras(l.listCard, want)
		var all []string
		for _, m := range l.members {
			all = append(all, m.tags...)
		}
		var rest []string
		for _, t := range el {
			if !slices.Contains(all, t) {
				rest = append(rest, t)
			}
		}
		if para {
			l.labelTags = rest
		} else {
			for _, m := range l.members {
				if m.own() == nil {
					m.tags = rest
					break
				}
			}
		}
	}
	for _, it := range l.items {
		for _, k := range sortedKeys(it.children) {
			f.listTags(it.children[k], want)
		}
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

// lcp is the longest common prefix of lists of tags.
func lcp(lists [][]string) []string {
	if len(lists) == 0 {
		return nil
	}
	p := lists[0]
	for _, l := range lists[1:] {
		n := 0
		for n < len(p) && n < len(l) && p[n] == l[n] {
			n++
		}
		p = p[:n]
	}
	return slices.Clone(p)
}
