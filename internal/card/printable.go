package card

import "strings"

// Printable returns s without what a terminal would act on rather than
// show: C0 control characters but tab and newline (ESC, which starts the
// sequences that move the cursor, retitle the window or write to the
// clipboard; BEL; carriage return, which overwrites a line), DEL, and the
// C1 controls U+0080–U+009F (CSI and OSC among them). Text from notes
// passes through it before it reaches a screen.
func Printable(s string) string {
	if strings.IndexFunc(s, unprintable) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unprintable(r) {
			return -1
		}
		return r
	}, s)
}

func unprintable(r rune) bool {
	switch {
	case r == '\t' || r == '\n':
		return false
	case r < 0x20, r == 0x7f:
		return true
	case r >= 0x80 && r <= 0x9f:
		return true
	}
	return false
}

// Printable returns the card with the text it shows (front, back, context
// and tags) made printable. Its identity and deck are left alone: decks are
// matched by name, so their names are made printable where they are shown.
func (c Card) Printable() Card {
	c.Front = Printable(c.Front)
	c.Back = Printable(c.Back)
	if c.Context != nil {
		ctx := make([]string, len(c.Context))
		for i, s := range c.Context {
			ctx[i] = Printable(s)
		}
		c.Context = ctx
	}
	if c.Tags != nil {
		tags := make([]string, len(c.Tags))
		for i, s := range c.Tags {
			tags[i] = Printable(s)
		}
		c.Tags = tags
	}
	return c
}
