package store

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/card"
)

func importCards(now time.Time) []ImportCard {
	last := now.AddDate(0, 0, -3)
	st := card.State{Reps: 2, EF: 2.3, Interval: 7, Due: time.Date(2024, 3, 8, 0, 0, 0, 0, now.Location()), Lapses: 1, Last: last}
	return []ImportCard{
		{Card: card.Card{ID: "aaaaaaaaaaa1", Deck: "Lang", Kind: card.Basic, Front: "hablar", Back: "to speak",
			Key: "anki:g1", Context: []string{"Lang", "Spanish"}, Tags: []string{"verbs"}, Source: card.Source{File: "/p.apkg", Line: 1}},
			Subdeck: "Lang::Spanish", State: st,
			Reviews: []card.Review{{Time: last, Grade: card.Good, Took: 3 * time.Second, Before: card.NewState(), After: st}}},
		{Card: card.Card{ID: "aaaaaaaaaaa2", Deck: "Lang", Kind: card.Reverse, Front: "to speak", Back: "hablar",
			Key: "anki:g1\x1f1", Source: card.Source{File: "/p.apkg", Line: 1}},
			Subdeck: "Lang::Spanish", State: card.NewState(), Suspended: true},
	}
}

func TestImportTwiceUpdatesInPlace(t *testing.T) {
	s, clk := openTest(t)
	ctx := context.Background()
	src := ImportSource{Path: ImportPrefix + "/p.apkg"}
	res, err := s.Import(ctx, src, importCards(clk.t))
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 2 || res.Reviews != 1 || res.Scheduled != 1 {
		t.Errorf("first import %+v", res)
	}
	e, err := s.Card(ctx, "aaaaaaaaaaa1")
	if err != nil {
		t.Fatal(err)
	}
	if e.State.Interval != 7 || e.State.EF != 2.3 || e.State.Reps != 2 || e.State.Lapses != 1 {
		t.Errorf("card after import %+v", e)
	}
	rev, _ := s.Card(ctx, "aaaaaaaaaaa2")
	if rev.Status != card.StatusSuspended {
		t.Errorf("reverse card status %s, want suspended", rev.Status)
	}
	// A review in recall, then the package again with a new wording.
	clk.t = clk.t.Add(time.Hour)
	if _, err := s.Answer(ctx, "aaaaaaaaaaa1", card.Good, time.Second, false); err != nil {
		t.Fatal(err)
	}
	again := importCards(start)
	again[0].Front = "hablar (verb)"
	res, err = s.Import(ctx, src, again)
	if err != nil {
		t.Fatal(err)
	}
	if res.Added != 0 || res.Updated != 2 || res.Reviews != 0 || res.Scheduled != 0 {
		t.Errorf("second import %+v", res)
	}
	e2, _ := s.Card(ctx, "aaaaaaaaaaa1")
	if e2.Front != "hablar (verb)" || e2.State.Interval == 7 {
		t.Errorf("card after re-import %+v: want the new wording and recall's newer schedule", e2)
	}
	n := 0
	s.EachReview(ctx, "aaaaaaaaaaa1", func(Review) error { n++; return nil })
	if n != 2 {
		t.Errorf("%d reviews, want the imported one and recall's", n)
	}
	if revs, _ := s.Revisions(ctx, "aaaaaaaaaaa1"); len(revs) != 1 {
		t.Errorf("revisions %v, want the old wording kept", revs)
	}
}

func TestImportFailsWhole(t *testing.T) {
	s, clk := openTest(t)
	ctx := context.Background()
	cards := importCards(clk.t)
	cards[1].Front = "" // refused
	_, err := s.Import(ctx, ImportSource{Path: ImportPrefix + "/p.apkg"}, cards)
	if err == nil || !strings.Contains(err.Error(), "/p.apkg") {
		t.Fatalf("import = %v, want an error naming the package", err)
	}
	if _, err := s.Card(ctx, "aaaaaaaaaaa1"); err == nil {
		t.Errorf("the first card was written by a failed import")
	}
	if srcs, _ := s.Sources(ctx); len(srcs) != 0 {
		t.Errorf("sources %v after a failed import", srcs)
	}
}

// ImportEach writes cards as they come: a source that fails after some
// leaves the collection as it was and its error as it is, and the next
// import (on the same connection) orphans by the ids it wrote, kept in a
// temporary table, not by those of the failed one.
func TestImportEachStreams(t *testing.T) {
	s, clk := openTest(t)
	ctx := context.Background()
	src := ImportSource{Path: ImportPrefix + "/p.apkg"}
	cards := importCards(clk.t)
	if _, err := s.Import(ctx, src, cards); err != nil {
		t.Fatal(err)
	}
	broken := errors.New("note 7: cannot read")
	reached := 0
	src.Reached = func(n int) { reached = n }
	_, err := s.ImportEach(ctx, src, func(add func(*ImportCard) error) error {
		c := importCards(clk.t)[0]
		c.ID, c.Front = "ccccccccccc1", "new"
		if err := add(&c); err != nil {
			return err
		}
		return broken
	})
	if err != broken || reached != 1 {
		t.Fatalf("import = %v after %d cards, want the source's own error after 1", err, reached)
	}
	if _, err := s.Card(ctx, "ccccccccccc1"); err == nil {
		t.Errorf("a card of the failed import was kept")
	}
	res, err := s.ImportEach(ctx, src, func(add func(*ImportCard) error) error {
		return add(&importCards(clk.t)[1])
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Updated != 1 || res.Orphaned != 1 || reached != 1 {
		t.Errorf("second import %+v after %d cards, want 1 updated, 1 orphaned", res, reached)
	}
	if e, _ := s.Card(ctx, "aaaaaaaaaaa1"); e.Status != card.StatusOrphan {
		t.Errorf("card left out of the package not orphaned: %+v", e)
	}
}

// A deck the import makes studies with FSRS when its cards carry FSRS's
// memory state; a deck that was there keeps its scheduler.
func TestImportFSRSDeck(t *testing.T) {
	s, clk := openTest(t)
	ctx := context.Background()
	cards := importCards(clk.t)
	cards[0].State.Stability, cards[0].State.Difficulty, cards[0].State.Retention = 12.5, 5.25, 0.85
	if _, err := s.Import(ctx, ImportSource{Path: ImportPrefix + "/p.apkg"}, cards); err != nil {
		t.Fatal(err)
	}
	sc, err := s.SchedulingOf(ctx, "Lang")
	if err != nil {
		t.Fatal(err)
	}
	if !sc.FSRS || sc.Retention != 0.85 {
		t.Errorf("deck scheduling %+v, want FSRS at 0.85", sc)
	}
	e, _ := s.Card(ctx, "aaaaaaaaaaa1")
	if e.State.Stability != 12.5 || e.State.Difficulty != 5.25 {
		t.Errorf("card memory %v/%v, want 12.5/5.25", e.State.Stability, e.State.Difficulty)
	}
	other := importCards(clk.t)
	for i := range other {
		other[i].ID = "bbbbbbbbbbb" + strconv.Itoa(i)
		other[i].Deck = "Plain"
	}
	s.Import(ctx, ImportSource{Path: ImportPrefix + "/q.apkg"}, other[:1])
	other[1].State = cards[0].State
	if _, err := s.Import(ctx, ImportSource{Path: ImportPrefix + "/q.apkg"}, other); err != nil {
		t.Fatal(err)
	}
	if sc, _ := s.SchedulingOf(ctx, "Plain"); sc.FSRS {
		t.Errorf("deck Plain, there before, turned to FSRS")
	}
}

// A package recall exported comes home: its cards are the collection's
// own (ImportCard.Own), so their text stays as the notes say, the
// reviews made in Anki since join the log once, and Anki's schedule wins
// only when Anki reviewed the card last.
func TestImportOwnCardsComeHome(t *testing.T) {
	t.Parallel()
	s, clk := openTest(t)
	ctx := context.Background()
	notes := basics("Ops", 2)
	rev := notes[1]
	rev.ID, rev.Kind, rev.Key, rev.Front, rev.Back = card.NewID("Ops", "rev"), card.Reverse, "rev", rev.Back, rev.Front
	notes = append(notes, rev)
	if _, err := s.Sync(ctx, SourceFile{Path: "/notes/ops.md"}, card.Limits{}, notes); err != nil {
		t.Fatal(err)
	}
	a, err := s.Answer(ctx, notes[0].ID, card.Good, time.Second, false)
	if err != nil {
		t.Fatal(err)
	}
	recallReview := card.Review{Time: a.After.Last.Add(-400 * time.Microsecond), Grade: card.Good, Before: a.Before, After: a.After}
	// The phone answered the reverse card a day later: easy, 4 days.
	phone := clk.t.Add(24 * time.Hour)
	phoneState := card.State{Reps: 1, EF: 2.6, Interval: 4, Due: phone.AddDate(0, 0, 4), Last: phone}
	back := []ImportCard{
		// Exported after the recall review: the same review, at the
		// millisecond the package keeps.
		{Card: card.Card{ID: "anki-id-1", Deck: "Ops", Kind: card.Basic, Front: "changed in Anki", Back: "x", Key: "anki:recall-" + notes[0].ID},
			Own: notes[0].ID, State: a.After, Reviews: []card.Review{recallReview}},
		{Card: card.Card{ID: "anki-id-2", Deck: "Ops", Kind: card.Basic, Front: notes[1].Front, Back: notes[1].Back, Key: "anki:recall-" + notes[1].ID},
			Own: notes[1].ID, State: card.NewState()},
		{Card: card.Card{ID: "anki-id-3", Deck: "Ops", Kind: card.Reverse, Front: rev.Front, Back: rev.Back, Key: "anki:recall-" + notes[1].ID + "\x1f1"},
			Own: notes[1].ID, State: phoneState, Reviews: []card.Review{{Time: phone, Grade: card.Easy, Before: card.NewState(), After: phoneState}}},
	}
	res, err := s.Import(ctx, ImportSource{Path: ImportPrefix + "/phone.apkg"}, back)
	if err != nil {
		t.Fatal(err)
	}
	if res.Home != 3 || res.Added != 0 || res.Reviews != 1 {
		t.Errorf("import of an export = %+v, want 3 home, none added, the phone's review alone", res)
	}
	all, err := s.Cards(ctx, Filter{})
	if err != nil || len(all) != 3 {
		t.Fatalf("cards after the import: %d, %v; want the 3 of the notes", len(all), err)
	}
	first, _ := s.Card(ctx, notes[0].ID)
	if first.Front != notes[0].Front || first.State.Interval != a.After.Interval {
		t.Errorf("own card after the import: %q, interval %d; want its notes' text and recall's schedule", first.Front, first.State.Interval)
	}
	r, _ := s.Card(ctx, rev.ID)
	if r.State.Interval != 4 || r.State.EF != 2.6 {
		t.Errorf("reverse card after the phone's review: %+v, want Anki's schedule", r.State)
	}
}

// What a person did in recall since an import stays when the same package
// comes again with nothing newer: a suspend, a bury.
func TestImportAgainKeepsRecallsState(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	ctx := context.Background()
	src := ImportSource{Path: ImportPrefix + "/p.apkg"}
	if _, err := s.Import(ctx, src, importCards(start)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Hide(ctx, []string{"aaaaaaaaaaa1"}, Suspend); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Hide(ctx, []string{"aaaaaaaaaaa2"}, Unsuspend); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Hide(ctx, []string{"aaaaaaaaaaa2"}, BuryCards); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Import(ctx, src, importCards(start)); err != nil {
		t.Fatal(err)
	}
	for id, want := range map[string]card.Status{"aaaaaaaaaaa1": card.StatusSuspended, "aaaaaaaaaaa2": card.StatusBuried} {
		if e, err := s.Card(ctx, id); err != nil || e.Status != want {
			t.Errorf("%s after importing the package again: %s, %v; want %s", id, e.Status, err, want)
		}
	}
}

// TestImportFromElsewhere imports the same package from two paths: its
// cards move to the second source, and each deck counts them once.
func TestImportFromElsewhere(t *testing.T) {
	s, clk := openTest(t)
	ctx := context.Background()
	for _, p := range []string{"/a/p.apkg", "/b/p.apkg"} {
		if _, err := s.Import(ctx, ImportSource{Path: ImportPrefix + p}, importCards(clk.t)); err != nil {
			t.Fatal(err)
		}
	}
	ds, err := s.Decks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, d := range ds {
		total += d.Cards
		for _, sub := range d.Subdecks {
			if sub.Cards != 2 {
				t.Errorf("subdeck %s counts %d cards, want 2", sub.Name, sub.Cards)
			}
		}
	}
	if total != 2 {
		t.Errorf("decks count %d cards, want 2", total)
	}
}
