package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// testNow is the tests' clock: a Monday morning.
var testNow = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// testEnv is an Env on buffers, a fixed clock and a temporary directory
// that holds the collection, the XDG data home and the notes.
type testEnv struct {
	*Env
	dir    string
	out    *bytes.Buffer
	errOut *bytes.Buffer
	vars   map[string]string
}

// newTestEnv builds a pipe-mode Env (no terminal, no colour) whose
// collection is dir/collection.db.
func newTestEnv(t *testing.T) *testEnv {
	t.Helper()
	dir := t.TempDir()
	e := &testEnv{
		dir:    dir,
		out:    &bytes.Buffer{},
		errOut: &bytes.Buffer{},
		vars: map[string]string{
			"RECALL_DB":     filepath.Join(dir, "collection.db"),
			"XDG_DATA_HOME": filepath.Join(dir, "xdg"),
		},
	}
	e.Env = &Env{
		Stdin:  strings.NewReader(""),
		Stdout: e.out,
		Stderr: e.errOut,
		Getenv: func(k string) string { return e.vars[k] },
		Now:    func() time.Time { return testNow },
	}
	return e
}

// run runs recall with args on fresh output buffers and returns the exit
// code.
func (e *testEnv) run(args ...string) int {
	e.out.Reset()
	e.errOut.Reset()
	return Run(context.Background(), e.Env, args)
}

// mustRun runs recall and fails the test unless it exits 0.
func (e *testEnv) mustRun(t *testing.T, args ...string) string {
	t.Helper()
	if code := e.run(args...); code != exitOK {
		t.Fatalf("recall %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), code, e.out, e.errOut)
	}
	return e.out.String()
}

// path is name inside the test directory.
func (e *testEnv) path(name string) string { return filepath.Join(e.dir, name) }

// write writes a file under the test directory, making its folders, and
// returns its path.
func (e *testEnv) write(t *testing.T, name, content string) string {
	t.Helper()
	p := e.path(name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// dbExists says whether the collection file has been created.
func (e *testEnv) dbExists() bool {
	_, err := os.Stat(e.vars["RECALL_DB"])
	return err == nil
}

// Notes the tests share.
const (
	// colours gives 4 cards in deck "Colours": the list and its items.
	colours = "# Colours\n\nPrimary:\n\n- Red\n- Yellow\n- Blue\n"
	// k8s gives 2 question cards in deck "K8s".
	k8s = "# K8s\n\nWhat port does etcd serve clients on? :: 2379\n\nWhat does the kubelet do? :: runs pods\n"
)
