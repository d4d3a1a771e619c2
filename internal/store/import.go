package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/srs"
)

// ImportPrefix marks the sources that are packages imported from another
// program ("anki:/path/deck.apkg"): they have no notes file, and sync
// never reads them again.
const ImportPrefix = "anki:"

// ImportCard is a card brought in from another program, with its
// schedule, its hidden state and its review log.
type ImportCard struct {
	card.Card
	// Own is the id of the recall card an exported note came from, ""
	// for a card recall never had. When that card (or, for a reverse
	// card, its reverse sibling) is in the collection, the import brings
	// only its schedule and log home to it.
	Own       string
	Subdeck   string // its subdeck, the deck itself or "Deck::…"
	State     card.State
	Suspended bool
	Buried    bool
	Reviews   []card.Review
}

// ImportSource is the package cards are imported from.
type ImportSource struct {
	Path    string // ImportPrefix and the package's absolute path
	ModTime time.Time
	// Reached, when set, hears how many cards have been written.
	Reached func(cards int)
}

// ImportResult counts what an import did.
type ImportResult struct {
	Added     int // new cards
	Updated   int // cards already imported, brought up to date
	Orphaned  int // cards of an earlier import of the package no longer in it
	Reviews   int // reviews added to the log
	Scheduled int // cards whose schedule the package set
	Home      int // cards of the collection's own that came back from Anki: their schedule and log merged
}

// Import brings the cards of a package into the collection in one
// transaction: all of it or nothing. A card is known by its id: one
// already in the collection has its text updated (the old text kept as a
// revision) and keeps its history; its schedule is the package's unless
// it was reviewed in recall after the package's last review of it.
// Reviews already logged (same card, within a second) are not added
// twice. A card recall exported comes home to the card it was (see
// ImportCard.Own) when that is here. Cards
// of an earlier import of the same source that the package no longer
// holds become orphans.
func (s *Store) Import(ctx context.Context, src ImportSource, cards []ImportCard) (ImportResult, error) {
	return s.ImportEach(ctx, src, func(add func(*ImportCard) error) error {
		for i := range cards {
			if err := add(&cards[i]); err != nil {
				return err
			}
		}
		return nil
	})
}

// ImportEach is Import with the cards coming one at a time: each calls add
// with every card of the package, in the import's transaction, and each
// is written as it comes, so that none need be held. An error each returns
// that add did not rolls the import back and is returned as it is; add's
// errors are the store's, said as Import says them.
func (s *Store) ImportEach(ctx context.Context, src ImportSource, each func(add func(*ImportCard) error) error) (ImportResult, error) {
	var res ImportResult
	if src.Path == "" {
		return res, fmt.Errorf("import: no source path: %w", card.ErrInvalid)
	}
	now := s.now()
	var eachErr error
	err := s.tx(ctx, func(tx *sql.Tx) error {
		res = ImportResult{}
		im := &importer{ctx: ctx, tx: tx, src: src.Path, now: now.UnixNano(), rollover: s.Rollover, res: &res}
		restore, err := im.smallCache()
		if err != nil {
			return err
		}
		defer restore()
		if err := im.prepare(); err != nil {
			return err
		}
		defer im.close()
		if err := countSubdecks(ctx, tx, -1, src.Path); err != nil {
			return err
		}
		today := s.today(now)
		written := 0
		firstDeck := any(nil)
		var addErr error
		add := func(c *ImportCard) error {
			if addErr = im.add(c, today); addErr != nil {
				return addErr
			}
			if firstDeck == nil {
				firstDeck = c.Deck
			}
			written++
			if src.Reached != nil {
				src.Reached(written)
			}
			return nil
		}
		if err := each(add); err != nil {
			if addErr == nil {
				eachErr = err
			}
			return err
		}
		orphaned, err := im.orphan()
		if err != nil {
			return err
		}
		res.Orphaned = orphaned
		if im.moved {
			err = recountSubdecks(ctx, tx)
		} else {
			err = countSubdecks(ctx, tx, 1, src.Path)
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO sources (path, hash, mtime, deck, deck_override, synced)
			VALUES (?, '', ?, ?, '', ?)
			ON CONFLICT (path) DO UPDATE SET hash = excluded.hash, mtime = excluded.mtime,
				deck = coalesce(excluded.deck, deck), synced = excluded.synced`,
			src.Path, src.ModTime.UnixNano(), firstDeck, im.now)
		if err != nil {
			return err
		}
		return bumpGeneration(ctx, tx)
	})
	if eachErr != nil {
		return ImportResult{}, eachErr
	}
	if err != nil {
		return ImportResult{}, fmt.Errorf("import %s: %w", src.Path, dbErr(err))
	}
	return res, nil
}

// importer writes the cards of one import, in its transaction.
type importer struct {
	ctx      context.Context
	tx       *sql.Tx
	src      string
	now      int64
	rollover int
	res      *ImportResult
	decks    map[string]bool // made by this import, FSRS not yet set
	buf      []byte
	args     rowArgs
	moved    bool // a card came over from another source (see card)

	deck, find, insert, update, revise, schedule, review, written *sql.Stmt
}

// add writes one card of the package, or brings it home, and notes the
// id of a card written in the import's temporary table of them.
func (im *importer) add(c *ImportCard, today int64) error {
	if err := check(&c.Card); err != nil {
		return err
	}
	home, err := im.home(c, today)
	if err != nil {
		return fmt.Errorf("card %s: %w", c.ID, err)
	}
	if home {
		return nil
	}
	if err := im.card(c, today); err != nil {
		return fmt.Errorf("card %s: %w", c.ID, err)
	}
	_, err = im.written.ExecContext(im.ctx, c.ID)
	return err
}

// smallCache gives the import's connection a page cache of importCacheKiB
// while it writes, and returns the function that gives the cache it had
// back. A package's cards go to random places of the cards table and its
// indexes, so a cache of any size short of the whole collection misses
// often; SQLite then writes the dirty pages it must drop to the WAL before
// the commit. 8 MiB takes 140k notes in about the time 64 MiB does, and
// keeps the import's memory from growing with the package.
func (im *importer) smallCache() (func(), error) {
	return withCache(im.ctx, im.tx, importCacheKiB)
}

// importCacheKiB is the page cache of an import's transaction.
const importCacheKiB = 8192

// orphan makes orphans of the cards of an earlier import of the source
// that this one did not write, and drops the table of those it did.
func (im *importer) orphan() (int, error) {
	r, err := im.tx.ExecContext(im.ctx, `UPDATE cards SET orphan = 1, modified = ? WHERE source = ? AND orphan = 0
		AND id NOT IN (SELECT id FROM temp.import_written)`, im.now, im.src)
	if err != nil {
		return 0, err
	}
	orphaned, _ := r.RowsAffected()
	im.written.Close()
	im.written = nil
	_, err = im.tx.ExecContext(im.ctx, `DROP TABLE temp.import_written`)
	return int(orphaned), err
}

func (im *importer) prepare() error {
	im.decks = map[string]bool{}
	// The ids written, for orphan, are kept in a table of the
	// connection's own (dropped at the end; with the transaction, should
	// it fail), not in memory.
	if _, err := im.tx.ExecContext(im.ctx, `CREATE TEMP TABLE import_written (id TEXT PRIMARY KEY) WITHOUT ROWID`); err != nil {
		return err
	}
	for _, p := range []struct {
		st **sql.Stmt
		q  string
	}{
		{&im.deck, `INSERT INTO decks (name, created) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`},
		{&im.find, `SELECT front, back, source, last_review FROM cards WHERE id = ?`},
		{&im.insert, insertCard},
		{&im.update, updateCardSet + ` WHERE id = ?18`},
		{&im.revise, `INSERT INTO revisions (card_id, front, back, time) VALUES (?, ?, ?, ?)`},
		{&im.schedule, `UPDATE cards SET reps = ?, ef = ?, interval = ?, due = ?, lapses = ?, last_review = ?,
			learn_due = NULL, learn_step = 0, stability = ?, difficulty = ?, status = ?, buried_until = ? WHERE id = ?`},
		{&im.review, `INSERT INTO reviews (card_id, time, day, grade, took_ms, redrill,
			b_reps, b_ef, b_interval, b_due, b_lapses, b_last,
			a_reps, a_ef, a_interval, a_due, a_lapses, a_last)
			SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
			WHERE NOT EXISTS (SELECT 1 FROM reviews WHERE card_id = ? AND abs(time - ?) < 1000000000)`},
		{&im.written, `INSERT INTO temp.import_written (id) VALUES (?) ON CONFLICT DO NOTHING`},
	} {
		st, err := im.tx.PrepareContext(im.ctx, p.q)
		if err != nil {
			im.close()
			return err
		}
		*p.st = st
	}
	return nil
}

func (im *importer) close() {
	for _, st := range []*sql.Stmt{im.deck, im.find, im.insert, im.update, im.revise, im.schedule, im.review, im.written} {
		if st != nil {
			st.Close()
		}
	}
}

// card writes one card: its text, its schedule and its reviews.
func (im *importer) card(c *ImportCard, today int64) error {
	if _, seen := im.decks[c.Deck]; !seen {
		r, err := im.deck.ExecContext(im.ctx, c.Deck, im.now)
		if err != nil {
			return err
		}
		k, _ := r.RowsAffected()
		im.decks[c.Deck] = k == 1
	}
	// A deck this import made studies with FSRS when Anki did: its
	// cards carry FSRS's memory state and desired retention.
	if st := c.State; im.decks[c.Deck] && st.Stability > 0 && st.Retention > 0 && st.Retention < 1 {
		if _, err := im.tx.ExecContext(im.ctx, `UPDATE decks SET scheduler = 'fsrs', retention = ? WHERE name = ?`,
			st.Retention, c.Deck); err != nil {
			return err
		}
		im.decks[c.Deck] = false // once
	}
	if c.Subdeck == "" {
		c.Subdeck = c.Deck
	}
	n := &incoming{Card: &c.Card, subdeck: c.Subdeck}
	n.fp, im.buf = fingerprint(&c.Card, im.buf)
	args, err := im.args.content(n, im.src)
	if err != nil {
		return err
	}
	var front, back, source string
	var last sql.NullInt64
	err = im.find.QueryRowContext(im.ctx, c.ID).Scan(&front, &back, &source, &last)
	added := err == sql.ErrNoRows
	// A card an import of the same package from elsewhere brought is
	// moved over: the subdecks' counts of its old source no longer hold.
	im.moved = im.moved || err == nil && source != im.src
	switch {
	case added:
		row := append(append([]any{c.ID}, args...), im.now, im.now, im.now)
		if _, err := im.insert.ExecContext(im.ctx, row...); err != nil {
			return err
		}
		im.res.Added++
	case err != nil:
		return err
	default:
		if front != c.Front || back != c.Back {
			if _, err := im.revise.ExecContext(im.ctx, c.ID, front, back, im.now); err != nil {
				return err
			}
		}
		if _, err := im.update.ExecContext(im.ctx, append(args, im.now, c.ID)...); err != nil {
			return err
		}
		im.res.Updated++
	}
	// A card new to the collection takes the package's schedule and
	// state; a known one only when the package reviewed it since recall
	// last did (a suspend or bury made in recall since stays).
	if added || newer(c.State.Last, last) {
		if err := im.setSchedule(c, today); err != nil {
			return err
		}
	}
	return im.reviews(c)
}

// home brings a card recall exported back to the collection's own card,
// when it is there: its schedule (if Anki reviewed it last) and the
// reviews not logged yet, never its text, which its notes own. It reports
// whether it did.
func (im *importer) home(c *ImportCard, today int64) (bool, error) {
	if c.Own == "" {
		return false, nil
	}
	query := `SELECT id, last_review FROM cards WHERE id = ?`
	if c.Kind == card.Reverse {
		query = `SELECT id, last_review FROM cards WHERE kind = 'reverse' AND grp = (SELECT grp FROM cards WHERE id = ?) LIMIT 1`
	}
	var id string
	var last sql.NullInt64
	err := im.tx.QueryRowContext(im.ctx, query, c.Own).Scan(&id, &last)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	c.ID = id
	if newer(c.State.Last, last) {
		if err := im.setSchedule(c, today); err != nil {
			return false, err
		}
	}
	im.res.Home++
	return true, im.reviews(c)
}

// newer reports whether the package reviewed a card after recall last
// did (or at all, when recall never did): its schedule is then the one to
// keep.
func newer(pkgLast time.Time, last sql.NullInt64) bool {
	return !pkgLast.IsZero() && (!last.Valid || pkgLast.UnixNano() > last.Int64)
}

func (im *importer) setSchedule(c *ImportCard, today int64) error {
	st := c.State
	status := "active"
	if c.Suspended {
		status = "suspended"
	}
	var buried int64
	if c.Buried {
		buried = today + 1
	}
	ef := orEF(st.EF)
	_, err := im.schedule.ExecContext(im.ctx, st.Reps, ef, st.Interval, dueDay(st.Due), st.Lapses, nanos(st.Last),
		nullFloat(st.Stability), nullFloat(st.Difficulty), status, buried, c.ID)
	if err == nil && !st.IsNew() {
		im.res.Scheduled++
	}
	return err
}

// reviews logs the card's reviews not logged yet.
func (im *importer) reviews(c *ImportCard) error {
	for _, r := range c.Reviews {
		b, a := r.Before, r.After
		day := dayNumber(srs.Day(r.Time, im.rollover))
		res, err := im.review.ExecContext(im.ctx, c.ID, r.Time.UnixNano(), day, int(r.Grade), max(r.Took.Milliseconds(), 0), r.Redrill,
			b.Reps, orEF(b.EF), b.Interval, dueDay(b.Due), b.Lapses, nanos(b.Last),
			a.Reps, orEF(a.EF), a.Interval, dueDay(a.Due), a.Lapses, nanos(a.Last),
			c.ID, r.Time.UnixNano())
		if err != nil {
			return err
		}
		if k, _ := res.RowsAffected(); k == 1 {
			im.res.Reviews++
		}
	}
	return nil
}

func orEF(ef float64) float64 {
	if ef == 0 {
		return srs.InitialEF
	}
	return ef
}
