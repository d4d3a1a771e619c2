package collection

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/notes"
	"github.com/recall-cli/recall/internal/store"
)

// addWith adds the notes at name to c, read by read.
func addWith(t *testing.T, c *Collection, read func(path string) (Notes, error), name string) (Totals, Notes) {
	t.Helper()
	n, err := read(at(name))
	if err != nil {
		t.Fatal(err)
	}
	total, errs := c.Add(context.Background(), []Notes{n})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return total, n
}

// byID is a notes.Sink that keeps the cards by id, to tell how notes
// stream.
type byID map[string]card.Card

func (s byID) Add(cards []card.Card) error {
	for _, c := range cards {
		s[c.ID] = c
	}
	return nil
}

func (s byID) Card(id string) (card.Card, error) { return s[id], nil }
func (s byID) Fix(c card.Card) error             { s[c.ID] = c; return nil }
func (s byID) Drop(c card.Card) error            { delete(s, c.ID); return nil }

// TestAddStreams checks that a big file read with ReadForAdd, whose
// cards are made as they are added, leaves the collection as the same
// file read whole: when its cards stream, when cards written must be
// fixed at the end (a repeated question, told apart by its heading), and
// when the cards must be parsed whole after all (a question that repeats
// a cloze); a file added again is synced.
func TestAddStreams(t *testing.T) {
	t.Parallel()
	big := string(genNotes(3_000))
	const size = 64 << 10 // the notes are bigger: see readForAdd
	q := big[strings.Index(big, "Why "):]
	q = q[:strings.Index(q, "::")]
	for _, tt := range []struct {
		name, text string
		settled    bool
	}{
		{"settled", big, true},
		{"repeat", big + "\n## Elsewhere\n\n" + q + ":: another answer\n", true},
		{"unsettled", big + "\nWhy {{c1::first}} and?\n\nWhy [...] and? :: first\n", false},
	} {
		_, err := notes.Stream("big.md", []byte(tt.text), notes.Options{}, byID{})
		if settled := !errors.Is(err, notes.ErrUnsettled); settled != tt.settled || settled && err != nil {
			t.Fatalf("%s: notes.Stream = %v", tt.name, err)
		}
		whole, _, _ := newTestFiles(t)
		streamed, _, _ := newTestFiles(t)
		whole.files.(*files).set(at("big.md"), tt.text)
		streamed.files.(*files).set(at("big.md"), tt.text)
		want, _ := addWith(t, whole, func(p string) (Notes, error) { return ReadForSync(whole.files, p, "") }, "big.md")
		readForAdd := func(p string) (Notes, error) { return readForAdd(streamed.files, p, "", size) }
		got, n := addWith(t, streamed, readForAdd, "big.md")
		if !n.Deferred() || len(n.Cards) != 0 {
			t.Errorf("%s: ReadForAdd did not defer the parse of %d bytes", tt.name, len(tt.text))
		}
		if got != want || got.Added < 3_000 {
			t.Errorf("%s: Add of the deferred notes = %+v, of the notes read whole %+v", tt.name, got, want)
		}
		if a, b := entries(t, streamed, store.Filter{}), entries(t, whole, store.Filter{}); !reflect.DeepEqual(a, b) {
			t.Errorf("%s: the cards added differ", tt.name)
		}
		for _, c := range []*Collection{whole, streamed} {
			srcs, err := c.Store.Sources(context.Background())
			if err != nil || len(srcs) != 1 {
				t.Fatalf("%s: Sources = %+v, %v", tt.name, srcs, err)
			}
		}
		if !tt.settled {
			continue
		}
		again, _ := addWith(t, streamed, readForAdd, "big.md")
		if again.Unchanged != want.Added || again.Added != 0 {
			t.Errorf("%s: adding the file again = %+v, want %d unchanged", tt.name, again, want.Added)
		}
	}
}

// TestReadForAddRefuses checks that ReadForAdd refuses a big file that
// cannot be read as notes before anything is added, as ReadForSync does:
// binary content, a line too long.
func TestReadForAddRefuses(t *testing.T) {
	t.Parallel()
	c, _, f := newTestFiles(t)
	for name, text := range map[string]string{
		"binary.md":   strings.Repeat("- item\n", 10_000) + "\x00\x01\x02 binary\n",
		"longline.md": strings.Repeat("x", maxLine+1) + "\n",
	} {
		f.set(at(name), text)
		_, want := ReadForSync(c.files, at(name), "")
		_, err := readForAdd(c.files, at(name), "", 64<<10)
		if err == nil || want == nil || err.Error() != want.Error() {
			t.Errorf("%s: ReadForAdd = %v, ReadForSync = %v", name, err, want)
		}
	}
}
