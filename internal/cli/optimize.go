package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/srs"
)

type optimizeOptions struct {
	Deck string
}

func newOptimizeCmd(env *Env) *cobra.Command {
	var opts optimizeOptions
	cmd := &cobra.Command{
		Use:   "optimize [--deck NAME]",
		Short: "Fit FSRS-6 to your own review log",
		Long: `Fit FSRS-6's 21 weights to the collection's review log (or to a deck's,
with its subdecks), the way the reference optimiser does, and keep them
for the decks that study with FSRS ('recall config DECK --scheduler
fsrs'). Prints the log loss and RMSE(bins) of the weights in use and of
the fitted ones on the same log. The weights in use are kept when the
fit does not lower the log loss, or when the log is too short to learn
from (it says how many reviews it needs).`,
		Args: usageArgs(noArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runOptimize(cmd.Context(), env, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Deck, "deck", "", "fit this deck's log (and its subdecks') for this deck alone")
	return cmd
}

func runOptimize(ctx context.Context, env *Env, opts optimizeOptions) error {
	c, deck, err := openDeck(ctx, env, opts.Deck, false)
	if err != nil {
		return err
	}
	defer c.Close()
	st := c.Store
	opts.Deck = deck
	histories, err := st.Histories(ctx, opts.Deck)
	if err != nil {
		return err
	}
	sched, err := st.SchedulingOf(ctx, opts.Deck)
	if err != nil {
		return err
	}
	var current srs.FSRSWeights
	if sched.Weights != nil {
		current = *sched.Weights
	}
	w, rep, err := srs.Optimize(histories, srs.OptimizeOptions{Current: current})
	if err != nil {
		return err
	}
	whose := "the collection"
	if opts.Deck != "" {
		whose = card.Printable(opts.Deck)
	}
	fmt.Fprintf(env.Stdout, "%s: %d reviews of %d cards, %d to learn from\n", whose, rep.Reviews, rep.Cards, rep.Items)
	if !rep.Fitted {
		fmt.Fprintf(env.Stdout, "weights kept: %s\n", rep.Reason)
		return nil
	}
	fmt.Fprintf(env.Stdout, "log loss   %.4f → %.4f\nRMSE(bins) %.4f → %.4f\n", rep.LogLossBefore, rep.LogLoss, rep.RMSEBefore, rep.RMSE)
	if err := st.SetWeights(ctx, opts.Deck, w); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, "weights fitted and kept for the decks that study with FSRS")
	return nil
}
