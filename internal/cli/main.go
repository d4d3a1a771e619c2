package cli

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/collection"
	"github.com/recall-cli/recall/internal/store"
)

// Exit codes.
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitInterrupted = 130
)

// usageError marks an error in how recall was called: exit status 2.
type usageError struct{ error }

func (e usageError) Unwrap() error { return e.error }

func usagef(format string, args ...any) error {
	return usageError{fmt.Errorf(format, args...)}
}

// usageArgs makes the errors of a cobra argument check usage errors. A
// check that takes no arguments but refuses one (cobra.NoArgs) is said as
// noArgs says it, rather than as cobra's "unknown command".
func usageArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		err := check(cmd, args)
		if err == nil {
			return nil
		}
		if len(args) > 0 && check(cmd, nil) == nil && check(cmd, args[:1]) != nil {
			err = noArgs(cmd, args)
		}
		return usageError{err}
	}
}

// hintError carries a line of advice printed under the error.
type hintError struct {
	error
	hint string
}

func (e hintError) Unwrap() error { return e.error }

func withHint(err error, hint string) error { return hintError{err, hint} }

// silentError ends the process with a failure whose explanation has
// already been printed (for example per-file errors).
type silentError struct{ code int }

func (e silentError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// Main runs recall with the process's arguments and returns its exit code.
func Main() int {
	env, err := NewEnv()
	if err != nil {
		fmt.Fprintf(os.Stderr, "recall: %v\n", err)
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// The first Ctrl-C asks recall to stop cleanly; once asked, a second
	// one kills it the usual way.
	go func() {
		<-ctx.Done()
		stop()
	}()
	return Run(ctx, env, os.Args[1:])
}

// Run runs recall with args in env and returns the exit code.
func Run(ctx context.Context, env *Env, args []string) int {
	root := newRootCmd(env)
	root.SetArgs(searchLast(root, args))
	ran := false
	root.PersistentPreRun = func(*cobra.Command, []string) { ran = true }
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	if !ran && !errors.As(err, new(usageError)) {
		// Flags and arguments fail as usage errors (SetFlagErrorFunc,
		// usageArgs); what else stops cobra before any command runs is
		// its own refusal of the command line, an unknown command.
		err = unknownCommand(root, err)
	}
	if errors.As(err, new(usageError)) && cmd != nil {
		err = seeHelp{err, cmd.CommandPath()}
	}
	return report(env, err)
}

// report prints err once, with its hint, and maps it to an exit code.
func report(env *Env, err error) int {
	var silent silentError
	if errors.As(err, &silent) {
		return silent.code
	}
	if errors.Is(err, context.Canceled) {
		fmt.Fprintln(env.Stderr, "recall: interrupted")
		return exitInterrupted
	}
	var ce *store.CorruptError
	if errors.As(err, &ce) {
		reportDamaged(env, ce)
		return exitFailure
	}
	// Errors quote notes and name files: neither may steer the terminal.
	msg := card.Printable(strings.TrimSpace(err.Error()))
	who := "recall"
	var sh seeHelp
	if errors.As(err, &sh) {
		who = sh.command
		msg += "; see " + sh.command + " --help"
	}
	fmt.Fprintf(env.Stderr, "%s: %s\n", who, msg)
	var h hintError
	var nd *collection.NoDeckError
	switch {
	case errors.As(err, &h) && h.hint != "":
		fmt.Fprintf(env.Stderr, "hint: %s\n", h.hint)
	case errors.As(err, &nd) && len(nd.Near) == 0:
		fmt.Fprintln(env.Stderr, "hint: 'recall decks' lists them")
	}
	var u usageError
	if errors.As(err, &u) {
		return exitUsage
	}
	return exitFailure
}

// orList quotes names as "a", "b" or "c".
func orList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(card.Printable(n))
	}
	if len(q) == 1 {
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}

func newRootCmd(env *Env) *cobra.Command {
	root := &cobra.Command{
		Use:   "recall",
		Short: "Turn the lists in your notes into flashcards and study them",
		Long: `recall turns the bullet lists in your notes into flashcards, schedules them
with SM-2 in a local collection, quizzes you in the terminal, and exports
everything to Anki. Your notes stay yours: recall never writes into them.`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	// Run says an unknown command and its near names on one line.
	root.DisableSuggestions = true
	root.SuggestionsMinimumDistance = 2
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{err} })
	root.Version = version()
	root.SetVersionTemplate("{{.Version}}\n")
	root.SetOut(env.Stdout)
	root.SetErr(env.Stderr)
	root.SetIn(env.Stdin)
	root.PersistentFlags().StringVar(&env.DBFlag, "db", "", "collection file (default $RECALL_DB or $XDG_DATA_HOME/recall/collection.db)")
	root.AddCommand(
		newGenerateCmd(env),
		newLintCmd(env),
		newAddCmd(env),
		newSyncCmd(env),
		newStatusCmd(env),
		newStatsCmd(env),
		newCardsCmd(env),
		newDecksCmd(env),
		newRestoreCmd(env),
		newRemoveCmd(env),
		newAnswerCmd(env),
		newCardCmd(env),
		newReviewCmd(env),
		newConfigCmd(env),
		newOptimizeCmd(env),
		newVersionCmd(env),
		newExportCmd(env),
		newImportCmd(env),
	)
	root.AddCommand(newHideCmds(env)...)
	registerCompletion(root, env)
	return root
}
