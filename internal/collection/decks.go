package collection

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/recall-cli/recall/internal/anki"
	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/store"
)

// NoDeckError says a deck a person named is not in the collection. It
// matches card.ErrNotFound.
type NoDeckError struct {
	Deck string
	// Near are the names of the collection closest to Deck, best first
	// (none when nothing is close): a "did you mean".
	Near []string
}

// Error says the name and, on the same line, the names near it: `no deck
// "Go::Tools" (did you mean "Go::Tool"?)`.
func (e *NoDeckError) Error() string {
	s := fmt.Sprintf("no deck %q", e.Deck)
	if len(e.Near) == 0 {
		return s
	}
	q := make([]string, len(e.Near))
	for i, n := range e.Near {
		q[i] = strconv.Quote(n)
	}
	near := q[len(q)-1]
	if len(q) > 1 {
		near = strings.Join(q[:len(q)-1], ", ") + " or " + near
	}
	return s + " (did you mean " + near + "?)"
}

// Is makes a NoDeckError match card.ErrNotFound.
func (e *NoDeckError) Is(target error) bool { return target == card.ErrNotFound }

// Deck finds the deck or subdeck a person named, ignoring case, and
// returns it spelled as the collection spells it: "qcon sf 2018::containers"
// is "QCon SF 2018::Containers". A name the collection does not have is a
// NoDeckError saying which names are near it.
func (c *Collection) Deck(ctx context.Context, name string) (string, error) {
	names, err := c.deckNames(ctx)
	if err != nil {
		return "", err
	}
	spelled, ok := findDeck(name, names)
	if !ok {
		return "", &NoDeckError{Deck: name, Near: nearDecks(name, names)}
	}
	return spelled, nil
}

// NoDeck is the NoDeckError for a name the collection does not have, with
// the names near it.
func (c *Collection) NoDeck(ctx context.Context, name string) error {
	names, err := c.deckNames(ctx)
	if err != nil {
		return err
	}
	return &NoDeckError{Deck: name, Near: nearDecks(name, names)}
}

// deckNames are the decks of the collection and their subdecks.
func (c *Collection) deckNames(ctx context.Context) ([]string, error) {
	decks, err := c.Store.Decks(ctx)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, d := range decks {
		names = append(names, d.Name)
		for _, s := range d.Subdecks {
			names = append(names, s.Name)
		}
	}
	return names, nil
}

// findDeck finds name among the decks, or above some: the spelling of the
// first deck it matches exactly, else of the part of the first deck it is
// above ("qcon" is "QCon" of "QCon::Containers").
func findDeck(name string, decks []string) (string, bool) {
	var above card.Deck
	for _, d := range decks {
		spelled, ok := card.Deck(d).Within(card.Deck(name))
		switch {
		case ok && string(spelled) == d:
			return d, true
		case ok && above == "":
			above = spelled
		}
	}
	return string(above), above != ""
}

// nearDecks are the decks a mistyped name may mean, best first, at most
// three: those a few typing mistakes away, those whose last level is the
// name's ("Containers" for "QCon SF 2018::Containers"), those that start
// as it does ("QCon" for "QCon SF 2018"), those whose last level holds
// the name's ("PyCon::Dependency hell" for "PyCon Notes::Talk: Dependency
// hell").
func nearDecks(name string, decks []string) []string {
	fold := strings.ToLower(strings.TrimSpace(name))
	if fold == "" {
		return nil
	}
	last := lastLevel(fold)
	type scored struct {
		name  string
		score int // lower is nearer
	}
	var out []scored
	for _, d := range decks {
		fd := strings.ToLower(d)
		score := -1
		switch dist := store.EditDistance(fold, fd); {
		case dist <= max(2, len([]rune(fd))/4):
			score = dist
		case lastLevel(fd) == last:
			score = 3
		case len([]rune(fold)) >= 3 && strings.HasPrefix(fd, fold):
			score = 4 + len(fd) - len(fold)
		case len([]rune(last)) >= 4 && strings.Contains(lastLevel(fd), last):
			score = 4 + len(fd)
		}
		if score >= 0 {
			out = append(out, scored{d, score})
		}
	}
	slices.SortStableFunc(out, func(a, b scored) int { return a.score - b.score })
	if len(out) > 0 && out[0].score <= 2 {
		// A typo is what was meant: the names merely alike are noise.
		out = slices.DeleteFunc(out, func(s scored) bool { return s.score > 2 })
	}
	var names []string
	for _, s := range out[:min(len(out), 3)] {
		names = append(names, s.name)
	}
	return names
}

// lastLevel is the last level of a deck's name, trimmed: "Containers" of
// "QCon::Containers".
func lastLevel(name string) string {
	path := card.Deck(name).Path()
	return strings.TrimSpace(path[len(path)-1])
}

// subdeckOf is the subdeck path of a card of the notes: its deck, and its
// section as the Anki export names it (anki.Subdeck).
func subdeckOf(c card.Card) string {
	if sub := anki.Subdeck(c); sub != "" {
		return c.Deck + card.DeckSep + sub
	}
	return c.Deck
}
