//go:build gauntlet

package gauntlet

import (
	"archive/zip"
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"
)

// hostile is one row of TestHostile: an input, the recall run on it, and
// the answer wanted.
type hostile struct {
	name string
	// setup makes the input in a world whose collection holds the cards of
	// notes/base.md.
	setup func(t *testing.T, w *world)
	// args are recall's arguments; $CARD stands for the id of a card of
	// the collection.
	args []string
	code int // the exit status wanted
	// msg is a regular expression that one line of stderr must match: the
	// message, which names the culprit. "" asks for none.
	msg string
	// change is what may become of the collection.
	change change
	// output is a file the command is meant to write; nothing else outside
	// the collection may appear or change.
	output string
	// nobody runs recall as an unprivileged user: the row is about
	// permissions, which root ignores.
	nobody bool
	// orReads accepts reading the input as well: exit 0, cards added.
	orReads bool
}

// change is what a row allows to become of the collection.
type change int

const (
	unchanged change = iota // its files keep their bytes
	written                 // it may change
	gains                   // it gains cards
)

// pending holds the rows that fail on main today because their fault is
// known and not fixed yet, with what the fix is about. Such a row is
// run and skipped with what recall said; once it passes, it fails until it
// is taken out of here, so that the list stays true.
var pending = map[string]string{}

// TestHostile feeds recall hostile input: files that are not notes, odd
// names, things that are not files, damaged or foreign collections,
// read-only places. Each row wants its exit status and one line naming
// the culprit (a file and where in it); none may panic, hang, leave a file
// behind or change the collection unless the input was good.
func TestHostile(t *testing.T) {
	t.Parallel()
	var tally hostileTally
	t.Run("rows", func(t *testing.T) {
		for _, h := range hostileRows() {
			t.Run(h.name, func(t *testing.T) {
				t.Parallel()
				h.run(t, &tally)
			})
		}
	})
	figures(t, "inputs tried %d · clear errors %d · accepted %d · panics %d · collections changed %d · hangs %d · stray files %d · pending %d",
		tally.tried, tally.clear, tally.accepted, tally.panics, tally.changed, tally.hangs, tally.strays, tally.pending)
}

// hostileTally counts the rows' outcomes for the figures, pending rows
// included: the figures say how recall does today.
type hostileTally struct {
	mu                             sync.Mutex
	tried, clear, accepted, panics int
	changed, hangs, strays         int
	pending                        int
}

// run sets the row up in a world of its own, runs recall and judges it.
func (h hostile) run(t *testing.T, tally *hostileTally) {
	if h.nobody && !permissionsApply {
		t.Skip("needs unix users and file modes")
	}
	w := newWorld(t)
	base := newDeckNotes("Base", "base", 50)
	if err := base.write(filepath.Join(w.notes, "base.md")); err != nil {
		t.Fatal(err)
	}
	w.must("add", "notes/base.md")
	// The world's collection is looked at through recall until the row has
	// run: SQLite opened read-only would leave its -wal and -shm beside
	// the collection, and a read-only folder that holds them is no longer
	// read-only to the collection.
	cards := w.cards()
	args := make([]string, len(h.args))
	for i, a := range h.args {
		args[i] = strings.ReplaceAll(a, "$CARD", cards[0].ID)
	}
	if h.setup != nil {
		h.setup(t, w)
	}
	if h.nobody {
		if err := giveToNobody(w.root); err != nil {
			t.Fatal(err)
		}
	}
	before := h.snapshot(t, w)

	// Every row takes a second at most; one still running after twenty
	// hangs.
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cmd := w.command(ctx, args...)
	if h.nobody {
		dropRoot(cmd)
	}
	r := run(ctx, cmd, args)

	problems := h.judge(t, w, before, r, tally)
	today := fmt.Sprintf("exit %d; stderr: %s", r.code, excerpt(strings.TrimSpace(r.stderr), 300))
	if r.hung {
		today = "hung; " + today
	}
	why, isPending := pending[h.name]
	switch {
	case isPending && len(problems) == 0:
		t.Errorf("passes now: take %q out of pending", h.name)
	case isPending:
		tally.mu.Lock()
		tally.pending++
		tally.mu.Unlock()
		t.Skipf("pending (%s): %s\ntoday: %s", why, strings.Join(problems, "; "), today)
	case len(problems) > 0:
		t.Errorf("recall %s:\n%s\ngot: %s", strings.Join(args, " "), strings.Join(problems, "\n"), today)
	}
}

// snapshot is what a row compares before and after.
type snapshot struct {
	collection string // fingerprint of the collection's folder
	rest       string // fingerprint of the world outside it, TMPDIR and the output
	cards      int
	devNull    []string // what is beside /dev/null, which recall must not write to
}

func (h hostile) snapshot(t *testing.T, w *world) snapshot {
	t.Helper()
	var s snapshot
	var err error
	if s.collection, err = fingerprint(w.dbDir); err != nil {
		t.Fatal(err)
	}
	if s.rest, err = fingerprint(w.root, w.dbDir, w.tmp, w.path(h.output)); err != nil {
		t.Fatal(err)
	}
	if h.change == gains || h.orReads {
		s.cards = len(w.cards())
	}
	s.devNull, _ = filepath.Glob("/dev/null?*")
	return s
}

// judge lists what is wrong with how recall answered the row, and counts
// the outcome.
func (h hostile) judge(t *testing.T, w *world, before snapshot, r result, tally *hostileTally) []string {
	t.Helper()
	var problems []string
	var panicked, changed, strays bool
	if r.hung {
		problems = append(problems, "hung (a named pipe read or opened with no writer?)")
	}
	if strings.Contains(r.stderr, "panic:") || strings.Contains(r.stderr, "goroutine ") {
		panicked = true
		problems = append(problems, "panicked")
	}
	// Every line recall writes to stderr is a message of its own.
	for _, l := range strings.Split(strings.TrimRight(r.stderr, "\n"), "\n") {
		if l != "" && !strings.HasPrefix(l, "recall: ") && !strings.HasPrefix(l, "hint: ") {
			problems = append(problems, fmt.Sprintf("stderr line %q is not a recall: or hint: message", excerpt(l, 80)))
			break
		}
	}
	after := h.snapshot(t, w)
	read := h.orReads && r.code == 0
	if read {
		if after.cards <= before.cards {
			problems = append(problems, "read the input but added no cards")
		}
	} else {
		if r.code != h.code {
			problems = append(problems, fmt.Sprintf("exit %d, want %d", r.code, h.code))
		}
		if h.msg != "" && !regexp.MustCompile(h.msg).MatchString(r.stderr) {
			problems = append(problems, fmt.Sprintf("no stderr line matches %s", h.msg))
		}
		switch h.change {
		case unchanged:
			if after.collection != before.collection {
				changed = true
				problems = append(problems, "changed the collection's folder")
			}
		case gains:
			if after.cards <= before.cards {
				problems = append(problems, fmt.Sprintf("the collection has %d cards, as before: the input gave none", after.cards))
			}
		}
	}
	if after.rest != before.rest {
		strays = true
		problems = append(problems, "changed or left files outside the collection")
	}
	if left, _ := listing(w.tmp); len(left) > 0 {
		strays = true
		problems = append(problems, fmt.Sprintf("left %v in TMPDIR", left))
	}
	if fmt.Sprint(after.devNull) != fmt.Sprint(before.devNull) {
		strays = true
		problems = append(problems, fmt.Sprintf("wrote beside /dev/null: %v", after.devNull))
	}

	tally.mu.Lock()
	defer tally.mu.Unlock()
	tally.tried++
	if len(problems) == 0 {
		if r.code == 0 {
			tally.accepted++
		} else {
			tally.clear++
		}
	}
	if panicked {
		tally.panics++
	}
	if changed {
		tally.changed++
	}
	if r.hung {
		tally.hangs++
	}
	if strays {
		tally.strays++
	}
	return problems
}

// hostileRows is the table: what people's notes and disks hold, and what
// recall must say about it.
func hostileRows() []hostile {
	// Names of the culprits as the messages give them: the path as typed
	// or made absolute.
	const (
		collection = `[^:]*db/collection\.db: `
		damaged    = `.*(damaged|corrupt|malformed)`
	)
	goodNotes := []byte("# Good\n\n- What is good? :: fine\n- What is better? :: finer\n")
	binaryFile := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10")
	return []hostile{
		// Files that are not notes.
		{name: "binary file", setup: file("notes/image.md", binaryFile),
			args: []string{"add", "notes/image.md"}, code: 1, msg: `^recall: .*notes/image\.md: .*binary`},
		{name: "NUL byte", setup: file("notes/nul.md", []byte("# N\n\n- What is nul? :: a\x00b\n")),
			args: []string{"add", "notes/nul.md"}, code: 1, msg: `(?m)^recall: .*notes/nul\.md: line 3: `},
		{name: "invalid UTF-8", setup: file("notes/latin1.md", []byte("# L\n\n- What is caf\xe9? :: caf\xe9 au lait\n")),
			args: []string{"add", "notes/latin1.md"}, code: 1, msg: `(?m)^recall: .*notes/latin1\.md: line 3: invalid UTF-8`},
		{name: "50 MB line", setup: file("notes/long.md", longLine(50<<20)),
			args: []string{"add", "notes/long.md"}, code: 1, msg: `(?m)^recall: .*notes/long\.md: line 3 is 50\.0 MB long`},
		{name: "10k levels of nesting", setup: file("notes/deep.md", deepList(10000)),
			args: []string{"add", "notes/deep.md"}, change: gains},
		{name: "UTF-16 notes", setup: file("notes/utf16.md", utf16LE("# U\n\n- What is sixteen? :: bits\n")),
			args: []string{"add", "notes/utf16.md"}, code: 1, msg: `(?m)^recall: .*notes/utf16\.md: .*UTF-16`, orReads: true},
		{name: "a list of 150 items", setup: file("notes/long.md", []byte("# Long\n\nItems:\n\n"+strings.Repeat("- an item of the long list\n", 150))),
			args: []string{"add", "notes/long.md"}, change: gains},
		{name: "1000 clozes on one line", setup: file("notes/clozes.md", []byte("# Clozes\n\n"+strings.Repeat("word ==cloze== ", 1000)+"\n")),
			args: []string{"add", "notes/clozes.md"}, change: gains},
		{name: "terminal escapes in notes", setup: file("notes/esc.md", []byte("# Esc\x1b]0;pwned\x07\n\n- What is \x1b[31mred\x1b[0m? :: a colour\x1b[2J\n- What is \u009b2J? :: C1\n")),
			args: []string{"add", "notes/esc.md"}, change: gains},
		{name: "CR-only line endings", setup: file("notes/cr.md", []byte("# CR\r\r- What is cr 1? :: one\r- What is cr 2? :: two\r")),
			args: []string{"add", "notes/cr.md"}, change: gains},
		{name: "broken front matter", setup: file("notes/broken.md", []byte("---\ndeck: [unclosed\n---\n# Broken\n\n- What is yaml? :: strict\n")),
			args: []string{"add", "notes/broken.md"}, code: 1, msg: `(?m)^recall: .*notes/broken\.md(: line |:)\d+: `},
		{name: "good, bad and missing", setup: steps(file("notes/good.md", goodNotes), file("notes/image.md", binaryFile)),
			args: []string{"add", "notes/good.md", "notes/image.md", "notes/missing.md"}, code: 1, msg: `(?m)^recall: nothing added: 2 of 3 inputs failed`},

		// Names and things that are not files.
		{name: "space in name", setup: file("notes/my notes.md", goodNotes),
			args: []string{"add", "notes/my notes.md"}, change: gains},
		{name: "unicode name", setup: file("notes/日本語 ノート.md", goodNotes),
			args: []string{"add", "notes/日本語 ノート.md"}, change: gains},
		{name: "leading dash", setup: file("-x.md", goodNotes),
			args: []string{"add", "--", "-x.md"}, change: gains},
		{name: "newline in name", setup: file("notes/new\nline.md", goodNotes),
			args: []string{"add", "notes/new\nline.md"}, change: gains},
		{name: "symlink loop", setup: steps(symlink("loop-b.md", "notes/loop-a.md"), symlink("loop-a.md", "notes/loop-b.md")),
			args: []string{"add", "notes/loop-a.md"}, code: 1, msg: `(?m)^recall: .*notes/loop-a\.md: .*symbolic links`},
		{name: "symlink loop in a folder", setup: steps(file("notes/loopy/good.md", goodNotes), symlink(".", "notes/loopy/self")),
			args: []string{"add", "notes/loopy"}, change: gains},
		{name: "directory as notes file", setup: mkdir("notes/dir.md"),
			args: []string{"add", "notes/dir.md"}, code: 1, msg: `(?m)^recall: .*notes/dir\.md: no notes here`},
		{name: "FIFO as notes file", setup: fifo("notes/pipe.md"),
			args: []string{"add", "notes/pipe.md"}, code: 1, msg: `(?m)^recall: .*notes/pipe\.md: not a regular file`},
		{name: "FIFO in a folder", setup: steps(file("notes/mixed/good.md", goodNotes), fifo("notes/mixed/pipe.md")),
			args: []string{"add", "notes/mixed"}, change: gains, msg: `(?m)^recall: warning: .*notes/mixed/pipe\.md: not a regular file.*skipped`},
		{name: "unreadable file", setup: steps(file("notes/secret.md", goodNotes), chmod("notes/secret.md", 0)), nobody: true,
			args: []string{"add", "notes/secret.md"}, code: 1, msg: `(?m)^recall: .*notes/secret\.md: permission denied`},
		{name: "unreadable folder", setup: steps(file("notes/locked/a.md", goodNotes), chmod("notes/locked", 0)), nobody: true,
			args: []string{"add", "notes/locked"}, code: 1, msg: `(?m)^recall: .*notes/locked: permission denied`},

		// A remembered file that turned into something else: the sync says
		// so and keeps the cards.
		{name: "sync: file now binary", setup: file("notes/base.md", binaryFile),
			args: []string{"sync"}, code: 1, msg: `(?m)^recall: .*notes/base\.md: .*binary`},
		{name: "sync: file now a FIFO", setup: steps(remove("notes/base.md"), fifo("notes/base.md")),
			args: []string{"sync"}, code: 1, msg: `(?m)^recall: .*notes/base\.md: not a regular file`},
		{name: "sync: file now a folder", setup: steps(remove("notes/base.md"), mkdir("notes/base.md")),
			args: []string{"sync"}, code: 1, msg: `(?m)^recall: .*notes/base\.md: not a regular file`},
		{name: "sync: file now a symlink loop", setup: steps(remove("notes/base.md"), symlink("base.md", "notes/base.md")),
			args: []string{"sync"}, code: 1, msg: `(?m)^recall: .*notes/base\.md: .*symbolic links`},
		{name: "sync: file now unreadable", setup: chmod("notes/base.md", 0), nobody: true,
			args: []string{"sync"}, code: 1, msg: `(?m)^recall: .*notes/base\.md: permission denied`},

		// The commands that touch no collection read the same way.
		{name: "generate: binary file", setup: file("notes/image.md", binaryFile),
			args: []string{"generate", "notes/image.md"}, code: 1, msg: `(?m)^recall: notes/image\.md: .*binary`},
		{name: "generate: 50 MB line", setup: file("notes/long.md", longLine(50<<20)),
			args: []string{"generate", "notes/long.md"}, code: 1, msg: `(?m)^recall: notes/long\.md: line 3 is 50\.0 MB long`},
		{name: "generate: FIFO", setup: fifo("notes/pipe.md"),
			args: []string{"generate", "notes/pipe.md"}, code: 1, msg: `(?m)^recall: notes/pipe\.md: not a regular file`},
		{name: "generate: symlink loop", setup: symlink("loop.md", "notes/loop.md"),
			args: []string{"generate", "notes/loop.md"}, code: 1, msg: `(?m)^recall: notes/loop\.md: .*symbolic links`},
		{name: "lint: binary file", setup: file("notes/image.md", binaryFile),
			args: []string{"lint", "notes/image.md"}, code: 1, msg: `(?m)^recall: notes/image\.md: .*binary`},
		{name: "lint: FIFO", setup: fifo("notes/pipe.md"),
			args: []string{"lint", "notes/pipe.md"}, code: 1, msg: `(?m)^recall: notes/pipe\.md: not a regular file`},

		// Collections that are damaged, someone else's, or not files.
		{name: "corrupted collection: add", setup: steps(corrupt, file("notes/good.md", goodNotes)),
			args: []string{"add", "notes/good.md"}, code: 1, msg: `(?m)^recall: ` + collection + damaged},
		{name: "corrupted collection: sync", setup: steps(corrupt, file("notes/base.md", newDeckNotes("Base", "base", 51).bytes())),
			args: []string{"sync"}, code: 1, msg: `(?m)^recall: ` + collection + damaged},
		{name: "corrupted collection: answer", setup: corrupt,
			args: []string{"answer", "$CARD", "good"}, code: 1, msg: `(?m)^recall: ` + collection + damaged},
		{name: "corrupted collection: status", setup: corrupt,
			args: []string{"status"}, code: 1, msg: `(?m)^recall: ` + collection + damaged},
		{name: "foreign SQLite database: status", setup: foreignDB("db/foreign.db"),
			args: []string{"--db", "db/foreign.db", "status"}, code: 1, msg: `(?m)^recall: .*db/foreign\.db: not a recall collection`},
		{name: "foreign SQLite database: add", setup: steps(foreignDB("db/foreign.db"), file("notes/good.md", goodNotes)),
			args: []string{"--db", "db/foreign.db", "add", "notes/good.md"}, code: 1, msg: `(?m)^recall: .*db/foreign\.db: not a recall collection`},
		{name: "text file as collection", setup: file("db/notes.txt", []byte("shopping: milk, eggs\n")),
			args: []string{"--db", "db/notes.txt", "status"}, code: 1, msg: `(?m)^recall: .*db/notes\.txt: not a recall collection`},
		{name: "FIFO as collection", setup: fifo("db/pipe"),
			args: []string{"--db", "db/pipe", "status"}, code: 1, msg: `(?m)^recall: .*db/pipe: .*(regular file|named pipe|FIFO|not a recall collection)`},
		// As nobody: root would have SQLite write /dev/null-journal.
		{name: "/dev/null as collection", nobody: true,
			args: []string{"--db", "/dev/null", "status"}, code: 1, msg: `(?m)^recall: /dev/null: .*(regular file|device|not a recall collection)`},
		{name: "directory as collection", setup: mkdir("db/folder.db"),
			args: []string{"--db", "db/folder.db", "status"}, code: 1, msg: `(?m)^recall: .*db/folder\.db: .*directory`},

		// Read-only places: what only reads still works, what writes says
		// which file it may not write.
		{name: "read-only folder: status", setup: chmod("db", 0o555), nobody: true,
			args: []string{"status"}},
		{name: "read-only folder: cards", setup: chmod("db", 0o555), nobody: true,
			args: []string{"cards", "--json"}},
		{name: "read-only folder: export", setup: chmod("db", 0o555), nobody: true,
			args: []string{"export", "--anki", "-o", "out/deck.apkg"}, output: "out/deck.apkg"},
		{name: "read-only folder: add", setup: steps(chmod("db", 0o555), file("notes/good.md", goodNotes)), nobody: true,
			args: []string{"add", "notes/good.md"}, code: 1, msg: `(?m)^recall: ` + collection},
		{name: "read-only collection file: add", setup: steps(chmod("db/collection.db", 0o444), file("notes/good.md", goodNotes)), nobody: true,
			args: []string{"add", "notes/good.md"}, code: 1, msg: `(?m)^recall: ` + collection + `.*read-?only`},
		{name: "export onto a directory", setup: mkdir("out/dir.apkg"),
			args: []string{"export", "--anki", "-o", "out/dir.apkg"}, code: 1, msg: `(?m)^recall: .*out/dir\.apkg: is a directory`},
		{name: "export onto a read-only file", setup: steps(file("out/ro.apkg", []byte("an older export\n")), chmod("out/ro.apkg", 0o444)),
			args: []string{"export", "--anki", "-o", "out/ro.apkg"}, code: 1, msg: `(?m)^recall: .*out/ro\.apkg: .*read-only`},
		// The error names the file asked for, never the temporary one
		// that stands for it while it is written.
		{name: "export into a read-only folder", setup: steps(mkdir("out/ro"), chmod("out/ro", 0o555)), nobody: true,
			args: []string{"export", "--anki", "-o", "out/ro/deck.apkg"}, code: 1, msg: `(?m)^recall: .*out/ro/deck\.apkg: cannot write \(permission denied\)$`},
		{name: "export over a file not an export", setup: file("out/notes.md", []byte("# my notes\n")),
			args: []string{"export", "--anki", "-o", "out/notes.md"}, code: 1, msg: `(?m)^recall: .*out/notes\.md exists and is not an earlier export of these decks; use --force`},
		{name: "import of notes named .apkg", setup: file("in/notes.apkg", []byte("# my notes\n")),
			args: []string{"import", "in/notes.apkg"}, code: 1, msg: `(?m)^recall: import .*in/notes\.apkg: not an Anki package \(not a zip file\)$`},
		{name: "import of a cut-off package", setup: file("in/cut.apkg", firstHalf(zipped(map[string][]byte{"collection.anki2": bytes.Repeat([]byte("SQLite format 3\x00"), 4096)}))),
			args: []string{"import", "in/cut.apkg"}, code: 1, msg: `(?m)^recall: import .*in/cut\.apkg: not an Anki package`},
		{name: "import of a zip without a collection", setup: file("in/empty.apkg", zipped(map[string][]byte{"media": []byte("{}")})),
			args: []string{"import", "in/empty.apkg"}, code: 1, msg: `(?m)^recall: import .*in/empty\.apkg: .*collection`},
		{name: "import of a package whose collection is not SQLite", setup: file("in/fake.apkg", zipped(map[string][]byte{"collection.anki2": []byte("not a database")})),
			args: []string{"import", "in/fake.apkg"}, code: 1, msg: `(?m)^recall: import .*in/fake\.apkg: `},
	}
}

// cards lists the cards of the world's collection, as recall cards --json
// gives them.
func (w *world) cards() []struct{ ID string } {
	w.t.Helper()
	var cards []struct{ ID string }
	if err := json.Unmarshal([]byte(w.must("cards", "--json").stdout), &cards); err != nil {
		w.t.Fatalf("recall cards --json: %v", err)
	}
	return cards
}

// The setups rows are made of.

// firstHalf is the first half of b: a file cut off in the middle.
func firstHalf(b []byte) []byte { return b[:len(b)/2] }

// zipped is a zip archive of members.
func zipped(members map[string][]byte) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, b := range members {
		w, err := zw.Create(name)
		if err != nil {
			panic(err)
		}
		w.Write(b)
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

func file(name string, content []byte) func(*testing.T, *world) {
	return func(t *testing.T, w *world) { w.write(name, content) }
}

func mkdir(name string) func(*testing.T, *world) {
	return func(t *testing.T, w *world) {
		if err := os.MkdirAll(w.path(name), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func remove(name string) func(*testing.T, *world) {
	return func(t *testing.T, w *world) {
		if err := os.Remove(w.path(name)); err != nil {
			t.Fatal(err)
		}
	}
}

func symlink(target, name string) func(*testing.T, *world) {
	return func(t *testing.T, w *world) {
		if err := os.MkdirAll(filepath.Dir(w.path(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, w.path(name)); err != nil {
			t.Skipf("no symbolic links here: %v", err)
		}
	}
}

func chmod(name string, mode os.FileMode) func(*testing.T, *world) {
	return func(t *testing.T, w *world) {
		if err := os.Chmod(w.path(name), mode); err != nil {
			t.Fatal(err)
		}
	}
}

func fifo(name string) func(*testing.T, *world) {
	return func(t *testing.T, w *world) {
		if err := os.MkdirAll(filepath.Dir(w.path(name)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := mkfifo(w.path(name)); err != nil {
			t.Skipf("no named pipes here: %v", err)
		}
	}
}

func steps(setups ...func(*testing.T, *world)) func(*testing.T, *world) {
	return func(t *testing.T, w *world) {
		for _, s := range setups {
			s(t, w)
		}
	}
}

// corrupt overwrites the middle page of the cards table with random
// bytes (the same ones every run), as a failing disk or a stray write
// might: a page every command that reads cards reads, wherever the
// schema's indexes put it in the file.
func corrupt(t *testing.T, w *world) {
	data, err := os.ReadFile(w.db)
	if err != nil {
		t.Fatal(err)
	}
	size := int(binary.BigEndian.Uint16(data[16:18]))
	if size == 1 {
		size = 1 << 16 // how the header writes 65536
	}
	mid := len(data) / size / 2
	if pages := tablePages(t, w.db, "cards"); len(pages) > 0 {
		mid = pages[len(pages)/2] - 1 // pages count from 1
	}
	rng := rand.New(rand.NewPCG(10, 10))
	for i := mid * size; i < (mid+1)*size; i++ {
		data[i] = byte(rng.Uint32())
	}
	if err := os.WriteFile(w.db, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// tablePages lists the pages of a table of an SQLite file, in order.
func tablePages(t *testing.T, path, table string) []int {
	// Immutable: no -wal or -shm left beside the collection.
	u := url.URL{Scheme: "file", OmitHost: true, Path: path, RawQuery: "mode=ro&immutable=1"}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT pageno FROM dbstat WHERE name = ? ORDER BY pageno`, table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var pages []int
	for rows.Next() {
		var p int
		if err := rows.Scan(&p); err != nil {
			t.Fatal(err)
		}
		pages = append(pages, p)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return pages
}

// foreignDB makes an SQLite database of someone else's, with a table of
// its own.
func foreignDB(name string) func(*testing.T, *world) {
	return func(t *testing.T, w *world) {
		db, err := sql.Open("sqlite", w.path(name))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.Exec(`CREATE TABLE expenses (day TEXT, amount REAL); INSERT INTO expenses VALUES ('2026-11-25', 12.5)`); err != nil {
			t.Fatal(err)
		}
	}
}

// The inputs too big or too odd to write out.

// longLine is a labelled list whose one item is n letters long.
func longLine(n int) []byte {
	var b bytes.Buffer
	b.WriteString("Label:\n\n- ")
	b.Write(bytes.Repeat([]byte("a"), n))
	b.WriteByte('\n')
	return b.Bytes()
}

// deepList is a labelled list of a leaf and an item that holds a list
// nested depth levels deep, one item a level (100 MB of indentation for
// 10,000 levels).
func deepList(depth int) []byte {
	var b bytes.Buffer
	b.WriteString("Deep:\n\n- leaf\n")
	for i := range depth {
		b.WriteString(strings.Repeat("  ", i))
		fmt.Fprintf(&b, "- item %d\n", i)
	}
	return b.Bytes()
}

// utf16LE is s in UTF-16, little-endian with a byte order mark, as
// Windows editors save "Unicode" text.
func utf16LE(s string) []byte {
	out := []byte{0xff, 0xfe}
	for _, u := range utf16.Encode([]rune(s)) {
		out = binary.LittleEndian.AppendUint16(out, u)
	}
	return out
}
