package sqlitefile

import (
	"encoding/binary"
	"fmt"
)

// Table is a rowid table being written: Add its rows in rowid order.
type Table struct {
	f               *File
	name, sql       string
	leaf            page
	last            int64
	rows            int
	children        []child // the leaves written so far
	cell, overflowP []byte
	root            uint32
	done            bool
}

// child is a page of a tree and the largest rowid in it.
type child struct {
	page uint32
	key  int64
}

func (t *Table) object() (string, string, string, string) { return "table", t.name, t.name, t.sql }

// Add adds a row: its rowid, above every one before, and its record. For a
// table with an INTEGER PRIMARY KEY that column is NULL in the record.
func (t *Table) Add(rowid int64, record []byte) error {
	if t.done {
		return fmt.Errorf("sqlitefile: table %s is finished", t.name)
	}
	if t.rows > 0 && rowid <= t.last {
		return orderError("table %s: rowid %d after %d", t.name, rowid, t.last)
	}
	if len(record) < 2 || record[0] < 2 {
		// A record of no columns, which SQLite never writes and its
		// check calls damaged.
		return fmt.Errorf("sqlitefile: table %s: row %d has no column", t.name, rowid)
	}
	local := localSize(leafTable, len(record))
	t.cell = appendVarint(t.cell[:0], uint64(len(record)))
	t.cell = appendVarint(t.cell, uint64(rowid))
	t.cell = append(t.cell, record[:local]...)
	if local < len(record) {
		t.cell = binary.BigEndian.AppendUint32(t.cell, 0)
	}
	if !t.leaf.fits(len(t.cell)) {
		t.children = append(t.children, child{t.f.write(t.leaf.bytes()), t.last})
		t.leaf.reset(leafTable, 0)
	}
	if local < len(record) {
		if t.overflowP == nil {
			t.overflowP = make([]byte, PageSize)
		}
		binary.BigEndian.PutUint32(t.cell[len(t.cell)-4:], t.f.overflow(record[local:], t.overflowP))
	}
	t.leaf.add(t.cell)
	t.last = rowid
	t.rows++
	return nil
}

// finish writes the last leaf and the interior pages above the leaves,
// and returns the root page.
func (t *Table) finish() (uint32, error) {
	if t.done {
		return t.root, nil
	}
	t.done = true
	t.children = append(t.children, child{t.f.write(t.leaf.bytes()), t.last})
	level := t.children
	// An interior cell is a 4-byte page number and a varint of at most 9
	// bytes, with its 2-byte pointer: a page takes at least perPage
	// children. They are spread evenly, so that no page of a level is left
	// with a single child (and no cell).
	const perPage = (PageSize-12)/(4+9+2) + 1
	var p page
	var cell []byte
	for len(level) > 1 {
		pages := (len(level) + perPage - 1) / perPage
		var up []child
		for i := range pages {
			lo, hi := i*len(level)/pages, (i+1)*len(level)/pages
			p.reset(interiorTable, 0)
			for _, c := range level[lo : hi-1] {
				cell = binary.BigEndian.AppendUint32(cell[:0], c.page)
				cell = appendVarint(cell, uint64(c.key))
				p.add(cell)
			}
			p.right = level[hi-1].page
			up = append(up, child{t.f.write(p.bytes()), level[hi-1].key})
		}
		level = up
	}
	t.root = level[0].page
	t.children = nil
	return t.root, nil
}

// Index is an index being written: Add its entries in the index's order.
type Index struct {
	f                *File
	name, table, sql string
	// leaf is the leaf being filled. A full leaf waits in prev, unwritten,
	// with the entry after it in sep, until another entry comes: if none
	// does, its last entry becomes the separator instead (see finish).
	leaf, prev page
	sep        []byte
	full       bool // prev and sep hold a leaf and its separator
	children   []uint32
	seps       [][]byte // seps[i] separates children[i] from children[i+1]
	cell       []byte
	root       uint32
	done       bool
}

func (ix *Index) object() (string, string, string, string) {
	return "index", ix.name, ix.table, ix.sql
}

// Add adds an entry: a record of the indexed columns and then the rowid,
// which must sort after every entry before it (SQLite's order: NULLs,
// then numbers, then text, then blobs). An entry must fit in a page's
// cell without overflowing: some thousand bytes.
func (ix *Index) Add(key []byte) error {
	if ix.done {
		return fmt.Errorf("sqlitefile: index %s is finished", ix.name)
	}
	if len(key) < 3 || key[0] < 3 {
		return fmt.Errorf("sqlitefile: index %s: an entry needs a column and the rowid", ix.name)
	}
	if len(key) > maxLocal(leafIndex) {
		return fmt.Errorf("sqlitefile: index %s: entry of %d bytes is too long", ix.name, len(key))
	}
	if ix.full {
		ix.children = append(ix.children, ix.f.write(ix.prev.bytes()))
		ix.seps = append(ix.seps, ix.sep)
		ix.sep, ix.full = nil, false
	}
	ix.cell = appendVarint(ix.cell[:0], uint64(len(key)))
	ix.cell = append(ix.cell, key...)
	if ix.leaf.fits(len(ix.cell)) {
		ix.leaf.add(ix.cell)
		return nil
	}
	ix.prev, ix.leaf = ix.leaf, ix.prev
	ix.leaf.reset(leafIndex, 0)
	ix.sep, ix.full = append([]byte(nil), key...), true
	return nil
}

// payload returns the payload of an index cell (leaf or interior).
func payload(cell []byte, interior bool) []byte {
	if interior {
		cell = cell[4:]
	}
	n, k := readVarint(cell)
	return cell[k : k+int(n)]
}

func (ix *Index) finish() (uint32, error) {
	if ix.done {
		return ix.root, nil
	}
	ix.done = true
	if ix.full {
		// The entries ended on a separator: the full leaf gives its last
		// entry to be the separator, and the one waiting makes the last
		// leaf.
		last := append([]byte(nil), payload(ix.prev.last(), false)...)
		ix.prev.removeLast()
		ix.children = append(ix.children, ix.f.write(ix.prev.bytes()))
		ix.seps = append(ix.seps, last)
		ix.cell = appendVarint(ix.cell[:0], uint64(len(ix.sep)))
		ix.cell = append(ix.cell, ix.sep...)
		ix.leaf.add(ix.cell)
	}
	ix.children = append(ix.children, ix.f.write(ix.leaf.bytes()))
	children, seps := ix.children, ix.seps
	var p page
	for len(children) > 1 {
		var upChildren []uint32
		var upSeps [][]byte
		n := len(children)
		for i := 0; i < n; {
			p.reset(interiorIndex, 0)
			for i < n-1 {
				ix.cell = binary.BigEndian.AppendUint32(ix.cell[:0], children[i])
				ix.cell = appendVarint(ix.cell, uint64(len(seps[i])))
				ix.cell = append(ix.cell, seps[i]...)
				if !p.fits(len(ix.cell)) {
					break
				}
				p.add(ix.cell)
				i++
			}
			if i == n-1 {
				p.right = children[i]
				upChildren = append(upChildren, ix.f.write(p.bytes()))
				break
			}
			// children[i] closes this page and seps[i] goes up. Were
			// children[i+1] the last child, the next page would hold it
			// alone, without a cell: this page gives up its last one.
			if i+1 == n-1 {
				p.removeLast()
				i--
			}
			p.right = children[i]
			upChildren = append(upChildren, ix.f.write(p.bytes()))
			upSeps = append(upSeps, seps[i])
			i++
		}
		children, seps = upChildren, upSeps
	}
	ix.root = children[0]
	ix.children, ix.seps = nil, nil
	return ix.root, nil
}
