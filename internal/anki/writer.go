package anki

import (
	"archive/zip"
	"compress/flate"
	"database/sql"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
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

// Writer streams cards into a new .apkg: NewWriter, Add every card (and
// AddReview every review), then Close, or Abort. The package streams onto
// the Writer's output: images as they come, the collection (built in a
// temporary directory) at Close. The caller owns the output: after a
// failure it holds part of a package, so a file should be written through
// a temporary one (disk.WriteAtomic), as recall's export does.
//
// Memory stays nearly flat in the number of cards: rows go to SQLite as
// they come; what is kept is a map of card ids (about 25 bytes a card, for
// AddReview), filters of fixed size, the cards of groups waiting for a
// sibling that cannot be found again from the rows (see waiting), the ids
// of rows that came out of order, and an entry per deck and per image.
//
// Cards are converted (markdown, media) by a goroutine of the Writer's own
// and written to SQLite by another, so that reading, converting and
// writing overlap. Note
// and card ids follow the order of card ids: a caller that adds cards in
// card-id order (a store's primary key order) gets rows appended to the
// tables; rows that come out of order are staged and appended in order at
// Close (see idTable), which is cheaper than inserting them where they
// go. A Writer is not safe for concurrent use.
type Writer struct {
	opts Options

	zw  *zip.Writer // the package, onto the output
	dir string      // temporary directory of the collection
	db  *sql.DB
	tx  *sql.Tx

	noteTab, cardTab                   *idTable
	insRev, updNote, updModel, insPair *sql.Stmt

	conv *htmlConv

	nowMs, idLo, idSpan int64
	crt                 int64 // seconds
	creationOffset      int   // minutes west of UTC at crt

	spell     deckSpeller
	decks     map[string]int64 // folded deck name → id
	deckNames map[int64]string
	cards     map[uint64]int64  // hashed recall card id → Anki card id, 0 if skipped
	waiting   *waiting          // cards waiting for a sibling, by group
	media     map[string]string // image path → media file name
	used      map[string]bool   // folded media file names in use
	mediaMap  map[string]string // zip member → media file name
	pos       int               // new-card position of the last new card

	// Revlog ids known to be taken (see insertReview); the next id to try
	// below Options.Now once every id up to it is taken (0 before); the
	// inserts tried so far.
	revRun, lateRun idRun
	revDown         int64
	revInserts      int

	deckIDs map[deckKey]int64 // see deckOf

	// Cards are converted by one goroutine (convert) and written to
	// SQLite by another (run), so that reading the cards (the caller),
	// converting and writing them overlap.
	items    chan item
	jobs     chan job
	finished chan struct{} // closed when run returns
	closed   bool          // items closed

	mu       sync.Mutex // guards err and done, which both sides read
	err      error      // the first failure; the Writer is unusable after it
	done     bool       // closed or aborted
	warnings []Warning  // gathered by convert
	dbWarns  []Warning  // gathered by run, merged at the end
}

// item is one card for convert to convert, or a barrier to pass on to run.
type item struct {
	it      Item
	barrier chan struct{}
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
		spell:     newDeckSpeller(),
		decks:     map[string]int64{"default": DefaultDeckID},
		deckNames: map[int64]string{DefaultDeckID: "Default"},
		deckIDs:   map[deckKey]int64{},
		cards:     map[uint64]int64{},
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
	w.items = make(chan item, 256)
	w.jobs = make(chan job, 256)
	w.finished = make(chan struct{})
	go w.convert()
	go w.run()
	return w, nil
}

func (w *Writer) open() error {
	w.zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, w.level())
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
	if w.noteTab, err = newIDTable(w.tx, schema11[1], "?, ?, ?, -1, ?, ?, ?, ?, 0, ''"); err != nil {
		return err
	}
	if w.cardTab, err = newIDTable(w.tx, schema11[2], "?, ?, ?, ?, -1, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, ?"); err != nil {
		return err
	}
	if w.waiting, err = newWaiting(w.tx); err != nil {
		return err
	}
	for _, p := range []struct {
		stmt **sql.Stmt
		sql  string
	}{
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
		// The staging tables and the sort that merges them (see idTable)
		// spill to a temporary file beyond a small cache.
		q.Add("_pragma", "temp.cache_size(-512)")
		q.Add("_pragma", "cache_size(-1024)")
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
	if strings.TrimSpace(it.Card.ID) == "" {
		err := fmt.Errorf("%s: card without an id: %w", where(it.Card), card.ErrInvalid)
		w.fail(err)
		return err
	}
	w.items <- item{it: it}
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

// prepare does convert's part of Add: checks, markdown, media, deck and
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
	if g := AnkiGUID(c); g != "" {
		n.guid = g // a card imported from Anki gives its note back
	}
	j.n, j.did, j.sc = n, w.deckOf(c), w.schedule(it)
	return j, nil
}

// convert converts the cards Add sends into jobs for run, until the
// channel closes. After a failure it only drains.
func (w *Writer) convert() {
	defer close(w.jobs)
	for it := range w.items {
		if it.barrier != nil {
			w.jobs <- job{barrier: it.barrier}
			continue
		}
		if w.failed() != nil {
			continue
		}
		j, err := w.prepare(it.it)
		if err != nil {
			w.fail(err)
			continue
		}
		w.jobs <- j
	}
}

// run writes the jobs convert sends, until the channel closes. After a
// failure it only drains.
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

// sync waits until run has written every card sent so far. convert and
// run then wait for the next card, so the caller may use the collection
// itself.
func (w *Writer) sync() {
	b := make(chan struct{})
	w.items <- item{barrier: b}
	<-b
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
		close(w.items)
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
	for _, t := range []*idTable{w.noteTab, w.cardTab} {
		if err := t.merge(w.tx); err != nil {
			return err
		}
	}
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
	if err := w.countReps(); err != nil {
		return err
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
	if w.opts.Mark != "" {
		if err := w.zw.SetComment(markLine(w.opts.Mark)); err != nil {
			return err
		}
	}
	return w.zw.Close()
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
