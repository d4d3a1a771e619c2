package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/card"
)

// benchDir holds the queue fixtures, built once per run of the test binary.
var benchDir struct {
	once sync.Once
	path string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDir.path != "" {
		os.RemoveAll(benchDir.path)
	}
	os.Exit(code)
}

// genCards makes n cards shaped like real notes: a list of questions with
// context and tags, spread over files of 1000 cards.
func genCards(n int) []card.Card {
	out := make([]card.Card, n)
	for i := range out {
		f := fmt.Sprintf("notes/talk-%03d.md", i/1000)
		front := fmt.Sprintf("What did speaker %d say about topic %d in the session on distributed systems?", i%97, i)
		key := card.Normalize(front)
		out[i] = card.Card{
			ID: card.NewID("Bench", key), Deck: "Bench", Kind: card.Basic,
			Front: front, Back: fmt.Sprintf("That **answer %d** matters more than the %d others.", i, i%13),
			Context: []string{"Bench", fmt.Sprintf("Talk %d", i/1000), "Takeaways"},
			Tags:    []string{"conference", "talk"},
			Source:  card.Source{File: f, Line: i%1000 + 1},
			Key:     key, Anchor: fmt.Sprintf("%s#takeaways/%d", f, i%1000), Group: fmt.Sprintf("g%d", i),
		}
	}
	return out
}

// rawInsert inserts the rows Sync would write for cards, with one prepared
// statement in one transaction: the floor Sync is measured against.
func rawInsert(b *testing.B, s *Store, rows [][]any) time.Duration {
	ctx := context.Background()
	if _, err := s.db.Exec(`INSERT INTO decks (name, created) VALUES ('Bench', 0)`); err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		b.Fatal(err)
	}
	st, err := tx.Prepare(`INSERT INTO cards (id, ` + cardColumns + `, created, modified)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
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

// BenchmarkSync syncs 100k cards into an empty collection, beside a raw
// insert of the same rows, then syncs them again unchanged.
func BenchmarkSync(b *testing.B) {
	const n = 100_000
	ctx := context.Background()
	cards := genCards(n)
	rows := make([][]any, n)
	for i, c := range cards {
		in := &incoming{Card: &c, subdeck: c.Deck}
		in.fp, _ = fingerprint(&c, nil)
		args, err := contentArgs(in, c.Source.File)
		if err != nil {
			b.Fatal(err)
		}
		rows[i] = append(append([]any{c.ID}, args...), int64(1), int64(1))
	}
	src := SourceFile{Path: "notes", Hash: "h"}
	var raw, first, again time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		dir := b.TempDir()
		rs, err := Open(filepath.Join(dir, "raw.db"))
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC() // neither side pays for the other's garbage
		raw += rawInsert(b, rs, rows)
		rs.Close()
		s, err := Open(filepath.Join(dir, "sync.db"))
		if err != nil {
			b.Fatal(err)
		}
		runtime.GC()
		b.StartTimer()

		t0 := time.Now()
		res, err := s.Sync(ctx, src, card.Limits{}, cards)
		first += time.Since(t0)
		if err != nil || res.Added != n {
			b.Fatalf("Sync = %+v, %v", res, err)
		}
		t0 = time.Now()
		res, err = s.Sync(ctx, src, card.Limits{}, cards)
		again += time.Since(t0)
		if err != nil || res.Unchanged != n {
			b.Fatalf("re-Sync = %+v, %v", res, err)
		}
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 / float64(b.N) }
	b.ReportMetric(ms(raw), "raw-ms")
	b.ReportMetric(ms(first), "sync-ms")
	b.ReportMetric(float64(first)/float64(raw), "sync/raw")
	b.ReportMetric(2, "limit-sync/raw")
	b.ReportMetric(ms(again), "resync-ms")
	b.ReportMetric(float64(again)/float64(first), "resync/sync")
	b.ReportMetric(0.10, "limit-resync/sync")
}

// queueFixture returns a collection of n cards (30% new, the rest reviewed
// with 40% of them due), built once per run with one INSERT … SELECT.
func queueFixture(b *testing.B, n int) string {
	benchDir.once.Do(func() { benchDir.path, benchDir.err = os.MkdirTemp("", "recall-bench-") })
	if benchDir.err != nil {
		b.Fatal(benchDir.err)
	}
	path := filepath.Join(benchDir.path, fmt.Sprintf("queue-%d.db", n))
	if _, err := os.Stat(path); err == nil {
		return path
	}
	s, err := Open(path + ".tmp")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	today := s.today(start)
	ctx := context.Background()
	err = s.tx(ctx, func(tx *sql.Tx) error {
		// Indexes are dropped for the bulk insert and rebuilt after it,
		// as they were: the fixture has exactly the collection's schema.
		var indexes, names []string
		rows, err := tx.Query(`SELECT name, sql FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'cards' AND sql IS NOT NULL`)
		if err != nil {
			return err
		}
		for rows.Next() {
			var name, q string
			rows.Scan(&name, &q)
			names = append(names, name)
			indexes = append(indexes, q)
		}
		rows.Close()
		for _, name := range names {
			if _, err := tx.Exec(`DROP INDEX ` + name); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(`INSERT INTO decks (name, created) VALUES ('Bench', 0), ('Other', 0)`); err != nil {
			return err
		}
		_, err = tx.Exec(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ?1 - 1)
			INSERT INTO cards (id, deck, subdeck, kind, key, anchor, grp, front, back, text, context, tags, source, file, line, fp,
				reps, ef, interval, due, lapses, last_review, created, modified)
			SELECT printf('%012x', i), CASE WHEN i % 10 = 9 THEN 'Other' ELSE 'Bench' END,
				CASE WHEN i % 10 = 9 THEN 'Other' ELSE 'Bench::Talk ' || (i % 7) END, 'basic',
				'question ' || i, 'talk.md#' || i, 'g' || i,
				'What did speaker ' || (i % 97) || ' say about topic ' || i || '?', 'Answer ' || i, '',
				'["Bench","Talk","Takeaways"]', '["conference"]',
				printf('notes/talk-%03d.md', i / 1000), printf('notes/talk-%03d.md', i / 1000), i % 1000 + 1, 0,
				CASE WHEN i % 10 < 3 THEN 0 ELSE 3 END, 2.5, CASE WHEN i % 10 < 3 THEN 0 ELSE 17 END,
				CASE WHEN i % 10 < 3 THEN NULL ELSE ?2 - 60 + (i * 7) % 100 END,
				0, CASE WHEN i % 10 < 3 THEN NULL ELSE 1 END, 0, 0
			FROM n`, n, today)
		if err != nil {
			return err
		}
		for _, q := range indexes {
			if _, err := tx.Exec(q); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(`INSERT INTO subdecks (deck, name, cards)
			SELECT deck, subdeck, count(*) FROM cards WHERE orphan = 0 GROUP BY deck, subdeck`); err != nil {
			return err
		}
		_, err = tx.Exec(`ANALYZE`)
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	s.Close()
	if err := os.Rename(path+".tmp", path); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkQueue times today's queue (Queue: up to 200 due reviews and 20
// new cards per deck) on collections of 1k, 100k and 1M cards, in the same
// run, and reports the largest against the smallest: of a deck, and of a
// subdeck named in another case (cards_sub_due, cards_sub_new). With
// -short the 1M collection is left out.
func BenchmarkQueue(b *testing.B) {
	sizes := []int{1_000, 100_000, 1_000_000}
	if testing.Short() {
		sizes = sizes[:2]
	}
	ctx := context.Background()
	stores := make([]*Store, len(sizes))
	const sub = "bench::TALK 3"
	for i, n := range sizes {
		s, err := Open(queueFixture(b, n))
		if err != nil {
			b.Fatal(err)
		}
		defer s.Close()
		s.Now = (&clock{start}).Now
		due, fresh, err := s.Queue(ctx, QueueOptions{Deck: "Bench"})
		if err != nil || len(due) != DefaultReviewLimit || len(fresh) != DefaultNewLimit {
			b.Fatalf("Queue on %d cards: %d due, %d new, %v", n, len(due), len(fresh), err)
		}
		due, fresh, err = s.Queue(ctx, QueueOptions{Deck: sub})
		if err != nil || len(due) == 0 || len(fresh) != DefaultNewLimit {
			b.Fatalf("Queue(%s) on %d cards: %d due, %d new, %v", sub, n, len(due), len(fresh), err)
		}
		stores[i] = s
	}
	took := make([]time.Duration, len(sizes))
	tookSub := make([]time.Duration, len(sizes))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, s := range stores {
			t0 := time.Now()
			if _, _, err := s.Queue(ctx, QueueOptions{Deck: "Bench"}); err != nil {
				b.Fatal(err)
			}
			took[j] += time.Since(t0)
			t0 = time.Now()
			if _, _, err := s.Queue(ctx, QueueOptions{Deck: sub}); err != nil {
				b.Fatal(err)
			}
			tookSub[j] += time.Since(t0)
		}
	}
	label := []string{"1k", "100k", "1M"}
	for j := range sizes {
		b.ReportMetric(float64(took[j].Microseconds())/float64(b.N), label[j]+"-µs/queue")
		b.ReportMetric(float64(tookSub[j].Microseconds())/float64(b.N), label[j]+"-µs/subdeck-queue")
	}
	last := len(sizes) - 1
	b.ReportMetric(float64(took[last])/float64(took[0]), label[last]+"/1k")
	// The subdeck of 1k cards has fewer due than a queue takes: its queue
	// at the largest size is held against the deck's at 1k, both full.
	b.ReportMetric(float64(tookSub[last])/float64(took[0]), "subdeck-"+label[last]+"/1k")
	b.ReportMetric(2, "limit-"+label[last]+"/1k")
	b.ReportMetric(2, "limit-subdeck-"+label[last]+"/1k")
}

// contentArgs are the values of cardColumns for n.
func contentArgs(n *incoming, source string) ([]any, error) {
	var a rowArgs
	return a.content(n, source)
}
