package notes

import (
	"slices"
	"strconv"
	"strings"

	"github.com/recall-cli/recall/internal/card"
)

// This file rebuilds, for Format, the text of a paragraph of clozes from
// its cloze cards, marked so that Parse makes the same cards of it again.

// clozeSpan is a deletion of a cloze text: where it is in the text
// without markup, its hint and the number of its card.
type clozeSpan struct {
	start, end int
	hint       string
	num        int
}

// clozeUnit rebuilds the text of a cloze group from its cards' Text, each
// card's deletions marked {{cN::…}} again (numbered in the cards' order),
// or ==…== when that is the only way to write them. ok is false when the
// cards disagree on the text or no markup gives the cards back.
func clozeUnit(group []*card.Card) (string, bool) { return clozeUnitFrom(group, 0) }

// clozeUnitFrom is clozeUnit with the numbers of {{cN::…}} counted from
// base+1.
func clozeUnitFrom(group []*card.Card, base int) (string, bool) {
	var full string
	var spans []clozeSpan
	for n, c := range group {
		var b strings.Builder
		rest := c.Text
		for {
			i := strings.Index(rest, "{{c1::")
			if i < 0 {
				b.WriteString(unescapeText(rest))
				break
			}
			b.WriteString(unescapeText(rest[:i]))
			rest = rest[i+len("{{c1::"):]
			j := strings.Index(rest, "}}")
			if j < 0 {
				return "", false
			}
			del, hint, _ := strings.Cut(rest[:j], "::")
			del, hint = unescapeCloze(del), unescapeCloze(hint)
			spans = append(spans, clozeSpan{b.Len(), b.Len() + len(del), hint, n + 1})
			b.WriteString(del)
			rest = rest[j+2:]
		}
		if n == 0 {
			full = b.String()
		} else if b.String() != full {
			return "", false
		}
	}
	slices.SortFunc(spans, func(a, b clozeSpan) int { return a.start - b.start })
	for k := 1; k < len(spans); k++ {
		if spans[k].start < spans[k-1].end {
			return "", false
		}
	}
	// {{cN::…}} cannot hold "::" or "}}"; ==…== holds no hint and is
	// numbered after the {{cN}} of its text.
	writable := func(s clozeSpan) bool {
		d := full[s.start:s.end]
		return !strings.Contains(d, "::") && !strings.Contains(d, "}}") && !strings.Contains(s.hint, "}}")
	}
	mark := func(mode int) string {
		var b strings.Builder
		at := 0
		for _, s := range spans {
			b.WriteString(full[at:s.start])
			if mode == 1 || mode == 2 && !writable(s) {
				b.WriteString("==" + full[s.start:s.end] + "==")
			} else {
				b.WriteString("{{c" + strconv.Itoa(base+s.num) + "::" + full[s.start:s.end])
				if s.hint != "" {
					b.WriteString("::" + s.hint)
				}
				b.WriteString("}}")
			}
			at = s.end
		}
		b.WriteString(full[at:])
		return b.String()
	}
	want := clozeShape{full, spans}
	for mode := range 3 { // {{cN::…}}, ==…==, both
		if u := mark(mode); shapeOf(u).equal(want) {
			return u, true
		}
	}
	return "", false
}

// clozeGroups splits cloze cards into the groups Parse made them in, in
// order: a text Parse cut in pieces (see clozePieces) has a group a piece.
func clozeGroups(cards []*card.Card) [][]*card.Card {
	var out [][]*card.Card
	for i, c := range cards {
		if i == 0 || c.Group != cards[i-1].Group {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], c)
	}
	return out
}

// piecesUnit rebuilds a cloze text that Parse cut in pieces from the
// cards of each piece: the pieces' texts, joined by spaces, if Parse cuts
// that into the same pieces again.
func piecesUnit(cards []*card.Card) (string, bool) {
	groups := clozeGroups(cards)
	if len(groups) < 2 {
		return "", false
	}
	units := make([]string, len(groups))
	base := 0
	for i, g := range groups {
		u, ok := clozeUnitFrom(g, base)
		if !ok {
			return "", false
		}
		units[i] = u
		base += len(g)
	}
	joined := strings.Join(units, " ")
	pieces := clozePieces(parseClozes([]byte(joined)), len(joined))
	if len(pieces) != len(units) {
		return "", false
	}
	for i, pc := range pieces {
		if pc.tooBig || !partsShape(pc.parts).equal(shapeOf(units[i])) {
			return "", false
		}
	}
	return joined, true
}

// relines breaks a label, a paragraph's lines joined by spaces, into
// lines again where the paragraph's cloze text u has them, if the label
// then makes the cards u makes.
func relines(label, u string) ([]string, bool) {
	want := shapeOf(u)
	if !shapeOf(label).equal(shapeOf(strings.ReplaceAll(u, "\n", " "))) {
		return nil, false
	}
	// Map each line break of u's text to its space in the label.
	b := []byte(label)
	plain := 0
	for _, p := range parseClozes(b) {
		if p.num <= 0 {
			for i := 0; i < len(p.text); i++ {
				if want.full[plain+i] == '\n' {
					if b[p.off+i] != ' ' {
						return nil, false
					}
					b[p.off+i] = '\n'
				}
			}
		}
		plain += len(p.text)
	}
	lines := strings.Split(string(b), "\n")
	if !shapeOf(string(b)).equal(want) {
		return nil, false
	}
	return lines, true
}

// clozeShape is what the cloze cards of a text depend on: the text
// without markup and its deletions.
type clozeShape struct {
	full  string
	spans []clozeSpan // by start
}

// shapeOf reads the clozes of a text as Parse does.
func shapeOf(s string) clozeShape { return partsShape(parseClozes([]byte(s))) }

// partsShape is the shape of a cloze text read into parts.
func partsShape(parts []clozePart) clozeShape {
	var sh clozeShape
	var b strings.Builder
	for _, p := range parts {
		if p.num > 0 {
			sh.spans = append(sh.spans, clozeSpan{b.Len(), b.Len() + len(p.text), p.hint, p.num})
		}
		b.WriteString(p.text)
	}
	sh.full = b.String()
	return sh
}

// equal reports whether two cloze texts make the same cards: the same
// text, and deletions that group the same way, in the same order.
func (a clozeShape) equal(b clozeShape) bool {
	if a.full != b.full || len(a.spans) != len(b.spans) {
		return false
	}
	rank := func(sh clozeShape) []int {
		nums := []int{}
		for _, s := range sh.spans {
			if !slices.Contains(nums, s.num) {
				nums = append(nums, s.num)
			}
		}
		slices.Sort(nums)
		out := make([]int, len(sh.spans))
		for i, s := range sh.spans {
			out[i] = slices.Index(nums, s.num)
		}
		return out
	}
	ra, rb := rank(a), rank(b)
	for i := range a.spans {
		x, y := a.spans[i], b.spans[i]
		if x.start != y.start || x.end != y.end || x.hint != y.hint || ra[i] != rb[i] {
			return false
		}
	}
	return true
}

func unescapeText(s string) string { return strings.ReplaceAll(s, "{&#123;", "{{") }

func unescapeCloze(s string) string {
	if t, ok := strings.CutSuffix(s, "&#125;"); ok && !strings.HasSuffix(t, "}") {
		s = t + "}" // a final '}' (see clozeEscape)
	}
	return strings.NewReplacer(":&#58;", "::", "}&#125;", "}}", "{&#123;", "{{").Replace(s)
}
