package collection

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/anki"
	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/disk"
	"github.com/recall-cli/recall/internal/store"
)

// The targets of issue 13 for adding one big notes file: peak heap at
// 400k cards, and the time of an add against a raw insert of its rows.
const (
	addHeapLimitMB = 300
	addTimeLimit   = 2.0
)

// genNotes writes notes that give at least n cards, about 55 bytes of
// notes per card, like the 20 MB file of the issue: sections of a labelled
// list of five items (a list card and five clozes) and four questions,
// under parts that each open with a list of the same label, "Key
// takeaways", whose list cards the parse tells apart at the end.
func genNotes(n int) []byte {
	words := [...]string{"service", "event", "data", "team", "deploy", "cloud", "cache", "queue",
		"stream", "shard", "replica", "leader", "quorum", "latency", "schema", "index"}
	w := func(i, k int) string { return words[(i*7+k*3)%len(words)] }
	var b strings.Builder
	b.WriteString("# Bench notes\n\n")
	for s, cards := 0, 0; cards < n; s++ {
		if s%100 == 0 {
			fmt.Fprintf(&b, "## Part %d\n\nKey takeaways:\n\n- %s %d\n- %s %d\n- %s %d\n\n", s/100, w(s, 1), s, w(s, 2), s, w(s, 3), s)
			cards += 4
		}
		fmt.Fprintf(&b, "%s %s %d:\n\n", w(s, 1), w(s, 2), s)
		for k := range 5 {
			fmt.Fprintf(&b, "- %s of the %s %s %d\n", w(s, k), w(s+k, 4), w(s+k, 6), k)
		}
		b.WriteString("\n")
		for k := range 4 {
			fmt.Fprintf(&b, "Why does the %s %s %d.%d matter here? :: Because the %s keeps the %s %s\n",
				w(s, k), w(s, k+1), s, k, w(s, k+2), w(s, k+5), w(s, k+7))
		}
		b.WriteString("\n")
		cards += 10
	}
	return []byte(b.String())
}

// heapPeak samples the heap's live and unswept objects every
// millisecond, from start to stop, and keeps the largest.
type heapPeak struct {
	done chan struct{}
	wg   sync.WaitGroup
	peak uint64
}

func startHeapPeak() *heapPeak {
	runtime.GC()
	p := &heapPeak{done: make(chan struct{})}
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	read := func() {
		metrics.Read(s)
		p.peak = max(p.peak, s[0].Value.Uint64())
	}
	read()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		t := time.NewTicker(time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-p.done:
				read()
				return
			case <-t.C:
				read()
			}
		}
	}()
	return p
}

// stop ends the sampling and returns the peak in MB.
func (p *heapPeak) stop() float64 {
	close(p.done)
	p.wg.Wait()
	return float64(p.peak) / (1 << 20)
}

// rawRows are the rows an add writes for notes, as plain values.
func rawRows(b *testing.B, n Notes) [][]any {
	memo := map[string]string{}
	rows := make([][]any, len(n.Cards))
	for i, c := range n.Cards {
		ctxJSON, err1 := json.Marshal(c.Context)
		tags, err2 := json.Marshal(c.Tags)
		if err1 != nil || err2 != nil {
			b.Fatal(err1, err2)
		}
		if c.Tags == nil {
			tags = []byte("[]")
		}
		sub := c.Deck
		if c.Section != "" {
			if s, ok := memo[c.Section]; ok {
				sub = s
			} else if part := anki.Subdeck(c); part != "" {
				sub += card.DeckSep + part
				memo[c.Section] = sub
			}
		}
		rows[i] = []any{c.ID, c.Deck, string(c.Kind), c.Key, c.Anchor, c.Group, c.Front, c.Back, c.Text,
			string(ctxJSON), string(tags), n.Path, c.Source.File, c.Source.Line, int64(i), sub, c.Section,
			int64(1), int64(1), int64(1)}
	}
	return rows
}

// rawInsert inserts rows into a new collection at path with one prepared
// statement in one transaction, on a connection set up as the store's:
// the floor an add is held against.
func rawInsert(b *testing.B, path string, rows [][]any) time.Duration {
	s, err := store.Open(path) // the schema
	if err != nil {
		b.Fatal(err)
	}
	s.Close()
	q := url.Values{}
	for _, p := range []string{"foreign_keys(1)", "journal_mode(WAL)", "synchronous(NORMAL)", "cache_size(-65536)"} {
		q.Add("_pragma", p)
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	decks := map[any]bool{}
	for _, r := range rows {
		if !decks[r[1]] {
			decks[r[1]] = true
			if _, err := db.Exec(`INSERT INTO decks (name, created) VALUES (?, 0)`, r[1]); err != nil {
				b.Fatal(err)
			}
		}
	}
	t0 := time.Now()
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	st, err := tx.Prepare(`INSERT INTO cards (id, deck, kind, key, anchor, grp, front, back, text, context, tags, source, file, line, fp,
		subdeck, section, created, modified, changed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	for _, r := range rows {
		if _, err := st.Exec(r...); err != nil {
			b.Fatal(err)
		}
	}
	st.Close()
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return time.Since(t0)
}

// BenchmarkAdd adds one generated notes file of 100k, then 400k cards to
// an empty collection, as `recall add` does: read and check the file, open
// the collection, then parse it as its cards are written. It reports the
// cards, the peak heap of the add, its time per card and against a raw
// insert of the same rows (add/raw), each beside its limit.
func BenchmarkAdd(b *testing.B) {
	for _, n := range []int{100_000, 400_000} {
		b.Run(strconv.Itoa(n/1000)+"k", func(b *testing.B) { benchAdd(b, n) })
	}
}

func benchAdd(b *testing.B, n int) {
	dir := b.TempDir()
	notesPath := filepath.Join(dir, "notes.md")
	if err := os.WriteFile(notesPath, genNotes(n), 0o644); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var raw, add time.Duration
	var peak float64
	cards := 0
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		read, err := ReadForSync(disk.OS{}, notesPath, "")
		if err != nil {
			b.Fatal(err)
		}
		cards = len(read.Cards)
		rows := rawRows(b, read)
		read = Notes{}
		runtime.GC() // neither side pays for the other's garbage
		raw += rawInsert(b, filepath.Join(dir, fmt.Sprintf("raw-%d.db", i)), rows)
		rows = nil
		p := startHeapPeak()
		b.StartTimer()

		t0 := time.Now()
		read, err = ReadForAdd(disk.OS{}, notesPath, "")
		if err != nil {
			b.Fatal(err)
		}
		c, err := Open(filepath.Join(dir, fmt.Sprintf("add-%d.db", i)), Options{})
		if err != nil {
			b.Fatal(err)
		}
		total, errs := c.Add(ctx, []Notes{read})
		if len(errs) > 0 || total.Added != cards {
			b.Fatalf("Add = %+v, %v; want %d added", total, errs, cards)
		}
		c.Close()
		add += time.Since(t0)

		b.StopTimer()
		peak = max(peak, p.stop())
		b.StartTimer()
	}
	b.ReportMetric(float64(cards), "cards")
	b.ReportMetric(peak, "peak-heap-MB")
	b.ReportMetric(addHeapLimitMB, "limit-heap-MB")
	b.ReportMetric(float64(add.Nanoseconds())/float64(b.N)/float64(cards), "ns/card")
	b.ReportMetric(float64(add)/float64(raw), "add/raw")
	b.ReportMetric(addTimeLimit, "limit-add/raw")
}
