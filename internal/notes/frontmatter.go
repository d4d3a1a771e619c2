package notes

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/recall-cli/recall/internal/card"
)

// This file reads the front matter of a notes file: the deck, tags,
// daily limits and card options between the --- lines at its top.

// frontMatter is what the YAML between the --- lines at the top of a
// notes file says to recall. Keys are read in any case; keys recall does
// not know (Obsidian's aliases, Logseq's properties) are left alone.
type frontMatter struct {
	deck    string
	title   string
	tags    []string
	new     *int // nil when unset
	reviews *int
	// scheduler is "sm2" or "fsrs", "" when unset.
	scheduler string
	noClose   bool // cards: clozes: false
	noLists   bool // cards: lists: false
}

// cardOptions are the keys "cards:" takes.
const cardOptions = "clozes, lists"

const (
	// maxErrorTries bounds the parses yamlError makes to find the line a
	// YAML error is about.
	maxErrorTries = 64
	// maxColonValues bounds the "key: a: b" lines read's parse quotes.
	maxColonValues = 16
)

// fmError is a fault in front matter, on a line counted from its first
// line (1).
type fmError struct {
	line int
	msg  string
}

// parseFrontMatter reads the front matter at the top of src, if there is
// one, and returns it, the body after it and the 1-based line the body
// starts on. A first line "---" starts front matter only when the next
// non-blank line reads "key:"; otherwise it is markdown (a rule).
func parseFrontMatter(name string, src []byte) (frontMatter, []byte, int, error) {
	var fm frontMatter
	first, _, ok := bytes.Cut(src, []byte("\n"))
	if !ok || string(bytes.TrimRight(first, " \t\r")) != "---" {
		return fm, src, 1, nil
	}
	var lines [][]byte
	end := -1      // index in lines of the closing line
	bodyStart := 0 // offset in src of the line after it
	for pos := len(first) + 1; pos < len(src); {
		next := len(src)
		lineEnd := len(src)
		if j := bytes.IndexByte(src[pos:], '\n'); j >= 0 {
			lineEnd, next = pos+j, pos+j+1
		}
		l := bytes.TrimRight(src[pos:lineEnd], " \t\r")
		lines = append(lines, l)
		if s := string(l); s == "---" || s == "..." {
			end, bodyStart = len(lines)-1, next
			break
		}
		pos = next
	}
	if !looksLikeKeys(lines) {
		return fm, src, 1, nil
	}
	if end < 0 {
		return fm, nil, 0, &Error{File: name, Line: 1, Msg: "front matter not closed (want a --- line after it)"}
	}
	if err := fm.read(lines[:end]); err != nil {
		return fm, nil, 0, &Error{File: name, Line: 1 + err.line, Msg: "front matter: " + err.msg}
	}
	return fm, src[bodyStart:], end + 3, nil
}

// read reads the front matter's lines as YAML and takes recall's keys
// from the mapping they hold.
func (fm *frontMatter) read(lines [][]byte) *fmError {
	doc, err := parseYAML(lines)
	if err != nil {
		return err
	}
	if len(doc.Content) == 0 {
		return nil
	}
	m := doc.Content[0]
	if m.Kind != yaml.MappingNode {
		return &fmError{m.Line, fmt.Sprintf("want \"key: value\", got %q", firstLine(m.Value))}
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if k.Kind != yaml.ScalarNode {
			continue
		}
		var err *fmError
		switch key := strings.ToLower(k.Value); key {
		case "deck", "title":
			var s string
			if s, err = oneValue(key, k, v); key == "deck" {
				fm.deck = s
			} else {
				fm.title = s
			}
		case "tags", "tag":
			err = fm.readTags(k, v)
		case "new", "reviews":
			var n int
			if n, err = perDay(key, k, v); key == "new" {
				fm.new = card.PerDay(n)
			} else {
				fm.reviews = card.PerDay(n)
			}
		case "scheduler":
			var sched string
			if sched, err = oneValue(key, k, v); err == nil {
				switch sched = strings.ToLower(sched); sched {
				case "sm2", "fsrs":
					fm.scheduler = sched
				default:
					err = &fmError{v.Line, fmt.Sprintf("scheduler: %q is not a scheduler; want sm2 or fsrs", sched)}
				}
			}
		case "cards":
			err = fm.readCards(k, v)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// parseYAML parses the front matter's lines. A deck or title that holds
// ": " ("title: Lecture 4: Change", as talk and chapter titles do) is not
// YAML, but what it means is plain: such a line, when it is the one the
// parse fails on, is read as if its value were quoted.
func parseYAML(lines [][]byte) (*yaml.Node, *fmError) {
	quoted := false
	for tries := 0; ; tries++ {
		var doc yaml.Node
		err := yaml.Unmarshal(bytes.Join(lines, []byte("\n")), &doc)
		if err == nil {
			return &doc, nil
		}
		e := yamlError(lines, err)
		q, ok := quoteColonValue(lines[e.line-1])
		if !ok || tries == maxColonValues {
			return nil, e
		}
		if !quoted {
			lines, quoted = slices.Clone(lines), true
		}
		lines[e.line-1] = q
	}
}

// quoteColonValue returns a top-level line "deck: a: b" (or "title: a:
// b") as "deck: "a: b"", and whether it is one. A value that starts with
// a quote, a bracket or another YAML indicator is left alone; a " #
// comment" is dropped.
func quoteColonValue(l []byte) ([]byte, bool) {
	k, v, ok := strings.Cut(string(l), ": ")
	if key := strings.ToLower(k); !ok || key != "deck" && key != "title" {
		return nil, false
	}
	v, _, _ = strings.Cut(strings.TrimSpace(v), " #")
	if v == "" || strings.ContainsRune("\"'[]{}&*!|>%@`#", rune(v[0])) || !strings.Contains(v, ": ") {
		return nil, false
	}
	return []byte(k + ": " + yamlString(v)), true
}

// resolve follows an alias to the node it names.
func resolve(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
}

// lineOf is the line to blame for the value v of key k: v's own, unless v
// is empty and sits wherever the parser put it.
func lineOf(k, v *yaml.Node) int {
	if v.Kind == yaml.ScalarNode && v.Value == "" {
		return k.Line
	}
	return v.Line
}

// kindName names a node that is not a scalar, for messages.
func kindName(n *yaml.Node) string {
	if n.Kind == yaml.MappingNode {
		return "a mapping"
	}
	return "a list"
}

// oneValue reads deck: or title:, whose value is one name; a block
// scalar's lines are joined by spaces.
func oneValue(key string, k, v *yaml.Node) (string, *fmError) {
	r := resolve(v)
	if r.Kind != yaml.ScalarNode {
		return "", &fmError{lineOf(k, v), fmt.Sprintf("%s takes one value, not %s", key, kindName(r))}
	}
	return cleanText(strings.Join(strings.FieldsFunc(r.Value, func(r rune) bool { return r == '\n' || r == '\r' }), " ")), nil
}

// perDay reads new: or reviews:, a number of cards a day, quoted or not.
func perDay(key string, k, v *yaml.Node) (int, *fmError) {
	r := resolve(v)
	switch {
	case r.Kind != yaml.ScalarNode:
		return 0, &fmError{lineOf(k, v), fmt.Sprintf("%s: want a number of cards a day, not %s", key, kindName(r))}
	case r.Value == "":
		return 0, &fmError{lineOf(k, v), key + ": want a number of cards a day"}
	}
	n, err := strconv.Atoi(r.Value)
	if err != nil || n < 0 || n > 1_000_000 {
		return 0, &fmError{lineOf(k, v), fmt.Sprintf("%s: want a number of cards a day, got %q", key, r.Value)}
	}
	return n, nil
}

// readTags reads tags: a list, or one value: a quoted tag, tags
// separated by commas ("a, b c") or words ("a b" is two tags). A tag with
// spaces is folded later (see tagName).
func (fm *frontMatter) readTags(k, v *yaml.Node) *fmError {
	r := resolve(v)
	var items []string
	switch r.Kind {
	case yaml.ScalarNode:
		switch {
		case r.Style&(yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle) != 0:
			items = []string{r.Value}
		case strings.Contains(r.Value, ","):
			for _, s := range strings.Split(r.Value, ",") {
				items = append(items, unquote(strings.TrimSpace(s)))
			}
		default:
			items = strings.Fields(r.Value)
		}
	case yaml.SequenceNode:
		for _, item := range r.Content {
			ri := resolve(item)
			if ri.Kind != yaml.ScalarNode {
				return &fmError{item.Line, "tags: want a tag, not " + kindName(ri)}
			}
			items = append(items, ri.Value)
		}
	default:
		return &fmError{lineOf(k, v), "tags: want a list of tags, not " + kindName(r)}
	}
	for _, t := range items {
		if t := tagName([]byte(cleanText(t))); t != "" {
			fm.tags = append(fm.tags, t)
		}
	}
	return nil
}

// readCards reads cards:, a mapping of options to true or false.
func (fm *frontMatter) readCards(k, v *yaml.Node) *fmError {
	r := resolve(v)
	if r.Kind == yaml.ScalarNode && r.Value == "" {
		return nil
	}
	if r.Kind != yaml.MappingNode {
		return &fmError{lineOf(k, v), "cards: want options such as {clozes: false} or indented lines"}
	}
	for i := 0; i+1 < len(r.Content); i += 2 {
		ok, ov := r.Content[i], r.Content[i+1]
		opt := strings.ToLower(ok.Value)
		if ok.Kind != yaml.ScalarNode || opt != "clozes" && opt != "lists" {
			return &fmError{ok.Line, fmt.Sprintf("cards: unknown option %q (want %s)", ok.Value, cardOptions)}
		}
		rv := resolve(ov)
		if rv.Kind != yaml.ScalarNode {
			return &fmError{lineOf(ok, ov), fmt.Sprintf("cards: %s: want true or false, not %s", opt, kindName(rv))}
		}
		b, good := parseBool(rv.Value)
		if !good {
			return &fmError{lineOf(ok, ov), fmt.Sprintf("cards: %s: want true or false, got %q", opt, rv.Value)}
		}
		if opt == "clozes" {
			fm.noClose = !b
		} else {
			fm.noLists = !b
		}
	}
	return nil
}

// yamlError turns the error of a YAML parse of lines into one naming the
// line at fault. The parser's own line numbers are unreliable: a scanner
// error counts from 1, a parser error from 0, either may give the line
// where an enclosing block or bracket opened, and some give none. The
// line at fault is the one after the longest run of first lines that is
// YAML; past maxErrorTries parses, the parser's line is taken, counted
// from 1.
func yamlError(lines [][]byte, err error) *fmError {
	msg, _ := strings.CutPrefix(err.Error(), "yaml: ")
	line := 1
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if n, m, ok := strings.Cut(rest, ": "); ok {
			if k, err := strconv.Atoi(n); err == nil {
				msg, line = m, k
				if parserErrors[m] {
					line++
				}
			}
		}
	}
	for k := len(lines) - 1; k >= 0 && k >= len(lines)-maxErrorTries; k-- {
		if yaml.Unmarshal(bytes.Join(lines[:k], []byte("\n")), &yaml.Node{}) == nil {
			line = k + 1
			break
		}
	}
	line = min(max(line, 1), len(lines))
	l := lines[line-1]
	switch {
	case msg == "could not find expected ':'":
		msg = fmt.Sprintf("want \"key: value\", got %q", bytes.TrimSpace(l))
	case bytes.ContainsRune(l[:len(l)-len(bytes.TrimLeft(l, " \t"))], '\t'):
		msg = "a tab in the indentation (YAML indents with spaces)"
	case msg == "mapping values are not allowed in this context":
		msg += ` (quote a value that holds ": ")`
	case msg == "found character that cannot start any token":
		msg += " (quote a value that starts with @ or `)"
	}
	return &fmError{line, msg}
}

// parserErrors are the messages of the YAML parser (as against its
// scanner), which count lines from 0.
var parserErrors = map[string]bool{
	"did not find expected ',' or ']'":       true,
	"did not find expected ',' or '}'":       true,
	"did not find expected '-' indicator":    true,
	"did not find expected <document start>": true,
	"did not find expected <stream-start>":   true,
	"did not find expected key":              true,
	"did not find expected node content":     true,
	"found duplicate %TAG directive":         true,
	"found duplicate %YAML directive":        true,
	"found incompatible YAML document":       true,
	"found undefined tag handle":             true,
}

// firstLine is s up to its first line break.
func firstLine(s string) string {
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// looksLikeKeys reports whether the first line of lines that is not blank
// or a comment reads "key:".
func looksLikeKeys(lines [][]byte) bool {
	for _, l := range lines {
		t := bytes.TrimSpace(l)
		if len(t) == 0 || t[0] == '#' {
			continue
		}
		k, _, ok := strings.Cut(string(t), ":")
		return ok && isKey(strings.ToLower(strings.TrimSpace(k)))
	}
	return false
}

// isKey reports whether k is a front-matter key: a letter, then letters,
// digits, '-' or '_'.
func isKey(k string) bool {
	if k == "" || !isLetter(k[0]) {
		return false
	}
	for i := 1; i < len(k); i++ {
		if c := k[i]; !isLetter(c) && !isDigit(c) && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

// parseBool reads a card option's value: YAML 1.1's words for true and
// false, which notes written for other tools use.
func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "true", "yes", "on":
		return true, true
	case "false", "no", "off":
		return false, true
	}
	return false, false
}

// unquote drops the quotes around one tag of a plain "a, 'b c'" value.
func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
		return v[1 : len(v)-1]
	}
	return v
}
