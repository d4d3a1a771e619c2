package store

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/recall-cli/recall/internal/card"
)

func TestItemPlace(t *testing.T) {
	t.Parallel()
	tests := []struct {
		anchor string
		want   place
		ok     bool
	}{
		{"f.md#go/slices@list1/3", place{"f.md#go/slices@list1", 3}, true},
		{"f.md#go@list2/1:def", place{"f.md#go@list2", 1}, true},
		{"f.md#@list1/3:reverse", place{"f.md#@list1", 3}, true},
		{"f.md#k8s@list1/2/list1/4", place{"f.md#k8s@list1/2/list1", 4}, true},
		// The list in item 2 is that item's.
		{"f.md#k8s@list1/2/list1", place{"f.md#k8s@list1", 2}, true},
		{"f.md#qs@p1/2", place{"f.md#qs@p1", 2}, true},
		// A file name may hold '@', ':' and '/'.
		{"a@b/c:d.md#h@list1/12", place{"a@b/c:d.md#h@list1", 12}, true},
		{"f.md#h@list1", place{}, false},
		{"f.md#h@list1:part2", place{}, false},
		{"f.md#h@p1:c2", place{}, false},
		{"f.md#h@qa1", place{}, false},
		{"f.md#h@list1/0", place{}, false},
		{"f.md#h@list1/x", place{}, false},
		{"notes.md#ports/1", place{}, false},
		{"", place{}, false},
	}
	for _, tt := range tests {
		got, ok := itemPlace(tt.anchor)
		if got != tt.want || ok != tt.ok {
			t.Errorf("itemPlace(%q) = %+v, %v, want %+v, %v", tt.anchor, got, ok, tt.want, tt.ok)
		}
	}
}

// reanchor moves cards to another list: the prefix from of their anchors
// becomes to.
func reanchor(cards []card.Card, from, to string) []card.Card {
	out := make([]card.Card, len(cards))
	for i, c := range cards {
		c.Anchor = to + strings.TrimPrefix(c.Anchor, from)
		c.Group = to + strings.TrimPrefix(c.Group, from)
		out[i] = c
	}
	return out
}

// rewordCases are the cases of TestSyncStages about items reworded in
// place (stage 3) and the edits next to it that it must leave alone.
func rewordCases(d string) []stageCase {
	steps := func(items ...string) []card.Card {
		return list(d, "Slices", "Steps of append", 10, items...)
	}
	maps := func(items ...string) []card.Card {
		return list(d, "Maps", "Map facts", 20, items...)
	}
	def := func(term, meaning string, num int) card.Card {
		return basic(d, term+"?", meaning, num, "notes.md#greek@list1/"+string(rune('0'+num))+":def")
	}
	question := func(q, a string, num int) card.Card {
		return basic(d, q, a, num, "notes.md#raft@list1/"+string(rune('0'+num)))
	}
	// The list in item 2 of the commandments, whose label that item is.
	nested := func(items ...string) []card.Card {
		sub := list(d, "K8s", items[1], 14, "Package management", "Config management", "Monitoring systems")
		return cat(list(d, "K8s", "Commandments", 10, items...), reanchor(sub, "notes.md#K8s@list1", "notes.md#K8s@list1/2/list1"))
	}
	all := map[int]int{0: 0, 1: 1, 2: 2, 3: 3, 4: 4}
	every := []int{0, 1, 2, 3, 4}
	return []stageCase{
		{
			// The example: "Copy elements" is at 0.59, just under
			// Similar.
			name:    "reworded item keeps its cards",
			old:     steps("Check capacity", "Allocate a new array", "Copy elements", "Return the slice"),
			new:     steps("Check capacity", "Allocate a new array", "Copy the elements over", "Return the slice"),
			want:    SyncResult{Updated: 5},
			same:    all,
			revised: every,
		},
		{
			name:    "item reworded completely keeps its cards",
			old:     steps("Check capacity", "Allocate a new array", "Copy elements", "Return the slice"),
			new:     steps("Check capacity", "Allocate a new array", "Duplicate every entry", "Return the slice"),
			want:    SyncResult{Updated: 5},
			same:    all,
			revised: every,
		},
		{
			name:    "first item reworded completely keeps its cards",
			old:     steps("Check capacity", "Allocate a new array", "Copy elements", "Return the slice"),
			new:     steps("See if it fits", "Allocate a new array", "Copy elements", "Return the slice"),
			want:    SyncResult{Updated: 5},
			same:    all,
			revised: every,
		},
		{
			name: "removed item is an orphan",
			old:  steps("Check capacity", "Allocate a new array", "Copy elements", "Return the slice"),
			new:  steps("Check capacity", "Allocate a new array", "Return the slice"),
			want: SyncResult{Updated: 4, Orphaned: 1},
			same: map[int]int{0: 0, 1: 1, 2: 2, 3: 4}, revised: []int{0, 1, 2, 3},
		},
		{
			// Item 2 has a new item before it: its neighbour changed, so it
			// is not taken for the inserted item, nor the new text for it.
			name: "item inserted beside a reworded one",
			old:  steps("Check capacity", "Allocate a new array", "Copy elements", "Return the slice"),
			new:  steps("Check capacity", "Grow the length", "Allocate a bigger array", "Copy elements", "Return the slice"),
			want: SyncResult{Added: 2, Updated: 4, Orphaned: 1},
			same: map[int]int{0: 0, 1: 1, 4: 3, 5: 4}, revised: []int{0, 1, 4, 5},
		},
		{
			// Each is the other's changed neighbour: one edit that
			// replaced two items is not guessed at.
			name: "two reworded items side by side are new cards",
			old:  steps("Check capacity", "Allocate a new array", "Copy elements", "Return the slice"),
			new:  steps("Check capacity", "Make room", "Move the old ones", "Return the slice"),
			want: SyncResult{Added: 2, Updated: 3, Orphaned: 2},
			same: map[int]int{0: 0, 1: 1, 4: 4}, revised: []int{0, 1, 4},
		},
		{
			name: "two reworded items apart keep their cards",
			old:  steps("Check capacity", "Allocate a new array", "Copy elements", "Return the slice"),
			new:  steps("Check capacity", "Make room", "Copy elements", "Hand back the header"),
			want: SyncResult{Updated: 5},
			same: all, revised: every,
		},
		{
			name: "reordered items",
			old:  steps("Check capacity", "Allocate a new array", "Copy elements", "Return the slice"),
			new:  steps("Check capacity", "Copy elements", "Allocate a new array", "Return the slice"),
			want: SyncResult{Updated: 5},
			same: map[int]int{0: 0, 1: 1, 2: 3, 3: 2, 4: 4}, revised: every,
		},
		{
			// The reworded item left its place.
			name: "reordered and reworded",
			old:  steps("Check capacity", "Allocate a new array", "Copy elements", "Return the slice"),
			new:  steps("Check capacity", "Copy elements", "Make room", "Return the slice"),
			want: SyncResult{Added: 1, Updated: 4, Orphaned: 1},
			same: map[int]int{0: 0, 1: 1, 2: 3, 4: 4}, revised: []int{0, 1, 2, 4},
		},
		{
			// Another list gives it another key and another place.
			name: "item moved to another list",
			old: cat(steps("Check capacity", "Allocate a new array", "Copy elements", "Return the slice"),
				maps("Hash buckets", "Random order", "Grow by doubling")),
			new: cat(steps("Check capacity", "Allocate a new array", "Return the slice"),
				maps("Hash buckets", "Random order", "Grow by doubling", "Copy elements")),
			want:    SyncResult{Added: 1, Updated: 8, Orphaned: 1},
			same:    map[int]int{0: 0, 1: 1, 2: 2, 3: 4, 4: 5, 5: 6, 6: 7, 7: 8},
			revised: []int{0, 1, 2, 3, 4, 5, 6, 7},
		},
		{
			name: "definition reworded in place keeps its card",
			old: []card.Card{def("Alpha", "The first letter", 1), def("Beta", "The second letter", 2),
				def("Gamma", "The third letter", 3)},
			new: []card.Card{def("Alpha", "The first letter", 1), def("Vita", "How modern Greek says it", 2),
				def("Gamma", "The third letter", 3)},
			want: SyncResult{Updated: 1, Unchanged: 2},
			same: map[int]int{0: 0, 1: 1, 2: 2}, revised: []int{1},
		},
		{
			name: "question reworded between unchanged ones keeps its card",
			old: []card.Card{question("Leader election timeout?", "150-300ms", 1), question("Who wrote Raft?", "Ongaro", 2),
				question("Log entries commit when?", "On a majority", 3)},
			new: []card.Card{question("Leader election timeout?", "150-300ms", 1), question("Whose thesis is Raft?", "Diego Ongaro's", 2),
				question("Log entries commit when?", "On a majority", 3)},
			want: SyncResult{Updated: 1, Unchanged: 2},
			same: map[int]int{0: 0, 1: 1, 2: 2}, revised: []int{1},
		},
		{
			// The item after it is gone.
			name: "reworded item before a removed one",
			old:  steps("Check capacity", "Allocate a new array", "Copy elements", "Return the slice"),
			new:  steps("Check capacity", "Allocate a new array", "Duplicate every entry"),
			want: SyncResult{Added: 1, Updated: 3, Orphaned: 2},
			same: map[int]int{0: 0, 1: 1, 2: 2}, revised: []int{0, 1, 2},
		},
		{
			// A question moved in from another list is a changed neighbour.
			name: "question moved in beside a reworded one",
			old: []card.Card{question("Leader election timeout?", "150-300ms", 1), question("Who wrote Raft?", "Ongaro", 2),
				basic(d, "Log entries commit when?", "On a majority", 3, "notes.md#logs@list1/1")},
			new: []card.Card{question("Leader election timeout?", "150-300ms", 1), question("Whose thesis is Raft?", "Diego Ongaro's", 2),
				question("Log entries commit when?", "On a majority", 3)},
			want: SyncResult{Added: 1, Updated: 1, Unchanged: 1, Orphaned: 1},
			same: map[int]int{0: 0, 2: 2},
		},
		{
			// A question moved out to another list is one too.
			name: "question moved out beside a reworded one",
			old: []card.Card{question("Leader election timeout?", "150-300ms", 1), question("Who wrote Raft?", "Ongaro", 2),
				question("Log entries commit when?", "On a majority", 3)},
			new: []card.Card{question("Leader election timeout?", "150-300ms", 1), question("Whose thesis is Raft?", "Diego Ongaro's", 2),
				basic(d, "Log entries commit when?", "On a majority", 3, "notes.md#logs@list1/1")},
			want: SyncResult{Added: 1, Updated: 1, Unchanged: 1, Orphaned: 1},
			same: map[int]int{0: 0, 2: 2},
		},
		{
			// Not the parser's doing, but two old cards of one kind at one
			// place leave no one of them to pick.
			name: "two old cards at one place are left alone",
			old: []card.Card{question("Leader election timeout?", "150-300ms", 1), question("Who wrote Raft?", "Ongaro", 2),
				basic(d, "Who wrote Paxos?", "Lamport", 4, "notes.md#raft@list1/2"), question("Log entries commit when?", "On a majority", 3)},
			new: []card.Card{question("Leader election timeout?", "150-300ms", 1), question("Whose thesis is Raft?", "Diego Ongaro's", 2),
				question("Log entries commit when?", "On a majority", 3)},
			want: SyncResult{Added: 1, Unchanged: 2, Orphaned: 2},
			same: map[int]int{0: 0, 2: 3},
		},
		{
			// The item's own cloze, the list card of the list it labels,
			// and the other items' clozes (their text holds it) keep
			// theirs; the clozes of the list it labels are matched by
			// similar text, the label being a small part of them.
			name:    "reworded item labelling a list keeps every card",
			old:     nested("Immutable infrastructure", "Use tools", "Declarative config"),
			new:     nested("Immutable infrastructure", "Employ tooling", "Declarative config"),
			want:    SyncResult{Updated: 8},
			same:    map[int]int{0: 0, 1: 1, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7},
			revised: []int{0, 1, 2, 3, 4, 5, 6, 7},
		},
	}
}

// TestSyncRewordOrphans checks that stage 3 takes orphans, which are not
// in the notes as the last sync saw them, neither for an old card at the
// place of a new one nor for an unchanged neighbour.
func TestSyncRewordOrphans(t *testing.T) {
	t.Parallel()
	const d = "D"
	tests := []struct {
		name     string
		versions [][]card.Card
		want     []SyncResult
		orphans  []string // backs of the orphans after the last sync
	}{
		{
			// An item removed from the end of a list, then a different
			// one added there, is a new card.
			name: "orphan at the place of a new item",
			versions: [][]card.Card{
				list(d, "H", "Label", 1, "Alpha one", "Beta two", "Gamma three"),
				list(d, "H", "Label", 1, "Alpha one", "Beta two"),
				list(d, "H", "Label", 1, "Alpha one", "Beta two", "Something else entirely"),
			},
			want:    []SyncResult{{Added: 4}, {Updated: 3, Orphaned: 1}, {Added: 1, Updated: 3}},
			orphans: []string{"Gamma three"},
		},
		{
			// An orphan beside an item is not its neighbour: the item is
			// last in its list.
			name: "orphan beside a reworded item",
			versions: [][]card.Card{
				list(d, "H", "Label", 1, "Alpha one", "Beta two", "Gamma three"),
				list(d, "H", "Label", 1, "Alpha one", "Beta two"),
				list(d, "H", "Label", 1, "Alpha one", "Something else entirely"),
			},
			want:    []SyncResult{{Added: 4}, {Updated: 3, Orphaned: 1}, {Updated: 3}},
			orphans: []string{"Gamma three"},
		},
		{
			// An item back in the notes beside a reworded one is a changed
			// neighbour.
			name: "orphan back beside a reworded item",
			versions: [][]card.Card{
				list(d, "H", "Label", 1, "Alpha one", "Beta two", "Gamma three"),
				list(d, "H", "Label", 1, "Alpha one", "Beta two"),
				list(d, "H", "Label", 1, "Alpha one", "Something else entirely", "Gamma three"),
			},
			want:    []SyncResult{{Added: 4}, {Updated: 3, Orphaned: 1}, {Added: 1, Updated: 2, Orphaned: 1, Restored: 1}},
			orphans: []string{"Beta two"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			s, _ := openTest(t)
			src := SourceFile{Path: file}
			for i, v := range tt.versions {
				got, err := s.Sync(ctx, src, card.Limits{}, v)
				if err != nil {
					t.Fatal(err)
				}
				if got != tt.want[i] {
					t.Errorf("Sync(v%d) = %+v, want %+v", i+1, got, tt.want[i])
				}
			}
			var backs []string
			for _, o := range mustCards(t, s, Filter{Orphans: true}) {
				backs = append(backs, o.Back)
			}
			if !slices.Equal(backs, tt.orphans) {
				t.Errorf("orphans %q, want %q", backs, tt.orphans)
			}
		})
	}
}
