package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/store"
)

type cardOptions struct {
	ID   string
	JSON bool
}

func newCardCmd(env *Env) *cobra.Command {
	var opts cardOptions
	cmd := &cobra.Command{
		Use:   "card ID",
		Short: "Show one card whole: its text, source, schedule, reviews and revisions",
		Long: `Show one card whole: front, back, breadcrumb, the notes file and line it
comes from, tags, deck, status and schedule, every review of it (when,
the grade, the interval before and after, the time taken) and the
wordings it had before its notes were edited.

ID is a card's id as 'recall cards' lists it, or its first 4 characters
or more when no other card's id starts with them.

--json prints one object: the fields of 'recall cards --json', plus
"added" and "modified", "reviews" (date, grade, q, interval {before,
after} in days, took in seconds, redrill) and "revisions" (date, front,
back), oldest first.`,
		Args:              usageArgs(exactArgs("a card id")),
		ValidArgsFunction: completeArgs(completeCardIDs(env)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID = args[0]
			if opts.ID == "" {
				return usagef("the card id is empty")
			}
			return runCard(cmd.Context(), env, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

// minPrefix is the shortest part of an id that names a card.
const minPrefix = 4

// cardInfo is everything `recall card` shows.
type cardInfo struct {
	entry     card.Entry
	reviews   []store.Review
	revisions []store.Revision
	today     time.Time
}

func runCard(ctx context.Context, env *Env, opts cardOptions) error {
	c, err := openForReading(env)
	if err != nil {
		return err
	}
	defer c.Close()
	info, err := readCard(ctx, c.Store, opts.ID)
	if err != nil {
		return err
	}
	if opts.JSON {
		return writeJSON(env.Stdout, info.object(env.Now()))
	}
	return info.write(env.Stdout, env.Now())
}

// readCard reads the card id names (see findCard) with its history.
func readCard(ctx context.Context, st *store.Store, id string) (cardInfo, error) {
	info := cardInfo{today: st.Today()}
	e, err := findCard(ctx, st, id)
	if err != nil {
		return info, err
	}
	info.entry = e
	err = st.EachReview(ctx, e.ID, func(r store.Review) error {
		info.reviews = append(info.reviews, r)
		return nil
	})
	if err != nil {
		return info, err
	}
	info.revisions, err = st.Revisions(ctx, e.ID)
	return info, err
}

// findCard reads the card with id, or else the one card whose id starts
// with it when it is long enough to be typed on purpose.
func findCard(ctx context.Context, st *store.Store, id string) (card.Entry, error) {
	e, err := st.Card(ctx, id)
	if !errors.Is(err, card.ErrNotFound) || len(id) < minPrefix {
		return e, err
	}
	// Three of the cards a prefix names say it is ambiguous; a fourth
	// says there are more.
	const shown = 3
	refs, perr := st.CardsWithPrefix(ctx, id, shown+1)
	switch {
	case perr != nil:
		return e, perr
	case len(refs) == 1:
		return st.Card(ctx, refs[0].ID)
	case len(refs) > 1:
		var ids []string
		for _, r := range refs[:min(len(refs), shown)] {
			ids = append(ids, r.ID)
		}
		if len(refs) > shown {
			ids = append(ids, "…")
		}
		return e, fmt.Errorf("card id %s is ambiguous: %s; type more of it", id, strings.Join(ids, ", "))
	}
	return e, err
}

// write prints the card for a person: a label a line, then the reviews
// and revisions as tables.
func (info cardInfo) write(w io.Writer, now time.Time) error {
	e := info.entry
	sched := entryObject(e, now).Schedule
	fmt.Fprintf(w, "%s  %s card in %s · %s\n\n", e.ID, e.Kind, card.Printable(e.Deck), e.Status)
	field := func(label, value string) {
		fmt.Fprintf(w, "%-*s%s\n", labelWidth, label+":", indentTail(card.Printable(value), strings.Repeat(" ", labelWidth)))
	}
	field("Front", e.Front)
	field("Back", e.Back)
	field("Breadcrumb", strings.Join(e.Context, " › "))
	field("Source", sourceLine(e))
	tags := strings.Join(e.Tags, ", ")
	if tags == "" {
		tags = "-"
	}
	field("Tags", tags)
	field("Scheduler", sched.Scheduler)
	field("Due", info.dueLine())
	if !e.State.Due.IsZero() {
		field("Interval", fmt.Sprintf("%d %s", e.State.Interval, plural(e.State.Interval, "day", "days")))
	}
	field("Ease", fmt.Sprintf("%.2f", e.State.EF))
	field("Reps", fmt.Sprint(e.State.Reps))
	field("Lapses", fmt.Sprint(e.State.Lapses))
	if sched.Stability != nil {
		field("Stability", fmt.Sprintf("%.2f days", *sched.Stability))
		field("Difficulty", fmt.Sprintf("%.2f", *sched.Difficulty))
		field("Retrievability", fmt.Sprintf("%.2f now", *sched.Retrievability))
	}
	field("Added", e.Created.Format(timeLayout))
	field("Modified", e.Modified.Format(timeLayout))

	fmt.Fprintf(w, "\nReviews: %d\n", len(info.reviews))
	if len(info.reviews) > 0 {
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "  Date\tGrade\tInterval\tTook")
		for _, r := range info.reviews {
			took := "-"
			if r.Took > 0 {
				took = fmt.Sprintf("%.1fs", r.Took.Seconds())
			}
			redrill := ""
			if r.Redrill {
				redrill = "  re-drill"
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s → %s\t%s%s\n", r.Time.Format(timeLayout), r.Grade,
				days(r.Before.Interval), days(r.After.Interval), took, redrill)
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "\nRevisions: %d\n", len(info.revisions))
	for _, r := range info.revisions {
		pad := strings.Repeat(" ", 2+len(timeLayout)+2+7)
		fmt.Fprintf(w, "  %s  front: %s\n", r.Time.Format(timeLayout), indentTail(card.Printable(r.Front), pad))
		_, err := fmt.Fprintf(w, "  %*s  back:  %s\n", len(timeLayout), "", indentTail(card.Printable(r.Back), pad))
		if err != nil {
			return err
		}
	}
	return nil
}

// labelWidth is the width of the labels of `recall card`, the longest
// ("Retrievability:") and a space.
const labelWidth = 16

// timeLayout is how recall prints a moment to a person, in their zone.
const timeLayout = "2006-01-02 15:04"

// days says an interval briefly: "6d".
func days(n int) string { return fmt.Sprintf("%dd", n) }

// sourceLine says where a card comes from: its notes file and line, which
// may be a deck shipped with recall or notes the card is no longer in.
func sourceLine(e card.Entry) string {
	s := fmt.Sprintf("%s:%d", e.Source.File, e.Source.Line)
	switch {
	case strings.HasPrefix(e.Source.File, store.ShippedPrefix):
		s += " (a deck shipped with recall)"
	case e.Status == card.StatusOrphan:
		s += " (no longer in these notes)"
	}
	return s
}

// dueLine says when the card is due, against today.
func (info cardInfo) dueLine() string {
	st := info.entry.State
	if st.Due.IsZero() {
		return "- (new)"
	}
	s := st.Due.Format(dateLayout)
	// Days are 23 or 25 hours long when the clocks change.
	switch n := int(math.Round(st.Due.Sub(info.today).Hours() / 24)); {
	case n == 0:
		s += " (today)"
	case n > 0:
		s += fmt.Sprintf(" (in %d %s)", n, plural(n, "day", "days"))
	default:
		s += fmt.Sprintf(" (%d %s overdue)", -n, plural(-n, "day", "days"))
	}
	// Learning steps end with their study day.
	if !st.LearnDue.IsZero() && !st.LearnDue.Before(info.today) {
		s += "; learning: back at " + st.LearnDue.Format("15:04")
	}
	return s
}

// cardInfoObject is `recall card --json`: a card of `cards --json` with
// its history.
type cardInfoObject struct {
	cardObject
	Added     string           `json:"added"`
	Modified  string           `json:"modified"`
	Reviews   []reviewObject   `json:"reviews"`
	Revisions []revisionObject `json:"revisions"`
}

// reviewObject is one review in `recall card --json`.
type reviewObject struct {
	Date     string         `json:"date"` // RFC 3339, in the local zone
	Grade    string         `json:"grade"`
	Q        int            `json:"q"` // the SM-2 quality 0-5
	Interval intervalChange `json:"interval"`
	Took     float64        `json:"took"` // seconds; 0 when not timed
	Redrill  bool           `json:"redrill"`
}

// intervalChange is an interval in days before and after a review.
type intervalChange struct {
	Before int `json:"before"`
	After  int `json:"after"`
}

// revisionObject is an earlier wording in `recall card --json`.
type revisionObject struct {
	Date  string `json:"date"` // when the edit was synced
	Front string `json:"front"`
	Back  string `json:"back"`
}

func (info cardInfo) object(now time.Time) cardInfoObject {
	o := cardInfoObject{
		cardObject: entryObject(info.entry, now),
		Added:      info.entry.Created.Format(time.RFC3339),
		Modified:   info.entry.Modified.Format(time.RFC3339),
		Reviews:    []reviewObject{},
		Revisions:  []revisionObject{},
	}
	for _, r := range info.reviews {
		o.Reviews = append(o.Reviews, reviewObject{
			Date: r.Time.Format(time.RFC3339), Grade: r.Grade.String(), Q: int(r.Grade),
			Interval: intervalChange{r.Before.Interval, r.After.Interval},
			Took:     *round4(r.Took.Seconds()), Redrill: r.Redrill,
		})
	}
	for _, r := range info.revisions {
		o.Revisions = append(o.Revisions, revisionObject{Date: r.Time.Format(time.RFC3339), Front: r.Front, Back: r.Back})
	}
	return o
}
