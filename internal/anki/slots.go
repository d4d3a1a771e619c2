package anki

import (
	"github.com/recall-cli/recall/internal/card"
)

// ref is what the Writer keeps of a card it wrote (see Writer.cards): its
// Anki card id (0 for a card left out), its note's mod, and whether it is
// a basic card waiting, first of its group, for a reverse sibling under
// the note id derived from its own (firstID): the common case, which
// needs nothing more kept (see Writer.waiting).
type ref struct {
	cid   int64
	mod   uint32 // seconds, as modSeconds keeps them
	waits bool
}

// modSeconds is a mod in seconds as a ref keeps it: from 1970 to 2106.
func modSeconds(mod int64) uint32 { return uint32(min(max(mod, 0), 1<<32-1)) }

// findSlot returns the card of group waiting for a sibling, if any.
func (w *Writer) findSlot(group string) (slot, bool) {
	k := cardKey(group)
	if s, ok := w.waiting[k]; ok {
		return s, true
	}
	// The group's first card may be a basic card waiting under the ids
	// derived from the group, whose card id is the group.
	r, ok := w.cards.get(k)
	if !ok || !r.waits {
		return slot{}, false
	}
	return slot{nid: w.firstID("note", group), cid: r.cid, mod: int64(r.mod)}, true
}

// keepSlot notes the card of j, written under nid and cid, as waiting for
// a sibling of its group.
func (w *Writer) keepSlot(j job, nid, cid int64) {
	k := cardKey(j.group)
	if j.kind == card.Basic && j.id == j.group && nid == w.firstID("note", j.id) {
		delete(w.waiting, k)
		r, _ := w.cards.get(k)
		r.waits = true
		w.cards.set(k, r)
		return
	}
	w.waiting[k] = slot{nid: nid, cid: cid, reverse: j.kind == card.Reverse, mod: j.n.mod}
}

// dropSlot forgets the card of group that waited: it has its sibling.
func (w *Writer) dropSlot(group string) {
	k := cardKey(group)
	delete(w.waiting, k)
	if r, ok := w.cards.get(k); ok && r.waits {
		r.waits = false
		w.cards.set(k, r)
	}
}
