package decks

import (
	"bytes"
	"testing"
)

func TestAllCarriesEveryDeck(t *testing.T) {
	all := All()
	want := map[string]bool{"qcon-sf-2018.md": false, "syntax.md": false}
	for _, d := range all {
		if _, ok := want[d.Name]; ok {
			want[d.Name] = true
		}
		if !bytes.HasPrefix(d.Data, []byte("---\ndeck: ")) {
			t.Errorf("%s: want front matter naming the deck", d.Name)
		}
	}
	for n, seen := range want {
		if !seen {
			t.Errorf("All() misses %s", n)
		}
	}
}
