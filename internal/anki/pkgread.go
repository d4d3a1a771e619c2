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
// its note types, decks, notes, cards, review log and media map. The
// package's collection is written to a temporary file in tmpDir ("" for
// the system's), read and removed.
func Open(path, tmpDir string) (*Package, error) {
	p, err := open(path, tmpDir)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return p, nil
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
// decompressed; a member the map names but the zip lacks is passed as a
// nil reader.
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
		b, err := readMember(f)
		if err != nil {
			return fmt.Errorf("media %q: %w", p.Media[m], err)
		}
		if p.Version >= versionLatest {
			if b, err = unzstd(b); err != nil {
				return fmt.Errorf("media %q: %w", p.Media[m], err)
			}
		}
		if err := fn(p.Media[m], bytes.NewReader(b)); err != nil {
			return err
		}
	}
	return nil
}

// readCollection extracts the collection (decompressing a zstd one) to a
// temporary file and reads it.
func (p *Package) readCollection(f *zip.File, tmpDir string) error {
	tmp, err := os.CreateTemp(tmpDir, "recall-import-*.anki2")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
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
	db, err := openDB(tmp.Name(), true)
	if err != nil {
		return err
	}
	defer db.Close()
	return p.readAny(db)
}

// extractAny copies a zip member to dst, decompressing a zstd stream.
func extractAny(f *zip.File, dst *os.File) error {
	rc, err := f.Open()
	if err != nil {
		dst.Close()
		return err
	}
	defer rc.Close()
	br := bufio.NewReader(rc)
	var src io.Reader = br
	if head, _ := br.Peek(4); bytes.Equal(head, zstdMagic) {
		d, err := zstd.NewReader(br)
		if err != nil {
			dst.Close()
			return err
		}
		defer d.Close()
		src = d
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
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
	p.Schema = int(ver)
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
	if err := p.readNotes(db); err != nil {
		return fmt.Errorf("notes: %w", err)
	}
	if err := p.readCards(db); err != nil {
		return fmt.Errorf("cards: %w", err)
	}
	if err := p.readRevlog(db); err != nil {
		return fmt.Errorf("revlog: %w", err)
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
