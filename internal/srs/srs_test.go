package srs

import (
	"fmt"
	"testing"
	"time"
	_ "time/tzdata" // the DST cases need zones even where the system has none

	"github.com/recall-cli/recall/internal/card"
)

// step is what a review must give: the state fields SM-2 changes.
type step struct {
	reps, interval int
	ef             float64
	lapses         int
}

func TestNextSequences(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		grades []card.Grade
		want   []step
	}{
		{"worked example: perfect from new", []card.Grade{5, 5, 5, 5}, []step{
			{1, 1, 2.6, 0}, {2, 6, 2.7, 0}, {3, 17, 2.8, 0}, {4, 48, 2.9, 0},
		}},
		{"worked example: blackout from new", []card.Grade{0}, []step{
			{0, 1, 1.7, 0},
		}},
		{"good keeps EF", []card.Grade{4, 4, 4, 4}, []step{
			{1, 1, 2.5, 0}, {2, 6, 2.5, 0}, {3, 15, 2.5, 0}, {4, 38, 2.5, 0},
		}},
		{"hard lowers EF, uses EF before update", []card.Grade{3, 3, 3}, []step{
			{1, 1, 2.36, 0}, {2, 6, 2.22, 0}, {3, 14, 2.08, 0},
		}},
		{"hard all the way to the floor", []card.Grade{3, 3, 3, 3, 3, 3, 3, 3, 3}, []step{
			{1, 1, 2.36, 0}, {2, 6, 2.22, 0}, {3, 14, 2.08, 0}, {4, 30, 1.94, 0},
			{5, 59, 1.8, 0}, {6, 107, 1.66, 0}, {7, 178, 1.52, 0}, {8, 271, 1.38, 0},
			{9, 374, 1.3, 0},
		}},
		{"mixed with one lapse", []card.Grade{5, 4, 2, 4, 4, 5}, []step{
			{1, 1, 2.6, 0}, {2, 6, 2.6, 0}, {0, 1, 2.28, 1}, {1, 1, 2.28, 1},
			{2, 6, 2.28, 1}, {3, 14, 2.38, 1},
		}},
		{"failures from new hit the floor, no lapse", []card.Grade{0, 0, 1, 5, 5, 5}, []step{
			{0, 1, 1.7, 0}, {0, 1, 1.3, 0}, {0, 1, 1.3, 0}, {1, 1, 1.4, 0},
			{2, 6, 1.5, 0}, {3, 9, 1.6, 0},
		}},
		{"a lapse counts only for a recalled card", []card.Grade{4, 1, 1, 4, 0}, []step{
			{1, 1, 2.5, 0}, {0, 1, 1.96, 1}, {0, 1, 1.42, 1}, {1, 1, 1.42, 1},
			{0, 1, 1.3, 2},
		}},
		{"long mixed", []card.Grade{5, 5, 5, 1, 3, 4, 5, 2, 2, 5, 4}, []step{
			{1, 1, 2.6, 0}, {2, 6, 2.7, 0}, {3, 17, 2.8, 0}, {0, 1, 2.26, 1},
			{1, 1, 2.12, 1}, {2, 6, 2.12, 1}, {3, 13, 2.22, 1}, {0, 1, 1.9, 2},
			{0, 1, 1.58, 2}, {1, 1, 1.68, 2}, {2, 6, 1.68, 2},
		}},
		{"perfect, no EF ceiling", []card.Grade{5, 5, 5, 5, 5, 5, 5, 5, 5}, []step{
			{1, 1, 2.6, 0}, {2, 6, 2.7, 0}, {3, 17, 2.8, 0}, {4, 48, 2.9, 0},
			{5, 140, 3, 0}, {6, 420, 3.1, 0}, {7, 1302, 3.2, 0}, {8, 4167, 3.3, 0},
			{9, 13752, 3.4, 0},
		}},
	}
	loc := time.FixedZone("test", 2*3600)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := card.NewState()
			now := time.Date(2024, 1, 15, 9, 30, 0, 0, loc)
			for i, g := range tt.grades {
				s = Next(s, g, now)
				got := step{s.Reps, s.Interval, s.EF, s.Lapses}
				if got != tt.want[i] {
					t.Fatalf("review %d: Next(…, %d) = %+v, want %+v", i+1, g, got, tt.want[i])
				}
				wantDue := time.Date(now.Year(), now.Month(), now.Day()+s.Interval, 0, 0, 0, 0, loc)
				if !s.Due.Equal(wantDue) {
					t.Fatalf("review %d: due %v, want %v", i+1, s.Due, wantDue)
				}
				if !s.Last.Equal(now) {
					t.Fatalf("review %d: last %v, want %v", i+1, s.Last, now)
				}
				// Studied on the morning it falls due.
				now = time.Date(s.Due.Year(), s.Due.Month(), s.Due.Day(), 9, 30, 0, 0, loc)
			}
		})
	}
}

func TestNextExact(t *testing.T) {
	t.Parallel()
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		in   card.State
		g    card.Grade
		want step
	}{
		// In float64 5×2.6 is 13.000000000000002, whose ceiling is 14.
		{"5 × 2.6 is 13", card.State{Reps: 2, Interval: 5, EF: 2.6}, 4, step{3, 13, 2.6, 0}},
		{"3 × 1.4 rounds up", card.State{Reps: 2, Interval: 3, EF: 1.4}, 4, step{3, 5, 1.4, 0}},
		{"10 × 2.3 is 23", card.State{Reps: 5, Interval: 10, EF: 2.3}, 5, step{6, 23, 2.4, 0}},
		{"hard at the floor", card.State{Reps: 2, Interval: 6, EF: 1.3}, 3, step{3, 8, 1.3, 0}},
		{"zero state counts as new", card.State{}, 5, step{1, 1, 2.6, 0}},
		{"grade above 5 counts as 5", card.NewState(), 9, step{1, 1, 2.6, 0}},
		{"grade below 0 counts as 0", card.NewState(), -3, step{0, 1, 1.7, 0}},
		{"EF below the floor counts as the floor", card.State{Reps: 2, Interval: 10, EF: 1.1}, 4, step{3, 13, 1.3, 0}},
		{"interval is capped", card.State{Reps: 9, Interval: 13752, EF: 3.4}, 5, step{10, MaxInterval, 3.5, 0}},
		{"lapse keeps counting", card.State{Reps: 4, Interval: 40, EF: 2.0, Lapses: 7}, 2, step{0, 1, 1.68, 8}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Next(tt.in, tt.g, now)
			got := step{s.Reps, s.Interval, s.EF, s.Lapses}
			if got != tt.want {
				t.Errorf("Next(%+v, %d) = %+v, want %+v", tt.in, tt.g, got, tt.want)
			}
		})
	}
}

func TestEFPrints(t *testing.T) {
	t.Parallel()
	s := card.NewState()
	var got []string
	for range 4 {
		s = Next(s, card.Easy, time.Time{})
		got = append(got, fmt.Sprint(s.EF))
	}
	want := "[2.6 2.7 2.8 2.9]"
	if fmt.Sprint(got) != want {
		t.Errorf("EF after four easy reviews prints %v, want %v", got, want)
	}
}

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestDay(t *testing.T) {
	t.Parallel()
	ny := mustZone(t, "America/New_York")
	sp := mustZone(t, "America/Sao_Paulo")
	utc := time.UTC
	tests := []struct {
		name     string
		now      time.Time
		rollover int
		want     string // date of the study day
	}{
		{"03:59 is the day before", time.Date(2024, 3, 5, 3, 59, 59, 0, utc), 4, "2024-03-04"},
		{"04:00 starts the day", time.Date(2024, 3, 5, 4, 0, 0, 0, utc), 4, "2024-03-05"},
		{"midnight rollover", time.Date(2024, 3, 5, 0, 0, 0, 0, utc), 0, "2024-03-05"},
		{"before rollover on the 1st", time.Date(2024, 3, 1, 2, 0, 0, 0, utc), 4, "2024-02-29"},
		{"before rollover on new year", time.Date(2025, 1, 1, 1, 0, 0, 0, utc), 4, "2024-12-31"},
		{"spring forward, 03:30 EDT", time.Date(2024, 3, 10, 3, 30, 0, 0, ny), 4, "2024-03-09"},
		{"spring forward, 04:00 EDT", time.Date(2024, 3, 10, 4, 0, 0, 0, ny), 4, "2024-03-10"},
		{"fall back, second 01:30", time.Date(2024, 11, 3, 6, 30, 0, 0, utc).In(ny), 4, "2024-11-02"},
		{"no midnight that day", time.Date(2018, 11, 4, 10, 0, 0, 0, sp), 4, "2018-11-04"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := Day(tt.now, tt.rollover)
			if got := d.Format(time.DateOnly); got != tt.want {
				t.Errorf("Day(%v, %d) = %v, want %v", tt.now, tt.rollover, d, tt.want)
			}
			if d.Location() != tt.now.Location() {
				t.Errorf("Day(%v, %d) is in %v, want %v", tt.now, tt.rollover, d.Location(), tt.now.Location())
			}
			if d.After(tt.now) {
				t.Errorf("Day(%v, %d) = %v, after now", tt.now, tt.rollover, d)
			}
		})
	}
}

func TestDue(t *testing.T) {
	t.Parallel()
	ny := mustZone(t, "America/New_York")
	tests := []struct {
		name     string
		now      time.Time
		rollover int
		in       card.State
		want     string // due, as local date and time
	}{
		{"before rollover counts from yesterday", time.Date(2024, 3, 5, 3, 59, 0, 0, ny), 4, card.NewState(), "2024-03-05 00:00"},
		{"at rollover counts from today", time.Date(2024, 3, 5, 4, 0, 0, 0, ny), 4, card.NewState(), "2024-03-06 00:00"},
		{"across spring forward", time.Date(2024, 3, 8, 20, 0, 0, 0, ny), 4, card.State{Reps: 1, Interval: 1, EF: 2.5}, "2024-03-14 00:00"},
		{"across fall back", time.Date(2024, 11, 1, 20, 0, 0, 0, ny), 4, card.State{Reps: 1, Interval: 1, EF: 2.5}, "2024-11-07 00:00"},
		{"on the DST day itself", time.Date(2024, 3, 10, 12, 0, 0, 0, ny), 4, card.NewState(), "2024-03-11 00:00"},
		{"due on a day with no midnight", time.Date(2018, 11, 3, 12, 0, 0, 0, mustZone(t, "America/Sao_Paulo")), 4, card.NewState(), "2018-11-04 01:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := Scheduler{Rollover: tt.rollover}.Next(tt.in, card.Good, tt.now)
			if got := s.Due.Format("2006-01-02 15:04"); got != tt.want {
				t.Errorf("Next(%+v, good, %v).Due = %v, want %v", tt.in, tt.now, got, tt.want)
			}
		})
	}
}

// TestLearn: below good a card is due again after a learning step, again
// starting over and hard going on, until good ends it; no step crosses the
// rollover.
func TestLearn(t *testing.T) {
	t.Parallel()
	sc := Scheduler{Rollover: 4}
	at := func(h, m int) time.Time { return time.Date(2026, 3, 2, h, m, 0, 0, time.UTC) }
	s := card.NewState()
	type step struct {
		g        card.Grade
		now      time.Time
		due      time.Time // zero: not learning
		stepWant int
	}
	for i, st := range []step{
		{card.Again, at(9, 0), at(9, 1), 0},
		{card.Again, at(9, 2), at(9, 3), 0},
		{card.Hard, at(9, 4), at(9, 14), 1},
		{card.Hard, at(9, 15), at(9, 25), 1},
		{card.Again, at(9, 26), at(9, 27), 0},
		{card.Good, at(9, 28), time.Time{}, 0},
		// Hard on a card not learning is the first step.
		{card.Hard, at(10, 0), at(10, 1), 0},
		{card.Easy, at(10, 2), time.Time{}, 0},
		// A step that would cross the 04:00 rollover is not taken.
		{card.Again, at(27, 50), at(27, 51), 0},
		{card.Hard, at(27, 55), time.Time{}, 0},
		{card.Again, at(27, 58), at(27, 59), 0},
		// The next day, yesterday's step counts for nothing: hard starts over.
		{card.Hard, at(28, 1), at(28, 2), 0},
	} {
		s = sc.Learn(s, st.g, st.now)
		if !s.LearnDue.Equal(st.due) || s.LearnStep != st.stepWant {
			t.Errorf("step %d (%v at %s): learn due %s step %d, want %s step %d", i, st.g, st.now.Format("02 15:04"),
				s.LearnDue.Format("02 15:04"), s.LearnStep, st.due.Format("02 15:04"), st.stepWant)
		}
	}
	start, end := DayBounds(at(3, 0), 4)
	if !start.Equal(at(-20, 0)) || !end.Equal(at(4, 0)) {
		t.Errorf("DayBounds(03:00) = %s, %s", start, end)
	}
}
