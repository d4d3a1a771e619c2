package cli

import (
	"os"
	"strings"
	"testing"

	"github.com/recall-cli/recall/internal/collection"
	"github.com/recall-cli/recall/internal/store"
)

func TestSyncNoNotes(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	if code := e.run("sync"); code != exitFailure {
		t.Errorf("sync on an empty collection = exit %d, want %d", code, exitFailure)
	}
	if got, want := e.errOut.String(), "recall: no notes to sync\nhint: add some first: recall add NOTES.md\n"; got != want {
		t.Errorf("sync: stderr = %q, want %q", got, want)
	}
	if e.out.Len() != 0 {
		t.Errorf("sync: stdout = %q, want nothing", e.out)
	}
}

// Each step runs sync after a change to the notes and checks what it
// says on stdout and stderr.
func TestSync(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	c := e.write(t, "colours.md", colours)
	k := e.write(t, "k8s.md", k8s)
	e.mustRun(t, "add", c, k)
	steps := []struct {
		name   string
		change func()
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{
			name:   "unchanged",
			change: func() {},
			args:   []string{"sync"},
			stdout: "added 0 · updated 0 · unchanged 0 · orphaned 0 (0 synced, 2 unchanged)\n",
		},
		{
			name: "edited: one answer changed, one card gone, one new",
			change: func() {
				e.write(t, "k8s.md", "# K8s\n\nWhat port does etcd serve clients on? :: 2380\n\nWhat is a pod? :: containers\n")
			},
			args:   []string{"sync"},
			stdout: "added 1 · updated 1 · unchanged 0 · orphaned 1 (1 synced, 1 unchanged)\n",
		},
		{
			name: "a card back in the notes is restored",
			change: func() {
				e.write(t, "k8s.md", "# K8s\n\nWhat port does etcd serve clients on? :: 2380\n\nWhat is a pod? :: containers\n\nWhat does the kubelet do? :: runs pods\n")
			},
			args:   []string{"sync"},
			stdout: "added 0 · updated 0 · unchanged 2 · orphaned 0 · restored 1 (1 synced, 1 unchanged)\n",
		},
		{
			name:   "emptied: reported and kept, not all orphaned",
			change: func() { e.write(t, "colours.md", "# Colours\n\nNo lists left here.\n") },
			args:   []string{"sync"},
			stdout: "added 0 · updated 0 · unchanged 0 · orphaned 0 (0 synced, 1 unchanged)\n",
			stderr: "recall: warning: " + c + " gives no cards now; its 4 cards are kept (recall sync --prune orphans them)\n",
		},
		{
			name:   "emptied, still: the same warning next time",
			change: func() {},
			args:   []string{"sync"},
			stdout: "added 0 · updated 0 · unchanged 0 · orphaned 0 (0 synced, 1 unchanged)\n",
			stderr: "recall: warning: " + c + " gives no cards now; its 4 cards are kept (recall sync --prune orphans them)\n",
		},
		{
			name:   "refilled: nothing was lost",
			change: func() { e.write(t, "colours.md", colours) },
			args:   []string{"sync"},
			stdout: "added 0 · updated 0 · unchanged 0 · orphaned 0 (0 synced, 2 unchanged)\n",
		},
		{
			name:   "gone: reported and kept",
			change: func() { os.Remove(c) },
			args:   []string{"sync"},
			stdout: "added 0 · updated 0 · unchanged 0 · orphaned 0 (0 synced, 1 unchanged)\n",
			stderr: "recall: warning: " + c + " is gone; its cards are kept (recall sync --prune orphans them)\n",
		},
		{
			name:   "gone with --prune: orphaned",
			change: func() {},
			args:   []string{"sync", "--prune"},
			stdout: "added 0 · updated 0 · unchanged 0 · orphaned 4 (0 synced, 1 unchanged)\n",
			stderr: "recall: " + c + " is gone; orphaned its 4 cards\n",
		},
		{
			name:   "a pruned file is forgotten",
			change: func() {},
			args:   []string{"sync", "--prune"},
			stdout: "added 0 · updated 0 · unchanged 0 · orphaned 0 (0 synced, 1 unchanged)\n",
		},
		{
			name:   "a file turned bad fails the sync",
			change: func() { e.write(t, "k8s.md", "\x00\x01") },
			args:   []string{"sync"},
			code:   exitFailure,
			stdout: "added 0 · updated 0 · unchanged 0 · orphaned 0 (0 synced, 0 unchanged)\n",
			stderr: "recall: " + k + ": line 1: binary data (a NUL byte), not notes\n",
		},
	}
	for _, s := range steps {
		s.change()
		if code := e.run(s.args...); code != s.code {
			t.Errorf("%s: %v = exit %d, want %d", s.name, s.args, code, s.code)
		}
		if got := e.out.String(); got != s.stdout {
			t.Errorf("%s: stdout = %q, want %q", s.name, got, s.stdout)
		}
		if got := e.errOut.String(); got != s.stderr {
			t.Errorf("%s: stderr = %q, want %q", s.name, got, s.stderr)
		}
	}

	// The bad file's cards were kept; the pruned ones are orphans.
	want := "f17daf6d89d9\torphan\t-\t0\tColours\tPrimary — name the 3 items\n"
	if got := e.mustRun(t, "cards", "--orphans", "--deck", "Colours"); !strings.Contains(got, want) || strings.Count(got, "\n") != 4 {
		t.Errorf("cards --orphans after prune:\n%s\nwant 4 lines with %q", got, want)
	}
	if got := e.mustRun(t, "status"); got != "Colours\t0\t0\t0\t0\t0\t0\t4\nK8s\t3\t0\t0\t0\t3\t0\t0\n" {
		t.Errorf("status after the syncs = %q", got)
	}
}

func TestTotalsLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		t    collection.Totals
		want string
	}{
		{collection.Totals{}, "added 0 · updated 0 · unchanged 0 · orphaned 0"},
		{collection.Totals{SyncResult: store.SyncResult{Added: 1, Updated: 2, Unchanged: 3, Orphaned: 4}}, "added 1 · updated 2 · unchanged 3 · orphaned 4"},
		{collection.Totals{SyncResult: store.SyncResult{Restored: 5}}, "added 0 · updated 0 · unchanged 0 · orphaned 0 · restored 5"},
	}
	for _, tt := range tests {
		if got := totalsLine(tt.t); got != tt.want {
			t.Errorf("totalsLine(%+v) = %q, want %q", tt.t, got, tt.want)
		}
	}
}

// With --prune, a file that gives no cards any more has them orphaned: the
// person said the emptying was meant.
func TestSyncEmptiedWithPrune(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	c := e.write(t, "colours.md", colours)
	e.mustRun(t, "add", c)
	e.write(t, "colours.md", "")
	if got, want := e.mustRun(t, "sync", "--prune"), "added 0 · updated 0 · unchanged 0 · orphaned 4 (1 synced, 0 unchanged)\n"; got != want {
		t.Errorf("sync --prune = %q, want %q", got, want)
	}
	if got := strings.Count(e.mustRun(t, "cards", "--orphans"), "\n"); got != 4 {
		t.Errorf("cards --orphans: %d lines, want 4", got)
	}
}
