package cli

import (
	"github.com/recall-cli/recall/internal/collection"
	"github.com/recall-cli/recall/internal/store"
)

// The --json objects of the commands that change the collection. Their
// field names are the words the text output uses.

// countsObject is what a sync did to the cards: "added 5 · updated 0 ·
// unchanged 0 · orphaned 0".
type countsObject struct {
	Added     int `json:"added"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
	Orphaned  int `json:"orphaned"`
	Restored  int `json:"restored"`
}

func newCounts(r store.SyncResult) countsObject {
	return countsObject{Added: r.Added, Updated: r.Updated, Unchanged: r.Unchanged, Orphaned: r.Orphaned, Restored: r.Restored}
}

// fileObject is one notes file of an add or a sync.
type fileObject struct {
	Path string `json:"path"`
	// Status is "synced", "unchanged" (not read again: the same content
	// as at its last sync), "gone", "emptied" (gives no cards now; its
	// cards kept) or "failed".
	Status string `json:"status"`
	countsObject
	Kept  int    `json:"kept,omitempty"` // of an emptied file, the cards kept
	Error string `json:"error,omitempty"`
}

// syncObject is what add and sync print with --json.
type syncObject struct {
	countsObject
	Synced        int          `json:"synced"`          // files read and synced
	UnchangedFile int          `json:"unchanged_files"` // files skipped as unchanged
	Files         []fileObject `json:"files"`
}

// newSyncObject reports files as a sync went through them.
func newSyncObject(total collection.Totals, files []collection.FileSync) syncObject {
	o := syncObject{countsObject: newCounts(total.SyncResult), Synced: total.Files, UnchangedFile: total.Skipped, Files: []fileObject{}}
	for _, f := range files {
		fo := fileObject{Path: f.Path, Status: "synced", countsObject: newCounts(f.Result)}
		switch {
		case f.Skipped:
			fo.Status = "unchanged"
		case f.Gone:
			fo.Status = "gone"
		case f.Emptied > 0:
			fo.Status, fo.Kept = "emptied", f.Emptied
		case f.Err != nil:
			fo.Status, fo.Error = "failed", f.Err.Error()
		}
		o.Files = append(o.Files, fo)
	}
	return o
}
