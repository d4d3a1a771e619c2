package collection

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/review"
	"github.com/recall-cli/recall/internal/store"
)

// questions is a notes file of basic cards, one per front: "F :: answer F".
func questions(fronts ...string) string {
	var b strings.Builder
	b.WriteString("# Go\n")
	for _, f := range fronts {
		fmt.Fprintf(&b, "\n%s :: answer %s\n", f, f)
	}
	return b.String()
}

// queue is today's queue of c.
func queue(t *testing.T, c *Collection) (due, fresh []card.Entry) {
	t.Helper()
	due, fresh, err := c.Store.Queue(context.Background(), store.QueueOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return due, fresh
}

// plainSession runs a line-protocol session on today's queue with input
// and returns what it printed.
func plainSession(t *testing.T, c *Collection, now func() time.Time, input string) (string, review.Summary) {
	t.Helper()
	due, fresh := queue(t, c)
	sess := review.New(c.Store, due, fresh, now, review.Options{})
	var out bytes.Buffer
	sum, err := review.RunPlain(context.Background(), sess, strings.NewReader(input), &out)
	if err != nil {
		t.Fatalf("RunPlain: %v\n%s", err, out.String())
	}
	return out.String(), sum
}

// inOrder returns the first of want not found in out after the ones
// before it, or "".
func inOrder(out string, want ...string) string {
	for _, w := range want {
		i := strings.Index(out, w)
		if i < 0 {
			return w
		}
		out = out[i+len(w):]
	}
	return ""
}

// TestReviewWithStore runs sessions against a real collection: what the
// session asks of its review.Collection is what the store does.
func TestReviewWithStore(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, clock := newTest(t)
	addFile(t, c, "go.md", questions("one?", "two?", "three?"))
	// one: again, then good as a re-drill; two: buried, undone, good;
	// three: suspended.
	out, sum := plainSession(t, c, clock.now, "\nagain\nb\nu\n\ngood\ns\n\ngood\n")
	if miss := inOrder(out,
		"Q: one?", "graded again — next in 1 day; back in 1 minute",
		"Q: two?", "buried", "undone: buried",
		"Q: two?", "graded good — next in 1 day",
		"Q: three?", "suspended",
		"Q: one?", "graded good (learning) — done for today",
	); miss != "" {
		t.Errorf("session output lacks %q (in order):\n%s", miss, out)
	}
	if sum.Cards != 2 || sum.Answers != 3 || sum.Streak != 1 || sum.DueTomorrow != 2 {
		t.Errorf("summary = %+v, want 2 cards, 3 answers, streak 1, 2 due tomorrow", sum)
	}
	var log []string
	for _, e := range entries(t, c, store.Filter{}) {
		err := c.Store.EachReview(ctx, e.ID, func(r card.Review) error {
			log = append(log, fmt.Sprintf("%s %s redrill=%v interval=%d", e.Front, r.Grade, r.Redrill, r.After.Interval))
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
	clock.advance(24 * time.Hour)
	if due, fresh := queue(t, c); len(due) != 2 || len(fresh) != 0 {
		t.Errorf("tomorrow's queue: %d due, %d new; want 2 due, 0 new", len(due), len(fresh))
	}
}

func TestReviewWithStoreUndoGrade(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, clock := newTest(t)
	addFile(t, c, "go.md", questions("one?", "two?"))
	_, fresh := queue(t, c)
	plainSession(t, c, clock.now, "\neasy\nu\nu\nq\n")
	e, err := c.Store.Card(ctx, fresh[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if !e.State.IsNew() || e.Status != card.StatusNew {
		t.Errorf("card after its only answer was undone: status %s, state %+v; want new", e.Status, e.State)
	}
	if n, _ := c.Store.Streak(ctx); n != 0 {
		t.Errorf("Streak() after undoing every answer = %d, want 0", n)
	}
}
