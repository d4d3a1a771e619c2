package anki

import (
	"bufio"
	"cmp"
	"container/heap"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"slices"
	"unsafe"
)

// sorter sorts records by a key of two integers, holding at most about
// budget bytes of them in memory: beyond, it sorts what it holds and
// writes it to a file as a run, and the runs are merged as they are read
// back. Records of equal keys come back in the order they were added.
type sorter struct {
	file   string // where runs go, created with the first
	budget int

	arena []byte     // the records held, one after another
	items []sortItem // their keys and places in arena
	f     *os.File   // the runs, one after another
	bw    *bufio.Writer
	runs  []runSpan
	off   int64
}

type sortKey struct{ a, b int64 }

func (k sortKey) compare(o sortKey) int { return cmp.Or(cmp.Compare(k.a, o.a), cmp.Compare(k.b, o.b)) }

type sortItem struct {
	key      sortKey
	off, len int
}

type runSpan struct{ off, len int64 }

func newSorter(file string, budget int) *sorter { return &sorter{file: file, budget: budget} }

// add adds a record under key. rec is copied.
func (s *sorter) add(key sortKey, rec []byte) error {
	// The records and their items share the budget; neither grows past
	// it, so memory stays within it (a spill empties both).
	if s.arena == nil {
		s.arena = make([]byte, 0, s.budget*3/4)
		s.items = make([]sortItem, 0, s.budget/4/int(unsafe.Sizeof(sortItem{})))
	}
	if len(s.items) == cap(s.items) || len(s.arena)+len(rec) > cap(s.arena) {
		if err := s.spill(); err != nil {
			return err
		}
	}
	s.items = append(s.items, sortItem{key: key, off: len(s.arena), len: len(rec)})
	s.arena = append(s.arena, rec...)
	return nil
}

// sortHeld sorts the records held, equal keys in the order they came (by
// their place in the arena).
func (s *sorter) sortHeld() {
	slices.SortFunc(s.items, func(x, y sortItem) int {
		if c := x.key.compare(y.key); c != 0 {
			return c
		}
		return cmp.Compare(x.off, y.off)
	})
}

// spill writes the records held as a run.
func (s *sorter) spill() error {
	if len(s.items) == 0 {
		return nil
	}
	if s.f == nil {
		f, err := os.Create(s.file)
		if err != nil {
			return err
		}
		s.f, s.bw = f, bufio.NewWriterSize(f, 64<<10)
	}
	s.sortHeld()
	start := s.off
	var hdr [3 * binary.MaxVarintLen64]byte
	for _, it := range s.items {
		n := binary.AppendVarint(hdr[:0], it.key.a)
		n = binary.AppendVarint(n, it.key.b)
		n = binary.AppendUvarint(n, uint64(it.len))
		if _, err := s.bw.Write(n); err != nil {
			return err
		}
		if _, err := s.bw.Write(s.arena[it.off : it.off+it.len]); err != nil {
			return err
		}
		s.off += int64(len(n) + it.len)
	}
	s.runs = append(s.runs, runSpan{start, s.off - start})
	s.arena, s.items = s.arena[:0], s.items[:0]
	return nil
}

// close removes the sorter's file.
func (s *sorter) close() {
	if s.f != nil {
		s.f.Close()
		os.Remove(s.file)
		s.f = nil
	}
	s.arena, s.items = nil, nil
}

// iter returns an iterator over every record added, in key order. The
// sorter takes no more records.
func (s *sorter) iter() (*sortIter, error) {
	if len(s.runs) == 0 {
		s.sortHeld()
		return &sortIter{held: s.items, arena: s.arena, pos: -1}, nil
	}
	if err := s.spill(); err != nil {
		return nil, err
	}
	if err := s.bw.Flush(); err != nil {
		return nil, err
	}
	it := &sortIter{merging: true}
	for i, r := range s.runs {
		// Each run reads through a buffer of its own: the more runs, the
		// smaller, within the budget.
		size := min(64<<10, max(4<<10, s.budget/4/len(s.runs)))
		rr := &runReader{r: bufio.NewReaderSize(io.NewSectionReader(s.f, r.off, r.len), size), run: i}
		ok, err := rr.next()
		if err != nil {
			return nil, err
		}
		if ok {
			it.heap = append(it.heap, rr)
		}
	}
	heap.Init(&it.heap)
	return it, nil
}

// sortIter gives the records in order: next, then k and rec, which stay
// valid until the next call.
type sortIter struct {
	// Without runs, the records held, sorted.
	held  []sortItem
	arena []byte
	pos   int
	// With runs, a reader of each, by their next record.
	merging bool
	heap    runHeap
	cur     *runReader
	k       sortKey
	rec     []byte
	err     error
}

func (it *sortIter) next() bool {
	if !it.merging {
		it.pos++
		if it.pos >= len(it.held) {
			return false
		}
		h := it.held[it.pos]
		it.k, it.rec = h.key, it.arena[h.off:h.off+h.len]
		return true
	}
	if it.cur != nil {
		ok, err := it.cur.next()
		if err != nil {
			it.err = err
			return false
		}
		if ok {
			heap.Push(&it.heap, it.cur)
		}
		it.cur = nil
	}
	if len(it.heap) == 0 {
		return false
	}
	it.cur = heap.Pop(&it.heap).(*runReader)
	it.k, it.rec = it.cur.key, it.cur.rec
	return true
}

// runReader reads one run.
type runReader struct {
	r   *bufio.Reader
	run int
	key sortKey
	rec []byte
}

func (r *runReader) next() (bool, error) {
	a, err := binary.ReadVarint(r.r)
	if err == io.EOF {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	b, err := binary.ReadVarint(r.r)
	if err != nil {
		return false, noEOF(err)
	}
	n, err := binary.ReadUvarint(r.r)
	if err != nil {
		return false, noEOF(err)
	}
	r.key = sortKey{a, b}
	r.rec = slices.Grow(r.rec[:0], int(n))[:n]
	if _, err := io.ReadFull(r.r, r.rec); err != nil {
		return false, noEOF(err)
	}
	return true, nil
}

func noEOF(err error) error {
	if errors.Is(err, io.EOF) {
		return io.ErrUnexpectedEOF
	}
	return err
}

// runHeap orders run readers by their next record, the earlier run first
// among equal keys.
type runHeap []*runReader

func (h runHeap) Len() int { return len(h) }
func (h runHeap) Less(i, j int) bool {
	if c := h[i].key.compare(h[j].key); c != 0 {
		return c < 0
	}
	return h[i].run < h[j].run
}
func (h runHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *runHeap) Push(x any)   { *h = append(*h, x.(*runReader)) }
func (h *runHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}
