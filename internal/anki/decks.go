package anki

import (
	"crypto/sha256"
	"strings"

	"github.com/recall-cli/recall/internal/card"
)

// This file names and numbers the decks of a package.

// deckOf returns the deck id of a card. The deck depends on what deckKey
// holds only, and a deck keeps its id once named: the id of each key is
// remembered, an entry per deck and section, since cards in card-id order
// come from all of them in turn and naming a deck costs more than the
// rest of converting a plain card.
func (w *Writer) deckOf(c card.Card) int64 {
	k := deckKey{deck: c.Deck, section: c.Section}
	if len(c.Context) > 0 {
		k.top = c.Context[0]
	}
	id, ok := w.deckIDs[k]
	if !ok {
		id = w.deck(deckName(c, w.opts.FlatDecks))
		// The key's strings may be cut from a big text (a notes file's
		// part): copies keep only themselves alive.
		k = deckKey{strings.Clone(k.deck), strings.Clone(k.top), strings.Clone(k.section)}
		w.deckIDs[k] = id
	}
	return id
}

// deckKey is all deckName reads of a card: its deck, the first entry of
// its breadcrumb (the deck when it has none) and its section.
type deckKey struct {
	deck, top, section string
}

// deck returns the id of a deck, registering it and its parents.
func (w *Writer) deck(name string) int64 {
	var id int64
	for _, d := range card.Deck(w.spell.spell(name)).Lineage() {
		full := string(d)
		fold := strings.ToLower(full)
		if have, ok := w.decks[fold]; ok {
			id = have
			continue
		}
		id = deckID(fold)
		for w.deckNames[id] != "" {
			id = id%(1<<53-2) + 2
		}
		w.decks[fold] = id
		w.deckNames[id] = full
	}
	return id
}

// deckID derives a deck id from its folded name: positive, below 2^53 (a
// JSON number any reader keeps exact) and never 1, the Default deck.
func deckID(fold string) int64 {
	sum := sha256.Sum256([]byte("deck\x00" + fold))
	var v uint64
	for _, b := range sum[:8] {
		v = v<<8 | uint64(b)
	}
	return int64(v%(1<<53-2)) + 2
}

// deckSpeller gives each deck one spelling: the first one seen ignoring
// case ("Default" for Anki's default deck), under its parent's spelling.
// Anki keeps one spelling of a name, matching names ignoring case; its
// text import looks a deck up by its exact name and makes a new deck
// ("talks+") of any other spelling (rslib/src/import_export/text/import.rs,
// get_or_create_deck_id), so the package and the CSV spell decks alike.
type deckSpeller map[string]string // folded name → spelling

func newDeckSpeller() deckSpeller { return deckSpeller{"default": "Default"} }

// spell returns the spelling of a deck name, registering it and its
// parents.
func (s deckSpeller) spell(name string) string {
	if have, ok := s[name]; ok {
		// The common case: a name seen before, spelled as then.
		return have
	}
	spelled := ""
	for _, d := range card.Deck(name).Lineage() {
		fold := strings.ToLower(string(d))
		if have, ok := s[fold]; ok {
			spelled = have
			continue
		}
		if spelled == "" {
			spelled = string(d)
		} else {
			spelled += card.DeckSep + string(d[strings.LastIndex(string(d), card.DeckSep)+len(card.DeckSep):])
		}
		s[fold] = spelled
	}
	if name != spelled {
		s[name] = spelled
	}
	return spelled
}
