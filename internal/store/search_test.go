package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/search"
)

// searchFixture makes a collection with one card of each kind a search
// tells apart, and returns their ids by a letter:
//
//	a  K8s, review due in 3 days, interval 12, ease 2.7, answered 10 days ago
//	b  K8s::Pods, new
//	c  QCon SF 2018, learning, answered again today
//	d  QCon SF 2018, suspended and tagged leech
//	f  QCon SF 2018, buried
//	h  QCon SF 2018, review 2 days overdue, answered good 10 days ago
//	e  Old, an orphan
func searchFixture(t *testing.T) (*Store, map[string]string) {
	t.Helper()
	ctx := context.Background()
	s, clk := openTest(t)
	mk := func(deck, front, back string, line int, ctx []string, tags []string) card.Card {
		c := basic(deck, front, back, line, file+"#"+front)
		c.Context, c.Tags = ctx, tags
		return c
	}
	cards := map[string]card.Card{
		"a": mk("K8s", "What port does etcd serve clients on?", "2379", 1, []string{"K8s", "Control plane"}, []string{"k8s::etcd"}),
		"b": mk("K8s::Pods", "What runs in a pod?", "Containers", 2, []string{"K8s::Pods"}, []string{"pods", "Über"}),
		"c": mk("QCon SF 2018", "Takeaways", "100% of 50_50 odds, no Ärger", 3, []string{"QCon SF 2018", "Netflix"}, []string{}),
		"d": mk("QCon SF 2018", "Leech question", "x", 4, []string{"QCon SF 2018"}, []string{"t"}),
		"f": mk("QCon SF 2018", "Buried question", "x", 5, []string{"QCon SF 2018"}, []string{"t"}),
		"h": mk("QCon SF 2018", "Overdue question", "x", 6, []string{"QCon SF 2018"}, []string{"t"}),
	}
	orphan := mk("Old", "Gone question", "x", 1, []string{"Old"}, []string{"t"})
	var notes []card.Card
	for _, k := range []string{"a", "b", "c", "d", "f", "h"} {
		notes = append(notes, cards[k])
	}
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, notes); err != nil {
		t.Fatal(err)
	}
	for _, cs := range [][]card.Card{{orphan}, nil} {
		if _, err := s.Sync(ctx, SourceFile{Path: "old.md"}, card.Limits{}, cs); err != nil {
			t.Fatal(err)
		}
	}
	clk.t = start.AddDate(0, 0, -10)
	mustAnswer(t, s, cards["a"].ID, card.Good)
	mustAnswer(t, s, cards["h"].ID, card.Good)
	clk.t = start
	mustAnswer(t, s, cards["c"].ID, card.Again)
	if err := s.Suspend(ctx, cards["d"].ID); err != nil {
		t.Fatal(err)
	}
	if err := s.Bury(ctx, cards["f"].ID); err != nil {
		t.Fatal(err)
	}
	today := s.today(start)
	for _, u := range []struct {
		q    string
		args []any
	}{
		{`UPDATE cards SET interval = 12, due = ?, ef = 2.7 WHERE id = ?`, []any{today + 3, cards["a"].ID}},
		{`UPDATE cards SET interval = 1, due = ? WHERE id = ?`, []any{today - 2, cards["h"].ID}},
		{`UPDATE cards SET tags = '["leech"]' WHERE id = ?`, []any{cards["d"].ID}},
	} {
		if _, err := s.db.Exec(u.q, u.args...); err != nil {
			t.Fatal(err)
		}
	}
	ids := map[string]string{"e": orphan.ID}
	for k, c := range cards {
		ids[k] = c.ID
	}
	return s, ids
}

// TestSearch checks that each form of search finds the cards it should
// and no others.
func TestSearch(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, byLetter := searchFixture(t)
	letters := map[string]string{}
	for k, id := range byLetter {
		letters[id] = k
	}
	tests := []struct{ q, want string }{
		{``, "abcdfh"},
		{`etcd`, "a"},
		{`ETCD`, "a"},
		{`2379`, "a"},
		{`control plane`, "a"},
		{`netflix`, "c"},
		{`"serve clients"`, "a"},
		{`"clients serve"`, ""},
		{`question`, "dfh"},
		{`100%`, "c"},
		{`0%`, "c"},
		{`50_50`, "c"},
		{`0_5`, "c"},
		{`a_p`, ""},
		{`ärger`, "c"},
		{`ÄRGER`, "c"},
		{`"no är*"`, "c"},
		{`tag:über`, "b"},
		{`tag:ÜB*`, "b"},
		{`w*etcd`, "a"},
		{`run*pod`, "b"},
		{`deck:K8s`, "ab"},
		{`deck:k8s::pods`, "b"},
		{`deck:Pods`, ""},
		{`deck:K8*`, "ab"},
		{`deck:*2018`, "cdfh"},
		{`deck:"qcon sf 2018"`, "cdfh"},
		{`"deck:qcon sf 2018"`, "cdfh"},
		{`deck:nope`, ""},
		{`deck:old`, ""},
		{`deck:old is:orphan`, "e"},
		{`tag:k8s`, "a"},
		{`tag:K8S::ETCD`, "a"},
		{`tag:k8s::e*`, "a"},
		{`tag:etc*`, ""},
		{`tag:p*`, "b"},
		{`tag:none`, "c"},
		{`tag:leech`, "d"},
		{`is:new`, "b"},
		{`is:learn`, "c"},
		{`is:review`, "ah"},
		{`is:due`, "ch"},
		{`is:suspended`, "d"},
		{`is:buried`, "f"},
		{`is:orphan`, "e"},
		{`is:leech`, "d"},
		{`-is:due`, "abdf"},
		{`-is:new`, "acdfh"},
		{`-is:orphan`, "abcdfh"},
		{`is:orphan or is:new`, "be"},
		{`prop:ivl>=10`, "a"},
		{`prop:ivl>=12`, "a"},
		{`prop:ivl>12`, ""},
		{`-prop:ivl>=10`, "bcdfh"},
		{`prop:due=3`, "a"},
		{`prop:due<0`, "h"},
		{`prop:due=-2`, "h"},
		{`prop:ease>2.6`, "a"},
		{`prop:reps>=1`, "ach"},
		{`prop:reps=0`, "bdf"},
		{`prop:lapses=0`, "abcdfh"},
		{`rated:1`, "c"},
		{`rated:10`, "c"},
		{`rated:11`, "ach"},
		{`rated:1:1`, "c"},
		{`rated:1:3`, ""},
		{`rated:11:3`, "ah"},
		{`deck:K8s (is:new or is:review)`, "ab"},
		{`-(deck:K8s or is:suspended)`, "cfh"},
		{`deck:K8s or deck:qcon* is:due`, "abch"},
		{`deck:K8s and -etcd`, "b"},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			q, err := search.Parse(tt.q)
			if err != nil {
				t.Fatal(err)
			}
			found, err := s.Find(ctx, q)
			if err != nil {
				t.Fatalf("Find(%q) = %v", tt.q, err)
			}
			var got []string
			for _, id := range found {
				got = append(got, letters[id])
			}
			slices.Sort(got)
			if strings.Join(got, "") != tt.want {
				t.Errorf("Find(%q) = %q, want %q", tt.q, strings.Join(got, ""), tt.want)
			}
			es, err := s.Cards(ctx, Filter{Query: q})
			if err != nil {
				t.Fatalf("Cards(%q) = %v", tt.q, err)
			}
			if !slices.Equal(ids(es), found) {
				t.Errorf("Cards(%q) = %v, want what Find found, %v", tt.q, ids(es), found)
			}
		})
	}
}

// TestSearchWithFilter checks that a query narrows what the other fields
// of a Filter select.
func TestSearchWithFilter(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, id := searchFixture(t)
	q, err := search.Parse("-etcd")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		f    Filter
		want []string
	}{
		{Filter{Deck: "K8s", Query: q}, []string{id["b"]}},
		{Filter{Due: true, Query: q}, []string{id["h"]}},
		{Filter{Orphans: true, Query: q}, []string{id["e"]}},
		{Filter{IDs: []string{id["a"], id["b"]}, Query: q}, []string{id["b"]}},
	} {
		es, err := s.Cards(ctx, tt.f)
		if err != nil {
			t.Fatal(err)
		}
		if got := sortedIDs(ids(es)); !slices.Equal(got, sortedIDs(tt.want)) {
			t.Errorf("Cards(%+v) = %v, want %v", tt.f, got, tt.want)
		}
	}
}

// BenchmarkFind times searches of a collection of 100k cards, beside the
// floor measured in the same run: one scan of the cards matching a word
// against the front with LIKE. A search scans the cards once too, and
// sorts what it finds; it is held to 15 such scans (about 7 to 9 here),
// for the sort, the breadcrumb and tags it reads out of JSON, and the
// other columns and terms it tries.
func BenchmarkFind(b *testing.B) {
	s, err := OpenReadOnly(queueFixture(b, 100_000))
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	s.Now = (&clock{start}).Now
	ctx := context.Background()
	queries := []string{`speaker`, `"speaker 42 say" deck:bench::talk* -is:new`, `is:due prop:ivl>=10 tag:conf*`}
	parsed := make([]search.Query, len(queries))
	for i, q := range queries {
		if parsed[i], err = search.Parse(q); err != nil {
			b.Fatal(err)
		}
	}
	took := make([]time.Duration, len(queries))
	var floor time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j, q := range parsed {
			t0 := time.Now()
			if _, err := s.Find(ctx, q); err != nil {
				b.Fatal(err)
			}
			took[j] += time.Since(t0)
		}
		t0 := time.Now()
		var n int
		if err := s.db.QueryRow(`SELECT count(*) FROM cards WHERE front LIKE '%speaker%'`).Scan(&n); err != nil {
			b.Fatal(err)
		}
		floor += time.Since(t0)
	}
	const limit = 15.0
	b.ReportMetric(float64(floor.Microseconds())/1000/float64(b.N), "ms/scan")
	b.ReportMetric(limit, "limit-find/scan")
	for j, q := range queries {
		ratio := float64(took[j]) / float64(max(floor, 1))
		b.ReportMetric(ratio, fmt.Sprintf("find-%d/scan", j+1))
		if ratio > limit {
			b.Logf("over the limit: %q takes %.1f× a scan of the fronts, limit %.0f×", q, ratio, limit)
		}
	}
}
