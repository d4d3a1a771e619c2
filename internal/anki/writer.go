package anki

import (
	"archive/zip"
	"compress/flate"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"io/fs"
	"math"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	_ "modernc.org/sqlite" // the "sqlite" database/sql driver

	"github.com/recall-cli/recall/internal/card"
)

// zipLevel is the deflate level of the collection inside the package, most
// of it and mostly text. BenchmarkZipLevel, 100k cards: BestSpeed takes no
// longer than storing (which writes five times the bytes, 33 MiB against
// 6.5), the default level about 15% longer for a file 20% smaller.
const zipLevel = flate.BestSpeed

// The window note and card ids are derived into: idSpan milliseconds from
// idBase (2018-01-01 UTC), about 2.2 years. Fixed, so that re-exports give
// the same ids; slid back when the export time is earlier than its end.
const (
	idBase = int64(1514764800000)
	idSpan = int64(1) << 36
)

// crtDate is the collection's creation date, day 0 of review due days.
var crtDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// Writer streams cards into a new .apkg: NewWriter, Add every card (and
// AddReview every review), then Close, or Abort. The package streams onto
// the Writer's output: images as they come, the collection (built in a
// temporary directory) at Close. The caller owns the output: after a
// failure it holds part of a package, so a file should be written through
// a temporary one (disk.WriteAtomic), as recall's export does.
//
// Memory stays flat in the number of cards: rows go to SQLite as they
// come; what is kept is a map of card ids (about 25 bytes a card, for
// AddReview), the basic or reverse card of each group waiting for its
// sibling, and an entry per deck and per image.
//
// Cards are converted (markdown, media) in the caller's goroutine and
// written to SQLite by one of the Writer's own, so the two overlap. Note
// and card ids follow the order of card ids: a caller that adds cards in
// card-id order (a store's primary key order) gets rows appended to the
// tables, two to three times as fast as in random order (BenchmarkExport). A
// Writer is not safe for concurrent use.
type Writer struct {
	opts Options

	zw  *zip.Writer // the package, onto the output
	dir string      // temporary directory of the collection
	db  *sql.DB
	tx  *sql.Tx

	insNote, insCard, insRev, updNote, updModel, insPair *sql.Stmt

	conv *htmlConv

	nowMs, idLo, idSpan int64
	crt                 int64 // seconds
	creationOffset      int   // minutes west of UTC at crt

	decks     map[string]int64 // folded deck name → id
	deckNames map[int64]string
	cards     map[uint64]int64  // hashed recall card id → Anki card id, 0 if skipped
	slots     map[string]slot   // card group → its unpaired basic or reverse card
	media     map[string]string // image path → media file name
	used      map[string]bool   // folded media file names in use
	mediaMap  map[string]string // zip member → media file name
	pos       int               // new-card position of the last new card
	lastDeck  struct {
		key deckKey
		id  int64
	}

	// Cards are converted in the caller's goroutine and written to SQLite
	// by another (run), so that the two halves of the work overlap.
	jobs     chan job
	finished chan struct{} // closed when run returns
	closed   bool          // jobs closed

	mu       sync.Mutex // guards err and done, which both sides read
	err      error      // the first failure; the Writer is unusable after it
	done     bool       // closed or aborted
	warnings []Warning  // gathered by the caller's side
	dbWarns  []Warning  // gathered by run, merged at the end
}

// job is one card for run to write, or a barrier to close once every job
// before it is done.
type job struct {
	barrier chan struct{}
	key     uint64
	id      string
	group   string
	kind    card.Kind
	src     card.Source
	skip    bool // recorded as left out, not written
	n       note
	did     int64
	sc      sched
}

// slot holds a basic or reverse card waiting for its sibling, to make one
// "Basic (and reversed)" note of the two.
type slot struct {
	nid     int64
	cid     int64 // the card already in the note
	reverse bool  // whether that card is the reverse one
	mod     int64
}

// NewWriter starts a package that Close writes to out. Options.Now is
// required; Rollover must be an hour 0–23.
func NewWriter(out io.Writer, opts Options) (*Writer, error) {
	if opts.Now.IsZero() {
		return nil, fmt.Errorf("no export time: %w", card.ErrInvalid)
	}
	if opts.Now.Year() < 2001 {
		return nil, fmt.Errorf("export time %s is before 2001: %w",
			opts.Now.Format(time.RFC3339), card.ErrInvalid)
	}
	if opts.Rollover < 0 || opts.Rollover > 23 {
		return nil, fmt.Errorf("rollover hour %d is not 0–23: %w", opts.Rollover, card.ErrInvalid)
	}
	if opts.Open == nil {
		opts.Open = func(p string) (io.ReadCloser, error) { return os.Open(p) }
	}
	w := &Writer{
		opts:      opts,
		zw:        zip.NewWriter(out),
		conv:      newHTMLConv(),
		nowMs:     opts.Now.UnixMilli(),
		decks:     map[string]int64{"default": DefaultDeckID},
		deckNames: map[int64]string{DefaultDeckID: "Default"},
		cards:     map[uint64]int64{},
		slots:     map[string]slot{},
		media:     map[string]string{},
		used:      map[string]bool{},
		mediaMap:  map[string]string{},
	}
	w.idSpan = idSpan
	w.idLo = min(idBase+idSpan, w.nowMs) - idSpan
	crt := time.Date(2000, 1, 1, opts.Rollover, 0, 0, 0, opts.Now.Location())
	w.crt = crt.Unix()
	_, off := crt.Zone()
	w.creationOffset = -off / 60

	if err := w.open(); err != nil {
		w.cleanup()
		return nil, err
	}
	w.jobs = make(chan job, 256)
	w.finished = make(chan struct{})
	go w.run()
	return w, nil
}

func (w *Writer) open() error {
	w.zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		level := zipLevel
		if w.opts.zipLevel != nil {
			level = *w.opts.zipLevel
		}
		return flate.NewWriter(out, level)
	})
	var err error
	w.dir, err = os.MkdirTemp(w.opts.TempDir, "recall-anki-*")
	if err != nil {
		return err
	}
	w.db, err = openDB(filepath.Join(w.dir, "collection.anki2"), false)
	if err != nil {
		return err
	}
	for _, t := range schema11 {
		if _, err := w.db.Exec(t.ddl()); err != nil {
			return fmt.Errorf("creating collection: %w", err)
		}
	}
	w.tx, err = w.db.Begin()
	if err != nil {
		return err
	}
	if _, err := w.tx.Exec("create temp table pairs (nid integer not null, rev_cid integer, mod integer not null, " +
		"guid text, tags text, flds text, sfld text, csum integer)"); err != nil {
		return err
	}
	for _, p := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
		{&w.insNote, "insert or ignore into notes values (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, '')"},
		{&w.insCard, "insert or ignore into cards values (?, ?, ?, ?, ?, -1, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, '')"},
		{&w.insRev, "insert or ignore into revlog values (?, ?, -1, ?, ?, ?, ?, ?, ?)"},
		{&w.updNote, "update notes set guid = ?, mid = ?, mod = ?, tags = ?, flds = ?, sfld = ?, csum = ? where id = ?"},
		{&w.updModel, "update notes set mid = ?, mod = ? where id = ?"},
		{&w.insPair, "insert into temp.pairs values (?, ?, ?, ?, ?, ?, ?, ?)"},
	} {
		if *p.stmt, err = w.tx.Prepare(p.sql); err != nil {
			return err
		}
	}
	return nil
}

// openDB opens a scratch SQLite file: no journal and no syncing, as the
// file is thrown away if anything fails.
func openDB(file string, readOnly bool) (*sql.DB, error) {
	q := url.Values{}
	if readOnly {
		q.Add("mode", "ro")
	} else {
		q.Add("_pragma", "journal_mode(OFF)")
		q.Add("_pragma", "synchronous(OFF)")
	}
	u := url.URL{Scheme: "file", OmitHost: true, Path: file, RawQuery: q.Encode()}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}

// Add writes one card. Orphans are skipped, and suspended cards unless
// Options.IncludeSuspended. A basic card and a reverse card of the same
// Card.Group become one "Basic (and reversed)" note, in whichever order
// they come. Cards are written in the background: a failure to write one
// is returned by a later call (Add, AddReview or Close). Problems that do
// not stop the export (a missing image) are gathered as warnings, returned
// by Close.
func (w *Writer) Add(it Item) error {
	if err := w.usable(); err != nil {
		return err
	}
	j, err := w.prepare(it)
	if err != nil {
		w.fail(err)
		return err
	}
	w.jobs <- j
	return nil
}

func (w *Writer) usable() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return w.err
	}
	if w.done {
		return errors.New("export: writer closed")
	}
	return nil
}

// fail records the first failure.
func (w *Writer) fail(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err == nil {
		w.err = err
	}
}

func (w *Writer) failed() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

func (w *Writer) warn(c card.Card, format string, args ...any) {
	w.warnings = append(w.warnings, Warning{File: c.Source.File, Line: c.Source.Line, Msg: fmt.Sprintf(format, args...)})
}

func cardKey(id string) uint64 {
	h := fnv.New64a()
	_, _ = h.Write([]byte(id))
	return h.Sum64()
}

// prepare does the caller's half of Add: checks, markdown, media, deck and
// schedule.
func (w *Writer) prepare(it Item) (job, error) {
	c := it.Card
	if strings.TrimSpace(c.ID) == "" {
		return job{}, fmt.Errorf("%s: card without an id: %w", where(c), card.ErrInvalid)
	}
	j := job{key: cardKey(c.ID), id: c.ID, group: c.Group, kind: c.Kind, src: c.Source}
	if it.Status == card.StatusOrphan || (it.Status == card.StatusSuspended && !w.opts.IncludeSuspended) {
		j.skip = true
		return j, nil
	}
	n, ok := w.note(it)
	if !ok {
		j.skip = true
		return j, nil
	}
	n.sfld = stripHTML(n.fields[0])
	n.csum = checksum(n.sfld)
	n.flds = strings.Join(n.fields[:], "\x1f")
	n.guid = guid(c.ID)
	j.n, j.did, j.sc = n, w.deckOf(c), w.schedule(it)
	return j, nil
}

// run writes the jobs Add sends, until the channel closes. After a failure
// it only drains.
func (w *Writer) run() {
	defer close(w.finished)
	for j := range w.jobs {
		if j.barrier != nil {
			close(j.barrier)
			continue
		}
		if w.failed() != nil {
			continue
		}
		if err := w.store(j); err != nil {
			w.fail(err)
		}
	}
}

// sync waits until run has written every card sent so far. run then waits
// for the next job, so the caller may use the collection itself.
func (w *Writer) sync() {
	b := make(chan struct{})
	w.jobs <- job{barrier: b}
	<-b
}

// store does run's half of Add: the rows.
func (w *Writer) store(j job) error {
	if _, dup := w.cards[j.key]; dup {
		w.dbWarns = append(w.dbWarns, Warning{File: j.src.File, Line: j.src.Line,
			Msg: fmt.Sprintf("card %s exported twice, skipped the second", j.id)})
		return nil
	}
	if j.skip {
		w.cards[j.key] = 0
		return nil
	}
	pair := j.group != "" && (j.kind == card.Basic || j.kind == card.Reverse) && j.n.model == BasicModelID
	if pair {
		if s, ok := w.slots[j.group]; ok && s.reverse != (j.kind == card.Reverse) {
			delete(w.slots, j.group)
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
	w.cards[j.key] = cid
	if pair && strings.TrimSpace(j.n.fields[1]) != "" {
		w.slots[j.group] = slot{nid: nid, cid: cid, reverse: j.kind == card.Reverse, mod: j.n.mod}
	}
	return nil
}

// pair adds the card of j, basic or reverse, to the note its sibling made.
// The note becomes a "Basic (and reversed)" one whose fields and guid come
// from the basic card: its card is ord 0, the reverse card ord 1. Changing
// the note (and the reverse card's ord) now would touch a page far away in
// the tables: it is noted in a temporary table and done by Close, in id
// order.
func (w *Writer) pair(j job, s slot) error {
	mod := max(j.n.mod, s.mod)
	ord := 1
	var err error
	if j.kind == card.Basic {
		ord = 0
		_, err = w.insPair.Exec(s.nid, s.cid, mod, j.n.guid, j.n.tags, j.n.flds, j.n.sfld, j.n.csum)
	} else {
		_, err = w.insPair.Exec(s.nid, nil, mod, nil, nil, nil, nil, nil)
	}
	if err != nil {
		return fmt.Errorf("card %s: pairing with its reverse: %w", j.id, err)
	}
	cid, err := w.insertCard(j.id, s.nid, j.did, ord, mod, j.sc)
	if err != nil {
		return err
	}
	w.cards[j.key] = cid
	return nil
}

// finishPairs makes the notes of reversed pairs "Basic (and reversed)"
// ones, as pair noted.
func (w *Writer) finishPairs() error {
	rows, err := w.tx.Query("select nid, rev_cid, mod, guid, tags, flds, sfld, csum from temp.pairs order by nid")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var nid, mod int64
		var revCID, csum sql.NullInt64
		var guid, tags, flds, sfld sql.NullString
		if err := rows.Scan(&nid, &revCID, &mod, &guid, &tags, &flds, &sfld, &csum); err != nil {
			return err
		}
		if revCID.Valid {
			// The reverse card came first: its note takes the basic card's
			// content and guid.
			_, err = w.updNote.Exec(guid.String, ReversedModelID, mod, tags.String, flds.String, sfld.String, csum.Int64, nid)
		} else {
			_, err = w.updModel.Exec(ReversedModelID, mod, nid)
		}
		if err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	_, err = w.tx.Exec("update cards set ord = 1 where id in (select rev_cid from temp.pairs where rev_cid is not null)")
	return err
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
	mod := it.Modified
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

// insertNote inserts a note under an id derived from the card id.
func (w *Writer) insertNote(cardID string, n note) (int64, error) {
	id := w.firstID("note", cardID)
	for range 1000 {
		res, err := w.insNote.Exec(id, n.guid, n.model, n.mod, n.tags, n.flds, n.sfld, n.csum)
		if err != nil {
			return 0, fmt.Errorf("card %s: writing note: %w", cardID, err)
		}
		if k, _ := res.RowsAffected(); k == 1 {
			return id, nil
		}
		id = w.nextID(id)
	}
	return 0, fmt.Errorf("card %s: no free note id", cardID)
}

// sched is a card's scheduling columns.
type sched struct {
	typ, queue, due, ivl, factor, reps, lapses int64
}

func (w *Writer) insertCard(cardID string, nid, did int64, ord int, mod int64, s sched) (int64, error) {
	id := w.firstID("card", cardID)
	for range 1000 {
		res, err := w.insCard.Exec(id, nid, did, ord, mod, s.typ, s.queue, s.due, s.ivl, s.factor, s.reps, s.lapses)
		if err != nil {
			return 0, fmt.Errorf("card %s: writing card: %w", cardID, err)
		}
		if k, _ := res.RowsAffected(); k == 1 {
			return id, nil
		}
		id = w.nextID(id)
	}
	return 0, fmt.Errorf("card %s: no free card id", cardID)
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
	return sched{
		typ: 2, queue: queue, due: w.dueDay(s),
		ivl: int64(max(1, s.Interval)), factor: factor,
		reps: int64(max(0, s.Reps)), lapses: int64(max(0, s.Lapses)),
	}
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

// deckOf returns the deck id of a card, remembering the last card's: the
// deck depends on Card.Deck and the first levels of Card.Context only.
func (w *Writer) deckOf(c card.Card) int64 {
	k := deckKey{deck: c.Deck}
	for i := 0; i < 2 && i < len(c.Context); i++ {
		k.ctx[i] = c.Context[i]
	}
	k.n = min(len(c.Context), 2)
	if w.lastDeck.id == 0 || w.lastDeck.key != k {
		w.lastDeck.key, w.lastDeck.id = k, w.deck(deckName(c, w.opts.FlatDecks))
	}
	return w.lastDeck.id
}

type deckKey struct {
	deck string
	ctx  [2]string
	n    int
}

// deck returns the id of a deck, registering it and its parents.
func (w *Writer) deck(name string) int64 {
	var id int64
	for _, d := range card.Deck(name).Lineage() {
		full := string(d)
		fold := strings.ToLower(full)
		if have, ok := w.decks[fold]; ok {
			id = have
			continue
		}
		id = deckID(fold)
		for w.deckNames[id] != "" {
			id = id%(1<<53-2) + 2
		}
		w.decks[fold] = id
		w.deckNames[id] = full
	}
	return id
}

// deckID derives a deck id from its folded name: positive, below 2^53 (a
// JSON number any reader keeps exact) and never 1, the Default deck.
func deckID(fold string) int64 {
	sum := sha256.Sum256([]byte("deck\x00" + fold))
	var v uint64
	for _, b := range sum[:8] {
		v = v<<8 | uint64(b)
	}
	return int64(v%(1<<53-2)) + 2
}

// packImage returns the image hook of a card: local images are packed as
// media and their src rewritten; missing ones are warned about.
func (w *Writer) packImage(c card.Card) imageFunc {
	return func(dest string) (string, bool) {
		p, ok := localImage(dest)
		if !ok {
			return "", false
		}
		if !filepath.IsAbs(p) {
			p = filepath.Join(filepath.Dir(c.Source.File), filepath.FromSlash(p))
		}
		p = filepath.Clean(p)
		if name, ok := w.media[p]; ok {
			return name, true
		}
		if !imageExt[strings.ToLower(path.Ext(p))] {
			w.warn(c, "not an image, not packed: %s", dest)
			return "", false
		}
		name, err := w.addMedia(p)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				w.warn(c, "image not found: %s", dest)
			} else {
				w.warn(c, "image %s: %v", dest, err)
			}
			return "", false
		}
		w.media[p] = name
		return name, true
	}
}

// imageExt are the file types packed as media. Anything else a notes file
// points at (say ../../.ssh/id_rsa) stays out of the package.
var imageExt = map[string]bool{
	".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true, ".svg": true,
	".bmp": true, ".avif": true, ".apng": true, ".ico": true, ".tif": true, ".tiff": true,
}

// addMedia copies a file into the package as the next media member and
// returns its media name.
func (w *Writer) addMedia(p string) (string, error) {
	rc, err := w.opts.Open(p)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	if st, ok := rc.(interface{ Stat() (fs.FileInfo, error) }); ok {
		if fi, err := st.Stat(); err == nil && !fi.Mode().IsRegular() {
			return "", errors.New("not a regular file")
		}
	}
	name := w.mediaName(filepath.Base(p))
	member := strconv.Itoa(len(w.mediaMap))
	method := zip.Store // images are compressed already
	if ext := strings.ToLower(path.Ext(name)); ext == ".svg" || ext == ".bmp" || ext == ".tif" || ext == ".tiff" {
		method = zip.Deflate
	}
	zf, err := w.zw.CreateHeader(&zip.FileHeader{Name: member, Method: method, Modified: w.opts.Now})
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(zf, rc); err != nil {
		// The member is half written: the package cannot be finished.
		err = fmt.Errorf("copying image %s: %w", p, err)
		w.fail(err)
		return "", err
	}
	w.mediaMap[member] = name
	w.used[strings.ToLower(name)] = true
	return name, nil
}

// mediaName makes a media file name from a file's base name: one path
// component of letters, digits, '.', '-' and '_' (so src needs no
// escaping), not used yet in this package (ignoring case).
func (w *Writer) mediaName(base string) string {
	ext := path.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	clean := func(s string) string {
		return strings.Map(func(r rune) rune {
			switch {
			case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_':
				return r
			}
			return '_'
		}, s)
	}
	stem, ext = strings.Trim(clean(stem), "_"), strings.ToLower(clean(strings.TrimPrefix(ext, ".")))
	if stem == "" {
		stem = "image"
	}
	if len(stem) > 80 {
		stem = stem[:80]
	}
	if ext != "" {
		ext = "." + ext
	}
	name := stem + ext
	for i := 2; w.used[strings.ToLower(name)]; i++ {
		name = stem + "-" + strconv.Itoa(i) + ext
	}
	return name
}

// AddReview writes one review of a card already added, as a revlog row.
// Without Options.WithProgress it does nothing; reviews of cards left out
// (orphans, suspended ones) are dropped. The row id is the review time in
// milliseconds, moved by a millisecond if taken, and never after
// Options.Now. It first waits for the cards added so far to be written, so
// it is cheapest to add every card, then every review. A review of a card
// never added is an error wrapping card.ErrNotFound.
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
	cid, ok := w.cards[cardKey(r.CardID)]
	if !ok {
		return fmt.Errorf("review of card %s: card not exported: %w", r.CardID, card.ErrNotFound)
	}
	if cid == 0 {
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
	id := min(r.Time.UnixMilli(), w.nowMs)
	down := false
	for range 100_000 {
		res, err := w.insRev.Exec(id, cid, r.Grade.Button(), max(r.After.Interval, 0), max(r.Before.Interval, 0),
			factor, took, typ)
		if err != nil {
			err = fmt.Errorf("review of card %s: %w", r.CardID, err)
			w.fail(err)
			return err
		}
		if k, _ := res.RowsAffected(); k == 1 {
			return nil
		}
		if id >= w.nowMs {
			down = true
		}
		if down {
			id--
		} else {
			id++
		}
	}
	return fmt.Errorf("review of card %s: no free review id", r.CardID)
}

// Close finishes the package: it writes the collection row, builds the
// index, and zips the collection with the media onto the output. It
// returns the warnings gathered, in notes order. The temporary files are
// gone afterwards, whatever happened.
func (w *Writer) Close() ([]Warning, error) {
	err := w.usable()
	w.stop()
	if err == nil {
		err = w.failed()
	}
	w.mu.Lock()
	w.done = true
	w.mu.Unlock()
	warns := w.allWarnings()
	if err != nil {
		w.cleanup()
		return warns, err
	}
	if err := w.finish(); err != nil {
		w.cleanup()
		return warns, err
	}
	w.cleanup()
	return warns, nil
}

// stop ends run, once.
func (w *Writer) stop() {
	if !w.closed {
		w.closed = true
		close(w.jobs)
		<-w.finished
	}
}

func (w *Writer) allWarnings() []Warning {
	all := append(slices.Clip(w.warnings), w.dbWarns...)
	slices.SortStableFunc(all, func(a, b Warning) int {
		if c := strings.Compare(a.File, b.File); c != 0 {
			return c
		}
		return a.Line - b.Line
	})
	return all
}

func (w *Writer) finish() error {
	if err := w.finishPairs(); err != nil {
		return err
	}
	modS := w.opts.Now.Unix()
	_, err := w.tx.Exec("insert into col values (1, ?, ?, ?, ?, 0, 0, 0, ?, ?, ?, ?, '{}')",
		w.crt, w.nowMs, w.nowMs, schemaVersion,
		confJSON(w.opts.Rollover, w.creationOffset, w.pos+1),
		modelsJSON(), decksJSON(w.deckNames, modS), dconfJSON(modS))
	if err != nil {
		return err
	}
	for _, ix := range indexes11 {
		if _, err := w.tx.Exec(ix); err != nil {
			return err
		}
	}
	if err := w.tx.Commit(); err != nil {
		return err
	}
	w.tx = nil
	if err := w.db.Close(); err != nil {
		return err
	}
	w.db = nil

	if err := w.zipFile("collection.anki2", filepath.Join(w.dir, "collection.anki2")); err != nil {
		return err
	}
	mf, err := w.zw.CreateHeader(&zip.FileHeader{Name: "media", Method: zip.Deflate, Modified: w.opts.Now})
	if err != nil {
		return err
	}
	if _, err := io.WriteString(mf, mustJSON(w.mediaMap)); err != nil {
		return err
	}
	return w.zw.Close()
}

func (w *Writer) zipFile(member, file string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	zf, err := w.zw.CreateHeader(&zip.FileHeader{Name: member, Method: zip.Deflate, Modified: w.opts.Now})
	if err != nil {
		return err
	}
	_, err = io.Copy(zf, f)
	return err
}

// Abort abandons the package: the temporary files are removed and the
// output, which holds part of a package, is for the caller to discard. It
// may follow a failed call, or Close.
func (w *Writer) Abort() error {
	w.stop()
	w.mu.Lock()
	w.done = true
	w.mu.Unlock()
	w.cleanup()
	return nil
}

// cleanup releases everything the writer holds and removes its temporary
// files.
func (w *Writer) cleanup() {
	if w.tx != nil {
		_ = w.tx.Rollback()
		w.tx = nil
	}
	if w.db != nil {
		_ = w.db.Close()
		w.db = nil
	}
	if w.dir != "" {
		_ = os.RemoveAll(w.dir)
		w.dir = ""
	}
}
