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
