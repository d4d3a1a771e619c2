package anki

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"

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
