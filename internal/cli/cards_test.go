package cli

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/card"
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
	rowCloze1  = "1075e6b018af\tnew\t-\t0\tColours\tPrimary … (item 1 hidden)\n"
	rowList    = "f17daf6d89d9\tnew\t-\t0\tColours\tPrimary — name the 3 items\n"
	rowCloze2  = "44035abe710b\tnew\t-\t0\tColours\tPrimary … (item 2 hidden)\n"
	rowCloze3  = "545f5f4e7ab1\tnew\t-\t0\tColours\tPrimary … (item 3 hidden)\n"
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

func TestCardsSearch(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		args       []string
		want, errs string
	}{
		{name: "words", args: []string{"etcd", "port"}, want: rowEtcd},
		{name: "query and flag", args: []string{"--deck", "K8s", "is:new"}, want: rowKubelet},
		{name: "quoted deck", args: []string{`deck:"colours" -is:new or kubelet`}, want: rowKubelet},
		{name: "no match", args: []string{"deck:K8s", "zebra"}, errs: "no cards match deck:K8s zebra\n"},
		{name: "no match with flags", args: []string{"--due", "--deck", "k8s"}, errs: "no cards match --deck \"k8s\" --due\n"},
		{name: "no match as JSON", args: []string{"--json", "zebra"}, want: "[]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newCollection(t)
			if code := e.run(append([]string{"cards"}, tt.args...)...); code != exitOK {
				t.Fatalf("cards %q = exit %d: %s", tt.args, code, e.errOut)
			}
			if e.out.String() != tt.want || e.errOut.String() != tt.errs {
				t.Errorf("cards %q: stdout %q, stderr %q; want %q, %q", tt.args, e.out, e.errOut, tt.want, tt.errs)
			}
		})
	}
}

func TestCardsSearchError(t *testing.T) {
	t.Parallel()
	e := newCollection(t)
	if code := e.run("cards", "deck:K8s", "(is:new"); code != exitUsage {
		t.Errorf("cards with an unclosed parenthesis = exit %d, want %d", code, exitUsage)
	}
	want := "recall cards: search: unclosed parenthesis (column 10) in \"deck:K8s (is:new\"; see recall cards --help\n"
	if e.errOut.String() != want || e.out.Len() != 0 {
		t.Errorf("stderr %q, stdout %q; want stderr %q", e.errOut, e.out, want)
	}
}

func TestFrontLabels(t *testing.T) {
	t.Parallel()
	entry := func(front string, line int, ctx ...string) card.Entry {
		return card.Entry{Card: card.Card{Kind: card.Basic, Front: front, Context: ctx, Source: card.Source{Line: line}}}
	}
	cloze := func(front string) card.Entry {
		e := entry(front, 9, "Talk", "Intro")
		e.Kind = card.Cloze
		return e
	}
	tests := []struct {
		name string
		in   []card.Entry
		want []string
	}{
		{
			name: "different fronts keep their first line",
			in:   []card.Entry{entry("One\nmore", 1, "A"), entry("Two", 2, "A")},
			want: []string{"One …", "Two"},
		},
		{
			name: "the fewest levels that tell them apart",
			in: []card.Entry{
				entry("Takeaways", 1, "QCon", "Day 1", "Netflix"),
				entry("Takeaways", 2, "QCon", "Day 1", "Uber"),
				entry("Takeaways", 3, "QCon", "Day 2", "Netflix"),
				entry("Other", 4, "QCon", "Day 2", "Netflix"),
			},
			want: []string{"Day 1 › Netflix › Takeaways", "Day 1 › Uber › Takeaways", "Day 2 › Netflix › Takeaways", "Other"},
		},
		{
			name: "clozes of one list name the item they hide",
			in:   []card.Entry{cloze("Primary\n\n- [...]\n- Yellow"), cloze("Primary\n\n- Red\n- [...]")},
			want: []string{"Primary … (item 1 hidden)", "Primary … (item 2 hidden)"},
		},
		{
			name: "same breadcrumb, else the line",
			in:   []card.Entry{entry("Why?", 3, "A", "B"), entry("Why?", 7, "A", "B"), entry("Why?", 9, "A", "C")},
			want: []string{"B › Why? (line 3)", "B › Why? (line 7)", "C › Why?"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := frontLabels(tt.in); !slices.Equal(got, tt.want) {
				t.Errorf("frontLabels() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestCardsArgs(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		code int
		want string // in stdout
		errs string // in stderr
	}{
		{name: "negation is no flag", args: []string{"deck:K8s", "-is:new"}, want: rowEtcd},
		{name: "flag value after a word", args: []string{"-kubelet", "--deck", "K8s"}, want: rowEtcd},
		{name: "flag with =", args: []string{"--deck=K8s", "is:new"}, want: rowKubelet},
		{name: "words after --", args: []string{"--", "--deck"}, errs: "no cards match --deck\n"},
		{name: "help", args: []string{"-h"}, want: "Anki's\nsearch syntax"},
		{name: "unknown flag", args: []string{"is:new", "--bogus"}, code: exitUsage, errs: "recall cards: unknown flag: --bogus; see recall cards --help\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newCollection(t)
			if code := e.run(append([]string{"cards"}, tt.args...)...); code != tt.code {
				t.Fatalf("cards %q = exit %d, want %d: %s", tt.args, code, tt.code, e.errOut)
			}
			if !strings.Contains(e.out.String(), tt.want) || e.errOut.String() != tt.errs {
				t.Errorf("cards %q: stdout %q, stderr %q; want %q in stdout, stderr %q", tt.args, e.out, e.errOut, tt.want, tt.errs)
			}
		})
	}
}
