package store

import (
	"strconv"
	"strings"
)

// This file holds the third stage of a sync's matching: an item reworded
// in place. When an item of a list keeps its list and its number, and the
// items on either side of it are still there, unchanged in place, then
// whatever its words became it is the same item, and its cards the same
// cards.

// place is an item of a list, or a line of a paragraph: what an anchor
// points to once what the card is of it (its suffix) is cut off.
type place struct {
	list string // the anchor of the list or paragraph, spelt out
	num  int    // the item's number in it, from 1
}

// itemPlace returns the item a card of the given anchor is made from: for
// "f#h@list1/3:def" item 3 of "f#h@list1"; for the list card of a list
// nested in an item, "f#h@list1/2/list1", item 2 of "f#h@list1", the item
// that is its label. Anchors of no item (a top-level list card, a
// paragraph's cloze, a question block) give false.
func itemPlace(anchor string) (place, bool) {
	at := strings.LastIndexByte(anchor, '@')
	if at < 0 {
		return place{}, false
	}
	rest := anchor[at+1:]
	if colon := strings.IndexByte(rest, ':'); colon >= 0 {
		rest = rest[:colon]
	}
	// A list nested in an item belongs to that item.
	if slash := strings.LastIndexByte(rest, '/'); slash >= 0 && strings.HasPrefix(rest[slash+1:], "list") {
		rest = rest[:slash]
	}
	slash := strings.LastIndexByte(rest, '/')
	if slash < 0 {
		return place{}, false
	}
	num, err := strconv.Atoi(rest[slash+1:])
	if err != nil || num < 1 {
		return place{}, false
	}
	return place{list: anchor[:at+1] + rest[:slash], num: num}, true
}

// inPlace pairs the cards an item reworded in place gives: an old card
// and a new one left unmatched by the stages before, of the same kind at
// the same anchor, whose item has a neighbour in its list (the item before
// or after it) and no neighbour that changed. A neighbour is unchanged when
// each of its cards, old and new, was matched by the stages before to a
// card at the same anchor; an item with no cards on either side, or none
// at all (the list's first item has no item before it), counts as
// unchanged but not as a neighbour that is there.
//
// Only the stages before count: two reworded items side by side change
// each other's neighbour, and stay apart, as does a reworded item beside
// an inserted, removed or moved one. Whether one edit reworded two items
// or replaced them is never guessed at. rest is the old cards stage 1 read
// the details of; orphans, which are not in the notes as the last sync
// saw them, take no part.
func (sy *syncer) inPlace(in []*incoming, rest []*existing) {
	pairs := candidates(in, rest)
	if len(pairs) == 0 {
		return
	}
	// The items beside the candidates', and what became of them.
	beside := map[place]*neighbour{}
	for _, pr := range pairs {
		beside[place{pr.at.list, pr.at.num - 1}] = &neighbour{}
		beside[place{pr.at.list, pr.at.num + 1}] = &neighbour{}
	}
	matchOf := make(map[*existing]*incoming, len(in))
	for _, n := range in {
		o := n.match
		if o != nil {
			matchOf[o] = n
		}
		p, ok := itemPlace(n.Anchor)
		nb := beside[p]
		if !ok || nb == nil {
			continue
		}
		nb.present = true
		// A fingerprint match is at the same anchor; the anchor of such
		// an old card is not read.
		if o == nil || o.orphan || o.source != sy.src.Path || o.fp != n.fp && o.anchor != n.Anchor {
			nb.changed = true
		}
	}
	for _, o := range rest {
		if o.orphan {
			continue
		}
		p, ok := itemPlace(o.anchor)
		nb := beside[p]
		if !ok || nb == nil {
			continue
		}
		nb.present = true
		if n := matchOf[o]; n == nil || n.Anchor != o.anchor {
			nb.changed = true
		}
	}
	// Claimed only now, so that no pair decides another.
	for _, pr := range pairs {
		before, after := beside[place{pr.at.list, pr.at.num - 1}], beside[place{pr.at.list, pr.at.num + 1}]
		if !before.changed && !after.changed && (before.present || after.present) {
			sy.claim(pr.n, pr.o)
		}
	}
}

// neighbour is what became of an item beside a reworded one.
type neighbour struct {
	present bool // it has cards, old or new
	changed bool // one of them is new, gone or moved
}

// candidate is a pair inPlace may make, if the item's neighbours allow.
type candidate struct {
	n  *incoming
	o  *existing
	at place
}

// candidates pairs each unmatched new card of an item with the one
// unmatched old card (not an orphan) of its kind at its anchor, when there
// is exactly one of each.
func candidates(in []*incoming, rest []*existing) []candidate {
	open := map[string][]*existing{}
	for _, o := range rest {
		if !o.claimed && !o.orphan {
			k := o.anchor + "\x00" + o.kind
			open[k] = append(open[k], o)
		}
	}
	if len(open) == 0 {
		return nil
	}
	waiting := map[string]int{}
	for _, n := range in {
		if n.match == nil {
			waiting[n.Anchor+"\x00"+string(n.Kind)]++
		}
	}
	var out []candidate
	for _, n := range in {
		k := n.Anchor + "\x00" + string(n.Kind)
		if n.match != nil || waiting[k] != 1 || len(open[k]) != 1 {
			continue
		}
		if p, ok := itemPlace(n.Anchor); ok {
			out = append(out, candidate{n, open[k][0], p})
		}
	}
	return out
}
