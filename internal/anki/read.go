package anki

import (
	"archive/zip"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"sort"
	"strings"
)

// Package is an .apkg read back: the rows of its collection and its media
// map. Read it with Read and verify it with Check. A package opened for
// import (Open) leaves Notes, Cards and Revlog empty: Import reads them
// from the collection one note at a time.
type Package struct {
	Col       Col
	NoteTypes map[int64]NoteType
	Decks     map[int64]Deck
	DeckConfs map[int64]DeckConf
	Notes     []Note
	Cards     []Card
	Revlog    []RevlogEntry
	Media     map[string]string // zip member → media file name
	Members   map[string]int64  // every zip member → its size

	// Set by Open: the collection member read and the package version its
	// meta member gives (0 without one). Col.Ver is the collection's
	// schema.
	Collection string
	Version    int
	// SchedVer is the scheduler the collection's reviews were made with
	// (Anki's schedVer): 1, the legacy one, whose learning cards had three
	// buttons; 2 for v2 and v3.
	SchedVer int

	path     string
	db       *sql.DB // the scratch copy of the collection Open keeps open
	scratch  string  // its file
	problems []error // found while reading, reported by Check
	tables   map[string][]column
	colRows  int
}

// Col is the collection row.
type Col struct {
	ID, Crt, Mod, Scm, Ver, Dty, Usn, Ls int64
	Conf, Models, Decks, DConf, Tags     string // JSON, as stored
}

// NoteType is one entry of col.models.
type NoteType struct {
	ID        int64
	Name      string
	Type      int // 0 standard, 1 cloze
	Sortf     int
	Fields    []string
	Templates []Template
	CSS       string
}

// Template is one card template of a note type.
type Template struct {
	Name       string
	Ord        int
	QFmt, AFmt string
}

// Deck is one entry of col.decks.
type Deck struct {
	ID   int64
	Name string
	Conf int64
}

// DeckConf is one entry of col.dconf.
type DeckConf struct {
	ID   int64
	Name string
}

// Note is a row of the notes table, its fields and tags split.
type Note struct {
	ID, MID, Mod, Usn, CSum, Flags int64
	GUID, SFld, Data               string
	RawTags, Flds                  string // as stored
	Tags, Fields                   []string
}

// Card is a row of the cards table.
type Card struct {
	ID, NID, DID, Ord, Mod, Usn, Type, Queue, Due, Ivl, Factor, Reps, Lapses, Left, ODue, ODid, Flags int64
	Data                                                                                              string
}

// RevlogEntry is a row of the revlog table.
type RevlogEntry struct {
	ID, CID, Usn, Ease, Ivl, LastIvl, Factor, Time, Type int64
}

// Read opens an .apkg and loads its collection and media map. What does not
// follow Anki's rules is left for Check to report; Read fails only when the
// file is not a zip holding an SQLite collection.anki2.
func Read(path string) (*Package, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer zr.Close()
	p := &Package{path: path, Members: map[string]int64{}, Media: map[string]string{},
		NoteTypes: map[int64]NoteType{}, Decks: map[int64]Deck{}, DeckConfs: map[int64]DeckConf{},
		tables: map[string][]column{}}
	var col *zip.File
	for _, f := range zr.File {
		p.Members[f.Name] = int64(f.UncompressedSize64)
		switch f.Name {
		case "collection.anki2":
			col = f
		case "media":
			if err := p.readMedia(f); err != nil {
				p.problem("media: %v", err)
			}
		}
	}
	if _, ok := p.Members["media"]; !ok {
		p.problem("media: member missing")
	}
	if col == nil {
		return nil, fmt.Errorf("read %s: no collection.anki2 in the package", path)
	}
	tmp, err := os.CreateTemp("", "recall-read-*.anki2")
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if err := extractAny(col, tmp); err != nil {
		return nil, fmt.Errorf("read %s: collection.anki2: %w", path, err)
	}
	db, err := openDB(tmp.Name(), true)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	defer db.Close()
	if err := p.readDB(db); err != nil {
		return nil, fmt.Errorf("read %s: collection.anki2: %w", path, err)
	}
	return p, nil
}

func (p *Package) problem(format string, args ...any) {
	p.problems = append(p.problems, fmt.Errorf(format, args...))
}

func (p *Package) readMedia(f *zip.File) error {
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	b, err := io.ReadAll(rc)
	if err != nil {
		return err
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return fmt.Errorf("not a JSON object: %v", err)
	}
	for k, v := range m {
		s, ok := v.(string)
		if !ok {
			p.problem("media: %q maps to %s, want a string", k, jsonType(v))
			continue
		}
		p.Media[k] = s
	}
	return nil
}

// ReadMedia returns the content of the media file of the given name.
func (p *Package) ReadMedia(name string) ([]byte, error) {
	member := ""
	for k, v := range p.Media {
		if v == name {
			member = k
		}
	}
	if member == "" {
		return nil, fmt.Errorf("read %s: no media file %q", p.path, name)
	}
	zr, err := zip.OpenReader(p.path)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	rc, err := zr.Open(member)
	if err != nil {
		return nil, fmt.Errorf("read %s: media %q: %w", p.path, name, err)
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

func (p *Package) readDB(db *sql.DB) error {
	// SQLite's own check of the file: every page, every index entry
	// against its row.
	var res string
	if err := db.QueryRow("PRAGMA integrity_check(5)").Scan(&res); err != nil {
		return err
	}
	if res != "ok" {
		p.problem("integrity check: %s", res)
	}
	for _, t := range schema11 {
		cols, err := tableInfo(db, t.name)
		if err != nil {
			return err
		}
		if cols == nil {
			p.problem("table %s missing", t.name)
			continue
		}
		p.tables[t.name] = cols
		if err := p.checkTypes(db, t, cols); err != nil {
			return err
		}
	}
	if _, ok := p.tables["col"]; ok {
		if err := p.readCol(db); err != nil {
			return err
		}
	}
	if _, ok := p.tables["notes"]; ok {
		if err := p.readNotes(db); err != nil {
			return err
		}
	}
	if _, ok := p.tables["cards"]; ok {
		if err := p.readCards(db); err != nil {
			return err
		}
	}
	if _, ok := p.tables["revlog"]; ok {
		if err := p.readRevlog(db); err != nil {
			return err
		}
	}
	return nil
}

func tableInfo(db *sql.DB, name string) ([]column, error) {
	rows, err := db.Query("select name, type, \"notnull\", pk from pragma_table_info(?)", name)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []column
	for rows.Next() {
		var c column
		var notNull, pk int
		if err := rows.Scan(&c.name, &c.typ, &notNull, &pk); err != nil {
			return nil, err
		}
		c.typ, c.notNull, c.pk = strings.ToLower(c.typ), notNull != 0, pk != 0
		cols = append(cols, c)
	}
	return cols, rows.Err()
}

// checkTypes counts the values of each expected column whose storage type
// is not the declared one: current Anki refuses a REAL or TEXT where it
// reads an integer.
func (p *Package) checkTypes(db *sql.DB, t table, have []column) error {
	present := map[string]bool{}
	for _, c := range have {
		present[c.name] = true
	}
	var exprs []string
	var names []column
	for _, c := range t.cols {
		if !present[c.name] {
			continue
		}
		want := "typeof(" + quote(c.name) + ") <> '" + c.typ + "'"
		if c.name == "sfld" {
			// Declared integer so numbers sort as numbers; holds text.
			want = "typeof(sfld) not in ('text', 'integer', 'real')"
		}
		exprs = append(exprs, "coalesce(sum("+want+"), 0)")
		names = append(names, c)
	}
	if len(exprs) == 0 {
		return nil
	}
	counts := make([]int64, len(exprs))
	dest := make([]any, len(exprs))
	for i := range counts {
		dest[i] = &counts[i]
	}
	if err := db.QueryRow("select " + strings.Join(exprs, ", ") + " from " + quote(t.name)).Scan(dest...); err != nil {
		return err
	}
	for i, n := range counts {
		if n > 0 {
			p.problem("%s.%s: %d values are not of type %s", t.name, names[i].name, n, names[i].typ)
		}
	}
	return nil
}

func quote(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// selectList casts every column to its declared type, so rows read even
// where Check will complain about a stored type.
func selectList(tname string) string {
	for _, t := range schema11 {
		if t.name != tname {
			continue
		}
		parts := make([]string, len(t.cols))
		for i, c := range t.cols {
			typ := strings.ToUpper(c.typ)
			if c.name == "sfld" {
				typ = "TEXT"
			}
			parts[i] = "cast(" + quote(c.name) + " as " + typ + ")"
		}
		return strings.Join(parts, ", ")
	}
	return "*"
}

func (p *Package) readCol(db *sql.DB) error {
	rows, err := db.Query("select " + selectList("col") + " from col")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		p.colRows++
		c := &p.Col
		if err := rows.Scan(&c.ID, &c.Crt, &c.Mod, &c.Scm, &c.Ver, &c.Dty, &c.Usn, &c.Ls,
			&c.Conf, &c.Models, &c.Decks, &c.DConf, &c.Tags); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	p.parseModels()
	p.parseDecks()
	p.parseDConf()
	return nil
}

func (p *Package) parseModels() {
	var m map[string]struct {
		ID    int64  `json:"id"`
		Name  string `json:"name"`
		Type  int    `json:"type"`
		Sortf int    `json:"sortf"`
		CSS   string `json:"css"`
		Flds  []struct {
			Name string `json:"name"`
		} `json:"flds"`
		Tmpls []struct {
			Name string `json:"name"`
			Ord  int    `json:"ord"`
			QFmt string `json:"qfmt"`
			AFmt string `json:"afmt"`
		} `json:"tmpls"`
	}
	if err := json.Unmarshal([]byte(p.Col.Models), &m); err != nil {
		p.problem("col.models: %v", err)
		return
	}
	for _, v := range m {
		nt := NoteType{ID: v.ID, Name: v.Name, Type: v.Type, Sortf: v.Sortf, CSS: v.CSS}
		for _, f := range v.Flds {
			nt.Fields = append(nt.Fields, f.Name)
		}
		for _, t := range v.Tmpls {
			nt.Templates = append(nt.Templates, Template{Name: t.Name, Ord: t.Ord, QFmt: t.QFmt, AFmt: t.AFmt})
		}
		p.NoteTypes[nt.ID] = nt
	}
}

func (p *Package) parseDecks() {
	var m map[string]struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
		Conf int64  `json:"conf"`
	}
	if err := json.Unmarshal([]byte(p.Col.Decks), &m); err != nil {
		p.problem("col.decks: %v", err)
		return
	}
	for _, v := range m {
		p.Decks[v.ID] = Deck{ID: v.ID, Name: v.Name, Conf: v.Conf}
	}
}

func (p *Package) parseDConf() {
	var m map[string]struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	}
	if err := json.Unmarshal([]byte(p.Col.DConf), &m); err != nil {
		p.problem("col.dconf: %v", err)
		return
	}
	for _, v := range m {
		p.DeckConfs[v.ID] = DeckConf{ID: v.ID, Name: v.Name}
	}
}

func (p *Package) readNotes(db *sql.DB) error {
	rows, err := db.Query("select " + selectList("notes") + " from notes order by id")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var n Note
		if err := rows.Scan(&n.ID, &n.GUID, &n.MID, &n.Mod, &n.Usn, &n.RawTags, &n.Flds,
			&n.SFld, &n.CSum, &n.Flags, &n.Data); err != nil {
			return err
		}
		n.Fields = strings.Split(n.Flds, "\x1f")
		n.Tags = strings.Fields(n.RawTags)
		p.Notes = append(p.Notes, n)
	}
	return rows.Err()
}

func (p *Package) readCards(db *sql.DB) error {
	rows, err := db.Query("select " + selectList("cards") + " from cards order by id")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var c Card
		if err := rows.Scan(&c.ID, &c.NID, &c.DID, &c.Ord, &c.Mod, &c.Usn, &c.Type, &c.Queue, &c.Due,
			&c.Ivl, &c.Factor, &c.Reps, &c.Lapses, &c.Left, &c.ODue, &c.ODid, &c.Flags, &c.Data); err != nil {
			return err
		}
		p.Cards = append(p.Cards, c)
	}
	return rows.Err()
}

func (p *Package) readRevlog(db *sql.DB) error {
	rows, err := db.Query("select " + selectList("revlog") + " from revlog order by id")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r RevlogEntry
		if err := rows.Scan(&r.ID, &r.CID, &r.Usn, &r.Ease, &r.Ivl, &r.LastIvl, &r.Factor, &r.Time, &r.Type); err != nil {
			return err
		}
		p.Revlog = append(p.Revlog, r)
	}
	return rows.Err()
}

// Note returns the note with the given guid.
func (p *Package) Note(guid string) (Note, bool) {
	for _, n := range p.Notes {
		if n.GUID == guid {
			return n, true
		}
	}
	return Note{}, false
}

// CardsOf returns the cards of a note, by ord.
func (p *Package) CardsOf(nid int64) []Card {
	var cs []Card
	for _, c := range p.Cards {
		if c.NID == nid {
			cs = append(cs, c)
		}
	}
	sort.Slice(cs, func(i, j int) bool { return cs[i].Ord < cs[j].Ord })
	return cs
}

// DeckName returns the name of a deck id, "" if unknown.
func (p *Package) DeckName(id int64) string { return p.Decks[id].Name }

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number, float64:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// openDB opens a SQLite file of a package: read-only, or as a scratch copy
// with no journal and no syncing, as it is thrown away if anything fails.
func openDB(file string, readOnly bool) (*sql.DB, error) {
	q := url.Values{}
	if readOnly {
		q.Add("mode", "ro")
	} else {
		q.Add("_pragma", "journal_mode(OFF)")
		q.Add("_pragma", "synchronous(OFF)")
		q.Add("_pragma", "temp.cache_size(-512)")
		q.Add("_pragma", "cache_size(-1024)")
	}
	u := url.URL{Scheme: "file", OmitHost: true, Path: file, RawQuery: q.Encode()}
	db, err := sql.Open("sqlite", u.String())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	return db, nil
}
