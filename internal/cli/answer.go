package cli

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/spf13/cobra"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/review"
)

type answerOptions struct {
	ID     string
	Grade  string
	Grades string
	Force  bool
	JSON   bool
}

func newAnswerCmd(env *Env) *cobra.Command {
	var opts answerOptions
	cmd := &cobra.Command{
		Use:   "answer ID GRADE",
		Short: "Grade one card without a session (for scripts)",
		Long: `Grade one card as if it had been answered in a review session: again,
hard, good or easy (a, h, g, e, or 1-4); with --grades 0-5, an SM-2
quality 0-5. Prints the new schedule.

A card a session would not show now is refused: suspended, buried, an
orphan, or a review not due yet (answering it early would move its
schedule for nothing). --force answers it anyway.`,
		Args:              usageArgs(exactArgs("a card id", "a grade")),
		ValidArgsFunction: completeArgs(completeCardIDs(env), completeWords("again", "hard", "good", "easy")),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID, opts.Grade = args[0], args[1]
			return runAnswer(cmd.Context(), env, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Grades, "grades", "buttons", `"buttons" (again/hard/good/easy) or "0-5"`)
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the new schedule as JSON")
	cmd.Flags().BoolVar(&opts.Force, "force", false, "answer a card a session would not show now (suspended, buried, an orphan, not due yet)")
	return cmd
}

func runAnswer(ctx context.Context, env *Env, opts answerOptions) error {
	scale, err := review.ParseScale(opts.Grades)
	if err != nil {
		return usagef("--%v", err)
	}
	raw := scale == review.Qualities
	g, err := card.ParseGrade(opts.Grade, raw)
	if err != nil {
		if raw {
			return usagef("%v: want an SM-2 quality 0-5 (the scale --grades 0-5 chose)", err)
		}
		return usagef("%v: want again, hard, good, easy or 1-4 (or a quality 0-5 with --grades 0-5)", err)
	}
	c, err := openCollection(env)
	if err != nil {
		return err
	}
	defer c.Close()
	st := c.Store
	// The store's errors name the card already.
	// A review session answers a card that became an orphan while it was
	// on screen; a script is told to restore it first.
	e, err := st.Card(ctx, opts.ID)
	if err != nil {
		return err
	}
	if !opts.Force {
		if why := notNow(e, st.Today()); why != "" {
			return &card.Error{ID: opts.ID, Err: fmt.Errorf("%s; --force answers it anyway: %w", why, card.ErrInvalid)}
		}
	}
	// A grade waits for the collection rather than fail while another
	// recall writes it (the store gives up after its busy timeout).
	a, err := st.Answer(ctx, opts.ID, g, 0, false)
	for said := false; errors.Is(err, card.ErrBusy) && ctx.Err() == nil; {
		if !said {
			fmt.Fprintln(env.Stderr, "recall: waiting: another recall is writing the collection")
			said = true
		}
		a, err = st.Answer(ctx, opts.ID, g, 0, false)
	}
	if err != nil {
		return err
	}
	if opts.JSON {
		return writeJSON(env.Stdout, newAnswerObject(opts.ID, g, a))
	}
	learning := ""
	if !a.After.LearnDue.IsZero() {
		learning = fmt.Sprintf("; learning: back at %s", a.After.LearnDue.Format("15:04"))
	}
	fmt.Fprintf(env.Stdout, "%s: graded %s (q=%d); next in %d %s, due %s%s\n", opts.ID, g, int(g), a.After.Interval, plural(a.After.Interval, "day", "days"), a.After.Due.Format(dateLayout), learning)
	if a.Leech {
		fmt.Fprintf(env.Stdout, "%s: leech: lapsed %d times, suspended and tagged leech\n", opts.ID, a.After.Lapses)
	}
	return nil
}

// notNow says why a session would not show card e today, or "" if it
// would: an answer to such a card is refused without --force.
func notNow(e card.Entry, today time.Time) string {
	switch e.Status {
	case card.StatusOrphan:
		return "it is an orphan, no longer in its notes (restore it first)"
	case card.StatusSuspended:
		return "it is suspended (recall restore brings it back)"
	case card.StatusBuried:
		return "it is buried until tomorrow"
	}
	if !e.State.LearnDue.IsZero() || e.State.Due.IsZero() || !e.State.Due.After(today) {
		return ""
	}
	days := int(e.State.Due.Sub(today).Hours()/24 + 0.5)
	return fmt.Sprintf("it is not due until %s (in %d %s)", e.State.Due.Format(dateLayout), days, plural(days, "day", "days"))
}

// answerObject is what answer prints with --json, named as its text:
// "ID: graded good (q=4); next in 6 days, due 2026-12-02; learning: back
// at 08:10".
type answerObject struct {
	ID       string   `json:"id"`
	Graded   string   `json:"graded"`
	Q        int      `json:"q"`
	Interval int      `json:"interval"`          // days
	Due      string   `json:"due"`               // YYYY-MM-DD
	BackAt   string   `json:"back_at,omitempty"` // RFC 3339: when a learning card comes back today
	Leech    bool     `json:"leech"`             // this answer suspended the card and tagged it leech
	Lapses   int      `json:"lapses"`
	Buried   []string `json:"buried"` // siblings buried until tomorrow
}

func newAnswerObject(id string, g card.Grade, a card.Answer) answerObject {
	o := answerObject{ID: id, Graded: g.String(), Q: int(g), Interval: a.After.Interval,
		Due: a.After.Due.Format(dateLayout), Leech: a.Leech, Lapses: a.After.Lapses, Buried: a.Buried}
	if !a.After.LearnDue.IsZero() {
		o.BackAt = a.After.LearnDue.Format(time.RFC3339)
	}
	if o.Buried == nil {
		o.Buried = []string{}
	}
	return o
}
