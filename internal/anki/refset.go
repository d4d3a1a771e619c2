package anki

import (
	"cmp"
	"slices"
)

// refSet maps hashed card ids to what the Writer keeps of each card (see
// ref) in about 24 bytes a card, half a map's: a run sorted by key,
// and a map of the cards added since it was last merged in, merged once
// it holds a sixteenth as many (or tailSize): each entry is moved some 16
// times at most, whatever the size.
type refSet struct {
	sorted []refEntry
	tail   map[uint64]ref
}

// tailSize is the least number of refs refSet gathers before it merges.
const tailSize = 1024

type refEntry struct {
	key uint64
	ref ref
}

func (s *refSet) find(key uint64) (int, bool) {
	return slices.BinarySearchFunc(s.sorted, key, func(e refEntry, k uint64) int { return cmp.Compare(e.key, k) })
}

// get returns the ref of key, if set.
func (s *refSet) get(key uint64) (ref, bool) {
	if r, ok := s.tail[key]; ok {
		return r, true
	}
	if i, ok := s.find(key); ok {
		return s.sorted[i].ref, true
	}
	return ref{}, false
}

// set sets the ref of key.
func (s *refSet) set(key uint64, r ref) {
	if i, ok := s.find(key); ok {
		s.sorted[i].ref = r
		return
	}
	if s.tail == nil {
		s.tail = map[uint64]ref{}
	}
	s.tail[key] = r
	if len(s.tail) >= max(tailSize, len(s.sorted)/16) {
		s.flush()
	}
}

// flush merges the tail into the sorted run, from the end, in place.
func (s *refSet) flush() {
	tail := make([]refEntry, 0, len(s.tail))
	for k, r := range s.tail {
		tail = append(tail, refEntry{k, r})
	}
	clear(s.tail)
	slices.SortFunc(tail, func(a, b refEntry) int { return cmp.Compare(a.key, b.key) })
	i, j := len(s.sorted)-1, len(tail)-1
	s.sorted = append(s.sorted, tail...)
	for k := len(s.sorted) - 1; j >= 0; k-- {
		if i >= 0 && s.sorted[i].key > tail[j].key {
			s.sorted[k] = s.sorted[i]
			i--
		} else {
			s.sorted[k] = tail[j]
			j--
		}
	}
}
