package anki

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/card"
)

func TestKinds(t *testing.T) {
	t.Parallel()
	basic := basicItem("b1", "What port does etcd serve clients on?", "2379")
	list := withKind(basicItem("l1", "Go cloud for — name the 2 items", "- Elasticity\n- Abstraction"), card.List)
	cloze := withText(withKind(basicItem("c1", "Go cloud for "+card.Gap+" and abstraction", "Elasticity"), card.Cloze),
		"Go cloud for {{c1::Elasticity}} and abstraction")
	clozeFront := withKind(basicItem("c2", "Go cloud for elasticity and "+card.Gap, "Abstraction"), card.Cloze)
	badCloze := withKind(basicItem("c3", "no gap in this front", "x"), card.Cloze)
	lone := withGroup(withKind(basicItem("r1", "2379", "etcd client port?"), card.Reverse), "g-lone")

	p, warns := export(t, Options{}, basic, list, cloze, clozeFront, badCloze, lone)

	tests := []struct {
		id     string
		model  int64
		fields []string
	}{
		{"b1", BasicModelID, []string{"What port does etcd serve clients on?", "2379", "Talks › Containers"}},
		{"l1", BasicModelID, []string{"Go cloud for — name the 2 items",
			"<ul>\n<li>Elasticity</li>\n<li>Abstraction</li>\n</ul>", "Talks › Containers"}},
		{"c1", ClozeModelID, []string{"Go cloud for {{c1::Elasticity}} and abstraction", "", "Talks › Containers"}},
		{"c2", ClozeModelID, []string{"Go cloud for elasticity and {{c1::Abstraction}}", "", "Talks › Containers"}},
		{"c3", BasicModelID, []string{"no gap in this front", "x", "Talks › Containers"}},
		{"r1", BasicModelID, []string{"2379", "etcd client port?", "Talks › Containers"}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			n := noteOf(t, p, tt.id)
			if n.MID != tt.model {
				t.Errorf("note of %s: note type %d, want %d", tt.id, n.MID, tt.model)
			}
			if !slices.Equal(n.Fields, tt.fields) {
				t.Errorf("note of %s: fields %q, want %q", tt.id, n.Fields, tt.fields)
			}
			cs := p.CardsOf(n.ID)
			if len(cs) != 1 || cs[0].Ord != 0 {
				t.Errorf("note of %s: cards %+v, want one of ord 0", tt.id, cs)
			}
			if !slices.Equal(n.Tags, []string{"qcon"}) {
				t.Errorf("note of %s: tags %q, want [qcon]", tt.id, n.Tags)
			}
		})
	}
	if len(warns) != 1 || !strings.Contains(warns[0].Msg, "no deletion") || warns[0].File != "notes.md" || warns[0].Line != 3 {
		t.Errorf("warnings = %v, want one about c3's missing deletion at notes.md:3", warns)
	}
}

func TestReversedPairs(t *testing.T) {
	t.Parallel()
	b := withGroup(basicItem("b", "Question?", "Answer"), "g")
	r := withGroup(withKind(basicItem("r", "Answer", "Question?"), card.Reverse), "g")
	other := basicItem("o", "Other?", "Yes")
	tests := []struct {
		name  string
		items []Item
	}{
		{"basic first", []Item{b, r}},
		{"reverse first", []Item{r, b}},
		{"apart", []Item{b, other, r}},
		{"reverse first apart", []Item{r, other, b}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, _ := export(t, Options{}, tt.items...)
			if _, ok := p.Note(guid("r")); ok {
				t.Errorf("the reverse card has a note of its own")
			}
			n := noteOf(t, p, "b")
			if n.MID != ReversedModelID {
				t.Errorf("note type %d, want %d (reversed)", n.MID, ReversedModelID)
			}
			if n.Fields[0] != "Question?" || n.Fields[1] != "Answer" {
				t.Errorf("fields %q, want the basic card's", n.Fields)
			}
			cs := p.CardsOf(n.ID)
			if len(cs) != 2 || cs[0].Ord != 0 || cs[1].Ord != 1 {
				t.Fatalf("cards %+v, want ords 0 and 1", cs)
			}
			if len(p.Notes) != len(tt.items)-1 {
				t.Errorf("%d notes, want %d", len(p.Notes), len(tt.items)-1)
			}
		})
	}

	t.Run("cards kept apart by group", func(t *testing.T) {
		p, _ := export(t, Options{}, withGroup(b, "g1"), withGroup(r, "g2"))
		if n := noteOf(t, p, "b"); n.MID != BasicModelID {
			t.Errorf("basic of another group: note type %d, want basic", n.MID)
		}
		if n := noteOf(t, p, "r"); n.MID != BasicModelID {
			t.Errorf("lone reverse: note type %d, want basic", n.MID)
		}
	})
}

func TestHostileNotes(t *testing.T) {
	t.Parallel()
	huge := strings.Repeat("long text ", 100_000) // 1 MB
	items := []Item{
		basicItem("s1", "<script>alert('x')</script>", "<img src=x onerror=alert(1)>"),
		basicItem("s2", "[click me](javascript:alert(1))", "a\x1fb\x1fc"),
		basicItem("s3", huge, "ok"),
		basicItem("s4", "tags?", "odd"),
		basicItem("s5", "<b onmouseover=alert(1)>hover</b>", "fine"),
	}
	items[3].Card.Tags = []string{"has space", `quo"te`, "ctl\x01", "::", "a::::b", "ok", "OK"}
	items[4].Card.Context = []string{"Talks", "<script>x</script>"}
	items[4].Card.Section = items[4].Card.Context[1]
	p, _ := export(t, Options{}, items...)
	for _, n := range p.Notes {
		for i, f := range n.Fields {
			low := strings.ToLower(f)
			for _, bad := range []string{"<script", "<img", "javascript:", "<b "} {
				if strings.Contains(low, bad) {
					t.Errorf("note %s field %d = %q holds %q", n.GUID, i, short(f), bad)
				}
			}
		}
		if len(n.Fields) != fieldCount {
			t.Errorf("note %s: %d fields, want %d", n.GUID, len(n.Fields), fieldCount)
		}
	}
	if n := noteOf(t, p, "s1"); n.Fields[0] != "&lt;script&gt;alert('x')&lt;/script&gt;" {
		t.Errorf("script field = %q, want it escaped as text", n.Fields[0])
	}
	if n := noteOf(t, p, "s2"); n.Fields[1] != "abc" {
		t.Errorf("\\x1f field = %q, want \"abc\"", n.Fields[1])
	}
	if n := noteOf(t, p, "s3"); len(n.Fields[0]) != len(huge)-1 { // trailing space trimmed
		t.Errorf("huge field: %d bytes, want %d", len(n.Fields[0]), len(huge)-1)
	}
	if n := noteOf(t, p, "s4"); !slices.Equal(n.Tags, []string{"has_space", "quote", "ctl", "a::b", "ok"}) {
		t.Errorf("tags = %q", n.Tags)
	}
	if name := p.DeckName(p.CardsOf(noteOf(t, p, "s5").ID)[0].DID); name != "Talks::script x /script" {
		t.Errorf("deck = %q, want the heading's text without markup", name)
	}
}

func TestDecks(t *testing.T) {
	t.Parallel()
	a := basicItem("a", "A?", "a")
	b := basicItem("b", "B?", "b")
	b.Card.Deck, b.Card.Context, b.Card.Section = "talks", []string{"talks", "containers"}, "containers" // same deck, other case
	c := basicItem("c", "C?", "c")
	c.Card.Context, c.Card.Section = []string{"Talks"}, ""
	d := basicItem("d", "D?", "d")
	d.Card.Deck, d.Card.Context, d.Card.Section = "Default", []string{"Default"}, ""

	p, _ := export(t, Options{}, a, b, c, d)
	deckOf := func(id string) string { return p.DeckName(p.CardsOf(noteOf(t, p, id).ID)[0].DID) }
	for _, tt := range []struct{ id, want string }{
		{"a", "Talks::Containers"}, {"b", "Talks::Containers"}, {"c", "Talks"}, {"d", "Default"},
	} {
		if got := deckOf(tt.id); got != tt.want {
			t.Errorf("deck of %s = %q, want %q", tt.id, got, tt.want)
		}
	}
	if len(p.Decks) != 3 {
		t.Errorf("decks %v, want Default, Talks and Talks::Containers", p.Decks)
	}

	flat, _ := export(t, Options{FlatDecks: true}, a)
	if name := flat.DeckName(flat.Cards[0].DID); name != "Talks" {
		t.Errorf("flat deck = %q, want Talks", name)
	}
	// Deck ids come from the name: another export agrees.
	again, _ := export(t, Options{}, c, a)
	for id, d := range p.Decks {
		if again.Decks[id].Name != d.Name {
			t.Errorf("deck %d is %q in one export, %q in another", id, d.Name, again.Decks[id].Name)
		}
	}
}

func TestMedia(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("img/arch.png", "PNG-1")
	write("other/arch.png", "PNG-2")
	write("my diagram.svg", "<svg/>")
	write("my chart é.png", "PNG-3")
	write("secret.txt", "password")

	src := func(id, front string) Item {
		it := basicItem(id, front, "back")
		it.Card.Source = card.Source{File: filepath.Join(dir, "notes.md"), Line: 7}
		return it
	}
	items := []Item{
		src("m1", "![arch](img/arch.png)"),
		src("m2", "again ![arch](img/arch.png)"),
		src("m3", "![other](other/arch.png)"),
		src("m4", "![d](my%20diagram.svg)"),
		src("m5", "Gone ![gone](missing.png) here"),
		src("m6", "![remote](https://example.com/x.png)"),
		src("m7", "Leak ![leak](secret.txt) here"),
		src("m8", "![a \"chart\"](<my chart é.png> \"T&C\")"),
	}
	p, warns := export(t, Options{}, items...)

	if got := len(p.Media); got != 4 {
		t.Errorf("media map %v, want 4 files", p.Media)
	}
	// A packed image's src is its media name as it is (HTML-escaped
	// only); one that could not be packed is left out, not left broken.
	want := map[string]string{"m1": `<img src="arch.png" alt="arch">`, "m2": `again <img src="arch.png" alt="arch">`,
		"m3": `<img src="arch-2.png" alt="other">`, "m4": `<img src="my diagram.svg" alt="d">`,
		"m5": "Gone  here", "m6": `<img src="https://example.com/x.png" alt="remote">`, "m7": "Leak  here",
		"m8": `<img src="my chart é.png" alt="a &quot;chart&quot;" title="T&amp;C">`}
	for id, w := range want {
		if f := noteOf(t, p, id).Fields[0]; f != w {
			t.Errorf("note %s: front %q, want %q", id, f, w)
		}
	}
	for name, content := range map[string]string{"arch.png": "PNG-1", "arch-2.png": "PNG-2", "my diagram.svg": "<svg/>",
		"my chart é.png": "PNG-3"} {
		b, err := p.ReadMedia(name)
		if err != nil || string(b) != content {
			t.Errorf("ReadMedia(%q) = %q, %v, want %q", name, b, err, content)
		}
	}
	var msgs []string
	for _, w := range warns {
		if w.File != filepath.Join(dir, "notes.md") || w.Line != 7 {
			t.Errorf("warning %v names the wrong place", w)
		}
		msgs = append(msgs, w.Msg)
	}
	if !slices.Equal(msgs, []string{"image not found: missing.png", "not an image, not packed: secret.txt"}) {
		t.Errorf("warnings = %q", msgs)
	}
}

// TestMediaName checks that media names keep what Anki keeps (letters of
// any script, spaces) and make safe only what it would change on import
// (rslib's normalize_filename), so that a field's src names the file Anki
// stores.
func TestMediaName(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 100) + ".png" // 204 bytes
	tests := []struct{ base, want string }{
		{"my chart é.png", "my chart é.png"},
		{"Cafe\u0301.png", "Café.png"}, // normal form C
		{"图表 #1 (v2) 50%.png", "图表 #1 (v2) 50%.png"},
		{`a[1]<b>:c"d?e*f^g\\h|i.png`, "a1bcdefghi.png"},
		{"tab\there\x7f.png", "tabhere.png"},
		{"no\u00a0break.png", "no break.png"},
		{"con.png", "con_.png"},
		{"LPT1.tar.png", "LPT1_.tar.png"},
		{"console.png", "console.png"},
		{"[].png", "image.png"},
		{"arch.png", "arch-2.png"}, // taken, in any case
		{long, strings.Repeat("é", 57) + ".png"},
	}
	w := &Writer{used: map[string]bool{"arch.png": true}}
	for _, tt := range tests {
		if got := w.mediaName(tt.base); got != tt.want || len(got) > maxMediaName {
			t.Errorf("mediaName(%q) = %q, want %q", tt.base, got, tt.want)
		}
	}
	w.used["ARCH-2.PNG"] = true
	w.used["arch-2.png"] = true
	if got := w.mediaName("Arch.png"); got != "Arch-3.png" {
		t.Errorf("mediaName(Arch.png) with arch and arch-2 taken = %q, want Arch-3.png", got)
	}
}

func TestMediaOpener(t *testing.T) {
	t.Parallel()
	var opened []string
	opts := Options{Open: func(p string) (io.ReadCloser, error) {
		opened = append(opened, p)
		if strings.HasSuffix(p, "locked.png") {
			return nil, os.ErrPermission
		}
		return io.NopCloser(strings.NewReader("data")), nil
	}}
	it := basicItem("x", "![a](a.png) ![b](../b.png) ![c](locked.png)", "y")
	it.Card.Source.File = "notes/talk.md"
	p, warns := export(t, opts, it)
	want := []string{filepath.Join("notes", "a.png"), "b.png", filepath.Join("notes", "locked.png")}
	if !slices.Equal(opened, want) {
		t.Errorf("opened %q, want %q", opened, want)
	}
	if len(p.Media) != 2 || len(warns) != 1 || !strings.Contains(warns[0].Msg, "locked.png") {
		t.Errorf("media %v, warnings %v: want 2 files and a warning about locked.png", p.Media, warns)
	}
}

func TestProgress(t *testing.T) {
	t.Parallel()
	loc := time.FixedZone("PDT", -7*3600)
	exportNow := time.Date(2026, 5, 10, 9, 0, 0, 0, loc)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, loc) }

	review := basicItem("rev", "Reviewed?", "yes")
	review.Status = card.StatusReview
	review.State = card.State{Reps: 3, EF: 2.36, Interval: 17, Due: day(2026, 5, 20), Lapses: 1,
		Last: time.Date(2026, 5, 3, 8, 0, 0, 0, loc)}
	learning := basicItem("lrn", "Failed?", "once")
	learning.Status = card.StatusLearning
	learning.State = card.State{Reps: 0, EF: 1.7, Interval: 1, Due: day(2026, 5, 11),
		Last: time.Date(2026, 5, 10, 8, 0, 0, 0, loc)}
	suspended := basicItem("sus", "Suspended?", "yes")
	suspended.Status = card.StatusSuspended
	suspended.State = card.State{Reps: 1, EF: 2.6, Interval: 1, Due: day(2026, 5, 1), Last: day(2026, 4, 30)}
	buried := basicItem("bur", "Buried?", "yes")
	buried.Status = card.StatusBuried
	buried.State = card.State{Reps: 2, EF: 1.2, Interval: 6, Due: day(2026, 5, 12), Last: day(2026, 5, 6)}
	fresh := basicItem("new", "New?", "yes")
	fresh.State = card.NewState()
	noDue := basicItem("nodue", "No due?", "derived")
	noDue.Status = card.StatusReview
	noDue.State = card.State{Reps: 1, EF: 2.5, Interval: 1, Last: time.Date(2026, 5, 9, 2, 0, 0, 0, loc)}

	path := filepath.Join(t.TempDir(), "p.apkg")
	w, err := create(path, Options{Now: exportNow, Rollover: 4, WithProgress: true, IncludeSuspended: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range []Item{review, learning, suspended, buried, fresh, noDue} {
		if err := w.Add(it); err != nil {
			t.Fatal(err)
		}
	}
	t0 := time.Date(2026, 5, 3, 8, 0, 0, 0, loc)
	reviews := []card.Review{
		{CardID: "rev", Time: t0, Grade: card.Good, Took: 4 * time.Second,
			Before: card.State{Reps: 2, EF: 2.5, Interval: 6, Last: t0.AddDate(0, 0, -6)},
			After:  card.State{Reps: 3, EF: 2.5, Interval: 15, Last: t0}},
		{CardID: "rev", Time: t0, Grade: card.Again, Took: 5 * time.Minute, // same ms: moved
			Before: card.State{Reps: 3, EF: 2.5, Interval: 15, Last: t0},
			After:  card.State{Reps: 0, EF: 1.7, Interval: 1, Lapses: 1, Last: t0}},
		{CardID: "lrn", Time: time.Date(2026, 5, 10, 8, 0, 0, 0, loc), Grade: 0,
			Before: card.NewState(), After: card.State{EF: 1.7, Interval: 1}},
		{CardID: "rev", Time: t0.AddDate(0, 0, 1), Grade: card.Easy, Took: time.Second,
			Before: card.State{Reps: 0, EF: 1.7, Interval: 1, Lapses: 1, Last: t0},
			After:  card.State{Reps: 1, EF: 1.8, Interval: 1, Lapses: 1}},
		{CardID: "bur", Time: exportNow.Add(time.Hour), Grade: card.Hard, // after the export: clamped
			Before: card.State{Reps: 1, EF: 1.3, Interval: 1, Last: t0}, After: card.State{Reps: 2, EF: 1.2, Interval: 6}},
	}
	for _, r := range reviews {
		if err := w.AddReview(r); err != nil {
			t.Fatalf("AddReview(%+v): %v", r, err)
		}
	}
	if err := w.AddReview(card.Review{CardID: "nobody", Time: t0}); !errors.Is(err, card.ErrNotFound) {
		t.Errorf("AddReview of an unknown card = %v, want ErrNotFound", err)
	}
	if _, err := w.Close(); err != nil {
		t.Fatal(err)
	}
	p := readChecked(t, path)

	crt := time.Unix(p.Col.Crt, 0).In(loc)
	if crt.Hour() != 4 || crt.After(day(2026, 1, 1)) {
		t.Errorf("crt = %v, want 04:00 local, long ago", crt)
	}
	dueDate := func(c Card) string {
		y, m, d := crt.Date()
		return time.Date(y, m, d+int(c.Due), 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	}
	tests := []struct {
		id                                  string
		typ, queue, ivl, factor, reps, laps int64
		due                                 string // date, for review cards
	}{
		// reps is the number of reviews logged, whatever SM-2's streak.
		{"rev", 2, 2, 17, 2360, 3, 1, "2026-05-20"},
		{"lrn", 2, 2, 1, 1700, 1, 0, "2026-05-11"},
		{"sus", 2, -1, 1, 2600, 0, 0, "2026-05-01"},
		{"bur", 2, -3, 6, 1300, 1, 0, "2026-05-12"},
		{"new", 0, 0, 0, 0, 0, 0, ""},
		{"nodue", 2, 2, 1, 2500, 0, 0, "2026-05-09"}, // last review 02:00 belongs to the 8th
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			c := p.CardsOf(noteOf(t, p, tt.id).ID)[0]
			got := []int64{c.Type, c.Queue, c.Ivl, c.Factor, c.Reps, c.Lapses}
			want := []int64{tt.typ, tt.queue, tt.ivl, tt.factor, tt.reps, tt.laps}
			if !slices.Equal(got, want) {
				t.Errorf("card %s: type queue ivl factor reps lapses = %v, want %v", tt.id, got, want)
			}
			if tt.due != "" {
				if d := dueDate(c); d != tt.due {
					t.Errorf("card %s: due %d = %s, want %s", tt.id, c.Due, d, tt.due)
				}
			} else if c.Due != 1 {
				t.Errorf("card %s: new position %d, want 1", tt.id, c.Due)
			}
		})
	}

	revCID := p.CardsOf(noteOf(t, p, "rev").ID)[0].ID
	wantLog := []RevlogEntry{
		{ID: t0.UnixMilli(), CID: revCID, Usn: -1, Ease: 3, Ivl: 15, LastIvl: 6, Factor: 2500, Time: 4000, Type: 1},
		{ID: t0.UnixMilli() + 1, CID: revCID, Usn: -1, Ease: 1, Ivl: 1, LastIvl: 15, Factor: 1700, Time: 60000, Type: 1},
		{ID: t0.AddDate(0, 0, 1).UnixMilli(), CID: revCID, Usn: -1, Ease: 4, Ivl: 1, LastIvl: 1, Factor: 1800, Time: 1000, Type: 2},
	}
	var gotLog []RevlogEntry
	for _, e := range p.Revlog {
		if e.CID == revCID {
			gotLog = append(gotLog, e)
		}
	}
	if !slices.Equal(gotLog, wantLog) {
		t.Errorf("revlog of rev = %+v, want %+v", gotLog, wantLog)
	}
	for _, e := range p.Revlog {
		if e.ID > exportNow.UnixMilli() {
			t.Errorf("revlog %d after the export time", e.ID)
		}
		if e.CID == p.CardsOf(noteOf(t, p, "lrn").ID)[0].ID && (e.Type != 0 || e.Ease != 1) {
			t.Errorf("first review of lrn: type %d ease %d, want learn (0) again (1)", e.Type, e.Ease)
		}
	}
	if len(p.Revlog) != 5 {
		t.Errorf("%d revlog rows, want 5", len(p.Revlog))
	}
}

func TestWithoutProgress(t *testing.T) {
	t.Parallel()
	items := []Item{basicItem("a", "A?", "a"), basicItem("b", "B?", "b"), basicItem("c", "C?", "c"),
		withStatus(basicItem("s", "S?", "s"), card.StatusSuspended),
		withStatus(basicItem("o", "O?", "o"), card.StatusOrphan)}
	items[1].State = card.State{Reps: 4, EF: 2.5, Interval: 20, Due: now, Last: now}
	items[1].Status = card.StatusReview

	path := filepath.Join(t.TempDir(), "x.apkg")
	w, err := create(path, Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if err := w.Add(it); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.AddReview(card.Review{CardID: "b", Time: now, Grade: card.Good}); err != nil {
		t.Errorf("AddReview without progress = %v, want nil", err)
	}
	if _, err := w.Close(); err != nil {
		t.Fatal(err)
	}
	p := readChecked(t, path)
	for i, id := range []string{"a", "b", "c"} {
		c := p.CardsOf(noteOf(t, p, id).ID)[0]
		if c.Type != 0 || c.Queue != 0 || c.Due != int64(i+1) || c.Ivl != 0 || c.Reps != 0 {
			t.Errorf("card %s = %+v, want new at position %d", id, c, i+1)
		}
	}
	for _, id := range []string{"s", "o"} {
		if _, ok := p.Note(guid(id)); ok {
			t.Errorf("card %s exported", id)
		}
	}
	if len(p.Revlog) != 0 {
		t.Errorf("revlog %v, want none without progress", p.Revlog)
	}

	incl, _ := export(t, Options{IncludeSuspended: true}, items...)
	if c := incl.CardsOf(noteOf(t, incl, "s").ID)[0]; c.Queue != 0 || c.Type != 0 {
		t.Errorf("included suspended card without progress = %+v, want a plain new card", c)
	}
	if _, ok := incl.Note(guid("o")); ok {
		t.Errorf("orphan exported with IncludeSuspended")
	}
}

// TestReexport: an edited card keeps its guid and ids, and only its note
// gets a newer mod, so Anki updates it in place.
func TestReexport(t *testing.T) {
	t.Parallel()
	items := []Item{basicItem("a", "A?", "a"), basicItem("b", "B?", "b"),
		withGroup(basicItem("p", "P?", "p"), "gp"), withGroup(withKind(basicItem("q", "p", "P?"), card.Reverse), "gp")}
	t1 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range items {
		items[i].Modified = t1
	}
	first, _ := export(t, Options{}, items...)

	edited := slices.Clone(items)
	edited[1].Card.Back = "b, edited"
	edited[1].Modified = t1.Add(48 * time.Hour)
	edited[3].Modified = t1.Add(72 * time.Hour) // the reverse side of p changed
	second, _ := export(t, Options{Now: now.Add(24 * time.Hour)}, edited...)

	for _, id := range []string{"a", "b", "p"} {
		n1, n2 := noteOf(t, first, id), noteOf(t, second, id)
		if n1.ID != n2.ID {
			t.Errorf("note %s: id %d then %d", id, n1.ID, n2.ID)
		}
		newer := id != "a"
		if (n2.Mod > n1.Mod) != newer {
			t.Errorf("note %s: mod %d then %d, want newer %v", id, n1.Mod, n2.Mod, newer)
		}
		c1, c2 := first.CardsOf(n1.ID), second.CardsOf(n2.ID)
		if len(c1) != len(c2) || c1[0].ID != c2[0].ID {
			t.Errorf("note %s: cards %v then %v", id, c1, c2)
		}
	}
	if got := noteOf(t, second, "b").Fields[1]; got != "b, edited" {
		t.Errorf("edited back = %q", got)
	}
}

func TestIDs(t *testing.T) {
	t.Parallel()
	many := make([]Item, 300)
	for i := range many {
		many[i] = basicItem(card.NewID("d", string(rune('a'+i%26))+strings.Repeat("x", i)), "Q?", "A")
	}
	tests := []struct {
		name string
		now  time.Time
	}{
		{"today", now},
		{"inside the id window", time.Date(2019, 3, 1, 0, 0, 0, 0, time.UTC)},
		{"early", time.Date(2001, 6, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Check verifies ids are unique and not after the export time.
			p, _ := export(t, Options{Now: tt.now}, many...)
			for _, n := range p.Notes {
				if n.ID > tt.now.UnixMilli() || n.Mod > tt.now.Unix() {
					t.Fatalf("note %d mod %d after the export time", n.ID, n.Mod)
				}
			}
			if len(p.Notes) != len(many) {
				t.Errorf("%d notes, want %d", len(p.Notes), len(many))
			}
		})
	}
}

// TestIDCollision forces every card onto the same first id.
func TestIDCollision(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "c.apkg")
	w, err := create(path, Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	w.idSpan = 3 // three ids: the fourth card has none left
	for _, id := range []string{"a", "b", "c"} {
		if err := w.Add(basicItem(id, "Q?", "A")); err != nil {
			t.Fatalf("Add(%s): %v", id, err)
		}
	}
	// The card is written in the background: the failure comes with Add
	// or with a later call.
	err = w.Add(basicItem("d", "Q?", "A"))
	if _, cerr := w.Close(); err == nil && cerr == nil {
		t.Errorf("Add and Close with no id left = nil, nil, want an error")
	} else if e := errors.Join(err, cerr); !strings.Contains(e.Error(), "no free note id") {
		t.Errorf("error %v, want it to say there is no free note id", e)
	}
	if err := w.Add(basicItem("e", "Q?", "A")); err == nil {
		t.Errorf("Add after Close = nil, want an error")
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a failed export left %s: %v", path, err)
	}
}

func TestFailuresLeaveNothing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tmp := t.TempDir()
	path := filepath.Join(dir, "deck.apkg")
	if err := os.WriteFile(path, []byte("previous export"), 0o644); err != nil {
		t.Fatal(err)
	}
	assertClean := func(t *testing.T) {
		t.Helper()
		if b, err := os.ReadFile(path); err != nil || string(b) != "previous export" {
			t.Errorf("%s = %q, %v: want the previous file untouched", path, b, err)
		}
		for _, d := range []string{dir, tmp} {
			ents, _ := os.ReadDir(d)
			for _, e := range ents {
				if e.Name() != "deck.apkg" {
					t.Errorf("left behind: %s", filepath.Join(d, e.Name()))
				}
			}
		}
	}
	t.Run("abort", func(t *testing.T) {
		w, err := create(path, Options{Now: now, TempDir: tmp})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.Add(basicItem("a", "A?", "a")); err != nil {
			t.Fatal(err)
		}
		if err := w.Abort(); err != nil {
			t.Fatal(err)
		}
		if err := w.Add(basicItem("b", "B?", "b")); err == nil {
			t.Errorf("Add after Abort = nil, want an error")
		}
		assertClean(t)
	})
	t.Run("bad card", func(t *testing.T) {
		w, err := create(path, Options{Now: now, TempDir: tmp})
		if err != nil {
			t.Fatal(err)
		}
		err = w.Add(basicItem("", "no id", "x"))
		if !errors.Is(err, card.ErrInvalid) || !strings.Contains(err.Error(), "notes.md:3") {
			t.Errorf("Add(card without id) = %v, want ErrInvalid naming notes.md:3", err)
		}
		if _, err := w.Close(); err == nil {
			t.Errorf("Close = nil after a failed Add")
		}
		assertClean(t)
	})
	t.Run("bad options", func(t *testing.T) {
		for _, o := range []Options{{}, {Now: now, Rollover: 24}, {Now: time.Date(1999, 1, 1, 0, 0, 0, 0, time.UTC)}} {
			if _, err := create(path, o); !errors.Is(err, card.ErrInvalid) {
				t.Errorf("NewWriter(%+v) = %v, want ErrInvalid", o, err)
			}
		}
		assertClean(t)
	})
}

func TestDuplicateCard(t *testing.T) {
	t.Parallel()
	p, warns := export(t, Options{}, basicItem("a", "A?", "a"), basicItem("a", "A again?", "a"))
	if len(p.Notes) != 1 || len(warns) != 1 || !strings.Contains(warns[0].Msg, "twice") {
		t.Errorf("notes %d, warnings %v: want 1 note and a warning", len(p.Notes), warns)
	}
}

// TestNumericSortField: sfld is declared integer, so SQLite turns a
// numeric first field into a number, as it does in Anki.
func TestNumericSortField(t *testing.T) {
	t.Parallel()
	p, _ := export(t, Options{}, basicItem("n1", "2379", "etcd"), basicItem("n2", "0042", "x"),
		basicItem("n3", "1e3", "y"), basicItem("n4", "12.50", "z"))
	if n := noteOf(t, p, "n2"); n.Fields[0] != "0042" {
		t.Errorf("field = %q, want 0042 kept", n.Fields[0])
	}
}

func TestEmptyExport(t *testing.T) {
	t.Parallel()
	p, _ := export(t, Options{})
	if len(p.Notes) != 0 || len(p.Decks) != 1 || len(p.Media) != 0 {
		t.Errorf("empty export: %d notes, decks %v, media %v", len(p.Notes), p.Decks, p.Media)
	}
}

// TestRoundTrip exports a generated collection with progress and reads every
// card back: its note (reversed pairs share one), deck, tags, fields and
// schedule.
func TestRoundTrip(t *testing.T) {
	t.Parallel()
	n := 600
	items := make([]Item, n)
	for i := range items {
		items[i] = genItem(i, true)
	}
	p, warns := export(t, Options{WithProgress: true, Rollover: 4}, items...)
	if len(warns) != 0 {
		t.Errorf("warnings %v", warns)
	}
	crt := time.Unix(p.Col.Crt, 0).UTC()
	for i, it := range items {
		c := it.Card
		owner, ord := c.ID, int64(0)
		if c.Kind == card.Reverse {
			owner, ord = items[i-1].Card.ID, 1 // genItem pairs card i with i-1
		}
		note := noteOf(t, p, owner)
		var got *Card
		for _, cc := range p.CardsOf(note.ID) {
			if cc.Ord == ord {
				got = &cc
			}
		}
		if got == nil {
			t.Fatalf("card %d (%s): no card of ord %d in note %s", i, c.Kind, ord, note.GUID)
		}
		if name, want := p.DeckName(got.DID), deckName(c, false); name != want {
			t.Errorf("card %d: deck %q, want %q", i, name, want)
		}
		if !slices.Equal(note.Tags, []string{"qcon", "architecture::events"}) {
			t.Errorf("card %d: tags %q", i, note.Tags)
		}
		wantModel := map[card.Kind]int64{card.Basic: BasicModelID, card.List: BasicModelID,
			card.Cloze: ClozeModelID, card.Reverse: ReversedModelID}[c.Kind]
		if c.Group != "" {
			wantModel = ReversedModelID
		}
		if note.MID != wantModel {
			t.Errorf("card %d (%s): note type %d, want %d", i, c.Kind, note.MID, wantModel)
		}
		if c.Kind == card.Basic && !strings.Contains(stripHTML(note.Fields[0]), "own in an") {
			t.Errorf("card %d: front %q", i, note.Fields[0])
		}
		if note.Mod != it.Modified.Unix() {
			t.Errorf("card %d: note mod %d, want %d", i, note.Mod, it.Modified.Unix())
		}
		s := it.State
		if it.Status != card.StatusReview {
			if got.Type != 0 || got.Queue != 0 {
				t.Errorf("card %d: type %d queue %d, want new", i, got.Type, got.Queue)
			}
			continue
		}
		due := crt.AddDate(0, 0, int(got.Due)).Format(time.DateOnly)
		gotSched := []any{got.Type, got.Queue, got.Ivl, got.Factor, got.Reps, got.Lapses, due}
		// No review is logged: reps, the number of reviews, is 0.
		wantSched := []any{int64(2), int64(2), int64(s.Interval), int64(math.Round(s.EF * 1000)),
			int64(0), int64(s.Lapses), s.Due.Format(time.DateOnly)}
		if !slices.Equal(gotSched, wantSched) {
			t.Errorf("card %d: type queue ivl factor reps lapses due = %v, want %v", i, gotSched, wantSched)
		}
	}
	if want := n - n/10; len(p.Notes) != want {
		t.Errorf("%d notes, want %d (one per card, pairs sharing)", len(p.Notes), want)
	}
}

// addReviews adds a card and reviews of it at the given times (ms) to a
// new Writer with progress, each taking as many ms as its index to tell
// them apart, and returns the package and the inserts the Writer tried.
func addReviews(t *testing.T, times []int64) (*Package, int) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "r.apkg")
	w, err := create(path, Options{Now: now, WithProgress: true})
	if err != nil {
		t.Fatal(err)
	}
	it := basicItem("r", "R?", "r")
	it.Status, it.State = card.StatusReview, card.State{Reps: 1, EF: 2.5, Interval: 1, Due: now, Last: now}
	if err := w.Add(it); err != nil {
		t.Fatal(err)
	}
	for i, ms := range times {
		r := card.Review{CardID: "r", Time: time.UnixMilli(ms), Grade: card.Good, Took: time.Duration(i) * time.Millisecond}
		if err := w.AddReview(r); err != nil {
			t.Fatalf("AddReview at %d: %v", ms, err)
		}
	}
	inserts := w.revInserts
	if _, err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return readChecked(t, path), inserts
}

// TestReviewIDs: reviews whose times collide get the next free ids, in the
// order they come, with one insert each (trying every taken id made 10k
// reviews of one millisecond cost 50M inserts); an older review keeps its
// own time when free, and no id passes the export time.
func TestReviewIDs(t *testing.T) {
	t.Parallel()
	nowMs := now.UnixMilli()
	t0 := nowMs - 3_600_000
	repeat := func(ms int64, n int) []int64 {
		out := make([]int64, n)
		for i := range out {
			out[i] = ms
		}
		return out
	}
	tests := []struct {
		name       string
		times      []int64
		want       func(i int) int64 // the id of the i-th review
		maxInserts int
	}{
		{"10k in one millisecond", repeat(t0, 10_000),
			func(i int) int64 { return t0 + int64(i) }, 10_000},
		{"runs that meet", slices.Concat(repeat(t0, 1000), repeat(t0+500, 1000), []int64{t0 + 5000}),
			func(i int) int64 {
				if i == 2000 {
					return t0 + 5000
				}
				return t0 + int64(i)
			}, 2001},
		{"older ones after", slices.Concat(repeat(t0, 1000), repeat(t0-500, 1000), []int64{t0 - 2000}),
			func(i int) int64 {
				switch {
				case i < 1000:
					return t0 + int64(i)
				case i < 1500: // their own times, free
					return t0 - 500 + int64(i-1000)
				case i < 2000: // after the first run
					return t0 + 1000 + int64(i-1500)
				}
				return t0 - 2000
			}, 2001},
		{"at and before the epoch", []int64{0, 5, -7, 0},
			func(i int) int64 { return []int64{1, 5, 2, 3}[i] }, 6},
		{"at and after the export", slices.Concat(repeat(nowMs-2, 3), repeat(nowMs+60_000, 1000)),
			func(i int) int64 {
				if i < 3 {
					return nowMs - 2 + int64(i)
				}
				return nowMs - int64(i) // below the ids taken up to now
			}, 1006},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p, inserts := addReviews(t, tt.times)
			if inserts > tt.maxInserts {
				t.Errorf("%d reviews tried %d inserts, want at most %d", len(tt.times), inserts, tt.maxInserts)
			}
			if len(p.Revlog) != len(tt.times) {
				t.Fatalf("%d revlog rows, want %d", len(p.Revlog), len(tt.times))
			}
			bad := 0
			for _, e := range p.Revlog {
				i := int(e.Time)
				if want := tt.want(i); e.ID != want && bad < 5 {
					bad++
					t.Errorf("review %d at %d: id %d, want %d", i, tt.times[i], e.ID, want)
				}
			}
		})
	}
}

// TestFSRSData checks that a card FSRS schedules carries its memory state
// in its data column as current Anki keeps it, and other cards nothing.
func TestFSRSData(t *testing.T) {
	t.Parallel()
	last := now.AddDate(0, 0, -3)
	state := card.State{Reps: 2, EF: 2.5, Interval: 6, Due: now.AddDate(0, 0, 3), Last: last,
		FSRS: true, Retention: 0.9, Stability: 12.34567, Difficulty: 5.4321}
	fsrs := withStatus(basicItem("fsrs", "F?", "f"), card.StatusReview)
	fsrs.State = state
	own := withStatus(basicItem("own", "O?", "o"), card.StatusReview)
	own.State = state
	own.State.Weights = &[21]float64{20: 0.21234}
	own.State.Retention = 0.876
	unscheduled := withStatus(basicItem("unsched", "U?", "u"), card.StatusReview)
	unscheduled.State = state
	unscheduled.State.Stability, unscheduled.State.Difficulty = 0, 0
	sm2 := withStatus(basicItem("sm2", "S?", "s"), card.StatusReview)
	sm2.State = state
	sm2.State.FSRS = false

	p, _ := export(t, Options{WithProgress: true}, fsrs, own, unscheduled, sm2)
	for id, want := range map[string]string{
		"fsrs":    `{"s":12.346,"d":5.432,"dr":0.9}`,
		"own":     `{"s":12.346,"d":5.432,"dr":0.88,"decay":0.212}`,
		"unsched": "",
		"sm2":     "",
	} {
		if got := p.CardsOf(noteOf(t, p, id).ID)[0].Data; got != want {
			t.Errorf("card %s: data %q, want %q", id, got, want)
		}
	}
	// Without progress there is no memory state either.
	plain, _ := export(t, Options{}, fsrs)
	if got := plain.Cards[0].Data; got != "" {
		t.Errorf("without progress: data %q, want none", got)
	}
}

// TestOrder exports the same cards in card-id order, in the reverse order
// and shuffled, with reversed pairs among them: the rows are sorted
// before they are written, and the packages hold the same notes and
// cards under the same ids. With ids crowded into a narrow window, the
// cards that collide still all get ids of their own.
func TestOrder(t *testing.T) {
	t.Parallel()
	items := make([]Item, 200)
	for i := range items {
		items[i] = basicItem(card.NewID("d", strconv.Itoa(i)), "Q "+strconv.Itoa(i)+"?", "A")
		if i%10 == 1 {
			items[i] = withGroup(withKind(items[i], card.Reverse), items[i-1].Card.ID)
			items[i-1] = withGroup(items[i-1], items[i-1].Card.ID)
		}
	}
	slices.SortFunc(items, func(a, b Item) int { return strings.Compare(a.Card.ID, b.Card.ID) })
	reversed := slices.Clone(items)
	slices.Reverse(reversed)
	shuffled := slices.Clone(items)
	rand.New(rand.NewPCG(1, 2)).Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })

	// rows lists a package's notes and cards without the new-card
	// positions, which follow the order the cards came in, nor the note
	// ids of pairs, which are those of whichever sibling came first.
	rows := func(p *Package) []string {
		guids := map[int64]string{}
		var out []string
		for _, n := range p.Notes {
			guids[n.ID] = n.GUID
			out = append(out, fmt.Sprintf("note %s %d %q", n.GUID, n.MID, n.Flds))
		}
		for _, c := range p.Cards {
			out = append(out, fmt.Sprintf("card %d %s %d", c.ID, guids[c.NID], c.Ord))
		}
		slices.Sort(out)
		return out
	}
	want, _ := export(t, Options{}, items...)
	if len(want.Notes) != 180 || len(want.Cards) != 200 {
		t.Fatalf("%d notes and %d cards, want 180 and 200", len(want.Notes), len(want.Cards))
	}
	for name, order := range map[string][]Item{"reversed": reversed, "shuffled": shuffled} {
		got, _ := export(t, Options{}, order...)
		w, g := rows(want), rows(got)
		for _, r := range g {
			if _, found := slices.BinarySearch(w, r); !found {
				t.Errorf("%s: %s, not in the package of cards in card-id order", name, r)
			}
		}
		if len(w) != len(g) {
			t.Errorf("%s: %d rows, want %d", name, len(g), len(w))
		}
	}

	for name, order := range map[string][]Item{"card-id": items, "reversed": reversed, "shuffled": shuffled} {
		path := filepath.Join(t.TempDir(), "c.apkg")
		w, err := create(path, Options{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		w.idSpan = 500 // 200 cards, most of them on an id another took
		for _, it := range order {
			if err := w.Add(it); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := w.Close(); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		p, err := Read(path)
		if err != nil {
			t.Fatal(err)
		}
		if errs := p.Check(); len(errs) > 0 {
			t.Errorf("%s: %v", name, errs)
		}
		if len(p.Notes) != 180 || len(p.Cards) != 200 {
			t.Errorf("%s: %d notes and %d cards, want 180 and 200", name, len(p.Notes), len(p.Cards))
		}
	}
}

// TestPairsInAnyOrder exports cards whose groups pair them, and basic
// cards that cannot pair (a blank back, a sibling of the same kind), in
// card-id order, in reverse, and with most cards on an id another took:
// the same ten "Basic (and reversed)" notes come out, each with its basic
// card as ord 0 and its reverse as ord 1, and the packages are the same
// but for their ids, which follow the card that came first.
func TestPairsInAnyOrder(t *testing.T) {
	t.Parallel()
	var items []Item
	for i := range 60 {
		it := basicItem(card.NewID("d", strconv.Itoa(i)), "Q "+strconv.Itoa(i)+"?", "A "+strconv.Itoa(i))
		switch i % 6 {
		case 1, 3, 5:
			// A sibling of the card before: its reverse, a basic card
			// of the same group, or the reverse of a card with no back.
			it = withGroup(it, items[i-1].Card.ID)
			if i%6 != 3 {
				it = withKind(it, card.Reverse)
			}
		case 4:
			it.Card.Back = " "
			fallthrough
		default:
			it = withGroup(it, it.Card.ID)
		}
		items = append(items, it)
	}
	slices.SortFunc(items, func(a, b Item) int { return strings.Compare(a.Card.ID, b.Card.ID) })
	reversed := slices.Clone(items)
	slices.Reverse(reversed)
	got := map[string][]string{}
	for name, order := range map[string][]Item{"card-id": items, "reversed": reversed, "crowded": items} {
		path := filepath.Join(t.TempDir(), "c.apkg")
		w, err := create(path, Options{Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if name == "crowded" {
			w.idSpan = 97 // most cards on an id another took
		}
		for _, it := range order {
			if err := w.Add(it); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := w.Close(); err != nil {
			t.Fatal(err)
		}
		p := readChecked(t, path)
		var pairs int
		guids := map[int64]string{}
		for _, n := range p.Notes {
			guids[n.ID] = n.GUID
			got[name] = append(got[name], fmt.Sprintf("note %s %d %q", n.GUID, n.MID, n.Flds))
			if n.MID != ReversedModelID {
				continue
			}
			pairs++
			var ords []string
			for _, c := range p.Cards {
				if c.NID == n.ID {
					ords = append(ords, fmt.Sprint(c.Ord))
				}
			}
			if q, _, _ := strings.Cut(n.Flds, "\x1f"); !strings.HasPrefix(q, "Q ") || strings.Join(ords, ",") != "0,1" && strings.Join(ords, ",") != "1,0" {
				t.Errorf("%s: reversed note %q has cards of ords %v", name, n.Flds, ords)
			}
		}
		for _, c := range p.Cards {
			got[name] = append(got[name], fmt.Sprintf("card of %s %d", guids[c.NID], c.Ord))
		}
		slices.Sort(got[name])
		if len(p.Notes) != 50 || len(p.Cards) != 60 || pairs != 10 {
			t.Errorf("%s: %d notes, %d cards, %d pairs; want 50, 60, 10", name, len(p.Notes), len(p.Cards), pairs)
		}
	}
	if !slices.Equal(got["card-id"], got["reversed"]) || !slices.Equal(got["card-id"], got["crowded"]) {
		t.Errorf("in reverse order\n%q\nwant\n%q", got["reversed"], got["card-id"])
	}
}

// TestIDSet holds exactly the ids added, across the growths of its table.
func TestIDSet(t *testing.T) {
	t.Parallel()
	var s idSet
	want := map[int64]bool{}
	r := rand.New(rand.NewPCG(3, 4))
	for range 5000 {
		id := r.Int64N(20000) - 1000 // zero and below among them
		s.add(id)
		want[id] = true
	}
	for id := int64(-1001); id <= 20001; id++ {
		if s.has(id) != want[id] {
			t.Fatalf("has(%d) = %v, want %v", id, s.has(id), want[id])
		}
	}
	if s.n != len(want) {
		t.Errorf("%d ids counted, want %d", s.n, len(want))
	}
}

// TestRefSet keeps what was set of each key, across many merges of its
// tail and changes of entries already merged.
func TestRefSet(t *testing.T) {
	t.Parallel()
	var s refSet
	want := map[uint64]ref{}
	r := rand.New(rand.NewPCG(7, 8))
	for i := range 20 * tailSize {
		k := r.Uint64N(30000)
		v := ref{cid: int64(i), mod: uint32(r.Uint32()), waits: r.IntN(2) == 0}
		s.set(k, v)
		want[k] = v
	}
	for k := uint64(0); k < 30000; k++ {
		got, ok := s.get(k)
		w, wok := want[k]
		if ok != wok || got != w {
			t.Fatalf("get(%d) = %+v, %v; want %+v, %v", k, got, ok, w, wok)
		}
	}
	if !slices.IsSortedFunc(s.sorted, func(a, b refEntry) int { return cmp.Compare(a.key, b.key) }) {
		t.Error("the run is not sorted")
	}
}
