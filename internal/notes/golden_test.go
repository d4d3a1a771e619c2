package notes

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/recall-cli/recall/internal/card"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// goldenCard is a card with the fields card.Card keeps out of JSON.
type goldenCard struct {
	ID      string      `json:"id"`
	Kind    card.Kind   `json:"kind"`
	Front   string      `json:"front"`
	Back    string      `json:"back"`
	Context []string    `json:"context"`
	Tags    []string    `json:"tags"`
	Source  card.Source `json:"source"`
	Key     string      `json:"key"`
	Anchor  string      `json:"anchor"`
	Group   string      `json:"group"`
	Text    string      `json:"text,omitempty"`
}

type goldenFile struct {
	Deck   string       `json:"deck"`
	Tags   []string     `json:"tags"`
	Limits card.Limits  `json:"limits"`
	Cards  []goldenCard `json:"cards"`
}

func goldenJSON(t *testing.T, f File) []byte {
	t.Helper()
	g := goldenFile{Deck: f.Deck, Tags: f.Tags, Limits: f.Limits, Cards: []goldenCard{}}
	for _, c := range f.Cards {
		if c.Deck != f.Deck {
			t.Errorf("card %s: deck %q, want the file's %q", c.ID, c.Deck, f.Deck)
		}
		g.Cards = append(g.Cards, goldenCard{
			ID: c.ID, Kind: c.Kind, Front: c.Front, Back: c.Back, Context: c.Context, Tags: c.Tags,
			Source: c.Source, Key: c.Key, Anchor: c.Anchor, Group: c.Group, Text: c.Text,
		})
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(g); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// inputs are the notes under testdata, by the name Parse is given.
func inputs(t *testing.T) map[string][]byte {
	t.Helper()
	files, err := filepath.Glob("testdata/*.*")
	if err != nil {
		t.Fatal(err)
	}
	in := map[string][]byte{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		in[filepath.Base(f)] = src
	}
	if len(in) < 8 {
		t.Fatalf("found %d inputs in testdata, want 8 or more", len(in))
	}
	return in
}

// TestGolden parses every file in testdata and compares the cards with
// testdata/golden/NAME.json. Run with -update to rewrite the golden files,
// and review the diff.
func TestGolden(t *testing.T) {
	t.Parallel()
	for name, src := range inputs(t) {
		t.Run(name, func(t *testing.T) {
			f, err := Parse(name, src, Options{})
			if err != nil {
				t.Fatalf("Parse(%s) error: %v", name, err)
			}
			got := goldenJSON(t, f)
			path := filepath.Join("testdata", "golden", name+".json")
			if *update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("Parse(%s) differs from %s (run go test -update and review the diff):\n%s", name, path, firstDiff(string(got), string(want)))
			}
		})
	}
}

// firstDiff shows the first line where got and want differ.
func firstDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := range max(len(g), len(w)) {
		var a, b string
		if i < len(g) {
			a = g[i]
		}
		if i < len(w) {
			b = w[i]
		}
		if a != b {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + a + "\nwant: " + b
		}
	}
	return "(no difference)"
}
