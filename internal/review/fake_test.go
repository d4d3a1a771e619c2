package review

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/srs"
)

// fakeCollection records every call in order and keeps just enough state
// to answer like the store: a schedule per card, a review log for undo.
type fakeCollection struct {
	calls   []string
	states  map[string]card.State
	reviews map[int64]card.State // review id → the state before it
	owner   map[int64]string
	nextID  int64
	clock   *fakeClock

	leech    map[string]bool       // cards whose next first answer makes a leech
	siblings map[string][]string   // what a card's first answer buries
	cards    map[string]card.Entry // what Card returns (as edited notes left it)
	fail     map[string]error      // method name → error to return
	busy     map[string]int        // method name → calls left that find the collection busy
	decks    []card.DeckStatus
	streak   int
}

func newFake(clock *fakeClock) *fakeCollection {
	return &fakeCollection{
		states:  map[string]card.State{},
		reviews: map[int64]card.State{},
		owner:   map[int64]string{},
		leech:   map[string]bool{},
		fail:    map[string]error{},
		busy:    map[string]int{},
		clock:   clock,
	}
}

func (f *fakeCollection) record(format string, args ...any) {
	f.calls = append(f.calls, fmt.Sprintf(format, args...))
}

func (f *fakeCollection) Answer(_ context.Context, id string, g card.Grade, took time.Duration, redrill bool) (card.Answer, error) {
	if err := f.fail["Answer"]; err != nil {
		return card.Answer{}, err
	}
	if f.busy["Answer"] > 0 {
		f.busy["Answer"]--
		f.record("answer %s: busy", id)
		return card.Answer{}, fmt.Errorf("the collection stayed locked: %w", card.ErrBusy)
	}
	f.nextID++
	f.record("answer %s q%d took=%s redrill=%v → #%d", id, g, took, redrill, f.nextID)
	before, ok := f.states[id]
	if !ok {
		before = card.NewState()
	}
	after := before
	if !redrill {
		after = srs.Next(before, g, f.clock.now())
	}
	// Learning steps as the store keeps them (no rollover in these tests).
	after = srs.Scheduler{Rollover: 0}.Learn(after, g, f.clock.now())
	f.states[id] = after
	f.reviews[f.nextID] = before
	f.owner[f.nextID] = id
	a := card.Answer{ReviewID: f.nextID, Before: before, After: after}
	if !redrill {
		a.Buried = f.siblings[id]
	}
	if f.leech[id] && !redrill {
		a.Leech = true
		delete(f.leech, id)
	}
	return a, nil
}

func (f *fakeCollection) Card(_ context.Context, id string) (card.Entry, error) {
	if err := f.fail["Card"]; err != nil {
		return card.Entry{}, err
	}
	f.record("card %s", id)
	e, ok := f.cards[id]
	if !ok {
		return card.Entry{}, fmt.Errorf("card %s: %w", id, card.ErrNotFound)
	}
	return e, nil
}

func (f *fakeCollection) Undo(_ context.Context, reviewID int64) error {
	if err := f.fail["Undo"]; err != nil {
		return err
	}
	f.record("undo #%d", reviewID)
	id, ok := f.owner[reviewID]
	if !ok {
		return fmt.Errorf("review %d: %w", reviewID, card.ErrNotFound)
	}
	f.states[id] = f.reviews[reviewID]
	delete(f.reviews, reviewID)
	delete(f.owner, reviewID)
	return nil
}

func (f *fakeCollection) Bury(_ context.Context, id string) error {
	if err := f.fail["Bury"]; err != nil {
		return err
	}
	f.record("bury %s", id)
	return nil
}

func (f *fakeCollection) Suspend(_ context.Context, id string) error {
	if err := f.fail["Suspend"]; err != nil {
		return err
	}
	f.record("suspend %s", id)
	return nil
}

func (f *fakeCollection) Restore(_ context.Context, id string) error {
	if err := f.fail["Restore"]; err != nil {
		return err
	}
	f.record("restore %s", id)
	return nil
}

func (f *fakeCollection) StatusOf(_ context.Context, deck string) ([]card.DeckStatus, error) {
	if err := f.fail["Status"]; err != nil {
		return nil, err
	}
	var out []card.DeckStatus
	for _, d := range f.decks {
		if card.Deck(deck).Contains(card.Deck(d.Deck)) {
			out = append(out, d)
		}
	}
	return out, nil
}

func (f *fakeCollection) Streak(context.Context) (int, error) {
	if err := f.fail["Streak"]; err != nil {
		return 0, err
	}
	return f.streak, nil
}

// checkCalls compares the calls the fake saw with want, ignoring the
// answer times unless they are written in want.
func (f *fakeCollection) checkCalls(t *testing.T, want ...string) {
	t.Helper()
	got := make([]string, len(f.calls))
	for i, c := range f.calls {
		got[i] = c
		if i < len(want) && !strings.Contains(want[i], "took=") {
			got[i] = tookRE.ReplaceAllString(c, "")
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("collection calls:\n  %s\nwant:\n  %s", strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

var tookRE = regexp.MustCompile(` took=\S+`)

// fakeClock is a clock the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

var errBoom = errors.New("disk full")

// start is the tests' "now": 09:00 on a study day.
var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// entry makes a card for a queue: a new one if reps is 0, else one under
// review with that many successful reviews and interval.
func entry(id, group string, reps, interval int) card.Entry {
	st := card.NewState()
	status := card.StatusNew
	if reps > 0 {
		st.Reps, st.Interval = reps, interval
		st.Last = start.AddDate(0, 0, -interval-2)
		st.Due = start.AddDate(0, 0, -2)
		status = card.StatusReview
	}
	return card.Entry{
		Card: card.Card{
			ID: id, Deck: "QCon SF 2018", Kind: card.Basic,
			Front: "Question " + id + "?", Back: "Answer " + id,
			Context: []string{"QCon SF 2018", "Containers"},
			Source:  card.Source{File: "notes/" + id + ".md", Line: 3},
			Group:   group,
		},
		Status: status,
		State:  st,
	}
}

// newSession builds a session over a fake collection and clock.
func newSession(due, fresh []card.Entry, opts Options) (*Session, *fakeCollection, *fakeClock) {
	clock := &fakeClock{t: start}
	f := newFake(clock)
	for _, e := range append(append([]card.Entry{}, due...), fresh...) {
		f.states[e.ID] = e.State
	}
	return New(f, due, fresh, clock.now, opts), f, clock
}

// ids lists the queue from the current card on, then, after "~", the
// learning cards not due yet.
func ids(s *Session) string {
	var out []string
	for _, it := range s.queue {
		id := it.ID
		if it.Redrill {
			id += "'"
		}
		out = append(out, id)
	}
	for _, it := range s.learning {
		out = append(out, "~"+it.ID+"'")
	}
	return strings.Join(out, " ")
}
