package cli

import (
	"context"
	"strings"

	"github.com/spf13/cobra"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/store"
)

// Shell completion (cobra's hidden __complete command, which the scripts
// of 'recall completion' call) offers the collection's decks and card ids.
// It reads the collection read-only and never creates it: with no
// collection, or any trouble reading it, it offers nothing, silently.

// maxCompletions bounds the card ids offered at once.
const maxCompletions = 500

// completionStore opens the collection for completion, or returns nil.
func completionStore(env *Env) *store.Store {
	st, err := store.OpenReadOnly(env.DBPath(env.DBFlag))
	if err != nil {
		return nil
	}
	return st
}

// completeCardIDs completes card ids, orphans' too, each described by its
// front: for commands whose every argument is a card id (restore, and the
// like), or for one position of a command's arguments (see completeArgs).
// Commands added later reuse it as they are: ValidArgsFunction:
// completeCardIDs(env).
func completeCardIDs(env *Env) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		st := completionStore(env)
		if st == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		defer st.Close()
		refs, err := st.CardsWithPrefix(commandContext(cmd), strings.ToLower(toComplete), maxCompletions)
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		out := make([]cobra.Completion, len(refs))
		for i, r := range refs {
			out[i] = cobra.CompletionWithDesc(r.ID, completionText(r.Front))
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeArgs completes each position of a command's arguments with its
// own function; positions past the last offer nothing.
func completeArgs(fns ...cobra.CompletionFunc) cobra.CompletionFunc {
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		if len(args) >= len(fns) {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		return fns[len(args)](cmd, args, toComplete)
	}
}

// completeWords offers fixed words, such as grades.
func completeWords(words ...string) cobra.CompletionFunc {
	return func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return words, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeDecks completes the names of the collection's decks and
// subdecks, ignoring case as --deck does.
func completeDecks(env *Env) cobra.CompletionFunc {
	return func(cmd *cobra.Command, _ []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		st := completionStore(env)
		if st == nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		defer st.Close()
		decks, err := st.Decks(commandContext(cmd))
		if err != nil {
			return nil, cobra.ShellCompDirectiveNoFileComp
		}
		var out []cobra.Completion
		add := func(name string) {
			if strings.HasPrefix(strings.ToLower(name), strings.ToLower(toComplete)) {
				out = append(out, name)
			}
		}
		for _, d := range decks {
			add(d.Name)
			for _, s := range d.Subdecks {
				add(s.Name)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	}
}

// completeDecksOrFiles completes deck names and, beside them, files: what
// remove takes.
func completeDecksOrFiles(env *Env) cobra.CompletionFunc {
	decks := completeDecks(env)
	return func(cmd *cobra.Command, args []string, toComplete string) ([]cobra.Completion, cobra.ShellCompDirective) {
		out, _ := decks(cmd, args, toComplete)
		return out, cobra.ShellCompDirectiveDefault
	}
}

// registerCompletion makes every --deck flag of the tree under cmd
// complete deck names, and the commands that take no arguments offer no
// files, commands added later included.
func registerCompletion(cmd *cobra.Command, env *Env) {
	if cmd.Flags().Lookup("deck") != nil {
		// The only error is a flag registered twice, which a walk of
		// the tree does not do.
		_ = cmd.RegisterFlagCompletionFunc("deck", completeDecks(env))
	}
	if cmd.ValidArgsFunction == nil && cmd.Args != nil && cmd.Args(cmd, nil) == nil && cmd.Args(cmd, []string{""}) != nil {
		cmd.ValidArgsFunction = cobra.NoFileCompletions
	}
	for _, sub := range cmd.Commands() {
		registerCompletion(sub, env)
	}
}

// completionText is a front as a completion's description: its first
// line, printable, short.
func completionText(front string) string {
	s := card.Printable(firstLine(front))
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 60 {
		s = string(r[:59]) + "…"
	}
	return s
}

func commandContext(cmd *cobra.Command) context.Context {
	if ctx := cmd.Context(); ctx != nil {
		return ctx
	}
	return context.Background()
}
