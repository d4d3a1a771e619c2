package review

import (
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/store"
)

// benchNow is the benchmark collections' "today".
var benchNow = time.Date(2026, 3, 12, 9, 0, 0, 0, time.UTC)

// buildCollection makes a collection of n basic cards in one deck, synced
// in files of 50,000 cards, with the first 300 reviewed ten days ago so
// that a session has reviews due as well as new cards.
func buildCollection(b *testing.B, path string, n int) {
	b.Helper()
	s, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	past := benchNow.AddDate(0, 0, -10)
	s.Now = func() time.Time { return past }
	const chunk = 50_000
	for off := 0; off < n; off += chunk {
		file := fmt.Sprintf("notes/%04d.md", off/chunk)
		cards := make([]card.Card, min(chunk, n-off))
		for i := range cards {
			k := off + i
			cards[i] = card.Card{
				Deck:    "Bench",
				Kind:    card.Basic,
				Front:   fmt.Sprintf("What is fact number %d?", k),
				Back:    fmt.Sprintf("It is the %d-th fact, with **bold** and `code`.", k),
				Context: []string{"Bench", fmt.Sprintf("Section %d", k/100)},
				Source:  card.Source{File: file, Line: i + 1},
				Anchor:  fmt.Sprintf("%s#%d", file, i),
				Group:   fmt.Sprintf("g%d", k/5),
			}
		}
		if _, err := s.Sync(ctx, store.SourceFile{Path: file, Hash: file, ModTime: past}, card.Limits{}, cards); err != nil {
			b.Fatal(err)
		}
	}
	_, fresh, err := s.Queue(ctx, store.QueueOptions{NewLimit: card.PerDay(300)})
	if err != nil {
		b.Fatal(err)
	}
	for _, e := range fresh {
		if _, err := s.Answer(ctx, e.ID, card.Good, time.Second, false); err != nil {
			b.Fatal(err)
		}
	}
}

// firstCard is the time to the first card: open the collection, build
// the queue and the session, and draw the first question.
func firstCard(b *testing.B, path string) {
	s, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	now := func() time.Time { return benchNow }
	s.Now = now
	due, fresh, err := s.Queue(ctx, store.QueueOptions{})
	if err != nil {
		b.Fatal(err)
	}
	sess := New(s, due, fresh, now, Options{})
	view := newModel(ctx, sess, TUIOptions{Out: io.Discard}).View()
	if !strings.Contains(view, "What is fact number") || len(due) == 0 || len(fresh) == 0 {
		b.Fatalf("first screen of a session of %d due and %d new:\n%s", len(due), len(fresh), view)
	}
}

// BenchmarkFirstCard measures the time to the first card on a small and a
// large collection in the same run and reports the ratio beside its limit
// (flat: the large within 2× of the small). The large one has a million
// cards; with -short, 20,000.
func BenchmarkFirstCard(b *testing.B) {
	const limit = 2.0
	small, large := 1_000, 1_000_000
	if testing.Short() {
		large = 20_000
	}
	dir := b.TempDir()
	paths := []string{filepath.Join(dir, "small.db"), filepath.Join(dir, "large.db")}
	start := time.Now()
	buildCollection(b, paths[0], small)
	buildCollection(b, paths[1], large)
	b.Logf("built collections of %d and %d cards in %s", small, large, time.Since(start).Round(time.Millisecond))
	// Warm the page cache for both alike.
	firstCard(b, paths[0])
	firstCard(b, paths[1])

	var took [2]time.Duration
	for b.Loop() {
		for i, p := range paths {
			t0 := time.Now()
			firstCard(b, p)
			took[i] += time.Since(t0)
		}
	}
	n := float64(b.N)
	smallMS := float64(took[0].Microseconds()) / 1000 / n
	largeMS := float64(took[1].Microseconds()) / 1000 / n
	b.ReportMetric(smallMS, "ms-"+size(small))
	b.ReportMetric(largeMS, "ms-"+size(large))
	b.ReportMetric(largeMS/smallMS, "large/small")
	b.ReportMetric(limit, "limit-large/small")
	if largeMS/smallMS > limit {
		b.Logf("over the limit: time to first card: %.2f ms on %d cards, %.2f ms on %d: %.2f×, limit %.1f×", largeMS, large, smallMS, small, largeMS/smallMS, limit)
	}
}

// size names a collection size: 1k, 20k, 1M.
func size(n int) string {
	if n >= 1_000_000 {
		return fmt.Sprintf("%dM", n/1_000_000)
	}
	return fmt.Sprintf("%dk", n/1000)
}
