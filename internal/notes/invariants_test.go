package notes

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/recall-cli/recall/internal/card"
)

// checkInvariants checks what must hold of every parse: no empty side, no
// two cards with the same sides, unique deterministic ids and keys, a
// breadcrumb that starts with the deck and never gives the answer away,
// cloze text for clozes only, an anchor that reads back as it is spelt
// and names the file, and a source line that holds the card.
func checkInvariants(t *testing.T, name string, src []byte, f File) {
	t.Helper()
	if text, err := fromUTF16(name, src); err == nil {
		src = text // lines are counted in the text
	}
	src = lineEnds(src)
	if utf8.Valid(src) {
		src = stripControls(src) // as Parse reads it
	}
	lines := bytes.Split(src, []byte("\n"))
	seen := map[[2]string]bool{}
	ids := map[string]bool{}
	keys := map[string]bool{}
	groups := map[string]bool{}
	for i, c := range f.Cards {
		where := func() string { return name + ": card " + c.ID + " " + qa{c.Kind, c.Front, c.Back}.String() }
		if strings.TrimSpace(c.Front) == "" || strings.TrimSpace(c.Back) == "" {
			t.Errorf("%s: empty side", where())
		}
		if s := [2]string{c.Front, c.Back}; seen[s] {
			t.Errorf("%s: repeats an earlier card", where())
		} else {
			seen[s] = true
		}
		if !c.Kind.Valid() {
			t.Errorf("%s: kind %q", where(), c.Kind)
		}
		if c.ID != card.NewID(f.Deck, c.Key) {
			t.Errorf("%s: ID %s, want card.NewID(%q, %q) = %s", where(), c.ID, f.Deck, c.Key, card.NewID(f.Deck, c.Key))
		}
		if ids[c.ID] || keys[c.Key] {
			t.Errorf("%s: id %s or key %q is not unique", where(), c.ID, c.Key)
		}
		ids[c.ID], keys[c.Key] = true, true
		if c.Deck != f.Deck {
			t.Errorf("%s: deck %q, want %q", where(), c.Deck, f.Deck)
		}
		if c.Group == "" || c.Anchor == "" || c.Tags == nil || c.Context == nil {
			t.Errorf("%s: group %q anchor %q tags %v context %v", where(), c.Group, c.Anchor, c.Tags, c.Context)
		}
		if a, err := parseAnchor(c.Anchor); err != nil || a.String() != c.Anchor || a.file != name {
			t.Errorf("%s: anchor %q does not read back (%v, %q, file %q)", where(), c.Anchor, err, a.String(), a.file)
		}
		if c.Group == c.ID {
			groups[c.ID] = true
		} else if !groups[c.Group] {
			t.Errorf("%s: group %s is not the id of an earlier card", where(), c.Group)
		}
		if c.Source.File != name {
			t.Errorf("%s: Source.File %q, want %q", where(), c.Source.File, name)
		}
		if (c.Kind == card.Cloze) != (c.Text != "") || c.Kind == card.Cloze && !strings.Contains(c.Text, "{{c1::") {
			t.Errorf("%s: Text %q", where(), c.Text)
		}
		if c.Kind == card.Cloze && !strings.Contains(c.Front, card.Gap) && !strings.Contains(c.Front, "[") {
			t.Errorf("%s: a cloze front without a gap", where())
		}
		// What cards are worth studying (issue 8): a link is never an
		// answer; a list's cloze hides at most about 15 words; a list
		// card asks for at most eight items.
		if c.Kind == card.Basic && derived(c) && linkOnly(c.Back) {
			t.Errorf("%s: a link as the answer", where())
		}
		if c.Kind == card.Cloze && !strings.HasPrefix(c.Key, "cloze:|") && hideWords(c.Back) > maxHideWords {
			t.Errorf("%s: a list cloze hides %d words", where(), hideWords(c.Back))
		}
		if c.Kind == card.List {
			if _, _, ok := listLabel(c.Front); ok {
				n := 0
				count := c.Front[strings.LastIndex(c.Front, "name the ")+len("name the "):]
				fmt.Sscanf(strings.TrimPrefix(count, "next "), "%d", &n)
				if n > maxPart || n < 2 {
					t.Errorf("%s: a list card of %d items", where(), n)
				}
			}
		}
		for _, e := range c.Context {
			for _, a := range answers(c) {
				if leaks(card.Normalize(e), card.Normalize(a)) {
					t.Errorf("%s: breadcrumb %q gives away %q", where(), c.Context, a)
				}
			}
		}
		if c.Source.Line < 1 || c.Source.Line > len(lines) {
			t.Errorf("%s: line %d outside 1..%d", where(), c.Source.Line, len(lines))
			continue
		}
		// The card's text starts on its line, or (a first line with no
		// word) in the lines of the block that follow it.
		// Notes-to-self and tags are cut from card text, and may have
		// split or joined its words.
		ps := probes(c)
		holds := func(s string) bool {
			for _, p := range ps {
				if strings.Contains(s, p) {
					return true
				}
			}
			return false
		}
		ok := false
		var joined []byte // the block's lines run together: a note to self may span them
		for j := c.Source.Line - 1; !ok && j < len(lines) && (j == c.Source.Line-1 || len(bytes.TrimSpace(lines[j])) > 0); j++ {
			cleaned, _ := (&cleaner{}).clean(lines[j])
			ok = holds(plain(string(lines[j]))) || holds(plain(cleaned))
			joined = append(joined, bytes.TrimSpace(lines[j])...)
		}
		if !ok {
			cleaned, _ := (&cleaner{}).clean(joined)
			ok = holds(plain(cleaned))
		}
		if !ok {
			t.Errorf("%s: line %d %q holds none of %q", where(), c.Source.Line, lines[c.Source.Line-1], probes(c))
		}
		_ = i
	}
}

// derived reports whether recall chose a basic card's answer (a
// definition, or the one item under a label) rather than its writer ("Q
// :: A").
func derived(c card.Card) bool {
	a, _ := parseAnchor(c.Anchor)
	// A definition, or a card of a list itself rather than of one of its
	// items.
	return a.suffix.kind == suffixDef || a.site.kind == siteList && len(a.steps)%2 == 0
}

// answers are what a card asks for.
func answers(c card.Card) []string {
	switch c.Kind {
	case card.List:
		var out []string
		for _, l := range strings.Split(c.Back, "\n") {
			if strings.HasPrefix(l, " ") {
				continue // a line under a header item
			}
			_, item, _ := strings.Cut(l, " ")
			out = append(out, item)
		}
		return out
	case card.Cloze:
		// The deletions are in Text, marked {{c1::deletion::hint}}.
		var out []string
		for rest := c.Text; ; {
			_, after, ok := strings.Cut(rest, "{{c1::")
			if !ok {
				return out
			}
			del, next, _ := strings.Cut(after, "}}")
			del, _, _ = strings.Cut(del, "::")
			out = append(out, strings.NewReplacer("&#58;", ":", "&#125;", "}", "&#123;", "{").Replace(del))
			rest = next
		}
	}
	return []string{c.Back}
}

// probes are words one of which the card's source line must hold: the
// first word of the first item (lists), of the deleted text (clozes), or
// of either side (basic and reverse cards: a question, a term, or the one
// item under a label).
func probes(c card.Card) []string {
	switch c.Kind {
	case card.List:
		// Its line is its first member's; links shown before it are not
		// members.
		var out []string
		for _, a := range answers(c) {
			out = append(out, firstWord(plain(a)))
		}
		if len(out) > 0 {
			return out
		}
	case card.Cloze:
		if a := answers(c); len(a) > 0 {
			return []string{firstWord(plain(a[0]))}
		}
	}
	return []string{firstWord(plain(c.Front)), firstWord(plain(c.Back))}
}

// plain drops markdown escapes and emphasis so that a card's text and
// its source line compare.
func plain(s string) string { return plainer.Replace(s) }

var plainer = strings.NewReplacer("\\", "", "*", "", "_", "", "`", "")

func firstWord(s string) string {
	s = strings.TrimLeftFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	end := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	if end >= 0 {
		s = s[:end]
	}
	return s
}

// TestInvariantsOnTestdata runs the invariants over every input.
func TestInvariantsOnTestdata(t *testing.T) {
	t.Parallel()
	for name, src := range inputs(t) {
		f, err := Parse(name, src, Options{})
		if err != nil {
			t.Errorf("Parse(%s) error: %v", name, err)
			continue
		}
		checkInvariants(t, name, src, f)
	}
}
