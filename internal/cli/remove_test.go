package cli

import (
	"strings"
	"testing"
)

// On a terminal remove asks, and only a yes removes.
func TestRemoveAsks(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		answer  string
		removed bool
	}{
		{"y\n", true},
		{"YES\n", true},
		{"n\n", false},
		{"\n", false},
		{"", false}, // end of input
		{"maybe\n", false},
	} {
		e := newTestEnv(t)
		e.write(t, "notes.md", "# Capitals\n\n- Japan: Tokyo\n- France: Paris\n")
		e.mustRun(t, "add", e.path("notes.md"))
		e.StdinTTY = true
		e.Stdin = strings.NewReader(tc.answer)
		e.mustRun(t, "remove", "Capitals")
		if !strings.Contains(e.errOut.String(), "Remove deck \"Capitals\": 2 cards, 0 reviews? Your notes stay as they are. [y/N] ") {
			t.Errorf("answer %q: the question was\n%s", tc.answer, e.errOut)
		}
		e.mustRun(t, "cards", "--json")
		if kept := strings.Contains(e.out.String(), "Tokyo"); kept == tc.removed {
			t.Errorf("answer %q: cards after remove:\n%s", tc.answer, e.out)
		}
	}
}
