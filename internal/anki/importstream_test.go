package anki

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"reflect"
	"sort"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/card"
)

// Import reads a package one note at a time, walking its notes beside its
// cards and their reviews. Whatever the order of a package's rows, and
// with cards of no note and notes of no card among them, that walk gives
// what converting the whole package at once gives: the same cards, in the
// same order, with the same schedules, logs and summary.
func TestImportStreamsAsWhole(t *testing.T) {
	path := scrambledPackage(t)
	opts := ImportOptions{MediaDir: "/m", Location: time.UTC}
	p, err := Open(path, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	got, gotSum, err := p.Import(opts)
	if err != nil {
		t.Fatal(err)
	}
	want, wantSum := importWhole(t, p, opts)
	if len(got) != len(want) || len(want) < 40 {
		t.Fatalf("streamed %d cards, whole %d (want 40 or more)", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("card %d streamed\n%+v\nwhole\n%+v", i, got[i], want[i])
		}
	}
	if !reflect.DeepEqual(gotSum, wantSum) {
		t.Errorf("summary streamed %+v, whole %+v", gotSum, wantSum)
	}
	if len(wantSum.Skipped) == 0 || wantSum.Reviews == 0 {
		t.Errorf("the package should have a note skipped and reviews: %+v", wantSum)
	}
}

// scrambledPackage writes a package of basic, reversed and cloze notes
// with reviews, then reorders its rows: note ids run against card ids, a
// note has no card, a card has no note, and no index helps.
func scrambledPackage(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "p.apkg")
	w, err := create(path, Options{Now: now, WithProgress: true})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for i := range 15 {
		id := fmt.Sprintf("aaaaaaaa%04d", i)
		basic := withStatus(basicItem(id, fmt.Sprintf("Q%d?", i), "A"), card.StatusReview)
		rev := withGroup(withKind(basicItem(fmt.Sprintf("bbbbbbbb%04d", i), fmt.Sprintf("Q%d?", i), "A"), card.Reverse), "g"+id)
		basic = withGroup(basic, "g"+id)
		cloze := withText(withKind(basicItem(fmt.Sprintf("cccccccc%04d", i), "", ""), card.Cloze),
			fmt.Sprintf("The {{c1::answer %d}} fills it.", i))
		for _, it := range []Item{basic, rev, cloze} {
			if err := w.Add(it); err != nil {
				t.Fatal(err)
			}
		}
		ids = append(ids, id)
	}
	for k := range 3 {
		for i, id := range ids {
			r := card.Review{CardID: id, Time: now.AddDate(0, 0, k*5-20).Add(time.Duration(i) * time.Minute),
				Grade: card.Good, Before: card.NewState(), After: card.NewState()}
			if err := w.AddReview(r); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := w.Close(); err != nil {
		t.Fatal(err)
	}
	rewriteCollection(t, path, path,
		`drop index if exists ix_revlog_cid`,
		`update notes set id = 9000000000000 - id`,
		`update cards set nid = 9000000000000 - nid`,
		`insert into notes select (select max(id) from notes) + 1, guid || 'x', mid, mod, usn, tags, flds, sfld, csum, flags, data from notes limit 1`,
		`insert into cards select (select max(id) from cards) + 1, 5, did, ord, mod, usn, type, queue, due, ivl, factor, reps, lapses, left, odue, odid, flags, data from cards limit 1`,
		`insert into revlog select (select max(id) from revlog) + 1, (select max(id) from cards), usn, ease, ivl, lastIvl, factor, time, type from revlog limit 1`,
	)
	return path
}

// importWhole converts a package opened for import the way Import did
// when it held the whole package: every note, card and review read into
// memory, then converted note by note.
func importWhole(t *testing.T, p *Package, opts ImportOptions) ([]Imported, ImportSummary) {
	t.Helper()
	all := *p
	all.Notes, all.Cards, all.Revlog = nil, nil, nil
	for _, read := range []func(*sql.DB) error{all.readNotes, all.readCards, all.readRevlog} {
		if err := read(p.db); err != nil {
			t.Fatal(err)
		}
	}
	cardsOf := map[int64][]Card{}
	for _, c := range all.Cards {
		cardsOf[c.NID] = append(cardsOf[c.NID], c)
	}
	revlog := map[int64][]RevlogEntry{}
	for _, r := range all.Revlog {
		revlog[r.CID] = append(revlog[r.CID], r)
	}
	parents, err := p.parentDecks()
	if err != nil {
		t.Fatal(err)
	}
	var sum ImportSummary
	im := importer{p: p, opts: opts, decks: map[string]bool{}, sum: &sum, refs: map[string]string{}, parents: parents}
	var out []Imported
	for i, n := range all.Notes {
		nt, ok := p.NoteTypes[n.MID]
		cs := cardsOf[n.ID]
		sort.SliceStable(cs, func(a, b int) bool { return cs[a].Ord < cs[b].Ord })
		switch {
		case !ok || nt.Type != 1 && len(nt.Fields) < 2:
			t.Fatalf("note %s: a note type the test does not make", n.GUID)
		case len(cs) == 0:
			sum.Skipped = append(sum.Skipped, Skip{What: "note " + n.GUID, Why: "no cards"})
			continue
		}
		logs := make([][]RevlogEntry, len(cs))
		for k, c := range cs {
			logs[k] = revlog[c.ID]
		}
		made, err := im.note(n, nt, cs, i+1, logs)
		if err != nil {
			t.Fatal(err)
		}
		if len(made) > 0 {
			sum.Notes++
		}
		out = append(out, made...)
	}
	sum.Cards = len(out)
	sum.Skipped = append(sum.Skipped, im.missingMedia()...)
	for d := range im.decks {
		sum.Decks = append(sum.Decks, d)
	}
	sort.Strings(sum.Decks)
	return out, sum
}
