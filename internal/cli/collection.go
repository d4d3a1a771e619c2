package cli

import (
	"context"
	"fmt"

	"github.com/recall-cli/recall/decks"
	"github.com/recall-cli/recall/internal/collection"
)

// openCollection opens the collection the person chose, on the program's
// clock, with the decks shipped in the binary, for a command that writes:
// a damaged file is refused before anything is written.
func openCollection(env *Env) (*collection.Collection, error) {
	return openWith(env, false)
}

// openForReading opens the collection for a command that only reads; a
// collection in a read-only place can still be read.
func openForReading(env *Env) (*collection.Collection, error) {
	return openWith(env, true)
}

// openDeck opens the collection (for reading, or for a command that
// writes) and resolves deck, as a person typed it, to the collection's
// spelling of it or of a subdeck; "" stays "", every deck.
func openDeck(ctx context.Context, env *Env, deck string, readOnly bool) (*collection.Collection, string, error) {
	c, err := openWith(env, readOnly)
	if err != nil {
		return nil, "", err
	}
	if deck != "" {
		if deck, err = c.Deck(ctx, deck); err != nil {
			c.Close()
			return nil, "", err
		}
	}
	return c, deck, nil
}

// openForExport opens the collection for reading, its check running
// beside the export, whose cards carry its verdict (see
// collection.Options.CheckBeside).
func openForExport(env *Env) (*collection.Collection, error) {
	return open(env, collection.Options{ReadOnly: true, CheckBeside: true})
}

func openWith(env *Env, readOnly bool) (*collection.Collection, error) {
	return open(env, collection.Options{ReadOnly: readOnly})
}

func open(env *Env, opts collection.Options) (*collection.Collection, error) {
	opts.Now, opts.Shipped = env.Now, decks.FS()
	c, err := collection.Open(env.DBPath(env.DBFlag), opts)
	if err != nil {
		return nil, err
	}
	if c.Store.Backup != "" {
		fmt.Fprintf(env.Stderr, "recall: upgraded the collection; the old file is kept as %s\n", c.Store.Backup)
	}
	return c, nil
}

// totalsLine says what a sync of several files did to the cards.
func totalsLine(t collection.Totals) string {
	s := fmt.Sprintf("added %d · updated %d · unchanged %d · orphaned %d", t.Added, t.Updated, t.Unchanged, t.Orphaned)
	if t.Restored > 0 {
		s += fmt.Sprintf(" · restored %d", t.Restored)
	}
	return s
}
