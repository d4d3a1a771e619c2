package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/review"
)

type answerOptions struct {
	ID     string
	Grade  string
	Grades string
}

func newAnswerCmd(env *Env) *cobra.Command {
	var opts answerOptions
	cmd := &cobra.Command{
		Use:   "answer ID GRADE",
		Short: "Grade one card without a session (for scripts)",
		Long: `Grade one card as if it had been answered in a review session: again,
hard, good or easy (a, h, g, e, or 1-4); with --grades 0-5, an SM-2
quality 0-5. Prints the new schedule.`,
		Args: usageArgs(cobra.ExactArgs(2)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.ID, opts.Grade = args[0], args[1]
			return runAnswer(cmd.Context(), env, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Grades, "grades", "buttons", `"buttons" (again/hard/good/easy) or "0-5"`)
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
		return usagef("%v: want again, hard, good, easy or 1-4%s", err, map[bool]string{true: " (0-5 with --grades 0-5)"}[!raw])
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
	if e.Status == card.StatusOrphan {
		return &card.Error{ID: opts.ID, Err: fmt.Errorf("it is an orphan, no longer in its notes (restore it first): %w", card.ErrInvalid)}
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
	fmt.Fprintf(env.Stdout, "%s: graded %s (q=%d); next in %d %s, due %s\n", opts.ID, g, int(g), a.After.Interval, plural(a.After.Interval, "day", "days"), a.After.Due.Format(dateLayout))
	if a.Leech {
		fmt.Fprintf(env.Stdout, "%s: leech: lapsed %d times, suspended and tagged leech\n", opts.ID, a.After.Lapses)
	}
	return nil
}
