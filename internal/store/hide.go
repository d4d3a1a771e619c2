package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/recall-cli/recall/internal/card"
)

// Hiding is a change to whether cards are shown: suspend or bury them, or
// take that back.
type Hiding string

// The hidings, named as the commands that make them.
const (
	Suspend   Hiding = "suspend"
	Unsuspend Hiding = "unsuspend"
	BuryCards Hiding = "bury"
	Unbury    Hiding = "unbury"
)

// Done is the past tense a report uses: "suspended", "unburied".
func (h Hiding) Done() string {
	if h == BuryCards || h == Unbury {
		return string(h[:len(h)-1]) + "ied"
	}
	return string(h) + "ed"
}

// Hidings says what a Hide did to each card it was given.
type Hidings struct {
	Changed   []string `json:"changed"`   // cards the change was made to
	Unchanged []string `json:"unchanged"` // already so
	Orphans   []string `json:"orphans"`   // not suspended or buried: they are out of review already
}

// Hide makes one change to many cards in one transaction: suspends or
// buries them (until the next study day begins) or takes that back. A
// card that does not exist fails the whole change with card.ErrNotFound;
// an orphan is left as it is and reported.
func (s *Store) Hide(ctx context.Context, ids []string, h Hiding) (Hidings, error) {
	out := Hidings{Changed: []string{}, Unchanged: []string{}, Orphans: []string{}}
	now := s.now()
	today := s.today(now)
	var set string
	var args []any
	switch h {
	case Suspend:
		set = `status = 'suspended'`
	case Unsuspend:
		set = `status = 'active'`
	case BuryCards:
		set, args = `buried_until = ?`, []any{today + 1}
	case Unbury:
		set = `buried_until = 0`
	default:
		return out, fmt.Errorf("hide: unknown change %q", h)
	}
	err := s.tx(ctx, func(tx *sql.Tx) error {
		update, err := tx.PrepareContext(ctx, `UPDATE cards SET `+set+` WHERE id = ?`)
		if err != nil {
			return err
		}
		defer update.Close()
		for _, id := range ids {
			var orphan bool
			var status string
			var buriedUntil int64
			err := tx.QueryRowContext(ctx, `SELECT orphan, status, buried_until FROM cards WHERE id = ?`, id).
				Scan(&orphan, &status, &buriedUntil)
			if err == sql.ErrNoRows {
				return &card.Error{Op: string(h), ID: id, Err: card.ErrNotFound}
			}
			if err != nil {
				return err
			}
			suspended, buried := status == "suspended", buriedUntil > today
			var already bool
			switch h {
			case Suspend:
				already = suspended
			case Unsuspend:
				already = !suspended
			case BuryCards:
				already = buried
			case Unbury:
				already = !buried
			}
			switch {
			case orphan && (h == Suspend || h == BuryCards):
				out.Orphans = append(out.Orphans, id)
			case already:
				out.Unchanged = append(out.Unchanged, id)
			default:
				if _, err := update.ExecContext(ctx, append(args[:len(args):len(args)], id)...); err != nil {
					return err
				}
				out.Changed = append(out.Changed, id)
			}
		}
		return nil
	})
	return out, err
}
