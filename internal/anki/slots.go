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
// note and card went under the ids derived from its own, both straight
// into the tables or both staged, is only noted in a filter of fixed size
// (basics): the rows themselves say the rest when a sibling asks. Other waiting cards are
// kept whole (slots).
type waiting struct {
	slots  map[uint64]slot     // hashed group (cardKey) → its waiting card
	basics *bloom              // hashed groups whose first, basic card may wait
	paired map[uint64]struct{} // groups paired since their basic card was noted
	// note reads the note a basic card was noted with, card checks its card,
	// in the tables; staged do the same in the staging tables, which are
	// indexed by id the first time (see stagedRows).
	note, card *sql.Stmt
	staged     struct{ note, card *sql.Stmt }
	tx         *sql.Tx
}

func newWaiting(tx *sql.Tx) (*waiting, error) {
	wt := &waiting{slots: map[uint64]slot{}, basics: new(bloom), paired: map[uint64]struct{}{}, tx: tx}
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
	note, card := w.waiting.note, w.waiting.card
	if w.noteTab.staged.has(nid) {
		var err error
		if note, card, err = w.waiting.stagedRows(); err != nil {
			return slot{}, false, err
		}
	}
	var mod, mid int64
	var g, flds string
	err := note.QueryRow(nid).Scan(&mod, &mid, &g, &flds)
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
	if err := card.QueryRow(cid, nid).Scan(&n); err != nil || n == 0 {
		return slot{}, false, err
	}
	return slot{nid: nid, cid: cid, mod: mod}, true, nil
}

// stagedRows returns the statements that read a waiting card's rows from
// the staging tables (see idTable). The first call indexes those tables by
// id: a package whose cards all come in order, or that has no reversed
// pairs, never pays for the index.
func (wt *waiting) stagedRows() (note, card *sql.Stmt, err error) {
	if wt.staged.note != nil {
		return wt.staged.note, wt.staged.card, nil
	}
	for _, q := range []string{
		"create index temp.stage_notes_id on stage_notes (id)",
		"create index temp.stage_cards_id on stage_cards (id)",
	} {
		if _, err := wt.tx.Exec(q); err != nil {
			return nil, nil, err
		}
	}
	if wt.staged.note, err = wt.tx.Prepare("select mod, mid, guid, flds from temp.stage_notes where id = ?"); err != nil {
		return nil, nil, err
	}
	if wt.staged.card, err = wt.tx.Prepare("select count(*) from temp.stage_cards where id = ? and nid = ?"); err != nil {
		return nil, nil, err
	}
	return wt.staged.note, wt.staged.card, nil
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
		(w.noteTab.last == nid) == (w.cardTab.last == cid) {
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
