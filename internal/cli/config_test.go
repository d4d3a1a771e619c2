package cli

import "testing"

// The steps run in order on one collection: each sees what the one
// before it set.
func TestConfig(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.mustRun(t, "add", e.write(t, "k8s.md", k8s))
	steps := []struct {
		name   string
		args   []string
		code   int
		stdout string
		stderr string
	}{
		{"show the defaults", []string{"K8s"}, exitOK, "K8s: the default 20 new cards and the default 200 reviews a day\n", ""},
		{"set --new", []string{"K8s", "--new", "5"}, exitOK, "K8s: 5 new cards and the default 200 reviews a day\n", ""},
		{"set --reviews keeps --new", []string{"K8s", "--reviews", "70"}, exitOK, "K8s: 5 new cards and 70 reviews a day\n", ""},
		{"show what was set", []string{"K8s"}, exitOK, "K8s: 5 new cards and 70 reviews a day\n", ""},
		{"0 is the default again", []string{"K8s", "--new", "0"}, exitOK, "K8s: the default 20 new cards and 70 reviews a day\n", ""},
		{"both at once", []string{"K8s", "--new=3", "--reviews=0"}, exitOK, "K8s: 3 new cards and the default 200 reviews a day\n", ""},
		{"unknown deck", []string{"Nope"}, exitFailure, "", "recall: no deck \"Nope\" in the collection\nhint: 'recall decks' lists them\n"},
		{"unknown deck, setting", []string{"Nope", "--new", "1"}, exitFailure, "", "recall: no deck \"Nope\" in the collection\nhint: 'recall decks' lists them\n"},
		{"negative --new", []string{"K8s", "--new", "-1"}, exitUsage, "", "recall: --new and --reviews take a number of cards, 0 or more\n"},
		{"negative --reviews", []string{"K8s", "--reviews", "-5"}, exitUsage, "", "recall: --new and --reviews take a number of cards, 0 or more\n"},
		{"usage errors set nothing", []string{"K8s"}, exitOK, "K8s: 3 new cards and the default 200 reviews a day\n", ""},
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

// A subdeck's parent is not a deck of its own to configure.
func TestConfigParentDeck(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.mustRun(t, "add", "--deck", "Ops::K8s", e.write(t, "k8s.md", k8s))
	if code := e.run("config", "Ops"); code != exitFailure {
		t.Errorf("config Ops = exit %d, want %d (only Ops::K8s exists)", code, exitFailure)
	}
	if got := e.mustRun(t, "config", "Ops::K8s", "--new", "2"); got != "Ops::K8s: 2 new cards and the default 200 reviews a day\n" {
		t.Errorf("config Ops::K8s = %q", got)
	}
}

func TestLimitPhrase(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n, def int
		want   string
	}{{0, 20, "the default 20"}, {1, 20, "1"}, {250, 200, "250"}}
	for _, tt := range tests {
		if got := limitPhrase(tt.n, tt.def); got != tt.want {
			t.Errorf("limitPhrase(%d, %d) = %q, want %q", tt.n, tt.def, got, tt.want)
		}
	}
}
