package anki

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/recall-cli/recall/internal/sqlitefile"
)

// TestNumericText stores texts as SQLite stores them in notes.sfld, a
// column of INTEGER affinity: the same values, of the same types, as
// SQLite's own insert gives.
func TestNumericText(t *testing.T) {
	t.Parallel()
	db, err := openDB(filepath.Join(t.TempDir(), "n.db"), false)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("create table t (sfld integer not null)"); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"12", " 12 ", "\t-3\n", "+7", "-0", "007", "1.5", "3.0e+5", "2E3", "1e400",
		"9223372036854775807", "9223372036854775808", "-9223372036854775809", "-9223372036854775808.0", "9.2e18", "1.", ".5", "1e", "e5",
		"0x10", "", " ", "-", "+.", "١٢", "12abc", "1 2", "Q 1?", "1,5", "inf", "NaN", "1_000"} {
		if _, err := db.Exec("delete from t"); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Exec("insert into t values (?)", s); err != nil {
			t.Fatal(err)
		}
		var typ string
		var v any
		if err := db.QueryRow("select typeof(sfld), sfld from t").Scan(&typ, &v); err != nil {
			t.Fatal(err)
		}
		var r sqlitefile.Record
		numericText(&r, s)
		vals, err := sqlitefile.Decode(r.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		ours := map[string]string{"int64": "integer", "float64": "real", "string": "text"}[fmt.Sprintf("%T", vals[0])]
		if ours != typ || fmt.Sprint(vals[0]) != fmt.Sprint(v) {
			t.Errorf("numericText(%q) = %s %v, SQLite stores %s %v", s, ours, vals[0], typ, v)
		}
	}
}
