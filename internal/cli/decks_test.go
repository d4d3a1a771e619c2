package cli

import (
	"strings"
	"testing"
)

func TestDecks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		tty  bool
		want string
	}{
		{
			name: "pipe",
			want: "Colours\t4\t20 (default)\t200 (default)\nK8s\t2\t5 (config)\t7 (config)\n",
		},
		{
			name: "terminal",
			tty:  true,
			want: "DECK     CARDS  NEW/DAY       REVIEWS/DAY\n" +
				"Colours  4      20 (default)  200 (default)\n" +
				"K8s      2      5 (config)    7 (config)\n",
		},
		{
			name: "json",
			args: []string{"--json"},
			want: `[
  {
    "name": "Colours",
    "cards": 4,
    "new_per_day": 20,
    "new_per_day_from": "default",
    "reviews_per_day": 200,
    "reviews_per_day_from": "default",
    "subdecks": []
  },
  {
    "name": "K8s",
    "cards": 2,
    "new_per_day": 5,
    "new_per_day_from": "config",
    "reviews_per_day": 7,
    "reviews_per_day_from": "config",
    "subdecks": []
  }
]
`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			e.mustRun(t, "add", e.write(t, "colours.md", colours), e.write(t, "k8s.md", k8s))
			e.mustRun(t, "config", "K8s", "--new", "5", "--reviews", "7")
			e.StdoutTTY = tt.tty
			if got := e.mustRun(t, append([]string{"decks"}, tt.args...)...); got != tt.want {
				t.Errorf("decks %v:\n%s\nwant:\n%s", tt.args, got, tt.want)
			}
		})
	}
}

func TestDecksEmpty(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		tty  bool
		want string
	}{
		{[]string{"decks"}, false, ""},
		{[]string{"decks"}, true, "DECK  CARDS  NEW/DAY  REVIEWS/DAY\n"},
		{[]string{"decks", "--json"}, false, "[]\n"},
	}
	for _, tt := range tests {
		e := newTestEnv(t)
		e.StdoutTTY = tt.tty
		if got := e.mustRun(t, tt.args...); got != tt.want {
			t.Errorf("%v (terminal %v) on an empty collection = %q, want %q", tt.args, tt.tty, got, tt.want)
		}
	}
}

// A deck name takes a deck or one of its headings' subdecks, in any case,
// wherever a command takes a deck; a near miss says what it may mean.
func TestDeckChoice(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.mustRun(t, "add", e.write(t, "talk.md", "# Talk\n\n## Containers\n\nWhat is a pod? :: containers together\n\n## Go\n\nWho made Go? :: Google\n"))
	if got := e.mustRun(t, "decks"); got != "Talk\t2\t20 (default)\t200 (default)\nTalk::Containers\t1\t-\t-\nTalk::Go\t1\t-\t-\n" {
		t.Errorf("decks = %q", got)
	}
	if got := e.mustRun(t, "review", "--deck", "talk::CONTAINERS"); !strings.HasPrefix(got, "\ncard 1/1 · new 1 · learning 0 · due 0\nTalk › Containers\nQ: What is a pod?") {
		t.Errorf("review --deck talk::CONTAINERS starts %q", firstLines(got, 4))
	}
	if got := e.mustRun(t, "cards", "--deck", "Talk::go"); !strings.HasSuffix(got, "\tnew\t-\t0\tTalk\tWho made Go?\n") || strings.Count(got, "\n") != 1 {
		t.Errorf("cards --deck Talk::go = %q", got)
	}
	if got := e.mustRun(t, "status", "--deck", "TALK::Go"); got != "Talk::Go\t1\t0\t0\t0\t1\t0\t0\n" {
		t.Errorf("status --deck TALK::Go = %q", got)
	}
	if got := e.mustRun(t, "status", "--deck", "talk"); got != "Talk\t2\t0\t0\t0\t2\t0\t0\n" {
		t.Errorf("status --deck talk = %q", got)
	}
	for _, cmd := range [][]string{{"review"}, {"cards"}, {"status"}, {"export", "--csv"}, {"config"}} {
		args := append(cmd, "--deck", "Talk::Container")
		if cmd[0] == "config" {
			args = []string{"config", "Talk::Container"}
		}
		if code := e.run(args...); code != exitFailure {
			t.Errorf("%v = exit %d, want %d", args, code, exitFailure)
		}
		want := "recall: no deck \"Talk::Container\" (did you mean \"Talk::Containers\"?)\n"
		if got := e.errOut.String(); got != want {
			t.Errorf("%v: stderr = %q, want %q", args, got, want)
		}
	}
}
