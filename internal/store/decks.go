package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/recall-cli/recall/internal/card"
)

// This file holds what the collection knows of its decks: their daily
// limits, and where each limit comes from.

// LimitSource says where a daily limit in force comes from.
type LimitSource string

// Where a limit comes from, the first that sets it winning: what `recall
// config DECK` set, the front matter of the deck's notes, what `recall
// config` set for the whole collection, recall's default.
const (
	FromConfig      LimitSource = "config"
	FromFrontMatter LimitSource = "front matter"
	FromCollection  LimitSource = "collection"
	FromDefault     LimitSource = "default"
)

// Limit is a daily limit in force and where it comes from.
type Limit struct {
	N    int
	From LimitSource
}

// inForce is the limit that holds given what config, front matter and the
// collection set (nil: not set), and recall's default def.
func inForce(config, front, coll *int, def int) Limit {
	switch {
	case config != nil:
		return Limit{*config, FromConfig}
	case front != nil:
		return Limit{*front, FromFrontMatter}
	case coll != nil:
		return Limit{*coll, FromCollection}
	}
	return Limit{def, FromDefault}
}

// Deck is a deck of the collection: the deck of a notes file (front matter
// deck:, the file's title, its name or the --deck it was added with).
type Deck struct {
	Name  string
	Cards int // cards, orphans not counted
	// Config is what `recall config DECK` set (SetLimits); Front is what
	// the front matter of its notes says (new:, reviews:), from the file
	// synced last that says it. Nil fields are not set.
	Config, Front card.Limits
	// New and Reviews are the limits in force: Config, else Front, else
	// the collection's (CollectionLimits), else the default.
	New, Reviews Limit
}

// Meta keys of the collection's own daily limits (absent: not set).
const (
	metaNewPerDay     = "new_per_day"
	metaReviewsPerDay = "reviews_per_day"
)

// CollectionLimits returns the daily limits `recall config` set for the
// whole collection: each deck's limit when neither the deck's config nor
// its front matter sets one, and the limit of a session of every deck.
func (s *Store) CollectionLimits(ctx context.Context) (card.Limits, error) {
	var l card.Limits
	rows, err := s.db.QueryContext(ctx, `SELECT key, value FROM meta WHERE key IN (?, ?)`, metaNewPerDay, metaReviewsPerDay)
	if err != nil {
		return l, fmt.Errorf("collection limits: %w", dbErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		var k string
		var v int
		if err := rows.Scan(&k, &v); err != nil {
			return l, fmt.Errorf("collection limits: %w", dbErr(err))
		}
		if k == metaNewPerDay {
			l.New = card.PerDay(v)
		} else {
			l.Reviews = card.PerDay(v)
		}
	}
	if err := rows.Err(); err != nil {
		return l, fmt.Errorf("collection limits: %w", dbErr(err))
	}
	return l, nil
}

// deckSettings reads every deck's limits, by name, without counting
// cards: what a queue needs, at any size of collection.
func (s *Store) deckSettings(ctx context.Context) ([]*Deck, error) {
	coll, err := s.CollectionLimits(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT name, new_config, reviews_config FROM decks ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("decks: %w", dbErr(err))
	}
	defer rows.Close()
	var out []*Deck
	byName := map[string]*Deck{}
	for rows.Next() {
		d := &Deck{}
		var n, r sql.NullInt64
		if err := rows.Scan(&d.Name, &n, &r); err != nil {
			return nil, fmt.Errorf("decks: %w", dbErr(err))
		}
		d.Config = card.Limits{New: perDay(n), Reviews: perDay(r)}
		out = append(out, d)
		byName[d.Name] = d
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("decks: %w", dbErr(err))
	}
	// A deck's front matter limit is the one of its file synced last that
	// sets it: several files may make one deck.
	rows, err = s.db.QueryContext(ctx, `SELECT deck, new_front, reviews_front FROM sources
		WHERE deck IS NOT NULL AND (new_front IS NOT NULL OR reviews_front IS NOT NULL)
		ORDER BY synced DESC, path`)
	if err != nil {
		return nil, fmt.Errorf("decks: %w", dbErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		var deck string
		var n, r sql.NullInt64
		if err := rows.Scan(&deck, &n, &r); err != nil {
			return nil, fmt.Errorf("decks: %w", dbErr(err))
		}
		if d := byName[deck]; d != nil {
			if d.Front.New == nil {
				d.Front.New = perDay(n)
			}
			if d.Front.Reviews == nil {
				d.Front.Reviews = perDay(r)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("decks: %w", dbErr(err))
	}
	for _, d := range out {
		d.New = inForce(d.Config.New, d.Front.New, coll.New, DefaultNewLimit)
		d.Reviews = inForce(d.Config.Reviews, d.Front.Reviews, coll.Reviews, DefaultReviewLimit)
	}
	return out, nil
}

// perDay reads a limit column: NULL is not set.
func perDay(n sql.NullInt64) *int {
	if !n.Valid {
		return nil
	}
	return card.PerDay(int(n.Int64))
}

// limitArg stores a limit: nil is NULL.
func limitArg(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

// Decks returns the decks of the collection, by name, with their limits.
func (s *Store) Decks(ctx context.Context) ([]Deck, error) {
	ds, err := s.deckSettings(ctx)
	if err != nil {
		return nil, err
	}
	counts := map[string]int{}
	rows, err := s.db.QueryContext(ctx, `SELECT deck, count(*) FROM cards WHERE orphan = 0 GROUP BY deck`)
	if err != nil {
		return nil, fmt.Errorf("decks: %w", dbErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var n int
		if err := rows.Scan(&name, &n); err != nil {
			return nil, fmt.Errorf("decks: %w", dbErr(err))
		}
		counts[name] = n
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("decks: %w", dbErr(err))
	}
	out := make([]Deck, len(ds))
	for i, d := range ds {
		d.Cards = counts[d.Name]
		out[i] = *d
	}
	return out, nil
}

// SetLimits sets the daily limits `recall config` sets: of deck, or of the
// whole collection when deck is "". They replace what was set before: a
// nil field clears it, so that the next setting down (front matter, the
// collection's, the default) applies again.
func (s *Store) SetLimits(ctx context.Context, deck string, l card.Limits) error {
	what := fmt.Sprintf("deck %q", deck)
	if deck == "" {
		what = "collection"
	}
	if l.New != nil && *l.New < 0 || l.Reviews != nil && *l.Reviews < 0 {
		return fmt.Errorf("%s: negative daily limit: %w", what, card.ErrInvalid)
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		if deck == "" {
			for _, kv := range []struct {
				key string
				n   *int
			}{{metaNewPerDay, l.New}, {metaReviewsPerDay, l.Reviews}} {
				var err error
				if kv.n == nil {
					_, err = tx.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, kv.key)
				} else {
					_, err = tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?)
						ON CONFLICT (key) DO UPDATE SET value = excluded.value`, kv.key, *kv.n)
				}
				if err != nil {
					return err
				}
			}
			return nil
		}
		r, err := tx.ExecContext(ctx, `UPDATE decks SET new_config = ?, reviews_config = ? WHERE name = ?`,
			limitArg(l.New), limitArg(l.Reviews), deck)
		if err != nil {
			return err
		}
		if n, err := r.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return card.ErrNotFound
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
