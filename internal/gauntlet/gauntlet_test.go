//go:build gauntlet

package gauntlet

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	_ "modernc.org/sqlite"
)

// recallBin is the binary TestMain builds for every test to drive.
var recallBin string

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	dir, err := os.MkdirTemp("", "gauntlet-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "gauntlet:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	// Some hostile inputs run recall as an unprivileged user, who must be
	// able to reach the binary.
	if err := os.Chmod(dir, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "gauntlet:", err)
		return 1
	}
	recallBin = filepath.Join(dir, "recall")
	if runtime.GOOS == "windows" {
		recallBin += ".exe"
	}
	build := exec.Command("go", "build", "-o", recallBin, "github.com/recall-cli/recall/cmd/recall")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "gauntlet: building recall:", err)
		return 1
	}
	return m.Run()
}

// figures reports a test's closing figures, always in the test's log and
// under -v on standard output as well, so that a run's figures can be
// picked out with grep figures.
func figures(t *testing.T, format string, args ...any) {
	t.Helper()
	line := t.Name() + " figures: " + fmt.Sprintf(format, args...)
	t.Log(line)
	if testing.Verbose() {
		fmt.Println(line)
	}
}

// seed is the seed of a randomised test: GAUNTLET_SEED when set, so that
// a failing run can be repeated, else the clock. It is logged either way.
func seed(t *testing.T) uint64 {
	t.Helper()
	s := uint64(time.Now().UnixNano())
	if v := os.Getenv("GAUNTLET_SEED"); v != "" {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			t.Fatalf("GAUNTLET_SEED=%q: want an unsigned integer", v)
		}
		s = n
	}
	t.Logf("seed %d (GAUNTLET_SEED=%d repeats this run)", s, s)
	return s
}

// newRand returns a generator for one part of a test: the same seed and
// part give the same numbers.
func newRand(seed uint64, part int) *rand.Rand {
	return rand.New(rand.NewPCG(seed, uint64(part)))
}

// recallNow is the clock of every recall the gauntlet runs (RECALL_NOW): a
// fixed day, so that what is due does not depend on when the test runs.
const recallNow = "2026-11-26T08:00:00Z"

// world is one test's corner of the disk: a collection, notes, an export
// folder, and a home and TMPDIR of its own for recall, so that whatever
// recall leaves behind can be seen. Paths in recall's arguments are
// relative to root, its working directory.
type world struct {
	t     testing.TB
	root  string
	dbDir string // the collection's folder
	db    string // the collection
	notes string
	out   string // exports
	tmp   string // TMPDIR
	home  string
	// now is RECALL_NOW.
	now string
}

func newWorld(t testing.TB) *world {
	t.Helper()
	watchSources()
	// Not t.TempDir: its folders are private to the user running the test,
	// and some rows run recall as another.
	root, err := os.MkdirTemp("", "gauntlet-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { removeAll(root) })
	if err := os.Chmod(root, 0o755); err != nil {
		t.Fatal(err)
	}
	w := &world{
		t:     t,
		root:  root,
		dbDir: filepath.Join(root, "db"),
		notes: filepath.Join(root, "notes"),
		out:   filepath.Join(root, "out"),
		tmp:   filepath.Join(root, "tmp"),
		home:  filepath.Join(root, "home"),
		now:   recallNow,
	}
	w.db = filepath.Join(w.dbDir, "collection.db")
	for _, d := range []string{w.dbDir, w.notes, w.out, w.tmp, w.home} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return w
}

var watchOnce sync.Once

// watchSources looks at every file recall is built from. go test caches a
// passing run and reuses it while the files the test itself opened stay
// as they were; the gauntlet's binary comes from a go build of its own,
// so without this a change to recall would not run the gauntlet again.
func watchSources() {
	watchOnce.Do(func() {
		module := filepath.Join("..", "..") // go test runs in the package's folder
		for _, name := range []string{"go.mod", "go.sum", "cmd", "internal", "decks"} {
			_ = filepath.WalkDir(filepath.Join(module, name), func(p string, d fs.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					_, _ = os.Stat(p)
				}
				return nil
			})
		}
	})
}

// removeAll removes a tree that a test may have made read-only in places.
func removeAll(root string) {
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			_ = os.Chmod(p, 0o755)
		}
		return nil
	})
	_ = os.RemoveAll(root)
}

// path turns a path relative to the world's root into an absolute one.
func (w *world) path(rel string) string {
	if filepath.IsAbs(rel) {
		return rel
	}
	return filepath.Join(w.root, rel)
}

// write writes a file of the world, relative to its root.
func (w *world) write(rel string, data []byte) {
	w.t.Helper()
	p := w.path(rel)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		w.t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		w.t.Fatal(err)
	}
}

// environ is everything a recall of this world sees of the environment.
func (w *world) environ() []string {
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + w.home,
		"TMPDIR=" + w.tmp,
		"XDG_DATA_HOME=" + filepath.Join(w.home, "data"),
		"XDG_CONFIG_HOME=" + filepath.Join(w.home, "config"),
		"RECALL_DB=" + w.db,
		"RECALL_NOW=" + w.now,
		"NO_COLOR=1",
		"TZ=UTC",
	}
}

// command prepares recall with args in the world. It is killed when ctx
// is done.
func (w *world) command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, recallBin, args...)
	cmd.Dir = w.root
	cmd.Env = w.environ()
	// A child of recall holding its pipes must not hang the test.
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// result is how one run of recall ended.
type result struct {
	args           []string
	code           int // exit status; -1 when a signal ended it
	stdout, stderr string
	hung           bool // still running at its time limit, so killed
	took           time.Duration
	err            error // the run could not be started or waited for
}

func (r result) String() string {
	s := fmt.Sprintf("recall %s: exit %d after %v", strings.Join(r.args, " "), r.code, r.took.Round(time.Millisecond))
	if r.hung {
		s += " (hung: killed at its time limit)"
	}
	if r.err != nil {
		s += fmt.Sprintf(" (%v)", r.err)
	}
	if e := strings.TrimSpace(r.stderr); e != "" {
		s += "\nstderr: " + excerpt(e, 600)
	}
	return s
}

// excerpt cuts s to about n bytes for a log.
func excerpt(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + fmt.Sprintf("… (%d bytes)", len(s))
}

// run runs cmd, made with ctx, to the end and says how it went: a run
// still going when ctx's deadline came is hung.
func run(ctx context.Context, cmd *exec.Cmd, args []string) result {
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	r := result{args: args, stdout: stdout.String(), stderr: stderr.String(), took: time.Since(start)}
	r.code = exitCode(cmd, err)
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		r.err = err
	}
	r.hung = errors.Is(ctx.Err(), context.DeadlineExceeded)
	return r
}

// exitCode is the exit status of a finished cmd, -1 when a signal ended
// it or it never ran.
func exitCode(cmd *exec.Cmd, err error) int {
	if cmd.ProcessState == nil {
		return -1
	}
	if err != nil && cmd.ProcessState.Success() {
		// The process exited 0 but its output could not be copied.
		return -1
	}
	return cmd.ProcessState.ExitCode()
}

// recall runs recall with args in the world, with no input, and waits at
// most limit for it.
func (w *world) recall(limit time.Duration, args ...string) result {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	return run(ctx, w.command(ctx, args...), args)
}

// must runs recall and fails the test unless it succeeds.
func (w *world) must(args ...string) result {
	w.t.Helper()
	r := w.recall(2*time.Minute, args...)
	if r.code != 0 || r.err != nil {
		w.t.Fatalf("%v", r)
	}
	return r
}

// openDB opens a collection read-only, straight through SQLite, to look
// at it without recall's help. SQLite leaves the collection's -wal and
// -shm behind when a read-only connection closes.
func openDB(path string) (*sql.DB, error) {
	q := url.Values{}
	q.Set("mode", "ro")
	q.Add("_pragma", "busy_timeout(10000)")
	u := url.URL{Scheme: "file", OmitHost: true, Path: filepath.ToSlash(path), RawQuery: q.Encode()}
	return sql.Open("sqlite", u.String())
}

// integrity runs PRAGMA integrity_check on the collection at path and
// returns its verdict: "ok", SQLite's list of problems, or why the check
// could not run.
func integrity(path string) string {
	db, err := openDB(path)
	if err != nil {
		return err.Error()
	}
	defer db.Close()
	rows, err := db.Query(`PRAGMA integrity_check`)
	if err != nil {
		return err.Error()
	}
	defer rows.Close()
	var found []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return err.Error()
		}
		found = append(found, s)
	}
	if err := rows.Err(); err != nil {
		return err.Error()
	}
	return strings.Join(found, "; ")
}

// query runs a query that returns one column of strings.
func query(path, q string, args ...any) ([]string, error) {
	db, err := openDB(path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.Query(q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// ledger holds the answers recall acknowledged: a plain review session
// by printing "graded …" under the card (which it does only once the
// answer is saved), answer by exiting 0. A session does not show card ids,
// so its answers are held by the card's front, which the notes the
// gauntlet writes keep unique; answer's by id. It is safe for concurrent
// use.
type ledger struct {
	mu      sync.Mutex
	byFront map[string]int
	byID    map[string]int
	n       int
}

func newLedger() *ledger {
	return &ledger{byFront: map[string]int{}, byID: map[string]int{}}
}

func (l *ledger) front(f string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.byFront[f]++
	l.n++
}

func (l *ledger) id(id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.byID[id]++
	l.n++
}

func (l *ledger) total() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.n
}

// lost counts the acknowledged answers that the review log of the
// collection at path does not hold, and says which cards lack them.
//
// Every card's answers are matched by its front, the one it has now or
// one an edit replaced (kept as a revision), so that a card a sync
// replaced by another with the same front still counts as the same card.
func (l *ledger) lost(path string) (int, []string, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	db, err := openDB(path)
	if err != nil {
		return 0, nil, err
	}
	defer db.Close()
	idsOf := map[string][]string{} // front → card ids
	frontOf := map[string]string{} // card id → its front now
	rows, err := db.Query(`SELECT id, front, 1 FROM cards UNION ALL SELECT card_id, front, 0 FROM revisions`)
	if err != nil {
		return 0, nil, err
	}
	for rows.Next() {
		var id, front string
		var current bool
		if err := rows.Scan(&id, &front, &current); err != nil {
			rows.Close()
			return 0, nil, err
		}
		// The line protocol prints a front without its trailing newlines.
		front = strings.TrimRight(front, "\n")
		if !slices.Contains(idsOf[front], id) {
			idsOf[front] = append(idsOf[front], id)
		}
		if current {
			frontOf[id] = front
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, nil, err
	}
	logged := map[string]int{}
	rows, err = db.Query(`SELECT card_id, count(*) FROM reviews GROUP BY card_id`)
	if err != nil {
		return 0, nil, err
	}
	for rows.Next() {
		var id string
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return 0, nil, err
		}
		logged[id] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, nil, err
	}

	want := map[string]int{} // by front
	for f, n := range l.byFront {
		want[f] += n
	}
	lostN := 0
	var which []string
	for id, n := range l.byID {
		f, ok := frontOf[id]
		if !ok {
			lostN += n
			which = append(which, fmt.Sprintf("card %s: %d answers acknowledged, and the card is gone", id, n))
			continue
		}
		want[f] += n
	}
	for f, n := range want {
		got := 0
		for _, id := range idsOf[f] {
			got += logged[id]
		}
		if got < n {
			lostN += n - got
			which = append(which, fmt.Sprintf("%q: %d answers acknowledged, %d in the review log", excerpt(f, 60), n, got))
		}
	}
	slices.Sort(which)
	return lostN, which, nil
}

// plainReader follows a plain review session line by line, as the line
// protocol of internal/review's package doc lays it out: it knows the
// card on screen, notes every grade the session confirmed and every time
// it said it was waiting, and says what a person would type next.
type plainReader struct {
	front   string // of the card on screen
	inFront bool   // the lines that follow continue it
	graded  []string
	waits   int
	// refused counts the actions the session refused about a card
	// ("error: … (nothing saved)"); it goes on after them.
	refused int
}

// line takes the next line the session printed and returns what to type
// in reply, if anything: a line to see the answer under a question, a
// grade (from grade) under the grade prompt.
func (p *plainReader) line(s string, grade func() string) (reply string, ok bool) {
	if p.inFront && strings.HasPrefix(s, "   ") {
		// A front of several lines continues, indented under "Q: ".
		p.front += "\n" + s[3:]
		return "", false
	}
	p.inFront = false
	switch {
	case strings.HasPrefix(s, "Q: "):
		p.front, p.inFront = s[3:], true
		return "", true
	case strings.HasPrefix(s, "grade: "):
		return grade(), true
	case strings.HasPrefix(s, "graded "):
		p.graded = append(p.graded, p.front)
	case strings.HasPrefix(s, "waiting: "):
		p.waits++
	case strings.HasPrefix(s, "error: "):
		p.refused++
	}
	return "", false
}

// read follows a whole transcript.
func (p *plainReader) read(transcript string) {
	for _, l := range strings.Split(transcript, "\n") {
		p.line(l, func() string { return "" })
	}
}

// pickGrade chooses a grade the way a person might: mostly good, now and
// then again, which brings the card back in the same session.
func pickGrade(rng *rand.Rand) string {
	switch n := rng.IntN(20); {
	case n < 3:
		return "again"
	case n < 6:
		return "hard"
	case n < 16:
		return "good"
	default:
		return "easy"
	}
}

// deckNotes is a notes file the gauntlet makes, held in memory so that a
// test can edit it and write it again: sections of six questions with
// their answers and a labelled list of four items. The section's name is
// in every question and item, so every card's front is unique (a cloze
// shows its whole list) and a front on screen names one card. Edits touch
// answers and whole questions only, never a list, so fronts do not change.
type deckNotes struct {
	deck     string
	prefix   string // of the section names
	sections []section
}

type section struct {
	name string
	qas  []qa
	list []string
}

// qa is a question and its answer; a hidden one is left out of the file,
// which orphans its card until it comes back.
type qa struct {
	q, a   string
	hidden bool
}

// newDeckNotes makes a deck of n sections.
func newDeckNotes(deck, prefix string, n int) *deckNotes {
	d := &deckNotes{deck: deck, prefix: prefix}
	d.addSections(n)
	return d
}

// addSections appends n sections with fresh names.
func (d *deckNotes) addSections(n int) {
	for range n {
		name := fmt.Sprintf("%s %d", d.prefix, len(d.sections))
		s := section{name: name}
		for i := range 6 {
			s.qas = append(s.qas, qa{q: fmt.Sprintf("What is %s.%d?", name, i), a: fmt.Sprintf("answer %s.%d", name, i)})
		}
		for i := range 4 {
			s.list = append(s.list, fmt.Sprintf("%s part %d", name, i))
		}
		d.sections = append(d.sections, s)
	}
}

// questions is how many questions the deck holds, hidden or not.
func (d *deckNotes) questions() int { return len(d.sections) * 6 }

// qa returns the i-th question of the deck.
func (d *deckNotes) qa(i int) *qa { return &d.sections[i/6].qas[i%6] }

// editAnswers rewrites about fraction of the answers, marking them with
// version: the cards keep their ids and schedules and take the new text.
func (d *deckNotes) editAnswers(rng *rand.Rand, fraction float64, version int) {
	for i := range d.questions() {
		if rng.Float64() < fraction {
			q := d.qa(i)
			base, _, _ := strings.Cut(q.a, " (v")
			q.a = fmt.Sprintf("%s (v%d)", base, version)
		}
	}
}

// hide leaves out about fraction of the questions and brings back the
// others: the cards of the hidden ones become orphans, those of the ones
// back are restored. It returns the fronts now hidden.
func (d *deckNotes) hide(rng *rand.Rand, fraction float64) map[string]bool {
	hidden := map[string]bool{}
	for i := range d.questions() {
		q := d.qa(i)
		q.hidden = rng.Float64() < fraction
		if q.hidden {
			hidden[q.q] = true
		}
	}
	return hidden
}

// bytes renders the notes as markdown.
func (d *deckNotes) bytes() []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# %s\n\n", d.deck)
	for _, s := range d.sections {
		fmt.Fprintf(&b, "## %s\n\n", s.name)
		for _, q := range s.qas {
			if !q.hidden {
				fmt.Fprintf(&b, "- %s :: %s\n", q.q, q.a)
			}
		}
		fmt.Fprintf(&b, "\nParts of %s:\n\n", s.name)
		for _, item := range s.list {
			fmt.Fprintf(&b, "- %s\n", item)
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}

// write writes the notes to path, replacing the file the way an editor
// that saves through a temporary file does, so that a recall reading it
// meanwhile sees either version whole.
func (d *deckNotes) write(path string) error {
	tmp := path + ".saving"
	if err := os.WriteFile(tmp, d.bytes(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// listing is what a folder holds, one name a line, folders marked with a
// slash; "" for an empty folder.
func listing(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() {
			name += "/"
		}
		out = append(out, name)
	}
	return out, nil
}

// fingerprint sums what a tree holds: every name, kind and, for regular
// files, the bytes. The shared-memory index of a collection (-shm) is
// left out, being no part of its content, and so is an empty -wal, which
// SQLite leaves when it may not remove it. Named pipes and devices are
// never opened.
func fingerprint(root string, skip ...string) (string, error) {
	h := sha256.New()
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrPermission) {
				fmt.Fprintf(h, "%s unreadable\n", p)
				return nil
			}
			return err
		}
		for _, s := range skip {
			if p == s {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
		}
		if strings.HasSuffix(p, "-shm") {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if strings.HasSuffix(p, "-wal") && info.Mode().IsRegular() && info.Size() == 0 {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		fmt.Fprintf(h, "%q %v\n", rel, info.Mode())
		switch {
		case info.Mode()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			fmt.Fprintf(h, "-> %q\n", target)
		case info.Mode().IsRegular():
			f, err := os.Open(p)
			if errors.Is(err, fs.ErrPermission) {
				fmt.Fprintf(h, "unreadable %d\n", info.Size())
				return nil
			}
			if err != nil {
				return err
			}
			defer f.Close()
			if _, err := io.Copy(h, f); err != nil {
				return err
			}
		}
		return nil
	})
	return fmt.Sprintf("%x", h.Sum(nil)), err
}
