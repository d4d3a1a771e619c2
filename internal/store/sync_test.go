package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/card"
)

const file = "notes.md"

// basic makes a basic card the way the parser does: keyed by its prompt,
// anchored at its place.
func basic(deck, front, back string, line int, anchor string) card.Card {
	key := card.Normalize(front)
	return card.Card{
		ID: card.NewID(deck, key), Deck: deck, Kind: card.Basic, Front: front, Back: back,
		Context: []string{deck}, Tags: []string{"t"}, Source: card.Source{File: file, Line: line},
		Key: key, Anchor: anchor, Group: anchor,
	}
}

// list makes a list card and its clozes: the list keyed by its label, each
// cloze by label and deleted text, anchored as the parser does at the
// heading's first list and the item's number in it.
func list(deck, heading, label string, line int, items ...string) []card.Card {
	anchor := file + "#" + heading + "@list1"
	var back strings.Builder
	for _, it := range items {
		fmt.Fprintf(&back, "- %s\n", it)
	}
	key := card.Normalize(label)
	out := []card.Card{{
		ID: card.NewID(deck, key), Deck: deck, Kind: card.List,
		Front: fmt.Sprintf("%s — name the %d items", label, len(items)), Back: back.String(),
		Context: []string{deck, heading}, Source: card.Source{File: file, Line: line},
		Key: key, Anchor: anchor, Group: anchor,
	}}
	for i, it := range items {
		var front strings.Builder
		fmt.Fprintf(&front, "%s:\n", label)
		for j, other := range items {
			if j == i {
				other = card.Gap
			}
			fmt.Fprintf(&front, "- %s\n", other)
		}
		k := key + "\x00" + card.Normalize(it)
		out = append(out, card.Card{
			ID: card.NewID(deck, k), Deck: deck, Kind: card.Cloze, Front: front.String(), Back: it,
			Context: []string{deck, heading}, Source: card.Source{File: file, Line: line + 1 + i},
			Key: k, Anchor: fmt.Sprintf("%s/%d", anchor, i+1), Group: anchor,
			Text: strings.Replace(front.String(), card.Gap, "{{c1::"+it+"}}", 1),
		})
	}
	return out
}

// basics makes n distinct basic cards.
func basics(deck string, n int) []card.Card {
	out := make([]card.Card, n)
	for i := range out {
		out[i] = basic(deck, fmt.Sprintf("Question %d?", i), fmt.Sprintf("Answer %d", i), i+1, fmt.Sprintf("%s#q%d", file, i))
	}
	return out
}

func cat(lists ...[]card.Card) []card.Card { return slices.Concat(lists...) }

var commandments = []string{"Immutable infrastructure", "Use tools", "Declarative config", "Small images"}

// stageCase is a case of TestSyncStages: two versions of some notes, and
// what the sync of the second should make of the first's cards.
type stageCase struct {
	name     string
	old, new []card.Card
	want     SyncResult
	same     map[int]int // index in new → index in old of the same card
	revised  []int       // indexes in new whose old text became a revision
}

// TestSyncStages syncs a first version of some notes, answers every card,
// syncs a second version and checks what each card of the second version
// became: the same card (same id, reviews kept) as which card of the first,
// or a new one.
func TestSyncStages(t *testing.T) {
	t.Parallel()
	const d = "Talks"
	typoQ := basic(d, "Waht port does etcd use?", "2379", 1, "notes.md#ports@list1/1")
	fixedQ := basic(d, "What port does etcd use?", "2379", 1, "notes.md#ports@list1/1")
	typoA := basic(d, "What port does etcd use?", "2397", 1, "notes.md#ports@list1/1")
	other := basic(d, "Default Raft election timeout?", "1s", 2, "notes.md#ports@list1/2")

	moved := list(d, "Later", "K8s commandments", 30, commandments...)
	for i := range moved {
		moved[i].Anchor = strings.Replace(moved[i].Anchor, "#Containers/", "#Later/", 1)
	}
	tests := []stageCase{
		{
			name: "typo in question",
			old:  []card.Card{typoQ, other}, new: []card.Card{fixedQ, other},
			want:    SyncResult{Updated: 1, Unchanged: 1},
			same:    map[int]int{0: 0, 1: 1},
			revised: []int{0},
		},
		{
			name: "typo in answer",
			old:  []card.Card{fixedQ, other}, new: []card.Card{typoA, other},
			want:    SyncResult{Updated: 1, Unchanged: 1},
			same:    map[int]int{0: 0, 1: 1},
			revised: []int{0},
		},
		{
			name: "typo in a cloze's deleted text",
			old:  list(d, "Containers", "K8s commandments", 10, "Immutable infrastrcture", "Use tools"),
			new:  list(d, "Containers", "K8s commandments", 10, "Immutable infrastructure", "Use tools"),
			// The list card's back and the other cloze's front change too.
			want:    SyncResult{Updated: 3},
			same:    map[int]int{0: 0, 1: 1, 2: 2},
			revised: []int{0, 1, 2},
		},
		{
			name: "moved list",
			old:  cat([]card.Card{other}, list(d, "Containers", "K8s commandments", 10, commandments...)),
			new:  cat([]card.Card{other}, moved),
			want: SyncResult{Updated: 5, Unchanged: 1},
			same: map[int]int{0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5},
		},
		{
			name: "removed card",
			old:  []card.Card{fixedQ, other}, new: []card.Card{other},
			want: SyncResult{Orphaned: 1, Unchanged: 1},
			same: map[int]int{0: 1},
		},
		{
			name: "inserted middle item",
			old:  list(d, "Containers", "K8s commandments", 10, "A one", "B two", "C three"),
			new:  list(d, "Containers", "K8s commandments", 10, "A one", "X new", "B two", "C three"),
			// Every card's text changes (the list grew), but only X is new.
			want:    SyncResult{Added: 1, Updated: 4},
			same:    map[int]int{0: 0, 1: 1, 3: 2, 4: 3},
			revised: []int{0, 1, 3, 4},
		},
		{
			name:    "reworded list label",
			old:     list(d, "Containers", "K8s commandments", 10, commandments...),
			new:     list(d, "Containers", "Kubernetes commandments", 10, commandments...),
			want:    SyncResult{Updated: 5},
			same:    map[int]int{0: 0, 1: 1, 2: 2, 3: 3, 4: 4},
			revised: []int{0, 1, 2, 3, 4},
		},
		{
			name: "replaced last item in place is the same card",
			old:  list(d, "Containers", "K8s commandments", 10, "Immutable infrastructure", "Use tools"),
			new:  list(d, "Containers", "K8s commandments", 10, "Immutable infrastructure", "Never use latest tag"),
			// The list keeps its label, so it is the same card; the item
			// keeps its place and its neighbour, so it is too.
			want:    SyncResult{Updated: 3},
			same:    map[int]int{0: 0, 1: 1, 2: 2},
			revised: []int{0, 1, 2},
		},
		{
			name: "different question at the same place is a new card",
			old:  []card.Card{fixedQ}, new: []card.Card{basic(d, "Who wrote Raft?", "Ongaro", 1, "notes.md#ports@list1/1")},
			want: SyncResult{Added: 1, Orphaned: 1},
		},
		{
			name: "swapped sections with the same label",
			old: cat(list(d, "Day 1", "Takeaways", 10, "Alpha", "Beta"),
				list(d, "Day 2", "Takeaways", 20, "Alpha", "Gamma")),
			new: cat(list(d, "Day 2", "Takeaways", 10, "Alpha", "Gamma"),
				list(d, "Day 1", "Takeaways", 20, "Alpha", "Beta")),
			want: SyncResult{Updated: 6},
			same: map[int]int{0: 3, 1: 4, 2: 5, 3: 0, 4: 1, 5: 2},
		},
		{
			name: "unchanged",
			old:  cat([]card.Card{fixedQ, other}, list(d, "Containers", "K8s commandments", 10, commandments...)),
			new:  cat([]card.Card{fixedQ, other}, list(d, "Containers", "K8s commandments", 10, commandments...)),
			want: SyncResult{Unchanged: 7},
			same: map[int]int{0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6},
		},
	}
	tests = append(tests, rewordCases(d)...)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s, clk := openTest(t)
			src := SourceFile{Path: file, Hash: "v1"}
			if _, err := s.Sync(ctx, src, card.Limits{}, tt.old); err != nil {
				t.Fatal(err)
			}
			// Give every old card a review, so history is visible.
			var oldIDs []string
			for i, c := range tt.old {
				e := findCard(t, s, c)
				oldIDs = append(oldIDs, e.ID)
				if _, err := s.Answer(ctx, e.ID, card.Grade(i%3+3), time.Second, false); err != nil {
					t.Fatal(err)
				}
			}
			clk.t = clk.t.Add(time.Hour)
			src.Hash = "v2"
			got, err := s.Sync(ctx, src, card.Limits{}, tt.new)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("Sync(v2) = %+v, want %+v", got, tt.want)
			}
			seen := map[string]bool{}
			for i, c := range tt.new {
				e := findCard(t, s, c)
				if seen[e.ID] {
					t.Errorf("new card %d: id %s given to two cards", i, e.ID)
				}
				seen[e.ID] = true
				if e.Front != c.Front || e.Back != c.Back || e.Source.Line != c.Source.Line {
					t.Errorf("new card %d: stored %q/%q line %d, want %q/%q line %d", i, e.Front, e.Back, e.Source.Line, c.Front, c.Back, c.Source.Line)
				}
				reviews := countReviews(t, s, e.ID)
				if j, ok := tt.same[i]; ok {
					if e.ID != oldIDs[j] {
						t.Errorf("new card %d (%q) has id %s, want %s of old card %d (%q)", i, c.Front, e.ID, oldIDs[j], j, tt.old[j].Front)
					}
					if reviews != 1 || e.State.IsNew() {
						t.Errorf("new card %d lost its history: %d reviews, state %+v", i, reviews, e.State)
					}
				} else {
					if slices.Contains(oldIDs, e.ID) || reviews != 0 {
						t.Errorf("new card %d (%q) took the id %s (%d reviews) of an old card", i, c.Front, e.ID, reviews)
					}
				}
				revs, err := s.Revisions(ctx, e.ID)
				if err != nil {
					t.Fatal(err)
				}
				if want := slices.Contains(tt.revised, i); want != (len(revs) == 1) || len(revs) > 1 {
					t.Errorf("new card %d: %d revisions, want revised %v", i, len(revs), want)
				} else if want {
					old := tt.old[tt.same[i]]
					if revs[0].Front != old.Front || revs[0].Back != old.Back {
						t.Errorf("new card %d: revision %q/%q, want %q/%q", i, revs[0].Front, revs[0].Back, old.Front, old.Back)
					}
				}
			}
			orphans, err := s.Cards(ctx, Filter{Orphans: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(orphans) != tt.want.Orphaned {
				t.Errorf("%d orphans listed, want %d", len(orphans), tt.want.Orphaned)
			}
			for _, o := range orphans {
				if o.Status != card.StatusOrphan || seen[o.ID] {
					t.Errorf("orphan %s: status %s, also a live card %v", o.ID, o.Status, seen[o.ID])
				}
			}
		})
	}
}

// findCard returns the stored card at c's place in the notes.
func findCard(t testing.TB, s *Store, c card.Card) card.Entry {
	t.Helper()
	all, err := s.Cards(context.Background(), Filter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range all {
		if e.Source == c.Source && e.Kind == c.Kind {
			return e
		}
	}
	t.Fatalf("no card at %v", c.Source)
	return card.Entry{}
}

func countReviews(t testing.TB, s *Store, id string) int {
	t.Helper()
	n := 0
	err := s.EachReview(context.Background(), id, func(Review) error { n++; return nil })
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestSyncOrphanLifecycle: a removed card becomes an orphan, hidden from
// review but listed; added back to the notes it returns with its history;
// restored by hand it stays even though the notes lack it.
func TestSyncOrphanLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, clk := openTest(t)
	src := SourceFile{Path: file}
	cards := basics("D", 3)
	if _, err := s.Sync(ctx, src, card.Limits{}, cards); err != nil {
		t.Fatal(err)
	}
	id := cards[1].ID
	if _, err := s.Answer(ctx, id, card.Good, 0, false); err != nil {
		t.Fatal(err)
	}
	clk.t = clk.t.AddDate(0, 0, 1)

	res, err := s.Sync(ctx, src, card.Limits{}, []card.Card{cards[0], cards[2]})
	if err != nil || res != (SyncResult{Orphaned: 1, Unchanged: 2}) {
		t.Fatalf("Sync(removed) = %+v, %v; want 1 orphaned, 2 unchanged", res, err)
	}
	e, err := s.Card(ctx, id)
	if err != nil || e.Status != card.StatusOrphan {
		t.Fatalf("Card(removed) = %v, %v; want an orphan", e.Status, err)
	}
	due, fresh, err := s.Queue(ctx, QueueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range slices.Concat(due, fresh) {
		if q.ID == id {
			t.Errorf("Queue holds orphan %s", id)
		}
	}
	// An answer to an orphan (it left its notes while on screen) is
	// recorded, and the card stays an orphan.
	if _, err := s.Answer(ctx, id, card.Good, 0, false); err != nil {
		t.Errorf("Answer(orphan) = %v, want it recorded", err)
	}
	if e, err := s.Card(ctx, id); err != nil || e.Status != card.StatusOrphan || e.State.Reps != 2 {
		t.Errorf("orphan after an answer: %v %+v, %v; want an orphan with 2 reps", e.Status, e.State, err)
	}
	if err := s.Bury(ctx, id); !errors.Is(err, card.ErrInvalid) {
		t.Errorf("Bury(orphan) = %v, want card.ErrInvalid", err)
	}

	// Back in the notes.
	res, err = s.Sync(ctx, src, card.Limits{}, cards)
	if err != nil || res != (SyncResult{Restored: 1, Unchanged: 2}) {
		t.Fatalf("Sync(re-added) = %+v, %v; want 1 restored, 2 unchanged", res, err)
	}
	e, err = s.Card(ctx, id)
	if err != nil || e.Status != card.StatusReview || e.State.Reps != 2 || countReviews(t, s, id) != 2 {
		t.Fatalf("re-added card: %v, %+v, %v; want its review history", e.Status, e.State, err)
	}

	// Removed again, then restored by hand: it stays when the file is
	// synced again without it.
	if _, err := s.Sync(ctx, src, card.Limits{}, []card.Card{cards[0], cards[2]}); err != nil {
		t.Fatal(err)
	}
	if err := s.Restore(ctx, id); err != nil {
		t.Fatal(err)
	}
	cards[0].Back = "changed"
	res, err = s.Sync(ctx, src, card.Limits{}, []card.Card{cards[0], cards[2]})
	if err != nil || res != (SyncResult{Updated: 1, Unchanged: 1}) {
		t.Fatalf("Sync(after restore) = %+v, %v; want 1 updated, 1 unchanged", res, err)
	}
	if e, _ := s.Card(ctx, id); e.Status != card.StatusReview {
		t.Errorf("restored card is %v after a sync, want review", e.Status)
	}
	// And added back to the notes, the file takes it again.
	res, err = s.Sync(ctx, src, card.Limits{}, cards)
	if err != nil || res != (SyncResult{Updated: 1, Unchanged: 2}) {
		t.Fatalf("Sync(restored card back in notes) = %+v, %v; want 1 updated, 2 unchanged", res, err)
	}
	if n := len(mustCards(t, s, Filter{})); n != 3 {
		t.Errorf("%d cards, want 3", n)
	}
}

func mustCards(t testing.TB, s *Store, f Filter) []card.Entry {
	t.Helper()
	es, err := s.Cards(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// TestSyncMoveBetweenFiles: a card cut from one file and pasted in another
// of the same deck keeps its id and history, whichever file syncs first.
func TestSyncMoveBetweenFiles(t *testing.T) {
	t.Parallel()
	for _, destFirst := range []bool{true, false} {
		t.Run(fmt.Sprintf("destination first %v", destFirst), func(t *testing.T) {
			ctx := context.Background()
			s, _ := openTest(t)
			a, b := SourceFile{Path: "a.md"}, SourceFile{Path: "b.md"}
			cards := basics("D", 3)
			if _, err := s.Sync(ctx, a, card.Limits{}, cards); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Answer(ctx, cards[2].ID, card.Easy, 0, false); err != nil {
				t.Fatal(err)
			}
			movedCard := cards[2]
			movedCard.Source = card.Source{File: "b.md", Line: 1}
			syncA := func() {
				if _, err := s.Sync(ctx, a, card.Limits{}, cards[:2]); err != nil {
					t.Fatal(err)
				}
			}
			if !destFirst {
				syncA()
			}
			res, err := s.Sync(ctx, b, card.Limits{}, []card.Card{movedCard})
			if err != nil {
				t.Fatal(err)
			}
			if want := (SyncResult{Updated: 1}); destFirst && res != want {
				t.Errorf("Sync(b) = %+v, want %+v", res, want)
			} else if want := (SyncResult{Restored: 1}); !destFirst && res != want {
				t.Errorf("Sync(b) = %+v, want %+v", res, want)
			}
			if destFirst {
				syncA()
			}
			e, err := s.Card(ctx, cards[2].ID)
			if err != nil || e.Status != card.StatusReview || e.Source.File != "b.md" {
				t.Errorf("moved card: %v %v %v, want in review from b.md", e.Status, e.Source, err)
			}
			if n := len(mustCards(t, s, Filter{Orphans: true})); n != 0 {
				t.Errorf("%d orphans, want 0", n)
			}
		})
	}
}

// TestSyncIDs: new cards get their own ids; a taken id is replaced by a
// derived one, the same on every sync.
func TestSyncIDs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	src := SourceFile{Path: file}
	q := basic("D", "Same question?", "a", 1, "notes.md#1")
	dup := basic("D", "Same question?", "b", 2, "notes.md#2")
	res, err := s.Sync(ctx, src, card.Limits{}, []card.Card{q, dup})
	if err != nil || res.Added != 2 {
		t.Fatalf("Sync(duplicates) = %+v, %v; want 2 added", res, err)
	}
	first, second := findCard(t, s, q), findCard(t, s, dup)
	if first.ID != q.ID || second.ID != card.NewID("D", q.Key+"#2") {
		t.Errorf("ids %s, %s; want %s, %s", first.ID, second.ID, q.ID, card.NewID("D", q.Key+"#2"))
	}
	res, err = s.Sync(ctx, src, card.Limits{}, []card.Card{q, dup})
	if err != nil || res != (SyncResult{Unchanged: 2}) {
		t.Errorf("re-sync of duplicates = %+v, %v; want 2 unchanged", res, err)
	}

	// A typo fix keeps the old id under a new key; the old wording added
	// again is a new card, whose own id is now taken.
	typo := basic("D", "Waht is etcd?", "a store", 3, "notes.md#3")
	if _, err := s.Sync(ctx, src, card.Limits{}, []card.Card{q, dup, typo}); err != nil {
		t.Fatal(err)
	}
	fixed := basic("D", "What is etcd?", "a store", 3, "notes.md#3")
	if _, err := s.Sync(ctx, src, card.Limits{}, []card.Card{q, dup, fixed}); err != nil {
		t.Fatal(err)
	}
	again := basic("D", "Waht is etcd?", "a store", 4, "notes.md#4")
	res, err = s.Sync(ctx, src, card.Limits{}, []card.Card{q, dup, fixed, again})
	if err != nil || res != (SyncResult{Added: 1, Unchanged: 3}) {
		t.Fatalf("Sync(old wording again) = %+v, %v", res, err)
	}
	if e := findCard(t, s, fixed); e.ID != typo.ID {
		t.Errorf("fixed card has id %s, want %s", e.ID, typo.ID)
	}
	if e := findCard(t, s, again); e.ID != card.NewID("D", again.Key+"#2") {
		t.Errorf("re-added wording has id %s, want %s", e.ID, card.NewID("D", again.Key+"#2"))
	}
}

func TestSyncDeckAndLimits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	cards := basics("Override", 2)
	res, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{New: card.PerDay(5)}, cards)
	if err != nil || res.Added != 2 {
		t.Fatalf("Sync = %+v, %v", res, err)
	}
	limits := func() (Limit, Limit) {
		t.Helper()
		decks, err := s.Decks(ctx)
		if err != nil || len(decks) != 1 || decks[0].Name != "Override" || decks[0].Cards != 2 {
			t.Fatalf("Decks() = %+v, %v; want Override with 2 cards", decks, err)
		}
		return decks[0].New, decks[0].Reviews
	}
	check := func(when string, wantNew, wantReviews Limit) {
		t.Helper()
		if n, r := limits(); n != wantNew || r != wantReviews {
			t.Errorf("%s: limits %+v, %+v; want %+v, %+v", when, n, r, wantNew, wantReviews)
		}
	}
	check("front matter new: 5", Limit{5, FromFrontMatter}, Limit{DefaultReviewLimit, FromDefault})

	// The front matter says what it says at each sync: a limit it no
	// longer sets is gone.
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{Reviews: card.PerDay(50)}, cards); err != nil {
		t.Fatal(err)
	}
	check("front matter reviews: 50", Limit{DefaultNewLimit, FromDefault}, Limit{50, FromFrontMatter})

	// The collection's limits come under the deck's own.
	if err := s.SetLimits(ctx, "", card.Limits{New: card.PerDay(8), Reviews: card.PerDay(80)}); err != nil {
		t.Fatal(err)
	}
	check("collection 8, 80", Limit{8, FromCollection}, Limit{50, FromFrontMatter})

	// Config wins over front matter, across syncs, and 0 is 0.
	if err := s.SetLimits(ctx, "Override", card.Limits{New: card.PerDay(0), Reviews: card.PerDay(7)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sync(ctx, SourceFile{Path: file, Hash: "v2"}, card.Limits{New: card.PerDay(5), Reviews: card.PerDay(50)}, cards); err != nil {
		t.Fatal(err)
	}
	check("config 0, 7 then a sync", Limit{0, FromConfig}, Limit{7, FromConfig})

	// Clearing the config brings back the front matter.
	if err := s.SetLimits(ctx, "Override", card.Limits{}); err != nil {
		t.Fatal(err)
	}
	check("config cleared", Limit{5, FromFrontMatter}, Limit{50, FromFrontMatter})
	if err := s.SetLimits(ctx, "", card.Limits{}); err != nil {
		t.Fatal(err)
	}
	if l, err := s.CollectionLimits(ctx); err != nil || l.New != nil || l.Reviews != nil {
		t.Errorf("CollectionLimits() after clearing = %v, %v", l, err)
	}

	if err := s.SetLimits(ctx, "Nope", card.Limits{}); !errors.Is(err, card.ErrNotFound) {
		t.Errorf("SetLimits(unknown deck) = %v, want card.ErrNotFound", err)
	}
	for _, deck := range []string{"Override", ""} {
		if err := s.SetLimits(ctx, deck, card.Limits{New: card.PerDay(-1)}); !errors.Is(err, card.ErrInvalid) {
			t.Errorf("SetLimits(%q, negative) = %v, want card.ErrInvalid", deck, err)
		}
	}
}

func TestSyncRejectsBadCards(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	good := basics("D", 2)
	tests := []struct {
		name string
		bad  func(*card.Card)
		msg  string
	}{
		{"unknown kind", func(c *card.Card) { c.Kind = "weird" }, `notes.md:2: card of unknown kind "weird"`},
		{"no front", func(c *card.Card) { c.Front = "" }, "notes.md:2: card with an empty front"},
		{"no deck", func(c *card.Card) { c.Deck = "" }, "notes.md:2: card with no deck"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := openTest(t)
			before := dump(t, s)
			cards := slices.Clone(good)
			tt.bad(&cards[1])
			_, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, cards)
			if !errors.Is(err, card.ErrInvalid) || !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("Sync = %v, want card.ErrInvalid saying %q", err, tt.msg)
			}
			if after := dump(t, s); after != before {
				t.Errorf("a refused sync changed the collection:\n%s", after)
			}
		})
	}
}

// TestFailedSyncLeavesNothing fails a sync at its last step, after every
// kind of write, and checks that the collection is exactly as before.
func TestFailedSyncLeavesNothing(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, clk := openTest(t)
	src := SourceFile{Path: file, Hash: "v1"}
	old := cat(basics("D", 4), list("D", "H", "Label", 10, "one", "two"))
	if _, err := s.Sync(ctx, src, card.Limits{}, old); err != nil {
		t.Fatal(err)
	}
	before := dump(t, s)

	clk.t = clk.t.Add(time.Hour)
	changed := slices.Clone(old[1:]) // one orphaned
	changed[0].Back = "edited"       // one updated, with a revision
	changed = append(changed, basic("New deck", "Q?", "A", 40, "x"))
	s.beforeCommit = func() error { return errors.New("disk on fire") }
	_, err := s.Sync(ctx, SourceFile{Path: file, Hash: "v2"}, card.Limits{New: card.PerDay(3)}, changed)
	if err == nil || !strings.Contains(err.Error(), "disk on fire") || !strings.Contains(err.Error(), file) {
		t.Fatalf("Sync with failing hook = %v, want the failure naming %s", err, file)
	}
	if after := dump(t, s); after != before {
		t.Errorf("a failed sync left changes:\n%s\nwant\n%s", after, before)
	}

	// Without the failure the same sync does all of it.
	s.beforeCommit = nil
	res, err := s.Sync(ctx, SourceFile{Path: file, Hash: "v2"}, card.Limits{New: card.PerDay(3)}, changed)
	if want := (SyncResult{Added: 1, Updated: 1, Unchanged: 5, Orphaned: 1}); err != nil || res != want {
		t.Errorf("Sync = %+v, %v; want %+v", res, err, want)
	}
}

func TestSourcesAndPrune(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	mtime := time.Date(2024, 1, 2, 3, 4, 5, 6, time.UTC)
	if _, err := s.Sync(ctx, SourceFile{Path: "a.md", Hash: "h1", ModTime: mtime, DeckOverride: "A"}, card.Limits{}, basics("A", 2)); err != nil {
		t.Fatal(err)
	}
	bcards := basics("B", 3)
	for i := range bcards {
		bcards[i].Source.File = "b.md"
	}
	if _, err := s.Sync(ctx, SourceFile{Path: "b.md", Hash: "h2", ModTime: mtime}, card.Limits{}, bcards); err != nil {
		t.Fatal(err)
	}
	srcs, err := s.Sources(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(srcs) != 2 || srcs[0].Path != "a.md" || srcs[0].Hash != "h1" || !srcs[0].ModTime.Equal(mtime) ||
		srcs[0].Deck != "A" || srcs[0].DeckOverride != "A" || !srcs[0].Synced.Equal(start) ||
		srcs[1].Path != "b.md" || srcs[1].DeckOverride != "" {
		t.Fatalf("Sources() = %+v", srcs)
	}
	n, err := s.Prune(ctx, "b.md")
	if err != nil || n != 3 {
		t.Fatalf("Prune(b.md) = %d, %v; want 3", n, err)
	}
	if srcs, _ := s.Sources(ctx); len(srcs) != 1 || srcs[0].Path != "a.md" {
		t.Errorf("Sources() after prune = %+v, want a.md only", srcs)
	}
	if n := len(mustCards(t, s, Filter{Orphans: true})); n != 3 {
		t.Errorf("%d orphans after prune, want 3", n)
	}
	if _, err := s.Prune(ctx, "b.md"); !errors.Is(err, card.ErrNotFound) {
		t.Errorf("Prune(forgotten) = %v, want card.ErrNotFound", err)
	}
}

func TestCardRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	c := list("Deck::Sub", "Heading", "Label", 3, "one", "two")[1]
	c.Tags = []string{"qcon", "containers"}
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, []card.Card{c}); err != nil {
		t.Fatal(err)
	}
	e, err := s.Card(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(e.Card) != fmt.Sprint(c) {
		t.Errorf("Card(%s) =\n%+v\nwant\n%+v", c.ID, e.Card, c)
	}
	if e.Status != card.StatusNew || e.State != card.NewState() || !e.Created.Equal(start) || !e.Modified.Equal(start) {
		t.Errorf("Card(%s): %v %+v %v %v, want new, NewState, created now", c.ID, e.Status, e.State, e.Created, e.Modified)
	}
	if _, err := s.Card(ctx, "nosuchcard"); !errors.Is(err, card.ErrNotFound) || !strings.Contains(err.Error(), "nosuchcard") {
		t.Errorf("Card(unknown) = %v, want card.ErrNotFound naming it", err)
	}
	// Subdecks are part of their parent; unknown decks are errors.
	if es := mustCards(t, s, Filter{Deck: "Deck"}); len(es) != 1 {
		t.Errorf("Cards(Deck) = %d cards, want the subdeck's 1", len(es))
	}
	if _, err := s.Cards(ctx, Filter{Deck: "Dec"}); !errors.Is(err, card.ErrNotFound) {
		t.Errorf("Cards(Dec) = %v, want card.ErrNotFound", err)
	}
	if es := mustCards(t, s, Filter{IDs: []string{c.ID, "other"}}); len(es) != 1 || es[0].ID != c.ID {
		t.Errorf("Cards(IDs) = %v, want %s", es, c.ID)
	}
}

// TestSyncPlansOutsideTheLock: while a sync plans, another process can
// write (a grade goes through at once); a change to the cards made then
// sends the sync back to plan again, and what it writes is what a sync
// made after that change would write.
func TestSyncPlansOutsideTheLock(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	other, err := Open(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	other.Now = s.Now

	// a.md has two cards; b.md, synced while a.md's next sync plans,
	// takes one of them over (it moved there).
	first := basics("D", 2)
	if _, err := s.Sync(ctx, SourceFile{Path: file, Hash: "v1"}, card.Limits{}, first); err != nil {
		t.Fatal(err)
	}
	moved := first[1]
	moved.Source = card.Source{File: "b.md", Line: 1}
	moved.Anchor = "b.md#q0"

	plans := 0
	s.afterPlan = func() {
		plans++
		if plans > 1 {
			return
		}
		// The plan holds no lock: another store writes at once.
		if _, err := other.Answer(ctx, first[0].ID, card.Good, time.Second, false); err != nil {
			t.Errorf("Answer while a sync planned: %v", err)
		}
		if _, err := other.Sync(ctx, SourceFile{Path: "b.md", Hash: "b1"}, card.Limits{}, []card.Card{moved}); err != nil {
			t.Errorf("Sync of b.md while a.md's sync planned: %v", err)
		}
	}
	// a.md's new version drops the moved card and adds one.
	next := []card.Card{first[0], basic("D", "Question 9?", "Answer 9", 3, file+"#q9")}
	res, err := s.Sync(ctx, SourceFile{Path: file, Hash: "v2"}, card.Limits{}, next)
	if err != nil {
		t.Fatal(err)
	}
	if plans != 2 {
		t.Errorf("the sync planned %d times, want 2: the first plan went stale", plans)
	}
	// Planned before b.md took the card, a.md's sync would have orphaned
	// it; planned again, it leaves it to b.md.
	if want := (SyncResult{Added: 1, Unchanged: 1}); res != want {
		t.Errorf("Sync = %+v, want %+v", res, want)
	}
	e := findCard(t, s, moved)
	if e.Source.File != "b.md" || e.Status == card.StatusOrphan {
		t.Errorf("the moved card is %s in %s, want active in b.md", e.Status, e.Source.File)
	}
	if e := findCard(t, s, first[0]); e.State.Reps != 1 {
		t.Errorf("the card graded during the plan has reps %d, want 1: the grade was lost", e.State.Reps)
	}
}

// TestSyncStaleTooOften: a sync whose every plan goes stale ends up
// planning under the write lock, and still does all of its work.
func TestSyncStaleTooOften(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	other, err := Open(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	plans := 0
	s.afterPlan = func() {
		plans++
		if err := other.Restore(ctx, "nothing"); !errors.Is(err, card.ErrNotFound) {
			t.Errorf("Restore(nothing) = %v", err)
		}
		// A prune of a file with no cards still moves the generation on.
		if _, err := other.Sync(ctx, SourceFile{Path: fmt.Sprintf("other%d.md", plans)}, card.Limits{}, nil); err != nil {
			t.Error(err)
		}
	}
	res, err := s.Sync(ctx, SourceFile{Path: file, Hash: "v1"}, card.Limits{}, basics("D", 3))
	if err != nil || res.Added != 3 {
		t.Fatalf("Sync = %+v, %v; want 3 added", res, err)
	}
	if plans != maxPlans {
		t.Errorf("planned %d times outside the lock, want %d", plans, maxPlans)
	}
}

// TestSyncChanged checks that a card's change time (what the Anki export
// stamps its note with) moves when what an export gives of it changes,
// and not when a sync only moves it: a line removed above it, another
// file, a new anchor.
func TestSyncChanged(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, clk := openTest(t)
	cards := basics("Deck", 3)
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, cards); err != nil {
		t.Fatal(err)
	}
	times := func() map[string][2]time.Time {
		es, err := s.Cards(ctx, Filter{})
		if err != nil {
			t.Fatal(err)
		}
		out := map[string][2]time.Time{}
		for _, e := range es {
			out[e.ID] = [2]time.Time{e.Modified, e.Changed}
		}
		return out
	}
	before := times()
	for id, tm := range before {
		if !tm[1].Equal(start) {
			t.Errorf("card %s: changed %v at insert, want %v", id, tm[1], start)
		}
	}

	clk.t = clk.t.Add(time.Hour)
	moved := slices.Clone(cards)
	for i := range moved {
		moved[i].Source.Line += 10
		moved[i].Source.File = "other.md"
		moved[i].Anchor += "-moved"
	}
	moved[2].Back = "Answer 2, edited"
	moved[1].Section = "A new heading"
	s.Subdeck = func(c card.Card) string { return c.Section }
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, moved); err != nil {
		t.Fatal(err)
	}
	after := times()
	for i, c := range moved {
		got := after[c.ID]
		if !got[0].After(before[c.ID][0]) {
			t.Errorf("card %d: modified %v, want it moved on from %v", i, got[0], before[c.ID][0])
		}
		wantChanged := start
		if i > 0 { // the subdeck of card 1 and the back of card 2 changed
			wantChanged = clk.t
		}
		if !got[1].Equal(wantChanged) {
			t.Errorf("card %d: changed %v, want %v", i, got[1], wantChanged)
		}
	}
}
