package srs

import (
	"time"

	"github.com/recall-cli/recall/internal/card"
)

// Preview returns the state a grade would leave, with the scheduler the
// card's deck studies with: FSRS-6 when s.FSRS, else SM-2. It is what the
// session's buttons show; FSRS's interval there is not fuzzed.
func (sc Scheduler) Preview(s card.State, g card.Grade, now time.Time) card.State {
	if !s.FSRS {
		return sc.Next(s, g, now)
	}
	next, _ := sc.NextFSRS(s, nil, "", g, now, false)
	return next
}

// NextFSRS returns the state after a review graded g at now under FSRS-6,
// and the memory it leaves. The card's memory is s.Stability and
// s.Difficulty; a card FSRS has not scheduled yet gets its memory from its
// review history (history, earlier answers in order) when it has one, else
// from SM-2's interval and ease as Anki derives it, else (a new card) from
// this first rating. The interval follows from the desired retention and
// is fuzzed, seeded by the card id and its reviews, when fuzz is set. As
// under SM-2, reps counts successes in a row and a failed review of a card
// recalled before is a lapse; SM-2's ease is left as it was.
func (sc Scheduler) NextFSRS(s card.State, history []FSRSReview, id string, g card.Grade, now time.Time, fuzz bool) (card.State, Memory) {
	f := FSRS{Retention: s.Retention}
	if s.Weights != nil {
		f.Weights = *s.Weights
	}
	m := Memory{Stability: s.Stability, Difficulty: s.Difficulty}
	if m.IsZero() {
		if len(history) > 0 {
			m = f.Replay(Memory{}, history)
		} else {
			m = f.FromState(s)
		}
	}
	elapsed := 0
	if !s.Last.IsZero() {
		elapsed = ElapsedDays(s.Last, now, sc.Rollover)
	}
	rating := g.Button()
	var days int
	if fuzz {
		m, days = f.NextFuzzed(m, elapsed, rating, FuzzFactor(id, s.Reps+s.Lapses))
	} else {
		m, days = f.Next(m, elapsed, rating)
	}
	next := s
	if g.Passed() {
		next.Reps = s.Reps + 1
	} else {
		if s.Reps > 0 {
			next.Lapses = s.Lapses + 1
		}
		next.Reps = 0
	}
	next.Interval = days
	day := Day(now, sc.Rollover)
	next.Due = midnight(day.Year(), day.Month(), day.Day()+days, day.Location())
	next.Last = now
	next.Stability, next.Difficulty = m.Stability, m.Difficulty
	return next, m
}
