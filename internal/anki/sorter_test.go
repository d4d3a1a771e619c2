package anki

import (
	"cmp"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

// TestSorter sorts records of random keys, some equal, held in memory and
// spilled in runs of several sizes: they come back in key order, equal
// keys in the order they were added.
func TestSorter(t *testing.T) {
	t.Parallel()
	type rec struct {
		key sortKey
		val string
	}
	r := rand.New(rand.NewPCG(5, 6))
	for _, n := range []int{0, 1, 7, 5000} {
		for _, budget := range []int{1 << 30, 4096, 100} {
			s := newSorter(filepath.Join(t.TempDir(), "s"), budget)
			var want []rec
			for i := range n {
				k := sortKey{r.Int64N(50) - 25, r.Int64N(3)}
				v := strconv.Itoa(i) + string(make([]byte, r.IntN(40)))
				want = append(want, rec{k, v})
				if err := s.add(k, []byte(v)); err != nil {
					t.Fatal(err)
				}
			}
			slices.SortStableFunc(want, func(x, y rec) int { return cmp.Compare(x.key.a, y.key.a)*2 + cmp.Compare(x.key.b, y.key.b) })
			it, err := s.iter()
			if err != nil {
				t.Fatal(err)
			}
			var got []rec
			for it.next() {
				got = append(got, rec{it.k, string(it.rec)})
			}
			if it.err != nil {
				t.Fatal(it.err)
			}
			s.close()
			if !slices.Equal(got, want) {
				t.Fatalf("%d records, budget %d, %d runs: out of order", n, budget, len(s.runs))
			}
			if budget == 100 && n > 1 && len(s.runs) < 2 {
				t.Errorf("%d records in %d runs with a budget of %d", n, len(s.runs), budget)
			}
		}
	}
}
