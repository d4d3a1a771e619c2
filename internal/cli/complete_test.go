package cli

import (
	"strings"
	"testing"
)

// TestCompleteWithoutCollection: completion offers nothing, says nothing
// on stderr and creates no collection when there is none.
func TestCompleteWithoutCollection(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{
		{"__complete", "card", ""},
		{"__complete", "answer", ""},
		{"__complete", "restore", "ab"},
		{"__complete", "cards", "--deck", ""},
		{"__complete", "config", ""},
	} {
		e := newTestEnv(t)
		out := e.mustRun(t, args...)
		if out != ":4\n" || e.dbExists() {
			t.Errorf("%v = %q, collection created %v; want only the directive :4 and no collection", args, out, e.dbExists())
		}
		if strings.Contains(e.errOut.String(), "recall") {
			t.Errorf("%v: stderr %q, want nothing from recall", args, e.errOut)
		}
	}
}

func TestCompleteCardsAndDecks(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	syncIDs(t, e, "abcd00000001", "abcd00000002", "bbbb00000003")
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"card", ""}, "abcd00000001\tQuestion abcd00000001?\nabcd00000002\tQuestion abcd00000002?\nbbbb00000003\tQuestion bbbb00000003?\n:4\n"},
		{[]string{"card", "bb"}, "bbbb00000003\tQuestion bbbb00000003?\n:4\n"},
		{[]string{"card", "ABCD00000002"}, "abcd00000002\tQuestion abcd00000002?\n:4\n"},
		{[]string{"card", "abcd00000001", ""}, ":4\n"},
		{[]string{"answer", "abcd00000001", ""}, "again\nhard\ngood\neasy\n:4\n"},
		{[]string{"restore", "abcd00000001", "b"}, "bbbb00000003\tQuestion bbbb00000003?\n:4\n"},
		{[]string{"cards", "--deck", ""}, "D\n:4\n"},
		{[]string{"review", "--deck", "d"}, "D\n:4\n"},
		{[]string{"config", ""}, "D\n:4\n"},
		{[]string{"config", "D", ""}, ":4\n"},
		{[]string{"status", ""}, ":4\n"},
		{[]string{"add", ""}, ":0\n"},
	}
	for _, tt := range tests {
		out := e.mustRun(t, append([]string{"__complete"}, tt.args...)...)
		if out != tt.want {
			t.Errorf("__complete %q = %q, want %q", tt.args, out, tt.want)
		}
	}
}
