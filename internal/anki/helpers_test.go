package anki

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/card"
)

// now is the export time of the tests.
var now = time.Date(2026, 5, 10, 12, 0, 0, 0, time.UTC)

// basicItem is a basic card in deck "Talks" under heading "Containers".
func basicItem(id, front, back string) Item {
	return Item{Card: card.Card{
		ID: id, Deck: "Talks", Kind: card.Basic, Front: front, Back: back,
		Context: []string{"Talks", "Containers"}, Section: "Containers", Tags: []string{"qcon"},
		Source: card.Source{File: "notes.md", Line: 3},
	}}
}

func withKind(it Item, k card.Kind) Item     { it.Card.Kind = k; return it }
func withGroup(it Item, g string) Item       { it.Card.Group = g; return it }
func withText(it Item, text string) Item     { it.Card.Text = text; return it }
func withStatus(it Item, s card.Status) Item { it.Status = s; return it }

// export writes items to a new package and reads it back; the package
// must pass Check.
func export(t *testing.T, opts Options, items ...Item) (*Package, []Warning) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "out.apkg")
	p, warns := exportTo(t, path, opts, items...)
	return p, warns
}

func exportTo(t *testing.T, path string, opts Options, items ...Item) (*Package, []Warning) {
	t.Helper()
	if opts.Now.IsZero() {
		opts.Now = now
	}
	w, err := create(path, opts)
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	for _, it := range items {
		if err := w.Add(it); err != nil {
			t.Fatalf("Add(%s): %v", it.Card.ID, err)
		}
	}
	warns, err := w.Close()
	if err != nil {
		t.Fatalf("Close: %v", err)
	}
	return readChecked(t, path), warns
}

func readChecked(t *testing.T, path string) *Package {
	t.Helper()
	p, err := Read(path)
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if errs := p.Check(); len(errs) > 0 {
		var b strings.Builder
		for _, e := range errs {
			b.WriteString("\n\t" + e.Error())
		}
		t.Fatalf("Check found %d problems:%s", len(errs), b.String())
	}
	return p
}

// noteOf returns the note of a recall card id, failing the test without.
func noteOf(t *testing.T, p *Package, id string) Note {
	t.Helper()
	n, ok := p.Note(guid(id))
	if !ok {
		t.Fatalf("no note with guid %q", guid(id))
	}
	return n
}

// fileWriter is a Writer whose package goes to a file when it closes
// well, as recall's export writes one (through disk.WriteAtomic).
type fileWriter struct {
	*Writer
	path string
	buf  *bytes.Buffer
}

func create(path string, opts Options) (*fileWriter, error) {
	buf := new(bytes.Buffer)
	w, err := NewWriter(buf, opts)
	if err != nil {
		return nil, err
	}
	return &fileWriter{w, path, buf}, nil
}

// Close closes the Writer and, if that went well, writes the package.
func (f *fileWriter) Close() ([]Warning, error) {
	warns, err := f.Writer.Close()
	if err != nil {
		return warns, err
	}
	return warns, os.WriteFile(f.path, f.buf.Bytes(), 0o644)
}
