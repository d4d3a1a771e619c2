package notes

import (
	"cmp"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/recall-cli/recall/internal/card"
)

// utf16Bytes encodes s as UTF-16, little- or big-endian, after bom.
func utf16Bytes(s string, bigEndian bool, bom string) []byte {
	b := []byte(bom)
	for _, u := range utf16.Encode([]rune(s)) {
		if bigEndian {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	return b
}

// TestUTF16 checks that UTF-16 notes with a byte order mark give the
// cards their UTF-8 text gives, on the same lines, and that UTF-16
// without one is named as such, with the way to convert it.
func TestUTF16(t *testing.T) {
	t.Parallel()
	notes := []struct{ name, src string }{
		{"n.md", "---\ndeck: Wide\n---\n# Title\n\nQ :: A\n\nColours:\n\n- red\n- green\n- blue 🟦\n"},
		{"n.md", "# Crlf\r\n\r\nL:\r\n\r\n- a\r\n- b\r\n- c\r\n"},
		{"n.txt", "Raw notes\n\nTools * hammer * saw * ćwiek\n\nWhy?\n?\nBecause.\n"},
	}
	for _, n := range notes {
		want, err := Parse(n.name, []byte(n.src), Options{})
		if err != nil || len(want.Cards) == 0 {
			t.Fatalf("Parse(%q) = %d cards, error %v", n.src, len(want.Cards), err)
		}
		for _, enc := range []struct {
			name string
			src  []byte
		}{
			{"UTF-16LE", utf16Bytes(n.src, false, "\xff\xfe")},
			{"UTF-16BE", utf16Bytes(n.src, true, "\xfe\xff")},
		} {
			got, err := Parse(n.name, enc.src, Options{})
			if err != nil {
				t.Errorf("Parse(%s %q) error: %v", enc.name, n.src, err)
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Parse(%s %q) = %v, want the cards of its UTF-8, %v", enc.name, n.src, sidesOf(got.Cards), sidesOf(want.Cards))
			}
		}
	}

	bad := []struct {
		src  []byte
		line int
		msg  string
	}{
		{utf16Bytes("Q :: A\nL:\n\n- a\n- b\n", false, ""), 0,
			"UTF-16 (little-endian) without a byte order mark, not UTF-8: convert it with iconv -f UTF-16LE -t UTF-8"},
		{utf16Bytes("Q :: A\nL:\n\n- a\n- b\n", true, ""), 0,
			"UTF-16 (big-endian) without a byte order mark, not UTF-8: convert it with iconv -f UTF-16BE -t UTF-8"},
		{utf16Bytes("日本語のノート\n東京 :: 首都\n", false, ""), 0, "UTF-16 (little-endian)"},
		{append(utf16Bytes("Q :: A\nx\n", false, "\xff\xfe"), 'x'), 3, "UTF-16 cut short (an odd number of bytes)"},
		{append(append(utf16Bytes("Q :: A\nbad ", false, "\xff\xfe"), 0x00, 0xd8), utf16Bytes(" here\n", false, "")...), 2, "invalid UTF-16 (an unpaired surrogate)"},
		{append(utf16Bytes("Q :: A\n\nbad ", true, "\xfe\xff"), 0xdc, 0x00), 3, "invalid UTF-16 (an unpaired surrogate)"},
		{utf16Bytes("Q :: A\nnul \x00 here\n", true, "\xfe\xff"), 2, "binary data (a NUL byte), not notes"},
		{[]byte("Q :: A\n\x00\x01\x02\x03\x00\x00\x00\x07 an image\n"), 2, "binary data (a NUL byte), not notes"},
		{[]byte("PNG\x00\x01\x02"), 1, "binary data (a NUL byte), not notes"},
		{utf16Bytes("Hi\n", false, ""), 1, "binary data (a NUL byte), not notes"},
		{utf16Bytes("Q :: A\n", false, ""), 0, "UTF-16 (little-endian)"},
	}
	for _, tt := range bad {
		_, err := Parse("w.md", tt.src, Options{})
		var e *Error
		if !errors.As(err, &e) || e.File != "w.md" || e.Line != tt.line || !strings.HasPrefix(e.Msg, tt.msg) {
			t.Errorf("Parse(% x) error = %v, want w.md line %d: %s", tt.src, err, tt.line, tt.msg)
			continue
		}
		if strings.Contains(err.Error(), "\n") || !errors.Is(err, card.ErrInvalid) {
			t.Errorf("Parse(% x) error %q: want one line matching card.ErrInvalid", tt.src, err)
		}
	}
}

// TestLineEnds checks that notes with CRLF (Windows) or lone CR (classic
// Mac OS) line ends, or a mix, give the cards their LF text gives, on
// the same lines.
func TestLineEnds(t *testing.T) {
	t.Parallel()
	notes := []struct{ name, src string }{
		{"n.md", "---\ndeck: Ends\ntags: [a]\n---\n# Title\n\nQ :: A\n\nColours:\n\n- red\n- green\n- blue\n\nWhy?\n?\nBecause.\n"},
		{"n.txt", "Raw notes\n\nTools * hammer * saw * chisel\n\nSection\n\n  o first point\n  o second point\n\nTerm: what it means\n"},
		{"n.org", "#+TITLE: Org\n* Heading\n- a\n- b\n- c\n"},
	}
	for _, n := range notes {
		want, err := Parse(n.name, []byte(n.src), Options{})
		if err != nil || len(want.Cards) < 3 {
			t.Fatalf("Parse(%q) = %d cards, error %v", n.src, len(want.Cards), err)
		}
		for _, ends := range []struct{ name, src string }{
			{"CRLF", strings.ReplaceAll(n.src, "\n", "\r\n")},
			{"CR", strings.ReplaceAll(n.src, "\n", "\r")},
			{"mixed", mixEnds(n.src)},
		} {
			got, err := Parse(n.name, []byte(ends.src), Options{})
			if err != nil {
				t.Errorf("Parse(%s %q) error: %v", ends.name, ends.src, err)
				continue
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Parse(%s %q) = %v, want the cards of its LF text, %v", ends.name, ends.src, sidesOf(got.Cards), sidesOf(want.Cards))
			}
		}
	}
	// Errors name the line as a person counts it.
	for _, tt := range []struct {
		src  []byte
		line int
	}{
		{[]byte("Q :: A\r\rbad \xff\r"), 3},
		{[]byte("---\rtitle: t\rdeck: [unclosed\r---\rQ :: A\r"), 3},
		{append(utf16Bytes("Q :: A\r\rbad ", false, "\xff\xfe"), 0x00, 0xdc), 3},
		{append(utf16Bytes("Q :: A\r\n\rbad ", true, "\xfe\xff"), 0xdc, 0x00), 3},
	} {
		_, err := Parse("w.md", tt.src, Options{})
		var e *Error
		if !errors.As(err, &e) || e.Line != tt.line {
			t.Errorf("Parse(% x) error = %v, want one on line %d", tt.src, err, tt.line)
		}
	}
}

// mixEnds ends the lines of s with LF, CR and CRLF in turn (never CR
// before LF, which would be one CRLF).
func mixEnds(s string) string {
	var b strings.Builder
	for i, l := range strings.SplitAfter(s, "\n") {
		if strings.HasSuffix(l, "\n") {
			l = strings.TrimSuffix(l, "\n") + []string{"\n", "\r", "\r\n"}[i%3]
		}
		b.WriteString(l)
	}
	return b.String()
}

// TestControls checks that no escape sequence or other control
// character of the notes (C0 but tab and line feed, DEL, C1) reaches a
// card's fields, the deck name, the tags, the breadcrumbs or lint's
// findings, whether it is in the text, in front matter (raw or as a YAML
// escape), in the file name (the deck it names; Source.File and anchors
// keep the path as given, to open it) or in Options.Deck; that the text
// around it is kept; and that lines are counted as before.
func TestControls(t *testing.T) {
	t.Parallel()
	const osc, red = "\x1b]0;pwned\x07", "\x1b[31mred\x1b[0m"
	notes := []struct{ name, src, deck string }{
		{"n.md", "---\ndeck: \"Deck " + osc + red + "\"\ntags: [\"t" + red + "\", 'u\x7fv', \"w\\e[1mx\"]\n---\n" +
			"# Title " + osc + " " + red + "\n\n## Section " + red + " #tag" + red + "\n\n" +
			"Colours " + osc + ":\n\n- " + red + " item\n- gr\u009ben\x01\x02\x1b\n- blue\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\\n\n" +
			"Q " + red + " :: A " + osc + "\n\nThe ==" + red + "== one\x7f.\n", "Deck red"},
		{"n.md", "---\ntitle: \"T\\e]0;pwned\\a \\e[31mred\\e[0m\\x9b\"\n---\n# H\n\n- a" + red + "\n- b\n- c\n", "T red"},
		{"n.txt", "Raw " + red + "\n\nTools" + osc + " * hammer" + red + " * saw * chisel\n\nTerm\x1b[1m: what it " + red + " means\n", "Raw red"},
		{"n.org", "#+TITLE: Org " + red + "\n* Heading " + osc + "\n- a " + red + "\n- b\n- c\n", "Org red"},
		{"dir/f\x1b[31mile\x07.md", "Q :: A\n", "file"},
		{"t.md", "# Tab\ttitle\x1b[0m\n\nQ :: A red\n", "Tab title"},
		{"t.txt", "Raw\ttitle\n\nQ :: A red\n", "Raw title"},
	}
	clean := func(s string, text bool) bool {
		for _, r := range s {
			if r < 0x20 && !(text && (r == '\n' || r == '\t')) || r >= 0x7f && r <= 0x9f {
				return false
			}
		}
		return true
	}
	for _, n := range notes {
		for _, opts := range []Options{{Lint: true}, {Deck: "Given " + red + "\t" + osc}} {
			f, err := Parse(n.name, []byte(n.src), opts)
			if err != nil {
				t.Errorf("Parse(%q) error: %v", n.src, err)
				continue
			}
			if want := cmp.Or(map[bool]string{true: "Given red"}[opts.Deck != ""], n.deck); f.Deck != want {
				t.Errorf("Parse(%q, %+v) deck = %q, want %q", n.src, opts, f.Deck, want)
			}
			checkInvariants(t, n.name, []byte(n.src), f)
			bad := func(what, s string, text bool) {
				if !clean(s, text) {
					t.Errorf("Parse(%q): %s %q holds a control", n.src, what, s)
				}
			}
			for _, tag := range f.Tags {
				bad("file tag", tag, false)
			}
			for _, c := range f.Cards {
				bad("deck", c.Deck, false)
				bad("front", c.Front, true)
				bad("back", c.Back, true)
				bad("text", c.Text, true)
				bad("key", c.Key, false)
				bad("anchor", strings.TrimPrefix(c.Anchor, n.name), false) // the path is as given
				for _, e := range c.Context {
					bad("breadcrumb", strings.ReplaceAll(e, "\t", " "), false) // a heading's tab is a tab
				}
				for _, tag := range c.Tags {
					bad("tag", tag, false)
				}
			}
			for _, x := range f.Findings {
				bad("finding", x.String(), false)
			}
			if len(f.Cards) == 0 || !strings.Contains(fmt.Sprint(sidesOf(f.Cards)), "red") && n.name != "dir/f\x1b[31mile\x07.md" {
				t.Errorf("Parse(%q) = %v, want cards showing the text around the controls", n.src, sidesOf(f.Cards))
			}
		}
	}
}
