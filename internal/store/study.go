package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/srs"
)

// QueueOptions choose what Queue returns.
type QueueOptions struct {
	Deck string // this deck and its subdecks; "" for all
	// NewLimit and ReviewLimit, when set, replace the daily limits for
	// this queue: every deck's, and that of the queue as a whole (see
	// Queue). 0 is none of that kind.
	NewLimit, ReviewLimit *int
}

// LeechTag is the tag a card gets when it becomes a leech.
const LeechTag = "leech"

// deckLimits is a deck with its daily limits and what was done today.
type deckLimits struct {
	name                 string
	subdecks             []string // the only subdecks to draw from; nil for all
	newLimit, revLimit   int
	newDone, reviewsDone int
	newLeft, reviewsLeft int
}

// queueCap is what is left today of the limits of a queue as a whole;
// -1 for none.
type queueCap struct {
	newLeft, reviewsLeft int
}

// Queue returns what today's session holds: the cards in today's learning
// steps (graded below good today, in the order they come due again; they
// count against no limit) and the reviews due on or before today, most
// overdue first, in due; and new cards in fresh. New cards take turns: one
// card per list or note (its first in notes order, so a list card comes
// before its clozes), the decks taking turns too, so that one long list
// cannot fill the day; its other cards come on later days, as siblings.
// Each deck gives at most what is left of its daily limits once today's
// logged answers are counted (re-drills aside), and the queue as a whole
// at most what is left of the limit of the deck it studies, as Anki's
// parent decks do: q's limits when set; else, for every deck, the
// collection's (CollectionLimits) if set; else the limits of the deck
// named, when it is a deck of its own, over its subdecks that are decks
// too. Orphans, suspended and buried cards never appear.
func (s *Store) Queue(ctx context.Context, q QueueOptions) (due, fresh []card.Entry, err error) {
	now := s.now()
	today := s.today(now)
	start, end := srs.DayBounds(now, s.Rollover)
	decks, limit, err := s.limits(ctx, q, today)
	if err != nil {
		return nil, nil, err
	}
	var learning []card.Entry
	perDeck := make([][]card.Entry, 0, len(decks))
	for _, d := range decks {
		deckDue := len(due)
		var deckNew []card.Entry
		for _, sc := range d.scopes() {
			before := len(learning)
			q, args := sc.query(qLearn)
			learning, err = s.queueQuery(ctx, learning, q, today, now.Location(), append(args, start.UnixNano(), end.UnixNano(), today)...)
			if err != nil {
				return nil, nil, fmt.Errorf("%s: learning cards: %w", sc, err)
			}
			if d.reviewsLeft > 0 {
				learnt := map[string]bool{}
				for _, e := range learning[before:] {
					learnt[e.ID] = true
				}
				n := len(due)
				q, args := sc.query(qDue)
				due, err = s.queueQuery(ctx, due, q, today, now.Location(), append(args, today, today, d.reviewsLeft)...)
				if err != nil {
					return nil, nil, fmt.Errorf("%s: due cards: %w", sc, err)
				}
				due = append(due[:n], slices.DeleteFunc(due[n:], func(e card.Entry) bool { return learnt[e.ID] })...)
			}
			if d.newLeft > 0 {
				cards, err := s.newCards(ctx, sc, today, now.Location(), d.newLeft)
				if err != nil {
					return nil, nil, fmt.Errorf("%s: new cards: %w", sc, err)
				}
				deckNew = append(deckNew, cards...)
			}
		}
		if len(d.subdecks) > 1 {
			// Several subdecks of one deck share its limits.
			sort.SliceStable(due[deckDue:], func(i, j int) bool { return due[deckDue+i].State.Due.Before(due[deckDue+j].State.Due) })
			due = due[:min(len(due), deckDue+d.reviewsLeft)]
			sort.SliceStable(deckNew, func(i, j int) bool {
				a, b := deckNew[i].Source, deckNew[j].Source
				return a.File < b.File || a.File == b.File && a.Line < b.Line
			})
			deckNew = deckNew[:min(len(deckNew), d.newLeft)]
		}
		if len(deckNew) > 0 {
			perDeck = append(perDeck, deckNew)
		}
	}
	if len(decks) > 1 {
		sort.SliceStable(due, func(i, j int) bool { return due[i].State.Due.Before(due[j].State.Due) })
		sort.SliceStable(learning, func(i, j int) bool { return learning[i].State.LearnDue.Before(learning[j].State.LearnDue) })
	}
	// The decks take turns: the first new card of each, then the second…
	for i := 0; ; i++ {
		took := false
		for _, cards := range perDeck {
			if i < len(cards) {
				fresh = append(fresh, cards[i])
				took = true
			}
		}
		if !took {
			break
		}
	}
	if limit.reviewsLeft >= 0 && len(due) > limit.reviewsLeft {
		due = due[:limit.reviewsLeft]
	}
	if limit.newLeft >= 0 && len(fresh) > limit.newLeft {
		fresh = fresh[:limit.newLeft]
	}
	due = append(learning, due...)
	if err := s.withScheduling(ctx, due, fresh); err != nil {
		return nil, nil, err
	}
	return due, fresh, nil
}

// newPage is how many new cards newCards reads at a time, looking for
// cards of lists it has not taken one from.
const newPage = 256

// newCards returns up to limit new cards of a deck or subdeck, one per
// group (list or note), each group's first in notes order.
func (s *Store) newCards(ctx context.Context, sc scope, today int64, loc *time.Location, limit int) ([]card.Entry, error) {
	var out []card.Entry
	taken := map[string]bool{}
	q, args := sc.query(qNew)
	for offset := 0; len(out) < limit; offset += newPage {
		page, err := s.queueQuery(ctx, nil, q, today, loc, append(args, today, newPage, offset)...)
		if err != nil {
			return nil, err
		}
		for _, e := range page {
			if len(out) == limit {
				break
			}
			if e.Group != "" && taken[e.Group] {
				continue
			}
			taken[e.Group] = true
			out = append(out, e)
		}
		if len(page) < newPage {
			break
		}
	}
	return out, nil
}

// The queue queries. Their WHERE repeats the partial indexes' conditions so
// that SQLite uses them: a walk down (deck, due) or (deck, file, line) that
// stops at the limit, whatever the size of the collection.
const (
	qDue = selectEntry + ` WHERE deck = ? AND status = 'active' AND orphan = 0 AND due <= ?
		AND buried_until <= ? ORDER BY due, rowid LIMIT ?`
	qNew = selectEntry + ` WHERE deck = ? AND status = 'active' AND orphan = 0 AND due IS NULL
		AND buried_until <= ? ORDER BY file, line LIMIT ? OFFSET ?`
	qLearn = selectEntry + ` WHERE deck = ? AND status = 'active' AND orphan = 0 AND learn_due IS NOT NULL
		AND learn_due >= ? AND learn_due < ? AND buried_until <= ? ORDER BY learn_due`
	// qSiblings finds what an answer buries: the group's other cards that
	// today's session would show.
	qSiblings = `SELECT id FROM cards WHERE grp = ? AND id != ? AND status = 'active' AND orphan = 0
		AND buried_until <= ? AND (due IS NULL OR due <= ?) AND (learn_due IS NULL OR learn_due < ?)`
)

// scope is where a queue query looks: a deck, or one of its subdecks.
type scope struct{ deck, subdeck string }

func (sc scope) String() string {
	if sc.subdeck != "" {
		return fmt.Sprintf("subdeck %q", sc.subdeck)
	}
	return fmt.Sprintf("deck %q", sc.deck)
}

// scopes are where the queue queries of a deck look: the deck, or the
// subdecks of it the queue takes.
func (d *deckLimits) scopes() []scope {
	if d.subdecks == nil {
		return []scope{{deck: d.name}}
	}
	out := make([]scope, len(d.subdecks))
	for i, sub := range d.subdecks {
		out[i] = scope{d.name, sub}
	}
	return out
}

// query returns the queue query q (qLearn, qDue or qNew) as it looks in
// the scope, and the arguments that come first.
func (sc scope) query(q string) (string, []any) {
	if sc.subdeck == "" {
		return q, []any{sc.deck}
	}
	return inSubdeck[q], []any{sc.deck, sc.subdeck}
}

// inSubdeck holds the queue queries narrowed to a subdeck, which
// cards_sub_due and cards_sub_new serve as cards_due and cards_new serve
// the deck's (and cards_learn the learning cards of the deck, few).
var inSubdeck = func() map[string]string {
	const deck = "WHERE deck = ?"
	out := map[string]string{}
	for _, q := range []string{qLearn, qDue, qNew} {
		if !strings.Contains(q, deck) {
			panic("queue query without " + deck + ": " + q)
		}
		out[q] = strings.Replace(q, deck, deck+" AND subdeck = ?", 1)
	}
	return out
}()

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

// limits returns the decks a queue draws from, with what is left today
// of their limits and of the queue's own.
func (s *Store) limits(ctx context.Context, q QueueOptions, today int64) ([]*deckLimits, queueCap, error) {
	none := queueCap{-1, -1}
	if q.NewLimit != nil && *q.NewLimit < 0 || q.ReviewLimit != nil && *q.ReviewLimit < 0 {
		return nil, none, fmt.Errorf("queue: negative daily limit: %w", card.ErrInvalid)
	}
	all, err := s.deckSettings(ctx)
	if err != nil {
		return nil, none, fmt.Errorf("queue: %w", err)
	}
	// The limits of the queue as a whole, if any.
	var capNew, capReviews *int
	if q.Deck == "" {
		coll, err := s.CollectionLimits(ctx)
		if err != nil {
			return nil, none, fmt.Errorf("queue: %w", err)
		}
		capNew, capReviews = coll.New, coll.Reviews
	}
	var sel *selection
	if q.Deck != "" {
		if sel, err = s.selectDecks(ctx, q.Deck); err != nil {
			return nil, none, err
		}
	}
	byName := map[string]*deckLimits{}
	var decks []*deckLimits
	for _, d := range all {
		dl := &deckLimits{name: d.Name, newLimit: d.New.N, revLimit: d.Reviews.N}
		if sel != nil {
			if !slices.Contains(sel.whole, d.Name) {
				if dl.subdecks = sel.parts[d.Name]; dl.subdecks == nil {
					continue
				}
			}
			if d.Name == sel.exact {
				capNew, capReviews = &d.New.N, &d.Reviews.N
			}
		}
		decks = append(decks, dl)
		byName[dl.name] = dl
	}
	if q.NewLimit != nil {
		capNew = q.NewLimit
		for _, d := range decks {
			d.newLimit = *q.NewLimit
		}
	}
	if q.ReviewLimit != nil {
		capReviews = q.ReviewLimit
		for _, d := range decks {
			d.revLimit = *q.ReviewLimit
		}
	}
	rows, err := s.db.QueryContext(ctx, `SELECT c.deck, coalesce(sum(r.b_last IS NULL), 0), coalesce(sum(r.b_last IS NOT NULL), 0)
		FROM reviews r JOIN cards c ON c.id = r.card_id
		WHERE r.day = ? AND r.redrill = 0 GROUP BY c.deck`, today)
	if err != nil {
		return nil, none, fmt.Errorf("queue: %w", dbErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		var n, r int
		if err := rows.Scan(&name, &n, &r); err != nil {
			return nil, none, fmt.Errorf("queue: %w", dbErr(err))
		}
		if d := byName[name]; d != nil {
			d.newDone, d.reviewsDone = n, r
		}
	}
	if err := rows.Err(); err != nil {
		return nil, none, fmt.Errorf("queue: %w", dbErr(err))
	}
	limit := none
	if capNew != nil {
		limit.newLeft = *capNew
	}
	if capReviews != nil {
		limit.reviewsLeft = *capReviews
	}
	for _, d := range decks {
		d.newLeft = max(d.newLimit-d.newDone, 0)
		d.reviewsLeft = max(d.revLimit-d.reviewsDone, 0)
		if limit.newLeft >= 0 {
			limit.newLeft = max(limit.newLeft-d.newDone, 0)
		}
		if limit.reviewsLeft >= 0 {
			limit.reviewsLeft = max(limit.reviewsLeft-d.reviewsDone, 0)
		}
	}
	return decks, limit, nil
}

// Answer grades a card: its new schedule and the logged review, in one
// transaction. A card whose lapses this answer brings to srs.LeechLapses is
// suspended and tagged LeechTag. A card graded below good enters today's
// learning steps (srs.Scheduler.Learn) and is due again minutes later; an
// answer to a card in learning, or with redrill set, is a re-drill (SM-2's
// rule 7): logged, moving the learning steps, leaving the SM-2 schedule as
// it was. A card's first answer of the day buries its siblings (cards of
// the same list or note) that would show today, until tomorrow.
func (s *Store) Answer(ctx context.Context, id string, g card.Grade, took time.Duration, redrill bool) (card.Answer, error) {
	var a card.Answer
	if !g.Valid() {
		return a, &card.Error{ID: id, Err: fmt.Errorf("grade %d is not 0–5: %w", g, card.ErrInvalid)}
	}
	now := s.now()
	today := s.today(now)
	loc := now.Location()
	sc := srs.Scheduler{Rollover: s.Rollover}
	start, end := srs.DayBounds(now, s.Rollover)
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var status, tags, grp, deck string
		var orphan bool
		var due, last, learnDue sql.NullInt64
		var stability, difficulty sql.NullFloat64
		b := &a.Before
		err := tx.QueryRowContext(ctx, `SELECT status, tags, grp, deck, orphan, reps, ef, interval, due, lapses, last_review, learn_due, learn_step,
			stability, difficulty FROM cards WHERE id = ?`, id).
			Scan(&status, &tags, &grp, &deck, &orphan, &b.Reps, &b.EF, &b.Interval, &due, &b.Lapses, &last, &learnDue, &b.LearnStep,
				&stability, &difficulty)
		if err == sql.ErrNoRows {
			return card.ErrNotFound
		}
		if err != nil {
			return err
		}
		// An orphan is still answered: the card may have left its notes
		// while it was on screen, and the answer happened.
		b.Due, b.Last, b.LearnDue = fromDueDay(due, loc), fromNanos(last, loc), fromNanos(learnDue, loc)
		b.Stability, b.Difficulty = stability.Float64, difficulty.Float64
		sched, err := schedulingOf(ctx, tx, deck)
		if err != nil {
			return err
		}
		if sched.FSRS {
			b.FSRS, b.Retention, b.Weights = true, sched.Retention, sched.Weights
		}
		redrill = redrill || b.Learning(start, end)
		a.After = a.Before
		switch {
		case b.FSRS:
			// FSRS learns from every answer: a same-day one takes its
			// short-term update, and only a review moves the schedule.
			var history []srs.FSRSReview
			if b.Stability == 0 {
				if history, err = fsrsHistory(ctx, tx, id, s.Rollover, loc); err != nil {
					return err
				}
			}
			next, m := sc.NextFSRS(a.Before, history, id, g, now, true)
			if redrill {
				a.After.Stability, a.After.Difficulty = m.Stability, m.Difficulty
			} else {
				a.After = next
			}
		case !redrill:
			a.After = sc.Next(a.Before, g, now)
		}
		a.After = sc.Learn(a.After, g, now)
		af := a.After
		_, err = tx.ExecContext(ctx, `UPDATE cards SET reps = ?, ef = ?, interval = ?, due = ?, lapses = ?, last_review = ?,
			learn_due = ?, learn_step = ?, stability = ?, difficulty = ? WHERE id = ?`,
			af.Reps, af.EF, af.Interval, dueDay(af.Due), af.Lapses, nanos(af.Last), nanos(af.LearnDue), af.LearnStep,
			nullFloat(af.Stability), nullFloat(af.Difficulty), id)
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
			if _, err := tx.ExecContext(ctx, `UPDATE cards SET status = 'suspended', tags = ?, learn_due = NULL WHERE id = ?`, newTags, id); err != nil {
				return err
			}
			undoStatus, undoTags = status, tags
		}
		if !redrill && !orphan && grp != "" {
			if a.Buried, err = burySiblings(ctx, tx, grp, id, today, start); err != nil {
				return err
			}
		}
		buried := jsonList(a.Buried)
		r, err := tx.ExecContext(ctx, `INSERT INTO reviews (card_id, time, day, grade, took_ms, redrill,
			b_reps, b_ef, b_interval, b_due, b_lapses, b_last,
			a_reps, a_ef, a_interval, a_due, a_lapses, a_last, leech, undo_status, undo_tags,
			b_learn_due, b_learn_step, buried_siblings, b_stability, b_difficulty)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			id, now.UnixNano(), today, int(g), max(took.Milliseconds(), 0), redrill,
			b.Reps, b.EF, b.Interval, dueDay(b.Due), b.Lapses, nanos(b.Last),
			af.Reps, af.EF, af.Interval, dueDay(af.Due), af.Lapses, nanos(af.Last),
			a.Leech, undoStatus, undoTags,
			nanos(b.LearnDue), b.LearnStep, buried, nullFloat(b.Stability), nullFloat(b.Difficulty))
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

// burySiblings buries until tomorrow the cards of group grp, but id, that
// today's session would show: new or due, not hidden, not learning today.
// Seeing one card of a list answers the others, so they wait a day.
func burySiblings(ctx context.Context, tx *sql.Tx, grp, id string, today int64, dayStart time.Time) ([]string, error) {
	rows, err := tx.QueryContext(ctx, qSiblings, grp, id, today, today, dayStart.UnixNano())
	if err != nil {
		return nil, err
	}
	var ids []string
	for rows.Next() {
		var sib string
		if err := rows.Scan(&sib); err != nil {
			rows.Close()
			return nil, err
		}
		ids = append(ids, sib)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, sib := range ids {
		if _, err := tx.ExecContext(ctx, `UPDATE cards SET buried_until = ? WHERE id = ?`, today+1, sib); err != nil {
			return nil, err
		}
	}
	return ids, nil
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
	return jsonList(append(tags, tag)), nil
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
		var learnDue sql.NullInt64
		var day int64
		var buried string
		var stability, difficulty sql.NullFloat64
		err := tx.QueryRowContext(ctx, `SELECT card_id, day, b_reps, b_ef, b_interval, b_due, b_lapses, b_last, leech, undo_status, undo_tags,
			b_learn_due, b_learn_step, buried_siblings, b_stability, b_difficulty
			FROM reviews WHERE id = ?`, reviewID).
			Scan(&id, &day, &st.Reps, &st.EF, &st.Interval, &due, &st.Lapses, &last, &leech, &undoStatus, &undoTags,
				&learnDue, &st.LearnStep, &buried, &stability, &difficulty)
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
		_, err = tx.ExecContext(ctx, `UPDATE cards SET reps = ?, ef = ?, interval = ?, due = ?, lapses = ?, last_review = ?,
			learn_due = ?, learn_step = ?, stability = ?, difficulty = ? WHERE id = ?`,
			st.Reps, st.EF, st.Interval, due, st.Lapses, last, learnDue, st.LearnStep, stability, difficulty, id)
		if err != nil {
			return err
		}
		// The siblings the answer buried come back, unless buried since
		// for another reason (their bury would then end later).
		_, err = tx.ExecContext(ctx, `UPDATE cards SET buried_until = 0
			WHERE id IN (SELECT value FROM json_each(?)) AND buried_until = ?`, buried, day+1)
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
			// The card is back, from no file, and a sync planning now
			// must see it.
			if _, err := tx.ExecContext(ctx, `INSERT INTO subdecks (deck, name, cards) SELECT deck, subdeck, 1 FROM cards WHERE id = ?
				ON CONFLICT (deck, name) DO UPDATE SET cards = cards + 1`, id); err != nil {
				return err
			}
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
	var n int
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		n, err = streak(ctx, tx, s.today(s.now()), `1`, nil)
		return err
	})
	if err != nil {
		return 0, dbErr(err)
	}
	return n, nil
}

// streak is Streak of the reviews (r) that cond, with its args, selects.
func streak(ctx context.Context, tx *sql.Tx, today int64, cond string, args []any) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT r.day FROM reviews r INDEXED BY reviews_day WHERE r.day <= ? AND `+cond+` ORDER BY r.day DESC`,
		append([]any{today}, args...)...)
	if err != nil {
		return 0, fmt.Errorf("streak: %w", err)
	}
	defer rows.Close()
	n := 0
	want := today
	for rows.Next() {
		var day int64
		if err := rows.Scan(&day); err != nil {
			return 0, fmt.Errorf("streak: %w", err)
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
		return 0, fmt.Errorf("streak: %w", err)
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
		sel, err := s.selectDecks(ctx, deck)
		if err != nil {
			return time.Time{}, err
		}
		w, a := sel.sql()
		q += ` AND ` + w
		args = append(args, a...)
	}
	var day sql.NullInt64
	if err := s.db.QueryRowContext(ctx, q, args...).Scan(&day); err != nil {
		return time.Time{}, fmt.Errorf("next due: %w", dbErr(err))
	}
	return fromDueDay(day, now.Location()), nil
}

// nullFloat stores a float that zero means is not there as NULL.
func nullFloat(f float64) sql.NullFloat64 { return sql.NullFloat64{Float64: f, Valid: f != 0} }

// withScheduling tells each entry of lists which scheduler its deck
// studies with, for the session's previews.
func (s *Store) withScheduling(ctx context.Context, lists ...[]card.Entry) error {
	seen := map[string]Scheduling{}
	var base *Scheduling
	for _, es := range lists {
		for i := range es {
			sc, ok := seen[es[i].Deck]
			if !ok {
				if base == nil {
					b, err := collectionScheduling(ctx, s.db)
					if err != nil {
						return err
					}
					base = &b
				}
				var err error
				if sc, err = deckScheduling(ctx, s.db, *base, es[i].Deck); err != nil {
					return err
				}
				seen[es[i].Deck] = sc
			}
			if sc.FSRS {
				es[i].State.FSRS, es[i].State.Retention, es[i].State.Weights = true, sc.Retention, sc.Weights
			}
		}
	}
	return nil
}
