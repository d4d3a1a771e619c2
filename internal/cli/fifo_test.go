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

// TestCollectionNotAFile: --db naming a named pipe or a device is refused
// as not a regular file, for reading and writing commands alike, without
// blocking (SQLite would wait on the pipe, and call /dev/null a disk I/O
// error).
func TestCollectionNotAFile(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	pipe := e.path("pipe.db")
	mkfifo(t, pipe)
	notes := e.write(t, "k8s.md", k8s)
	for _, tt := range []struct {
		db, kind string
	}{
		{pipe, "a named pipe"},
		{os.DevNull, "a device"},
	} {
		for _, args := range [][]string{{"status"}, {"add", notes}} {
			args = append([]string{"--db", tt.db}, args...)
			if code := e.runWithin(t, 20*time.Second, args...); code != exitFailure {
				t.Errorf("recall %v = exit %d, want %d", args, code, exitFailure)
			}
			want := "recall: " + tt.db + ": not a regular file (" + tt.kind + "); a collection is a file recall creates\n"
			if e.errOut.String() != want {
				t.Errorf("recall %v: stderr = %q, want %q", args, e.errOut, want)
			}
		}
	}
}

// TestReadOnlyCollection: a collection in a read-only folder, or a
// read-only collection file, can still be read by the commands that only
// read, and a command that writes names the collection, not the notes.
// Permissions mean nothing to root; the gauntlet runs this as nobody.
func TestReadOnlyCollection(t *testing.T) {
	t.Parallel()
	if os.Geteuid() == 0 {
		t.Skip("root ignores permissions; the gauntlet (-tags gauntlet) checks this as nobody")
	}
	for _, place := range []string{"folder", "file"} {
		t.Run(place, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			db := e.path("ro/collection.db")
			e.vars["RECALL_DB"] = db
			notes := e.write(t, "k8s.md", k8s)
			e.mustRun(t, "add", notes)
			if err := os.Chmod(db, 0o444); err != nil {
				t.Fatal(err)
			}
			if place == "folder" {
				if err := os.Chmod(filepath.Dir(db), 0o555); err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { os.Chmod(filepath.Dir(db), 0o755) })
			}
			if got := e.mustRun(t, "status"); !strings.HasPrefix(got, "K8s\t2\t") {
				t.Errorf("status = %q", got)
			}
			e.mustRun(t, "cards", "--json")
			e.mustRun(t, "export", "--anki", "-o", e.path("out.apkg"))
			if code := e.run("add", e.write(t, "more.md", colours)); code != exitFailure {
				t.Errorf("add = exit %d, want %d", code, exitFailure)
			}
			if want := "recall: " + db + ": the collection is read-only to you (permission denied); this command writes to it\n"; !strings.HasPrefix(e.errOut.String(), want) {
				t.Errorf("add: stderr = %q, want it to start %q", e.errOut, want)
			}
		})
	}
}
