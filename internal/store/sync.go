package store

import (
	"context"
	"database/sql"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"maps"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/recall-cli/recall/internal/card"
)

// SourceFile is a notes file as it was read for a sync.
type SourceFile struct {
	Path         string    // as the collection remembers it
	Hash         string    // of the content, so an unchanged file can be skipped
	ModTime      time.Time // of the file
	DeckOverride string    // the deck it was added to (--deck), remembered for later syncs
}

// Source is a notes file the collection remembers.
type Source struct {
	Path         string
	Hash         string
	ModTime      time.Time
	Deck         string    // deck of its last sync
	DeckOverride string    // as given to its last sync
	Synced       time.Time // time of its last sync
}

// SyncResult counts what a sync did to the cards.
type SyncResult struct {
	Added     int // new cards
	Updated   int // known cards whose text, context or place changed
	Unchanged int // known cards as they were
	Orphaned  int // cards no longer in the file, now hidden from review
	Restored  int // orphans back in the notes
}

// Similar is how alike (0..1, see similarity) the front and the back of two
// cards at the same place in a file must both be for sync to take one for
// an edit of the other.
const Similar = 0.6

// incoming is a card of the notes being synced. It points into the
// caller's cards (or, when prepare had to fill something in, at a copy):
// a big file's cards are not held twice.
type incoming struct {
	*card.Card
	subdeck string // see Store.Subdeck
	fp      int64
	match   *existing
}

// existing is a card of the collection a sync may match.
type existing struct {
	rowid                 int64
	id, deck, key, anchor string
	kind, source          string
	line                  int
	fp                    int64
	orphan                bool
	claimed               bool
	front, back           string
	loaded                bool      // front and back read
	sameFP                *existing // next card with the same fingerprint
}

// Sync makes the collection match the cards that one notes file now gives,
// in one transaction: either all of it happens or none.
//
// Each card's own Deck counts (a --deck flag is the parser's business).
// limits are what the file's front matter says (nil fields: nothing); they
// are remembered with the file, and its deck takes them unless `recall
// config` set the deck's own (see Deck).
//
// Old and new cards are matched in stages, each seeing only what the stages
// before left unmatched:
//
//  1. same deck and same Key: the same card, wherever it moved (another
//     section, another file). An orphan found again comes back.
//  2. same Anchor and Kind, with front and back both at least Similar: an
//     edit (a typo fixed in the question or the answer, a list label
//     reworded) that keeps the id and the schedule.
//  3. same Anchor and Kind, whatever the text, when the card is made from
//     an item whose list has it at the same number and whose neighbours
//     are unchanged (see inPlace): an item reworded in place.
//  4. old cards of this file still unmatched become orphans: hidden from
//     review, never deleted. New cards still unmatched are added with their
//     own ID, or, if that is taken, one derived from it deterministically.
//
// A matched card whose front or back changed keeps its old text as a
// revision.
func (s *Store) Sync(ctx context.Context, src SourceFile, limits card.Limits, cards []card.Card) (SyncResult, error) {
	var res SyncResult
	if src.Path == "" {
		return res, fmt.Errorf("sync: no source path: %w", card.ErrInvalid)
	}
	if limits.New != nil && *limits.New < 0 || limits.Reviews != nil && *limits.Reviews < 0 {
		return res, fmt.Errorf("sync %s: negative daily limit: %w", src.Path, card.ErrInvalid)
	}
	items := make([]incoming, len(cards))
	in := make([]*incoming, len(cards))
	decks := map[string]bool{}
	var deckOrder []string
	var buf []byte
	subdecks := map[[2]string]string{}
	for i := range cards {
		c, err := prepare(&cards[i], src.Path)
		if err != nil {
			return res, err
		}
		items[i] = incoming{Card: c, subdeck: s.subdeck(*c, subdecks)}
		items[i].fp, buf = fingerprint(c, buf)
		in[i] = &items[i]
		if !decks[c.Deck] {
			decks[c.Deck] = true
			deckOrder = append(deckOrder, c.Deck)
		}
	}
	now := s.now()
	for attempt := 1; ; attempt++ {
		// Plan in a read snapshot, which takes no lock: the matching reads
		// a lot and, on a big file, takes seconds. Then write what the
		// plan says in one short transaction, if no other change to the
		// cards came in between; else plan again. After maxPlans tries
		// the plan is made under the write lock, as it cannot go stale.
		locked := attempt > maxPlans
		var sy *syncer
		if !locked {
			var err error
			sy, err = s.plan(ctx, src, now, in)
			if err != nil {
				return SyncResult{}, fmt.Errorf("sync %s: %w", src.Path, err)
			}
			if s.afterPlan != nil {
				s.afterPlan()
			}
		}
		err := s.tx(ctx, func(tx *sql.Tx) error {
			if locked {
				sy = newSyncer(ctx, tx, src, now, in)
				if err := sy.match(in); err != nil {
					return err
				}
			} else {
				gen, err := generation(ctx, tx)
				if err != nil {
					return err
				}
				if gen != sy.gen {
					return errStale
				}
				sy.ctx, sy.tx = ctx, tx
			}
			if err := sy.decks(deckOrder); err != nil {
				return err
			}
			// The subdecks' counts of the files this sync changes are
			// taken out, then put back as written.
			touched := sy.touched(in)
			if err := countSubdecks(ctx, tx, -1, touched...); err != nil {
				return err
			}
			if err := sy.apply(in); err != nil {
				return err
			}
			if err := countSubdecks(ctx, tx, 1, touched...); err != nil {
				return err
			}
			if err := sy.remember(deckOrder, limits); err != nil {
				return err
			}
			if err := bumpGeneration(ctx, tx); err != nil {
				return err
			}
			if s.beforeCommit != nil {
				return s.beforeCommit()
			}
			return nil
		})
		if errors.Is(err, errStale) {
			continue
		}
		if err != nil {
			return SyncResult{}, fmt.Errorf("sync %s: %w", src.Path, err)
		}
		return *sy.res, nil
	}
}

// remember records the file synced, with the deck of its first card
// (none: the deck of its last sync) and its front matter's limits.
func (sy *syncer) remember(decks []string, limits card.Limits) error {
	var srcDeck any // NULL keeps the deck of the last sync
	if len(decks) > 0 {
		srcDeck = decks[0]
	}
	var sched any // NULL: the front matter names none
	if limits.Scheduler != "" {
		sched = limits.Scheduler
	}
	src := sy.src
	_, err := sy.tx.ExecContext(sy.ctx, `INSERT INTO sources (path, hash, mtime, deck, deck_override, synced, new_front, reviews_front,
		scheduler_front)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
	ON CONFLICT (path) DO UPDATE SET hash = excluded.hash, mtime = excluded.mtime,
		deck = coalesce(excluded.deck, deck), deck_override = excluded.deck_override, synced = excluded.synced,
		new_front = excluded.new_front, reviews_front = excluded.reviews_front, scheduler_front = excluded.scheduler_front`,
		src.Path, src.Hash, src.ModTime.UnixNano(), srcDeck, src.DeckOverride, sy.now,
		limitArg(limits.New), limitArg(limits.Reviews), sched)
	return err
}

// maxPlans is how many times a sync plans outside the write lock before
// it plans under it: other syncs keep coming in between.
const maxPlans = 3

// errStale is a plan that another change to the cards made out of date.
var errStale = errors.New("the cards changed while the sync planned")

// plan matches the incoming cards to the collection's in a read snapshot
// and reads what writing them will need, without taking the write lock.
func (s *Store) plan(ctx context.Context, src SourceFile, now time.Time, in []*incoming) (*syncer, error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return nil, dbErr(err)
	}
	defer tx.Rollback()
	sy := newSyncer(ctx, tx, src, now, in)
	if sy.gen, err = generation(ctx, tx); err != nil {
		return nil, dbErr(err)
	}
	if err := sy.match(in); err != nil {
		return nil, dbErr(err)
	}
	sy.tx = nil // the snapshot ends here
	return sy, nil
}

// newSyncer starts a sync of in, forgetting any earlier plan's matches.
func newSyncer(ctx context.Context, tx *sql.Tx, src SourceFile, now time.Time, in []*incoming) *syncer {
	for _, n := range in {
		n.match = nil
	}
	return &syncer{ctx: ctx, tx: tx, src: src, now: now.UnixNano(), res: &SyncResult{}}
}

// generation reads the counter that every change to which cards exist
// moves on (migration 0003).
func generation(ctx context.Context, tx *sql.Tx) (int64, error) {
	var g int64
	err := tx.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = 'generation'`).Scan(&g)
	return g, err
}

// bumpGeneration tells the syncs planning now that their plans are stale.
func bumpGeneration(ctx context.Context, tx *sql.Tx) error {
	_, err := tx.ExecContext(ctx, `UPDATE meta SET value = value + 1 WHERE key = 'generation'`)
	return err
}

// prepare checks a card from the notes and fills in what the collection
// needs and the parser may leave out, in a copy: the caller's card is
// left as it was, and returned itself when it lacks nothing.
func prepare(orig *card.Card, path string) (*card.Card, error) {
	if orig.Source.File != "" && orig.Key != "" && orig.ID != "" {
		return orig, check(orig)
	}
	c := *orig
	if c.Source.File == "" {
		c.Source.File = path
	}
	if err := check(&c); err != nil {
		return nil, err
	}
	if c.Key == "" {
		c.Key = card.Normalize(c.Front)
	}
	if c.ID == "" {
		c.ID = card.NewID(c.Deck, c.Key)
	}
	return &c, nil
}

// check refuses a card the collection cannot hold, naming where it is.
func check(c *card.Card) error {
	where := func() string { return c.Source.File + ":" + strconv.Itoa(c.Source.Line) }
	switch {
	case !c.Kind.Valid():
		return fmt.Errorf("%s: card of unknown kind %q: %w", where(), c.Kind, card.ErrInvalid)
	case c.Front == "":
		return fmt.Errorf("%s: card with an empty front: %w", where(), card.ErrInvalid)
	case c.Deck == "":
		return fmt.Errorf("%s: card with no deck: %w", where(), card.ErrInvalid)
	}
	return nil
}

// fingerprint hashes everything sync stores of a card, so that a re-sync
// recognises an unchanged card without reading its text back. Two CRC-32s
// (hardware-assisted) of the length-prefixed fields make 64 bits: a
// checksum against accidental change, which is all it needs to be. buf is
// scratch space, returned for reuse.
func fingerprint(c *card.Card, buf []byte) (int64, []byte) {
	buf = buf[:0]
	str := func(s string) {
		buf = binary.AppendUvarint(buf, uint64(len(s)))
		buf = append(buf, s...)
	}
	str(c.Deck)
	str(string(c.Kind))
	str(c.Key)
	str(c.Anchor)
	str(c.Group)
	str(c.Front)
	str(c.Back)
	str(c.Text)
	str(c.Section)
	str(c.Source.File)
	buf = binary.AppendVarint(buf, int64(c.Source.Line))
	buf = binary.AppendUvarint(buf, uint64(len(c.Context)))
	for _, s := range c.Context {
		str(s)
	}
	buf = binary.AppendUvarint(buf, uint64(len(c.Tags)))
	for _, s := range c.Tags {
		str(s)
	}
	return int64(uint64(crc32.Checksum(buf, castagnoli))<<32 | uint64(crc32.ChecksumIEEE(buf))), buf
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// syncer is one sync at work: its plan, then its writes.
type syncer struct {
	ctx context.Context
	tx  *sql.Tx
	src SourceFile
	now int64
	res *SyncResult

	gen       int64 // the generation the plan was made against
	old       []*existing
	claimed   map[int64]bool // rowids of other files' cards matched by this sync
	orphans   []*existing    // old cards no incoming card matched
	deckEmpty map[string]bool
	lookup    *sql.Stmt
	args      rowArgs
}

// touched returns the files whose cards the plan changes: this one, and
// those its cards move from; none when it changes nothing.
func (sy *syncer) touched(in []*incoming) []string {
	files := map[string]bool{}
	changes := len(sy.orphans) > 0
	for _, n := range in {
		o := n.match
		if o == nil || o.fp != n.fp || o.orphan || o.source != sy.src.Path {
			changes = true
		}
		if o != nil && o.source != sy.src.Path {
			files[o.source] = true
		}
	}
	if !changes {
		return nil
	}
	files[sy.src.Path] = true
	return slices.Sorted(maps.Keys(files))
}

func (sy *syncer) decks(names []string) error {
	for _, d := range names {
		_, err := sy.tx.ExecContext(sy.ctx, `INSERT INTO decks (name, created) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, d, sy.now)
		if err != nil {
			return fmt.Errorf("deck %q: %w", d, err)
		}
	}
	return nil
}

// match decides, reading only, what becomes of every card: each incoming
// card's match (or none), the old cards left over, and the old text of
// the cards whose wording changes.
func (sy *syncer) match(in []*incoming) error {
	sy.claimed = make(map[int64]bool)
	// Cards exactly as they were, the bulk of a re-sync, match on their
	// fingerprint alone: equal fingerprints mean equal deck, key and
	// anchor, the best match of stage 1.
	if err := sy.fingerprints(); err != nil {
		return err
	}
	// Each fingerprint leads to the first card that has it, and each card
	// to the next with the same fingerprint.
	byFP := make(map[int64]*existing, len(sy.old))
	for i := len(sy.old) - 1; i >= 0; i-- {
		o := sy.old[i]
		o.sameFP = byFP[o.fp]
		byFP[o.fp] = o
	}
	unmatched := 0
	for _, n := range in {
		for o := byFP[n.fp]; o != nil; o = o.sameFP {
			if !o.claimed {
				sy.claim(n, o)
				break
			}
		}
		if n.match == nil {
			unmatched++
		}
	}
	var rest []*existing
	for _, o := range sy.old {
		if !o.claimed {
			rest = append(rest, o)
		}
	}
	if unmatched > 0 && len(rest) > 0 {
		if err := sy.details(rest); err != nil {
			return err
		}
	}

	// Stage 1: same deck and key, preferring the card at the same place
	// when several share a key, then any of this file, then any of the deck.
	if unmatched > 0 {
		byKey := make(map[string][]*existing, len(rest))
		for _, o := range rest {
			k := o.deck + "\x00" + o.key
			byKey[k] = append(byKey[k], o)
		}
		for _, sameAnchor := range []bool{true, false} {
			for _, n := range in {
				if n.match != nil {
					continue
				}
				for _, o := range byKey[n.Deck+"\x00"+n.Key] {
					if !o.claimed && (!sameAnchor || o.anchor == n.Anchor) {
						sy.claim(n, o)
						break
					}
				}
			}
		}
		for _, n := range in {
			if n.match != nil {
				continue
			}
			o, err := sy.elsewhere(n)
			if err != nil {
				return err
			}
			if o != nil {
				sy.claim(n, o)
			}
		}
	}

	// Stage 2: same place, similar text.
	byAnchor := map[string][]*existing{}
	for _, o := range rest {
		if !o.claimed && o.anchor != "" {
			byAnchor[o.anchor] = append(byAnchor[o.anchor], o)
		}
	}
	if len(byAnchor) > 0 {
		for _, n := range in {
			if n.match != nil || n.Anchor == "" {
				continue
			}
			var best *existing
			bestScore := 0.0
			for _, o := range byAnchor[n.Anchor] {
				if o.claimed || o.kind != string(n.Kind) {
					continue
				}
				if err := sy.text(o); err != nil {
					return err
				}
				score := min(similarity(o.front, n.Front), similarity(o.back, n.Back))
				if score >= Similar && score > bestScore {
					best, bestScore = o, score
				}
			}
			if best != nil {
				sy.claim(n, best)
			}
		}
	}

	// Stage 3: same place, any text, when the item's neighbours stayed.
	if unmatched > 0 && len(rest) > 0 {
		sy.inPlace(in, rest)
	}

	// Stage 4: what is left becomes an orphan (in apply).
	for _, o := range rest {
		if !o.claimed && !o.orphan {
			sy.orphans = append(sy.orphans, o)
		}
	}
	if sy.lookup != nil {
		sy.lookup.Close()
		sy.lookup = nil
	}
	// The old wording of a changed card is kept as a revision.
	for _, n := range in {
		if o := n.match; o != nil && o.fp != n.fp {
			if err := sy.text(o); err != nil {
				return err
			}
		}
	}
	return nil
}

// apply writes what match decided, in the write transaction.
func (sy *syncer) apply(in []*incoming) error {
	for _, o := range sy.orphans {
		if _, err := sy.tx.ExecContext(sy.ctx, `UPDATE cards SET orphan = 1, modified = ? WHERE rowid = ?`, sy.now, o.rowid); err != nil {
			return fmt.Errorf("orphan a card: %w", err)
		}
		sy.res.Orphaned++
	}
	return sy.write(in)
}

// fingerprints reads the fingerprints of this file's cards, from the
// covering index cards_source alone.
func (sy *syncer) fingerprints() error {
	rows, err := sy.tx.QueryContext(sy.ctx, `SELECT rowid, fp, orphan FROM cards WHERE source = ?`, sy.src.Path)
	if err != nil {
		return err
	}
	defer rows.Close()
	type row struct {
		rowid, fp int64
		orphan    bool
	}
	var rs []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.rowid, &r.fp, &r.orphan); err != nil {
			return err
		}
		rs = append(rs, r)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	all := make([]existing, len(rs))
	sy.old = make([]*existing, len(rs))
	for i, r := range rs {
		all[i] = existing{rowid: r.rowid, fp: r.fp, orphan: r.orphan, source: sy.src.Path}
		sy.old[i] = &all[i]
	}
	return nil
}

// details reads what stages 1 and 2 compare of the cards fingerprints did
// not match: one by one when they are few, in one pass when many. It leaves
// them in the order of their lines, which decides between cards sharing a
// key.
func (sy *syncer) details(rest []*existing) error {
	const q = `SELECT rowid, id, deck, key, anchor, kind, line FROM cards`
	scan := func(r scanner, o *existing) error {
		var rowid int64
		return r.Scan(&rowid, &o.id, &o.deck, &o.key, &o.anchor, &o.kind, &o.line)
	}
	if len(rest) <= 256 {
		st, err := sy.tx.PrepareContext(sy.ctx, q+` WHERE rowid = ?`)
		if err != nil {
			return err
		}
		defer st.Close()
		for _, o := range rest {
			if err := scan(st.QueryRowContext(sy.ctx, o.rowid), o); err != nil {
				return err
			}
		}
	} else {
		byRowid := make(map[int64]*existing, len(rest))
		for _, o := range rest {
			byRowid[o.rowid] = o
		}
		rows, err := sy.tx.QueryContext(sy.ctx, q+` WHERE source = ?`, sy.src.Path)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var rowid int64
			var tmp existing
			if err := rows.Scan(&rowid, &tmp.id, &tmp.deck, &tmp.key, &tmp.anchor, &tmp.kind, &tmp.line); err != nil {
				return err
			}
			if o := byRowid[rowid]; o != nil {
				o.id, o.deck, o.key, o.anchor, o.kind, o.line = tmp.id, tmp.deck, tmp.key, tmp.anchor, tmp.kind, tmp.line
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	sort.SliceStable(rest, func(i, j int) bool { return rest[i].line < rest[j].line })
	return nil
}

func (sy *syncer) claim(n *incoming, o *existing) {
	n.match = o
	o.claimed = true
}

// elsewhere finds a card of n's deck and key that belongs to another file
// (or to none): n moved there. Orphans, which lost their place, go first.
func (sy *syncer) elsewhere(n *incoming) (*existing, error) {
	if sy.deckEmpty == nil {
		sy.deckEmpty = map[string]bool{}
	}
	empty, ok := sy.deckEmpty[n.Deck]
	if !ok {
		// A first sync into a new deck, the common case for big files,
		// needs no lookups at all.
		err := sy.tx.QueryRowContext(sy.ctx, `SELECT NOT EXISTS (SELECT 1 FROM cards WHERE deck = ?)`, n.Deck).Scan(&empty)
		if err != nil {
			return nil, err
		}
		sy.deckEmpty[n.Deck] = empty
	}
	if empty {
		return nil, nil
	}
	if sy.lookup == nil {
		st, err := sy.tx.PrepareContext(sy.ctx, `SELECT rowid, id, deck, key, anchor, kind, fp, orphan, source FROM cards
			WHERE deck = ? AND key = ? AND source <> ? ORDER BY orphan DESC, rowid`)
		if err != nil {
			return nil, err
		}
		sy.lookup = st
	}
	rows, err := sy.lookup.QueryContext(sy.ctx, n.Deck, n.Key, sy.src.Path)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		o := &existing{}
		if err := rows.Scan(&o.rowid, &o.id, &o.deck, &o.key, &o.anchor, &o.kind, &o.fp, &o.orphan, &o.source); err != nil {
			return nil, err
		}
		if !sy.claimed[o.rowid] {
			return o, rows.Close()
		}
	}
	return nil, rows.Err()
}

// text reads the front and back of an existing card once.
func (sy *syncer) text(o *existing) error {
	if o.loaded {
		return nil
	}
	err := sy.tx.QueryRowContext(sy.ctx, `SELECT front, back FROM cards WHERE rowid = ?`, o.rowid).Scan(&o.front, &o.back)
	if err != nil {
		return fmt.Errorf("card %s: %w", o.id, err)
	}
	o.loaded = true
	return nil
}

const cardColumns = `deck, kind, key, anchor, grp, front, back, text, context, tags, source, file, line, fp, subdeck, section`

// insertCard adds a card, or nothing when its id is taken (see insert).
const insertCard = `INSERT INTO cards (id, ` + cardColumns + `, created, modified, changed)
	VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`

// updateCard writes a matched card's cardColumns, brings it back from the
// orphans and stamps it modified. It stamps it changed only when what an
// export gives of it differs from what the row held (the right-hand side
// of SET reads the row as it was): moving in its file, or to another,
// changes nothing Anki sees.
const updateCard = updateCardSet + ` WHERE rowid = ?18`

// updateCardSet is updateCard without its WHERE, for a statement that
// names the card its own way as ?18.
const updateCardSet = `UPDATE cards SET (` + cardColumns + `, orphan, modified, changed)
	= (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, 0, ?17,
		CASE WHEN deck = ?1 AND kind = ?2 AND grp = ?5 AND front = ?6 AND back = ?7 AND text = ?8
			AND context = ?9 AND tags = ?10 AND subdeck = ?15 THEN changed ELSE ?17 END)`

// write updates the matched cards that changed and inserts the new ones.
func (sy *syncer) write(in []*incoming) error {
	var insert, update, revise *sql.Stmt
	defer func() {
		for _, st := range []*sql.Stmt{insert, update, revise} {
			if st != nil {
				st.Close()
			}
		}
	}()
	for _, n := range in {
		o := n.match
		if o != nil && o.fp == n.fp && !o.orphan && o.source == sy.src.Path {
			sy.res.Unchanged++
			continue
		}
		args, err := sy.args.content(n, sy.src.Path)
		if err != nil {
			return err
		}
		if o == nil {
			if insert == nil {
				if insert, err = sy.tx.PrepareContext(sy.ctx, insertCard); err != nil {
					return err
				}
			}
			if err := sy.insert(insert, n, args); err != nil {
				return err
			}
			sy.res.Added++
			continue
		}
		if o.fp != n.fp {
			if err := sy.text(o); err != nil { // read by match already
				return err
			}
			if o.front != n.Front || o.back != n.Back {
				if revise == nil {
					if revise, err = sy.tx.PrepareContext(sy.ctx, `INSERT INTO revisions (card_id, front, back, time) VALUES (?, ?, ?, ?)`); err != nil {
						return err
					}
				}
				if _, err := revise.ExecContext(sy.ctx, o.id, o.front, o.back, sy.now); err != nil {
					return fmt.Errorf("card %s: %w", o.id, err)
				}
			}
		}
		if update == nil {
			if update, err = sy.tx.PrepareContext(sy.ctx, updateCard); err != nil {
				return err
			}
		}
		if _, err := update.ExecContext(sy.ctx, append(args, sy.now, o.rowid)...); err != nil {
			return fmt.Errorf("card %s: %w", o.id, err)
		}
		if o.orphan {
			sy.res.Restored++
		} else {
			sy.res.Updated++
		}
	}
	return nil
}

// insert adds a new card under its own id or, when another card holds that
// id, under the first free one of id derived from its key with "#2", "#3"…
func (sy *syncer) insert(st *sql.Stmt, n *incoming, args []any) error {
	id := n.ID
	for i := 2; ; i++ {
		row := append(append(append(sy.args.row[:0], id), args...), sy.now, sy.now, sy.now)
		sy.args.row = row
		r, err := st.ExecContext(sy.ctx, row...)
		if err != nil {
			return fmt.Errorf("%s:%d: card %s: %w", n.Source.File, n.Source.Line, id, err)
		}
		if k, err := r.RowsAffected(); err != nil || k == 1 {
			return err
		}
		if i > 1000 {
			return fmt.Errorf("%s:%d: no free id for card %s: %w", n.Source.File, n.Source.Line, n.ID, card.ErrExists)
		}
		id = card.NewID(n.Deck, n.Key+"#"+strconv.Itoa(i))
	}
}

// rowArgs builds the values of the rows a sync writes, in buffers reused
// from card to card. The cards of a section share their context and tags,
// whose JSON is made once for all of them.
type rowArgs struct {
	buf, row  []any
	ctx, tags jsonMemo
}

// content returns the values of cardColumns for n, valid until the next
// call.
func (a *rowArgs) content(n *incoming, source string) ([]any, error) {
	ctxJSON, err := a.ctx.of(n.Context)
	if err != nil {
		return nil, err
	}
	tagsJSON, err := a.tags.of(n.Tags)
	if err != nil {
		return nil, err
	}
	a.buf = append(a.buf[:0], n.Deck, string(n.Kind), n.Key, n.Anchor, n.Group, n.Front, n.Back, n.Text,
		ctxJSON, tagsJSON, source, n.Source.File, n.Source.Line, n.fp, n.subdeck, n.Section)
	return a.buf, nil
}

// jsonMemo remembers the JSON of the last list it made, by the list's
// elements: the same elements are the same list.
type jsonMemo struct {
	first *string
	n     int
	json  string
}

func (m *jsonMemo) of(l []string) (string, error) {
	if len(l) == 0 {
		return "[]", nil
	}
	if &l[0] == m.first && len(l) == m.n {
		return m.json, nil
	}
	j := jsonList(l)
	m.first, m.n, m.json = &l[0], len(l), j
	return j, nil
}

func jsonList(l []string) string {
	if len(l) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(l) // strings always marshal
	return string(b)
}

// Sources returns the notes files the collection remembers, by path.
func (s *Store) Sources(ctx context.Context) ([]Source, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT path, hash, mtime, coalesce(deck, ''), deck_override, synced FROM sources ORDER BY path`)
	if err != nil {
		return nil, fmt.Errorf("sources: %w", dbErr(err))
	}
	defer rows.Close()
	loc := s.now().Location()
	var out []Source
	for rows.Next() {
		var src Source
		var mtime, synced int64
		if err := rows.Scan(&src.Path, &src.Hash, &mtime, &src.Deck, &src.DeckOverride, &synced); err != nil {
			return nil, fmt.Errorf("sources: %w", dbErr(err))
		}
		src.ModTime = time.Unix(0, mtime).In(loc)
		src.Synced = time.Unix(0, synced).In(loc)
		out = append(out, src)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sources: %w", dbErr(err))
	}
	return out, nil
}

// Prune forgets a vanished notes file and orphans its cards, in one
// transaction. It returns how many cards it orphaned.
func (s *Store) Prune(ctx context.Context, path string) (int, error) {
	var n int64
	err := s.tx(ctx, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, `DELETE FROM sources WHERE path = ?`, path)
		if err != nil {
			return err
		}
		if k, err := r.RowsAffected(); err != nil {
			return err
		} else if k == 0 {
			return card.ErrNotFound
		}
		if err := countSubdecks(ctx, tx, -1, path); err != nil {
			return err
		}
		r, err = tx.ExecContext(ctx, `UPDATE cards SET orphan = 1, modified = ? WHERE source = ? AND orphan = 0`, s.now().UnixNano(), path)
		if err != nil {
			return err
		}
		if n, err = r.RowsAffected(); err != nil {
			return err
		}
		return bumpGeneration(ctx, tx)
	})
	if err != nil {
		return 0, fmt.Errorf("prune source %s: %w", path, err)
	}
	return int(n), nil
}

// SourceCards counts the cards a notes file gives today (its cards that
// are not orphans).
func (s *Store) SourceCards(ctx context.Context, path string) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM cards WHERE source = ? AND orphan = 0`, path).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count cards of %s: %w", path, dbErr(err))
	}
	return n, nil
}
