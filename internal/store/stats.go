package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/recall-cli/recall/internal/srs"
)

// Stats windows and thresholds, as Anki's statistics use them.
const (
	CalendarDays  = 365 // the review calendar: today and the 364 days before
	ForecastDays  = 30  // the forecast: today (with the backlog) and the 29 days after
	RetentionDays = 30  // true retention: today and the 29 days before
	WeekDays      = 7   // "this week": today and the 6 days before
	MatureDays    = 21  // a card whose interval is this or more is mature
)

// Stats is what `recall stats` shows of a deck, or of the collection.
type Stats struct {
	Today time.Time // the study day the figures end on

	// Calendar counts the answers of each study day (re-drills too), of
	// the CalendarDays ending today: Calendar[CalendarDays-1] is today.
	Calendar [CalendarDays]int
	// Forecast counts the cards due on each of the ForecastDays starting
	// today; today's count holds the backlog (cards overdue).
	Forecast [ForecastDays]int

	// Young and Mature are the true retention of the RetentionDays ending
	// today: the first answer of a day to a card answered on an earlier
	// day, re-drills aside, split by the interval it had then.
	Young, Mature Retention

	Cards StateCounts

	ReviewsToday int           // answers today, re-drills too
	TimeToday    time.Duration // time spent on them
	TimeWeek     time.Duration // time spent on the WeekDays ending today
	Streak       int           // see Store.Streak
}

// Retention counts the reviews that passed (graded 3 or more) and failed.
type Retention struct {
	Passed, Failed int
}

// Rate is the share of reviews passed, and false when there were none.
func (r Retention) Rate() (float64, bool) {
	n := r.Passed + r.Failed
	if n == 0 {
		return 0, false
	}
	return float64(r.Passed) / float64(n), true
}

// Add is the sum of two retentions.
func (r Retention) Add(o Retention) Retention {
	return Retention{r.Passed + o.Passed, r.Failed + o.Failed}
}

// StateCounts counts cards by state. Every card is in one state, the first
// that applies: orphan, suspended, buried (until a later day), new (never
// answered), learning (answered but never passed since its last lapse, or
// in today's learning steps), mature (interval MatureDays or more), young.
type StateCounts struct {
	New, Learning, Young, Mature, Suspended, Buried, Orphans int
}

// Total counts the cards but the orphans, as Status does.
func (c StateCounts) Total() int {
	return c.New + c.Learning + c.Young + c.Mature + c.Suspended + c.Buried
}

// Stats gathers the statistics of the cards deck selects (see
// Filter.Deck), every card when it is "". It reads the review log of the
// last CalendarDays through its day index, and the cards once.
func (s *Store) Stats(ctx context.Context, deck string) (Stats, error) {
	now := s.now()
	today := s.today(now)
	st := Stats{Today: srs.Day(now, s.Rollover)}
	where, args := "1", []any(nil)
	if deck != "" {
		sel, err := s.selectDecks(ctx, deck)
		if err != nil {
			return st, err
		}
		where, args = sel.sql()
	}
	reviewsWhere := "1"
	if deck != "" {
		reviewsWhere = ofCards(where)
	}
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		first := today - CalendarDays + 1
		q := statsQueries(reviewsWhere, where)
		rows, err := tx.QueryContext(ctx, q.calendar, append([]any{first, today}, args...)...)
		if err != nil {
			return fmt.Errorf("calendar: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var day, tookMS int64
			var n int
			if err := rows.Scan(&day, &n, &tookMS); err != nil {
				return fmt.Errorf("calendar: %w", err)
			}
			st.Calendar[day-first] = n
			took := time.Duration(tookMS) * time.Millisecond
			if day == today {
				st.ReviewsToday, st.TimeToday = n, took
			}
			if day > today-WeekDays {
				st.TimeWeek += took
			}
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("calendar: %w", err)
		}

		// The first answer of its day is the one no earlier answer of the
		// same card and day precedes (reviews_card finds those).
		err = tx.QueryRowContext(ctx, q.retention, append([]any{today - RetentionDays + 1, today, MatureDays}, args...)...).
			Scan(&st.Young.Passed, &st.Young.Failed, &st.Mature.Passed, &st.Mature.Failed)
		if err != nil {
			return fmt.Errorf("retention: %w", err)
		}

		rows, err = tx.QueryContext(ctx, q.forecast, append([]any{today, ForecastDays}, args...)...)
		if err != nil {
			return fmt.Errorf("forecast: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var day int64
			var n int
			if err := rows.Scan(&day, &n); err != nil {
				return fmt.Errorf("forecast: %w", err)
			}
			st.Forecast[day-today] = n
		}
		if err := rows.Err(); err != nil {
			return fmt.Errorf("forecast: %w", err)
		}

		start, end := srs.DayBounds(now, s.Rollover)
		c := &st.Cards
		err = tx.QueryRowContext(ctx, q.counts,
			append([]any{today, start.UnixNano(), end.UnixNano(), MatureDays}, args...)...).
			Scan(&c.New, &c.Learning, &c.Young, &c.Mature, &c.Suspended, &c.Buried, &c.Orphans)
		if err != nil {
			return fmt.Errorf("cards: %w", err)
		}

		st.Streak, err = streak(ctx, tx, today, reviewsWhere, args)
		return err
	})
	if err != nil {
		return Stats{}, fmt.Errorf("stats: %w", dbErr(err))
	}
	return st, nil
}

// ofCards is the condition that a review (r) is of a card that cond, a
// condition on the cards' deck and subdeck, selects. SQLite lists those
// cards' ids once and looks each review's card up in the list; a join
// would look each card up in the table. The queries name reviews_day
// (INDEXED BY): left to itself, SQLite may read every review of the
// listed cards, of every year, through reviews_card.
func ofCards(cond string) string {
	return `r.card_id IN (SELECT id FROM cards WHERE ` + cond + `)`
}

// statsSQL holds the queries of Stats.
type statsSQL struct {
	// calendar: answers and time by day, of days ?1 to ?2 (reviews_day).
	calendar string
	// retention: young passed and failed, mature passed and failed, of
	// days ?1 to ?2, mature from interval ?3 (reviews_day; reviews_card
	// finds the answer before, which must be of an earlier day: ids grow
	// with time).
	retention string
	// forecast: cards due by day from today ?1 (the backlog with it) for
	// ?2 days (cards_due).
	forecast string
	// counts: the cards by state, today ?1, learning steps from ?2 to ?3,
	// mature from interval ?4.
	counts string
}

// statsQueries are the queries of Stats for the reviews (r) that
// reviewsWhere selects and the cards that cardsWhere does, conditions with
// the same anonymous parameters.
func statsQueries(reviewsWhere, cardsWhere string) statsSQL {
	return statsSQL{
		calendar: `SELECT r.day, count(*), sum(r.took_ms) FROM reviews r INDEXED BY reviews_day
			WHERE r.day BETWEEN ?1 AND ?2 AND ` + numbered(reviewsWhere, 3) + ` GROUP BY r.day`,
		retention: `SELECT
			coalesce(sum(r.b_interval < ?3 AND r.grade >= 3), 0), coalesce(sum(r.b_interval < ?3 AND r.grade < 3), 0),
			coalesce(sum(r.b_interval >= ?3 AND r.grade >= 3), 0), coalesce(sum(r.b_interval >= ?3 AND r.grade < 3), 0)
			FROM reviews r INDEXED BY reviews_day WHERE r.day BETWEEN ?1 AND ?2 AND r.redrill = 0 AND r.b_last IS NOT NULL
			AND (SELECT e.day FROM reviews e INDEXED BY reviews_card WHERE e.card_id = r.card_id AND e.id < r.id
				ORDER BY e.id DESC LIMIT 1) IS NOT r.day
			AND ` + numbered(reviewsWhere, 4),
		forecast: `SELECT max(due, ?1), count(*) FROM cards
			WHERE status = 'active' AND orphan = 0 AND due IS NOT NULL AND due < ?1 + ?2 AND ` + numbered(cardsWhere, 3) + `
			GROUP BY 1`,
		counts: `SELECT
			coalesce(sum(state = 'new'), 0), coalesce(sum(state = 'learning'), 0), coalesce(sum(state = 'young'), 0),
			coalesce(sum(state = 'mature'), 0), coalesce(sum(state = 'suspended'), 0), coalesce(sum(state = 'buried'), 0),
			coalesce(sum(state = 'orphan'), 0)
			FROM (SELECT CASE
				WHEN orphan = 1 THEN 'orphan'
				WHEN status = 'suspended' THEN 'suspended'
				WHEN buried_until > ?1 THEN 'buried'
				WHEN due IS NULL THEN 'new'
				WHEN reps = 0 OR (learn_due >= ?2 AND learn_due < ?3) THEN 'learning'
				WHEN interval >= ?4 THEN 'mature'
				ELSE 'young' END AS state
				FROM cards WHERE ` + numbered(cardsWhere, 5) + `)`,
	}
}

// numbered renumbers the anonymous parameters of a condition (?) from n,
// so that it can follow numbered ones (?1, ?2…) in a query.
func numbered(cond string, n int) string {
	out := make([]byte, 0, len(cond)+8)
	for i := 0; i < len(cond); i++ {
		out = append(out, cond[i])
		if cond[i] == '?' {
			out = fmt.Appendf(out, "%d", n)
			n++
		}
	}
	return string(out)
}

// readTx runs fn in a read transaction: the figures of one snapshot.
func (s *Store) readTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	return fn(tx)
}
