package anki

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/sqlitefile"
)

// This file turns a card into the rows of an Anki collection: its note,
// its card with the schedule, the ids they are derived under, and the
// revlog rows of its reviews.

// The window note and card ids are derived into: idSpan milliseconds from
// idBase (2018-01-01 UTC), about 2.2 years. Fixed, so that re-exports give
// the same ids; slid back when the export time is earlier than its end.
const (
	idBase = int64(1514764800000)
	idSpan = int64(1) << 36
)

// crtDate is the collection's creation date, day 0 of review due days.
var crtDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// store does run's half of Add: the rows.
func (w *Writer) store(j job) error {
	if _, dup := w.cards.get(j.key); dup {
		w.dbWarns = append(w.dbWarns, Warning{File: j.src.File, Line: j.src.Line,
			Msg: fmt.Sprintf("card %s exported twice, skipped the second", j.id)})
		return nil
	}
	if j.skip {
		w.cards.set(j.key, ref{})
		return nil
	}
	pair := j.group != "" && (j.kind == card.Basic || j.kind == card.Reverse) && j.n.model == BasicModelID
	if pair {
		// A basic card pairs only with a back: the reverse card would ask
		// it. A reverse card waits only with one (see keepSlot).
		s, ok := w.findSlot(j.group)
		if ok && s.reverse != (j.kind == card.Reverse) && (!s.reverse || strings.TrimSpace(j.n.fields[1]) != "") {
			w.dropSlot(j.group)
			return w.pair(j, s)
		}
	}
	nid, err := w.insertNote(j.id, j.n)
	if err != nil {
		return err
	}
	cid, err := w.insertCard(j.id, nid, j.did, 0, j.n.mod, j.sc)
	if err != nil {
		return err
	}
	w.cards.set(j.key, ref{cid: cid, mod: modSeconds(j.n.mod)})
	if pair && strings.TrimSpace(j.n.fields[1]) != "" {
		w.keepSlot(j, nid, cid)
	}
	return nil
}

// pair adds the card of j, basic or reverse, to the note its sibling made.
// The note becomes a "Basic (and reversed)" one whose fields and guid come
// from the basic card: its card is ord 0, the reverse card ord 1. The
// rows of the sibling are already sorting (see Writer.notes): the changes
// go with them, as patches that finish applies to the rows they follow.
func (w *Writer) pair(j job, s slot) error {
	mod := max(j.n.mod, s.mod)
	ord := 1
	patch := binary.AppendVarint(nil, mod)
	if j.kind == card.Basic {
		// The reverse card came first: its note takes the basic card's
		// content and guid, and its card becomes ord 1.
		ord = 0
		patch = append(patch, 1)
		for _, f := range []string{j.n.guid, j.n.tags, j.n.flds, j.n.sfld} {
			patch = binary.AppendUvarint(patch, uint64(len(f)))
			patch = append(patch, f...)
		}
		patch = binary.AppendVarint(patch, j.n.csum)
		if err := w.cardRows.add(sortKey{s.cid, patchRow}, nil); err != nil {
			return fmt.Errorf("card %s: pairing with its reverse: %w", j.id, err)
		}
	} else {
		patch = append(patch, 0)
	}
	if err := w.noteRows.add(sortKey{s.nid, patchRow}, patch); err != nil {
		return fmt.Errorf("card %s: pairing with its reverse: %w", j.id, err)
	}
	cid, err := w.insertCard(j.id, s.nid, j.did, ord, mod, j.sc)
	if err != nil {
		return err
	}
	w.cards.set(j.key, ref{cid: cid, mod: modSeconds(mod)})
	return nil
}

// The second half of the keys rows sort under in Writer.noteRows and
// cardRows: a row's own, then the patch that changes it (see pair).
const (
	plainRow = 0
	patchRow = 1
)

// patchNote applies a patch of pair to a note's record.
func patchNote(rec []byte, patch []byte) ([]byte, error) {
	vals, err := sqlitefile.Decode(rec)
	if err != nil || len(vals) != 11 {
		return nil, fmt.Errorf("reading back a note: %v", err)
	}
	mod, n := binary.Varint(patch)
	if n <= 0 || len(patch) < n+1 {
		return nil, errors.New("reading back a note: bad patch")
	}
	content := patch[n] == 1
	patch = patch[n+1:]
	vals[2], vals[3] = ReversedModelID, mod
	if content {
		// guid, tags, flds, sfld, then csum.
		for _, i := range []int{1, 5, 6, 7} {
			l, k := binary.Uvarint(patch)
			if k <= 0 || uint64(len(patch)-k) < l {
				return nil, errors.New("reading back a note: bad patch")
			}
			vals[i] = string(patch[k : k+int(l)])
			patch = patch[k+int(l):]
		}
		csum, k := binary.Varint(patch)
		if k <= 0 {
			return nil, errors.New("reading back a note: bad patch")
		}
		vals[8] = csum
	}
	var r sqlitefile.Record
	for i, v := range vals {
		if s, ok := v.(string); ok && i == 7 {
			numericText(&r, s) // sfld
			continue
		}
		switch v := v.(type) {
		case nil:
			r.Null()
		case int64:
			r.Int(v)
		case float64:
			r.Float(v)
		case string:
			r.Text(v)
		}
	}
	return r.Bytes(), nil
}

func where(c card.Card) string {
	if c.Source.File == "" {
		return "card " + c.ID
	}
	return fmt.Sprintf("%s:%d: card %s", c.Source.File, c.Source.Line, c.ID)
}

// guid is a note's guid, derived from recall's stable card id.
func guid(id string) string {
	ok := len(id) <= 40
	for i := 0; ok && i < len(id); i++ {
		c := id[i]
		ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
	}
	if ok {
		return "recall-" + id
	}
	sum := sha256.Sum256([]byte(id))
	return "recall-" + hex.EncodeToString(sum[:10])
}

// note is a card's note as it goes to the collection.
type note struct {
	model  int64
	fields [fieldCount]string
	tags   string
	mod    int64  // seconds
	sfld   string // the first field stripped of HTML
	csum   int64
	flds   string // the fields joined
	guid   string
}

// note converts a card to its note. ok is false for a card that cannot be
// exported (an empty question); a warning says why.
func (w *Writer) note(it Item) (note, bool) {
	return makeNote(w.conv, it, w.opts.Now, w.packImage(it.Card), w.warn)
}

// makeNote converts a card to a note: markdown rendered, images through img.
func makeNote(conv *htmlConv, it Item, now time.Time, img imageFunc,
	warn func(card.Card, string, ...any)) (note, bool) {
	c := it.Card
	n := note{model: BasicModelID, tags: conv.tags(c.Tags)}
	// A note's mod moves only when what Anki receives of it changed: an
	// import updates a known note only when the package's mod is newer,
	// so a bump for nothing would overwrite an edit made in Anki since.
	mod := it.Changed
	if mod.IsZero() {
		mod = it.Modified
	}
	if mod.IsZero() || mod.After(now) {
		mod = now
	}
	n.mod = mod.Unix()
	n.fields[2] = conv.context(c.Context)
	switch c.Kind {
	case card.Cloze:
		if text, ok := conv.cloze(c, img); ok {
			n.model = ClozeModelID
			n.fields[0] = text
			return n, true
		}
		warn(c, "cloze card %s has no deletion, exported as a basic card", c.ID)
	case card.Basic, card.Reverse, card.List:
	default:
		warn(c, "card %s of unknown kind %q exported as a basic card", c.ID, c.Kind)
	}
	n.fields[0] = conv.render(c.Front, img)
	n.fields[1] = conv.render(c.Back, img)
	if strings.TrimSpace(stripHTML(n.fields[0])) == "" && !strings.Contains(n.fields[0], "<img") {
		warn(c, "card %s has an empty question, skipped", c.ID)
		return note{}, false
	}
	return n, true
}

// insertNote adds a note under an id derived from the card id.
func (w *Writer) insertNote(cardID string, n note) (int64, error) {
	id, ok := freeID(&w.noteIDs, w.firstID("note", cardID), w.nextID)
	if !ok {
		return 0, fmt.Errorf("card %s: no free note id", cardID)
	}
	w.noteIDs.add(id)
	r := &w.rec
	r.Reset()
	r.Null()
	r.Text(n.guid)
	r.Int(n.model)
	r.Int(n.mod)
	r.Int(-1)
	r.Text(n.tags)
	r.Text(n.flds)
	numericText(r, n.sfld)
	r.Int(n.csum)
	r.Int(0)
	r.Text("")
	if err := w.noteRows.add(sortKey{id, plainRow}, r.Bytes()); err != nil {
		return 0, fmt.Errorf("card %s: writing note: %w", cardID, err)
	}
	return id, nil
}

// sched is a card's scheduling columns.
type sched struct {
	typ, queue, due, ivl, factor, reps, lapses int64
	data                                       string // the data column: FSRS's memory state, or ""
}

// insertCard adds a card under an id derived from its recall id. Its row
// waits, sorting, for its count of reviews (see cardRecord).
func (w *Writer) insertCard(cardID string, nid, did int64, ord int, mod int64, s sched) (int64, error) {
	id, ok := freeID(&w.cardIDs, w.firstID("card", cardID), w.nextID)
	if !ok {
		return 0, fmt.Errorf("card %s: no free card id", cardID)
	}
	w.cardIDs.add(id)
	b := w.buf[:0]
	for _, v := range []int64{nid, did, int64(ord), mod, s.typ, s.queue, s.due, s.ivl, s.factor, s.lapses} {
		b = binary.AppendVarint(b, v)
	}
	b = append(b, s.data...)
	w.buf = b
	if err := w.cardRows.add(sortKey{id, plainRow}, b); err != nil {
		return 0, fmt.Errorf("card %s: writing card: %w", cardID, err)
	}
	return id, nil
}

// cardRecord makes the record of a card from what insertCard kept of it,
// with its reps and, for the reverse card of a pair whose note it made,
// ord 1.
func cardRecord(r *sqlitefile.Record, kept []byte, reps int64, reverse bool) error {
	var v [10]int64
	for i := range v {
		x, n := binary.Varint(kept)
		if n <= 0 {
			return errors.New("reading back a card: bad row")
		}
		v[i], kept = x, kept[n:]
	}
	if reverse {
		v[2] = 1
	}
	r.Reset()
	r.Null()
	for _, x := range v[:4] { // nid, did, ord, mod
		r.Int(x)
	}
	r.Int(-1)                  // usn
	for _, x := range v[4:9] { // type, queue, due, ivl, factor
		r.Int(x)
	}
	r.Int(reps)
	r.Int(v[9])   // lapses
	for range 4 { // left, odue, odid, flags
		r.Int(0)
	}
	r.Text(string(kept))
	return nil
}

// freeID returns the first id of set not taken from id on, next giving
// the id after one; ok is false if the first thousand tried are all taken.
func freeID(set *idSet, id int64, next func(int64) int64) (int64, bool) {
	for range 1000 {
		if !set.has(id) {
			return id, true
		}
		id = next(id)
	}
	return 0, false
}

// firstID is the id a note or card of a recall card tries first. recall's
// card ids are random hex: their leading 36 bits place the id in the
// window in the same order, so cards that come in card-id order (as a
// store lists its primary key) append to the tables instead of inserting
// at random places, which costs SQLite several times more. Other ids are
// hashed.
func (w *Writer) firstID(kind, cardID string) int64 {
	var v uint64
	if len(cardID) >= 9 {
		for i := 0; i < 9; i++ {
			d := unhex(cardID[i])
			if d < 0 {
				v = 0
				break
			}
			v = v<<4 | uint64(d)
			if i == 8 {
				if w.idSpan == 1<<36 {
					return w.idLo + int64(v)
				}
				return w.idLo + int64(v%uint64(w.idSpan))
			}
		}
	}
	sum := sha256.Sum256([]byte(kind + "\x00" + cardID))
	for _, b := range sum[:8] {
		v = v<<8 | uint64(b)
	}
	return w.idLo + int64(v%uint64(w.idSpan))
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func (w *Writer) nextID(id int64) int64 {
	return w.idLo + (id-w.idLo+1)%w.idSpan
}

// schedule returns a card's scheduling columns. New cards take the next
// position in the new queue.
func (w *Writer) schedule(it Item) sched {
	var queue int64
	if w.opts.WithProgress {
		switch it.Status {
		case card.StatusSuspended:
			queue = -1
		case card.StatusBuried:
			queue = -3
		}
	}
	if !w.opts.WithProgress || it.State.IsNew() {
		w.pos++
		return sched{typ: 0, queue: queue, due: int64(w.pos)}
	}
	s := it.State
	if queue == 0 {
		queue = 2
	}
	factor := int64(2500)
	if s.EF > 0 {
		factor = max(1300, int64(math.Round(s.EF*1000)))
	}
	// reps is left out here: it is the number of reviews, which
	// cardRecord fills in from the review log once it is sorted. SM-2's
	// repetition number (State.Reps) is a streak that a lapse resets,
	// which Anki has no column for.
	return sched{
		typ: 2, queue: queue, due: w.dueDay(s),
		ivl: int64(max(1, s.Interval)), factor: factor,
		lapses: int64(max(0, s.Lapses)), data: fsrsData(s),
	}
}

// fsrsData is a card's data column as current Anki keeps FSRS's memory
// state there (CardData in rslib's storage/card/data.rs): stability "s"
// in days and difficulty "d" (1–10) to 3 places, the desired retention
// "dr" to 2, and, when the weights are the learner's own, their decay
// (w20) to 3. "" for a card FSRS has not scheduled, which Anki then
// derives from the review log when FSRS is turned on.
func fsrsData(s card.State) string {
	if !s.FSRS || s.Stability <= 0 || s.Difficulty <= 0 {
		return ""
	}
	num := func(v float64, places int) string {
		p := math.Pow(10, float64(places))
		return strconv.FormatFloat(math.Round(v*p)/p, 'f', -1, 64)
	}
	b := []byte(`{"s":` + num(s.Stability, 3) + `,"d":` + num(s.Difficulty, 3))
	if s.Retention > 0 && s.Retention < 1 {
		b = append(b, `,"dr":`+num(s.Retention, 2)...)
	}
	if s.Weights != nil {
		b = append(b, `,"decay":`+num(s.Weights[20], 3)...)
	}
	return string(append(b, '}'))
}

// dueDay is a review card's due as days from crt: the calendar date of
// State.Due (recall's study day label, in Due's own location), or the study
// day of the last review plus the interval when Due is unset.
func (w *Writer) dueDay(s card.State) int64 {
	var y int
	var m time.Month
	var d int
	if !s.Due.IsZero() {
		y, m, d = s.Due.Date()
	} else {
		last := s.Last.In(w.opts.Now.Location()).Add(-time.Duration(w.opts.Rollover) * time.Hour)
		y, m, d = last.Date()
		d += max(1, s.Interval)
	}
	days := int64(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Sub(crtDate).Hours() / 24)
	return min(max(days, 0), maxDueDays-1)
}

// AddReview writes one review of a card already added, as a revlog row.
// Without Options.WithProgress it does nothing; reviews of cards left out
// (orphans, suspended ones) are dropped. The row id is the review time in
// milliseconds, or the next free one after it (see insertReview), and
// never after Options.Now. It first waits for the cards added so far to be
// written, so it is cheapest to add every card, then every review. A
// review of a card never added is an error wrapping card.ErrNotFound.
func (w *Writer) AddReview(r card.Review) error {
	if err := w.usable(); err != nil {
		return err
	}
	if !w.opts.WithProgress {
		return nil
	}
	w.sync()
	if err := w.failed(); err != nil {
		return err
	}
	cid, ok := w.cards.get(cardKey(r.CardID))
	if !ok {
		return fmt.Errorf("review of card %s: card not exported: %w", r.CardID, card.ErrNotFound)
	}
	if cid.cid == 0 {
		return nil
	}
	typ := 1 // review
	switch {
	case r.Before.IsNew():
		typ = 0 // learn
	case r.Before.Reps == 0 && r.Before.Lapses > 0:
		typ = 2 // relearn
	case r.Before.Reps == 0:
		typ = 0
	}
	factor := int64(0)
	if r.After.EF > 0 {
		factor = int64(math.Round(r.After.EF * 1000))
	}
	took := min(max(r.Took.Milliseconds(), 0), maxAnswerMs)
	err := w.insertReview(r.Time.UnixMilli(), func(id int64) (bool, error) {
		if w.revIDs.has(id) {
			return false, nil
		}
		w.revIDs.add(id)
		b := w.buf[:0]
		for _, v := range []int64{cid.cid, int64(r.Grade.Button()), int64(max(r.After.Interval, 0)),
			int64(max(r.Before.Interval, 0)), factor, took, int64(typ)} {
			b = binary.AppendVarint(b, v)
		}
		w.buf = b
		return true, w.revRows.add(sortKey{id, plainRow}, b)
	})
	if err != nil {
		err = fmt.Errorf("review of card %s: %w", r.CardID, err)
		w.fail(err)
	}
	return err
}

// idRun is a run of revlog ids, lo to hi, all taken: a review whose time
// falls in it takes hi+1 without trying the ids before.
type idRun struct {
	lo, hi int64
	set    bool
}

// insertReview inserts a revlog row, through insert, under the first free
// id at or after the review time t (milliseconds), never after
// Options.Now; when every id from t up to now is taken, under the first
// free one below. insert reports whether the id was free.
//
// Reviews whose times collide (the same millisecond, or a run of them)
// would each try every id taken before them, n²/2 inserts for n reviews;
// the Writer keeps instead the run of taken ids the last review landed in
// and goes on after it: reviews coming in time order, as the store lists
// them, take one insert each and get ids in the order they come. A review
// older than that run (out of order) starts a run of its own below it,
// which joins the first when it reaches it. The set of ids taken stays
// the judge of what is free: a run only skips ids known to be taken.
func (w *Writer) insertReview(t int64, insert func(id int64) (bool, error)) error {
	// Anki's ids are milliseconds since 1970: a review dated before (a
	// clock gone wrong) takes the first of them.
	t = max(1, min(t, w.nowMs))
	run := &w.revRun
	if run.set && t < run.lo {
		run = &w.lateRun
	}
	id := t
	if run.set && t >= run.lo && t <= run.hi {
		id = run.hi + 1
	} else {
		*run = idRun{lo: t, hi: t - 1, set: true}
	}
	for ; id <= w.nowMs; id++ {
		if main := &w.revRun; run != main && id == main.lo {
			// The older run reached the first: they are one run now.
			main.lo = run.lo
			run.set = false
			run = main
			id = main.hi
			continue
		}
		w.revInserts++
		ok, err := insert(id)
		if err != nil {
			return err
		}
		// Taken now, by this review or an earlier one: the run grows.
		run.hi = id
		if ok {
			return nil
		}
	}
	// Every id from t to now is taken: the free ones below now, from the
	// top down, each tried once.
	if w.revDown == 0 {
		w.revDown = w.nowMs
	}
	for ; w.revDown > 0; w.revDown-- {
		w.revInserts++
		ok, err := insert(w.revDown)
		if err != nil {
			return err
		}
		if ok {
			w.revDown--
			return nil
		}
	}
	return errors.New("no free review id")
}
