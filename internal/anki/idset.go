package anki

import "slices"

// idSet is a set of ids in about 8 bytes an id: a sorted run, and a tail
// of the ids added since it was last merged in, which is merged once it
// holds a sixteenth as many (or tailSize): each id is moved some 16 times
// at most, whatever the size, and found by a lookup in the tail or a
// binary search of the run.
type idSet struct {
	sorted []int64
	tail   map[int64]struct{}
}

// tailSize is the least number of ids idSet gathers before it merges.
const tailSize = 1024

func (s *idSet) add(id int64) {
	if s.tail == nil {
		s.tail = map[int64]struct{}{}
	}
	s.tail[id] = struct{}{}
	if len(s.tail) >= max(tailSize, len(s.sorted)/16) {
		s.flush()
	}
}

// flush merges the tail into the sorted run, from the end, in place.
func (s *idSet) flush() {
	tail := make([]int64, 0, len(s.tail))
	for id := range s.tail {
		if _, ok := slices.BinarySearch(s.sorted, id); !ok {
			tail = append(tail, id)
		}
	}
	clear(s.tail)
	slices.Sort(tail)
	i, j := len(s.sorted)-1, len(tail)-1
	s.sorted = append(s.sorted, tail...)
	for k := len(s.sorted) - 1; j >= 0; k-- {
		if i >= 0 && s.sorted[i] > tail[j] {
			s.sorted[k] = s.sorted[i]
			i--
		} else {
			s.sorted[k] = tail[j]
			j--
		}
	}
}

func (s *idSet) has(id int64) bool {
	if _, ok := s.tail[id]; ok {
		return true
	}
	_, ok := slices.BinarySearch(s.sorted, id)
	return ok
}

func (s *idSet) len() int { return len(s.sorted) + len(s.tail) }
