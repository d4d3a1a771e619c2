package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/recall-cli/recall/internal/collection"
	"github.com/recall-cli/recall/internal/disk"
)

type addOptions struct {
	Paths []string
	Deck  string
	JSON  bool
}

func newAddCmd(env *Env) *cobra.Command {
	var opts addOptions
	cmd := &cobra.Command{
		Use:   "add FILE|DIR...",
		Short: "Add notes to the collection and remember them for sync",
		Long: `Parse notes and bring their cards into the collection. recall remembers
each file, so a later 'recall sync' picks up your edits. Editing a card
keeps its history; a card removed from the notes becomes an orphan,
hidden from review but never deleted.`,
		Example: `  recall add notes/qcon-sf-2018.md
  recall add notes/ --deck "Conferences"`,
		Args: usageArgs(atLeastOne("notes file or folder")),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			return runAdd(cmd.Context(), env, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Deck, "deck", "", "deck for every card (default: front matter, first heading or file name)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print what was added as JSON")
	return cmd
}

func runAdd(ctx context.Context, env *Env, opts addOptions) error {
	env = withProgress(env)
	defer env.Progress.Done()
	paths, skipped, errs := expandPaths(opts.Paths)
	warnSkipped(env, skipped)
	printErrors(env, errs)
	failed := len(errs)
	// Read everything before opening the collection: one bad input and
	// nothing is added, so the collection is untouched (not even created)
	// and the same command can simply be run again once it is fixed.
	var read []collection.Notes
	env.Progress.Start("reading notes", len(paths))
	for _, p := range paths {
		n, err := collection.ReadForAdd(disk.OS{}, p, opts.Deck)
		env.Progress.Add(1)
		if err != nil {
			fmt.Fprintf(env.Stderr, "recall: %v\n", err)
			failed++
			continue
		}
		if !n.Deferred() {
			warnNoCards(env, n)
		}
		read = append(read, n)
	}
	if failed > 0 {
		if len(read) > 0 {
			fmt.Fprintf(env.Stderr, "recall: nothing added: %d of %d %s failed; fix %s and add again\n",
				failed, failed+len(read), plural(failed+len(read), "input", "inputs"), plural(failed, "it", "them"))
		}
		return silentError{exitFailure}
	}
	if len(read) == 0 {
		return silentError{exitFailure}
	}
	c, err := openCollection(env)
	if err != nil {
		return err
	}
	defer c.Close()
	env.Progress.Start("adding notes (lines)", 0)
	c.Progress = env.Progress.Update
	var total collection.Totals
	var files []collection.FileSync
	c.AddEach(ctx, read, func(f collection.FileSync) {
		if f.Err != nil {
			errs = append(errs, f.Err)
		} else {
			total.Add(f.Result)
		}
		files = append(files, f)
	})
	env.Progress.Done()
	printErrors(env, errs)
	switch {
	case opts.JSON:
		if err := writeJSON(env.Stdout, newSyncObject(total, files)); err != nil {
			return err
		}
	case total.Files > 0:
		fmt.Fprintf(env.Stdout, "%s (%d %s)\n", totalsLine(total), total.Files, plural(total.Files, "file", "files"))
	}
	if len(errs) > 0 {
		return silentError{exitFailure}
	}
	return nil
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
