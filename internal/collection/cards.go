package collection

import (
	"context"
	"fmt"
	"strings"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/store"
)

// Cards is where an export's cards come from: the collection, or notes
// files read straight (which have no schedules and no review log).
type Cards interface {
	// Each calls fn with every card of the chosen decks, orphans left
	// out. Suspended cards are included: the export decides.
	Each(ctx context.Context, fn func(card.Entry) error) error
	// Decks names the decks with cards (the chosen ones if any were), for
	// an export's default file name.
	Decks(ctx context.Context) ([]string, error)
	// Reviews calls fn with every review logged, of any card.
	Reviews(ctx context.Context, fn func(card.Review) error) error
	// Count counts the cards Each gives, and the suspended among them:
	// an export knows before it starts whether it has anything to write,
	// and how far it has come.
	Count(ctx context.Context) (cards, suspended int, err error)
}

// Cards gives the collection's cards in decks and their subdecks (named
// in any case; see Deck), every deck when there are none. A deck the
// collection does not have is a NoDeckError.
func (c *Collection) Cards(ctx context.Context, decks []string) (Cards, error) {
	spelled := make([]string, len(decks))
	for i, d := range decks {
		var err error
		if spelled[i], err = c.Deck(ctx, d); err != nil {
			return nil, err
		}
	}
	return &storeCards{st: c.Store, decks: covering(spelled), check: c.check}, nil
}

// NotesCards gives the cards of notes files, all new, in decks and their
// subdecks (named in any case), every deck when there are none. A deck
// no card of the notes is in is an error matching card.ErrNotFound.
func NotesCards(files []Notes, decks []string) (Cards, error) {
	for _, d := range decks {
		if !anyInDeck(files, d) {
			where := "these notes"
			if len(files) == 1 {
				where = files[0].Path
			}
			return nil, notFound(fmt.Sprintf("no deck %q in %s", d, where))
		}
	}
	return &notesCards{files: files, decks: covering(decks)}, nil
}

// notFound is an error that says what was not found in its own words
// and matches card.ErrNotFound.
type notFound string

func (e notFound) Error() string { return string(e) }

// Is makes a notFound match card.ErrNotFound.
func (e notFound) Is(target error) bool { return target == card.ErrNotFound }

// anyInDeck reports whether a card of files is in deck or a subdeck of it.
func anyInDeck(files []Notes, deck string) bool {
	for _, f := range files {
		for _, c := range f.Cards {
			if inDecks(c, []string{deck}) {
				return true
			}
		}
	}
	return false
}

// Unscheduled gives cards for an export that carries no schedule (an
// Anki package without progress): from a collection, each card is read
// without its schedule and review state, which is about twice as fast
// (see store.Filter.Unscheduled); cards of notes have none anyway.
func Unscheduled(cards Cards) Cards {
	if s, ok := cards.(*storeCards); ok {
		lean := *s
		lean.unscheduled = true
		return &lean
	}
	return cards
}

// Stored gives cards of a collection in the order it stores them (about
// the order they were added in), which is the cheapest to read, for an
// export that does not depend on the order (an Anki package, whose ids
// are derived from the cards').
func Stored(cards Cards) Cards {
	if s, ok := cards.(*storeCards); ok {
		stored := *s
		stored.stored = true
		return &stored
	}
	return cards
}

// storeCards are the cards of a collection.
type storeCards struct {
	st          *store.Store
	decks       []string // none covering another
	unscheduled bool     // see Unscheduled
	stored      bool     // see Stored
	check       *check   // the collection's check, if it runs beside
}

func (s *storeCards) Each(ctx context.Context, fn func(card.Entry) error) error {
	decks := s.decks
	if len(decks) == 0 {
		decks = []string{""}
	}
	for _, d := range decks {
		// By id, the primary key's order, which streams without a sort,
		// unless the stored order, the table's own, will do.
		f := store.Filter{Deck: d, ByID: true, Stored: s.stored, Unscheduled: s.unscheduled}
		if err := s.st.EachCard(ctx, f, fn); err != nil {
			// A damaged file explains a failure better.
			if cerr := s.check.wait(); cerr != nil {
				return cerr
			}
			return err
		}
	}
	return s.check.wait()
}

func (s *storeCards) Decks(ctx context.Context) ([]string, error) {
	if len(s.decks) > 0 {
		return s.decks, nil
	}
	ds, err := s.st.Decks(ctx)
	var names []string
	for _, d := range ds {
		if d.Cards > 0 {
			names = append(names, d.Name)
		}
	}
	return names, err
}

func (s *storeCards) Count(ctx context.Context) (cards, suspended int, err error) {
	cards, suspended, err = s.count(ctx)
	// A failure, or nothing to read, is only believed of a sound file.
	if err != nil || cards == 0 {
		if cerr := s.check.wait(); cerr != nil {
			return 0, 0, cerr
		}
	}
	return cards, suspended, err
}

func (s *storeCards) count(ctx context.Context) (cards, suspended int, err error) {
	decks := s.decks
	if len(decks) == 0 {
		return s.st.CountCards(ctx)
	}
	for _, d := range decks {
		counts, err := s.st.StatusOf(ctx, d)
		if err != nil {
			return 0, 0, err
		}
		for _, c := range counts {
			cards += c.Total
			suspended += c.Suspended
		}
	}
	return cards, suspended, nil
}

func (s *storeCards) Reviews(ctx context.Context, fn func(card.Review) error) error {
	return s.st.EachReview(ctx, "", fn)
}

// notesCards are the cards of notes files.
type notesCards struct {
	files []Notes
	decks []string // none covering another
}

func (s *notesCards) Each(_ context.Context, fn func(card.Entry) error) error {
	for _, f := range s.files {
		for _, c := range f.Cards {
			if !inDecks(c, s.decks) {
				continue
			}
			if err := fn(card.Entry{Card: c, Status: card.StatusNew, State: card.NewState(), Modified: f.ModTime}); err != nil {
				return err
			}
		}
	}
	return nil
}

func (s *notesCards) Decks(context.Context) ([]string, error) {
	if len(s.decks) > 0 {
		return s.decks, nil
	}
	seen := map[string]bool{}
	var names []string
	for _, f := range s.files {
		for _, c := range f.Cards {
			if !seen[c.Deck] {
				seen[c.Deck] = true
				names = append(names, c.Deck)
			}
		}
	}
	return names, nil
}

func (s *notesCards) Count(ctx context.Context) (cards, suspended int, err error) {
	err = s.Each(ctx, func(card.Entry) error { cards++; return nil })
	return cards, 0, err
}

func (s *notesCards) Reviews(context.Context, func(card.Review) error) error { return nil }

// covering drops the decks another one already covers (repeats,
// subdecks of a named deck, ignoring case), so that no card is given
// twice.
func covering(decks []string) []string {
	var out []string
	for i, d := range decks {
		covered := false
		for j, o := range decks {
			_, within := card.Deck(d).Within(card.Deck(o))
			if j != i && within && (!strings.EqualFold(o, d) || j < i) {
				covered = true
			}
		}
		if !covered {
			out = append(out, d)
		}
	}
	return out
}

// inDecks reports whether a card of the notes is in one of decks or a
// subdeck of one (its subdeck: deck and section); every card is in
// an empty list.
func inDecks(c card.Card, decks []string) bool {
	if len(decks) == 0 {
		return true
	}
	sub := card.Deck(subdeckOf(c))
	for _, d := range decks {
		if _, ok := sub.Within(card.Deck(d)); ok {
			return true
		}
	}
	return false
}
