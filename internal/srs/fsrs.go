package srs

import (
	"errors"
	"hash/fnv"
	"math"
	"time"

	"github.com/recall-cli/recall/internal/card"
)

// This file is FSRS-6, the model of open-spaced-repetition's fsrs-rs 5.x
// and py-fsrs 6.x, as pure functions: a memory state, a rating 1..4 (the
// button: card.Grade.Button) and the days since the last review give the
// next memory state and the interval to the next review. Nothing here
// reads the clock or keeps state between calls.

// FSRSWeights are the 21 parameters w0…w20 of FSRS-6.
type FSRSWeights [21]float64

// DefaultFSRSWeights are FSRS-6's published defaults, DEFAULT_PARAMETERS of
// fsrs-rs 5.x and py-fsrs 6.x (w20, the decay, is 0.1542).
var DefaultFSRSWeights = FSRSWeights{
	0.212, 1.2931, 2.3065, 8.2956, // w0–w3: initial stability for again … easy
	6.4133, 0.8334, // w4, w5: initial difficulty
	3.0194, 0.001, // w6: difficulty step, w7: mean reversion
	1.8722, 0.1666, 0.796, // w8–w10: stability after a success
	1.4835, 0.0614, 0.2629, 1.6483, // w11–w14: stability after a lapse
	0.6014, 1.8729, // w15: hard penalty, w16: easy bonus
	0.5425, 0.0912, 0.0658, // w17–w19: same-day reviews
	0.1542, // w20: decay of the forgetting curve
}

// DefaultRetention is the probability of recall FSRS schedules for when
// none is set.
const DefaultRetention = 0.9

// Bounds of the memory state, as fsrs-rs clamps it.
const (
	MinStability  = 0.001 // days
	MaxStability  = 36500 // days
	MinDifficulty = 1.0
	MaxDifficulty = 10.0
)

// Memory is FSRS's memory state of a card. The zero Memory is a card FSRS
// has never seen: its first review starts the state from the rating.
type Memory struct {
	Stability  float64 `json:"stability"`  // days until recall falls to 90%
	Difficulty float64 `json:"difficulty"` // 1 (easy) … 10 (hard)
}

// IsZero reports whether m is the memory of a card never reviewed.
func (m Memory) IsZero() bool { return m.Stability == 0 && m.Difficulty == 0 }

// FSRSReview is one review of a history to replay: the days since the
// review before it (0 for the first, or for another the same day) and the
// rating, 1..4.
type FSRSReview struct {
	Elapsed int
	Rating  int
}

// FSRS is FSRS-6 with its parameters. A zero field takes its default:
// DefaultFSRSWeights, DefaultRetention, MaxInterval.
type FSRS struct {
	Weights     FSRSWeights
	Retention   float64 // desired retention, in (0, 1]
	MaxInterval int     // days
}

func (f FSRS) weights() *FSRSWeights {
	if f.Weights == (FSRSWeights{}) {
		return &DefaultFSRSWeights
	}
	return &f.Weights
}

func (f FSRS) retention() float64 {
	if f.Retention <= 0 || f.Retention > 1 || math.IsNaN(f.Retention) {
		return DefaultRetention
	}
	return f.Retention
}

func (f FSRS) maxInterval() int {
	if f.MaxInterval <= 0 {
		return MaxInterval
	}
	return f.MaxInterval
}

// decay and factor shape the forgetting curve: R(t, S) = (1 + factor·t/S)^decay,
// with factor chosen so that R(S, S) = 0.9.
func (w *FSRSWeights) decay() float64  { return -w[20] }
func (w *FSRSWeights) factor() float64 { return math.Pow(0.9, 1/w.decay()) - 1 }

// forgetting is the power forgetting curve: the probability of recall t days
// after a review that left stability s.
func (w *FSRSWeights) forgetting(t, s float64) float64 {
	return math.Pow(1+w.factor()*t/s, w.decay())
}

func (w *FSRSWeights) initStability(rating int) float64 { return w[rating-1] }

// initDifficulty is D0(G) = w4 − e^(w5·(G−1)) + 1, unclamped: mean reversion
// pulls toward D0(4), which may lie below 1.
func (w *FSRSWeights) initDifficulty(rating int) float64 {
	return w[4] - math.Exp(w[5]*float64(rating-1)) + 1
}

// nextDifficulty moves d by −w6·(G−3), damped linearly as d nears 10.
func (w *FSRSWeights) nextDifficulty(d float64, rating int) float64 {
	delta := -w[6] * float64(rating-3)
	return d + (10-d)*delta/9
}

func (w *FSRSWeights) meanReversion(d float64) float64 {
	return w[7]*(w.initDifficulty(4)-d) + d
}

func (w *FSRSWeights) stabilityAfterSuccess(s, d, r float64, rating int) float64 {
	hard, easy := 1.0, 1.0
	switch rating {
	case 2:
		hard = w[15]
	case 4:
		easy = w[16]
	}
	return s * (1 + math.Exp(w[8])*(11-d)*math.Pow(s, -w[9])*math.Expm1((1-r)*w[10])*hard*easy)
}

// stabilityAfterFailure never exceeds s / e^(w17·w18), the stability a
// same-day again would leave.
func (w *FSRSWeights) stabilityAfterFailure(s, d, r float64) float64 {
	long := w[11] * math.Pow(d, -w[12]) * (math.Pow(s+1, w[13]) - 1) * math.Exp((1-r)*w[14])
	return min(long, s/math.Exp(w[17]*w[18]))
}

// stabilityShortTerm is the update of a review on the day of the one
// before: S·e^(w17·(G−3+w18))·S^(−w19), never a loss for good or easy.
func (w *FSRSWeights) stabilityShortTerm(s float64, rating int) float64 {
	sinc := math.Exp(w[17]*(float64(rating)-3+w[18])) * math.Pow(s, -w[19])
	if rating >= 3 {
		sinc = max(sinc, 1)
	}
	return s * sinc
}

func clampRating(rating int) int { return min(max(rating, 1), 4) }

func clampStability(s float64) float64 { return min(max(s, MinStability), MaxStability) }

func clampDifficulty(d float64) float64 { return min(max(d, MinDifficulty), MaxDifficulty) }

// Step returns the memory after a review rated rating (1 again … 4 easy;
// others count as the nearest) elapsedDays after the review before. The
// zero Memory starts from the rating; a review the same day (elapsedDays
// 0, or less) takes the short-term update.
func (f FSRS) Step(m Memory, elapsedDays, rating int) Memory {
	w := f.weights()
	g := clampRating(rating)
	if m.IsZero() {
		return Memory{
			Stability:  clampStability(w.initStability(g)),
			Difficulty: clampDifficulty(w.initDifficulty(g)),
		}
	}
	s, d := clampStability(m.Stability), clampDifficulty(m.Difficulty)
	var next float64
	switch {
	case elapsedDays <= 0:
		next = w.stabilityShortTerm(s, g)
	case g == 1:
		next = w.stabilityAfterFailure(s, d, w.forgetting(float64(elapsedDays), s))
	default:
		next = w.stabilityAfterSuccess(s, d, w.forgetting(float64(elapsedDays), s), g)
	}
	return Memory{
		Stability:  clampStability(next),
		Difficulty: clampDifficulty(w.meanReversion(w.nextDifficulty(d, g))),
	}
}

// Next returns the memory after a review (as Step) and the interval, in
// days, to the next one, unfuzzed.
func (f FSRS) Next(m Memory, elapsedDays, rating int) (Memory, int) {
	next := f.Step(m, elapsedDays, rating)
	return next, f.Interval(next.Stability)
}

// NextFuzzed is Next with the interval fuzzed as Anki fuzzes it; fuzz is
// a number in [0, 1), such as FuzzFactor gives for a card.
func (f FSRS) NextFuzzed(m Memory, elapsedDays, rating int, fuzz float64) (Memory, int) {
	next := f.Step(m, elapsedDays, rating)
	return next, Fuzz(f.RawInterval(next.Stability), fuzz, 1, f.maxInterval())
}

// RawInterval returns the days after which recall of a memory of the
// given stability falls to the desired retention, unrounded:
// S/factor·(r^(1/decay) − 1).
func (f FSRS) RawInterval(stability float64) float64 {
	w := f.weights()
	return stability / w.factor() * (math.Pow(f.retention(), 1/w.decay()) - 1)
}

// Interval returns RawInterval rounded to whole days, at least 1 and at
// most the maximum interval.
func (f FSRS) Interval(stability float64) int {
	iv := math.Round(f.RawInterval(stability))
	if math.IsNaN(iv) {
		return 1
	}
	return int(min(max(iv, 1), float64(f.maxInterval())))
}

// Retrievability returns the probability of recalling a card of memory m
// elapsedDays after its last review; 0 for a card never reviewed.
func (f FSRS) Retrievability(m Memory, elapsedDays float64) float64 {
	if m.IsZero() {
		return 0
	}
	return f.weights().forgetting(max(elapsedDays, 0), m.Stability)
}

// ElapsedDays returns the days FSRS counts from a review at last to one at
// now: whole study days (see Day, in now's location), so that a review
// the same study day counts 0 whatever the hours between, and a DST change
// moves nothing. A now before last counts 0.
func ElapsedDays(last, now time.Time, rollover int) int {
	a, b := Day(last.In(now.Location()), rollover), Day(now, rollover)
	da := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	db := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	return max(int(db.Sub(da)/(24*time.Hour)), 0)
}

// Replay returns the memory after the reviews of a history, in order,
// starting from start (the zero Memory for a card first seen at the first
// of them).
func (f FSRS) Replay(start Memory, reviews []FSRSReview) Memory {
	m := start
	for _, r := range reviews {
		m = f.Step(m, r.Elapsed, r.Rating)
	}
	return m
}

// ErrFSRSInput reports SM-2 values from which no memory state follows, such
// as a retention outside (0, 1).
var ErrFSRSInput = errors.New("no FSRS memory state for these values")

// FromSM2 derives a memory state from an SM-2 interval (days) and ease
// factor, as Anki does when a collection switches to FSRS: the stability
// is the one whose interval at sm2Retention (the retention SM-2 achieved;
// DefaultRetention when unknown) equals the SM-2 interval, and the
// difficulty the one whose stability increase after a success at that
// retention equals the ease.
func (f FSRS) FromSM2(ease float64, interval int, sm2Retention float64) (Memory, error) {
	if !(sm2Retention > 0 && sm2Retention < 1) {
		return Memory{}, ErrFSRSInput
	}
	w := f.weights()
	s := max(float64(interval), MinStability) * w.factor() / (math.Pow(sm2Retention, 1/w.decay()) - 1)
	d := 11 - (ease-1)/(math.Exp(w[8])*math.Pow(s, -w[9])*math.Expm1((1-sm2Retention)*w[10]))
	if math.IsNaN(s) || math.IsInf(s, 0) || math.IsNaN(d) || math.IsInf(d, 0) {
		return Memory{}, ErrFSRSInput
	}
	return Memory{Stability: s, Difficulty: clampDifficulty(d)}, nil
}

// FromState derives a memory state from a card's SM-2 state (FromSM2 at
// DefaultRetention); the zero Memory for a card never reviewed.
func (f FSRS) FromState(s card.State) Memory {
	if s.Interval <= 0 || s.Last.IsZero() {
		return Memory{}
	}
	ef := s.EF
	if ef == 0 {
		ef = InitialEF
	}
	m, err := f.FromSM2(ef, s.Interval, DefaultRetention)
	if err != nil {
		return Memory{}
	}
	return m
}

// fuzzRanges are Anki's: an interval is fuzzed by 1 day plus, for each of
// its days in a range, the range's factor.
var fuzzRanges = [...]struct{ start, end, factor float64 }{
	{2.5, 7, 0.15},
	{7, 20, 0.1},
	{20, math.Inf(1), 0.05},
}

func fuzzDelta(interval float64) float64 {
	if interval < 2.5 {
		return 0
	}
	delta := 1.0
	for _, r := range fuzzRanges {
		delta += r.factor * max(min(interval, r.end)-r.start, 0)
	}
	return delta
}

// FuzzBounds returns the whole days a fuzzed interval may take, within
// [minimum, maximum]: Anki's constrained_fuzz_bounds. Where the range
// collapses to one day above 2 it is widened by one, if maximum allows.
func FuzzBounds(interval float64, minimum, maximum int) (lower, upper int) {
	minimum = min(minimum, maximum)
	interval = min(max(interval, float64(minimum)), float64(maximum))
	delta := fuzzDelta(interval)
	lower = min(max(int(math.Round(interval-delta)), minimum), maximum)
	upper = min(max(int(math.Round(interval+delta)), minimum), maximum)
	if upper == lower && upper > 2 && upper < maximum {
		upper = lower + 1
	}
	return lower, upper
}

// Fuzz returns interval fuzzed as Anki fuzzes it: fuzz, in [0, 1), picks
// a day uniformly from FuzzBounds.
func Fuzz(interval, fuzz float64, minimum, maximum int) int {
	lower, upper := FuzzBounds(interval, minimum, maximum)
	fuzz = min(max(fuzz, 0), math.Nextafter(1, 0))
	return lower + int(math.Floor(fuzz*float64(upper-lower+1)))
}

// FuzzFactor returns the fuzz for a card's review: a number in [0, 1)
// that depends only on the card's id and its count of reviews, as Anki
// seeds it from the card id and reps, so that a schedule is reproducible
// and siblings reviewed together spread apart.
func FuzzFactor(cardID string, reps int) float64 {
	h := fnv.New64a()
	h.Write([]byte(cardID))
	x := h.Sum64() + uint64(reps)
	// splitmix64's finaliser, so that consecutive reps give unrelated fuzz.
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	x ^= x >> 31
	return float64(x>>11) / (1 << 53)
}
