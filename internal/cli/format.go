package cli

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/recall-cli/recall/internal/card"
)

// cardObject is a card as `generate --format json` and `cards --json`
// print it: an output contract scripts rely on, field names included
// (README.md shows it).
type cardObject struct {
	ID       string          `json:"id"`
	Deck     string          `json:"deck"`
	Kind     card.Kind       `json:"kind"`
	Front    string          `json:"front"`
	Back     string          `json:"back"`
	Context  []string        `json:"context"`
	Tags     []string        `json:"tags"`
	Source   card.Source     `json:"source"`
	Status   card.Status     `json:"status,omitempty"`
	Schedule *scheduleObject `json:"schedule,omitempty"`
}

// scheduleObject is a card's schedule in `cards --json`: the scheduler its
// deck studies with, SM-2's state, and FSRS's memory when it has one.
type scheduleObject struct {
	Scheduler string  `json:"scheduler"` // sm2 or fsrs
	Reps      int     `json:"reps"`
	EF        float64 `json:"ef"`
	Interval  int     `json:"interval"`
	Due       *string `json:"due"` // YYYY-MM-DD; null for a new card
	Lapses    int     `json:"lapses"`
	// FSRS's memory state and the probability of recall now.
	Stability      *float64 `json:"stability,omitempty"`
	Difficulty     *float64 `json:"difficulty,omitempty"`
	Retrievability *float64 `json:"retrievability,omitempty"`
}

func newCardObject(c card.Card) cardObject {
	o := cardObject{
		ID: c.ID, Deck: c.Deck, Kind: c.Kind, Front: c.Front, Back: c.Back,
		Context: c.Context, Tags: c.Tags, Source: c.Source,
	}
	// Scripts iterate over these: an empty list, never null.
	if o.Context == nil {
		o.Context = []string{}
	}
	if o.Tags == nil {
		o.Tags = []string{}
	}
	return o
}

func cardObjects(cards []card.Card) []cardObject {
	out := make([]cardObject, len(cards))
	for i, c := range cards {
		out[i] = newCardObject(c)
	}
	return out
}

// writeJSON prints v as indented JSON, HTML characters left as they are.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeTSV prints front, back and tags a line per card, with the header
// lines Anki's text importer reads. Fields are HTML (newlines as <br>),
// which is what makes multi-line answers survive a tab-separated file.
func writeTSV(w io.Writer, cards []card.Card) error {
	if _, err := io.WriteString(w, "#separator:tab\n#html:true\n#columns:Front\tBack\tTags\n#tags column:3\n"); err != nil {
		return err
	}
	for _, c := range cards {
		_, err := fmt.Fprintf(w, "%s\t%s\t%s\n", tsvField(c.Front), tsvField(c.Back), strings.Join(c.Tags, " "))
		if err != nil {
			return err
		}
	}
	return nil
}

func tsvField(s string) string {
	s = html.EscapeString(s)
	s = strings.ReplaceAll(s, "\t", " ")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.ReplaceAll(s, "\n", "<br>")
}

// writeText prints cards for a person to read, grouped under their
// breadcrumbs, in the order the notes gave them.
func writeText(w io.Writer, cards []card.Card, color bool) error {
	st := newStyle(color)
	last := "\x00"
	for _, c := range cards {
		crumb := strings.Join(c.Context, " › ")
		if crumb != last {
			if last != "\x00" {
				fmt.Fprintln(w)
			}
			fmt.Fprintln(w, st.heading(crumb))
			last = crumb
		}
		fmt.Fprintf(w, "  %s  %s\n", st.dim("Q"), indentTail(c.Front, "     "))
		fmt.Fprintf(w, "  %s  %s\n", st.dim("A"), indentTail(c.Back, "     "))
		if _, err := fmt.Fprintf(w, "     %s\n", st.dim(fmt.Sprintf("(%s · %s · %s:%d)", c.Kind, c.ID, c.Source.File, c.Source.Line))); err != nil {
			return err
		}
	}
	return nil
}

// indentTail indents every line of s after the first.
func indentTail(s, indent string) string {
	return strings.ReplaceAll(s, "\n", "\n"+indent)
}

// style colours text when colour is wanted and leaves it alone otherwise.
type style struct{ color bool }

func newStyle(color bool) style { return style{color} }

func (s style) wrap(code, text string) string {
	if !s.color {
		return text
	}
	return "\x1b[" + code + "m" + text + "\x1b[0m"
}

func (s style) heading(t string) string { return s.wrap("1", t) }
func (s style) dim(t string) string     { return s.wrap("2", t) }

// table returns where a command prints rows of tab-separated cells: on a
// terminal, aligned columns under a header; to a pipe, the bare lines
// (no header, no padding) that scripts split on tabs.
func table(env *Env, header string) (w io.Writer, flush func() error) {
	if !env.StdoutTTY {
		return env.Stdout, func() error { return nil }
	}
	tw := tabwriter.NewWriter(env.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, header)
	return tw, tw.Flush
}
