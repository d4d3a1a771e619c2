package notes

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestLintCountsEveryCard checks that each card counts for one finding:
// the findings' cards add up to the file's.
func TestLintCountsEveryCard(t *testing.T) {
	t.Parallel()
	for name, src := range inputs(t) {
		f, err := Parse(name, src, Options{Lint: true})
		if err != nil {
			t.Fatalf("Parse(%s) error: %v", name, err)
		}
		plain, _ := Parse(name, src, Options{})
		if len(f.Cards) != len(plain.Cards) {
			t.Errorf("Parse(%s) made %d cards linting, %d not", name, len(f.Cards), len(plain.Cards))
		}
		n, last := 0, 0
		for _, x := range f.Findings {
			n += x.Cards
			if x.Line < last {
				t.Errorf("%s: finding at line %d after line %d", name, x.Line, last)
			}
			last = x.Line
			if (x.Shape == "") == (x.Skipped == "" && x.Warning == "") {
				t.Errorf("%s:%d: finding %+v has no one thing to say", name, x.Line, x)
			}
		}
		if n != len(f.Cards) {
			t.Errorf("%s: findings count %d cards, the file has %d", name, n, len(f.Cards))
		}
	}
}

// TestLint checks what lint says of each rule's fixture.
func TestLint(t *testing.T) {
	t.Parallel()
	tests := []struct {
		file string
		want []string // lines of "LINE: finding" that must be among the findings
	}{
		{"links.md", []string{"5: skipped: links only (Keynote by Ada Example)", "10: skipped: links only (Resources)",
			"16: list of 4 items → 5 cards (Tracing talk)", "21: skipped: filler (etc)"}},
		{"metadata.md", []string{"5: skipped: metadata (_Jamie Rivera_)", "16: skipped: metadata (Speaker: Sam Lee)",
			"17: skipped: metadata (by [Sam Lee](https://example.com/sam))",
			"22: skipped: metadata (Other suggested talks: lambda calculus for beginners, the …)",
			"23: skipped: metadata (Further reading: Designing Data-Intensive Applications)"}},
		{"notes-to-self.md", []string{"9: skipped: note to self (TODO: look up the paper)", "12: skipped: note to self (also render the graph???)"}},
		{"single-child.md", []string{"8: one item under a label → 1 card (Why Rust)",
			"14: skipped: one item under a label that asks nothing (Compaction runs nightly.)",
			`14: warning: one item under "Compaction runs nightly.": end the label with ':' or '?' if it asks for the item`,
			"6: skipped: a reaction, not content (Very useful)"}},
		{"long-list.md", []string{"5: list of 28 items → 32 cards (Shortcuts worth learning)",
			"5: warning: a list of 28 items is asked in 4 parts: lists of 8 or fewer are easier to recall"}},
		{"long.md", []string{"5: warning: 4 of its items are longer than 15 words: shown, never hidden"}},
		{"definitions.md", []string{"5: glossary of 7 definitions → 7 cards (Forms)",
			`15: warning: "Ask: What do you want?" reads as a definition, but "Ask" names no thing (a verb, a filler word or a clause): it stays an item`}},
		{"code.md", []string{"skipped: code"}},
	}
	for _, tt := range tests {
		f, err := Parse(tt.file, []byte(readTestdata(t, tt.file)), Options{Lint: true})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, x := range f.Findings {
			got = append(got, strings.TrimSpace(strings.Join([]string{itoa(x.Line) + ":", x.String()}, " ")))
		}
		for _, w := range tt.want {
			found := false
			for _, g := range got {
				found = found || g == w || !strings.Contains(w, ":") && strings.Contains(g, w) || strings.HasPrefix(w, "skipped") && strings.Contains(g, w)
			}
			if !found {
				t.Errorf("lint %s: no finding %q in\n%s", tt.file, w, strings.Join(got, "\n"))
			}
		}
	}
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func itoa(n int) string { return strconv.Itoa(n) }
