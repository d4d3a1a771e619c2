package anki

import (
	"bytes"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/recall-cli/recall/internal/card"
)

// shown is a field as Anki shows it, as text: tags stripped, entities
// decoded (once, as a browser does).
func shown(field string) string { return stripHTML(field) }

// clozesIn returns the deletions current Anki and Anki before 2.1.56 read
// in the fields of a note.
func clozesIn(fields ...string) (cur, legacy []int) {
	c, l := map[int]bool{}, map[int]bool{}
	for _, f := range fields {
		clozeNumbers(f, c)
		legacyClozeNumbers(f, l)
	}
	return slices.Sorted(maps.Keys(c)), slices.Sorted(maps.Keys(l))
}

// ownDeletion returns the text and hint of the deletion c1 of a field as
// Anki shows them, reading it as Anki does: up to the first "}}", the hint
// after the first "::".
func ownDeletion(field string) (text, hint string, ok bool) {
	_, rest, ok := strings.Cut(field, "{{c1::")
	if !ok {
		return "", "", false
	}
	inner, _, ok := strings.Cut(rest, "}}")
	if !ok {
		return "", "", false
	}
	text, hint, _ = strings.Cut(inner, "::")
	return shown(text), shown(hint), true
}

func withFront(it Item, front string) Item { it.Card.Front = front; return it }

// clozeItem is a cloze card with its text marked as notes marks it.
func clozeItem(id, text, back string) Item {
	return withText(withKind(basicItem(id, "", back), card.Cloze), text)
}

// syntaxCase is a card whose notes hold cloze syntax, and what Anki must
// make of its note.
type syntaxCase struct {
	name  string
	it    Item
	cloze bool     // a cloze note with one deletion, c1; else a basic note with none
	del   string   // the text of c1 as Anki shows it, when set
	shown []string // the fields as Anki shows them, when set
}

func syntaxCases() []syntaxCase {
	crumbs := basicItem("crumbs", "Go cloud for "+card.Gap, "elasticity")
	crumbs.Card.Kind = card.Cloze
	crumbs.Card.Context = []string{"Talks", "{{c2::leak}}", "{{c3::x"}
	basic := basicItem("basic", "What is {{c5::this}}? `{{c1::code}}`", "it is {{c1::that}} }} {{c2::")
	basic.Card.Context = []string{"Talks", "{{c1::heading}} }}"}
	return []syntaxCase{
		{name: "escaped as notes writes it",
			it: clozeItem("notes", "Valid {{c1::one}} and {&#123;c2::::h}} and {&#123;c0::zero}} and "+
				"{&#123;c99999999999::big}} then }} and {&#123;c1:: open.", "one"),
			cloze: true, del: "one",
			shown: []string{"Valid {{c1::one}} and {{c2::::h}} and {{c0::zero}} and {{c99999999999::big}} then }} and {{c1:: open.",
				"", "Talks › Containers"}},
		{name: "raw marks",
			it: clozeItem("raw", "{{c2::::h}} {{c0::x}} {{c99999999999::x}} {{c1::own}} {{c3::a::b::c}} }} "+
				"{{C4::up}} {{c5,6::list}} {{c1::", "own"),
			cloze: true, del: "own"},
		{name: "numbers Anki refuses",
			it:    withFront(clozeItem("refused", "{{c0::zero}} and {{c70000::big}}", "zero"), card.Gap+" and big"),
			shown: []string{"[...] and big", "zero", "Talks › Containers"}},
		{name: "nested",
			it:    clozeItem("nested", "Nested {{c1::outer {&#123;c2::inner}} more}} end.", "outer {{c2"),
			cloze: true},
		{name: "deletion ending in a brace",
			it:    clozeItem("brace", "Go types: {{c1::map[string]struct{}}}", "map[string]struct{}"),
			cloze: true, del: "map[string]struct{}"},
		{name: "brace after the deletion",
			it:    clozeItem("after", "Trailing {{c1::a}}} brace", "a"),
			cloze: true, del: "a", shown: []string{"Trailing {{c1::a}}} brace", "", "Talks › Containers"}},
		{name: "breadcrumb of a cloze", it: crumbs, cloze: true, del: "elasticity",
			shown: []string{"Go cloud for {{c1::elasticity}}", "", "Talks › {{c2::leak}} › {{c3::x"}},
		{name: "basic", it: basic,
			shown: []string{"What is {{c5::this}}? {{c1::code}}", "it is {{c1::that}} }} {{c2::", "Talks › {{c1::heading}} }}"}},
	}
}

// checkSyntax checks the fields of one note made of c.
func checkSyntax(t *testing.T, c syntaxCase, model string, fields []string) {
	t.Helper()
	cur, legacy := clozesIn(fields...)
	var want []int
	if c.cloze {
		want = []int{1}
		if model != clozeName {
			t.Errorf("note type %q, want %q", model, clozeName)
		}
	}
	if !slices.Equal(cur, want) || !slices.Equal(legacy, want) {
		t.Errorf("fields %q: Anki reads deletions %v (before 2.1.56: %v), want %v", fields, cur, legacy, want)
	}
	if c.del != "" {
		if del, _, ok := ownDeletion(fields[0]); !ok || del != c.del {
			t.Errorf("field %q: Anki deletes %q, want %q", fields[0], del, c.del)
		}
	}
	if c.shown != nil {
		got := make([]string, len(fields))
		for i, f := range fields {
			got[i] = shown(f)
		}
		if !slices.Equal(got, c.shown) {
			t.Errorf("fields %q show as %q, want %q", fields, got, c.shown)
		}
	}
}

// TestClozeSyntax: cloze syntax in the notes reaches Anki as text, except
// the card's own deletion, c1, which Anki reads whole.
func TestClozeSyntax(t *testing.T) {
	t.Parallel()
	cases := syntaxCases()
	items := make([]Item, len(cases))
	for i, c := range cases {
		items[i] = c.it
	}
	p, _ := export(t, Options{}, items...)
	var out bytes.Buffer
	if _, err := WriteCSV(&out, slices.Values(items), CSVOptions{}); err != nil {
		t.Fatal(err)
	}
	_, recs := readCSV(t, out.String(), 7)
	if len(recs) != len(cases) {
		t.Fatalf("%d records, want %d:\n%s", len(recs), len(cases), out.String())
	}
	models := map[int64]string{BasicModelID: basicName, ClozeModelID: clozeName}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			n := noteOf(t, p, c.it.Card.ID)
			t.Run("apkg", func(t *testing.T) { checkSyntax(t, c, models[n.MID], n.Fields) })
			t.Run("csv", func(t *testing.T) { checkSyntax(t, c, recs[i][1], recs[i][3:6]) })
		})
	}
}

// TestEscapedOnce: each field is HTML escaped once, so Anki shows what the
// notes say, whatever notes escaped to mark its clozes.
func TestEscapedOnce(t *testing.T) {
	t.Parallel()
	cl := clozeItem("cl", "Hint {{c1::answer::b:&#58;c}} and `{&#123;c3::span}}`, {{c2::other}}", "answer")
	cl.Card.Context = []string{"AT&amp;T", "`a::b` &lt;b&gt;"}
	code := clozeItem("code", "use {{c1::`a:&#58;b`::`h:&#58;i`}}", "`a::b`")
	b := basicItem("b", "`<b>` & &amp; `x::y`", "b:c")
	tests := []struct {
		it        Item
		shown     []string
		del, hint string
	}{
		{cl, []string{"Hint {{c1::answer::b::c}} and {{c3::span}}, other", "", "AT&T › a::b <b>"}, "answer", "b::c"},
		{code, []string{"use {{c1::a::b::h::i}}", "", "Talks › Containers"}, "a::b", "h::i"},
		{b, []string{"<b> & & x::y", "b:c", "Talks › Containers"}, "", ""},
	}
	items := []Item{cl, code, b}
	p, _ := export(t, Options{}, items...)
	var out bytes.Buffer
	if _, err := WriteCSV(&out, slices.Values(items), CSVOptions{}); err != nil {
		t.Fatal(err)
	}
	_, recs := readCSV(t, out.String(), 7)
	for i, tt := range tests {
		for _, f := range []struct {
			where  string
			fields []string
		}{{"apkg", noteOf(t, p, tt.it.Card.ID).Fields}, {"csv", recs[i][3:6]}} {
			got := make([]string, len(f.fields))
			for k, s := range f.fields {
				got[k] = shown(s)
			}
			if !slices.Equal(got, tt.shown) {
				t.Errorf("%s: card %s fields %q show as %q, want %q", f.where, tt.it.Card.ID, f.fields, got, tt.shown)
			}
			if del, hint, _ := ownDeletion(f.fields[0]); del != tt.del || hint != tt.hint {
				t.Errorf("%s: card %s field %q: Anki deletes %q with hint %q, want %q and %q",
					f.where, tt.it.Card.ID, f.fields[0], del, hint, tt.del, tt.hint)
			}
		}
	}
}

// TestTagsAndDecksAsText: tags and deck names, plain text to Anki but put
// unescaped into a card's HTML by {{Tags}} and {{Deck}}, hold no markup
// characters (and '&' only in deck names), in the package and the CSV.
func TestTagsAndDecksAsText(t *testing.T) {
	t.Parallel()
	a := basicItem("a", "A?", "a")
	a.Card.Tags = []string{"<script>alert(1)</script>", "R&D", "c++<templates>", "a::<b>::c", "ok"}
	a.Card.Deck, a.Card.Context = "<script>alert(1)</script>", []string{"x", "**Go** &amp; `<T>`"}
	a.Card.Section = a.Card.Context[1]
	b := basicItem("b", "B?", "b")
	b.Card.Deck, b.Card.Context = "Q&A", []string{"Q&A", "AT&amp;T <img src=x onerror=alert(1)>"}
	b.Card.Section = b.Card.Context[1]
	tests := []struct {
		it   Item
		tags []string
		deck string
	}{
		{a, []string{"script_alert(1)_/script", "R_D", "c++_templates", "a::b::c", "ok"}, "script alert(1) /script::Go & T"},
		{b, []string{"qcon"}, "Q&A::AT&T img src=x onerror=alert(1)"},
	}
	items := []Item{a, b}
	p, _ := export(t, Options{}, items...)
	var out bytes.Buffer
	if _, err := WriteCSV(&out, slices.Values(items), CSVOptions{}); err != nil {
		t.Fatal(err)
	}
	_, recs := readCSV(t, out.String(), 7)
	for i, tt := range tests {
		n := noteOf(t, p, tt.it.Card.ID)
		if !slices.Equal(n.Tags, tt.tags) {
			t.Errorf("apkg: card %s tags %q, want %q", tt.it.Card.ID, n.Tags, tt.tags)
		}
		if got := p.DeckName(p.CardsOf(n.ID)[0].DID); got != tt.deck {
			t.Errorf("apkg: card %s deck %q, want %q", tt.it.Card.ID, got, tt.deck)
		}
		if got := strings.Fields(recs[i][6]); !slices.Equal(got, tt.tags) {
			t.Errorf("csv: card %s tags %q, want %q", tt.it.Card.ID, got, tt.tags)
		}
		if got := recs[i][2]; got != tt.deck {
			t.Errorf("csv: card %s deck %q, want %q", tt.it.Card.ID, got, tt.deck)
		}
	}
}
