package notes

import (
	"slices"
	"testing"
)

// TestTextScan checks the walk the readers of markers share: it gives the
// bytes of its marks outside escapes, code spans and math, goes on where
// the loop says, and what it steps over (from) and gives make up the
// whole text.
func TestTextScan(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, marks, read string
	}{
		{"", ":", ""},
		{"plain :: text", ":", "::"},
		{"plain :: text", ": ", " :: "},
		{`a \:: b`, ":", ":"},             // the first ':' is escaped
		{`a \q: b`, `:\`, `\:`},           // no escape before a letter: the '\' is a byte like any other
		{"a `b :: c` d :: e", ":", "::"},  // a code span
		{"a ``b ` c`` d :", ":", ":"},     // its ticks counted
		{"a `open :: x", ":", "::"},       // an opener that never closes is only stepped over
		{"$x :: y$ z", ":", ""},           // math
		{"$5 and $10 :: y", ":$", "::"},   // prices, not math: each $ is stepped over
		{"a $$x:$$b:", ":", ":"},          // display math
		{"$$ open :", ":", ":"},           // unclosed: the $$ only
		{"\\`a:`", ":", ":"},              // an escaped tick opens nothing
		{"x{{c1::`y`}}", "{:", "{{::"},    // code inside a cloze
		{"end with code `:`", ":", ""},    // nothing given after the last span
		{"[a](b) #t (??)", "[(#", "[(#("}, // the marks of clean
		{"no marks at all", "#", ""},
	}
	for _, tt := range tests {
		b := []byte(tt.in)
		sc := newTextScan(b, tt.marks)
		var read, whole []byte
		for i := range sc.positions() {
			whole = append(whole, b[sc.from:i]...)
			whole = append(whole, b[i])
			read = append(read, b[i])
		}
		whole = append(whole, b[sc.from:]...)
		if string(read) != tt.read {
			t.Errorf("positions(%q, %q) gave %q, want %q", tt.in, tt.marks, read, tt.read)
		}
		if string(whole) != tt.in {
			t.Errorf("positions(%q, %q) and what it stepped over make %q, want the text", tt.in, tt.marks, whole)
		}
	}

	// A loop that moves next on skips what it read; one that breaks ends
	// the walk.
	b := []byte("ab::cd `e::` f::g")
	sc := newTextScan(b, ":f")
	var at []int
	for i := range sc.positions() {
		at = append(at, i)
		if b[i] == 'f' {
			break
		}
		sc.next = i + 2 // past "::"
	}
	if want := []int{2, 13}; !slices.Equal(at, want) {
		t.Errorf("walk with jumps gave %v, want %v", at, want)
	}
}
