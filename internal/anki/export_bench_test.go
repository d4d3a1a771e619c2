package anki_test

import (
	"archive/zip"
	"context"
	"database/sql"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "modernc.org/sqlite"

	"github.com/recall-cli/recall/internal/anki"
	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/cli"
	"github.com/recall-cli/recall/internal/notes"
	"github.com/recall-cli/recall/internal/store"
)

// benchChild, set in the environment, makes the test binary run recall's
// command line on its arguments and exit: BenchmarkExport runs each
// export in a process of its own, to measure its peak resident memory.
// The child writes that peak (VmHWM, in KiB) into the file benchRSS names.
// The parent cannot take it from the child's rusage: Go starts a child
// with vfork, and Linux carries the parent's peak, at the exec, into the
// child's ru_maxrss.
// benchCPU, set in the benchmark's environment, names a file the child
// writes a CPU profile of the export into (the last one run), since
// go test's -cpuprofile sees only the parent.
const (
	benchChild = "RECALL_ANKI_BENCH_CHILD"
	benchRSS   = "RECALL_ANKI_BENCH_RSS"
	benchCPU   = "RECALL_ANKI_BENCH_CPUPROFILE"
)

func TestMain(m *testing.M) {
	if os.Getenv(benchChild) == "1" {
		stop := startProfile(os.Getenv(benchCPU))
		code := cli.Main()
		stop()
		if f := os.Getenv(benchRSS); f != "" {
			_ = os.WriteFile(f, []byte(strconv.FormatInt(peakRSS(), 10)), 0o644)
		}
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// startProfile starts a CPU profile into file, if one is named, and
// returns what stops it.
func startProfile(file string) func() {
	if file == "" {
		return func() {}
	}
	f, err := os.Create(file)
	if err != nil {
		return func() {}
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// peakRSS is this process's peak resident size in KiB, from Linux's
// /proc/self/status; 0 if unknown.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for line := range strings.Lines(string(b)) {
		if f := strings.Fields(line); len(f) >= 2 && f[0] == "VmHWM:" {
			kb, _ := strconv.ParseInt(f[1], 10, 64)
			return kb
		}
	}
	return 0
}

// Limits of BenchmarkExport: the export's time over a bare SQLite write
// of the same rows, and its peak resident memory (half of genanki's 93 MB
// for 100k notes, less a margin).
const (
	limitRatio = 1.2
	limitRSSMB = 45
)

const benchDeck = "Perf deck"

// BenchmarkExport exports 100k basic notes with recall's own binary (the
// test binary re-run as recall, see TestMain), from a collection, from one
// notes file and from a folder of a hundred, with the cards reaching the
// writer in card-id order or in random order. Anki's note and card ids
// are derived from recall's card ids in their order (see Writer), and the
// writer sorts its rows by them, whichever order they come in:
//
//   - from a collection in card-id order: recall's cards;
//   - from a collection in random order: cards whose ids are not recall's
//     hex ones (hashed into Anki's id window);
//   - from notes in random order: notes as written, whose cards' ids are
//     hashes of their decks, headings and text;
//   - from notes in card-id order: the same lines sorted by card id.
//
// The notes file is one list of 100k questions under one heading, as the
// issue that set the limits measured it; the folder, the same split in a
// hundred files.
//
// Each export is timed (export-s, the whole process; ns/op counts the
// bare write too) beside a bare SQLite write of the same rows, read back
// from the package: every note and card inserted in id order in one
// transaction with prepared statements, journal and syncing off, into the
// same tables and indexes (the package's own create statements; creating
// the indexes after the rows instead takes as long). The ratio of the two
// is reported beside its limit, and so is the peak resident size of the
// export's process.
//
// The bare write is the measure as it words it, a SQLite file and
// nothing else: the export's side holds all the rest, so the ratio is the
// stricter for it. That rest is the process's start, opening the
// collection and checking it (SQLite's quick check, beside the reading),
// counting its cards, reading them or parsing the notes, converting their
// markdown, sorting the rows, and zipping the collection into the package
// (parallel deflate at its fastest level, some 0.1 s of CPU for 100k
// cards). An export cannot do without any of them, while the bare write
// starts from rows in memory.
func BenchmarkExport(b *testing.B) {
	n := 100_000
	if testing.Short() {
		n = 10_000
	}
	dir := b.TempDir()
	for _, src := range []string{"collection", "notes-file", "notes-folder"} {
		for _, order := range []string{"card-id", "random"} {
			b.Run("from="+src+"/order="+order, func(b *testing.B) {
				args, env := exportSetup(b, dir, src, order, n)
				out := filepath.Join(dir, "out.apkg")
				args = append(args, "-o", out, "--force")
				var exp, bare time.Duration
				var rss int64
				var rows *benchRows
				for i := 0; b.Loop(); i++ {
					t0 := time.Now()
					kb, _ := runChild(b, env, args)
					rss = max(rss, kb)
					exp += time.Since(t0)
					if rows == nil {
						rows = readRows(b, out, dir)
						if len(rows.notes) != n {
							b.Fatalf("exported %d notes, want %d", len(rows.notes), n)
						}
					}
					bare += bareWrite(b, filepath.Join(dir, "bare.db"), rows)
				}
				b.ReportMetric(exp.Seconds()/float64(b.N), "export-s")
				b.ReportMetric(bare.Seconds()/float64(b.N), "bare-sqlite-s")
				b.ReportMetric(exp.Seconds()/bare.Seconds(), "ratio")
				b.ReportMetric(limitRatio, "limit-ratio")
				b.ReportMetric(float64(rss)/1024, "peak-RSS-MB")
				b.ReportMetric(limitRSSMB, "limit-RSS-MB")
			})
		}
	}
}

// exportSetup makes what an export of src in order reads, once per
// directory, and returns the arguments and environment of the export.
func exportSetup(b *testing.B, dir, src, order string, n int) ([]string, []string) {
	b.Helper()
	db := filepath.Join(dir, "c-"+order+".db")
	env := append(os.Environ(), benchChild+"=1", "RECALL_DB="+db, "NO_COLOR=1")
	if src == "collection" {
		if _, err := os.Stat(db); err != nil {
			fillStore(b, db, order, n)
		}
		return []string{"export", "--anki"}, env
	}
	path := filepath.Join(dir, src+"-"+order)
	files := notesFiles
	if src == "notes-file" {
		path, files = path+".md", 1
	}
	if _, err := os.Stat(path); err != nil {
		writeNotes(b, path, order, n, files)
	}
	return []string{"export", "--anki", path}, env
}

// question and answer are the sides of the i-th card.
func question(i int) string {
	return "What does service " + strconv.Itoa(i) + " own in an event-driven architecture?"
}

func answer(i int) string {
	return "Its own data, published as events for the others " + strconv.Itoa(i)
}

// fillStore makes a collection of n new basic cards, a hundred to a
// section. In
// card-id order they have recall's ids; in random order ids that are not
// hex.
func fillStore(b *testing.B, path, order string, n int) {
	b.Helper()
	st, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	notesPath := filepath.Join(filepath.Dir(path), "perf.md")
	cards := make([]card.Card, n)
	for i := range cards {
		key := "key " + strconv.Itoa(i)
		id := card.NewID(benchDeck, key)
		if order == "random" {
			id = "imported-" + strconv.Itoa(i)
		}
		section := "Section " + strconv.Itoa(i/100)
		cards[i] = card.Card{
			ID: id, Key: key, Deck: benchDeck, Kind: card.Basic,
			Front: question(i), Back: answer(i),
			Context: []string{benchDeck, section},
			Source:  card.Source{File: notesPath, Line: i + 3},
		}
	}
	src := store.SourceFile{Path: notesPath, Hash: "perf", ModTime: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	if _, err := st.Sync(context.Background(), src, card.Limits{}, cards); err != nil {
		b.Fatal(err)
	}
	// As recall leaves a collection it wrote: subdecks named, which the
	// first export would do otherwise.
	st.Subdeck = anki.Subdeck
	if err := st.NameSubdecks(context.Background()); err != nil {
		b.Fatal(err)
	}
}

// notesFiles is how many files BenchmarkExport's notes are split into.
const notesFiles = 100

// writeNotes writes n basic cards into one file at path, or a folder of
// files, each one section of the deck, named in order. A card's id depends
// on its deck, headings and text, not on its file: in card-id order the
// lines are sorted by the id of their card before they are split into
// files, so that the export, which reads the files in name order, meets
// the cards in id order.
func writeNotes(b *testing.B, path, order string, n, files int) {
	b.Helper()
	lines := make([]string, n)
	for i := range lines {
		lines[i] = "- " + question(i) + " :: " + answer(i) + "\n"
	}
	head := "---\ndeck: " + benchDeck + "\n---\n# " + benchDeck + "\n\n## Services\n\n"
	if order == "card-id" {
		ids := cardIDs(b, "all.md", []byte(head+strings.Join(lines, "")))
		byID := make([]int, n)
		for i := range byID {
			byID[i] = i
		}
		slices.SortFunc(byID, func(x, y int) int { return strings.Compare(ids[x], ids[y]) })
		sorted := make([]string, n)
		for i, k := range byID {
			sorted[i] = lines[k]
		}
		lines = sorted
	}
	if files == 1 {
		src := []byte(head + strings.Join(lines, ""))
		if err := os.WriteFile(path, src, 0o644); err != nil {
			b.Fatal(err)
		}
		if all := cardIDs(b, path, src); order == "card-id" && !slices.IsSorted(all) || len(all) != n {
			b.Fatalf("the notes give %d cards, sorted %t", len(all), slices.IsSorted(all))
		}
		return
	}
	dir := path
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.Fatal(err)
	}
	var all []string
	per := (n + files - 1) / files
	for f := 0; f*per < n; f++ {
		path := filepath.Join(dir, fmt.Sprintf("part%03d.md", f))
		src := []byte(head + strings.Join(lines[f*per:min(n, (f+1)*per)], ""))
		if err := os.WriteFile(path, src, 0o644); err != nil {
			b.Fatal(err)
		}
		all = append(all, cardIDs(b, path, src)...)
	}
	if order == "card-id" && !slices.IsSorted(all) || len(all) != n {
		b.Fatalf("the notes give %d cards, sorted %t", len(all), slices.IsSorted(all))
	}
}

// cardIDs parses notes and returns the ids of their cards, in order.
func cardIDs(b *testing.B, path string, src []byte) []string {
	b.Helper()
	f, err := notes.Parse(path, src, notes.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ids := make([]string, len(f.Cards))
	for i, c := range f.Cards {
		ids[i] = c.ID
	}
	return ids
}

// runChild runs recall with args in a process of its own and returns its
// peak resident size in KiB and what it printed.
func runChild(b *testing.B, env, args []string) (int64, string) {
	b.Helper()
	rssFile := filepath.Join(b.TempDir(), "rss")
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(env, benchRSS+"="+rssFile)
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("recall %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	data, err := os.ReadFile(rssFile)
	if err != nil {
		b.Fatal(err)
	}
	kb, err := strconv.ParseInt(string(data), 10, 64)
	if err != nil {
		b.Fatal(err)
	}
	return kb, string(out)
}

// benchRows are the notes and cards of a package, each row its columns.
type benchRows struct {
	schema       []string // the create statements of its tables and indexes
	notes, cards [][]any
}

// readRows reads the notes and cards of the package at path, in id order.
func readRows(b *testing.B, path, dir string) *benchRows {
	b.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		b.Fatal(err)
	}
	defer zr.Close()
	col := filepath.Join(dir, "read.anki2")
	for _, f := range zr.File {
		if f.Name != "collection.anki2" {
			continue
		}
		r, err := f.Open()
		if err != nil {
			b.Fatal(err)
		}
		data, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(col, data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	defer os.Remove(col)
	db, err := sql.Open("sqlite", col)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	rows := &benchRows{}
	for _, r := range readTable(b, db, "select sql from sqlite_master where sql is not null order by type desc, name") {
		rows.schema = append(rows.schema, r[0].(string))
	}
	rows.notes = readTable(b, db, "select * from notes order by id")
	rows.cards = readTable(b, db, "select * from cards order by id")
	return rows
}

func readTable(b *testing.B, db *sql.DB, query string) [][]any {
	b.Helper()
	rs, err := db.Query(query)
	if err != nil {
		b.Fatal(err)
	}
	defer rs.Close()
	cols, err := rs.Columns()
	if err != nil {
		b.Fatal(err)
	}
	var out [][]any
	for rs.Next() {
		row := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range row {
			ptrs[i] = &row[i]
		}
		if err := rs.Scan(ptrs...); err != nil {
			b.Fatal(err)
		}
		out = append(out, row)
	}
	if err := rs.Err(); err != nil {
		b.Fatal(err)
	}
	return out
}

// bareWrite writes rows into a new SQLite file the fastest way a one-shot
// file allows, and returns how long it took; the file is removed after.
func bareWrite(b *testing.B, file string, rows *benchRows) time.Duration {
	b.Helper()
	defer os.Remove(file)
	start := time.Now()
	q := url.Values{}
	q.Add("_pragma", "journal_mode(OFF)")
	q.Add("_pragma", "synchronous(OFF)")
	u := url.URL{Scheme: "file", OmitHost: true, Path: file, RawQuery: q.Encode()}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, ddl := range rows.schema {
		if _, err := db.Exec(ddl); err != nil {
			b.Fatal(err)
		}
	}
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	for _, t := range []struct {
		name string
		rows [][]any
	}{{"notes", rows.notes}, {"cards", rows.cards}} {
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(t.rows[0])), ", ")
		ins, err := tx.Prepare("insert into " + t.name + " values (" + marks + ")")
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range t.rows {
			if _, err := ins.Exec(r...); err != nil {
				b.Fatal(err)
			}
		}
		ins.Close()
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if err := db.Close(); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}
