package store

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/card"
)

// Remove takes a deck's cards with everything that hangs on them, and
// nothing of another deck's; PlanRemove counts the same and changes
// nothing.
func TestRemove(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	gone, kept := basics("Gone", 3), basics("Kept", 2)
	if _, err := s.Sync(ctx, SourceFile{Path: "/notes/gone.md"}, card.Limits{}, gone); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sync(ctx, SourceFile{Path: "/notes/kept.md"}, card.Limits{}, kept); err != nil {
		t.Fatal(err)
	}
	for _, c := range []card.Card{gone[0], gone[1], kept[0]} {
		if _, err := s.Answer(ctx, c.ID, card.Good, time.Second, false); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.SetScheduling(ctx, "Gone", "fsrs", 0.85); err != nil {
		t.Fatal(err)
	}
	before := dump1(t, s)
	want := Removal{Cards: 3, Reviews: 2, Sources: []string{"/notes/gone.md"}, Decks: []string{"Gone"}}
	plan, err := s.PlanRemove(ctx, []Target{{Deck: "gone"}})
	if err != nil || !sameRemoval(plan, want) {
		t.Fatalf("PlanRemove = %+v, %v; want %+v", plan, err, want)
	}
	if after := dump1(t, s); after != before {
		t.Fatal("PlanRemove changed the collection")
	}
	got, err := s.Remove(ctx, []Target{{Deck: "gone"}})
	if err != nil || !sameRemoval(got, want) {
		t.Fatalf("Remove = %+v, %v; want %+v", got, err, want)
	}
	for _, q := range []string{
		`SELECT count(*) FROM cards WHERE deck = 'Gone'`,
		`SELECT count(*) FROM reviews WHERE card_id NOT IN (SELECT id FROM cards)`,
		`SELECT count(*) FROM decks WHERE name = 'Gone'`,
		`SELECT count(*) FROM subdecks WHERE deck = 'Gone'`,
		`SELECT count(*) FROM sources WHERE path = '/notes/gone.md'`,
	} {
		var n int
		if err := s.db.QueryRow(q).Scan(&n); err != nil || n != 0 {
			t.Errorf("%s = %d, %v; want 0", q, n, err)
		}
	}
	var n int
	if err := s.db.QueryRow(`SELECT count(*) FROM reviews`).Scan(&n); err != nil || n != 1 {
		t.Errorf("reviews left = %d, %v; want Kept's 1", n, err)
	}
	if cards, err := s.Cards(ctx, Filter{Deck: "Kept"}); err != nil || len(cards) != 2 {
		t.Errorf("Kept after removing Gone: %d cards, %v", len(cards), err)
	}
	if _, err := s.Remove(ctx, []Target{{Deck: "Gone"}}); !errors.Is(err, card.ErrNotFound) {
		t.Errorf("removing Gone again = %v, want not found", err)
	}
}

// A shipped deck removed is remembered, so it is not loaded again.
func TestRemoveShipped(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	src := ShippedPrefix + "syntax.md"
	if _, err := s.Sync(ctx, SourceFile{Path: src}, card.Limits{}, basics("Syntax", 2)); err != nil {
		t.Fatal(err)
	}
	if f, err := s.Forgotten(ctx, src); err != nil || f {
		t.Fatalf("Forgotten before removing = %v, %v", f, err)
	}
	if _, err := s.Remove(ctx, []Target{{Source: src}}); err != nil {
		t.Fatal(err)
	}
	if f, err := s.Forgotten(ctx, src); err != nil || !f {
		t.Errorf("Forgotten after removing = %v, %v; want true", f, err)
	}
}

func sameRemoval(a, b Removal) bool {
	return a.Cards == b.Cards && a.Reviews == b.Reviews && a.Revisions == b.Revisions &&
		slices.Equal(a.Sources, b.Sources) && slices.Equal(a.Decks, b.Decks)
}
