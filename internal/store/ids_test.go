package store

import (
	"context"
	"slices"
	"testing"

	"github.com/recall-cli/recall/internal/card"
)

func TestCardsWithPrefix(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	src := SourceFile{Path: file}
	cards := basics("D", 40)
	if _, err := s.Sync(ctx, src, card.Limits{}, cards); err != nil {
		t.Fatal(err)
	}
	// An orphan is still a card a person may name.
	if _, err := s.Sync(ctx, src, card.Limits{}, cards[1:]); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range cards {
		ids = append(ids, c.ID)
	}
	slices.Sort(ids)
	// Every id whose first hex digit is that of the smallest.
	var first []string
	for _, id := range ids {
		if id[0] == ids[0][0] {
			first = append(first, id)
		}
	}
	tests := []struct {
		prefix string
		limit  int
		want   []string
	}{
		{cards[0].ID, 10, []string{cards[0].ID}},
		{cards[0].ID[:6], 10, []string{cards[0].ID}},
		{ids[0][:1], 100, first},
		{ids[0][:1], 1, first[:1]},
		{"", 3, ids[:3]},
		{"zz", 10, nil},
	}
	for _, tt := range tests {
		refs, err := s.CardsWithPrefix(ctx, tt.prefix, tt.limit)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range refs {
			got = append(got, r.ID)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("CardsWithPrefix(%q, %d) = %v, want %v", tt.prefix, tt.limit, got, tt.want)
		}
	}
	refs, err := s.CardsWithPrefix(ctx, cards[0].ID, 1)
	if err != nil || len(refs) != 1 || !refs[0].Orphan || refs[0].Front != cards[0].Front || refs[0].Deck != "D" {
		t.Errorf("CardsWithPrefix(orphan) = %+v, %v; want the orphan with its front and deck", refs, err)
	}
}
