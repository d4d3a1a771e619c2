package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/recall-cli/recall/internal/store"
)

type syncOptions struct {
	Prune bool
}

func newSyncCmd(env *Env) *cobra.Command {
	var opts syncOptions
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "Re-read every remembered notes file and update the collection",
		Long: `Re-read every notes file added with 'recall add'. Files whose content is
unchanged are skipped. A file that has vanished is reported and left
alone: its cards stay as they are until you say --prune, which orphans
them (hidden from review, restorable, never deleted).`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runSync(cmd.Context(), env, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.Prune, "prune", false, "orphan the cards of notes files that no longer exist")
	return cmd
}

func runSync(ctx context.Context, env *Env, opts syncOptions) error {
	st, err := openStore(env)
	if err != nil {
		return err
	}
	defer st.Close()
	sources, err := st.Sources(ctx)
	if err != nil {
		return err
	}
	if len(sources) == 0 {
		return withHint(errors.New("no notes to sync"), "add some first: recall add NOTES.md")
	}
	var total syncTotals
	failed := false
	for _, src := range sources {
		if isShipped(src.Path) {
			// A newer recall may ship a newer deck: sync it like a file.
			data, ok := shippedData(src.Path)
			if !ok || contentHash(data) == src.Hash {
				total.Skipped++
				continue
			}
			res, _, err := syncShipped(ctx, st, src.Path, data)
			if err != nil {
				return err
			}
			total.add(res)
			continue
		}
		data, err := os.ReadFile(src.Path)
		if errors.Is(err, fs.ErrNotExist) {
			if !opts.Prune {
				fmt.Fprintf(env.Stderr, "recall: warning: %s is gone; its cards are kept (recall sync --prune orphans them)\n", src.Path)
				continue
			}
			n, err := st.Prune(ctx, src.Path)
			if err != nil {
				return err
			}
			fmt.Fprintf(env.Stderr, "recall: %s is gone; orphaned its %d %s\n", src.Path, n, plural(n, "card", "cards"))
			total.Orphaned += n
			continue
		}
		if err == nil && contentHash(data) == src.Hash {
			total.Skipped++
			continue
		}
		if err != nil {
			fmt.Fprintf(env.Stderr, "recall: %v\n", pathError(src.Path, err))
			failed = true
			continue
		}
		// Parse what was read for the hash rather than read it again.
		f, source, err := parseSource(src.Path, data, src.DeckOverride, fileTime(src.Path))
		var res store.SyncResult
		if err == nil {
			res, err = syncSource(ctx, st, f, source)
		}
		if err != nil {
			fmt.Fprintf(env.Stderr, "recall: %v\n", err)
			failed = true
			continue
		}
		total.add(res)
	}
	fmt.Fprintf(env.Stdout, "%s (%d synced, %d unchanged)\n", total, total.Files, total.Skipped)
	if failed {
		return silentError{exitFailure}
	}
	return nil
}
