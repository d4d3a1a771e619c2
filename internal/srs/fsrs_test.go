package srs

import (
	"math"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/card"
)

// The expected values below are the reference implementations' own test
// values: open-spaced-repetition/fsrs-rs (the 5.x line, whose
// DEFAULT_PARAMETERS are DefaultFSRSWeights) and py-fsrs 6.x, file and
// test named on each table. fsrs-rs computes in float32 and recall in float64; the two agree
// to 4 decimal places, which is what these tests check.

// near4 reports whether got and want agree to 4 decimal places.
func near4(got, want float64) bool { return math.Abs(got-want) < 5e-5 }

// fsrs5Params are the 19 parameters of fsrs-rs src/inference.rs's tests
// (PARAMETERS), filled to 21 as fsrs-rs's check_and_fill_parameters fills
// 19: w19 = 0, w20 = FSRS5_DEFAULT_DECAY (0.5).
var fsrs5Params = FSRSWeights{
	0.6845422, 1.6790825, 4.7349424, 10.042885, 7.4410233, 0.64219797, 1.071918,
	0.0025195254, 1.432437, 0.1544, 0.8692766, 2.0696752, 0.0953, 0.2975, 2.4691248,
	0.19542035, 3.201072, 0.18046261, 0.121442534, 0, 0.5,
}

// fsrs-rs src/model.rs, test_power_forgetting_curve.
func TestFSRSForgettingCurve(t *testing.T) {
	t.Parallel()
	tests := []struct{ t, s, want float64 }{
		{0, 1, 1.0}, {1, 2, 0.9403443}, {2, 3, 0.9253786},
		{3, 4, 0.9185229}, {4, 4, 0.9}, {5, 2, 0.8261359},
	}
	f := FSRS{}
	for _, tt := range tests {
		got := f.Retrievability(Memory{Stability: tt.s, Difficulty: 5}, tt.t)
		if !near4(got, tt.want) {
			t.Errorf("Retrievability(S=%v, %v) = %.7f, want %.7f", tt.s, tt.t, got, tt.want)
		}
	}
}

// fsrs-rs src/inference.rs, test_current_retrievability (decay 0.2).
func TestFSRSRetrievabilityDecay(t *testing.T) {
	t.Parallel()
	w := DefaultFSRSWeights
	w[20] = 0.2
	f := FSRS{Weights: w}
	for i, want := range []float64{1.0, 0.9, 0.84028935, 0.7985001} {
		got := f.Retrievability(Memory{Stability: 1, Difficulty: 5}, float64(i))
		if !near4(got, want) {
			t.Errorf("Retrievability(S=1, %d) = %.7f, want %.7f", i, got, want)
		}
	}
	if got := f.Retrievability(Memory{}, 3); got != 0 {
		t.Errorf("Retrievability(new card) = %v, want 0", got)
	}
}

// fsrs-rs src/model.rs, test_next_difficulty: from D = 5 for ratings 1..4,
// the damped step, then mean reversion toward D0(4).
func TestFSRSNextDifficulty(t *testing.T) {
	t.Parallel()
	w := &DefaultFSRSWeights
	step := []float64{8.354889, 6.6774445, 5.0, 3.3225555}
	reverted := []float64{8.341763, 6.6659956, 4.990228, 3.3144615}
	for g := 1; g <= 4; g++ {
		d := w.nextDifficulty(5, g)
		if !near4(d, step[g-1]) {
			t.Errorf("nextDifficulty(5, %d) = %.7f, want %.7f", g, d, step[g-1])
		}
		if got := w.meanReversion(d); !near4(got, reverted[g-1]) {
			t.Errorf("meanReversion(%v) = %.7f, want %.7f", d, got, reverted[g-1])
		}
	}
}

// fsrs-rs src/model.rs, test_next_stability: S = 5, D = 1..4, R = 0.9..0.6,
// ratings 1..4.
func TestFSRSNextStability(t *testing.T) {
	t.Parallel()
	w := &DefaultFSRSWeights
	r := []float64{0.9, 0.8, 0.7, 0.6}
	success := []float64{25.602541, 28.226582, 58.656002, 127.226685}
	failure := []float64{1.0525396, 1.1894329, 1.3680838, 1.584989}
	short := []float64{1.596818, 2.7470093, 5.0, 8.12961}
	for i := range 4 {
		g, d := i+1, float64(i+1)
		if got := w.stabilityAfterSuccess(5, d, r[i], g); !near4(got, success[i]) {
			t.Errorf("stabilityAfterSuccess(5, %v, %v, %d) = %.7f, want %.7f", d, r[i], g, got, success[i])
		}
		if got := w.stabilityAfterFailure(5, d, r[i]); !near4(got, failure[i]) {
			t.Errorf("stabilityAfterFailure(5, %v, %v) = %.7f, want %.7f", d, r[i], got, failure[i])
		}
		if got := w.stabilityShortTerm(5, g); !near4(got, short[i]) {
			t.Errorf("stabilityShortTerm(5, %d) = %.7f, want %.7f", g, got, short[i])
		}
	}
}

func TestFSRSReplay(t *testing.T) {
	t.Parallel()
	frozen := DefaultFSRSWeights
	frozen[17], frozen[18], frozen[19] = 0, 0, 0
	memoState := []FSRSReview{{0, 1}, {0, 3}, {1, 3}, {3, 3}, {8, 3}, {21, 3}}
	tests := []struct {
		name    string
		weights FSRSWeights
		start   Memory
		reviews []FSRSReview
		want    Memory
	}{
		// fsrs-rs src/model.rs, test_forward: six cards, two reviews each.
		{"test_forward again", DefaultFSRSWeights, Memory{}, []FSRSReview{{0, 1}, {1, 1}}, Memory{0.10088589, 8.806304}},
		{"test_forward hard", DefaultFSRSWeights, Memory{}, []FSRSReview{{0, 2}, {1, 2}}, Memory{3.2494123, 6.7404594}},
		{"test_forward good", DefaultFSRSWeights, Memory{}, []FSRSReview{{0, 3}, {1, 3}}, Memory{7.3153, 2.1112142}},
		{"test_forward easy", DefaultFSRSWeights, Memory{}, []FSRSReview{{0, 4}, {1, 4}}, Memory{18.014914, 1.0}},
		{"test_forward again 2 days", DefaultFSRSWeights, Memory{}, []FSRSReview{{0, 1}, {2, 1}}, Memory{0.112798266, 8.806304}},
		{"test_forward hard 2 days", DefaultFSRSWeights, Memory{}, []FSRSReview{{0, 2}, {2, 2}}, Memory{4.4694576, 6.7404594}},
		// fsrs-rs src/inference.rs, test_memory_state (through next_states);
		// py-fsrs 6.x tests/test_basic.py, test_memo_state, the same.
		{"test_memory_state", DefaultFSRSWeights, Memory{}, memoState, Memory{53.62691, 6.3574867}},
		{"test_memory_state, short term frozen", frozen, Memory{}, memoState, Memory{53.335106, 6.3574867}},
		// fsrs-rs src/inference.rs, test_memo_state (FSRS-5 parameters).
		{"test_memo_state", fsrs5Params, Memory{}, []FSRSReview{{0, 1}, {1, 3}, {3, 3}, {8, 3}, {21, 3}}, Memory{31.722992, 7.382128}},
		{"test_memo_state next good", fsrs5Params, Memory{20.925528, 7.005062}, []FSRSReview{{21, 3}}, Memory{40.87456, 6.9913807}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FSRS{Weights: tt.weights}.Replay(tt.start, tt.reviews)
			if !near4(got.Stability, tt.want.Stability) || !near4(got.Difficulty, tt.want.Difficulty) {
				t.Errorf("Replay(%+v, %v) = %+v, want %+v", tt.start, tt.reviews, got, tt.want)
			}
		})
	}
}

// fsrs-rs src/inference.rs, test_next_states: the four answers 21 days
// after a history, and their intervals at retention 0.9 (unrounded; at
// 0.9 the interval is the stability).
func TestFSRSNextStates(t *testing.T) {
	t.Parallel()
	f := FSRS{Weights: fsrs5Params, Retention: 0.9}
	m := f.Replay(Memory{}, []FSRSReview{{0, 1}, {1, 3}, {3, 3}, {8, 3}})
	want := []Memory{
		{2.9691455, 8.000659},
		{17.091452, 7.6913934},
		{31.722992, 7.382128},
		{71.7502, 7.0728626},
	}
	for g := 1; g <= 4; g++ {
		got := f.Step(m, 21, g)
		w := want[g-1]
		if !near4(got.Stability, w.Stability) || !near4(got.Difficulty, w.Difficulty) {
			t.Errorf("Step(%+v, 21, %d) = %+v, want %+v", m, g, got, w)
		}
		if iv := f.RawInterval(got.Stability); !near4(iv, w.Stability) {
			t.Errorf("RawInterval(%v) = %.7f, want %.7f", got.Stability, iv, w.Stability)
		}
	}
	if got := f.RawInterval(121.01552); !near4(got, 121.01551) {
		t.Errorf("RawInterval(121.01552) = %.7f, want 121.01551", got)
	}
}

// fsrs-rs src/inference.rs, test_next_interval: S = 1 at retentions 0.1 …
// 1.0, rounded, at least 1.
func TestFSRSInterval(t *testing.T) {
	t.Parallel()
	want := []int{3116766, 34793, 2508, 387, 90, 27, 9, 3, 1, 1}
	for i, w := range want {
		r := float64(i+1) / 10
		got := FSRS{Retention: r, MaxInterval: 1 << 30}.Interval(1)
		// At retention 0.1 fsrs-rs's float32 is 3 days off in 3.1 million
		// (1e-6 relative): the only value compared by relative error.
		if r == 0.1 {
			if math.Abs(float64(got-w))/float64(w) > 2e-6 {
				t.Errorf("Interval(1) at retention %v = %d, want %d", r, got, w)
			}
			continue
		}
		if got != w {
			t.Errorf("Interval(1) at retention %v = %d, want %d", r, got, w)
		}
	}
	f := FSRS{}
	if got := f.Interval(0.001); got != 1 {
		t.Errorf("Interval(0.001) = %d, want 1", got)
	}
	if got := f.Interval(1e6); got != MaxInterval {
		t.Errorf("Interval(1e6) = %d, want %d", got, MaxInterval)
	}
	if got := (FSRS{MaxInterval: 100}).Interval(500); got != 100 {
		t.Errorf("Interval(500) with maximum 100 = %d, want 100", got)
	}
}

// fsrs-rs src/inference.rs, test_memory_from_sm2.
func TestFSRSFromSM2(t *testing.T) {
	t.Parallel()
	tests := []struct {
		ease      float64
		interval  int
		retention float64
		want      Memory
	}{
		{2.5, 10, 0.9, Memory{10.0, 6.9140563}},
		{2.5, 10, 0.8, Memory{3.01572, 9.393428}},
		{2.5, 10, 0.95, Memory{24.841097, 1.2974405}},
		{1.3, 20, 0.9, Memory{20.0, 10.0}},
	}
	f := FSRS{}
	for _, tt := range tests {
		got, err := f.FromSM2(tt.ease, tt.interval, tt.retention)
		if err != nil || !near4(got.Stability, tt.want.Stability) || !near4(got.Difficulty, tt.want.Difficulty) {
			t.Errorf("FromSM2(%v, %d, %v) = %+v, %v, want %+v", tt.ease, tt.interval, tt.retention, got, err, tt.want)
		}
	}
	// The same test: a good review on the day due grows the interval by
	// about the ease.
	m, err := f.FromSM2(2.0, 15, 0.9)
	if err != nil {
		t.Fatal(err)
	}
	if ratio := f.Step(m, 15, 3).Stability / 15; math.Abs(ratio-2.0) >= 0.01 {
		t.Errorf("good after FromSM2(2, 15, 0.9) grows stability %v times, want 2", ratio)
	}
	for _, r := range []float64{0, 1, -0.5, 1.5, math.NaN()} {
		if m, err := f.FromSM2(2.5, 10, r); err == nil {
			t.Errorf("FromSM2(2.5, 10, %v) = %+v, want an error", r, m)
		}
	}
}

func TestFSRSFromState(t *testing.T) {
	t.Parallel()
	f := FSRS{}
	if got := f.FromState(card.NewState()); !got.IsZero() {
		t.Errorf("FromState(new) = %+v, want zero", got)
	}
	s := card.State{Reps: 3, EF: 2.5, Interval: 10, Last: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)}
	want, _ := f.FromSM2(2.5, 10, DefaultRetention)
	if got := f.FromState(s); got != want {
		t.Errorf("FromState(%+v) = %+v, want %+v", s, got, want)
	}
}

func TestFSRSStepEdges(t *testing.T) {
	t.Parallel()
	f := FSRS{}
	w := &DefaultFSRSWeights
	for g := 1; g <= 4; g++ {
		got := f.Step(Memory{}, 0, g)
		want := Memory{w[g-1], clampDifficulty(w[4] - math.Exp(w[5]*float64(g-1)) + 1)}
		if got != want {
			t.Errorf("Step(new, 0, %d) = %+v, want %+v", g, got, want)
		}
	}
	if got, want := f.Step(Memory{}, 0, 9), f.Step(Memory{}, 0, 4); got != want {
		t.Errorf("Step(new, 0, 9) = %+v, want easy's %+v", got, want)
	}
	if got, want := f.Step(Memory{}, 0, -1), f.Step(Memory{}, 0, 1); got != want {
		t.Errorf("Step(new, 0, -1) = %+v, want again's %+v", got, want)
	}
	m := Memory{Stability: 10, Difficulty: 5}
	if got, want := f.Step(m, -2, 3), f.Step(m, 0, 3); got != want {
		t.Errorf("Step(m, -2, good) = %+v, want the same-day %+v", got, want)
	}
	// Easy after easy drives difficulty to its floor; again after again
	// to its ceiling; stability stays within bounds.
	lo, hi := Memory{}, Memory{}
	iv := 0
	for range 30 {
		lo, iv = f.Next(lo, iv, 4)
		hi = f.Step(hi, 1, 1)
	}
	if lo.Difficulty != MinDifficulty || lo.Stability != MaxStability {
		t.Errorf("30 easy = %+v, want difficulty %v, stability %v", lo, MinDifficulty, MaxStability)
	}
	if hi.Difficulty < 9.9 || hi.Stability < MinStability {
		t.Errorf("30 again = %+v, want difficulty near %v, stability ≥ %v", hi, MaxDifficulty, MinStability)
	}
	got, iv := f.Next(Memory{}, 0, 3)
	if got != f.Step(Memory{}, 0, 3) || iv != f.Interval(got.Stability) {
		t.Errorf("Next(new, 0, good) = %+v, %d; want Step's memory and its interval", got, iv)
	}
}

// Fuzz as Anki's rslib scheduler/states/fuzz.rs computes it: 1 day plus
// 15% of the days in 2.5..7, 10% of those in 7..20, 5% of those above 20.
func TestFuzzBounds(t *testing.T) {
	t.Parallel()
	tests := []struct {
		interval     float64
		minimum, max int
		lower, upper int
	}{
		{1, 1, 36500, 1, 1},
		{2.4, 1, 36500, 2, 2},
		{2.5, 1, 36500, 2, 4},    // delta 1: 1.5, 3.5 round away from zero
		{5, 1, 36500, 4, 6},      // delta 1.375
		{10, 1, 36500, 8, 12},    // delta 1 + 0.675 + 0.3
		{100, 1, 36500, 93, 107}, // delta 1 + 0.675 + 1.3 + 4
		{100, 100, 36500, 100, 107},
		{36500, 1, 36500, 34673, 36500}, // delta 1826.975
		{50, 1, 50, 46, 50},             // delta 4.475
		{3, 3, 3, 3, 3},
	}
	for _, tt := range tests {
		lo, hi := FuzzBounds(tt.interval, tt.minimum, tt.max)
		if lo != tt.lower || hi != tt.upper {
			t.Errorf("FuzzBounds(%v, %d, %d) = %d, %d, want %d, %d", tt.interval, tt.minimum, tt.max, lo, hi, tt.lower, tt.upper)
		}
	}
}

func TestFuzz(t *testing.T) {
	t.Parallel()
	tests := []struct {
		interval, fuzz float64
		want           int
	}{
		{10, 0, 8}, {10, 0.2, 9}, {10, 0.5, 10}, {10, 0.99, 12}, {10, 1, 12},
		{2, 0.9, 2}, {100, 0.5, 100},
	}
	for _, tt := range tests {
		if got := Fuzz(tt.interval, tt.fuzz, 1, MaxInterval); got != tt.want {
			t.Errorf("Fuzz(%v, %v) = %d, want %d", tt.interval, tt.fuzz, got, tt.want)
		}
	}
	f := FSRS{}
	m := Memory{Stability: 30, Difficulty: 5}
	next, iv := f.NextFuzzed(m, 30, 3, FuzzFactor("abc", 4))
	lo, hi := FuzzBounds(f.RawInterval(next.Stability), 1, MaxInterval)
	if iv < lo || iv > hi || next != f.Step(m, 30, 3) {
		t.Errorf("NextFuzzed = %+v, %d; want Step's memory and an interval in %d..%d", next, iv, lo, hi)
	}
}

func TestFuzzFactor(t *testing.T) {
	t.Parallel()
	if a, b := FuzzFactor("3f2a9c01bb7e", 5), FuzzFactor("3f2a9c01bb7e", 5); a != b {
		t.Errorf("FuzzFactor is not deterministic: %v, %v", a, b)
	}
	if a, b := FuzzFactor("3f2a9c01bb7e", 5), FuzzFactor("3f2a9c01bb7e", 6); a == b {
		t.Errorf("FuzzFactor ignores reps: %v", a)
	}
	sum := 0.0
	const n = 4000
	var buckets [10]int
	for i := range n {
		x := FuzzFactor("card", i)
		if x < 0 || x >= 1 {
			t.Fatalf("FuzzFactor(card, %d) = %v, want [0, 1)", i, x)
		}
		sum += x
		buckets[int(x*10)]++
	}
	if mean := sum / n; mean < 0.47 || mean > 0.53 {
		t.Errorf("FuzzFactor mean over %d reps = %v, want about 0.5", n, mean)
	}
	for i, c := range buckets {
		if c < n/10*8/10 || c > n/10*12/10 {
			t.Errorf("FuzzFactor bucket %d holds %d of %d, want about %d", i, c, n, n/10)
		}
	}
}

func TestFSRSZeroValueDefaults(t *testing.T) {
	t.Parallel()
	z := FSRS{}
	d := FSRS{Weights: DefaultFSRSWeights, Retention: DefaultRetention, MaxInterval: MaxInterval}
	m := Memory{Stability: 12, Difficulty: 6}
	for g := 1; g <= 4; g++ {
		a, ai := z.Next(m, 9, g)
		b, bi := d.Next(m, 9, g)
		if a != b || ai != bi {
			t.Errorf("FSRS{}.Next(…, %d) = %+v, %d, want the defaults' %+v, %d", g, a, ai, b, bi)
		}
	}
}

func TestElapsedDays(t *testing.T) {
	t.Parallel()
	ny := mustZone(t, "America/New_York")
	tests := []struct {
		name      string
		last, now time.Time
		want      int
	}{
		{"same day", time.Date(2024, 3, 5, 9, 0, 0, 0, ny), time.Date(2024, 3, 5, 23, 0, 0, 0, ny), 0},
		{"before the rollover is the same day", time.Date(2024, 3, 5, 20, 0, 0, 0, ny), time.Date(2024, 3, 6, 3, 59, 0, 0, ny), 0},
		{"after the rollover is the next", time.Date(2024, 3, 5, 20, 0, 0, 0, ny), time.Date(2024, 3, 6, 4, 0, 0, 0, ny), 1},
		{"across spring forward", time.Date(2024, 3, 8, 12, 0, 0, 0, ny), time.Date(2024, 3, 15, 12, 0, 0, 0, ny), 7},
		{"across fall back", time.Date(2024, 11, 1, 12, 0, 0, 0, ny), time.Date(2024, 11, 4, 5, 0, 0, 0, ny), 3},
		{"last in another zone", time.Date(2024, 3, 6, 2, 0, 0, 0, time.UTC), time.Date(2024, 3, 6, 12, 0, 0, 0, ny), 1},
		{"now before last", time.Date(2024, 3, 6, 12, 0, 0, 0, ny), time.Date(2024, 3, 1, 12, 0, 0, 0, ny), 0},
		{"a year", time.Date(2023, 6, 1, 12, 0, 0, 0, ny), time.Date(2024, 6, 1, 12, 0, 0, 0, ny), 366},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ElapsedDays(tt.last, tt.now, DefaultRollover); got != tt.want {
				t.Errorf("ElapsedDays(%v, %v) = %d, want %d", tt.last, tt.now, got, tt.want)
			}
		})
	}
}

// py-fsrs 6.x tests/test_basic.py, test_review_card (no fuzz): good ×6,
// again ×2, good ×5, each review on the day the one before made due. The
// learning and relearning steps (minutes) are the session's: here they are
// reviews 0 days after the one before, and only the intervals in days, at
// graduation and after, are compared.
func TestFSRSPyFSRSTrajectory(t *testing.T) {
	t.Parallel()
	f := FSRS{}
	ratings := []int{3, 3, 3, 3, 3, 3, 1, 1, 3, 3, 3, 3, 3}
	// py-fsrs's ivl_history is [0, 2, 11, 46, 163, 498, 0, 0, 2, 4, 7, 12, 21];
	// a 0 there is a learning step, -1 here.
	want := []int{-1, 2, 11, 46, 163, 498, -1, -1, 2, 4, 7, 12, 21}
	var m Memory
	elapsed := 0
	for i, g := range ratings {
		next, iv := f.Next(m, elapsed, g)
		if want[i] >= 0 && iv != want[i] {
			t.Fatalf("review %d: Next(%+v, %d, %d) interval = %d, want %d", i+1, m, elapsed, g, iv, want[i])
		}
		m = next
		elapsed = max(want[i], 0)
	}
}

// py-fsrs 6.x tests/test_basic.py, test_repeated_correct_reviews: ten easy
// reviews in a row, the same day, leave difficulty at exactly 1.
func TestFSRSRepeatedEasy(t *testing.T) {
	t.Parallel()
	f := FSRS{}
	var m Memory
	for range 10 {
		m = f.Step(m, 0, 4)
	}
	if m.Difficulty != 1 {
		t.Errorf("difficulty after ten same-day easy = %v, want 1", m.Difficulty)
	}
}

// py-fsrs 6.x tests/test_basic.py, test_stability_lower_bound: a thousand
// lapses a day apart never take stability below its floor.
func TestFSRSStabilityFloor(t *testing.T) {
	t.Parallel()
	f := FSRS{}
	var m Memory
	for i := range 1000 {
		m = f.Step(m, 1, 1)
		if m.Stability < MinStability {
			t.Fatalf("lapse %d: stability %v, below %v", i+1, m.Stability, MinStability)
		}
	}
}
