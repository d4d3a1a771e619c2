package cli

import (
	"testing"
	"time"
)

func TestStatusEmpty(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		tty  bool
		want string
	}{
		{"pipe", []string{"status"}, false, "the collection is empty: add notes with 'recall add NOTES.md'\n"},
		{"terminal", []string{"status"}, true, "the collection is empty: add notes with 'recall add NOTES.md'\n"},
		{"json", []string{"status", "--json"}, false, "[]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			e.StdoutTTY = tt.tty
			if got := e.mustRun(t, tt.args...); got != tt.want {
				t.Errorf("%v = %q, want %q", tt.args, got, tt.want)
			}
		})
	}
}

// A terminal gets a header and aligned columns, plus a total row when
// there is more than one deck; a pipe gets bare tab-separated lines.
func TestStatusTable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		tty   bool
		notes []string
		want  string
	}{
		{
			name:  "pipe, two decks",
			notes: []string{colours, k8s},
			want:  "Colours\t4\t0\t0\t0\t4\t0\t0\nK8s\t1\t0\t0\t1\t2\t0\t0\n",
		},
		{
			name:  "pipe, one deck",
			notes: []string{k8s},
			want:  "K8s\t1\t0\t0\t1\t2\t0\t0\n",
		},
		{
			name:  "terminal, two decks",
			tty:   true,
			notes: []string{colours, k8s},
			want: "DECK     NEW  LEARNING  DUE  TOMORROW  TOTAL  SUSPENDED  ORPHANS\n" +
				"Colours  4    0         0    0         4      0          0\n" +
				"K8s      1    0         0    1         2      0          0\n" +
				"all      5    0         0    1         6      0          0\n",
		},
		{
			name:  "terminal, one deck",
			tty:   true,
			notes: []string{k8s},
			want: "DECK  NEW  LEARNING  DUE  TOMORROW  TOTAL  SUSPENDED  ORPHANS\n" +
				"K8s   1    0         0    1         2      0          0\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			for i, n := range tt.notes {
				e.mustRun(t, "add", e.write(t, string(rune('a'+i))+".md", n))
			}
			// A card answered today is due tomorrow.
			e.mustRun(t, "answer", "b15b062ed275", "good")
			e.StdoutTTY = tt.tty
			if got := e.mustRun(t, "status"); got != tt.want {
				t.Errorf("status:\n%s\nwant:\n%s", got, tt.want)
			}
		})
	}
}

func TestStatusJSON(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.mustRun(t, "add", e.write(t, "k8s.md", k8s))
	e.mustRun(t, "answer", "b15b062ed275", "good")
	e.Now = func() time.Time { return testNow.AddDate(0, 0, 1) }
	want := `[
  {
    "deck": "K8s",
    "new": 1,
    "learning": 0,
    "due_today": 1,
    "due_tomorrow": 1,
    "total": 2,
    "suspended": 0,
    "orphans": 0
  }
]
`
	// --json is the same on a terminal.
	e.StdoutTTY = true
	if got := e.mustRun(t, "status", "--json"); got != want {
		t.Errorf("status --json:\n%s\nwant:\n%s", got, want)
	}
}

func TestCell(t *testing.T) {
	t.Parallel()
	if got := cell("a\tb\tc"); got != "a b c" {
		t.Errorf("cell(a\\tb\\tc) = %q, want %q", got, "a b c")
	}
}
