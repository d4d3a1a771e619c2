package review

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/recall-cli/recall/internal/card"
)

// Summary is the end of a session: what was done, how well, and what
// comes next. `recall review --json` prints it as it is.
type Summary struct {
	// Cards is the number of cards answered (first answers); Answers
	// counts re-drills too.
	Cards   int `json:"cards"`
	Answers int `json:"answers"`
	// Time is the session's length; Seconds the same, for JSON.
	Time    time.Duration `json:"-"`
	Seconds int           `json:"seconds"`
	// Again, Hard, Good and Easy count every answer by button; Qualities
	// counts them by SM-2 quality (index 0–5), which is what the 0–5
	// scale prints.
	Again     int    `json:"again"`
	Hard      int    `json:"hard"`
	Good      int    `json:"good"`
	Easy      int    `json:"easy"`
	Qualities [6]int `json:"qualities"`
	// Correct is the percentage of first answers that passed (q ≥ 3),
	// rounded; 0 when nothing was answered.
	Correct int `json:"correct"`
	// Passed is the number of those first answers.
	Passed int `json:"passed"`
	// NewLearned counts new cards graded good or easy in the session.
	NewLearned int `json:"new_learned"`
	Buried     int `json:"buried"`
	Suspended  int `json:"suspended"`
	Leeches    int `json:"leeches"`
	// Left is the number of cards still in the queue when it stopped.
	Left int `json:"left"`
	// Learning counts the cards in learning steps still to come today,
	// beyond what the session showed; the first is due at NextLearning.
	Learning     int       `json:"learning"`
	NextLearning time.Time `json:"-"`
	// DueTomorrow and Streak come from the collection.
	DueTomorrow int `json:"due_tomorrow"`
	Streak      int `json:"streak"`

	// Scale decides how WriteText prints the grade counts.
	Scale Scale `json:"-"`
}

// Summary totals the session so far and asks the collection what is due
// tomorrow (in the session's deck and its subdecks, or everywhere) and for
// the study streak. On error the session's own totals are still filled in.
func (s *Session) Summary(ctx context.Context) (Summary, error) {
	st := s.st
	sum := Summary{
		Cards:      st.cards,
		Answers:    st.answers,
		Time:       s.Elapsed().Round(time.Second),
		Qualities:  st.qualities,
		Passed:     st.correct,
		NewLearned: st.newLearned,
		Buried:     st.buried,
		Suspended:  st.suspended,
		Leeches:    st.leeches,
		Left:       len(s.queue),
		Learning:   len(s.learning),
		Scale:      s.opts.Grades,
	}
	sum.Seconds = int(sum.Time / time.Second)
	if len(s.learning) > 0 {
		sum.NextLearning = s.learning[0].State.LearnDue
	}
	sum.Again = st.qualities[0] + st.qualities[1] + st.qualities[2]
	sum.Hard, sum.Good, sum.Easy = st.qualities[3], st.qualities[4], st.qualities[5]
	if st.cards > 0 {
		sum.Correct = (200*st.correct + st.cards) / (2 * st.cards)
	}
	decks, err := s.c.StatusOf(ctx, s.opts.Deck)
	if err != nil {
		return sum, fmt.Errorf("due tomorrow: %w", err)
	}
	for _, d := range decks {
		sum.DueTomorrow += d.DueTomorrow
	}
	if sum.Streak, err = s.c.Streak(ctx); err != nil {
		return sum, fmt.Errorf("streak: %w", err)
	}
	return sum, nil
}

// Lines returns the summary as the plain protocol prints it, one fact a
// line:
//
//	reviewed 5 cards (7 answers) in 1m02s
//	again 1 · hard 0 · good 3 · easy 1     (0–5 scale: q0 0 · q1 0 · … · q5 1)
//	correct 80% (4 of 5)
//	new learned 2
//	buried 1 · suspended 0 · leeches 0     (only when one is not zero)
//	left 3 cards                           (only when not zero)
//	learning 2 cards, back at 10:42        (only when not zero)
//	due tomorrow 12
//	streak 3 days
func (sum Summary) Lines() []string {
	reviewed := "reviewed " + plural(sum.Cards, "card")
	if sum.Answers != sum.Cards {
		reviewed += " (" + plural(sum.Answers, "answer") + ")"
	}
	lines := []string{reviewed + " in " + clock(sum.Time)}
	if sum.Scale == Qualities {
		q := make([]string, len(sum.Qualities))
		for i, n := range sum.Qualities {
			q[i] = fmt.Sprintf("q%d %d", i, n)
		}
		lines = append(lines, strings.Join(q, " · "))
	} else {
		lines = append(lines, fmt.Sprintf("again %d · hard %d · good %d · easy %d", sum.Again, sum.Hard, sum.Good, sum.Easy))
	}
	lines = append(lines,
		fmt.Sprintf("correct %d%% (%d of %d)", sum.Correct, sum.Passed, sum.Cards),
		fmt.Sprintf("new learned %d", sum.NewLearned))
	if sum.Buried+sum.Suspended+sum.Leeches > 0 {
		lines = append(lines, fmt.Sprintf("buried %d · suspended %d · leeches %d", sum.Buried, sum.Suspended, sum.Leeches))
	}
	if sum.Left > 0 {
		lines = append(lines, "left "+plural(sum.Left, "card"))
	}
	if sum.Learning > 0 {
		lines = append(lines, fmt.Sprintf("learning %s, back at %s: review again then", plural(sum.Learning, "card"), sum.NextLearning.Format("15:04")))
	}
	return append(lines,
		fmt.Sprintf("due tomorrow %d", sum.DueTomorrow),
		"streak "+plural(sum.Streak, "day"))
}

// WriteText prints Lines, one a line.
func (sum Summary) WriteText(w io.Writer) error {
	_, err := io.WriteString(w, strings.Join(sum.Lines(), "\n")+"\n")
	return err
}

// plural writes "1 card", "2 cards".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// clock writes a duration the way the summary does: 45s, 1m02s, 1h02m03s.
func clock(d time.Duration) string {
	sec := int(d.Round(time.Second) / time.Second)
	h, m, s := sec/3600, sec/60%60, sec%60
	switch {
	case h > 0:
		return fmt.Sprintf("%dh%02dm%02ds", h, m, s)
	case m > 0:
		return fmt.Sprintf("%dm%02ds", m, s)
	}
	return fmt.Sprintf("%ds", s)
}

// timer writes the header's session timer: 0:07, 12:34, 1:02:03.
func timer(d time.Duration) string {
	sec := int(max(d, 0) / time.Second)
	h, m, s := sec/3600, sec/60%60, sec%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}

// span writes an interval for a grade label, the way Anki does: 1d, 17d,
// 1.6mo, 2.3y.
func span(days int) string {
	switch {
	case days < 30:
		return fmt.Sprintf("%dd", days)
	case days < 365:
		return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(days)/30), ".0") + "mo"
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", float64(days)/365), ".0") + "y"
}

// choices writes the grade choices: "1 again (1d) · 2 hard (6d) · …",
// or "0 (1d) · 1 (1d) · …" on the 0–5 scale (see whens).
func choices(cs []Choice, sep string) string {
	ws := whens(cs)
	parts := make([]string, len(cs))
	for i, c := range cs {
		label := c.Key
		if c.Label != "" {
			label += " " + c.Label
		}
		parts[i] = label + " (" + ws[i] + ")"
	}
	return strings.Join(parts, sep)
}

// whens says what each choice would do: its interval ("6d"), and where
// intervals tie what differs, the change of ease ("6d, ease +0.10"); a
// card in learning shows when again and hard bring it back ("1m").
func whens(cs []Choice) []string {
	days := map[int]int{}
	for _, c := range cs {
		days[c.Days]++
	}
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = span(c.Days)
		if c.Learn > 0 {
			out[i] = fmt.Sprintf("%dm", int(c.Learn/time.Minute))
		} else if days[c.Days] > 1 && c.Ease != 0 {
			out[i] += fmt.Sprintf(", ease %+.2f", c.Ease)
		}
	}
	return out
}

// describe says what an action did, as the plain protocol prints it and
// the terminal session shows it:
//
//	graded good — next in 6 days
//	graded hard — next in 6 days; back in 1 minute
//	graded again (learning) — back in 1 minute
//	graded hard (learning) — back in 10 minutes
//	graded good (learning) — done for today
//	buried
//	suspended
func describe(r Result, sc Scale) string {
	switch r.Action {
	case Buried, Suspended:
		return r.Action.String()
	}
	s := "graded " + sc.Name(r.Grade)
	if r.Redrill {
		s += " (learning) — "
		if r.Again {
			return s + backIn(r.LearnIn)
		}
		return s + "done for today"
	}
	s += " — next in " + plural(r.State.Interval, "day")
	if r.Again {
		s += "; " + backIn(r.LearnIn)
	}
	return s
}

// backIn says when a learning card comes back: "back in 10 minutes".
func backIn(d time.Duration) string {
	return "back in " + plural(max(int(d.Round(time.Minute)/time.Minute), 1), "minute")
}

// leechNotice tells the person a card became a leech:
//
//	leech: "What port does etcd…" (9f2c4e1a7b3d) lapsed 8 times: suspended
func leechNotice(r Result) string {
	return fmt.Sprintf("leech: %q (%s) lapsed %s: suspended", excerpt(card.Printable(r.Card.Front), 40), r.Card.ID, plural(r.State.Lapses, "time"))
}

// undoNotice tells what an undo took back: "undone: graded good",
// "undone: buried".
func undoNotice(r Result, sc Scale) string {
	if r.Action == Graded {
		return "undone: graded " + sc.Name(r.Grade)
	}
	return "undone: " + r.Action.String()
}

// excerpt is the first line of s, cut to n runes with an ellipsis.
func excerpt(s string, n int) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	r := []rune(s)
	if len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
