package notes

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file reads the front matter of a notes file: the deck, tags,
// daily limits and card options between the --- lines at its top.

// frontMatter is what the block between the --- lines at the top of a
// notes file says. It is the simple subset of YAML notes use, read by
// hand: "key: value" lines, "- item" lists and one level of nested keys.
type frontMatter struct {
	deck    string
	title   string
	tags    []string
	new     int
	reviews int
	noClose bool // cards: clozes: false
	noLists bool // cards: lists: false
}

// cardOptions are the keys "cards:" takes.
const cardOptions = "clozes, lists"

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
	bad := func(i int, format string, args ...any) error {
		return &Error{File: name, Line: i + 2, Msg: "front matter: " + fmt.Sprintf(format, args...)}
	}
	key := "" // the top-level key the indented lines belong to
	for i, l := range lines[:end] {
		t := bytes.TrimSpace(l)
		if len(t) == 0 || t[0] == '#' {
			continue
		}
		indented := l[0] == ' ' || l[0] == '\t'
		if t[0] == '-' && (len(t) == 1 || t[1] == ' ') {
			switch key {
			case "tags":
				item, err := scalar(string(t[1:]))
				if err != nil {
					return fm, nil, 0, bad(i, "tags: %v", err)
				}
				if t := tagName([]byte(item)); t != "" {
					fm.tags = append(fm.tags, t)
				}
			case "deck", "title", "new", "reviews", "cards":
				return fm, nil, 0, bad(i, "%s takes one value, not a list", key)
			case "":
				return fm, nil, 0, bad(i, "list item %q belongs to no key", string(t))
			}
			continue
		}
		k, v, ok := strings.Cut(string(t), ":")
		k = strings.ToLower(strings.TrimSpace(k))
		if !ok || !isKey(k) {
			return fm, nil, 0, bad(i, "want \"key: value\", got %q", string(t))
		}
		raw := v // deck, title and tags read quotes, which may hold " # "
		v = stripComment(strings.TrimSpace(v))
		if indented && key != "" {
			if key == "cards" {
				if err := fm.cardOption(k, v); err != nil {
					return fm, nil, 0, bad(i, "%v", err)
				}
			}
			continue
		}
		key = k
		switch k {
		case "deck", "title":
			s, err := scalar(raw)
			if err != nil {
				return fm, nil, 0, bad(i, "%s: %v", k, err)
			}
			if k == "deck" {
				fm.deck = s
			} else {
				fm.title = s
			}
		case "tags", "tag":
			key = "tags"
			tags, err := tagValues(raw)
			if err != nil {
				return fm, nil, 0, bad(i, "%s: %v", k, err)
			}
			for _, t := range tags {
				if t := tagName([]byte(t)); t != "" {
					fm.tags = append(fm.tags, t)
				}
			}
		case "new", "reviews":
			if v == "" {
				return fm, nil, 0, bad(i, "%s: want a number of cards a day", k)
			}
			n, err := strconv.Atoi(unquote(v))
			if err != nil || n < 0 || n > 1_000_000 {
				return fm, nil, 0, bad(i, "%s: want a number of cards a day, got %q", k, v)
			}
			if k == "new" {
				fm.new = n
			} else {
				fm.reviews = n
			}
		case "cards":
			if v == "" {
				break
			}
			if !strings.HasPrefix(v, "{") || !strings.HasSuffix(v, "}") {
				return fm, nil, 0, bad(i, "cards: want options such as {clozes: false} or indented lines")
			}
			for _, opt := range strings.Split(v[1:len(v)-1], ",") {
				if strings.TrimSpace(opt) == "" {
					continue
				}
				name, val, found := strings.Cut(opt, ":")
				if !found {
					return fm, nil, 0, bad(i, "cards: want \"option: value\", got %q", strings.TrimSpace(opt))
				}
				if err := fm.cardOption(strings.ToLower(strings.TrimSpace(name)), strings.TrimSpace(val)); err != nil {
					return fm, nil, 0, bad(i, "%v", err)
				}
			}
		}
	}
	return fm, src[bodyStart:], end + 3, nil
}

// cardOption sets one option of "cards:".
func (fm *frontMatter) cardOption(k, v string) error {
	b, ok := parseBool(unquote(v))
	switch {
	case k != "clozes" && k != "lists":
		return fmt.Errorf("cards: unknown option %q (want %s)", k, cardOptions)
	case !ok:
		return fmt.Errorf("cards: %s: want true or false, got %q", k, v)
	case k == "clozes":
		fm.noClose = !b
	default:
		fm.noLists = !b
	}
	return nil
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

func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "true", "yes", "on":
		return true, true
	case "false", "no", "off":
		return false, true
	}
	return false, false
}

// stripComment drops a trailing " # comment" from an unquoted value.
func stripComment(v string) string {
	if strings.HasPrefix(v, `"`) || strings.HasPrefix(v, `'`) {
		return v
	}
	if strings.HasPrefix(v, "# ") || v == "#" {
		return ""
	}
	if i := strings.Index(v, " # "); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	return v
}

// unquote drops the quotes around a short value such as a number.
func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
		return v[1 : len(v)-1]
	}
	return v
}

// scalar reads a one-line YAML scalar: "double-quoted" with its escapes
// decoded, 'single-quoted' (where two quotes stand for one), or plain,
// without a trailing " # comment".
func scalar(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v == "" || (v[0] != '"' && v[0] != '\'') {
		return stripComment(v), nil
	}
	s, rest, err := quoted(v)
	if err != nil {
		return "", err
	}
	if rest = strings.TrimSpace(rest); rest != "" && rest[0] != '#' {
		return "", fmt.Errorf("%q after the closing quote", rest)
	}
	return s, nil
}

// quoted reads the quoted string that v starts with and returns its value
// and what follows the closing quote.
func quoted(v string) (string, string, error) {
	q := v[0]
	var b strings.Builder
	for i := 1; i < len(v); i++ {
		c := v[i]
		switch {
		case c == q && q == '\'' && i+1 < len(v) && v[i+1] == '\'':
			b.WriteByte('\'')
			i++
		case c == q:
			return b.String(), v[i+1:], nil
		case c == '\\' && q == '"':
			n, err := yamlEscape(&b, v[i+1:])
			if err != nil {
				return "", "", err
			}
			i += n
		default:
			b.WriteByte(c)
		}
	}
	return "", "", fmt.Errorf("%s has no closing %c", v, q)
}

// yamlEscapes are the one-character escapes of double-quoted YAML.
var yamlEscapes = map[byte]string{
	'0': "\x00", 'a': "\a", 'b': "\b", 't': "\t", '\t': "\t", 'n': "\n", 'v': "\v",
	'f': "\f", 'r': "\r", 'e': "\x1b", ' ': " ", '"': "\"", '/': "/", '\\': "\\",
	'N': "\u0085", '_': "\u00a0", 'L': "\u2028", 'P': "\u2029",
}

// yamlEscape decodes the escape after a backslash in a double-quoted YAML
// string, at the start of s, into b and returns the bytes it took.
func yamlEscape(b *strings.Builder, s string) (int, error) {
	if s == "" {
		return 0, errors.New("a backslash ends the string")
	}
	if r, ok := yamlEscapes[s[0]]; ok {
		b.WriteString(r)
		return 1, nil
	}
	digits := map[byte]int{'x': 2, 'u': 4, 'U': 8}[s[0]]
	if digits == 0 {
		return 0, fmt.Errorf("unknown escape \\%c", s[0])
	}
	if len(s) < 1+digits {
		return 0, fmt.Errorf("escape \\%s is cut short", s)
	}
	n, err := strconv.ParseUint(s[1:1+digits], 16, 32)
	if err != nil || n > utf8.MaxRune || (n >= 0xd800 && n < 0xe000) {
		return 0, fmt.Errorf("bad escape \\%s", s[:1+digits])
	}
	b.WriteRune(rune(n))
	return 1 + digits, nil
}

// tagValues reads the tags of a "tags:" value: a flow sequence "[a, 'b c',
// "d"]", items separated by commas ("a, b c"), one quoted tag, or plain
// words ("a b" is two tags). Quoted items may hold commas, brackets and
// " # "; a tag with spaces is folded later (see tagName).
func tagValues(v string) ([]string, error) {
	v = strings.TrimSpace(v)
	flow := strings.HasPrefix(v, "[")
	if flow {
		v = v[1:]
	}
	var items []string
	commas, closed := false, false
	for i := 0; i < len(v) && !closed; {
		switch c := v[i]; {
		case c == ' ' || c == '\t':
			i++
		case c == '#' && (i == 0 || v[i-1] == ' ' || v[i-1] == '\t'):
			i = len(v) // a comment
		case c == ',':
			commas = true
			i++
		case flow && c == ']':
			closed = true
			if rest := strings.TrimSpace(v[i+1:]); rest != "" && rest[0] != '#' {
				return nil, fmt.Errorf("%q after the closing ]", rest)
			}
		case c == '"' || c == '\'':
			s, rest, err := quoted(v[i:])
			if err != nil {
				return nil, err
			}
			items = append(items, s)
			i = len(v) - len(rest)
		default:
			j := i
			for j < len(v) && v[j] != ',' && !(flow && v[j] == ']') &&
				!(v[j] == '#' && (v[j-1] == ' ' || v[j-1] == '\t')) {
				j++
			}
			items = append(items, strings.TrimSpace(v[i:j]))
			i = j
		}
	}
	if flow && !closed {
		return nil, errors.New("[ has no closing ]")
	}
	if !flow && !commas && len(items) == 1 && v[0] != '"' && v[0] != '\'' {
		return strings.Fields(items[0]), nil
	}
	return items, nil
}
