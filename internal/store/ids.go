package store

import (
	"context"
	"fmt"
	"strings"
)

// CardRef names a card briefly: enough to pick it from a list.
type CardRef struct {
	ID, Deck, Front string
	Orphan          bool
}

// CardsWithPrefix returns up to limit cards, orphans included, whose id
// starts with prefix, in id order: what completes a card id typed in part,
// and what tells a unique prefix from an ambiguous one.
func (s *Store) CardsWithPrefix(ctx context.Context, prefix string, limit int) ([]CardRef, error) {
	// The range walks the primary key from the prefix on and stops at the
	// first id past it, so the read does not grow with the collection.
	rows, err := s.db.QueryContext(ctx, `SELECT id, deck, front, orphan FROM cards WHERE id >= ? ORDER BY id LIMIT ?`, prefix, limit)
	if err != nil {
		return nil, fmt.Errorf("cards: %w", dbErr(err))
	}
	defer rows.Close()
	var out []CardRef
	for rows.Next() {
		var r CardRef
		if err := rows.Scan(&r.ID, &r.Deck, &r.Front, &r.Orphan); err != nil {
			return nil, fmt.Errorf("cards: %w", dbErr(err))
		}
		if !strings.HasPrefix(r.ID, prefix) {
			break
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("cards: %w", dbErr(err))
	}
	return out, nil
}
