package notes

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// questionList is a heading over a list of n questions, every seventh a
// reversed one, and what comes after it.
func questionList(heading string, n int, after string) string {
	var b strings.Builder
	b.WriteString(heading + "\n\n")
	for i := range n {
		sep := " :: "
		if i%7 == 3 {
			sep = " ::: "
		}
		b.WriteString("- What does service " + strconv.Itoa(i) + " own?" + sep + "Its data " + strconv.Itoa(i) + " #t" + strconv.Itoa(i%3) + "\n")
	}
	return b.String() + after
}

// TestListCutsAgree parses notes whose long lists of questions may be cut
// into parts (see normalized.listCuts), by Parse and by Stream, cut at
// every place they may be and as by default: they give what one part
// gives, whether the lists turn out to be cuttable or not (a question in
// code, a plain item among the questions, a list nested in one, a bullet
// of another kind).
func TestListCutsAgree(t *testing.T) {
	t.Parallel()
	more := "A paragraph after.\n\n- plain\n- items\n- here\n\nQ :: A at the end\n\n## Next\n\n- x :: y\n"
	cases := map[string]string{
		"under a heading":  "# Deck\n\n" + questionList("## Services", 300, more),
		"under the title":  questionList("# Deck", 300, more),
		"after text first": "Intro.\n\n" + questionList("# Deck", 300, more),
		"two lists":        questionList("## One", 200, "") + "\n" + questionList("## Two", 200, more),
		"in code": "# D\n\n" + strings.Replace(questionList("## S", 200, more),
			"- What does service 150 own? :: Its data 150", "- `What::code` 150", 1),
		"code in three": "# D\n\n" + strings.NewReplacer(
			"- What does service 10 own? :: Its data 10", "- `port::10` open",
			"- What does service 100 own? :: Its data 100", "- `port::100` shut",
			"- What does service 190 own? :: Its data 190", "- `port::190` open").Replace(questionList("## Ports", 200, more)),
		"all in code": "# D\n\n## Takeaways\n\n" + strings.Repeat("- `key::value` pairs are short\n- `a::b` scopes name things\n- `c::d` paths nest deeper\n", 40),
		"a plain item": "# D\n\n" + strings.Replace(questionList("## S", 200, more),
			"- What does service 120 own? :: Its data 120", "- What does service 120 own? :: Its data 120\n- plain 120", 1),
		"nested": "# D\n\n" + strings.Replace(questionList("## S", 200, more),
			"- What does service 99 own? :: Its data 99", "- What does service 99 own? :: Its data 99\n  - nested :: 99", 1),
		"ordered": "# D\n\n## S\n\n" + strings.ReplaceAll(questionList("", 200, more), "- What", "1. What"),
		"mixed bullets": "# D\n\n" + strings.Replace(questionList("## S", 200, more),
			"- What does service 77 own?", "* What does service 77 own?", 1),
	}
	if dir := filepath.Join("..", "..", "..", "shared", "notes", "real"); dirExists(dir) {
		files, _ := filepath.Glob(filepath.Join(dir, "*.*"))
		for _, f := range files {
			if data, err := os.ReadFile(f); err == nil && !strings.HasSuffix(f, "SOURCES.md") {
				cases["real "+filepath.Base(f)] = string(data)
			}
		}
	}
	cases["corpus"] = string(genCorpus(200 << 10))
	// The lists these cut: the parse in parts must take the cuts, not
	// fall back to parsing them whole (which would agree all the same).
	cuttable := map[string]bool{"under a heading": true, "under the title": true, "two lists": true}
	for name := range cuttable {
		cfg := parseConfig{partSize: 1, walkers: 2, listGap: 1}
		if _, err := parseWith("n.md", []byte(cases[name]), Options{}, cfg); err != nil {
			t.Errorf("%s: parse cut at every item: %v, want the cuts taken", name, err)
		}
	}
	if _, err := parseWith("n.md", []byte(cases["all in code"]), Options{}, parseConfig{partSize: 1, walkers: 2, listGap: 1}); !errors.Is(err, errListCut) {
		t.Errorf("all in code: parse cut at every item: %v, want errListCut", err)
	}
	for name, text := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			src := []byte(text)
			file := "n.md"
			if strings.HasPrefix(name, "real ") {
				file = strings.TrimPrefix(name, "real ")
			}
			one, err := parseAll(file, src, Options{}, parseConfig{partSize: 1 << 30, walkers: 1})
			if err != nil {
				t.Fatal(err)
			}
			for k, cfg := range []parseConfig{
				defaultConfig(),
				{partSize: 1, walkers: 2, listGap: 1},
				{partSize: 512, walkers: 3, listGap: 64},
				defaultConfig(),
			} {
				opts := Options{}
				if k >= 2 {
					// The markdown kept aside in a file, read back a part
					// at a time.
					f, err := os.CreateTemp(t.TempDir(), "spill")
					if err != nil {
						t.Fatal(err)
					}
					defer f.Close()
					opts.Spill = f
				}
				many, err := parseAll(file, src, opts, cfg)
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(many, one) {
					t.Fatalf("%+v: Parse cut inside lists gave another file (%d cards, whole %d)%s", cfg, len(many.Cards), len(one.Cards), firstCardDiff(many, one))
				}
				s := &sink{}
				cfg.sink = s
				f, err := streamWith(file, src, cfg, opts)
				if errors.Is(err, ErrUnsettled) {
					continue
				}
				if err != nil {
					t.Fatal(err)
				}
				if f.Deck != one.Deck {
					t.Errorf("%+v: Stream's deck %q, want %q", cfg, f.Deck, one.Deck)
				}
				if !reflect.DeepEqual(s.cards, one.Cards) {
					t.Fatalf("%+v: Stream cut inside lists handed over %d cards, Parse made %d%s", cfg, len(s.cards), len(one.Cards), firstCardDiff(File{Cards: s.cards}, one))
				}
			}
		})
	}
}

// TestListCutsPlaces checks where a list may be cut: between the items of
// the lists TestListCutsAgree cuts, not before the first, and nowhere in
// the lists that cannot be.
func TestListCutsPlaces(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		text string
		cuts int
	}{
		{"under a heading", questionList("## Services", 10, ""), 9},
		{"under the title", questionList("# Deck", 10, ""), 9},
		{"under a later title", "Intro.\n\n" + questionList("# Deck", 10, ""), 0},
		{"a plain item", questionList("## S", 10, "") + "- plain\n", 0},
		{"a paragraph between", "## S\n\nLabel:\n" + questionList("", 10, ""), 0},
		{"ordered", strings.ReplaceAll(questionList("## S", 10, ""), "- What", "1. What"), 0},
	} {
		nz, _ := normalize([]byte(tt.text), 1, kindMarkdown, 1, nil)
		if len(nz.listCuts) != tt.cuts {
			t.Errorf("%s: %d places to cut, want %d", tt.name, len(nz.listCuts), tt.cuts)
		}
		for i, c := range nz.listCuts {
			if c.items != i+1 || !strings.HasPrefix(string(nz.src[c.off:]), "- What does service "+strconv.Itoa(i+1)+" ") {
				t.Errorf("%s: cut %d at %q after %d items", tt.name, i, string(nz.src[c.off:min(len(nz.src), c.off+24)]), c.items)
			}
		}
	}
}

// firstCardDiff describes the first card two files differ in.
func firstCardDiff(a, b File) string {
	for i := range min(len(a.Cards), len(b.Cards)) {
		if !reflect.DeepEqual(a.Cards[i], b.Cards[i]) {
			return fmt.Sprintf("\ncard %d:\n  cut: %+v\nwhole: %+v", i, a.Cards[i], b.Cards[i])
		}
	}
	return ""
}

func dirExists(dir string) bool {
	info, err := os.Stat(dir)
	return err == nil && info.IsDir()
}
