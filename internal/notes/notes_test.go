package notes

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/card"
)

// qa is a card's two sides, for comparing with what a test wants.
type qa struct {
	Kind  card.Kind
	Front string
	Back  string
}

func (c qa) String() string { return fmt.Sprintf("%s %q → %q", c.Kind, c.Front, c.Back) }

func sidesOf(cards []card.Card) []qa {
	out := []qa{}
	for _, c := range cards {
		out = append(out, qa{c.Kind, c.Front, c.Back})
	}
	return out
}

func parse(t *testing.T, name, src string) File {
	t.Helper()
	f, err := Parse(name, []byte(src), Options{})
	if err != nil {
		t.Fatalf("Parse(%s) error: %v", name, err)
	}
	checkInvariants(t, name, []byte(src), f)
	return f
}

// TestShapes checks the cards of each shape of notes, side by side.
func TestShapes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		file string
		src  string
		want []qa
	}{
		{
			name: "list under a paragraph label",
			src:  "Colours:\n\n- red\n- green\n- blue\n",
			want: []qa{
				{card.List, "Colours — name the 3 items", "- red\n- green\n- blue"},
				{card.Cloze, "Colours\n\n- [...]\n- green\n- blue", "red"},
				{card.Cloze, "Colours\n\n- red\n- [...]\n- blue", "green"},
				{card.Cloze, "Colours\n\n- red\n- green\n- [...]", "blue"},
			},
		},
		{
			name: "list under a heading, ordered",
			src:  "# Deck\n\n## Steps\n\n1. plan\n2. build\n3. run\n",
			want: []qa{
				{card.List, "Steps — name the 3 items in order", "1. plan\n2. build\n3. run"},
				{card.Cloze, "#1 of Steps\n\n1. [...]\n2. build\n3. run", "plan"},
				{card.Cloze, "#2 of Steps\n\n1. plan\n2. [...]\n3. run", "build"},
				{card.Cloze, "#3 of Steps\n\n1. plan\n2. build\n3. [...]", "run"},
			},
		},
		{
			name: "ordered list starting at 3 asks by its numbers",
			src:  "Later steps:\n\n3. test\n4. ship\n5. watch\n",
			want: []qa{
				{card.List, "Later steps — name the 3 items in order", "3. test\n4. ship\n5. watch"},
				{card.Cloze, "#3 of Later steps\n\n3. [...]\n4. ship\n5. watch", "test"},
				{card.Cloze, "#4 of Later steps\n\n3. test\n4. [...]\n5. watch", "ship"},
				{card.Cloze, "#5 of Later steps\n\n3. test\n4. ship\n5. [...]", "watch"},
			},
		},
		{
			name: "a list touching its label",
			src:  "Pros\n- fast\n- cheap\n- small\n",
			want: []qa{
				{card.List, "Pros — name the 3 items", "- fast\n- cheap\n- small"},
				{card.Cloze, "Pros\n\n- [...]\n- cheap\n- small", "fast"},
				{card.Cloze, "Pros\n\n- fast\n- [...]\n- small", "cheap"},
				{card.Cloze, "Pros\n\n- fast\n- cheap\n- [...]", "small"},
			},
		},
		{
			name: "a list of two items makes no clozes",
			src:  "Colours:\n\n- red\n- green\n",
			want: []qa{{card.List, "Colours — name the 2 items", "- red\n- green"}},
		},
		{
			name: "an ordered list of two items makes no clozes",
			src:  "## Steps\n\n1. plan\n2. build\n",
			want: []qa{{card.List, "Steps — name the 2 items in order", "1. plan\n2. build"}},
		},
		{
			name: "single item under a label is a basic card",
			src:  "Capital of France:\n\n- Paris\n",
			want: []qa{{card.Basic, "Capital of France?", "Paris"}},
		},
		{
			name: "single item with no label makes nothing",
			src:  "Some prose here.\n\n- alone\n",
			want: []qa{},
		},
		{
			name: "definitions of every form, a glossary has no list card",
			src:  "- **Leech**: a lapsing card\n- **Ease:** growth factor\n- TTL: time to live\n- RPO - data you may lose\n- SLO => a target\n",
			want: []qa{
				{card.Basic, "Leech?", "a lapsing card"},
				{card.Basic, "Ease?", "growth factor"},
				{card.Basic, "TTL?", "time to live"},
				{card.Basic, "RPO?", "data you may lose"},
				{card.Basic, "SLO?", "a target"},
			},
		},
		{
			name: "a long term is not a definition",
			src:  "Notes:\n\n- one two three four five six seven: eight\n- other item\n",
			want: []qa{
				{card.List, "Notes — name the 2 items", "- one two three four five six seven: eight\n- other item"},
			},
		},
		{
			name: "items of ordered lists are never definitions",
			src:  "Rules:\n\n1. Never trust - use policies\n2. Keep going\n",
			want: []qa{
				{card.List, "Rules — name the 2 items in order", "1. Never trust - use policies\n2. Keep going"},
			},
		},
		{
			name: "explicit questions",
			src:  "What port? :: 2379\nWhich tool? ::: kubectl\n",
			want: []qa{
				{card.Basic, "What port?", "2379"},
				{card.Basic, "Which tool?", "kubectl"},
				{card.Reverse, "kubectl", "Which tool?"},
			},
		},
		{
			name: "a question block",
			src:  "Why test in prod?\nReally, why?\n?\nReal traffic.\nReal failures.\n",
			want: []qa{{card.Basic, "Why test in prod?\nReally, why?", "Real traffic.\nReal failures."}},
		},
		{
			name: "clozes by number, with a hint",
			src:  "The {{c1::quick}} fox {{c2::jumps::verb}} over the ==lazy== dog.\n",
			want: []qa{
				{card.Cloze, "The [...] fox jumps over the lazy dog.", "quick"},
				{card.Cloze, "The quick fox [verb] over the lazy dog.", "jumps"},
				{card.Cloze, "The quick fox jumps over the [...] dog.", "lazy"},
			},
		},
		{
			name: "a cloze number hides all its deletions",
			src:  "{{c1::Go}} and {{c1::Rust}} compile; {{c2::Python}} does not.\n",
			want: []qa{
				{card.Cloze, "[...] and [...] compile; Python does not.", "Go; Rust"},
				{card.Cloze, "Go and Rust compile; [...] does not.", "Python"},
			},
		},
		{
			name: "nested lists: the parent is the label of its children, and its list card shows them",
			src:  "Tools:\n\n- Build\n  - make\n  - bazel\n  - ninja\n- Test\n  - go test\n",
			want: []qa{
				{card.List, "Tools — name the 2 items", "- Build\n  - make\n  - bazel\n  - ninja\n- Test\n  - go test"},
				{card.List, "Build — name the 3 items", "- make\n- bazel\n- ninja"},
				{card.Cloze, "Build\n\n- [...]\n- bazel\n- ninja", "make"},
				{card.Cloze, "Build\n\n- make\n- [...]\n- ninja", "bazel"},
				{card.Cloze, "Build\n\n- make\n- bazel\n- [...]", "ninja"},
				{card.Basic, "Test?", "go test"},
			},
		},
		{
			name: "prose makes nothing",
			src:  "# Title\n\nJust words: a colon, a dash - and an arrow => nothing.\n\nMore words.\n",
			want: []qa{},
		},
		{
			name: "markers in code and math stay text",
			src:  "`a :: b` and `==c==` and $x :: y$\n\n```\nQ :: A\n```\n\n    Q :: A\n",
			want: []qa{},
		},
		{
			name: "raw text: a Label * a * b line",
			file: "n.txt",
			src:  "Connect * Service discovery * Resiliency * Load balancing\n",
			want: []qa{
				{card.List, "Connect — name the 3 items", "- Service discovery\n- Resiliency\n- Load balancing"},
				{card.Cloze, "Connect\n\n- [...]\n- Resiliency\n- Load balancing", "Service discovery"},
				{card.Cloze, "Connect\n\n- Service discovery\n- [...]\n- Load balancing", "Resiliency"},
				{card.Cloze, "Connect\n\n- Service discovery\n- Resiliency\n- [...]", "Load balancing"},
			},
		},
		{
			name: "raw text: bullets and indented numbers",
			file: "n.txt",
			src:  "Title\n\nSteps\n\n  1. one\n  2. two\n    • two a\n    • two b\n",
			want: []qa{
				{card.List, "Steps — name the 2 items in order", "1. one\n2. two\n   - two a\n   - two b"},
				{card.List, "two — name the 2 items", "- two a\n- two b"},
			},
		},
		{
			name: "notes to self are dropped, links kept",
			src:  "Reading [hamy: link]:\n\n- [the paper](https://x.org) [TODO: read]\n- [link] the talk\n",
			want: []qa{
				{card.List, "Reading — name the 2 items", "- [the paper](https://x.org)\n- the talk"},
			},
		},
		{
			name: "setext headings, tables, quotes, HTML and task boxes (notes to self)",
			src: "Title\n=====\n\nSection\n-------\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [ ] x\n- [x] y\n\n" +
				"> Quoted:\n>\n> - q1\n> - q2\n\n<!--\nQ :: hidden\n\n-->\n",
			want: []qa{
				{card.List, "Quoted — name the 2 items", "- q1\n- q2"},
			},
		},
		{
			name: "exact repeats are dropped",
			src:  "Q :: A\n\nQ :: A\n\nQ :: B\n",
			want: []qa{{card.Basic, "Q", "A"}, {card.Basic, "Q", "B"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			name := tt.file
			if name == "" {
				name = "notes.md"
			}
			f := parse(t, name, tt.src)
			if got := sidesOf(f.Cards); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q) =\n%v\nwant\n%v", tt.src, got, tt.want)
			}
		})
	}
}

// TestLongList checks that a list of more than eight items is split into
// consecutive parts, as even as can be, each with its list card and
// clozes, however long it is, that the clozes of a list keep their ids
// across the split, and that Format writes it back.
func TestLongList(t *testing.T) {
	t.Parallel()
	// Item i is two letters and an x: no word ("me", "ok") that reads
	// as something other than an item.
	name := func(i int) string { return fmt.Sprintf("%c%cx", 'a'+i%26, 'a'+i/26) }
	list := func(n int) string {
		var b strings.Builder
		b.WriteString("Letters:\n\n")
		for i := range n {
			fmt.Fprintf(&b, "- %s\n", name(i))
		}
		return b.String()
	}
	tests := []struct {
		n     int
		parts []int // members per part
	}{
		{8, []int{8}},
		{9, []int{5, 4}},
		{12, []int{6, 6}},
		{17, []int{6, 6, 5}},
		{28, []int{7, 7, 7, 7}},
		// Past 100 items too: a long list is never silently dropped.
		{101, append(slices.Repeat([]int{8}, 10), 7, 7, 7)},
		{500, append(slices.Repeat([]int{8}, 59), 7, 7, 7, 7)},
	}
	for _, tt := range tests {
		f := parse(t, "n.md", list(tt.n))
		var got []int
		clozes := map[string]string{}
		for _, c := range f.Cards {
			switch c.Kind {
			case card.List:
				got = append(got, strings.Count(c.Back, "\n")+1)
				want := fmt.Sprintf("Letters (%d/%d) — name the %d items", len(got), len(tt.parts), got[len(got)-1])
				if len(got) > 1 {
					// A later part is asked after the item before it.
					prev := 0
					for _, p := range got[:len(got)-1] {
						prev += p
					}
					last := name(prev - 1)
					want = fmt.Sprintf("Letters (%d/%d) — after “%s”, name the next %d items", len(got), len(tt.parts), last, got[len(got)-1])
				}
				if len(tt.parts) == 1 {
					want = fmt.Sprintf("Letters — name the %d items", tt.n)
				}
				if c.Front != want {
					t.Errorf("%d items: list card front %q, want %q", tt.n, c.Front, want)
				}
			case card.Cloze:
				if n := strings.Count(c.Front, "\n- "); n != got[len(got)-1] {
					t.Errorf("%d items: cloze of %q shows %d items, want its part's %d", tt.n, c.Back, n, got[len(got)-1])
				}
				clozes[c.Back] = c.ID
			}
		}
		if !reflect.DeepEqual(got, tt.parts) {
			t.Errorf("%d items: parts of %v items, want %v", tt.n, got, tt.parts)
		}
		if len(clozes) != tt.n {
			t.Errorf("%d items: %d clozes, want one per item", tt.n, len(clozes))
		}
		// Format writes the list back whole, and it gives the same cards.
		if _, back := formatted(t, f.Cards); len(cardDiff(back.Cards, f.Cards)) > 0 {
			t.Errorf("%d items: Format loses cards:\n%s", tt.n, strings.Join(cardDiff(back.Cards, f.Cards), "\n"))
		}
		// The same items in one list of eight keep their clozes' ids.
		if tt.n > 8 {
			short := parse(t, "n.md", list(8))
			for _, c := range short.Cards {
				if id, ok := clozes[c.Back]; ok && c.Kind == card.Cloze && id != c.ID {
					t.Errorf("cloze of %q: id %s in a list of 8, %s in a list of %d", c.Back, c.ID, id, tt.n)
				}
			}
		}
	}
}

// TestLongCloze checks that a text too long, or of too many clozes, to
// show whole on each of its cards (over maxClozeUnit bytes, more than
// maxClozes numbers) gives every cloze its card all the same, in pieces
// cut between sentences or words that each fit; that the card of each
// deletion shows the text around it, on its line; and that clozes no
// piece can hold are a lint warning naming their line, never silently
// lost.
func TestLongCloze(t *testing.T) {
	t.Parallel()
	run := func(n int, mark func(i int) string) string {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = mark(i)
		}
		return strings.Join(ws, " ")
	}
	var prose strings.Builder
	for i := range 400 {
		fmt.Fprintf(&prose, "Sentence %d says little. ", i)
		if i%100 == 50 {
			fmt.Fprintf(&prose, "The capital of land %d is ==city%d==. ", i, i)
		}
	}
	tests := []struct {
		name, src string
		line      int      // of every card
		backs     []string // of the cards, in order; nil: every wN
		around    []string // what the front of card i shows beside its gap
	}{
		{"1000 highlights on a line", "# Words\n\n" + run(1000, func(i int) string { return fmt.Sprintf("==w%d==", i) }) + "\n", 3, nil, nil},
		{"999 numbered clozes on a line", "# Words\n\nWords: " + run(999, func(i int) string { return fmt.Sprintf("{{c%d::w%d}}", i+1, i) }) + "\n", 3, nil, nil},
		{"60 highlights in under 8 KB", "# Words\n\n" + run(60, func(i int) string { return fmt.Sprintf("==w%d==", i) }) + "\n", 3, nil, nil},
		{"a list item of 200 clozes", "# Words\n\n- " + run(200, func(i int) string { return fmt.Sprintf("{{c%d::w%d}}", i+1, i) }) + "\n- other\n", 3, nil, nil},
		{"long prose", "# Prose\n\n" + prose.String() + "\n", 3,
			[]string{"city50", "city150", "city250", "city350"},
			[]string{"The capital of land 50 is [...].", "The capital of land 150 is [...].", "The capital of land 250 is [...].", "The capital of land 350 is [...]."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := parse(t, "n.md", tt.src)
			var backs []string
			for _, c := range f.Cards {
				if c.Kind != card.Cloze {
					continue
				}
				backs = append(backs, c.Back)
				if c.Source.Line != tt.line {
					t.Errorf("cloze of %q on line %d, want %d", c.Back, c.Source.Line, tt.line)
				}
				if len(c.Front) > maxClozeUnit || strings.Count(c.Text, "{{c1::") != 1 {
					t.Errorf("cloze of %q: a front of %d bytes, text %.80q…", c.Back, len(c.Front), c.Text)
				}
				if tt.around != nil && len(backs) <= len(tt.around) && !strings.Contains(c.Front, tt.around[len(backs)-1]) {
					t.Errorf("cloze of %q: front %.200q… does not show %q", c.Back, c.Front, tt.around[len(backs)-1])
				}
			}
			want := tt.backs
			if want == nil {
				for _, w := range strings.Fields(tt.src) {
					if strings.Contains(w, "w") {
						want = append(want, strings.Trim(w[strings.LastIndex(w, ":")+1:], "=}"))
					}
				}
			}
			if !reflect.DeepEqual(backs, want) {
				t.Errorf("%d clozes hiding %.100q…, want %d, %.100q…", len(backs), backs, len(want), want)
			}
			if _, back := formatted(t, f.Cards); len(cardDiff(back.Cards, f.Cards)) > 0 {
				t.Errorf("Format loses cards:\n%s", strings.Join(cardDiff(back.Cards, f.Cards), "\n"))
			}
		})
	}
	// One cloze number whose deletions span more than a card can show
	// cannot be cut: lint says so, on its line.
	src := "# Span\n\nQ :: A\n\n{{c1::start}} " + strings.Repeat("filler words go on ", 600) + "{{c1::end}} and ==more==\n"
	f, err := Parse("span.md", []byte(src), Options{Lint: true})
	if err != nil {
		t.Fatal(err)
	}
	warned := false
	for _, x := range f.Findings {
		warned = warned || x.Warning != "" && x.Line == 5 && strings.Contains(x.Warning, "cloze")
	}
	if !warned {
		t.Errorf("Parse(a cloze spanning %d bytes) findings %v, want a warning on line 5", len(src), f.Findings)
	}
}

// TestContext checks breadcrumbs, tags and anchors.
func TestContext(t *testing.T) {
	t.Parallel()
	src := `---
tags: [conf, "Big Ideas"]
---
# QCon

## Containers #k8s

### K8s commandments

1. Go fast
2. Use tools
   - Helm
   - ksonnet
3. Stay safe

What is K8s? :: an orchestrator #ops
`
	f := parse(t, "q.md", src)
	byFront := map[string]card.Card{}
	for _, c := range f.Cards {
		byFront[c.Front] = c
	}
	tests := []struct {
		front   string
		context []string
		tags    []string
		anchor  string
	}{
		{"K8s commandments — name the 3 items in order", []string{"QCon", "Containers", "K8s commandments"},
			[]string{"conf", "big-ideas", "k8s", "containers::k8s-commandments"}, "q.md#containers/k8s-commandments@list1"},
		{"#3 of K8s commandments\n\n1. Go fast\n2. Use tools\n   - Helm\n   - ksonnet\n3. [...]", []string{"QCon", "Containers", "K8s commandments"},
			[]string{"conf", "big-ideas", "k8s", "containers::k8s-commandments"}, "q.md#containers/k8s-commandments@list1/3"},
		{"Use tools — name the 2 items", []string{"QCon", "Containers", "K8s commandments", "Use tools"},
			[]string{"conf", "big-ideas", "k8s", "containers::k8s-commandments"}, "q.md#containers/k8s-commandments@list1/2/list1"},
		{"What is K8s?", []string{"QCon", "Containers", "K8s commandments"},
			[]string{"conf", "big-ideas", "k8s", "containers::k8s-commandments", "ops"}, "q.md#containers/k8s-commandments@p1/1"},
	}
	for _, tt := range tests {
		c, ok := byFront[tt.front]
		if !ok {
			t.Errorf("no card %q in %v", tt.front, sidesOf(f.Cards))
			continue
		}
		if !reflect.DeepEqual(c.Context, tt.context) {
			t.Errorf("card %q: Context = %q, want %q", tt.front, c.Context, tt.context)
		}
		if !reflect.DeepEqual(c.Tags, tt.tags) {
			t.Errorf("card %q: Tags = %q, want %q", tt.front, c.Tags, tt.tags)
		}
		if c.Anchor != tt.anchor {
			t.Errorf("card %q: Anchor = %q, want %q", tt.front, c.Anchor, tt.anchor)
		}
	}
	if f.Deck != "QCon" || !reflect.DeepEqual(f.Tags, []string{"conf", "big-ideas"}) {
		t.Errorf("Parse = deck %q tags %q, want QCon [conf big-ideas]", f.Deck, f.Tags)
	}
}

// TestBreadcrumbHidesAnswer checks that a heading equal to an answer is
// left out of that card's breadcrumb.
func TestBreadcrumbHidesAnswer(t *testing.T) {
	t.Parallel()
	f := parse(t, "n.md", "# D\n\n## Elasticity\n\nCloud gives:\n\n- Elasticity\n- Abstraction\n")
	for _, c := range f.Cards {
		if c.Back == "Elasticity" || c.Kind == card.List {
			if slices.Contains(c.Context, "Elasticity") {
				t.Errorf("card %q → %q has the answer in its breadcrumb %q", c.Front, c.Back, c.Context)
			}
		}
	}
}

// TestDeckName checks where the deck's name comes from.
func TestDeckName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src string
		opts      Options
		want      string
	}{
		{"dir/my-notes.md", "Q :: A\n", Options{}, "my-notes"},
		{"n.md", "# Title One\n\nQ :: A\n", Options{}, "Title One"},
		{"n.md", "Title Two\n=========\n\nQ :: A\n", Options{}, "Title Two"},
		{"n.md", "---\ndeck: From Front\n---\n# Title\n", Options{}, "From Front"},
		{"n.md", "---\ntitle: A Title\n---\n# Title\n", Options{}, "A Title"},
		{"n.md", "---\ndeck: From Front\n---\n# Title\n", Options{Deck: "Override"}, "Override"},
		{"raw.txt", "A raw title\n\nStuff * a * b\n", Options{}, "A raw title"},
		{"raw.txt", "This line is far too long to be any sort of a title at all, being a sentence.\n\nQ :: A\n", Options{}, "raw"},
		{"-", "Q :: A\n", Options{}, "notes"},
	}
	for _, tt := range tests {
		f, err := Parse(tt.name, []byte(tt.src), tt.opts)
		if err != nil {
			t.Errorf("Parse(%s, %q) error: %v", tt.name, tt.src, err)
			continue
		}
		if f.Deck != tt.want {
			t.Errorf("Parse(%s, %q, %+v).Deck = %q, want %q", tt.name, tt.src, tt.opts, f.Deck, tt.want)
		}
		for _, c := range f.Cards {
			if c.Deck != tt.want || len(c.Context) == 0 || c.Context[0] != tt.want {
				t.Errorf("Parse(%s): card deck %q context %q, want deck %q first", tt.name, c.Deck, c.Context, tt.want)
			}
			if slices.Contains(c.Context[1:], tt.want) {
				t.Errorf("Parse(%s): the deck's heading is in the breadcrumb %q", tt.name, c.Context)
			}
		}
	}
}

// TestBadInput checks that unreadable input gets a one-line error naming
// the file, and that empty or prose-only input is not an error.
func TestBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		src  []byte
		err  string
	}{
		{"bin.md", []byte("abc\ndef\x00ghi"), "bin.md: line 2: binary data (a NUL byte), not notes"},
		{"utf.md", []byte("ok\nok\nbad \xff here\n"), "utf.md: line 3: invalid UTF-8"},
		{"trunc.md", []byte("ok \xe2\x82"), "trunc.md: line 1: invalid UTF-8"},
		{"empty.md", nil, ""},
		{"blank.txt", []byte("\n\n   \n"), ""},
		{"prose.md", []byte("Just a thought.\n"), ""},
		{"bom.md", []byte("\xef\xbb\xbfQ :: A\n"), ""},
	}
	for _, tt := range tests {
		f, err := Parse(tt.name, tt.src, Options{})
		switch {
		case tt.err == "" && err != nil:
			t.Errorf("Parse(%s) error: %v", tt.name, err)
		case tt.err != "" && (err == nil || err.Error() != tt.err):
			t.Errorf("Parse(%s) error = %v, want %q", tt.name, err, tt.err)
		case tt.err != "" && strings.Contains(err.Error(), "\n"):
			t.Errorf("Parse(%s) error %q is more than one line", tt.name, err)
		case tt.err != "" && !errors.Is(err, card.ErrInvalid):
			t.Errorf("Parse(%s) error %v is not card.ErrInvalid", tt.name, err)
		case tt.err == "" && tt.name == "bom.md" && (len(f.Cards) != 1 || f.Cards[0].Front != "Q"):
			t.Errorf("Parse(%s) = %v, want one card with front Q", tt.name, sidesOf(f.Cards))
		}
	}
}

// TestHostileInput checks that huge and deeply nested input is read in
// reasonable time without a panic. The time limits are generous: they
// catch quadratic blow-ups, not slowness.
func TestHostileInput(t *testing.T) {
	t.Parallel()
	big := 50 << 20
	if testing.Short() {
		big = 2 << 20
	}
	deep := func(unit string, n int) []byte { return []byte(strings.Repeat(unit, n) + "x\n") }
	var indent bytes.Buffer
	for i := range 2000 {
		indent.WriteString(strings.Repeat("  ", i) + "- item\n")
	}
	tests := []struct {
		name string
		src  []byte
	}{
		{"one huge line.md", bytes.Repeat([]byte("word "), big/5)},
		{"one huge line.txt", bytes.Repeat([]byte("a * b "), big/6)},
		{"huge line of markers.md", bytes.Repeat([]byte("==x== {{c1::y}} `z` $w$ [n: m] #t :: "), big/40)},
		{"quotes.md", deep(">", 10000)},
		{"bullets.md", deep("- ", 10000)},
		{"numbers.md", deep("1. ", 10000)},
		{"indent.md", indent.Bytes()},
		{"indent.txt", bytes.ReplaceAll(indent.Bytes(), []byte("-"), []byte("•"))},
		{"open brackets.md", bytes.Repeat([]byte("[a "), 200000)},
		{"open ticks.md", bytes.Repeat([]byte("`a ``b ```c "), 100000)},
		{"open math.md", bytes.Repeat([]byte("$a $b "), 200000)},
		{"open highlights.md", bytes.Repeat([]byte("==a ==b "), 200000)},
		{"run of highlights.md", bytes.Repeat([]byte("==x== ==y== "), 2<<20/12)},
		{"run of clozes spanned.md", bytes.Repeat([]byte("==x== {{c1::y}} ==z== "), 4<<20/22)},
		{"many lists.md", bytes.Repeat([]byte("L:\n\n- a\n- b\n\n"), 200000)},
		{"front matter only.md", []byte("---\n" + strings.Repeat("k: v\n", 100000))},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			f, err := Parse(tt.name, tt.src, Options{})
			if took := time.Since(start); took > 60*time.Second {
				t.Errorf("Parse(%s, %d bytes) took %v", tt.name, len(tt.src), took)
			}
			if err == nil {
				checkInvariants(t, tt.name, tt.src, f)
			}
		})
	}
}

// TestDeterministic checks that the same notes give the same cards, and
// that ids are card.NewID of the deck and key.
func TestDeterministic(t *testing.T) {
	t.Parallel()
	src := genCorpus(300 << 10)
	a, err := Parse("c.md", src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Parse("c.md", src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatal("Parse gave different files for the same notes")
	}
	checkInvariants(t, "c.md", src, a)
	if len(a.Cards) < 1000 {
		t.Errorf("Parse(corpus) made %d cards, want many", len(a.Cards))
	}
}

// TestPartsAgree checks that cutting the notes into parts and sharing
// them out between walkers (see parse) changes nothing: a corpus parsed
// in parts, by one walker or several, gives what one part gives, findings
// included.
func TestPartsAgree(t *testing.T) {
	t.Parallel()
	src := genCorpus(400 << 10)
	opts := Options{Lint: true}
	one, err := parseWith("c.md", src, opts, parseConfig{partSize: 1 << 30, walkers: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, cfg := range []parseConfig{
		defaultConfig(),
		{partSize: 16 << 10, walkers: 1},
		{partSize: 16 << 10, walkers: 3},
		{partSize: 1, walkers: 2}, // a part for every heading the notes may be cut before
	} {
		many, err := parseWith("c.md", src, opts, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if len(many.Cards) != len(one.Cards) {
			t.Fatalf("%+v: Parse in parts made %d cards, in one part %d", cfg, len(many.Cards), len(one.Cards))
		}
		for i := range one.Cards {
			if !reflect.DeepEqual(many.Cards[i], one.Cards[i]) {
				t.Fatalf("%+v: card %d differs:\nparts: %+v\n  one: %+v", cfg, i, many.Cards[i], one.Cards[i])
			}
		}
		if !reflect.DeepEqual(many, one) {
			t.Errorf("%+v: Parse in parts gave another file than in one part (findings %d, %d)", cfg, len(many.Findings), len(one.Findings))
		}
	}
}

// TestKeys checks keys: a cloze is keyed by its deleted text, never its
// number, and repeated keys get #2.
func TestKeys(t *testing.T) {
	t.Parallel()
	a := parse(t, "n.md", "L:\n\n1. alpha\n2. beta\n3. gamma\n")
	b := parse(t, "n.md", "L:\n\n1. new first\n2. alpha\n3. beta\n4. gamma\n")
	ids := map[string]string{}
	for _, c := range a.Cards {
		if c.Kind == card.Cloze {
			ids[c.Back] = c.ID
		}
	}
	for _, c := range b.Cards {
		if id, ok := ids[c.Back]; ok && c.Kind == card.Cloze && c.ID != id {
			t.Errorf("cloze of %q changed id from %s to %s when an item was inserted", c.Back, id, c.ID)
		}
	}
	f := parse(t, "n.md", "Issues:\n\n- a\n- b\n\nIssues:\n\n- c\n- d\n")
	var keys []string
	for _, c := range f.Cards {
		if c.Kind == card.List {
			keys = append(keys, c.Key)
		}
	}
	if want := []string{"list:issues", "list:issues#2"}; !reflect.DeepEqual(keys, want) {
		t.Errorf("list keys = %q, want %q", keys, want)
	}
}

// TestSourceLines checks lines in the original input across front matter,
// CRLF line ends, one-line lists and question blocks.
func TestSourceLines(t *testing.T) {
	t.Parallel()
	src := "---\r\ndeck: d\r\n---\r\n\r\nTools * hammer * saw\r\n\r\nQ\r\n?\r\nA\r\n\r\n- x :: y\r\n"
	f := parse(t, "n.txt", src)
	want := map[string]int{"hammer": 5, "saw": 5, "A": 7, "y": 11}
	for _, c := range f.Cards {
		if line, ok := want[c.Back]; ok && c.Source.Line != line {
			t.Errorf("card %q → %q at line %d, want %d", c.Front, c.Back, c.Source.Line, line)
		}
		if c.Source.File != "n.txt" {
			t.Errorf("card %q: Source.File = %q, want n.txt", c.Front, c.Source.File)
		}
	}
}

// TestNormKey checks that the fast normaliser agrees with card.Normalize.
func TestNormKey(t *testing.T) {
	t.Parallel()
	for _, s := range []string{"", "Hello World", "  **Bold**  _it_ `code`  ", "Trailing?!.", "ends (a)", "ends [b]",
		"Ünïcode Ça", "tab\tand\nnewline", "a\v\fb", "x…", "#3 of K8s", "UPPER-case_Thing:", "ǅ title"} {
		if got, want := normKey(s), card.Normalize(s); got != want {
			t.Errorf("normKey(%q) = %q, want card.Normalize's %q", s, got, want)
		}
	}
}

// TestRawHeadings checks the headings inferred in raw text, by the
// breadcrumbs of the cards under them.
func TestRawHeadings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src string
		want      map[string][]string // card front → breadcrumb after the deck
	}{
		{
			name: "flat sections",
			src:  "Title\n\nIntro prose here.\n\nSection A\n\nQa :: a\n\nSection B\n\nQb :: b\n",
			want: map[string][]string{"Qa": {"Section A"}, "Qb": {"Section B"}},
		},
		{
			name: "a run of headings gives the parents; a later leaf is a sibling of the last",
			src: "Title\n\nPart one\n\nChapter one\n\nQ1 :: a\n\nChapter two\n\nQ2 :: b\n\n" +
				"Part two\n\nChapter three\n\nQ3 :: c\n",
			want: map[string][]string{
				"Q1": {"Part one", "Chapter one"}, "Q2": {"Part one", "Chapter two"}, "Q3": {"Part two", "Chapter three"},
			},
		},
		{
			name: "a subsection after notes keeps the theme above it",
			src: "Title\n\nMicroservices\n\nGaming talk\n\nThe talk was about scale, and more.\n\nGaming systems\n\nQ1 :: a\n\n" +
				"Containers\n\nK8s talk\n\nQ2 :: b\n",
			want: map[string][]string{"Q1": {"Microservices", "Gaming systems"}, "Q2": {"Containers", "K8s talk"}},
		},
		{
			name: "a run longer than the ones before goes deeper",
			src:  "Title\n\nAlpha\n\nQ1 :: one\n\nBeta\n\nGamma\n\nQ2 :: two\n\nDelta\n\nQ3 :: three\n",
			want: map[string][]string{"Q1": {"Alpha"}, "Q2": {"Beta", "Gamma"}, "Q3": {"Beta", "Delta"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := parse(t, "n.txt", tt.src)
			got := map[string][]string{}
			for _, c := range f.Cards {
				got[c.Front] = c.Context[1:]
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q) breadcrumbs = %q, want %q", tt.src, got, tt.want)
			}
		})
	}
}

// sharedNotes reads a file of ../shared/notes, the notes the project is
// measured on, or skips the test when they are not there (a fresh clone
// has no ../shared).
func sharedNotes(t *testing.T, name string) []byte {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "notes", name))
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("../shared/notes/%s is not here", name)
	}
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// TestAcidNotes checks what issue 2 requires of the raw QCon notes, and
// what the rules of real notes (issue 8) make of them.
func TestAcidNotes(t *testing.T) {
	t.Parallel()
	src := sharedNotes(t, "qcon-sf-2018.txt")
	f, err := Parse("qcon-sf-2018.txt", src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	checkInvariants(t, "qcon-sf-2018.txt", src, f)
	find := func(kind card.Kind, front string) *card.Card {
		for i, c := range f.Cards {
			if c.Kind == kind && strings.HasPrefix(c.Front, front) {
				return &f.Cards[i]
			}
		}
		t.Errorf("no %s card with front %q", kind, front)
		return nil
	}
	if c := find(card.List, "SOA design tenets — name the 3 items"); c != nil {
		want := "1. Services own data, reads + writes\n2. Services address a specific concern\n3. Data mutations publish based on domain events"
		if c.Back != want {
			t.Errorf("SOA design tenets back = %q, want %q", c.Back, want)
		}
	}
	for _, k := range []string{"#1 of SOA design tenets", "#2 of SOA design tenets", "#3 of SOA design tenets"} {
		find(card.Cloze, k)
	}
	// The eight commandments stay one card, and show what "Use tools"
	// holds; "Use tools", whose substance is its list, is never hidden.
	if c := find(card.List, "K8s commandments — name the 8 items"); c != nil {
		var top []string
		for _, l := range strings.Split(c.Back, "\n") {
			if !strings.HasPrefix(l, " ") {
				top = append(top, l)
			}
		}
		if len(top) != 8 || top[7] != "8. Use tools" || !strings.Contains(c.Back, "8. Use tools\n   - Package management\n") {
			t.Errorf("K8s commandments back = %q, want 8 items, the last with its list under it", c.Back)
		}
	}
	if c := find(card.Cloze, "#3 of K8s commandments"); c != nil && c.Back != "Never trust - use pod security policies" {
		t.Errorf("#3 of K8s commandments → %q", c.Back)
	}
	for _, c := range f.Cards {
		if c.Kind == card.Cloze && (c.Back == "Use tools" || c.Back == "Package management" || c.Back == "others") {
			t.Errorf("cloze hides %q, an item whose substance is its list", c.Back)
		}
	}
	if c := find(card.List, "Use tools — name the 3 items"); c != nil && !strings.HasPrefix(c.Back, "- Package management\n  - Helm2\n- Config management\n") {
		t.Errorf("Use tools back = %q", c.Back)
	}
	find(card.List, "Config management — name the 3 items")
	find(card.List, "others — name the 2 items")
	find(card.Basic, "Package management?")
	if c := find(card.List, "Tradeoffs - note this is not for everyone — name the 5 items"); c != nil && !slices.Contains(c.Context, "Netflix: full cycle engineers") {
		t.Errorf("Tradeoffs breadcrumb %q lacks Netflix: full cycle engineers", c.Context)
	}
	for _, label := range []string{"Cloud v. DC, go cloud for", "Connect", "Monitor", "Manage", "Secure", "Some examples of service meshes",
		"Context", "Issues", "Solution", "To do this, your org must", "Improvements", "To chaos", "Uses", "Process",
		"Volume testing is good", "Pillars of realistic load testing", "Stability and reliability", "Scalability and performance",
		"Fault tolerance and disaster recovery", "You should test in both testing && prod", "The process", "DDD’s goals are to be",
		"Explorations through solutions", "Observability/monitoring useful to determine what you should actually build",
		"By deploying to prod, can catch 80% of bugs with 20% of the effort"} {
		find(card.List, label+" — name the ")
	}
	// A talk's breadcrumb holds its theme, also for talks after the first.
	for front, theme := range map[string]string{
		"Cloud v. DC, go cloud for — name the 2 items": "Microservices / architectures",
		"DDD’s goals are to be — name the 2 items":     "Microservices / architectures",
		"K8s commandments — name the 8 items in order": "Containers",
		"To chaos — name the 3 items":                  "Team processes",
	} {
		if c := find(card.List, front); c != nil && !slices.Contains(c.Context, theme) {
			t.Errorf("card %q: breadcrumb %q lacks its theme %q", front, c.Context, theme)
		}
	}
	for _, c := range f.Cards {
		for _, s := range append([]string{c.Front, c.Back, c.Text}, c.Context...) {
			if strings.Contains(s, "[hamy") || strings.Contains(s, "hamy:") {
				t.Errorf("card %q → %q holds a note to self", c.Front, c.Back)
			}
		}
		if strings.Contains(c.Front, "Last month") || strings.Contains(c.Back, "Last month") {
			t.Errorf("prose became a card: %q → %q", c.Front, c.Back)
		}
	}
}

// TestRealNotes runs the notes other people wrote (../shared/notes/real)
// through Parse, lint and Format: every card keeps the invariants, every
// file gives cards, lint says something of every file, and the cards
// round-trip through Format but for the losses knownLosses describes.
func TestRealNotes(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "..", "..", "shared", "notes", "real")
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skip("../shared/notes/real is not here")
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		name := e.Name()
		switch filepath.Ext(name) {
		case ".md", ".txt", ".org":
		default:
			continue
		}
		if name == "SOURCES.md" {
			continue
		}
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			src := sharedNotes(t, filepath.Join("real", name))
			f, err := Parse(name, src, Options{Lint: true})
			if err != nil {
				t.Fatal(err)
			}
			checkInvariants(t, name, src, f)
			if len(f.Cards) == 0 {
				t.Errorf("%s gives no card", name)
			}
			if len(f.Findings) == 0 {
				t.Errorf("lint says nothing of %s", name)
			}
			out, back := formatted(t, f.Cards)
			if d := cardDiff(back.Cards, f.Cards); len(d) > 0 {
				t.Errorf("Parse(Format(Parse(%s))) differs:\n%s\n--- Format output:\n%s", name, strings.Join(d, "\n"), out)
			}
		})
	}
}

// TestTaggedQuestionMark checks that a "?" line with tags or a note to
// self after it is a question block's "?" line, its tags the card's, and
// never a line "?" in a question or answer (which no notes could write).
func TestTaggedQuestionMark(t *testing.T) {
	t.Parallel()
	tests := []struct {
		src        string
		front      string
		back, tags []string
	}{
		{src: "Why X?\n? #hard\nBecause.\n", front: "Why X?", back: []string{"Because."}, tags: []string{"hard"}},
		{src: "Why X? #a\n? [TODO: check] #b\nBecause. #c\n", front: "Why X?", back: []string{"Because."}, tags: []string{"a", "b", "c"}},
		{src: "0\n?\n? #A\n0\n"}, // two "?" lines: no block
	}
	for _, tt := range tests {
		f := parse(t, "n.md", tt.src)
		var got []string
		for _, c := range f.Cards {
			got = append(got, fmt.Sprintf("%q → %q %q", c.Front, c.Back, c.Tags))
		}
		var want []string
		if tt.front != "" {
			want = append(want, fmt.Sprintf("%q → %q %q", tt.front, strings.Join(tt.back, "\n"), tt.tags))
		}
		if !slices.Equal(got, want) {
			t.Errorf("Parse(%q) = %q, want %q", tt.src, got, want)
		}
	}
}

// TestSection checks that a card's section is the heading below the
// file's title, whatever the title says: a title that is not the deck's
// name stays in the breadcrumb but is never a section.
func TestSection(t *testing.T) {
	t.Parallel()
	body := "\n## Security\n\n- Q1 :: A1\n\n### Deeper\n\n- Q2 :: A2\n\n## Operators\n\n- Q3 :: A3\n"
	tests := []struct {
		name, src string
		want      map[string]string // front → section
	}{
		{"title names the deck", "# KubeCon NA 2019\n" + body,
			map[string]string{"Q1": "Security", "Q2": "Security", "Q3": "Operators"}},
		{"title longer than the deck", "---\ndeck: KubeCon NA 2019\n---\n# KubeCon NA 2019 takeaways\n" + body,
			map[string]string{"Q1": "Security", "Q2": "Security", "Q3": "Operators"}},
		{"nested deck named by the title", "---\ndeck: Conferences::KubeCon NA 2019\n---\n# KubeCon NA 2019\n" + body,
			map[string]string{"Q1": "Security", "Q2": "Security", "Q3": "Operators"}},
		{"under the title only", "---\ndeck: Talks\n---\n# Something else\n\n- Q1 :: A1\n",
			map[string]string{"Q1": ""}},
		{"no title", "## Security\n\n- Q1 :: A1\n", map[string]string{"Q1": "Security"}},
		{"several H1s are sections", "# Day 1\n\n- Q1 :: A1\n\n# Day 2\n\n## Talk\n\n- Q2 :: A2\n",
			map[string]string{"Q1": "Day 1", "Q2": "Day 2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := Parse("kubecon.md", []byte(tt.src), Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]string{}
			for _, c := range f.Cards {
				if c.Kind == card.Basic {
					got[c.Front] = c.Section
				}
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("sections %v, want %v", got, tt.want)
			}
		})
	}
}
