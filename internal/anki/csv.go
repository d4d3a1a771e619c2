package anki

import (
	"encoding/csv"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"time"

	"github.com/recall-cli/recall/internal/card"
)

// CSVOptions tune the text export.
type CSVOptions struct {
	// IncludeSuspended exports suspended cards too. Orphans never are.
	IncludeSuspended bool

	// FlatDecks puts every card in its recall deck, without a sub-deck for
	// its section (the heading below its file's title).
	FlatDecks bool

	// StockNoteTypes names Anki's stock note types, "Basic", "Basic (and
	// reversed card)" and "Cloze", which every English collection has,
	// instead of recall's own (which exist once a recall .apkg has been
	// imported). Those have two fields, so the breadcrumb goes at the top of
	// the first.
	StockNoteTypes bool

	// Mark, when set, is written in a comment line among the headers,
	// which Anki skips, for ReadMark to find.
	Mark string
}

// CSVWriter streams cards as the tab-separated text Anki's importer reads
// (File › Import), one note per line: guid, note type, deck, the fields,
// tags, with header lines saying so. Fields are HTML, rendered from the
// markdown as in a package; images keep the src written in the notes, as
// the text format carries no media.
//
// A reverse card joins its basic sibling (same Card.Group) in one "Basic
// (and reversed)" line when the two arrive one after the other, as the
// notes and the collection list them; otherwise each is a line of its own.
// Only that one card is held back, so memory stays flat.
type CSVWriter struct {
	dst      io.Writer
	out      *csv.Writer
	opts     CSVOptions
	conv     *htmlConv
	held     *csvRow // a basic or reverse card waiting for its sibling
	decks    deckSpeller
	numeric  map[string]bool // deck names read as ids, warned about
	started  bool
	warnings []Warning
	err      error
}

// csvRow is one line waiting to be written.
type csvRow struct {
	id, group string
	kind      card.Kind
	model     int64
	deck      string
	fields    [fieldCount]string
	tags      string
}

// NewCSVWriter starts a text export to w. Nothing is written before the
// first Add or Close.
func NewCSVWriter(w io.Writer, opts CSVOptions) *CSVWriter {
	out := csv.NewWriter(w)
	out.Comma = '\t'
	return &CSVWriter{dst: w, out: out, opts: opts, conv: newHTMLConv(), decks: newDeckSpeller()}
}

// csvColumns is the number of columns of a line.
func (c *CSVWriter) csvColumns() int {
	if c.opts.StockNoteTypes {
		return 3 + 2 + 1
	}
	return 3 + fieldCount + 1
}

func (c *CSVWriter) header() error {
	if c.started {
		return nil
	}
	c.started = true
	var b strings.Builder
	b.WriteString("#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n")
	b.WriteString("#tags column:" + strconv.Itoa(c.csvColumns()) + "\n")
	if c.opts.Mark != "" {
		b.WriteString("#" + markLine(c.opts.Mark) + "\n")
	}
	// Written before any record, so straight to the destination: the csv
	// writer would quote a header line.
	_, err := io.WriteString(c.dst, b.String())
	return err
}

// Add writes one card (or holds a basic or reverse card back until the next
// Add shows whether its sibling follows). Orphans are skipped, and
// suspended cards unless CSVOptions.IncludeSuspended.
func (c *CSVWriter) Add(it Item) error {
	if c.err != nil {
		return c.err
	}
	if err := c.add(it); err != nil {
		c.err = err
		return err
	}
	return nil
}

func (c *CSVWriter) add(it Item) error {
	if err := c.header(); err != nil {
		return err
	}
	if it.Status == card.StatusOrphan || (it.Status == card.StatusSuspended && !c.opts.IncludeSuspended) {
		return nil
	}
	warn := func(cd card.Card, format string, args ...any) {
		c.warnings = append(c.warnings, Warning{File: cd.Source.File, Line: cd.Source.Line,
			Msg: fmt.Sprintf(format, args...)})
	}
	n, ok := makeNote(c.conv, it, time.Unix(0, 0), nil, warn)
	if !ok {
		return nil
	}
	r := &csvRow{id: it.Card.ID, group: it.Card.Group, kind: it.Card.Kind, model: n.model,
		deck: c.decks.spell(deckName(it.Card, c.opts.FlatDecks)), fields: n.fields, tags: strings.TrimSpace(n.tags)}
	if _, err := strconv.ParseInt(r.deck, 10, 64); err == nil && !c.numeric[r.deck] {
		// Anki's text import takes a deck column that parses as an
		// integer for a deck id (NameOrId::parse), and no spelling of
		// the name parses otherwise yet names the same deck.
		if c.numeric == nil {
			c.numeric = map[string]bool{}
		}
		c.numeric[r.deck] = true
		warn(it.Card, "deck %q is a number, which Anki's text import reads as a deck id: its cards will not import; "+
			"import the .apkg, or rename the deck", r.deck)
	}
	pairable := r.group != "" && r.model == BasicModelID && (r.kind == card.Basic || r.kind == card.Reverse)
	if h := c.held; h != nil {
		c.held = nil
		if pairable && h.group == r.group && h.kind != r.kind {
			basic := r
			if h.kind == card.Basic {
				basic = h
			}
			basic.model = ReversedModelID
			return c.row(basic)
		}
		if err := c.row(h); err != nil {
			return err
		}
	}
	if pairable && strings.TrimSpace(r.fields[1]) != "" {
		c.held = r
		return nil
	}
	return c.row(r)
}

func (c *CSVWriter) row(r *csvRow) error {
	name := map[int64]string{BasicModelID: basicName, ReversedModelID: reversedName, ClozeModelID: clozeName}[r.model]
	rec := []string{guid(r.id), name, r.deck}
	if c.opts.StockNoteTypes {
		name = map[int64]string{BasicModelID: "Basic", ReversedModelID: "Basic (and reversed card)", ClozeModelID: "Cloze"}[r.model]
		first := r.fields[0]
		if r.fields[2] != "" {
			first = `<div class="crumbs">` + r.fields[2] + "</div>" + first
		}
		rec = append(rec[:1], name, r.deck, first, r.fields[1])
	} else {
		rec = append(rec, r.fields[:]...)
	}
	rec = append(rec, r.tags)
	return c.out.Write(rec)
}

// Close writes the card held back, if any, and flushes. It does not close
// the underlying writer. It returns the warnings gathered.
func (c *CSVWriter) Close() ([]Warning, error) {
	if c.err != nil {
		return c.warnings, c.err
	}
	if err := c.header(); err != nil {
		return c.warnings, err
	}
	if h := c.held; h != nil {
		c.held = nil
		if err := c.row(h); err != nil {
			return c.warnings, err
		}
	}
	c.out.Flush()
	return c.warnings, c.out.Error()
}

// WriteCSV writes every item of items as Anki import text to w.
func WriteCSV(w io.Writer, items iter.Seq[Item], opts CSVOptions) ([]Warning, error) {
	cw := NewCSVWriter(w, opts)
	for it := range items {
		if err := cw.Add(it); err != nil {
			return cw.warnings, err
		}
	}
	return cw.Close()
}
