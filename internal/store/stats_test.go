package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/card"
)

func mustStats(t *testing.T, s *Store, deck string) Stats {
	t.Helper()
	st, err := s.Stats(context.Background(), deck)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// TestStats answers cards over two days and checks every figure, then
// moves the clock to see the windows slide.
func TestStats(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, clk := openTest(t)
	cards := basics("D", 7)
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, cards); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, cards[:6]); err != nil { // 6 orphaned
		t.Fatal(err)
	}
	e := basics("E", 1)
	e[0].Group = "e" // no sibling of D's first card
	if _, err := s.Sync(ctx, SourceFile{Path: "e.md"}, card.Limits{}, e); err != nil {
		t.Fatal(err)
	}
	day0 := clk.t
	// Day 0: three new cards, one failed.
	mustAnswer(t, s, cards[0].ID, card.Good)
	mustAnswer(t, s, cards[1].ID, card.Good)
	mustAnswer(t, s, cards[2].ID, card.Again)
	// Card 3 is mature, due tomorrow.
	_, err := s.db.Exec(`UPDATE cards SET reps = 3, interval = 30, due = ?, last_review = ? WHERE id = ?`,
		s.today(day0)+1, day0.UnixNano(), cards[3].ID)
	if err != nil {
		t.Fatal(err)
	}
	s.Suspend(ctx, cards[4].ID)

	// Day 1.
	clk.t = day0.AddDate(0, 0, 1)
	mustAnswer(t, s, cards[0].ID, card.Hard)  // young, passed (and learning)
	mustAnswer(t, s, cards[2].ID, card.Again) // young, failed
	mustAnswer(t, s, cards[2].ID, card.Good)  // a re-drill: not counted
	mustAnswer(t, s, cards[3].ID, card.Good)  // mature, passed
	mustAnswer(t, s, cards[1].ID, card.Good)  // young, passed
	mustAnswer(t, s, cards[1].ID, card.Easy)  // the day's second answer: not counted
	s.Bury(ctx, cards[5].ID)

	st := mustStats(t, s, "")
	if want := (Retention{Passed: 2, Failed: 1}); st.Young != want {
		t.Errorf("Young = %+v, want %+v", st.Young, want)
	}
	if want := (Retention{Passed: 1}); st.Mature != want {
		t.Errorf("Mature = %+v, want %+v", st.Mature, want)
	}
	// 0 in today's learning steps, 2 never passed: learning; 1 young
	// (interval 15); 3 mature.
	if want := (StateCounts{New: 1, Learning: 2, Young: 1, Mature: 1, Suspended: 1, Buried: 1, Orphans: 1}); st.Cards != want {
		t.Errorf("Cards = %+v, want %+v", st.Cards, want)
	}
	if got := st.Cards.Total(); got != 7 {
		t.Errorf("Cards.Total() = %d, want 7", got)
	}
	last := CalendarDays - 1
	if st.Calendar[last] != 6 || st.Calendar[last-1] != 3 || st.Calendar[last-2] != 0 {
		t.Errorf("Calendar ends %v, want [0 3 6]", st.Calendar[last-2:])
	}
	if st.ReviewsToday != 6 || st.TimeToday != 9*time.Second || st.TimeWeek != 13500*time.Millisecond {
		t.Errorf("ReviewsToday, TimeToday, TimeWeek = %d, %v, %v; want 6, 9s, 13.5s", st.ReviewsToday, st.TimeToday, st.TimeWeek)
	}
	if st.Streak != 2 {
		t.Errorf("Streak = %d, want 2", st.Streak)
	}
	// 2 due tomorrow, 0 in 6 days, 1 in 15; 3 in 75 days is beyond.
	want := [ForecastDays]int{1: 1, 6: 1, 15: 1}
	if st.Forecast != want {
		t.Errorf("Forecast = %v, want %v", st.Forecast, want)
	}
	if y, m, d := st.Today.Date(); y != 2024 || m != 3 || d != 5 {
		t.Errorf("Today = %v, want 2024-03-05", st.Today)
	}

	// Two days later: what was due tomorrow is the backlog; no streak.
	clk.t = day0.AddDate(0, 0, 3)
	st = mustStats(t, s, "")
	if want := ([ForecastDays]int{0: 1, 4: 1, 13: 1}); st.Forecast != want {
		t.Errorf("Forecast two days later = %v, want %v", st.Forecast, want)
	}
	if st.Streak != 0 || st.ReviewsToday != 0 || st.TimeWeek != 13500*time.Millisecond {
		t.Errorf("two days later: Streak, ReviewsToday, TimeWeek = %d, %d, %v; want 0, 0, 13.5s", st.Streak, st.ReviewsToday, st.TimeWeek)
	}
	if st.Calendar[last-2] != 6 {
		t.Errorf("Calendar two days later ends %v, want 6 first", st.Calendar[last-3:])
	}

	// Day 1's reviews leave the retention window after 30 days.
	clk.t = day0.AddDate(0, 0, 30)
	if st := mustStats(t, s, ""); st.Young.Passed != 2 {
		t.Errorf("Young on day 30 = %+v, want day 1's", st.Young)
	}
	clk.t = day0.AddDate(0, 0, 31)
	if st := mustStats(t, s, ""); st.Young != (Retention{}) || st.Mature != (Retention{}) {
		t.Errorf("Young, Mature on day 31 = %+v, %+v; want none", st.Young, st.Mature)
	}
	clk.t = day0.AddDate(0, 0, 1)

	// A deck: only its cards and their reviews.
	st = mustStats(t, s, "e")
	if want := (StateCounts{New: 1}); st.Cards != want || st.ReviewsToday != 0 || st.Streak != 0 || st.Young != (Retention{}) {
		t.Errorf("Stats(e) = %+v", st)
	}
	if st := mustStats(t, s, "d"); st.ReviewsToday != 6 || st.Streak != 2 || st.Cards.Orphans != 1 {
		t.Errorf("Stats(d) = %+v", st)
	}
	if _, err := s.Stats(ctx, "nope"); !errors.Is(err, card.ErrNotFound) {
		t.Errorf("Stats(nope) = %v, want ErrNotFound", err)
	}
}

func TestRetentionRate(t *testing.T) {
	t.Parallel()
	if _, ok := (Retention{}).Rate(); ok {
		t.Error("Retention{}.Rate() ok, want none")
	}
	if r, ok := (Retention{Passed: 3, Failed: 1}).Rate(); !ok || r != 0.75 {
		t.Errorf("Retention{3, 1}.Rate() = %v, %v; want 0.75", r, ok)
	}
}

// TestStatsPlan checks that the queries of the review log read the days
// they count through reviews_day, for all decks and for one, and that
// the forecast reads an index of the scheduled cards: the log is read a year at most, whatever
// its size.
func TestStatsPlan(t *testing.T) {
	t.Parallel()
	s, _ := openTest(t)
	all := statsQueries(`1`, `1`)
	sel := &selection{whole: []string{"D"}, parts: map[string][]string{"E": {"E::S"}}}
	w, a := sel.sql()
	deck := statsQueries(ofCards(w), w)
	tests := []struct {
		name, query string
		args        []any
		want        string
	}{
		{"calendar", all.calendar, []any{1, 2}, "USING INDEX reviews_day (day>? AND day<?)"},
		{"calendar of a deck", deck.calendar, append([]any{1, 2}, a...), "USING INDEX reviews_day (day>? AND day<?)"},
		{"retention", all.retention, []any{1, 2, 21}, "USING INDEX reviews_day (day>? AND day<?)"},
		{"retention of a deck", deck.retention, append([]any{1, 2, 21}, a...), "USING INDEX reviews_day (day>? AND day<?)"},
		// Every scheduled card, in the partial index of them, rather
		// than the table.
		{"forecast", all.forecast, []any{1, 30}, "USING INDEX cards_"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rows, err := s.db.Query(`EXPLAIN QUERY PLAN `+tt.query, tt.args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var plan []string
			for rows.Next() {
				var id, parent, aux int
				var detail string
				if err := rows.Scan(&id, &parent, &aux, &detail); err != nil {
					t.Fatal(err)
				}
				plan = append(plan, detail)
			}
			got := strings.Join(plan, "; ")
			if !strings.Contains(got, tt.want) || strings.Contains(got, "SCAN r") || strings.Contains(got, "SCAN reviews") {
				t.Errorf("plan of %s: %s; want %s", tt.name, got, tt.want)
			}
		})
	}
}

// BenchmarkStats times Stats, of the collection and of a subdeck, on 100k
// cards with 300k reviews over three years, beside one plain read of the
// whole log (sum(took_ms) FROM reviews) measured in the same run: Stats
// reads one year of it, and the cards once.
func BenchmarkStats(b *testing.B) {
	src, err := os.ReadFile(queueFixture(b, 100_000))
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "stats.db")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		b.Fatal(err)
	}
	s, err := Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	s.Now = (&clock{start}).Now
	today := s.today(start)
	_, err = s.db.Exec(`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 300000 - 1)
		INSERT INTO reviews (card_id, time, day, grade, took_ms, redrill, b_reps, b_ef, b_interval, b_due, b_lapses, b_last,
			a_reps, a_ef, a_interval, a_due, a_lapses, a_last)
		SELECT printf('%012x', (i * 7919) % 100000), i, ?1 - (i % 1095), 2 + i % 4, 4000, i % 9 = 0,
			1, 2.5, i % 40, NULL, 0, CASE WHEN i % 5 = 0 THEN NULL ELSE 1 END, 1, 2.5, 1, NULL, 0, 1
		FROM n`, today)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := s.db.Exec(`ANALYZE`); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	var took, tookSub, tookLog time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, err := s.Stats(ctx, ""); err != nil {
			b.Fatal(err)
		}
		took += time.Since(t0)
		t0 = time.Now()
		if _, err := s.Stats(ctx, "bench::talk 3"); err != nil {
			b.Fatal(err)
		}
		tookSub += time.Since(t0)
		t0 = time.Now()
		var sum int64
		if err := s.db.QueryRow(`SELECT sum(took_ms) FROM reviews`).Scan(&sum); err != nil {
			b.Fatal(err)
		}
		tookLog += time.Since(t0)
	}
	b.ReportMetric(float64(took.Milliseconds())/float64(b.N), "ms/stats")
	b.ReportMetric(float64(tookSub.Milliseconds())/float64(b.N), "ms/subdeck-stats")
	b.ReportMetric(float64(tookLog.Milliseconds())/float64(b.N), "ms/log-read")
	// Stats read the year's log a few times over, by index: held to 15
	// reads of the whole log, measured in the same run (about 8 here).
	const limit = 15.0
	for _, r := range []struct {
		name string
		took time.Duration
	}{{"stats", took}, {"subdeck-stats", tookSub}} {
		ratio := float64(r.took) / float64(max(tookLog, 1))
		b.ReportMetric(ratio, r.name+"/log-read")
		b.ReportMetric(limit, "limit-"+r.name+"/log-read")
		if ratio > limit {
			b.Logf("over the limit: %s take %.1f× a read of the whole log, limit %.0f×", r.name, ratio, limit)
		}
	}
}
