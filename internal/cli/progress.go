package cli

import (
	"os"
	"strings"

	"github.com/charmbracelet/x/term"
	"github.com/muesli/termenv"

	"github.com/recall-cli/recall/internal/progress"
)

// withProgress gives a command that may run for seconds (add, sync,
// export) its progress line on stderr, and an Env whose Progress draws it
// and whose Stderr goes through it, so that a warning printed meanwhile
// clears the line first. Not on a terminal, nothing is ever drawn.
// Call Progress.Done before printing the command's result.
func withProgress(env *Env) *Env {
	if env.Progress != nil {
		return env
	}
	opts := progress.Options{
		Terminal: env.StderrTTY,
		Now:      env.Now,
		Dumb:     env.Getenv("TERM") == "dumb",
	}
	opts.Color = env.Getenv("NO_COLOR") == "" && !opts.Dumb
	opts.Profile = colorProfile(env.Getenv)
	if f, ok := env.Stderr.(*os.File); ok && env.StderrTTY {
		if w, _, err := term.GetSize(f.Fd()); err == nil {
			opts.Width = w
		}
	}
	bar := progress.New(env.Stderr, opts)
	e := *env
	e.Stderr, e.Progress = bar, bar
	return &e
}

// colorProfile is the colours a terminal takes, as its environment says:
// true colour when COLORTERM says so, 256 when TERM does, else the 16 of
// ANSI.
func colorProfile(getenv func(string) string) termenv.Profile {
	switch ct := strings.ToLower(getenv("COLORTERM")); {
	case ct == "truecolor" || ct == "24bit":
		return termenv.TrueColor
	case strings.Contains(getenv("TERM"), "256color"):
		return termenv.ANSI256
	}
	return termenv.ANSI
}
