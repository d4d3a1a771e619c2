package collection

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/notes"
)

// exported runs a NotesExport of the file at path and returns the cards
// it handed over.
func exported(x *NotesExport, path string, whole bool) ([]card.Card, error) {
	var got []card.Card
	err := x.Each(path, whole, func(e card.Entry) error {
		if e.Status != card.StatusNew || !e.State.IsNew() {
			return errors.New("a card of notes that is not new")
		}
		got = append(got, e.Card)
		return nil
	})
	return got, err
}

// TestNotesExportAgrees checks that a NotesExport hands over the cards
// Parse makes of notes: big ones that stream a part at a time, with cards
// fixed or dropped at their end in their last part, and small ones; and
// that notes that change cards it handed over before (a question of the
// first part repeated at the end, a question repeating a cloze) stop it
// with Unsettled, after which the file read whole gives Parse's cards.
func TestNotesExportAgrees(t *testing.T) {
	t.Parallel()
	big := string(genNotes(3_000))
	q := big[strings.Index(big, "Why "):]
	q = q[:strings.Index(q, "::")]
	var b strings.Builder
	for i := range 6_000 {
		fmt.Fprintf(&b, "## Section %d\n\nWhat is thing %d? :: answer %d\n\n", i, i, i)
	}
	plain := b.String() // big notes without a repeat
	defs := "\n## Remarks\n\n- **DP**: one remark\n- **DP**: another remark\n- **DP**: a third remark\n"
	tail := "\n## Tail\n\nWhy is the tail here? :: an answer\n\n## Tail again\n\nWhy is the tail here? :: another answer\n"
	cases := []struct {
		name, text string
		unsettled  bool // the file must be read whole
	}{
		{"settled", plain, false},
		{"fixed in the last part", plain + tail, false},
		{"dropped in the last part", plain + defs, false},
		{"small, fixed", "# Small\n\n## A\n\n" + q + ":: one\n\n## B\n\n" + q + ":: two\n" + defs, false},
		{"repeat of the first part", big + "\n## Elsewhere\n\n" + q + ":: another answer\n", true},
		{"repeats a cloze", plain + "\nWhy {{c1::first}} and?\n\n## Section 1\n\nWhy [...] and? :: first\n", true},
		{"small, repeats a cloze", "# Small\n\nWhy {{c1::first}} and?\n\nWhy [...] and? :: first\n", false},
	}
	if real, _ := filepath.Glob("../../../shared/notes/real/*"); len(real) > 0 {
		for _, p := range append(real, "../../../shared/notes/qcon-sf-2018.txt") {
			if data, err := os.ReadFile(p); err == nil {
				cases = append(cases, struct {
					name, text string
					unsettled  bool
				}{filepath.Base(p), string(data), false})
			}
		}
	}
	for _, tt := range cases {
		c, _, f := newTestFiles(t)
		name := "n.md"
		if strings.HasSuffix(tt.name, ".txt") || strings.HasSuffix(tt.name, ".org") {
			name = "n" + filepath.Ext(tt.name)
		}
		path := at(name)
		f.set(path, tt.text)
		want, err := Read(c.files, path, notes.Options{})
		if err != nil {
			t.Fatal(err)
		}
		got, err := exported(NewNotesExport(c.files, nil), path, false)
		var u *Unsettled
		if errors.As(err, &u) != tt.unsettled || err != nil && !tt.unsettled {
			t.Errorf("%s: Each = %v, want unsettled %t", tt.name, err, tt.unsettled)
			continue
		}
		if tt.unsettled {
			if u.Path != path {
				t.Errorf("%s: Unsettled names %s, want %s", tt.name, u.Path, path)
			}
			if got, err = exported(NewNotesExport(c.files, nil), path, true); err != nil {
				t.Fatalf("%s: Each, whole: %v", tt.name, err)
			}
		}
		if len(got) == 0 || !reflect.DeepEqual(got, want.Cards) {
			t.Errorf("%s: Each handed over %d cards, Parse made %d; they differ", tt.name, len(got), len(want.Cards))
		}
	}
}

// TestNotesExportDecks checks what a NotesExport learns of decks: the
// decks of its cards, in order, and the first deck asked for that none
// was in, naming the one file read or "these notes".
func TestNotesExportDecks(t *testing.T) {
	t.Parallel()
	c, _, f := newTestFiles(t)
	f.set(at("a.md"), "# Go\n\n## Tools\n\nWhat formats Go code? :: gofmt\n")
	f.set(at("b.md"), "# Rust\n\nWhat builds Rust? :: cargo\n")
	f.set(at("c.md"), "# Prose\n\nNo card here.\n")
	x := NewNotesExport(c.files, nil)
	for _, p := range []string{"a.md", "c.md", "b.md"} {
		if _, err := exported(x, at(p), false); err != nil {
			t.Fatal(err)
		}
	}
	if got := x.Decks(); !reflect.DeepEqual(got, []string{"Go", "Rust"}) {
		t.Errorf("Decks = %q, want the decks with cards, Go and Rust", got)
	}
	if err := x.Missing(); err != nil {
		t.Errorf("Missing = %v with no deck asked for", err)
	}
	x = NewNotesExport(c.files, []string{"go::TOOLS", "Nope", "Rust"})
	got, err := exported(x, at("a.md"), false)
	if err != nil || len(got) != 1 {
		t.Fatalf("Each = %d cards, %v; want the one of Go::Tools", len(got), err)
	}
	if err := x.Missing(); !errors.Is(err, card.ErrNotFound) || err.Error() != `no deck "Nope" in `+at("a.md") {
		t.Errorf("Missing = %v, want no deck Nope in a.md", err)
	}
	if _, err := exported(x, at("b.md"), false); err != nil {
		t.Fatal(err)
	}
	if err := x.Missing(); err == nil || err.Error() != `no deck "Nope" in these notes` {
		t.Errorf("Missing = %v, want no deck Nope in these notes", err)
	}
}
