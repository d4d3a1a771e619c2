package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/recall-cli/recall/internal/notes"
	"github.com/recall-cli/recall/internal/store"
)

// openStore opens the collection the person chose, on the program's clock.
func openStore(env *Env) (*store.Store, error) {
	st, err := store.Open(env.DBPath(env.DBFlag))
	if err != nil {
		return nil, err
	}
	st.Now = env.Now
	if st.Backup != "" {
		fmt.Fprintf(env.Stderr, "recall: upgraded the collection; the old file is kept as %s\n", st.Backup)
	}
	return st, nil
}

// syncTotals adds up what syncing several files did.
type syncTotals struct {
	store.SyncResult
	Files   int
	Skipped int // unchanged since the last sync
}

func (t *syncTotals) add(r store.SyncResult) {
	t.Files++
	t.Added += r.Added
	t.Updated += r.Updated
	t.Unchanged += r.Unchanged
	t.Orphaned += r.Orphaned
	t.Restored += r.Restored
}

func (t syncTotals) String() string {
	s := fmt.Sprintf("added %d · updated %d · unchanged %d · orphaned %d", t.Added, t.Updated, t.Unchanged, t.Orphaned)
	if t.Restored > 0 {
		s += fmt.Sprintf(" · restored %d", t.Restored)
	}
	return s
}

// readSource reads one notes file for a sync. The path is made absolute
// so a later `recall sync` finds it from any directory; deck, when set,
// overrides the deck the notes name.
func readSource(path, deck string) (notesFile, store.SourceFile, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return notesFile{}, store.SourceFile{}, pathError(path, err)
	}
	data, err := os.ReadFile(abs)
	if err != nil {
		return notesFile{}, store.SourceFile{}, pathError(path, err)
	}
	return parseSource(abs, data, deck, fileTime(abs))
}

// parseSource parses notes already read for a sync and describes their
// source as the collection remembers it.
func parseSource(path string, data []byte, deck string, mod time.Time) (notesFile, store.SourceFile, error) {
	f, err := parseNotes(path, data, notes.Options{Deck: deck})
	if err != nil {
		return notesFile{}, store.SourceFile{}, err
	}
	return f, store.SourceFile{Path: path, Hash: contentHash(data), ModTime: mod, DeckOverride: deck}, nil
}

// syncSource brings the cards of a file read by readSource into the
// collection.
func syncSource(ctx context.Context, st *store.Store, f notesFile, src store.SourceFile) (store.SyncResult, error) {
	res, err := st.Sync(ctx, src, "", f.Limits, f.Cards)
	if err != nil {
		return res, fmt.Errorf("%s: %w", f.Path, err)
	}
	return res, nil
}

func contentHash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
