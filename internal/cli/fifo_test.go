//go:build unix

package cli

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// runWithin runs recall and fails the test if it has not returned after
// d: a read that blocks would hang the suite instead.
func (e *testEnv) runWithin(t *testing.T, d time.Duration, args ...string) int {
	t.Helper()
	done := make(chan int, 1)
	go func() { done <- e.run(args...) }()
	select {
	case code := <-done:
		return code
	case <-time.After(d):
		t.Fatalf("recall %s still runs after %s: it blocked", strings.Join(args, " "), d)
		return 0
	}
}

func mkfifo(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
}

// TestNamedPipes: a named pipe among notes never blocks recall. In a
// folder it is skipped with a warning; named, or in place of a file the
// collection remembers, it is refused as not a regular file.
func TestNamedPipes(t *testing.T) {
	t.Parallel()
	const wait = 20 * time.Second
	t.Run("in a folder", func(t *testing.T) {
		t.Parallel()
		e := newTestEnv(t)
		e.write(t, "notes/k8s.md", k8s)
		pipe := e.path("notes/pipe.md")
		mkfifo(t, pipe)
		if code := e.runWithin(t, wait, "generate", e.path("notes"), "--format", "tsv"); code != 0 {
			t.Fatalf("generate = exit %d, stderr %q", code, e.errOut)
		}
		if want := "recall: warning: " + pipe + ": not a regular file (a named pipe); skipped\n"; e.errOut.String() != want {
			t.Errorf("stderr = %q, want %q", e.errOut, want)
		}
		if !strings.Contains(e.out.String(), "2379") {
			t.Errorf("the other notes gave no cards: %q", e.out)
		}
	})
	t.Run("named", func(t *testing.T) {
		t.Parallel()
		e := newTestEnv(t)
		pipe := e.path("pipe.md")
		mkfifo(t, pipe)
		for _, cmd := range []string{"generate", "add", "lint"} {
			if code := e.runWithin(t, wait, cmd, pipe); code != 1 {
				t.Errorf("%s of a named pipe = exit %d, want 1", cmd, code)
			}
			if want := "recall: " + pipe + ": not a regular file (a named pipe)\n"; e.errOut.String() != want {
				t.Errorf("%s: stderr = %q, want %q", cmd, e.errOut, want)
			}
		}
		if e.dbExists() {
			t.Errorf("add of a named pipe created the collection")
		}
	})
	t.Run("in place of a remembered file", func(t *testing.T) {
		t.Parallel()
		e := newTestEnv(t)
		notes := e.write(t, "k8s.md", k8s)
		e.mustRun(t, "add", notes)
		if err := os.Remove(notes); err != nil {
			t.Fatal(err)
		}
		mkfifo(t, notes)
		if code := e.runWithin(t, wait, "sync"); code != 1 {
			t.Errorf("sync = exit %d, want 1", code)
		}
		if want := "recall: " + notes + ": not a regular file (a named pipe)\n"; e.errOut.String() != want {
			t.Errorf("stderr = %q, want %q", e.errOut, want)
		}
	})
}
