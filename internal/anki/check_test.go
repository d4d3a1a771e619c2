package anki

import (
	"archive/zip"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/card"
)

// mutation breaks a copy of a good package.
type mutation struct {
	sql   []string          // run on the collection
	media string            // replaces the media map when set
	drop  []string          // zip members left out
	add   map[string]string // zip members added
}

// basePackage writes a package with a bit of everything: basic, reversed
// and cloze notes, progress, a review log and an image.
func basePackage(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "a.png"), []byte("png"), 0o644); err != nil {
		t.Fatal(err)
	}
	img := basicItem("img", "![a](a.png)", "an image")
	img.Card.Source.File = filepath.Join(dir, "notes.md")
	rev := basicItem("rev", "Reviewed?", "yes")
	rev.Status = card.StatusReview
	rev.State = card.State{Reps: 2, EF: 2.5, Interval: 6, Due: now.AddDate(0, 0, 3), Last: now.AddDate(0, 0, -3)}
	cl := withKind(basicItem("cl", "Go cloud for "+card.Gap, "elasticity"), card.Cloze)
	items := []Item{img, rev, cl,
		withGroup(basicItem("p", "P?", "p"), "g"), withGroup(withKind(basicItem("q", "p", "P?"), card.Reverse), "g")}

	path := filepath.Join(dir, "base.apkg")
	w, err := create(path, Options{Now: now, WithProgress: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if err := w.Add(it); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.AddReview(card.Review{CardID: "rev", Time: now.AddDate(0, 0, -3), Grade: card.Good,
		Before: card.State{Reps: 1, EF: 2.5, Interval: 1, Last: now.AddDate(0, 0, -4)}, After: rev.State}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// apply writes a broken copy of the package at src.
func apply(t *testing.T, src string, m mutation) string {
	t.Helper()
	dir := t.TempDir()
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out, err := os.Create(filepath.Join(dir, "broken.apkg"))
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(out)
	put := func(name string, data []byte) {
		f, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range zr.File {
		if strings.Contains(","+strings.Join(m.drop, ",")+",", ","+f.Name+",") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		switch {
		case f.Name == "collection.anki2" && len(m.sql) > 0:
			data = runSQL(t, dir, data, m.sql)
		case f.Name == "media" && m.media != "":
			data = []byte(m.media)
		}
		put(f.Name, data)
	}
	for name, data := range m.add {
		put(name, []byte(data))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Name()
}

func runSQL(t *testing.T, dir string, db []byte, stmts []string) []byte {
	t.Helper()
	file := filepath.Join(dir, "col.db")
	if err := os.WriteFile(file, db, 0o644); err != nil {
		t.Fatal(err)
	}
	conn, err := sql.Open("sqlite", file)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range stmts {
		if _, err := conn.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	if err := conn.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

const (
	firstNote = "(select min(id) from notes)"
	firstCard = "(select min(id) from cards)"
)

func TestCheckCatches(t *testing.T) {
	t.Parallel()
	base := basePackage(t)
	future := now.Add(24 * time.Hour).UnixMilli()
	tests := []struct {
		name string
		m    mutation
		want string // part of one of the errors
	}{
		{"field count", mutation{sql: []string{"update notes set flds = 'a' || char(31) || 'b' where id = " + firstNote}}, "2 fields, note type"},
		{"real in an integer column", mutation{sql: []string{"update cards set factor = 2500.5 where id = " + firstCard}}, "cards.factor: 1 values are not of type integer"},
		{"text in an integer column", mutation{sql: []string{"update notes set mod = 'yesterday'"}}, "notes.mod: 4 values are not of type integer"},
		{"blob in a text column", mutation{sql: []string{"update notes set data = x'35'"}}, "notes.data: 4 values are not of type text"},
		{"dconf key missing", mutation{sql: []string{"update col set dconf = json_remove(dconf, '$.1.maxTaken')"}}, `key "maxTaken" missing`},
		{"dconf autoplay type", mutation{sql: []string{"update col set dconf = json_set(dconf, '$.1.autoplay', 1)"}}, `"autoplay" is a number, want a boolean`},
		{"dconf new key missing", mutation{sql: []string{"update col set dconf = json_remove(dconf, '$.1.new.ints')"}}, `new: key "ints" missing`},
		{"initial ease", mutation{sql: []string{"update col set dconf = json_set(dconf, '$.1.new.initialFactor', 1300)"}}, "initialFactor 1300"},
		{"bad media name", mutation{media: `{"0": "../evil.png"}`}, "not one path component"},
		{"media with a slash", mutation{media: `{"0": "img/a.png"}`}, "not one path component"},
		{"media member missing", mutation{drop: []string{"0"}}, `member "0" (a.png) missing`},
		{"media member not mapped", mutation{add: map[string]string{"5": "x"}}, `member "5" is not in the media map`},
		{"media map missing", mutation{drop: []string{"media"}}, "media: member missing"},
		{"media not an object", mutation{media: `["a.png"]`}, "not a JSON object"},
		{"media member name", mutation{media: `{"a": "a.png", "0": "b.png"}`, add: map[string]string{"a": "x"}}, `member name "a" is not a number`},
		{"table missing", mutation{sql: []string{"drop table graves"}}, "table graves missing"},
		{"column type", mutation{sql: []string{"drop table revlog", "create table revlog (id integer primary key, cid integer not null, usn integer not null, ease integer not null, ivl integer not null, lastIvl integer not null, factor integer not null, time real not null, type integer not null)"}}, "table revlog column 7: time real"},
		{"col version", mutation{sql: []string{"update col set ver = 12"}}, "col.ver = 12, want 11"},
		{"two col rows", mutation{sql: []string{"insert into col select 2, crt, mod, scm, ver, dty, usn, ls, conf, models, decks, dconf, tags from col"}}, "col: 2 rows"},
		{"crt in ms", mutation{sql: []string{"update col set crt = mod"}}, "col.crt"},
		{"schedVer", mutation{sql: []string{"update col set conf = json_remove(conf, '$.schedVer')"}}, "schedVer"},
		{"conf not JSON", mutation{sql: []string{"update col set conf = '{'"}}, "col.conf: not JSON"},
		{"model css missing", mutation{sql: []string{`update col set models = json_remove(models, '$."1543622400001".css')`}}, `key "css" missing`},
		{"model key", mutation{sql: []string{`update col set models = replace(models, '"1543622400001":{', '"7":{')`}}, "does not match its key"},
		{"field name", mutation{sql: []string{`update col set models = json_set(models, '$."1543622400001".flds[0].name', ':{}')`}}, "empty once Anki cleans it"},
		{"field sticky", mutation{sql: []string{`update col set models = json_set(models, '$."1543622400001".flds[1].sticky', 'no')`}}, `"sticky" is a string`},
		{"no templates", mutation{sql: []string{`update col set models = json_set(models, '$."1543622400003".tmpls', json('[]'))`}}, "no templates"},
		{"models not JSON", mutation{sql: []string{"update col set models = '{'"}}, "col.models: not JSON"},
		{"deck collapsed", mutation{sql: []string{`update col set decks = json_set(decks, '$."1".collapsed', 0)`}}, `"collapsed" is a number, want a boolean`},
		{"deck desc", mutation{sql: []string{`update col set decks = json_remove(decks, '$."1".desc')`}}, `key "desc" missing`},
		{"deck today", mutation{sql: []string{`update col set decks = json_set(decks, '$."1".newToday', json('[0]'))`}}, "newToday is not two integers"},
		{"default deck", mutation{sql: []string{`update col set decks = json_remove(decks, '$."1"')`}}, `deck 1 "Default" missing`},
		{"deck names clash", mutation{sql: []string{`update col set decks = json_set(decks, '$."1".name', 'talks')`}}, "name also used"},
		{"parent deck", mutation{sql: []string{`update col set decks = json_set(decks, '$."1".name', 'A::B')`}}, `parent deck "a" missing`},
		{"deck options", mutation{sql: []string{`update col set decks = json_set(decks, '$."1".conf', 9)`}}, "options group 9 missing"},
		{"card deck", mutation{sql: []string{"update cards set did = 42"}}, "deck 42 missing"},
		{"guid", mutation{sql: []string{"update notes set guid = 'same'"}}, "also used by note"},
		{"csum", mutation{sql: []string{"update notes set csum = 1"}}, "csum 1"},
		{"sfld", mutation{sql: []string{"update notes set sfld = 'x'"}}, `sfld "x"`},
		{"note usn", mutation{sql: []string{"update notes set usn = 0"}}, "usn 0, want -1"},
		{"note tags", mutation{sql: []string{"update notes set tags = 'a b'"}}, "not space separated and padded"},
		{"markup in tags", mutation{sql: []string{"update notes set tags = ' <b>x</b> '"}}, "hold '<', '>' or '&'"},
		{"markup in a deck name", mutation{sql: []string{`update col set decks = json_set(decks, '$."1".name', '<b>Default</b>')`}}, "in a level"},
		{"note type", mutation{sql: []string{"update notes set mid = 5"}}, "note type 5 missing"},
		{"note control char", mutation{sql: []string{"update notes set flds = replace(flds, 'P?', 'P' || char(7)) where flds like 'P?%'"}}, "control characters"},
		{"note id future", mutation{sql: []string{"update cards set nid = " + itoa64(future) + " where nid = " + firstNote, "update notes set id = " + itoa64(future) + " where id = " + firstNote}}, "id not a millisecond time"},
		{"note without cards", mutation{sql: []string{"delete from cards where nid = " + firstNote}}, "no cards"},
		{"card id future", mutation{sql: []string{"update cards set id = " + itoa64(future) + " where id = " + firstCard}}, "id not a millisecond time"},
		{"review due", mutation{sql: []string{"update cards set due = 1778400000 where type = 2"}}, "review due 1778400000"},
		{"review due negative", mutation{sql: []string{"update cards set due = -3 where type = 2"}}, "review due -3"},
		{"review interval", mutation{sql: []string{"update cards set ivl = 0 where type = 2"}}, "review interval 0"},
		{"review factor", mutation{sql: []string{"update cards set factor = 1000 where type = 2"}}, "ease factor 1000"},
		{"learning type", mutation{sql: []string{"update cards set type = 1 where id = " + firstCard}}, "type 1"},
		{"queue", mutation{sql: []string{"update cards set queue = 1 where type = 0"}}, "new card in queue 1"},
		{"due 32 bits", mutation{sql: []string{"update cards set due = 5000000000 where type = 0"}}, "does not fit 32 bits"},
		{"card odid", mutation{sql: []string{"update cards set odid = 3"}}, "odid 3"},
		{"card data not JSON", mutation{sql: []string{"update cards set data = 'x'"}}, "not a JSON object of numbers"},
		{"card data difficulty", mutation{sql: []string{`update cards set data = '{"s":3,"d":0.5}'`}}, "d 0.5 is not what Anki keeps"},
		{"card data stability alone", mutation{sql: []string{`update cards set data = '{"s":3}'`}}, "stability and difficulty go together"},
		{"cloze ord", mutation{sql: []string{"update cards set ord = 3 where nid in (select id from notes where mid = 1543622400003)"}}, "no c4 deletion"},
		{"deletion in another field", mutation{sql: []string{"update notes set flds = flds || '{{c2::x}}' where mid = 1543622400003"}}, "reads a deletion c2 in its fields"},
		{"deletion before 2.1.56", mutation{sql: []string{"update notes set flds = flds || '{{C3::x}}' where mid = 1543622400003"}}, "before 2.1.56 reads a deletion c3"},
		{"template ord", mutation{sql: []string{"update cards set ord = 2 where nid in (select id from notes where mid = 1543622400002)"}}, "has 2 templates"},
		{"same ord twice", mutation{sql: []string{"update cards set ord = 0 where nid in (select id from notes where mid = 1543622400002)"}}, "ord 0 also card"},
		{"note id twice", mutation{sql: []string{"create table n2 as select * from notes", "drop table notes",
			"create table notes (id integer not null, guid text not null, mid integer not null, mod integer not null, usn integer not null, tags text not null, flds text not null, sfld integer not null, csum integer not null, flags integer not null, data text not null)",
			"insert into notes select * from n2", "insert into notes select * from n2 limit 1", "drop table n2"}}, "id used twice"},
		{"revlog card", mutation{sql: []string{"update revlog set cid = 5"}}, "card 5 missing"},
		{"revlog ease", mutation{sql: []string{"update revlog set ease = 0"}}, "ease 0"},
		{"revlog id future", mutation{sql: []string{"update revlog set id = " + itoa64(future)}}, "id not a millisecond time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Read(apply(t, base, tt.m))
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			errs := p.Check()
			for _, e := range errs {
				if strings.Contains(e.Error(), tt.want) {
					return
				}
			}
			t.Errorf("Check() = %v, want an error containing %q", errs, tt.want)
		})
	}

	t.Run("untouched copy passes", func(t *testing.T) {
		readChecked(t, apply(t, base, mutation{sql: []string{"select 1"}}))
	})
}

func TestCheckLimitsRepeats(t *testing.T) {
	t.Parallel()
	items := make([]Item, 25)
	for i := range items {
		items[i] = basicItem("n"+itoa64(int64(i)), "Q?", "A")
	}
	path := filepath.Join(t.TempDir(), "many.apkg")
	exportTo(t, path, Options{}, items...)
	p, err := Read(apply(t, path, mutation{sql: []string{"update notes set usn = 3"}}))
	if err != nil {
		t.Fatal(err)
	}
	errs := p.Check()
	if len(errs) != maxPerRule+1 || !strings.Contains(errs[maxPerRule].Error(), "15 more") {
		t.Errorf("Check() = %d errors %v, want %d and a count of 15 more", len(errs), errs, maxPerRule+1)
	}
}

func TestReadRejects(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	notZip := filepath.Join(dir, "x.apkg")
	if err := os.WriteFile(notZip, []byte("not a zip"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Read(notZip); err == nil {
		t.Errorf("Read(not a zip) = nil error")
	}
	empty := apply(t, basePackage(t), mutation{drop: []string{"collection.anki2"}})
	if _, err := Read(empty); err == nil || !strings.Contains(err.Error(), "collection.anki2") {
		t.Errorf("Read(no collection) = %v, want an error naming collection.anki2", err)
	}
}

func itoa64(n int64) string { return strconv.FormatInt(n, 10) }
