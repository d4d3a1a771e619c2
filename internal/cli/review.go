package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/collection"
	"github.com/recall-cli/recall/internal/review"
	"github.com/recall-cli/recall/internal/store"
)

type reviewOptions struct {
	Deck   string
	New    int
	Limit  int
	Plain  bool
	Grades string
	JSON   bool
	NoSync bool

	// newSet and limitSet say the flags were given: without them the
	// decks' own limits hold.
	newSet, limitSet bool
}

func (o reviewOptions) validate() error {
	if o.New < 0 || o.Limit < 0 {
		return usagef("--new and --limit take a number of cards, 0 or more")
	}
	_, err := review.ParseScale(o.Grades)
	if err != nil {
		return usagef("--%v", err)
	}
	return nil
}

func newReviewCmd(env *Env) *cobra.Command {
	var opts reviewOptions
	cmd := &cobra.Command{
		Use:   "review",
		Short: "Study today's cards",
		Long: `Study the cards due today and some new ones, the way Anki's reviewer does,
in the terminal. Every answer is saved before the next card shows: quit
whenever you like.

Keys: space or enter shows the answer; 1 again, 2 hard, 3 good, 4 easy
(each shows the interval it would give and, where intervals tie, how it
would move the card's ease); u undo (on the summary too); b bury until
tomorrow; s suspend; e edit the card's notes in $EDITOR (the card shows
its new text at once); j/k, arrows, PgUp/PgDn scroll a long card; ? help;
q quit.

Cards you grade below good come back a minute later (hard while they are
learning: ten), in this session or the next the same day, until you get
them (SM-2's rule 7, in Anki's learning steps). Once a card is shown, the
others of its list or note wait until tomorrow (Anki's "bury siblings").

Daily limits: 20 new cards and 200 reviews per deck by default, set with
'recall config' (which wins) or front matter (new:, reviews:); 'recall
config --help' tells which applies. --new N and --limit N replace them
for this session: at most N of that kind today, in all the decks
studied; 0 means none (the cards in today's learning steps still come).

--deck takes a deck and its subdecks, "QCon SF 2018" or one heading's
"QCon SF 2018::Containers", in any case.

Without a terminal (or with --plain) the session is a line protocol: the
question is printed, any line shows the answer, and a grade line answers
(again|hard|good|easy, a|h|g|e or 1-4; 0-5 with --grades 0-5). End of
input ends the session; nothing is graded by default.

Before it starts, review syncs the notes files whose content changed since
they were last synced (as 'recall sync' does, saying what changed on
stderr), so editing your notes and running 'recall review' is all a day
takes; --no-sync skips that.

On an empty collection, review loads the decks shipped with recall.`,
		Args: usageArgs(noArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.newSet = cmd.Flags().Changed("new")
			opts.limitSet = cmd.Flags().Changed("limit")
			if err := opts.validate(); err != nil {
				return err
			}
			return runReview(cmd.Context(), env, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Deck, "deck", "", "study only this deck (and its subdecks)")
	f.IntVar(&opts.New, "new", 0, "new cards today in all, this session only; 0 for none (default: the decks' limits)")
	f.IntVar(&opts.Limit, "limit", 0, "reviews today in all, this session only; 0 for none (default: the decks' limits)")
	f.BoolVar(&opts.Plain, "plain", false, "line protocol instead of the full-screen session")
	f.StringVar(&opts.Grades, "grades", "buttons", `"buttons" (again/hard/good/easy) or "0-5" (SM-2 qualities)`)
	f.BoolVar(&opts.JSON, "json", false, "line protocol on stderr, then the session summary as JSON on stdout")
	f.BoolVar(&opts.NoSync, "no-sync", false, "do not sync changed notes files first")
	return cmd
}

func runReview(ctx context.Context, env *Env, opts reviewOptions) error {
	c, err := openCollection(env)
	if err != nil {
		return err
	}
	defer c.Close()
	st := c.Store
	loaded, err := c.LoadShipped(ctx)
	if err != nil {
		return err
	}
	if len(loaded) > 0 {
		names := make([]string, len(loaded))
		for i, l := range loaded {
			names[i] = fmt.Sprintf("%s (%d cards)", l.Deck, l.Cards)
		}
		fmt.Fprintf(env.Stderr, "recall: the collection is empty, so recall loaded its shipped decks: %s\n", strings.Join(names, ", "))
		fmt.Fprintf(env.Stderr, "hint: recall remove %q takes one out for good; recall add NOTES brings in your own\n", loaded[0].Deck)
	} else if !opts.NoSync {
		if err := syncBeforeReview(ctx, env, c); err != nil {
			return err
		}
	}
	if opts.Deck != "" {
		if opts.Deck, err = c.Deck(ctx, opts.Deck); err != nil {
			return err
		}
	}
	q := store.QueueOptions{Deck: opts.Deck}
	if opts.newSet {
		q.NewLimit = &opts.New
	}
	if opts.limitSet {
		q.ReviewLimit = &opts.Limit
	}
	due, fresh, err := st.Queue(ctx, q)
	if errors.Is(err, card.ErrNotFound) && opts.Deck != "" {
		return c.NoDeck(ctx, opts.Deck)
	}
	if err != nil {
		return err
	}
	if len(due)+len(fresh) == 0 {
		return nothingDue(ctx, env, st, opts)
	}
	terminal := !opts.Plain && !opts.JSON && env.StdinTTY && env.StdoutTTY
	if terminal && opts.Deck == "" {
		deck, err := review.ChooseDeck(due, fresh, review.TUIOptions{In: env.Stdin, Out: env.Stdout, Color: env.Color})
		if errors.Is(err, review.ErrAborted) {
			return silentError{exitInterrupted}
		}
		if err != nil {
			return err
		}
		if deck != "" {
			opts.Deck = deck
			due, fresh = review.InDeck(due, deck), review.InDeck(fresh, deck)
		}
	}
	scale, _ := review.ParseScale(opts.Grades)
	sess := review.New(st, due, fresh, env.Now, review.Options{Grades: scale, Deck: opts.Deck})

	if !terminal {
		out := env.Stdout
		if opts.JSON {
			// The conversation goes to stderr so stdout holds only JSON.
			out = env.Stderr
		}
		sum, err := review.RunPlain(ctx, sess, env.Stdin, out)
		if !opts.JSON || err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
		// Interrupted, the summary of what was saved is still the answer
		// a script waits for.
		if werr := writeJSON(env.Stdout, sum); werr != nil {
			return werr
		}
		return err
	}
	_, err = review.RunTUI(ctx, sess, review.TUIOptions{
		In: env.Stdin, Out: env.Stdout, Color: env.Color,
		Edit: editorCommand(env),
		AfterEdit: func(file string) error {
			_, err := c.Resync(ctx, file)
			return err
		},
	})
	return err
}

// nothingDue says so, with when the next card is due and how many new
// cards wait behind the daily limit.
func nothingDue(ctx context.Context, env *Env, st *store.Store, opts reviewOptions) error {
	next, err := st.NextDue(ctx, opts.Deck)
	if err != nil {
		return err
	}
	waiting, dueNow := 0, 0
	decks, err := st.StatusOf(ctx, opts.Deck)
	if err != nil {
		return err
	}
	for _, d := range decks {
		waiting += d.New
		dueNow += d.DueToday
	}
	in := ""
	if opts.Deck != "" {
		in = " in " + opts.Deck
	}
	var msg string
	if opts.limitSet && opts.Limit == 0 && dueNow > 0 {
		// --limit 0 held back what is due: say so rather than "nothing due".
		msg = fmt.Sprintf("No reviews this session (--limit 0); %d %s due today%s.", dueNow, plural(dueNow, "card is", "cards are"), in)
	} else {
		msg = "Nothing due" + in + " today."
		if !next.IsZero() {
			msg += " Next card due " + dayName(next, st.Today()) + "."
		}
	}
	paused := false
	if waiting > 0 && !opts.newSet {
		if paused, err = newPaused(ctx, st, opts.Deck); err != nil {
			return err
		}
	}
	switch {
	case waiting > 0 && opts.newSet && opts.New == 0:
		msg += fmt.Sprintf(" %d new %s waiting (--new 0 left them out).", waiting, plural(waiting, "card", "cards"))
	case paused:
		msg += fmt.Sprintf(" %d new %s waiting (the new-card limit is 0; 'recall config' shows it).", waiting, plural(waiting, "card", "cards"))
	case waiting > 0:
		msg += fmt.Sprintf(" %d new %s waiting (today's new-card limit is reached; --new N studies more).", waiting, plural(waiting, "card", "cards"))
	}
	fmt.Fprintln(env.Stdout, msg)
	return nil
}

// newPaused reports whether a new-card limit of 0 holds for a session of
// deck ("" for every deck): the collection's, the deck's itself, or that
// of every deck it draws from.
func newPaused(ctx context.Context, st *store.Store, deck string) (bool, error) {
	if deck == "" {
		coll, err := st.CollectionLimits(ctx)
		if err != nil || coll.New != nil && *coll.New == 0 {
			return err == nil, err
		}
	}
	decks, err := st.DecksIn(ctx, deck)
	if err != nil {
		return false, err
	}
	paused := true
	for _, d := range decks {
		if d.Name == deck && d.New.N == 0 {
			return true, nil
		}
		paused = paused && d.New.N == 0
	}
	return paused, nil
}

// dayName says a day the way a person would: tomorrow, or the date and
// how far off it is.
func dayName(day, today time.Time) string {
	n := int(day.Sub(today).Hours()/24 + 0.5)
	if n == 1 {
		return "tomorrow (" + day.Format(dateLayout) + ")"
	}
	return fmt.Sprintf("on %s, in %d days", day.Format(dateLayout), n)
}

// syncBeforeReview brings the notes files changed since their last sync
// into the collection, so that the session studies what the notes say
// today. Unchanged files cost a read and a hash. A file that cannot be
// synced is reported and keeps its cards; the session goes on.
func syncBeforeReview(ctx context.Context, env *Env, c *collection.Collection) error {
	files, err := c.Sync(ctx, collection.SyncOptions{})
	if errors.Is(err, collection.ErrNoSources) {
		return nil
	}
	total, _ := reportSync(env, files, false)
	if err != nil {
		return err
	}
	if total.Files > 0 {
		fmt.Fprintf(env.Stderr, "recall: synced %d changed notes %s: %s\n", total.Files, plural(total.Files, "file", "files"), totalsLine(total))
	}
	return nil
}
