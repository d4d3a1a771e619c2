package collection

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/disk"
	"github.com/recall-cli/recall/internal/notes"
)

// NotesExport hands the cards of notes files to an export as they are
// made (see notes.Stream), so that neither a file's cards nor the notes'
// are ever all in memory: only those of one part of a file are, until the
// parser moves on. It also gathers what an export of the cards needs to
// know at its end: the decks they were in, and whether each deck asked
// for had any.
type NotesExport struct {
	// Scratch is the directory where the parser keeps a big file's notes
	// aside (see notes.Options.Spill); "" is the system's.
	Scratch string

	files disk.Files
	decks []string // the decks asked for, none covering another
	asked []string // as asked
	met   []bool   // whether a card was in asked[i]
	names []string // the decks of the cards met, in order
	read  int      // files read
	only  string   // the file read when only one was, for errors
}

// NewNotesExport starts an export of the cards of notes files in decks
// and their subdecks (named in any case), every deck when there are none.
func NewNotesExport(files disk.Files, decks []string) *NotesExport {
	return &NotesExport{files: files, decks: covering(decks), asked: decks, met: make([]bool, len(decks))}
}

// Unsettled is the error of Each for notes whose cards the parser changed
// or dropped at their end after some were handed to the export: the
// export must start again, with the file parsed whole.
type Unsettled struct{ Path string }

func (e *Unsettled) Error() string {
	return e.Path + ": the cards of these notes settle only at their end; read them whole"
}

// spillAt is the size from which the parser keeps the notes it rewrites
// in a scratch file rather than in memory (see notes.Options.Spill).
const spillAt = 1 << 20

// Each reads the notes file at path and calls fn with each of its cards
// in the chosen decks, in order, as they are made. With whole, or when
// the parser finds that the file's cards settle only at its end before
// fn had any, the file is parsed whole first. When it finds so after
// fn had some, Each stops with an *Unsettled error: the caller starts
// again, with whole for that file.
func (x *NotesExport) Each(path string, whole bool, fn func(card.Entry) error) error {
	data, err := x.files.ReadFile(path)
	if err != nil {
		return disk.Error(path, err)
	}
	x.read++
	x.only = path
	mod := x.files.ModTime(path)
	emit := func(c card.Card) error { return x.emit(c, mod, fn) }
	if !whole {
		if err := checkLines(path, data); err != nil {
			return err
		}
		s := &partSink{emit: emit}
		// The notes are the parser's now: what it makes of a big file
		// goes to a scratch file, and data can go once that is made.
		var opts notes.Options
		if len(data) >= spillAt {
			spill, err := os.CreateTemp(x.Scratch, "recall-notes-*")
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			defer os.Remove(spill.Name())
			defer spill.Close()
			opts.Spill = spill
		}
		in := data
		data = nil
		_, err := notes.Stream(path, in, opts, s)
		switch {
		case err == nil:
			return s.flush()
		case !errors.Is(err, notes.ErrUnsettled):
			return err
		case s.sent:
			return &Unsettled{Path: path}
		}
		// Nothing was handed over: parse the notes whole, read again.
		if data, err = x.files.ReadFile(path); err != nil {
			return disk.Error(path, err)
		}
	}
	n, err := Parse(path, data, mod, notes.Options{})
	if err != nil {
		return err
	}
	for _, c := range n.Cards {
		if err := emit(c); err != nil {
			return err
		}
	}
	return nil
}

// emit hands fn a card of a file modified at mod, if it is in the decks
// chosen, and notes its deck.
func (x *NotesExport) emit(c card.Card, mod time.Time, fn func(card.Entry) error) error {
	if n := len(x.names); (n == 0 || x.names[n-1] != c.Deck) && !slices.Contains(x.names, c.Deck) {
		x.names = append(x.names, c.Deck)
	}
	for i, d := range x.asked {
		x.met[i] = x.met[i] || inDecks(c, []string{d})
	}
	if !inDecks(c, x.decks) {
		return nil
	}
	return fn(card.Entry{Card: c, Status: card.StatusNew, State: card.NewState(), Modified: mod})
}

// Parsed is a notes file read and parsed whole, when it is small (below
// spillAt): the half of Each that changes nothing of the export, which
// may run ahead of it on another goroutine (Read), before EachParsed
// hands on its cards in order. A big file is only looked at: EachParsed
// streams it, as Each does.
type Parsed struct {
	path  string
	mod   time.Time
	cards []card.Card
	err   error
	big   bool
}

// Read reads and parses the small notes file at path for EachParsed. It
// touches nothing of x but its files, and may run beside the export.
func (x *NotesExport) Read(path string) *Parsed {
	p := &Parsed{path: path}
	if st, ok := x.files.(interface{ Size(string) int64 }); ok && st.Size(path) >= spillAt {
		p.big = true
		return p
	}
	data, err := x.files.ReadFile(path)
	if err != nil {
		p.err = disk.Error(path, err)
		return p
	}
	if len(data) >= spillAt {
		p.big = true
		return p
	}
	p.mod = x.files.ModTime(path)
	n, err := Parse(path, data, p.mod, notes.Options{})
	p.cards, p.err = n.Cards, err
	return p
}

// EachParsed hands fn the cards of a file Read read, as Each does, and
// streams a big one (see Each).
func (x *NotesExport) EachParsed(p *Parsed, whole bool, fn func(card.Entry) error) error {
	if p.big {
		return x.Each(p.path, whole, fn)
	}
	if p.err != nil {
		return p.err
	}
	x.read++
	x.only = p.path
	for _, c := range p.cards {
		if err := x.emit(c, p.mod, fn); err != nil {
			return err
		}
	}
	return nil
}

// Decks names the decks of the export's cards, for its default file
// name: the decks asked for if any were, or the decks of every card met.
func (x *NotesExport) Decks() []string {
	if len(x.decks) > 0 {
		return x.decks
	}
	return x.names
}

// Missing is the error for the first deck asked for that no card met
// was in, matching card.ErrNotFound; nil if each had some.
func (x *NotesExport) Missing() error {
	for i, d := range x.asked {
		if x.met[i] {
			continue
		}
		where := "these notes"
		if x.read == 1 {
			where = x.only
		}
		return notFound(fmt.Sprintf("no deck %q in %s", d, where))
	}
	return nil
}

// partSink takes the cards notes.Stream hands over and holds those of the
// last part until the next comes: the parser fixes or drops cards when the
// notes end, and those of the last part can still be changed. A change to
// a card handed on before is refused with notes.ErrUnsettled.
type partSink struct {
	emit func(card.Card) error
	held []card.Card
	sent bool // cards were handed on
}

// flush hands on the cards held.
func (s *partSink) flush() error {
	for _, c := range s.held {
		s.sent = true
		if err := s.emit(c); err != nil {
			return err
		}
	}
	clear(s.held)
	s.held = s.held[:0]
	return nil
}

func (s *partSink) Add(cards []card.Card) error {
	if err := s.flush(); err != nil {
		return err
	}
	s.held = append(s.held, cards...)
	return nil
}

// find returns the index of the held card of id and key, or -1.
func (s *partSink) find(id, key string) int {
	return slices.IndexFunc(s.held, func(c card.Card) bool { return c.ID == id && (key == "" || c.Key == key) })
}

func (s *partSink) Card(id string) (card.Card, error) {
	if i := s.find(id, ""); i >= 0 {
		return s.held[i], nil
	}
	return card.Card{}, notes.ErrUnsettled
}

func (s *partSink) Fix(c card.Card) error {
	i := s.find(c.ID, c.Key)
	if i < 0 {
		return notes.ErrUnsettled
	}
	s.held[i] = c
	return nil
}

func (s *partSink) Drop(c card.Card) error {
	i := s.find(c.ID, c.Key)
	if i < 0 {
		return notes.ErrUnsettled
	}
	s.held = slices.Delete(s.held, i, i+1)
	return nil
}
