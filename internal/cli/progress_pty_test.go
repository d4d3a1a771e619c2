//go:build linux || darwin || freebsd

package cli

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/creack/pty"
)

// withStderr makes f the process's stderr while fn runs: NewEnv reads
// os.Stderr. Not parallel.
func withStderr(t *testing.T, f *os.File, fn func()) {
	t.Helper()
	old := os.Stderr
	os.Stderr = f
	defer func() { os.Stderr = old }()
	fn()
}

// On a pseudo-terminal stderr is a terminal, and the progress line is
// drawn on it, cut to its width; on a pipe it is not.
func TestProgressOnAPseudoTerminal(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	if err := pty.Setsize(ptmx, &pty.Winsize{Rows: 24, Cols: 50}); err != nil {
		t.Fatal(err)
	}
	pr, pw, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer pr.Close()
	defer pw.Close()

	for _, tt := range []struct {
		name     string
		f        *os.File
		terminal bool
	}{{"pty", tty, true}, {"pipe", pw, false}} {
		var env *Env
		withStderr(t, tt.f, func() {
			if env, err = NewEnv(); err != nil {
				t.Fatal(err)
			}
		})
		if env.StderrTTY != tt.terminal {
			t.Errorf("%s: StderrTTY = %v, want %v", tt.name, env.StderrTTY, tt.terminal)
		}
	}

	// Drawn onto the pty's own file, read back from its other end.
	env := &Env{Stderr: tty, StderrTTY: true, Getenv: func(string) string { return "" }, Now: steppingClock(time.Second)}
	env = withProgress(env)
	env.Progress.Start("adding cards from a label long enough to be cut", 100)
	env.Progress.Set(40)
	env.Progress.Done()
	got := make(chan string)
	go func() {
		b := make([]byte, 4096)
		n, _ := ptmx.Read(b)
		got <- string(b[:n])
	}()
	var out string
	select {
	case out = <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("nothing drawn on the pseudo-terminal")
	}
	if !strings.HasPrefix(out, "\r") || !strings.Contains(out, "adding cards") {
		t.Errorf("pty got %q, want the progress line", out)
	}
	line, _, _ := strings.Cut(strings.TrimPrefix(out, "\r"), "\x1b[K")
	if w := ansi.StringWidth(line); w > 49 {
		t.Errorf("line %q is %d columns on a 50-column terminal, want at most 49", line, w)
	}
}
