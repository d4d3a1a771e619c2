package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

// talk has a list, skipped blocks and a warning.
const talk = `Queues:

- back-pressure
- bounded buffers
- retries with jitter

A paragraph of thoughts.

- We shipped it.
  - on Friday
`

func TestLintText(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	p := e.write(t, "talk.md", talk)
	q := e.write(t, "k8s.md", k8s)
	got := e.mustRun(t, "lint", p, q)
	want := p + ":3: list of 3 items → 4 cards (Queues)\n" +
		p + ":7: skipped: prose (A paragraph of thoughts.)\n" +
		p + ":9: skipped: an outline of sections (each one's list makes its cards) (talk)\n" +
		p + ":10: skipped: one item under a label that asks nothing (We shipped it.)\n" +
		p + ":10: warning: one item under \"We shipped it.\": end the label with ':' or '?' if it asks for the item\n" +
		p + ": 4 cards from 1 block; 3 blocks skipped; 1 warning\n" +
		q + ":3: question → 1 card (What port does etcd serve clients on?)\n" +
		q + ":5: question → 1 card (What does the kubelet do?)\n" +
		q + ": 2 cards from 2 blocks; 0 blocks skipped; 0 warnings\n"
	if got != want {
		t.Errorf("lint:\n%s\nwant:\n%s", got, want)
	}
	if e.errOut.Len() != 0 {
		t.Errorf("lint: stderr = %q, want nothing", e.errOut)
	}
	if e.dbExists() {
		t.Error("lint created the collection")
	}
}

func TestLintJSON(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	p := e.write(t, "talk.md", talk)
	var got []map[string]any
	if err := json.Unmarshal([]byte(e.mustRun(t, "lint", "--json", p)), &got); err != nil {
		t.Fatalf("lint --json: %v\n%s", err, e.out)
	}
	if len(got) != 5 {
		t.Fatalf("lint --json gave %d findings, want 5: %v", len(got), got)
	}
	first := map[string]any{"file": p, "line": 3.0, "shape": "list of 3 items", "cards": 4.0, "text": "Queues"}
	for k, v := range first {
		if got[0][k] != v {
			t.Errorf("finding 0: %s = %v, want %v", k, got[0][k], v)
		}
	}
	if got[1]["skipped"] != "prose" || got[1]["cards"] != 0.0 || got[1]["line"] != 7.0 {
		t.Errorf("finding 1 = %v, want prose skipped at line 7", got[1])
	}
	if w, _ := got[4]["warning"].(string); !strings.HasPrefix(w, `one item under "We shipped it."`) {
		t.Errorf("finding 4 = %v, want the warning", got[4])
	}

	// No findings is an empty array, not null.
	empty := e.write(t, "empty.md", "")
	if got := e.mustRun(t, "lint", "--json", empty); got != "[]\n" {
		t.Errorf("lint --json on an empty file = %q, want %q", got, "[]\n")
	}
}

// Only a file that cannot be read fails lint; the other files still lint.
func TestLintExitCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		json    bool
		missing bool
		code    int
	}{
		{"text", false, false, exitOK},
		{"json", true, false, exitOK},
		{"text with a missing file", false, true, exitFailure},
		{"json with a missing file", true, true, exitFailure},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			args := []string{"lint", e.write(t, "talk.md", talk)}
			if tt.missing {
				args = append(args, e.path("missing.md"))
			}
			if tt.json {
				args = append(args, "--json")
			}
			if code := e.run(args...); code != tt.code {
				t.Errorf("%v = exit %d, want %d", args, code, tt.code)
			}
			wantErr := ""
			if tt.missing {
				wantErr = "recall: " + e.path("missing.md") + ": no such file or directory\n"
			}
			if e.errOut.String() != wantErr {
				t.Errorf("%v: stderr = %q, want %q", args, e.errOut, wantErr)
			}
			if !strings.Contains(e.out.String(), "list of 3 items") {
				t.Errorf("%v: stdout lacks the good file's findings:\n%s", args, e.out)
			}
		})
	}
}

func TestCount(t *testing.T) {
	t.Parallel()
	tests := []struct {
		n    int
		want string
	}{{0, "0 cards"}, {1, "1 card"}, {2, "2 cards"}}
	for _, tt := range tests {
		if got := count(tt.n, "card"); got != tt.want {
			t.Errorf("count(%d, card) = %q, want %q", tt.n, got, tt.want)
		}
	}
}
