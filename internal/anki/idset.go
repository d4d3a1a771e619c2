package anki

import "math/bits"

// idSet is a set of ids: an open-addressed table of them, at most three
// quarters full, which doubles when it is; 11 to 16 bytes an id. A free
// slot holds 0, so 0 (a review at the epoch) is kept apart.
type idSet struct {
	slots []int64 // 0 for a free slot
	n     int
	zero  bool
}

// slot is where the search for id starts: a mix of its bits scaled to
// the table.
func (s *idSet) slot(id int64) int {
	hi, _ := bits.Mul64(uint64(id)*0x9e3779b97f4a7c15, uint64(len(s.slots)))
	return int(hi)
}

func (s *idSet) add(id int64) {
	if id == 0 {
		if !s.zero {
			s.zero = true
			s.n++
		}
		return
	}
	if 4*(s.n+1) > 3*len(s.slots) {
		old := s.slots
		s.slots = make([]int64, max(1024, 2*len(old)))
		for _, v := range old {
			if v != 0 {
				s.put(v)
			}
		}
	}
	if s.put(id) {
		s.n++
	}
}

// put puts id in its slot, reporting whether it was not there yet.
func (s *idSet) put(id int64) bool {
	i := s.slot(id)
	for s.slots[i] != 0 {
		if s.slots[i] == id {
			return false
		}
		if i++; i == len(s.slots) {
			i = 0
		}
	}
	s.slots[i] = id
	return true
}

func (s *idSet) has(id int64) bool {
	if id == 0 {
		return s.zero
	}
	if len(s.slots) == 0 {
		return false
	}
	for i := s.slot(id); s.slots[i] != 0; {
		if s.slots[i] == id {
			return true
		}
		if i++; i == len(s.slots) {
			i = 0
		}
	}
	return false
}
