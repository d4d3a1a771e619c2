package store

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/card"
)

// busyCards is the size of the file the concurrency tests keep syncing.
const busyCards = 2000

// minOps is the least each side of a concurrency test does, however slow
// the machine (or the race detector), so that they overlap.
const minOps = 3

// running reports whether a loop that has done n operations goes on.
func running(n int, until time.Time) bool { return n < minOps || time.Now().Before(until) }

func busyFor(t *testing.T) time.Duration {
	if testing.Short() {
		return 500 * time.Millisecond
	}
	return 2 * time.Second
}

// syncLoop syncs a file of busyCards cards until the deadline, changing
// every answer each time so that every sync writes every card.
func syncLoop(ctx context.Context, s *Store, cards []card.Card, until time.Time) (int, error) {
	n := 0
	for running(n, until) {
		for i := range cards {
			cards[i].Back = fmt.Sprintf("answer %d, version %d", i, n)
		}
		res, err := s.Sync(ctx, SourceFile{Path: file, Hash: fmt.Sprint(n)}, card.Limits{}, cards)
		if err != nil {
			return n, err
		}
		if res.Updated != len(cards) {
			return n, fmt.Errorf("sync %d: %+v, want every card updated", n, res)
		}
		n++
	}
	return n, nil
}

// answerLoop answers cards of the file until the deadline.
func answerLoop(ctx context.Context, s *Store, cards []card.Card, until time.Time) (int, error) {
	n := 0
	for running(n, until) {
		c := cards[(n*7919)%len(cards)]
		if _, err := s.Answer(ctx, c.ID, card.Grade(n%6), time.Second, n%5 == 0); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// TestConcurrentStores: one Store syncs 2k cards again and again while
// another, on the same file, answers cards and a third reads: none fails.
func TestConcurrentStores(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "collection.db")
	var stores [3]*Store
	for i := range stores {
		s, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		stores[i] = s
	}
	cards := basics("D", busyCards)
	if _, err := stores[0].Sync(ctx, SourceFile{Path: file}, card.Limits{}, cards); err != nil {
		t.Fatal(err)
	}
	until := time.Now().Add(busyFor(t))
	var wg sync.WaitGroup
	var syncs, answers, reads int
	var syncErr, answerErr, readErr error
	wg.Go(func() { syncs, syncErr = syncLoop(ctx, stores[0], cards, until) })
	wg.Go(func() { answers, answerErr = answerLoop(ctx, stores[1], basics("D", busyCards), until) })
	wg.Go(func() {
		for time.Now().Before(until) {
			if _, _, err := stores[2].Queue(ctx, QueueOptions{}); err != nil {
				readErr = err
				return
			}
			if _, err := stores[2].Status(ctx); err != nil {
				readErr = err
				return
			}
			reads++
		}
	})
	wg.Wait()
	for what, err := range map[string]error{"sync": syncErr, "answer": answerErr, "read": readErr} {
		if err != nil {
			t.Errorf("%s failed while the others ran: %v", what, err)
		}
	}
	t.Logf("%d syncs of %d cards, %d answers, %d reads", syncs, busyCards, answers, reads)
	if n := countReviews(t, stores[0], ""); n != answers {
		t.Errorf("%d reviews logged, want %d", n, answers)
	}
}

// TestConcurrentProcesses runs the answering side in a second process (this
// test binary, run again) while this one syncs.
func TestConcurrentProcesses(t *testing.T) {
	if path := os.Getenv("RECALL_STORE_TEST_CHILD"); path != "" {
		answerChild(path)
		return
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "collection.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cards := basics("D", busyCards)
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, cards); err != nil {
		t.Fatal(err)
	}
	d := busyFor(t)
	cmd := exec.Command(os.Args[0], "-test.run=^TestConcurrentProcesses$")
	cmd.Env = append(os.Environ(), "RECALL_STORE_TEST_CHILD="+path, "RECALL_STORE_TEST_FOR="+d.String())
	out := &lockedBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	syncs, err := syncLoop(ctx, s, cards, time.Now().Add(d))
	if err != nil {
		t.Errorf("sync failed while another process answered: %v", err)
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("answering process: %v\n%s", err, out.String())
	}
	answers := countReviews(t, s, "")
	if answers < minOps {
		t.Errorf("%d answers logged, want at least %d", answers, minOps)
	}
	t.Logf("%d syncs of %d cards here, %d answers in the other process", syncs, busyCards, answers)
}

// answerChild is the second process of TestConcurrentProcesses.
func answerChild(path string) {
	d, err := time.ParseDuration(os.Getenv("RECALL_STORE_TEST_FOR"))
	if err == nil {
		var s *Store
		if s, err = Open(path); err == nil {
			_, err = answerLoop(context.Background(), s, basics("D", busyCards), time.Now().Add(d))
			s.Close()
		}
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "answering process:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

type lockedBuffer struct {
	mu sync.Mutex
	b  []byte
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.b = append(l.b, p...)
	return len(p), nil
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return string(l.b)
}
