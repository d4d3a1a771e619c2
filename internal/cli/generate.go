package cli

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/collection"
	"github.com/recall-cli/recall/internal/disk"
	"github.com/recall-cli/recall/internal/notes"
)

type generateOptions struct {
	Paths  []string
	Deck   string
	Format string
	Output string
}

func (o generateOptions) validate() error {
	switch o.Format {
	case "text", "json", "tsv", "md":
	default:
		return usagef("--format %q: want text, json, tsv or md", o.Format)
	}
	return nil
}

func newGenerateCmd(env *Env) *cobra.Command {
	var opts generateOptions
	cmd := &cobra.Command{
		Use:   "generate FILE|DIR...",
		Short: "Print the cards your notes give, touching no collection",
		Long: `Parse notes (markdown, plain text or org) and print the cards they give.
Directories are walked for .md, .markdown, .txt and .org files. Nothing
is written to the collection; ids are deterministic, so the output diffs
cleanly between runs.

Formats: text (readable, grouped by breadcrumb), json (one array; the
contract scripts rely on), tsv (front, back, tags: Anki's text import),
md (a recall deck file that gives the same cards again).`,
		Example: `  recall generate notes/qcon-sf-2018.txt
  recall generate notes/ --format json > cards.json`,
		Args: usageArgs(atLeastOne("notes file or folder")),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			if err := opts.validate(); err != nil {
				return err
			}
			return runGenerate(cmd.Context(), env, opts)
		},
	}
	cmd.Flags().StringVar(&opts.Deck, "deck", "", "deck name for every card (default: front matter, first heading or file name)")
	cmd.Flags().StringVarP(&opts.Format, "format", "f", "text", "output format: text, json, tsv or md")
	cmd.Flags().StringVarP(&opts.Output, "output", "o", "", "write to this file instead of standard output")
	_ = cmd.RegisterFlagCompletionFunc("format", cobra.FixedCompletions([]string{"text", "json", "tsv", "md"}, cobra.ShellCompDirectiveNoFileComp))
	return cmd
}

func runGenerate(_ context.Context, env *Env, opts generateOptions) error {
	files, errs := loadNotes(env, opts.Paths, notes.Options{Deck: opts.Deck})
	printErrors(env, errs)
	if len(files) == 0 {
		return silentError{exitFailure}
	}
	if len(errs) > 0 && opts.Output != "" {
		// A file holds what it held until every input reads: a partial
		// deck replacing a whole one would lose cards unseen.
		fmt.Fprintf(env.Stderr, "recall: %s not written: %d %s failed\n", opts.Output, len(errs), plural(len(errs), "input", "inputs"))
		return silentError{exitFailure}
	}
	var cards []card.Card
	for _, f := range files {
		warnNoCards(env, f)
		cards = append(cards, f.Cards...)
	}
	write := func(w io.Writer) error {
		switch opts.Format {
		case "json":
			return writeJSON(w, cardObjects(cards))
		case "tsv":
			return writeTSV(w, cards)
		case "md":
			return notes.Format(w, cards)
		}
		return writeText(w, cards, env.Color)
	}
	if opts.Output == "" {
		if err := write(env.Stdout); err != nil {
			return err
		}
	} else if err := disk.WriteAtomic(opts.Output, write); err != nil {
		return err
	}
	if len(errs) > 0 {
		return silentError{exitFailure}
	}
	return nil
}

// warnNoCards tells the person a file gave nothing, which is not an error
// (prose is allowed) but is rarely what they meant.
func warnNoCards(env *Env, f collection.Notes) {
	if len(f.Cards) > 0 {
		return
	}
	what := "no lists, definitions or clozes found"
	if len(f.Data) == 0 {
		what = "the file is empty"
	}
	fmt.Fprintf(env.Stderr, "recall: warning: %s: no cards (%s)\n", f.Path, what)
}
