// Package search reads the part of Anki's search syntax recall understands
// into a tree: free words and "exact phrases", deck:, tag:, is:, prop: and
// rated:, joined by implicit AND, "or", "-" for negation and parentheses.
//
// It knows nothing of how cards are stored: the store compiles a Query to
// its own terms. It imports only the standard library.
package search

import (
	"strings"
)

// Query is a parsed search. The zero Query matches every card.
type Query struct {
	Root   Node   // nil for the empty search
	Source string // the text it was parsed from
}

// String returns the text the query was parsed from.
func (q Query) String() string { return q.Source }

// Empty reports whether the query matches every card.
func (q Query) Empty() bool { return q.Root == nil }

// Node is one part of the tree: And, Or, Not, Text, Deck, Tag, Is, Prop or
// Rated.
type Node interface{ node() }

// And matches the cards every one of its terms matches.
type And struct{ Terms []Node }

// Or matches the cards any one of its terms matches.
type Or struct{ Terms []Node }

// Not matches the cards its term does not.
type Not struct{ Term Node }

// Text is a free word or a quoted phrase: it matches a card whose front,
// back or breadcrumb holds it, ignoring case.
type Text struct{ Pattern Pattern }

// Deck matches the cards of the decks whose whole name the pattern
// matches, ignoring case, and of their subdecks.
type Deck struct{ Pattern Pattern }

// Tag matches the cards with a tag the pattern matches, ignoring case, or
// with a tag inside one ("a" matches "a" and "a::b"). Tag "none" matches
// the cards with no tags.
type Tag struct{ Pattern Pattern }

// Is matches the cards in a state: one of States.
type Is struct{ State string }

// States are the values is: takes. Besides the statuses recall shows
// (new, learn, review, suspended, buried, orphan), due is a card a
// session would show today and leech a card tagged leech.
var States = []string{"new", "learn", "review", "due", "suspended", "buried", "orphan", "leech"}

// Prop compares a number of a card's schedule with a value: Name is one
// of Props, Op one of = != < > <= >=.
type Prop struct {
	Name  string
	Op    string
	Value float64
}

// Props are the properties prop: compares: ivl (interval in days), due
// (days from today: 0 today, 1 tomorrow, -1 yesterday), ease, lapses and
// reps (answers logged).
var Props = []string{"ivl", "due", "ease", "lapses", "reps"}

// Rated matches the cards answered in the last Days days, today being the
// first; with Button (1 again … 4 easy) set, only answers with that button.
type Rated struct {
	Days   int
	Button int // 0 for any
}

func (And) node()   {}
func (Or) node()    {}
func (Not) node()   {}
func (Text) node()  {}
func (Deck) node()  {}
func (Tag) node()   {}
func (Is) node()    {}
func (Prop) node()  {}
func (Rated) node() {}

// Pattern is text to match in which "*" stands for any run of characters.
// Parts are the literal pieces between the stars: "d*g" is ["d", "g"], "*"
// is ["", ""], and text with no star one part.
type Pattern struct{ Parts []string }

// Literal is the pattern that matches s exactly, stars and all.
func Literal(s string) Pattern { return Pattern{Parts: []string{s}} }

// Wild reports whether the pattern holds a star.
func (p Pattern) Wild() bool { return len(p.Parts) > 1 }

// String writes the pattern back with stars, and backslashes before the
// stars and backslashes that are part of the text.
func (p Pattern) String() string {
	esc := make([]string, len(p.Parts))
	for i, s := range p.Parts {
		esc[i] = strings.NewReplacer(`\`, `\\`, `*`, `\*`).Replace(s)
	}
	return strings.Join(esc, "*")
}

// Match reports whether the pattern matches the whole of s, ignoring case.
func (p Pattern) Match(s string) bool {
	s = strings.ToLower(s)
	parts := make([]string, len(p.Parts))
	for i, part := range p.Parts {
		parts[i] = strings.ToLower(part)
	}
	if len(parts) == 1 {
		return s == parts[0]
	}
	first, last := parts[0], parts[len(parts)-1]
	if !strings.HasPrefix(s, first) {
		return false
	}
	s = s[len(first):]
	for _, mid := range parts[1 : len(parts)-1] {
		i := strings.Index(s, mid)
		if i < 0 {
			return false
		}
		s = s[i+len(mid):]
	}
	return strings.HasSuffix(s, last)
}

// Mentions reports whether the query holds is:state anywhere, negated or
// not.
func (q Query) Mentions(state string) bool {
	var walk func(Node) bool
	walk = func(n Node) bool {
		switch n := n.(type) {
		case And:
			for _, t := range n.Terms {
				if walk(t) {
					return true
				}
			}
		case Or:
			for _, t := range n.Terms {
				if walk(t) {
					return true
				}
			}
		case Not:
			return walk(n.Term)
		case Is:
			return n.State == state
		}
		return false
	}
	return q.Root != nil && walk(q.Root)
}
