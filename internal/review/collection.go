package review

import (
	"context"
	"time"

	"github.com/recall-cli/recall/internal/card"
)

// Collection is what a session needs from the collection: every call
// commits before it returns, so an answer is saved before the next card
// shows. The store satisfies it (the
// application layer checks so); tests use a fake.
type Collection interface {
	// Answer records a grade for card id. A re-drill (SM-2 rule 7) is
	// logged but leaves the schedule as it was.
	Answer(ctx context.Context, id string, g card.Grade, took time.Duration, redrill bool) (card.Answer, error)
	// Undo takes back the review reviewID: schedule and status return to
	// what they were before it and the log row goes.
	Undo(ctx context.Context, reviewID int64) error
	// Bury hides card id until tomorrow.
	Bury(ctx context.Context, id string) error
	// Suspend hides card id until it is restored.
	Suspend(ctx context.Context, id string) error
	// Restore takes back a bury or a suspension.
	Restore(ctx context.Context, id string) error
	// StatusOf counts the cards of the decks a deck name selects (every
	// deck for ""), a row per deck or subdeck.
	StatusOf(ctx context.Context, deck string) ([]card.DeckStatus, error)
	// Streak is the number of days in a row with reviews, today included.
	Streak(ctx context.Context) (int, error)
	// Card returns card id as the collection holds it now.
	Card(ctx context.Context, id string) (card.Entry, error)
}
