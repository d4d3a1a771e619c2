package card

import "time"

// Entry is a card as the collection holds it: the notes' card with its
// status and schedule.
type Entry struct {
	Card
	Status   Status
	State    State // Due is the start of the study day it falls due
	Created  time.Time
	Modified time.Time // last change of its text, place or orphan status
	// Changed is the last change of what an export gives of the card
	// (its fields, tags, deck and subdeck, kind), not of its place in
	// the notes; zero when not known.
	Changed time.Time
}

// Answer is what the collection made of a grade.
type Answer struct {
	ReviewID      int64 // the logged review, for undo
	Before, After State // the schedule before and after
	Leech         bool  // this answer made the card a leech: it is now suspended and tagged
	// Buried are the card's siblings this answer buried until tomorrow
	// (the first answer of the day on a card hides its kin, as Anki's
	// "bury siblings" does).
	Buried []string
}

// DeckStatus counts a deck's cards as the study day stands.
type DeckStatus struct {
	Deck        string
	New         int // never reviewed, not suspended or buried
	Learning    int // in today's learning steps (graded below good today)
	DueToday    int // reviewed, due on or before today, not suspended or buried
	DueTomorrow int // reviewed, due on or before tomorrow (today's backlog too), not suspended
	Total       int // orphans not counted
	Suspended   int
	Orphans     int
}
