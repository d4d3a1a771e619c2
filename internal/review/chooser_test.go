package review

import (
	"io"
	"strings"
	"testing"

	"github.com/recall-cli/recall/internal/card"
)

func inDeckEntry(id, deck string) card.Entry {
	e := entry(id, "", 2, 6)
	e.Deck = deck
	return e
}

func TestDeckChoices(t *testing.T) {
	t.Parallel()
	due := []card.Entry{inDeckEntry("a", "Go"), inDeckEntry("b", "Anki::SM-2"), inDeckEntry("c", "Go")}
	fresh := []card.Entry{inDeckEntry("d", "Anki")}
	got := deckChoices(due, fresh)
	want := []deckChoice{
		{"All decks  (3 due · 1 new)", ""},
		{"Anki  (0 due · 1 new)", "Anki"},
		{"Anki::SM-2  (1 due · 0 new)", "Anki::SM-2"},
		{"Go  (2 due · 0 new)", "Go"},
	}
	if len(got) != len(want) {
		t.Fatalf("deckChoices = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("choice %d = %v, want %v", i, got[i], want[i])
		}
	}
	if n := len(InDeck(append(due, fresh...), "Anki")); n != 1 {
		t.Errorf("InDeck(Anki) kept %d entries, want 1 (subdecks have their own line)", n)
	}
}

func TestChooseDeck(t *testing.T) {
	t.Parallel()
	two := []card.Entry{inDeckEntry("a", "Go"), inDeckEntry("b", "Rust")}
	tests := []struct {
		name    string
		due     []card.Entry
		keys    string
		want    string
		wantErr error
	}{
		{"one deck asks nothing", two[:1], "", "", nil},
		{"enter takes all decks", two, "\r", "", nil},
		{"down enter takes the first deck", two, "\x1b[B\r", "Go", nil},
		{"ctrl+c aborts", two, "\x03", "", ErrAborted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ChooseDeck(tt.due, nil, TUIOptions{In: strings.NewReader(tt.keys), Out: io.Discard})
			if err != tt.wantErr || got != tt.want {
				t.Errorf("ChooseDeck = %q, %v; want %q, %v", got, err, tt.want, tt.wantErr)
			}
		})
	}
}
