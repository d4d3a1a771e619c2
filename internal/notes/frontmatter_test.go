package notes

import (
	"bytes"
	"cmp"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/recall-cli/recall/internal/card"
)

// TestFrontMatter checks the front matter that is read: every key and
// every way of writing it, keys in any case, and keys recall does not
// know (Obsidian's and Logseq's) left alone.
func TestFrontMatter(t *testing.T) {
	t.Parallel()
	tests := []struct {
		src    string
		deck   string
		tags   []string
		limits card.Limits
		kinds  []card.Kind
	}{
		{"---\ntags:\n  - one\n  - Two Three\nnew: 5\nreviews: 50\n---\nL:\n\n- a\n- b\n- c\n", "f", []string{"one", "two-three"},
			card.Limits{New: card.PerDay(5), Reviews: card.PerDay(50)}, []card.Kind{card.List, card.Cloze, card.Cloze, card.Cloze}},
		{"---\ntags: a, b c\ncards: {clozes: false}\n---\nL:\n\n- a\n- b\n- c\n", "f", []string{"a", "b-c"},
			card.Limits{}, []card.Kind{card.List}},
		{"---\ncards:\n  clozes: no\n  lists: no\n---\nL:\n\n- a\n- b\n- c\n", "f", []string{}, card.Limits{}, []card.Kind{}},
		{"---\ncards: {clozes: Off, lists: on}\n---\nL:\n\n- a\n- b\n- c\n", "f", []string{}, card.Limits{}, []card.Kind{card.List}},
		{"---\ncards:\n  lists: FALSE\n  clozes: yes\n---\nL:\n\n- a\n- b\n- c\n", "f", []string{}, card.Limits{}, []card.Kind{}},
		{"---\ncards:\n---\nQ :: A\n", "f", []string{}, card.Limits{}, []card.Kind{card.Basic}},
		{"---\n# a comment\nauthor: me\nextra:\n  - ignored\n---\nQ :: A\n", "f", []string{}, card.Limits{}, []card.Kind{card.Basic}},
		{"---\n\nno front matter here\n\nQ :: A\n", "f", []string{}, card.Limits{}, []card.Kind{card.Basic}},
		{"---\nDeck: Capitals\nTAGS: [x]\nNew: '3'\nreviews: \"40\"\n---\nQ :: A\n", "Capitals", []string{"x"}, card.Limits{New: card.PerDay(3), Reviews: card.PerDay(40)}, []card.Kind{card.Basic}},
		{"---\ntag: single\n...\nQ :: A\n", "f", []string{"single"}, card.Limits{}, []card.Kind{card.Basic}},
		{"---\ndeck: 2024\ntags:\n  - 7\n  -\n  - '#hashed'\n---\nQ :: A\n", "2024", []string{"7", "hashed"}, card.Limits{}, []card.Kind{card.Basic}},
		{"---\ndeck:\ntitle: T\ntags:\n---\nQ :: A\n", "T", []string{}, card.Limits{}, []card.Kind{card.Basic}},
		{"---\ntags: [a,\n  b]\nnew: +2\n---\nQ :: A\n", "f", []string{"a", "b"}, card.Limits{New: card.PerDay(2)}, []card.Kind{card.Basic}},
		{"---\ntags: a, \"b c\"\n---\nQ :: A\n", "f", []string{"a", "b-c"}, card.Limits{}, []card.Kind{card.Basic}},
		// 0 is no cards of that kind, not the default.
		{"---\nnew: 0\nreviews: '0'\n---\nQ :: A\n", "f", []string{}, card.Limits{New: card.PerDay(0), Reviews: card.PerDay(0)}, []card.Kind{card.Basic}},
		// Talk and chapter titles hold ": ", which YAML wants quoted.
		{"---\ntitle: Lecture 4: Law of Change\n---\nQ :: A\n", "Lecture 4: Law of Change", []string{}, card.Limits{}, []card.Kind{card.Basic}},
		{"---\nnew: 2\nDeck: DevConf: 2026/Day 1 # the second\ntitle: x: y\n---\nQ :: A\n", "DevConf: 2026/Day 1", []string{}, card.Limits{New: card.PerDay(2)}, []card.Kind{card.Basic}},
		{"---\nname: &n Shared\ndeck: *n\n---\nQ :: A\n", "Shared", []string{}, card.Limits{}, []card.Kind{card.Basic}},
		{"---\ndeck: >\n  folded\n  name\n---\nQ :: A\n", "folded name", []string{}, card.Limits{}, []card.Kind{card.Basic}},
		{"---\ndeck: null\n---\nQ :: A\n", "null", []string{}, card.Limits{}, []card.Kind{card.Basic}},
		{"---\ndeck: d\ndeck: e\ntags: a\ntags: b\n---\nQ :: A\n", "e", []string{"a", "b"}, card.Limits{}, []card.Kind{card.Basic}},
		// Obsidian and Logseq keys, whatever their shape, are not recall's.
		{"---\naliases: [One, \"Two: 2\"]\ncssclasses:\n  - wide\ncreated: 2024-01-01T10:00:00\npublish: true\nmy key: {a: [b, c]}\n? complex\n: key\n---\nQ :: A\n",
			"f", []string{}, card.Limits{}, []card.Kind{card.Basic}},
	}
	for _, tt := range tests {
		f, err := Parse("f.md", []byte(tt.src), Options{})
		if err != nil {
			t.Errorf("Parse(%q) error: %v", tt.src, err)
			continue
		}
		kinds := []card.Kind{}
		for _, c := range f.Cards {
			kinds = append(kinds, c.Kind)
		}
		if f.Deck != tt.deck || !reflect.DeepEqual(f.Tags, tt.tags) || !reflect.DeepEqual(f.Limits, tt.limits) || !reflect.DeepEqual(kinds, tt.kinds) {
			t.Errorf("Parse(%q) = deck %q tags %q limits %+v kinds %v, want %q %q %+v %v", tt.src, f.Deck, f.Tags, f.Limits, kinds, tt.deck, tt.tags, tt.limits, tt.kinds)
		}
	}
}

// TestFrontMatterErrors checks that front matter that is not YAML, or
// gives a key a value of the wrong kind, is an error on the line at
// fault, counted in the file (the front matter starts on line 2).
func TestFrontMatterErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fm   string // between the --- lines
		line int
		msg  string // what the message after "front matter: " holds
	}{
		// syntax
		{"deck: [unclosed", 2, "did not find expected ',' or ']'"},
		{"new: 5\ndeck: [unclosed\nreviews: 3", 3, "did not find expected ',' or ']'"},
		{"deck: x\ntags: {a: b\nnew: 5", 3, "did not find expected ',' or '}'"},
		{"deck: x\ntags: a: b", 3, `mapping values are not allowed in this context (quote a value that holds ": ")`},
		{"deck: x\nauthor:\n  name: a: b", 4, `mapping values are not allowed in this context (quote a value that holds ": ")`},
		{strings.Repeat("deck: 1: 1\n", maxColonValues) + "title: one too many: 1", 2 + maxColonValues, "mapping values are not allowed"},
		{"deck: x\nnew: 5\n  reviews: 4", 4, "mapping values are not allowed"},
		{"deck: x\njust words", 3, `want "key: value", got "just words"`},
		{"deck:x", 2, `want "key: value", got "deck:x"`},
		{"deck: x\ntitle:y\nnew: 1", 3, `want "key: value", got "title:y"`},
		{"tags:\n  - x\n  y: 2", 4, "did not find expected '-' indicator"},
		{"cards:\n  clozes: false\n  - x", 4, "did not find expected key"},
		{"tags:\n  - a\n - b", 4, "did not find expected key"},
		{"deck: x\ncards:\n\tclozes: false", 4, "a tab in the indentation (YAML indents with spaces)"},
		{"deck: @me", 2, "found character that cannot start any token (quote a value that starts with @ or `)"},
		{"deck: x\nb: *nope", 3, "unknown anchor 'nope' referenced"},
		{"deck: x\n\ntitle: \"open\nnew: 5", 4, "found unexpected end of stream"},
		{`deck: "a" b`, 2, "did not find expected key"},
		{`deck: "bad \q"`, 2, "found unknown escape character"},
		{`deck: "cut \u12"`, 2, "did not find expected hexdecimal number"},
		{`tags: [a, b`, 2, "did not find expected ',' or ']'"},
		{`tags: [a] b`, 2, "did not find expected key"},
		{"tags:\n  - 'open", 3, "found unexpected end of stream"},
		{"deck: x\n- y", 3, "did not find expected key"},
		// values of the wrong kind
		{"deck: x\nnew: lots", 3, `new: want a number of cards a day, got "lots"`},
		{"new: -1", 2, `new: want a number of cards a day, got "-1"`},
		{"reviews: 1000001", 2, `reviews: want a number of cards a day, got "1000001"`},
		{"new:", 2, "new: want a number of cards a day"},
		{"new: [1]", 2, "new: want a number of cards a day, not a list"},
		{"tags: {a: b}", 2, "tags: want a list of tags, not a mapping"},
		{"tags:\n  - [a, b]", 3, "tags: want a tag, not a list"},
		{"tags:\n  - a: b", 3, "tags: want a tag, not a mapping"},
		{"deck:\n  - a", 3, "deck takes one value, not a list"},
		{"title: {a: b}", 2, "title takes one value, not a mapping"},
		{"cards: all", 2, "cards: want options such as {clozes: false} or indented lines"},
		{"cards:\n  reverse: yes", 3, `cards: unknown option "reverse" (want clozes, lists)`},
		{"cards:\n  clozes: maybe", 3, `cards: clozes: want true or false, got "maybe"`},
		{"cards: {lists: [a]}", 2, "cards: lists: want true or false, not a list"},
	}
	for _, tt := range tests {
		src := "---\n" + tt.fm + "\n---\nQ :: A\n"
		_, err := Parse("f.md", []byte(src), Options{})
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Parse(%q) error = %v, want a *notes.Error", src, err)
			continue
		}
		if e.File != "f.md" || e.Line != tt.line || !strings.HasPrefix(e.Msg, "front matter: ") || !strings.Contains(e.Msg, tt.msg) {
			t.Errorf("Parse(%q) error = %v, want f.md: line %d: front matter: …%s…", src, err, tt.line, tt.msg)
		}
		if strings.Contains(err.Error(), "\n") || !errors.Is(err, card.ErrInvalid) {
			t.Errorf("Parse(%q) error %q: want one line matching card.ErrInvalid", src, err)
		}
	}
	_, err := Parse("f.md", []byte("---\ndeck: x\nQ :: A\n"), Options{})
	if want := "f.md: line 1: front matter not closed (want a --- line after it)"; err == nil || err.Error() != want {
		t.Errorf("Parse(front matter with no closing line) error = %v, want %q", err, want)
	}
}

// TestFrontMatterQuoting checks YAML quoting in deck:, title: and tags:
// values: double quotes with their escapes, single quotes with two quotes
// for one, and plain values, in flow sequences and block lists.
func TestFrontMatterQuoting(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fm   string
		deck string
		tags []string
	}{
		{`tags: [odd tag, "quo\"te", ok]`, "f", []string{"odd-tag", `quo"te`, "ok"}},
		{`tags: ['it''s', "a, b", "x # y", "[z]"]  # a comment`, "f", []string{"it's", "a,-b", "x-#-y", "[z]"}},
		{`tags: ["tab\tand\u00e9", 'back\slash']`, "f", []string{"tab-andé", `back\slash`}},
		{"tags:\n  - \"quo\\\"te\"\n  - 'single''s'\n  - plain one # note", "f", []string{`quo"te`, "single's", "plain-one"}},
		{`tags: "Two Words"`, "f", []string{"two-words"}},
		{`tags: a, b c`, "f", []string{"a", "b-c"}},
		{`tags: a b`, "f", []string{"a", "b"}},
		{`deck: "Name: with colon"`, "Name: with colon", []string{}},
		{`deck: 'x'`, "x", []string{}},
		{`deck: 'it''s # not a comment'`, "it's # not a comment", []string{}},
		{`deck: "say \"hi\"" # comment`, `say "hi"`, []string{}},
		{`deck: plain words # comment`, "plain words", []string{}},
		{`title: "T\x41"`, "TA", []string{}},
	}
	for _, tt := range tests {
		src := "---\n" + tt.fm + "\n---\nQ :: A\n"
		f, err := Parse("f.md", []byte(src), Options{})
		if err != nil {
			t.Errorf("Parse(%q) error: %v", src, err)
			continue
		}
		if f.Deck != tt.deck || !reflect.DeepEqual(f.Tags, tt.tags) {
			t.Errorf("Parse(%q) = deck %q tags %q, want %q %q", src, f.Deck, f.Tags, tt.deck, tt.tags)
		}
		if len(f.Cards) != 1 || !reflect.DeepEqual(f.Cards[0].Tags, tt.tags) {
			t.Errorf("Parse(%q) cards %v, want one card tagged %q", src, f.Cards, tt.tags)
		}
	}
}

// TestYAMLString checks that the deck names and tags Format writes in
// front matter read back as they were, whatever YAML makes of them plain,
// but for control characters, which a deck name never holds (a tab is a
// space; see cleanText).
func TestYAMLString(t *testing.T) {
	t.Parallel()
	controls := map[string]string{"tab\there": "tab here", "x\u0085y": "xy", "ctl\x01\x7f\u009b": "ctl"}
	for _, s := range []string{
		"plain", "Two: words", "null", "~", "true", "1.50", "#x", "x #y", "a: b", "@me", "`x`", "- x", "[x]", "{x}",
		"it's", `say "hi"`, `back\slash`, "tab\there", "é ü", "x\u2028y", "x\u2029y", "x\u0085y", "x\ufeffy", "x\uffffy", "x\ufffey",
		"ctl\x01\x7f\u009b", "a, b", "?x", "%x", "!x", "&x", "*x", "|x", ">x", "...", "---x",
	} {
		src := "---\ndeck: " + yamlString(s) + "\n---\nQ :: A\n"
		var fm frontMatter
		lines := bytes.Split([]byte(src), []byte("\n"))[1:2]
		want := cmp.Or(controls[s], s)
		if err := fm.read(lines); err != nil || fm.deck != want {
			t.Errorf("yamlString(%q) = %s, reads back as %q, error %v, want %q", s, yamlString(s), fm.deck, err, want)
		}
	}
}
