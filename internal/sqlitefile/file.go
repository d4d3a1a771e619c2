package sqlitefile

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// PageSize is the size of every page of the files this package writes.
const PageSize = 4096

// File is a SQLite database file being written: Create it, add its tables
// and indexes (Table, Index), fill each with its rows in order, then Close.
// The trees may be filled one after another or side by side; a File is not
// safe for concurrent use.
type File struct {
	f     *os.File
	bw    *bufio.Writer
	next  uint32 // the number the next page written gets
	trees []tree
	err   error
}

// tree is a table or index of the file, for its schema row.
type tree interface {
	object() (typ, name, table, sql string)
	finish() (uint32, error)
}

// Create starts a database file at path, replacing any file there.
func Create(path string) (*File, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	// Page 1 holds the header and the schema, known at the end: the other
	// pages are written after it, in order.
	if _, err := f.Seek(PageSize, io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	return &File{f: f, bw: bufio.NewWriterSize(f, 64<<10), next: 2}, nil
}

// write writes a page and returns its number.
func (f *File) write(page []byte) uint32 {
	n := f.next
	f.next++
	if f.err == nil {
		_, f.err = f.bw.Write(page[:PageSize])
	}
	return n
}

// overflow writes the part of a payload that does not fit in its cell to
// a chain of overflow pages, and returns the first page's number.
func (f *File) overflow(rest []byte, page []byte) uint32 {
	first := f.next
	for len(rest) > 0 {
		n := min(len(rest), PageSize-4)
		clear(page[:PageSize])
		if n < len(rest) {
			binary.BigEndian.PutUint32(page, f.next+1)
		}
		copy(page[4:], rest[:n])
		rest = rest[n:]
		f.write(page)
	}
	return first
}

// Close finishes every tree, writes the schema and header on page 1, and
// closes the file. The file is complete only if Close returns nil.
func (f *File) Close() error {
	err := f.close()
	if cerr := f.f.Close(); err == nil {
		err = cerr
	}
	return err
}

func (f *File) close() error {
	var master page
	master.reset(leafTable, 100)
	var rec Record
	var cell []byte
	for i, t := range f.trees {
		root, err := t.finish()
		if err != nil {
			return err
		}
		typ, name, table, sql := t.object()
		rec.Reset()
		rec.Text(typ)
		rec.Text(name)
		rec.Text(table)
		rec.Int(int64(root))
		rec.Text(sql)
		payload := rec.Bytes()
		cell = appendVarint(cell[:0], uint64(len(payload)))
		cell = appendVarint(cell, uint64(i+1))
		cell = append(cell, payload...)
		if len(payload) > maxLocal(leafTable) || !master.fits(len(cell)) {
			return errors.New("sqlitefile: the schema does not fit on the first page")
		}
		master.add(cell)
	}
	if f.err != nil {
		return f.err
	}
	if err := f.bw.Flush(); err != nil {
		return err
	}
	pages := f.next - 1
	b := master.bytes()
	copy(b, "SQLite format 3\x00")
	binary.BigEndian.PutUint16(b[16:], PageSize)
	b[18], b[19] = 1, 1 // rollback journal, not WAL
	b[20] = 0           // no reserved bytes at the end of pages
	b[21], b[22], b[23] = 64, 32, 32
	binary.BigEndian.PutUint32(b[24:], 1) // file change counter
	binary.BigEndian.PutUint32(b[28:], pages)
	binary.BigEndian.PutUint32(b[40:], 1) // schema cookie
	binary.BigEndian.PutUint32(b[44:], 4) // schema format
	binary.BigEndian.PutUint32(b[56:], 1) // UTF-8
	binary.BigEndian.PutUint32(b[92:], 1) // the page count above is valid for change 1
	binary.BigEndian.PutUint32(b[96:], 3046000)
	if _, err := f.f.WriteAt(b, 0); err != nil {
		return err
	}
	return nil
}

// Abort closes and removes the file.
func (f *File) Abort() {
	f.f.Close()
	os.Remove(f.f.Name())
}

// Table adds a rowid table to the file: name as in its create statement
// sql, which must be the statement that makes the same table.
func (f *File) Table(name, sql string) *Table {
	t := &Table{f: f, name: name, sql: schemaSQL(sql)}
	t.leaf.reset(leafTable, 0)
	f.trees = append(f.trees, t)
	return t
}

// Index adds an index of table to the file, made by sql.
func (f *File) Index(name, table, sql string) *Index {
	ix := &Index{f: f, name: name, table: table, sql: schemaSQL(sql)}
	ix.leaf.reset(leafIndex, 0)
	f.trees = append(f.trees, ix)
	return ix
}

// schemaSQL is a create statement as SQLite keeps it in the schema: no
// leading spaces, its first two keywords in upper case and one space
// after each.
func schemaSQL(sql string) string {
	f := strings.Fields(sql)
	if len(f) < 3 {
		return strings.TrimSpace(sql)
	}
	rest := strings.TrimLeft(sql, " \t\n\r")
	for range 2 {
		rest = strings.TrimLeft(rest[len(strings.Fields(rest)[0]):], " \t\n\r")
	}
	return strings.ToUpper(f[0]) + " " + strings.ToUpper(f[1]) + " " + rest
}

// Page types.
const (
	interiorIndex = 2
	interiorTable = 5
	leafIndex     = 10
	leafTable     = 13
)

// maxLocal is the most of a payload a cell of a page of type typ holds
// before the rest overflows; minLocal the least it holds when it does.
func maxLocal(typ byte) int {
	if typ == leafTable {
		return PageSize - 35
	}
	return (PageSize-12)*64/255 - 23
}

const minLocal = (PageSize-12)*32/255 - 23

// localSize is how much of a payload of n bytes stays in the cell.
func localSize(typ byte, n int) int {
	if n <= maxLocal(typ) {
		return n
	}
	k := minLocal + (n-minLocal)%(PageSize-4)
	if k <= maxLocal(typ) {
		return k
	}
	return minLocal
}

// page is a b-tree page being filled: cells are added from the end of the
// page down, their pointers from the header up.
type page struct {
	buf     [PageSize]byte
	hdr     int // where the page header starts: 100 on page 1, else 0
	typ     byte
	cells   int
	content int // start of the cell content area
	right   uint32
	sizes   []int // the size of each cell, for removeLast
}

func (p *page) reset(typ byte, hdr int) {
	clear(p.buf[:])
	p.hdr, p.typ, p.cells, p.content, p.right = hdr, typ, 0, PageSize, 0
	p.sizes = p.sizes[:0]
}

func (p *page) headerSize() int {
	if p.typ == interiorIndex || p.typ == interiorTable {
		return 12
	}
	return 8
}

// fits reports whether a cell of n bytes fits in what is left.
func (p *page) fits(n int) bool {
	return p.hdr+p.headerSize()+2*(p.cells+1) <= p.content-n
}

func (p *page) add(cell []byte) {
	p.content -= len(cell)
	copy(p.buf[p.content:], cell)
	binary.BigEndian.PutUint16(p.buf[p.hdr+p.headerSize()+2*p.cells:], uint16(p.content))
	p.cells++
	p.sizes = append(p.sizes, len(cell))
}

// last returns the last cell added.
func (p *page) last() []byte {
	return p.buf[p.content : p.content+p.sizes[len(p.sizes)-1]]
}

// removeLast takes the last cell added off the page.
func (p *page) removeLast() {
	n := p.sizes[len(p.sizes)-1]
	p.sizes = p.sizes[:len(p.sizes)-1]
	clear(p.buf[p.content : p.content+n])
	p.content += n
	p.cells--
	clear(p.buf[p.hdr+p.headerSize()+2*p.cells:][:2])
}

// bytes fills in the page header and returns the page.
func (p *page) bytes() []byte {
	h := p.buf[p.hdr:]
	h[0] = p.typ
	binary.BigEndian.PutUint16(h[1:], 0) // no freeblocks
	binary.BigEndian.PutUint16(h[3:], uint16(p.cells))
	binary.BigEndian.PutUint16(h[5:], uint16(p.content))
	h[7] = 0
	if p.headerSize() == 12 {
		binary.BigEndian.PutUint32(h[8:], p.right)
	}
	return p.buf[:]
}

// errOrder is returned for rows or keys out of order.
var errOrder = errors.New("sqlitefile: out of order")

func orderError(what string, args ...any) error {
	return fmt.Errorf("%w: "+what, append([]any{errOrder}, args...)...)
}
