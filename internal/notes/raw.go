package notes

import (
	"bytes"
	"unicode"
	"unicode/utf8"
)

// This file reads raw text (.txt notes) the way a person reads it: a
// line is a thought of its own unless it carries on the line above;
// indentation, with or without bullets, nests; "Label:" owns the short
// lines under it; a line of dashes ends a section and the title after it
// starts the next. It writes markdown that goldmark reads with the same
// structure (see normalizer.rawBlock).

// maxItemWords is the most words of an unbulleted line that can be a list
// item under a label: a longer one is a sentence of prose.
const maxItemWords = 12

// rawSeparator reports whether t is a line that only separates sections:
// two or more of one of - = * _ ~ (spaces allowed), or a date alone.
func rawSeparator(t []byte) bool {
	t = bytes.TrimSpace(t)
	if len(t) < 2 {
		return false
	}
	c := t[0]
	if bytes.IndexByte([]byte("-=*_~"), c) >= 0 {
		n := 0
		for _, x := range t {
			switch x {
			case c:
				n++
			case ' ', '\t':
			default:
				return false
			}
		}
		return n >= 2
	}
	return isDate(string(t))
}

// underline reports whether t underlines the line above it as a heading
// (level 1 for '=', 2 for '-'): three or more of one of them.
func underline(t []byte) int {
	t = bytes.TrimSpace(t)
	if len(t) < 3 || t[0] != '=' && t[0] != '-' {
		return 0
	}
	for _, x := range t {
		if x != t[0] {
			return 0
		}
	}
	if t[0] == '=' {
		return 1
	}
	return 2
}

// starHeading returns the text of a "*** Topic ***" or "* Topic *" line,
// and its level (2 for three stars or more, 3 for one), or level 0.
func starHeading(t []byte) ([]byte, int) {
	t = bytes.TrimSpace(t)
	k := 0
	for k < len(t) && t[k] == '*' {
		k++
	}
	if k == 0 || k > 4 || k == 2 || len(t) < 2*k+3 || t[k] != ' ' {
		return nil, 0
	}
	e := len(t)
	for e > k && t[e-1] == '*' {
		e--
	}
	if len(t)-e != k || t[e-1] != ' ' {
		return nil, 0
	}
	inner := bytes.TrimSpace(t[k:e])
	if !hasLetter(inner) {
		return nil, 0
	}
	if k >= 3 {
		return inner, 2
	}
	return inner, 3
}

// rawClassify marks the lines of raw text that only separate sections
// (fSep, read as blank), the lines underlined as headings, and "***
// Topic ***" headings.
func (n *normalizer) rawClassify() {
	for i := range n.lines {
		l := &n.lines[i]
		if l.flags&(fFence|fQA|fQmark) != 0 {
			continue
		}
		t := n.text(i)
		if lvl := underline(t); lvl > 0 && i > 0 {
			p := &n.lines[i-1]
			if p.flags&(fBlank|fFence|fQA|fMarker|fHeading|fSep) == 0 && headingLike(bytes.TrimSpace(n.text(i-1)), 12) {
				p.flags |= fHeading | fFixed
				p.level = uint8(lvl)
				l.flags = fBlank // an underline, not a separator
				continue
			}
		}
		if l.flags&fBlank == 0 && rawSeparator(t) {
			l.flags = fBlank | fSep
			continue
		}
		if l.flags&fBlank == 0 {
			if _, lvl := starHeading(t); lvl > 0 {
				l.flags = l.flags&^fMarker | fHeading | fFixed
				l.level = uint8(lvl)
			}
		}
	}
}

// oline is a line of a raw block: where its marker and text are.
type oline struct {
	i     int    // the input line
	col   int    // its indentation
	mark  []byte // its list marker, normalised ("-", "3."), or nil
	num   int    // an ordered marker's number
	tcol  int    // the column its text starts at
	text  []byte // the text after the marker, trimmed
	label bool   // it ends in ':' or " -": it names what follows
	// obullet is set for an "o" bullet, which needs another beside it.
	obullet bool
}

// level is a list open in the markdown being written.
type olevel struct {
	col, tcol  int // the marker's and text's columns in the input
	cum, width int // the marker's indentation and width in the output
	ordered    bool
	last       int  // the number of its last item
	unbulleted bool // its items had no bullets in the notes
}

// rawBlock writes the block of raw-text lines that starts at line i (up
// to a blank line, a fence, a heading or a question block) and returns
// the line after it. See raw.go's opening comment.
func (n *normalizer) rawBlock(i int) int {
	end := i + 1 // the first line, whatever it is, so that the reading moves on
	for end < len(n.lines) && n.lines[end].flags&(fBlank|fFence|fQA|fHeading|fQmark) == 0 {
		end++
	}
	if end == i+1 && n.lines[i].flags&fMarker == 0 && n.starLine(i) {
		return end
	}
	ls := make([]oline, 0, end-i)
	for j := i; j < end; j++ {
		col, rest := indentOf(n.text(j))
		rest = bytes.TrimRight(rest, " \t")
		if emptyMarker(rest) {
			n.line(j, nil) // an empty bullet or step
			continue
		}
		l := oline{i: j, col: min(col, maxIndent), tcol: col}
		if m, fancy := markerLen(rest); m > 0 && len(ls) < 1<<16 {
			mark := bytes.TrimSpace(rest[:m])
			if fancy || mark[0] == '*' || mark[0] == '+' {
				mark = []byte("-")
			}
			if isDigit(mark[0]) {
				l.num = atoiSmall(mark[:len(mark)-1])
				mark = append(mark[:len(mark)-1:len(mark)-1], '.')
			}
			l.mark, l.tcol, rest = mark, col+m, rest[m:]
		} else if m := extraMarker(rest); m > 0 {
			l.mark, l.tcol = []byte("-"), col+m
			if rest[0] == 'o' {
				rest, l.obullet = rest[m:], true
			}
		}
		l.text = unscaffold(bytes.TrimSpace(rest))
		if bytes.HasPrefix(l.text, []byte("*** ")) {
			l.text = bytes.TrimSpace(l.text[3:]) // stars that stress a line
		}
		l.label = isLabelText(l.text)
		ls = append(ls, l)
	}
	// "-word" among "- " bullets at its column is one of them.
	for j := range ls {
		l := &ls[j]
		if l.mark != nil || len(l.text) < 2 || l.text[0] != '-' || !isLetter(l.text[1]) {
			continue
		}
		for k := range ls {
			if ls[k].mark != nil && ls[k].mark[0] == '-' && ls[k].col == l.col && !ls[k].obullet {
				l.mark, l.tcol, l.text = []byte("-"), l.col+1, l.text[1:]
				break
			}
		}
	}
	// An "o" bullet needs another beside it: a lone "o" is a word.
	for j := range ls {
		if l := &ls[j]; l.obullet && !oSibling(ls, j) {
			l.mark, l.tcol, l.obullet = nil, l.col, false
			l.text = bytes.TrimSpace(n.text(l.i))
			l.label = isLabelText(l.text)
		}
	}
	w := rawWriter{n: n, ls: ls}
	w.write()
	return end
}

// unscaffold cleans a question written with its scaffolding, "Q: who
// votes? A", to "who votes?".
func unscaffold(t []byte) []byte {
	q, ok := bytes.CutPrefix(t, []byte("Q: "))
	if !ok {
		q, ok = bytes.CutPrefix(t, []byte("Q. "))
	}
	if !ok {
		return t
	}
	q = bytes.TrimSpace(q)
	for _, end := range []string{" A:", " A", " A."} {
		if r, ok := bytes.CutSuffix(q, []byte(end)); ok && bytes.HasSuffix(bytes.TrimSpace(r), []byte("?")) {
			return bytes.TrimSpace(r)
		}
	}
	if bytes.HasSuffix(q, []byte("?")) {
		return q
	}
	return t
}

// emptyMarker reports whether t is a list marker with no text: "-", "2.".
func emptyMarker(t []byte) bool {
	if len(t) == 1 && (t[0] == '-' || t[0] == '*' || t[0] == '+') {
		return true
	}
	k := 0
	for k < len(t) && isDigit(t[k]) {
		k++
	}
	return k > 0 && k < 4 && k == len(t)-1 && (t[k] == '.' || t[k] == ')')
}

// indentBytes is the number of leading spaces and tabs of t.
func indentBytes(t []byte) int {
	k := 0
	for k < len(t) && (t[k] == ' ' || t[k] == '\t') {
		k++
	}
	return k
}

// oSibling reports whether line j's "o" bullet has another at its column
// next to it.
func oSibling(ls []oline, j int) bool {
	for _, k := range []int{j - 1, j + 1} {
		if k >= 0 && k < len(ls) && ls[k].obullet && ls[k].col == ls[j].col {
			return true
		}
	}
	return false
}

// extraMarker returns the length of a raw-text marker markdown does not
// know, with its space: "o " bullets and "(a) " or "(1) " items, or 0.
// "(a)" stays in the item's text; "o" does not.
func extraMarker(t []byte) int {
	if len(t) > 2 && t[0] == 'o' && t[1] == ' ' && t[2] != ' ' {
		return 2
	}
	if len(t) > 4 && t[0] == '(' && t[2] == ')' && t[3] == ' ' && (isLetter(t[1]) || isDigit(t[1])) {
		return 4
	}
	return 0
}

// isLabelText reports whether a line names what follows it: it ends in
// ':' or a dash ("OWASP -").
func isLabelText(t []byte) bool {
	if len(t) == 0 || codeLike(string(t)) {
		return false
	}
	if t[len(t)-1] == '?' && isQuestion(t) && words(string(t)) <= 12 {
		return true // a question names its answer under it
	}
	if t[len(t)-1] == ':' && (len(t) < 2 || t[len(t)-2] != ':') {
		return true
	}
	for _, d := range []string{" -", " –", " —", " --", " ---"} {
		if bytes.HasSuffix(t, []byte(d)) && len(t) > len(d) {
			return true
		}
	}
	return false
}

// labelText writes a label line with a trailing dash as a colon.
func labelText(t []byte) []byte {
	if len(t) > 0 && t[len(t)-1] == ':' {
		return t
	}
	s := bytes.TrimRight(t, "-–— ")
	return append(s[:len(s):len(s)], ':')
}

// rawWriter writes a raw block as markdown.
type rawWriter struct {
	n     *normalizer
	ls    []oline
	stack []olevel
	prev  int // index in ls of the line written last, or -1
	kind  int // what prev was: 0 nothing, 1 paragraph, 2 item
	buf   []byte
}

const (
	wroteNothing = iota
	wrotePara
	wroteItem
)

func (w *rawWriter) write() {
	w.prev = -1
	for j := 0; j < len(w.ls); {
		l := &w.ls[j]
		switch {
		case l.mark != nil:
			w.item(j, l.mark, l.num)
			j++
		case w.continues(j):
			w.continuation(j)
			j++
		default:
			if k := w.itemRun(j); k > 0 {
				for x := j; x < j+k; x++ {
					w.underPrev(x)
				}
				j += k
				continue
			} else if k < 0 {
				w.answer(j, -k)
				j -= k
				continue
			}
			if w.siblingItem(j) {
				j++
				continue
			}
			if w.betweenSteps(j) {
				w.nested(j)
				j++
				continue
			}
			w.paragraph(j)
			j++
		}
	}
}

// emit writes one output line for line j.
func (w *rawWriter) emit(j int, indent int, mark []byte, text []byte) {
	b := appendSpaces(w.buf[:0], indent)
	if mark != nil {
		b = append(b, mark...)
		b = append(b, ' ')
		b = appendEscaped(b, text)
	} else {
		b = append(b, text...)
	}
	w.buf = b
	w.n.line(w.ls[j].i, capPrefix(b))
}

// blank writes an empty output line for line j.
func (w *rawWriter) blank(j int) { w.n.line(w.ls[j].i, nil) }

// text is line j's text as written: the dash that ends a label becomes a
// colon, and is dropped from a line with nothing under it.
func (w *rawWriter) text(j int) []byte {
	l := &w.ls[j]
	if !l.label || l.text[len(l.text)-1] == ':' {
		return l.text
	}
	if j+1 < len(w.ls) && w.ls[j+1].col > l.col {
		return labelText(l.text)
	}
	return bytes.TrimRight(l.text, "-–— ")
}

// item writes line j as a list item with marker mark.
func (w *rawWriter) item(j int, mark []byte, num int) {
	l := &w.ls[j]
	ordered := mark[0] != '-'
	sibling := false // the next item of a list already open
	for len(w.stack) > 0 && w.stack[len(w.stack)-1].col >= l.col {
		top := w.stack[len(w.stack)-1]
		sibling = top.col == l.col && top.ordered == ordered && w.kind == wroteItem
		w.stack = w.stack[:len(w.stack)-1]
	}
	if len(w.stack) >= maxListDepth {
		w.stack = w.stack[:maxListDepth-1]
	}
	if len(w.stack) == 0 && ordered && num != 1 && !sibling {
		// Only a list that starts at 1 may follow a paragraph directly:
		// a list whose first steps are empty starts at its first step
		// with text.
		mark, num = []byte("1."), 1
	}
	cum := 0
	if len(w.stack) > 0 {
		top := w.stack[len(w.stack)-1]
		cum = top.cum + top.width
	}
	w.emit(j, cum, mark, w.text(j))
	w.stack = append(w.stack, olevel{col: l.col, tcol: l.tcol, cum: cum, width: len(mark) + 1, ordered: ordered, last: num})
	w.prev, w.kind = j, wroteItem
}

// paragraph writes line j as a paragraph of its own.
func (w *rawWriter) paragraph(j int) {
	w.stack = w.stack[:0]
	if w.kind != wroteNothing {
		w.blank(j)
	}
	w.emit(j, 0, nil, escapeStart(w.text(j)))
	w.prev, w.kind = j, wrotePara
}

// escapeStart escapes a start that markdown would read as a block.
func escapeStart(t []byte) []byte {
	if len(t) > 0 && (t[0] == '>' || t[0] == '|' || t[0] == '<') {
		return append([]byte{'\\'}, t...)
	}
	return t
}

// continuation writes line j as part of the line above.
func (w *rawWriter) continuation(j int) {
	indent := 0
	if w.kind == wroteItem && len(w.stack) > 0 {
		top := w.stack[len(w.stack)-1]
		indent = top.cum + top.width
	}
	w.emit(j, indent, nil, w.text(j))
	w.prev = j
}

// continues reports whether unbulleted line j carries on the line above
// it rather than starting a thought of its own: the line above stops
// mid-sentence (on a word such as "the" or "to", or a comma) and this
// one starts in lower case; or this one opens with "and", "or", "but" or
// a parenthesis; or the line above is a label and this one is too
// ("LLMs:" then "several parts:").
func (w *rawWriter) continues(j int) bool {
	if w.kind == wroteNothing || w.prev != j-1 {
		return false
	}
	p, l := &w.ls[j-1], &w.ls[j]
	if len(l.text) == 0 || len(p.text) == 0 {
		return false
	}
	if w.kind == wrotePara && p.label && l.label && l.col <= p.col+4 && words(string(l.text)) <= 6 {
		return true
	}
	if p.label || l.label {
		return false
	}
	last := p.text[len(p.text)-1]
	if bytes.IndexByte([]byte(".!?:;"), last) >= 0 || l.col < p.col {
		return false
	}
	if carriesOn(p.text, l.text) {
		return true
	}
	if last == ')' || defLike(l.text) {
		return false
	}
	first, _ := utf8.DecodeRune(l.text)
	if w.kind == wroteItem && l.col < p.tcol && l.col <= p.col {
		return false
	}
	if !unicode.IsLower(first) && !unicode.IsDigit(first) {
		return false
	}
	return last == ',' || last == '-' || endWords.has(lastWordOf(string(p.text))) || len(p.text) >= 60
}

// itemLike reports whether an unbulleted line can be an item of a list
// under a label: short, words rather than code or a drawing, and not
// itself a label.
func itemLike(t []byte) bool {
	if len(t) == 0 || !hasLetter(t) || isLabelText(t) || words(string(t)) > maxItemWords {
		return false
	}
	if bytes.Contains(t, []byte("--")) || bytes.Count(t, []byte("|")) > 1 || codeLike(string(t)) {
		return false
	}
	letters := 0
	for _, c := range t {
		if isLetter(c) || c >= utf8.RuneSelf {
			letters++
		}
	}
	return 2*letters >= len(t)
}

// itemRun returns how many unbulleted lines from j are the items of the
// line written last, or 0. Under a label, a run of short lines at its
// indentation or deeper are its items, and so is one line of any length
// (up to a definition's) that nothing at its indentation follows: the
// label's answer. Under any other line, two or more short lines indented
// deeper than it are.
func (w *rawWriter) itemRun(j int) int {
	if w.kind == wroteNothing || w.prev != j-1 {
		return 0
	}
	p, first := &w.ls[j-1], &w.ls[j]
	if first.label {
		return 0
	}
	switch {
	case p.label:
		if first.col < p.col {
			return 0
		}
	case w.kind == wroteItem:
		if first.col < p.tcol || first.col <= p.col {
			return 0
		}
	default:
		if first.col <= p.col {
			return 0
		}
	}
	k, short := 0, true
	for x := j; x < len(w.ls); x++ {
		l := &w.ls[x]
		if l.mark != nil || l.label || l.col != first.col {
			break
		}
		if x > j && carriesOn(w.ls[x-1].text, l.text) {
			// It carries on the line above: one item, not two.
			short = false
		}
		short = short && itemLike(l.text)
		k++
	}
	tiny, n := true, 0
	defs := false
	for x := j; x < j+k; x++ {
		wc := words(string(w.ls[x].text))
		tiny = tiny && wc <= 6
		defs = defs || defLike(w.ls[x].text)
		n += wc
	}
	switch {
	case p.label && (k == 1 || k <= maxAnswerLines && !tiny && !defs && w.kind == wrotePara && isQuestion(p.text)):
		// One line answers its label; so do a few lines of prose under
		// a question ("What's a dummy model:").
		if n > maxParaDefWords {
			return 0
		}
		return -k
	case !short:
		return 0
	case p.label || k >= 2 || w.kind == wroteItem:
		// Under an item, even one short line deeper is its child.
		return k
	}
	return 0
}

// maxAnswerLines is the most lines under a question that are its answer.
const maxAnswerLines = 4

// isQuestion reports whether a label asks a question.
func isQuestion(t []byte) bool {
	t = bytes.TrimRight(t, ": ")
	return bytes.HasSuffix(t, []byte("?")) || questionWords.has(firstWordOf(string(t)))
}

// carriesOn reports whether line b carries on line a: a opens a clause b
// continues ("and", "but", "or"…, or a parenthesis).
func carriesOn(a, b []byte) bool {
	if len(a) == 0 || len(b) == 0 || bytes.IndexByte([]byte(".!?:;"), a[len(a)-1]) >= 0 {
		return false
	}
	r, _ := utf8.DecodeRune(b)
	return r == '(' || unicode.IsLower(r) && conjunctions.has(firstWordOf(string(b)))
}

// defLike reports whether a line opens like a definition, "term: …".
func defLike(t []byte) bool {
	i, _ := defSep(t)
	return i > 0 && words(string(t[:i])) <= 4
}

// answer writes the k lines from j as one item, joined by "; ": the
// answer to the label above them.
func (w *rawWriter) answer(j, k int) {
	if k == 1 {
		w.underPrev(j)
		return
	}
	var t []byte
	for x := j; x < j+k; x++ {
		if x > j {
			if carriesOn(w.ls[x-1].text, w.ls[x].text) {
				t = append(t, ' ')
			} else {
				t = append(bytes.TrimRight(t, ".;, "), "; "...)
			}
		}
		t = append(t, w.ls[x].text...)
	}
	w.stack = w.stack[:0]
	w.emit(j, 0, []byte("-"), t)
	for x := j + 1; x < j+k; x++ {
		w.n.line(w.ls[x].i, nil)
	}
	w.stack = append(w.stack, olevel{col: w.ls[j].col, tcol: w.ls[j].col, width: 2, unbulleted: true})
	w.prev, w.kind = j+k-1, wroteItem
}

// underPrev writes line x as an unbulleted item under the line written
// last before the run it belongs to.
func (w *rawWriter) underPrev(x int) {
	l := &w.ls[x]
	if len(w.stack) > 0 && w.stack[len(w.stack)-1].col == l.col && !w.stack[len(w.stack)-1].ordered && w.stack[len(w.stack)-1].tcol == l.col {
		// A sibling of the run's first item.
		top := w.stack[len(w.stack)-1]
		w.emit(x, top.cum, []byte("-"), w.text(x))
		w.prev = x
		return
	}
	cum := 0
	if w.kind == wroteItem && len(w.stack) > 0 {
		top := w.stack[len(w.stack)-1]
		cum = top.cum + top.width
	} else {
		w.stack = w.stack[:0]
	}
	w.emit(x, cum, []byte("-"), w.text(x))
	w.stack = append(w.stack, olevel{col: l.col, tcol: l.col, cum: cum, width: 2, unbulleted: true})
	w.prev, w.kind = x, wroteItem
}

// siblingItem writes unbulleted line j as an item when it stands at the
// column of an open bulleted list ("Active -" among "- …" items), and
// reports whether it did.
func (w *rawWriter) siblingItem(j int) bool {
	l := &w.ls[j]
	for k := len(w.stack) - 1; k >= 0; k-- {
		s := w.stack[k]
		if s.col < l.col {
			return false
		}
		if s.col == l.col && !s.ordered && (!s.unbulleted || itemLike(l.text)) {
			w.stack = w.stack[:k+1]
			w.emit(j, s.cum, []byte("-"), w.text(j))
			w.stack[k].tcol = s.tcol
			w.prev, w.kind = j, wroteItem
			return true
		}
	}
	return false
}

// betweenSteps reports whether unbulleted line j sits between two steps
// of an ordered list (after step n, before step n+1 at the same column):
// it belongs to step n.
func (w *rawWriter) betweenSteps(j int) bool {
	var top *olevel
	for k := len(w.stack) - 1; k >= 0; k-- {
		if w.stack[k].ordered {
			top = &w.stack[k]
			break
		}
	}
	if top == nil || w.ls[j].col > top.tcol+8 {
		return false
	}
	for x := j + 1; x < len(w.ls); x++ {
		if l := &w.ls[x]; l.mark != nil {
			return l.col == top.col && l.num == top.last+1
		}
	}
	return false
}

// nested writes line j as a bullet under the ordered list's last step.
func (w *rawWriter) nested(j int) {
	for len(w.stack) > 0 && !w.stack[len(w.stack)-1].ordered {
		w.stack = w.stack[:len(w.stack)-1]
	}
	top := w.stack[len(w.stack)-1]
	cum := top.cum + top.width
	w.emit(j, cum, []byte("-"), w.text(j))
	w.stack = append(w.stack, olevel{col: top.col + 1, tcol: top.col + 1, cum: cum, width: 2})
	w.prev, w.kind = j, wroteItem
}
