package review

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/store"
)

// openStore makes a real collection with the given basic cards, all new.
func openStore(t *testing.T, now *time.Time, fronts ...string) *store.Store {
	t.Helper()
	s, err := store.Open(filepath.Join(t.TempDir(), "collection.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	s.Now = func() time.Time { return *now }
	var cards []card.Card
	for i, f := range fronts {
		cards = append(cards, card.Card{
			Deck: "Go", Kind: card.Basic, Front: f, Back: "answer to " + f,
			Context: []string{"Go"}, Source: card.Source{File: "go.md", Line: i + 1},
			Anchor: "go.md#" + f,
		})
	}
	if _, err := s.Sync(ctx, store.SourceFile{Path: "go.md", Hash: "h", ModTime: *now}, "", card.Limits{}, cards); err != nil {
		t.Fatal(err)
	}
	return s
}

func queue(t *testing.T, s *store.Store) (due, fresh []card.Entry) {
	t.Helper()
	due, fresh, err := s.Queue(ctx, store.QueueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return due, fresh
}

// TestWithStore runs sessions against a real collection: what the session
// asks of the Collection is what the store does.
func TestWithStore(t *testing.T) {
	now := start
	s := openStore(t, &now, "one?", "two?", "three?")
	due, fresh := queue(t, s)
	sess := New(s, due, fresh, func() time.Time { return now }, Options{})
	// one: again, then good as a re-drill; two: buried, undone, good;
	// three: suspended.
	out, sum, err := runPlain(t, sess, "\nagain\nb\nu\n\ngood\ns\n\ngood\n")
	if err != nil {
		t.Fatalf("RunPlain: %v\n%s", err, out)
	}
	wantInOrder(t, out,
		"Q: one?", "graded again — next in 1 day; back later in this session",
		"Q: two?", "buried", "undone: buried",
		"Q: two?", "graded good — next in 1 day",
		"Q: three?", "suspended",
		"Q: one?", "graded good (re-drill) — done for today",
	)
	if sum.Cards != 2 || sum.Answers != 3 || sum.Streak != 1 || sum.DueTomorrow != 2 {
		t.Errorf("summary = %+v, want 2 cards, 3 answers, streak 1, 2 due tomorrow", sum)
	}
	ids := map[string]string{}
	for _, e := range append(due, fresh...) {
		ids[e.Front] = e.ID
	}
	var log []string
	for _, f := range []string{"one?", "two?"} {
		err := s.EachReview(ctx, ids[f], func(r card.Review) error {
			log = append(log, fmt.Sprintf("%s %s redrill=%v interval=%d", f, r.Grade, r.Redrill, r.After.Interval))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if got, want := strings.Join(log, "\n"), "one? again redrill=false interval=1\none? good redrill=true interval=1\ntwo? good redrill=false interval=1"; got != want {
		t.Errorf("review log:\n%s\nwant:\n%s", got, want)
	}
	// Tomorrow: one and two are due; three stays suspended.
	now = now.AddDate(0, 0, 1)
	due, fresh = queue(t, s)
	if len(due) != 2 || len(fresh) != 0 {
		t.Errorf("tomorrow's queue: %d due, %d new; want 2 due, 0 new", len(due), len(fresh))
	}
}

func TestWithStoreUndoGrade(t *testing.T) {
	now := start
	s := openStore(t, &now, "one?", "two?")
	due, fresh := queue(t, s)
	sess := New(s, due, fresh, func() time.Time { return now }, Options{})
	if _, _, err := runPlain(t, sess, "\neasy\nu\nu\nq\n"); err != nil {
		t.Fatal(err)
	}
	e, err := s.Card(ctx, fresh[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !e.State.IsNew() || e.Status != card.StatusNew {
		t.Errorf("card after its only answer was undone: status %s, state %+v; want new", e.Status, e.State)
	}
	if n, _ := s.Streak(ctx); n != 0 {
		t.Errorf("Streak() after undoing every answer = %d, want 0", n)
	}
}
