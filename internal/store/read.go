package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/search"
	"github.com/recall-cli/recall/internal/srs"
)

// Review is one logged answer.
type Review = card.Review

// Revision is the wording a card had before an edit of its notes.
type Revision struct {
	Front, Back string
	Time        time.Time // when the edit was synced
}

// Filter selects cards. The zero Filter is every card but the orphans.
type Filter struct {
	// Deck is this deck and its subdecks, ignoring case: a deck ("QCon SF
	// 2018"), one of its headings ("QCon SF 2018::Containers"), or the
	// decks inside a name ("Conf" for "Conf::Day 1" and "Conf::Day 2").
	Deck    string
	Due     bool     // only cards due on or before today that a session would show
	Orphans bool     // only orphans
	IDs     []string // only these cards; orphans among them are included
	// ByID orders the cards by id instead of deck and notes order: the
	// primary key's order, which streams without a sort (exports).
	ByID bool
	// Stored orders the cards as the collection stores them, about the
	// order they were added in: the cheapest to read, for an export whose
	// order is its own (an Anki package's). It overrides ByID.
	Stored bool
	// Unscheduled reads only what an export without schedules gives of a
	// card, about half the columns, for a faster read: its Card (Anchor
	// left empty), Modified, Changed, and a Status of orphan, suspended or
	// else new. State and Created stay zero.
	Unscheduled bool
	// Query is a search the cards must match as well (see Find); one that
	// mentions is:orphan lifts the default of leaving orphans out.
	Query search.Query
}

// selectEntry is the column list scanEntry reads.
const selectEntry = `SELECT id, deck, kind, key, anchor, grp, front, back, text, context, tags, file, line,
	status, orphan, buried_until, reps, ef, interval, due, lapses, last_review, created, modified, learn_due, learn_step,
	coalesce(stability, 0), coalesce(difficulty, 0), section, changed FROM cards`

// selectUnscheduled reads what scanUnscheduled takes of a card as one
// value: each text column as its length in bytes, a colon and itself, then
// each integer column and a comma. SQLite's driver takes a lock for every
// column of every row it hands over, which made most of the time an export
// spends reading 100k cards: one column takes a seventeenth of that.
var selectUnscheduled = func() string {
	var b strings.Builder
	b.WriteString("SELECT ")
	for i, c := range unscheduledTexts {
		if i > 0 {
			b.WriteString(" || ")
		}
		fmt.Fprintf(&b, "length(CAST(%s AS BLOB)) || ':' || %s", c, c)
	}
	for _, c := range unscheduledInts {
		fmt.Fprintf(&b, " || %s || ','", c)
	}
	b.WriteString(" FROM cards")
	return b.String()
}()

// The columns of selectUnscheduled, in order.
var (
	unscheduledTexts = []string{"id", "deck", "kind", "key", "grp", "front", "back", "text", "context", "tags",
		"file", "status", "section"}
	unscheduledInts = []string{"line", "orphan", "modified", "changed"}
)

type scanner interface{ Scan(...any) error }

// scanEntry reads a row of selectEntry; today and loc decide the derived
// status and the time values.
func scanEntry(r scanner, today int64, loc *time.Location) (card.Entry, error) {
	var e card.Entry
	var kind, ctxJSON, tagsJSON, status string
	var orphan bool
	var buried, created, modified, changed int64
	var due, last, learnDue sql.NullInt64
	err := r.Scan(&e.ID, &e.Deck, &kind, &e.Key, &e.Anchor, &e.Group, &e.Front, &e.Back, &e.Text,
		&ctxJSON, &tagsJSON, &e.Source.File, &e.Source.Line,
		&status, &orphan, &buried, &e.State.Reps, &e.State.EF, &e.State.Interval, &due, &e.State.Lapses, &last,
		&created, &modified, &learnDue, &e.State.LearnStep, &e.State.Stability, &e.State.Difficulty,
		&e.Section, &changed)
	if err != nil {
		return e, err
	}
	e.Kind = card.Kind(kind)
	if err := setLists(&e, ctxJSON, tagsJSON); err != nil {
		return e, err
	}
	e.State.Due = fromDueDay(due, loc)
	e.State.Last = fromNanos(last, loc)
	e.State.LearnDue = fromNanos(learnDue, loc)
	e.Created = time.Unix(0, created).In(loc)
	e.Modified = time.Unix(0, modified).In(loc)
	e.Changed = time.Unix(0, changed).In(loc)
	e.Status = deriveStatus(status, orphan, buried, today, due.Valid, e.State.Reps)
	return e, nil
}

// setLists decodes a card's context and tags columns, never nil.
func setLists(e *card.Entry, ctxJSON, tagsJSON string) error {
	var err error
	if e.Context, err = stringList(ctxJSON); err != nil {
		return fmt.Errorf("card %s: context: %w", e.ID, err)
	}
	if e.Tags, err = stringList(tagsJSON); err != nil {
		return fmt.Errorf("card %s: tags: %w", e.ID, err)
	}
	if e.Context == nil {
		e.Context = []string{}
	}
	if e.Tags == nil {
		e.Tags = []string{}
	}
	return nil
}

// scanUnscheduled reads a row of selectUnscheduled (see
// Filter.Unscheduled).
func scanUnscheduled(r scanner, loc *time.Location) (card.Entry, error) {
	var e card.Entry
	var row string
	if err := r.Scan(&row); err != nil {
		return e, err
	}
	var texts [13]string
	for i := range texts {
		n, rest, ok := strings.Cut(row, ":")
		k, err := strconv.Atoi(n)
		if !ok || err != nil || k < 0 || k > len(rest) {
			return e, fmt.Errorf("card row: bad %s", unscheduledTexts[i])
		}
		texts[i], row = rest[:k], rest[k:]
	}
	var ints [4]int64
	for i := range ints {
		n, rest, ok := strings.Cut(row, ",")
		v, err := strconv.ParseInt(n, 10, 64)
		if !ok || err != nil {
			return e, fmt.Errorf("card row: bad %s", unscheduledInts[i])
		}
		ints[i], row = v, rest
	}
	e.ID, e.Deck, e.Kind, e.Key, e.Group = texts[0], texts[1], card.Kind(texts[2]), texts[3], texts[4]
	e.Front, e.Back, e.Text = texts[5], texts[6], texts[7]
	e.Source.File, e.Section = texts[10], texts[12]
	e.Source.Line = int(ints[0])
	if err := setLists(&e, texts[8], texts[9]); err != nil {
		return e, err
	}
	e.Modified = time.Unix(0, ints[2]).In(loc)
	e.Changed = time.Unix(0, ints[3]).In(loc)
	e.Status = deriveStatus(texts[11], ints[1] != 0, 0, 0, false, 0)
	return e, nil
}

// stringList decodes a JSON array of strings, as the context and tags
// columns hold them. The columns are written by encoding/json, without
// spaces, and most hold no escape: such an array is split at its quotes,
// which costs a tenth of json.Unmarshal (an export reads both columns of
// every card); anything else goes to json.Unmarshal.
func stringList(s string) ([]string, error) {
	if s == "[]" {
		return []string{}, nil
	}
	if len(s) >= 4 && s[:2] == `["` && s[len(s)-2:] == `"]` && unescaped(s) {
		inner := s[2 : len(s)-2]
		list := make([]string, 0, strings.Count(inner, `","`)+1)
		for {
			item, rest, more := strings.Cut(inner, `","`)
			if strings.Contains(item, `"`) {
				break // not the array it looked like: let the decoder judge
			}
			list = append(list, item)
			if !more {
				return list, nil
			}
			inner = rest
		}
	}
	var list []string
	if err := json.Unmarshal([]byte(s), &list); err != nil {
		return nil, err
	}
	return list, nil
}

// unescaped reports whether JSON text has no escape and no control
// character, which a string of it could not hold raw.
func unescaped(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' || s[i] < 0x20 {
			return false
		}
	}
	return true
}

// deriveStatus computes a card's status from what is stored: a bury ends
// by itself when its day comes, with no write.
func deriveStatus(status string, orphan bool, buriedUntil, today int64, reviewed bool, reps int) card.Status {
	switch {
	case orphan:
		return card.StatusOrphan
	case status == "suspended":
		return card.StatusSuspended
	case buriedUntil > today:
		return card.StatusBuried
	case !reviewed:
		return card.StatusNew
	case reps == 0:
		return card.StatusLearning
	}
	return card.StatusReview
}

// Card returns one card; card.ErrNotFound if there is none with that id.
func (s *Store) Card(ctx context.Context, id string) (card.Entry, error) {
	now := s.now()
	row := s.db.QueryRowContext(ctx, selectEntry+` WHERE id = ?`, id)
	e, err := scanEntry(row, s.today(now), now.Location())
	if err == sql.ErrNoRows {
		return e, &card.Error{ID: id, Err: card.ErrNotFound}
	}
	if err != nil {
		return e, fmt.Errorf("card %s: %w", id, dbErr(err))
	}
	es := []card.Entry{e}
	if err := s.withScheduling(ctx, es); err != nil {
		return e, err
	}
	return es[0], nil
}

// Cards returns the cards f selects, by deck, file and line.
func (s *Store) Cards(ctx context.Context, f Filter) ([]card.Entry, error) {
	var out []card.Entry
	err := s.EachCard(ctx, f, func(e card.Entry) error {
		out = append(out, e)
		return nil
	})
	return out, err
}

// EachCard calls fn with each card f selects, by deck, file and line,
// reading them as it goes (for exports of any size). An error from fn stops
// it and is returned.
func (s *Store) EachCard(ctx context.Context, f Filter, fn func(card.Entry) error) error {
	now := s.now()
	today := s.today(now)
	where, args, err := s.where(ctx, f, now)
	if err != nil {
		return err
	}
	q := selectEntry
	if f.Unscheduled {
		q = selectUnscheduled
	}
	q += where + f.order()
	var scheds map[string]Scheduling // no schedule read, no scheduling wanted
	if !f.Unscheduled {
		if scheds, err = s.schedulings(ctx); err != nil {
			return fmt.Errorf("cards: %w", err)
		}
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("cards: %w", dbErr(err))
	}
	defer rows.Close()
	for rows.Next() {
		var e card.Entry
		if f.Unscheduled {
			e, err = scanUnscheduled(rows, now.Location())
		} else {
			e, err = scanEntry(rows, today, now.Location())
		}
		if err != nil {
			return fmt.Errorf("cards: %w", dbErr(err))
		}
		if sc := scheds[e.Deck]; sc.FSRS && !f.Unscheduled {
			e.State.FSRS, e.State.Retention, e.State.Weights = true, sc.Retention, sc.Weights
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("cards: %w", dbErr(err))
	}
	return nil
}

// where is the WHERE clause (or "") that selects the cards of f, with its
// arguments.
func (s *Store) where(ctx context.Context, f Filter, now time.Time) (string, []any, error) {
	today := s.today(now)
	var where []string
	var args []any
	if f.Deck != "" {
		sel, err := s.selectDecks(ctx, f.Deck)
		if err != nil {
			return "", nil, err
		}
		w, a := sel.sql()
		where = append(where, w)
		args = append(args, a...)
	}
	switch {
	case f.Orphans:
		where = append(where, `orphan = 1`)
	case len(f.IDs) == 0 && !f.Query.Mentions("orphan"):
		where = append(where, `orphan = 0`)
	}
	if !f.Query.Empty() {
		w, a, err := s.compile(ctx, f.Query, now)
		if err != nil {
			return "", nil, err
		}
		where = append(where, w)
		args = append(args, a...)
	}
	if f.Due {
		where = append(where, `status = 'active' AND buried_until <= ? AND due <= ?`)
		args = append(args, today, today)
	}
	if len(f.IDs) > 0 {
		where = append(where, `id IN (SELECT value FROM json_each(?))`)
		args = append(args, jsonList(f.IDs))
	}
	if len(where) == 0 {
		return "", nil, nil
	}
	return ` WHERE ` + strings.Join(where, ` AND `), args, nil
}

// order is the ORDER BY of the cards of f: as stored, by id, or by deck,
// file and line.
func (f Filter) order() string {
	if f.Stored {
		return ` ORDER BY rowid`
	}
	if f.ByID {
		return ` ORDER BY id`
	}
	return ` ORDER BY deck, file, line, id`
}

// EachReview calls fn with each logged review of a card, or of every card
// when cardID is "", oldest first. An error from fn stops it and is
// returned.
func (s *Store) EachReview(ctx context.Context, cardID string, fn func(Review) error) error {
	q := selectReview
	var args []any
	if cardID != "" {
		q += ` WHERE card_id = ?`
		args = append(args, cardID)
	}
	q += ` ORDER BY id`
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("reviews: %w", dbErr(err))
	}
	defer rows.Close()
	loc := s.now().Location()
	for rows.Next() {
		var r Review
		var packed string
		if err := rows.Scan(&packed, &r.Before.EF, &r.After.EF); err != nil {
			return fmt.Errorf("reviews: %w", dbErr(err))
		}
		var v [15]sql.NullInt64
		id, rest, ok := strings.Cut(packed, ":")
		k, err := strconv.Atoi(id)
		ok = ok && err == nil && k >= 0 && k <= len(rest)
		if ok {
			r.CardID, rest = rest[:k], rest[k:]
			for i := range v {
				var n string
				if n, rest, ok = strings.Cut(rest, ","); !ok {
					break
				}
				if n != "" {
					x, err := strconv.ParseInt(n, 10, 64)
					if v[i], ok = (sql.NullInt64{Int64: x, Valid: true}), err == nil; !ok {
						break
					}
				}
			}
		}
		if !ok {
			return fmt.Errorf("reviews: bad row %q", packed)
		}
		var at, tookMS int64
		var redrill int64
		r.ID, at, r.Grade, tookMS, redrill = v[0].Int64, v[1].Int64, card.Grade(v[2].Int64), v[3].Int64, v[4].Int64
		r.Redrill = redrill != 0
		r.Before.Reps, r.Before.Interval, r.Before.Lapses = int(v[5].Int64), int(v[6].Int64), int(v[8].Int64)
		r.After.Reps, r.After.Interval, r.After.Lapses = int(v[10].Int64), int(v[11].Int64), int(v[13].Int64)
		bDue, bLast, aDue, aLast := v[7], v[9], v[12], v[14]
		r.Time = time.Unix(0, at).In(loc)
		r.Took = time.Duration(tookMS) * time.Millisecond
		r.Before.Due, r.Before.Last = fromDueDay(bDue, loc), fromNanos(bLast, loc)
		r.After.Due, r.After.Last = fromDueDay(aDue, loc), fromNanos(aLast, loc)
		if err := fn(r); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("reviews: %w", dbErr(err))
	}
	return nil
}

// selectReview reads a review as EachReview takes it: the card id as its
// length in bytes, a colon and itself, then its integers each followed by
// a comma (nothing for NULL), then the two eases, as three columns rather
// than eighteen: the driver locks for each column of each row (see
// selectUnscheduled), which made most of the time of reading a long log.
const selectReview = `SELECT length(CAST(card_id AS BLOB)) || ':' || card_id || id || ',' || time || ',' ||
	grade || ',' || took_ms || ',' || redrill || ',' ||
	b_reps || ',' || b_interval || ',' || coalesce(b_due, '') || ',' || b_lapses || ',' || coalesce(b_last, '') || ',' ||
	a_reps || ',' || a_interval || ',' || coalesce(a_due, '') || ',' || a_lapses || ',' || coalesce(a_last, '') || ',',
	b_ef, a_ef FROM reviews`

// Revisions returns the earlier wordings of a card, oldest first.
func (s *Store) Revisions(ctx context.Context, id string) ([]Revision, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT front, back, time FROM revisions WHERE card_id = ? ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("card %s: revisions: %w", id, dbErr(err))
	}
	defer rows.Close()
	loc := s.now().Location()
	var out []Revision
	for rows.Next() {
		var r Revision
		var at int64
		if err := rows.Scan(&r.Front, &r.Back, &at); err != nil {
			return nil, fmt.Errorf("card %s: revisions: %w", id, dbErr(err))
		}
		r.Time = time.Unix(0, at).In(loc)
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("card %s: revisions: %w", id, dbErr(err))
	}
	return out, nil
}

// Status counts the cards of every deck, by deck name.
func (s *Store) Status(ctx context.Context) ([]card.DeckStatus, error) {
	return s.StatusOf(ctx, "")
}

// CountCards counts the cards of the collection, orphans left out, and
// the suspended among them: what an export of every deck goes through. It
// is StatusOf's total and suspended counts for every deck together, in a
// third of its time on a big collection.
func (s *Store) CountCards(ctx context.Context) (cards, suspended int, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT count(*), coalesce(sum(status = 'suspended'), 0) FROM cards WHERE orphan = 0`).
		Scan(&cards, &suspended)
	if err != nil {
		return 0, 0, fmt.Errorf("count cards: %w", dbErr(err))
	}
	return cards, suspended, nil
}

// StatusOf is Status of the decks deck selects (see Filter.Deck), every
// deck when it is "": those it takes whole under their own names, and the
// subdecks it takes of the others under theirs.
func (s *Store) StatusOf(ctx context.Context, deck string) ([]card.DeckStatus, error) {
	now := s.now()
	today := s.today(now)
	start, end := srs.DayBounds(now, s.Rollover)
	// Tomorrow's due cards include today's backlog: what is due today and
	// not answered is still due tomorrow, buried or not.
	const counts = `
		coalesce(sum(c.orphan = 0 AND c.status = 'active' AND c.buried_until <= ?1 AND c.due IS NULL), 0),
		coalesce(sum(c.orphan = 0 AND c.status = 'active' AND c.learn_due >= ?2 AND c.learn_due < ?3), 0),
		coalesce(sum(c.orphan = 0 AND c.status = 'active' AND c.buried_until <= ?1 AND c.due <= ?1), 0),
		coalesce(sum(c.orphan = 0 AND c.status = 'active' AND c.due <= ?1 + 1), 0),
		coalesce(sum(c.orphan = 0), 0),
		coalesce(sum(c.orphan = 0 AND c.status = 'suspended'), 0),
		coalesce(sum(c.orphan = 1), 0)`
	q := `SELECT d.name, ` + counts + ` FROM decks d LEFT JOIN cards c ON c.deck = d.name GROUP BY d.name ORDER BY d.name`
	args := []any{today, start.UnixNano(), end.UnixNano()}
	if deck != "" {
		sel, err := s.selectDecks(ctx, deck)
		if err != nil {
			return nil, err
		}
		w, a := sel.sql()
		q = `SELECT CASE WHEN c.deck IN (SELECT value FROM json_each(?4)) THEN c.deck ELSE c.subdeck END AS name, ` + counts +
			` FROM cards c WHERE ` + w + ` GROUP BY name ORDER BY name`
		args = append(append(args, jsonList(sel.whole)), a...)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("status: %w", dbErr(err))
	}
	defer rows.Close()
	var out []card.DeckStatus
	for rows.Next() {
		var d card.DeckStatus
		if err := rows.Scan(&d.Deck, &d.New, &d.Learning, &d.DueToday, &d.DueTomorrow, &d.Total, &d.Suspended, &d.Orphans); err != nil {
			return nil, fmt.Errorf("status: %w", dbErr(err))
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("status: %w", dbErr(err))
	}
	return out, nil
}
