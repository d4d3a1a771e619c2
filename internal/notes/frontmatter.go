package notes

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
)

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
			item := unquote(stripComment(string(bytes.TrimSpace(t[1:]))))
			switch key {
			case "tags":
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
		case "deck":
			fm.deck = unquote(v)
		case "title":
			fm.title = unquote(v)
		case "tags", "tag":
			key = "tags"
			fm.tags = appendTags(fm.tags, v)
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

func unquote(v string) string {
	if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
		return v[1 : len(v)-1]
	}
	return v
}

// appendTags adds the tags of a value: "[a, b]", "a, b" or "a b"; a
// quoted tag may hold spaces ("Two Words" is two-words).
func appendTags(tags []string, v string) []string {
	v = strings.TrimSpace(v)
	v = strings.TrimSuffix(strings.TrimPrefix(v, "["), "]")
	var parts []string
	switch {
	case strings.Contains(v, ","):
		parts = strings.Split(v, ",")
	case unquote(strings.TrimSpace(v)) != strings.TrimSpace(v):
		parts = []string{v}
	default:
		parts = strings.Fields(v)
	}
	for _, p := range parts {
		if t := tagName([]byte(unquote(strings.TrimSpace(p)))); t != "" {
			tags = append(tags, t)
		}
	}
	return tags
}
