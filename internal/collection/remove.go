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
// removes. A name is a notes file when it is a path on disk or one the
// collection remembers (a folder stands for the files it remembers under
// it, a shipped deck's source name for that deck), and otherwise a deck,
// looked up as Deck looks it up.
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
		if remembered[name] { // a shipped deck's source, or an absolute path
			out = append(out, store.Target{Source: name})
			continue
		}
		abs, err := filepath.Abs(name)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		info, statErr := os.Stat(abs)
		switch {
		case remembered[abs]:
			out = append(out, store.Target{Source: abs})
		case statErr == nil && info.IsDir():
			under := filesUnder(sources, abs)
			if len(under) == 0 {
				return nil, fmt.Errorf("%s: the collection has no notes from this folder", name)
			}
			out = append(out, under...)
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

// filesUnder are the remembered files inside the folder dir.
func filesUnder(sources []store.Source, dir string) []store.Target {
	prefix := strings.TrimSuffix(dir, string(filepath.Separator)) + string(filepath.Separator)
	var out []store.Target
	for _, s := range sources {
		if strings.HasPrefix(s.Path, prefix) {
			out = append(out, store.Target{Source: s.Path})
		}
	}
	return out
}
