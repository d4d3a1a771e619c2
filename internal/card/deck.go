package card

import "strings"

// Deck is a deck's name. "A::B" is deck B inside deck A, a subdeck, as in
// Anki: everything about decks that nest is in this type.
type Deck string

// DeckSep separates the levels of a deck's name.
const DeckSep = "::"

// Path is the levels of the name, from the top: "A::B" gives ["A", "B"].
func (d Deck) Path() []string { return strings.Split(string(d), DeckSep) }

// Parent is the deck d is inside, or "" for a deck at the top.
func (d Deck) Parent() Deck {
	i := strings.LastIndex(string(d), DeckSep)
	if i < 0 {
		return ""
	}
	return d[:i]
}

// Contains reports whether other is d or one of its subdecks. The deck ""
// contains every deck.
func (d Deck) Contains(other Deck) bool {
	return d == "" || other == d || strings.HasPrefix(string(other), string(d)+DeckSep)
}

// Lineage is d and the decks it is inside, from the top: "A::B::C" gives
// "A", "A::B", "A::B::C".
func (d Deck) Lineage() []Deck {
	var out []Deck
	for i := 0; i < len(d); {
		j := strings.Index(string(d[i:]), DeckSep)
		if j < 0 {
			break
		}
		out = append(out, d[:i+j])
		i += j + len(DeckSep)
	}
	return append(out, d)
}

// Within reports whether d is the deck name or one of its subdecks,
// ignoring case level by level, and returns the levels of d that name
// matched, spelled as d spells them: Deck("QCon::Containers").Within("qcon")
// is "QCon", true. Every deck is within "".
func (d Deck) Within(name Deck) (Deck, bool) {
	if name == "" {
		return "", true
	}
	want, have := name.Path(), d.Path()
	if len(want) > len(have) {
		return "", false
	}
	for i, w := range want {
		if !strings.EqualFold(w, have[i]) {
			return "", false
		}
	}
	return Deck(strings.Join(have[:len(want)], DeckSep)), true
}
