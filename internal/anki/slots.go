package anki

import (
	"database/sql"
	"errors"
	"strings"

	"github.com/recall-cli/recall/internal/card"
)

// waiting holds the basic and reverse cards waiting for a sibling of their
// group, to make one "Basic (and reversed)" note of the two (see
// Writer.store). Every basic card of a collection waits, its group being
// its own id, and few siblings ever come: a map of them all would hold a
// slot per card. The common one, a basic card first of its group whose
// note and card went under the ids derived from its own, where its order
// put them, is only noted in a filter of fixed size (basics): the rows
// themselves say the rest when a sibling asks. Other waiting cards are
// kept whole (slots).
type waiting struct {
	slots  map[uint64]slot     // hashed group (cardKey) → its waiting card
	basics *bloom              // hashed groups whose first, basic card may wait
	paired map[uint64]struct{} // groups paired since their basic card was noted
	// note reads the note a basic card was noted with, card checks its card.
	note, card *sql.Stmt
}

func newWaiting(tx *sql.Tx) (*waiting, error) {
	wt := &waiting{slots: map[uint64]slot{}, basics: new(bloom), paired: map[uint64]struct{}{}}
	var err error
	if wt.note, err = tx.Prepare("select mod, mid, guid, flds from notes where id = ?"); err != nil {
		return nil, err
	}
	if wt.card, err = tx.Prepare("select count(*) from cards where id = ? and nid = ?"); err != nil {
		return nil, err
	}
	return wt, nil
}

// find returns the card of group waiting for a sibling, if any.
func (w *Writer) findSlot(group string) (slot, bool, error) {
	k := cardKey(group)
	if s, ok := w.waiting.slots[k]; ok {
		return s, true, nil
	}
	if _, ok := w.waiting.paired[k]; ok || !w.waiting.basics.mayHave(int64(k)) {
		return slot{}, false, nil
	}
	// The group's first card may be a basic card waiting under the ids
	// derived from the group: its note must be the Basic note of that
	// card (its guid), with a back, and have its card.
	nid, cid := w.firstID("note", group), w.firstID("card", group)
	var mod, mid int64
	var g, flds string
	err := w.waiting.note.QueryRow(nid).Scan(&mod, &mid, &g, &flds)
	if errors.Is(err, sql.ErrNoRows) {
		return slot{}, false, nil
	}
	if err != nil {
		return slot{}, false, err
	}
	if g != guid(group) || mid != BasicModelID || !hasBack(flds) {
		return slot{}, false, nil
	}
	var n int
	if err := w.waiting.card.QueryRow(cid, nid).Scan(&n); err != nil || n == 0 {
		return slot{}, false, err
	}
	return slot{nid: nid, cid: cid, mod: mod}, true, nil
}

// hasBack reports whether joined note fields have a second one that is
// not blank.
func hasBack(flds string) bool {
	_, rest, ok := strings.Cut(flds, "\x1f")
	back, _, _ := strings.Cut(rest, "\x1f")
	return ok && strings.TrimSpace(back) != ""
}

// keepSlot notes the card of j, written under nid and cid, as waiting for
// a sibling of its group.
func (w *Writer) keepSlot(j job, nid, cid int64) {
	k := cardKey(j.group)
	if j.kind == card.Basic && j.id == j.group && nid == w.firstID("note", j.id) && cid == w.firstID("card", j.id) &&
		w.noteTab.last == nid && w.cardTab.last == cid {
		delete(w.waiting.slots, k)
		delete(w.waiting.paired, k)
		w.waiting.basics.add(int64(k))
		return
	}
	w.waiting.slots[k] = slot{nid: nid, cid: cid, reverse: j.kind == card.Reverse, mod: j.n.mod}
}

// dropSlot forgets the card of group that waited: it has its sibling.
func (w *Writer) dropSlot(group string) {
	k := cardKey(group)
	delete(w.waiting.slots, k)
	w.waiting.paired[k] = struct{}{}
}
