package review

import (
	"errors"
	"fmt"
	"sort"

	"github.com/charmbracelet/huh"

	"github.com/recall-cli/recall/internal/card"
)

// ErrAborted is what ChooseDeck returns when the person quits the chooser
// (ctrl+c or esc) instead of picking a deck.
var ErrAborted = errors.New("aborted")

// ChooseDeck asks on the terminal which deck to study when today's cards
// come from more than one, as Anki's deck list does; "" means all of them
// (the first choice, which enter takes). With a single deck nothing is
// asked. Only In, Out and Color of opts are used.
func ChooseDeck(due, fresh []card.Entry, opts TUIOptions) (string, error) {
	choices := deckChoices(due, fresh)
	if len(choices) < 3 { // all decks and one deck: nothing to choose
		return "", nil
	}
	options := make([]huh.Option[string], len(choices))
	for i, c := range choices {
		options[i] = huh.NewOption(c.label, c.deck)
	}
	var choice string
	form := huh.NewForm(huh.NewGroup(
		huh.NewSelect[string]().Title("Study which deck?").Options(options...).Value(&choice),
	)).WithInput(opts.In).WithOutput(opts.Out).WithShowHelp(true)
	if !opts.Color {
		form = form.WithTheme(huh.ThemeBase())
	}
	if err := form.Run(); err != nil {
		if errors.Is(err, huh.ErrUserAborted) {
			return "", ErrAborted
		}
		return "", err
	}
	return choice, nil
}

// deckChoice is one line of the chooser: a label with the deck's counts
// and the deck it picks ("" for all).
type deckChoice struct {
	label, deck string
}

// deckChoices lists all decks first, then each deck with cards today in
// name order, each with its due and new counts.
func deckChoices(due, fresh []card.Entry) []deckChoice {
	type counts struct{ due, fresh int }
	per := map[string]*counts{}
	var names []string
	for i, list := range [][]card.Entry{due, fresh} {
		for _, e := range list {
			c := per[e.Deck]
			if c == nil {
				c = &counts{}
				per[e.Deck] = c
				names = append(names, e.Deck)
			}
			if i == 0 {
				c.due++
			} else {
				c.fresh++
			}
		}
	}
	sort.Strings(names)
	describe := func(c counts) string { return fmt.Sprintf("%d due · %d new", c.due, c.fresh) }
	out := []deckChoice{{fmt.Sprintf("All decks  (%s)", describe(counts{len(due), len(fresh)})), ""}}
	for _, n := range names {
		out = append(out, deckChoice{fmt.Sprintf("%s  (%s)", card.Printable(n), describe(*per[n])), n})
	}
	return out
}

// InDeck keeps the entries of one deck, exactly that deck (the chooser
// lists each deck that has cards, subdecks on their own lines).
func InDeck(entries []card.Entry, deck string) []card.Entry {
	var out []card.Entry
	for _, e := range entries {
		if e.Deck == deck {
			out = append(out, e)
		}
	}
	return out
}
