package store

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"slices"
	"strings"

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
	// Subdecks are the headings of its notes that hold cards, by name;
	// they share the deck's limits.
	Subdecks []Subdeck
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
	rows, err := s.db.QueryContext(ctx, `SELECT deck, sum(cards) FROM subdecks GROUP BY deck`)
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
	subs, err := s.subdecks(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Deck, len(ds))
	for i, d := range ds {
		d.Cards = counts[d.Name]
		d.Subdecks = subs[d.Name]
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

// subdeck is the subdeck of a card of the notes (see Store.Subdeck),
// remembered in memo by deck and section, all it depends on.
func (s *Store) subdeck(c card.Card, memo map[[2]string]string) string {
	if s.Subdeck == nil || c.Section == "" {
		return c.Deck
	}
	k := [2]string{c.Deck, c.Section}
	if sub, ok := memo[k]; ok {
		return sub
	}
	sub := c.Deck
	if part := s.Subdeck(c); part != "" {
		sub += card.DeckSep + part
	}
	memo[k] = sub
	return sub
}

// NameSubdecks names the subdecks of the cards that were in the
// collection before it knew subdecks (migration 5), with Store.Subdeck,
// once. It does nothing when Subdeck is nil or the cards are named.
func (s *Store) NameSubdecks(ctx context.Context) error {
	if s.Subdeck == nil {
		return nil
	}
	var named bool
	err := s.db.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'subdecks_named'`).Scan(&named)
	if err == sql.ErrNoRows || err == nil && named {
		return nil
	}
	if err != nil {
		return fmt.Errorf("name subdecks: %w", dbErr(err))
	}
	err = s.tx(ctx, func(tx *sql.Tx) error {
		// Under the lock: another recall may have named them meanwhile.
		if err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'subdecks_named'`).Scan(&named); err != nil || named {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT rowid, deck, section, subdeck FROM cards WHERE section != ''`)
		if err != nil {
			return err
		}
		type change struct {
			rowid   int64
			subdeck string
		}
		var changes []change
		memo := map[[2]string]string{}
		for rows.Next() {
			var rowid int64
			var c card.Card
			var have string
			if err := rows.Scan(&rowid, &c.Deck, &c.Section, &have); err != nil {
				rows.Close()
				return err
			}
			if sub := s.subdeck(c, memo); sub != have {
				changes = append(changes, change{rowid, sub})
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		st, err := tx.PrepareContext(ctx, `UPDATE cards SET subdeck = ? WHERE rowid = ?`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, ch := range changes {
			if _, err := st.ExecContext(ctx, ch.subdeck, ch.rowid); err != nil {
				return err
			}
		}
		if err := recountSubdecks(ctx, tx); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE meta SET value = 1 WHERE key = 'subdecks_named'`)
		return err
	})
	if err != nil {
		return fmt.Errorf("name subdecks: %w", err)
	}
	return nil
}

// Subdeck is a subdeck of a deck, below the deck itself: the cards of one
// heading ("QCon SF 2018::Containers").
type Subdeck struct {
	Name  string
	Cards int // orphans not counted
}

// selection is what a deck name a person gave stands for: the decks it
// takes whole (it names them or a deck they are inside) and, of the other
// decks, the subdecks it names or is above. Names match ignoring case.
type selection struct {
	whole []string
	parts map[string][]string // deck → its subdecks taken
	// exact is a deck the name names itself, whose limits cap a queue of
	// it over the decks inside it; "" if none.
	exact string
}

// decks lists the decks the selection draws from, whole or in part.
func (sel *selection) decks() map[string]bool {
	out := map[string]bool{}
	for _, d := range sel.whole {
		out[d] = true
	}
	for d := range sel.parts {
		out[d] = true
	}
	return out
}

// sql is the condition that a card (deck and subdeck in the columns of
// those names) is selected, with its arguments.
func (sel *selection) sql() (string, []any) {
	var terms []string
	var args []any
	if len(sel.whole) > 0 {
		terms = append(terms, `deck IN (SELECT value FROM json_each(?))`)
		args = append(args, jsonList(sel.whole))
	}
	for _, d := range slices.Sorted(maps.Keys(sel.parts)) {
		terms = append(terms, `(deck = ? AND subdeck IN (SELECT value FROM json_each(?)))`)
		args = append(args, d, jsonList(sel.parts[d]))
	}
	return `(` + strings.Join(terms, ` OR `) + `)`, args
}

// selectDecks finds what the deck name stands for; card.ErrNotFound if
// nothing. The decks and subdecks tables are small: a collection has tens
// of decks, not thousands, whatever its size.
func (s *Store) selectDecks(ctx context.Context, name string) (*selection, error) {
	sel := &selection{parts: map[string][]string{}}
	rows, err := s.db.QueryContext(ctx, `SELECT name, NULL FROM decks UNION ALL SELECT deck, name FROM subdecks ORDER BY 1, 2`)
	if err != nil {
		return nil, fmt.Errorf("deck %q: %w", name, dbErr(err))
	}
	defer rows.Close()
	whole := map[string]bool{}
	for rows.Next() {
		var deck string
		var sub sql.NullString
		if err := rows.Scan(&deck, &sub); err != nil {
			return nil, fmt.Errorf("deck %q: %w", name, dbErr(err))
		}
		if !sub.Valid {
			// A deck, before its subdecks (NULL sorts first).
			if spelled, ok := card.Deck(deck).Within(card.Deck(name)); ok {
				whole[deck] = true
				sel.whole = append(sel.whole, deck)
				if string(spelled) == deck && (sel.exact == "" || deck == name) {
					sel.exact = deck
				}
			}
			continue
		}
		if _, ok := card.Deck(sub.String).Within(card.Deck(name)); ok && !whole[deck] {
			sel.parts[deck] = append(sel.parts[deck], sub.String)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("deck %q: %w", name, dbErr(err))
	}
	if len(sel.whole) == 0 && len(sel.parts) == 0 {
		return nil, fmt.Errorf("deck %q: %w", name, card.ErrNotFound)
	}
	return sel, nil
}

// subdecks reads the subdecks with cards, by deck, leaving out the part of
// each deck that is under no heading.
func (s *Store) subdecks(ctx context.Context) (map[string][]Subdeck, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT deck, name, cards FROM subdecks WHERE name <> deck ORDER BY deck, name`)
	if err != nil {
		return nil, fmt.Errorf("subdecks: %w", dbErr(err))
	}
	defer rows.Close()
	out := map[string][]Subdeck{}
	for rows.Next() {
		var deck string
		var sd Subdeck
		if err := rows.Scan(&deck, &sd.Name, &sd.Cards); err != nil {
			return nil, fmt.Errorf("subdecks: %w", dbErr(err))
		}
		out[deck] = append(out[deck], sd)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("subdecks: %w", dbErr(err))
	}
	return out, nil
}

// DecksIn returns the decks whose cards the deck name selects, all or
// some (see Filter.Deck), with their limits; card.ErrNotFound if none.
func (s *Store) DecksIn(ctx context.Context, name string) ([]Deck, error) {
	all, err := s.deckSettings(ctx)
	if err != nil {
		return nil, err
	}
	in := map[string]bool{}
	if name != "" {
		sel, err := s.selectDecks(ctx, name)
		if err != nil {
			return nil, err
		}
		in = sel.decks()
	}
	var out []Deck
	for _, d := range all {
		if name == "" || in[d.Name] {
			out = append(out, *d)
		}
	}
	return out, nil
}

// countSubdecks adds the cards of the files sources (the files they sync
// from; "" for cards restored by hand) to the subdecks' counts, or with
// sign -1 takes them out: a sync takes out what it will change and adds
// it back once written, the work of those files whatever the size of
// their decks.
// recountSubdecks counts the cards of every subdeck afresh.
func recountSubdecks(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM subdecks`); err != nil {
		return fmt.Errorf("count subdecks: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO subdecks (deck, name, cards)
		SELECT deck, subdeck, count(*) FROM cards WHERE orphan = 0 GROUP BY deck, subdeck`); err != nil {
		return fmt.Errorf("count subdecks: %w", err)
	}
	return nil
}

func countSubdecks(ctx context.Context, tx *sql.Tx, sign int, sources ...string) error {
	for _, src := range sources {
		_, err := tx.ExecContext(ctx, `INSERT INTO subdecks (deck, name, cards)
			SELECT deck, subdeck, ? * count(*) FROM cards WHERE source = ? AND orphan = 0 GROUP BY deck, subdeck
			ON CONFLICT (deck, name) DO UPDATE SET cards = cards + excluded.cards`, sign, src)
		if err != nil {
			return fmt.Errorf("count subdecks: %w", err)
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM subdecks WHERE cards <= 0`); err != nil {
		return fmt.Errorf("count subdecks: %w", err)
	}
	return nil
}
