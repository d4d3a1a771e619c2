package notes

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
)

// This file holds what recall lint says of the notes (Finding), and the
// walker's record of what each block became, why it gave no card, and
// advice on writing it.

// Finding is what recall lint says of one block of the notes (or one
// item of a list): the cards it gave, why it gave none, or advice.
type Finding struct {
	// Line is the 1-based line of the notes the block starts on.
	Line int `json:"line"`
	// Shape is what recall read: "list of 5 items", "definition",
	// "question"… Empty for a warning.
	Shape string `json:"shape,omitempty"`
	// Cards is the number of cards the block gave.
	Cards int `json:"cards"`
	// Skipped says why the block gave no card: "prose", "links only",
	// "metadata", "note to self"… Empty when it gave cards.
	Skipped string `json:"skipped,omitempty"`
	// Warning is advice on writing the block so that it makes better
	// cards.
	Warning string `json:"warning,omitempty"`
	// Text is the start of the block, to tell which it is.
	Text string `json:"text,omitempty"`
}

// String writes a finding as lint prints it, after "file:line: ".
func (f Finding) String() string {
	text := ""
	if f.Text != "" {
		text = " (" + f.Text + ")"
	}
	switch {
	case f.Warning != "":
		return "warning: " + f.Warning + text
	case f.Skipped != "":
		return "skipped: " + f.Skipped + text
	case f.Cards == 1:
		return f.Shape + " → 1 card" + text
	}
	return fmt.Sprintf("%s → %d cards%s", f.Shape, f.Cards, text)
}

// excerpt is the start of a text, for a finding: at most eight words
// on one line.
func excerpt(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	n := 0
	for i, r := range s {
		if r == ' ' {
			n++
			if n == 8 {
				return s[:i] + " …"
			}
		}
		if i > 60 {
			return s[:i] + "…"
		}
		_ = r
	}
	if !utf8.ValidString(s) {
		return ""
	}
	return s
}

// excerpt is excerpt(s) when linting, else "": a walker that only makes
// cards spends nothing on it.
func (w *walker) excerpt(s string) string {
	if !w.lint {
		return ""
	}
	return excerpt(s)
}

// find records a finding at offset off of src and returns its index, or
// -1 when lint is off.
func (w *walker) find(off int, f Finding) int32 {
	if !w.lint {
		return -1
	}
	if off >= 0 {
		f.Line = w.lineAt(off)
	} else {
		f.Line = -off
	}
	w.findings = append(w.findings, f)
	return int32(len(w.findings) - 1)
}

// warn records advice at offset off.
func (w *walker) warn(off int, format string, args ...any) {
	if w.lint {
		w.find(off, Finding{Warning: fmt.Sprintf(format, args...)})
	}
}

// finding sets the finding the cards pushed next count for, and returns
// the one set before.
func (w *walker) finding(f int32) int32 {
	prev := w.cur
	w.cur = f
	return prev
}

// skipped records a block that gave nothing, and why: a paragraph's
// reason is found in its text when why is "prose".
func (w *walker) skipped(n ast.Node, why string) {
	if !w.lint {
		return
	}
	off := firstOffset(n)
	if off < 0 {
		return
	}
	text := ""
	if n.Lines().Len() > 0 {
		s := n.Lines().At(0)
		text = string(w.src[s.Start:s.Stop])
		if why == "prose" {
			why = proseReason(string(w.raw(n, ' ')))
		}
	}
	w.find(off, Finding{Skipped: why, Text: excerpt(text)})
}

// lintList records what a list became (in its finding at, whose Cards
// count the cards made so far) and the advice its items call for.
func (w *walker) lintList(items []item, members []int32, ordered, glossary, outline, folded bool, silent string, lab label, at int32) {
	n := len(members)
	kind := "list"
	if ordered {
		kind = "ordered list"
	}
	refs, examples, long := 0, 0, 0
	for i := range items {
		it := &items[i]
		if it.role == roleRef {
			refs++
		}
		if it.role == roleExample {
			examples++
		}
		if it.isMember() && hideWords(it.text) > maxHideWords {
			long++
		}
	}
	// The list's own finding first: the item findings after it may move
	// the slice.
	var shape, skip string
	made := w.findings[at].Cards
	switch {
	case n == 0 && refs > 0:
		skip = "links only"
	case n == 0 && examples > 0:
		skip = "examples only"
	case n == 0:
		skip = "nothing to recall"
	case outline:
		skip = "an outline of sections (each one's list makes its cards)"
	case glossary:
		defs := 0
		for _, m := range members {
			if items[m].kind == itemDef {
				defs++
			}
		}
		shape = fmt.Sprintf("glossary of %d definitions", defs)
	case folded:
		shape = "definition with its list"
	case silent != "":
		skip = silent
	case n == 1 && made == 0 && lab.direct:
		skip = "one item under a label that asks nothing"
	case n == 1 && made == 0:
		skip = "one item, and no label"
	case n == 1:
		shape = "one item under a label"
	default:
		shape = fmt.Sprintf("%s of %d items", kind, n)
	}
	w.findings[at].Shape, w.findings[at].Skipped = shape, skip
	if n == 1 && made == 0 && lab.direct && lab.from != fromHeading && !nonPrompts.has(lab.text) {
		w.warn(items[members[0]].off, "one item under %q: end the label with ':' or '?' if it asks for the item", excerpt(lab.text))
	}
	if n > maxPart && !glossary && silent == "" {
		parts := (n + maxPart - 1) / maxPart
		w.warn(items[members[0]].off, "a list of %d items is asked in %d parts: lists of %d or fewer are easier to recall", n, parts, maxPart)
	}
	if long > 0 && !glossary && silent == "" {
		what := fmt.Sprintf("%d of its items are", long)
		if long == 1 {
			what = "1 of its items is"
		}
		w.warn(items[members[0]].off, "%s longer than %d words: shown, never hidden", what, maxHideWords)
	}
	for i := range items {
		it := &items[i]
		if it.role == roleSkip && it.why != "" && it.why != whyEmpty && it.why != whySection {
			w.find(it.off, Finding{Skipped: it.why, Text: excerpt(it.text)})
		}
		if it.kind == itemPlain && !ordered && it.role == roleMember {
			if term, _, ok := definition(it.text, it.raw); ok && !termOK(term) && words(term) <= 3 && !strings.ContainsAny(term, "[`") {
				w.warn(it.off, "%q reads as a definition, but %q names no thing (a verb, a filler word or a clause): it stays an item", excerpt(it.text), term)
			}
		}
	}
}

// proseReason says why a paragraph that made no card made none.
func proseReason(text string) string {
	t := strings.TrimSpace(text)
	switch {
	case t == "":
		return "empty"
	case linkOnly(t):
		return "links only"
	case isMeta(t) || byline(t):
		return "metadata"
	case isSelfNote(t):
		return "note to self"
	case isComment(t):
		return "a reaction, not content"
	}
	return "prose"
}

// byline reports whether a paragraph is a name in emphasis alone, as a
// speaker's or author's under a title: "_Jamie Rivera_".
func byline(t string) bool {
	return len(t) > 2 && (t[0] == '_' || t[0] == '*') && t[len(t)-1] == t[0] && words(t) <= 5
}
