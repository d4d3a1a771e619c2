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
	JSON bool
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
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the fit as JSON")
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
	if rep.Fitted {
		if err := st.SetWeights(ctx, opts.Deck, w); err != nil {
			return err
		}
	}
	if opts.JSON {
		return writeJSON(env.Stdout, newOptimizeObject(opts.Deck, w, rep))
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
	fmt.Fprintln(env.Stdout, "weights fitted and kept for the decks that study with FSRS")
	return nil
}

// optimizeObject is what optimize prints with --json.
type optimizeObject struct {
	Deck          *string   `json:"deck"` // null for the collection
	Reviews       int       `json:"reviews"`
	Cards         int       `json:"cards"`
	Items         int       `json:"items"` // reviews to learn from
	Fitted        bool      `json:"fitted"`
	Reason        string    `json:"reason,omitempty"` // why the weights were kept
	LogLossBefore *float64  `json:"log_loss_before,omitempty"`
	LogLoss       *float64  `json:"log_loss,omitempty"`
	RMSEBefore    *float64  `json:"rmse_before,omitempty"`
	RMSE          *float64  `json:"rmse,omitempty"`
	Weights       []float64 `json:"weights"` // the weights in use now
}

func newOptimizeObject(deck string, w srs.FSRSWeights, rep srs.OptimizeReport) optimizeObject {
	o := optimizeObject{Reviews: rep.Reviews, Cards: rep.Cards, Items: rep.Items, Fitted: rep.Fitted, Reason: rep.Reason}
	if deck != "" {
		o.Deck = &deck
	}
	if rep.Fitted {
		o.LogLossBefore, o.LogLoss = round4(rep.LogLossBefore), round4(rep.LogLoss)
		o.RMSEBefore, o.RMSE = round4(rep.RMSEBefore), round4(rep.RMSE)
	}
	if w == (srs.FSRSWeights{}) {
		w = srs.DefaultFSRSWeights
	}
	for _, x := range w {
		o.Weights = append(o.Weights, *round4(x))
	}
	return o
}
