package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/collection"
)

type syncOptions struct {
	Prune bool
	JSON  bool
}

func newSyncCmd(env *Env) *cobra.Command {
	var opts syncOptions
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "Re-read every remembered notes file and update the collection",
		Long: `Re-read every notes file added with 'recall add'. Files whose content is
unchanged are skipped. A file that has vanished is reported and left
alone: its cards stay as they are until you say --prune, which orphans
them (hidden from review, restorable, never deleted).

--json prints the totals and, for each file, its path, its status (synced,
unchanged, gone, emptied or failed) and what its sync did.`,
		Args: usageArgs(noArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSync(cmd.Context(), env, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print what was synced as JSON")
	cmd.Flags().BoolVar(&opts.Prune, "prune", false, "orphan the cards of notes files that no longer exist or give no cards")
	return cmd
}

func runSync(ctx context.Context, env *Env, opts syncOptions) error {
	env = withProgress(env)
	defer env.Progress.Done()
	c, err := openCollection(env)
	if err != nil {
		return err
	}
	defer c.Close()
	env.Progress.Start("syncing notes", 0)
	c.Progress = env.Progress.Update
	files, err := c.Sync(ctx, collection.SyncOptions{Prune: opts.Prune})
	env.Progress.Done()
	if errors.Is(err, collection.ErrNoSources) {
		return withHint(err, "add some first: recall add NOTES.md")
	}
	total, failed := reportSync(env, files, opts.Prune)
	if err != nil {
		return err
	}
	if opts.JSON {
		if err := writeJSON(env.Stdout, newSyncObject(total, files)); err != nil {
			return err
		}
	} else {
		fmt.Fprintf(env.Stdout, "%s (%d synced, %d unchanged)\n", totalsLine(total), total.Files, total.Skipped)
	}
	if failed {
		return silentError{exitFailure}
	}
	return nil
}

// reportSync says on stderr what a sync found about each file (gone,
// emptied, failed) and totals what it did; failed reports a file that
// could not be synced.
func reportSync(env *Env, files []collection.FileSync, prune bool) (total collection.Totals, failed bool) {
	for _, f := range files {
		switch {
		case f.Skipped:
			total.Skipped++
		case f.Gone && !prune:
			fmt.Fprintf(env.Stderr, "recall: warning: %s is gone; its cards are kept (recall sync --prune orphans them)\n", f.Path)
		case f.Gone:
			n := f.Result.Orphaned
			fmt.Fprintf(env.Stderr, "recall: %s is gone; orphaned its %d %s\n", f.Path, n, plural(n, "card", "cards"))
			total.Orphaned += n
		case f.Emptied > 0:
			fmt.Fprintf(env.Stderr, "recall: warning: %s gives no cards now; its %d %s kept (recall sync --prune orphans them)\n",
				f.Path, f.Emptied, plural(f.Emptied, "card is", "cards are"))
		case f.Err != nil:
			fmt.Fprintf(env.Stderr, "recall: %s\n", card.Printable(f.Err.Error()))
			failed = true
		default:
			total.Add(f.Result)
		}
	}
	return total, failed
}
