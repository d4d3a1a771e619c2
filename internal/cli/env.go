package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/adrg/xdg"
	"github.com/mattn/go-isatty"

	"github.com/recall-cli/recall/internal/progress"
)

// Env is everything a command may take from the world: streams, the
// clock, the environment and what kind of terminal it runs in. Main builds
// one from the process; tests build their own.
type Env struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer

	// Getenv reads an environment variable.
	Getenv func(string) string
	// Now is the clock; RECALL_NOW replaces it.
	Now func() time.Time
	// StdinTTY and StdoutTTY say whether the streams are terminals;
	// StderrTTY decides progress output.
	StdinTTY, StdoutTTY, StderrTTY bool
	// DBFlag is the --db flag, "" when not given.
	DBFlag string
	// Color is false when NO_COLOR is set or stdout is not a terminal.
	Color bool
	// Progress draws a long command's progress on stderr; nil (no
	// drawing) until withProgress sets it.
	Progress *progress.Reporter
}

// NewEnv builds the Env of this process.
func NewEnv() (*Env, error) {
	env := &Env{
		Stdin:     os.Stdin,
		Stdout:    os.Stdout,
		Stderr:    os.Stderr,
		Getenv:    os.Getenv,
		Now:       time.Now,
		StdinTTY:  isTerminal(os.Stdin),
		StdoutTTY: isTerminal(os.Stdout),
		StderrTTY: isTerminal(os.Stderr),
	}
	env.Color = env.StdoutTTY && os.Getenv("NO_COLOR") == ""
	if v := os.Getenv("RECALL_NOW"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return nil, fmt.Errorf("RECALL_NOW %q is not an RFC 3339 time (like 2026-11-26T08:00:00Z)", v)
		}
		// A fixed instant that still moves: sessions measure time spent,
		// and a frozen clock would make every answer take zero seconds.
		start := time.Now()
		env.Now = func() time.Time { return t.Add(time.Since(start)) }
	}
	return env, nil
}

func isTerminal(f *os.File) bool {
	return isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())
}

// DBPath is the collection file: --db, else RECALL_DB, else the XDG data
// directory.
func (e *Env) DBPath(flag string) string {
	if flag != "" {
		return flag
	}
	if v := e.Getenv("RECALL_DB"); v != "" {
		return v
	}
	if d := e.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "recall", "collection.db")
	}
	return filepath.Join(xdg.DataHome, "recall", "collection.db")
}
