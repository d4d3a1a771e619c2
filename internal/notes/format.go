package notes

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/recall-cli/recall/internal/card"
)

// This file holds Format and its first step: sorting the cards into the
// blocks of the notes their anchors name, and working out each block's
// headings and the file's options and tags. The blocks' lists are rebuilt
// in format_list.go, their cloze paragraphs in format_cloze.go, and the
// markdown is written in format_write.go.

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
	var curHeads []string        // the heading texts cur's cards' breadcrumbs give ("" where none does)
	var hasSingle, hasTop bool   // cur holds a one-item list's card, a card of an item
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
		heads, _ := align(f.crumbs(c), l.slugs())
		samePath := cur != nil && cur.file == l.file && strings.Join(cur.slugs, "/") == l.path
		// Two headings whose slugs are the same ("0" and "0?") give their
		// sections one path: their texts tell them apart.
		sameHeads := samePath && !headsDiffer(curHeads, heads)
		// A one-item list's card comes only when its item makes none of
		// its own, nor the lists in it: with a card of an item, two lists
		// share the site.
		single := l.site.kind == siteList && len(l.steps) == 0 && l.suffix.kind == suffixNone && c.Kind == card.Basic
		top := l.site.kind == siteList && len(l.steps) > 0
		if sameHeads && cur.site == l.site && !inBlock[ak] && !(single && hasTop || top && hasSingle) {
			cur.cards = append(cur.cards, i)
			cur.locs = append(cur.locs, l)
			inBlock[ak] = true
			hasSingle, hasTop = hasSingle || single, hasTop || top
			for k, h := range heads {
				if curHeads[k] == "" {
					curHeads[k] = h
				}
			}
			continue
		}
		restart := false
		if !samePath {
			clear(seen)
		} else if seen[key] || !sameHeads || cur.site == l.site {
			restart = true
			clear(seen)
		}
		curHeads = heads
		hasSingle, hasTop = single, top
		seen[key] = true
		clear(inBlock)
		inBlock[ak] = true
		cur = &block{file: l.file, slugs: l.slugs(), site: l.site, restart: restart, cards: []int{i}, locs: []anchor{l}}
		f.blocks = append(f.blocks, cur)
	}
	return nil
}

// headsDiffer reports whether two sets of heading texts of one heading
// path name different headings: texts both know and that differ.
func headsDiffer(a, b []string) bool {
	for k := range min(len(a), len(b)) {
		if a[k] != "" && b[k] != "" && a[k] != b[k] {
			return true
		}
	}
	return false
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

func sortedKeys[V any](m map[int]V) []int {
	keys := make([]int, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// crumbs is a card's breadcrumb without the deck's name (which it lacks
// when the name gives the answer away).
func (f *formatter) crumbs(c *card.Card) []string {
	if len(c.Context) > 0 && c.Context[0] == f.deck {
		return c.Context[1:]
	}
	return c.Context
}
