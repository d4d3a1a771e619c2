package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/card"
)

// TestStringList: the quick split of the context and tags columns gives
// what json.Unmarshal gives, and leaves to it what it cannot split.
func TestStringList(t *testing.T) {
	for _, s := range []string{
		`[]`, `[""]`, `["a"]`, `["QCon SF 2018","Containers › Docker"]`, `["a","","b"]`,
		`["a\"b","c"]`, `["\u003cb\u003e","x"]`, `["a\\","b"]`, `["tab	x"]`, `null`,
		`["a","]`, `["]`, `["a" ,"b"]`, `["a",1]`, `[1,"a"]`, `["日本語","ü"]`,
	} {
		got, err := stringList(s)
		var want []string
		wantErr := json.Unmarshal([]byte(s), &want)
		if (err != nil) != (wantErr != nil) {
			t.Errorf("stringList(%q) error = %v, json.Unmarshal's %v", s, err, wantErr)
			continue
		}
		if err == nil && !reflect.DeepEqual(got, want) && !(len(got) == 0 && len(want) == 0) {
			t.Errorf("stringList(%q) = %q, want %q", s, got, want)
		}
	}
}

// TestEachCardUnscheduled: a read without schedules gives each card as
// the full read does, but for the schedule, the anchor and the creation
// time; a suspended card is suspended, a reviewed one new.
func TestEachCardUnscheduled(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	cards := basics("D", 5)
	cards[1].Tags = []string{"a", `say "hi"`}
	cards[2].Context = []string{"D", "Section <b>"}
	// Text the lean read's packing must not trip on: colons, commas,
	// digits, lines and letters of several bytes.
	cards[0].Front, cards[0].Back = "12:3, é 😀: what?\n1,2:", "4:5,6\n"
	cards[0].Section = "Éléments: 2,3"
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, cards); err != nil {
		t.Fatal(err)
	}
	if err := s.Suspend(ctx, cards[3].ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Answer(ctx, cards[4].ID, card.Good, time.Second, false); err != nil {
		t.Fatal(err)
	}
	read := func(f Filter) []card.Entry {
		var es []card.Entry
		if err := s.EachCard(ctx, f, func(e card.Entry) error { es = append(es, e); return nil }); err != nil {
			t.Fatal(err)
		}
		return es
	}
	full, lean := read(Filter{ByID: true}), read(Filter{ByID: true, Unscheduled: true})
	if len(full) != len(cards) || len(lean) != len(full) {
		t.Fatalf("read %d and %d cards, want %d", len(full), len(lean), len(cards))
	}
	for i, e := range full {
		want := e
		want.Anchor, want.State, want.Created = "", card.State{}, time.Time{}
		if want.Status != card.StatusSuspended {
			want.Status = card.StatusNew
		}
		if !reflect.DeepEqual(lean[i], want) {
			t.Errorf("unscheduled read of %s =\n%+v\nwant\n%+v", e.ID, lean[i], want)
		}
	}
	if full[slices.IndexFunc(full, func(e card.Entry) bool { return e.ID == cards[4].ID })].Status == card.StatusNew {
		t.Error("the answered card reads as new in the full read; the test proves nothing")
	}
}

// TestCountCards: the count of every deck's cards and suspended cards is
// what StatusOf gives, summed, orphans left out.
func TestCountCards(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	cards := append(basics("D", 4), basics("E", 3)...)
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, cards[:4]); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Sync(ctx, SourceFile{Path: file + "2"}, card.Limits{}, cards[4:]); err != nil {
		t.Fatal(err)
	}
	for _, c := range []card.Card{cards[1], cards[5]} {
		if err := s.Suspend(ctx, c.ID); err != nil {
			t.Fatal(err)
		}
	}
	// Syncing the first file without its last card orphans it.
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, cards[:3]); err != nil {
		t.Fatal(err)
	}
	all, suspended, err := s.CountCards(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if all != 6 || suspended != 2 {
		t.Errorf("CountCards = %d, %d suspended; want 6, 2 suspended", all, suspended)
	}
	st, err := s.StatusOf(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	var wantAll, wantSusp int
	for _, d := range st {
		wantAll, wantSusp = wantAll+d.Total, wantSusp+d.Suspended
	}
	if all != wantAll || suspended != wantSusp {
		t.Errorf("CountCards = %d, %d; StatusOf sums to %d, %d", all, suspended, wantAll, wantSusp)
	}
}

// TestEachReviewPacked: the reviews EachReview reads, packed in one
// value a row (see selectReview), are the rows as the table holds them,
// NULL dates, eases and card ids of several bytes included.
func TestEachReviewPacked(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, clk := openTest(t)
	cards := basics("D", 3)
	cards[1].ID = "ça-1:2,3"
	if _, err := s.Sync(ctx, SourceFile{Path: file}, card.Limits{}, cards); err != nil {
		t.Fatal(err)
	}
	for i, g := range []card.Grade{card.Good, card.Again, card.Easy, card.Good} {
		clk.t = clk.t.Add(time.Duration(i+1) * 26 * time.Hour)
		if _, err := s.Answer(ctx, cards[i%3].ID, g, time.Duration(i)*time.Second, false); err != nil {
			t.Fatal(err)
		}
	}
	var got []string
	if err := s.EachReview(ctx, "", func(r Review) error {
		got = append(got, fmt.Sprintf("%d %s %d %d %v %v %+v %+v", r.ID, r.CardID, r.Time.UnixNano(), r.Grade, r.Took, r.Redrill, r.Before, r.After))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	rows, err := s.db.Query(`SELECT id, card_id, time, grade, took_ms, redrill,
		b_reps, b_ef, b_interval, b_due, b_lapses, b_last,
		a_reps, a_ef, a_interval, a_due, a_lapses, a_last FROM reviews ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	loc := s.now().Location()
	var want []string
	for rows.Next() {
		var r Review
		var at, took int64
		var bDue, bLast, aDue, aLast sql.NullInt64
		if err := rows.Scan(&r.ID, &r.CardID, &at, &r.Grade, &took, &r.Redrill,
			&r.Before.Reps, &r.Before.EF, &r.Before.Interval, &bDue, &r.Before.Lapses, &bLast,
			&r.After.Reps, &r.After.EF, &r.After.Interval, &aDue, &r.After.Lapses, &aLast); err != nil {
			t.Fatal(err)
		}
		r.Before.Due, r.Before.Last = fromDueDay(bDue, loc), fromNanos(bLast, loc)
		r.After.Due, r.After.Last = fromDueDay(aDue, loc), fromNanos(aLast, loc)
		want = append(want, fmt.Sprintf("%d %s %d %d %v %v %+v %+v", r.ID, r.CardID, at, r.Grade, time.Duration(took)*time.Millisecond, r.Redrill, r.Before, r.After))
	}
	if len(want) != 4 || !slices.Equal(got, want) {
		t.Errorf("EachReview =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
