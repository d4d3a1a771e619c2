package anki

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/recall-cli/recall/internal/card"
)

// readCSV splits Anki import text into its header lines and records, read
// the way Anki's importer does: tab separated, '#' lines are comments.
func readCSV(t *testing.T, text string, columns int) (header []string, records [][]string) {
	t.Helper()
	for _, line := range strings.SplitAfter(text, "\n") {
		if !strings.HasPrefix(line, "#") {
			break
		}
		header = append(header, strings.TrimSuffix(line, "\n"))
	}
	r := csv.NewReader(strings.NewReader(text))
	r.Comma, r.Comment, r.FieldsPerRecord = '\t', '#', columns
	records, err := r.ReadAll()
	if err != nil {
		t.Fatalf("reading the export back: %v\n%s", err, text)
	}
	return header, records
}

func TestCSV(t *testing.T) {
	t.Parallel()
	b := withGroup(basicItem("b", "Question?", "Answer"), "g")
	r := withGroup(withKind(basicItem("r", "Answer", "Question?"), card.Reverse), "g")
	far := withGroup(basicItem("far", "Far?", "away"), "g2")
	farRev := withGroup(withKind(basicItem("farrev", "away", "Far?"), card.Reverse), "g2")
	cl := withKind(basicItem("cl", "Go cloud for "+card.Gap, "elasticity"), card.Cloze)
	odd := basicItem("odd", "tab\there \"quoted\"\nnew line", "- a\n- b")
	odd.Card.Tags = []string{"two words", "x::y"}
	items := []Item{b, r, far, cl, farRev, odd,
		withStatus(basicItem("s", "S?", "s"), card.StatusSuspended),
		withStatus(basicItem("o", "O?", "o"), card.StatusOrphan)}

	var out bytes.Buffer
	warns, err := WriteCSV(&out, slices.Values(items), CSVOptions{})
	if err != nil || len(warns) != 0 {
		t.Fatalf("WriteCSV = %v, %v", warns, err)
	}
	header, recs := readCSV(t, out.String(), 7)
	wantHeader := []string{"#separator:tab", "#html:true", "#guid column:1", "#notetype column:2",
		"#deck column:3", "#tags column:7"}
	if !slices.Equal(header, wantHeader) {
		t.Errorf("header = %q, want %q", header, wantHeader)
	}
	want := [][]string{
		{"recall-b", reversedName, "Talks::Containers", "Question?", "Answer", "Talks › Containers", "qcon"},
		{"recall-far", basicName, "Talks::Containers", "Far?", "away", "Talks › Containers", "qcon"},
		{"recall-cl", clozeName, "Talks::Containers", "Go cloud for {{c1::elasticity}}", "", "Talks › Containers", "qcon"},
		{"recall-farrev", basicName, "Talks::Containers", "away", "Far?", "Talks › Containers", "qcon"},
		{"recall-odd", basicName, "Talks::Containers", "tab\there &quot;quoted&quot;\nnew line",
			"<ul>\n<li>a</li>\n<li>b</li>\n</ul>", "Talks › Containers", "two_words x::y"},
	}
	if len(recs) != len(want) {
		t.Fatalf("%d records, want %d:\n%s", len(recs), len(want), out.String())
	}
	for i := range want {
		if !slices.Equal(recs[i], want[i]) {
			t.Errorf("record %d = %q, want %q", i, recs[i], want[i])
		}
	}

	t.Run("stock note types", func(t *testing.T) {
		var out bytes.Buffer
		if _, err := WriteCSV(&out, slices.Values([]Item{b, r, cl}), CSVOptions{StockNoteTypes: true, FlatDecks: true}); err != nil {
			t.Fatal(err)
		}
		header, recs := readCSV(t, out.String(), 6)
		if header[len(header)-1] != "#tags column:6" {
			t.Errorf("header = %q, want tags in column 6", header)
		}
		want := [][]string{
			{"recall-b", "Basic (and reversed card)", "Talks", `<div class="crumbs">Talks › Containers</div>Question?`, "Answer", "qcon"},
			{"recall-cl", "Cloze", "Talks", `<div class="crumbs">Talks › Containers</div>Go cloud for {{c1::elasticity}}`, "", "qcon"},
		}
		if !slices.EqualFunc(recs, want, slices.Equal) {
			t.Errorf("records = %q, want %q", recs, want)
		}
	})

	t.Run("empty", func(t *testing.T) {
		var out bytes.Buffer
		if _, err := NewCSVWriter(&out, CSVOptions{}).Close(); err != nil {
			t.Fatal(err)
		}
		header, recs := readCSV(t, out.String(), 7)
		if len(header) != 6 || len(recs) != 0 {
			t.Errorf("empty export = %q, want the header only", out.String())
		}
	})

	t.Run("held card flushed at close", func(t *testing.T) {
		var out bytes.Buffer
		if _, err := WriteCSV(&out, slices.Values([]Item{b}), CSVOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, recs := readCSV(t, out.String(), 7); len(recs) != 1 || recs[0][1] != basicName {
			t.Errorf("records = %q, want the lone basic card", recs)
		}
	})
}

// TestCSVMatchesPackage: the text export gives every note the fields, tags
// and deck the package gives it, spelled as Anki's text import needs to
// land it there: it looks decks up by their exact name, and makes a new
// deck ("talks+") of a name that differs only in case or normalisation.
func TestCSVMatchesPackage(t *testing.T) {
	t.Parallel()
	var items []Item
	for _, c := range syntaxCases() {
		items = append(items, c.it)
	}
	deck := func(id, deck string, ctx ...string) Item {
		it := basicItem(id, id+"?", id)
		it.Card.Deck, it.Card.Context, it.Card.Section = deck, ctx, ""
		if len(ctx) > 1 {
			it.Card.Section = ctx[1]
		}
		return it
	}
	odd := basicItem("odd", "<script>x</script> `a::b` &amp; {{c1::x}}", "*b* \x01")
	odd.Card.Tags = []string{"Café", "Cafe\u0301", "<b>", "R&D", "two words", "x::y"}
	items = append(items,
		deck("d1", "Talks", "Talks", "Containers"),
		deck("d2", "talks", "talks", "containers"),
		deck("d3", "TALKS", "TALKS", "Other"),
		deck("d4", "default", "default"),
		deck("d5", "Cafe\u0301", "Cafe\u0301"),
		deck("d6", "Café", "Café", "Crème"),
		deck("d7", "café", "café", "Cre\u0300me"),
		deck("d8", "Go", "Go", "**Go** &amp; `<T>`"),
		odd,
		withGroup(basicItem("p", "P?", "p"), "g"),
		withGroup(withKind(basicItem("pr", "p", "P?"), card.Reverse), "g"),
	)
	p, _ := export(t, Options{}, items...)
	var out bytes.Buffer
	if _, err := WriteCSV(&out, slices.Values(items), CSVOptions{}); err != nil {
		t.Fatal(err)
	}
	_, recs := readCSV(t, out.String(), 7)
	if len(recs) != len(p.Notes) {
		t.Fatalf("%d records, the package has %d notes", len(recs), len(p.Notes))
	}
	for _, rec := range recs {
		n, ok := p.Note(rec[0])
		if !ok {
			t.Errorf("record %q: no note with that guid in the package", rec)
			continue
		}
		if !slices.Equal(rec[3:6], n.Fields) {
			t.Errorf("%s: csv fields %q, package %q", rec[0], rec[3:6], n.Fields)
		}
		if got := strings.Fields(rec[6]); !slices.Equal(got, n.Tags) {
			t.Errorf("%s: csv tags %q, package %q", rec[0], got, n.Tags)
		}
		if want := p.DeckName(p.CardsOf(n.ID)[0].DID); rec[2] != want {
			t.Errorf("%s: csv deck %q, package %q", rec[0], rec[2], want)
		}
		for _, tag := range n.Tags {
			if !norm.NFC.IsNormalString(tag) {
				t.Errorf("%s: tag %q not in normal form C", rec[0], tag)
			}
		}
	}
	want := map[string]string{"d1": "Talks::Containers", "d2": "Talks::Containers", "d3": "Talks::Other",
		"d4": "Default", "d5": "Café", "d6": "Café::Crème", "d7": "Café::Crème", "d8": "Go::Go & T"}
	for id, deck := range want {
		if got := p.DeckName(p.CardsOf(noteOf(t, p, id).ID)[0].DID); got != deck {
			t.Errorf("deck of %s = %q, want %q", id, got, deck)
		}
	}
	if n := noteOf(t, p, "odd"); !slices.Equal(n.Tags, []string{"Café", "b", "R_D", "two_words", "x::y"}) {
		t.Errorf("tags of odd = %q", n.Tags)
	}
	names := map[string]bool{}
	for _, d := range p.Decks {
		names[d.Name] = true
	}
	for name := range names {
		if parent := card.Deck(name).Parent(); parent != "" && !names[string(parent)] {
			t.Errorf("deck %q: no deck spelled %q, its parent", name, parent)
		}
		if !norm.NFC.IsNormalString(name) {
			t.Errorf("deck %q not in normal form C", name)
		}
	}
}

// TestCSVNumericDeck: Anki's text import reads a deck column that is an
// integer as a deck id, which no spelling avoids: the export says so.
func TestCSVNumericDeck(t *testing.T) {
	t.Parallel()
	a := basicItem("a", "A?", "a")
	a.Card.Deck, a.Card.Context, a.Card.Section = "2018", []string{"2018"}, ""
	b := basicItem("b", "B?", "b")
	b.Card.Deck, b.Card.Context, b.Card.Section = "2018", []string{"2018"}, ""
	c := basicItem("c", "C?", "c")
	c.Card.Deck, c.Card.Context, c.Card.Section = "2018", []string{"2018", "Talks"}, "Talks"
	var out bytes.Buffer
	warns, err := WriteCSV(&out, slices.Values([]Item{a, b, c}), CSVOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(warns) != 1 || !strings.Contains(warns[0].Msg, `deck "2018" is a number`) {
		t.Errorf("warnings = %v, want one about deck \"2018\"", warns)
	}
}
