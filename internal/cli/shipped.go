package cli

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/recall-cli/recall/decks"
	"github.com/recall-cli/recall/internal/store"
)

// shippedPrefix marks the sources that are decks carried in the binary
// rather than files on disk.
const shippedPrefix = "recall:decks/"

// isShipped reports whether a remembered source is a shipped deck.
func isShipped(path string) bool { return strings.HasPrefix(path, shippedPrefix) }

// shippedData returns the current content of a shipped deck source.
func shippedData(path string) ([]byte, bool) {
	for _, d := range decks.All() {
		if shippedPrefix+d.Name == path {
			return d.Data, true
		}
	}
	return nil, false
}

// loadShippedIfEmpty fills an empty collection with the shipped decks, so
// that a newcomer's first `recall review` has something to study.
func loadShippedIfEmpty(ctx context.Context, env *Env, st *store.Store) error {
	sources, err := st.Sources(ctx)
	if err != nil || len(sources) > 0 {
		return err
	}
	all, err := st.Status(ctx)
	if err != nil || len(all) > 0 {
		return err
	}
	var names []string
	for _, d := range decks.All() {
		res, f, err := syncShipped(ctx, st, shippedPrefix+d.Name, d.Data)
		if err != nil {
			return err
		}
		names = append(names, fmt.Sprintf("%s (%d cards)", f.Deck, res.Added))
	}
	fmt.Fprintf(env.Stderr, "recall: the collection is empty, so recall loaded its shipped decks: %s\n", strings.Join(names, ", "))
	return nil
}

// syncShipped brings one shipped deck into the collection.
func syncShipped(ctx context.Context, st *store.Store, path string, data []byte) (store.SyncResult, notesFile, error) {
	f, src, err := parseSource(path, data, "", time.Time{})
	if err != nil {
		return store.SyncResult{}, f, err
	}
	res, err := syncSource(ctx, st, f, src)
	return res, f, err
}
