package cli

import (
	"bufio"
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/store"
)

type removeOptions struct {
	Yes    bool
	DryRun bool
	JSON   bool
}

func newRemoveCmd(env *Env) *cobra.Command {
	var opts removeOptions
	cmd := &cobra.Command{
		Use:   "remove DECK|FILE...",
		Short: "Take a deck or a notes file's cards out of the collection",
		Long: `Remove the cards of a deck (with its subdecks) or of a notes file from the
collection, with their schedules, review log and revisions. A notes file
removed is no longer synced; a shipped deck removed does not come back.
Your notes are not touched: 'recall add FILE' brings the cards back, new.

recall asks before it removes anything (--yes answers for scripts) and
copies the collection beside itself first, keeping the last three copies
(COLLECTION.bak-DATE-TIME). A subdeck that is part of a notes file cannot
be removed alone: the next sync would bring it back; take the section out
of the notes instead.`,
		Example: `  recall remove "QCon SF 2018"
  recall remove notes/kubecon.md --yes
  recall remove --dry-run notes/`,
		Args:              usageArgs(atLeastOne("deck or notes file")),
		ValidArgsFunction: completeDecksOrFiles(env),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRemove(cmd.Context(), env, args, opts)
		},
	}
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "remove without asking")
	cmd.Flags().BoolVarP(&opts.DryRun, "dry-run", "n", false, "say what would be removed and change nothing")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print JSON")
	return cmd
}

// removeReport is what remove says it did, text or JSON.
type removeReport struct {
	Removed []string `json:"removed"` // what was named: deck "X" or a file
	store.Removal
	DryRun bool   `json:"dry_run,omitempty"`
	Backup string `json:"backup,omitempty"`
}

func runRemove(ctx context.Context, env *Env, names []string, opts removeOptions) error {
	c, err := openCollection(env)
	if err != nil {
		return err
	}
	defer c.Close()
	targets, err := c.Targets(ctx, names)
	if err != nil {
		return err
	}
	plan, err := c.Store.PlanRemove(ctx, targets)
	if err != nil {
		return err
	}
	rep := removeReport{Removal: plan, DryRun: opts.DryRun}
	for _, t := range targets {
		rep.Removed = append(rep.Removed, t.String())
	}
	if plan.Empty() {
		return fmt.Errorf("nothing to remove: %s %s no cards in the collection", strings.Join(rep.Removed, ", "), plural(len(targets), "has", "have"))
	}
	if opts.DryRun {
		return printRemoval(env, rep, opts.JSON)
	}
	if !opts.Yes {
		if !env.StdinTTY {
			return usagef("not asking without a terminal; add --yes to remove %s", removalSummary(rep))
		}
		ok, err := confirm(env, fmt.Sprintf("Remove %s? Your notes stay as they are. [y/N] ", removalSummary(rep)))
		if err != nil || !ok {
			if err == nil {
				fmt.Fprintln(env.Stderr, "recall: nothing removed")
			}
			return err
		}
	}
	if rep.Backup, err = c.Store.BackupBeforeRemove(ctx); err != nil {
		return err
	}
	if rep.Removal, err = c.Store.Remove(ctx, targets); err != nil {
		return err
	}
	return printRemoval(env, rep, opts.JSON)
}

// removalSummary says in a phrase what a removal takes out.
func removalSummary(r removeReport) string {
	return fmt.Sprintf("%s: %d %s, %d %s", strings.Join(r.Removed, ", "),
		r.Cards, plural(r.Cards, "card", "cards"), r.Reviews, plural(r.Reviews, "review", "reviews"))
}

func printRemoval(env *Env, r removeReport, asJSON bool) error {
	if asJSON {
		return writeJSON(env.Stdout, r)
	}
	verb := "removed"
	if r.DryRun {
		verb = "would remove"
	}
	fmt.Fprintf(env.Stdout, "%s %s, %d %s\n", verb, removalSummary(r), r.Revisions, plural(r.Revisions, "revision", "revisions"))
	for _, s := range r.Sources {
		fmt.Fprintf(env.Stdout, "  forgot %s\n", card.Printable(shownSource(s)))
	}
	for _, d := range r.Decks {
		fmt.Fprintf(env.Stdout, "  deck %q is gone\n", card.Printable(d))
	}
	if r.Backup != "" {
		fmt.Fprintf(env.Stdout, "backup: %s (the last %d are kept)\n", r.Backup, 3)
	}
	return nil
}

// shownSource names a remembered source for a person: a file's path, or
// the shipped deck's own name for one carried in recall.
func shownSource(s string) string {
	if name, ok := strings.CutPrefix(s, store.ShippedPrefix); ok {
		return "shipped deck " + name + " (it will not come back)"
	}
	return s
}

// confirm asks a yes-or-no question on the terminal; anything but y or
// yes is no.
func confirm(env *Env, question string) (bool, error) {
	fmt.Fprint(env.Stderr, question)
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	if err != nil && line == "" {
		fmt.Fprintln(env.Stderr)
		return false, nil
	}
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "y", "yes":
		return true, nil
	}
	return false, nil
}
