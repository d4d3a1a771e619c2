package anki

import (
	"archive/zip"
	"compress/flate"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/sqlitefile"
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
// The collection is not written through SQLite: rows are gathered, in
// whatever order the cards come, by sorters that spill sorted runs to
// temporary files beyond a fixed budget, and Close merges them into the
// collection file, which package sqlitefile writes page by page, in order.
// Memory stays nearly flat in the number of cards: what is kept is a ref
// per card (about 24 bytes, for AddReview and pairing), the ids taken
// (11 to 16 bytes a note, a card and a review, see idSet), the cards of
// groups waiting for a sibling other than the common basic one (see
// waiting), and an entry per deck and per image: some 60 bytes a card in
// all, 6 MB for 100k.
//
// Cards are converted (markdown, media) by a goroutine of the Writer's own
// and their rows made by another, so that reading, converting and writing
// overlap. Note and card ids are derived from recall's card ids, in their
// order (see firstID), whatever order the cards come in. A Writer is not
// safe for concurrent use.
type Writer struct {
	opts Options

	zw  *zip.Writer // the package, onto the output
	dir string      // temporary directory of the collection

	// The rows, sorting by id: notes and cards (with the patches that
	// pair makes) and reviews; the ids taken in each.
	noteRows, cardRows, revRows *sorter
	noteIDs, cardIDs, revIDs    idSet
	rec                         sqlitefile.Record
	buf                         []byte

	conv *htmlConv

	nowMs, idLo, idSpan int64
	crt                 int64 // seconds
	creationOffset      int   // minutes west of UTC at crt

	spell     deckSpeller
	decks     map[string]int64 // folded deck name → id
	deckNames map[int64]string
	cards     refSet // hashed recall card id → what was written of it
	// waiting holds the basic and reverse cards waiting for a sibling of
	// their group, to make one "Basic (and reversed)" note of the two (see
	// store), by hashed group (cardKey). Every basic card waits, its group
	// being its own id, and few siblings ever come: the common one, a
	// basic card first of its group written under the ids derived from its
	// own, is only marked in its ref. Other waiting cards are kept here.
	waiting  map[uint64]slot
	media    map[string]string // image path → media file name
	used     map[string]bool   // folded media file names in use
	mediaMap map[string]string // zip member → media file name
	pos      int               // new-card position of the last new card

	// Revlog ids known to be taken (see insertReview); the next id to try
	// below Options.Now once every id up to it is taken (0 before); the
	// inserts tried so far.
	revRun, lateRun idRun
	revDown         int64
	revInserts      int

	deckIDs map[deckKey]int64 // see deckOf

	// Cards are converted by one goroutine (convert) and their rows made
	// by another (run), so that reading the cards (the caller),
	// converting and writing them overlap.
	items    chan item
	jobs     chan job
	finished chan struct{} // closed when run returns
	closed   bool          // items closed
	unsynced bool          // cards were added since the last sync

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
		waiting:   map[uint64]slot{},
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

// Budgets of the sorters, in bytes: notes are the bulk of a collection.
const (
	noteBudget = 1 << 20
	rowBudget  = 512 << 10
)

func (w *Writer) open() error {
	w.zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, w.level())
	})
	var err error
	w.dir, err = os.MkdirTemp(w.opts.TempDir, "recall-anki-*")
	if err != nil {
		return err
	}
	w.noteRows = newSorter(filepath.Join(w.dir, "notes.sort"), noteBudget)
	w.cardRows = newSorter(filepath.Join(w.dir, "cards.sort"), rowBudget)
	w.revRows = newSorter(filepath.Join(w.dir, "revlog.sort"), rowBudget)
	return nil
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
	w.unsynced = true
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
	if !w.unsynced {
		return // nothing added since the last one
	}
	b := make(chan struct{})
	w.items <- item{barrier: b}
	<-b
	w.unsynced = false
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
	file := filepath.Join(w.dir, "collection.anki2")
	if err := w.writeCollection(file); err != nil {
		return err
	}
	if err := w.zipFile("collection.anki2", file); err != nil {
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
	for _, s := range []*sorter{w.noteRows, w.cardRows, w.revRows} {
		if s != nil {
			s.close()
		}
	}
	if w.dir != "" {
		_ = os.RemoveAll(w.dir)
		w.dir = ""
	}
}
