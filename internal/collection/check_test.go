package collection

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/store"
)

// TestCheckBeside damages a page of an index that reading the cards in
// stored order never touches: the cards read fine, and their Each still
// fails with the check's verdict, as their Count does when there is
// nothing to count; a sound file passes.
func TestCheckBeside(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "collection.db")
	clk := &clock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	c, err := Open(path, Options{Files: &files{data: map[string]string{}, err: map[string]error{}}, Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	b.WriteString("# Big\n\n")
	for i := range 3000 {
		b.WriteString("- Question " + strconv.Itoa(i) + " about something long enough? :: Answer " + strconv.Itoa(i) + "\n")
	}
	addFile(t, c, "big.md", b.String())
	c.Close() // the last connection to close folds the log into the file

	read := func() (int, error) {
		c, err := Open(path, Options{ReadOnly: true, CheckBeside: true})
		if err != nil {
			return 0, err
		}
		defer c.Close()
		cards, err := c.Cards(context.Background(), nil)
		if err != nil {
			return 0, err
		}
		n := 0
		err = Stored(cards).Each(context.Background(), func(card.Entry) error { n++; return nil })
		return n, err
	}
	if n, err := read(); err != nil || n != 3000 {
		t.Fatalf("sound file: %d cards, %v; want 3000, nil", n, err)
	}
	damage(t, path, "cards_grp")
	n, err := read()
	var ce *store.CorruptError
	if !errors.As(err, &ce) || !errors.Is(err, card.ErrCorrupt) {
		t.Fatalf("damaged index: %d cards, %v; want a CorruptError", n, err)
	}
}

// damage overwrites the middle page of an index or table of the SQLite
// file at path with bytes of no meaning.
func damage(t *testing.T, path, name string) {
	t.Helper()
	u := url.URL{Scheme: "file", OmitHost: true, Path: path, RawQuery: "mode=ro&immutable=1"}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		t.Fatal(err)
	}
	var page int
	err = db.QueryRow(`SELECT pageno FROM dbstat WHERE name = ? ORDER BY pageno LIMIT 1 OFFSET (SELECT count(*) / 2 FROM dbstat WHERE name = ?)`, name, name).Scan(&page)
	db.Close()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	size := int(binary.BigEndian.Uint16(data[16:18]))
	for i := (page - 1) * size; i < page*size; i++ {
		data[i] = byte(i*7 + 3)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
