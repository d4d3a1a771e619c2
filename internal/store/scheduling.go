package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/srs"
)

// Scheduling is the scheduler a deck studies with.
type Scheduling struct {
	FSRS      bool
	Retention float64 // FSRS's desired retention
	// Set says the values are the deck's own (recall config DECK), not the
	// collection's.
	Set bool
	// Weights are those recall optimize fitted for the deck, else for the
	// collection; nil means FSRS-6's published defaults.
	Weights *[21]float64
}

// Name is the scheduler's name as recall config takes it.
func (s Scheduling) Name() string {
	if s.FSRS {
		return "fsrs"
	}
	return "sm2"
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// schedulingOf resolves a deck's scheduling: its own, else the
// collection's, else SM-2 at retention 0.9.
func schedulingOf(ctx context.Context, q querier, deck string) (Scheduling, error) {
	sc, err := collectionScheduling(ctx, q)
	if err != nil || deck == "" {
		return sc, err
	}
	return deckScheduling(ctx, q, sc, deck)
}

// collectionScheduling is the collection's scheduling, else SM-2 at
// retention 0.9.
func collectionScheduling(ctx context.Context, q querier) (Scheduling, error) {
	sc := Scheduling{Retention: srs.DefaultRetention}
	var fsrs, permille sql.NullInt64
	for key, v := range map[string]*sql.NullInt64{"fsrs": &fsrs, "retention_permille": &permille} {
		err := q.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(v)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return sc, err
		}
	}
	sc.FSRS = fsrs.Valid && fsrs.Int64 == 1
	if permille.Valid {
		sc.Retention = float64(permille.Int64) / 1000
	}
	if w, err := weightsOf(ctx, q, ""); err != nil {
		return sc, err
	} else if w != nil {
		sc.Weights = w
	}
	return sc, nil
}

// deckScheduling is a deck's scheduling over the collection's, sc.
func deckScheduling(ctx context.Context, q querier, sc Scheduling, deck string) (Scheduling, error) {
	if w, err := weightsOf(ctx, q, deck); err != nil {
		return sc, err
	} else if w != nil {
		sc.Weights = w
	}
	var name sql.NullString
	var retention sql.NullFloat64
	err := q.QueryRowContext(ctx, `SELECT scheduler, retention FROM decks WHERE name = ?`, deck).Scan(&name, &retention)
	if err != nil && err != sql.ErrNoRows {
		return sc, dbErr(err)
	}
	if !name.Valid {
		// The front matter of the deck's notes, the file synced last that
		// names a scheduler.
		err := q.QueryRowContext(ctx, `SELECT scheduler_front FROM sources WHERE deck = ? AND scheduler_front IS NOT NULL
			ORDER BY synced DESC LIMIT 1`, deck).Scan(&name)
		if err != nil && err != sql.ErrNoRows {
			return sc, dbErr(err)
		}
	}
	if name.Valid {
		sc.FSRS, sc.Set = name.String == "fsrs", true
	}
	if retention.Valid {
		sc.Retention, sc.Set = retention.Float64, true
	}
	return sc, nil
}

// SchedulingOf returns the scheduling of a deck ("" for the collection's).
func (s *Store) SchedulingOf(ctx context.Context, deck string) (Scheduling, error) {
	return schedulingOf(ctx, s.db, deck)
}

// SetScheduling sets the scheduler ("sm2" or "fsrs"; "" leaves it) and the
// desired retention (0 leaves it) of a deck, or of the collection when
// deck is "". Cards keep what each scheduler knows of them: a switch loses
// nothing, and switching back finds SM-2's state where it was.
func (s *Store) SetScheduling(ctx context.Context, deck, scheduler string, retention float64) error {
	if scheduler != "" && scheduler != "sm2" && scheduler != "fsrs" {
		return fmt.Errorf("scheduler %q: want sm2 or fsrs: %w", scheduler, card.ErrInvalid)
	}
	if retention != 0 && (retention <= 0 || retention >= 1) {
		return fmt.Errorf("retention %v: want a number between 0 and 1, such as 0.9: %w", retention, card.ErrInvalid)
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		if err := s.setScheduling(ctx, tx, deck, scheduler, retention); err != nil {
			return err
		}
		if scheduler == "fsrs" {
			return s.deriveMemory(ctx, tx)
		}
		return nil
	})
}

func (s *Store) setScheduling(ctx context.Context, tx *sql.Tx, deck, scheduler string, retention float64) error {
	if deck == "" {
		if scheduler != "" {
			v := 0
			if scheduler == "fsrs" {
				v = 1
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('fsrs', ?)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value`, v); err != nil {
				return err
			}
		}
		if retention != 0 {
			if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('retention_permille', ?)
				ON CONFLICT (key) DO UPDATE SET value = excluded.value`, int(retention*1000+0.5)); err != nil {
				return err
			}
		}
		return nil
	}
	if scheduler != "" {
		r, err := tx.ExecContext(ctx, `UPDATE decks SET scheduler = ? WHERE name = ?`, scheduler, deck)
		if err != nil {
			return err
		}
		if n, _ := r.RowsAffected(); n == 0 {
			return fmt.Errorf("deck %q: %w", deck, card.ErrNotFound)
		}
	}
	if retention != 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE decks SET retention = ? WHERE name = ?`, retention, deck); err != nil {
			return err
		}
	}
	return nil
}

// deriveMemory gives every reviewed card of a deck now scheduled by FSRS,
// and without a memory state yet, the one FSRS derives: by replaying its
// review log, as if FSRS had scheduled it from the start. (Cards reviewed
// before recall kept a log have only SM-2's state; NextFSRS derives theirs
// from interval and ease.)
func (s *Store) deriveMemory(ctx context.Context, tx *sql.Tx) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, deck FROM cards WHERE stability IS NULL AND last_review IS NOT NULL`)
	if err != nil {
		return err
	}
	type pending struct{ id, deck string }
	var cards []pending
	for rows.Next() {
		var p pending
		if err := rows.Scan(&p.id, &p.deck); err != nil {
			rows.Close()
			return err
		}
		cards = append(cards, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	loc := s.now().Location()
	scheds := map[string]Scheduling{}
	for _, c := range cards {
		sc, ok := scheds[c.deck]
		if !ok {
			if sc, err = schedulingOf(ctx, tx, c.deck); err != nil {
				return err
			}
			scheds[c.deck] = sc
		}
		if !sc.FSRS {
			continue
		}
		history, err := fsrsHistory(ctx, tx, c.id, s.Rollover, loc)
		if err != nil {
			return err
		}
		if len(history) == 0 {
			continue
		}
		f := srs.FSRS{Retention: sc.Retention}
		if sc.Weights != nil {
			f.Weights = *sc.Weights
		}
		m := f.Replay(srs.Memory{}, history)
		if _, err := tx.ExecContext(ctx, `UPDATE cards SET stability = ?, difficulty = ? WHERE id = ?`, m.Stability, m.Difficulty, c.id); err != nil {
			return err
		}
	}
	return nil
}

// fsrsHistory reads a card's answers on days before today as FSRS replays
// them: elapsed study days and the rating; re-drills (same-day answers)
// take FSRS's short-term update with 0 days.
func fsrsHistory(ctx context.Context, tx *sql.Tx, id string, rollover int, loc *time.Location) ([]srs.FSRSReview, error) {
	rows, err := tx.QueryContext(ctx, `SELECT time, grade FROM reviews WHERE card_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []srs.FSRSReview
	var last time.Time
	for rows.Next() {
		var at int64
		var g int
		if err := rows.Scan(&at, &g); err != nil {
			return nil, err
		}
		t := time.Unix(0, at).In(loc)
		out = append(out, fsrsReview(g, t, last, len(out) == 0, rollover))
		last = t
	}
	return out, rows.Err()
}

// schedulings returns the scheduling of every deck, by name.
func (s *Store) schedulings(ctx context.Context) (map[string]Scheduling, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name FROM decks`)
	if err != nil {
		return nil, dbErr(err)
	}
	var names []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			rows.Close()
			return nil, dbErr(err)
		}
		names = append(names, n)
	}
	rows.Close()
	base, err := collectionScheduling(ctx, s.db)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Scheduling, len(names))
	for _, n := range names {
		sc, err := deckScheduling(ctx, s.db, base, n)
		if err != nil {
			return nil, err
		}
		out[n] = sc
	}
	return out, nil
}

// weightsOf reads the weights fitted for deck ("" the collection), or nil.
func weightsOf(ctx context.Context, q querier, deck string) (*[21]float64, error) {
	var text string
	err := q.QueryRowContext(ctx, `SELECT weights FROM fsrs_weights WHERE deck = ?`, deck).Scan(&text)
	if err == sql.ErrNoRows {
		return nil, nil
	}
	if err != nil {
		return nil, dbErr(err)
	}
	var w [21]float64
	if err := json.Unmarshal([]byte(text), &w); err != nil {
		return nil, fmt.Errorf("FSRS weights of %q: %w", deck, err)
	}
	return &w, nil
}

// SetWeights keeps FSRS-6 weights fitted for a deck ("" the collection).
func (s *Store) SetWeights(ctx context.Context, deck string, w [21]float64) error {
	b, err := json.Marshal(w)
	if err != nil {
		return err
	}
	return s.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO fsrs_weights (deck, weights, fitted) VALUES (?, ?, ?)
			ON CONFLICT (deck) DO UPDATE SET weights = excluded.weights, fitted = excluded.fitted`, deck, string(b), s.now().UnixNano())
		return err
	})
}

// Histories returns the review log as FSRS trains on it: one history per
// card (of deck and its subdecks, or of every deck when deck is ""), its
// answers in order with the study days between them and the button given,
// placed on one timeline by the day of its first answer.
func (s *Store) Histories(ctx context.Context, deck string) ([]srs.FSRSHistory, error) {
	q := `SELECT r.card_id, r.time, r.grade FROM reviews r JOIN cards c ON c.id = r.card_id`
	var args []any
	if deck != "" {
		q += ` WHERE c.deck = ? COLLATE NOCASE OR c.subdeck = ? COLLATE NOCASE OR c.subdeck LIKE ? || '::%'`
		args = append(args, deck, deck, deck)
	}
	rows, err := s.db.QueryContext(ctx, q+` ORDER BY r.card_id, r.id`, args...)
	if err != nil {
		return nil, dbErr(err)
	}
	defer rows.Close()
	loc := s.now().Location()
	var out []srs.FSRSHistory
	var cur string
	var last time.Time
	for rows.Next() {
		var id string
		var at int64
		var g int
		if err := rows.Scan(&id, &at, &g); err != nil {
			return nil, dbErr(err)
		}
		t := time.Unix(0, at).In(loc)
		first := id != cur || len(out) == 0
		if first {
			cur = id
			out = append(out, srs.FSRSHistory{FirstDay: int(dayNumber(srs.Day(t, s.Rollover)))})
		}
		h := &out[len(out)-1]
		h.Reviews = append(h.Reviews, fsrsReview(g, t, last, first, s.Rollover))
		last = t
	}
	return out, dbErr(rows.Err())
}

// fsrsReview is an answer as FSRS replays it: the button given and the
// study days since the card's answer before (none for its first).
func fsrsReview(grade int, at, prev time.Time, first bool, rollover int) srs.FSRSReview {
	r := srs.FSRSReview{Rating: card.Grade(grade).Button()}
	if !first {
		r.Elapsed = srs.ElapsedDays(prev, at, rollover)
	}
	return r
}
