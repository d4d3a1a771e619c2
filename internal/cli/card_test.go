package cli

import (
	"context"
	"strings"
	"testing"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/store"
)

// syncCards puts cards into the test collection as they are.
func syncCards(t *testing.T, e *testEnv, cards ...card.Card) {
	t.Helper()
	st, err := store.Open(e.vars["RECALL_DB"])
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Sync(context.Background(), store.SourceFile{Path: "notes.md"}, card.Limits{}, cards); err != nil {
		t.Fatal(err)
	}
}

// syncIDs puts basic cards with the given ids into the test collection.
func syncIDs(t *testing.T, e *testEnv, ids ...string) {
	t.Helper()
	var cards []card.Card
	for i, id := range ids {
		front := "Question " + id + "?"
		cards = append(cards, card.Card{
			ID: id, Deck: "D", Kind: card.Basic, Front: front, Back: "answer",
			Context: []string{"D"}, Source: card.Source{File: "notes.md", Line: i + 1},
			Key: card.Normalize(front), Anchor: "notes.md#" + id, Group: id,
		})
	}
	syncCards(t, e, cards...)
}

func TestCardByPrefix(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	syncIDs(t, e, "abcd00000001", "abcd00000002", "abce00000003", "abcf00000001", "abcf00000002", "abcf00000003", "abcf00000004")
	tests := []struct {
		id     string
		code   int
		stdout string // the first line, for a card shown
		stderr string
	}{
		{"abcd00000001", exitOK, "abcd00000001  basic card in D · new", ""},
		{"abce", exitOK, "abce00000003  basic card in D · new", ""},
		{"abcd00000002", exitOK, "abcd00000002  basic card in D · new", ""},
		{"abcd0000000", exitFailure, "", "recall: card id abcd0000000 is ambiguous: abcd00000001, abcd00000002; type more of it\n"},
		{"abc", exitFailure, "", "recall: no card abc\n"},
		{"abcf", exitFailure, "", "recall: card id abcf is ambiguous: abcf00000001, abcf00000002, abcf00000003, …; type more of it\n"},
		{"abcf0000000", exitFailure, "", "recall: card id abcf0000000 is ambiguous: abcf00000001, abcf00000002, abcf00000003, …; type more of it\n"},
		{"abcf00000004", exitOK, "abcf00000004  basic card in D · new", ""},
		{"abc0", exitFailure, "", "recall: no card abc0\n"},
	}
	for _, tt := range tests {
		code := e.run("card", tt.id)
		first, _, _ := strings.Cut(e.out.String(), "\n")
		if code != tt.code || first != tt.stdout || e.errOut.String() != tt.stderr {
			t.Errorf("card %s = exit %d, %q, %q; want %d, %q, %q", tt.id, code, first, e.errOut, tt.code, tt.stdout, tt.stderr)
		}
	}
}

func TestSourceLine(t *testing.T) {
	t.Parallel()
	entry := func(file string, s card.Status) card.Entry {
		return card.Entry{Card: card.Card{Source: card.Source{File: file, Line: 7}}, Status: s}
	}
	tests := []struct {
		e    card.Entry
		want string
	}{
		{entry("notes/k8s.md", card.StatusReview), "notes/k8s.md:7"},
		{entry("notes/k8s.md", card.StatusOrphan), "notes/k8s.md:7 (no longer in these notes)"},
		{entry(store.ShippedPrefix+"git.md", card.StatusNew), store.ShippedPrefix + "git.md:7 (a deck shipped with recall)"},
	}
	for _, tt := range tests {
		if got := sourceLine(tt.e); got != tt.want {
			t.Errorf("sourceLine(%s, %s) = %q, want %q", tt.e.Source.File, tt.e.Status, got, tt.want)
		}
	}
}

// TestCardPrintable: what a card shows cannot steer the terminal, even
// when the collection holds control characters the notes parser would
// have dropped.
func TestCardPrintable(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	syncCards(t, e, card.Card{
		ID: "abcd00000001", Deck: "D\x1b[2J", Kind: card.Basic, Front: "What is \x1b]0;pwned\x07 this?", Back: "an \x1b[2Janswer",
		Context: []string{"D\x1b[1m"}, Tags: []string{"t\u009b"}, Source: card.Source{File: "notes\x1b.md", Line: 1},
		Key: "k", Anchor: "a", Group: "g",
	})
	for _, args := range [][]string{{"card", "abcd00000001"}, {"__complete", "card", ""}} {
		out := e.mustRun(t, args...)
		if strings.ContainsAny(out, "\x1b\x07\u009b") || !strings.Contains(out, "this?") {
			t.Errorf("%v printed control characters, or not the card:\n%q", args, out)
		}
	}
}
