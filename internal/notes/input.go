package notes

import (
	"bytes"
	"unicode/utf16"
	"unicode/utf8"
)

// This file turns the bytes of a notes file into the text the parser
// reads: UTF-16 decoded, lone carriage returns made line feeds, binary
// data and invalid UTF-8 refused.

// lineEnds returns src with each carriage return that no line feed
// follows (the line end of classic Mac OS, and of some exports since)
// made a line feed, so that such a file has its lines; CRLF is left as it
// is. A byte for a byte, so offsets hold; src is copied only when it has
// a lone CR.
func lineEnds(src []byte) []byte {
	out, copied := src, false
	for i := 0; i < len(src); i++ {
		j := bytes.IndexByte(src[i:], '\r')
		if j < 0 {
			break
		}
		i += j
		if i+1 < len(src) && src[i+1] == '\n' {
			continue
		}
		if !copied {
			out, copied = bytes.Clone(src), true
		}
		out[i] = '\n'
	}
	return out
}

// fromUTF16 returns src as UTF-8 when it is UTF-16 with a byte order mark
// (FF FE little-endian, FE FF big-endian), and src itself otherwise. Line
// ends are kept, so lines are counted as in the file.
func fromUTF16(name string, src []byte) ([]byte, error) {
	var hi, lo int // the offsets of a code unit's high and low bytes
	switch {
	case bytes.HasPrefix(src, []byte{0xff, 0xfe}):
		hi, lo = 1, 0
	case bytes.HasPrefix(src, []byte{0xfe, 0xff}):
		hi, lo = 0, 1
	default:
		return src, nil
	}
	src = src[2:]
	out := make([]byte, 0, len(src)/2*3/2)
	line := 1
	for i := 0; i+1 < len(src); i += 2 {
		r := rune(src[i+hi])<<8 | rune(src[i+lo])
		if utf16.IsSurrogate(r) {
			var r2 rune
			if i+3 < len(src) {
				r2 = rune(src[i+2+hi])<<8 | rune(src[i+2+lo])
			}
			if r = utf16.DecodeRune(r, r2); r == utf8.RuneError {
				return nil, &Error{File: name, Line: line, Msg: "invalid UTF-16 (an unpaired surrogate)"}
			}
			i += 2
		}
		if r == '\n' || r == '\r' && !(i+3 < len(src) && src[i+2+hi] == 0 && src[i+2+lo] == '\n') {
			line++
		}
		out = utf8.AppendRune(out, r)
	}
	if len(src)%2 != 0 {
		return nil, &Error{File: name, Line: line, Msg: "UTF-16 cut short (an odd number of bytes)"}
	}
	return out, nil
}

// check rejects binary input and invalid UTF-8, naming UTF-16 without a
// byte order mark as such.
func check(name string, src []byte) error {
	if i := bytes.IndexByte(src, 0); i >= 0 {
		if order := utf16Order(src); order != "" {
			endian := map[string]string{"LE": "little-endian", "BE": "big-endian"}[order]
			return &Error{File: name, Msg: "UTF-16 (" + endian + ") without a byte order mark, not UTF-8: convert it with iconv -f UTF-16" + order + " -t UTF-8"}
		}
		return &Error{File: name, Line: 1 + bytes.Count(src[:i], []byte("\n")), Msg: "binary data (a NUL byte), not notes"}
	}
	if utf8.Valid(src) {
		return nil
	}
	for i := 0; i < len(src); {
		r, n := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && n == 1 {
			return &Error{File: name, Line: 1 + bytes.Count(src[:i], []byte("\n")), Msg: "invalid UTF-8"}
		}
		i += n
	}
	return nil
}

// utf16Order tells whether src reads as UTF-16 text, little-endian
// ("LE") or big-endian ("BE"), or not (""): the NUL bytes of its first
// 4 KB are many (four or more, and an eighth of its code units or more,
// as the high bytes of ASCII make them, even in CJK text) and nearly all
// on the same side of their unit.
func utf16Order(src []byte) string {
	n := min(len(src), 4096) &^ 1
	var even, odd int
	for i := 0; i < n; i += 2 {
		if src[i] == 0 {
			even++
		}
		if src[i+1] == 0 {
			odd++
		}
	}
	units := n / 2
	switch {
	case max(even, odd) < 4:
		return "" // a stray NUL or two in a few bytes
	case odd*8 >= units && even*10 <= odd:
		return "LE"
	case even*8 >= units && odd*10 <= even:
		return "BE"
	}
	return ""
}

// stripControls returns src without terminal escape sequences and other
// control characters, so that none reaches a card, a deck name, a tag or
// a breadcrumb, and from there a terminal, a JSON stream or an Anki deck:
// an escape sequence (ESC and what follows it: "\x1b[31m",
// "\x1b]0;title\x07") goes whole, up to the end of its line at most; any
// other C0 control but tab, line feed and carriage return, DEL and the C1
// controls (U+0080 to U+009F, which UTF-8 notes have no use for) go
// alone. Line ends
// are kept, so lines are counted as in the file; src must be valid UTF-8,
// and is copied only when it holds a control.
func stripControls(src []byte) []byte {
	i := firstControl(src)
	if i < 0 {
		return src
	}
	out := make([]byte, i, len(src))
	copy(out, src[:i])
	for i < len(src) {
		n := controlLen(src[i:])
		if n == 0 {
			j := firstControl(src[i:])
			if j < 0 {
				j = len(src) - i
			}
			out = append(out, src[i:i+j]...)
			i += j
			continue
		}
		i += n
	}
	return out
}

// cleanText is stripControls for a string that is one line: a deck name,
// a title or a tag from front matter, where YAML escapes ("\e", "\x1b")
// can spell controls. Tabs and line ends become spaces.
func cleanText(s string) string {
	b := stripControls([]byte(s))
	if bytes.ContainsAny(b, "\t\n\r") {
		b = bytes.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' {
				return ' '
			}
			return r
		}, b)
	}
	return string(b)
}

// firstControl returns the offset of the first control stripControls
// strips in b, or -1.
func firstControl(b []byte) int {
	for i, c := range b {
		switch {
		case c < 0x20 && c != '\t' && c != '\n' && c != '\r', c == 0x7f:
			return i
		case c == 0xc2 && i+1 < len(b) && b[i+1] >= 0x80 && b[i+1] <= 0x9f:
			return i
		}
	}
	return -1
}

// controlLen returns the length of the control or escape sequence b
// starts with, or 0.
func controlLen(b []byte) int {
	c := b[0]
	switch {
	case c == 0x1b:
		if len(b) == 1 {
			return 1
		}
		switch d := b[1]; {
		case d == '[':
			return 2 + csiLen(b[2:])
		case d == ']' || d == 'P' || d == 'X' || d == '^' || d == '_':
			return 2 + stringLen(b[2:])
		case d >= 0x20 && d <= 0x2f: // intermediates, then a final byte
			n := 2
			for n < len(b) && b[n] >= 0x20 && b[n] <= 0x2f {
				n++
			}
			if n < len(b) && b[n] >= 0x30 && b[n] <= 0x7e {
				n++
			}
			return n
		case d >= 0x30 && d <= 0x7e:
			return 2
		}
		return 1
	case c < 0x20 && c != '\t' && c != '\n' && c != '\r', c == 0x7f:
		return 1
	case c == 0xc2 && len(b) > 1 && b[1] >= 0x80 && b[1] <= 0x9f:
		return 2
	}
	return 0
}

// csiLen returns the length of the parameters, intermediates and final
// byte of a control sequence that b follows the introducer of.
func csiLen(b []byte) int {
	n := 0
	for n < len(b) && b[n] >= 0x20 && b[n] <= 0x3f {
		n++
	}
	if n < len(b) && b[n] >= 0x40 && b[n] <= 0x7e {
		n++
	}
	return n
}

// stringLen returns the length of the body and terminator of a control
// string (OSC and the like) that b follows the introducer of: up to BEL,
// ESC \ or ST (U+009C), or the end of the line.
func stringLen(b []byte) int {
	for n := 0; n < len(b); n++ {
		switch {
		case b[n] == '\n' || b[n] == '\r':
			return n
		case b[n] == 0x07:
			return n + 1
		case b[n] == 0x1b:
			if n+1 < len(b) && b[n+1] == '\\' {
				return n + 2
			}
			return n
		case b[n] == 0xc2 && n+1 < len(b) && b[n+1] == 0x9c: // ST
			return n + 2
		}
	}
	return len(b)
}
