package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"github.com/spf13/cobra"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/store"
)

type statsOptions struct {
	Deck string
	JSON bool
}

func newStatsCmd(env *Env) *cobra.Command {
	var opts statsOptions
	cmd := &cobra.Command{
		Use:   "stats",
		Short: "Show reviews over the last year, the cards due ahead and true retention",
		Long: `Show what Anki's statistics show: reviews today and time spent today and
over the last 7 days, the streak, a calendar of the reviews of the last year
(one cell a day, darker for more), the cards due in each of the next 30 days
(today's bar holds the backlog), the true retention of the last 30 days (the
first answer of a day to a card answered on an earlier day, re-drills aside,
passed when graded hard or better; mature cards have an interval of 21 days
or more) and the cards counted by state. --json prints the same figures
under the same names.`,
		Args: usageArgs(noArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStats(cmd.Context(), env, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Deck, "deck", "", `only this deck and its subdecks, in any case ("QCon SF 2018::Containers")`)
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

func runStats(ctx context.Context, env *Env, opts statsOptions) error {
	c, deck, err := openDeck(ctx, env, opts.Deck, true)
	if err != nil {
		return err
	}
	defer c.Close()
	opts.Deck = deck
	st, err := c.Store.Stats(ctx, opts.Deck)
	if errors.Is(err, card.ErrNotFound) && opts.Deck != "" {
		return c.NoDeck(ctx, opts.Deck)
	}
	if err != nil {
		return err
	}
	if opts.JSON {
		return writeJSON(env.Stdout, newStatsObject(opts.Deck, st))
	}
	return writeStats(env.Stdout, newStatsStyle(env), opts.Deck, st)
}

// statsObject is `stats --json`: the text's figures under its names.
type statsObject struct {
	Deck             string            `json:"deck,omitempty"`
	Today            string            `json:"today"`
	ReviewsToday     int               `json:"reviews_today"`
	TimeTodaySeconds int64             `json:"time_today_seconds"`
	TimeWeekSeconds  int64             `json:"time_this_week_seconds"` // the last 7 days
	Streak           int               `json:"streak"`
	Calendar         []calendarDay     `json:"calendar"` // days with reviews, of the last year
	Forecast         []forecastDay     `json:"forecast"` // the next 30 days, today first
	Retention        retentionTable    `json:"retention"`
	Cards            stateCountsObject `json:"cards"`
}

type calendarDay struct {
	Day     string `json:"day"`
	Reviews int    `json:"reviews"`
}

type forecastDay struct {
	Day string `json:"day"`
	Due int    `json:"due"`
}

type retentionTable struct {
	Young  retentionRow `json:"young"`
	Mature retentionRow `json:"mature"`
	Total  retentionRow `json:"total"`
}

type retentionRow struct {
	Passed int      `json:"passed"`
	Failed int      `json:"failed"`
	Rate   *float64 `json:"rate"` // null without reviews
}

type stateCountsObject struct {
	New       int `json:"new"`
	Learning  int `json:"learning"`
	Young     int `json:"young"`
	Mature    int `json:"mature"`
	Suspended int `json:"suspended"`
	Buried    int `json:"buried"`
	Orphans   int `json:"orphans"`
	Total     int `json:"total"`
}

func newRetentionRow(r store.Retention) retentionRow {
	row := retentionRow{Passed: r.Passed, Failed: r.Failed}
	if rate, ok := r.Rate(); ok {
		row.Rate = round4(rate)
	}
	return row
}

func newStatsObject(deck string, st store.Stats) statsObject {
	o := statsObject{
		Deck:             deck,
		Today:            st.Today.Format(dateLayout),
		ReviewsToday:     st.ReviewsToday,
		TimeTodaySeconds: int64(st.TimeToday.Round(time.Second) / time.Second),
		TimeWeekSeconds:  int64(st.TimeWeek.Round(time.Second) / time.Second),
		Streak:           st.Streak,
		Calendar:         []calendarDay{},
		Forecast:         make([]forecastDay, len(st.Forecast)),
		Retention: retentionTable{
			Young:  newRetentionRow(st.Young),
			Mature: newRetentionRow(st.Mature),
			Total:  newRetentionRow(st.Young.Add(st.Mature)),
		},
		Cards: stateCountsObject{
			New: st.Cards.New, Learning: st.Cards.Learning, Young: st.Cards.Young, Mature: st.Cards.Mature,
			Suspended: st.Cards.Suspended, Buried: st.Cards.Buried, Orphans: st.Cards.Orphans, Total: st.Cards.Total(),
		},
	}
	for i, n := range st.Calendar {
		if n > 0 {
			o.Calendar = append(o.Calendar, calendarDay{statsDay(st, i-(len(st.Calendar)-1)).Format(dateLayout), n})
		}
	}
	for i, n := range st.Forecast {
		o.Forecast[i] = forecastDay{statsDay(st, i).Format(dateLayout), n}
	}
	return o
}

// statsDay is the study day n days after st.Today (before, if n < 0), by
// the calendar (a DST change moves no day).
func statsDay(st store.Stats, n int) time.Time {
	return st.Today.AddDate(0, 0, n)
}

// statsStyle draws the text: lipgloss styles on a renderer that colours
// only when env.Color says so. Without colour the shades alone tell the
// levels apart.
type statsStyle struct {
	heading, dim, bar lipgloss.Style
	shades            [5]lipgloss.Style
}

// shadeRunes are the calendar's five levels, from no review to the most.
var shadeRunes = [5]string{"·", "░", "▒", "▓", "█"}

func newStatsStyle(env *Env) statsStyle {
	r := lipgloss.NewRenderer(env.Stdout)
	switch {
	case !env.Color:
		r.SetColorProfile(termenv.Ascii)
	case r.ColorProfile() == termenv.Ascii:
		// Colour was asked for even if the writer does not look like a
		// terminal (a wrapped writer).
		r.SetColorProfile(termenv.ANSI256)
	}
	s := statsStyle{
		heading: r.NewStyle().Bold(true),
		dim:     r.NewStyle().Faint(true),
		bar:     r.NewStyle().Foreground(lipgloss.Color("12")),
	}
	// GitHub's greens, from an empty day to the busiest.
	for i, c := range []string{"8", "22", "28", "34", "40"} {
		s.shades[i] = r.NewStyle().Foreground(lipgloss.Color(c))
	}
	return s
}

func (s statsStyle) shade(level int) string { return s.shades[level].Render(shadeRunes[level]) }

// writeStats prints st for a person, within 80 columns.
func writeStats(w io.Writer, s statsStyle, deck string, st store.Stats) error {
	var b strings.Builder
	if deck != "" {
		fmt.Fprintf(&b, "%s\n\n", s.heading.Render(card.Printable(deck)))
	}
	fmt.Fprintf(&b, "reviews today   %d\n", st.ReviewsToday)
	fmt.Fprintf(&b, "time today      %s\n", st.TimeToday.Round(time.Second))
	fmt.Fprintf(&b, "time this week  %s %s\n", st.TimeWeek.Round(time.Second), s.dim.Render("(the last 7 days)"))
	fmt.Fprintf(&b, "streak          %d %s\n", st.Streak, plural(st.Streak, "day", "days"))

	b.WriteString("\n" + s.heading.Render("calendar") + s.dim.Render(" · reviews in the last year") + "\n")
	writeCalendar(&b, s, st)

	total := 0
	for _, n := range st.Forecast {
		total += n
	}
	fmt.Fprintf(&b, "\n%s%s\n", s.heading.Render("forecast"),
		s.dim.Render(fmt.Sprintf(" · next %d days: %d due · today %d with the backlog · tomorrow %d", len(st.Forecast), total, st.Forecast[0], st.Forecast[1])))
	writeForecast(&b, s, st.Forecast[:])

	fmt.Fprintf(&b, "\n%s%s\n", s.heading.Render("retention"), s.dim.Render(fmt.Sprintf(" · true retention, the last %d days", store.RetentionDays)))
	fmt.Fprintf(&b, "%-8s %7s %7s %7s\n", "", "passed", "failed", "rate")
	for _, row := range []struct {
		name string
		r    store.Retention
	}{{"young", st.Young}, {"mature", st.Mature}, {"total", st.Young.Add(st.Mature)}} {
		rate := "-"
		if r, ok := row.r.Rate(); ok {
			rate = fmt.Sprintf("%.1f%%", r*100)
		}
		fmt.Fprintf(&b, "%-8s %7d %7d %7s\n", row.name, row.r.Passed, row.r.Failed, rate)
	}

	c := st.Cards
	fmt.Fprintf(&b, "\n%s\n", s.heading.Render("cards"))
	fmt.Fprintf(&b, "%8s %9s %6s %7s %10s %7s %8s %6s\n", "new", "learning", "young", "mature", "suspended", "buried", "orphans", "total")
	fmt.Fprintf(&b, "%8d %9d %6d %7d %10d %7d %8d %6d\n", c.New, c.Learning, c.Young, c.Mature, c.Suspended, c.Buried, c.Orphans, c.Total())
	_, err := io.WriteString(w, b.String())
	return err
}

// writeCalendar draws the calendar as GitHub does: a column a week, Monday
// on top, today in the last column, the months named above the week their
// first day falls in.
func writeCalendar(b *strings.Builder, s statsStyle, st store.Stats) {
	// The first day is 52 weeks before today (364 days), on its weekday:
	// 53 columns.
	const weeks = (store.CalendarDays-1)/7 + 1
	today := st.Today
	// Monday of the first column.
	back := (int(today.Weekday()) + 6) % 7 // days since Monday
	first := -back - 7*(weeks-1)           // day offset of the top-left cell
	busiest := 0
	for _, n := range st.Calendar {
		busiest = max(busiest, n)
	}
	const margin = "    "
	months := []byte(strings.Repeat(" ", len(margin)+weeks+3))
	// The month the calendar starts in is named too when the next one's
	// name leaves room.
	next := 0 // first column a label may start in
	start := statsDay(st, 1-store.CalendarDays)
	if start.Day() != 1 && (daysBetween(statsDay(st, first), start.AddDate(0, 1, 1-start.Day())))/7 >= 4 {
		copy(months[len(margin):], start.Format("Jan"))
		next = 4
	}
	for col := range weeks {
		for row := range 7 {
			d := statsDay(st, first+7*col+row)
			if d.Day() == 1 && col >= next && col+3 <= weeks {
				copy(months[len(margin)+col:], d.Format("Jan"))
				next = col + 4
			}
		}
	}
	b.WriteString(strings.TrimRight(string(months), " ") + "\n")
	labels := [7]string{"Mon", "", "Wed", "", "Fri", "", ""}
	for row := range 7 {
		fmt.Fprintf(b, "%-4s", labels[row])
		var line strings.Builder
		for col := range weeks {
			off := first + 7*col + row
			i := off + store.CalendarDays - 1
			if off > 0 || i < 0 {
				line.WriteString(" ")
				continue
			}
			line.WriteString(s.shade(level(st.Calendar[i], busiest)))
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
	busy := fmt.Sprintf("busiest day %d", busiest)
	legend := "less " + s.shade(0) + s.shade(1) + s.shade(2) + s.shade(3) + s.shade(4) + " more"
	gap := max(weeks-len(busy)-lipgloss.Width(legend), 1)
	fmt.Fprintf(b, "%s%s%s%s\n", margin, s.dim.Render(busy), strings.Repeat(" ", gap), legend)
}

// daysBetween counts the calendar days from a to b.
func daysBetween(a, b time.Time) int {
	ua := time.Date(a.Year(), a.Month(), a.Day(), 0, 0, 0, 0, time.UTC)
	ub := time.Date(b.Year(), b.Month(), b.Day(), 0, 0, 0, 0, time.UTC)
	return int(ub.Sub(ua).Hours() / 24)
}

// level is the shade of a day with n reviews when the busiest had most:
// 0 for none, then quarters of the busiest.
func level(n, most int) int {
	if n <= 0 || most <= 0 {
		return 0
	}
	return min((4*n+most-1)/most, 4)
}

// forecastRows is the height of the forecast's bars.
const forecastRows = 6

// eighths are the blocks that draw the top of a bar.
var eighths = []string{" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"}

// writeForecast draws a bar a day, two columns apart, the tallest
// forecastRows high, in eighths of a row; a day with cards due shows at
// least a sliver.
func writeForecast(b *strings.Builder, s statsStyle, due []int) {
	most := 0
	for _, n := range due {
		most = max(most, n)
	}
	heights := make([]int, len(due))
	for i, n := range due {
		if n > 0 {
			heights[i] = max(int(math.Round(float64(n*forecastRows*8)/float64(most))), 1)
		}
	}
	width := len(fmt.Sprint(most))
	for row := forecastRows - 1; row >= 0; row-- {
		label := ""
		if row == forecastRows-1 {
			label = fmt.Sprint(most)
		}
		var line strings.Builder
		for _, h := range heights {
			part := min(max(h-row*8, 0), 8)
			if part == 0 {
				line.WriteString("  ")
				continue
			}
			line.WriteString(s.bar.Render(eighths[part]) + " ")
		}
		fmt.Fprintf(b, "%*s │%s\n", width, label, strings.TrimRight(line.String(), " "))
	}
	fmt.Fprintf(b, "%*s └%s\n", width, "0", strings.Repeat("─", 2*len(due)))
	axis := []byte(strings.Repeat(" ", 2*len(due)+8))
	copy(axis, "today")
	for d := 7; d < len(due); d += 7 {
		copy(axis[2*d:], fmt.Sprintf("+%d", d))
	}
	fmt.Fprintf(b, "%*s  %s\n", width, "", strings.TrimRight(string(axis), " "))
}
