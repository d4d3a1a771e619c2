package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
)

type decksOptions struct {
	JSON bool
}

func newDecksCmd(env *Env) *cobra.Command {
	var opts decksOptions
	cmd := &cobra.Command{
		Use:   "decks",
		Short: "List the decks in the collection, their subdecks and limits",
		Long: `List the decks in the collection with their cards and daily limits:
each limit in force, and where it comes from (config, front matter,
collection or default; see 'recall config --help').

Under each deck come its subdecks, one per heading below its notes'
title, named as the Anki export names them ("QCon SF 2018::Containers"):
'recall review --deck', 'cards --deck', 'status --deck' and 'export
--deck' take them, in any case. A subdeck shares its deck's limits.`,
		Args: usageArgs(noArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runDecks(cmd.Context(), env, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

// deckObject is an element of `decks --json`: each limit in force, and
// where it comes from ("config", "front matter", "collection" or
// "default"; see 'recall config --help').
type deckObject struct {
	Name            string          `json:"name"`
	Cards           int             `json:"cards"`
	NewLimit        int             `json:"new_per_day"`
	NewFrom         string          `json:"new_per_day_from"`
	ReviewLimit     int             `json:"reviews_per_day"`
	ReviewLimitFrom string          `json:"reviews_per_day_from"`
	Subdecks        []subdeckObject `json:"subdecks"`
}

// subdeckObject is a subdeck in `decks --json`.
type subdeckObject struct {
	Name  string `json:"name"`
	Cards int    `json:"cards"`
}

func runDecks(ctx context.Context, env *Env, opts decksOptions) error {
	c, err := openForReading(env)
	if err != nil {
		return err
	}
	defer c.Close()
	st := c.Store
	decks, err := st.Decks(ctx)
	if err != nil {
		return err
	}
	out := make([]deckObject, len(decks))
	for i, d := range decks {
		out[i] = deckObject{Name: d.Name, Cards: d.Cards,
			NewLimit: d.New.N, NewFrom: string(d.New.From), ReviewLimit: d.Reviews.N, ReviewLimitFrom: string(d.Reviews.From),
			Subdecks: []subdeckObject{}}
		for _, s := range d.Subdecks {
			out[i].Subdecks = append(out[i].Subdecks, subdeckObject(s))
		}
	}
	if opts.JSON {
		return writeJSON(env.Stdout, out)
	}
	tw, flush := table(env, "DECK\tCARDS\tNEW/DAY\tREVIEWS/DAY")
	for _, d := range out {
		fmt.Fprintf(tw, "%s\t%d\t%d (%s)\t%d (%s)\n", cell(d.Name), d.Cards, d.NewLimit, d.NewFrom, d.ReviewLimit, d.ReviewLimitFrom)
		for _, s := range d.Subdecks {
			fmt.Fprintf(tw, "%s\t%d\t-\t-\n", cell(s.Name), s.Cards)
		}
	}
	return flush()
}
