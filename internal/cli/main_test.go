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
		{"unknown command", []string{"frobnicate"}, `recall: unknown command "frobnicate"; see recall --help` + "\n"},
		{"near miss", []string{"revew"}, `recall: unknown command "revew" (did you mean "review"?); see recall --help` + "\n"},
		{"unknown flag", []string{"status", "--bogus"}, "recall status: unknown flag: --bogus; see recall status --help\n"},
		{"unknown root flag", []string{"--bogus"}, "recall: unknown flag: --bogus; see recall --help\n"},
		{"unknown shorthand", []string{"cards", "-z"}, "recall cards: unknown shorthand flag: 'z' in -z; see recall cards --help\n"},
		{"flag without value", []string{"generate", "x.md", "--format"}, "recall generate: flag needs an argument: --format; see recall generate --help\n"},
		{"bad int", []string{"review", "--new", "many"}, `recall review: invalid argument "many" for "--new" flag: strconv.ParseInt: parsing "many": invalid syntax; see recall review --help` + "\n"},
		{"bad bool", []string{"status", "--json=maybe"}, `recall status: invalid argument "maybe" for "--json" flag: strconv.ParseBool: parsing "maybe": invalid syntax; see recall status --help` + "\n"},
		{"generate without files", []string{"generate"}, "recall generate: needs at least one notes file or folder; see recall generate --help\n"},
		{"lint without files", []string{"lint"}, "recall lint: needs at least one notes file or folder; see recall lint --help\n"},
		{"add without files", []string{"add"}, "recall add: needs at least one notes file or folder; see recall add --help\n"},
		{"restore without ids", []string{"restore"}, "recall restore: needs at least one card id; see recall restore --help\n"},
		{"config with two decks", []string{"config", "A", "B"}, "recall config: takes at most a deck, got 2 arguments; see recall config --help\n"},
		{"config with an empty deck", []string{"config", ""}, "recall config: DECK is empty; leave it out for the collection's limits; see recall config --help\n"},
		{"answer without grade", []string{"answer", "abc"}, "recall answer: needs a card id and a grade; see recall answer --help\n"},
		{"answer with three", []string{"answer", "abc", "good", "easy"}, "recall answer: takes a card id and a grade, got 3 arguments; see recall answer --help\n"},
		{"card without id", []string{"card"}, "recall card: needs a card id; see recall card --help\n"},
		{"status with an argument", []string{"status", "x"}, `recall status: takes no arguments, got "x"; see recall status --help` + "\n"},
		{"sync with an argument", []string{"sync", "notes.md"}, `recall sync: takes no arguments, got "notes.md"; see recall sync --help` + "\n"},
		{"status with an argument", []string{"status", "x"}, `recall status: takes no arguments, got "x"; see recall status --help` + "\n"},
		{"review with an argument", []string{"review", "K8s"}, `recall review: takes no arguments, got "K8s"; see recall review --help` + "\n"},
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
