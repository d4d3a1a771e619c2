package cli

import "testing"

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
    "reviews_per_day_from": "default"
  },
  {
    "name": "K8s",
    "cards": 2,
    "new_per_day": 5,
    "new_per_day_from": "config",
    "reviews_per_day": 7,
    "reviews_per_day_from": "config"
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
