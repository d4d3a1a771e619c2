package store

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/card"
)

// grouped makes n cards of deck in group g: a list and its clozes.
func grouped(deck, g string, n, line int) []card.Card {
	out := basics(deck, n)
	for i := range out {
		out[i] = basic(deck, "Q "+g+string(rune('a'+i))+"?", "A", line+i, file+"#"+g+string(rune('a'+i)))
		out[i].Group = g
	}
	return out
}

// TestSiblingsBuried: the first answer of the day on a card buries the
// others of its group until tomorrow; undoing it brings them back.
func TestSiblingsBuried(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, clk := openTest(t)
	cards := cat(grouped("D", "list", 3, 1), grouped("D", "other", 2, 10))
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, cards); err != nil {
		t.Fatal(err)
	}
	// One new card per group, each group's first.
	if _, fresh := mustQueue(t, s, QueueOptions{}); !slices.Equal(ids(fresh), []string{cards[0].ID, cards[3].ID}) {
		t.Fatalf("new cards %v, want the first of each group", ids(fresh))
	}
	a := mustAnswer(t, s, cards[0].ID, card.Good)
	if !slices.Equal(a.Buried, []string{cards[1].ID, cards[2].ID}) && !slices.Equal(a.Buried, []string{cards[2].ID, cards[1].ID}) {
		t.Errorf("answer buried %v, want the two siblings", a.Buried)
	}
	for _, id := range []string{cards[1].ID, cards[2].ID} {
		if e, _ := s.Card(ctx, id); e.Status != card.StatusBuried {
			t.Errorf("sibling %s is %s, want buried", id, e.Status)
		}
	}
	if _, fresh := mustQueue(t, s, QueueOptions{}); !slices.Equal(ids(fresh), []string{cards[3].ID}) {
		t.Errorf("after the answer, new cards %v, want only the other group's", ids(fresh))
	}
	// Undo: the siblings come back.
	if err := s.Undo(ctx, a.ReviewID); err != nil {
		t.Fatal(err)
	}
	if e, _ := s.Card(ctx, cards[1].ID); e.Status != card.StatusNew {
		t.Errorf("after undo the sibling is %s, want new", e.Status)
	}
	mustAnswer(t, s, cards[0].ID, card.Good)
	// Tomorrow the next sibling, in notes order, is new.
	clk.t = clk.t.AddDate(0, 0, 1)
	if _, fresh := mustQueue(t, s, QueueOptions{}); !slices.Contains(ids(fresh), cards[1].ID) || slices.Contains(ids(fresh), cards[2].ID) {
		t.Errorf("tomorrow new cards %v, want %s and not %s", ids(fresh), cards[1].ID, cards[2].ID)
	}
}

// TestLearningPersists: a card graded again is due again a minute later, in
// any session of the day, until graded good; the day's rollover ends it.
func TestLearningPersists(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, clk := openTest(t)
	cards := basics("D", 2)
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, cards); err != nil {
		t.Fatal(err)
	}
	id := cards[0].ID
	a := mustAnswer(t, s, id, card.Again)
	if want := clk.t.Add(time.Minute); !a.After.LearnDue.Equal(want) {
		t.Fatalf("learning due %s, want %s", a.After.LearnDue, want)
	}
	// A later session (a new Queue) has it first, as learning.
	clk.t = clk.t.Add(30 * time.Minute)
	due, _ := mustQueue(t, s, QueueOptions{})
	if len(due) != 1 || due[0].ID != id || due[0].State.LearnDue.IsZero() {
		t.Fatalf("queue after leaving: %v, want %s learning", ids(due), id)
	}
	// Answered again it is a re-drill: logged, the schedule kept.
	a2 := mustAnswer(t, s, id, card.Hard)
	if a2.After.Interval != a.After.Interval || a2.After.Due != a.After.Due || a2.After.LearnStep != 1 {
		t.Errorf("re-drill after: %+v, want the SM-2 schedule kept and step 1", a2.After)
	}
	// Not graded good: still there tomorrow morning? No: learning ends at
	// the rollover, and the card is an SM-2 review on its due day.
	clk.t = time.Date(clk.t.Year(), clk.t.Month(), clk.t.Day()+1, 4, 0, 0, 0, clk.t.Location())
	due, _ = mustQueue(t, s, QueueOptions{})
	if len(due) != 1 || due[0].ID != id || due[0].State.Learning(clk.t, clk.t.AddDate(0, 0, 1)) {
		t.Fatalf("next day: %v, want %s due as a review", ids(due), id)
	}
	a3 := mustAnswer(t, s, id, card.Good)
	if a3.After.Reps != 1 || a3.After.Interval != 1 {
		t.Errorf("next day's answer: %+v, want an SM-2 review", a3.After)
	}
	// Undo restores the learning state the answer replaced.
	a4 := mustAnswer(t, s, cards[1].ID, card.Again)
	if err := s.Undo(ctx, a4.ReviewID); err != nil {
		t.Fatal(err)
	}
	if e, _ := s.Card(ctx, cards[1].ID); !e.State.LearnDue.IsZero() {
		t.Errorf("after undo learning due %s, want none", e.State.LearnDue)
	}
}

// TestNewCardsTakeTurns: decks take turns, and a long list gives one card.
func TestNewCardsTakeTurns(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	a := cat(grouped("A", "long", 28, 1), basics("A", 2))
	b := basics("B", 3)
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, a); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sync(ctx, SourceFile{Path: "b.md"}, card.Limits{}, b); err != nil {
		t.Fatal(err)
	}
	_, fresh := mustQueue(t, s, QueueOptions{})
	var decks []string
	for _, e := range fresh {
		decks = append(decks, e.Deck)
	}
	if want := []string{"A", "B", "A", "B", "A", "B"}; !slices.Equal(decks, want) {
		t.Errorf("new cards' decks %v, want %v", decks, want)
	}
}
