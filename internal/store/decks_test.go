package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
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

// headings makes the cards of a talk: two under each heading, one under
// none.
func headings(deck string, names ...string) []card.Card {
	var out []card.Card
	line := 1
	add := func(ctx []string) {
		c := basic(deck, fmt.Sprintf("Question %d?", line), "A", line, fmt.Sprintf("%s#q%d", file, line))
		c.Context = ctx
		if len(ctx) > 1 {
			c.Section = ctx[1]
		}
		out = append(out, c)
		line++
	}
	add([]string{deck})
	for _, h := range names {
		add([]string{deck, h})
		add([]string{deck, h, "Deeper"})
	}
	return out
}

// firstHeading names subdecks as the tests' Store.Subdeck.
func firstHeading(c card.Card) string { return c.Section }

// TestSubdecks checks that a card's subdeck is its deck and first
// heading, that a deck name takes a deck or a subdeck in any case, and
// that the subdecks listed are those with cards.
func TestSubdecks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	s.Subdeck = firstHeading
	talk := headings("QCon", "Containers", "Microservices")
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, talk); err != nil {
		t.Fatal(err)
	}
	other := syncDeck(t, s, "QCon::Extra", 2, card.Limits{})
	decks, err := s.Decks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []Subdeck{{"QCon::Containers", 2}, {"QCon::Microservices", 2}}
	if len(decks) != 2 || decks[0].Cards != 5 || !slices.Equal(decks[0].Subdecks, want) || len(decks[1].Subdecks) != 0 {
		t.Errorf("Decks() = %+v, want QCon with 5 cards and subdecks %+v, then QCon::Extra", decks, want)
	}

	tests := []struct {
		deck string
		want []card.Card
	}{
		{"QCon", cat(talk, other)},
		{"qcon", cat(talk, other)},
		{"QCON::containers", talk[1:3]},
		{"QCon::Microservices", talk[3:5]},
		{"qcon::extra", other},
	}
	for _, tt := range tests {
		_, fresh := mustQueue(t, s, QueueOptions{Deck: tt.deck, NewLimit: card.PerDay(100)})
		if got, want := sortedIDs(ids(fresh)), sortedIDs(cardIDs(tt.want)); !slices.Equal(got, want) {
			t.Errorf("Queue(%q) new = %v, want %v", tt.deck, got, want)
		}
		es, err := s.Cards(ctx, Filter{Deck: tt.deck})
		if got, want := sortedIDs(ids(es)), sortedIDs(cardIDs(tt.want)); err != nil || !slices.Equal(got, want) {
			t.Errorf("Cards(%q) = %v, %v; want %v", tt.deck, got, err, want)
		}
	}
	for _, deck := range []string{"QCon::Container", "Containers", "QCon::Containers::Deeper"} {
		if _, _, err := s.Queue(ctx, QueueOptions{Deck: deck}); !errors.Is(err, card.ErrNotFound) {
			t.Errorf("Queue(%q) = %v, want card.ErrNotFound", deck, err)
		}
		if _, err := s.Cards(ctx, Filter{Deck: deck}); !errors.Is(err, card.ErrNotFound) {
			t.Errorf("Cards(%q) = %v, want card.ErrNotFound", deck, err)
		}
	}

	// A subdeck shares its deck's limits, and the queue of two subdecks
	// spelled apart keeps them.
	if err := s.SetLimits(ctx, "QCon", card.Limits{New: card.PerDay(1)}); err != nil {
		t.Fatal(err)
	}
	if _, fresh := mustQueue(t, s, QueueOptions{Deck: "qcon::containers"}); len(fresh) != 1 {
		t.Errorf("subdeck of a deck limited to 1: %d new", len(fresh))
	}
	st, err := s.StatusOf(ctx, "qcon::containers")
	if err != nil || len(st) != 1 || st[0].Deck != "QCon::Containers" || st[0].New != 2 {
		t.Errorf("StatusOf(qcon::containers) = %+v, %v; want QCon::Containers with 2 new", st, err)
	}

	// A heading renamed: its cards move, the old subdeck goes.
	renamed := slices.Clone(talk)
	for i := 1; i < 3; i++ {
		renamed[i].Context = []string{"QCon", "Kubernetes"}
		renamed[i].Section = "Kubernetes"
	}
	if _, err := s.Sync(ctx, SourceFile{Path: file, Hash: "v2"}, card.Limits{}, renamed); err != nil {
		t.Fatal(err)
	}
	decks, _ = s.Decks(ctx)
	want = []Subdeck{{"QCon::Kubernetes", 2}, {"QCon::Microservices", 2}}
	if !slices.Equal(decks[0].Subdecks, want) {
		t.Errorf("after renaming a heading: subdecks %+v, want %+v", decks[0].Subdecks, want)
	}
	// Orphans leave theirs.
	if _, err := s.Sync(ctx, SourceFile{Path: file, Hash: "v3"}, card.Limits{}, renamed[:3]); err != nil {
		t.Fatal(err)
	}
	decks, _ = s.Decks(ctx)
	want = []Subdeck{{"QCon::Kubernetes", 2}}
	if !slices.Equal(decks[0].Subdecks, want) || decks[0].Cards != 3 {
		t.Errorf("after orphaning a heading's cards: %d cards, subdecks %+v; want 3, %+v", decks[0].Cards, decks[0].Subdecks, want)
	}
}

func sortedIDs(l []string) []string { return slices.Sorted(slices.Values(l)) }

// TestNameSubdecks checks that cards synced before recall knew subdecks
// get theirs named, once.
func TestNameSubdecks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	talk := headings("QCon", "Containers")
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, talk); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.Exec(`UPDATE meta SET value = 0 WHERE key = 'subdecks_named'`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Cards(ctx, Filter{Deck: "QCon::Containers"}); !errors.Is(err, card.ErrNotFound) {
		t.Fatalf("before naming: Cards(QCon::Containers) = %v, want card.ErrNotFound", err)
	}
	s.Subdeck = firstHeading
	if err := s.NameSubdecks(ctx); err != nil {
		t.Fatal(err)
	}
	if es, err := s.Cards(ctx, Filter{Deck: "QCon::Containers"}); err != nil || len(es) != 2 {
		t.Errorf("after naming: Cards(QCon::Containers) = %d cards, %v; want 2", len(es), err)
	}
	// Once: a second call reads nothing.
	s.Subdeck = func(card.Card) string { return "Else" }
	if err := s.NameSubdecks(ctx); err != nil {
		t.Fatal(err)
	}
	if es, _ := s.Cards(ctx, Filter{Deck: "QCon::Else"}); len(es) != 0 {
		t.Errorf("a second NameSubdecks named %d cards again", len(es))
	}
}

// TestSubdeckCounts checks the subdecks' counts through what changes
// which cards they hold: a card moving between files, a file pruned, an
// orphan restored.
func TestSubdeckCounts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	s.Subdeck = firstHeading
	talk := headings("QCon", "Containers")
	a, b := talk[:2], talk[2:] // a: no heading, Containers; b: Containers
	for i := range b {
		b[i].Source.File = "b.md"
	}
	mustSync := func(path string, cards []card.Card) {
		t.Helper()
		if _, err := s.Sync(ctx, SourceFile{Path: path, Hash: fmt.Sprint(len(cards))}, card.Limits{}, cards); err != nil {
			t.Fatal(err)
		}
	}
	subdecks := func(when string, want ...Subdeck) {
		t.Helper()
		decks, err := s.Decks(ctx)
		if err != nil || len(decks) != 1 || !slices.Equal(decks[0].Subdecks, want) {
			t.Errorf("%s: Decks() = %+v, %v; want QCon with subdecks %+v", when, decks, err, want)
		}
	}
	mustSync(file, a)
	mustSync("b.md", b)
	subdecks("two files", Subdeck{"QCon::Containers", 2})
	// a's Containers card moves to b.
	moved := a[1]
	moved.Source.File = "b.md"
	mustSync("b.md", append(slices.Clone(b), moved))
	mustSync(file, a[:1])
	subdecks("a card moved", Subdeck{"QCon::Containers", 2})
	if _, err := s.Prune(ctx, "b.md"); err != nil {
		t.Fatal(err)
	}
	subdecks("b pruned")
	if _, err := s.RestoreCard(ctx, moved.ID); err != nil {
		t.Fatal(err)
	}
	subdecks("an orphan restored", Subdeck{"QCon::Containers", 1})
	if _, err := s.Cards(ctx, Filter{Deck: "QCon::Containers"}); err != nil {
		t.Errorf("Cards(QCon::Containers) after the restore: %v", err)
	}
}
