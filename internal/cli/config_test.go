package cli

import "testing"

// The steps run in order on one collection: each sees what the one
// before it set.
func TestConfig(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.mustRun(t, "add", e.write(t, "k8s.md", k8s))
	const noDeck = "recall: no deck \"Nope\"\nhint: 'recall decks' lists them\n"
	steps := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"show the defaults", []string{"K8s"}, exitOK, "K8s: 20 new cards a day (default) and 200 reviews a day (default)\n", ""},
		{"set --new", []string{"K8s", "--new", "5"}, exitOK, "K8s: 5 new cards a day (config) and 200 reviews a day (default)\n", ""},
		{"set --reviews keeps --new", []string{"K8s", "--reviews", "70"}, exitOK, "K8s: 5 new cards a day (config) and 70 reviews a day (config)\n", ""},
		{"show what was set", []string{"K8s"}, exitOK, "K8s: 5 new cards a day (config) and 70 reviews a day (config)\n", ""},
		{"0 is none", []string{"K8s", "--new", "0"}, exitOK, "K8s: 0 new cards a day (config) and 70 reviews a day (config)\n", ""},
		{"default clears", []string{"K8s", "--new=default", "--reviews=3"}, exitOK, "K8s: 20 new cards a day (default) and 3 reviews a day (config)\n", ""},
		{"the collection's", []string{}, exitOK, "collection: 20 new cards a day (default) and 200 reviews a day (default)\n", ""},
		{"set the collection's", []string{"--new", "12"}, exitOK, "collection: 12 new cards a day (config) and 200 reviews a day (default)\n", ""},
		{"a deck takes the collection's", []string{"K8s"}, exitOK, "K8s: 12 new cards a day (collection) and 3 reviews a day (config)\n", ""},
		{"clear the collection's", []string{"--new", "default"}, exitOK, "collection: 20 new cards a day (default) and 200 reviews a day (default)\n", ""},
		{"unknown deck", []string{"Nope"}, exitFailure, "", noDeck},
		{"unknown deck, setting", []string{"Nope", "--new", "1"}, exitFailure, "", noDeck},
		{"negative --new", []string{"K8s", "--new", "-1"}, exitUsage, "", "recall config: --new -1: want a number of cards a day, 0 or more, or \"default\"; see recall config --help\n"},
		{"bad --reviews", []string{"--reviews", "lots"}, exitUsage, "", "recall config: --reviews lots: want a number of cards a day, 0 or more, or \"default\"; see recall config --help\n"},
		{"usage errors set nothing", []string{"K8s"}, exitOK, "K8s: 20 new cards a day (default) and 3 reviews a day (config)\n", ""},
	}
	for _, s := range steps {
		args := append([]string{"config"}, s.args...)
		if code := e.run(args...); code != s.code {
			t.Errorf("%s: %v = exit %d, want %d", s.name, args, code, s.code)
		}
		if got := e.out.String(); got != s.stdout {
			t.Errorf("%s: stdout = %q, want %q", s.name, got, s.stdout)
		}
		if got := e.errOut.String(); got != s.stderr {
			t.Errorf("%s: stderr = %q, want %q", s.name, got, s.stderr)
		}
	}
}

// What recall config set wins over front matter, and stays so across
// syncs; clearing it hands the deck back to its front matter.
func TestConfigOverFrontMatter(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	notes := e.write(t, "k8s.md", "---\nnew: 4\n---\n"+k8s)
	e.mustRun(t, "add", notes)
	want := func(step, line string) {
		t.Helper()
		if got := e.mustRun(t, "config", "K8s"); got != line {
			t.Errorf("%s: config K8s = %q, want %q", step, got, line)
		}
	}
	want("front matter", "K8s: 4 new cards a day (front matter) and 200 reviews a day (default)\n")
	e.mustRun(t, "config", "K8s", "--new", "0")
	e.write(t, "k8s.md", "---\nnew: 6\n---\n"+k8s+"\nWhat is a pod? :: containers together\n")
	e.mustRun(t, "sync")
	want("config after a sync", "K8s: 0 new cards a day (config) and 200 reviews a day (default)\n")
	e.mustRun(t, "config", "K8s", "--new", "default")
	want("config cleared", "K8s: 6 new cards a day (front matter) and 200 reviews a day (default)\n")
}

// A subdeck's parent is not a deck of its own to configure.
func TestConfigParentDeck(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.mustRun(t, "add", "--deck", "Ops::K8s", e.write(t, "k8s.md", k8s))
	if code := e.run("config", "Ops"); code != exitFailure {
		t.Errorf("config Ops = exit %d, want %d (only Ops::K8s exists)", code, exitFailure)
	}
	if got := e.mustRun(t, "config", "Ops::K8s", "--new", "2"); got != "Ops::K8s: 2 new cards a day (config) and 200 reviews a day (default)\n" {
		t.Errorf("config Ops::K8s = %q", got)
	}
}
