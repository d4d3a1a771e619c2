// Package store owns recall's collection: one SQLite file (modernc.org/sqlite,
// no cgo) holding decks, remembered sources, cards with their SM-2 schedule,
// revisions and the review log. It runs the embedded migrations, matches the
// cards a notes file gives against the ones it holds (sync), and answers the
// queries the commands and the review session need.
//
// It is the only package that imports database/sql. It must not import
// internal/cli, and it never reads the environment or prints: the clock is
// Store.Now.
package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/srs"
)

// Daily limits used when neither the caller nor the deck sets one.
const (
	DefaultNewLimit    = 20
	DefaultReviewLimit = 200
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migration is one numbered schema change.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations are the embedded schema changes in order, version 1 first.
var migrations = mustMigrations()

func mustMigrations() []migration {
	entries, err := fs.ReadDir(migrationFS, "migrations")
	if err != nil {
		panic(err) // the embedded files are part of the binary
	}
	var ms []migration
	for _, e := range entries {
		num, _, ok := strings.Cut(e.Name(), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v != len(ms)+1 {
			panic(fmt.Sprintf("migration %s: want number %04d", e.Name(), len(ms)+1))
		}
		b, err := migrationFS.ReadFile(path.Join("migrations", e.Name()))
		if err != nil {
			panic(err)
		}
		ms = append(ms, migration{version: v, name: e.Name(), sql: string(b)})
	}
	return ms
}

// SchemaVersion is the schema version this build of recall writes.
func SchemaVersion() int { return len(migrations) }

// Store is an open collection. Its methods are safe for concurrent use, and
// several processes may hold the same file open: writes wait for each other
// (busy timeout) instead of failing.
type Store struct {
	// Now is the clock; Open sets it to time.Now. The command line replaces
	// it to honour RECALL_NOW.
	Now func() time.Time
	// Rollover is the hour a study day starts; Open sets it to
	// srs.DefaultRollover.
	Rollover int
	// Backup is the copy Open made of an older collection before it
	// migrated it, or "" if it made none.
	Backup string
	// Subdeck names the level below its deck that a card of the notes
	// sits in, from its Section alone, "" for none: its subdeck is
	// Deck::that ("QCon SF 2018::Containers"). The collection sets it to
	// the Anki export's naming; nil puts every card in its deck.
	Subdeck func(card.Card) string

	db   *sql.DB
	path string
	// beforeCommit, when set (by a test), runs inside a sync's transaction
	// just before it commits; an error from it fails the sync.
	beforeCommit func() error
	// afterPlan, when set (by a test), runs when a sync has planned and
	// before it takes the write lock.
	afterPlan func()
}

// Open opens the collection at path, creating the file and its directory if
// needed, and brings its schema up to date. A file written by a newer recall
// is refused; an older one is first copied to path.bak-vN (see Store.Backup).
func Open(path string) (*Store, error) {
	return open(path, len(migrations), busyTimeout)
}

// OpenChecked is Open for a command that writes: it also runs SQLite's
// quick check, so that a damaged file is refused (card.ErrCorrupt) before
// anything is written into it. The check reads every page once: a few
// milliseconds for a collection of thousands of cards.
func OpenChecked(ctx context.Context, path string) (*Store, error) {
	// SQLite opens a file it may not write read-only without a word, and
	// the first write fails far from here, named after what was being
	// written; say it now, of the collection.
	if f, err := os.OpenFile(path, os.O_WRONLY, 0); err == nil {
		f.Close()
	} else if errors.Is(err, fs.ErrPermission) {
		return nil, fmt.Errorf("%s: the collection is read-only to you (%w); this command writes to it", path, unwrapPath(err))
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%s: cannot write the collection: %w", path, unwrapPath(err))
	}
	s, err := Open(path)
	if err != nil {
		return nil, err
	}
	if err := s.Check(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// OpenReadOnly opens the collection at path for reading only, for a command
// that only reads, when Open cannot: the file or its folder is read-only.
// Nothing is created or migrated; a collection in a read-only folder,
// whose write-ahead log cannot be opened beside it, is read as it stands
// on disk.
func OpenReadOnly(path string) (*Store, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("open collection: %w", err)
	}
	var last error
	for _, mode := range []string{"ro", "immutable"} {
		db, err := sql.Open("sqlite", readDSN(path, mode))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		s := &Store{Now: time.Now, Rollover: srs.DefaultRollover, db: db, path: path}
		v, err := s.version(context.Background())
		if err != nil {
			db.Close()
			last = err
			continue
		}
		if v != len(migrations) {
			db.Close()
			return nil, fmt.Errorf("%s: the collection is read-only and needs an upgrade (schema %d, this recall writes %d); make it writable and run recall once", path, v, len(migrations))
		}
		return s, nil
	}
	return nil, last
}

// readDSN is the URI of a read-only connection: mode "ro", or "immutable"
// when even the write-ahead log's shared memory cannot be created beside
// the file (a read-only folder, where no other process can be writing).
func readDSN(path, mode string) string {
	q := url.Values{}
	if mode == "immutable" {
		q.Set("immutable", "1")
	}
	q.Set("mode", "ro")
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	u := url.URL{Scheme: "file", OmitHost: true, Path: filepath.ToSlash(path), RawQuery: q.Encode()}
	return u.String()
}

// unwrapPath drops the path an *fs.PathError repeats ("open PATH: permission
// denied" is "permission denied"), for messages that name it already.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// busyTimeout is how long a statement waits for another connection's
// write lock before it fails with card.ErrBusy.
const busyTimeout = 10 * time.Second

// OpenForReading is Open for a command that only reads the collection:
// its page cache is small (readCacheKiB), since such a command reads each
// page once or twice (the check, then its query), and an export of a big
// collection would otherwise hold as much of the file as the cache takes.
func OpenForReading(path string) (*Store, error) {
	return openDSN(path, len(migrations), dsn(path, busyTimeout, readCacheKiB))
}

// cacheKiB is the page cache of a collection opened to write or review, and
// readCacheKiB that of one opened only to read: a reading command reads
// each page once or twice, and keeps the interior pages of an index or
// two in hand. Exporting 100k cards takes 50 MB at 2 MiB, 43 at 256 KiB,
// no slower; a search or the stats of them are no slower either.
const (
	cacheKiB     = 65536
	readCacheKiB = 256
	// checkCacheKiB is the page cache of the check, which reads each page
	// once: enough for the interior pages of a b-tree at a time.
	checkCacheKiB = 128
)

// open migrates up to version target; tests use it to make old files.
func open(path string, target int, busy time.Duration) (*Store, error) {
	return openDSN(path, target, dsn(path, busy, cacheKiB))
}

func openDSN(path string, target int, dsn string) (*Store, error) {
	if path == "" {
		return nil, fmt.Errorf("open collection: no path: %w", card.ErrInvalid)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("open collection: %w", err)
	}
	if err := refuseForeign(path); err != nil {
		return nil, err
	}
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	s := &Store{Now: time.Now, Rollover: srs.DefaultRollover, db: db, path: path}
	if err := s.migrate(context.Background(), target); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Check runs SQLite's quick check of the collection file: every page and
// index entry is read and checked for structure. A damaged file is a
// CorruptError.
func (s *Store) Check(ctx context.Context) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", s.path, dbErr(err))
	}
	defer conn.Close()
	// The check reads every page once. Through a writing command's big
	// cache it would leave as much of the file in memory as the cache
	// takes, for nothing: it reads through a small one.
	if restore, err := withCache(ctx, conn, checkCacheKiB); err == nil {
		defer restore()
	}
	var res string
	if err := conn.QueryRowContext(ctx, `PRAGMA quick_check(1)`).Scan(&res); err != nil {
		return fmt.Errorf("%s: %w", s.path, dbErr(err))
	}
	if res != "ok" {
		return fmt.Errorf("%s: %w", s.path, &CorruptError{Reason: strings.TrimPrefix(res, "*** in database main ***\n")})
	}
	return nil
}

// withCache gives the connection c (or a transaction's) a page cache of
// kib KiB and returns what gives it the cache it had back.
func withCache(ctx context.Context, c interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
	ExecContext(context.Context, string, ...any) (sql.Result, error)
}, kib int) (restore func(), err error) {
	var was int64
	if err := c.QueryRowContext(ctx, `PRAGMA cache_size`).Scan(&was); err != nil {
		return nil, err
	}
	if _, err := c.ExecContext(ctx, fmt.Sprintf(`PRAGMA cache_size = -%d`, kib)); err != nil {
		return nil, err
	}
	return func() {
		_, _ = c.ExecContext(context.WithoutCancel(ctx), fmt.Sprintf(`PRAGMA cache_size = %d`, was))
	}, nil
}

// dsn is the URI modernc.org/sqlite opens. The pragmas ride in it so that
// every pooled connection gets them (a PRAGMA run with Exec reaches one
// connection only); _txlock=immediate makes every write transaction take the
// write lock when it begins, so it waits on busy_timeout instead of failing
// with SQLITE_BUSY when it would upgrade a read lock. A 64 MiB page cache
// (allocated as used) keeps a big sync's index pages in memory.
func dsn(path string, busy time.Duration, cache int) string {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busy.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_pragma", fmt.Sprintf("cache_size(-%d)", cache))
	q.Set("_txlock", "immediate")
	u := url.URL{Scheme: "file", OmitHost: true, Path: filepath.ToSlash(path), RawQuery: q.Encode()}
	return u.String()
}

// Path returns the file the collection lives in.
func (s *Store) Path() string { return s.path }

// Close closes the collection.
func (s *Store) Close() error { return s.db.Close() }

// migrate brings the schema to version target: each migration in its own
// transaction, recorded in PRAGMA user_version.
func (s *Store) migrate(ctx context.Context, target int) error {
	v, err := s.version(ctx)
	if err != nil {
		return err
	}
	if v > len(migrations) {
		return fmt.Errorf("%s: schema version %d is newer than this recall (%d); upgrade recall", s.path, v, len(migrations))
	}
	if v >= target {
		return nil
	}
	if v == 0 {
		// Version 0 is a new file, unless someone else's tables are in it.
		if err := s.foreign(ctx); err != nil {
			return err
		}
	} else {
		if err := s.backup(ctx, v); err != nil {
			return err
		}
	}
	for _, m := range migrations[:target] {
		err := s.tx(ctx, func(tx *sql.Tx) error {
			// Another process may have migrated while this one waited for
			// the lock: read the version again under it.
			var cur int
			if err := tx.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&cur); err != nil {
				return err
			}
			if cur >= m.version {
				return nil
			}
			if _, err := tx.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, m.version))
			return err
		})
		if err != nil {
			return fmt.Errorf("%s: migration %s: %w", s.path, m.name, err)
		}
	}
	return nil
}

// refuseForeign looks into an existing file before the connection that
// would switch it to WAL does: someone else's database (tables of its own,
// no schema version) is refused as it is, unchanged. What it cannot read
// is left for the real open to report.
func refuseForeign(path string) error {
	if info, err := os.Stat(path); err != nil || info.Size() == 0 {
		return nil
	}
	db, err := sql.Open("sqlite", readDSN(path, "ro"))
	if err != nil {
		return nil
	}
	defer db.Close()
	s := &Store{db: db, path: path}
	ctx := context.Background()
	if v, err := s.version(ctx); err != nil || v != 0 {
		return nil
	}
	return s.foreign(ctx)
}

// foreign refuses a file of schema version 0 that holds tables: someone
// else's database.
func (s *Store) foreign(ctx context.Context) error {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'`).Scan(&n); err != nil {
		return fmt.Errorf("%s: %w", s.path, dbErr(err))
	}
	if n > 0 {
		return fmt.Errorf("%s: not a recall collection (it has tables but no schema version): %w", s.path, card.ErrInvalid)
	}
	return nil
}

func (s *Store) version(ctx context.Context) (int, error) {
	var v int
	if err := s.db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil {
		return 0, fmt.Errorf("%s: %w", s.path, dbErr(err))
	}
	return v, nil
}

// backup writes a consistent copy of the collection, at schema version v,
// beside it before a migration changes it.
func (s *Store) backup(ctx context.Context, v int) error {
	base := fmt.Sprintf("%s.bak-v%d", s.path, v)
	name := base
	for i := 2; ; i++ {
		if _, err := os.Lstat(name); errors.Is(err, fs.ErrNotExist) {
			break
		}
		name = fmt.Sprintf("%s.%d", base, i)
	}
	if err := s.copyTo(ctx, name); err != nil {
		return fmt.Errorf("%s: back up before migrating: %w", s.path, err)
	}
	s.Backup = name
	return nil
}

// copyTo writes a copy of the collection to name with VACUUM INTO. That
// writes the file itself, so it cannot go through disk.WriteAtomic; it
// gets the same treatment: a temporary name, renamed once complete, so a
// backup that exists is whole.
func (s *Store) copyTo(ctx context.Context, name string) error {
	tmp := name + ".tmp"
	_ = os.Remove(tmp) // left by a backup interrupted before
	if _, err := s.db.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		_ = os.Remove(tmp)
		return dbErr(err)
	}
	if err := os.Rename(tmp, name); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return nil
}

// tx runs fn in a write transaction (BEGIN IMMEDIATE, see dsn) and commits
// it, or rolls everything back if fn or the commit fails.
func (s *Store) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return dbErr(err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return dbErr(err)
	}
	return dbErr(tx.Commit())
}

// busyError is SQLite's SQLITE_BUSY said for a person; it matches
// card.ErrBusy.
type busyError struct{ err error }

func (e busyError) Error() string {
	return "the collection stayed locked by another recall for too long; try again: " + e.err.Error()
}

func (e busyError) Unwrap() []error { return []error{card.ErrBusy, e.err} }

// CorruptError says the collection file is damaged: SQLite found a page or
// an index it cannot make sense of, or the file is no database at all. It
// matches card.ErrCorrupt.
type CorruptError struct {
	// Reason is SQLite's own account ("database disk image is malformed",
	// or the first finding of the quick check).
	Reason string
	// NotDB is set when the file does not even start as an SQLite
	// database: someone else's file, or a collection whose first page was
	// overwritten.
	NotDB bool
	err   error
}

func (e *CorruptError) Error() string {
	if e.NotDB {
		return "not a recall collection: " + e.Reason
	}
	return "the collection is damaged (" + e.Reason + ")"
}

func (e *CorruptError) Unwrap() []error { return []error{card.ErrCorrupt, e.err} }

// dbErr maps SQLite's result codes to recall's sentinel errors, keeping the
// original error in the chain.
func dbErr(err error) error {
	var se *sqlite.Error
	if err == nil || !errors.As(err, &se) {
		return err
	}
	switch se.Code() {
	case sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY, sqlite3.SQLITE_CONSTRAINT_UNIQUE:
		return fmt.Errorf("%w: %w", card.ErrExists, err)
	case sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return fmt.Errorf("refers to something missing: %w: %w", card.ErrNotFound, err)
	}
	switch se.Code() & 0xff {
	case sqlite3.SQLITE_CONSTRAINT:
		return fmt.Errorf("%w: %w", card.ErrInvalid, err)
	case sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED:
		return busyError{err}
	case sqlite3.SQLITE_NOTADB:
		return &CorruptError{Reason: "it is not an SQLite database", NotDB: true, err: err}
	case sqlite3.SQLITE_CORRUPT:
		return &CorruptError{Reason: withoutCode(se.Error()), err: err}
	case sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_PERM:
		return fmt.Errorf("cannot write the collection: %w", err)
	}
	return err
}

// withoutCode drops the result code modernc.org/sqlite appends to SQLite's
// message ("database disk image is malformed (11)").
func withoutCode(msg string) string {
	if i := strings.LastIndex(msg, " ("); i > 0 && strings.HasSuffix(msg, ")") {
		if _, err := strconv.Atoi(msg[i+2 : len(msg)-1]); err == nil {
			return msg[:i]
		}
	}
	return msg
}

func (s *Store) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

// today returns the study day number of now.
func (s *Store) today(now time.Time) int64 {
	return dayNumber(srs.Day(now, s.Rollover))
}

// Today returns the study day the clock is in: midnight of its date, in the
// clock's location.
func (s *Store) Today() time.Time {
	return srs.Day(s.now(), s.Rollover)
}

// dayNumber numbers a date: days from 1970-01-01 to t's calendar date.
func dayNumber(t time.Time) int64 {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// dayTime is the first instant of day n in loc.
func dayTime(n int64, loc *time.Location) time.Time {
	y, m, d := time.Unix(n*86400, 0).UTC().Date()
	// The study day of noon, with the day starting at midnight, is the
	// start of the date even where a DST change skips midnight.
	return srs.Day(time.Date(y, m, d, 12, 0, 0, 0, loc), 0)
}

// nanos stores a time; the zero time is NULL.
func nanos(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixNano(), Valid: true}
}

// fromNanos reads a stored time into loc; NULL is the zero time.
func fromNanos(n sql.NullInt64, loc *time.Location) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(0, n.Int64).In(loc)
}

// dueDay stores a due date; the zero time is NULL.
func dueDay(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: dayNumber(t), Valid: true}
}

func fromDueDay(n sql.NullInt64, loc *time.Location) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return dayTime(n.Int64, loc)
}
