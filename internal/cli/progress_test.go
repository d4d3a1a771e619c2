package cli

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/progress"
)

// steppingClock moves on by step at every reading, so that a command's
// work seems to take seconds and its progress line appears.
func steppingClock(step time.Duration) func() time.Time {
	var mu sync.Mutex
	now := testNow
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(step)
		return now
	}
}

// onTerminal makes e's stderr a terminal on a clock that moves on by
// step at every reading, with the progress line drawn as items are
// counted rather than by a ticker, so that what is drawn does not depend
// on how fast the test runs.
func onTerminal(e *testEnv, step time.Duration) {
	e.StderrTTY = true
	e.Now = steppingClock(step)
	bar := progress.New(e.errOut, progress.Options{Terminal: true, Now: e.Now, DrawOnCount: true})
	e.Stderr, e.Progress = bar, bar
}

// notesFiles writes n notes files of two cards each under notes/.
func notesFiles(t *testing.T, e *testEnv, n int) string {
	t.Helper()
	for i := range n {
		e.write(t, fmt.Sprintf("notes/n%02d.md", i), fmt.Sprintf("# Deck\n\nQ%d a? :: a\n\nQ%d b? :: b\n", i, i))
	}
	return e.path("notes")
}

func TestProgressOnATerminal(t *testing.T) {
	for _, tt := range []struct {
		name  string
		args  func(e *testEnv, notes string) []string
		label string
	}{
		{"add", func(_ *testEnv, notes string) []string { return []string{"add", notes} }, "adding notes (lines)"},
		{"sync", func(_ *testEnv, _ string) []string { return []string{"sync"} }, "syncing notes"},
		{"export", func(e *testEnv, _ string) []string { return []string{"export", "--anki", "-o", e.path("out.apkg")} }, "exporting cards"},
		{"export notes", func(e *testEnv, notes string) []string {
			return []string{"export", "--anki", "-o", e.path("notes.apkg"), notes}
		}, "reading notes"},
		{"import", func(e *testEnv, _ string) []string {
			return []string{"import", "--db", e.path("second.db"), e.path("in.apkg")}
		}, "importing cards"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			e := newTestEnv(t)
			notes := notesFiles(t, e, 12)
			if tt.name != "add" && tt.name != "export notes" {
				e.mustRun(t, "add", notes)
				// A sync has work to do only when the notes changed.
				e.write(t, "notes/n00.md", "# Deck\n\nQ0 changed? :: c\n")
			}
			if tt.name == "import" {
				e.mustRun(t, "export", "--anki", "--with-progress", "-o", e.path("in.apkg"))
			}
			onTerminal(e, 300*time.Millisecond)
			e.mustRun(t, tt.args(e, notes)...)
			stderr := e.errOut.String()
			if !strings.Contains(stderr, "\r") || !strings.Contains(stderr, tt.label) {
				t.Errorf("stderr on a terminal = %q, want a progress line %q", stderr, tt.label)
			}
			if !strings.HasSuffix(stderr, "\r\x1b[K") && !strings.Contains(stderr, "\r\x1b[Krecall:") {
				t.Errorf("stderr = %q, want the line erased at the end", stderr)
			}
			if strings.Contains(e.out.String(), "\r") {
				t.Errorf("stdout = %q, want no progress on it", e.out.String())
			}
		})
	}
}

func TestNoProgressInAPipe(t *testing.T) {
	e := newTestEnv(t)
	notes := notesFiles(t, e, 12)
	e.Now = steppingClock(300 * time.Millisecond)
	e.mustRun(t, "add", notes)
	e.mustRun(t, "export", "--anki", "-o", e.path("out.apkg"))
	e.mustRun(t, "import", "--db", e.path("second.db"), e.path("out.apkg"))
	if strings.ContainsAny(e.errOut.String(), "\r\x1b") {
		t.Errorf("stderr in a pipe = %q, want no progress", e.errOut.String())
	}
}

func TestProgressClearsTheLineForWarnings(t *testing.T) {
	e := newTestEnv(t)
	notes := notesFiles(t, e, 12)
	e.write(t, "notes/prose.md", "Just prose, no cards.\n")
	onTerminal(e, 300*time.Millisecond)
	e.mustRun(t, "add", notes)
	for _, line := range strings.Split(e.errOut.String(), "\n") {
		if i := strings.Index(line, "recall: warning:"); i >= 0 && !strings.HasSuffix(line[:i], "\r\x1b[K") && line[:i] != "" {
			t.Errorf("a warning follows a progress line without clearing it: %q", line)
		}
	}
	if !strings.Contains(e.errOut.String(), "prose.md") {
		t.Errorf("stderr = %q, want the warning about prose.md", e.errOut.String())
	}
}

// The line takes colour from the terminal's environment: none with
// NO_COLOR, and neither colour nor escape sequences with TERM=dumb.
func TestProgressHonoursNoColorAndDumbTerminals(t *testing.T) {
	for _, tt := range []struct {
		name              string
		vars              map[string]string
		colour, sequences bool
	}{
		{"colour", map[string]string{"TERM": "xterm-256color"}, true, true},
		{"NO_COLOR", map[string]string{"TERM": "xterm-256color", "NO_COLOR": "1"}, false, true},
		{"TERM=dumb", map[string]string{"TERM": "dumb"}, false, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			env := &Env{Stderr: &out, StderrTTY: true, Getenv: func(k string) string { return tt.vars[k] }, Now: steppingClock(time.Second)}
			env = withProgress(env)
			// A second has passed at the first Start's second reading of
			// the clock: the line is drawn at once.
			env.Progress.Start("adding cards", 10)
			env.Progress.Done()
			got := out.String()
			if !strings.Contains(got, "adding cards") {
				t.Fatalf("stderr = %q, want the line", got)
			}
			if colour := strings.Contains(got, "\x1b[3") || strings.Contains(got, "\x1b[9"); colour != tt.colour {
				t.Errorf("stderr = %q: colour %v, want %v", got, colour, tt.colour)
			}
			if seq := strings.Contains(got, "\x1b"); seq != tt.sequences {
				t.Errorf("stderr = %q: escape sequences %v, want %v", got, seq, tt.sequences)
			}
		})
	}
}
