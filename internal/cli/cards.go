package cli

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/search"
	"github.com/recall-cli/recall/internal/srs"
	"github.com/recall-cli/recall/internal/store"
)

type cardsOptions struct {
	Query   string // the search, as typed
	Deck    string
	Due     bool
	Orphans bool
	JSON    bool
}

func newCardsCmd(env *Env) *cobra.Command {
	var opts cardsOptions
	cmd := &cobra.Command{
		Use:   "cards [QUERY]",
		Short: "List or search the cards in the collection with their schedule",
		Long: `List the cards in the collection, or those a search finds, with Anki's
search syntax (the words of QUERY are joined with spaces):

  etcd port          cards holding both words (front, back or breadcrumb)
  "exact phrase"     the words together; * in a word stands for any text
  deck:NAME          a deck and its subdecks ("deck:QCon SF 2018", deck:K8s*)
  tag:NAME           a tag and the tags inside it (tag:k8s for k8s::pods)
  is:STATE           new, learn, review, due, suspended, buried, orphan, leech
  prop:ivl>=10       interval in days; also due (days from today), ease,
                     lapses and reps, with = != < > <= >=
  rated:7 rated:1:1  answered in the last 7 days (today is 1), with a
                     button (1 again, 2 hard, 3 good, 4 easy)
  -is:new  a or b    negation; either term; (parentheses) group

Orphans are left out unless the search says is:orphan. --deck, --due and
--orphans narrow the search further.

--json prints the same objects as 'recall generate --format json', plus
"status" (new, learning, review, suspended, buried, orphan) and "schedule"
(reps, ef, interval, due, lapses).`,
		Example: `  recall cards deck:K8s is:due
  recall cards 'deck:"QCon SF 2018" -is:new'
  recall cards 'tag:leech or prop:lapses>=3'`,
		Args:        cobra.ArbitraryArgs,
		Annotations: map[string]string{searchAnnotation: "true"},
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Query = strings.Join(args, " ")
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
	q, err := search.Parse(opts.Query)
	if err != nil {
		return usageError{err}
	}
	asked := opts.asked()
	c, deck, err := openDeck(ctx, env, opts.Deck, true)
	if err != nil {
		return err
	}
	defer c.Close()
	st := c.Store
	opts.Deck = deck
	entries, err := st.Cards(ctx, store.Filter{Deck: opts.Deck, Due: opts.Due, Orphans: opts.Orphans, Query: q})
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
	fronts := frontLabels(entries)
	for i, e := range entries {
		due := "-"
		if !e.State.Due.IsZero() {
			due = e.State.Due.Format(dateLayout)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\t%s\n", e.ID, e.Status, due, e.State.Interval, cell(e.Deck), cell(fronts[i]))
	}
	if err := flush(); err != nil {
		return err
	}
	if len(entries) == 0 && asked != "" {
		fmt.Fprintf(env.Stderr, "no cards match %s\n", card.Printable(asked))
	}
	return nil
}

// asked is what the person asked for, as they typed it: the search and
// the flags that narrow it; "" for every card.
func (o cardsOptions) asked() string {
	var parts []string
	if strings.TrimSpace(o.Query) != "" {
		parts = append(parts, o.Query)
	}
	if o.Deck != "" {
		parts = append(parts, "--deck "+strconv.Quote(o.Deck))
	}
	if o.Due {
		parts = append(parts, "--due")
	}
	if o.Orphans {
		parts = append(parts, "--orphans")
	}
	return strings.Join(parts, " ")
}

// frontLabels are the FRONT cells of rows of cards: each front's first
// line, and for fronts that look alike, what tells them apart. First the
// fewest trailing levels of the breadcrumb that do ("Netflix › Takeaways");
// then, for those that share their breadcrumb too, which item a cloze
// hides, or else the line of the notes the card comes from.
func frontLabels(es []card.Entry) []string {
	labels := make([]string, len(es))
	for i, e := range es {
		labels[i] = firstLine(e.Front)
	}
	for _, group := range alike(labels) {
		k := crumbLevels(es, group)
		for _, i := range group {
			labels[i] = crumb(es[i].Context, k) + labels[i]
		}
	}
	for _, group := range alike(labels) {
		for _, i := range group {
			if n := hiddenItem(es[i]); n > 0 {
				labels[i] += fmt.Sprintf(" (item %d hidden)", n)
			} else {
				labels[i] += fmt.Sprintf(" (line %d)", es[i].Source.Line)
			}
		}
	}
	return labels
}

// alike groups the indexes of labels that appear more than once.
func alike(labels []string) [][]int {
	at := map[string][]int{}
	var order []string
	for i, l := range labels {
		if at[l] == nil {
			order = append(order, l)
		}
		at[l] = append(at[l], i)
	}
	var out [][]int
	for _, l := range order {
		if len(at[l]) > 1 {
			out = append(out, at[l])
		}
	}
	return out
}

// crumbLevels is how many trailing levels of their breadcrumbs tell the
// most of a group of cards apart, the fewest that do; 0 if none tells any.
func crumbLevels(es []card.Entry, group []int) int {
	most := 0
	for _, i := range group {
		most = max(most, len(es[i].Context))
	}
	best, bestDistinct := 0, 1
	for k := 1; k <= most; k++ {
		seen := map[string]bool{}
		for _, i := range group {
			seen[crumb(es[i].Context, k)] = true
		}
		if len(seen) > bestDistinct {
			best, bestDistinct = k, len(seen)
		}
		if bestDistinct == len(group) {
			break
		}
	}
	return best
}

// crumb is the last k levels of a breadcrumb, each followed by " › ".
func crumb(ctx []string, k int) string {
	if k == 0 {
		return ""
	}
	return strings.Join(ctx[max(0, len(ctx)-k):], " › ") + " › "
}

// hiddenItem is the number, from 1, of the list item whose text a cloze
// hides; 0 if the card is no cloze or hides no list item.
func hiddenItem(e card.Entry) int {
	if e.Kind != card.Cloze {
		return 0
	}
	n := 0
	for _, line := range strings.Split(e.Front, "\n") {
		if !isItem(strings.TrimSpace(line)) {
			continue
		}
		n++
		if strings.Contains(line, card.Gap) {
			return n
		}
	}
	return 0
}

// isItem reports whether a line of markdown starts a list item: "- ",
// "* ", "+ " or a number and "." or ")".
func isItem(line string) bool {
	if len(line) >= 2 && strings.ContainsRune("-*+", rune(line[0])) && line[1] == ' ' {
		return true
	}
	digits := len(line) - len(strings.TrimLeft(line, "0123456789"))
	rest := line[digits:]
	return digits > 0 && (strings.HasPrefix(rest, ". ") || strings.HasPrefix(rest, ") "))
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
