package anki_test

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/anki"
	"github.com/recall-cli/recall/internal/card"
)

// limitImportRSSMB is the most peak resident memory an import may take,
// whatever the size of the package: it reads and writes one note at a
// time.
const limitImportRSSMB = 80

// BenchmarkImport imports a package of 100k reviewed basic notes, three
// reviews each, into a new collection and then again over itself, with
// recall's own binary (the test binary re-run as recall, see TestMain),
// and reports the time and the peak resident memory of the import's
// process beside its limit.
func BenchmarkImport(b *testing.B) {
	n := 100_000
	if testing.Short() {
		n = 10_000
	}
	dir := b.TempDir()
	pkg := filepath.Join(dir, "big.apkg")
	writeImportPackage(b, pkg, n)
	for _, again := range []bool{false, true} {
		name := "into=new"
		if again {
			name = "into=itself"
		}
		b.Run(name, func(b *testing.B) {
			db := filepath.Join(dir, "c.db")
			env := append(os.Environ(), benchChild+"=1", "RECALL_DB="+db, "NO_COLOR=1")
			var took time.Duration
			var rss int64
			for b.Loop() {
				if !again {
					b.StopTimer()
					for _, suffix := range []string{"", "-wal", "-shm"} {
						os.Remove(db + suffix)
					}
					b.StartTimer()
				}
				t0 := time.Now()
				kb, out := runChild(b, env, []string{"import", pkg})
				took += time.Since(t0)
				rss = max(rss, kb)
				if !strings.Contains(out, strconv.Itoa(n)+" notes") {
					b.Fatalf("import said %q, want %d notes", out, n)
				}
			}
			b.ReportMetric(took.Seconds()/float64(b.N), "import-s")
			b.ReportMetric(float64(rss)/1024, "peak-RSS-MB")
			b.ReportMetric(limitImportRSSMB, "limit-RSS-MB")
		})
	}
}

// writeImportPackage writes a package of n basic notes in a hundred
// decks, each card reviewed three times.
func writeImportPackage(b *testing.B, path string, n int) {
	b.Helper()
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	now := time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)
	bw := bufio.NewWriter(f)
	w, err := anki.NewWriter(bw, anki.Options{Now: now, WithProgress: true})
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]string, n)
	for i := range n {
		deck := "Import " + strconv.Itoa(i%100)
		ids[i] = card.NewID(deck, strconv.Itoa(i))
		st := card.State{Reps: 3, EF: 2.5, Interval: 6, Due: now.AddDate(0, 0, 3), Last: now.AddDate(0, 0, -3)}
		it := anki.Item{Card: card.Card{ID: ids[i], Deck: deck, Kind: card.Basic, Key: strconv.Itoa(i),
			Front: "Which <b>service</b> owns record " + strconv.Itoa(i) + "?", Back: "the one " + strconv.Itoa(i),
			Context: []string{deck}, Source: card.Source{File: "n.md", Line: i + 1}},
			Status: card.StatusReview, State: st}
		if err := w.Add(it); err != nil {
			b.Fatal(err)
		}
	}
	for k := range 3 {
		for _, id := range ids {
			r := card.Review{CardID: id, Time: now.AddDate(0, 0, 3*k-12), Grade: card.Good,
				Before: card.NewState(), After: card.NewState()}
			if err := w.AddReview(r); err != nil {
				b.Fatal(err)
			}
		}
	}
	if _, err := w.Close(); err != nil {
		b.Fatal(err)
	}
	if err := bw.Flush(); err != nil {
		b.Fatal(err)
	}
}
