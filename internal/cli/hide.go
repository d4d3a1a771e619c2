package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/search"
	"github.com/recall-cli/recall/internal/store"
)

// newHideCmds makes suspend, unsuspend, bury and unbury, which differ
// only in the change they make.
func newHideCmds(env *Env) []*cobra.Command {
	type hideCmd struct {
		h           store.Hiding
		short, long string
	}
	var out []*cobra.Command
	for _, hc := range []hideCmd{
		{store.Suspend, "Keep cards out of review until you unsuspend them",
			"Suspend cards: they keep their schedule and history but no session shows\nthem until 'recall unsuspend'."},
		{store.Unsuspend, "Bring suspended cards back into review", "Unsuspend cards: they are due as their schedule says."},
		{store.BuryCards, "Keep cards out of review until tomorrow",
			"Bury cards: no session shows them until the next study day begins."},
		{store.Unbury, "Bring buried cards back today", "Unbury cards: a session may show them again today."},
	} {
		var asJSON bool
		cmd := &cobra.Command{
			Use:   string(hc.h) + " ID...|QUERY",
			Short: hc.short,
			Long: hc.long + `

Name the cards by id, or by a search as 'recall cards QUERY' takes it
(quote it as one argument or give its words).`,
			Example:           fmt.Sprintf("  recall %s 7e4e77a51c51\n  recall %s 'deck:\"QCon SF 2018::Containers\"'", hc.h, hc.h),
			Args:              usageArgs(atLeastOne("card id or a search")),
			Annotations:       map[string]string{searchAnnotation: "true"},
			ValidArgsFunction: completeCardIDs(env),
			RunE: func(cmd *cobra.Command, args []string) error {
				return runHide(cmd.Context(), env, hc.h, args, asJSON)
			},
		}
		cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
		out = append(out, cmd)
	}
	return out
}

// hideReport is what a hiding command says, text or JSON.
type hideReport struct {
	Query string `json:"query,omitempty"`
	store.Hidings
}

func runHide(ctx context.Context, env *Env, h store.Hiding, args []string, asJSON bool) error {
	c, err := openCollection(env)
	if err != nil {
		return err
	}
	defer c.Close()
	ids, query, err := cardArgs(ctx, c.Store, args)
	if err != nil {
		return err
	}
	res, err := c.Store.Hide(ctx, ids, h)
	if err != nil {
		return err
	}
	rep := hideReport{Query: query, Hidings: res}
	if asJSON {
		return writeJSON(env.Stdout, rep)
	}
	if query == "" {
		for _, id := range res.Changed {
			fmt.Fprintf(env.Stdout, "%s %s\n", h.Done(), id)
		}
	}
	if n := len(res.Unchanged); n > 0 {
		fmt.Fprintf(env.Stdout, "%d %s already %s: %s\n", n, plural(n, "card", "cards"), h.Done(), idList(res.Unchanged))
	}
	if n := len(res.Orphans); n > 0 {
		fmt.Fprintf(env.Stdout, "%d %s left alone: %s out of review already (%s)\n", n, plural(n, "orphan", "orphans"),
			plural(n, "it is", "they are"), idList(res.Orphans))
	}
	switch n := len(res.Changed); {
	case query != "":
		fmt.Fprintf(env.Stdout, "%s %d %s of %d matching %s\n", h.Done(), n, plural(n, "card", "cards"), len(ids), card.Printable(query))
	case n > 1:
		fmt.Fprintf(env.Stdout, "%s %d cards\n", h.Done(), n)
	}
	return nil
}

// idList shows a few card ids and how many more.
func idList(ids []string) string {
	const shown = 5
	if len(ids) <= shown {
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ids[:shown], ", "), len(ids)-shown)
}

// cardArgs reads the cards a command was given: card ids (or unique
// prefixes of them, as 'recall card' takes), or else the words of a
// search, whose matches they are, as 'recall cards' lists them. A search
// that finds nothing is an error naming it; so is an id that is no card's,
// when every argument looked like one.
func cardArgs(ctx context.Context, st *store.Store, args []string) (ids []string, query string, err error) {
	var idErr error
	for _, a := range args {
		if !looksLikeIDPrefix(a) {
			idErr = nil
			ids = nil
			break
		}
		e, err := findCard(ctx, st, a)
		if err != nil {
			if idErr == nil {
				idErr = err
			}
			continue
		}
		ids = append(ids, e.ID)
	}
	if ids != nil && idErr == nil {
		return ids, "", nil
	}
	query = strings.Join(args, " ")
	q, err := search.Parse(query)
	if err != nil {
		return nil, "", usageError{err}
	}
	found, err := st.Find(ctx, q)
	switch {
	case err != nil:
		return nil, "", err
	case len(found) == 0 && idErr != nil:
		return nil, "", idErr
	case len(found) == 0:
		return nil, "", fmt.Errorf("no cards match %s", query)
	}
	return found, query, nil
}

// looksLikeIDPrefix reports whether s could be a card id or a prefix of
// one long enough to be typed on purpose.
func looksLikeIDPrefix(s string) bool {
	if len(s) < minPrefix || len(s) > 12 {
		return false
	}
	return card.LooksLikeID(s + strings.Repeat("0", 12-len(s)))
}
