package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/srs"
)

// QueueOptions choose what Queue returns.
type QueueOptions struct {
	Deck string // this deck and its subdecks; "" for all
	// Limits per deck and day; 0 means the deck's own setting, and if it
	// has none, DefaultNewLimit and DefaultReviewLimit.
	NewLimit, ReviewLimit int
}

// LeechTag is the tag a card gets when it becomes a leech.
const LeechTag = "leech"

// deckLimits is a deck with its daily limits and what was done today.
type deckLimits struct {
	name                 string
	newLimit, revLimit   int
	newDone, reviewsDone int
	newLeft, reviewsLeft int
}

// Queue returns what today's session holds: the reviews due on or before
// today, most overdue first, and new cards in the order of their notes
// (file, line). Each deck gives at most what is left of its daily limits
// once today's logged answers are counted (re-drills aside). Orphans,
// suspended and buried cards never appear.
func (s *Store) Queue(ctx context.Context, q QueueOptions) (due, fresh []card.Entry, err error) {
	now := s.now()
	today := s.today(now)
	decks, err := s.limits(ctx, q, today)
	if err != nil {
		return nil, nil, err
	}
	for _, d := range decks {
		if d.reviewsLeft > 0 {
			due, err = s.queueQuery(ctx, due, qDue, today, now.Location(), d.name, today, today, d.reviewsLeft)
			if err != nil {
				return nil, nil, fmt.Errorf("deck %q: due cards: %w", d.name, err)
			}
		}
		if d.newLeft > 0 {
			fresh, err = s.queueQuery(ctx, fresh, qNew, today, now.Location(), d.name, today, d.newLeft)
			if err != nil {
				return nil, nil, fmt.Errorf("deck %q: new cards: %w", d.name, err)
			}
		}
	}
	if len(decks) > 1 {
		sort.SliceStable(due, func(i, j int) bool { return due[i].State.Due.Before(due[j].State.Due) })
		sort.SliceStable(fresh, func(i, j int) bool {
			a, b := fresh[i].Source, fresh[j].Source
			return a.File < b.File || a.File == b.File && a.Line < b.Line
		})
	}
	return due, fresh, nil
}

// The queue queries. Their WHERE repeats the partial indexes' conditions so
// that SQLite uses them: a walk down (deck, due) or (deck, file, line) that
// stops at the limit, whatever the size of the collection.
const (
	qDue = selectEntry + ` WHERE deck = ? AND status = 'active' AND orphan = 0 AND due <= ?
		AND buried_until <= ? ORDER BY due, rowid LIMIT ?`
	qNew = selectEntry + ` WHERE deck = ? AND status = 'active' AND orphan = 0 AND due IS NULL
		AND buried_until <= ? ORDER BY file, line LIMIT ?`
)

func (s *Store) queueQuery(ctx context.Context, out []card.Entry, q string, today int64, loc *time.Location, args ...any) ([]card.Entry, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return out, dbErr(err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanEntry(rows, today, loc)
		if err != nil {
			return out, dbErr(err)
		}
		out = append(out, e)
	}
	return out, dbErr(rows.Err())
}

// limits returns the decks a queue draws from, with what is left today.
func (s *Store) limits(ctx context.Context, q QueueOptions, today int64) ([]*deckLimits, error) {
	if q.NewLimit < 0 || q.ReviewLimit < 0 {
		return nil, fmt.Errorf("queue: negative daily limit: %w", card.ErrInvalid)
	}
	query := `SELECT name, new_limit, review_limit FROM decks`
	var args []any
	if q.Deck != "" {
		query += ` WHERE ` + inDeck("name")
		args = append(args, q.Deck, q.Deck, q.Deck)
	}
	rows, err := s.db.QueryContext(ctx, query+` ORDER BY name`, args...)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", dbErr(err))
	}
	defer rows.Close()
	byName := map[string]*deckLimits{}
	var decks []*deckLimits
	for rows.Next() {
		d := &deckLimits{}
		if err := rows.Scan(&d.name, &d.newLimit, &d.revLimit); err != nil {
			return nil, fmt.Errorf("queue: %w", dbErr(err))
		}
		d.newLimit = firstPositive(q.NewLimit, d.newLimit, DefaultNewLimit)
		d.revLimit = firstPositive(q.ReviewLimit, d.revLimit, DefaultReviewLimit)
		decks = append(decks, d)
		byName[d.name] = d
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("queue: %w", dbErr(err))
	}
	if q.Deck != "" && len(decks) == 0 {
		return nil, fmt.Errorf("deck %q: %w", q.Deck, card.ErrNotFound)
	}
	rows, err = s.db.QueryContext(ctx, `SELECT c.deck, coalesce(sum(r.b_last IS NULL), 0), coalesce(sum(r.b_last IS NOT NULL), 0)
		FROM reviews r JOIN cards c ON c.id = r.card_id
		WHERE r.day = ? AND r.redrill = 0 GROUP BY c.deck`, today)
	if err != nil {
		return nil, fmt.Errorf("queue: %w", dbErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var n, r int
		if err := rows.Scan(&name, &n, &r); err != nil {
			return nil, fmt.Errorf("queue: %w", dbErr(err))
		}
		if d := byName[name]; d != nil {
			d.newDone, d.reviewsDone = n, r
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("queue: %w", dbErr(err))
	}
	for _, d := range decks {
		d.newLeft = d.newLimit - d.newDone
		d.reviewsLeft = d.revLimit - d.reviewsDone
	}
	return decks, nil
}

func firstPositive(v ...int) int {
	for _, n := range v {
		if n > 0 {
			return n
		}
	}
	return 0
}

// Answer grades a card: its new schedule and the logged review, in one
// transaction. A card whose lapses this answer brings to srs.LeechLapses is
// suspended and tagged LeechTag. With redrill set (SM-2's rule 7: a card
// graded below 4 comes back the same session) the review is logged and the
// schedule left as it was.
func (s *Store) Answer(ctx context.Context, id string, g card.Grade, took time.Duration, redrill bool) (card.Answer, error) {
	var a card.Answer
	if !g.Valid() {
		return a, &card.Error{ID: id, Err: fmt.Errorf("grade %d is not 0–5: %w", g, card.ErrInvalid)}
	}
	now := s.now()
	today := s.today(now)
	loc := now.Location()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var status, tags string
		var due, last sql.NullInt64
		b := &a.Before
		err := tx.QueryRowContext(ctx, `SELECT status, tags, reps, ef, interval, due, lapses, last_review FROM cards WHERE id = ?`, id).
			Scan(&status, &tags, &b.Reps, &b.EF, &b.Interval, &due, &b.Lapses, &last)
		if err == sql.ErrNoRows {
			return card.ErrNotFound
		}
		if err != nil {
			return err
		}
		// An orphan is still answered: the card may have left its notes
		// while it was on screen, and the answer happened.
		b.Due, b.Last = fromDueDay(due, loc), fromNanos(last, loc)
		a.After = a.Before
		if !redrill {
			a.After = srs.Scheduler{Rollover: s.Rollover}.Next(a.Before, g, now)
		}
		af := a.After
		_, err = tx.ExecContext(ctx, `UPDATE cards SET reps = ?, ef = ?, interval = ?, due = ?, lapses = ?, last_review = ? WHERE id = ?`,
			af.Reps, af.EF, af.Interval, dueDay(af.Due), af.Lapses, nanos(af.Last), id)
		if err != nil {
			return err
		}
		var undoStatus, undoTags any
		a.Leech = !redrill && af.Lapses >= srs.LeechLapses && b.Lapses < srs.LeechLapses
		if a.Leech {
			newTags, err := addTag(tags, LeechTag)
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE cards SET status = 'suspended', tags = ? WHERE id = ?`, newTags, id); err != nil {
				return err
			}
			undoStatus, undoTags = status, tags
		}
		r, err := tx.ExecContext(ctx, `INSERT INTO reviews (card_id, time, day, grade, took_ms, redrill,
			b_reps, b_ef, b_interval, b_due, b_lapses, b_last,
			a_reps, a_ef, a_interval, a_due, a_lapses, a_last, leech, undo_status, undo_tags)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, now.UnixNano(), today, int(g), max(took.Milliseconds(), 0), redrill,
			b.Reps, b.EF, b.Interval, dueDay(b.Due), b.Lapses, nanos(b.Last),
			af.Reps, af.EF, af.Interval, dueDay(af.Due), af.Lapses, nanos(af.Last),
			a.Leech, undoStatus, undoTags)
		if err != nil {
			return err
		}
		a.ReviewID, err = r.LastInsertId()
		return err
	})
	if err != nil {
		return card.Answer{}, &card.Error{ID: id, Err: err}
	}
	return a, nil
}

// addTag adds a tag to a JSON list of tags unless it is there.
func addTag(tagsJSON, tag string) (string, error) {
	var tags []string
	if err := json.Unmarshal([]byte(tagsJSON), &tags); err != nil {
		return "", fmt.Errorf("tags: %w", err)
	}
	if slices.Contains(tags, tag) {
		return tagsJSON, nil
	}
	return jsonList(append(tags, tag))
}

// Undo takes back a review: the card's schedule goes back to what it was
// before (and a leech suspension is lifted), and the review leaves the log.
// Only the last review of a card can be undone.
func (s *Store) Undo(ctx context.Context, reviewID int64) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var id string
		var st card.State
		var due, last sql.NullInt64
		var leech bool
		var undoStatus, undoTags sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT card_id, b_reps, b_ef, b_interval, b_due, b_lapses, b_last, leech, undo_status, undo_tags
			FROM reviews WHERE id = ?`, reviewID).
			Scan(&id, &st.Reps, &st.EF, &st.Interval, &due, &st.Lapses, &last, &leech, &undoStatus, &undoTags)
		if err == sql.ErrNoRows {
			return card.ErrNotFound
		}
		if err != nil {
			return err
		}
		var latest int64
		if err := tx.QueryRowContext(ctx, `SELECT max(id) FROM reviews WHERE card_id = ?`, id).Scan(&latest); err != nil {
			return err
		}
		if latest != reviewID {
			return &card.Error{ID: id, Err: fmt.Errorf("reviewed again since (review %d); undo that first: %w", latest, card.ErrInvalid)}
		}
		_, err = tx.ExecContext(ctx, `UPDATE cards SET reps = ?, ef = ?, interval = ?, due = ?, lapses = ?, last_review = ? WHERE id = ?`,
			st.Reps, st.EF, st.Interval, due, st.Lapses, last, id)
		if err != nil {
			return err
		}
		if leech && undoStatus.Valid && undoTags.Valid {
			_, err := tx.ExecContext(ctx, `UPDATE cards SET status = ?, tags = ? WHERE id = ?`, undoStatus.String, undoTags.String, id)
			if err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `DELETE FROM reviews WHERE id = ?`, reviewID)
		return err
	})
	if err != nil {
		return fmt.Errorf("undo review %d: %w", reviewID, err)
	}
	return nil
}

// Bury hides a card until the next study day begins.
func (s *Store) Bury(ctx context.Context, id string) error {
	tomorrow := s.today(s.now()) + 1
	return s.change(ctx, id, "bury", true, `UPDATE cards SET buried_until = ? WHERE id = ?`, tomorrow, id)
}

// Suspend hides a card from review until it is restored.
func (s *Store) Suspend(ctx context.Context, id string) error {
	return s.change(ctx, id, "suspend", true, `UPDATE cards SET status = 'suspended' WHERE id = ?`, id)
}

// Restore brings a card back to review: it un-suspends, un-buries, and
// un-orphans it. A restored orphan no longer belongs to its notes file (so
// the next sync of the file does not orphan it again) until a sync finds
// it in some notes again.
func (s *Store) Restore(ctx context.Context, id string) error {
	_, err := s.RestoreCard(ctx, id)
	return err
}

// Hidden says why a card was out of review: the ways Restore undoes.
type Hidden struct {
	Orphan, Suspended, Buried bool
}

// Any reports whether the card was hidden at all.
func (h Hidden) Any() bool { return h.Orphan || h.Suspended || h.Buried }

// RestoreCard is Restore, saying how the card was hidden before; a card
// that was not hidden is left as it is.
func (s *Store) RestoreCard(ctx context.Context, id string) (Hidden, error) {
	var h Hidden
	now := s.now()
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var status string
		var buriedUntil int64
		err := tx.QueryRowContext(ctx, `SELECT orphan, status, buried_until FROM cards WHERE id = ?`, id).
			Scan(&h.Orphan, &status, &buriedUntil)
		if err == sql.ErrNoRows {
			return card.ErrNotFound
		}
		if err != nil {
			return err
		}
		h.Suspended = status != "active"
		h.Buried = buriedUntil > s.today(now)
		if !h.Any() {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE cards SET status = 'active', buried_until = 0,
			source = CASE WHEN orphan = 1 THEN '' ELSE source END, orphan = 0,
			modified = CASE WHEN orphan = 1 THEN ? ELSE modified END WHERE id = ?`, now.UnixNano(), id); err != nil {
			return err
		}
		if h.Orphan {
			// The card is back, and a sync planning now must see it.
			return bumpGeneration(ctx, tx)
		}
		return nil
	})
	if err != nil {
		return Hidden{}, &card.Error{Op: "restore", ID: id, Err: err}
	}
	return h, nil
}

// errOrphan is the complaint about hiding a card that is already hidden
// for good.
var errOrphan = errors.New("it is an orphan, no longer in its notes (restore it first)")

// change runs one update of one card, in a transaction, reporting a card
// that does not exist and, if noOrphans, refusing an orphan.
func (s *Store) change(ctx context.Context, id, what string, noOrphans bool, query string, args ...any) error {
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var orphan bool
		err := tx.QueryRowContext(ctx, `SELECT orphan FROM cards WHERE id = ?`, id).Scan(&orphan)
		if err == sql.ErrNoRows {
			return card.ErrNotFound
		}
		if err != nil {
			return err
		}
		if orphan && noOrphans {
			return fmt.Errorf("%w: %w", errOrphan, card.ErrInvalid)
		}
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return err
		}
		return nil
	})
	if err != nil {
		return &card.Error{Op: what, ID: id, Err: err}
	}
	return nil
}

// Streak counts the consecutive study days with at least one review that
// end today, or yesterday if nothing was reviewed yet today.
func (s *Store) Streak(ctx context.Context) (int, error) {
	today := s.today(s.now())
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT day FROM reviews WHERE day <= ? ORDER BY day DESC`, today)
	if err != nil {
		return 0, fmt.Errorf("streak: %w", dbErr(err))
	}
	defer rows.Close()
	n := 0
	want := today
	for rows.Next() {
		var day int64
		if err := rows.Scan(&day); err != nil {
			return 0, fmt.Errorf("streak: %w", dbErr(err))
		}
		if n == 0 && day == today-1 {
			want = day
		}
		if day != want {
			break
		}
		n++
		want--
	}
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("streak: %w", dbErr(err))
	}
	return n, nil
}

// NextDue returns the first study day after today on which a card of deck
// (and its subdecks; every deck if deck is "") falls due, or the zero time
// if none is scheduled.
func (s *Store) NextDue(ctx context.Context, deck string) (time.Time, error) {
	now := s.now()
	today := s.today(now)
	q := `SELECT min(due) FROM cards WHERE status = 'active' AND orphan = 0 AND due IS NOT NULL AND due > ?`
	args := []any{today}
	if deck != "" {
		if err := s.deckExists(ctx, deck); err != nil {
			return time.Time{}, err
		}
		q += ` AND ` + inDeck("deck")
		args = append(args, deck, deck, deck)
	}
	var day sql.NullInt64
	if err := s.db.QueryRowContext(ctx, q, args...).Scan(&day); err != nil {
		return time.Time{}, fmt.Errorf("next due: %w", dbErr(err))
	}
	return fromDueDay(day, now.Location()), nil
}
