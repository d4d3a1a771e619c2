package notes

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/recall-cli/recall/internal/card"
)

// settledNotes are notes of every kind of card whose keys all differ:
// notes Stream hands over whole.
func settledNotes(sections int) []byte {
	var b strings.Builder
	b.WriteString("---\ntags: [bench]\n---\n# Streamed\n\n")
	for s := range sections {
		if s%7 == 0 {
			fmt.Fprintf(&b, "## Part %d #part%d\n\n", s, s)
		}
		fmt.Fprintf(&b, "### Topic %d\n\n", s)
		fmt.Fprintf(&b, "Label %d:\n\n", s)
		for k := range 3 + s%7 {
			fmt.Fprintf(&b, "- item %d of list %d\n", k, s)
			if s%5 == 0 && k == 1 {
				fmt.Fprintf(&b, "  - sub %d of %d\n  - other sub %d of %d\n", k, s, k, s)
			}
		}
		fmt.Fprintf(&b, "\nWhat is question %d? :: Answer %d\n\n", s, s)
		fmt.Fprintf(&b, "Term %d ::: meaning %d\n\n", s, s)
		fmt.Fprintf(&b, "- **word %d**: what word %d means in a sentence\n\n", s, s)
		fmt.Fprintf(&b, "The {{c1::first %d}} and the {{c2::second %d}} in prose.\n\n", s, s)
		for k := range 3 {
			fmt.Fprintf(&b, "%d. step %d of %d\n", k+1, k, s)
		}
		b.WriteString("\nSome prose that makes no card at all.\n\n")
	}
	return []byte(b.String())
}

// sink keeps the cards Stream hands over, as a collection would.
type sink struct {
	cards []card.Card
	fixes int
	stop  error // what Add returns
}

func (s *sink) Add(cards []card.Card) error {
	s.cards = append(s.cards, cards...)
	return s.stop
}

func (s *sink) Card(id string) (card.Card, error) {
	for _, c := range s.cards {
		if c.ID == id {
			return c, nil
		}
	}
	return card.Card{}, errors.New("no card " + id)
}

func (s *sink) Fix(c card.Card) error {
	for i := range s.cards {
		if s.cards[i].ID == c.ID && s.cards[i].Key == c.Key {
			s.cards[i] = c
			s.fixes++
			return nil
		}
	}
	return errors.New("no card " + c.ID + " to fix")
}

func (s *sink) Drop(c card.Card) error {
	for i := range s.cards {
		if s.cards[i].Group == c.ID && s.cards[i].ID != c.ID {
			return ErrUnsettled
		}
	}
	for i := range s.cards {
		if s.cards[i].ID == c.ID && s.cards[i].Key == c.Key {
			s.cards = slices.Delete(s.cards, i, i+1)
			s.fixes++
			return nil
		}
	}
	return errors.New("no card " + c.ID + " to drop")
}

// streamWith is Stream in parts as cfg says; a list cut that could not
// be is ErrUnsettled, as Stream says, and errListCut.
func streamWith(name string, src []byte, cfg parseConfig, opts Options) (File, error) {
	f, err := parseWith(name, src, opts, cfg)
	if errors.Is(err, errListCut) {
		err = fmt.Errorf("%w (%w)", ErrUnsettled, err)
	}
	f.Cards = nil
	return f, err
}

// streamed parses src as Stream does, in parts as cfg says, and returns
// the cards handed over.
func streamed(src []byte, cfg parseConfig) (*sink, File, error) {
	s := &sink{}
	cfg.sink = s
	f, err := streamWith("s.md", src, cfg, Options{})
	return s, f, err
}

// agree checks that Stream, in parts as each of cfgs says, hands over
// the cards Parse makes of src, or stops with ErrUnsettled when unsettled
// allows it; it returns whether Stream ever settled.
func agree(t *testing.T, name string, src []byte, unsettled bool) (settled bool) {
	t.Helper()
	want, err := Parse(name, src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, cfg := range []parseConfig{
		defaultConfig(),
		{partSize: 4 << 10, walkers: 1, listGap: 4 << 10},
		{partSize: 4 << 10, walkers: 3},
		{partSize: 1, walkers: 2, listGap: 1},
		{partSize: 4 << 10, walkers: 2, listGap: 4 << 10}, // with a spill
	} {
		got := &sink{}
		cfg.sink = got
		var opts Options
		if cfg.walkers == 2 && cfg.partSize > 1 {
			spill, err := os.CreateTemp(t.TempDir(), "spill")
			if err != nil {
				t.Fatal(err)
			}
			defer spill.Close()
			opts.Spill = spill
		}
		f, err := streamWith(name, src, cfg, opts)
		if errors.Is(err, ErrUnsettled) && (unsettled || errors.Is(err, errListCut)) {
			continue
		}
		if err != nil {
			t.Fatalf("%s, %+v: Stream: %v", name, cfg, err)
		}
		settled = true
		if len(f.Cards) != 0 || f.Deck != want.Deck || !reflect.DeepEqual(f.Tags, want.Tags) {
			t.Errorf("%s, %+v: Stream gave file %+v, want deck %q, tags %q and no cards", name, cfg, f, want.Deck, want.Tags)
		}
		if len(got.cards) != len(want.Cards) {
			t.Fatalf("%s, %+v: Stream handed over %d cards, Parse made %d", name, cfg, len(got.cards), len(want.Cards))
		}
		for i := range got.cards {
			if !reflect.DeepEqual(got.cards[i], want.Cards[i]) {
				t.Fatalf("%s, %+v: card %d differs:\nstream: %+v\n parse: %+v", name, cfg, i, got.cards[i], want.Cards[i])
			}
		}
	}
	return settled
}

// TestStreamAgrees checks that Stream hands over the cards Parse makes:
// of notes whose cards settle as they come, of notes with cards to tell
// apart at their end (fixed when the notes end), and of real notes and a
// generated corpus, unless Stream finds them unsettled.
func TestStreamAgrees(t *testing.T) {
	t.Parallel()
	notes := settledNotes(300)
	agree(t, "s.md", notes, false)
	for name, tail := range map[string]string{
		"repeat":     "What is question 3? :: Answer 3\n",
		"told apart": "## Elsewhere\n\nWhat is question 3? :: Another answer\n\n### Topic 5\n\nLabel 5:\n\n- other\n- items\n",
		"list-like":  "Label 1 — name the 4 items :: a, b, c, d\n",
		"bracket":    "Why [this]? :: Because\n",
	} {
		if !agree(t, name+".md", append(notes[:len(notes):len(notes)], tail...), false) {
			t.Errorf("%s: never settled", name)
		}
	}
	agree(t, "corpus.md", genCorpus(200<<10), true)
	real, _ := filepath.Glob("../../../shared/notes/real/*")
	for _, path := range append(real, "../../../shared/notes/qcon-sf-2018.txt") {
		src, err := os.ReadFile(path)
		if err != nil {
			continue // no shared notes here
		}
		agree(t, filepath.Base(path), src, true)
	}
}

// TestStreamUnsettled checks that Stream stops on notes where a question
// repeats a cloze, which Parse drops at their end.
func TestStreamUnsettled(t *testing.T) {
	t.Parallel()
	src := append(settledNotes(40), "Why {{c1::first}} and?\n\nWhy [...] and? :: first\n"...)
	want, err := Parse("s.md", src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := streamed(src, parseConfig{partSize: 1, walkers: 2})
	if !errors.Is(err, ErrUnsettled) {
		t.Errorf("Stream = %v, want ErrUnsettled (handed over %d cards, Parse makes %d)", err, len(got.cards), len(want.Cards))
	}
}

// TestStreamStops checks that an error of the sink ends Stream with it.
func TestStreamStops(t *testing.T) {
	t.Parallel()
	stop := errors.New("stop")
	s := &sink{stop: stop}
	_, err := Stream("s.md", settledNotes(2000), Options{}, s)
	if err != stop || len(s.cards) == 0 || len(s.cards) > 10_000 {
		t.Errorf("Stream = %v after %d cards, want stop after the first part", err, len(s.cards))
	}
}
