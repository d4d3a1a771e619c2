package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
	_ "modernc.org/sqlite"

	"github.com/recall-cli/recall/internal/anki"
	"github.com/recall-cli/recall/internal/cli"
)

func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"recall": func() { os.Exit(cli.Main()) },
	})
}

// TestScript runs every testdata/script/*.txtar against the real binary,
// each in a fresh $WORK with its own collection and a fixed clock.
func TestScript(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir: "testdata/script",
		Setup: func(e *testscript.Env) error {
			e.Setenv("RECALL_DB", e.WorkDir+"/collection.db")
			e.Setenv("RECALL_NOW", "2026-11-26T08:00:00Z")
			e.Setenv("XDG_DATA_HOME", e.WorkDir+"/.data")
			e.Setenv("NO_COLOR", "1")
			e.Setenv("TZ", "UTC")
			// The notes the project is measured on, when they are here
			// (a fresh clone has none): scripts that read them start
			// with [!shared] skip.
			if abs, err := filepath.Abs(sharedDir); err == nil {
				e.Setenv("SHARED", abs)
			}
			return nil
		},
		Condition: func(cond string) (bool, error) {
			if cond != "shared" {
				return false, fmt.Errorf("unknown condition %q", cond)
			}
			_, err := os.Stat(filepath.Join(sharedDir, "notes", "qcon-sf-2018.txt"))
			return err == nil, nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"genfile":     genfile,
			"samecards":   samecards,
			"idof":        idof,
			"cardis":      cardis,
			"olddb":       olddb,
			"apkg":        apkg,
			"apkgstamp":   apkgstamp,
			"cmpexcept":   cmpexcept,
			"samecontent": samecontent,
		},
		RequireExplicitExec: true,
	})
}

// sharedDir is ../shared, seen from this package.
const sharedDir = "../../../shared"

// genfile writes inputs too big or too odd to keep in a txtar:
//
//	genfile NAME longline BYTES   one line of BYTES letters
//	genfile NAME nest DEPTH       a list nested DEPTH levels deep
//	genfile NAME quotes DEPTH     DEPTH nested block quotes on one line
//	genfile NAME binary           bytes with NULs, like an image
func genfile(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: genfile NAME longline|nest|quotes|binary [N]")
	}
	n := 0
	if len(args) > 2 {
		var err error
		if n, err = strconv.Atoi(args[2]); err != nil {
			ts.Fatalf("genfile: %v", err)
		}
	}
	var b bytes.Buffer
	switch args[1] {
	case "longline":
		b.WriteString("Label:\n\n- ")
		b.Write(bytes.Repeat([]byte("a"), n))
		b.WriteByte('\n')
	case "nest":
		// Each level: a leaf, then an item holding the next level.
		b.WriteString("Deep:\n\n")
		for i := 0; i < n; i++ {
			for _, what := range []string{"- leaf ", "- item "} {
				b.WriteString(strings.Repeat("  ", i))
				b.WriteString(what)
				b.WriteString(strconv.Itoa(i))
				b.WriteByte('\n')
			}
		}
	case "quotes":
		b.WriteString(strings.Repeat(">", n))
		b.WriteString(" - a\n")
	case "binary":
		b.Write([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10"))
	default:
		ts.Fatalf("genfile: unknown kind %q", args[1])
	}
	if err := os.WriteFile(ts.MkAbs(args[0]), b.Bytes(), 0o644); err != nil {
		ts.Fatalf("genfile: %v", err)
	}
}

// samecards compares two `generate --format json` outputs card by card,
// ignoring their order and where they came from (file and line):
//
//	samecards a.json b.json
func samecards(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: samecards A.json B.json")
	}
	type object struct {
		ID      string   `json:"id"`
		Deck    string   `json:"deck"`
		Kind    string   `json:"kind"`
		Front   string   `json:"front"`
		Back    string   `json:"back"`
		Context []string `json:"context"`
		Tags    []string `json:"tags"`
	}
	read := func(name string) []object {
		var cards []object
		if err := json.Unmarshal([]byte(ts.ReadFile(name)), &cards); err != nil {
			ts.Fatalf("%s: %v", name, err)
		}
		return cards
	}
	a, b := read(args[0]), read(args[1])
	// The same cards, in whatever order the file gives them.
	for _, cards := range [][]object{a, b} {
		sort.Slice(cards, func(i, j int) bool { return cards[i].ID < cards[j].ID })
	}
	diff := ""
	if len(a) != len(b) {
		diff = fmt.Sprintf("%d cards against %d", len(a), len(b))
	} else {
		for i := range a {
			if !reflect.DeepEqual(a[i], b[i]) {
				diff = fmt.Sprintf("card %d differs:\n  %+v\n  %+v", i, a[i], b[i])
				break
			}
		}
	}
	switch {
	case diff != "" && !neg:
		ts.Fatalf("%s and %s: %s", args[0], args[1], diff)
	case diff == "" && neg:
		ts.Fatalf("%s and %s hold the same cards", args[0], args[1])
	}
}

// idof finds, in the JSON array the last command printed, the one card
// whose front matches a regular expression and puts its id in a variable:
//
//	exec recall cards --json
//	idof 'etcd' ETCD
//	exec recall answer $ETCD good
func idof(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: idof FRONT-REGEXP VAR")
	}
	re, err := regexp.Compile(args[0])
	if err != nil {
		ts.Fatalf("idof: %v", err)
	}
	var cards []struct {
		ID    string `json:"id"`
		Front string `json:"front"`
	}
	if err := json.Unmarshal([]byte(ts.ReadFile("stdout")), &cards); err != nil {
		ts.Fatalf("idof: stdout is not a JSON array of cards: %v", err)
	}
	var ids []string
	for _, c := range cards {
		if re.MatchString(c.Front) {
			ids = append(ids, c.ID)
		}
	}
	if len(ids) != 1 {
		ts.Fatalf("idof: %d cards have a front matching %q, want 1", len(ids), args[0])
	}
	ts.Setenv(args[1], ids[0])
}

// cardis checks fields of the one card, in the JSON array the last
// command printed, whose front matches a regular expression. A path walks
// into objects with dots (a missing field fails); the value is compared
// with the field printed as JSON, strings unquoted. Negated, it passes
// when any one field differs:
//
//	exec recall cards --json
//	cardis 'etcd' status=review schedule.interval=6 schedule.due=2026-12-03
func cardis(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) < 2 {
		ts.Fatalf("usage: cardis FRONT-REGEXP PATH=VALUE...")
	}
	re, err := regexp.Compile(args[0])
	if err != nil {
		ts.Fatalf("cardis: %v", err)
	}
	var cards []map[string]any
	if err := json.Unmarshal([]byte(ts.ReadFile("stdout")), &cards); err != nil {
		ts.Fatalf("cardis: stdout is not a JSON array of cards: %v", err)
	}
	var found []map[string]any
	for _, c := range cards {
		if f, _ := c["front"].(string); re.MatchString(f) {
			found = append(found, c)
		}
	}
	if len(found) != 1 {
		ts.Fatalf("cardis: %d cards have a front matching %q, want 1", len(found), args[0])
	}
	var bad []string
	for _, kv := range args[1:] {
		path, want, ok := strings.Cut(kv, "=")
		if !ok {
			ts.Fatalf("cardis: %q is not PATH=VALUE", kv)
		}
		var v any = found[0]
		for _, k := range strings.Split(path, ".") {
			m, _ := v.(map[string]any)
			var ok bool
			if v, ok = m[k]; !ok {
				ts.Fatalf("cardis: card %q has no field %s", args[0], path)
			}
		}
		got, _ := json.Marshal(v)
		if s, ok := v.(string); ok {
			got = []byte(s)
		}
		if string(got) != want {
			bad = append(bad, fmt.Sprintf("%s = %s, want %s", path, got, want))
		}
	}
	switch {
	case len(bad) > 0 && !neg:
		ts.Fatalf("card %q: %s", args[0], strings.Join(bad, "; "))
	case len(bad) == 0 && neg:
		ts.Fatalf("card %q: every field is as given", args[0])
	}
}

// olddb makes a collection as an older (or newer) recall left it:
//
//	olddb PATH 1     schema version 1 with one reviewed card, "Old deck"
//	olddb PATH 99    an empty file claiming schema version 99
//
// Version 1 is built from the first migration as it shipped, so the
// upgrade path is tested against the real old schema.
func olddb(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: olddb PATH VERSION")
	}
	db, err := sql.Open("sqlite", ts.MkAbs(args[0]))
	if err != nil {
		ts.Fatalf("olddb: %v", err)
	}
	defer db.Close()
	exec := func(q string, args ...any) {
		if _, err := db.Exec(q, args...); err != nil {
			ts.Fatalf("olddb: %v", err)
		}
	}
	if args[1] != "1" {
		exec("PRAGMA user_version = " + args[1])
		return
	}
	schema, err := os.ReadFile("../../internal/store/migrations/0001_init.sql")
	if err != nil {
		ts.Fatalf("olddb: %v", err)
	}
	exec(string(schema))
	exec(`INSERT INTO decks (name, new_limit, created) VALUES ('Old deck', 5, 0)`)
	exec(`INSERT INTO cards (id, deck, kind, key, anchor, grp, front, back, text, context, tags, source, file, line, fp,
		reps, ef, interval, due, lapses, last_review, created, modified)
		VALUES ('0123456789ab', 'Old deck', 'basic', 'old question', 'old.md#@q1', 'g1', 'Old question?', 'Old answer', '',
		'["Old deck", "Old **heading**"]', '["old"]', '', 'old.md', 3, 0, 2, 2.6, 6, 20790, 0, 0, 0, 0)`)
	exec("PRAGMA user_version = 1")
}

// apkg reads an Anki package, fails unless it passes every check of
// anki.Package.Check (what Anki's importer accepts), and prints what it holds for stdout to match: counts,
// then a line per note and per card.
//
//	apkg recall.apkg
//	stdout '^notes 12$'
func apkg(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: apkg FILE.apkg")
	}
	p, err := anki.Read(ts.MkAbs(args[0]))
	if err != nil {
		ts.Fatalf("apkg: %v", err)
	}
	if problems := p.Check(); len(problems) > 0 {
		for _, e := range problems {
			ts.Logf("apkg: %v", e)
		}
		ts.Fatalf("apkg: %s breaks %d rules of what Anki imports", args[0], len(problems))
	}
	w := ts.Stdout()
	var decks []string
	for _, d := range p.Decks {
		decks = append(decks, d.Name)
	}
	sort.Strings(decks)
	fmt.Fprintf(w, "notes %d\ncards %d\nrevlog %d\nmedia %d\n", len(p.Notes), len(p.Cards), len(p.Revlog), len(p.Media))
	fmt.Fprintf(w, "decks %s\n", strings.Join(decks, ", "))
	types := map[int64]string{}
	for _, nt := range p.NoteTypes {
		types[nt.ID] = nt.Name
	}
	// Notes and cards are listed sorted, so that two packages of the same
	// cards under other ids (a collection and its import) compare.
	guid := map[int64]string{}
	var lines []string
	for _, n := range p.Notes {
		guid[n.ID] = n.GUID
		flds := strings.ReplaceAll(strings.Join(n.Fields, " | "), "\n", " ")
		lines = append(lines, fmt.Sprintf("note %s %q tags=%q flds=%s\n", n.GUID, types[n.MID], n.RawTags, flds))
	}
	sort.Strings(lines)
	var cards []string
	for _, c := range p.Cards {
		cards = append(cards, fmt.Sprintf("card %s ord=%d deck=%q type=%d queue=%d ivl=%d factor=%d due=%d reps=%d lapses=%d\n",
			guid[c.NID], c.Ord, p.DeckName(c.DID), c.Type, c.Queue, c.Ivl, c.Factor, c.Due, c.Reps, c.Lapses))
	}
	sort.Strings(cards)
	for _, l := range append(lines, cards...) {
		fmt.Fprint(w, l)
	}
}

// samecontent compares two `recall cards --json` outputs as two
// collections hold the same cards under other ids (an import): deck,
// kind, front, back, breadcrumb, tags, status and schedule.
func samecontent(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: samecontent A.json B.json")
	}
	read := func(name string) []string {
		var cards []map[string]any
		if err := json.Unmarshal([]byte(ts.ReadFile(name)), &cards); err != nil {
			ts.Fatalf("%s: %v", name, err)
		}
		var out []string
		for _, c := range cards {
			b, _ := json.Marshal([]any{c["deck"], c["kind"], c["front"], c["back"], c["context"], c["tags"], c["status"], c["schedule"]})
			out = append(out, string(b))
		}
		sort.Strings(out)
		return out
	}
	a, b := strings.Join(read(args[0]), "\n"), strings.Join(read(args[1]), "\n")
	if a != b {
		ts.Fatalf("cards differ:\n%s\nwant:\n%s", b, a)
	}
}

// apkgstamp lists what apkg leaves out of an .apkg, note by note in guid
// order: the mod of each note and of its cards, and each card's data
// (FSRS's memory state), to compare exports:
//
//	apkgstamp FILE.apkg
func apkgstamp(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: apkgstamp FILE.apkg")
	}
	p, err := anki.Read(ts.MkAbs(args[0]))
	if err != nil {
		ts.Fatalf("apkgstamp: %v", err)
	}
	notes := slices.Clone(p.Notes)
	slices.SortFunc(notes, func(a, b anki.Note) int { return strings.Compare(a.GUID, b.GUID) })
	w := ts.Stdout()
	for _, n := range notes {
		fmt.Fprintf(w, "note %s mod=%d\n", n.GUID, n.Mod)
		for _, c := range p.CardsOf(n.ID) {
			fmt.Fprintf(w, "card %s ord=%d mod=%d data=%s\n", n.GUID, c.Ord, c.Mod, c.Data)
		}
	}
}

// cmpexcept compares stdout with a file, leaving out the lines of both
// that match a regular expression: figures that depend on the machine's
// speed (time spent) must not make a script flaky.
func cmpexcept(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 2 {
		ts.Fatalf("usage: cmpexcept FILE REGEXP")
	}
	re, err := regexp.Compile(args[1])
	if err != nil {
		ts.Fatalf("cmpexcept: %v", err)
	}
	keep := func(text string) string {
		var out []string
		for _, line := range strings.Split(text, "\n") {
			if !re.MatchString(line) {
				out = append(out, line)
			}
		}
		return strings.Join(out, "\n")
	}
	got, want := keep(ts.ReadFile("stdout")), keep(ts.ReadFile(args[0]))
	if got != want {
		ts.Fatalf("stdout differs from %s (lines matching %s left out):\n%s\nwant:\n%s", args[0], args[1], got, want)
	}
}
