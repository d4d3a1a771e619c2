package store

import (
	"context"
	"database/sql"
	"encoding/json"
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
// read hands the cards to w, in order (see NewCards), and returns the
// front matter's limits. An error of read (or of w, which read returns)
// undoes everything, and SyncNew returns it as it is.
func (s *Store) SyncNew(ctx context.Context, src SourceFile, read func(w *NewCards) (card.Limits, error)) (res SyncResult, ok bool, err error) {
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
		w := &NewCards{s: s, sy: sy, subdecks: map[[2]string]string{}, decks: map[string]int{}}
		defer w.close()
		limits, err := read(w)
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
		for _, d := range w.order {
			if w.decks[d] == 0 {
				return errNotNew // Sync would not have made the deck
			}
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

// NewCards writes the cards SyncNew is handed. Its methods make it a
// notes.Sink.
type NewCards struct {
	s        *Store
	sy       *syncer
	subdecks map[[2]string]string
	decks    map[string]int // cards by deck
	order    []string       // decks in the order met
	insert   *sql.Stmt
	buf      []byte
	cardErr  error // a card's (see prepare), returned as it is
	storeErr error // the collection's
}

// Add writes the next cards. A card of a deck not met before stops it
// when the deck holds cards already: they might match.
func (w *NewCards) Add(cards []card.Card) error {
	return w.note(w.add(cards))
}

// note remembers an error of the collection, as such.
func (w *NewCards) note(err error) error {
	if err != nil && w.cardErr == nil && !errors.Is(err, errNotNew) {
		w.storeErr = err
	}
	return err
}

func (w *NewCards) add(cards []card.Card) error {
	sy := w.sy
	for i := range cards {
		c, err := prepare(&cards[i], sy.src.Path)
		if err != nil {
			w.cardErr = err
			return err
		}
		if _, met := w.decks[c.Deck]; !met {
			if err := w.newDeck(c.Deck); err != nil {
				return err
			}
		}
		args, err := w.content(c)
		if err != nil {
			return err
		}
		if w.insert == nil {
			if w.insert, err = sy.tx.PrepareContext(sy.ctx, insertCard); err != nil {
				return err
			}
		}
		if err := sy.insert(w.insert, &incoming{Card: c}, args); err != nil {
			return err
		}
		w.decks[c.Deck]++
		sy.res.Added++
	}
	return nil
}

// content returns the values of cardColumns for c.
func (w *NewCards) content(c *card.Card) ([]any, error) {
	n := incoming{Card: c, subdeck: w.s.subdeck(*c, w.subdecks)}
	n.fp, w.buf = fingerprint(c, w.buf)
	return w.sy.args.content(&n, w.sy.src.Path)
}

// newDeck checks that a deck met for the first time has no cards, and
// creates it if need be.
func (w *NewCards) newDeck(name string) error {
	var empty bool
	err := w.sy.tx.QueryRowContext(w.sy.ctx, `SELECT NOT EXISTS (SELECT 1 FROM cards WHERE deck = ?)`, name).Scan(&empty)
	if err != nil {
		return err
	}
	if !empty {
		return errNotNew
	}
	w.decks[name] = 0
	w.order = append(w.order, name)
	return w.sy.decks([]string{name})
}

// Card reads back a card written, by its id.
func (w *NewCards) Card(id string) (card.Card, error) {
	c := card.Card{ID: id}
	var kind, ctxJSON, tagsJSON string
	err := w.sy.tx.QueryRowContext(w.sy.ctx, `SELECT deck, kind, key, anchor, grp, front, back, text, context, tags, file, line, section
		FROM cards WHERE id = ? AND source = ?`, id, w.sy.src.Path).Scan(&c.Deck, &kind, &c.Key, &c.Anchor, &c.Group,
		&c.Front, &c.Back, &c.Text, &ctxJSON, &tagsJSON, &c.Source.File, &c.Source.Line, &c.Section)
	if err == sql.ErrNoRows {
		err = errNotNew // written under another id: see insert
	}
	if err == nil {
		c.Kind = card.Kind(kind)
		err = errors.Join(json.Unmarshal([]byte(ctxJSON), &c.Context), json.Unmarshal([]byte(tagsJSON), &c.Tags))
	}
	return c, w.note(err)
}

// Fix rewrites a card written, of c's id and key, as c.
func (w *NewCards) Fix(c card.Card) error {
	args, err := w.content(&c)
	if err == nil {
		err = w.exec(`UPDATE cards SET (`+cardColumns+`) = (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			WHERE id = ? AND source = ? AND key = ?`, append(args, c.ID, w.sy.src.Path, c.Key)...)
	}
	return w.note(err)
}

// Drop deletes a card written, of c's id and key. It refuses a card whose
// group holds other cards, or of a sync of several decks: Sync would
// have written them otherwise.
func (w *NewCards) Drop(c card.Card) error {
	var grouped bool
	err := w.sy.tx.QueryRowContext(w.sy.ctx, `SELECT EXISTS (SELECT 1 FROM cards WHERE grp = ? AND id <> ?)`, c.ID, c.ID).Scan(&grouped)
	switch {
	case err != nil:
	case grouped || len(w.order) > 1:
		err = errNotNew
	default:
		err = w.exec(`DELETE FROM cards WHERE id = ? AND source = ? AND key = ?`, c.ID, w.sy.src.Path, c.Key)
	}
	if err == nil {
		w.decks[c.Deck]--
		w.sy.res.Added--
	}
	return w.note(err)
}

// exec runs a statement that must change one card, or stops SyncNew.
func (w *NewCards) exec(q string, args ...any) error {
	r, err := w.sy.tx.ExecContext(w.sy.ctx, q, args...)
	if err != nil {
		return err
	}
	if k, err := r.RowsAffected(); err != nil || k != 1 {
		return errors.Join(err, errNotNew)
	}
	return nil
}

func (w *NewCards) close() {
	if w.insert != nil {
		w.insert.Close()
	}
}
