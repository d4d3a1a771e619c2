package collection

import (
	"context"
	"database/sql"
	"slices"
	"testing"

	"github.com/recall-cli/recall/internal/store"
)

// TestSyncRenamesTitledSubdecks checks what a collection migrated from
// before sections (migration 10) becomes at its next sync: its cards had
// the title of a file whose title is not the deck's name as their
// subdeck, and every file's hash was forgotten; the sync reads the file
// again, though it did not change, and gives its cards the headings below
// the title as their subdecks.
func TestSyncRenamesTitledSubdecks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, _, _ := newTestFiles(t)
	addFile(t, c, "kubecon.md", "---\ndeck: KubeCon NA 2019\n---\n# KubeCon NA 2019 takeaways\n\n"+
		"## Security\n\nWhat signs images? :: cosign\n\n## Operators\n\nWhat does an operator reconcile? :: desired state\n")
	subdecks := func() []store.Subdeck {
		t.Helper()
		decks, err := c.Store.Decks(ctx)
		if err != nil || len(decks) != 1 {
			t.Fatalf("Decks() = %v, %v; want one deck", decks, err)
		}
		return decks[0].Subdecks
	}
	want := []store.Subdeck{{Name: "KubeCon NA 2019::Operators", Cards: 1}, {Name: "KubeCon NA 2019::Security", Cards: 1}}
	if got := subdecks(); !slices.Equal(got, want) {
		t.Fatalf("after add: subdecks %v, want %v", got, want)
	}

	// The collection as migration 10 leaves one synced before it.
	db, err := sql.Open("sqlite", c.Store.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`UPDATE cards SET section = json_extract(context, '$[1]'), subdeck = deck || '::' || json_extract(context, '$[1]'), fp = 0`,
		`DELETE FROM subdecks`,
		`INSERT INTO subdecks (deck, name, cards) SELECT deck, subdeck, count(*) FROM cards GROUP BY deck, subdeck`,
		`UPDATE sources SET hash = ''`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	old := []store.Subdeck{{Name: "KubeCon NA 2019::KubeCon NA 2019 takeaways", Cards: 2}}
	if got := subdecks(); !slices.Equal(got, old) {
		t.Fatalf("as migrated: subdecks %v, want %v", got, old)
	}

	if _, err := c.Sync(ctx, SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := subdecks(); !slices.Equal(got, want) {
		t.Errorf("after the next sync: subdecks %v, want %v", got, want)
	}
}
