package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// ShippedPrefix marks the sources that are decks carried in the binary
// rather than files on disk: recall:decks/NAME.md.
const ShippedPrefix = "recall:decks/"

// Target is one thing a person asked to remove: a deck (with its
// subdecks) or the cards of one notes file.
type Target struct {
	Deck   string // a deck or subdeck name, in any case
	Source string // a notes file: its remembered path, or the file its cards came from
}

func (t Target) String() string {
	if t.Deck != "" {
		return fmt.Sprintf("deck %q", t.Deck)
	}
	return t.Source
}

// Removal is what a removal takes out of the collection, or would.
type Removal struct {
	Cards     int `json:"cards"`
	Reviews   int `json:"reviews"`
	Revisions int `json:"revisions"`
	// Sources are the notes files the collection no longer remembers: a
	// later sync does not read them again.
	Sources []string `json:"sources_forgotten"`
	// Decks are the decks that went with their last card, settings and
	// all.
	Decks []string `json:"decks_removed"`
}

// Empty reports whether the removal takes nothing out.
func (r Removal) Empty() bool { return r.Cards == 0 && len(r.Sources) == 0 && len(r.Decks) == 0 }

// PartError refuses to remove part of a notes file that stays: its next
// sync would bring the cards back.
type PartError struct {
	Target Target
	File   string
}

func (e *PartError) Error() string {
	if name, ok := strings.CutPrefix(e.File, ShippedPrefix); ok {
		return fmt.Sprintf("%s is part of the shipped deck %s, whose other cards stay; the next sync would bring its cards back: remove the whole deck", e.Target, name)
	}
	return fmt.Sprintf("%s is part of %s, whose other cards stay; the next sync would bring its cards back: take the section out of the notes, or remove the whole deck or file", e.Target, e.File)
}

// PlanRemove says what Remove would take out, changing nothing.
func (s *Store) PlanRemove(ctx context.Context, targets []Target) (Removal, error) {
	var r Removal
	err := s.readTx(ctx, func(tx *sql.Tx) error {
		var err error
		r, err = s.remove(ctx, tx, targets, false)
		return err
	})
	return r, err
}

// Remove deletes the cards of the targets with their review log and
// revisions, forgets the notes files left without cards, and drops the
// decks left without any, all in one transaction. A shipped deck removed
// is remembered as such, so that it does not come back (see Forgotten).
// A deck name the collection does not have is card.ErrNotFound.
func (s *Store) Remove(ctx context.Context, targets []Target) (Removal, error) {
	var r Removal
	err := s.tx(ctx, func(tx *sql.Tx) error {
		var err error
		r, err = s.remove(ctx, tx, targets, true)
		return err
	})
	return r, err
}

// remove counts what the targets take out and, if apply, takes it out.
func (s *Store) remove(ctx context.Context, tx *sql.Tx, targets []Target, apply bool) (Removal, error) {
	var conds []string
	var args []any
	named := []string{} // the sources named
	decks := []string{} // the decks named whole
	for _, t := range targets {
		if t.Deck == "" {
			conds = append(conds, `(source = ? OR file = ?)`)
			args = append(args, t.Source, t.Source)
			named = append(named, t.Source)
			continue
		}
		sel, err := s.selectDecks(ctx, t.Deck)
		if err != nil {
			return Removal{}, err
		}
		cond, a := sel.sql()
		conds = append(conds, cond)
		args = append(args, a...)
		decks = append(decks, sel.whole...)
	}
	if len(conds) == 0 {
		return Removal{}, nil
	}
	where := strings.Join(conds, ` OR `)
	// The chosen cards go into a table of this connection's own, so that
	// every statement after this one reads the same set.
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS removing (id TEXT PRIMARY KEY) WITHOUT ROWID`); err != nil {
		return Removal{}, err
	}
	defer tx.ExecContext(context.WithoutCancel(ctx), `DROP TABLE IF EXISTS temp.removing`)
	if _, err := tx.ExecContext(ctx, `DELETE FROM temp.removing`); err != nil {
		return Removal{}, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO temp.removing SELECT id FROM cards WHERE `+where, args...); err != nil {
		return Removal{}, err
	}
	// A source goes when it is named, or when none of its cards stay.
	if err := refuseParts(ctx, tx, targets, named); err != nil {
		return Removal{}, err
	}
	var r Removal
	err := tx.QueryRowContext(ctx, `SELECT (SELECT count(*) FROM temp.removing),
		(SELECT count(*) FROM reviews WHERE card_id IN temp.removing),
		(SELECT count(*) FROM revisions WHERE card_id IN temp.removing)`).Scan(&r.Cards, &r.Reviews, &r.Revisions)
	if err != nil {
		return Removal{}, err
	}
	r.Sources, err = strs(ctx, tx, `SELECT path FROM sources WHERE path IN (SELECT value FROM json_each(?))
		OR (path IN (SELECT source FROM cards WHERE id IN temp.removing)
			AND NOT EXISTS (SELECT 1 FROM cards WHERE source = sources.path AND id NOT IN temp.removing))
		ORDER BY path`, jsonList(named))
	if err != nil {
		return Removal{}, err
	}
	// A deck goes with its last card, unless a source still fills it;
	// so does a deck named that has no cards left (its notes moved to
	// another deck, say).
	r.Decks, err = strs(ctx, tx, `SELECT name FROM decks WHERE
		(name IN (SELECT deck FROM cards WHERE id IN temp.removing) OR name IN (SELECT value FROM json_each(?)))
		AND NOT EXISTS (SELECT 1 FROM cards WHERE deck = decks.name AND id NOT IN temp.removing)
		AND NOT EXISTS (SELECT 1 FROM sources WHERE deck = decks.name AND path NOT IN (SELECT value FROM json_each(?)))
		ORDER BY name`, jsonList(decks), jsonList(r.Sources))
	if err != nil {
		return Removal{}, err
	}
	if !apply || r.Empty() {
		return r, nil
	}
	return r, s.applyRemoval(ctx, tx, r)
}

// applyRemoval deletes what remove counted.
func (s *Store) applyRemoval(ctx context.Context, tx *sql.Tx, r Removal) error {
	sources, decks := jsonList(r.Sources), jsonList(r.Decks)
	now := s.now().UnixNano()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		// The subdeck counts of the decks touched are counted again once
		// the cards are gone.
		{`CREATE TEMP TABLE IF NOT EXISTS recount AS SELECT DISTINCT deck FROM cards WHERE id IN temp.removing`, nil},
		{`DELETE FROM reviews WHERE card_id IN temp.removing`, nil},
		{`DELETE FROM revisions WHERE card_id IN temp.removing`, nil},
		{`DELETE FROM cards WHERE id IN temp.removing`, nil},
		{`DELETE FROM subdecks WHERE deck IN temp.recount`, nil},
		{`INSERT INTO subdecks (deck, name, cards) SELECT deck, subdeck, count(*) FROM cards
			WHERE orphan = 0 AND deck IN temp.recount GROUP BY deck, subdeck`, nil},
		{`DROP TABLE temp.recount`, nil},
		{`INSERT INTO forgotten (source, time) SELECT value, ? FROM json_each(?) WHERE value LIKE 'recall:decks/%'
			ON CONFLICT (source) DO UPDATE SET time = excluded.time`, []any{now, sources}},
		{`DELETE FROM sources WHERE path IN (SELECT value FROM json_each(?))`, []any{sources}},
		{`DELETE FROM fsrs_weights WHERE deck IN (SELECT value FROM json_each(?))`, []any{decks}},
		{`DELETE FROM decks WHERE name IN (SELECT value FROM json_each(?))`, []any{decks}},
	} {
		if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
			return err
		}
	}
	return bumpGeneration(ctx, tx)
}

// refuseParts refuses to take some of the cards of a remembered file
// that stays remembered (a subdeck of a file, say): its next sync would
// bring them back. Orphans may go, since no sync brings them back, and
// so may part of an imported package, which no sync reads.
func refuseParts(ctx context.Context, tx *sql.Tx, targets []Target, named []string) error {
	var file string
	err := tx.QueryRowContext(ctx, `SELECT r.source FROM cards r WHERE r.id IN temp.removing AND r.orphan = 0
		AND r.source IN (SELECT path FROM sources WHERE path NOT LIKE '`+ImportPrefix+`%') AND r.source NOT IN (SELECT value FROM json_each(?))
		AND EXISTS (SELECT 1 FROM cards c WHERE c.source = r.source AND c.id NOT IN temp.removing)
		LIMIT 1`, jsonList(named)).Scan(&file)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	t := targets[0]
	for _, d := range targets {
		if d.Deck != "" {
			t = d
			break
		}
	}
	return &PartError{Target: t, File: file}
}

// strs reads one column of strings.
func strs(ctx context.Context, tx *sql.Tx, query string, args ...any) ([]string, error) {
	rows, err := tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// Forgotten reports whether a shipped deck's source was removed.
func (s *Store) Forgotten(ctx context.Context, source string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM forgotten WHERE source = ?`, source).Scan(&n)
	return n > 0, dbErr(err)
}

// KeepBackups is how many of the backups made before a removal are kept.
const KeepBackups = 3

// BackupBeforeRemove copies the collection beside itself, as
// COLLECTION.bak-YYYYMMDD-HHMMSS, and deletes the older such copies beyond
// the last few. It returns the copy's path.
func (s *Store) BackupBeforeRemove(ctx context.Context) (string, error) {
	stamp := s.now().Format("20060102-150405")
	name := s.path + ".bak-" + stamp
	for i := 2; ; i++ {
		if _, err := os.Lstat(name); errors.Is(err, os.ErrNotExist) {
			break
		}
		name = fmt.Sprintf("%s.bak-%s.%d", s.path, stamp, i)
	}
	if err := s.copyTo(ctx, name); err != nil {
		return "", fmt.Errorf("%s: back up before removing: %w", s.path, err)
	}
	pruneBackups(s.path)
	return name, nil
}

// pruneBackups deletes the removal backups of the collection at path
// beyond the newest KeepBackups. Their names sort by time; the backups
// made before a migration (.bak-vN) are left alone.
func pruneBackups(path string) {
	all, _ := filepath.Glob(path + ".bak-[0-9]*")
	var ours []string
	for _, p := range all {
		if !strings.HasSuffix(p, ".tmp") {
			ours = append(ours, p)
		}
	}
	slices.SortFunc(ours, func(a, b string) int { return strings.Compare(backupKey(a), backupKey(b)) })
	for len(ours) > KeepBackups {
		_ = os.Remove(ours[0])
		ours = ours[1:]
	}
}

// backupKey orders backup names by time and then by their count suffix,
// so that name.2 sorts after name and name.10 after name.9.
func backupKey(p string) string {
	stamp, n, _ := strings.Cut(p[strings.LastIndex(p, ".bak-")+5:], ".")
	return stamp + fmt.Sprintf("%06s", n)
}
