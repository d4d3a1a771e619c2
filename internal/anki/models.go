package anki

import (
	"encoding/json"
	"sort"
	"strconv"
)

// Field and note type names, shared by the package and the text export.
const (
	basicName    = "recall Basic"
	reversedName = "recall Basic (and reversed)"
	clozeName    = "recall Cloze"
)

// crumbs is the breadcrumb shown above every question.
const crumbs = `{{#Context}}<div class="crumbs">{{Context}}</div>{{/Context}}`

// css is the stylesheet of every recall note type: readable, light and dark.
const css = `.card {
  font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 20px;
  line-height: 1.45;
  text-align: left;
  color: #1f2328;
  background-color: #ffffff;
  max-width: 40em;
  margin: 0 auto;
  padding: 0 0.75em;
}
.nightMode.card, .night_mode .card { color: #e6edf3; background-color: #1e1e1e; }
.crumbs { font-size: 0.7em; color: #8c959f; margin-bottom: 1em; }
hr#answer { border: none; border-top: 1px solid #d0d7de; margin: 1em 0; }
.cloze { font-weight: bold; color: #0969da; }
.nightMode .cloze, .night_mode .cloze { color: #58a6ff; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
pre { background: rgba(127, 127, 127, 0.12); padding: 0.5em 0.75em; border-radius: 6px; overflow-x: auto; }
img { max-width: 100%; height: auto; }
table { border-collapse: collapse; }
td, th { border: 1px solid #d0d7de; padding: 0.2em 0.5em; }
`

type jsonField struct {
	Name   string `json:"name"`
	Ord    int    `json:"ord"`
	Sticky bool   `json:"sticky"`
	RTL    bool   `json:"rtl"`
	Font   string `json:"font"`
	Size   int    `json:"size"`
	Media  []any  `json:"media"`
}

type jsonTemplate struct {
	Name  string `json:"name"`
	Ord   int    `json:"ord"`
	QFmt  string `json:"qfmt"`
	AFmt  string `json:"afmt"`
	BQFmt string `json:"bqfmt"`
	BAFmt string `json:"bafmt"`
	DID   *int64 `json:"did"`
	BFont string `json:"bfont"`
	BSize int    `json:"bsize"`
}

type jsonModel struct {
	ID        int64          `json:"id"`
	Name      string         `json:"name"`
	Type      int            `json:"type"`
	Mod       int64          `json:"mod"`
	Usn       int            `json:"usn"`
	Sortf     int            `json:"sortf"`
	DID       *int64         `json:"did"`
	Tmpls     []jsonTemplate `json:"tmpls"`
	Flds      []jsonField    `json:"flds"`
	CSS       string         `json:"css"`
	LatexPre  string         `json:"latexPre"`
	LatexPost string         `json:"latexPost"`
	LatexSVG  bool           `json:"latexsvg"`
	Req       [][]any        `json:"req"`
	Tags      []string       `json:"tags"`
	Vers      []any          `json:"vers"`
}

const latexPre = `\documentclass[12pt]{article}
\special{papersize=3in,5in}
\usepackage[utf8]{inputenc}
\usepackage{amssymb,amsmath}
\pagestyle{empty}
\setlength{\parindent}{0in}
\begin{document}
`

const latexPost = `\end{document}`

func fields(names ...string) []jsonField {
	fs := make([]jsonField, len(names))
	for i, n := range names {
		fs[i] = jsonField{Name: n, Ord: i, Font: "Arial", Size: 20, Media: []any{}}
	}
	return fs
}

func newModel(id int64, name string, typ int, flds []jsonField, tmpls ...jsonTemplate) jsonModel {
	for i := range tmpls {
		tmpls[i].Ord = i
	}
	m := jsonModel{
		ID: id, Name: name, Type: typ, Mod: modelsMod, Tmpls: tmpls, Flds: flds,
		CSS: css, LatexPre: latexPre, LatexPost: latexPost, Tags: []string{}, Vers: []any{},
	}
	// req: which fields a template needs to produce a card; current Anki
	// recomputes it, older versions read it.
	if typ == 0 {
		for i := range tmpls {
			m.Req = append(m.Req, []any{i, "any", []int{i}})
		}
	} else {
		m.Req = [][]any{{0, "any", []int{0}}}
	}
	return m
}

// noteTypes are the three recall note types, by id.
var noteTypes = map[int64]jsonModel{
	BasicModelID: newModel(BasicModelID, basicName, 0, fields("Front", "Back", "Context"),
		jsonTemplate{Name: "Card 1",
			QFmt: crumbs + "\n{{Front}}",
			AFmt: "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}"}),
	ReversedModelID: newModel(ReversedModelID, reversedName, 0, fields("Front", "Back", "Context"),
		jsonTemplate{Name: "Card 1",
			QFmt: crumbs + "\n{{Front}}",
			AFmt: "{{FrontSide}}\n\n<hr id=answer>\n\n{{Back}}"},
		jsonTemplate{Name: "Card 2",
			QFmt: crumbs + "\n{{Back}}",
			AFmt: "{{FrontSide}}\n\n<hr id=answer>\n\n{{Front}}"}),
	ClozeModelID: newModel(ClozeModelID, clozeName, 1, fields("Text", "Back Extra", "Context"),
		jsonTemplate{Name: "Cloze",
			QFmt: crumbs + "\n{{cloze:Text}}",
			AFmt: crumbs + "\n{{cloze:Text}}\n{{#Back Extra}}<hr id=answer>{{Back Extra}}{{/Back Extra}}"}),
}

// fieldCount is the number of fields of every recall note type.
const fieldCount = 3

// modelsJSON returns col.models.
func modelsJSON() string {
	m := make(map[string]jsonModel, len(noteTypes))
	for id, nt := range noteTypes {
		m[strconv.FormatInt(id, 10)] = nt
	}
	return mustJSON(m)
}

// deckJSON is one entry of col.decks.
type deckJSON struct {
	ID               int64  `json:"id"`
	Name             string `json:"name"`
	Mod              int64  `json:"mod"`
	Usn              int    `json:"usn"`
	Dyn              int    `json:"dyn"`
	Collapsed        bool   `json:"collapsed"`
	BrowserCollapsed bool   `json:"browserCollapsed"`
	Desc             string `json:"desc"`
	Conf             int64  `json:"conf"`
	ExtendNew        int    `json:"extendNew"`
	ExtendRev        int    `json:"extendRev"`
	LrnToday         [2]int `json:"lrnToday"`
	RevToday         [2]int `json:"revToday"`
	NewToday         [2]int `json:"newToday"`
	TimeToday        [2]int `json:"timeToday"`
}

// decksJSON returns col.decks for the given id → name map.
func decksJSON(decks map[int64]string, mod int64) string {
	ids := make([]int64, 0, len(decks))
	for id := range decks {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	m := make(map[string]deckJSON, len(ids))
	for _, id := range ids {
		m[strconv.FormatInt(id, 10)] = deckJSON{ID: id, Name: decks[id], Mod: mod, Conf: 1}
	}
	return mustJSON(m)
}

// dconfJSON returns col.dconf: Anki's default options group, id 1.
func dconfJSON(mod int64) string {
	conf := map[string]any{
		"id": 1, "mod": mod, "name": "Default", "usn": 0,
		"maxTaken": maxAnswerMs / 1000, "autoplay": true, "timer": 0, "replayq": true, "dyn": false,
		"new": map[string]any{
			"bury": false, "delays": []float64{1, 10}, "initialFactor": 2500,
			"ints": []int{1, 4, 0}, "order": 1, "perDay": 20,
		},
		"rev": map[string]any{
			"bury": false, "ease4": 1.3, "ivlFct": 1.0, "maxIvl": 36500, "perDay": 200, "hardFactor": 1.2,
		},
		"lapse": map[string]any{
			"delays": []float64{10}, "leechAction": 1, "leechFails": 8, "minInt": 1, "mult": 0.0,
		},
	}
	return mustJSON(map[string]any{"1": conf})
}

// confJSON returns col.conf.
func confJSON(rollover, creationOffset, nextPos int) string {
	return mustJSON(map[string]any{
		"schedVer":       2,
		"rollover":       rollover,
		"creationOffset": creationOffset,
		"nextPos":        nextPos,
		"curModel":       BasicModelID,
		"curDeck":        DefaultDeckID,
		"activeDecks":    []int64{DefaultDeckID},
		"newSpread":      0,
		"collapseTime":   1200,
		"timeLim":        0,
		"estTimes":       true,
		"dueCounts":      true,
		"sortType":       "noteFld",
		"sortBackwards":  false,
		"addToCur":       true,
		"dayLearnFirst":  false,
	})
}

// mustJSON encodes values built in this package from plain types, which
// cannot fail to encode.
func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic("anki: encoding built-in JSON: " + err.Error())
	}
	return string(b)
}
