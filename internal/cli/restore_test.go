package cli

import (
	"os"
	"strings"
	"testing"
)

func TestRestoreOrphans(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	c := e.write(t, "colours.md", colours)
	e.mustRun(t, "add", c)
	os.Remove(c)
	e.mustRun(t, "sync", "--prune")
	if got := strings.Count(e.mustRun(t, "cards", "--orphans"), "\n"); got != 4 {
		t.Fatalf("cards --orphans after prune: %d lines, want 4", got)
	}

	if got, want := e.mustRun(t, "restore", "f17daf6d89d9", "1075e6b018af"), "restored f17daf6d89d9 (was an orphan)\nrestored 1075e6b018af (was an orphan)\n"; got != want {
		t.Errorf("restore = %q, want %q", got, want)
	}
	if got, want := e.mustRun(t, "cards", "--orphans"), "44035abe710b\torphan\t-\t0\tColours\tPrimary … (item 2 hidden)\n545f5f4e7ab1\torphan\t-\t0\tColours\tPrimary … (item 3 hidden)\n"; got != want {
		t.Errorf("cards --orphans after restore = %q, want %q", got, want)
	}
	if got, want := e.mustRun(t, "status"), "Colours\t2\t0\t0\t0\t2\t0\t2\n"; got != want {
		t.Errorf("status after restore = %q, want %q", got, want)
	}
}

// restore stops at the first card it cannot find, after the ones before it;
// a card that was not hidden is said to be so, not "restored".
func TestRestoreUnknownCard(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.mustRun(t, "add", e.write(t, "k8s.md", k8s))
	if code := e.run("restore", "b15b062ed275", "nope", "2eae42c2409e"); code != exitFailure {
		t.Errorf("restore with an unknown id = exit %d, want %d", code, exitFailure)
	}
	if got, want := e.out.String(), "b15b062ed275 is not hidden; nothing to restore\n"; got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}
	if got, want := e.errOut.String(), "recall: no card nope\n"; got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
}

// A suspended card comes back into review.
func TestRestoreSuspended(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.mustRun(t, "add", e.write(t, "k8s.md", k8s))
	e.Stdin = strings.NewReader("s\n")
	if got := e.mustRun(t, "review", "--plain"); !strings.Contains(got, "suspended") {
		t.Fatalf("review: s did not suspend:\n%s", got)
	}
	if got, want := e.mustRun(t, "status"), "K8s\t1\t0\t0\t0\t2\t1\t0\n"; got != want {
		t.Fatalf("status after suspending = %q, want %q", got, want)
	}
	if got, want := e.mustRun(t, "restore", "b15b062ed275"), "restored b15b062ed275 (was suspended)\n"; got != want {
		t.Errorf("restore = %q, want %q", got, want)
	}
	if got, want := e.mustRun(t, "status"), "K8s\t2\t0\t0\t0\t2\t0\t0\n"; got != want {
		t.Errorf("status after restore = %q, want %q", got, want)
	}
}
