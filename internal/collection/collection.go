package collection

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"time"

	"github.com/recall-cli/recall/internal/anki"
	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/disk"
	"github.com/recall-cli/recall/internal/review"
	"github.com/recall-cli/recall/internal/store"
)

// Collection is a person's collection opened for a workflow.
type Collection struct {
	// Store is the collection itself, for reads and for the review
	// session (it is a review.Collection).
	Store *store.Store

	// Progress, when set, hears how far Add and Sync have come: done of
	// total lines of notes as cards are written (Add), or files (Sync).
	Progress func(done, total int)

	files   disk.Files
	shipped fs.FS
	check   *check // the check running beside, if any (Options.CheckBeside)
}

// check is the collection's check running in the background.
type check struct {
	done   chan struct{}
	err    error
	cancel context.CancelFunc
}

// wait returns the check's verdict once it has one; nil for no check.
func (c *check) wait() error {
	if c == nil {
		return nil
	}
	<-c.done
	return c.err
}

// The store is what a review session studies.
var _ review.Collection = (*store.Store)(nil)

// Options say where a Collection reads from and what time it is.
type Options struct {
	// Files reads notes files; nil means the disk.
	Files disk.Files
	// Shipped holds the decks shipped with recall (*.md at its root);
	// nil means none.
	Shipped fs.FS
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// ReadOnly is for a command that only reads: when the collection
	// cannot be opened for writing (a read-only file or folder), it is
	// opened for reading. Either way the file is checked first (see
	// store.OpenChecked): nothing is written into a damaged one, and
	// nothing read from it passes for the whole collection.
	ReadOnly bool
	// CheckBeside, with ReadOnly, runs the check beside what the command
	// reads instead of before it: the cards of Cards come with its verdict,
	// as the error of their Each once every card is read, so that an
	// export of a damaged file fails before its package takes its place.
	CheckBeside bool
}

// Open opens the collection at path (creating it if need be). If Open
// upgraded an older file, Store.Backup names the copy it kept.
func Open(path string, opts Options) (*Collection, error) {
	st, err := openStore(path, opts.ReadOnly, opts.CheckBeside)
	if err != nil {
		return nil, err
	}
	var chk *check
	if opts.ReadOnly && opts.CheckBeside {
		ctx, cancel := context.WithCancel(context.Background())
		chk = &check{done: make(chan struct{}), cancel: cancel}
		go func() {
			defer close(chk.done)
			chk.err = st.Check(ctx)
		}()
	}
	if opts.Now != nil {
		st.Now = opts.Now
	}
	if opts.Files == nil {
		opts.Files = disk.OS{}
	}
	// Subdecks are the decks of the Anki export: one naming for both.
	st.Subdeck = anki.Subdeck
	if err := st.NameSubdecks(context.Background()); err != nil && !opts.ReadOnly {
		st.Close()
		return nil, err
	}
	return &Collection{Store: st, files: opts.Files, shipped: opts.Shipped, check: chk}, nil
}

// openStore opens the collection, checked unless readOnly and beside
// (when the caller checks it).
func openStore(path string, readOnly, beside bool) (*store.Store, error) {
	// SQLite would block on a named pipe and fail on a device with "disk
	// I/O error"; only a regular file (or none yet) can be a collection.
	if info, err := os.Stat(path); err == nil {
		if err := disk.Regular(info.Mode()); err != nil {
			return nil, fmt.Errorf("%s: %w; a collection is a file recall creates", path, err)
		}
	}
	if !readOnly {
		return store.OpenChecked(context.Background(), path)
	}
	st, err := store.OpenForReading(path)
	if errors.Is(err, card.ErrCorrupt) {
		return nil, err
	}
	if err != nil {
		if _, statErr := os.Stat(path); statErr != nil {
			return nil, err
		}
		ro, roErr := store.OpenReadOnly(path)
		if roErr != nil {
			return nil, err
		}
		st = ro
	}
	// A reading command checks too: what it would show of a damaged file
	// depends on which pages its query happens to touch.
	if beside {
		return st, nil
	}
	if err := st.Check(context.Background()); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

// progress reports done of total to Progress, if it is set.
func (c *Collection) progress(done, total int) {
	if c.Progress != nil {
		c.Progress(done, total)
	}
}

// Close closes the collection.
func (c *Collection) Close() error {
	if c.check != nil {
		c.check.cancel()
		_ = c.check.wait()
	}
	return c.Store.Close()
}

// ErrNoSources is what Sync returns when no notes file was ever added.
var ErrNoSources = errors.New("no notes to sync")
