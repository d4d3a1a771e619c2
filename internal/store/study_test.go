package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/srs"
)

func ids(es []card.Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

func cardIDs(cs []card.Card) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

func mustQueue(t testing.TB, s *Store, q QueueOptions) (due, fresh []card.Entry) {
	t.Helper()
	due, fresh, err := s.Queue(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return due, fresh
}

func mustAnswer(t testing.TB, s *Store, id string, g card.Grade) card.Answer {
	t.Helper()
	a, err := s.Answer(context.Background(), id, g, 1500*time.Millisecond, false)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestAnswerSchedules(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, clk := openTest(t)
	cards := basics("D", 1)
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, cards); err != nil {
		t.Fatal(err)
	}
	id := cards[0].ID
	// The worked example of docs/ARCHITECTURE.md, each review on the day it falls due.
	wantIv := []int{1, 6, 17, 48}
	wantEF := []float64{2.6, 2.7, 2.8, 2.9}
	for i := range wantIv {
		a := mustAnswer(t, s, id, card.Easy)
		e, err := s.Card(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		wantDue := srs.Day(clk.t, srs.DefaultRollover).AddDate(0, 0, wantIv[i])
		if e.State.Interval != wantIv[i] || e.State.EF != wantEF[i] || e.State.Reps != i+1 ||
			!e.State.Due.Equal(wantDue) || !e.State.Last.Equal(clk.t) || e.Status != card.StatusReview {
			t.Fatalf("after review %d: %v %+v, want interval %d, EF %v, due %v", i+1, e.Status, e.State, wantIv[i], wantEF[i], wantDue)
		}
		if !a.After.Due.Equal(e.State.Due) || a.After.Interval != e.State.Interval {
			t.Errorf("Answer returned %+v, stored %+v", a.After, e.State)
		}
		clk.t = e.State.Due.Add(10 * time.Hour)
	}
	var got []Review
	s.EachReview(ctx, id, func(r Review) error { got = append(got, r); return nil })
	if len(got) != 4 || got[3].Before.Interval != 17 || got[3].After.Interval != 48 || got[3].Grade != card.Easy ||
		got[3].Took != 1500*time.Millisecond || got[0].Before.Last.IsZero() == false || got[0].CardID != id {
		t.Errorf("EachReview(%s) = %+v", id, got)
	}
	// A failure: learning, due tomorrow.
	mustAnswer(t, s, id, card.Again)
	if e, _ := s.Card(ctx, id); e.Status != card.StatusLearning || e.State.Lapses != 1 || e.State.Interval != 1 {
		t.Errorf("after again: %v %+v, want learning, 1 lapse", e.Status, e.State)
	}

	if _, err := s.Answer(ctx, id, 6, 0, false); !errors.Is(err, card.ErrInvalid) {
		t.Errorf("Answer(grade 6) = %v, want card.ErrInvalid", err)
	}
	if _, err := s.Answer(ctx, "nosuchcard", card.Good, 0, false); !errors.Is(err, card.ErrNotFound) {
		t.Errorf("Answer(unknown card) = %v, want card.ErrNotFound", err)
	}
}

func TestAnswerRolloverDay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, clk := openTest(t)
	cards := basics("D", 2)
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, cards); err != nil {
		t.Fatal(err)
	}
	loc := start.Location()
	clk.t = time.Date(2024, 3, 5, 3, 59, 0, 0, loc) // still the study day of March 4
	a := mustAnswer(t, s, cards[0].ID, card.Good)
	if got := a.After.Due.Format(time.DateOnly); got != "2024-03-05" {
		t.Errorf("graded good at 03:59: due %s, want 2024-03-05", got)
	}
	clk.t = time.Date(2024, 3, 5, 4, 0, 0, 0, loc)
	a = mustAnswer(t, s, cards[1].ID, card.Good)
	if got := a.After.Due.Format(time.DateOnly); got != "2024-03-06" {
		t.Errorf("graded good at 04:00: due %s, want 2024-03-06", got)
	}
	// At 03:59 on March 5 the first is not yet due; at 04:00 it is.
	clk.t = time.Date(2024, 3, 5, 3, 59, 0, 0, loc)
	if due, _ := mustQueue(t, s, QueueOptions{}); len(due) != 0 {
		t.Errorf("03:59: %d due, want 0", len(due))
	}
	clk.t = time.Date(2024, 3, 5, 4, 0, 0, 0, loc)
	if due, _ := mustQueue(t, s, QueueOptions{}); len(due) != 1 || due[0].ID != cards[0].ID {
		t.Errorf("04:00: due %v, want %s", ids(due), cards[0].ID)
	}
}

func TestRedrill(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	cards := basics("D", 1)
	id := cards[0].ID
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, cards); err != nil {
		t.Fatal(err)
	}
	first := mustAnswer(t, s, id, card.Again)
	a, err := s.Answer(ctx, id, card.Good, time.Second, true)
	if err != nil {
		t.Fatal(err)
	}
	// The re-drill ends learning (good) and leaves SM-2's schedule alone.
	sm2 := func(st card.State) card.State { st.LearnDue, st.LearnStep = time.Time{}, 0; return st }
	if sm2(a.After) != sm2(first.After) || a.Before != first.After || !a.After.LearnDue.IsZero() {
		t.Errorf("re-drill changed the schedule: %+v → %+v, want %+v kept", a.Before, a.After, first.After)
	}
	e, _ := s.Card(ctx, id)
	if e.State != a.After {
		t.Errorf("stored %+v after re-drill, want %+v", e.State, a.After)
	}
	var redrills []bool
	s.EachReview(ctx, id, func(r Review) error { redrills = append(redrills, r.Redrill); return nil })
	if !slices.Equal(redrills, []bool{false, true}) {
		t.Errorf("logged reviews redrill %v, want [false true]", redrills)
	}
}

func TestLeechAndUndo(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, clk := openTest(t)
	cards := basics("D", 1)
	id := cards[0].ID
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, cards); err != nil {
		t.Fatal(err)
	}
	var last card.Answer
	for lapse := 1; lapse <= srs.LeechLapses; lapse++ {
		mustAnswer(t, s, id, card.Good)
		clk.t = clk.t.AddDate(0, 0, 1)
		last = mustAnswer(t, s, id, card.Again)
		clk.t = clk.t.AddDate(0, 0, 1)
		if last.After.Lapses != lapse {
			t.Fatalf("lapse %d: state %+v", lapse, last.After)
		}
		if last.Leech != (lapse == srs.LeechLapses) {
			t.Fatalf("lapse %d: Leech = %v", lapse, last.Leech)
		}
	}
	e, _ := s.Card(ctx, id)
	if e.Status != card.StatusSuspended || !slices.Contains(e.Tags, LeechTag) {
		t.Fatalf("leech: %v tags %v, want suspended and tagged", e.Status, e.Tags)
	}
	due, fresh := mustQueue(t, s, QueueOptions{})
	if len(due)+len(fresh) != 0 {
		t.Errorf("Queue holds a suspended leech: %v %v", ids(due), ids(fresh))
	}

	// Undo lifts the suspension and the tag along with the lapse.
	if err := s.Undo(ctx, last.ReviewID); err != nil {
		t.Fatal(err)
	}
	e, _ = s.Card(ctx, id)
	if e.Status != card.StatusReview || slices.Contains(e.Tags, LeechTag) || e.State != last.Before {
		t.Errorf("after undo: %v %v %+v, want review, untagged, %+v", e.Status, e.Tags, e.State, last.Before)
	}
	if n := countReviews(t, s, id); n != 2*srs.LeechLapses-1 {
		t.Errorf("%d reviews after undo, want %d", n, 2*srs.LeechLapses-1)
	}
	if err := s.Undo(ctx, last.ReviewID); !errors.Is(err, card.ErrNotFound) {
		t.Errorf("Undo(undone) = %v, want card.ErrNotFound", err)
	}
}

func TestUndoSteps(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	cards := basics("D", 2)
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, cards); err != nil {
		t.Fatal(err)
	}
	a1 := mustAnswer(t, s, cards[0].ID, card.Good)
	b1 := mustAnswer(t, s, cards[1].ID, card.Hard)
	a2, err := s.Answer(ctx, cards[0].ID, card.Again, 0, true)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Undo(ctx, a1.ReviewID); !errors.Is(err, card.ErrInvalid) {
		t.Errorf("Undo(not the card's last review) = %v, want card.ErrInvalid", err)
	}
	// Several steps back, newest first, end where we began.
	for _, id := range []int64{a2.ReviewID, b1.ReviewID, a1.ReviewID} {
		if err := s.Undo(ctx, id); err != nil {
			t.Fatalf("Undo(%d): %v", id, err)
		}
	}
	for _, c := range cards {
		e, _ := s.Card(ctx, c.ID)
		if e.Status != card.StatusNew || e.State != card.NewState() || countReviews(t, s, c.ID) != 0 {
			t.Errorf("card %s after undoing everything: %v %+v", c.ID, e.Status, e.State)
		}
	}
	if _, fresh := mustQueue(t, s, QueueOptions{}); len(fresh) != 2 {
		t.Errorf("undone cards: %d new in the queue, want 2", len(fresh))
	}
}

func TestQueue(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, clk := openTest(t)
	// Deck A: 30 new cards, in two files given out of order.
	a1, a2 := basics("A", 30)[:15], basics("A", 30)[15:]
	for i := range a1 {
		a1[i].Source.File = "z.md"
	}
	if _, err := s.Sync(ctx, SourceFile{Path: "z.md"}, card.Limits{}, a1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, a2); err != nil {
		t.Fatal(err)
	}
	// Deck B: 5 new cards, new limit 2.
	b := basics("B", 5)
	for i := range b {
		b[i].Source.File = "b.md"
	}
	if _, err := s.Sync(ctx, SourceFile{Path: "b.md"}, card.Limits{New: card.PerDay(2)}, b); err != nil {
		t.Fatal(err)
	}

	due, fresh := mustQueue(t, s, QueueOptions{Deck: "A"})
	wantFresh := cardIDs(slices.Concat(a2, a1))[:DefaultNewLimit] // notes.md sorts before z.md
	if len(due) != 0 || !slices.Equal(ids(fresh), wantFresh) {
		t.Errorf("Queue(A) = %v, %v; want no due, new %v", ids(due), ids(fresh), wantFresh)
	}
	if _, fresh := mustQueue(t, s, QueueOptions{Deck: "A", NewLimit: card.PerDay(3)}); len(fresh) != 3 {
		t.Errorf("Queue(A, new limit 3) gave %d new", len(fresh))
	}
	if _, fresh := mustQueue(t, s, QueueOptions{Deck: "B"}); !slices.Equal(ids(fresh), cardIDs(b[:2])) {
		t.Errorf("Queue(B) new %v, want the deck's limit of 2: %v", ids(fresh), cardIDs(b[:2]))
	}
	_, fresh = mustQueue(t, s, QueueOptions{})
	if len(fresh) != DefaultNewLimit+2 {
		t.Errorf("Queue(all) gave %d new, want %d (each deck its own limit)", len(fresh), DefaultNewLimit+2)
	}
	if _, _, err := s.Queue(ctx, QueueOptions{Deck: "C"}); !errors.Is(err, card.ErrNotFound) {
		t.Errorf("Queue(unknown deck) = %v, want card.ErrNotFound", err)
	}

	// Learn 5 of A today (Good → due in 1 day), bury one new, suspend one.
	for _, c := range a2[:5] {
		mustAnswer(t, s, c.ID, card.Good)
	}
	if err := s.Bury(ctx, a2[5].ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Suspend(ctx, a2[6].ID); err != nil {
		t.Fatal(err)
	}
	_, fresh = mustQueue(t, s, QueueOptions{Deck: "A"})
	if want := cardIDs(slices.Concat(a2[7:], a1))[:DefaultNewLimit-5]; !slices.Equal(ids(fresh), want) {
		t.Errorf("after learning 5: new %v, want %v", ids(fresh), want)
	}
	if e, _ := s.Card(ctx, a2[5].ID); e.Status != card.StatusBuried {
		t.Errorf("buried card is %v", e.Status)
	}

	// Three days on: the five are overdue, most overdue first; the bury
	// has ended by itself.
	mustAnswer(t, s, a2[0].ID, card.Again) // first re-answered today: due tomorrow
	clk.t = clk.t.AddDate(0, 0, 1)
	mustAnswer(t, s, a2[0].ID, card.Good) // due the day after
	clk.t = clk.t.AddDate(0, 0, 2)
	due, fresh = mustQueue(t, s, QueueOptions{Deck: "A", ReviewLimit: card.PerDay(3)})
	if want := cardIDs(a2[1:4]); !slices.Equal(ids(due), want) {
		t.Errorf("due %v, want the 3 most overdue %v", ids(due), want)
	}
	if e, _ := s.Card(ctx, a2[5].ID); e.Status != card.StatusNew || !slices.Contains(ids(fresh), a2[5].ID) {
		t.Errorf("bury did not end: %v", e.Status)
	}
	due, _ = mustQueue(t, s, QueueOptions{Deck: "A"})
	if want := cardIDs(slices.Concat(a2[1:5], a2[:1])); !slices.Equal(ids(due), want) {
		t.Errorf("due %v, want %v", ids(due), want)
	}
	// Review limit counts today's reviews.
	mustAnswer(t, s, a2[1].ID, card.Good)
	if due, _ := mustQueue(t, s, QueueOptions{Deck: "A", ReviewLimit: card.PerDay(3)}); len(due) != 2 {
		t.Errorf("after one review today: %d due with limit 3, want 2", len(due))
	}
	if err := s.Restore(ctx, a2[6].ID); err != nil {
		t.Fatal(err)
	}
	if e, _ := s.Card(ctx, a2[6].ID); e.Status != card.StatusNew {
		t.Errorf("restored suspended card is %v, want new", e.Status)
	}
	for _, f := range []func(context.Context, string) error{s.Bury, s.Suspend, s.Restore} {
		if err := f(ctx, "nosuchcard"); !errors.Is(err, card.ErrNotFound) {
			t.Errorf("on an unknown card: %v, want card.ErrNotFound", err)
		}
	}
}

func TestStatus(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, clk := openTest(t)
	cards := basics("D", 8)
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, cards); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sync(ctx, SourceFile{Path: "e.md"}, card.Limits{}, basics("E", 1)); err != nil {
		t.Fatal(err)
	}
	mustAnswer(t, s, cards[0].ID, card.Good) // due tomorrow
	mustAnswer(t, s, cards[1].ID, card.Good) // due tomorrow, then answered again below
	mustAnswer(t, s, cards[2].ID, card.Again)
	s.Suspend(ctx, cards[3].ID)
	s.Bury(ctx, cards[4].ID)
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, cards[:7]); err != nil { // 7 orphaned
		t.Fatal(err)
	}
	clk.t = clk.t.AddDate(0, 0, 1)
	mustAnswer(t, s, cards[1].ID, card.Good) // due in 6 days
	got, err := s.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []card.DeckStatus{
		// Today: 0 and 2 due (2 failed yesterday); 4's bury is over.
		// Tomorrow: the same two, if not reviewed today (the backlog).
		{Deck: "D", New: 3, DueToday: 2, DueTomorrow: 2, Total: 7, Suspended: 1, Orphans: 1},
		{Deck: "E", New: 1, Total: 1},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Status() = %+v\nwant %+v", got, want)
	}
	clk.t = clk.t.AddDate(0, 0, -1)
	got, _ = s.Status(ctx)
	// The buried card is neither new nor due; 2, failed, is learning.
	if w := (card.DeckStatus{Deck: "D", New: 2, Learning: 1, DueToday: 0, DueTomorrow: 2, Total: 7, Suspended: 1, Orphans: 1}); got[0] != w {
		t.Errorf("Status() the day before = %+v\nwant %+v", got[0], w)
	}
	if n, err := s.Streak(ctx); err != nil || n != 1 {
		t.Errorf("Streak() = %d, %v; want 1", n, err)
	}
}

func TestStreak(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name string
		days []int // days before "today" with a review
		want int
	}{
		{"nothing", nil, 0},
		{"today only", []int{0}, 1},
		{"yesterday only", []int{1}, 1},
		{"ending today", []int{3, 2, 1, 0}, 4},
		{"ending yesterday", []int{3, 2, 1}, 3},
		{"broken", []int{5, 4, 2, 1, 0}, 3},
		{"two days ago", []int{2}, 0},
		{"several a day", []int{1, 1, 0, 0}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, clk := openTest(t)
			cards := basics("D", 1)
			if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, cards); err != nil {
				t.Fatal(err)
			}
			today := clk.t.AddDate(0, 0, 10)
			for _, d := range tt.days {
				// 03:00 still belongs to the study day before.
				clk.t = time.Date(today.Year(), today.Month(), today.Day()-d, 3, 0, 0, 0, today.Location()).AddDate(0, 0, 1)
				mustAnswer(t, s, cards[0].ID, card.Good)
			}
			clk.t = today
			if n, err := s.Streak(ctx); err != nil || n != tt.want {
				t.Errorf("Streak() = %d, %v; want %d", n, err, tt.want)
			}
		})
	}
}

// TestQueuePlan checks that the queue queries walk an index in order, with
// no sort: what keeps them flat from 1k to 1M cards.
func TestQueuePlan(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	tests := []struct {
		name, query, index string
		args               []any
		key                string // the index's leading column the search uses
	}{
		{"due", qDue, "cards_due", []any{"D", 1, 1, 200}, "deck"},
		{"new", qNew, "cards_new", []any{"D", 1, 20, 0}, "deck"},
		{"learning", qLearn, "cards_learn", []any{"D", 1, 2, 1}, "deck"},
		{"siblings", qSiblings, "cards_grp", []any{"g", "id", 1, 1, 1}, "grp"},
		{"due of a subdeck", inSubdeck[qDue], "cards_sub_due", []any{"D", "D::S", 1, 1, 200}, "deck=? AND subdeck"},
		{"new of a subdeck", inSubdeck[qNew], "cards_sub_new", []any{"D", "D::S", 1, 20, 0}, "deck=? AND subdeck"},
		{"learning of a subdeck", inSubdeck[qLearn], "cards_learn", []any{"D", "D::S", 1, 2, 1}, "deck"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := s.db.Query(`EXPLAIN QUERY PLAN `+tt.query, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, aux int
				var detail string
				if err := rows.Scan(&id, &parent, &aux, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			got := strings.Join(plan, "; ")
			if !strings.Contains(got, "USING INDEX "+tt.index+" ("+tt.key+"=?") || strings.Contains(got, "TEMP B-TREE") {
				t.Errorf("plan of the %s queue: %s; want a walk of %s without a sort", tt.name, got, tt.index)
			}
		})
	}
}

func TestFilters(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, clk := openTest(t)
	cards := basics("D", 4)
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, cards); err != nil {
		t.Fatal(err)
	}
	mustAnswer(t, s, cards[0].ID, card.Good)
	mustAnswer(t, s, cards[1].ID, card.Easy)
	mustAnswer(t, s, cards[2].ID, card.Good)
	s.Bury(ctx, cards[2].ID)
	clk.t = clk.t.AddDate(0, 0, 1)
	s.Bury(ctx, cards[2].ID)
	tests := []struct {
		f    Filter
		want []string
	}{
		{Filter{}, cardIDs(cards)},
		{Filter{Due: true}, cardIDs(cards[:2])},
		{Filter{Deck: "D", Due: true}, cardIDs(cards[:2])},
		{Filter{Orphans: true}, nil},
		{Filter{IDs: []string{cards[3].ID, cards[1].ID}}, []string{cards[1].ID, cards[3].ID}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%+v", tt.f), func(t *testing.T) {
			if got := ids(mustCards(t, s, tt.f)); !slices.Equal(got, tt.want) && len(got)+len(tt.want) > 0 {
				t.Errorf("Cards(%+v) = %v, want %v", tt.f, got, tt.want)
			}
		})
	}
	stop := errors.New("stop")
	n := 0
	err := s.EachCard(ctx, Filter{}, func(card.Entry) error { n++; return stop })
	if !errors.Is(err, stop) || n != 1 {
		t.Errorf("EachCard with fn failing = %v after %d calls, want stop after 1", err, n)
	}
}

func TestNextDue(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, clk := openTest(t)
	if d, err := s.NextDue(ctx, ""); err != nil || !d.IsZero() {
		t.Fatalf("NextDue of an empty collection = %v, %v; want zero, nil", d, err)
	}
	a, b := basics("A", 2), basics("B", 1)
	for _, cs := range [][]card.Card{a, b} {
		if _, err := s.Sync(ctx, SourceFile{Path: cs[0].Deck + ".md"}, card.Limits{}, cs); err != nil {
			t.Fatal(err)
		}
	}
	mustAnswer(t, s, a[0].ID, card.Easy) // due tomorrow
	mustAnswer(t, s, a[0].ID, card.Easy) // studied ahead: due in 6 days
	mustAnswer(t, s, b[0].ID, card.Good) // due tomorrow
	today := srs.Day(clk.t, srs.DefaultRollover)
	for _, tc := range []struct {
		deck string
		want time.Time
	}{
		{"", today.AddDate(0, 0, 1)},
		{"A", today.AddDate(0, 0, 6)},
		{"B", today.AddDate(0, 0, 1)},
	} {
		if got, err := s.NextDue(ctx, tc.deck); err != nil || !got.Equal(tc.want) {
			t.Errorf("NextDue(%q) = %v, %v; want %v", tc.deck, got, err, tc.want)
		}
	}
	// A card due today is not "next": it is due now.
	clk.t = clk.t.AddDate(0, 0, 1)
	if got, err := s.NextDue(ctx, "B"); err != nil || !got.IsZero() {
		t.Errorf("NextDue(B) the day B is due = %v, %v; want zero", got, err)
	}
	if _, err := s.NextDue(ctx, "Nope"); !errors.Is(err, card.ErrNotFound) {
		t.Errorf("NextDue(Nope) error = %v, want ErrNotFound", err)
	}
}

func TestEachCardByID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	cards := basics("D", 30)
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, cards); err != nil {
		t.Fatal(err)
	}
	var got []string
	err := s.EachCard(ctx, Filter{ByID: true}, func(e card.Entry) error { got = append(got, e.ID); return nil })
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Sorted(slices.Values(cardIDs(cards)))
	if !slices.Equal(got, want) {
		t.Errorf("EachCard(ByID) = %v, want %v", got, want)
	}
	if slices.Equal(cardIDs(cards), want) {
		t.Fatal("the test cards are already in id order; the test proves nothing")
	}
}

// TestBusy: a write that waits longer than the busy timeout for another
// connection's lock fails with card.ErrBusy, and works once the lock is
// free.
func TestBusy(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "collection.db")
	s, err := open(path, len(migrations), 50*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cards := basics("D", 1)
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, cards); err != nil {
		t.Fatal(err)
	}
	other, err := sql.Open("sqlite", dsn(path, busyTimeout, cacheKiB))
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	lock, err := other.BeginTx(ctx, nil) // immediate: takes the write lock
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lock.Exec(`UPDATE meta SET value = value WHERE key = 'generation'`); err != nil {
		t.Fatal(err)
	}
	_, err = s.Answer(ctx, cards[0].ID, card.Good, time.Second, false)
	if !errors.Is(err, card.ErrBusy) || !strings.Contains(err.Error(), "locked by another recall") {
		t.Errorf("Answer under another's lock = %v, want card.ErrBusy", err)
	}
	if err := lock.Rollback(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Answer(ctx, cards[0].ID, card.Good, time.Second, false); err != nil {
		t.Errorf("Answer once the lock is free = %v", err)
	}
}
