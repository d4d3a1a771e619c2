// Package srs schedules reviews: SM-2 as recall's design states it (the
// convention of the supermemo2 3.x reference implementation), as pure
// functions of a state, a grade and the time of the review; and, beside
// it, FSRS-6 (fsrs.go), as pure functions of a memory state, a rating and
// the days since the last review, with an optimiser that fits FSRS-6's
// weights to a review history (optimize.go).
//
// It knows nothing of the collection or the command line: it must not import
// internal/store or internal/cli, and it never reads the clock itself.
package srs

import (
	"math"
	"time"

	"github.com/recall-cli/recall/internal/card"
)

// DefaultRollover is the hour, local time, at which a study day starts: a
// review at 03:59 still belongs to the previous day, as in Anki.
const DefaultRollover = 4

// LeechLapses is the number of lapses that makes a card a leech: the review
// that brings a card's lapses to it suspends the card and tags it "leech".
const LeechLapses = 8

// MaxInterval caps an interval, in days (about 100 years). SM-2 sets no
// ceiling; this one only keeps due dates representable and is never reached
// by a person studying at the pace the schedule asks for.
const MaxInterval = 36500

// Initial values of the SM-2 state.
const (
	InitialEF = 2.5 // easiness factor of a card never reviewed
	MinEF     = 1.3 // floor of the easiness factor
)

// efScale is the fixed point the easiness factor is computed in: SM-2's
// updates are multiples of 0.01, so micro-units keep every EF exact (2.5+0.1
// is 2.6, not 2.6000000000000001) while tolerating imported values.
const efScale = 1_000_000

// Day returns the study day now falls in: midnight, in now's location, of
// now's calendar date, or of the date before when now is earlier than the
// rollover hour.
func Day(now time.Time, rollover int) time.Time {
	y, m, d := now.Date()
	if now.Hour() < rollover {
		d--
	}
	return midnight(y, m, d, now.Location())
}

// midnight returns the first instant of a calendar date (day may be out of
// range, as for time.Date). Where a DST change skips midnight, time.Date
// gives an instant of the day before; the day then starts at the change.
func midnight(y int, m time.Month, d int, loc *time.Location) time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, loc)
	want := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Day()
	for t.Day() != want {
		t = t.Add(15 * time.Minute)
	}
	return t
}

// Scheduler is SM-2 with a configurable rollover hour.
type Scheduler struct {
	Rollover int // hour a study day starts, local time
}

// Next returns the state after a review graded g at time now, with the
// default rollover hour.
func Next(s card.State, g card.Grade, now time.Time) card.State {
	return Scheduler{Rollover: DefaultRollover}.Next(s, g, now)
}

// Next returns the state after a review graded g at time now. Grades
// outside 0..5 count as the nearest valid one; a state whose EF is zero
// counts as new.
//
//   - q ≥ 3: the interval becomes 1 after the first success in a row, 6
//     after the second, then ceil(interval × EF) with the EF before this
//     review's update; reps grows by one.
//   - q < 3: reps drops to 0 and the interval to 1; a card that had been
//     recalled (reps > 0) counts a lapse.
//   - after every review EF += 0.1 − (5−q)(0.08 + (5−q)·0.02), floor 1.3.
//   - the card is due interval calendar days after the study day of now.
func (sc Scheduler) Next(s card.State, g card.Grade, now time.Time) card.State {
	q := clampGrade(g)
	ef := efUnits(s.EF)
	next := s
	if q >= 3 {
		switch s.Reps {
		case 0:
			next.Interval = 1
		case 1:
			next.Interval = 6
		default:
			next.Interval = grow(s.Interval, ef)
		}
		next.Reps = s.Reps + 1
	} else {
		if s.Reps > 0 {
			next.Lapses = s.Lapses + 1
		}
		next.Reps = 0
		next.Interval = 1
	}
	d := int64(5 - q)
	// 0.1 − d(0.08 + 0.02d), in units of 0.01.
	ef += (10 - d*(8+2*d)) * (efScale / 100)
	ef = max(ef, MinEF*efScale)
	next.EF = float64(ef) / efScale
	// Calendar days, not 24-hour periods, so DST changes move nothing.
	day := Day(now, sc.Rollover)
	next.Due = midnight(day.Year(), day.Month(), day.Day()+next.Interval, day.Location())
	next.Last = now
	return next
}

// LearnSteps are the delays after which a card graded below good comes
// back the same day: Anki's default learning steps.
var LearnSteps = [...]time.Duration{time.Minute, 10 * time.Minute}

// LearnAhead is how far ahead a session shows learning cards when nothing
// else is left, so that it never waits on the clock (Anki's learn-ahead
// limit).
const LearnAhead = 20 * time.Minute

// DayBounds returns the first instant of the study day now is in and of
// the one after: the day runs from the rollover hour to the next.
func DayBounds(now time.Time, rollover int) (start, end time.Time) {
	day := Day(now, rollover)
	next := midnight(day.Year(), day.Month(), day.Day()+1, day.Location())
	hours := time.Duration(rollover) * time.Hour
	return day.Add(hours), next.Add(hours)
}

// Learn returns s with the learning state an answer graded g at now leaves
// (SM-2's rule 7: a card graded below 4 is repeated the same day until it
// is graded 4 or 5). Below good the card is due again after a learning
// step: again, or worse, starts the steps over; hard goes on to the next
// step if the card was learning already, and stays at the last one. Good
// or easy ends learning, and so does the day's rollover: a step that would
// end after it is not taken, and the next answer is an SM-2 review.
func (sc Scheduler) Learn(s card.State, g card.Grade, now time.Time) card.State {
	start, end := DayBounds(now, sc.Rollover)
	learning := s.Learning(start, end)
	s.LearnDue, s.LearnStep = time.Time{}, 0
	if g >= card.Good {
		return s
	}
	step := 0
	if g == card.Hard && learning {
		step = 1
	}
	if due := now.Add(LearnSteps[step]); due.Before(end) {
		s.LearnDue, s.LearnStep = due, step
	}
	return s
}

// grow returns ceil(interval × EF) with EF in micro-units, exactly, capped
// at MaxInterval.
func grow(interval int, ef int64) int {
	iv := int64(max(interval, 1))
	if iv >= MaxInterval {
		return MaxInterval
	}
	n := (iv*ef + efScale - 1) / efScale
	return int(min(n, MaxInterval))
}

func clampGrade(g card.Grade) int {
	return min(max(int(g), 0), 5)
}

// efUnits converts an easiness factor to micro-units; zero (a state that
// never went through NewState) and non-numbers count as the initial EF, and
// values below the floor as the floor.
func efUnits(ef float64) int64 {
	if ef == 0 || math.IsNaN(ef) || math.IsInf(ef, 0) {
		return InitialEF * efScale
	}
	// Far above any EF a person reaches (it grows by 0.1 a review), and
	// small enough that interval × EF cannot overflow.
	return int64(math.Round(min(max(ef, MinEF), 1e6) * efScale))
}
