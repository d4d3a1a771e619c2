package collection

import (
	"context"
	"errors"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/notes"
	"github.com/recall-cli/recall/internal/store"
)

// clock is a test's time, moved by hand.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// files are notes in memory, at absolute paths; err, when set for a path,
// is what reading it gives.
type files struct {
	mu   sync.Mutex
	data map[string]string
	err  map[string]error
}

func (f *files) ReadFile(path string) ([]byte, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.err[path]; err != nil {
		return nil, &fs.PathError{Op: "open", Path: path, Err: err}
	}
	d, ok := f.data[path]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: path, Err: fs.ErrNotExist}
	}
	return []byte(d), nil
}

func (f *files) ModTime(path string) time.Time {
	return time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
}

func (f *files) set(path, data string) {
	f.mu.Lock()
	f.data[path] = data
	f.mu.Unlock()
}

func (f *files) remove(path string) {
	f.mu.Lock()
	delete(f.data, path)
	f.mu.Unlock()
}

// root is where the tests' notes live: an absolute path on any system.
var root = func() string {
	r, err := filepath.Abs(filepath.FromSlash("/notes"))
	if err != nil {
		panic(err)
	}
	return r
}()

// at is the absolute path of a test's notes file.
func at(name string) string { return filepath.Join(root, name) }

// shippedDecks are two decks as a recall binary would carry them.
func shippedDecks() fstest.MapFS {
	return fstest.MapFS{
		"alpha.md": {Data: []byte("---\ndeck: Alpha\n---\n\nFirst? :: one\n\nSecond? :: two\n")},
		"beta.md":  {Data: []byte("---\ndeck: Beta\n---\n\nThird? :: three\n")},
	}
}

// newTest opens a collection in a temporary directory on a test clock,
// with the notes of fs and the shipped decks of shippedDecks.
func newTest(t *testing.T) (*Collection, *clock) {
	c, clk, _ := newTestFiles(t)
	return c, clk
}

func newTestFiles(t *testing.T) (*Collection, *clock, *files) {
	t.Helper()
	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	f := &files{data: map[string]string{}, err: map[string]error{}}
	c, err := Open(filepath.Join(t.TempDir(), "collection.db"), Options{Files: f, Shipped: shippedDecks(), Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c, clk, f
}

// addFile writes a notes file and adds it to c.
func addFile(t *testing.T, c *Collection, name, text string) Totals {
	t.Helper()
	c.files.(*files).set(at(name), text)
	n, err := ReadForSync(c.files, at(name), "")
	if err != nil {
		t.Fatal(err)
	}
	total, errs := c.Add(context.Background(), []Notes{n})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return total
}

func entries(t *testing.T, c *Collection, f store.Filter) []card.Entry {
	t.Helper()
	es, err := c.Store.Cards(context.Background(), f)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func TestAdd(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		files map[string]string // name → notes
		deck  string
		want  Totals
		decks []string
	}{
		{"one file", map[string]string{"go.md": questions("a?", "b?")}, "",
			Totals{SyncResult: store.SyncResult{Added: 2}, Files: 1}, []string{"Go"}},
		{"two files", map[string]string{"go.md": questions("a?"), "k8s.md": "# K8s\n\nPort? :: 2379\n"}, "",
			Totals{SyncResult: store.SyncResult{Added: 2}, Files: 2}, []string{"Go", "K8s"}},
		{"a deck for every card", map[string]string{"go.md": questions("a?"), "k8s.md": "# K8s\n\nPort? :: 2379\n"}, "Talks",
			Totals{SyncResult: store.SyncResult{Added: 2}, Files: 2}, []string{"Talks"}},
		{"a file without cards", map[string]string{"prose.md": "Just a thought.\n"}, "",
			Totals{Files: 1}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, _, fs := newTestFiles(t)
			var read []Notes
			for _, name := range slices.Sorted(mapKeys(tt.files)) {
				fs.set(at(name), tt.files[name])
				n, err := ReadForSync(fs, at(name), tt.deck)
				if err != nil {
					t.Fatal(err)
				}
				read = append(read, n)
			}
			got, errs := c.Add(context.Background(), read)
			if got != tt.want || len(errs) > 0 {
				t.Errorf("Add = %+v, %v; want %+v", got, errs, tt.want)
			}
			ds, err := c.Store.Decks(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, d := range ds {
				names = append(names, d.Name)
			}
			if !slices.Equal(names, tt.decks) {
				t.Errorf("decks %v, want %v", names, tt.decks)
			}
			srcs, err := c.Store.Sources(context.Background())
			if err != nil || len(srcs) != len(tt.files) {
				t.Errorf("Sources = %+v, %v; want %d remembered", srcs, err, len(tt.files))
			}
			for _, s := range srcs {
				if s.DeckOverride != tt.deck {
					t.Errorf("%s remembered with deck %q, want %q", s.Path, s.DeckOverride, tt.deck)
				}
			}
		})
	}
}

func mapKeys(m map[string]string) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func TestReadErrors(t *testing.T) {
	t.Parallel()
	fs := &files{data: map[string]string{
		at("long.md"): "# Long\n\n- " + strings.Repeat("x", maxLine+1) + "\n",
	}, err: map[string]error{at("locked.md"): fs.ErrPermission}}
	tests := []struct {
		path string
		want string
	}{
		{at("missing.md"), at("missing.md") + ": no such file or directory"},
		{at("locked.md"), at("locked.md") + ": permission denied"},
		{at("long.md"), at("long.md") + ": line 3 is 1.0 MB long; notes lines over 1 MB are not read"},
	}
	for _, tt := range tests {
		if _, err := ReadForSync(fs, tt.path, ""); err == nil || err.Error() != tt.want {
			t.Errorf("ReadForSync(%s) = %v, want %q", tt.path, err, tt.want)
		}
		if _, errs := Load(fs, []string{tt.path}, notes.Options{}, nil); len(errs) != 1 || errs[0].Error() != tt.want {
			t.Errorf("Load(%s) errors = %v, want %q", tt.path, errs, tt.want)
		}
	}
}

// syncLine is what a test expects of one file's sync.
type syncLine struct {
	name                     string
	skipped, gone            bool
	added, updated, orphaned int
	err                      string // part of the file's error; "" for none
}

func lines(got []FileSync) []syncLine {
	out := make([]syncLine, len(got))
	for i, g := range got {
		out[i] = syncLine{name: filepath.Base(g.Path), skipped: g.Skipped, gone: g.Gone,
			added: g.Result.Added, updated: g.Result.Updated, orphaned: g.Result.Orphaned}
		if g.Err != nil {
			out[i].err = g.Err.Error()
		}
	}
	return out
}

func TestSync(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		change  func(f *files)
		prune   bool
		want    []syncLine // in path order: a.md, b.md
		orphans int        // orphans in the collection afterwards
	}{
		{"nothing changed", func(*files) {}, false,
			[]syncLine{{name: "a.md", skipped: true}, {name: "b.md", skipped: true}}, 0},
		{"an edit", func(f *files) { f.set(at("a.md"), questions("one?", "two?", "three?")) }, false,
			[]syncLine{{name: "a.md", added: 1}, {name: "b.md", skipped: true}}, 0},
		{"a card gone from the notes", func(f *files) { f.set(at("a.md"), questions("one?")) }, false,
			[]syncLine{{name: "a.md", orphaned: 1}, {name: "b.md", skipped: true}}, 1},
		{"a file gone, kept", func(f *files) { f.remove(at("b.md")) }, false,
			[]syncLine{{name: "a.md", skipped: true}, {name: "b.md", gone: true}}, 0},
		{"a file gone, pruned", func(f *files) { f.remove(at("b.md")) }, true,
			[]syncLine{{name: "a.md", skipped: true}, {name: "b.md", gone: true, orphaned: 1}}, 1},
		{"a file unreadable", func(f *files) { f.err[at("a.md")] = fs.ErrPermission }, false,
			[]syncLine{{name: "a.md", err: at("a.md") + ": permission denied"}, {name: "b.md", skipped: true}}, 0},
		{"a file no longer notes", func(f *files) { f.set(at("a.md"), strings.Repeat("y", maxLine+1)) }, false,
			[]syncLine{{name: "a.md", err: "notes lines over 1 MB are not read"}, {name: "b.md", skipped: true}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, _, f := newTestFiles(t)
			addFile(t, c, "a.md", questions("one?", "two?"))
			addFile(t, c, "b.md", "# B\n\nBee? :: buzz\n")
			tt.change(f)
			got, err := c.Sync(context.Background(), SyncOptions{Prune: tt.prune})
			if err != nil {
				t.Fatal(err)
			}
			gl := lines(got)
			for i := range gl {
				if tt.want[i].err != "" && strings.Contains(gl[i].err, tt.want[i].err) {
					gl[i].err = tt.want[i].err
				}
			}
			if !slices.Equal(gl, tt.want) {
				t.Errorf("Sync =\n%+v\nwant\n%+v", gl, tt.want)
			}
			if n := len(entries(t, c, store.Filter{Orphans: true})); n != tt.orphans {
				t.Errorf("%d orphans, want %d", n, tt.orphans)
			}
		})
	}
}

func TestSyncNothingAdded(t *testing.T) {
	t.Parallel()
	c, _ := newTest(t)
	if _, err := c.Sync(context.Background(), SyncOptions{}); !errors.Is(err, ErrNoSources) {
		t.Errorf("Sync of an empty collection = %v, want ErrNoSources", err)
	}
}

// TestSyncKeepsDeck: a file added to a deck stays in it when it is synced
// or re-synced after an edit.
func TestSyncKeepsDeck(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, _, f := newTestFiles(t)
	f.set(at("go.md"), questions("one?"))
	n, err := ReadForSync(f, at("go.md"), "Talks::Go")
	if err != nil {
		t.Fatal(err)
	}
	if _, errs := c.Add(ctx, []Notes{n}); len(errs) > 0 {
		t.Fatal(errs)
	}
	f.set(at("go.md"), questions("one?", "two?"))
	if got, err := c.Sync(ctx, SyncOptions{}); err != nil || len(got) != 1 || got[0].Result.Added != 1 {
		t.Fatalf("Sync = %+v, %v; want one card added", got, err)
	}
	f.set(at("go.md"), questions("one?", "two?", "three?"))
	if res, err := c.Resync(ctx, at("go.md")); err != nil || res.Added != 1 || res.Unchanged != 2 {
		t.Fatalf("Resync = %+v, %v; want one added, two unchanged", res, err)
	}
	for _, e := range entries(t, c, store.Filter{}) {
		if e.Deck != "Talks::Go" {
			t.Errorf("%q is in deck %q, want Talks::Go", e.Front, e.Deck)
		}
	}
	if _, err := c.Resync(ctx, at("gone.md")); err == nil || !strings.Contains(err.Error(), "gone.md: no such file") {
		t.Errorf("Resync of a missing file = %v, want it named", err)
	}
}

func TestShipped(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, _ := newTest(t)
	got, err := c.LoadShipped(ctx)
	if want := []Loaded{{"Alpha", 2}, {"Beta", 1}}; err != nil || !slices.Equal(got, want) {
		t.Fatalf("LoadShipped on an empty collection = %v, %v; want %v", got, err, want)
	}
	if got, err := c.LoadShipped(ctx); err != nil || got != nil {
		t.Errorf("LoadShipped again = %v, %v; want nothing", got, err)
	}
	// A newer recall ships a newer Alpha and no Beta.
	c.shipped = fstest.MapFS{"alpha.md": {Data: []byte("---\ndeck: Alpha\n---\n\nFirst? :: one\n\nSecond? :: two\n\nThird? :: three\n")}}
	res, err := c.Sync(ctx, SyncOptions{Prune: true})
	want := []syncLine{{name: "alpha.md", added: 1}, {name: "beta.md", skipped: true}}
	if err != nil || !slices.Equal(lines(res), want) {
		t.Errorf("Sync = %+v, %v; want %+v", lines(res), err, want)
	}
	if n := len(entries(t, c, store.Filter{})); n != 4 {
		t.Errorf("%d cards, want 4: the deck no longer shipped keeps its cards", n)
	}

	// A collection with notes of its own gets no shipped decks.
	mine, _ := newTest(t)
	addFile(t, mine, "go.md", questions("one?"))
	if got, err := mine.LoadShipped(ctx); err != nil || got != nil {
		t.Errorf("LoadShipped on a collection with notes = %v, %v; want nothing", got, err)
	}
}

func TestCards(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, _, f := newTestFiles(t)
	addFile(t, c, "go.md", "# Go\n\nOne? :: 1\n")
	addFile(t, c, "k8s.md", "# K8s\n\nPort? :: 2379\n")
	addFile(t, c, "types.md", "---\ndeck: Go::Types\n---\n\nTwo? :: 2\n")
	due, fresh := queue(t, c)
	if _, err := c.Store.Answer(ctx, append(due, fresh...)[0].ID, card.Good, time.Second, false); err != nil {
		t.Fatal(err)
	}
	read, errs := Load(f, []string{at("go.md"), at("k8s.md"), at("types.md")}, notes.Options{}, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	tests := []struct {
		name    string
		decks   []string
		fronts  []string // sorted
		names   []string // sorted
		reviews int      // from the collection; notes have none
	}{
		{"every deck", nil, []string{"One?", "Port?", "Two?"}, []string{"Go", "Go::Types", "K8s"}, 1},
		{"a deck and its subdecks", []string{"Go"}, []string{"One?", "Two?"}, []string{"Go"}, 1},
		{"a subdeck", []string{"Go::Types"}, []string{"Two?"}, []string{"Go::Types"}, 1},
		{"repeats and covered subdecks", []string{"Go::Types", "K8s", "Go", "K8s"}, []string{"One?", "Port?", "Two?"}, []string{"Go", "K8s"}, 1},
	}
	for _, tt := range tests {
		fromStore, err := c.Cards(ctx, tt.decks)
		if err != nil {
			t.Fatal(err)
		}
		fromNotes, err := NotesCards(read, tt.decks)
		if err != nil {
			t.Fatal(err)
		}
		for _, src := range []struct {
			name    string
			cards   Cards
			reviews int
		}{{"collection", fromStore, tt.reviews}, {"notes", fromNotes, 0}} {
			var fronts []string
			err := src.cards.Each(ctx, func(e card.Entry) error {
				fronts = append(fronts, e.Front)
				if src.name == "notes" && (e.Status != card.StatusNew || !e.State.IsNew() || e.Modified.IsZero()) {
					t.Errorf("%s: a card from notes is %s %+v modified %v; want new, with its file's time", tt.name, e.Status, e.State, e.Modified)
				}
				return nil
			})
			slices.Sort(fronts)
			if err != nil || !slices.Equal(fronts, tt.fronts) {
				t.Errorf("%s, %s: Each gave %v, %v; want %v", tt.name, src.name, fronts, err, tt.fronts)
			}
			if n, suspended, err := src.cards.Count(ctx); err != nil || n != len(tt.fronts) || suspended != 0 {
				t.Errorf("%s, %s: Count = %d, %d, %v; want %d, 0", tt.name, src.name, n, suspended, err, len(tt.fronts))
			}
			names, err := src.cards.Decks(ctx)
			slices.Sort(names)
			if err != nil || !slices.Equal(names, tt.names) {
				t.Errorf("%s, %s: Decks = %v, %v; want %v", tt.name, src.name, names, err, tt.names)
			}
			n := 0
			if err := src.cards.Reviews(ctx, func(card.Review) error { n++; return nil }); err != nil || n != src.reviews {
				t.Errorf("%s, %s: %d reviews, %v; want %d", tt.name, src.name, n, err, src.reviews)
			}
		}
	}
	if _, err := NotesCards(read, []string{"Go", "Nope"}); !errors.Is(err, card.ErrNotFound) || err.Error() != `no deck "Nope" in these notes` {
		t.Errorf("NotesCards(unknown deck) = %v, want no deck Nope, matching card.ErrNotFound", err)
	}
	_, err := c.Cards(ctx, []string{"Go", "Nope"})
	var nd *NoDeckError
	if !errors.As(err, &nd) || nd.Deck != "Nope" || !errors.Is(err, card.ErrNotFound) || err.Error() != `no deck "Nope"` {
		t.Errorf("Cards(unknown deck) = %v, want a NoDeckError for Nope matching card.ErrNotFound", err)
	}
}
