package cli

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// version says which recall this is: the module version the binary was
// built as (a tag, or "(devel)" from a checkout) and the commit, from the
// build information Go embeds.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "recall (unknown version)"
	}
	v := info.Main.Version
	if v == "" {
		v = "(devel)"
	}
	var rev, when string
	dirty := false
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.time":
			when = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	out := "recall " + v
	if rev != "" {
		if len(rev) > 12 {
			rev = rev[:12]
		}
		out += " (commit " + rev
		if dirty {
			out += ", modified"
		}
		if when != "" {
			out += ", " + when
		}
		out += ")"
	}
	return out + " " + info.GoVersion
}

func newVersionCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print recall's version",
		Args:  usageArgs(noArgs),
		RunE: func(*cobra.Command, []string) error {
			fmt.Fprintln(env.Stdout, version())
			return nil
		},
	}
}
