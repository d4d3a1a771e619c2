package decks

import (
	"bytes"
	"io/fs"
	"slices"
	"testing"
)

func TestFSCarriesEveryDeck(t *testing.T) {
	names, err := fs.Glob(FS(), "*.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"qcon-sf-2018.md", "syntax.md"} {
		if !slices.Contains(names, want) {
			t.Errorf("FS() misses %s (has %v)", want, names)
		}
	}
	for _, n := range names {
		data, err := fs.ReadFile(FS(), n)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(data, []byte("---\ndeck: ")) {
			t.Errorf("%s: want front matter naming the deck", n)
		}
	}
}
