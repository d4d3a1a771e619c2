package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/recall-cli/recall/internal/card"
)

// batches hands cards to w a few at a time, as notes.Stream does, and
// returns limits.
func batches(cards []card.Card, limits card.Limits) func(*NewCards) (card.Limits, error) {
	return func(w *NewCards) (card.Limits, error) {
		for len(cards) > 0 {
			n := min(len(cards), 7)
			// w gets its own copy: it may not keep it, and the
			// caller's cards stay as they were.
			if err := w.Add(append([]card.Card(nil), cards[:n]...)); err != nil {
				return card.Limits{}, err
			}
			cards = cards[n:]
		}
		return limits, nil
	}
}

// dumpAll is dump with the subdecks and the generation.
func dumpAll(t *testing.T, s *Store) string {
	t.Helper()
	var b strings.Builder
	b.WriteString(dump(t, s))
	rows, err := s.db.Query(`SELECT deck, name, cards FROM subdecks ORDER BY deck, name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var deck, name string
		var n int
		rows.Scan(&deck, &name, &n)
		fmt.Fprintf(&b, "subdeck %s/%s %d\n", deck, name, n)
	}
	rows.Close()
	var g int64
	if err := s.db.QueryRow(`SELECT value FROM meta WHERE key = 'generation'`).Scan(&g); err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "generation %d\n", g)
	return b.String()
}

// streamCards are the cards of a new file in two decks, one of them
// holding two cards under one id.
func streamCards() []card.Card {
	cards := genCards(30)
	for i := range cards {
		cards[i].Source.File = file
		if i%3 == 0 {
			cards[i].Deck = "Other"
			cards[i].Context = []string{"Other", fmt.Sprintf("Part %d", i%2), "x"}
			cards[i].Section = cards[i].Context[1]
		}
	}
	cards[5].ID = cards[4].ID // taken: the later one gets a derived id
	return cards
}

// TestSyncNewAgrees checks that SyncNew leaves the collection exactly as
// Sync leaves it, for a file and decks the collection has not seen.
func TestSyncNewAgrees(t *testing.T) {
	ctx := context.Background()
	cards := streamCards()
	three := 3
	limits := card.Limits{New: &three, Scheduler: "fsrs"}
	src := SourceFile{Path: file, Hash: "h", DeckOverride: "d"}

	want, _ := openTest(t)
	want.Subdeck = func(c card.Card) string { return c.Section }
	wantRes, err := want.Sync(ctx, src, limits, cards)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := openTest(t)
	got.Subdeck = want.Subdeck
	res, ok, err := got.SyncNew(ctx, src, batches(cards, limits))
	if err != nil || !ok {
		t.Fatalf("SyncNew = %+v, %v, %v", res, ok, err)
	}
	if res != wantRes {
		t.Errorf("SyncNew = %+v, Sync = %+v", res, wantRes)
	}
	if a, b := dumpAll(t, got), dumpAll(t, want); a != b {
		t.Errorf("SyncNew left\n%s\nSync left\n%s", a, b)
	}
}

// TestSyncNewDeclines checks that SyncNew writes nothing and leaves the
// sync to Sync when cards of the collection might match: the file was
// synced before, or a deck holds cards of another file.
func TestSyncNewDeclines(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	cards := streamCards()
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, cards[:10]); err != nil {
		t.Fatal(err)
	}
	before := dumpAll(t, s)
	for name, path := range map[string]string{"same file": file, "same decks": "other.md"} {
		res, ok, err := s.SyncNew(ctx, SourceFile{Path: path}, batches(cards, card.Limits{}))
		if ok || err != nil || res != (SyncResult{}) {
			t.Errorf("%s: SyncNew = %+v, %v, %v; want not ok", name, res, ok, err)
		}
		if after := dumpAll(t, s); after != before {
			t.Errorf("%s: SyncNew changed the collection:\n%s", name, after)
		}
	}
}

// TestSyncNewUndoes checks that an error while the cards come undoes
// everything and is returned as it is: the reader's, and a bad card's.
func TestSyncNewUndoes(t *testing.T) {
	ctx := context.Background()
	s, _ := openTest(t)
	before := dumpAll(t, s)
	broken := errors.New("the notes broke")
	cards := streamCards()
	read := func(w *NewCards) (card.Limits, error) {
		if err := w.Add(cards[:20]); err != nil {
			return card.Limits{}, err
		}
		return card.Limits{}, broken
	}
	if _, ok, err := s.SyncNew(ctx, SourceFile{Path: file}, read); ok || err != broken {
		t.Errorf("SyncNew = %v, %v; want the reader's error", ok, err)
	}
	bad := streamCards()
	bad[12].Kind = "odd"
	_, ok, err := s.SyncNew(ctx, SourceFile{Path: file}, batches(bad, card.Limits{}))
	if ok || !errors.Is(err, card.ErrInvalid) || !strings.HasPrefix(err.Error(), file+":13: card of unknown kind") {
		t.Errorf("SyncNew = %v, %v; want the bad card's error", ok, err)
	}
	minus := -1
	_, ok, err = s.SyncNew(ctx, SourceFile{Path: file}, batches(cards, card.Limits{Reviews: &minus}))
	if ok || !errors.Is(err, card.ErrInvalid) {
		t.Errorf("SyncNew = %v, %v; want a negative limit refused", ok, err)
	}
	if after := dumpAll(t, s); after != before {
		t.Errorf("SyncNew changed the collection:\n%s", after)
	}
}

// TestSyncNewFixes checks that cards fixed and dropped after they were
// written (see notes.Stream) leave the collection as Sync of the cards as
// they end up, and that a card another's group names is not dropped.
func TestSyncNewFixes(t *testing.T) {
	ctx := context.Background()
	cards := genCards(20)
	for i := range cards {
		cards[i].Source.File = file
	}
	final := slices.Clone(cards)
	final[3].Front = "Talk 0 › " + final[3].Front
	final = slices.Delete(final, 7, 8)
	src := SourceFile{Path: file, Hash: "h"}

	want, _ := openTest(t)
	if _, err := want.Sync(ctx, src, card.Limits{}, final); err != nil {
		t.Fatal(err)
	}
	got, _ := openTest(t)
	res, ok, err := got.SyncNew(ctx, src, func(w *NewCards) (card.Limits, error) {
		if err := w.Add(slices.Clone(cards)); err != nil {
			return card.Limits{}, err
		}
		c, err := w.Card(cards[3].ID)
		if err != nil || !reflect.DeepEqual(c, cards[3]) {
			t.Errorf("Card = %+v, %v; want %+v", c, err, cards[3])
		}
		c.Front = final[3].Front
		return card.Limits{}, errors.Join(w.Fix(c), w.Drop(cards[7]))
	})
	if err != nil || !ok || res.Added != len(final) {
		t.Fatalf("SyncNew = %+v, %v, %v", res, ok, err)
	}
	if a, b := dumpAll(t, got), dumpAll(t, want); a != b {
		t.Errorf("SyncNew left\n%s\nSync left\n%s", a, b)
	}

	other, _ := openTest(t)
	cards[9].Group = cards[8].ID
	_, ok, err = other.SyncNew(ctx, src, func(w *NewCards) (card.Limits, error) {
		if err := w.Add(slices.Clone(cards)); err != nil {
			return card.Limits{}, err
		}
		return card.Limits{}, w.Drop(cards[8])
	})
	if ok || err != nil {
		t.Errorf("SyncNew dropping a card of a group = %v, %v; want not ok", ok, err)
	}
}
