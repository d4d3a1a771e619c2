package notes

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/recall-cli/recall/internal/card"
)

// This file reads card text from the source, without goldmark's inline
// pass: it finds the explicit, cloze and definition markers outside code
// and math (see textscan.go), cuts notes-to-self and #tags out of the
// text, and normalises keys.

// explicitSep finds the first " :: " or " ::: " in b outside code, math
// and clozes. It returns its position and its length (2 or 3), or -1.
func explicitSep(b []byte) (int, int) {
	if !bytes.Contains(b, []byte("::")) {
		return -1, 0
	}
	sc := newTextScan(b, "{:")
	clozeFail := -1
	for i := range sc.positions() {
		switch b[i] {
		case '{':
			if clozeFail < 0 || i < clozeFail {
				if j, ok := clozeOpen(b, i); ok {
					if k := bytes.Index(b[j:], []byte("}}")); k >= 0 {
						sc.next = j + k + 2
						continue
					}
					clozeFail = i
				}
			}
		case ':':
			n := 1
			for i+n < len(b) && b[i+n] == ':' {
				n++
			}
			if (n == 2 || n == 3) && i > 0 && isSpace(b[i-1]) && i+n < len(b) && isSpace(b[i+n]) {
				return i, n
			}
			sc.next = i + n
		}
	}
	return -1, 0
}

// clozeOpen reports whether b[i:] opens an Anki cloze, {{cN::, and where
// its text starts.
func clozeOpen(b []byte, i int) (int, bool) {
	if i+6 > len(b) || b[i] != '{' || b[i+1] != '{' || (b[i+2] != 'c' && b[i+2] != 'C') {
		return 0, false
	}
	j := i + 3
	for j < len(b) && j < i+6 && isDigit(b[j]) {
		j++
	}
	if j == i+3 || j+2 > len(b) || b[j] != ':' || b[j+1] != ':' {
		return 0, false
	}
	return j + 2, true
}

// clozePart is a piece of a cloze text: plain text (num 0) or a deletion.
type clozePart struct {
	text string
	hint string
	num  int
	off  int // where the part starts in the text
}

// maxClozes bounds the cloze numbers read from one text.
const maxClozes = 50

// parseClozes splits b into plain text and deletions, {{cN::text}},
// {{cN::text::hint}} and ==text==, outside code and math. Highlights are
// numbered after the highest explicit number, in order. It returns nil
// when b holds no deletion.
func parseClozes(b []byte) []clozePart {
	if !bytes.Contains(b, []byte("==")) && !bytes.Contains(b, []byte("{{")) {
		return nil
	}
	var parts []clozePart
	sc := newTextScan(b, "{=")
	plain := 0 // start of the pending plain text
	highFail := -1
	highFailLine := -1
	maxNum := 0
	flush := func(end int) {
		if end > plain {
			parts = append(parts, clozePart{text: string(b[plain:end]), off: plain})
		}
	}
	deletions := 0
	lineEnd := -1 // the end of the line of the last highlight
	for i := range sc.positions() {
		switch b[i] {
		case '{':
			if j, ok := clozeOpen(b, i); ok {
				k := bytes.Index(b[j:], []byte("}}"))
				if k < 0 {
					break
				}
				inner := b[j : j+k]
				num := atoiSmall(b[i+3 : j-2])
				text, hint := inner, []byte(nil)
				if h := bytes.Index(inner, []byte("::")); h >= 0 {
					text, hint = inner[:h], inner[h+2:]
				}
				text = bytes.TrimSpace(text)
				if len(text) == 0 || num <= 0 {
					break
				}
				flush(i)
				parts = append(parts, clozePart{text: string(text), hint: string(bytes.TrimSpace(hint)), num: num, off: i})
				deletions++
				maxNum = max(maxNum, num)
				sc.next = j + k + 2
				plain = sc.next
				continue
			}
		case '=':
			if i+1 >= len(b) || b[i+1] != '=' {
				break
			}
			if (i > 0 && (b[i-1] == '=' || isAlnum(b[i-1]))) || i+2 >= len(b) || isSpace(b[i+2]) || b[i+2] == '=' {
				sc.next = i + 2
				continue
			}
			if i >= lineEnd {
				// Found once a line: a line of many highlights stays linear.
				lineEnd = bytes.IndexByte(b[i:], '\n')
				if lineEnd < 0 {
					lineEnd = len(b)
				} else {
					lineEnd += i
				}
			}
			if highFailLine == lineEnd && i >= highFail {
				sc.next = i + 2
				continue
			}
			end := closeHighlight(b[:lineEnd], i+2)
			if end < 0 {
				highFail, highFailLine = i, lineEnd
				sc.next = i + 2
				continue
			}
			flush(i)
			parts = append(parts, clozePart{text: string(bytes.TrimSpace(b[i+2 : end])), num: -1, off: i})
			deletions++
			sc.next = end + 2
			plain = sc.next
		}
	}
	if deletions == 0 {
		return nil
	}
	flush(len(b))
	for i := range parts {
		if parts[i].num < 0 {
			maxNum++
			parts[i].num = maxNum
		}
	}
	return parts
}

// closeHighlight returns the position of the == that closes a highlight
// opened just before from, or -1: it follows a non-space and is followed by
// neither = nor a letter or digit.
func closeHighlight(b []byte, from int) int {
	for from+1 < len(b) {
		j := bytes.Index(b[from:], []byte("=="))
		if j < 0 {
			return -1
		}
		k := from + j
		if !isSpace(b[k-1]) && (k+2 >= len(b) || (b[k+2] != '=' && !isAlnum(b[k+2]))) {
			return k
		}
		from = k + 1
	}
	return -1
}

func atoiSmall(b []byte) int {
	n := 0
	for _, c := range b {
		n = n*10 + int(c-'0')
	}
	return n
}

// noteWords are the first words of bracketed notes-to-self that carry no
// colon: [link], [img of the arch], [TODO fix].
var noteWords = map[string]bool{
	"link": true, "links": true, "img": true, "image": true, "images": true,
	"pic": true, "picture": true, "photo": true, "todo": true, "tbd": true,
	"tk": true, "fixme": true, "xxx": true, "ref": true, "refs": true,
	"cite": true, "citation": true, "source": true, "sources": true,
	"video": true, "slides": true, "slide": true, "diagram": true,
	"chart": true, "graph": true, "screenshot": true, "gif": true,
	"tweet": true, "note": true, "notes": true, "insert": true,
}

// isNote reports whether the inside of a bracket is a note-to-self: a word
// followed by a colon ("hamy: link", "TODO : x") or a word from noteWords.
func isNote(in []byte) bool {
	in = bytes.TrimSpace(in)
	j := 0
	for j < len(in) && isLetter(in[j]) {
		j++
	}
	if j == 0 {
		return false
	}
	k := j
	for k < len(in) && in[k] == ' ' {
		k++
	}
	if k < len(in) && in[k] == ':' && (k+1 == len(in) || in[k+1] != ':') {
		return true
	}
	if j > 16 {
		return false
	}
	var buf [16]byte
	w := buf[:j]
	for i := range j {
		w[i] = in[i] | 0x20
	}
	return noteWords[string(w)]
}

// noteEnd returns the end (after ']') of a note-to-self starting with the
// '[' at i, or -1. A real link or reference ("[x](u)", "[x][y]", a line
// "[x]: u", a label defined elsewhere) is not a note, nor is a task box
// "[ ]".
func noteEnd(b []byte, i int, isRef func([]byte) bool) int {
	if i > 0 && (b[i-1] == '!' || b[i-1] == ']') {
		return -1
	}
	j := bytes.IndexAny(b[i+1:], "[]\n")
	if j < 0 || b[i+1+j] != ']' {
		return -1
	}
	end := i + 1 + j + 1
	if end < len(b) && (b[end] == '(' || b[end] == '[' || b[end] == ':' && len(bytes.TrimSpace(b[:i])) == 0) {
		return -1
	}
	in := b[i+1 : end-1]
	if !isNote(in) || (isRef != nil && isRef(in)) {
		return -1
	}
	return end
}

// onlyNotes reports whether a line holds nothing but notes-to-self.
func onlyNotes(line []byte) bool {
	line = bytes.TrimSpace(line)
	if len(line) == 0 || line[0] != '[' {
		return false
	}
	for len(line) > 0 {
		if line[0] != '[' {
			return false
		}
		end := noteEnd(line, 0, nil)
		if end < 0 {
			return false
		}
		line = bytes.TrimLeft(line[end:], " \t")
	}
	return true
}

// tagEnd returns the end of an inline #tag starting at the '#' at i, or -1:
// a # at the start of a word followed by a letter (not "#3", not "C#").
func tagEnd(b []byte, i int) int {
	if i > 0 && !isSpace(b[i-1]) && b[i-1] != '(' {
		return -1
	}
	if i+1 >= len(b) {
		return -1
	}
	r, _ := utf8.DecodeRune(b[i+1:])
	if !unicode.IsLetter(r) {
		return -1
	}
	j := i + 1
	for j < len(b) {
		r, n := utf8.DecodeRune(b[j:])
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_' || r == '/':
		case r == ':' && j+1 < len(b) && b[j+1] == ':':
			n = 2
		default:
			return j
		}
		j += n
	}
	return j
}

// cleaner strips notes-to-self and inline #tags from card text.
type cleaner struct {
	isRef func([]byte) bool
	buf   []byte
}

// clean returns b without its notes-to-self and #tags (outside code and
// math), trimmed, and the tags it held.
func (c *cleaner) clean(b []byte) (string, []string) {
	b = bytes.TrimSpace(b)
	if !mayClean(b) {
		return string(b), nil
	}
	var tags []string
	out := c.buf[:0]
	sc := newTextScan(b, "[(#")
	cut := func(end int) int {
		// Drop the space on one side of what was cut, and the space
		// before punctuation that followed it.
		for end < len(b) && (b[end] == ' ' || b[end] == '\t') && (len(out) == 0 || out[len(out)-1] == ' ') {
			end++
		}
		if end < len(b) && len(out) > 0 && out[len(out)-1] == ' ' && strings.IndexByte(".,;:!?)", b[end]) >= 0 {
			out = out[:len(out)-1]
		}
		return end
	}
	for i := range sc.positions() {
		// What the walk stepped over, escapes, code and math among it,
		// stays as it is.
		out = append(out, b[sc.from:i]...)
		switch b[i] {
		case '[':
			if i+1 < len(b) && b[i+1] == '[' {
				if end, text := wikiLink(b, i); end > 0 {
					if onlyLinksAfter(b, end) {
						// Links to other notes after the text are not
						// part of it.
						sc.next = cut(len(b))
						continue
					}
					out = append(out, text...)
					sc.next = end
					continue
				}
			}
			if end := noteEnd(b, i, c.isRef); end > 0 {
				sc.next = cut(end)
				continue
			}
		case '(':
			if end := doubtEnd(b, i); end > 0 {
				sc.next = cut(end)
				continue
			}
		case '#':
			if end := orgMarkEnd(b, i); end > 0 {
				sc.next = cut(end)
				continue
			}
			if end := tagEnd(b, i); end > 0 {
				if t := tagName(b[i+1 : end]); t != "" {
					tags = append(tags, t)
				}
				sc.next = cut(end)
				continue
			}
		}
		out = append(out, b[i])
	}
	out = append(out, b[sc.from:]...)
	c.buf = out
	return string(bytes.TrimSpace(out)), tags
}

// orgMarkEnd returns the end of an org block marker, #+BEGIN_X or
// #+END_X, at i, or -1.
func orgMarkEnd(b []byte, i int) int {
	rest := b[i:]
	if len(rest) < 6 || rest[1] != '+' {
		return -1
	}
	up := bytes.ToUpper(rest[:min(len(rest), 8)])
	if !bytes.HasPrefix(up, []byte("#+BEGIN_")) && !bytes.HasPrefix(up, []byte("#+END_")) {
		return -1
	}
	j := i + 2
	for j < len(b) && !isSpace(b[j]) {
		j++
	}
	return j
}

// mayClean reports whether b holds anything clean removes or rewrites.
func mayClean(b []byte) bool {
	return bytes.IndexByte(b, '[') >= 0 || bytes.IndexByte(b, '#') >= 0 || bytes.Contains(b, []byte("??"))
}

// wikiLink reads a [[Note]] or [[Note|alias]] link at i: its end and the
// text it shows.
func wikiLink(b []byte, i int) (int, []byte) {
	j := bytes.Index(b[i+2:], []byte("]]"))
	if j <= 0 || bytes.IndexByte(b[i+2:i+2+j], '\n') >= 0 || bytes.IndexByte(b[i+2:i+2+j], '[') >= 0 {
		return -1, nil
	}
	in := b[i+2 : i+2+j]
	if k := bytes.IndexByte(in, '|'); k >= 0 {
		in = in[k+1:]
	}
	return i + 2 + j + 2, bytes.TrimSpace(in)
}

// onlyLinksAfter reports whether b from i holds only [[links]], #tags and
// spaces.
func onlyLinksAfter(b []byte, i int) bool {
	for i < len(b) {
		switch {
		case isSpace(b[i]):
			i++
		case b[i] == '[' && i+1 < len(b) && b[i+1] == '[':
			end, _ := wikiLink(b, i)
			if end < 0 {
				return false
			}
			i = end
		case b[i] == '#':
			end := tagEnd(b, i)
			if end < 0 {
				return false
			}
			i = end
		default:
			return false
		}
	}
	return true
}

// doubtEnd returns the end of a parenthesised note of doubt starting at
// the '(' at i, "(??? is this true ???)" or "(?? ABC ??)", or -1.
func doubtEnd(b []byte, i int) int {
	j := bytes.IndexByte(b[i:], ')')
	if j < 0 {
		return -1
	}
	in := bytes.TrimSpace(b[i+1 : i+j])
	if bytes.HasPrefix(in, []byte("??")) || bytes.HasSuffix(in, []byte("??")) {
		return i + j + 1
	}
	return -1
}

// tagName folds a tag the way recall stores tags: lower case, spaces as
// dashes, no leading #, no trailing punctuation.
func tagName(b []byte) string {
	s := strings.TrimLeft(strings.TrimSpace(string(b)), "#")
	s = strings.TrimRight(s, "-/:_")
	s = strings.ToLower(s)
	return strings.Join(strings.Fields(s), "-")
}

// slug folds a heading into a tag or anchor segment: lower case, letters
// and digits kept, apostrophes and emphasis dropped, any other run one dash.
func slug(s string) string {
	b := make([]byte, 0, len(s))
	dash := false
	for i := 0; i < len(s); {
		c := s[i]
		r, n := rune(c), 1
		if c >= utf8.RuneSelf {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		i += n
		switch {
		case c < utf8.RuneSelf && (isDigit(c) || isLetter(c)),
			c >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			if dash && len(b) > 0 {
				b = append(b, '-')
			}
			dash = false
			b = utf8.AppendRune(b, unicode.ToLower(r))
		case r == '\'' || r == '’' || r == '*' || r == '_' || r == '`':
		default:
			dash = true
		}
	}
	return string(b)
}

// definition splits a bullet of the form "Term: definition", "**Term**:
// definition", "Term - definition", "Term — definition", "Term =>
// definition", "Term -> definition", "Term = definition" or "Term ==
// definition" with a term of at most six words. b holds the same text as
// s. ok is false for any other bullet, and for a chain ("a -> b -> c").
// Emphasis that wraps the term whole is dropped; emphasis that does not
// pair is kept.
func definition(s string, b []byte) (term, def string, ok bool) {
	if len(s) > 4 && (strings.HasPrefix(s, "**") || strings.HasPrefix(s, "__")) {
		mark := s[:2]
		if end := strings.Index(s[2:], mark); end > 0 {
			inner := strings.TrimSpace(s[2 : 2+end])
			rest := s[4+end:]
			switch {
			case strings.HasSuffix(inner, ":"):
				term, def = strings.TrimSuffix(inner, ":"), rest
			case strings.HasPrefix(rest, ":"):
				term, def = inner, rest[1:]
			default:
				if n, l := defSep(b[4+end:]); n == 0 && !chained(b[4+end+l:], b[4+end:4+end+l]) {
					term, def = inner, rest[l:]
				}
			}
			term, def = strings.TrimSpace(term), strings.TrimSpace(def)
			return term, def, term != "" && def != "" && words(term) <= maxTermWords
		}
	}
	n, l := defSep(b)
	if n <= 0 || chained(b[n+l:], b[n:n+l]) {
		return "", "", false
	}
	term, def = strings.TrimSpace(s[:n]), strings.TrimSpace(s[n+l:])
	if sep := bytes.TrimSpace(b[n : n+l]); len(sep) > 0 && sep[0] == '=' && codeLike(def) {
		return "", "", false // an assignment
	}
	term = trimEmphasis(term)
	return term, def, term != "" && def != "" && words(term) <= maxTermWords
}

// chained reports whether the separator sep, an arrow or an equals sign,
// comes again in rest: "a -> b -> c" is a chain, not a definition.
func chained(rest, sep []byte) bool {
	sep = bytes.TrimSpace(sep)
	if len(sep) == 0 || sep[0] != '-' && sep[0] != '=' || len(sep) == 1 && sep[0] == '-' {
		return false
	}
	return bytes.Contains(rest, sep)
}

// defSep finds the first definition separator in b outside code and math:
// ": ", " - ", " – ", " — ", " => ", " -> ", " = " or " == ". It returns
// its position and length, or -1.
func defSep(b []byte) (int, int) {
	sc := newTextScan(b, "(): ")
	depth := 0 // parentheses open: a separator inside them is not one
	for i := range sc.positions() {
		c := b[i]
		switch {
		case c == '(':
			depth++
		case c == ')' && depth > 0:
			depth--
		}
		if depth > 0 {
			continue
		}
		switch c {
		case ':':
			if i+1 < len(b) && b[i+1] == ' ' && (i == 0 || b[i-1] != ':') {
				return i, 1
			}
		case ' ':
			rest := b[i+1:]
			switch {
			case bytes.HasPrefix(rest, []byte("- ")):
				return i, 3
			case bytes.HasPrefix(rest, []byte("=> ")), bytes.HasPrefix(rest, []byte("-> ")), bytes.HasPrefix(rest, []byte("== ")):
				return i, 4
			case bytes.HasPrefix(rest, []byte("= ")):
				return i, 3
			case bytes.HasPrefix(rest, []byte("– ")), bytes.HasPrefix(rest, []byte("— ")):
				return i, 5
			}
		}
	}
	return -1, 0
}

// words counts the space-separated words of s.
func words(s string) int {
	n := 0
	in := false
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' || s[i] == '\t' {
			in = false
		} else if !in {
			in = true
			n++
		}
	}
	return n
}

// question makes a prompt of a term: "Term?" (a term already asking keeps
// its own question mark, without the space or colon before it: "Why Rust
// ?", "Rust: ?" and "Rust:?" ask "Why Rust?" and "Rust?", as Format can
// write them).
func question(term string) string {
	term = strings.TrimRight(term, " :")
	if q, ok := strings.CutSuffix(term, "?"); ok {
		if t := strings.TrimRight(q, " :"); t != "" {
			if t != q && strings.HasSuffix(t, "?") {
				return t // "Why? ?" asks "Why?", as "Why?:" does
			}
			return t + "?"
		}
		return term
	}
	return term + "?"
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'
}
func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c|0x20 >= 'a' && c|0x20 <= 'z' }
func isAlnum(c byte) bool  { return isDigit(c) || isLetter(c) || c >= 0x80 }

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

// blank reports whether s is empty or only white space.
func blank(s string) bool {
	if s != "" && s[0] < utf8.RuneSelf && !isSpace(s[0]) {
		return false
	}
	return strings.TrimSpace(s) == ""
}

// hasLetter reports whether s holds a letter.
func hasLetter(s []byte) bool {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			if isLetter(s[i]) {
				return true
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(s[i:])
		if unicode.IsLetter(r) {
			return true
		}
		i += n
	}
	return false
}

// normClass sorts the ASCII bytes for appendNorm: 0 kept, 1 dropped
// (markdown emphasis), 2 space, 3 upper case; non-ASCII bytes are 4.
var normClass = func() (t [256]uint8) {
	for c := range 256 {
		switch {
		case c >= 0x80:
			t[c] = 4
		case c == '*' || c == '_' || c == '`':
			t[c] = 1
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
			t[c] = 2
		case c >= 'A' && c <= 'Z':
			t[c] = 3
		}
	}
	return t
}()

// appendNorm appends normKey(s) to dst.
func appendNorm(dst []byte, s string) []byte {
	start := len(dst)
	space := false
	for i := 0; i < len(s); {
		// Copy a run of bytes kept as they are at once.
		j := i
		for j < len(s) && normClass[s[j]] == 0 {
			j++
		}
		if j > i {
			if space {
				dst = append(dst, ' ')
				space = false
			}
			dst = append(dst, s[i:j]...)
			i = j
			continue
		}
		c := s[i]
		i++
		switch normClass[c] {
		case 1:
			continue
		case 2:
			space = len(dst) > start
			continue
		case 3:
			c += 'a' - 'A'
		default:
			return append(dst[:start], card.Normalize(s)...)
		}
		if space {
			dst = append(dst, ' ')
			space = false
		}
		dst = append(dst, c)
	}
	for len(dst) > start && trailingPunct(dst[len(dst)-1]) {
		dst = dst[:len(dst)-1]
	}
	return dst
}

// trailingPunct reports whether card.Normalize trims the ASCII character
// c at the end of a text: punctuation, but not ')' or ']'.
func trailingPunct(c byte) bool {
	return isASCIIPunct(c) && c != ')' && c != ']' && unicode.IsPunct(rune(c))
}

// normKey is card.Normalize with a fast path for plain ASCII text, which
// most notes are; it gives the same result.
func normKey(s string) string {
	var buf [128]byte
	b := appendNorm(buf[:0], s)
	if len(b) == len(s) && string(b) == s {
		return s
	}
	return string(b)
}
