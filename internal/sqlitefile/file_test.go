package sqlitefile

import (
	"cmp"
	"database/sql"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// row is a row of the test tables: a rowid and a text of some length.
type row struct {
	id   int64
	text string
	n    int64
}

// build writes a file of rows, an index of them on (n), an empty table and
// a table without an INTEGER PRIMARY KEY, and returns its path.
func build(t *testing.T, rows []row) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	f, err := Create(path)
	if err != nil {
		t.Fatal(err)
	}
	items := f.Table("items", "CREATE TABLE items (id integer primary key, text text not null, n integer not null)")
	f.Table("empty", "CREATE TABLE empty (a integer)")
	plain := f.Table("plain", "CREATE TABLE plain (a integer, b text, c real, d blob)")
	ix := f.Index("ix_items_n", "items", "CREATE INDEX ix_items_n ON items (n)")
	var rec Record
	for _, r := range rows {
		rec.Reset()
		rec.Null()
		rec.Text(r.text)
		rec.Int(r.n)
		if err := items.Add(r.id, rec.Bytes()); err != nil {
			t.Fatal(err)
		}
	}
	byN := slices.Clone(rows)
	slices.SortFunc(byN, func(a, b row) int { return cmp.Or(cmp.Compare(a.n, b.n), cmp.Compare(a.id, b.id)) })
	for _, r := range byN {
		rec.Reset()
		rec.Int(r.n)
		rec.Int(r.id)
		if err := ix.Add(rec.Bytes()); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 3 {
		rec.Reset()
		rec.Int(int64(i) - 1)
		rec.Text("b")
		rec.Float(1.5)
		rec.Blob([]byte{0, byte(i)})
		if err := plain.Add(int64(i+1), rec.Bytes()); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// check opens the file with SQLite, runs its integrity check and reads the
// rows back, through the table and through the index.
func check(t *testing.T, path string, rows []row) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var res string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
		t.Fatalf("%d rows: integrity_check = %q, %v", len(rows), res, err)
	}
	got := readRows(t, db, "SELECT id, text, n FROM items ORDER BY id")
	if !slices.Equal(got, rows) {
		t.Fatalf("%d rows: read back %d different rows", len(rows), len(got))
	}
	byN := readRows(t, db, "SELECT id, text, n FROM items INDEXED BY ix_items_n WHERE n > -9223372036854775808 ORDER BY n, id")
	if len(byN) != len(rows) {
		t.Fatalf("%d rows: %d through the index", len(rows), len(byN))
	}
	var n int
	if err := db.QueryRow("SELECT count(*) FROM empty").Scan(&n); err != nil || n != 0 {
		t.Fatalf("empty table has %d rows, %v", n, err)
	}
	var sum float64
	if err := db.QueryRow("SELECT sum(a) + sum(c) + count(b) + sum(length(d)) FROM plain").Scan(&sum); err != nil || sum != 0+4.5+3+6 {
		t.Fatalf("plain table sums to %v, %v; want 13.5", sum, err)
	}
}

func readRows(t *testing.T, db *sql.DB, q string) []row {
	t.Helper()
	rs, err := db.Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Close()
	var out []row
	for rs.Next() {
		var r row
		if err := rs.Scan(&r.id, &r.text, &r.n); err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	if err := rs.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestFileSizes writes tables of every size up to a few levels of pages,
// with rows whose text is long enough that a page holds few of them, so
// that each way a level can end (a leaf ending on an index separator, an
// interior page left with one child) comes up.
func TestFileSizes(t *testing.T) {
	t.Parallel()
	for _, size := range []int{900, 3000, 5000} {
		for n := range 60 {
			rows := make([]row, n)
			for i := range rows {
				rows[i] = row{id: int64(i*3 + 1), text: strings.Repeat(string(rune('a'+i%26)), size+i%7), n: int64(n - i)}
			}
			check(t, build(t, rows), rows)
		}
	}
}

// TestFileIndexLevels fills an index whose entries are long enough (about
// 900 bytes) that a leaf holds four and an interior page as many, for
// every count up to some hundreds: three and four levels.
func TestFileIndexLevels(t *testing.T) {
	t.Parallel()
	for n := range 120 {
		path := filepath.Join(t.TempDir(), "ix.db")
		f, err := Create(path)
		if err != nil {
			t.Fatal(err)
		}
		tab := f.Table("t", "CREATE TABLE t (id integer primary key, k text)")
		ix := f.Index("ix_t_k", "t", "CREATE INDEX ix_t_k ON t (k)")
		var rec Record
		keys := make([]string, n)
		for i := range keys {
			keys[i] = fmt.Sprintf("%04d", i) + strings.Repeat("k", 880+i%40)
			rec.Reset()
			rec.Null()
			rec.Text(keys[i])
			if err := tab.Add(int64(i+1), rec.Bytes()); err != nil {
				t.Fatal(err)
			}
		}
		for i, k := range keys {
			rec.Reset()
			rec.Text(k)
			rec.Int(int64(i + 1))
			if err := ix.Add(rec.Bytes()); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		db, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		var res string
		var count int
		err = db.QueryRow("PRAGMA integrity_check").Scan(&res)
		if err == nil {
			err = db.QueryRow("SELECT count(*) FROM t INDEXED BY ix_t_k WHERE k > ''").Scan(&count)
		}
		db.Close()
		if err != nil || res != "ok" || count != n {
			t.Fatalf("%d entries: integrity_check = %q, %d through the index, %v", n, res, count, err)
		}
	}
}

// TestFileMany writes 100k rows of random texts and numbers, some of
// them large, in rowid order with gaps.
func TestFileMany(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	rows := make([]row, 100_000)
	id := int64(-5)
	for i := range rows {
		id += 1 + r.Int64N(1<<20)
		size := r.IntN(200)
		if r.IntN(1000) == 0 {
			size = r.IntN(20_000)
		}
		n := r.Int64N(1000) - 500
		switch r.IntN(50) {
		case 0:
			n = math.MaxInt64 - r.Int64N(3)
		case 1:
			n = math.MinInt64 + 1 + r.Int64N(3)
		case 2:
			n = r.Int64N(1<<48) - 1<<47
		}
		rows[i] = row{id: id, text: strings.Repeat("é", size/2) + strings.Repeat("x", size%2), n: n}
	}
	check(t, build(t, rows), rows)
}

// TestFileOrder refuses rows out of order.
func TestFileOrder(t *testing.T) {
	t.Parallel()
	f, err := Create(filepath.Join(t.TempDir(), "o.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Abort()
	tab := f.Table("t", "CREATE TABLE t (a)")
	var rec Record
	rec.Int(1)
	if err := tab.Add(5, rec.Bytes()); err != nil {
		t.Fatal(err)
	}
	if err := tab.Add(5, rec.Bytes()); err == nil {
		t.Fatal("Add(5) after 5 = nil, want an error")
	}
}

// TestRecord round-trips values of every serial type through Decode, and
// compares the encoding with SQLite's own through a blob.
func TestRecord(t *testing.T) {
	t.Parallel()
	vals := []any{nil, int64(0), int64(1), int64(-1), int64(127), int64(-128), int64(128), int64(32767),
		int64(-32769), int64(1 << 23), int64(-1<<23 - 1), int64(1 << 31), int64(-1 << 31), int64(1 << 40),
		int64(1 << 47), int64(-1<<47 - 1), int64(math.MaxInt64), int64(math.MinInt64), 2.5, "", "héllo",
		strings.Repeat("z", 200), []byte{}, []byte{1, 2, 3}}
	var rec Record
	for _, v := range vals {
		switch v := v.(type) {
		case nil:
			rec.Null()
		case int64:
			rec.Int(v)
		case float64:
			rec.Float(v)
		case string:
			rec.Text(v)
		case []byte:
			rec.Blob(v)
		}
	}
	got, err := Decode(rec.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(vals) {
		t.Fatalf("Decode(Record(%v)) = %v", vals, got)
	}
	for _, v := range []uint64{0, 1, 127, 128, 16383, 16384, 1<<56 - 1, 1 << 56, math.MaxUint64} {
		b := appendVarint(nil, v)
		if got, n := readVarint(b); got != v || n != len(b) || n != varintLen(v) {
			t.Errorf("readVarint(appendVarint(%d)) = %d, %d; len %d", v, got, n, len(b))
		}
	}
}

// TestSchemaSQL keeps create statements as SQLite keeps them in its
// schema: the first two keywords in upper case, one space after each.
func TestSchemaSQL(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "s.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{"create table a (x integer)", "  Create   Index  ix_a on a (x)", "CREATE\ttable b(y)"} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
		var want string
		name := strings.Fields(q)[2]
		if strings.Contains(name, "(") {
			name = name[:strings.Index(name, "(")]
		}
		if err := db.QueryRow("SELECT sql FROM sqlite_schema WHERE name = ?", name).Scan(&want); err != nil {
			t.Fatal(err)
		}
		if got := schemaSQL(q); got != want {
			t.Errorf("schemaSQL(%q) = %q, SQLite keeps %q", q, got, want)
		}
	}
}

// TestFileEmptyRecords refuses a row of no columns and an index entry
// without a column, which SQLite never writes and its check calls damaged.
func TestFileEmptyRecords(t *testing.T) {
	t.Parallel()
	f, err := Create(filepath.Join(t.TempDir(), "e.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Abort()
	var rec Record
	if err := f.Table("t", "CREATE TABLE t (a)").Add(1, rec.Bytes()); err == nil {
		t.Error("Table.Add(a row of no columns) = nil, want an error")
	}
	rec.Int(1)
	if err := f.Index("ix_t_a", "t", "CREATE INDEX ix_t_a ON t (a)").Add(rec.Bytes()); err == nil {
		t.Error("Index.Add(the rowid alone) = nil, want an error")
	}
}
