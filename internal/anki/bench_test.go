package anki

import (
	"compress/flate"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/disk"
)

// genItem makes the i-th card of a synthetic collection shaped like real
// notes: mostly basic cards, some reversed pairs, lists and clozes, some
// markdown, three decks of ten headings, half of them reviewed.
func genItem(i int, progress bool) Item {
	decks := [...]string{"QCon SF 2018", "Go", "Reading notes"}
	deck := decks[i%len(decks)]
	heading := "Heading " + strconv.Itoa(i/7%10)
	id := card.NewID(deck, "key "+strconv.Itoa(i))
	front := "What does the " + strconv.Itoa(i) + "th service own in an event-driven architecture?"
	if i%3 == 0 {
		front = "What does **service " + strconv.Itoa(i) + "** own in an `event-driven` architecture?"
	}
	c := card.Card{
		ID: id, Deck: deck, Kind: card.Basic, Front: front,
		Back:    "Its own data, published as events for the others " + strconv.Itoa(i),
		Context: []string{deck, heading, "Parent bullet " + strconv.Itoa(i%5)}, Section: heading,
		Tags:   []string{"qcon", "architecture::events"},
		Source: card.Source{File: "notes/" + deck + ".md", Line: i},
	}
	switch i % 10 {
	case 4:
		c.Group = "g" + strconv.Itoa(i)
	case 5:
		c.Group = "g" + strconv.Itoa(i-1)
		c.Kind = card.Reverse
		c.Front, c.Back = c.Back, c.Front
	case 6:
		c.Kind = card.List
		c.Front = "Why microservices — name the 3 items"
		c.Back = "- fast, granular deploys\n- built-in CI checks\n- operational and dev scaling " + strconv.Itoa(i)
	case 7, 8, 9:
		c.Kind = card.Cloze
		c.Text = "Cloud v. DC, go cloud for {{c1::Elasticity " + strconv.Itoa(i) + "}} and abstraction"
		c.Front = "Cloud v. DC, go cloud for " + card.Gap + " and abstraction"
		c.Back = "Elasticity " + strconv.Itoa(i)
	}
	it := Item{Card: c, Modified: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	if progress && i%2 == 0 {
		it.Status = card.StatusReview
		it.State = card.State{Reps: 3, EF: 2.36, Interval: 17, Lapses: i % 3,
			Due: time.Date(2026, 5, 1+i%30, 0, 0, 0, 0, time.UTC), Last: time.Date(2026, 4, 14, 9, 0, 0, 0, time.UTC)}
	}
	return it
}

// cardIDOrder returns 0..n-1 sorted by the card id genItem gives: the
// order a store listing its primary key feeds the writer.
func cardIDOrder(n int) []int {
	order := make([]int, n)
	ids := make([]string, n)
	for i := range order {
		order[i] = i
		ids[i] = genItem(i, false).Card.ID
	}
	sort.Slice(order, func(a, b int) bool { return ids[order[a]] < ids[order[b]] })
	return order
}

// exportN exports n generated cards to path, in the given order (nil: as
// generated, which is random in card id).
func exportN(b *testing.B, path string, n int, progress bool, order []int) {
	exportProbe(b, path, n, Options{WithProgress: progress}, order, nil)
}

// exportProbe exports as exportN does, with options (Now, Rollover and
// TempDir are set here), calling probe, if set, before Close. The package
// is written as recall's export writes it, through disk.WriteAtomic.
func exportProbe(b *testing.B, path string, n int, opts Options, order []int, probe func(*Writer)) {
	b.Helper()
	opts.Now, opts.Rollover, opts.TempDir = now, 4, filepath.Dir(path)
	err := disk.WriteAtomic(path, func(out io.Writer) error {
		w, err := NewWriter(out, opts)
		if err != nil {
			return err
		}
		for i := range n {
			if order != nil {
				i = order[i]
			}
			if err := w.Add(genItem(i, opts.WithProgress)); err != nil {
				return err
			}
		}
		if probe != nil {
			probe(w)
		}
		_, err = w.Close()
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
}

// bareSQLite writes the same rows, notes and cards with the same columns,
// into a bare SQLite file with the same pragmas and one transaction: the
// reference the export is held to.
func bareSQLite(b *testing.B, file string, n int) {
	b.Helper()
	db, err := openDB(file, false)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	for _, t := range schema11[1:3] {
		if _, err := db.Exec(t.ddl()); err != nil {
			b.Fatal(err)
		}
	}
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	insNote, err := tx.Prepare("insert into notes values (?, ?, ?, ?, -1, ?, ?, ?, ?, 0, '')")
	if err != nil {
		b.Fatal(err)
	}
	insCard, err := tx.Prepare("insert into cards values (?, ?, ?, ?, ?, -1, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, 0, '')")
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		it := genItem(i, false)
		c := it.Card
		flds := c.Front + "\x1f" + c.Back + "\x1f" + strings.Join(c.Context, " › ")
		id := int64(1_600_000_000_000 + i)
		if _, err := insNote.Exec(id, c.ID, BasicModelID, it.Modified.Unix(), " "+strings.Join(c.Tags, " ")+" ",
			flds, c.Front, int64(i)); err != nil {
			b.Fatal(err)
		}
		if _, err := insCard.Exec(id, id, 1, 0, it.Modified.Unix(), 0, 0, i+1, 0, 0, 0, 0); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
}

func benchSize(b *testing.B) int {
	if testing.Short() {
		return 10_000
	}
	return 100_000
}

// BenchmarkWriter exports 100k generated cards (with progress) with the
// Writer alone, in this process, and writes the same rows into a bare
// SQLite file in the same run; the limit is 2× the bare write. Cards come
// in card-id order, as the store lists them, or in random order for
// comparison. BenchmarkExport measures recall's whole export.
func BenchmarkWriter(b *testing.B) {
	n := benchSize(b)
	for _, o := range []struct {
		name  string
		order []int
	}{{"order=card-id", cardIDOrder(n)}, {"order=random", nil}} {
		b.Run(o.name, func(b *testing.B) {
			dir := b.TempDir()
			var bare, exp time.Duration
			var size int64
			for i := 0; b.Loop(); i++ {
				t0 := time.Now()
				bareSQLite(b, filepath.Join(dir, "bare"+strconv.Itoa(i)+".db"), n)
				t1 := time.Now()
				path := filepath.Join(dir, "export"+strconv.Itoa(i)+".apkg")
				exportN(b, path, n, true, o.order)
				exp += time.Since(t1)
				bare += t1.Sub(t0)
				if fi, err := os.Stat(path); err == nil {
					size = fi.Size()
				}
				os.Remove(path)
				os.Remove(filepath.Join(dir, "bare"+strconv.Itoa(i)+".db"))
			}
			runs := float64(b.N)
			b.ReportMetric(exp.Seconds()/runs, "export-s")
			b.ReportMetric(bare.Seconds()/runs, "bare-sqlite-s")
			b.ReportMetric(exp.Seconds()/bare.Seconds(), "ratio")
			b.ReportMetric(2, "limit-ratio")
			b.ReportMetric(float64(size)/(1<<20), "apkg-MiB")
		})
	}
}

// peakHeap runs f while sampling the Go heap in use, and returns its peak
// above what was in use before.
func peakHeap(f func()) float64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak uint64
	var mu sync.Mutex
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		var ms runtime.MemStats
		t := time.NewTicker(2 * time.Millisecond)
		defer t.Stop()
		for {
			runtime.ReadMemStats(&ms)
			mu.Lock()
			peak = max(peak, ms.HeapInuse)
			mu.Unlock()
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	f()
	close(stop)
	<-done
	mu.Lock()
	defer mu.Unlock()
	return float64(peak-min(peak, base)) / (1 << 20)
}

// rssPeak is the process's peak resident memory in MiB (Linux), 0 if
// unknown. SQLite's own allocations are outside the Go heap.
func rssPeak() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// BenchmarkExportMemory shows memory flat in the number of cards, for 10k
// and 100k cards: the peak Go heap in use while exporting (sampled; it
// includes garbage not yet collected), the live heap once every card is
// written (after a collection: what the export really holds, the card id
// map), and the process's peak resident size (SQLite's page cache lives
// outside the Go heap).
func BenchmarkExportMemory(b *testing.B) {
	sizes := []int{10_000, 100_000}
	if testing.Short() {
		sizes = []int{1_000, 10_000}
	}
	dir := b.TempDir()
	peaks := make([]float64, len(sizes))
	live := make([]float64, len(sizes))
	rss := make([]float64, len(sizes))
	// The harness's own memory (the card orders) is taken before any
	// export, so that the resident peaks compare the exports.
	orders := make([][]int, len(sizes))
	for i, n := range sizes {
		orders[i] = cardIDOrder(n)
	}
	for b.Loop() {
		for i, n := range sizes {
			path := filepath.Join(dir, "m.apkg")
			order := orders[i]
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			base := ms.HeapAlloc
			peaks[i] = max(peaks[i], peakHeap(func() {
				exportProbe(b, path, n, Options{WithProgress: true}, order, func(w *Writer) {
					w.sync()
					runtime.GC()
					runtime.ReadMemStats(&ms)
					live[i] = float64(ms.HeapAlloc-min(ms.HeapAlloc, base)) / (1 << 20)
				})
			}))
			rss[i] = rssPeak()
			os.Remove(path)
		}
	}
	for i, n := range sizes {
		k := fmt.Sprintf("%dk", n/1000)
		b.ReportMetric(peaks[i], "peak-heap-MiB-"+k)
		b.ReportMetric(live[i], "live-heap-MiB-"+k)
		b.ReportMetric(rss[i], "peak-rss-MiB-"+k)
	}
	b.ReportMetric(live[1]/float64(sizes[1])*(1<<20), "live-B/card")
}

// BenchmarkZipLevel exports 100k cards with the collection stored and
// deflated at the fastest and the default level: time and size.
func BenchmarkZipLevel(b *testing.B) {
	n := benchSize(b)
	order := cardIDOrder(n)
	for _, lv := range []struct {
		name  string
		level int
	}{{"none", flate.NoCompression}, {"best-speed", flate.BestSpeed}, {"default", flate.DefaultCompression}} {
		b.Run(lv.name, func(b *testing.B) {
			dir := b.TempDir()
			var size int64
			for b.Loop() {
				path := filepath.Join(dir, "z.apkg")
				exportProbe(b, path, n, Options{WithProgress: true, zipLevel: &lv.level}, order, nil)
				if fi, err := os.Stat(path); err == nil {
					size = fi.Size()
				}
				os.Remove(path)
			}
			b.ReportMetric(float64(size)/(1<<20), "apkg-MiB")
		})
	}
}

// BenchmarkAddReview adds 10k reviews of one card whose times all fall in
// one millisecond, and 10k a second apart, in the same run: the colliding
// ones are held to twice the cost of the distinct ones (trying every taken
// id made them quadratic: 91 s for 10k).
func BenchmarkAddReview(b *testing.B) {
	n := 10_000
	if testing.Short() {
		n = 2_000
	}
	t0 := now.Add(-30 * 24 * time.Hour)
	run := func(b *testing.B, at func(i int) time.Time) time.Duration {
		w, err := NewWriter(io.Discard, Options{Now: now, WithProgress: true, TempDir: b.TempDir()})
		if err != nil {
			b.Fatal(err)
		}
		defer w.Abort()
		it := genItem(0, true)
		if err := w.Add(it); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		for i := range n {
			if err := w.AddReview(card.Review{CardID: it.Card.ID, Time: at(i), Grade: card.Good}); err != nil {
				b.Fatal(err)
			}
		}
		return time.Since(start)
	}
	var colliding, distinct time.Duration
	for b.Loop() {
		colliding += run(b, func(int) time.Time { return t0 })
		distinct += run(b, func(i int) time.Time { return t0.Add(time.Duration(i) * time.Second) })
	}
	per := float64(b.N) * float64(n)
	b.ReportMetric(float64(colliding.Nanoseconds())/per, "colliding-ns/review")
	b.ReportMetric(float64(distinct.Nanoseconds())/per, "distinct-ns/review")
	b.ReportMetric(colliding.Seconds()/distinct.Seconds(), "ratio")
	b.ReportMetric(2, "limit-ratio")
}
