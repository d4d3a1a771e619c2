//go:build gauntlet

package gauntlet

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// concurrentFor is how long TestConcurrent keeps its processes busy;
// what is running then is finished, not cut short.
const concurrentFor = 20 * time.Second

// TestConcurrent runs several recalls on one collection at once for a
// while, as a person's study session, a sync from an editor's save hook,
// an export to a phone and a status bar may: two plain review sessions
// grading every card they show, a loop of answer, a syncer editing notes
// that include one large file (so that a sync takes a second or more)
// and taking questions out of the file the first session studies
// (so that cards on its screen become orphans), an exporter and readers.
//
// No operation may fail: not with "database is locked" nor because of
// another's work (an answer to a card that became an orphan on screen is
// still recorded, and the session goes on), and every answer acknowledged
// must be in the review log at the end.
func TestConcurrent(t *testing.T) {
	t.Parallel()
	s := seed(t)
	c := &concurrent{t: t, w: newWorld(t), ledger: newLedger(), ops: map[string]int{}, orphaned: map[string]bool{}}
	// Stable is what answer grades, Churn what the syncer takes questions
	// out of and puts back, Big what makes a sync long.
	stable := newDeckNotes("Stable", "stable", 100)
	churn := newDeckNotes("Churn", "churn", 100)
	big := newDeckNotes("Big", "big", 4000) // 40,000 items
	paths := map[*deckNotes]string{}
	for d, name := range map[*deckNotes]string{stable: "stable.md", churn: "churn.md", big: "big.md"} {
		paths[d] = filepath.Join(c.w.notes, name)
		if err := d.write(paths[d]); err != nil {
			t.Fatal(err)
		}
	}
	c.w.must("add", paths[stable], paths[churn], paths[big])
	ids, err := query(c.w.db, `SELECT id FROM cards WHERE deck = 'Stable' AND kind = 'basic'`)
	if err != nil || len(ids) == 0 {
		t.Fatalf("cards of Stable: %v (%d found)", err, len(ids))
	}

	ctx, cancel := context.WithTimeout(context.Background(), concurrentFor+2*time.Minute)
	defer cancel()
	until := time.Now().Add(concurrentFor)
	var wg sync.WaitGroup
	wg.Go(func() { c.reviews(ctx, newRand(s, 1), until, 30*time.Millisecond, "--deck", "Churn") })
	wg.Go(func() { c.reviews(ctx, newRand(s, 2), until, 0) })
	wg.Go(func() { c.answers(ctx, newRand(s, 3), until, ids) })
	wg.Go(func() { c.syncs(ctx, newRand(s, 4), until, churn, big, paths[churn], paths[big]) })
	wg.Go(func() { c.exports(ctx, until) })
	wg.Go(func() { c.reads(ctx, until) })
	wg.Wait()

	if v := integrity(c.w.db); v != "ok" {
		t.Errorf("integrity check: %s", excerpt(v, 400))
	}
	lost, which, err := c.ledger.lost(c.w.db)
	if err != nil {
		t.Fatalf("reading the review log: %v", err)
	}
	if lost > 0 {
		t.Errorf("%d acknowledged answers not in the review log:\n%s", lost, strings.Join(which, "\n"))
	}
	if c.lockErrors > 0 || c.ended > 0 {
		t.Errorf("%d operations failed, %d of them with a lock error", c.ended, c.lockErrors)
	}
	var each []string
	for _, k := range []string{"review", "answer", "sync", "export", "read"} {
		each = append(each, fmt.Sprintf("%s %d", k, c.ops[k]))
	}
	slices.Sort(c.syncTimes)
	var syncTook string
	if n := len(c.syncTimes); n > 0 {
		syncTook = fmt.Sprintf(" · syncs of Big took %v to %v", c.syncTimes[0].Round(100*time.Millisecond), c.syncTimes[n-1].Round(100*time.Millisecond))
	}
	figures(t, "concurrent operations %d (%s) · lock errors %d · lost answers %d · sessions ended %d · answers acknowledged %d · to cards orphaned on screen about %d · waits announced %d%s",
		c.total(), strings.Join(each, " · "), c.lockErrors, lost, c.ended, c.ledger.total(), c.orphanAnswers, c.waits, syncTook)
}

// concurrent is TestConcurrent's state, shared by its loops.
type concurrent struct {
	t      *testing.T
	w      *world
	ledger *ledger

	mu            sync.Mutex
	ops           map[string]int // finished operations, by kind
	lockErrors    int
	ended         int // operations that failed
	waits         int // times recall said it waited for the collection
	orphaned      map[string]bool
	orphanAnswers int // answers given while their card's question was out of the notes
	syncTimes     []time.Duration
}

// lockError is how a failure caused by another process's lock reads.
var lockError = regexp.MustCompile(`(?i)\b(locked|busy)\b`)

// done counts a finished operation of kind and judges how it ended.
func (c *concurrent) done(kind string, r result, waits int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ops[kind]++
	c.waits += waits + strings.Count(r.stderr, "waiting: ")
	if r.code == 0 && r.err == nil {
		return
	}
	c.ended++
	// Saying it waits is fine; failing for the lock is not.
	for _, l := range strings.Split(r.stderr, "\n") {
		if lockError.MatchString(l) && !strings.Contains(l, "waiting: ") {
			c.lockErrors++
			break
		}
	}
	c.t.Errorf("%s failed while others ran: %v", kind, r)
}

func (c *concurrent) total() int {
	n := 0
	for _, k := range c.ops {
		n += k
	}
	return n
}

// reviews runs plain review sessions one after another until the
// deadline, each of some thirty answers, which is what a person might
// give before quitting. Before each grade it thinks for up to think.
func (c *concurrent) reviews(ctx context.Context, rng *rand.Rand, until time.Time, think time.Duration, flags ...string) {
	// Every card is on offer: the clock is the same all day, and the
	// deck's daily limit would soon leave the sessions nothing to show.
	args := append([]string{"review", "--plain", "--new", "100000", "--limit", "100000"}, flags...)
	for time.Now().Before(until) && ctx.Err() == nil {
		r, p := c.session(ctx, rng, until, args, 25+rng.IntN(16), think)
		for _, f := range p.graded {
			c.ledger.front(f)
		}
		c.done("review", r, p.waits)
	}
}

// session runs one review session, answering like a person: a line to see
// the answer once the question is shown, then a grade; after n answers it
// quits, and at the deadline it closes the input, which ends a session the
// way quitting does. It returns how the session ended and what it said.
func (c *concurrent) session(ctx context.Context, rng *rand.Rand, until time.Time, args []string, n int, think time.Duration) (result, *plainReader) {
	p := &plainReader{}
	cmd := c.w.command(ctx, args...)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return result{args: args, code: -1, err: err}, p
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return result{args: args, code: -1, err: err}, p
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return result{args: args, code: -1, err: err}, p
	}
	var transcript strings.Builder
	lines := bufio.NewScanner(stdout)
	closed := false
	for lines.Scan() {
		l := lines.Text()
		transcript.WriteString(l + "\n")
		reply, ok := p.line(l, func() string {
			time.Sleep(time.Duration(rng.Int64N(int64(think) + 1)))
			return pickGrade(rng)
		})
		if strings.HasPrefix(l, "graded ") {
			c.mu.Lock()
			if c.orphaned[p.front] {
				c.orphanAnswers++
			}
			c.mu.Unlock()
		}
		if !closed && !time.Now().Before(until) {
			stdin.Close()
			closed = true
		}
		if ok && !closed {
			if len(p.graded) >= n {
				reply = "q"
			}
			// A write error means the session has ended; its exit says why.
			_, _ = io.WriteString(stdin, reply+"\n")
		}
	}
	stdin.Close()
	// The pipe is read to its end, so Wait may close it.
	err = cmd.Wait()
	r := result{args: args, stdout: transcript.String(), stderr: stderr.String(), took: time.Since(start)}
	r.code = exitCode(cmd, err)
	r.hung = ctx.Err() != nil
	return r, p
}

// answers grades random cards of Stable (which no sync touches: answer
// refuses an orphan, by design) until the deadline.
func (c *concurrent) answers(ctx context.Context, rng *rand.Rand, until time.Time, ids []string) {
	for time.Now().Before(until) && ctx.Err() == nil {
		id := ids[rng.IntN(len(ids))]
		// --force: the loop answers the same cards again and again, most
		// of them not due again yet, which answer refuses on its own.
		args := []string{"answer", id, pickGrade(rng), "--force"}
		r := run(ctx, c.w.command(ctx, args...), args)
		if r.code == 0 {
			c.ledger.id(id)
		}
		c.done("answer", r, 0)
	}
}

// syncs edits the notes and syncs until the deadline: each time about
// two fifths of Churn's questions leave the notes (their cards become
// orphans, some of them on a session's screen: the Churn session takes
// its time, like a person) and those gone before come back,
// and a twentieth of Big's answers change, so that every sync writes
// thousands of cards.
func (c *concurrent) syncs(ctx context.Context, rng *rand.Rand, until time.Time, churn, big *deckNotes, churnPath, bigPath string) {
	for n := 1; time.Now().Before(until) && ctx.Err() == nil; n++ {
		hidden := churn.hide(rng, 0.4)
		big.editAnswers(rng, 0.05, n)
		for d, p := range map[*deckNotes]string{churn: churnPath, big: bigPath} {
			if err := d.write(p); err != nil {
				c.t.Error(err)
				return
			}
		}
		args := []string{"sync"}
		r := run(ctx, c.w.command(ctx, args...), args)
		c.mu.Lock()
		if r.code == 0 {
			c.orphaned = hidden
		}
		c.syncTimes = append(c.syncTimes, r.took)
		c.mu.Unlock()
		c.done("sync", r, 0)
	}
}

// exports exports the whole collection to Anki until the deadline, every
// other time with the schedules and the review log (to a file of its
// own: an export replaces only its own earlier export).
func (c *concurrent) exports(ctx context.Context, until time.Time) {
	for n := 0; time.Now().Before(until) && ctx.Err() == nil; n++ {
		args := []string{"export", "--anki", "-o", filepath.Join(c.w.out, "all.apkg")}
		if n%2 == 1 {
			args = []string{"export", "--anki", "-o", filepath.Join(c.w.out, "all-progress.apkg"), "--with-progress"}
		}
		c.done("export", run(ctx, c.w.command(ctx, args...), args), 0)
	}
}

// reads runs the commands that only read, in turn, until the deadline.
func (c *concurrent) reads(ctx context.Context, until time.Time) {
	reads := [][]string{
		{"status"},
		{"cards", "--json", "--deck", "Churn"},
		{"decks", "--json"},
		{"cards", "--due"},
		{"status", "--json"},
		{"cards", "--orphans", "--json"},
	}
	for n := 0; time.Now().Before(until) && ctx.Err() == nil; n++ {
		args := reads[n%len(reads)]
		c.done("read", run(ctx, c.w.command(ctx, args...), args), 0)
	}
}
