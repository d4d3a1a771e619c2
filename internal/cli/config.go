package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/recall-cli/recall/internal/collection"
	"github.com/recall-cli/recall/internal/store"
)

type configOptions struct {
	Deck    string
	New     int
	Reviews int

	// setNew and setReviews say which limits the flags change.
	setNew, setReviews bool
}

func newConfigCmd(env *Env) *cobra.Command {
	var opts configOptions
	cmd := &cobra.Command{
		Use:   "config DECK [--new N] [--reviews N]",
		Short: "Show or set a deck's daily limits",
		Long: `Show a deck's daily limits, or set them: how many new cards a day it
introduces (default 20) and how many reviews a day it shows (default
200). 0 sets a limit back to the default. A deck's front matter (new:,
reviews:) sets them too, on each sync.`,
		Example: `  recall config "QCon SF 2018" --new 10
  recall config "QCon SF 2018"`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Deck = args[0]
			opts.setNew = cmd.Flags().Changed("new")
			opts.setReviews = cmd.Flags().Changed("reviews")
			if opts.New < 0 || opts.Reviews < 0 {
				return usagef("--new and --reviews take a number of cards, 0 or more")
			}
			return runConfig(cmd.Context(), env, opts)
		},
	}
	cmd.Flags().IntVar(&opts.New, "new", 0, "new cards a day (0: the default, 20)")
	cmd.Flags().IntVar(&opts.Reviews, "reviews", 0, "reviews a day (0: the default, 200)")
	return cmd
}

func runConfig(ctx context.Context, env *Env, opts configOptions) error {
	c, err := openCollection(env)
	if err != nil {
		return err
	}
	defer c.Close()
	st := c.Store
	decks, err := st.Decks(ctx)
	if err != nil {
		return err
	}
	var cur *store.Deck
	for i := range decks {
		if decks[i].Name == opts.Deck {
			cur = &decks[i]
		}
	}
	if cur == nil {
		return &collection.NoDeckError{Deck: opts.Deck}
	}
	l := cur.Limits
	if opts.setNew {
		l.New = opts.New
	}
	if opts.setReviews {
		l.Reviews = opts.Reviews
	}
	if opts.setNew || opts.setReviews {
		if err := st.SetLimits(ctx, opts.Deck, l); err != nil {
			return err
		}
	}
	fmt.Fprintf(env.Stdout, "%s: %s new cards and %s reviews a day\n", opts.Deck,
		limitPhrase(l.New, store.DefaultNewLimit), limitPhrase(l.Reviews, store.DefaultReviewLimit))
	return nil
}

// limitPhrase says a daily limit, 0 meaning the default.
func limitPhrase(n, def int) string {
	if n == 0 {
		return fmt.Sprintf("the default %d", def)
	}
	return fmt.Sprint(n)
}
