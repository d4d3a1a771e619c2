package anki

import (
	"archive/zip"
	"bytes"
	"database/sql"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/klauspost/compress/zstd"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/recall-cli/recall/internal/card"
)

// sharedPackages holds packages made by Anki itself (see
// ../shared/data/README.md); tests that read them skip when it is absent.
const sharedPackages = "../../../shared/data/anki-packages"

func sharedPackage(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(sharedPackages, name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("no %s: %v", p, err)
	}
	return p
}

func TestImportSharedPackages(t *testing.T) {
	tests := []struct {
		file      string
		notes     int
		cards     []string // kind:front→back
		deck      string
		media     []string
		keepsGUID int // cards whose export gives the note guid back
	}{
		{"diffmodels2-1.apkg", 1, []string{"basic:front→back"}, "Default", nil, 1},
		{"diffmodels2-2.apkg", 1, []string{"basic:front→back", "reverse:back→front"}, "Default", nil, 1},
		{"diffmodeltemplates-1.apkg", 1, []string{"basic:question?→answer!"}, "testdeck",
			[]string{"_ViewSizeAdjustAddon.dat", "_IncrementalReadingExtension.dat"}, 1},
		{"media.apkg", 1, []string{"basic:[sound: foo.wav](</media/foo.wav>)→"}, "Default", []string{"foo.wav"}, 1},
		{"update1.apkg", 1, []string{"basic:hello→world"}, "Default", nil, 1},
		{"update2.apkg", 1, []string{"basic:goodbye→world"}, "Default", nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p, err := Open(sharedPackage(t, tt.file), t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			defer p.Close()
			items, sum, err := p.Import(ImportOptions{MediaDir: "/media", Location: time.UTC})
			if err != nil {
				t.Fatal(err)
			}
			if sum.Notes != tt.notes || sum.Cards != len(tt.cards) || len(sum.Skipped) != 0 {
				t.Errorf("summary %+v, want %d notes, %d cards, nothing skipped", sum, tt.notes, len(tt.cards))
			}
			var got []string
			guids := 0
			for _, it := range items {
				c := it.Card
				got = append(got, string(c.Kind)+":"+c.Front+"→"+c.Back)
				if c.Deck != tt.deck || it.Subdeck != tt.deck {
					t.Errorf("card %s in deck %q subdeck %q, want %q", c.ID, c.Deck, it.Subdeck, tt.deck)
				}
				if !card.LooksLikeID(c.ID) || c.Source.File == "" {
					t.Errorf("card %+v: bad id or source", c)
				}
				if g := AnkiGUID(c); g != "" {
					if !hasNote(t, p, g) {
						t.Errorf("card %s gives back guid %q, no note of the package", c.ID, g)
					}
					guids++
				}
				if !it.State.IsNew() || it.Suspended || it.Buried {
					t.Errorf("card %s: want new and shown, got %+v", c.ID, it)
				}
			}
			if strings.Join(got, "\n") != strings.Join(tt.cards, "\n") {
				t.Errorf("cards\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.cards, "\n"))
			}
			if guids != tt.keepsGUID {
				t.Errorf("%d cards keep the guid, want %d", guids, tt.keepsGUID)
			}
			var media []string
			err = p.EachMedia(func(name string, r io.Reader) error {
				if r == nil {
					t.Errorf("media %s missing", name)
				}
				media = append(media, name)
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(media, ",") != strings.Join(tt.media, ",") {
				t.Errorf("media %v, want %v", media, tt.media)
			}
		})
	}
}

// hasNote reports whether a package opened for import has a note of the
// given guid.
func hasNote(t *testing.T, p *Package, guid string) bool {
	t.Helper()
	var n int
	if err := p.db.QueryRow("select count(*) from notes where guid = ?", guid).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n > 0
}

// The same note in update1 and update2 gives the same card id: a
// re-import updates it in place.
func TestImportUpdateSameIDs(t *testing.T) {
	var ids []string
	for _, f := range []string{"update1.apkg", "update2.apkg"} {
		p, err := Open(sharedPackage(t, f), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		items, _, err := p.Import(ImportOptions{})
		if err != nil || len(items) != 1 {
			t.Fatalf("%s: %v, %d cards", f, err, len(items))
		}
		ids = append(ids, items[0].Card.ID)
	}
	if ids[0] != ids[1] {
		t.Errorf("ids %v differ", ids)
	}
}

func TestOpenRefusesNonPackages(t *testing.T) {
	dir := t.TempDir()
	notZip := filepath.Join(dir, "x.apkg")
	os.WriteFile(notZip, []byte("hello"), 0o644)
	empty := filepath.Join(dir, "empty.apkg")
	writeZip(t, empty, map[string][]byte{"media": []byte("{}")})
	for path, want := range map[string]string{notZip: "not a zip", empty: "no collection"} {
		_, err := Open(path, dir)
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), path) {
			t.Errorf("Open(%s) = %v, want an error naming the file and saying %q", path, err, want)
		}
	}
}

func writeZip(t *testing.T, path string, members map[string][]byte) {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, b := range members {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// schema18 is the part of Anki's schema 18 (rslib/src/storage/schema11.sql
// upgraded by upgrades/schema15_upgrade.sql and later) that import reads.
const schema18 = `
CREATE TABLE col (id integer PRIMARY KEY, crt integer NOT NULL, mod integer NOT NULL, scm integer NOT NULL,
  ver integer NOT NULL, dty integer NOT NULL, usn integer NOT NULL, ls integer NOT NULL, conf text NOT NULL,
  models text NOT NULL, decks text NOT NULL, dconf text NOT NULL, tags text NOT NULL);
CREATE TABLE notes (id integer PRIMARY KEY, guid text NOT NULL, mid integer NOT NULL, mod integer NOT NULL,
  usn integer NOT NULL, tags text NOT NULL, flds text NOT NULL, sfld integer NOT NULL, csum integer NOT NULL,
  flags integer NOT NULL, data text NOT NULL);
CREATE TABLE cards (id integer PRIMARY KEY, nid integer NOT NULL, did integer NOT NULL, ord integer NOT NULL,
  mod integer NOT NULL, usn integer NOT NULL, type integer NOT NULL, queue integer NOT NULL, due integer NOT NULL,
  ivl integer NOT NULL, factor integer NOT NULL, reps integer NOT NULL, lapses integer NOT NULL, left integer NOT NULL,
  odue integer NOT NULL, odid integer NOT NULL, flags integer NOT NULL, data text NOT NULL);
CREATE TABLE revlog (id integer PRIMARY KEY, cid integer NOT NULL, usn integer NOT NULL, ease integer NOT NULL,
  ivl integer NOT NULL, lastIvl integer NOT NULL, factor integer NOT NULL, time integer NOT NULL, type integer NOT NULL);
CREATE TABLE notetypes (id integer NOT NULL PRIMARY KEY, name text NOT NULL, mtime_secs integer NOT NULL,
  usn integer NOT NULL, config blob NOT NULL);
CREATE TABLE fields (ntid integer NOT NULL, ord integer NOT NULL, name text NOT NULL, config blob NOT NULL,
  PRIMARY KEY (ntid, ord)) without rowid;
CREATE TABLE templates (ntid integer NOT NULL, ord integer NOT NULL, name text NOT NULL, mtime_secs integer NOT NULL,
  usn integer NOT NULL, config blob NOT NULL, PRIMARY KEY (ntid, ord)) without rowid;
CREATE TABLE decks (id integer PRIMARY KEY NOT NULL, name text NOT NULL, mtime_secs integer NOT NULL,
  usn integer NOT NULL, common blob NOT NULL, kind blob NOT NULL);
`

// buildSchema18 writes a current Anki package (collection.anki21b at
// schema 18, zstd-compressed, with meta and a protobuf media map) holding
// a reviewed Basic (and reversed) note in a subdeck, a cloze note with
// two deletions, one suspended, and an image.
func buildSchema18(t *testing.T, path string, crt time.Time) {
	t.Helper()
	dbPath := filepath.Join(t.TempDir(), "c.db")
	db, err := sql.Open("sqlite", dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ntConfig := func(kind uint64) []byte {
		return protowire.AppendVarint(protowire.AppendTag(nil, 1, protowire.VarintType), kind)
	}
	tmplConfig := func(q, a string) []byte {
		b := protowire.AppendString(protowire.AppendTag(nil, 1, protowire.BytesType), q)
		return protowire.AppendString(protowire.AppendTag(b, 2, protowire.BytesType), a)
	}
	day := int64(3) // due three days after crt
	stmts := []struct {
		q    string
		args []any
	}{
		{schema18, nil},
		{`INSERT INTO col VALUES (1, ?, 0, 0, 18, 0, 0, 0, '', '', '', '', '')`, []any{crt.Unix()}},
		{`INSERT INTO notetypes VALUES (10, 'Basic (and reversed card)', 0, 0, ?)`, []any{ntConfig(0)}},
		{`INSERT INTO fields VALUES (10, 0, 'Front', x''), (10, 1, 'Back', x'')`, nil},
		{`INSERT INTO templates VALUES (10, 0, 'Card 1', 0, 0, ?), (10, 1, 'Card 2', 0, 0, ?)`,
			[]any{tmplConfig("{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}"), tmplConfig("{{Back}}", "{{FrontSide}}<hr id=answer>{{Front}}")}},
		{`INSERT INTO notetypes VALUES (20, 'Cloze', 0, 0, ?)`, []any{ntConfig(1)}},
		{`INSERT INTO fields VALUES (20, 0, 'Text', x''), (20, 1, 'Back Extra', x'')`, nil},
		{`INSERT INTO templates VALUES (20, 0, 'Cloze', 0, 0, ?)`, []any{tmplConfig("{{cloze:Text}}", "{{cloze:Text}}")}},
		{`INSERT INTO decks VALUES (1, 'Default', 0, 0, x'', x''), (2, 'Lang' || char(31) || 'Spanish' || char(31) || 'Verbs', 0, 0, x'', x'')`, nil},
		{`INSERT INTO notes VALUES (100, 'guid-basic', 10, 0, 0, ' spanish verbs ', 'hablar<br><b>to</b> speak' || char(31) || 'to speak <img src="mouth pic.png">', '', 0, 0, '')`, nil},
		{`INSERT INTO notes VALUES (200, 'guid-cloze', 20, 0, 0, '', '{{c1::Madrid}} is the capital of {{c2::Spain::country}}' || char(31) || '<img src="gone.png">', '', 0, 0, '')`, nil},
		{`INSERT INTO cards VALUES (1000, 100, 2, 0, 0, 0, 2, 2, ?, 10, 2300, 4, 1, 0, 0, 0, 0, '{"s":12.5,"d":5.25,"dr":0.9}')`, []any{day}},
		{`INSERT INTO cards VALUES (1001, 100, 2, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, '')`, nil},
		{`INSERT INTO cards VALUES (2000, 200, 1, 0, 0, 0, 0, -1, 2, 0, 0, 0, 0, 0, 0, 0, 0, '')`, nil},
		{`INSERT INTO cards VALUES (2001, 200, 1, 1, 0, 0, 0, -3, 3, 0, 0, 0, 0, 0, 0, 0, 0, '')`, nil},
		// Learnt, failed, relearnt, passed twice on later days: a streak of 2.
		{`INSERT INTO revlog VALUES (?, 1000, 0, 3, 1, -600, 2500, 8000, 0), (?, 1000, 0, 1, -600, 1, 2300, 9000, 1),
			(?, 1000, 0, 3, 1, -600, 2300, 4000, 2), (?, 1000, 0, 3, 4, 1, 2300, 3000, 1), (?, 1000, 0, 4, 10, 4, 2300, 2000, 1)`,
			[]any{ms(crt, -20), ms(crt, -15), ms(crt, -15) + 60000, ms(crt, -12), ms(crt, -7)}},
	}
	for _, s := range stmts {
		if _, err := db.Exec(s.q, s.args...); err != nil {
			t.Fatalf("%s: %v", s.q, err)
		}
	}
	db.Close()
	raw, err := os.ReadFile(dbPath)
	if err != nil {
		t.Fatal(err)
	}
	enc, _ := zstd.NewWriter(nil)
	defer enc.Close()
	meta := protowire.AppendVarint(protowire.AppendTag(nil, 1, protowire.VarintType), versionLatest)
	entry := protowire.AppendString(protowire.AppendTag(nil, 1, protowire.BytesType), "mouth pic.png")
	entry = protowire.AppendVarint(protowire.AppendTag(entry, 2, protowire.VarintType), 3)
	entries := protowire.AppendBytes(protowire.AppendTag(nil, 1, protowire.BytesType), entry)
	writeZip(t, path, map[string][]byte{
		"collection.anki2":   []byte("placeholder: please update Anki"),
		"collection.anki21b": enc.EncodeAll(raw, nil),
		"meta":               meta,
		"media":              enc.EncodeAll(entries, nil),
		"0":                  enc.EncodeAll([]byte("PNG"), nil),
	})
}

// ms is the time in milliseconds days after t.
func ms(t time.Time, days int) int64 { return t.AddDate(0, 0, days).UnixMilli() }

func TestImportSchema18(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.apkg")
	crt := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	buildSchema18(t, path, crt)
	p, err := Open(path, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if p.Collection != "collection.anki21b" || p.Version != versionLatest || p.Col.Ver != 18 {
		t.Errorf("read %s version %d schema %d", p.Collection, p.Version, p.Col.Ver)
	}
	items, sum, err := p.Import(ImportOptions{MediaDir: "/m", Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Notes != 2 || sum.Cards != 4 || sum.Reviews != 5 || strings.Join(sum.Decks, ",") != "Default,Lang::Spanish::Verbs" {
		t.Errorf("summary %+v", sum)
	}
	if len(sum.Skipped) != 1 || sum.Skipped[0].What != "media gone.png" || !strings.Contains(sum.Skipped[0].Why, "guid-cloze") {
		t.Errorf("skipped %+v, want the missing image of the cloze note", sum.Skipped)
	}
	byOrd := map[string]Imported{}
	for _, it := range items {
		byOrd[it.Card.Key] = it
	}
	basic := byOrd["anki:guid-basic"]
	if basic.Card.Kind != card.Basic || basic.Card.Front != "hablar  \n**to** speak" ||
		basic.Card.Back != "to speak ![](</m/mouth pic.png>)" {
		t.Errorf("basic card %+v", basic.Card)
	}
	if basic.Card.Deck != "Lang::Spanish" || basic.Card.Section != "Verbs" || basic.Subdeck != "Lang::Spanish::Verbs" || strings.Join(basic.Card.Tags, ",") != "spanish,verbs" {
		t.Errorf("basic card deck %q subdeck %q tags %v", basic.Card.Deck, basic.Subdeck, basic.Card.Tags)
	}
	st := basic.State
	wantDue := time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC)
	if st.Interval != 10 || st.EF != 2.3 || st.Lapses != 1 || st.Reps != 2 || !st.Due.Equal(wantDue) ||
		st.Stability != 12.5 || st.Difficulty != 5.25 || st.Last.UnixMilli() != ms(crt, -7) {
		t.Errorf("basic card state %+v, want ivl 10, ef 2.3, 1 lapse, reps 2, due %v, FSRS 12.5/5.25", st, wantDue)
	}
	if len(basic.Reviews) != 5 || basic.Reviews[1].Grade != card.Again || basic.Reviews[1].After.Lapses != 1 ||
		basic.Reviews[4].Grade != card.Easy || basic.Reviews[4].Before.Interval != 4 || basic.Reviews[4].After.Interval != 10 {
		t.Errorf("reviews %+v", basic.Reviews)
	}
	rev := byOrd["anki:guid-basic\x1f1"]
	if rev.Card.Kind != card.Reverse || rev.Card.Front != basic.Card.Back || !rev.State.IsNew() || rev.Card.Group != basic.Card.Group {
		t.Errorf("reverse card %+v", rev)
	}
	c1, c2 := byOrd["anki:guid-cloze\x1f0"], byOrd["anki:guid-cloze\x1f1"]
	if c1.Card.Kind != card.Cloze || c1.Card.Front != "[...] is the capital of Spain" || c1.Card.Back != "Madrid\n\n**Back Extra:** ![](</m/gone.png>)" || !c1.Suspended {
		t.Errorf("cloze 1 %+v", c1)
	}
	if c2.Card.Front != "Madrid is the capital of [country]" || !strings.HasPrefix(c2.Card.Back, "Spain\n\n") || !c2.Buried ||
		c2.Card.Text != "Madrid is the capital of {{c2::Spain::country}}" || AnkiGUID(c2.Card) != "" {
		t.Errorf("cloze 2 %+v", c2)
	}
	var media []string
	p.EachMedia(func(name string, r io.Reader) error {
		b, _ := io.ReadAll(r)
		media = append(media, name+"="+string(b))
		return nil
	})
	if strings.Join(media, ",") != "mouth pic.png=PNG" {
		t.Errorf("media %v", media)
	}
}

// Cards imported from the schema-18 package export back to Anki with
// their notes' guids where a card is all of its note, and a cloze card
// with its own deletion.
func TestImportExportGUIDs(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.apkg")
	buildSchema18(t, path, time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC))
	p, err := Open(path, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	imported, _, err := p.Import(ImportOptions{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	var items []Item
	for _, it := range imported {
		items = append(items, Item{Card: it.Card, State: it.State})
	}
	out, _ := export(t, Options{IncludeSuspended: true}, items...)
	guids := map[string]string{}
	for _, n := range out.Notes {
		guids[n.GUID] = n.Fields[0]
	}
	// Anki's deck, three levels deep, comes back as it was.
	pair, ok := out.Note("guid-basic")
	if !ok {
		t.Fatal("no note guid-basic in the export")
	}
	for _, c := range out.CardsOf(pair.ID) {
		if name := out.DeckName(c.DID); name != "Lang::Spanish::Verbs" {
			t.Errorf("the reversed pair exports to deck %q, want Lang::Spanish::Verbs", name)
		}
	}
	basic, ok := guids["guid-basic"]
	if len(out.Notes) != 3 || !ok || !strings.Contains(basic, "hablar") {
		t.Errorf("notes by guid %q, want three, the reversed pair's as guid-basic", guids)
	}
	var clozes []string
	for _, f := range guids {
		if strings.Contains(f, "{{c1::") {
			clozes = append(clozes, f)
		}
	}
	sort.Strings(clozes)
	want := []string{"Madrid is the capital of {{c1::Spain::country}}", "{{c1::Madrid}} is the capital of Spain"}
	if strings.Join(clozes, "|") != strings.Join(want, "|") {
		t.Errorf("clozes %q, want %q", clozes, want)
	}
}

func TestImportMarkdown(t *testing.T) {
	im := &importer{opts: ImportOptions{MediaDir: "/m"}, refs: map[string]string{}}
	for in, want := range map[string]string{
		"What is Go?":                    "What is Go?",
		"1. not a list":                  `1\. not a list`,
		"a *b* c":                        `a \*b* c`,
		"x &lt; y":                       "x &lt; y",
		"x &gt;= y":                      "x >= y",
		"&gt; not a quote":               "&gt; not a quote",
		"a<br>b":                         "a  \nb",
		"<div>one</div><div>two</div>":   "one\n\ntwo",
		`<img src="my%20pic.png">`:       "![](</m/my pic.png>)",
		`<img src="http://x.org/a.png">`: "![](http://x.org/a.png)",
		"[sound:hola.mp3]":               "[sound: hola.mp3](</m/hola.mp3>)",
		"café&nbsp;crème":                "café crème",
		// A deletion around a block keeps its marks against what it hides.
		"<ul><li>one</li><li>{{c1::<ol start=\"2\"><li>two</li></ol>}}</li></ul>": "- one\n- {{c1::2. two}}",
	} {
		got, err := im.markdown(in)
		if err != nil || got != want {
			t.Errorf("markdown(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

// A package holding collection.anki21 beside Anki's placeholder
// collection.anki2 is read from the newer one.
func TestOpenPicksNewestCollection(t *testing.T) {
	src := sharedPackage(t, "update2.apkg")
	zr, err := zip.OpenReader(src)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	members := map[string][]byte{"collection.anki2": []byte("not even SQLite")}
	for _, f := range zr.File {
		b, err := readMember(f)
		if err != nil {
			t.Fatal(err)
		}
		name := f.Name
		if name == "collection.anki2" {
			name = "collection.anki21"
		}
		members[name] = b
	}
	path := filepath.Join(t.TempDir(), "both.apkg")
	writeZip(t, path, members)
	p, err := Open(path, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	items, sum, err := p.Import(ImportOptions{Location: time.UTC})
	if err != nil {
		t.Fatal(err)
	}
	if p.Collection != "collection.anki21" || sum.Notes != 1 || len(items) == 0 || items[0].Card.Front != "goodbye" {
		t.Errorf("read %s: %d notes, %+v", p.Collection, sum.Notes, items)
	}
}

// Learning cards give their due as a time, review cards as days from the
// collection's creation.
func TestImportDue(t *testing.T) {
	crt := time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)
	im := &importer{p: &Package{Col: Col{Crt: crt.Unix()}}, opts: ImportOptions{Location: time.UTC, Rollover: 4}}
	for _, tt := range []struct {
		c    Card
		want time.Time
	}{
		{Card{Type: 2, Queue: 2, Due: 10}, time.Date(2024, 3, 11, 0, 0, 0, 0, time.UTC)},
		{Card{Type: 1, Queue: 1, Due: time.Date(2024, 5, 2, 3, 0, 0, 0, time.UTC).Unix()}, time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)},
		{Card{Type: 2, Queue: 2, Due: 99, ODid: 5, ODue: 12}, time.Date(2024, 3, 13, 0, 0, 0, 0, time.UTC)},
	} {
		if got := im.due(tt.c); !got.Equal(tt.want) {
			t.Errorf("due of %+v = %v, want %v", tt.c, got, tt.want)
		}
	}
}

// A collection of Anki's v1 scheduler logged learning answers from three
// buttons (again, good, easy): ease 2 there is good, not hard. Reviews of
// review cards had four buttons in every version.
func TestImportV1LearningEases(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "v2.apkg")
	w, err := create(path, Options{Now: now, WithProgress: true})
	if err != nil {
		t.Fatal(err)
	}
	it := withStatus(basicItem("aaaaaaaaaaa1", "Q?", "A"), card.StatusReview)
	if err := w.Add(it); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		r := card.Review{CardID: "aaaaaaaaaaa1", Time: now.AddDate(0, 0, i-3), Grade: card.Hard, Before: card.NewState(), After: card.NewState()}
		if err := w.AddReview(r); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.Close(); err != nil {
		t.Fatal(err)
	}
	grades := func(path string) []card.Grade {
		p, err := Open(path, t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		items, _, err := p.Import(ImportOptions{Location: time.UTC})
		if err != nil || len(items) != 1 {
			t.Fatalf("import: %d cards, %v", len(items), err)
		}
		var out []card.Grade
		for _, r := range items[0].Reviews {
			out = append(out, r.Grade)
		}
		return out
	}
	// As written (schedVer 2): hard three times.
	if got := grades(path); !slices.Equal(got, []card.Grade{card.Hard, card.Hard, card.Hard}) {
		t.Fatalf("v2 grades %v, want hard ×3", got)
	}
	// The same log as v1 wrote it: learning, relearning, review.
	v1 := filepath.Join(dir, "v1.apkg")
	rewriteCollection(t, path, v1, `update col set conf = json_remove(conf, '$.schedVer')`,
		`update revlog set type = (select count(*) from revlog r where r.id < revlog.id) * 2 % 3`)
	if got := grades(v1); !slices.Equal(got, []card.Grade{card.Good, card.Good, card.Hard}) {
		t.Errorf("v1 grades %v, want good (learning), good (relearning), hard (review)", got)
	}
}

// rewriteCollection writes to dst the package src with the statements
// run on its collection.anki2, as an Anki that wrote it differently would
// have left it.
func rewriteCollection(t *testing.T, src, dst string, stmts ...string) {
	t.Helper()
	members := unzipMembers(t, src)
	db := filepath.Join(t.TempDir(), "c.db")
	if err := os.WriteFile(db, members["collection.anki2"], 0o644); err != nil {
		t.Fatal(err)
	}
	sqldb, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer sqldb.Close()
	for _, q := range stmts {
		if _, err := sqldb.Exec(q); err != nil {
			t.Fatal(q, err)
		}
	}
	sqldb.Close()
	if members["collection.anki2"], err = os.ReadFile(db); err != nil {
		t.Fatal(err)
	}
	writeZip(t, dst, members)
}

// unzipMembers reads every member of a zip file.
func unzipMembers(t *testing.T, path string) map[string][]byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	out := map[string][]byte{}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out[f.Name] = b
	}
	return out
}
