package card

import "testing"

func TestPrintable(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ in, want string }{
		{"plain text, ünïcode and 漢字", "plain text, ünïcode and 漢字"},
		{"tab\tand\nnewline stay", "tab\tand\nnewline stay"},
		{"\x1b[31mred\x1b[0m", "[31mred[0m"},
		{"\x1b]0;pwned\x07title", "]0;pwnedtitle"},
		{"\x1b]52;c;ZXZpbA==\x1b\\clipboard", "]52;c;ZXZpbA==\\clipboard"},
		{"over\rwrite", "overwrite"},
		{"del\x7f and C1 \u009b31m CSI", "del and C1 31m CSI"},
		{"\x00nul", "nul"},
	} {
		if got := Printable(tt.in); got != tt.want {
			t.Errorf("Printable(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	c := Card{ID: "x\x1b", Deck: "D\x1b", Front: "\x1bF", Back: "B\x07", Context: []string{"C\x1b"}, Tags: []string{"t\u009b"}}
	got := c.Printable()
	if got.Front != "F" || got.Back != "B" || got.Context[0] != "C" || got.Tags[0] != "t" {
		t.Errorf("Card.Printable() = %+v", got)
	}
	if got.ID != c.ID || got.Deck != c.Deck {
		t.Errorf("Card.Printable() changed the identity: %+v", got)
	}
	if c.Context[0] != "C\x1b" {
		t.Error("Card.Printable() changed the card it was given")
	}
}
