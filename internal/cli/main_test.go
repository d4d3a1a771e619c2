package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/recall-cli/recall/internal/collection"
)

// The exit codes are a contract with scripts.
func TestExitCodes(t *testing.T) {
	t.Parallel()
	got := []int{exitOK, exitFailure, exitUsage, exitInterrupted}
	if fmt.Sprint(got) != "[0 1 2 130]" {
		t.Errorf("exit codes ok, failure, usage, interrupted = %v, want [0 1 2 130]", got)
	}
}

func TestRunNoArgsPrintsHelp(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	if code := e.run(); code != exitOK {
		t.Fatalf("recall = exit %d, want %d", code, exitOK)
	}
	for _, want := range []string{"recall turns the bullet lists", "Usage:\n  recall [command]", "  review      Study today's cards\n", "--db string"} {
		if !strings.Contains(e.out.String(), want) {
			t.Errorf("recall: stdout lacks %q:\n%s", want, e.out)
		}
	}
	if e.errOut.Len() != 0 {
		t.Errorf("recall: stderr = %q, want nothing", e.errOut)
	}
	if e.dbExists() {
		t.Error("recall alone created the collection")
	}
}

func TestRunHelpFlag(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	if code := e.run("export", "--help"); code != exitOK {
		t.Fatalf("export --help = exit %d, want 0", code)
	}
	if !strings.Contains(e.out.String(), "Import any learning progress") || e.errOut.Len() != 0 {
		t.Errorf("export --help: stdout %q, stderr %q", e.out, e.errOut)
	}
}

// Usage errors exit 2 with one line on stderr (cobra's suggestions aside)
// and nothing on stdout, before any collection is opened.
func TestRunUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		args   []string
		stderr string
	}{
		{"unknown command", []string{"frobnicate"}, `recall: unknown command "frobnicate" for "recall"` + "\n"},
		{"near miss", []string{"revew"}, "recall: unknown command \"revew\" for \"recall\"\n\nDid you mean this?\n\treview\n"},
		{"unknown flag", []string{"status", "--bogus"}, "recall: unknown flag: --bogus\n"},
		{"unknown root flag", []string{"--bogus"}, "recall: unknown flag: --bogus\n"},
		{"unknown shorthand", []string{"cards", "-z"}, "recall: unknown shorthand flag: 'z' in -z\n"},
		{"flag without value", []string{"generate", "x.md", "--format"}, "recall: flag needs an argument: --format\n"},
		{"bad int", []string{"review", "--new", "many"}, `recall: invalid argument "many" for "--new" flag: strconv.ParseInt: parsing "many": invalid syntax` + "\n"},
		{"bad bool", []string{"status", "--json=maybe"}, `recall: invalid argument "maybe" for "--json" flag: strconv.ParseBool: parsing "maybe": invalid syntax` + "\n"},
		{"generate without files", []string{"generate"}, "recall: requires at least 1 arg(s), only received 0\n"},
		{"lint without files", []string{"lint"}, "recall: requires at least 1 arg(s), only received 0\n"},
		{"add without files", []string{"add"}, "recall: requires at least 1 arg(s), only received 0\n"},
		{"restore without ids", []string{"restore"}, "recall: requires at least 1 arg(s), only received 0\n"},
		{"config with two decks", []string{"config", "A", "B"}, "recall: accepts at most 1 arg(s), received 2\n"},
		{"config with an empty deck", []string{"config", ""}, "recall: DECK is empty; leave it out for the collection's limits\n"},
		{"answer without grade", []string{"answer", "abc"}, "recall: accepts 2 arg(s), received 1\n"},
		{"status with an argument", []string{"status", "x"}, `recall: unknown command "x" for "recall status"` + "\n"},
		{"sync with an argument", []string{"sync", "notes.md"}, `recall: unknown command "notes.md" for "recall sync"` + "\n"},
		{"review with an argument", []string{"review", "K8s"}, `recall: unknown command "K8s" for "recall review"` + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			if code := e.run(tt.args...); code != 2 {
				t.Errorf("recall %v = exit %d, want 2", tt.args, code)
			}
			if got := e.errOut.String(); got != tt.stderr {
				t.Errorf("recall %v: stderr = %q, want %q", tt.args, got, tt.stderr)
			}
			if e.out.Len() != 0 {
				t.Errorf("recall %v: stdout = %q, want nothing", tt.args, e.out)
			}
			if e.dbExists() {
				t.Errorf("recall %v created the collection", tt.args)
			}
		})
	}
}

func TestReport(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		err    error
		code   int
		stderr string
	}{
		{"failure", errors.New("boom"), 1, "recall: boom\n"},
		{"trailing space trimmed", errors.New("boom\n\n"), 1, "recall: boom\n"},
		{"usage", usagef("--x %d: bad", 3), 2, "recall: --x 3: bad\n"},
		{"wrapped usage", fmt.Errorf("outer: %w", usagef("inner")), 2, "recall: outer: inner\n"},
		{"hint", withHint(errors.New("no notes to sync"), "add some first"), 1, "recall: no notes to sync\nhint: add some first\n"},
		{"empty hint", withHint(errors.New("boom"), ""), 1, "recall: boom\n"},
		{"usage with a hint", withHint(usagef("bad"), "try this"), 2, "recall: bad\nhint: try this\n"},
		{"no deck", &collection.NoDeckError{Deck: "Go"}, 1, "recall: no deck \"Go\"\nhint: 'recall decks' lists them\n"},
		{"wrapped no deck", fmt.Errorf("export: %w", &collection.NoDeckError{Deck: "Go"}), 1, "recall: export: no deck \"Go\"\nhint: 'recall decks' lists them\n"},
		{"did you mean", &collection.NoDeckError{Deck: "Go::Tools", Near: []string{"Go::Tool"}}, 1,
			"recall: no deck \"Go::Tools\" (did you mean \"Go::Tool\"?)\n"},
		{"did you mean either", &collection.NoDeckError{Deck: "Go", Near: []string{"Gox", "Goa", "Go::X"}}, 1,
			"recall: no deck \"Go\" (did you mean \"Gox\", \"Goa\" or \"Go::X\"?)\n"},
		{"a hint wins over the deck hint", withHint(&collection.NoDeckError{Deck: "Go"}, "mine"), 1, "recall: no deck \"Go\"\nhint: mine\n"},
		{"silent failure", silentError{exitFailure}, 1, ""},
		{"silent interrupt", silentError{exitInterrupted}, 130, ""},
		{"wrapped silent", fmt.Errorf("x: %w", silentError{7}), 7, ""},
		{"canceled", context.Canceled, 130, "recall: interrupted\n"},
		{"wrapped canceled", fmt.Errorf("query: %w", context.Canceled), 130, "recall: interrupted\n"},
		{"canceled as usage", usageError{context.Canceled}, 130, "recall: interrupted\n"},
		{"deadline is a failure", context.DeadlineExceeded, 1, "recall: context deadline exceeded\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			if code := report(e.Env, tt.err); code != tt.code {
				t.Errorf("report(%v) = %d, want %d", tt.err, code, tt.code)
			}
			if got := e.errOut.String(); got != tt.stderr {
				t.Errorf("report(%v) printed %q, want %q", tt.err, got, tt.stderr)
			}
			if e.out.Len() != 0 {
				t.Errorf("report(%v) wrote %q to stdout", tt.err, e.out)
			}
		})
	}
}

// A context cancelled before the command runs (Ctrl-C while the
// collection opens) is an interrupt.
func TestRunCancelled(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.write(t, "k8s.md", k8s)
	e.mustRun(t, "add", e.path("k8s.md"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	e.out.Reset()
	e.errOut.Reset()
	if code := Run(ctx, e.Env, []string{"review"}); code != 130 {
		t.Errorf("review on a cancelled context = exit %d, want 130", code)
	}
	if got := e.errOut.String(); got != "recall: interrupted\n" {
		t.Errorf("review on a cancelled context: stderr = %q", got)
	}
}

func TestUsageArgs(t *testing.T) {
	t.Parallel()
	check := usageArgs(func(*cobra.Command, []string) error { return errors.New("two wanted") })
	err := check(nil, nil)
	var u usageError
	if !errors.As(err, &u) || err.Error() != "two wanted" {
		t.Errorf("usageArgs(failing check) = %v, want a usageError %q", err, "two wanted")
	}
	ok := usageArgs(func(*cobra.Command, []string) error { return nil })
	if err := ok(nil, nil); err != nil {
		t.Errorf("usageArgs(passing check) = %v, want nil", err)
	}
}
