package cli

import (
	"bytes"
	"database/sql"
	"os"
	"strings"
	"testing"
)

// damage overwrites one page in the middle of the collection file, as a
// failing disk or a stray write would, and returns the bytes it left.
func damage(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	const page = 4096
	if len(b) < 8*page {
		t.Fatalf("collection of %d bytes is too small to damage a middle page", len(b))
	}
	at := len(b) / page / 2 * page
	for i := at; i < at+page; i++ {
		b[i] = byte(i*7 + 3)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return b
}

// damageIndex overwrites the root page of an index of the collection at
// path with noise.
func damageIndex(t *testing.T, path, index string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	var root, size int64
	err = db.QueryRow(`SELECT rootpage FROM sqlite_master WHERE name = ?`, index).Scan(&root)
	if err == nil {
		err = db.QueryRow(`PRAGMA page_size`).Scan(&size)
	}
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	at := (root - 1) * size
	for i := at; i < at+size; i++ {
		b[i] = byte(i*7 + 3)
	}
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// manyNotes gives enough cards for a collection of many pages.
func manyNotes() string {
	var b strings.Builder
	b.WriteString("# Many\n\n")
	for i := range 300 {
		b.WriteString("Question number " + strings.Repeat("x", i%40) + " " + string(rune('a'+i%26)) + "? :: answer " + strings.Repeat("y", i%50) + "\n\n")
	}
	return b.String()
}

// TestDamagedCollection: recall refuses to write into a damaged collection
// (before, a sync wrote into it and exited 0), names the file and the
// newest backup, and leaves the file as it found it.
func TestDamagedCollection(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	notes := e.write(t, "many.md", manyNotes())
	e.mustRun(t, "add", notes)
	db := e.vars["RECALL_DB"]
	// A sync that has something to write: the notes changed.
	e.write(t, "many.md", manyNotes()+"Extra? :: yes\n")
	before := damage(t, db)

	for _, args := range [][]string{{"sync"}, {"add", notes}, {"config", "Many", "--new", "5"}, {"answer", "000000000000", "3"}} {
		if code := e.run(args...); code != exitFailure {
			t.Errorf("recall %v on a damaged collection = exit %d, want %d", args, code, exitFailure)
		}
		lines := strings.Split(strings.TrimSuffix(e.errOut.String(), "\n"), "\n")
		if len(lines) != 2 || !strings.HasPrefix(lines[0], "recall: "+db+": the collection is damaged (") ||
			!strings.HasSuffix(lines[0], "; recall will not write to it") ||
			!strings.HasPrefix(lines[1], "hint: there is no backup beside it; save what can still be read with: sqlite3 "+db+" .recover") {
			t.Errorf("recall %v: stderr = %q, want the file named, a refusal and a way to recover", args, e.errOut)
		}
		after, err := os.ReadFile(db)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(after, before) {
			t.Fatalf("recall %v wrote into the damaged collection", args)
		}
	}

	// With a backup beside it, the hint names it.
	backup := db + ".bak-v2"
	if err := os.WriteFile(backup, []byte("a backup"), 0o644); err != nil {
		t.Fatal(err)
	}
	e.run("sync")
	if want := "hint: the newest backup is " + backup + " (from "; !strings.Contains(e.errOut.String(), want) {
		t.Errorf("stderr = %q, want it to hold %q", e.errOut, want)
	}

	// Someone else's file as the collection is not called damaged.
	other := e.write(t, "notes.txt", "just text, long enough to be read as a header by SQLite\n")
	if code := e.run("--db", other, "status"); code != exitFailure {
		t.Errorf("status of a text file = exit %d, want %d", code, exitFailure)
	}
	if want := "recall: " + other + ": not a recall collection: it is not an SQLite database; recall will not write to it\n"; !strings.HasPrefix(e.errOut.String(), want) {
		t.Errorf("stderr = %q, want it to start %q", e.errOut, want)
	}
}

// TestDamagedExport: an export checks the collection, though it only
// reads it: on a damaged one it fails, names the damage, and writes no
// file, even when the damage is in nothing the export reads.
func TestDamagedExport(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	notes := e.write(t, "many.md", manyNotes())
	e.mustRun(t, "add", notes)
	db := e.vars["RECALL_DB"]
	out := e.write(t, "ok.apkg", "")
	if err := os.Remove(out); err != nil {
		t.Fatal(err)
	}
	e.mustRun(t, "export", "--anki", "-o", out)
	if err := os.Remove(out); err != nil {
		t.Fatalf("the export of a whole collection wrote no file: %v", err)
	}
	// The index of groups is one the export does not read: only the check
	// can tell it is damaged.
	damageIndex(t, db, "cards_grp")
	for _, args := range [][]string{
		{"export", "--anki", "-o", out}, {"export", "--csv", "-o", out}, {"export", "--anki", "-o", "-"},
	} {
		if code := e.run(args...); code != exitFailure {
			t.Errorf("recall %v on a damaged collection = exit %d, want %d", args, code, exitFailure)
		}
		if !strings.Contains(e.errOut.String(), "the collection is damaged (") {
			t.Errorf("recall %v: stderr = %q, want the damage named", args, e.errOut)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("recall %v wrote %s from a damaged collection", args, out)
			os.Remove(out)
		}
	}
}
