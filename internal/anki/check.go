package anki

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"github.com/recall-cli/recall/internal/card"
)

// maxPerRule is how many problems of one rule Check lists before it only
// counts them.
const maxPerRule = 10

// report gathers problems, at most maxPerRule per rule.
type report struct {
	errs  []error
	count map[string]int
	order []string
}

func (r *report) add(rule, format string, args ...any) {
	if r.count == nil {
		r.count = map[string]int{}
	}
	if r.count[rule] == 0 {
		r.order = append(r.order, rule)
	}
	r.count[rule]++
	if r.count[rule] <= maxPerRule {
		r.errs = append(r.errs, fmt.Errorf(format, args...))
	}
}

func (r *report) done() []error {
	for _, rule := range r.order {
		if n := r.count[rule]; n > maxPerRule {
			r.errs = append(r.errs, fmt.Errorf("%s: %d more problems like these", rule, n-maxPerRule))
		}
	}
	return r.errs
}

// Check verifies every rule of what Anki's importer accepts (see "The Anki
// mapping" in docs/ARCHITECTURE.md): the zip members and media map; the five tables with
// schema 11's columns and every stored value of the declared type; the one
// col row; the required keys of note types, decks and deck options with
// their JSON types; field counts, sfld and csum of notes; card ords, decks,
// queues and due ranges; revlog rows; ids unique and not after the export
// time (col.mod). It returns nil for a package Anki imports as is.
func (p *Package) Check() []error {
	r := &report{}
	for _, e := range p.problems {
		r.add("read", "%v", e)
	}
	p.checkZip(r)
	p.checkSchema(r)
	p.checkCol(r)
	models := p.checkModels(r)
	dconf := p.checkDConf(r)
	p.checkDecks(r, dconf)
	notes := p.checkNotes(r, models)
	cards := p.checkCards(r, notes, models)
	p.checkRevlog(r, cards)
	return r.done()
}

func (p *Package) checkZip(r *report) {
	if _, ok := p.Members["collection.anki2"]; !ok {
		r.add("zip", "zip: collection.anki2 missing")
	}
	names := map[string]string{}
	for member, name := range p.Media {
		if _, ok := p.Members[member]; !ok {
			r.add("media", "media: member %q (%s) missing from the zip", member, name)
		}
		if n, err := strconv.Atoi(member); err != nil || n < 0 || strconv.Itoa(n) != member {
			r.add("media", "media: member name %q is not a number", member)
		}
		if !mediaNameOK(name) {
			r.add("media", "media: file name %q is not one path component", name)
		}
		if other, ok := names[name]; ok {
			r.add("media", "media: file name %q used by members %s and %s", name, other, member)
		}
		names[name] = member
	}
	for member := range p.Members {
		if _, err := strconv.Atoi(member); err == nil {
			if _, ok := p.Media[member]; !ok {
				r.add("media", "zip: member %q is not in the media map", member)
			}
		}
	}
}

// mediaNameOK reports whether a media file name is one path component, as
// Anki's importer requires.
func mediaNameOK(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.ContainsAny(name, "/\\\x00")
}

func (p *Package) checkSchema(r *report) {
	for _, t := range schema11 {
		have, ok := p.tables[t.name]
		if !ok {
			continue // reported by Read
		}
		if len(have) != len(t.cols) {
			r.add("schema", "table %s: %d columns, want %d", t.name, len(have), len(t.cols))
		}
		for i := range min(len(have), len(t.cols)) {
			h, w := have[i], t.cols[i]
			if h.name != w.name || h.typ != w.typ || h.pk != w.pk || (h.notNull != w.notNull && !w.pk) {
				r.add("schema", "table %s column %d: %s %s (pk %v, not null %v), want %s %s (pk %v, not null %v)",
					t.name, i, h.name, h.typ, h.pk, h.notNull, w.name, w.typ, w.pk, w.notNull)
			}
		}
	}
}

// now is the package's export time in milliseconds: no id may be later.
func (p *Package) now() int64 { return p.Col.Mod }

func (p *Package) checkCol(r *report) {
	if _, ok := p.tables["col"]; !ok {
		return
	}
	if p.colRows != 1 {
		r.add("col", "col: %d rows, want 1", p.colRows)
		if p.colRows == 0 {
			return
		}
	}
	c := p.Col
	for _, f := range []struct {
		name       string
		have, want int64
	}{{"id", c.ID, 1}, {"ver", c.Ver, schemaVersion}, {"dty", c.Dty, 0}, {"usn", c.Usn, 0}, {"ls", c.Ls, 0}} {
		if f.have != f.want {
			r.add("col", "col.%s = %d, want %d", f.name, f.have, f.want)
		}
	}
	const ms2001 = 978307200000
	if c.Mod < ms2001 {
		r.add("col", "col.mod = %d, want milliseconds", c.Mod)
	}
	if c.Scm < ms2001 {
		r.add("col", "col.scm = %d, want milliseconds", c.Scm)
	}
	if c.Crt <= 0 || c.Crt > c.Mod/1000 {
		r.add("col", "col.crt = %d, want seconds before the export time", c.Crt)
	}
	parseObject(r, "col.tags", c.Tags)
	conf, ok := parseObject(r, "col.conf", c.Conf)
	if !ok {
		return
	}
	if v, ok := conf["schedVer"]; !ok || !isInt(v, 2) {
		r.add("col", "col.conf.schedVer = %v, want 2", v)
	}
	if v, ok := conf["rollover"]; ok {
		if n, isN := intOf(v); !isN || n < 0 || n > 23 {
			r.add("col", "col.conf.rollover = %v, want an hour 0–23", v)
		}
	}
	for _, k := range []string{"creationOffset", "nextPos", "curModel"} {
		if v, ok := conf[k]; ok {
			if _, isN := intOf(v); !isN {
				r.add("col", "col.conf.%s is %s, want an integer", k, jsonType(v))
			}
		}
	}
}

// parseObject decodes a JSON object, numbers kept exact.
func parseObject(r *report, what, s string) (map[string]any, bool) {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		r.add("json", "%s: not JSON: %v", what, err)
		return nil, false
	}
	m, ok := v.(map[string]any)
	if !ok {
		r.add("json", "%s is %s, want an object", what, jsonType(v))
	}
	return m, ok
}

func intOf(v any) (int64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := n.Int64()
	return i, err == nil
}

func isInt(v any, want int64) bool {
	n, ok := intOf(v)
	return ok && n == want
}

// kind is the JSON type a key must have.
type kind int

const (
	kInt kind = iota
	kNum
	kStr
	kBool
	kArr
	kObj
	kIntOrNull
)

func (k kind) String() string {
	return [...]string{"an integer", "a number", "a string", "a boolean", "an array", "an object", "an integer or null"}[k]
}

func (k kind) has(v any) bool {
	switch k {
	case kInt:
		_, ok := intOf(v)
		return ok
	case kNum:
		_, ok := v.(json.Number)
		return ok
	case kStr:
		_, ok := v.(string)
		return ok
	case kBool:
		_, ok := v.(bool)
		return ok
	case kArr:
		_, ok := v.([]any)
		return ok
	case kObj:
		_, ok := v.(map[string]any)
		return ok
	case kIntOrNull:
		_, ok := intOf(v)
		return ok || v == nil
	}
	return false
}

// keys checks that obj has every key of want with its JSON type.
func keys(r *report, rule, what string, obj map[string]any, want map[string]kind) bool {
	ok := true
	names := make([]string, 0, len(want))
	for k := range want {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		v, present := obj[k]
		switch {
		case !present:
			r.add(rule, "%s: key %q missing", what, k)
			ok = false
		case !want[k].has(v):
			r.add(rule, "%s: %q is %s, want %s", what, k, jsonType(v), want[k])
			ok = false
		}
	}
	return ok
}

// entries decodes a JSON map of id → object and checks each key is its
// object's id. It returns the objects by id.
func entries(r *report, rule, what, s string) map[int64]map[string]any {
	m, ok := parseObject(r, what, s)
	if !ok {
		return nil
	}
	out := make(map[int64]map[string]any, len(m))
	for k, v := range m {
		obj, ok := v.(map[string]any)
		if !ok {
			r.add(rule, "%s[%s] is %s, want an object", what, k, jsonType(v))
			continue
		}
		id, isN := intOf(obj["id"])
		if !isN || strconv.FormatInt(id, 10) != k {
			r.add(rule, "%s[%s]: id %v does not match its key", what, k, obj["id"])
			if !isN {
				continue
			}
		}
		out[id] = obj
	}
	return out
}

var (
	modelKeys = map[string]kind{"id": kInt, "name": kStr, "type": kInt, "mod": kInt, "usn": kInt,
		"sortf": kInt, "did": kIntOrNull, "tmpls": kArr, "flds": kArr, "css": kStr}
	fieldKeys = map[string]kind{"name": kStr, "ord": kInt, "sticky": kBool, "rtl": kBool,
		"font": kStr, "size": kInt}
	templateKeys = map[string]kind{"name": kStr, "ord": kInt, "qfmt": kStr, "afmt": kStr}
	deckKeys     = map[string]kind{"id": kInt, "name": kStr, "usn": kInt, "dyn": kInt,
		"collapsed": kBool, "lrnToday": kArr, "revToday": kArr, "newToday": kArr, "timeToday": kArr,
		"conf": kInt, "desc": kStr}
	dconfKeys = map[string]kind{"id": kInt, "mod": kInt, "name": kStr, "usn": kInt, "maxTaken": kInt,
		"autoplay": kBool, "timer": kInt, "new": kObj, "rev": kObj, "lapse": kObj}
	dconfNewKeys   = map[string]kind{"delays": kArr, "initialFactor": kInt, "ints": kArr, "order": kInt, "perDay": kInt}
	dconfRevKeys   = map[string]kind{"ease4": kNum, "ivlFct": kNum, "maxIvl": kInt, "perDay": kInt}
	dconfLapseKeys = map[string]kind{"delays": kArr, "leechAction": kInt, "leechFails": kInt, "minInt": kInt, "mult": kNum}
)

// model is what the note and card checks need of a note type.
type model struct {
	name   string
	cloze  bool
	fields int
	tmpls  int
	sortf  int
}

// fieldNameOK reports whether a field name survives Anki's cleaning: the
// characters :{}" removed and a leading #, / or ^ dropped.
func fieldNameOK(name string) bool {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:{}"`, r) {
			return -1
		}
		return r
	}, name)
	name = strings.TrimLeft(name, "#/^")
	return strings.TrimSpace(name) != ""
}

func (p *Package) checkModels(r *report) map[int64]model {
	if p.colRows == 0 {
		return nil
	}
	out := map[int64]model{}
	names := map[string]int64{}
	for id, obj := range entries(r, "models", "col.models", p.Col.Models) {
		what := fmt.Sprintf("note type %d", id)
		if !keys(r, "models", what, obj, modelKeys) {
			continue
		}
		m := model{name: obj["name"].(string)}
		what = fmt.Sprintf("note type %d %q", id, m.name)
		if other, ok := names[strings.ToLower(m.name)]; ok {
			r.add("models", "%s: name also used by note type %d", what, other)
		}
		names[strings.ToLower(m.name)] = id
		typ, _ := intOf(obj["type"])
		if typ != 0 && typ != 1 {
			r.add("models", "%s: type %d, want 0 or 1", what, typ)
		}
		m.cloze = typ == 1
		flds, tmpls := obj["flds"].([]any), obj["tmpls"].([]any)
		m.fields, m.tmpls = len(flds), len(tmpls)
		if len(flds) == 0 {
			r.add("models", "%s: no fields", what)
		}
		if len(tmpls) == 0 {
			r.add("models", "%s: no templates", what)
		}
		if m.cloze && len(tmpls) != 1 {
			r.add("models", "%s: a cloze note type has %d templates, want 1", what, len(tmpls))
		}
		sortf, _ := intOf(obj["sortf"])
		if sortf < 0 || int(sortf) >= max(len(flds), 1) {
			r.add("models", "%s: sortf %d out of its %d fields", what, sortf, len(flds))
		}
		m.sortf = int(sortf)
		seen := map[string]bool{}
		for i, f := range flds {
			fo, ok := f.(map[string]any)
			fwhat := fmt.Sprintf("%s field %d", what, i)
			if !ok {
				r.add("models", "%s is %s, want an object", fwhat, jsonType(f))
				continue
			}
			if !keys(r, "models", fwhat, fo, fieldKeys) {
				continue
			}
			name := fo["name"].(string)
			if !fieldNameOK(name) {
				r.add("models", "%s: name %q is empty once Anki cleans it", fwhat, name)
			}
			if seen[strings.ToLower(name)] {
				r.add("models", "%s: name %q used twice", fwhat, name)
			}
			seen[strings.ToLower(name)] = true
			if !isInt(fo["ord"], int64(i)) {
				r.add("models", "%s: ord %v, want %d", fwhat, fo["ord"], i)
			}
		}
		for i, t := range tmpls {
			to, ok := t.(map[string]any)
			twhat := fmt.Sprintf("%s template %d", what, i)
			if !ok {
				r.add("models", "%s is %s, want an object", twhat, jsonType(t))
				continue
			}
			if !keys(r, "models", twhat, to, templateKeys) {
				continue
			}
			if !isInt(to["ord"], int64(i)) {
				r.add("models", "%s: ord %v, want %d", twhat, to["ord"], i)
			}
			if m.cloze && !strings.Contains(to["qfmt"].(string), "{{cloze:") {
				r.add("models", "%s: a cloze template without {{cloze:…}}", twhat)
			}
		}
		out[id] = m
	}
	return out
}

func (p *Package) checkDConf(r *report) map[int64]bool {
	if p.colRows == 0 {
		return nil
	}
	out := map[int64]bool{}
	for id, obj := range entries(r, "dconf", "col.dconf", p.Col.DConf) {
		what := fmt.Sprintf("deck options %d", id)
		out[id] = true
		if !keys(r, "dconf", what, obj, dconfKeys) {
			continue
		}
		if keys(r, "dconf", what+" new", obj["new"].(map[string]any), dconfNewKeys) {
			if f, _ := intOf(obj["new"].(map[string]any)["initialFactor"]); f <= 1300 {
				r.add("dconf", "%s: new.initialFactor %d, want above 1300 (Anki resets eases at or below)", what, f)
			}
			if ints := obj["new"].(map[string]any)["ints"].([]any); len(ints) < 2 {
				r.add("dconf", "%s: new.ints has %d values, want 2 or 3", what, len(ints))
			}
		}
		keys(r, "dconf", what+" rev", obj["rev"].(map[string]any), dconfRevKeys)
		keys(r, "dconf", what+" lapse", obj["lapse"].(map[string]any), dconfLapseKeys)
	}
	if !out[1] {
		r.add("dconf", "col.dconf: options group 1 missing")
	}
	return out
}

func (p *Package) checkDecks(r *report, dconf map[int64]bool) {
	if p.colRows == 0 {
		return
	}
	names := map[string]int64{}
	decks := entries(r, "decks", "col.decks", p.Col.Decks)
	for id, obj := range decks {
		what := fmt.Sprintf("deck %d", id)
		if !keys(r, "decks", what, obj, deckKeys) {
			continue
		}
		name := obj["name"].(string)
		what = fmt.Sprintf("deck %d %q", id, name)
		if id <= 0 {
			r.add("decks", "%s: id not positive", what)
		}
		if !isInt(obj["dyn"], 0) {
			r.add("decks", "%s: dyn %v, want 0", what, obj["dyn"])
		}
		for _, k := range []string{"lrnToday", "revToday", "newToday", "timeToday"} {
			a := obj[k].([]any)
			if len(a) != 2 || !kInt.has(a[0]) || !kInt.has(a[1]) {
				r.add("decks", "%s: %s is not two integers", what, k)
			}
		}
		if conf, _ := intOf(obj["conf"]); dconf != nil && !dconf[conf] {
			r.add("decks", "%s: options group %d missing", what, conf)
		}
		fold := strings.ToLower(name)
		if other, ok := names[fold]; ok {
			r.add("decks", "%s: name also used by deck %d (names are matched ignoring case)", what, other)
		}
		names[fold] = id
		for _, part := range card.Deck(name).Path() {
			if strings.TrimSpace(part) == "" || strings.IndexFunc(part, unicode.IsControl) >= 0 {
				r.add("decks", "%s: empty or unprintable level", what)
				break
			}
			if strings.ContainsAny(part, `<>"`) {
				r.add("decks", "%s: '<', '>' or '\"' in a level, which a template's {{Deck}} puts in the card's HTML", what)
				break
			}
		}
	}
	for fold, id := range names {
		if parent := card.Deck(fold).Parent(); parent != "" {
			if _, ok := names[string(parent)]; !ok {
				r.add("decks", "deck %d: parent deck %q missing", id, parent)
			}
		}
	}
	if d, ok := decks[DefaultDeckID]; !ok || d["name"] != "Default" {
		r.add("decks", "col.decks: deck 1 \"Default\" missing")
	}
}

// noteInfo is what the card checks need of a note.
type noteInfo struct {
	model  int64
	nCards int

	// For a cloze note: the deletions in its fields as current Anki and
	// Anki before 2.1.56 read them, and the ords of its cards.
	clozes, legacy map[int]bool
	ords           map[int64]bool
}

func (p *Package) checkNotes(r *report, models map[int64]model) map[int64]*noteInfo {
	out := make(map[int64]*noteInfo, len(p.Notes))
	guids := make(map[string]int64, len(p.Notes))
	for _, n := range p.Notes {
		what := fmt.Sprintf("note %d", n.ID)
		if _, dup := out[n.ID]; dup {
			r.add("note ids", "%s: id used twice", what)
		}
		info := &noteInfo{model: n.MID}
		out[n.ID] = info
		if n.ID <= 0 || n.ID > p.now() {
			r.add("note ids", "%s: id not a millisecond time before the export (%d)", what, p.now())
		}
		if n.GUID == "" {
			r.add("note guids", "%s: empty guid", what)
		} else if other, ok := guids[n.GUID]; ok {
			r.add("note guids", "%s: guid %q also used by note %d", what, n.GUID, other)
		}
		guids[n.GUID] = n.ID
		if n.Mod <= 0 || n.Mod > p.now()/1000 {
			r.add("note mod", "%s: mod %d, want seconds not after the export", what, n.Mod)
		}
		if n.Usn != -1 {
			r.add("note usn", "%s: usn %d, want -1", what, n.Usn)
		}
		if n.Flags != 0 || n.Data != "" {
			r.add("note flags", "%s: flags %d data %q, want 0 and \"\"", what, n.Flags, n.Data)
		}
		if !tagsOK(n.RawTags) {
			r.add("note tags", "%s: tags %q not space separated and padded", what, n.RawTags)
		}
		if strings.ContainsAny(n.RawTags, "<>&") {
			r.add("note tags", "%s: tags %q hold '<', '>' or '&', which a template's {{Tags}} puts in the card's HTML", what, n.RawTags)
		}
		for i, f := range n.Fields {
			if strings.IndexFunc(f, func(c rune) bool { return c < 0x20 && c != '\t' && c != '\n' }) >= 0 {
				r.add("note fields", "%s field %d: control characters", what, i)
			}
		}
		m, ok := models[n.MID]
		if !ok {
			if models != nil {
				r.add("note types", "%s: note type %d missing", what, n.MID)
			}
			continue
		}
		if len(n.Fields) != m.fields {
			r.add("note fields", "%s: %d fields, note type %q has %d", what, len(n.Fields), m.name, m.fields)
			continue
		}
		if m.cloze {
			info.clozes, info.legacy, info.ords = map[int]bool{}, map[int]bool{}, map[int64]bool{}
			for _, f := range n.Fields {
				clozeNumbers(f, info.clozes)
				legacyClozeNumbers(f, info.legacy)
			}
		}
		if want := stripHTML(n.Fields[m.sortf]); n.SFld != want && !sameNumber(n.SFld, want) {
			r.add("note sfld", "%s: sfld %q, want %q", what, short(n.SFld), short(want))
		}
		if want := checksum(stripHTML(n.Fields[0])); n.CSum != want {
			r.add("note csum", "%s: csum %d, want %d", what, n.CSum, want)
		}
	}
	return out
}

// sameNumber reports whether a stored sfld is the number the field reads
// as: sfld is declared integer, so SQLite stores "0042" as 42, as in Anki.
func sameNumber(stored, field string) bool {
	a, err1 := strconv.ParseFloat(stored, 64)
	b, err2 := strconv.ParseFloat(strings.TrimSpace(field), 64)
	return err1 == nil && err2 == nil && a == b
}

func short(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// tagsOK reports whether a tags column is "" or space-padded tags with one
// space between them.
func tagsOK(s string) bool {
	if s == "" {
		return true
	}
	if !strings.HasPrefix(s, " ") || !strings.HasSuffix(s, " ") || len(s) < 3 {
		return false
	}
	for _, t := range strings.Split(s[1:len(s)-1], " ") {
		if t == "" || strings.IndexFunc(t, func(c rune) bool { return unicode.IsControl(c) || c == '"' || c == '\u3000' }) >= 0 {
			return false
		}
	}
	return true
}

func (p *Package) checkCards(r *report, notes map[int64]*noteInfo, models map[int64]model) map[int64]bool {
	out := make(map[int64]bool, len(p.Cards))
	type nidOrd struct{ nid, ord int64 }
	seen := make(map[nidOrd]int64, len(p.Cards))
	for _, c := range p.Cards {
		what := fmt.Sprintf("card %d", c.ID)
		if out[c.ID] {
			r.add("card ids", "%s: id used twice", what)
		}
		out[c.ID] = true
		if c.ID <= 0 || c.ID > p.now() {
			r.add("card ids", "%s: id not a millisecond time before the export (%d)", what, p.now())
		}
		if _, ok := p.Decks[c.DID]; !ok && p.colRows > 0 {
			r.add("card decks", "%s: deck %d missing", what, c.DID)
		}
		if c.Usn != -1 || c.ODue != 0 || c.ODid != 0 || c.Flags != 0 || c.Left != 0 {
			r.add("card columns", "%s: usn %d odue %d odid %d flags %d left %d, want -1 0 0 0 0",
				what, c.Usn, c.ODue, c.ODid, c.Flags, c.Left)
		}
		if err := checkCardData(c.Data); err != nil {
			r.add("card data", "%s: data %q: %v", what, c.Data, err)
		}
		if c.Due < math.MinInt32 || c.Due > math.MaxInt32 {
			r.add("card due", "%s: due %d does not fit 32 bits", what, c.Due)
		}
		switch c.Type {
		case 0:
			if q := c.Queue; q != 0 && q != -1 && q != -2 && q != -3 {
				r.add("card queue", "%s: new card in queue %d", what, q)
			}
			if c.Due < 0 {
				r.add("card due", "%s: new card at position %d", what, c.Due)
			}
		case 2:
			if q := c.Queue; q != 2 && q != -1 && q != -2 && q != -3 {
				r.add("card queue", "%s: review card in queue %d", what, q)
			}
			if c.Due < 0 || c.Due >= maxDueDays {
				r.add("card due", "%s: review due %d, want days from crt in [0, %d)", what, c.Due, maxDueDays)
			}
			if c.Ivl < 1 {
				r.add("card ivl", "%s: review interval %d, want at least 1", what, c.Ivl)
			}
			if c.Factor < 1300 {
				r.add("card factor", "%s: ease factor %d, want at least 1300", what, c.Factor)
			}
		default:
			r.add("card type", "%s: type %d, want 0 (new) or 2 (review): learning states are not exported", what, c.Type)
		}
		if c.Reps < 0 || c.Lapses < 0 {
			r.add("card reps", "%s: reps %d lapses %d", what, c.Reps, c.Lapses)
		}
		k := nidOrd{c.NID, c.Ord}
		if other, ok := seen[k]; ok {
			r.add("card ords", "%s: note %d ord %d also card %d", what, c.NID, c.Ord, other)
		}
		seen[k] = c.ID
		n, ok := notes[c.NID]
		if !ok {
			r.add("card notes", "%s: note %d missing", what, c.NID)
			continue
		}
		n.nCards++
		m, ok := models[n.model]
		if !ok {
			continue
		}
		if m.cloze {
			if n.clozes != nil && !hasOrd(n.clozes, c.Ord) {
				r.add("card ords", "%s: cloze ord %d, but the note has no c%d deletion", what, c.Ord, c.Ord+1)
			}
			if n.ords != nil {
				n.ords[c.Ord] = true
			}
		} else if c.Ord < 0 || c.Ord >= int64(m.tmpls) {
			r.add("card ords", "%s: ord %d, note type %q has %d templates", what, c.Ord, m.name, m.tmpls)
		}
	}
	for id, n := range notes {
		if n.nCards == 0 {
			r.add("note cards", "note %d: no cards", id)
		}
		// Anki makes a card of every deletion in any field of a cloze
		// note, when the note is added or edited or the collection
		// checked: a card the package lacks would appear then.
		for _, set := range []struct {
			nums map[int]bool
			how  string
		}{{n.clozes, "Anki"}, {n.legacy, "Anki before 2.1.56"}} {
			for k := range set.nums {
				if !n.ords[clozeOrd(k)] {
					r.add("cloze cards", "note %d: %s reads a deletion c%d in its fields, which has no card", id, set.how, k)
				}
			}
		}
	}
	return out
}

func (p *Package) checkRevlog(r *report, cards map[int64]bool) {
	seen := make(map[int64]bool, len(p.Revlog))
	for _, e := range p.Revlog {
		what := fmt.Sprintf("revlog %d", e.ID)
		if seen[e.ID] {
			r.add("revlog ids", "%s: id used twice", what)
		}
		seen[e.ID] = true
		if e.ID <= 0 || e.ID > p.now() {
			r.add("revlog ids", "%s: id not a millisecond time before the export (%d)", what, p.now())
		}
		if !cards[e.CID] {
			r.add("revlog cards", "%s: card %d missing", what, e.CID)
		}
		if e.Usn != -1 {
			r.add("revlog usn", "%s: usn %d, want -1", what, e.Usn)
		}
		if e.Ease < 1 || e.Ease > 4 {
			r.add("revlog ease", "%s: ease %d, want 1–4", what, e.Ease)
		}
		if e.Type < 0 || e.Type > 3 {
			r.add("revlog type", "%s: type %d, want 0–3", what, e.Type)
		}
		if e.Time < 0 || e.Factor < 0 {
			r.add("revlog time", "%s: time %d factor %d, want not negative", what, e.Time, e.Factor)
		}
	}
}

// checkCardData checks a card's data column: "", or FSRS's memory state
// as current Anki reads it (see fsrsData): a JSON object of numbers, a
// positive stability "s", a difficulty "d" of 1–10, a desired retention
// "dr" below 1 and a decay "decay", each optional but s and d together.
func checkCardData(data string) error {
	if data == "" {
		return nil
	}
	var m map[string]float64
	if err := json.Unmarshal([]byte(data), &m); err != nil {
		return errors.New("not a JSON object of numbers")
	}
	for k, v := range m {
		ok := false
		switch k {
		case "s":
			ok = v > 0
		case "d":
			ok = v >= 1 && v <= 10
		case "dr":
			ok = v > 0 && v < 1
		case "decay":
			ok = v > 0 && v < 1
		}
		if !ok {
			return fmt.Errorf("%s %v is not what Anki keeps there", k, v)
		}
	}
	if _, s := m["s"]; s != (m["d"] != 0) {
		return errors.New("stability and difficulty go together")
	}
	return nil
}
