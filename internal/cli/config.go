package cli

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/collection"
	"github.com/recall-cli/recall/internal/store"
)

type configOptions struct {
	Deck      string // "" for the collection
	New       string // a number, "default" or "" (unchanged)
	Reviews   string
	Scheduler string  // sm2, fsrs or "" (unchanged)
	Retention float64 // FSRS's desired retention; 0 unchanged
	JSON      bool
}

// limitFlag reads the value of --new or --reviews: a number of cards (0
// is none) or "default", which clears what config set. It reports
// whether the flag changes anything.
func limitFlag(name, v string) (n *int, set bool, err error) {
	switch v {
	case "":
		return nil, false, nil
	case "default":
		return nil, true, nil
	}
	i, err := strconv.Atoi(v)
	if err != nil || i < 0 {
		return nil, false, usagef("--%s %s: want a number of cards a day, 0 or more, or \"default\"", name, v)
	}
	return card.PerDay(i), true, nil
}

func newConfigCmd(env *Env) *cobra.Command {
	var opts configOptions
	cmd := &cobra.Command{
		Use:   "config [DECK] [--new N] [--reviews N] [--scheduler sm2|fsrs] [--retention R]",
		Short: "Show or set the daily limits and the scheduler of a deck or of the collection",
		Long: `Show or set how many new cards a day recall introduces and how many
reviews a day it shows: of DECK, or without DECK of the whole collection.
0 means none (--new 0 pauses new cards); "default" clears what config
set.

A deck's limit is the first of these that is set:

  1. what 'recall config DECK' set;
  2. new: and reviews: in the front matter of its notes (of the file
     synced last that says, if several make the deck);
  3. what 'recall config' set for the collection;
  4. the default: 20 new cards and 200 reviews a day.

So a limit set with recall config wins over front matter, at every sync,
until 'recall config DECK --new default' hands it back.

The collection's limit also caps a session of every deck, counted over
all of them (as an Anki parent deck's does): with 'recall config --new
10', a review of all decks shows at most 10 new cards a day in all.
Likewise a review of a deck that holds decks of its own ('review --deck
Conf' over "Conf::Day 1" and "Conf::Day 2") is capped by that deck's
limit. A subdeck made by a heading shares its deck's limits.

--scheduler chooses how cards are scheduled: sm2 (SM-2, the default) or
fsrs (FSRS-6 with its published weights, or those recall optimize
fitted, aiming at --retention, 0.9 by default: the probability of
recalling a card when it comes due). As with limits, what recall config
set for a deck wins over its notes' front matter (scheduler: fsrs), which
wins over the collection's. Switching to FSRS loses nothing:
each card's memory state is derived from its review log (or, without
one, from SM-2's interval and ease, as Anki does), and SM-2's state is
kept, so switching back finds it.`,
		Example: `  recall config "QCon SF 2018" --new 10
  recall config "QCon SF 2018" --new 0          # pause new cards
  recall config "QCon SF 2018" --new default    # back to front matter or the collection's
  recall config --new 15 --reviews 150          # the collection's
  recall config "QCon SF 2018"`,
		Args:              usageArgs(atMostOne("a deck")),
		ValidArgsFunction: completeArgs(completeDecks(env)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Deck = args[0]
				if opts.Deck == "" {
					return usagef("DECK is empty; leave it out for the collection's limits")
				}
			}
			return runConfig(cmd.Context(), env, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the settings as JSON")
	cmd.Flags().StringVar(&opts.New, "new", "", `new cards a day: a number (0: none) or "default"`)
	cmd.Flags().StringVar(&opts.Reviews, "reviews", "", `reviews a day: a number (0: none) or "default"`)
	cmd.Flags().StringVar(&opts.Scheduler, "scheduler", "", "sm2 or fsrs")
	cmd.Flags().Float64Var(&opts.Retention, "retention", 0, "FSRS's desired retention, between 0 and 1 (default 0.9)")
	return cmd
}

func runConfig(ctx context.Context, env *Env, opts configOptions) error {
	newN, setNew, err := limitFlag("new", opts.New)
	if err != nil {
		return err
	}
	revN, setRev, err := limitFlag("reviews", opts.Reviews)
	if err != nil {
		return err
	}
	if opts.Scheduler != "" && opts.Scheduler != "sm2" && opts.Scheduler != "fsrs" {
		return usagef("--scheduler %s: want sm2 or fsrs", opts.Scheduler)
	}
	if opts.Retention != 0 && (opts.Retention <= 0 || opts.Retention >= 1) {
		return usagef("--retention %v: want a probability between 0 and 1, such as 0.9", opts.Retention)
	}
	c, err := openCollection(env)
	if err != nil {
		return err
	}
	defer c.Close()
	st := c.Store
	var l card.Limits
	if opts.Deck == "" {
		if l, err = st.CollectionLimits(ctx); err != nil {
			return err
		}
	} else {
		d, err := configDeck(ctx, c, opts.Deck)
		if err != nil {
			return err
		}
		opts.Deck, l = d.Name, d.Config
	}
	if setNew {
		l.New = newN
	}
	if setRev {
		l.Reviews = revN
	}
	if setNew || setRev {
		if err := st.SetLimits(ctx, opts.Deck, l); err != nil {
			return err
		}
	}
	if opts.Scheduler != "" || opts.Retention != 0 {
		if err := st.SetScheduling(ctx, opts.Deck, opts.Scheduler, opts.Retention); err != nil {
			return err
		}
	}
	sc, err := st.SchedulingOf(ctx, opts.Deck)
	if err != nil {
		return err
	}
	o := configObject{Deck: opts.Deck, Scheduler: sc.Name()}
	if sc.FSRS {
		o.Retention = &sc.Retention
	}
	if opts.Deck == "" {
		o.New, o.Reviews = collectionLimit(l.New, store.DefaultNewLimit), collectionLimit(l.Reviews, store.DefaultReviewLimit)
	} else {
		d, err := configDeck(ctx, c, opts.Deck)
		if err != nil {
			return err
		}
		o.New, o.Reviews = d.New, d.Reviews
	}
	if opts.JSON {
		return writeJSON(env.Stdout, o.json())
	}
	name := "collection"
	if opts.Deck != "" {
		name = card.Printable(opts.Deck)
	}
	// The scheduler is said when it was just set or is not SM-2, the
	// default.
	switch {
	case sc.FSRS:
		fmt.Fprintf(env.Stdout, "%s: scheduler fsrs, desired retention %.2f\n", name, sc.Retention)
	case opts.Scheduler != "" || opts.Retention != 0:
		fmt.Fprintf(env.Stdout, "%s: scheduler sm2\n", name)
	}
	fmt.Fprintf(env.Stdout, "%s: %s and %s\n", name, limitPhrase(o.New, "new card", "new cards"), limitPhrase(o.Reviews, "review", "reviews"))
	return nil
}

// configObject is the settings config shows of a deck, or of the
// collection when Deck is "".
type configObject struct {
	Deck         string
	New, Reviews store.Limit
	Scheduler    string
	Retention    *float64
}

// limitJSON is a limit as config --json shows it: "20 new cards a day
// (default)" is {"per_day": 20, "from": "default"}.
type limitJSON struct {
	PerDay int    `json:"per_day"`
	From   string `json:"from"`
}

func (o configObject) json() any {
	var deck *string
	if o.Deck != "" {
		deck = &o.Deck
	}
	return struct {
		Deck      *string   `json:"deck"` // null for the collection
		New       limitJSON `json:"new"`
		Reviews   limitJSON `json:"reviews"`
		Scheduler string    `json:"scheduler"`
		Retention *float64  `json:"retention,omitempty"` // FSRS's desired retention
	}{
		Deck:      deck,
		New:       limitJSON{o.New.N, string(o.New.From)},
		Reviews:   limitJSON{o.Reviews.N, string(o.Reviews.From)},
		Scheduler: o.Scheduler,
		Retention: o.Retention,
	}
}

// configDeck finds the deck whose limits config shows or sets.
func configDeck(ctx context.Context, c *collection.Collection, name string) (store.Deck, error) {
	decks, err := c.Store.Decks(ctx)
	if err != nil {
		return store.Deck{}, err
	}
	for _, d := range decks {
		if d.Name == name {
			return d, nil
		}
	}
	// Ignoring case, the deck or the subdeck of one (whose limits are the
	// deck's).
	spelled, err := c.Deck(ctx, name)
	if err != nil {
		return store.Deck{}, err
	}
	for _, d := range decks {
		if strings.EqualFold(d.Name, name) {
			return d, nil
		}
	}
	for _, d := range decks {
		for _, s := range d.Subdecks {
			if s.Name == spelled {
				return store.Deck{}, withHint(fmt.Errorf("%q is a subdeck of %q, whose limits it shares", spelled, d.Name),
					fmt.Sprintf("recall config %q sets them", d.Name))
			}
		}
	}
	return store.Deck{}, withHint(fmt.Errorf("%q holds decks (%s…) but is not one: limits are set per deck", spelled, spelled+card.DeckSep),
		"'recall decks' lists them")
}

// limitPhrase says a limit in force and where it comes from: "20 new
// cards a day (default)".
func limitPhrase(l store.Limit, one, many string) string {
	return fmt.Sprintf("%d %s a day (%s)", l.N, plural(l.N, one, many), l.From)
}

// collectionLimit is a limit of the collection as it stands: what config
// set, or the default.
func collectionLimit(n *int, def int) store.Limit {
	if n == nil {
		return store.Limit{N: def, From: store.FromDefault}
	}
	return store.Limit{N: *n, From: store.FromConfig}
}
