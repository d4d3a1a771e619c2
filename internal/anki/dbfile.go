package anki

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/recall-cli/recall/internal/sqlitefile"
)

// writeCollection writes the collection file of the package from the rows
// the sorters gathered: the tables of schema 11 in order, each from its
// rows merged in id order, and the index of the review log by card.
func (w *Writer) writeCollection(path string) (err error) {
	f, err := sqlitefile.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Abort()
		}
	}()
	tabs := map[string]*sqlitefile.Table{}
	for _, t := range schema11 {
		tabs[t.name] = f.Table(t.name, t.ddl())
	}
	revByCard := f.Index("ix_revlog_cid", "revlog", indexes11[0])

	r := &w.rec
	r.Reset()
	r.Null()
	for _, v := range []int64{w.crt, w.nowMs, w.nowMs, schemaVersion, 0, 0, 0} {
		r.Int(v)
	}
	modS := w.opts.Now.Unix()
	for _, v := range []string{confJSON(w.opts.Rollover, w.creationOffset, w.pos+1),
		modelsJSON(), decksJSON(w.deckNames, modS), dconfJSON(modS), "{}"} {
		r.Text(v)
	}
	if err := tabs["col"].Add(1, r.Bytes()); err != nil {
		return err
	}
	if err := w.writeNotes(tabs["notes"]); err != nil {
		return fmt.Errorf("writing notes: %w", err)
	}
	byCard := newSorter(filepath.Join(w.dir, "revcid.sort"), rowBudget)
	defer byCard.close()
	if err := w.writeReviews(tabs["revlog"], byCard); err != nil {
		return fmt.Errorf("writing the review log: %w", err)
	}
	if err := w.writeCards(tabs["cards"], revByCard, byCard); err != nil {
		return fmt.Errorf("writing cards: %w", err)
	}
	return f.Close()
}

// writeNotes writes the notes in id order, each with the patch that
// follows it, if any (see pair).
func (w *Writer) writeNotes(t *sqlitefile.Table) error {
	it, err := w.noteRows.iter()
	if err != nil {
		return err
	}
	var row []byte
	nid, have := int64(0), false
	flush := func() error {
		if !have {
			return nil
		}
		have = false
		return t.Add(nid, row)
	}
	for it.next() {
		if it.k.b == patchRow {
			if !have || it.k.a != nid {
				return fmt.Errorf("note %d: patch without a note", it.k.a)
			}
			if row, err = patchNote(row, it.rec); err != nil {
				return fmt.Errorf("note %d: %w", nid, err)
			}
			continue
		}
		if err := flush(); err != nil {
			return err
		}
		nid, have, row = it.k.a, true, append(row[:0], it.rec...)
	}
	if it.err != nil {
		return it.err
	}
	w.noteRows.close()
	return flush()
}

// writeReviews writes the review log in id order, and sorts its ids by
// card into byCard for the index.
func (w *Writer) writeReviews(t *sqlitefile.Table, byCard *sorter) error {
	it, err := w.revRows.iter()
	if err != nil {
		return err
	}
	r := &w.rec
	for it.next() {
		kept := it.rec
		var v [7]int64 // cid, ease, ivl, lastIvl, factor, time, type
		for i := range v {
			x, n := binary.Varint(kept)
			if n <= 0 {
				return errors.New("reading back a review: bad row")
			}
			v[i], kept = x, kept[n:]
		}
		r.Reset()
		r.Null()
		r.Int(v[0])
		r.Int(-1) // usn
		for _, x := range v[1:] {
			r.Int(x)
		}
		if err := t.Add(it.k.a, r.Bytes()); err != nil {
			return err
		}
		if err := byCard.add(sortKey{v[0], it.k.a}, nil); err != nil {
			return err
		}
	}
	if it.err != nil {
		return it.err
	}
	w.revRows.close()
	return nil
}

// writeCards writes the cards in id order, each with its number of
// reviews, counted from the review log sorted by card (byCard), which
// makes the index of the log on the way.
func (w *Writer) writeCards(t *sqlitefile.Table, ix *sqlitefile.Index, byCard *sorter) error {
	revs, err := byCard.iter()
	if err != nil {
		return err
	}
	moreRevs := revs.next()
	var key sqlitefile.Record
	// count passes the reviews of cards up to cid into the index and
	// returns how many were of cid.
	count := func(cid int64) (int64, error) {
		var n int64
		for moreRevs && revs.k.a <= cid {
			if revs.k.a == cid {
				n++
			}
			key.Reset()
			key.Int(revs.k.a)
			key.Int(revs.k.b)
			if err := ix.Add(key.Bytes()); err != nil {
				return 0, err
			}
			moreRevs = revs.next()
		}
		return n, revs.err
	}
	it, err := w.cardRows.iter()
	if err != nil {
		return err
	}
	var row []byte
	cid, have, reverse := int64(0), false, false
	flush := func() error {
		if !have {
			return nil
		}
		have = false
		reps, err := count(cid)
		if err != nil {
			return err
		}
		if err := cardRecord(&w.rec, row, reps, reverse); err != nil {
			return fmt.Errorf("card %d: %w", cid, err)
		}
		return t.Add(cid, w.rec.Bytes())
	}
	for it.next() {
		if it.k.b == patchRow {
			if !have || it.k.a != cid {
				return fmt.Errorf("card %d: patch without a card", it.k.a)
			}
			reverse = true
			continue
		}
		if err := flush(); err != nil {
			return err
		}
		cid, have, reverse, row = it.k.a, true, false, append(row[:0], it.rec...)
	}
	if it.err != nil {
		return it.err
	}
	if err := flush(); err != nil {
		return err
	}
	w.cardRows.close()
	// Reviews of no card written cannot be: count them into the index
	// all the same.
	_, err = count(1<<63 - 1)
	return err
}

// numericText adds s to r as SQLite stores text in a column of INTEGER
// affinity, as notes.sfld is: a well-formed number, spaces around it
// aside, becomes an integer, or a real when it is not a whole one (or too
// big); anything else stays text.
func numericText(r *sqlitefile.Record, s string) {
	t := strings.Trim(s, " \t\n\v\f\r")
	if !looksNumeric(t) {
		r.Text(s)
		return
	}
	if i, err := strconv.ParseInt(t, 10, 64); err == nil {
		r.Int(i)
		return
	}
	// An integer too big for 64 bits is a real; one written with a point
	// or an exponent is an integer when it is a whole one.
	whole := !strings.ContainsAny(t, ".eE")
	f, err := strconv.ParseFloat(t, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		r.Text(s)
		return
	}
	if !whole && f == math.Trunc(f) && f > -(1<<63) && f < 1<<63 {
		r.Int(int64(f))
		return
	}
	r.Float(f)
}

// looksNumeric reports whether s is a decimal number as SQLite reads one:
// a sign, digits with a point among or after them, an exponent.
func looksNumeric(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i, digits = i+1, digits+1
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, digits = i+1, digits+1
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		exp := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, exp = i+1, exp+1
		}
		if exp == 0 {
			return false
		}
	}
	return i == len(s)
}
