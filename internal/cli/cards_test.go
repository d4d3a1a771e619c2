package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// newCollection adds colours and k8s and answers the etcd card good, so
// that it is in review and due tomorrow.
func newCollection(t *testing.T) *testEnv {
	t.Helper()
	e := newTestEnv(t)
	e.mustRun(t, "add", e.write(t, "colours.md", colours), e.write(t, "k8s.md", k8s))
	e.mustRun(t, "answer", "b15b062ed275", "good")
	return e
}

// The card rows of newCollection, as a pipe gets them.
const (
	rowCloze1  = "1075e6b018af\tnew\t-\t0\tColours\tPrimary …\n"
	rowList    = "f17daf6d89d9\tnew\t-\t0\tColours\tPrimary — name the 3 items\n"
	rowCloze2  = "44035abe710b\tnew\t-\t0\tColours\tPrimary …\n"
	rowCloze3  = "545f5f4e7ab1\tnew\t-\t0\tColours\tPrimary …\n"
	rowEtcd    = "b15b062ed275\treview\t2026-03-03\t1\tK8s\tWhat port does etcd serve clients on?\n"
	rowKubelet = "2eae42c2409e\tnew\t-\t0\tK8s\tWhat does the kubelet do?\n"
)

func TestCards(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		args     []string
		tomorrow bool
		tty      bool
		want     string
	}{
		{name: "all", args: nil, want: rowCloze1 + rowList + rowCloze2 + rowCloze3 + rowEtcd + rowKubelet},
		{name: "--deck", args: []string{"--deck", "K8s"}, want: rowEtcd + rowKubelet},
		{name: "--due today", args: []string{"--due"}, want: ""},
		{name: "--due tomorrow", args: []string{"--due"}, tomorrow: true, want: rowEtcd},
		{name: "--due --deck", args: []string{"--due", "--deck", "Colours"}, tomorrow: true, want: ""},
		{name: "--orphans", args: []string{"--orphans"}, want: ""},
		{
			name: "terminal",
			args: []string{"--deck", "K8s"},
			tty:  true,
			want: "ID            STATUS  DUE         IVL  DECK  FRONT\n" +
				"b15b062ed275  review  2026-03-03  1    K8s   What port does etcd serve clients on?\n" +
				"2eae42c2409e  new     -           0    K8s   What does the kubelet do?\n",
		},
		{
			name: "terminal with no cards has the header",
			args: []string{"--orphans"},
			tty:  true,
			want: "ID  STATUS  DUE  IVL  DECK  FRONT\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newCollection(t)
			if tt.tomorrow {
				e.Now = func() time.Time { return testNow.AddDate(0, 0, 1) }
			}
			e.StdoutTTY = tt.tty
			got := e.mustRun(t, append([]string{"cards"}, tt.args...)...)
			if got != tt.want {
				t.Errorf("cards %v:\n%s\nwant:\n%s", tt.args, got, tt.want)
			}
		})
	}
}

func TestCardsOrphans(t *testing.T) {
	t.Parallel()
	e := newCollection(t)
	e.write(t, "k8s.md", "# K8s\n\nWhat port does etcd serve clients on? :: 2379\n")
	e.mustRun(t, "sync")
	want := "2eae42c2409e\torphan\t-\t0\tK8s\tWhat does the kubelet do?\n"
	if got := e.mustRun(t, "cards", "--orphans"); got != want {
		t.Errorf("cards --orphans = %q, want %q", got, want)
	}
	// Without --orphans they are left out.
	if got := e.mustRun(t, "cards", "--deck", "K8s"); got != rowEtcd {
		t.Errorf("cards --deck K8s:\n%s", got)
	}
}

func TestCardsJSON(t *testing.T) {
	t.Parallel()
	e := newCollection(t)
	got := e.mustRun(t, "cards", "--json", "--deck", "K8s")
	want := `[
  {
    "id": "b15b062ed275",
    "deck": "K8s",
    "kind": "basic",
    "front": "What port does etcd serve clients on?",
    "back": "2379",
    "context": [
      "K8s"
    ],
    "tags": [],
    "source": {
      "file": "DIR/k8s.md",
      "line": 3
    },
    "status": "review",
    "schedule": {
      "scheduler": "sm2",
      "reps": 1,
      "ef": 2.5,
      "interval": 1,
      "due": "2026-03-03",
      "lapses": 0
    }
  },
  {
    "id": "2eae42c2409e",
    "deck": "K8s",
    "kind": "basic",
    "front": "What does the kubelet do?",
    "back": "runs pods",
    "context": [
      "K8s"
    ],
    "tags": [],
    "source": {
      "file": "DIR/k8s.md",
      "line": 5
    },
    "status": "new",
    "schedule": {
      "scheduler": "sm2",
      "reps": 0,
      "ef": 2.5,
      "interval": 0,
      "due": null,
      "lapses": 0
    }
  }
]
`
	if got = strings.ReplaceAll(got, e.dir, "DIR"); got != want {
		t.Errorf("cards --json:\n%s\nwant:\n%s", got, want)
	}

	// No cards is an empty array, not null.
	if got := e.mustRun(t, "cards", "--json", "--orphans"); got != "[]\n" {
		t.Errorf("cards --json --orphans = %q, want %q", got, "[]\n")
	}

	// Every card of the collection has a status and a schedule.
	var all []map[string]json.RawMessage
	if err := json.Unmarshal([]byte(e.mustRun(t, "cards", "--json")), &all); err != nil {
		t.Fatal(err)
	}
	if len(all) != 6 {
		t.Fatalf("cards --json gave %d cards, want 6", len(all))
	}
	for _, c := range all {
		if len(c["status"]) == 0 || len(c["schedule"]) == 0 {
			t.Errorf("cards --json: card %s lacks status or schedule", c["id"])
		}
	}
}

func TestCardsUnknownDeck(t *testing.T) {
	t.Parallel()
	e := newCollection(t)
	if code := e.run("cards", "--deck", "Nope"); code != exitFailure {
		t.Errorf("cards --deck Nope = exit %d, want %d", code, exitFailure)
	}
	if want := "recall: no deck \"Nope\"\nhint: 'recall decks' lists them\n"; e.errOut.String() != want {
		t.Errorf("cards --deck Nope: stderr = %q, want %q", e.errOut, want)
	}
	if e.out.Len() != 0 {
		t.Errorf("cards --deck Nope: stdout = %q", e.out)
	}
}

func TestFirstLine(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"one line", "one line"},
		{"Primary\n\n- [...]", "Primary …"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := firstLine(tt.in); got != tt.want {
			t.Errorf("firstLine(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
