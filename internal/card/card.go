// Package card holds recall's domain types: cards, kinds, grades, scheduling
// state, ids and the sentinel errors every other package maps its failures to.
//
// It imports nothing of ours and nothing outside the standard library.
package card

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Sentinel errors. Packages wrap them with context (`deck %q: %w`) so that
// the command line can map them to exit codes and hints in one place.
var (
	ErrNotFound = errors.New("not found")
	ErrExists   = errors.New("already exists")
	ErrInvalid  = errors.New("invalid")
	// ErrBusy: another recall held the collection's write lock for longer
	// than the store waits. Trying again later works.
	ErrBusy = errors.New("busy")
	// ErrCorrupt: the collection file is damaged (or is not a database at
	// all). recall reads what it can and writes nothing.
	ErrCorrupt = errors.New("damaged")
)

// Kind is the shape of a card.
type Kind string

// The kinds of card recall makes.
const (
	Basic   Kind = "basic"   // question → answer
	Reverse Kind = "reverse" // the answer side of a ::: card, asked the other way round
	List    Kind = "list"    // "Label — name the N items" → every item
	Cloze   Kind = "cloze"   // text with one part hidden → the hidden part
)

// Valid reports whether k is one of the known kinds.
func (k Kind) Valid() bool {
	switch k {
	case Basic, Reverse, List, Cloze:
		return true
	}
	return false
}

// Gap is what a cloze front shows where its deletion was.
const Gap = "[...]"

// Source is where in the notes a card came from.
type Source struct {
	File string `json:"file"`
	Line int    `json:"line"`
}

// Card is one flashcard as the notes describe it. Front and Back are
// markdown. Context is the breadcrumb shown above the prompt (deck, headings,
// parent bullets); it never contains the answer.
type Card struct {
	ID      string   `json:"id"`
	Deck    string   `json:"deck"`
	Kind    Kind     `json:"kind"`
	Front   string   `json:"front"`
	Back    string   `json:"back"`
	Context []string `json:"context"`
	Tags    []string `json:"tags"`
	Source  Source   `json:"source"`

	// Key is the card's identity in its deck: what stays the same when the
	// wording around it changes. For a basic card it is the normalised
	// prompt; for a list its label; for a cloze its label and deleted text
	// (never its number, so inserting an item renumbers nothing).
	Key string `json:"-"`

	// Anchor is where the card sits: file, heading path, list path and
	// position. Sync uses it to recognise an edited card whose Key changed.
	Anchor string `json:"-"`

	// Group is shared by cards made from the same list or note (a list
	// card and its clozes, a card and its reverse): siblings, which a
	// session keeps apart.
	Group string `json:"-"`

	// Text is the full text of a cloze with its deletion marked the Anki
	// way, {{c1::deleted}}, for exporters; empty for other kinds.
	Text string `json:"-"`

	// Section is the heading the card sits under at the first level below
	// the file's title (the title itself never counts, whatever it says),
	// as the breadcrumb writes it; "" for a card above every such
	// heading. It names the card's subdeck (see anki.Subdeck).
	Section string `json:"-"`
}

// NewID derives a card id from a deck and a key: the first 12 hex digits of
// a SHA-256, so the same notes always give the same ids.
func NewID(deck, key string) string {
	sum := sha256.Sum256([]byte(Normalize(deck) + "\x00" + key))
	return hex.EncodeToString(sum[:6])
}

// LooksLikeID reports whether s has the shape of a card id, 12 hex
// digits, so that a command taking ids or a search can tell them apart.
func LooksLikeID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			return false
		}
	}
	return true
}

// Normalize folds text for comparison: lower case, markdown emphasis and
// punctuation at the edges dropped, runs of space folded to one.
func Normalize(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		switch {
		case r == '*' || r == '_' || r == '`':
			continue
		case unicode.IsSpace(r):
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return strings.TrimRightFunc(b.String(), func(r rune) bool {
		return unicode.IsPunct(r) && r != ')' && r != ']'
	})
}

// Status is where a card stands in the collection.
type Status string

// The statuses of a card in the collection.
const (
	StatusNew       Status = "new"
	StatusLearning  Status = "learning"
	StatusReview    Status = "review"
	StatusSuspended Status = "suspended"
	StatusBuried    Status = "buried"
	StatusOrphan    Status = "orphan"
)

// Grade is an SM-2 quality of response, 0 (blackout) to 5 (perfect).
type Grade int

// The four buttons and the qualities they stand for.
const (
	Again Grade = 2
	Hard  Grade = 3
	Good  Grade = 4
	Easy  Grade = 5
)

// Valid reports whether g is an SM-2 quality 0..5.
func (g Grade) Valid() bool { return g >= 0 && g <= 5 }

// Passed reports whether g counts as a successful recall (q ≥ 3).
func (g Grade) Passed() bool { return g >= 3 }

// Button returns the 1..4 button for a grade (Again 1 … Easy 4); grades
// below Again count as Again.
func (g Grade) Button() int {
	switch {
	case g <= Again:
		return 1
	case g == Hard:
		return 2
	case g == Good:
		return 3
	}
	return 4
}

// String names the button a grade maps to.
func (g Grade) String() string {
	return [...]string{"again", "hard", "good", "easy"}[g.Button()-1]
}

// ParseGrade reads a button name or its letter (again|a, hard|h, good|g,
// easy|e) or a button digit 1–4. With raw set, digits are SM-2 qualities
// 0–5 instead of buttons.
func ParseGrade(s string, raw bool) (Grade, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	switch s {
	case "again", "a":
		return Again, nil
	case "hard", "h":
		return Hard, nil
	case "good", "g":
		return Good, nil
	case "easy", "e":
		return Easy, nil
	}
	if len(s) == 1 && s[0] >= '0' && s[0] <= '5' {
		d := Grade(s[0] - '0')
		if raw {
			return d, nil
		}
		if d >= 1 && d <= 4 {
			return Grade(d + 1), nil
		}
	}
	return 0, errors.New("unknown grade " + `"` + s + `"`)
}

// State is a card's SM-2 schedule.
type State struct {
	Reps     int       `json:"reps"`     // successful reviews in a row
	EF       float64   `json:"ef"`       // easiness factor, ≥ 1.3
	Interval int       `json:"interval"` // days
	Due      time.Time `json:"-"`        // zero for a new card
	Lapses   int       `json:"lapses"`   // times a reviewed card was failed
	Last     time.Time `json:"-"`        // last review, zero if never
	// LearnDue is when a card graded below good today comes back (SM-2's
	// rule 7, in Anki's learning steps); zero when it is not learning.
	// Learning lasts until the day's rollover.
	LearnDue  time.Time `json:"-"`
	LearnStep int       `json:"-"` // index into srs.LearnSteps

	// FSRS says the card's deck studies with FSRS-6 (at Retention), not
	// SM-2. Stability and Difficulty are the memory state FSRS last left;
	// zero until FSRS first schedules the card (it is then derived from
	// the review log or from SM-2's interval and ease). SM-2's fields above
	// go on being kept, so a deck can switch back.
	FSRS      bool    `json:"-"`
	Retention float64 `json:"-"`
	// Weights are the FSRS-6 weights fitted to the learner's log (recall
	// optimize); nil means the published defaults.
	Weights               *[21]float64 `json:"-"`
	Stability, Difficulty float64      `json:"-"`
}

// Limits are a deck's daily limits. A nil field is not set, so that the
// setting under it applies; 0 means no cards of that kind.
type Limits struct {
	New     *int // new cards introduced a day
	Reviews *int // reviews a day
	// Scheduler is the front matter's scheduler: "sm2", "fsrs", or ""
	// when it says none.
	Scheduler string
}

// PerDay returns a daily limit of n cards, for a field of Limits.
func PerDay(n int) *int { return &n }

// String says the limits as "{new 5, reviews unset}".
func (l Limits) String() string {
	say := func(p *int) string {
		if p == nil {
			return "unset"
		}
		return strconv.Itoa(*p)
	}
	return "{new " + say(l.New) + ", reviews " + say(l.Reviews) + "}"
}

// NewState is the schedule of a card never reviewed.
func NewState() State { return State{EF: 2.5} }

// Learning reports whether the card is in the learning steps of the study
// day from start to end: graded below good that day and not graded good
// since. Learning ends at the rollover; a step from an earlier day counts
// for nothing.
func (s State) Learning(start, end time.Time) bool {
	return !s.LearnDue.IsZero() && !s.LearnDue.Before(start) && s.LearnDue.Before(end)
}

// IsNew reports whether the card has never been reviewed.
func (s State) IsNew() bool { return s.Last.IsZero() }

// Review is one answer a person gave: the grade, how long it took and the
// schedule before and after. A re-drill (SM-2 rule 7) is logged but leaves
// the schedule as it was.
type Review struct {
	ID      int64
	CardID  string
	Time    time.Time
	Grade   Grade
	Took    time.Duration
	Before  State
	After   State
	Redrill bool
}

// Error is a failure about one card. It names the card, and what was
// being done to it, once: "bury card 9f2c4e1a7b3d: already buried". A
// card that does not exist is said the same way whatever was being done
// to it: "no card 9f2c4e1a7b3d".
type Error struct {
	Op  string // what was being done ("bury", "restore"), or ""
	ID  string
	Err error
}

func (e *Error) Error() string {
	if e.Err == ErrNotFound {
		return "no card " + e.ID
	}
	s := "card " + e.ID + ": " + e.Err.Error()
	if e.Op != "" {
		s = e.Op + " " + s
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }
