//go:build gauntlet

package gauntlet

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// What TestCrash aims for: about crashKills kills, in at most crashRuns
// runs (a run that ends before its kill is an ordinary run) and
// crashBudget of time, whichever comes first.
const (
	crashKills  = 100
	crashRuns   = 400
	crashBudget = 50 * time.Second
)

// TestCrash kills recall with SIGKILL at random moments of add, sync,
// review, answer and export, run after run on one collection, and after
// every kill checks what a crash must never do: damage the collection
// (PRAGMA integrity_check), lose an answer recall acknowledged, or leave
// files behind, beside the collection, in the notes, in TMPDIR or beside
// an export (but for the one temporary name of a killed export, which the
// next export must clear). A run that is not killed must succeed: the one
// after a kill picks up what the kill left.
func TestCrash(t *testing.T) {
	t.Parallel()
	c := &crash{
		t:      t,
		w:      newWorld(t),
		rng:    newRand(seed(t), 1),
		ledger: newLedger(),
		kills:  map[string]int{},
		strays: map[string]bool{},
	}
	// A collection of a few thousand cards from four files, like a
	// person's notes of a few conferences.
	for i := range 4 {
		d := newDeckNotes(fmt.Sprintf("Crash %d", i), fmt.Sprintf("crash%d", i), 100)
		c.addDeck(d, fmt.Sprintf("crash-%d.md", i))
	}
	c.w.must(append([]string{"add"}, c.paths...)...)

	ops := []struct {
		name    string
		prepare func() step
		usual   time.Duration // how long it takes when left alone
	}{
		{name: "add", prepare: c.add},
		{name: "sync", prepare: c.sync},
		{name: "review", prepare: c.review},
		{name: "answer", prepare: c.answer},
		{name: "export", prepare: c.export},
	}
	// Each operation's usual length, from a run left alone, sets the
	// moments its kills fall at: any time from its start to a little past
	// its usual end, so that some runs finish and the last steps of a run
	// (a commit, a rename) are hit as well as the first.
	for i := range ops {
		r, _ := c.run(ops[i].name, ops[i].prepare(), time.Hour)
		ops[i].usual = r.took
		t.Logf("%s takes %v when left alone", ops[i].name, r.took.Round(time.Millisecond))
	}

	start := time.Now()
	kills := 0
	for n := 0; kills < crashKills && n < crashRuns && time.Since(start) < crashBudget; n++ {
		op := ops[n%len(ops)]
		delay := time.Duration(c.rng.Int64N(int64(op.usual)*5/4 + 1))
		if _, killed := c.run(op.name, op.prepare(), delay); killed {
			kills++
		}
	}
	if kills < crashKills {
		t.Logf("only %d kills in %d runs and %v", kills, c.runs, time.Since(start).Round(time.Second))
	}

	// The end, left alone: an export clears what a killed one left, and
	// the collection syncs and reads.
	c.run("export", c.export(), time.Hour)
	c.run("sync", c.sync(), time.Hour)
	c.run("status", step{args: []string{"status"}}, time.Hour)
	c.checkCollection("the end")

	var each []string
	for _, op := range ops {
		each = append(each, fmt.Sprintf("%s %d", op.name, c.kills[op.name]))
	}
	figures(t, "kills %d (%s) · integrity failures %d · answers lost %d · stray files %d · runs %d · answers acknowledged %d · export temporaries left by a kill %d",
		kills, strings.Join(each, " · "), c.integrityFailures, c.lost, len(c.strays), c.runs, c.ledger.total(), c.tempsLeft)
}

// crash is TestCrash's state: the world, the notes it edits and what it
// has counted.
type crash struct {
	t      *testing.T
	w      *world
	rng    *rand.Rand
	ledger *ledger
	decks  []*deckNotes
	paths  []string // of decks, as recall was told them

	edits int // versions of the notes so far
	runs  int
	// exportTemp says the last export was killed, so its temporary name
	// may be there; the next export that succeeds must clear it.
	exportTemp bool

	kills             map[string]int // by operation
	integrityFailures int
	lost              int
	strays            map[string]bool
	// tempsLeft counts the kills of export that left its temporary name.
	tempsLeft int
}

// step is one run of recall and how to learn which answers it
// acknowledged.
type step struct {
	args  []string
	stdin string
	acked func(r result)
}

func (c *crash) addDeck(d *deckNotes, name string) {
	path := filepath.Join(c.w.notes, name)
	if err := d.write(path); err != nil {
		c.t.Fatal(err)
	}
	c.decks = append(c.decks, d)
	c.paths = append(c.paths, path)
}

// add adds a new notes file.
func (c *crash) add() step {
	n := len(c.decks)
	c.addDeck(newDeckNotes(fmt.Sprintf("Added %d", n), fmt.Sprintf("added%d", n), 50), fmt.Sprintf("added-%d.md", n))
	return step{args: []string{"add", c.paths[n]}}
}

// sync edits one of the notes files (some answers, a few questions gone
// and those gone before back, a new section) so that the sync has work.
func (c *crash) sync() step {
	i := c.rng.IntN(len(c.decks))
	d := c.decks[i]
	c.edits++
	d.editAnswers(c.rng, 0.05, c.edits)
	d.hide(c.rng, 0.02)
	d.addSections(1)
	if err := d.write(c.paths[i]); err != nil {
		c.t.Fatal(err)
	}
	return step{args: []string{"sync"}}
}

// review studies every card there is, answers piped in ahead.
func (c *crash) review() step {
	var in strings.Builder
	for range 300 {
		in.WriteString("\n" + pickGrade(c.rng) + "\n")
	}
	return step{
		args:  []string{"review", "--plain", "--new", "100000"},
		stdin: in.String(),
		acked: func(r result) {
			var p plainReader
			p.read(r.stdout)
			for _, f := range p.graded {
				c.ledger.front(f)
			}
		},
	}
}

// answer grades one card that is in review.
func (c *crash) answer() step {
	ids, err := query(c.w.db, `SELECT id FROM cards WHERE orphan = 0 AND status = 'active' ORDER BY id`)
	if err != nil || len(ids) == 0 {
		c.t.Fatalf("cards to answer: %v (%d found)", err, len(ids))
	}
	id := ids[c.rng.IntN(len(ids))]
	return step{
		args: []string{"answer", id, pickGrade(c.rng), "--force"},
		acked: func(r result) {
			if r.code == 0 {
				c.ledger.id(id)
			}
		},
	}
}

func (c *crash) export() step {
	return step{args: []string{"export", "--anki", "-o", filepath.Join(c.w.out, "deck.apkg")}}
}

// run runs s, kills it with SIGKILL after delay unless it ended first,
// and checks what it left. Each run sees a later clock than the last, as
// if they were hours apart, so that answered cards come due again.
func (c *crash) run(name string, s step, delay time.Duration) (r result, killed bool) {
	c.t.Helper()
	c.w.now = mustTime(recallNow).Add(time.Duration(c.runs) * 3 * time.Hour).Format(time.RFC3339)
	c.runs++
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := c.w.command(ctx, s.args...)
	cmd.Stdin = strings.NewReader(s.stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		c.t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	timer := time.NewTimer(delay)
	defer timer.Stop()
	var err error
	select {
	case err = <-done:
	case <-timer.C:
		// Kill is SIGKILL: no handler runs, nothing is flushed.
		_ = cmd.Process.Kill()
		err = <-done
	}
	r = result{args: s.args, stdout: stdout.String(), stderr: stderr.String(), took: time.Since(start)}
	r.code = exitCode(cmd, err)
	r.hung = ctx.Err() != nil
	// A run that ended on its own just before the kill is not killed.
	killed = r.code == -1 && !r.hung
	if s.acked != nil {
		s.acked(r)
	}

	if name == "export" {
		c.exportTemp = killed
		if killed && exists(filepath.Join(c.w.out, ".deck.apkg.recall-tmp")) {
			c.tempsLeft++
		}
	}
	if killed {
		c.kills[name]++
		c.checkCollection(fmt.Sprintf("%s killed after %v", name, r.took.Round(time.Millisecond)))
	} else if r.code != 0 {
		c.t.Errorf("%s, not killed, failed: %v", name, r)
	}
	c.checkStrays(name, killed)
	return r, killed
}

// checkCollection checks the collection's integrity and that it holds
// every answer acknowledged so far.
func (c *crash) checkCollection(when string) {
	c.t.Helper()
	if v := integrity(c.w.db); v != "ok" {
		c.integrityFailures++
		c.t.Errorf("%s: integrity check: %s", when, excerpt(v, 400))
		return
	}
	n, which, err := c.ledger.lost(c.w.db)
	if err != nil {
		c.t.Errorf("%s: reading the review log: %v", when, err)
		return
	}
	if n > c.lost {
		c.t.Errorf("%s: %d acknowledged answers not in the review log:\n%s", when, n-c.lost, strings.Join(which, "\n"))
		c.lost = n
	}
}

// checkStrays looks for files that should not be there after a run of
// name, killed or not.
func (c *crash) checkStrays(name string, killed bool) {
	c.t.Helper()
	base := filepath.Base(c.w.db)
	allowed := map[string]func(string) bool{
		c.w.root: func(n string) bool {
			return slices.Contains([]string{"db/", "notes/", "out/", "tmp/", "home/"}, n)
		},
		c.w.dbDir: func(n string) bool {
			return n == base || n == base+"-wal" || n == base+"-shm" || strings.HasPrefix(n, base+".bak")
		},
		c.w.notes: func(n string) bool {
			return slices.Contains(c.paths, filepath.Join(c.w.notes, n))
		},
		c.w.out: func(n string) bool {
			return n == "deck.apkg" || c.exportTemp && (n == ".deck.apkg.recall-tmp" || n == ".deck.apkg.recall-tmp.d/")
		},
		c.w.tmp: func(string) bool { return false },
	}
	for dir, ok := range allowed {
		names, err := listing(dir)
		if err != nil {
			c.t.Errorf("after %s: %v", name, err)
			continue
		}
		for _, n := range names {
			p := filepath.Join(dir, n)
			if ok(n) || c.strays[p] {
				continue
			}
			c.strays[p] = true
			what := "run"
			if killed {
				what = "kill"
			}
			c.t.Errorf("after a %s of %s: stray file %s", what, name, p)
		}
	}
}

func mustTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// exists reports whether path names anything.
func exists(path string) bool {
	_, err := os.Lstat(path)
	return err == nil
}
