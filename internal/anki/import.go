package anki

import (
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/JohannesKaufmann/html-to-markdown/v2/converter"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/base"
	"github.com/JohannesKaufmann/html-to-markdown/v2/plugin/commonmark"

	"github.com/recall-cli/recall/internal/card"
)

// This file turns a package read by Open into recall's cards, with their
// schedule and review log.
//
// Choices, documented once:
//   - A note type's shape decides its cards: a cloze type gives one cloze
//     card per card Anki made (cN is ord N-1); any other type with two
//     fields or more gives, per card, the field its template asks first
//     as the front and the first other field its answer shows as the back
//     (Basic and its variants: Front → Back; the second card of "Basic
//     (and reversed)": Back → Front, a reverse card). Other non-empty
//     fields follow the answer, each under its name. A type of one field
//     gives nothing, and is reported.
//   - Fields are HTML, turned into markdown by html-to-markdown; images
//     point at the media folder the caller names.
//   - The Anki deck "A::B::C" is recall's deck A and subdeck A::B::C; the
//     breadcrumb is the deck's levels.
//   - Card ids come from the note guid and the card's ord, so the same
//     package imported again updates its cards. The card that is all of
//     its note (ord 0 of a standard note, the only card of a cloze note)
//     keeps the guid in its Key, and an export gives it back (AnkiGUID).

// Imported is one card of a package, ready for the collection.
type Imported struct {
	Card card.Card
	// Own is the recall card a note exported by recall came from (its
	// guid "recall-ID"): the card may be in the collection still, and
	// then this is its own schedule and log coming home.
	Own       string
	Subdeck   string
	State     card.State
	Suspended bool
	Buried    bool
	Reviews   []card.Review
}

// Skip says what of a package was left out, and why.
type Skip struct {
	What, Why string
}

// ImportOptions tune Import.
type ImportOptions struct {
	// MediaDir is the folder the package's media are written to; images
	// in the cards point there.
	MediaDir string
	// Location is the time zone due dates and review days are read in.
	Location *time.Location
	// Rollover is the hour a study day starts.
	Rollover int
}

// ImportSummary counts what Import made.
type ImportSummary struct {
	Notes, Cards, Reviews int
	Decks                 []string
	Skipped               []Skip
}

// Import converts the package's notes to recall cards, in note order: all
// of them at once, for a small package (ImportEach streams them).
func (p *Package) Import(opts ImportOptions) ([]Imported, ImportSummary, error) {
	var out []Imported
	sum, err := p.ImportEach(opts, func(made []Imported) error {
		out = append(out, made...)
		return nil
	})
	if err != nil {
		return nil, sum, err
	}
	return out, sum, nil
}

// ImportEach converts the package's notes to recall cards, in note order,
// and hands fn the cards of each note as they are made: only one note is
// held at a time, however big the package. An error of fn stops it and is
// returned as it is. The summary counts every note handed over.
func (p *Package) ImportEach(opts ImportOptions, fn func([]Imported) error) (ImportSummary, error) {
	if opts.Location == nil {
		opts.Location = time.Local
	}
	var sum ImportSummary
	parents, err := p.parentDecks()
	if err != nil {
		return sum, fmt.Errorf("cards: %w", err)
	}
	im := importer{p: p, opts: opts, decks: map[string]bool{}, sum: &sum, refs: map[string]string{},
		parents: parents}
	skippedTypes := map[int64]bool{}
	seq := 0
	err = p.eachNote(func(n Note, cs []Card, logs [][]RevlogEntry) error {
		seq++
		nt, ok := p.NoteTypes[n.MID]
		switch {
		case !ok:
			sum.Skipped = append(sum.Skipped, Skip{What: "note " + n.GUID, Why: fmt.Sprintf("unknown note type %d", n.MID)})
			return nil
		case nt.Type != 1 && len(nt.Fields) < 2:
			if !skippedTypes[nt.ID] {
				skippedTypes[nt.ID] = true
				sum.Skipped = append(sum.Skipped, Skip{What: "note type " + nt.Name,
					Why: "fewer than two fields: no question and answer"})
			}
			return nil
		case len(cs) == 0:
			sum.Skipped = append(sum.Skipped, Skip{What: "note " + n.GUID, Why: "no cards"})
			return nil
		}
		made, err := im.note(n, nt, cs, seq, logs)
		if err != nil {
			return err
		}
		if len(made) == 0 {
			return nil
		}
		sum.Notes++
		sum.Cards += len(made)
		return fn(made) // eachNote returns it as it is
	})
	if err != nil {
		return sum, err
	}
	sum.Skipped = append(sum.Skipped, im.missingMedia()...)
	for d := range im.decks {
		sum.Decks = append(sum.Decks, d)
	}
	sort.Strings(sum.Decks)
	return sum, nil
}

type importer struct {
	p     *Package
	opts  ImportOptions
	decks map[string]bool
	// parents are the decks of the package's cards that hold the deck of
	// another of its cards: a recall deck, never a section.
	parents map[string]bool
	sum     *ImportSummary
	// refs are the media files the notes point at, each with the guid
	// of the first note that does.
	refs    map[string]string
	guid    string // of the note being converted
	conv    *converter.Converter
	sidesOf map[sideKey][2]int // see sides
}

// note makes the cards of one note, given its cards by ord and their
// review logs.
func (im *importer) note(n Note, nt NoteType, cs []Card, seq int, logs [][]RevlogEntry) ([]Imported, error) {
	im.guid = n.GUID
	fields := make([]string, len(n.Fields))
	for i, f := range n.Fields {
		md, err := im.markdown(f)
		if err != nil {
			return nil, fmt.Errorf("note %s: %w", n.GUID, err)
		}
		fields[i] = md
	}
	var out []Imported
	for i, c := range cs {
		cd, ok, why := im.content(n, nt, fields, c, len(cs))
		if !ok {
			im.sum.Skipped = append(im.sum.Skipped, Skip{What: fmt.Sprintf("card %d of note %s", c.Ord+1, n.GUID), Why: why})
			continue
		}
		deck := im.p.homeDeck(c)
		im.decks[deck] = true
		// recall's decks take one level of subdeck, a section: the last
		// level of Anki's deck is the section of the rest, so that an
		// export names the same deck again ("A::B::C" is deck "A::B",
		// section "C"), unless cards of the package are in decks below
		// it: then it is a deck of its own, as they are its sections.
		levels := card.Deck(deck).Path()
		cd.Deck = deck
		if len(levels) > 1 && !im.parents[deck] {
			cd.Deck = string(card.Deck(deck).Parent())
			cd.Section = levels[len(levels)-1]
		}
		cd.Context = levels
		if crumbs := breadcrumb(nt, fields); crumbs != nil {
			cd.Context = crumbs
		}
		cd.Tags = n.Tags
		cd.Group = "anki:" + n.GUID
		cd.ID = card.NewID("anki:"+n.GUID, strconv.FormatInt(c.Ord, 10))
		cd.Source = card.Source{File: im.p.path, Line: seq}
		cd.Anchor = cd.Key
		it := Imported{Card: cd, Own: ownCard(n.GUID), Subdeck: deck, Suspended: c.Queue == -1, Buried: c.Queue == -2 || c.Queue == -3}
		it.State, it.Reviews = im.schedule(c, cd.ID, logs[i])
		im.sum.Reviews += len(it.Reviews)
		out = append(out, it)
	}
	return out, nil
}

// parentDecks are the decks cards of p are in (their home deck, for a
// card in a filtered deck) that hold the deck of another of its cards.
func (p *Package) parentDecks() (map[string]bool, error) {
	cards, err := p.usedDecks()
	if err != nil {
		return nil, err
	}
	used := map[string]bool{}
	for _, c := range cards {
		used[p.homeDeck(c)] = true
	}
	out := map[string]bool{}
	for d := range used {
		lineage := card.Deck(d).Lineage()
		for _, up := range lineage[:len(lineage)-1] {
			if used[string(up)] {
				out[string(up)] = true
			}
		}
	}
	return out, nil
}

// homeDeck is the name of a card's deck, or of its home deck when it is
// in a filtered deck; "Default" for a deck the package does not name.
func (p *Package) homeDeck(c Card) string {
	deck := p.Decks[c.DID].Name
	if c.ODid != 0 {
		if home, ok := p.Decks[c.ODid]; ok {
			deck = home.Name // out of its filtered deck, home
		}
	}
	if deck == "" {
		deck = "Default"
	}
	return deck
}

// content is the text of one card of a note: kind, front, back, cloze
// text and key. ok is false, with why, for a card that cannot be made.
func (im *importer) content(n Note, nt NoteType, fields []string, c Card, cards int) (cd card.Card, ok bool, why string) {
	crumbs := contextIndex(nt)
	if nt.Type == 1 {
		num := int(c.Ord) + 1
		ti := 0
		for i, f := range fields {
			if i != crumbs && strings.Contains(f, "{{c") {
				ti = i
				break
			}
		}
		if ti >= len(fields) {
			return cd, false, "no text"
		}
		front, back, found := clozeSides(fields[ti], num)
		if !found {
			return cd, false, fmt.Sprintf("no deletion c%d in the note", num)
		}
		cd = card.Card{Kind: card.Cloze, Front: front, Back: back, Text: onlyDeletion(fields[ti], num)}
		cd.Back = withExtra(cd.Back, nt, fields, crumbs, ti)
		cd.Key = AnkiKey(n.GUID, c.Ord, cards == 1)
		return cd, true, ""
	}
	qi, ai := im.sides(nt, c.Ord)
	if qi >= len(fields) || strings.TrimSpace(fields[qi]) == "" {
		return cd, false, "empty question"
	}
	cd = card.Card{Kind: card.Basic, Front: fields[qi]}
	if ai < len(fields) {
		cd.Back = fields[ai]
	}
	if c.Ord > 0 && qi == 1 && ai == 0 {
		cd.Kind = card.Reverse
	}
	cd.Back = withExtra(cd.Back, nt, fields, crumbs, qi, ai)
	cd.Key = AnkiKey(n.GUID, c.Ord, c.Ord == 0)
	return cd, true, ""
}

// withExtra adds to back the note's other non-empty fields, each under
// its name, but those of used and the breadcrumb field.
func withExtra(back string, nt NoteType, fields []string, crumbs int, used ...int) string {
	var extra []string
	for i, f := range fields {
		if i == crumbs || slices.Contains(used, i) || strings.TrimSpace(f) == "" || i >= len(nt.Fields) {
			continue
		}
		extra = append(extra, "**"+nt.Fields[i]+":** "+f)
	}
	if len(extra) == 0 {
		return back
	}
	return strings.TrimSpace(back + "\n\n" + strings.Join(extra, "\n\n"))
}

// contextIndex is the index of the breadcrumb field of recall's own note
// types (their last field, Context), or -1 for other types.
func contextIndex(nt NoteType) int {
	switch nt.ID {
	case BasicModelID, ReversedModelID, ClozeModelID:
		if k := len(nt.Fields) - 1; k >= 2 && nt.Fields[k] == "Context" {
			return k
		}
	}
	return -1
}

// breadcrumb reads the breadcrumb a recall export put in a note's
// Context field, its levels joined by " › "; nil when there is none.
func breadcrumb(nt NoteType, fields []string) []string {
	k := contextIndex(nt)
	if k < 0 || k >= len(fields) || strings.TrimSpace(fields[k]) == "" {
		return nil
	}
	return strings.Split(fields[k], " › ")
}

// fieldRef finds the field references of a template: {{Name}},
// {{text:Name}}, {{type:Name}} and the like; sections ({{#Name}}) aside.
var fieldRef = regexp.MustCompile(`\{\{([^#^/{}][^{}]*)\}\}`)

// sides is sides of the template ord of nt, worked out once for each.
func (im *importer) sides(nt NoteType, ord int64) (q, a int) {
	k := sideKey{nt.ID, ord}
	if s, ok := im.sidesOf[k]; ok {
		return s[0], s[1]
	}
	var tmpl Template
	for _, t := range nt.Templates {
		if int64(t.Ord) == ord {
			tmpl = t
		}
	}
	q, a = sides(nt, tmpl)
	if im.sidesOf == nil {
		im.sidesOf = map[sideKey][2]int{}
	}
	im.sidesOf[k] = [2]int{q, a}
	return q, a
}

type sideKey struct{ nt, ord int64 }

// sides returns the indexes of the fields a standard note type's template
// shows as question and answer: the first field its question names, and
// the first other field its answer names; 0 and 1 when it names none.
func sides(nt NoteType, t Template) (q, a int) {
	index := map[string]int{}
	for i, f := range nt.Fields {
		index[f] = i
	}
	refs := func(s string) []int {
		var out []int
		for _, m := range fieldRef.FindAllStringSubmatch(s, -1) {
			name := strings.TrimSpace(m[1])
			if k := strings.LastIndex(name, ":"); k >= 0 {
				name = strings.TrimSpace(name[k+1:])
			}
			if i, ok := index[name]; ok {
				out = append(out, i)
			}
		}
		return out
	}
	// The first two fields are question and answer when the template
	// names them: another field it names first (a breadcrumb, a hint) is
	// taken only when it names neither.
	first := func(l []int, not int) int {
		for _, want := range []func(int) bool{func(i int) bool { return i < 2 }, func(int) bool { return true }} {
			for _, i := range l {
				if i != not && want(i) {
					return i
				}
			}
		}
		return -1
	}
	q = first(refs(t.QFmt), -1)
	a = first(refs(t.AFmt), q)
	switch {
	case q < 0 && a < 0:
		return 0, 1
	case q < 0:
		q = 0
		if a == 0 {
			q = 1
		}
	case a < 0:
		a = 1
		if q == 1 {
			a = 0
		}
	}
	return q, a
}

// clozeMark finds a deletion {{cN::text}} or {{cN::text::hint}}.
var clozeMark = regexp.MustCompile(`\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}`)

// clozeSides is the front and back of cloze number num of text: the front
// shows the other deletions as their text and this one as the gap (or its
// hint in brackets), the back is its text. found is false when text has
// no deletion num.
func clozeSides(text string, num int) (front, back string, found bool) {
	var answers []string
	front = clozeMark.ReplaceAllStringFunc(text, func(m string) string {
		sub := clozeMark.FindStringSubmatch(m)
		if n, _ := strconv.Atoi(sub[1]); n != num {
			return sub[2]
		}
		found = true
		answers = append(answers, sub[2])
		if strings.TrimSpace(sub[3]) != "" {
			return "[" + sub[3] + "]"
		}
		return card.Gap
	})
	return front, strings.Join(answers, ", "), found
}

// onlyDeletion is text with the deletions other than num shown as their
// text: the card's own deletion is then the one an export makes, whatever
// follows the answer on its back.
func onlyDeletion(text string, num int) string {
	return clozeMark.ReplaceAllStringFunc(text, func(m string) string {
		sub := clozeMark.FindStringSubmatch(m)
		if n, _ := strconv.Atoi(sub[1]); n != num {
			return sub[2]
		}
		return m
	})
}

// AnkiKey is the Key of a card imported from Anki: "anki:" and the note's
// guid, for the card that carries the guid back on export, else also the
// card's ord after a \x1f.
func AnkiKey(guid string, ord int64, carries bool) string {
	if carries {
		return "anki:" + guid
	}
	return "anki:" + guid + "\x1f" + strconv.FormatInt(ord, 10)
}

// AnkiGUID is the note guid an imported card gives back on export, or ""
// for a card that carries none (see AnkiKey).
func AnkiGUID(c card.Card) string {
	g, ok := strings.CutPrefix(c.Key, "anki:")
	if !ok || g == "" || strings.Contains(g, "\x1f") {
		return ""
	}
	return g
}

// ownCard is the recall card id a note's guid names, "recall-ID", or "".
func ownCard(guid string) string {
	id, ok := strings.CutPrefix(guid, "recall-")
	if !ok || !card.LooksLikeID(id) {
		return ""
	}
	return id
}

// midLineGT finds &gt; after something else on its line.
var midLineGT = regexp.MustCompile(`([^\n])&gt;`)

// clozeOpenLine and clozeCloseLine find a cloze's marks set apart from
// what they hide by a line break.
var (
	clozeOpenLine  = regexp.MustCompile(`\{\{c(\d+)::[ \t]*\n\s*`)
	clozeCloseLine = regexp.MustCompile(`\s*\n\s*\}\}`)
)

// imgRef finds the images of converted markdown: ![alt](dest).
var imgRef = regexp.MustCompile(`!\[([^\]]*)\]\(([^)\s]+)\)`)

// soundRef finds Anki's sound tags, [sound:name], as markdown escapes them.
var soundRef = regexp.MustCompile(`\\?\[sound:([^\]]+?)\\?\]`)

// markdown turns a field's HTML into markdown, pointing its images at the
// media folder, and its sounds as links to their files there.
func (im *importer) markdown(field string) (string, error) {
	if strings.TrimSpace(field) == "" {
		return "", nil
	}
	if plainField(field) {
		return strings.TrimSpace(field), nil
	}
	if im.conv == nil {
		// One converter serves every field: making one registers its
		// plugins' rules, which costs as much as converting a field.
		im.conv = converter.NewConverter(converter.WithPlugins(base.NewBasePlugin(), commonmark.NewCommonmarkPlugin()))
	}
	md, err := im.conv.ConvertString(field)
	if err != nil {
		return "", err
	}
	md = strings.ReplaceAll(md, "\u00a0", " ")
	// The converter writes > as &gt; wherever it stands; only at the start
	// of a line would it mean something (a quote), so elsewhere it is
	// written as a person would.
	md = midLineGT.ReplaceAllString(md, "$1>")
	if strings.Contains(md, "{{c") {
		// A deletion around a block ({{c1::<ol>…</ol>}}) comes out of
		// the conversion with its marks on lines of their own, which no
		// cloze reads: they go back against what they hide.
		md = clozeOpenLine.ReplaceAllString(md, "{{c$1::")
		md = clozeCloseLine.ReplaceAllString(md, "}}")
	}
	md = soundRef.ReplaceAllStringFunc(md, func(m string) string {
		name := soundRef.FindStringSubmatch(m)[1]
		if im.opts.MediaDir == "" || strings.ContainsAny(name, "/:") {
			return m
		}
		im.ref(name)
		return "[sound: " + name + "](<" + filepath.Join(im.opts.MediaDir, name) + ">)"
	})
	md = imgRef.ReplaceAllStringFunc(md, func(m string) string {
		sub := imgRef.FindStringSubmatch(m)
		name, err := url.PathUnescape(strings.Trim(sub[2], "<>"))
		if err != nil || strings.Contains(name, "/") || strings.Contains(name, ":") || im.opts.MediaDir == "" {
			return m
		}
		im.ref(name)
		return "![" + sub[1] + "](<" + filepath.Join(im.opts.MediaDir, name) + ">)"
	})
	return strings.TrimSpace(md), nil
}

// plainField reports whether a field is plain text that reads the same as
// HTML and as markdown (most fields of most decks), so that it needs no
// conversion: letters, digits, single spaces and punctuation that means
// nothing to either, not at its start.
func plainField(s string) bool {
	if s[0] == ' ' || s[0] >= '0' && s[0] <= '9' || strings.Contains(s, "  ") {
		return false
	}
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == ' ':
		case strings.ContainsRune("?,.;:'\"()/%", r):
		default:
			return false
		}
	}
	return true
}

// ref notes a media file a note points at.
func (im *importer) ref(name string) {
	if _, ok := im.refs[name]; !ok {
		im.refs[name] = im.guid
	}
}

// missingMedia are the media files notes point at that the package does
// not hold: their cards keep a link to nothing.
func (im *importer) missingMedia() []Skip {
	held := map[string]bool{}
	for _, name := range im.p.Media {
		held[name] = true
	}
	var out []Skip
	for name, guid := range im.refs {
		if !held[name] {
			out = append(out, Skip{What: "media " + name, Why: "note " + guid + " points at it, the package does not hold it"})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].What < out[j].What })
	return out
}

// dataJSON is the FSRS memory state current Anki keeps in a card's data.
type dataJSON struct {
	S  float64 `json:"s"`
	D  float64 `json:"d"`
	DR float64 `json:"dr"`
}

// schedule is a card's state and review log. SM-2's repetition count is
// the streak of passed reviews on distinct days since the last failure,
// read from the log (Anki's reps counts every review).
func (im *importer) schedule(c Card, id string, log []RevlogEntry) (card.State, []card.Review) {
	loc := im.opts.Location
	st := card.NewState()
	var reviews []card.Review
	var lastDay time.Time
	cur := card.NewState()
	for _, r := range log {
		if r.Ease < 1 || r.Ease > 4 || r.Type > 3 {
			continue // rescheduled by hand, not an answer
		}
		t := time.UnixMilli(r.ID).In(loc)
		day := studyDay(t, im.opts.Rollover)
		before := cur
		after := cur
		g := card.Grade(r.Ease + 1)
		if im.p.SchedVer < 2 && (r.Type == 0 || r.Type == 2) && r.Ease > 1 {
			// The v1 scheduler's learning cards had three buttons:
			// again, good, easy.
			g = card.Grade(r.Ease + 2)
		}
		sameDay := day.Equal(lastDay)
		if g == card.Again {
			if r.Type == 1 {
				after.Lapses++
			}
			after.Reps = 0
		} else if !sameDay {
			after.Reps++
		}
		if r.Factor > 0 {
			after.EF = float64(r.Factor) / 1000
		}
		if r.Ivl > 0 {
			after.Interval = int(r.Ivl)
			after.Due = day.AddDate(0, 0, int(r.Ivl))
		} else {
			after.Interval = 0
			after.Due = day
		}
		after.Last = t
		reviews = append(reviews, card.Review{CardID: id, Time: t, Grade: g,
			Took: time.Duration(max(r.Time, 0)) * time.Millisecond, Before: before, After: after,
			Redrill: sameDay})
		cur, lastDay = after, day
	}
	if c.Type == 0 {
		return st, reviews
	}
	st.Reps = cur.Reps
	st.Last = cur.Last
	st.EF = 2.5
	if c.Factor > 0 {
		st.EF = max(1.3, float64(c.Factor)/1000)
	}
	st.Interval = int(max(c.Ivl, 0))
	st.Lapses = int(c.Lapses)
	st.Due = im.due(c)
	if st.Reps == 0 && c.Type == 2 && len(reviews) == 0 {
		st.Reps = 1 // a review card without its log has passed once at least
	}
	if st.Last.IsZero() {
		st.Last = st.Due.AddDate(0, 0, -max(st.Interval, 1))
	}
	var data dataJSON
	if c.Data != "" && json.Unmarshal([]byte(c.Data), &data) == nil && data.S > 0 && data.D > 0 {
		st.Stability, st.Difficulty = data.S, data.D
		st.Retention = data.DR
	}
	return st, reviews
}

// due is the study day a card with progress falls due: review cards count
// days from the collection's creation, learning ones give a time in
// seconds.
func (im *importer) due(c Card) time.Time {
	due := c.Due
	if c.ODid != 0 && c.ODue != 0 {
		due = c.ODue
	}
	if c.Queue == 1 || c.Queue == 3 || due > 1_000_000_000 {
		return studyDay(time.Unix(due, 0).In(im.opts.Location), im.opts.Rollover)
	}
	crt := studyDay(time.Unix(im.p.Col.Crt, 0).In(im.opts.Location), im.opts.Rollover)
	return crt.AddDate(0, 0, int(due))
}

// studyDay is midnight of the study day t falls in, when days start at
// the rollover hour.
func studyDay(t time.Time, rollover int) time.Time {
	t = t.Add(-time.Duration(rollover) * time.Hour)
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}
