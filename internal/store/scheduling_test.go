package store

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/srs"
)

// TestFSRSScheduling: a deck switched to FSRS has each reviewed card's
// memory replayed from its log; answers then follow FSRS (and undo puts the
// memory back); switching back leaves SM-2's ease where it was.
func TestFSRSScheduling(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, clk := openTest(t)
	cards := basics("D", 2)
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, cards); err != nil {
		t.Fatal(err)
	}
	id := cards[0].ID
	mustAnswer(t, s, id, card.Good)
	clk.t = clk.t.AddDate(0, 0, 1)
	mustAnswer(t, s, id, card.Good)
	clk.t = clk.t.AddDate(0, 0, 6)
	if err := s.SetScheduling(ctx, "D", "fsrs", 0.9); err != nil {
		t.Fatal(err)
	}
	e, err := s.Card(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	f := srs.FSRS{}
	want := f.Replay(srs.Memory{}, []srs.FSRSReview{{Elapsed: 0, Rating: 3}, {Elapsed: 1, Rating: 3}})
	if !e.State.FSRS || math.Abs(e.State.Stability-want.Stability) > 1e-9 || math.Abs(e.State.Difficulty-want.Difficulty) > 1e-9 {
		t.Fatalf("after the switch: %+v, want FSRS with memory %+v", e.State, want)
	}
	// The next answer is FSRS's, within fuzz of its interval.
	a := mustAnswer(t, s, id, card.Good)
	m, days := f.Next(want, 6, 3)
	if a.After.Interval < days*9/10 || a.After.Interval > days*11/10+1 || math.Abs(a.After.Stability-m.Stability) > 1e-9 {
		t.Errorf("FSRS answer: interval %d stability %v, want about %d and %v", a.After.Interval, a.After.Stability, days, m.Stability)
	}
	if a.After.EF != 2.5 {
		t.Errorf("FSRS moved SM-2's ease to %v", a.After.EF)
	}
	if err := s.Undo(ctx, a.ReviewID); err != nil {
		t.Fatal(err)
	}
	if e, _ := s.Card(ctx, id); e.State.Stability != want.Stability {
		t.Errorf("undo left stability %v, want %v", e.State.Stability, want.Stability)
	}
	// A new card under FSRS starts from its first rating.
	n := mustAnswer(t, s, cards[1].ID, card.Easy)
	if n.After.Stability != srs.DefaultFSRSWeights[3] {
		t.Errorf("new card's stability %v, want w3 %v", n.After.Stability, srs.DefaultFSRSWeights[3])
	}
	// Back to SM-2: its state is as SM-2 left it.
	if err := s.SetScheduling(ctx, "D", "sm2", 0); err != nil {
		t.Fatal(err)
	}
	clk.t = clk.t.Add(time.Hour)
	if e, _ := s.Card(ctx, id); e.State.FSRS || e.State.Reps != 2 || e.State.Interval != 6 {
		t.Errorf("back on SM-2: %+v", e.State)
	}
	if err := s.SetScheduling(ctx, "D", "anki", 0); err == nil {
		t.Error("SetScheduling accepted an unknown scheduler")
	}
}

// TestHistoriesAndWeights: the log comes out as FSRS trains on it, and
// weights kept for the collection are what an FSRS deck schedules with.
func TestHistoriesAndWeights(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, clk := openTest(t)
	cards := basics("D", 2)
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, cards); err != nil {
		t.Fatal(err)
	}
	mustAnswer(t, s, cards[0].ID, card.Again)
	clk.t = clk.t.Add(10 * time.Minute)
	mustAnswer(t, s, cards[0].ID, card.Good)
	clk.t = clk.t.AddDate(0, 0, 3)
	mustAnswer(t, s, cards[0].ID, card.Easy)
	hs, err := s.Histories(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	want := []srs.FSRSReview{{Elapsed: 0, Rating: 1}, {Elapsed: 0, Rating: 3}, {Elapsed: 3, Rating: 4}}
	if len(hs) != 1 || len(hs[0].Reviews) != 3 || hs[0].Reviews[0] != want[0] || hs[0].Reviews[1] != want[1] || hs[0].Reviews[2] != want[2] {
		t.Fatalf("Histories = %+v, want one card with %+v", hs, want)
	}
	if hs, _ := s.Histories(ctx, "nothing"); len(hs) != 0 {
		t.Errorf("Histories of no deck = %+v", hs)
	}
	w := srs.DefaultFSRSWeights
	w[3] = 42
	if err := s.SetWeights(ctx, "", w); err != nil {
		t.Fatal(err)
	}
	if err := s.SetScheduling(ctx, "D", "fsrs", 0); err != nil {
		t.Fatal(err)
	}
	a := mustAnswer(t, s, cards[1].ID, card.Easy)
	if a.After.Stability != 42 {
		t.Errorf("a new card's first easy under fitted weights: stability %v, want w3 = 42", a.After.Stability)
	}
}
