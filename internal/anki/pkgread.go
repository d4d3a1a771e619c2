package anki

import (
	"archive/zip"
	"bufio"
	"bytes"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/klauspost/compress/zstd"
	"google.golang.org/protobuf/encoding/protowire"
	"modernc.org/sqlite"
)

// This file reads any package Anki writes, for import: the legacy ones
// (collection.anki2 or collection.anki21, schema 11, a JSON media map) and
// the current one (collection.anki21b, a zstd-compressed SQLite file at
// schema 18, a "meta" member, a zstd-compressed protobuf media map and
// zstd-compressed media files). Read, beside it, is the strict reader the
// tests check recall's own packages with.

// The collections a package may hold, newest first: Anki writes a
// placeholder collection.anki2 beside the real one, so the newest wins.
var collectionMembers = []string{"collection.anki21b", "collection.anki21", "collection.anki2"}

// Package versions, as the meta member's PackageMetadata says them.
const (
	versionLegacy1 = 1 // collection.anki2
	versionLegacy2 = 2 // collection.anki21
	versionLatest  = 3 // collection.anki21b: zstd, schema 18, protobuf media map
)

// zstdMagic opens every zstd frame.
var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

var registerUnicase sync.Once

// Open reads an Anki package (.apkg or .colpkg) of any version for import:
// its note types, decks and media map. The package's collection is
// written to a temporary file in tmpDir ("" for the system's) and stays
// open, so that Import reads its notes, cards and review log one note at
// a time; Close removes it.
func Open(path, tmpDir string) (*Package, error) {
	p, err := open(path, tmpDir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
}

// Close closes the collection Open extracted, and removes its file.
func (p *Package) Close() error {
	var err error
	if p.db != nil {
		err = p.db.Close()
		p.db = nil
	}
	if p.scratch != "" {
		if rmErr := os.Remove(p.scratch); rmErr != nil && !os.IsNotExist(rmErr) && err == nil {
			err = rmErr
		}
		p.scratch = ""
	}
	return err
}

func open(path, tmpDir string) (*Package, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		if errors.Is(err, zip.ErrFormat) {
			return nil, errors.New("not an Anki package (not a zip file)")
		}
		return nil, err
	}
	defer zr.Close()
	p := &Package{path: path, Members: map[string]int64{}, Media: map[string]string{},
		NoteTypes: map[int64]NoteType{}, Decks: map[int64]Deck{}, DeckConfs: map[int64]DeckConf{},
		tables: map[string][]column{}}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		p.Members[f.Name] = int64(f.UncompressedSize64)
		files[f.Name] = f
	}
	if f, ok := files["meta"]; ok {
		if p.Version, err = readMeta(f); err != nil {
			return nil, fmt.Errorf("meta: %w", err)
		}
	}
	var col *zip.File
	for _, name := range collectionMembers {
		if f, ok := files[name]; ok {
			col, p.Collection = f, name
			break
		}
	}
	if col == nil {
		return nil, errors.New("not an Anki package: no collection in it")
	}
	if f, ok := files["media"]; ok {
		if err := p.readAnyMedia(f); err != nil {
			return nil, fmt.Errorf("media: %w", err)
		}
	}
	if err := p.readCollection(col, tmpDir); err != nil {
		p.Close()
		return nil, fmt.Errorf("%s: %w", col.Name, err)
	}
	return p, nil
}

// readMeta reads the package version from the meta member, a
// PackageMetadata protobuf whose field 1 is the version.
func readMeta(f *zip.File) (int, error) {
	b, err := readMember(f)
	if err != nil {
		return 0, err
	}
	version := 0
	err = eachField(b, func(num protowire.Number, typ protowire.Type, v uint64, _ []byte) {
		if num == 1 && typ == protowire.VarintType {
			version = int(v)
		}
	})
	return version, err
}

func readMember(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// unzstd decompresses b when it is a zstd frame and returns it as it is
// otherwise.
func unzstd(b []byte) ([]byte, error) {
	if !bytes.HasPrefix(b, zstdMagic) {
		return b, nil
	}
	d, err := zstd.NewReader(nil)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	return d.DecodeAll(b, nil)
}

// eachField calls fn with each field of a protobuf message: its number,
// wire type and value (varints in v, length-delimited fields in raw).
func eachField(b []byte, fn func(num protowire.Number, typ protowire.Type, v uint64, raw []byte)) error {
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return fmt.Errorf("malformed protobuf: %w", protowire.ParseError(n))
		}
		b = b[n:]
		var v uint64
		var raw []byte
		switch typ {
		case protowire.VarintType:
			v, n = protowire.ConsumeVarint(b)
		case protowire.BytesType:
			raw, n = protowire.ConsumeBytes(b)
		default:
			n = protowire.ConsumeFieldValue(num, typ, b)
		}
		if n < 0 {
			return fmt.Errorf("malformed protobuf: %w", protowire.ParseError(n))
		}
		b = b[n:]
		fn(num, typ, v, raw)
	}
	return nil
}

// readAnyMedia reads the media map: a JSON object {"0": "name"} in legacy
// packages, a zstd-compressed MediaEntries protobuf in current ones, whose
// n-th entry (field 1: name) is the member named n.
func (p *Package) readAnyMedia(f *zip.File) error {
	b, err := readMember(f)
	if err != nil {
		return err
	}
	if b, err = unzstd(b); err != nil {
		return err
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	if bytes.HasPrefix(bytes.TrimSpace(b), []byte("{")) {
		var m map[string]string
		if err := json.Unmarshal(b, &m); err != nil {
			return fmt.Errorf("not a JSON map of names: %v", err)
		}
		p.Media = m
		return nil
	}
	i := 0
	return eachField(b, func(num protowire.Number, typ protowire.Type, _ uint64, raw []byte) {
		if num != 1 || typ != protowire.BytesType {
			return
		}
		name, member := "", fmt.Sprint(i)
		_ = eachField(raw, func(num protowire.Number, typ protowire.Type, v uint64, raw []byte) {
			switch {
			case num == 1 && typ == protowire.BytesType:
				name = string(raw)
			case num == 255 && typ == protowire.VarintType:
				member = fmt.Sprint(v) // legacy_zip_filename
			}
		})
		if name != "" {
			p.Media[member] = name
		}
		i++
	})
}

// EachMedia calls fn with every media file of the package, by its name,
// as a stream decompressed as it is read; a member the map names but the
// zip lacks is passed as a nil reader. An error reading a file names it.
func (p *Package) EachMedia(fn func(name string, r io.Reader) error) error {
	zr, err := zip.OpenReader(p.path)
	if err != nil {
		return err
	}
	defer zr.Close()
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	members := make([]string, 0, len(p.Media))
	for m := range p.Media {
		members = append(members, m)
	}
	sort.Strings(members)
	for _, m := range members {
		f, ok := files[m]
		if !ok {
			if err := fn(p.Media[m], nil); err != nil {
				return err
			}
			continue
		}
		if err := p.eachMediaFile(f, p.Media[m], fn); err != nil {
			return err
		}
	}
	return nil
}

// eachMediaFile opens one media member and hands it to fn as a stream,
// decompressing it when it is zstd (current packages compress each file).
func (p *Package) eachMediaFile(f *zip.File, name string, fn func(name string, r io.Reader) error) error {
	rc, err := f.Open()
	if err != nil {
		return fmt.Errorf("media %q: %w", name, err)
	}
	defer rc.Close()
	r, done, err := zstdStream(rc, p.Version >= versionLatest)
	if err != nil {
		return fmt.Errorf("media %q: %w", name, err)
	}
	defer done()
	return fn(name, namedReader{r: r, name: name})
}

// namedReader names the media file in the errors of reading it.
type namedReader struct {
	r    io.Reader
	name string
}

func (n namedReader) Read(b []byte) (int, error) {
	k, err := n.r.Read(b)
	if err != nil && err != io.EOF {
		err = fmt.Errorf("media %q: %w", n.name, err)
	}
	return k, err
}

// readCollection extracts the collection (decompressing a zstd one) to a
// temporary file, the package's scratch copy, and reads what is small of
// it: note types and decks. The file stays open for the notes.
func (p *Package) readCollection(f *zip.File, tmpDir string) error {
	tmp, err := os.CreateTemp(tmpDir, "recall-import-*.anki2")
	if err != nil {
		return err
	}
	p.scratch = tmp.Name()
	if err := extractAny(f, tmp); err != nil {
		return err
	}
	registerUnicase.Do(func() {
		// Schema 18 declares names COLLATE unicase; reading needs it
		// known, not exact.
		_ = sqlite.RegisterCollationUtf8("unicase", func(a, b string) int {
			return strings.Compare(strings.ToLower(a), strings.ToLower(b))
		})
	})
	// The copy is recall's to change: it is opened for writing, so that
	// Import can index it, without a journal.
	if p.db, err = openDB(p.scratch, false); err != nil {
		return err
	}
	// Import reads notes and cards side by side, on two connections.
	p.db.SetMaxOpenConns(2)
	return p.readAny(p.db)
}

// extractAny copies a zip member to dst, decompressing a zstd stream.
func extractAny(f *zip.File, dst *os.File) error {
	rc, err := f.Open()
	if err != nil {
		dst.Close()
		return err
	}
	defer rc.Close()
	src, done, err := zstdStream(rc, true)
	if err != nil {
		dst.Close()
		return err
	}
	defer done()
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// zstdStream reads r as it is, or decoded when it is zstd (and zstd is
// allowed), and returns what frees the decoder. One decoding goroutine,
// low on memory: what it decodes streams on, never held.
func zstdStream(r io.Reader, allowed bool) (io.Reader, func(), error) {
	br := bufio.NewReader(r)
	if head, _ := br.Peek(len(zstdMagic)); !allowed || !bytes.Equal(head, zstdMagic) {
		return br, func() {}, nil
	}
	d, err := zstd.NewReader(br, zstd.WithDecoderConcurrency(1), zstd.WithDecoderLowmem(true))
	if err != nil {
		return nil, nil, err
	}
	return d, d.Close, nil
}

// schedVer reads the scheduler version of a collection: from its config
// table (schema 15 and later) or the conf JSON of its col row. A legacy
// collection that does not say is on the v1 scheduler, the only one before
// the key existed; a current one that does not is on v2 or later.
func schedVer(db *sql.DB, configTable bool) int {
	var raw []byte
	var err error
	if configTable {
		err = db.QueryRow("select val from config where key = 'schedVer'").Scan(&raw)
	} else {
		var conf string
		if err = db.QueryRow("select conf from col").Scan(&conf); err == nil {
			var c struct {
				SchedVer json.RawMessage `json:"schedVer"`
			}
			if json.Unmarshal([]byte(conf), &c) == nil {
				raw = c.SchedVer
			}
		}
	}
	var v int
	if err == nil && len(raw) > 0 && json.Unmarshal(raw, &v) == nil && v > 0 {
		return v
	}
	if configTable {
		return 2
	}
	return 1
}

// readAny reads a collection of schema 11 (note types and decks as JSON
// in col) or of schema 15 and later (tables of their own).
func (p *Package) readAny(db *sql.DB) error {
	var ver int64
	if err := db.QueryRow("select cast(crt as integer), cast(ver as integer) from col").Scan(&p.Col.Crt, &ver); err != nil {
		return fmt.Errorf("not an Anki collection: %w", err)
	}
	p.Col.Ver = ver
	var tables int
	if err := db.QueryRow("select count(*) from sqlite_master where type = 'table' and name = 'notetypes'").Scan(&tables); err != nil {
		return err
	}
	p.SchedVer = schedVer(db, tables > 0)
	if tables > 0 {
		if err := p.readNotetypes(db); err != nil {
			return fmt.Errorf("note types: %w", err)
		}
		if err := p.readDeckTable(db); err != nil {
			return fmt.Errorf("decks: %w", err)
		}
	} else {
		if err := db.QueryRow("select models, decks from col").Scan(&p.Col.Models, &p.Col.Decks); err != nil {
			return err
		}
		if err := p.parseLegacy(); err != nil {
			return err
		}
	}
	return nil
}

// readNotetypes reads the note types of schema 15+: the notetypes table
// (config field 1: kind, 1 for cloze; 2: sort field), fields and templates
// (config fields 1 and 2: question and answer formats).
func (p *Package) readNotetypes(db *sql.DB) error {
	rows, err := db.Query("select id, name, config from notetypes")
	if err != nil {
		return err
	}
	for rows.Next() {
		var nt NoteType
		var config []byte
		if err := rows.Scan(&nt.ID, &nt.Name, &config); err != nil {
			rows.Close()
			return err
		}
		err := eachField(config, func(num protowire.Number, typ protowire.Type, v uint64, raw []byte) {
			switch {
			case num == 1 && typ == protowire.VarintType:
				nt.Type = int(v)
			case num == 2 && typ == protowire.VarintType:
				nt.Sortf = int(v)
			case num == 3 && typ == protowire.BytesType:
				nt.CSS = string(raw)
			}
		})
		if err != nil {
			rows.Close()
			return fmt.Errorf("%s: %w", nt.Name, err)
		}
		p.NoteTypes[nt.ID] = nt
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if err := p.readFieldNames(db); err != nil {
		return err
	}
	return p.readTemplates(db)
}

func (p *Package) readFieldNames(db *sql.DB) error {
	rows, err := db.Query("select ntid, name from fields order by ntid, ord")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var ntid int64
		var name string
		if err := rows.Scan(&ntid, &name); err != nil {
			return err
		}
		nt := p.NoteTypes[ntid]
		nt.Fields = append(nt.Fields, name)
		p.NoteTypes[ntid] = nt
	}
	return rows.Err()
}

func (p *Package) readTemplates(db *sql.DB) error {
	rows, err := db.Query("select ntid, ord, name, config from templates order by ntid, ord")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var ntid int64
		var t Template
		var config []byte
		if err := rows.Scan(&ntid, &t.Ord, &t.Name, &config); err != nil {
			return err
		}
		err := eachField(config, func(num protowire.Number, typ protowire.Type, _ uint64, raw []byte) {
			switch {
			case num == 1 && typ == protowire.BytesType:
				t.QFmt = string(raw)
			case num == 2 && typ == protowire.BytesType:
				t.AFmt = string(raw)
			}
		})
		if err != nil {
			return fmt.Errorf("template %s: %w", t.Name, err)
		}
		nt := p.NoteTypes[ntid]
		nt.Templates = append(nt.Templates, t)
		p.NoteTypes[ntid] = nt
	}
	return rows.Err()
}

// readDeckTable reads the decks of schema 15+, whose names separate their
// levels with \x1f where schema 11 wrote "::".
func (p *Package) readDeckTable(db *sql.DB) error {
	rows, err := db.Query("select id, name from decks")
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var d Deck
		if err := rows.Scan(&d.ID, &d.Name); err != nil {
			return err
		}
		d.Name = strings.ReplaceAll(d.Name, "\x1f", "::")
		p.Decks[d.ID] = d
	}
	return rows.Err()
}

// looseInt is a JSON number that old Anki versions sometimes wrote as a
// string.
type looseInt int64

func (n *looseInt) UnmarshalJSON(b []byte) error {
	v, err := strconv.ParseInt(strings.Trim(string(b), `"`), 10, 64)
	if err != nil {
		return fmt.Errorf("not an integer: %s", b)
	}
	*n = looseInt(v)
	return nil
}

// parseLegacy reads the note types and decks of a schema-11 collection,
// kept as JSON in col, by their keys: old versions wrote some ids as
// strings.
func (p *Package) parseLegacy() error {
	var models map[string]struct {
		Name  string   `json:"name"`
		Type  looseInt `json:"type"`
		Sortf looseInt `json:"sortf"`
		Flds  []struct {
			Name string `json:"name"`
		} `json:"flds"`
		Tmpls []struct {
			Name string   `json:"name"`
			Ord  looseInt `json:"ord"`
			QFmt string   `json:"qfmt"`
			AFmt string   `json:"afmt"`
		} `json:"tmpls"`
	}
	if err := json.Unmarshal([]byte(p.Col.Models), &models); err != nil {
		return fmt.Errorf("col.models: %w", err)
	}
	for k, v := range models {
		id, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			return fmt.Errorf("col.models: note type id %q", k)
		}
		nt := NoteType{ID: id, Name: v.Name, Type: int(v.Type), Sortf: int(v.Sortf)}
		for _, f := range v.Flds {
			nt.Fields = append(nt.Fields, f.Name)
		}
		for i, t := range v.Tmpls {
			ord := int(t.Ord)
			if ord == 0 {
				ord = i
			}
			nt.Templates = append(nt.Templates, Template{Name: t.Name, Ord: ord, QFmt: t.QFmt, AFmt: t.AFmt})
		}
		p.NoteTypes[id] = nt
	}
	var decks map[string]struct {
		Name string `json:"name"`
	}
	if err := json.Unmarshal([]byte(p.Col.Decks), &decks); err != nil {
		return fmt.Errorf("col.decks: %w", err)
	}
	for k, v := range decks {
		id, err := strconv.ParseInt(k, 10, 64)
		if err != nil {
			return fmt.Errorf("col.decks: deck id %q", k)
		}
		p.Decks[id] = Deck{ID: id, Name: v.Name}
	}
	return nil
}

// Indexes Import adds to the scratch copy of the collection, so that the
// cards of each note and the reviews of each card come in order without a
// sort: a package need not have them (recall's own have neither).
var importIndexes = []string{
	`CREATE INDEX IF NOT EXISTS recall_import_cards ON cards (nid, ord, id)`,
	`CREATE INDEX IF NOT EXISTS recall_import_revlog ON revlog (cid, id)`,
}

// eachNote calls fn with every note of the collection in id order, with
// its cards by ord and, for each card, its reviews in time order. Notes
// come from one query and cards with their reviews from another, both in
// note order, walked side by side: nothing but one note is held. Cards of
// no note are passed over.
func (p *Package) eachNote(fn func(n Note, cards []Card, logs [][]RevlogEntry) error) error {
	if p.db == nil {
		return errors.New("the package's collection is not open")
	}
	for _, q := range importIndexes {
		// Without one (a table SQLite will not index), the query sorts
		// instead: slower, still right.
		_, _ = p.db.Exec(q)
	}
	notes, err := p.db.Query("select " + selectList("notes") + " from notes order by id")
	if err != nil {
		return fmt.Errorf("notes: %w", err)
	}
	defer notes.Close()
	cards, err := p.openCardStream()
	if err != nil {
		return fmt.Errorf("cards: %w", err)
	}
	defer cards.close()
	var cs []Card
	var logs [][]RevlogEntry
	for notes.Next() {
		var n Note
		if err := notes.Scan(&n.ID, &n.GUID, &n.MID, &n.Mod, &n.Usn, &n.RawTags, &n.Flds,
			&n.SFld, &n.CSum, &n.Flags, &n.Data); err != nil {
			return fmt.Errorf("notes: %w", err)
		}
		n.Fields = strings.Split(n.Flds, "\x1f")
		n.Tags = strings.Fields(n.RawTags)
		cs, logs = cs[:0], logs[:0]
		for {
			c, log, ok, err := cards.nextOf(n.ID)
			if err != nil {
				return fmt.Errorf("cards: %w", err)
			}
			if !ok {
				break
			}
			cs, logs = append(cs, c), append(logs, log)
		}
		if err := fn(n, cs, logs); err != nil {
			return err
		}
	}
	if err := notes.Err(); err != nil {
		return fmt.Errorf("notes: %w", err)
	}
	return nil
}

// cardStream reads the cards of a collection in note order, each row a
// card joined with one of its reviews (or none), and gives them a card at
// a time.
type cardStream struct {
	rows *sql.Rows
	// The row read ahead: its card and review, if it has one.
	have   bool
	card   Card
	review RevlogEntry
	logged bool
}

func (p *Package) openCardStream() (*cardStream, error) {
	var revlogCols []string
	for _, t := range schema11 {
		if t.name == "revlog" {
			for _, c := range t.cols {
				revlogCols = append(revlogCols, "coalesce(cast(r."+quote(c.name)+" as INTEGER), 0)")
			}
		}
	}
	q := "select " + strings.ReplaceAll(selectList("cards"), "cast(", "cast(c.") + ", r.id is not null, " +
		strings.Join(revlogCols, ", ") +
		" from cards c left join revlog r on r.cid = c.id order by c.nid, c.ord, c.id, r.id"
	rows, err := p.db.Query(q)
	if err != nil {
		return nil, err
	}
	s := &cardStream{rows: rows}
	if err := s.advance(); err != nil {
		rows.Close()
		return nil, err
	}
	return s, nil
}

func (s *cardStream) close() { s.rows.Close() }

// advance reads the next row.
func (s *cardStream) advance() error {
	if s.have = s.rows.Next(); !s.have {
		return s.rows.Err()
	}
	c, r := &s.card, &s.review
	return s.rows.Scan(&c.ID, &c.NID, &c.DID, &c.Ord, &c.Mod, &c.Usn, &c.Type, &c.Queue, &c.Due,
		&c.Ivl, &c.Factor, &c.Reps, &c.Lapses, &c.Left, &c.ODue, &c.ODid, &c.Flags, &c.Data,
		&s.logged, &r.ID, &r.CID, &r.Usn, &r.Ease, &r.Ivl, &r.LastIvl, &r.Factor, &r.Time, &r.Type)
}

// nextOf returns the next card of note nid with its reviews; ok is false
// when the note has no more. Cards of notes before nid, which no note
// has, are passed over.
func (s *cardStream) nextOf(nid int64) (c Card, log []RevlogEntry, ok bool, err error) {
	for s.have && s.card.NID < nid {
		if err := s.advance(); err != nil {
			return c, nil, false, err
		}
	}
	if !s.have || s.card.NID != nid {
		return c, nil, false, nil
	}
	c = s.card
	for s.have && s.card.ID == c.ID && s.card.NID == nid {
		if s.logged {
			log = append(log, s.review)
		}
		if err := s.advance(); err != nil {
			return c, nil, false, err
		}
	}
	return c, log, true, nil
}

// usedDecks are the decks the collection's cards are in: deck and
// original deck (for a card in a filtered deck), as cards carrying only
// those.
func (p *Package) usedDecks() ([]Card, error) {
	if p.db == nil {
		return nil, errors.New("the package's collection is not open")
	}
	rows, err := p.db.Query("select distinct cast(did as integer), cast(odid as integer) from cards")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Card
	for rows.Next() {
		var c Card
		if err := rows.Scan(&c.DID, &c.ODid); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CardCount is the number of cards in the package's collection.
func (p *Package) CardCount() (int, error) {
	if p.db == nil {
		return 0, errors.New("the package's collection is not open")
	}
	var n int
	err := p.db.QueryRow("select count(*) from cards").Scan(&n)
	return n, err
}
