package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/recall-cli/recall/internal/card"
)

type statusOptions struct {
	Deck string
	JSON bool
}

func newStatusCmd(env *Env) *cobra.Command {
	var opts statusOptions
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show what is new and due, deck by deck",
		Args:  usageArgs(noArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runStatus(cmd.Context(), env, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Deck, "deck", "", `only this deck and its subdecks, in any case; a subdeck ("QCon SF 2018::Containers") is counted alone`)
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

// deckStatusObject is a line of `status --json`.
type deckStatusObject struct {
	Deck        string `json:"deck"`
	New         int    `json:"new"`
	Learning    int    `json:"learning"`
	DueToday    int    `json:"due_today"`
	DueTomorrow int    `json:"due_tomorrow"`
	Total       int    `json:"total"`
	Suspended   int    `json:"suspended"`
	Orphans     int    `json:"orphans"`
}

func runStatus(ctx context.Context, env *Env, opts statusOptions) error {
	c, deck, err := openDeck(ctx, env, opts.Deck, true)
	if err != nil {
		return err
	}
	defer c.Close()
	st := c.Store
	opts.Deck = deck
	decks, err := st.StatusOf(ctx, opts.Deck)
	if errors.Is(err, card.ErrNotFound) && opts.Deck != "" {
		return c.NoDeck(ctx, opts.Deck)
	}
	if err != nil {
		return err
	}
	if opts.JSON {
		out := make([]deckStatusObject, len(decks))
		for i, d := range decks {
			out[i] = deckStatusObject(d)
		}
		return writeJSON(env.Stdout, out)
	}
	if len(decks) == 0 {
		fmt.Fprintln(env.Stdout, "the collection is empty: add notes with 'recall add NOTES.md'")
		return nil
	}
	tw, flush := table(env, "DECK\tNEW\tLEARNING\tDUE\tTOMORROW\tTOTAL\tSUSPENDED\tORPHANS")
	var sum card.DeckStatus
	for _, d := range decks {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", cell(d.Deck), d.New, d.Learning, d.DueToday, d.DueTomorrow, d.Total, d.Suspended, d.Orphans)
		sum.New += d.New
		sum.Learning += d.Learning
		sum.DueToday += d.DueToday
		sum.DueTomorrow += d.DueTomorrow
		sum.Total += d.Total
		sum.Suspended += d.Suspended
		sum.Orphans += d.Orphans
	}
	if len(decks) > 1 && env.StdoutTTY {
		fmt.Fprintf(tw, "all\t%d\t%d\t%d\t%d\t%d\t%d\t%d\n", sum.New, sum.Learning, sum.DueToday, sum.DueTomorrow, sum.Total, sum.Suspended, sum.Orphans)
	}
	return flush()
}
