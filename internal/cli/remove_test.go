package cli

import (
	"regexp"
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

// suspend and its kin take ids, unique prefixes of them, or a search.
func TestCardArgs(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.write(t, "notes.md", "# Capitals\n\n- Japan: Tokyo\n- France: Paris\n")
	e.mustRun(t, "add", e.path("notes.md"))
	e.mustRun(t, "cards", "--json")
	ids := regexp.MustCompile(`"id": "([0-9a-f]{12})"`).FindAllStringSubmatch(e.out.String(), -1)
	if len(ids) != 2 {
		t.Fatalf("cards: %s", e.out)
	}
	japan := ids[0][1]
	for _, args := range [][]string{{japan}, {japan[:6]}, {"Tokyo"}, {"deck:Capitals", "Japan"}} {
		e.mustRun(t, "unsuspend", japan)
		e.mustRun(t, "suspend", "--json", strings.Join(args, " "))
		if !strings.Contains(e.out.String(), `"changed": [`+"\n"+`    "`+japan+`"`+"\n  ]") {
			t.Errorf("suspend %q:\n%s", args, e.out)
		}
	}
}
