package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/recall-cli/recall/internal/card"
)

// SyncNew is Sync for a notes file added for the first time whose cards
// come a batch at a time (see notes.Stream): they are written as they
// come, in one transaction, and none is kept, so that a big file's cards
// are never all in memory.
//
// It applies when nothing in the collection can match the cards: the
// file has no cards in the collection, and the decks of its cards have
// none either. Then every card is new, and SyncNew does what Sync would
// do and returns ok. Otherwise it writes nothing and returns ok false:
// the caller reads the cards whole and syncs them with Sync.
//
// read hands the cards, in order, to emit, and returns the front matter's
// limits. An error of read (or of emit, which read returns) undoes
// everything, and SyncNew returns it as it is.
func (s *Store) SyncNew(ctx context.Context, src SourceFile, read func(emit func([]card.Card) error) (card.Limits, error)) (res SyncResult, ok bool, err error) {
	if src.Path == "" {
		return res, false, fmt.Errorf("sync: no source path: %w", card.ErrInvalid)
	}
	sy := &syncer{ctx: ctx, src: src, now: s.now().UnixNano(), res: &res}
	var readErr error
	err = s.tx(ctx, func(tx *sql.Tx) error {
		sy.tx = tx
		var known bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM cards WHERE source = ?)`, src.Path).Scan(&known); err != nil {
			return err
		}
		if known {
			return errNotNew
		}
		w := &newCards{s: s, sy: sy, subdecks: map[[2]string]string{}, decks: map[string]bool{}}
		defer w.close()
		limits, err := read(w.emit)
		switch {
		case err == nil:
		case errors.Is(err, errNotNew):
			return err
		case w.cardErr != nil:
			readErr = w.cardErr
			return err
		case w.storeErr != nil:
			return w.storeErr
		default:
			readErr = err
			return err
		}
		if limits.New != nil && *limits.New < 0 || limits.Reviews != nil && *limits.Reviews < 0 {
			readErr = fmt.Errorf("sync %s: negative daily limit: %w", src.Path, card.ErrInvalid)
			return readErr
		}
		if res.Added > 0 {
			if err := countSubdecks(ctx, tx, 1, src.Path); err != nil {
				return err
			}
		}
		if err := sy.remember(w.order, limits); err != nil {
			return err
		}
		if err := bumpGeneration(ctx, tx); err != nil {
			return err
		}
		if s.beforeCommit != nil {
			return s.beforeCommit()
		}
		return nil
	})
	switch {
	case errors.Is(err, errNotNew):
		return SyncResult{}, false, nil
	case readErr != nil:
		return SyncResult{}, false, readErr
	case err != nil:
		return SyncResult{}, false, fmt.Errorf("sync %s: %w", src.Path, err)
	}
	return res, true, nil
}

// errNotNew stops SyncNew when a card might match one of the collection.
var errNotNew = errors.New("cards of the collection may match")

// newCards writes the cards SyncNew is handed.
type newCards struct {
	s        *Store
	sy       *syncer
	subdecks map[[2]string]string
	decks    map[string]bool // met so far
	order    []string        // decks in the order met
	insert   *sql.Stmt
	buf      []byte
	cardErr  error // a card's (see prepare), returned as it is
	storeErr error // the collection's
}

// emit checks and writes a batch of cards. A card of a deck not met
// before stops it with errNotNew when the deck holds cards already.
func (w *newCards) emit(cards []card.Card) error {
	err := w.write(cards)
	if err != nil && w.cardErr == nil && !errors.Is(err, errNotNew) {
		w.storeErr = err
	}
	return err
}

func (w *newCards) write(cards []card.Card) error {
	sy := w.sy
	for i := range cards {
		c, err := prepare(&cards[i], sy.src.Path)
		if err != nil {
			w.cardErr = err
			return err
		}
		if !w.decks[c.Deck] {
			if err := w.newDeck(c.Deck); err != nil {
				return err
			}
		}
		n := incoming{Card: c, subdeck: w.s.subdeck(*c, w.subdecks)}
		n.fp, w.buf = fingerprint(c, w.buf)
		args, err := sy.args.content(&n, sy.src.Path)
		if err != nil {
			return err
		}
		if w.insert == nil {
			if w.insert, err = sy.tx.PrepareContext(sy.ctx, insertCard); err != nil {
				return err
			}
		}
		if err := sy.insert(w.insert, &n, args); err != nil {
			return err
		}
		sy.res.Added++
	}
	return nil
}

// newDeck checks that a deck met for the first time has no cards, and
// creates it if need be.
func (w *newCards) newDeck(name string) error {
	var empty bool
	err := w.sy.tx.QueryRowContext(w.sy.ctx, `SELECT NOT EXISTS (SELECT 1 FROM cards WHERE deck = ?)`, name).Scan(&empty)
	if err != nil {
		return err
	}
	if !empty {
		return errNotNew
	}
	w.decks[name] = true
	w.order = append(w.order, name)
	return w.sy.decks([]string{name})
}

func (w *newCards) close() {
	if w.insert != nil {
		w.insert.Close()
	}
}
