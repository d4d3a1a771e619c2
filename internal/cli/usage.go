package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// The argument checks below say in words what a command takes, where
// cobra's own say "requires at least 1 arg(s), only received 0". Run adds
// the command's name and the help to read (see seeHelp).

// noArgs refuses any argument.
func noArgs(_ *cobra.Command, args []string) error {
	if len(args) > 0 {
		return fmt.Errorf("takes no arguments, got %q", args[0])
	}
	return nil
}

// atLeastOne wants one argument or more, each a what: "notes file or
// folder".
func atLeastOne(what string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) == 0 {
			return fmt.Errorf("needs at least one %s", what)
		}
		return nil
	}
}

// exactArgs wants one argument for each of names, in order: "a card id",
// "a grade".
func exactArgs(names ...string) cobra.PositionalArgs {
	want := andList(names)
	return func(_ *cobra.Command, args []string) error {
		switch {
		case len(args) < len(names):
			return fmt.Errorf("needs %s", want)
		case len(args) > len(names):
			return fmt.Errorf("takes %s, got %d arguments", want, len(args))
		}
		return nil
	}
}

// atMostOne takes one optional argument, a what.
func atMostOne(what string) cobra.PositionalArgs {
	return func(_ *cobra.Command, args []string) error {
		if len(args) > 1 {
			return fmt.Errorf("takes at most %s, got %d arguments", what, len(args))
		}
		return nil
	}
}

// andList joins phrases as "a, b and c".
func andList(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// seeHelp is a usage error of one command, which report prints under the
// command's name with the help to read: "recall add: needs at least one
// notes file or folder; see recall add --help".
type seeHelp struct {
	error
	command string // "recall add"
}

func (e seeHelp) Unwrap() error { return e.error }

// unknownCommand is cobra's refusal of a command name, said on one line
// with its suggestions: `unknown command "carsd" (did you mean "cards"?)`.
func unknownCommand(root *cobra.Command, err error) error {
	var name string
	if _, serr := fmt.Sscanf(err.Error(), "unknown command %q", &name); serr != nil {
		return usageError{err}
	}
	msg := fmt.Sprintf("unknown command %q", name)
	if near := root.SuggestionsFor(name); len(near) > 0 {
		msg += fmt.Sprintf(" (did you mean %s?)", orList(near))
	}
	return usageError{fmt.Errorf("%s", msg)}
}
