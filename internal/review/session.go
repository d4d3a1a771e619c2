package review

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/srs"
)

// Errors of a session's actions. Front ends tell the person and go on.
var (
	// ErrNoCard: there is no current card (the session is over).
	ErrNoCard = errors.New("no card to review")
	// ErrNothingToUndo: nothing was done in this session yet, or
	// everything has been undone.
	ErrNothingToUndo = errors.New("nothing to undo")
)

// Scale is how a person grades.
type Scale int

// The grading scales.
const (
	// Buttons: again, hard, good, easy, keys 1–4 (SM-2 qualities 2–5).
	Buttons Scale = iota
	// Qualities: SM-2 qualities 0–5 typed directly.
	Qualities
)

// ParseScale reads a --grades value: "buttons" (or "1-4") or "0-5".
func ParseScale(s string) (Scale, error) {
	switch s {
	case "", "buttons", "1-4":
		return Buttons, nil
	case "0-5":
		return Qualities, nil
	}
	return Buttons, fmt.Errorf("grades %q: want buttons or 0-5", s)
}

// Keys returns the grade keys of the scale, lowest first, and the grade
// each stands for.
func (sc Scale) Keys() ([]string, []card.Grade) {
	if sc == Qualities {
		return []string{"0", "1", "2", "3", "4", "5"}, []card.Grade{0, 1, 2, 3, 4, 5}
	}
	return []string{"1", "2", "3", "4"}, []card.Grade{card.Again, card.Hard, card.Good, card.Easy}
}

// Name is how a grade is called on the scale: its button (good) or its
// quality (4).
func (sc Scale) Name(g card.Grade) string {
	if sc == Qualities {
		return fmt.Sprint(int(g))
	}
	return g.String()
}

// Defaults of Options.
const (
	DefaultMaxTook = time.Minute
	// siblingWindow bounds how far ahead a sibling is looked for a card to
	// put between it and its kin, so ordering stays linear in the queue.
	siblingWindow = 64
)

// Options shape a session.
type Options struct {
	// Grades is the grading scale.
	Grades Scale
	// Deck names the session in the header and narrows "due tomorrow" in
	// the summary to it and its subdecks; empty means every deck.
	Deck string
	// MaxTook caps the time logged for one answer, so a person who walks
	// away does not log an hour; DefaultMaxTook if zero (as Anki does).
	MaxTook time.Duration
	// Next previews a grade's schedule for the interval labels; srs.Next
	// if nil.
	Next func(card.State, card.Grade, time.Time) card.State
}

// Item is a card as the session holds it.
type Item struct {
	card.Entry
	// New: the card had never been reviewed when the session began.
	New bool
	// Redrill: the card is in today's learning steps (graded below good
	// today, SM-2's rule 7): it comes back when State.LearnDue comes, and
	// its answers do not change the schedule.
	Redrill bool
}

// Action is what a step of the session did.
type Action int

// The actions a person takes on a card.
const (
	Graded Action = iota
	Buried
	Suspended
)

// String names the action as the plain protocol prints it.
func (a Action) String() string {
	return [...]string{"graded", "buried", "suspended"}[a]
}

// Result says what an action (or its undoing) did.
type Result struct {
	Action Action
	Card   card.Card
	// Grade, Redrill, State, Again and Leech describe a grade.
	Grade   card.Grade
	Redrill bool       // the answer was a re-drill
	State   card.State // the schedule after the answer
	Again   bool       // the card comes back later today, in learning
	// LearnIn is how soon it comes back when Again is set.
	LearnIn time.Duration
	Leech   bool // the card became a leech and was suspended
}

// Counts are what the header shows. New, Redrill and Due count the cards
// left in the session, the current one included (Redrill: the cards in
// learning); Position is the current card's number among the session's
// Total cards (cards seen plus cards not seen yet: a card back in learning
// keeps its number).
type Counts struct {
	New, Redrill, Due int
	Position, Total   int
}

// Choice is one grade the person may give, with the interval it would set.
type Choice struct {
	Key   string     // the key or digit that gives it
	Label string     // again, hard, good, easy; empty on the 0–5 scale
	Grade card.Grade // the grade it gives
	Days  int        // the interval in days the grade would give
	// Ease is how the grade would move the card's easiness factor: under
	// SM-2 the grade changes the ease, not the next interval, so when
	// intervals tie this is what tells the buttons apart.
	Ease float64
	// Learn is when the card would come back today, in learning (again
	// and hard on a card in learning); zero otherwise.
	Learn time.Duration
}

// stats are the running totals of a session; a step keeps a copy so undo
// can restore them exactly.
type stats struct {
	answers    int
	cards      int // first answers: one per card answered
	correct    int // first answers with q ≥ 3
	qualities  [6]int
	newLearned int
	buried     int
	suspended  int
	leeches    int
	done       int // cards that have left the session
}

// step is one undoable action.
type step struct {
	action   Action
	item     *Item // the item as it stood at the front
	grade    card.Grade
	reviewID int64
	learning *Item    // the card back in learning after the answer, if it is
	dropped  []placed // siblings the answer buried, taken out of the queue
	pulled   *Item    // the learning card the step brought to the front
	first    bool     // the step was the first on its card this session
	before   stats
}

// placed is an item and where it stood in the queue.
type placed struct {
	at   int
	item *Item
}

// Session is one day's study: the queue of cards, SM-2 rule 7 re-drills,
// undo and the running totals. Every action commits through the
// Collection before it returns. A Session is not safe for concurrent use.
type Session struct {
	c     Collection
	now   func() time.Time
	opts  Options
	queue []*Item // queue[0] is the current card
	// learning holds the cards in today's learning steps that are not due
	// yet, soonest first; each joins the front of the queue when it is due
	// (or, with nothing else left, up to srs.LearnAhead early).
	learning []*Item
	seen     map[string]bool // cards answered or put aside in this session
	steps    []step
	st       stats
	start    time.Time
	shown    time.Time // when the current card was put in front
}

// New builds a session from the due cards (most overdue first, as the
// store gives them, cards in today's learning steps among them) and the
// new cards (in the store's order). The new cards are spread evenly among
// the due ones (four due and one new give d d n d d; with nothing due,
// only new cards), then siblings (cards sharing a Group) are pulled apart:
// a card whose predecessor is its sibling swaps places with the next
// unrelated card within a short look-ahead. Learning cards wait for their
// time. now is the session's clock.
func New(c Collection, due, fresh []card.Entry, now func() time.Time, opts Options) *Session {
	if opts.MaxTook <= 0 {
		opts.MaxTook = DefaultMaxTook
	}
	if opts.Next == nil {
		// SM-2 or FSRS, as the card's deck studies with.
		opts.Next = srs.Scheduler{Rollover: srs.DefaultRollover}.Preview
	}
	s := &Session{c: c, now: now, opts: opts}
	var reviews []*Item
	for _, it := range items(due, false) {
		if it.State.LearnDue.IsZero() {
			reviews = append(reviews, it)
			continue
		}
		it.Redrill = true
		s.addLearning(it)
	}
	s.queue = order(reviews, items(fresh, true), siblingWindow)
	s.advance()
	s.start = now()
	s.shown = s.start
	return s
}

// addLearning puts it among the learning cards, in the order they come due.
func (s *Session) addLearning(it *Item) {
	i := sort.Search(len(s.learning), func(i int) bool { return s.learning[i].State.LearnDue.After(it.State.LearnDue) })
	s.learning = slices.Insert(s.learning, i, it)
}

// advance brings the first learning card to the front of the queue when
// it is due, or, when the queue is empty, when it is due within
// srs.LearnAhead: a session never waits on the clock. It returns the card
// it brought, or nil.
func (s *Session) advance() *Item {
	if len(s.learning) == 0 {
		return nil
	}
	next := s.learning[0]
	now := s.now()
	ahead := now
	if len(s.queue) == 0 {
		ahead = now.Add(srs.LearnAhead)
	}
	if next.State.LearnDue.After(ahead) {
		return nil
	}
	s.learning = s.learning[1:]
	s.queue = slices.Insert(s.queue, 0, next)
	return next
}

func items(es []card.Entry, fresh bool) []*Item {
	out := make([]*Item, len(es))
	for i := range es {
		// What the notes hold reaches a terminal from here: nothing in
		// them may act on it (see card.Printable).
		e := es[i]
		e.Card = e.Card.Printable()
		out[i] = &Item{Entry: e, New: fresh || e.State.IsNew()}
	}
	return out
}

// order interleaves the due and the new cards and pulls siblings apart.
func order(due, fresh []*Item, window int) []*Item {
	q := make([]*Item, 0, len(due)+len(fresh))
	d, n := len(due), len(fresh)
	i, j := 0, 0
	for i < d || j < n {
		// Due card i sits at (i+1)/(d+1) of the way, new card j at
		// (j+1)/(n+1): merging by position spreads the new ones evenly.
		if j == n || (i < d && (i+1)*(n+1) <= (j+1)*(d+1)) {
			q = append(q, due[i])
			i++
		} else {
			q = append(q, fresh[j])
			j++
		}
	}
	spreadSiblings(q, window)
	return q
}

// spreadSiblings reorders q in place so that no card follows its sibling
// where a card within window places can be put between them.
func spreadSiblings(q []*Item, window int) {
	for i := 1; i < len(q); i++ {
		g := q[i-1].Group
		if g == "" || q[i].Group != g {
			continue
		}
		end := min(len(q), i+1+window)
		for j := i + 1; j < end; j++ {
			if q[j].Group != g {
				moved := q[j]
				copy(q[i+1:j+1], q[i:j])
				q[i] = moved
				break
			}
		}
	}
}

// Refresh reads the current card again from the collection, after its
// notes were edited and re-synced, so that it shows its new text at once.
// Its place in the session and its schedule stay as they are. It reports
// whether the card is still in its notes (an edit may have removed it).
func (s *Session) Refresh(ctx context.Context) (bool, error) {
	if len(s.queue) == 0 {
		return false, ErrNoCard
	}
	it := s.queue[0]
	e, err := s.c.Card(ctx, it.ID)
	if err != nil {
		return false, cardErr(it.ID, err)
	}
	fresh := *it
	fresh.Card = e.Card.Printable()
	s.queue[0] = &fresh
	return e.Status != card.StatusOrphan, nil
}

// Options returns the options the session runs with, defaults filled in.
func (s *Session) Options() Options { return s.opts }

// Current returns the card to show, or false when the session is over.
func (s *Session) Current() (Item, bool) {
	if len(s.queue) == 0 {
		return Item{}, false
	}
	return *s.queue[0], true
}

// Done reports whether no cards are left.
func (s *Session) Done() bool { return len(s.queue) == 0 }

// Elapsed is the time since the session began.
func (s *Session) Elapsed() time.Duration { return s.now().Sub(s.start) }

// CanUndo reports whether there is a step to undo.
func (s *Session) CanUndo() bool { return len(s.steps) > 0 }

// Counts returns the header's counts.
func (s *Session) Counts() Counts {
	var c Counts
	for _, it := range s.queue {
		switch {
		case it.Redrill:
			c.Redrill++
		case it.New:
			c.New++
		default:
			c.Due++
		}
	}
	c.Redrill += len(s.learning)
	// Cards, not answers: a card back in learning keeps its number.
	seen := len(s.seen)
	c.Total = seen
	for _, it := range s.queue {
		if !s.seen[it.ID] {
			c.Total++
		}
	}
	for _, it := range s.learning {
		if !s.seen[it.ID] {
			c.Total++
		}
	}
	c.Position = seen
	if len(s.queue) > 0 && !s.seen[s.queue[0].ID] {
		c.Position++
	}
	return c
}

// see marks the current card as shown in this session, and reports
// whether it was the first time (for undo).
func (s *Session) see(id string) bool {
	if s.seen[id] {
		return false
	}
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	s.seen[id] = true
	return true
}

// Preview returns the grades of the session's scale for the current card,
// each with the interval it would give now. A re-drill changes no
// schedule, so each of its choices shows the card's current interval.
func (s *Session) Preview() []Choice {
	if len(s.queue) == 0 {
		return nil
	}
	it := s.queue[0]
	now := s.now()
	keys, grades := s.opts.Grades.Keys()
	out := make([]Choice, len(keys))
	for i, g := range grades {
		c := Choice{Key: keys[i], Grade: g, Days: it.State.Interval}
		if s.opts.Grades == Buttons {
			c.Label = g.String()
		}
		if !it.Redrill {
			next := s.opts.Next(it.State, g, now)
			c.Days = next.Interval
			c.Ease = math.Round((next.EF-it.State.EF)*100) / 100
		} else if g < card.Good {
			c.Learn = srs.LearnSteps[0]
			if g == card.Hard {
				c.Learn = srs.LearnSteps[1]
			}
		}
		out[i] = c
	}
	return out
}

// Grade answers the current card with g and commits the answer. A card
// graded below good (q < 4) enters today's learning steps and comes back
// when the collection says (a minute later, then ten), until it is graded
// good or easy; those re-drills are logged without changing the schedule.
// The card's siblings the answer buried leave the session. A leech leaves
// the session.
func (s *Session) Grade(ctx context.Context, g card.Grade) (Result, error) {
	if len(s.queue) == 0 {
		return Result{}, ErrNoCard
	}
	if !g.Valid() {
		return Result{}, fmt.Errorf("grade %d: %w", int(g), card.ErrInvalid)
	}
	it := s.queue[0]
	took := min(max(s.now().Sub(s.shown), 0), s.opts.MaxTook)
	ans, err := s.c.Answer(ctx, it.ID, g, took, it.Redrill)
	if err != nil {
		return Result{}, cardErr(it.ID, err)
	}
	st := step{action: Graded, item: it, grade: g, reviewID: ans.ReviewID, before: s.st, first: s.see(it.ID)}
	s.st.answers++
	s.st.qualities[g]++
	if !it.Redrill {
		s.st.cards++
		if g.Passed() {
			s.st.correct++
		}
	}
	res := Result{Action: Graded, Card: it.Card, Grade: g, Redrill: it.Redrill, State: it.State, Leech: ans.Leech}
	if !it.Redrill {
		res.State = ans.After
	}
	s.queue = s.queue[1:]
	st.dropped = s.drop(ans.Buried)
	switch {
	case ans.Leech:
		s.st.leeches++
		s.st.done++
	case !ans.After.LearnDue.IsZero():
		again := &Item{Entry: it.Entry, New: it.New, Redrill: true}
		again.State = ans.After
		s.addLearning(again)
		st.learning = again
		res.Again = true
		res.LearnIn = ans.After.LearnDue.Sub(s.now())
	default:
		s.st.done++
		if it.New {
			s.st.newLearned++
		}
	}
	st.pulled = s.advance()
	s.steps = append(s.steps, st)
	s.shown = s.now()
	return res, nil
}

// drop takes the cards ids names out of the queue, saying where each was.
func (s *Session) drop(ids []string) []placed {
	if len(ids) == 0 {
		return nil
	}
	var out []placed
	for i := 0; i < len(s.queue); i++ {
		if slices.Contains(ids, s.queue[i].ID) {
			out = append(out, placed{i + len(out), s.queue[i]})
			s.queue = slices.Delete(s.queue, i, i+1)
			i--
		}
	}
	return out
}

// Bury hides the current card until tomorrow and takes it out of the
// session. Its siblings stay.
func (s *Session) Bury(ctx context.Context) (Result, error) {
	return s.remove(ctx, Buried, s.c.Bury)
}

// Suspend suspends the current card and takes it out of the session.
func (s *Session) Suspend(ctx context.Context) (Result, error) {
	return s.remove(ctx, Suspended, s.c.Suspend)
}

func (s *Session) remove(ctx context.Context, a Action, do func(context.Context, string) error) (Result, error) {
	if len(s.queue) == 0 {
		return Result{}, ErrNoCard
	}
	it := s.queue[0]
	if err := do(ctx, it.ID); err != nil {
		return Result{}, cardErr(it.ID, err)
	}
	st := step{action: a, item: it, before: s.st, first: s.see(it.ID)}
	if a == Buried {
		s.st.buried++
	} else {
		s.st.suspended++
	}
	s.st.done++
	s.queue = s.queue[1:]
	st.pulled = s.advance()
	s.steps = append(s.steps, st)
	s.shown = s.now()
	return Result{Action: a, Card: it.Card, State: it.State}, nil
}

// Undo takes back the last step not yet undone: a grade through
// Collection.Undo, a bury or a suspension through Collection.Restore. The
// card comes back to the front, as it was before the step, and the
// session's totals are restored. Called again, it goes further back.
func (s *Session) Undo(ctx context.Context) (Result, error) {
	if len(s.steps) == 0 {
		return Result{}, ErrNothingToUndo
	}
	st := s.steps[len(s.steps)-1]
	var err error
	if st.action == Graded {
		err = s.c.Undo(ctx, st.reviewID)
	} else {
		err = s.c.Restore(ctx, st.item.ID)
	}
	if err != nil {
		return Result{}, cardErr(st.item.ID, err)
	}
	s.steps = s.steps[:len(s.steps)-1]
	// Steps are undone last first, so the queue is exactly as the step
	// left it: take back what it did in the reverse order.
	if st.pulled != nil {
		s.queue = s.queue[1:]
		s.addLearning(st.pulled)
	}
	if st.learning != nil {
		s.learning = slices.DeleteFunc(s.learning, func(it *Item) bool { return it == st.learning })
	}
	for i := len(st.dropped) - 1; i >= 0; i-- {
		d := st.dropped[i]
		s.queue = slices.Insert(s.queue, min(d.at, len(s.queue)), d.item)
	}
	s.queue = slices.Insert(s.queue, 0, st.item)
	if st.first {
		delete(s.seen, st.item.ID)
	}
	s.st = st.before
	s.shown = s.now()
	return Result{Action: st.action, Card: st.item.Card, Grade: st.grade, Redrill: st.item.Redrill, State: st.item.State}, nil
}

// cardErr names the card an error is about, unless the collection already
// did.
func cardErr(id string, err error) error {
	if ce := (*card.Error)(nil); errors.As(err, &ce) && ce.ID == id {
		return err
	}
	return &card.Error{ID: id, Err: err}
}
