package notes

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"slices"
	"strings"

	"github.com/recall-cli/recall/internal/card"
)

// ErrUnsettled is what Stream returns for notes whose cards it cannot
// hand over as they are made. Parse them whole instead.
var ErrUnsettled = errors.New("the cards of these notes are settled only at their end")

// Sink takes the cards Stream makes.
type Sink interface {
	// Add takes the next cards, in order. It must not keep the slice
	// (the cards in it are its own).
	Add([]card.Card) error
	// Card returns the card of id handed to Add before.
	Card(id string) (card.Card, error)
	// Fix replaces the card of c's id and key handed to Add before with
	// c: a card whose front later cards changed.
	Fix(c card.Card) error
	// Drop forgets the card of c's id and key handed to Add before: a
	// definition that later cards made a remark. When other cards share
	// its group, whose id is its own, a sink may refuse it with an error
	// of its own, which Stream returns.
	Drop(c card.Card) error
}

// Stream parses notes as Parse does, but hands their cards to sink as
// they are made, a part of the notes at a time and in order, and keeps
// none: the File it returns has no Cards. The cards of a big file are
// then never all in memory together. Stream does not lint (opts.Lint is
// ignored). An error of sink stops Stream and is returned as it is.
//
// Parse changes cards made earlier in two cases. Cards that ask the same
// thing are told apart by their breadcrumbs, or dropped when they are
// definitions of a remark: Stream then fixes or drops the cards handed
// over (sink.Fix, sink.Drop) when the notes end. And repeats of a list
// card or a cloze are dropped when the notes have a question that may
// repeat one (see finisher): when that happens, and in rarer cases,
// Stream stops with ErrUnsettled, possibly after handing over some cards,
// which the caller then drops before it parses the notes whole.
func Stream(name string, src []byte, opts Options, sink Sink) (File, error) {
	opts.Lint = false
	cfg := defaultConfig()
	cfg.sink = sink
	if opts.Spill != nil {
		// A big file: the fewer cards, trees and text the parts in
		// flight hold, the less memory it takes, for no more time.
		cfg.partSize = 32 << 10
	}
	f, err := parseWith(name, src, opts, cfg)
	if errors.Is(err, errListCut) {
		// Cards handed over already are the caller's to drop: it parses
		// the notes whole, without such cuts.
		err = ErrUnsettled
	}
	f.Cards = nil
	return f, err
}

// streaming is what a finisher keeps of the cards it handed over.
type streaming struct {
	sink   Sink
	sides  [][16]byte        // a hash of each card's sides, by index in the notes
	fetch  map[int]fetch     // cards of again handed over before they were
	copies map[int]card.Card // the other cards of again
	copied int               // the entries of again copied
	buf    []byte

	// Repeats of list cards and clozes are dropped when the notes have a
	// question that may repeat one (see finisher.cards): listLike and
	// bracket are whether they do so far, and crossed the sides met of
	// the cards that would be dropped, for each way they can: listLike
	// alone, bracket alone, both. dropped is whether one was.
	listLike, bracket bool
	crossed           [3]map[[16]byte]struct{}
	dropped           [3]bool
}

// fetch is a card of again to read back from the sink.
type fetch struct{ id, key string }

func newStreaming(sink Sink) *streaming {
	st := &streaming{sink: sink, fetch: map[int]fetch{}, copies: map[int]card.Card{}}
	for i := range st.crossed {
		st.crossed[i] = map[[16]byte]struct{}{}
	}
	return st
}

// hash hashes the sides of c.
func (st *streaming) hash(c *card.Card) [16]byte {
	st.buf = binary.AppendUvarint(st.buf[:0], uint64(len(c.Front)))
	st.buf = append(append(st.buf, c.Front...), c.Back...)
	sum := sha256.Sum256(st.buf)
	return [16]byte(sum[:16])
}

// hotKey stands for hashed sides in finisher.hot.
func hotKey(h [16]byte) sides { return sides{front: string(h[:])} }

// cross notes c, in the order of the notes, for the repeats that
// finisher.cards drops.
func (st *streaming) cross(c *card.Card, h [16]byte, listCloze bool) {
	var would [3]bool // c is dropped if a repeat, by way
	switch c.Kind {
	case card.List:
		would = [3]bool{true, false, true}
	case card.Cloze:
		would = [3]bool{false, !listCloze, !listCloze}
	default:
		nl, br := strings.IndexByte(c.Back, '\n') >= 0, strings.IndexByte(c.Front, '[') >= 0
		would = [3]bool{nl, br, nl || br}
	}
	for way, w := range would {
		if !w {
			continue
		}
		if _, dup := st.crossed[way][h]; dup {
			st.dropped[way] = true
		} else {
			st.crossed[way][h] = struct{}{}
		}
	}
}

// flush hands the cards gathered since the last flush to the sink, named
// as cards names them, and forgets them.
func (f *finisher) flush() error {
	if f.tooMany {
		return errTooMany
	}
	st := f.stream
	f.name(f.named)
	f.named = f.base
	for i := range f.out {
		st.cross(&f.out[i], st.sides[f.flushed+i], f.listCloze[i])
	}
	listLike, bracket := crossing(f.out)
	st.listLike, st.bracket = st.listLike || listLike, st.bracket || bracket
	for _, g := range f.again[st.copied:] {
		if g >= f.flushed {
			st.copies[g] = detach(f.out[g-f.flushed])
		}
	}
	st.copied = len(f.again)
	err := st.sink.Add(f.out)
	f.flushed += len(f.out)
	clear(f.out)
	f.out, f.id, f.group, f.listCloze = f.out[:0], f.id[:0], f.group[:0], f.listCloze[:0]
	return err
}

// detach copies the strings of c that share their memory with the strings
// of other cards (see strs, finisher.name): a card kept must not keep all
// of them.
func detach(c card.Card) card.Card {
	for _, s := range []*string{&c.ID, &c.Front, &c.Back, &c.Key, &c.Anchor, &c.Group, &c.Text} {
		*s = strings.Clone(*s)
	}
	return c
}

// settle finishes the cards handed over as cards would: it fails with
// ErrUnsettled when cards would drop some, and fixes the fronts that
// tellApart changes.
func (f *finisher) settle() error {
	st := f.stream
	if st.listLike && st.bracket && st.dropped[2] || st.listLike && !st.bracket && st.dropped[0] ||
		!st.listLike && st.bracket && st.dropped[1] {
		return ErrUnsettled
	}
	if len(f.again) == 0 {
		return nil
	}
	// tellApart, on the cards of again alone.
	at := map[int]int{} // index in the notes → in few.out
	few := &finisher{}
	for _, g := range f.again {
		x, ok := at[g]
		if !ok {
			c, err := st.card(g)
			if err != nil {
				return err
			}
			x = len(few.out)
			at[g] = x
			few.out = append(few.out, c)
		}
		few.again = append(few.again, x)
	}
	n := len(few.out)
	few.id, few.group, few.listCloze = make([]uint64, n), make([]int32, n), make([]bool, n)
	before := slices.Clone(few.out)
	few.tellApart()
	after := map[string]string{} // key → front of the cards kept
	for _, c := range few.out {
		after[c.Key] = c.Front
	}
	for _, c := range before {
		front, kept := after[c.Key]
		switch {
		case !kept:
			if err := st.sink.Drop(c); err != nil {
				return err
			}
		case front != c.Front:
			c.Front = front
			if err := st.sink.Fix(c); err != nil {
				return err
			}
		}
	}
	return nil
}

// card returns the card at index g of the notes, of again.
func (st *streaming) card(g int) (card.Card, error) {
	if c, ok := st.copies[g]; ok {
		return c, nil
	}
	want, ok := st.fetch[g]
	if !ok {
		return card.Card{}, ErrUnsettled
	}
	c, err := st.sink.Card(want.id)
	if err != nil {
		return card.Card{}, err
	}
	if c.Key != want.key {
		return card.Card{}, ErrUnsettled // two keys share an id
	}
	return c, nil
}
