package notes

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark/ast"
)

// This file finds what a list is a list of: the paragraph or heading
// right above it, else the section's heading or the deck.

// label is what a list is a list of.
type label struct {
	text string
	norm string
	tags []string
	// direct is set for a real label: a heading or paragraph right
	// before the list, or a parent bullet. A list with only the section's
	// heading or the deck to go by makes no single-item card.
	direct bool
	// para is set for a paragraph, which the breadcrumb does not hold
	// yet: the cards made from the items show it.
	para bool
	// colon is set when the label ended in ':' (before it was trimmed).
	colon bool
	// from is where the label comes from (see promptLike).
	from promptKind
	// def is set when the label is a paragraph that defines its text:
	// the list under it elaborates the definition.
	def *paraDef
}

// labelFor finds what a list at the top of a section is a list of: the
// paragraph right before it (touching it, ending in ':' or a short line),
// else the heading right before it, else the section's heading, else the
// deck.
func (w *walker) labelFor(n ast.Node) label {
	prev := n.PreviousSibling()
	if prev != nil {
		switch prev.Kind() {
		case kindBlockText, ast.KindParagraph:
			if lab, ok := w.paraLabel(prev, !n.HasBlankPreviousLines()); ok {
				return lab
			}
		case ast.KindHeading:
			if prev == w.topNode && len(w.heads) > 0 {
				h := w.heads[len(w.heads)-1]
				text, norm := h.text, w.ctxNorm[len(w.ctxNorm)-1]
				if t := strings.TrimRight(text, ": "); t != text && t != "" {
					text, norm = t, normKey(t)
				}
				return label{text: text, norm: norm, direct: true, from: fromHeading, colon: text != h.text}
			}
		}
	}
	if len(w.heads) > 0 {
		h := w.heads[len(w.heads)-1]
		return label{text: h.text, norm: w.ctxNorm[len(w.ctxNorm)-1], from: fromHeading}
	}
	return label{text: w.deck, norm: w.normDeck, from: fromHeading}
}

// paraLabel reads the paragraph p before a list as its label. Of a
// paragraph of several lines, the label is its last sentence: in raw text
// its last line, in markdown the lines after the last one that ends a
// sentence. A paragraph that is metadata, only a link or a note to self
// labels nothing.
func (w *walker) paraLabel(p ast.Node, touching bool) (label, bool) {
	ls := p.Lines()
	n := ls.Len()
	from := 0
	for i := n - 1; i > 0; i-- {
		s := ls.At(i - 1)
		a, b := trimSpan(w.src, s.Start, s.Stop)
		if w.nz.raw && (b == a || w.src[b-1] != ':') || !w.nz.raw && b > a && strings.IndexByte(".?!", w.src[b-1]) >= 0 {
			// In raw text a line is a thought of its own, but labels
			// above the last chain into it ("LLMs:" "several parts:").
			from = i
			break
		}
	}
	b := w.buf[:0]
	for i := from; i < n; i++ {
		s := ls.At(i)
		if i > from {
			b = append(b, ' ')
		}
		b = append(b, bytes.TrimSpace(w.src[s.Start:s.Stop])...)
	}
	w.buf = b
	if len(b) == 0 || len(b) > maxLabel {
		return label{}, false
	}
	colon := b[len(b)-1] == ':'
	if !touching && !colon && (n-from > 1 || words(string(b)) > 12 || b[len(b)-1] == '.' || b[len(b)-1] == '!') {
		return label{}, false
	}
	if bytes.Contains(b, []byte("::")) && firstSep(b) >= 0 {
		return label{}, false
	}
	var text string
	var tags []string
	if from == 0 {
		text, tags = w.textOf(p, ' ')
	} else {
		text, tags = w.cl.clean(b)
	}
	text = strings.TrimSpace(strings.TrimRight(text, ":"))
	if text == "" || isMeta(text) || linkOnly(text) || isSelfNote(text) {
		return label{}, false
	}
	lab := label{text: text, norm: normKey(text), tags: tags, direct: true, para: true, colon: colon, from: fromParagraph}
	if from == 0 && !colon {
		// A definition labels its list by its term, unless it only
		// counts the list ("Structure: has 3 components").
		if d, ok := w.paraDefOf(p); ok && !d.question && (words(d.def) > 4 || !listOfMany(p.NextSibling())) {
			lab.text, lab.norm, lab.def = d.term, normKey(d.term), &d
		} else if term, _, ok := definition(text, []byte(text)); ok && termOK(term) && strongDef(text) && listOfMany(p.NextSibling()) {
			// "Clean Architecture: defined by Uncle Bob in 2012" defines
			// nothing, but its term still names the list.
			lab.text, lab.norm = term, normKey(term)
		}
	}
	return lab, true
}

// listOfMany reports whether n is a list of two items or more.
func listOfMany(n ast.Node) bool {
	return n != nil && n.Kind() == ast.KindList && n.FirstChild() != nil && n.FirstChild().NextSibling() != nil
}
