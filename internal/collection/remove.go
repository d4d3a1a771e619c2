package collection

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/recall-cli/recall/internal/store"
)

// Targets turns the names a person gave to remove into what the store
// removes. A name is a notes file when it is one the collection
// remembers (a notes file, an imported package, a shipped deck's source
// name), a folder holding some, or a path on disk; otherwise a deck,
// looked up as Deck looks it up. A file or folder need not exist any
// more to be named.
func (c *Collection) Targets(ctx context.Context, names []string) ([]store.Target, error) {
	sources, err := c.Store.Sources(ctx)
	if err != nil {
		return nil, err
	}
	remembered := map[string]bool{}
	for _, s := range sources {
		remembered[s.Path] = true
	}
	var out []store.Target
	for _, name := range names {
		if remembered[name] { // a shipped deck's source, or a path as remembered
			out = append(out, store.Target{Source: name})
			continue
		}
		abs, err := filepath.Abs(name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		info, statErr := os.Stat(abs)
		under := filesUnder(sources, abs)
		switch {
		case remembered[abs]:
			out = append(out, store.Target{Source: abs})
		case remembered[store.ImportPrefix+abs]:
			out = append(out, store.Target{Source: store.ImportPrefix + abs})
		case len(under) > 0:
			out = append(out, under...)
		case statErr == nil && info.IsDir():
			return nil, fmt.Errorf("%s: the collection has no notes from this folder", name)
		case statErr == nil:
			out = append(out, store.Target{Source: abs})
		default:
			deck, err := c.Deck(ctx, name)
			if err != nil {
				return nil, err
			}
			out = append(out, store.Target{Deck: deck})
		}
	}
	return out, nil
}

// filesUnder are the remembered files (notes, imported packages) inside
// the folder dir.
func filesUnder(sources []store.Source, dir string) []store.Target {
	prefix := strings.TrimSuffix(dir, string(filepath.Separator)) + string(filepath.Separator)
	var out []store.Target
	for _, s := range sources {
		if strings.HasPrefix(strings.TrimPrefix(s.Path, store.ImportPrefix), prefix) {
			out = append(out, store.Target{Source: s.Path})
		}
	}
	return out
}
