package cli

import (
	"strings"
	"unicode"

	"github.com/spf13/cobra"
)

// searchAnnotation marks a command whose arguments are a search, in
// Anki's syntax, where "-is:new" is a term and no flag.
const searchAnnotation = "recall:search"

// searchLast rewrites the command line of a command that takes a search
// so that cobra reads it right: the command, then its flags, then "--"
// and the words of the search (see searchArgs). Any other command line,
// and one cobra cannot place, is left as it is; so is shell completion's,
// which reaches cobra's __complete command.
func searchLast(root *cobra.Command, args []string) []string {
	cmd, rest, err := root.Find(args)
	if err != nil || cmd == root || cmd.Annotations[searchAnnotation] == "" {
		return args
	}
	flags, words := searchArgs(cmd, rest)
	out := strings.Fields(cmd.CommandPath())[1:]
	out = append(out, flags...)
	if len(words) == 0 {
		// No "--" after a flag still waiting for its value ("--deck"),
		// which cobra would take for the value.
		return out
	}
	return append(append(out, "--"), words...)
}

// searchArgs splits the arguments of a command that takes a search into
// its flags, with their values, and the words of the search. An argument
// is a flag when it starts with "--" or is "-" and one letter ("-h", or a
// mistyped flag); any other, "-is:new" among them, is a word, where cobra
// would read the flags -i and -s. After "--" every argument is a word.
func searchArgs(cmd *cobra.Command, args []string) (flags, words []string) {
	fs := cmd.Flags()
	inherited := cmd.InheritedFlags()
	for i := 0; i < len(args); i++ {
		a := args[i]
		var takesValue bool
		switch {
		case a == "--":
			return flags, append(words, args[i+1:]...)
		case strings.HasPrefix(a, "--"):
			name, _, hasValue := strings.Cut(a[2:], "=")
			f := fs.Lookup(name)
			if f == nil {
				f = inherited.Lookup(name)
			}
			takesValue = f != nil && !hasValue && f.NoOptDefVal == ""
		case len(a) == 2 && a[0] == '-' && unicode.IsLetter(rune(a[1])):
			f := fs.ShorthandLookup(a[1:])
			takesValue = f != nil && f.NoOptDefVal == ""
		default:
			words = append(words, a)
			continue
		}
		flags = append(flags, a)
		if takesValue && i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	return flags, words
}
