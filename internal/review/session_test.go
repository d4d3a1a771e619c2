package review

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/srs"
)

var ctx = context.Background()

func TestOrderInterleave(t *testing.T) {
	t.Parallel()
	tests := []struct {
		due, fresh int
		want       string
	}{
		{0, 0, ""},
		{3, 0, "d1 d2 d3"},
		{0, 3, "n1 n2 n3"},
		{4, 1, "d1 d2 n1 d3 d4"},
		{1, 4, "n1 n2 d1 n3 n4"},
		{2, 2, "d1 n1 d2 n2"},
		{5, 2, "d1 d2 n1 d3 d4 n2 d5"},
		{10, 1, "d1 d2 d3 d4 d5 n1 d6 d7 d8 d9 d10"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d due %d new", tt.due, tt.fresh), func(t *testing.T) {
			var due, fresh []card.Entry
			for i := range tt.due {
				due = append(due, entry(fmt.Sprintf("d%d", i+1), "", 2, 6))
			}
			for i := range tt.fresh {
				fresh = append(fresh, entry(fmt.Sprintf("n%d", i+1), "", 0, 0))
			}
			s, _, _ := newSession(due, fresh, Options{})
			if got := ids(s); got != tt.want {
				t.Errorf("queue of %d due and %d new = %q, want %q", tt.due, tt.fresh, got, tt.want)
			}
		})
	}
}

// queueOf builds items from "id:group" words.
func queueOf(spec string) []*Item {
	var q []*Item
	for _, w := range strings.Fields(spec) {
		id, group, _ := strings.Cut(w, ":")
		q = append(q, &Item{Entry: entry(id, group, 0, 0)})
	}
	return q
}

func TestSpreadSiblings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		in     string
		window int
		want   string
	}{
		{"pair apart", "a1:A a2:A b1:B", 64, "a1 b1 a2"},
		{"three of a kind", "a1:A a2:A a3:A b1:B c1:C", 64, "a1 b1 a2 c1 a3"},
		{"already apart", "a1:A b1:B a2:A", 64, "a1 b1 a2"},
		{"unavoidable", "a1:A a2:A", 64, "a1 a2"},
		{"no group is no sibling", "x y z", 64, "x y z"},
		{"the rest keeps its order", "a1:A a2:A x y b1:B b2:B z", 64, "a1 x a2 y b1 z b2"},
		{"beyond the look-ahead", "a1:A a2:A a3:A a4:A b1:B", 2, "a1 a2 b1 a3 a4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := queueOf(tt.in)
			spreadSiblings(q, tt.window)
			var got []string
			for _, it := range q {
				got = append(got, it.ID)
			}
			if g := strings.Join(got, " "); g != tt.want {
				t.Errorf("spreadSiblings(%q) = %q, want %q", tt.in, g, tt.want)
			}
		})
	}
}

// adjacent counts siblings shown back to back.
func adjacent(q []*Item) int {
	n := 0
	for i := 1; i < len(q); i++ {
		if q[i].Group != "" && q[i].Group == q[i-1].Group {
			n++
		}
	}
	return n
}

func TestSpreadSiblingsRandom(t *testing.T) {
	t.Parallel()
	rng := rand.New(rand.NewPCG(1, 2))
	runs := 2000
	if testing.Short() {
		runs = 200
	}
	for run := range runs {
		n := rng.IntN(30)
		q := make([]*Item, n)
		for i := range q {
			g := []string{"", "A", "B", "C"}[rng.IntN(4)]
			q[i] = &Item{Entry: entry(fmt.Sprint(i), g, 0, 0)}
		}
		before := adjacent(q)
		orig := slices.Clone(q)
		spreadSiblings(q, 64)
		if after := adjacent(q); after > before {
			t.Fatalf("run %d: spreadSiblings made %d adjacent siblings out of %d", run, after, before)
		}
		got := slices.Clone(q)
		slices.SortFunc(got, func(a, b *Item) int { return strings.Compare(a.ID, b.ID) })
		slices.SortFunc(orig, func(a, b *Item) int { return strings.Compare(a.ID, b.ID) })
		if !slices.Equal(got, orig) {
			t.Fatalf("run %d: spreadSiblings lost or duplicated cards", run)
		}
	}
	// Two groups of equal size can always alternate.
	for n := 1; n <= 20; n++ {
		var spec []string
		for i := range n {
			spec = append(spec, fmt.Sprintf("a%d:A", i))
		}
		for i := range n {
			spec = append(spec, fmt.Sprintf("b%d:B", i))
		}
		q := queueOf(strings.Join(spec, " "))
		spreadSiblings(q, 64)
		if a := adjacent(q); a != 0 {
			t.Errorf("spreadSiblings(%d A then %d B) left %d adjacent", n, n, a)
		}
	}
}

func TestSessionKeepsSiblingsApart(t *testing.T) {
	t.Parallel()
	due := []card.Entry{entry("l1", "L", 2, 6), entry("l2", "L", 2, 6), entry("x", "", 2, 6)}
	fresh := []card.Entry{entry("l3", "L", 0, 0)}
	s, _, _ := newSession(due, fresh, Options{})
	// Interleaved they are l1 l2 l3 x; x goes between l1 and l2, and l3
	// stays after l2 for want of another card.
	if got, want := ids(s), "l1 x l2 l3"; got != want {
		t.Errorf("queue = %q, want %q", got, want)
	}
}

func TestRedrill(t *testing.T) {
	t.Parallel()
	s, f, _ := newSession([]card.Entry{entry("c1", "", 2, 6)}, nil, Options{})
	steps := []struct {
		g         card.Grade
		again     bool
		redrill   bool
		interval  int
		wantQueue string
	}{
		{card.Again, true, false, 1, "c1'"},
		{card.Hard, true, true, 1, "c1'"},
		{0, true, true, 1, "c1'"},
		{card.Good, false, true, 1, ""},
	}
	for i, st := range steps {
		res, err := s.Grade(ctx, st.g)
		if err != nil {
			t.Fatalf("step %d: Grade(%v): %v", i, st.g, err)
		}
		if res.Again != st.again || res.Redrill != st.redrill || res.State.Interval != st.interval {
			t.Errorf("step %d: Grade(q%d) = again %v, redrill %v, interval %d; want %v, %v, %d",
				i, st.g, res.Again, res.Redrill, res.State.Interval, st.again, st.redrill, st.interval)
		}
		if got := ids(s); got != st.wantQueue {
			t.Errorf("step %d: queue after Grade(q%d) = %q, want %q", i, st.g, got, st.wantQueue)
		}
	}
	f.checkCalls(t,
		"answer c1 q2 redrill=false → #1",
		"answer c1 q3 redrill=true → #2",
		"answer c1 q0 redrill=true → #3",
		"answer c1 q4 redrill=true → #4",
	)
	if !s.Done() {
		t.Errorf("Done() = false after the re-drill passed")
	}
}

// TestLearningSteps: a card graded again waits for its learning step (a
// minute) while the others go on, joins the front when it is due, and
// comes at once when nothing else is left (learn-ahead); a step beyond
// learn-ahead ends the session with the card left for later.
func TestLearningSteps(t *testing.T) {
	t.Parallel()
	var due []card.Entry
	for _, it := range queueOf("a b c d") {
		it.State.Reps, it.State.Interval = 2, 6
		due = append(due, it.Entry)
	}
	s, _, clock := newSession(due, nil, Options{})
	steps := []struct {
		g       card.Grade
		advance time.Duration // before the grade
		want    string
	}{
		{card.Again, 0, "b c d ~a'"},
		{card.Good, 30 * time.Second, "c d ~a'"},
		{card.Good, 31 * time.Second, "a' d"}, // a is due: first
		{card.Hard, 0, "d ~a'"},               // the second step: ten minutes
		{card.Good, 0, "a'"},                  // nothing else: a comes early
		{card.Good, 0, ""},
	}
	for i, st := range steps {
		clock.advance(st.advance)
		if _, err := s.Grade(ctx, st.g); err != nil {
			t.Fatal(err)
		}
		if got := ids(s); got != st.want {
			t.Errorf("step %d: queue after %v = %q, want %q", i, st.g, got, st.want)
		}
	}
	if !s.Done() {
		t.Error("Done() = false after the learning card passed")
	}

	// A learning card due beyond learn-ahead is left for later today.
	e := entry("x", "", 2, 6)
	e.State.LearnDue = start.Add(srs.LearnAhead + time.Minute)
	s, _, _ = newSession([]card.Entry{e}, nil, Options{})
	sum, _ := s.Summary(ctx)
	if !s.Done() || sum.Learning != 1 || !sum.NextLearning.Equal(e.State.LearnDue) {
		t.Errorf("Done() = %v, summary learning %d at %s; want a card for later at %s", s.Done(), sum.Learning, sum.NextLearning, e.State.LearnDue)
	}
	if want := "learning 1 card, back at 09:21: review again then"; !slices.Contains(sum.Lines(), want) {
		t.Errorf("summary %q lacks %q", sum.Lines(), want)
	}
	// One within it shows at once, as learning.
	e.State.LearnDue = start.Add(srs.LearnAhead - time.Minute)
	s, _, _ = newSession([]card.Entry{e}, nil, Options{})
	if it, ok := s.Current(); !ok || !it.Redrill {
		t.Errorf("Current() = %+v, %v; want x, learning", it, ok)
	}
}

func TestUndoSeveralSteps(t *testing.T) {
	t.Parallel()
	due := []card.Entry{entry("a", "", 2, 6), entry("b", "", 2, 6), entry("c", "", 2, 6), entry("d", "", 2, 6)}
	s, f, _ := newSession(due, nil, Options{})
	initial := s.Counts()
	do := []struct {
		name string
		fn   func() (Result, error)
		want string
	}{
		{"good a", func() (Result, error) { return s.Grade(ctx, card.Good) }, "b c d"},
		{"bury b", func() (Result, error) { return s.Bury(ctx) }, "c d"},
		{"again c", func() (Result, error) { return s.Grade(ctx, card.Again) }, "d ~c'"},
		{"suspend d", func() (Result, error) { return s.Suspend(ctx) }, "c'"}, // learn-ahead
	}
	for _, d := range do {
		if _, err := d.fn(); err != nil {
			t.Fatalf("%s: %v", d.name, err)
		}
		if got := ids(s); got != d.want {
			t.Fatalf("queue after %s = %q, want %q", d.name, got, d.want)
		}
	}
	undo := []struct {
		action Action
		grade  card.Grade
		id     string
		want   string
	}{
		{Suspended, 0, "d", "d ~c'"},
		{Graded, card.Again, "c", "c d"},
		{Buried, 0, "b", "b c d"},
		{Graded, card.Good, "a", "a b c d"},
	}
	for i, u := range undo {
		res, err := s.Undo(ctx)
		if err != nil {
			t.Fatalf("undo %d: %v", i+1, err)
		}
		if res.Action != u.action || res.Card.ID != u.id || (u.action == Graded && res.Grade != u.grade) {
			t.Errorf("undo %d = %v %s q%d, want %v %s q%d", i+1, res.Action, res.Card.ID, res.Grade, u.action, u.id, u.grade)
		}
		if got := ids(s); got != u.want {
			t.Errorf("queue after undo %d = %q, want %q", i+1, got, u.want)
		}
	}
	if _, err := s.Undo(ctx); !errors.Is(err, ErrNothingToUndo) {
		t.Errorf("a fifth Undo() error = %v, want ErrNothingToUndo", err)
	}
	f.checkCalls(t,
		"answer a q4 redrill=false → #1",
		"bury b",
		"answer c q2 redrill=false → #2",
		"suspend d",
		"restore d",
		"undo #2",
		"restore b",
		"undo #1",
	)
	if got := s.Counts(); got != initial {
		t.Errorf("Counts() after undoing everything = %+v, want %+v", got, initial)
	}
	if s.st != (stats{}) {
		t.Errorf("totals after undoing everything = %+v, want zero", s.st)
	}
	// The schedule the fake holds is back where it was.
	if got := f.states["a"]; got.Reps != 2 || got.Interval != 6 {
		t.Errorf("state of a after undo = %+v, want reps 2 interval 6", got)
	}
}

func TestUndoRedrill(t *testing.T) {
	t.Parallel()
	s, f, _ := newSession([]card.Entry{entry("a", "", 2, 6), entry("b", "", 2, 6)}, nil, Options{})
	for _, g := range []card.Grade{card.Again, card.Good, card.Hard} { // a, b, a'
		if _, err := s.Grade(ctx, g); err != nil {
			t.Fatal(err)
		}
	}
	if got, want := ids(s), "a'"; got != want {
		t.Fatalf("queue = %q, want %q", got, want)
	}
	res, err := s.Undo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Redrill || res.Grade != card.Hard {
		t.Errorf("Undo() = redrill %v q%d, want the re-drill graded hard", res.Redrill, res.Grade)
	}
	if got, want := ids(s), "a'"; got != want {
		t.Errorf("queue after undoing a re-drill = %q, want %q", got, want)
	}
	if c := s.Counts(); c.Redrill != 1 || c.Due != 0 {
		t.Errorf("Counts() = %+v, want one re-drill and nothing due", c)
	}
	f.checkCalls(t,
		"answer a q2 redrill=false → #1",
		"answer b q4 redrill=false → #2",
		"answer a q3 redrill=true → #3",
		"undo #3",
	)
}

func TestActionErrors(t *testing.T) {
	t.Parallel()
	for _, method := range []string{"Answer", "Bury", "Suspend"} {
		t.Run(method, func(t *testing.T) {
			s, f, _ := newSession([]card.Entry{entry("a", "", 2, 6), entry("b", "", 2, 6)}, nil, Options{})
			f.fail[method] = errBoom
			var err error
			switch method {
			case "Answer":
				_, err = s.Grade(ctx, card.Good)
			case "Bury":
				_, err = s.Bury(ctx)
			case "Suspend":
				_, err = s.Suspend(ctx)
			}
			if !errors.Is(err, errBoom) || !strings.Contains(err.Error(), "card a") {
				t.Errorf("%s failing: error = %v, want one naming card a and wrapping %v", method, err, errBoom)
			}
			if got := ids(s); got != "a b" {
				t.Errorf("queue after a failed %s = %q, want %q", method, got, "a b")
			}
			if s.CanUndo() {
				t.Errorf("CanUndo() = true after a failed %s", method)
			}
		})
	}
	t.Run("Undo", func(t *testing.T) {
		s, f, _ := newSession([]card.Entry{entry("a", "", 2, 6), entry("b", "", 2, 6)}, nil, Options{})
		if _, err := s.Grade(ctx, card.Good); err != nil {
			t.Fatal(err)
		}
		f.fail["Undo"] = errBoom
		if _, err := s.Undo(ctx); !errors.Is(err, errBoom) {
			t.Errorf("Undo() error = %v, want %v", err, errBoom)
		}
		if got := ids(s); got != "b" || !s.CanUndo() {
			t.Errorf("after a failed undo: queue %q, CanUndo %v; want %q, true", got, s.CanUndo(), "b")
		}
	})
	t.Run("empty", func(t *testing.T) {
		s, _, _ := newSession(nil, nil, Options{})
		if _, err := s.Grade(ctx, card.Good); !errors.Is(err, ErrNoCard) {
			t.Errorf("Grade on an empty session: %v, want ErrNoCard", err)
		}
		if _, err := s.Bury(ctx); !errors.Is(err, ErrNoCard) {
			t.Errorf("Bury on an empty session: %v, want ErrNoCard", err)
		}
	})
	t.Run("invalid grade", func(t *testing.T) {
		s, f, _ := newSession([]card.Entry{entry("a", "", 2, 6)}, nil, Options{})
		if _, err := s.Grade(ctx, 7); !errors.Is(err, card.ErrInvalid) {
			t.Errorf("Grade(7) error = %v, want ErrInvalid", err)
		}
		f.checkCalls(t)
	})
}

func TestLeech(t *testing.T) {
	t.Parallel()
	s, f, _ := newSession([]card.Entry{entry("a", "", 2, 6), entry("b", "", 2, 6)}, nil, Options{})
	f.leech["a"] = true
	res, err := s.Grade(ctx, card.Again)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Leech || res.Again {
		t.Errorf("Grade(again) on a leech = leech %v, again %v; want true, false", res.Leech, res.Again)
	}
	if got := ids(s); got != "b" {
		t.Errorf("queue after a leech = %q, want %q", got, "b")
	}
	sum, err := s.Summary(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Leeches != 1 || sum.Again != 1 || sum.Cards != 1 {
		t.Errorf("summary = %+v, want 1 leech, 1 again, 1 card", sum)
	}
}

func TestBurySuspend(t *testing.T) {
	t.Parallel()
	s, f, _ := newSession([]card.Entry{entry("a", "G", 2, 6), entry("b", "", 2, 6), entry("c", "G", 2, 6)}, nil, Options{})
	res, err := s.Bury(ctx)
	if err != nil || res.Action != Buried || res.Card.ID != "a" {
		t.Fatalf("Bury() = %v %s, %v; want buried a", res.Action, res.Card.ID, err)
	}
	// Burying a card leaves its siblings in the session.
	if got := ids(s); got != "b c" {
		t.Errorf("queue after bury = %q, want %q", got, "b c")
	}
	if res, err = s.Suspend(ctx); err != nil || res.Action != Suspended || res.Card.ID != "b" {
		t.Fatalf("Suspend() = %v %s, %v; want suspended b", res.Action, res.Card.ID, err)
	}
	if c := s.Counts(); c.Position != 3 || c.Total != 3 || c.Due != 1 {
		t.Errorf("Counts() = %+v, want position 3/3 and 1 due", c)
	}
	f.checkCalls(t, "bury a", "suspend b")
	sum, _ := s.Summary(ctx)
	if sum.Buried != 1 || sum.Suspended != 1 || sum.Cards != 0 || sum.Left != 1 {
		t.Errorf("summary = %+v, want 1 buried, 1 suspended, 0 cards, 1 left", sum)
	}
}

func TestCounts(t *testing.T) {
	t.Parallel()
	s, _, _ := newSession([]card.Entry{entry("d1", "", 2, 6), entry("d2", "", 2, 6)}, []card.Entry{entry("n1", "", 0, 0)}, Options{})
	steps := []struct {
		g    card.Grade
		want Counts
	}{
		{-1, Counts{New: 1, Due: 2, Position: 1, Total: 3}},
		{card.Again, Counts{New: 1, Redrill: 1, Due: 1, Position: 2, Total: 3}}, // d1
		{card.Good, Counts{Redrill: 1, Due: 1, Position: 3, Total: 3}},          // n1
		{card.Easy, Counts{Redrill: 1, Position: 3, Total: 3}},                  // d2
		{card.Good, Counts{Position: 3, Total: 3}},                              // d1'
	}
	for i, st := range steps {
		if st.g >= 0 {
			if _, err := s.Grade(ctx, st.g); err != nil {
				t.Fatal(err)
			}
		}
		if got := s.Counts(); got != st.want {
			t.Errorf("step %d: Counts() = %+v, want %+v", i, got, st.want)
		}
	}
}

func TestPreview(t *testing.T) {
	t.Parallel()
	learning := entry("a", "", 1, 1) // one successful review: next are 1 or 6 days
	tests := []struct {
		name  string
		opts  Options
		want  string
		setup func(s *Session)
	}{
		{"buttons", Options{}, "1 again 1 · 2 hard 6 · 3 good 6 · 4 easy 6", nil},
		{"0-5", Options{Grades: Qualities}, "0 1 · 1 1 · 2 1 · 3 6 · 4 6 · 5 6", nil},
		{"scheduler passed in", Options{Next: func(s card.State, g card.Grade, now time.Time) card.State {
			s.Interval = int(g)*10 + now.Hour()
			return s
		}}, "1 again 29 · 2 hard 39 · 3 good 49 · 4 easy 59", nil},
		{"re-drill keeps its interval", Options{}, "1 again 1 · 2 hard 1 · 3 good 1 · 4 easy 1", func(s *Session) {
			s.Grade(ctx, card.Again)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _, _ := newSession([]card.Entry{learning}, nil, tt.opts)
			if tt.setup != nil {
				tt.setup(s)
			}
			var parts []string
			for _, c := range s.Preview() {
				parts = append(parts, strings.TrimSpace(c.Key+" "+c.Label)+" "+fmt.Sprint(c.Days))
			}
			if got := strings.Join(parts, " · "); got != tt.want {
				t.Errorf("Preview() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestTook(t *testing.T) {
	t.Parallel()
	s, f, clock := newSession([]card.Entry{entry("a", "", 2, 6), entry("b", "", 2, 6)}, nil, Options{MaxTook: time.Minute})
	clock.advance(7 * time.Second)
	s.Grade(ctx, card.Good)
	clock.advance(2 * time.Hour)
	s.Grade(ctx, card.Good)
	s.Undo(ctx)
	clock.advance(3 * time.Second)
	s.Grade(ctx, card.Hard)
	f.checkCalls(t,
		"answer a q4 took=7s redrill=false → #1",
		"answer b q4 took=1m0s redrill=false → #2",
		"undo #2",
		"answer b q3 took=3s redrill=false → #3",
	)
}

func TestSummary(t *testing.T) {
	t.Parallel()
	run := func(opts Options) (Summary, error) {
		s, f, clock := newSession([]card.Entry{entry("d1", "", 2, 6), entry("d2", "", 2, 6)}, []card.Entry{entry("n1", "", 0, 0)}, opts)
		f.decks = []card.DeckStatus{
			{Deck: "QCon SF 2018", DueTomorrow: 3},
			{Deck: "QCon SF 2018::Containers", DueTomorrow: 2},
			{Deck: "QCon SF 2018 extra", DueTomorrow: 7},
			{Deck: "Go", DueTomorrow: 5},
		}
		f.streak = 4
		// d1 hard, n1 good, d2 again, d1' good, d2' easy.
		for _, g := range []card.Grade{card.Hard, card.Good, card.Again, card.Good, card.Easy} {
			clock.advance(12*time.Second + 400*time.Millisecond)
			if _, err := s.Grade(ctx, g); err != nil {
				t.Fatal(err)
			}
		}
		return s.Summary(ctx)
	}
	sum, err := run(Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := Summary{
		Cards: 3, Answers: 5, Time: 62 * time.Second, Seconds: 62,
		Again: 1, Hard: 1, Good: 2, Easy: 1, Qualities: [6]int{0, 0, 1, 1, 2, 1},
		Correct: 67, Passed: 2, NewLearned: 1, DueTomorrow: 17, Streak: 4,
	}
	if sum != want {
		t.Errorf("Summary() =\n%+v\nwant\n%+v", sum, want)
	}
	wantLines := []string{
		"reviewed 3 cards (5 answers) in 1m02s",
		"again 1 · hard 1 · good 2 · easy 1",
		"correct 67% (2 of 3)",
		"new learned 1",
		"due tomorrow 17",
		"streak 4 days",
	}
	if got := sum.Lines(); !slices.Equal(got, wantLines) {
		t.Errorf("Lines() =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(wantLines, "\n"))
	}

	sum, err = run(Options{Grades: Qualities, Deck: "QCon SF 2018"})
	if err != nil {
		t.Fatal(err)
	}
	if sum.DueTomorrow != 5 {
		t.Errorf("DueTomorrow for deck %q = %d, want 5 (the deck and its subdeck)", "QCon SF 2018", sum.DueTomorrow)
	}
	if got, want := sum.Lines()[1], "q0 0 · q1 0 · q2 1 · q3 1 · q4 2 · q5 1"; got != want {
		t.Errorf("Lines()[1] with grades 0-5 = %q, want %q", got, want)
	}
}

func TestSummaryLines(t *testing.T) {
	t.Parallel()
	tests := []struct {
		sum  Summary
		want []string
	}{
		{Summary{}, []string{"reviewed 0 cards in 0s", "again 0 · hard 0 · good 0 · easy 0", "correct 0% (0 of 0)", "new learned 0", "due tomorrow 0", "streak 0 days"}},
		{Summary{Cards: 1, Answers: 1, Time: 3*time.Hour + 4*time.Second, Good: 1, Correct: 100, Passed: 1, Buried: 2, Left: 1, Streak: 1},
			[]string{"reviewed 1 card in 3h00m04s", "again 0 · hard 0 · good 1 · easy 0", "correct 100% (1 of 1)", "new learned 0",
				"buried 2 · suspended 0 · leeches 0", "left 1 card", "due tomorrow 0", "streak 1 day"}},
	}
	for i, tt := range tests {
		if got := tt.sum.Lines(); !slices.Equal(got, tt.want) {
			t.Errorf("case %d: Lines() =\n%s\nwant\n%s", i, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
	}
}

func TestSummaryErrors(t *testing.T) {
	t.Parallel()
	for _, method := range []string{"Status", "Streak"} {
		s, f, _ := newSession([]card.Entry{entry("a", "", 2, 6)}, nil, Options{})
		s.Grade(ctx, card.Good)
		f.fail[method] = errBoom
		sum, err := s.Summary(ctx)
		if !errors.Is(err, errBoom) {
			t.Errorf("Summary() with %s failing: error %v, want %v", method, err, errBoom)
		}
		if sum.Cards != 1 || sum.Good != 1 {
			t.Errorf("Summary() with %s failing = %+v, want the session's totals still", method, sum)
		}
	}
}

func TestFormats(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, got, want string
	}{
		{"clock 0", clock(0), "0s"},
		{"clock 45s", clock(45 * time.Second), "45s"},
		{"clock 62s", clock(62 * time.Second), "1m02s"},
		{"clock round", clock(61*time.Second + 600*time.Millisecond), "1m02s"},
		{"clock hours", clock(time.Hour + 2*time.Minute + 3*time.Second), "1h02m03s"},
		{"timer", timer(7 * time.Second), "0:07"},
		{"timer minutes", timer(12*time.Minute + 34*time.Second), "12:34"},
		{"timer hours", timer(time.Hour + 2*time.Minute + 3*time.Second), "1:02:03"},
		{"span 1", span(1), "1d"},
		{"span 29", span(29), "29d"},
		{"span 30", span(30), "1mo"},
		{"span 48", span(48), "1.6mo"},
		{"span 365", span(365), "1y"},
		{"span 840", span(840), "2.3y"},
		{"plural 1", plural(1, "day"), "1 day"},
		{"plural 0", plural(0, "day"), "0 days"},
		{"excerpt", excerpt("What port does etcd serve clients on?\nmore", 12), "What port d…"},
		{"describe good", describe(Result{Grade: card.Good, State: card.State{Interval: 6}}, Buttons), "graded good — next in 6 days"},
		{"describe again", describe(Result{Grade: card.Again, State: card.State{Interval: 1}, Again: true}, Buttons), "graded again — next in 1 day; back in 1 minute"},
		{"describe quality", describe(Result{Grade: 1, State: card.State{Interval: 1}, Again: true}, Qualities), "graded 1 — next in 1 day; back in 1 minute"},
		{"describe re-drill", describe(Result{Grade: card.Hard, Redrill: true, Again: true}, Buttons), "graded hard (learning) — back in 1 minute"},
		{"describe re-drill done", describe(Result{Grade: card.Easy, Redrill: true}, Buttons), "graded easy (learning) — done for today"},
		{"describe bury", describe(Result{Action: Buried}, Buttons), "buried"},
		{"undo", undoNotice(Result{Grade: card.Good}, Buttons), "undone: graded good"},
		{"undo suspend", undoNotice(Result{Action: Suspended}, Buttons), "undone: suspended"},
		{"leech", leechNotice(Result{Card: card.Card{ID: "9f2c4e1a7b3d", Front: "What port?"}, State: card.State{Lapses: 8}}), `leech: "What port?" (9f2c4e1a7b3d) lapsed 8 times: suspended`},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestParseScale(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    Scale
		wantErr bool
	}{
		{"", Buttons, false},
		{"buttons", Buttons, false},
		{"1-4", Buttons, false},
		{"0-5", Qualities, false},
		{"0-10", Buttons, true},
	}
	for _, tt := range tests {
		got, err := ParseScale(tt.in)
		if got != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("ParseScale(%q) = %v, %v; want %v, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestSummaryJSON(t *testing.T) {
	t.Parallel()
	sum := Summary{Cards: 3, Answers: 5, Time: 62 * time.Second, Seconds: 62, Again: 1, Qualities: [6]int{0, 0, 1, 1, 2, 1},
		Correct: 67, Passed: 2, NewLearned: 1, Buried: 1, Left: 4, DueTomorrow: 17, Streak: 4, Scale: Qualities}
	b, err := json.Marshal(sum)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"cards":3,"answers":5,"seconds":62,"again":1,"hard":0,"good":0,"easy":0,"qualities":[0,0,1,1,2,1],` +
		`"correct":67,"passed":2,"new_learned":1,"buried":1,"suspended":0,"leeches":0,"left":4,"learning":0,"due_tomorrow":17,"streak":4}`
	if string(b) != want {
		t.Errorf("json.Marshal(summary) =\n%s\nwant\n%s", b, want)
	}
}

func TestCardErr(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  error
		want string
	}{
		{errBoom, "card a: disk full"},
		{&card.Error{ID: "a", Err: errBoom}, "card a: disk full"},
		{&card.Error{Op: "bury", ID: "a", Err: card.ErrNotFound}, "no card a"},
		{fmt.Errorf("undo review 3: %w", &card.Error{ID: "a", Err: errBoom}), "undo review 3: card a: disk full"},
		{&card.Error{ID: "b", Err: errBoom}, "card a: card b: disk full"},
	}
	for _, tt := range tests {
		got := cardErr("a", tt.err)
		if got.Error() != tt.want || !errors.Is(got, tt.err) {
			t.Errorf("cardErr(a, %v) = %v, want %q wrapping it", tt.err, got, tt.want)
		}
	}
}

// TestSiblingsLeave: the siblings an answer buried leave the session, and
// come back where they were when the answer is undone.
func TestSiblingsLeave(t *testing.T) {
	t.Parallel()
	var due []card.Entry
	for _, it := range queueOf("a:G b c:G d e:G") {
		it.State.Reps, it.State.Interval = 2, 6
		due = append(due, it.Entry)
	}
	s, f, _ := newSession(due, nil, Options{})
	f.siblings = map[string][]string{"a": {"c", "e"}}
	before := ids(s)
	if _, err := s.Grade(ctx, card.Good); err != nil {
		t.Fatal(err)
	}
	if got := ids(s); got != "b d" {
		t.Errorf("queue after a = %q, want %q", got, "b d")
	}
	if c := s.Counts(); c.Total != 3 {
		t.Errorf("Counts() = %+v, want 3 cards in all", c)
	}
	if _, err := s.Undo(ctx); err != nil {
		t.Fatal(err)
	}
	if got := ids(s); got != before {
		t.Errorf("queue after undo = %q, want %q", got, before)
	}
}
