package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"

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
	f, err := readNotes(abs, notes.Options{Deck: deck})
	if err != nil {
		return notesFile{}, store.SourceFile{}, err
	}
	info, err := os.Stat(abs)
	if err != nil {
		return f, store.SourceFile{}, pathError(path, err)
	}
	return f, store.SourceFile{Path: abs, Hash: contentHash(f.Data), ModTime: info.ModTime(), DeckOverride: deck}, nil
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

// syncFile reads one notes file and brings its cards into the collection.
func syncFile(ctx context.Context, st *store.Store, path, deck string) (store.SyncResult, notesFile, error) {
	f, src, err := readSource(path, deck)
	if err != nil {
		return store.SyncResult{}, f, err
	}
	res, err := syncSource(ctx, st, f, src)
	return res, f, err
}

func contentHash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
