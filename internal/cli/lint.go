package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/notes"
)

type lintOptions struct {
	Paths []string
	JSON  bool
}

func newLintCmd(env *Env) *cobra.Command {
	var opts lintOptions
	cmd := &cobra.Command{
		Use:   "lint FILE|DIR...",
		Short: "Say what each part of your notes became, and why",
		Long: `Read notes and say, block by block, what recall made of them: each list,
definition, question and cloze with the number of cards it gave, each
block that gave none and why (prose, links only, metadata, a note to
self, a reaction, an outline of sections), and advice that makes better
cards (a list too long to recall, an item too long to hide, a label that
asks nothing). Nothing is written anywhere.

One line per finding: FILE:LINE: what it became. --json prints one array
of objects (file, line, shape, cards, skipped, warning, text). The exit
status is 0 unless a file cannot be read.`,
		Example: `  recall lint notes/qcon-sf-2018.txt
  recall lint notes/ --json`,
		Args: usageArgs(atLeastOne("notes file or folder")),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			return runLint(cmd.Context(), env, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the findings as one JSON array")
	return cmd
}

// lintFinding is a finding with its file, for --json.
type lintFinding struct {
	File string `json:"file"`
	notes.Finding
}

func runLint(_ context.Context, env *Env, opts lintOptions) error {
	files, errs := loadNotes(env, opts.Paths, notes.Options{Lint: true})
	printErrors(env, errs)
	if opts.JSON {
		all := []lintFinding{}
		for _, f := range files {
			for _, x := range f.Findings {
				all = append(all, lintFinding{File: f.Path, Finding: x})
			}
		}
		if err := writeJSON(env.Stdout, all); err != nil {
			return err
		}
	} else {
		for _, f := range files {
			skipped, warnings := 0, 0
			for _, x := range f.Findings {
				fmt.Fprintf(env.Stdout, "%s:%d: %s\n", f.Path, x.Line, card.Printable(x.String()))
				switch {
				case x.Warning != "":
					warnings++
				case x.Skipped != "":
					skipped++
				}
			}
			fmt.Fprintf(env.Stdout, "%s: %s from %s; %s skipped; %s\n", f.Path, count(len(f.Cards), "card"),
				count(len(f.Findings)-skipped-warnings, "block"), count(skipped, "block"), count(warnings, "warning"))
		}
	}
	if len(errs) > 0 {
		return silentError{exitFailure}
	}
	return nil
}

// count writes a number and its noun: "1 card", "3 cards".
func count(n int, noun string) string {
	return fmt.Sprintf("%d %s", n, plural(n, noun, noun+"s"))
}
