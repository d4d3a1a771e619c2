package store

import (
	"context"
	"testing"

	"github.com/recall-cli/recall/internal/card"
)

// syncDeck syncs n new cards of deck from a file of its own, with the
// front matter limits l.
func syncDeck(t *testing.T, s *Store, deck string, n int, l card.Limits) []card.Card {
	t.Helper()
	cards := basics(deck, n)
	path := deck + ".md"
	for i := range cards {
		cards[i].Source.File = path
	}
	if _, err := s.Sync(context.Background(), SourceFile{Path: path}, l, cards); err != nil {
		t.Fatal(err)
	}
	return cards
}

// TestQueueLimits checks the daily limits a queue keeps: 0 is none, the
// collection's limit stands in for a deck's and caps a queue of every
// deck, a session's limit caps the session, a deck's limit caps its
// subdecks that are decks of their own.
func TestQueueLimits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	syncDeck(t, s, "A", 30, card.Limits{})
	syncDeck(t, s, "B", 30, card.Limits{New: card.PerDay(4)})
	syncDeck(t, s, "B::Sub", 30, card.Limits{})
	count := func(q QueueOptions) int {
		t.Helper()
		_, fresh := mustQueue(t, s, q)
		return len(fresh)
	}
	set := func(deck string, l card.Limits) {
		t.Helper()
		if err := s.SetLimits(ctx, deck, l); err != nil {
			t.Fatal(err)
		}
	}
	n := card.PerDay
	tests := []struct {
		name  string
		setup func()
		q     QueueOptions
		want  int
	}{
		{"defaults: each deck its own", nil, QueueOptions{}, 20 + 4 + 20},
		{"a deck's limit caps its subdecks", nil, QueueOptions{Deck: "B"}, 4},
		{"a subdeck alone", nil, QueueOptions{Deck: "B::Sub"}, 20},
		{"session limit for all", nil, QueueOptions{NewLimit: n(5)}, 5},
		{"session limit 0", nil, QueueOptions{NewLimit: n(0)}, 0},
		{"config 0 pauses a deck", func() { set("A", card.Limits{New: n(0)}) }, QueueOptions{Deck: "A"}, 0},
		{"config 0 leaves the others", nil, QueueOptions{}, 4 + 20},
		{"collection limit stands in and caps", func() { set("", card.Limits{New: n(10)}) }, QueueOptions{}, 10},
		{"collection limit for one deck", nil, QueueOptions{Deck: "B::Sub"}, 10},
		{"front matter over collection", nil, QueueOptions{Deck: "B"}, 4},
		{"config cleared", func() { set("A", card.Limits{}) }, QueueOptions{Deck: "A"}, 10},
		{"collection cleared", func() { set("", card.Limits{}) }, QueueOptions{}, 20 + 4 + 20},
	}
	for _, tt := range tests {
		if tt.setup != nil {
			tt.setup()
		}
		if got := count(tt.q); got != tt.want {
			t.Errorf("%s: Queue(%+v) gave %d new, want %d", tt.name, tt.q, got, tt.want)
		}
	}
}

// TestQueueLimitsCountToday checks that today's answers count against a
// collection's limit over every deck.
func TestQueueLimitsCountToday(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	a := syncDeck(t, s, "A", 10, card.Limits{})
	syncDeck(t, s, "B", 10, card.Limits{})
	if err := s.SetLimits(ctx, "", card.Limits{New: card.PerDay(6), Reviews: card.PerDay(0)}); err != nil {
		t.Fatal(err)
	}
	for _, c := range a[:4] {
		mustAnswer(t, s, c.ID, card.Good)
	}
	if _, fresh := mustQueue(t, s, QueueOptions{}); len(fresh) != 2 {
		t.Errorf("after 4 new of 6: %d new, want 2", len(fresh))
	}
	if _, fresh := mustQueue(t, s, QueueOptions{Deck: "B"}); len(fresh) != 6 {
		t.Errorf("deck B alone: %d new, want its limit of 6", len(fresh))
	}
}
