package anki

import (
	"database/sql"
	"fmt"
	"slices"
	"strings"
)

// idTable is a table of the collection keyed by id, notes or cards, as the
// Writer fills it. SQLite appends a row whose id is above every other one
// to the end of the table, but inserting one among them splits pages all
// over the table, several times as slow and growing with the table. So a
// row goes straight into the table while ids come in order (cards added in
// card-id order, as a store lists them), and into a staging table, in the
// temporary database, once an id comes below the last one: Close then
// appends the staged rows to the table in id order, sorted by SQLite (see
// merge), which is cheaper than the scattered inserts whatever the order
// the cards came in. The ids of staged rows are kept, about 10 bytes a
// row, and a filter of fixed size of the others, so that little is kept
// for cards that come in order.
type idTable struct {
	name string
	// last is the highest id written straight into the table: an id above
	// it is free. Below it, an id is free if no staged row has it (the set
	// staged) and the table does not: written says for most ids that it
	// does not, and the table is asked (has) about the others.
	last               int64
	staged             idSet
	written            *bloom
	direct, stage, has *sql.Stmt
}

// bloom is a Bloom filter of ids, of a fixed 128 KiB: whether an id may
// have been added, or surely was not. Below a few hundred thousand ids it
// is wrong about few; beyond, more often, which costs only time.
type bloom [1 << 14]uint64

// bloomProbes are the three bits an id sets, from a mix of its bits.
func bloomProbes(id int64) [3]uint32 {
	h := uint64(id) * 0x9e3779b97f4a7c15
	h ^= h >> 29
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 32
	const mask = 1<<20 - 1
	return [3]uint32{uint32(h) & mask, uint32(h>>21) & mask, uint32(h>>42) & mask}
}

func (f *bloom) add(id int64) {
	for _, p := range bloomProbes(id) {
		f[p/64] |= 1 << (p % 64)
	}
}

func (f *bloom) mayHave(id int64) bool {
	for _, p := range bloomProbes(id) {
		if f[p/64]&(1<<(p%64)) == 0 {
			return false
		}
	}
	return true
}

// newIDTable prepares the statements that insert rows into t, straight
// and staged, values being the columns of a row after the id, in SQL.
func newIDTable(tx *sql.Tx, t table, values string) (*idTable, error) {
	it := &idTable{name: t.name, written: new(bloom)}
	if _, err := tx.Exec(t.stageDDL()); err != nil {
		return nil, err
	}
	var err error
	if it.direct, err = tx.Prepare("insert into " + t.name + " values (?, " + values + ")"); err != nil {
		return nil, err
	}
	if it.stage, err = tx.Prepare("insert into temp.stage_" + t.name + " values (?, " + values + ")"); err != nil {
		return nil, err
	}
	if it.has, err = tx.Prepare("select count(*) from " + t.name + " where id = ?"); err != nil {
		return nil, err
	}
	return it, nil
}

// stageDDL creates the staging table of t in the temporary database: the
// same columns, without the primary key (rows are appended in the order
// they come).
func (t table) stageDDL() string {
	var b strings.Builder
	b.WriteString("create temp table stage_" + t.name + " (")
	for i, c := range t.cols {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.name + " " + c.typ)
	}
	b.WriteString(")")
	return b.String()
}

// freeID returns the first id not taken from id on, next giving the id
// after one; ok is false if the first thousand tried are all taken.
func (it *idTable) freeID(id int64, next func(int64) int64) (int64, bool, error) {
	for range 1000 {
		free, err := it.free(id)
		if err != nil || free {
			return id, free, err
		}
		id = next(id)
	}
	return 0, false, nil
}

func (it *idTable) free(id int64) (bool, error) {
	if id > it.last {
		return true, nil
	}
	if it.staged.has(id) {
		return false, nil
	}
	if !it.written.mayHave(id) {
		return true, nil
	}
	var n int
	err := it.has.QueryRow(id).Scan(&n)
	return n == 0, err
}

// insert writes a row, its columns in order: straight into the table if
// its id, a free one, is above every id before it, staged otherwise.
func (it *idTable) insert(row ...any) error {
	id := row[0].(int64)
	if id > it.last {
		it.last = id
		it.written.add(id)
		_, err := it.direct.Exec(row...)
		return err
	}
	it.staged.add(id)
	_, err := it.stage.Exec(row...)
	return err
}

// merge appends the staged rows to the table in id order. SQLite sorts
// them within its cache, spilling to temporary files beyond, so memory
// stays flat.
func (it *idTable) merge(tx *sql.Tx) error {
	if it.staged.len() > 0 {
		if _, err := tx.Exec("insert into " + it.name + " select * from temp.stage_" + it.name + " order by id"); err != nil {
			return fmt.Errorf("writing %s: %w", it.name, err)
		}
	}
	_, err := tx.Exec("drop table temp.stage_" + it.name)
	return err
}

// idSet is a set of ids in 8 bytes an id: a sorted run and a short
// unsorted tail, merged into the run whenever it fills.
type idSet struct {
	sorted, tail []int64
}

// tailSize is how many ids idSet gathers before it sorts them in.
const tailSize = 1024

func (s *idSet) add(id int64) {
	s.tail = append(s.tail, id)
	if len(s.tail) == tailSize {
		s.flush()
	}
}

// flush merges the tail into the sorted run, from the end, in place.
func (s *idSet) flush() {
	slices.Sort(s.tail)
	i, j := len(s.sorted)-1, len(s.tail)-1
	s.sorted = append(s.sorted, s.tail...)
	for k := len(s.sorted) - 1; j >= 0; k-- {
		if i >= 0 && s.sorted[i] > s.tail[j] {
			s.sorted[k] = s.sorted[i]
			i--
		} else {
			s.sorted[k] = s.tail[j]
			j--
		}
	}
	s.tail = s.tail[:0]
}

func (s *idSet) has(id int64) bool {
	if _, ok := slices.BinarySearch(s.sorted, id); ok {
		return true
	}
	return slices.Contains(s.tail, id)
}

func (s *idSet) len() int { return len(s.sorted) + len(s.tail) }
