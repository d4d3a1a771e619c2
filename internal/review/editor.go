package review

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/recall-cli/recall/internal/card"
)

// editorRun runs the person's editor on the terminal for tea.Exec, as
// tea.ExecProcess would, and keeps the end of what the editor writes to
// stderr (while passing it on), so that a failure can say why: an editor
// that fails at once, before the screen comes back, leaves its reason on
// a screen nobody sees.
type editorRun struct {
	cmd  *exec.Cmd
	tail tail
	// delay is how long to wait for stderr to close once the editor
	// has exited; editorWaitDelay if zero.
	delay time.Duration
}

// editorWaitDelay bounds the wait for the editor's stderr to close once
// the editor has exited: a GUI editor that forks (gvim, "code" starting
// VS Code) hands its stderr to a process that outlives it.
const editorWaitDelay = time.Second

func (e *editorRun) SetStdin(r io.Reader) {
	if e.cmd.Stdin == nil {
		e.cmd.Stdin = r
	}
}

func (e *editorRun) SetStdout(w io.Writer) {
	if e.cmd.Stdout == nil {
		e.cmd.Stdout = w
	}
}

func (e *editorRun) SetStderr(w io.Writer) {
	if e.cmd.Stderr == nil {
		e.cmd.Stderr = io.MultiWriter(w, &e.tail)
	}
}

// Run runs the editor and returns an *EditorError if it could not start
// or did not exit cleanly.
func (e *editorRun) Run() error {
	if e.cmd.WaitDelay == 0 {
		e.cmd.WaitDelay = cmp.Or(e.delay, editorWaitDelay)
	}
	err := e.cmd.Run()
	if err == nil || errors.Is(err, exec.ErrWaitDelay) && e.cmd.ProcessState != nil && e.cmd.ProcessState.Success() {
		return nil
	}
	return &EditorError{Name: filepath.Base(e.cmd.Path), Err: err, Stderr: e.tail.lastLine()}
}

// EditorError is an editor that failed: it could not start, or it exited
// with a status other than 0 or on a signal.
type EditorError struct {
	Name   string // the editor's program, without its directory
	Err    error  // from exec: an *exec.ExitError or why it did not start
	Stderr string // the last line the editor wrote to stderr, if any
}

func (e *EditorError) Error() string {
	var msg string
	var exit *exec.ExitError
	switch {
	case errors.As(e.Err, &exit) && exit.ExitCode() >= 0:
		msg = fmt.Sprintf("editor %s exited with status %d", e.Name, exit.ExitCode())
	case errors.As(e.Err, &exit):
		msg = fmt.Sprintf("editor %s stopped: %v", e.Name, exit.ProcessState) // "signal: killed"
	case errors.Is(e.Err, exec.ErrNotFound):
		msg = fmt.Sprintf("editor %s not found (set $VISUAL or $EDITOR)", e.Name)
	default:
		msg = fmt.Sprintf("editor %s: %v", e.Name, e.Err)
	}
	if e.Stderr != "" {
		msg += ": " + e.Stderr
	}
	return msg
}

func (e *EditorError) Unwrap() error { return e.Err }

// tail keeps the last bytes written to it.
type tail struct{ b []byte }

const tailSize = 4096

func (t *tail) Write(p []byte) (int, error) {
	t.b = append(t.b, p...)
	if len(t.b) > tailSize {
		t.b = append(t.b[:0], t.b[len(t.b)-tailSize:]...)
	}
	return len(p), nil
}

// lastLine is the last line that is not blank, without the terminal
// controls an editor may have written with it.
func (t *tail) lastLine() string {
	lines := bytes.Split(t.b, []byte("\n"))
	for i := len(lines) - 1; i >= 0; i-- {
		// A carriage return redraws the line: what follows the last one is
		// what was seen.
		l := lines[i]
		if j := bytes.LastIndexByte(bytes.TrimRight(l, "\r"), '\r'); j >= 0 {
			l = l[j+1:]
		}
		if s := strings.TrimSpace(card.Printable(ansi.Strip(string(l)))); s != "" {
			return s
		}
	}
	return ""
}
