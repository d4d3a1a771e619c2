package collection

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/disk"
	"github.com/recall-cli/recall/internal/notes"
	"github.com/recall-cli/recall/internal/store"
)

// Totals adds up what syncing several files did.
type Totals struct {
	store.SyncResult
	Files   int // files synced
	Skipped int // files unchanged since their last sync
}

// Add counts one file's sync.
func (t *Totals) Add(r store.SyncResult) {
	t.Files++
	t.Added += r.Added
	t.Updated += r.Updated
	t.Unchanged += r.Unchanged
	t.Orphaned += r.Orphaned
	t.Restored += r.Restored
}

// Add brings notes read with ReadForSync or ReadForAdd into the
// collection and remembers their files for later syncs. A file that fails
// is reported in errs (naming it) and the others go on.
func (c *Collection) Add(ctx context.Context, files []Notes) (total Totals, errs []error) {
	c.AddEach(ctx, files, func(f FileSync) {
		if f.Err != nil {
			errs = append(errs, f.Err)
			return
		}
		total.Add(f.Result)
	})
	return total, errs
}

// AddEach is Add telling done what became of each file, in order.
// Progress hears how far it has come in lines of notes, of all the
// files' lines, as their cards are written: within a big file too.
func (c *Collection) AddEach(ctx context.Context, files []Notes, done func(FileSync)) {
	counts := make([]int, len(files))
	lines, before := 0, 0
	for i, n := range files {
		counts[i] = lineCount(n.Data)
		lines += counts[i]
	}
	c.progress(0, lines)
	for i, n := range files {
		at := before
		res, err := c.sync(ctx, n, func(line int) { c.progress(at+line, lines) })
		before += counts[i]
		c.progress(before, lines)
		done(FileSync{Path: n.Path, Result: res, Err: err})
	}
}

// lineCount is the number of lines of notes: the line of their last card
// at most.
func lineCount(data []byte) int {
	n := bytes.Count(data, []byte{'\n'})
	if len(data) > 0 && data[len(data)-1] != '\n' {
		n++
	}
	return n
}

// sync brings the cards of one notes file into the collection.
// reached, when not nil, hears the line of the notes its cards have been
// written up to, as they are written.
func (c *Collection) sync(ctx context.Context, n Notes, reached func(line int)) (store.SyncResult, error) {
	if n.deferred {
		res, ok, err := c.stream(ctx, n, reached)
		if ok || err != nil {
			return res, err
		}
		// Cards of the collection may match, or the notes' cards are
		// settled only at their end: parse them whole.
		if n, err = Parse(n.Path, n.Data, n.ModTime, notes.Options{Deck: n.Override}); err != nil {
			return res, err
		}
	}
	res, err := c.Store.Sync(ctx, n.source(), n.Limits, n.Cards)
	if err != nil {
		return res, fmt.Errorf("%s: %w", n.Path, err)
	}
	return res, nil
}

// stream parses deferred notes as it adds their cards (see
// store.SyncNew and notes.Stream). ok is false when that cannot be done,
// and nothing was.
func (c *Collection) stream(ctx context.Context, n Notes, reached func(line int)) (res store.SyncResult, ok bool, err error) {
	res, ok, err = c.Store.SyncNew(ctx, n.source(), func(w *store.NewCards) (card.Limits, error) {
		var sink notes.Sink = w
		if reached != nil {
			sink = reporting{w, reached}
		}
		f, err := notes.Stream(n.Path, n.Data, notes.Options{Deck: n.Override}, sink)
		return f.Limits, err
	})
	var notesErr *notes.Error
	switch {
	case errors.Is(err, notes.ErrUnsettled):
		return res, false, nil
	case errors.As(err, &notesErr):
		return res, false, err
	case err != nil:
		return res, false, fmt.Errorf("%s: %w", n.Path, err)
	}
	return res, ok, nil
}

// The collection takes the cards of a notes file as they are made.
var _ notes.Sink = (*store.NewCards)(nil)

// reporting hands cards on to the store and says the line of notes the
// last of them came from.
type reporting struct {
	*store.NewCards
	reached func(line int)
}

func (r reporting) Add(cards []card.Card) error {
	if err := r.NewCards.Add(cards); err != nil {
		return err
	}
	if len(cards) > 0 {
		r.reached(cards[len(cards)-1].Source.Line)
	}
	return nil
}

// FileSync is what Sync did with one remembered file.
type FileSync struct {
	Path    string
	Result  store.SyncResult
	Skipped bool // unchanged since the last sync (or a deck no longer shipped)
	Gone    bool // the file no longer exists; with Prune, Result.Orphaned counts its cards orphaned
	// Emptied counts the cards kept of a file that now gives none (emptied,
	// or cut down to prose): without Prune it is not synced, since
	// orphaning every card of a file is more likely a mishap than an edit.
	Emptied int
	Err     error // the file could not be read or synced; the others went on
}

// SyncOptions tune Sync.
type SyncOptions struct {
	// Prune orphans the cards of files that no longer exist, or that no
	// longer give any card; without it they are kept as they are.
	Prune bool
}

// Sync re-reads every remembered notes file, in the collection's order,
// and brings what changed into the collection; a file whose content is
// unchanged is skipped. A shipped deck is synced from the deck this
// recall carries, so a newer recall's edits reach the collection. The
// error is ErrNoSources when there is nothing to sync, or a failure of
// the collection itself (the files before it were synced).
func (c *Collection) Sync(ctx context.Context, opts SyncOptions) ([]FileSync, error) {
	sources, err := c.Store.Sources(ctx)
	if err != nil {
		return nil, err
	}
	if len(sources) == 0 {
		return nil, ErrNoSources
	}
	out := make([]FileSync, 0, len(sources))
	c.progress(0, len(sources))
	for i, src := range sources {
		r, err := c.syncSource(ctx, src, opts)
		if err != nil {
			return out, err
		}
		out = append(out, r)
		c.progress(i+1, len(sources))
	}
	return out, nil
}

// syncSource syncs one remembered source. Its error is the collection's;
// the file's own go in FileSync.Err.
func (c *Collection) syncSource(ctx context.Context, src store.Source, opts SyncOptions) (FileSync, error) {
	r := FileSync{Path: src.Path}
	if strings.HasPrefix(src.Path, store.ImportPrefix) {
		// An imported package: no notes to read again, and its cards
		// stay whether or not the package is still there.
		r.Skipped = true
		return r, nil
	}
	if name, ok := strings.CutPrefix(src.Path, store.ShippedPrefix); ok {
		data, ok := c.shippedData(name)
		if !ok || contentHash(data) == src.Hash {
			r.Skipped = true
			return r, nil
		}
		n, err := Parse(src.Path, data, time.Time{}, notes.Options{})
		if err != nil {
			return r, err
		}
		r.Result, err = c.sync(ctx, n, nil)
		return r, err
	}
	data, err := c.files.ReadFile(src.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		r.Gone = true
		if opts.Prune {
			r.Result.Orphaned, err = c.Store.Prune(ctx, src.Path)
			return r, err
		}
		return r, nil
	case err == nil && contentHash(data) == src.Hash:
		r.Skipped = true
		return r, nil
	case err != nil:
		r.Err = disk.Error(src.Path, err)
		return r, nil
	}
	// Parse what was read for the hash rather than read it again.
	n, err := Parse(src.Path, data, c.files.ModTime(src.Path), notes.Options{Deck: src.DeckOverride})
	if err != nil {
		r.Err = err
		return r, nil
	}
	if len(n.Cards) == 0 && !opts.Prune {
		had, err := c.Store.SourceCards(ctx, src.Path)
		if err != nil {
			return r, err
		}
		if had > 0 {
			r.Emptied = had
			return r, nil
		}
	}
	r.Result, r.Err = c.sync(ctx, n, nil)
	return r, nil
}

// Resync brings a notes file edited during a review back into the
// collection, keeping the deck it was added with.
func (c *Collection) Resync(ctx context.Context, path string) (store.SyncResult, error) {
	sources, err := c.Store.Sources(ctx)
	if err != nil {
		return store.SyncResult{}, err
	}
	deck := ""
	for _, s := range sources {
		if s.Path == path {
			deck = s.DeckOverride
		}
	}
	n, err := ReadForSync(c.files, path, deck)
	if err != nil {
		return store.SyncResult{}, err
	}
	return c.sync(ctx, n, nil)
}
