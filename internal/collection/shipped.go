package collection

import (
	"context"
	"io/fs"
	"path"
	"time"

	"github.com/recall-cli/recall/internal/notes"
	"github.com/recall-cli/recall/internal/store"
)

// shippedData returns the current content of the shipped deck name.
func (c *Collection) shippedData(name string) ([]byte, bool) {
	if c.shipped == nil || !fs.ValidPath(name) {
		return nil, false
	}
	data, err := fs.ReadFile(c.shipped, name)
	return data, err == nil
}

// Loaded is a shipped deck LoadShipped brought in.
type Loaded struct {
	Deck  string
	Cards int
}

// LoadShipped fills an empty collection (no notes added, no cards) with
// the shipped decks, so that a newcomer's first review has something to
// study; a shipped deck the person removed stays out. It returns the decks
// it loaded, none when the collection was not empty.
func (c *Collection) LoadShipped(ctx context.Context) ([]Loaded, error) {
	sources, err := c.Store.Sources(ctx)
	if err != nil || len(sources) > 0 {
		return nil, err
	}
	all, err := c.Store.Status(ctx)
	if err != nil || len(all) > 0 || c.shipped == nil {
		return nil, err
	}
	names, err := fs.Glob(c.shipped, "*.md")
	if err != nil {
		return nil, err
	}
	var out []Loaded
	for _, name := range names { // Glob sorts them
		if gone, err := c.Store.Forgotten(ctx, store.ShippedPrefix+path.Base(name)); err != nil || gone {
			if err != nil {
				return out, err
			}
			continue
		}
		data, err := fs.ReadFile(c.shipped, name)
		if err != nil {
			return out, err
		}
		n, err := Parse(store.ShippedPrefix+path.Base(name), data, time.Time{}, notes.Options{})
		if err != nil {
			return out, err
		}
		res, err := c.sync(ctx, n, nil)
		if err != nil {
			return out, err
		}
		out = append(out, Loaded{Deck: n.Deck, Cards: res.Added})
	}
	return out, nil
}
