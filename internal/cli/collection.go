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

// syncFile reads one notes file and brings its cards into the collection.
// The path is made absolute so a later `recall sync` finds it from any
// directory; deck, when set, overrides the deck the notes name.
func syncFile(ctx context.Context, st *store.Store, path, deck string) (store.SyncResult, notesFile, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return store.SyncResult{}, notesFile{}, pathError(path, err)
	}
	f, err := readNotes(abs, notes.Options{Deck: deck})
	if err != nil {
		return store.SyncResult{}, notesFile{}, err
	}
	info, err := os.Stat(abs)
	if err != nil {
		return store.SyncResult{}, f, pathError(path, err)
	}
	src := store.SourceFile{Path: abs, Hash: contentHash(f.Data), ModTime: info.ModTime(), DeckOverride: deck}
	res, err := st.Sync(ctx, src, "", f.Limits, f.Cards)
	if err != nil {
		return res, f, fmt.Errorf("%s: %w", path, err)
	}
	return res, f, nil
}

func contentHash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
