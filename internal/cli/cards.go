package cli

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/srs"
	"github.com/recall-cli/recall/internal/store"
)

type cardsOptions struct {
	Deck    string
	Due     bool
	Orphans bool
	JSON    bool
}

func newCardsCmd(env *Env) *cobra.Command {
	var opts cardsOptions
	cmd := &cobra.Command{
		Use:   "cards",
		Short: "List the cards in the collection with their schedule",
		Long: `List the cards in the collection. --json prints the same objects as
'recall generate --format json', plus "status" (new, learning, review,
suspended, buried, orphan) and "schedule" (reps, ef, interval, due,
lapses).`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runCards(cmd.Context(), env, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Deck, "deck", "", `only this deck and its subdecks, in any case ("QCon SF 2018::Containers")`)
	cmd.Flags().BoolVar(&opts.Due, "due", false, "only cards due today or earlier")
	cmd.Flags().BoolVar(&opts.Orphans, "orphans", false, "only orphans: cards whose notes are gone (restore with 'recall restore ID')")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

func runCards(ctx context.Context, env *Env, opts cardsOptions) error {
	c, deck, err := openDeck(ctx, env, opts.Deck, true)
	if err != nil {
		return err
	}
	defer c.Close()
	st := c.Store
	opts.Deck = deck
	entries, err := st.Cards(ctx, store.Filter{Deck: opts.Deck, Due: opts.Due, Orphans: opts.Orphans})
	if errors.Is(err, card.ErrNotFound) && opts.Deck != "" {
		return c.NoDeck(ctx, opts.Deck)
	}
	if err != nil {
		return err
	}
	if opts.JSON {
		out := make([]cardObject, len(entries))
		for i, e := range entries {
			out[i] = entryObject(e, env.Now())
		}
		return writeJSON(env.Stdout, out)
	}
	tw, flush := table(env, "ID\tSTATUS\tDUE\tIVL\tDECK\tFRONT")
	for _, e := range entries {
		due := "-"
		if !e.State.Due.IsZero() {
			due = e.State.Due.Format(dateLayout)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", e.ID, e.Status, due, e.State.Interval, cell(e.Deck), cell(firstLine(e.Front)))
	}
	return flush()
}

// dateLayout is how recall prints a day.
const dateLayout = "2006-01-02"

// round4 rounds to 4 decimal places, for JSON a person reads.
func round4(f float64) *float64 {
	r := math.Round(f*1e4) / 1e4
	return &r
}

func entryObject(e card.Entry, now time.Time) cardObject {
	o := newCardObject(e.Card)
	o.Status = e.Status
	o.Schedule = &scheduleObject{Scheduler: "sm2", Reps: e.State.Reps, EF: e.State.EF, Interval: e.State.Interval, Lapses: e.State.Lapses}
	if e.State.FSRS {
		o.Schedule.Scheduler = "fsrs"
	}
	if m := (srs.Memory{Stability: e.State.Stability, Difficulty: e.State.Difficulty}); !m.IsZero() {
		f := srs.FSRS{Retention: e.State.Retention}
		if e.State.Weights != nil {
			f.Weights = *e.State.Weights
		}
		r := f.Retrievability(m, float64(srs.ElapsedDays(e.State.Last, now, srs.DefaultRollover)))
		o.Schedule.Stability, o.Schedule.Difficulty, o.Schedule.Retrievability = round4(m.Stability), round4(m.Difficulty), round4(r)
	}
	if !e.State.Due.IsZero() {
		d := e.State.Due.Format(dateLayout)
		o.Schedule.Due = &d
	}
	return o
}

// cell makes a value fit a table row: printable (see card.Printable), and
// no tab inside it to split the row.
func cell(s string) string { return strings.ReplaceAll(card.Printable(s), "\t", " ") }

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i] + " …"
	}
	return s
}
