package anki

import (
	"fmt"
	"io"
	"time"

	"github.com/recall-cli/recall/internal/card"
)

// Item is one recall card to export, with its progress when known: the
// card as the notes describe it (Front, Back and Text are markdown), its
// Status ("" or new when exporting straight from notes), its SM-2 State,
// and Changed, when what the export gives of it last changed, which
// stamps its note and card (zero: Modified; both zero: Options.Now).
// Created is not used.
type Item = card.Entry

// Options tune an export.
type Options struct {
	// WithProgress carries the schedule (interval, ease, due, lapses)
	// and, through Writer.AddReview, the review log, whose reviews of a
	// card are its reps. Without it every card is new.
	WithProgress bool

	// IncludeSuspended exports suspended cards too (suspended in Anki when
	// WithProgress is set). Orphans are never exported.
	IncludeSuspended bool

	// FlatDecks puts every card in its recall deck, without a sub-deck for
	// its section (the heading below its file's title).
	FlatDecks bool

	// Now is the export time: note, card and review ids are never later,
	// and it stamps the collection. Required.
	Now time.Time

	// Rollover is the hour (0–23, in the location of Now) at which a study
	// day starts; recall's default is 4.
	Rollover int

	// Open opens an image referenced by the notes; nil means os.Open.
	Open func(path string) (io.ReadCloser, error)

	// TempDir is where the collection is built; "" means os.TempDir().
	TempDir string

	// Mark, when set, is kept in the package's zip comment, which Anki
	// ignores, for ReadMark to find: recall knows its own exports by it.
	Mark string

	// zipLevel, when set, is the deflate level instead of zipLevel's
	// (BenchmarkZipLevel compares them).
	zipLevel *int
}

// Warning is a problem that did not stop the export, such as an image that
// could not be found, located in the notes.
type Warning struct {
	File string
	Line int
	Msg  string
}

// String formats a warning as file:line: message.
func (w Warning) String() string {
	if w.File == "" {
		return w.Msg
	}
	return fmt.Sprintf("%s:%d: %s", w.File, w.Line, w.Msg)
}

// Note type ids. They are fixed so that every export lands on the same note
// types in a person's collection; change a note type's fields and it needs a
// new id (and name), or Anki will refuse to update notes of the old layout.
const (
	BasicModelID    int64 = 1543622400001 // "recall Basic": Front, Back, Context
	ReversedModelID int64 = 1543622400002 // "recall Basic (and reversed)": Front, Back, Context
	ClozeModelID    int64 = 1543622400003 // "recall Cloze": Text, Back Extra, Context
)

// DefaultDeckID is the id of Anki's "Default" deck, present in every
// collection.
const DefaultDeckID int64 = 1

// modelsMod is the modification time (seconds) of the note types. Bump it
// when templates or styling change so that Anki takes the new version.
const modelsMod int64 = 1767225600 // 2026-01-01

// schemaVersion is the collection schema written: the legacy 11 that every
// Anki since 2.1 and AnkiDroid open.
const schemaVersion = 11

// maxAnswerMs caps a review's time, as deck option maxTaken (60 s) does in
// Anki.
const maxAnswerMs = 60_000

// maxDueDays is the exclusive upper bound of a review card's due day; above
// it Anki takes the value for a corrupt timestamp and resets it.
const maxDueDays = 100_000

// column is one column of Anki's schema 11.
type column struct {
	name    string
	typ     string // "integer" or "text"
	notNull bool
	pk      bool
}

// table is one table of Anki's schema 11, in column order.
type table struct {
	name string
	cols []column
}

func ints(names ...string) []column {
	cs := make([]column, len(names))
	for i, n := range names {
		cs[i] = column{name: n, typ: "integer", notNull: true}
	}
	return cs
}

func cat(parts ...[]column) []column {
	var out []column
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

func texts(names ...string) []column {
	cs := make([]column, len(names))
	for i, n := range names {
		cs[i] = column{name: n, typ: "text", notNull: true}
	}
	return cs
}

var pkID = []column{{name: "id", typ: "integer", pk: true}}

// schema11 is the table layout of Anki's schema 11, column types included:
// current Anki refuses a REAL where it expects an integer. sfld is declared
// integer on purpose (numeric sort fields sort numerically) but holds text.
var schema11 = []table{
	{"col", cat(pkID, ints("crt", "mod", "scm", "ver", "dty", "usn", "ls"),
		texts("conf", "models", "decks", "dconf", "tags"))},
	{"notes", cat(pkID, texts("guid"), ints("mid", "mod", "usn"), texts("tags", "flds"),
		ints("sfld", "csum", "flags"), texts("data"))},
	{"cards", cat(pkID, ints("nid", "did", "ord", "mod", "usn", "type", "queue", "due", "ivl",
		"factor", "reps", "lapses", "left", "odue", "odid", "flags"), texts("data"))},
	{"revlog", cat(pkID, ints("cid", "usn", "ease", "ivl", "lastIvl", "factor", "time", "type"))},
	{"graves", ints("usn", "oid", "type")},
}

// indexes11 are the indexes of schema 11 the package keeps: the one older
// importers (Anki 2.1's Python one, AnkiDroid's) need, looking up the
// review log card by card. The others serve syncing and scheduling in a
// live collection; the importer copies rows into one that has them. Built
// after the rows are in.
var indexes11 = []string{
	"create index ix_revlog_cid on revlog (cid)",
}

// ddl returns the create statement of t.
func (t table) ddl() string {
	s := "create table " + t.name + " ("
	for i, c := range t.cols {
		if i > 0 {
			s += ", "
		}
		s += c.name + " " + c.typ
		if c.pk {
			s += " primary key"
		} else if c.notNull {
			s += " not null"
		}
	}
	return s + ")"
}
