package cli

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/store"
)

// hostile is text that would steer a terminal: a colour, a window title,
// a clipboard write, a carriage return and a C1 CSI.
const hostile = "\x1b[31mred\x1b[0m \x1b]0;pwned\x07 \x1b]52;c;ZXZpbA==\x1b\\ over\rwrite \u009b2J"

// TestTerminalOutputIsPrintable: whatever a collection holds (here put
// there directly, as an older recall could have), status, cards, decks and
// a review print none of it raw.
func TestTerminalOutputIsPrintable(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	st, err := store.Open(e.vars["RECALL_DB"])
	if err != nil {
		t.Fatal(err)
	}
	st.Now = func() time.Time { return testNow }
	cards := []card.Card{{
		ID: "0123456789ab", Deck: "Deck " + hostile, Kind: card.Basic,
		Front: "Front " + hostile, Back: "Back " + hostile,
		Context: []string{"Ctx " + hostile}, Tags: []string{"tag"},
		Source: card.Source{File: "notes.md", Line: 1}, Key: "k", Anchor: "a", Group: "g",
	}}
	if _, err := st.Sync(context.Background(), store.SourceFile{Path: e.path("notes.md"), Hash: "h"}, card.Limits{}, cards); err != nil {
		t.Fatal(err)
	}
	st.Close()
	e.Stdin = strings.NewReader("\n3\n")
	for _, args := range [][]string{{"status"}, {"cards"}, {"decks"}, {"card", "0123456789ab"}, {"review", "--plain"}} {
		out := e.mustRun(t, args...) + e.errOut.String()
		if i := strings.IndexFunc(out, func(r rune) bool {
			return r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r <= 0x9f
		}); i >= 0 {
			t.Errorf("recall %v printed a control character %q: %q", args, out[i], out)
		}
		if !strings.Contains(out, "pwned") {
			t.Errorf("recall %v: the text around the controls is gone: %q", args, out)
		}
	}
}
