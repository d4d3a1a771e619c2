package notes

import "testing"

// TestTextScan checks the walk the readers of markers share: it gives the
// bytes outside escapes, code spans and math, goes on where the loop says,
// and what it steps over (from) and gives make up the whole text.
func TestTextScan(t *testing.T) {
	tests := []struct {
		in, read string
	}{
		{"", ""},
		{"plain :: text", "plain :: text"},
		{`a \:: b`, "a : b"},                    // the first ':' is escaped
		{`a \q`, `a \q`},                        // no escape before a letter
		{"a `b :: c` d", "a  d"},                // a code span
		{"a ``b ` c`` d", "a  d"},               // its ticks counted
		{"a `open :: x", "a open :: x"},         // an opener that never closes is only stepped over
		{"$x :: y$ z", " z"},                    // math
		{"$5 and $10 :: y", "5 and 10 :: y"},    // prices, not math: each $ is only stepped over
		{"a $$x$$b", "a b"},                     // display math
		{"$$ open", " open"},                    // unclosed: the $$ only
		{"`a` `b`", " "},                        // two spans in a row
		{"\\`a`", "a"},                          // an escaped tick opens nothing
		{"x{{c1::`y`}}", "x{{c1::}}"},           // code inside a cloze
		{"end with code `c`", "end with code "}, // nothing read after the last span
	}
	for _, tt := range tests {
		b := []byte(tt.in)
		sc := textScan{protector: protector{b: b}}
		var read, whole []byte
		for i := range sc.positions() {
			whole = append(whole, b[sc.from:i]...)
			whole = append(whole, b[i])
			read = append(read, b[i])
		}
		whole = append(whole, b[sc.from:]...)
		if string(read) != tt.read {
			t.Errorf("positions(%q) read %q, want %q", tt.in, read, tt.read)
		}
		if string(whole) != tt.in {
			t.Errorf("positions(%q) and what it stepped over make %q, want the text", tt.in, whole)
		}
	}

	// A loop that moves next on skips what it read; one that stops ends
	// the walk.
	b := []byte("ab::cd `e::` f::g")
	sc := textScan{protector: protector{b: b}}
	var read []byte
	for i := range sc.positions() {
		if b[i] == ':' {
			sc.next = i + 2
			read = append(read, '|')
			continue
		}
		if b[i] == 'f' {
			break
		}
		read = append(read, b[i])
	}
	if want := "ab|cd  "; string(read) != want {
		t.Errorf("walk with jumps read %q, want %q", read, want)
	}
}
