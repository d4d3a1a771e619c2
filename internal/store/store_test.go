package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/card"
)

// clock is a settable Store.Now.
type clock struct{ t time.Time }

func (c *clock) Now() time.Time { return c.t }

// start is the tests' first morning, 10:00 local in a zone with DST.
var start = time.Date(2024, 3, 4, 10, 0, 0, 0, mustLoc("Europe/Paris"))

func mustLoc(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		return time.FixedZone(name, 3600)
	}
	return loc
}

// openTest opens a new collection in t.TempDir() with a settable clock.
func openTest(t testing.TB) (*Store, *clock) {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "collection.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	c := &clock{start}
	s.Now = c.Now
	return s, c
}

// dump renders every table of the collection, to compare states.
func dump(t testing.TB, s *Store) string {
	t.Helper()
	var b strings.Builder
	for _, table := range []string{"decks", "sources", "cards", "reviews", "revisions"} {
		rows, err := s.db.Query(`SELECT * FROM ` + table + ` ORDER BY rowid`)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		fmt.Fprintf(&b, "%s %v\n", table, cols)
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			fmt.Fprintf(&b, "  %v\n", vals)
		}
		rows.Close()
	}
	return b.String()
}

func schema(t testing.TB, db *sql.DB) string {
	t.Helper()
	rows, err := db.Query(`SELECT type, name, coalesce(sql, '') FROM sqlite_schema ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var typ, name, q string
		if err := rows.Scan(&typ, &name, &q); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s %s %s\n", typ, name, q)
	}
	return b.String()
}

func userVersion(t testing.TB, path string) int {
	t.Helper()
	db, err := sql.Open("sqlite", dsn(path, busyTimeout, cacheKiB))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var v int
	if err := db.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestOpenEmpty(t *testing.T) {
	t.Parallel()
	// A # and a ? in the path would cut a DSN built by concatenation.
	path := filepath.Join(t.TempDir(), "deep", "dir #1", "coll?ection.db")
	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open(%q): %v", path, err)
	}
	defer s.Close()
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("Open(%q) made no file there: %v", path, err)
	}
	if v := userVersion(t, path); v != SchemaVersion() {
		t.Errorf("schema version %d, want %d", v, SchemaVersion())
	}
	if s.Backup != "" {
		t.Errorf("Open of a new file made backup %q", s.Backup)
	}
	for _, table := range []string{"decks", "sources", "cards", "reviews", "revisions"} {
		var n int
		if err := s.db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`, table).Scan(&n); err != nil || n != 1 {
			t.Errorf("table %s: found %d (%v), want 1", table, n, err)
		}
	}
}

func TestReopenIsNoop(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "collection.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s.Now = (&clock{start}).Now
	if _, err := s.Sync(context.Background(), SourceFile{Path: "notes.md"}, card.Limits{}, basics("Deck", 3)); err != nil {
		t.Fatal(err)
	}
	before, data := schema(t, s.db), dump(t, s)
	s.Close()

	s, err = Open(path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	if s.Backup != "" {
		t.Errorf("reopen made backup %q", s.Backup)
	}
	if after := schema(t, s.db); after != before {
		t.Errorf("reopen changed the schema:\n%s\nwant\n%s", after, before)
	}
	if after := dump(t, s); after != data {
		t.Errorf("reopen changed the data:\n%s\nwant\n%s", after, data)
	}
	matches, _ := filepath.Glob(path + ".bak*")
	if len(matches) > 0 {
		t.Errorf("reopen left backups %v", matches)
	}
}

func TestNewerSchemaRefused(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "collection.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	newer := SchemaVersion() + 1
	if _, err := s.db.Exec(fmt.Sprintf(`PRAGMA user_version = %d`, newer)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(path)
	want := fmt.Sprintf("%s: schema version %d is newer than this recall (%d); upgrade recall", path, newer, SchemaVersion())
	if err == nil || err.Error() != want {
		t.Fatalf("Open(newer) = %v, want %q", err, want)
	}
	if v := userVersion(t, path); v != newer {
		t.Errorf("refused file now at version %d, want %d untouched", v, newer)
	}
}

func TestNotACollection(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "other.db")
	// Someone else's database, in SQLite's default rollback journal mode.
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE t (x)`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Open(path); !errors.Is(err, card.ErrInvalid) || !strings.Contains(err.Error(), "not a recall collection") {
		t.Errorf("Open(someone else's database) = %v, want not a recall collection", err)
	}
	// Refused as it was: not even switched to WAL.
	if after, err := os.ReadFile(path); err != nil || !bytes.Equal(after, before) {
		t.Errorf("Open changed someone else's database (%v)", err)
	}

	junk := filepath.Join(t.TempDir(), "junk.db")
	if err := os.WriteFile(junk, []byte(strings.Repeat("not sqlite\n", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(junk); err == nil || !strings.Contains(err.Error(), junk) {
		t.Errorf("Open(junk) = %v, want an error naming the file", err)
	}
}

func TestMigrateOld(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "collection.db")
	old, err := open(path, 1, busyTimeout)
	if err != nil {
		t.Fatal(err)
	}
	old.Now = (&clock{start}).Now
	// Today's sync and answer need the generation counter of migration 3,
	// the learning columns of migration 4, the limits of migration 5 and
	// the scheduler and weights of migrations 6 and 7, and the change
	// time and section of migration 10: lend them to the version 1 file
	// while cards go in, then take them away.
	for _, m := range append(slices.Clone(migrations[2:8]), migrations[9]) {
		if _, err := old.db.Exec(m.sql); err != nil {
			t.Fatal(err)
		}
	}
	cards := basics("Deck", 5)
	if _, err := old.Sync(ctx, SourceFile{Path: "notes.md"}, card.Limits{}, cards); err != nil {
		t.Fatal(err)
	}
	if _, err := old.Answer(ctx, cards[0].ID, card.Good, time.Second, false); err != nil {
		t.Fatal(err)
	}
	for _, undo := range []string{`DROP TABLE meta`, `DROP INDEX cards_learn`, `DROP INDEX cards_grp`,
		`DROP TABLE subdecks`, `DROP INDEX cards_sub_due`, `DROP INDEX cards_sub_new`, `ALTER TABLE cards DROP COLUMN subdeck`,
		`ALTER TABLE cards DROP COLUMN learn_due`, `ALTER TABLE cards DROP COLUMN learn_step`,
		`ALTER TABLE reviews DROP COLUMN b_learn_due`, `ALTER TABLE reviews DROP COLUMN b_learn_step`,
		`ALTER TABLE reviews DROP COLUMN buried_siblings`,
		`ALTER TABLE decks DROP COLUMN new_config`, `ALTER TABLE decks DROP COLUMN reviews_config`,
		`ALTER TABLE decks ADD COLUMN new_limit INTEGER NOT NULL DEFAULT 0 CHECK (new_limit >= 0)`,
		`ALTER TABLE decks ADD COLUMN review_limit INTEGER NOT NULL DEFAULT 0 CHECK (review_limit >= 0)`,
		`ALTER TABLE sources DROP COLUMN new_front`, `ALTER TABLE sources DROP COLUMN reviews_front`,
		`ALTER TABLE decks DROP COLUMN scheduler`, `ALTER TABLE decks DROP COLUMN retention`,
		`ALTER TABLE cards DROP COLUMN stability`, `ALTER TABLE cards DROP COLUMN difficulty`,
		`ALTER TABLE reviews DROP COLUMN b_stability`, `ALTER TABLE reviews DROP COLUMN b_difficulty`,
		`DROP TABLE fsrs_weights`, `ALTER TABLE sources DROP COLUMN scheduler_front`,
		`ALTER TABLE cards DROP COLUMN changed`, `ALTER TABLE cards DROP COLUMN section`} {
		if _, err := old.db.Exec(undo); err != nil {
			t.Fatal(undo, err)
		}
	}
	var n int
	old.db.QueryRow(`SELECT count(*) FROM sqlite_schema WHERE name = 'revisions'`).Scan(&n)
	if n != 0 {
		t.Fatal("open(path, 1, busyTimeout) made the revisions table of migration 2")
	}
	oldData := dump1(t, old)
	old.Close()

	s, err := Open(path)
	if err != nil {
		t.Fatalf("Open(old): %v", err)
	}
	defer s.Close()
	if want := path + ".bak-v1"; s.Backup != want {
		t.Errorf("Backup = %q, want %q", s.Backup, want)
	}
	if v := userVersion(t, path); v != SchemaVersion() {
		t.Errorf("migrated to version %d, want %d", v, SchemaVersion())
	}
	if v := userVersion(t, s.Backup); v != 1 {
		t.Errorf("backup at version %d, want 1", v)
	}
	bak, err := open(s.Backup, 1, busyTimeout)
	if err != nil {
		t.Fatal(err)
	}
	if got := dump1(t, bak); got != oldData {
		t.Errorf("backup holds\n%s\nwant\n%s", got, oldData)
	}
	bak.Close()
	if got := dump1(t, s); got != oldData {
		t.Errorf("migration changed the data:\n%s\nwant\n%s", got, oldData)
	}
	// The new table works.
	cards[1].Front += " (edited)"
	if _, err := s.Sync(ctx, SourceFile{Path: "notes.md"}, card.Limits{}, cards); err != nil {
		t.Fatal(err)
	}
	if revs, err := s.Revisions(ctx, cards[1].ID); err != nil || len(revs) != 1 {
		t.Errorf("Revisions after migration = %v, %v; want one", revs, err)
	}

	// A second migration from the same version keeps the first backup.
	other := filepath.Join(filepath.Dir(path), "other.db")
	o, err := open(other, 1, busyTimeout)
	if err != nil {
		t.Fatal(err)
	}
	o.Close()
	if err := os.WriteFile(other+".bak-v1", []byte("an older backup"), 0o644); err != nil {
		t.Fatal(err)
	}
	o, err = Open(other)
	if err != nil {
		t.Fatal(err)
	}
	o.Close()
	if want := other + ".bak-v1.2"; o.Backup != want {
		t.Errorf("second backup = %q, want %q", o.Backup, want)
	}
	if b, _ := os.ReadFile(other + ".bak-v1"); string(b) != "an older backup" {
		t.Errorf("migration overwrote an older backup")
	}
}

// dump1 renders the tables of schema version 1.
// TestMigrateLimits checks that migration 5 keeps the limits of the old
// columns, where 0 meant the default, as the deck's config: set by
// `recall config` or by front matter, they were a person's choice, which
// the next sync must not undo.
func TestMigrateLimits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "collection.db")
	old, err := open(path, 4, busyTimeout)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := old.db.Exec(`INSERT INTO decks (name, new_limit, review_limit, created) VALUES ('A', 5, 0, 0), ('B', 0, 0, 0)`); err != nil {
		t.Fatal(err)
	}
	old.Close()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	decks, err := s.Decks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct{ new, reviews Limit }{
		{Limit{5, FromConfig}, Limit{DefaultReviewLimit, FromDefault}},
		{Limit{DefaultNewLimit, FromDefault}, Limit{DefaultReviewLimit, FromDefault}},
	}
	for i, d := range decks {
		if d.New != want[i].new || d.Reviews != want[i].reviews {
			t.Errorf("deck %s: limits %+v, %+v after migration; want %+v", d.Name, d.New, d.Reviews, want[i])
		}
	}
}

// v1Columns are the columns of schema version 1, by table.
var v1Columns = func() map[string]string {
	out := map[string]string{}
	re := regexp.MustCompile(`(?s)CREATE TABLE (\w+) \((.*?)\n\) STRICT`)
	for _, m := range re.FindAllStringSubmatch(migrations[0].sql, -1) {
		var cols []string
		for _, line := range strings.Split(m[2], "\n") {
			f := strings.Fields(line)
			if len(f) > 1 && !strings.HasPrefix(f[0], "--") && f[0] != "PRIMARY" && f[0] != "FOREIGN" && f[0] != "UNIQUE" && f[0] != "CHECK" {
				cols = append(cols, f[0])
			}
		}
		out[m[1]] = strings.Join(cols, ", ")
	}
	return out
}()

func dump1(t testing.TB, s *Store) string {
	t.Helper()
	var b strings.Builder
	for _, table := range []string{"decks", "sources", "cards", "reviews"} {
		// The columns version 1 had: later migrations add some.
		cols, ok := v1Columns[table]
		if table == "decks" {
			// Migration 5 moved the limits to other columns: see
			// TestMigrateLimits.
			cols = strings.NewReplacer(", new_limit", "", ", review_limit", "").Replace(cols)
		}
		if table == "sources" {
			// Migration 10 forgets every file's hash, so that the next
			// sync reads them all again.
			cols = strings.Replace(cols, ", hash", "", 1)
		}
		if !ok {
			t.Fatalf("no version 1 columns of %s", table)
		}
		rows, err := s.db.Query(`SELECT ` + cols + ` FROM ` + table + ` ORDER BY rowid`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			cols, _ := rows.Columns()
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			rows.Scan(ptrs...)
			fmt.Fprintf(&b, "%s %v\n", table, vals)
		}
		rows.Close()
	}
	return b.String()
}

// TestPragmasEveryConnection checks that the DSN, not a one-off Exec,
// configures the connections: several pooled ones at once, and another
// Store's.
func TestPragmasEveryConnection(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	other, err := Open(s.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	var conns []*sql.Conn
	for _, db := range []*sql.DB{s.db, s.db, s.db, other.db, other.db} {
		c, err := db.Conn(ctx) // held, so each is a distinct connection
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		conns = append(conns, c)
	}
	want := map[string]string{"foreign_keys": "1", "busy_timeout": "10000", "journal_mode": "wal", "synchronous": "1"}
	for i, c := range conns {
		for p, w := range want {
			var got string
			if err := c.QueryRowContext(ctx, `PRAGMA `+p).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != w {
				t.Errorf("connection %d: PRAGMA %s = %s, want %s", i, p, got, w)
			}
		}
	}
	// _txlock=immediate: a write transaction holds the write lock from its
	// start, so a second one cannot begin until it ends.
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	short, cancel := context.WithTimeout(ctx, 300*time.Millisecond)
	defer cancel()
	c, err := other.db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, `PRAGMA busy_timeout = 0`); err != nil {
		t.Fatal(err)
	}
	tx2, err := c.BeginTx(short, nil)
	if err == nil {
		tx2.Rollback()
		t.Errorf("a second write transaction began while the first held the lock: BEGIN is not IMMEDIATE")
	}
}

func TestForeignKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	_, err := s.db.ExecContext(ctx, `INSERT INTO reviews (card_id, time, day, grade, took_ms, b_reps, b_ef, b_interval, b_lapses, a_reps, a_ef, a_interval, a_lapses)
		VALUES ('nosuchcard', 0, 0, 4, 0, 0, 2.5, 0, 0, 1, 2.5, 1, 0)`)
	if err == nil {
		t.Fatal("a review of a card that does not exist was stored")
	}
	if err := dbErr(err); !errors.Is(err, card.ErrNotFound) {
		t.Errorf("dbErr(foreign key failure) = %v, want card.ErrNotFound", err)
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO cards (id, deck, kind, key, anchor, grp, front, back, text, context, tags, source, file, line, fp, created, modified)
		VALUES ('x', 'no such deck', 'basic', 'k', '', '', 'f', 'b', '', '[]', '[]', 's', 's', 1, 0, 0, 0)`)
	if err == nil {
		t.Fatal("a card of a deck that does not exist was stored")
	}
}

func TestErrorMapping(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s, _ := openTest(t)
	if _, err := s.db.ExecContext(ctx, `INSERT INTO decks (name, created) VALUES ('d', 0)`); err != nil {
		t.Fatal(err)
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO decks (name, created) VALUES ('d', 0)`)
	if err := dbErr(err); !errors.Is(err, card.ErrExists) {
		t.Errorf("dbErr(duplicate deck) = %v, want card.ErrExists", err)
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO decks (name, new_config, created) VALUES ('e', -1, 0)`)
	if err := dbErr(err); !errors.Is(err, card.ErrInvalid) {
		t.Errorf("dbErr(check constraint) = %v, want card.ErrInvalid", err)
	}
	if err := dbErr(errors.New("plain")); err.Error() != "plain" {
		t.Errorf("dbErr(plain) = %v, want it unchanged", err)
	}
}

// TestMigrateSections checks migration 10 on cards synced before it: each
// takes its modified time as its change time and the first heading of its
// breadcrumb as its section (what named its subdeck until then), and every
// file, and each card with a section, is to be read and written again at
// the next sync, which gives the true ones.
func TestMigrateSections(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "collection.db")
	old, err := open(path, 9, busyTimeout)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO decks (name, created) VALUES ('Talk', 0)`,
		`INSERT INTO sources (path, hash, mtime, deck, synced) VALUES ('talk.md', 'abc', 0, 'Talk', 0)`,
		`INSERT INTO cards (id, deck, kind, key, anchor, grp, front, back, text, context, tags, source, file, line, fp,
			created, modified, subdeck) VALUES
			('a', 'Talk', 'basic', 'a', 'x', 'x', 'A?', 'a', '', '["Talk","Talk takeaways","Security"]', '[]', 'talk.md', 'talk.md', 3, 1, 5, 7, 'Talk::Talk takeaways'),
			('b', 'Talk', 'basic', 'b', 'y', 'y', 'B?', 'b', '', '["Talk"]', '[]', 'talk.md', 'talk.md', 4, 2, 5, 8, 'Talk')`,
	} {
		if _, err := old.db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	old.Close()
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	rows, err := s.db.Query(`SELECT id, section, subdeck, changed, fp FROM cards ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		var id, section, subdeck string
		var changed, fp int64
		if err := rows.Scan(&id, &section, &subdeck, &changed, &fp); err != nil {
			t.Fatal(err)
		}
		got = append(got, fmt.Sprintf("%s %q %q %d fp=%d", id, section, subdeck, changed, fp))
	}
	rows.Close()
	want := []string{`a "Talk takeaways" "Talk::Talk takeaways" 7 fp=0`, `b "" "Talk" 8 fp=2`}
	if !slices.Equal(got, want) {
		t.Errorf("cards after migration:\n%q\nwant\n%q", got, want)
	}
	var hash string
	if err := s.db.QueryRow(`SELECT hash FROM sources`).Scan(&hash); err != nil || hash != "" {
		t.Errorf("source hash after migration = %q, %v; want it forgotten", hash, err)
	}
}
