package notes

import (
	"errors"
	"fmt"
	"reflect"
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

// streamed parses src as Stream does, in parts as cfg says, and returns
// the cards handed over.
func streamed(src []byte, cfg parseConfig) ([]card.Card, File, error) {
	var got []card.Card
	cfg.each = func(cards []card.Card) error {
		got = append(got, cards...)
		return nil
	}
	f, err := parseWith("s.md", src, Options{}, cfg)
	return got, f, err
}

// TestStreamAgrees checks that Stream hands over the cards Parse returns,
// in parts of every size, or, for notes with repeats, stops with
// ErrUnsettled.
func TestStreamAgrees(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name    string
		src     []byte
		settled bool
	}{
		{"settled", settledNotes(300), true},
		{"corpus", genCorpus(200 << 10), false},
	} {
		want, err := Parse("s.md", c.src, Options{})
		if err != nil {
			t.Fatal(err)
		}
		for _, cfg := range []parseConfig{
			defaultConfig(),
			{partSize: 4 << 10, walkers: 1},
			{partSize: 4 << 10, walkers: 3},
			{partSize: 1, walkers: 2},
		} {
			got, f, err := streamed(c.src, cfg)
			if errors.Is(err, ErrUnsettled) && !c.settled {
				continue
			}
			if err != nil {
				t.Fatalf("%s, %+v: Stream: %v", c.name, cfg, err)
			}
			if len(f.Cards) != 0 || f.Deck != want.Deck || !reflect.DeepEqual(f.Tags, want.Tags) {
				t.Errorf("%s, %+v: Stream gave file %+v, want deck %q, tags %q and no cards", c.name, cfg, f, want.Deck, want.Tags)
			}
			if len(got) != len(want.Cards) {
				t.Fatalf("%s, %+v: Stream handed over %d cards, Parse made %d", c.name, cfg, len(got), len(want.Cards))
			}
			for i := range got {
				if !reflect.DeepEqual(got[i], want.Cards[i]) {
					t.Fatalf("%s, %+v: card %d differs:\nstream: %+v\n parse: %+v", c.name, cfg, i, got[i], want.Cards[i])
				}
			}
		}
	}
}

// TestStreamUnsettled checks that Stream stops on notes whose later cards
// change earlier ones: a repeated question, and a question that may
// repeat a list card.
func TestStreamUnsettled(t *testing.T) {
	t.Parallel()
	for name, tail := range map[string]string{
		"repeat":     "What is question 3? :: Answer 3\n",
		"told apart": "## Elsewhere\n\nWhat is question 3? :: Another answer\n",
		"list-like":  "Label 1 — name the 4 items :: a, b, c, d\n",
		"bracket":    "Why [this]? :: Because\n",
	} {
		src := append(settledNotes(40), tail...)
		_, _, err := streamed(src, parseConfig{partSize: 1, walkers: 2})
		if !errors.Is(err, ErrUnsettled) {
			t.Errorf("%s: Stream = %v, want ErrUnsettled", name, err)
		}
	}
}

// TestStreamStops checks that an error of each ends Stream with it.
func TestStreamStops(t *testing.T) {
	t.Parallel()
	stop := errors.New("stop")
	calls := 0
	_, err := Stream("s.md", settledNotes(2000), Options{}, func([]card.Card) error {
		calls++
		return stop
	})
	if err != stop || calls != 1 {
		t.Errorf("Stream = %v after %d calls of each, want stop after 1", err, calls)
	}
}
