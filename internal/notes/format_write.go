package notes

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/recall-cli/recall/internal/card"
)

// This file writes, for Format, the blocks it rebuilt as markdown: the
// front matter, headings with their tags, question blocks, paragraphs
// and lists, each written so that goldmark reads it as the block it was.

// write writes the notes.
func (f *formatter) write() {
	f.out.WriteString("---\ndeck: " + yamlString(f.deck) + "\n")
	if len(f.fileTags) > 0 {
		q := make([]string, len(f.fileTags))
		for i, t := range f.fileTags {
			q[i] = yamlString(t)
			if q[i] == t && strings.Contains(t, "?") {
				// The YAML reader refuses a '?' in a plain scalar of a
				// flow sequence ("[0?]"), which YAML allows.
				q[i] = yamlQuoted(t)
			}
		}
		f.out.WriteString("tags: [" + strings.Join(q, ", ") + "]\n")
	}
	if f.clozesOff || f.listsOff {
		f.out.WriteString("cards:\n")
		if f.clozesOff {
			f.out.WriteString("  clozes: false\n")
		}
		if f.listsOff {
			f.out.WriteString("  lists: false\n")
		}
	}
	f.out.WriteString("---\n")
	if !f.noTitle && titleOK(f.deck) {
		f.out.WriteString("\n# " + f.deck + "\n")
	}
	f.lastVis = visHeading
	for _, b := range f.blocks {
		f.enter(b)
		want := f.sectionTags(b)
		switch {
		case b.site.kind == siteQA:
			f.qa(b, want)
		case b.list != nil:
			f.listBlock(b, want)
		default:
			f.para(b, want)
		}
	}
}

// titleOK reports whether an H1 of the deck's name reads back as that
// name.
func titleOK(deck string) bool {
	if deck == "" || strings.ContainsAny(deck, "\n\r") || strings.HasSuffix(deck, "#") {
		return false
	}
	t, tags := (&cleaner{}).clean([]byte(deck))
	return t == deck && len(tags) == 0
}

// yamlString writes s as a YAML scalar, quoted when it must be.
func yamlString(s string) string {
	plain := s != "" && s == strings.TrimSpace(s) && !strings.Contains(s, ": ") && !strings.Contains(s, " #") &&
		!strings.ContainsAny(s[:1], "-?:,[]{}#&*!|>'\"%@`") && !strings.ContainsAny(s, ",[]{}\"'\\") &&
		!strings.HasSuffix(s, ":")
	for _, r := range s {
		plain = plain && !yamlEscaped(r)
	}
	if plain {
		return s
	}
	return yamlQuoted(s)
}

// yamlQuoted writes s as a double-quoted YAML scalar.
func yamlQuoted(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case yamlEscaped(r) && r < 0x100:
			fmt.Fprintf(&b, "\\x%02x", r)
		case yamlEscaped(r):
			fmt.Fprintf(&b, "\\u%04x", r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// yamlEscaped reports whether r must be escaped in YAML: a control
// character, a line break YAML knows (NEL, U+2028, U+2029), a byte order
// mark or a character YAML refuses.
func yamlEscaped(r rune) bool {
	return r < ' ' || r >= 0x7f && r <= 0x9f || r == 0x2028 || r == 0x2029 || r == 0xfeff || r == 0xfffe || r == 0xffff
}

// enter writes the headings of a block's section, as far as they differ
// from those written; the deepest new one waits for its tags (see
// sectionTags).
func (f *formatter) enter(b *block) {
	k := 0
	for k < len(f.heads) && k < len(b.heads) && f.heads[k].text == b.heads[k] && f.heads[k].slug == b.slugs[k] {
		k++
	}
	if (b.restart || len(f.heads) > len(b.heads)) && k == len(b.heads) && k > 0 {
		// The section starts again, or its cards come back after a
		// subsection's: its heading is written again.
		k--
	}
	if k == len(f.heads) && k == len(b.heads) {
		return
	}
	f.heads = f.heads[:k]
	for i := k; i < len(b.heads); i++ {
		f.heads = append(f.heads, outHead{text: b.heads[i], slug: b.slugs[i], depth: -1})
	}
}

// sectionTags works out the tags the headings give the block's cards,
// writes the headings not yet written with theirs (or a paragraph of tags
// when a section's tags grew), and returns the tags every card of the
// block starts with.
func (f *formatter) sectionTags(b *block) []string {
	cur := f.headTags()
	p := strings.Join(b.slugs, "::")
	t := f.cards[b.cards[0]].Tags
	var grow []string
	if p != "" && hasPrefix(t, cur) && !hasPrefix(t, uniq(append(slices.Clone(cur), p))) {
		if k := slices.Index(t[len(cur):], p); k > 0 {
			grow = t[len(cur) : len(cur)+k]
		}
	}
	n := len(f.heads)
	if n > 0 && f.heads[n-1].depth < 0 {
		f.heads[n-1].tags = slices.Clone(grow)
	} else if len(grow) > 0 && n > 0 {
		f.heads[n-1].tags = append(f.heads[n-1].tags, grow...)
		f.out.WriteString("\n" + strings.TrimSpace(inlineTags(grow)) + "\n")
		f.lastVis = visPara
	}
	for i := range f.heads {
		h := &f.heads[i]
		if h.depth >= 0 {
			continue
		}
		h.depth = i + 1
		level := h.depth + 1
		if f.noTitle {
			level = h.depth
		}
		line := h.text + inlineTags(h.tags)
		if strings.HasSuffix(line, "#") {
			// A closing sequence of its own keeps the text's last #.
			line += " #"
		}
		f.out.WriteString("\n" + strings.Repeat("#", level) + " " + line + "\n")
		f.lastVis = visHeading
	}
	want := f.headTags()
	if p != "" {
		want = uniq(append(want, p))
	}
	return want
}

// headTags are the tags of the file and of the headings written.
func (f *formatter) headTags() []string {
	tags := slices.Clone(f.fileTags)
	for _, h := range f.heads {
		tags = append(tags, h.tags...)
	}
	return uniq(tags)
}

func hasPrefix(s, prefix []string) bool {
	return len(s) >= len(prefix) && slices.Equal(s[:len(prefix)], prefix)
}

// extras are the tags of a card beyond those its section gives.
func extras(c *card.Card, want []string) []string {
	if hasPrefix(c.Tags, want) {
		return c.Tags[len(want):]
	}
	var out []string
	for _, t := range c.Tags {
		if !slices.Contains(want, t) {
			out = append(out, t)
		}
	}
	return out
}

// tagged writes text with its inline tags: after it, or before it when
// the text would start another block (">", "1) x") on a line of its own.
func tagged(text string, tags []string) string {
	if len(tags) > 0 && opensBlock(text) {
		return strings.TrimSpace(inlineTags(tags)) + " " + text
	}
	return text + inlineTags(tags)
}

// inlineTags writes tags as " #a #b".
func inlineTags(tags []string) string {
	var b strings.Builder
	for _, t := range tags {
		b.WriteString(" #" + t)
	}
	return b.String()
}

// qa writes a question block: the question, a line "?", the answer.
func (f *formatter) qa(b *block, want []string) {
	c := &f.cards[b.cards[0]]
	front := c.Front
	if i := strings.IndexByte(front, '\n'); i >= 0 {
		front = front[:i] + inlineTags(extras(c, want)) + front[i:]
	} else {
		front += inlineTags(extras(c, want))
	}
	f.out.WriteString("\n" + front + "\n?\n" + c.Back + "\n")
	// goldmark never sees the block: lastVis stays.
}

// para writes a paragraph: its "Q :: A" lines and its cloze text, each
// line where it was.
func (f *formatter) para(b *block, want []string) {
	type qaLine struct{ basic, reverse *card.Card }
	lines := map[int]*qaLine{}
	var clozes []*card.Card
	for k, i := range b.cards {
		c := &f.cards[i]
		l := b.locs[k]
		switch {
		case l.suffix.kind == suffixDef:
			f.asked(c, want)
		case l.suffix.kind == suffixCloze:
			clozes = append(clozes, c)
		case len(l.steps) == 1:
			q := lines[l.steps[0]]
			if q == nil {
				q = &qaLine{}
				lines[l.steps[0]] = q
			}
			if c.Kind == card.Reverse {
				q.reverse = c
			} else {
				q.basic = c
			}
		}
	}
	var unit []string
	var unitTags []string
	var loose []string // cloze texts that could not be joined
	if len(clozes) > 0 && b.labels != nil {
		u, ok := clozeUnit(clozes)
		label := b.labels.list.label
		tags := inlineTags(extras(clozes[0], want))
		if ok {
			if lines, ok := relines(label+":", u); ok {
				lines[len(lines)-1] = strings.TrimSuffix(lines[len(lines)-1], ":") + tags + ":"
				f.paragraph(lines)
				b.labels.labelled = true
				return
			}
			if lines, ok := relines(label, u); ok {
				lines[len(lines)-1] += tags
				f.paragraph(lines)
				b.labels.labelled, b.labels.touch = true, true
				return
			}
		}
	}
	if len(clozes) > 0 {
		if u, ok := clozeUnit(clozes); ok {
			unit = strings.Split(u, "\n")
			unitTags = extras(clozes[0], want)
		} else {
			for _, g := range clozeGroups(clozes) {
				if t, ok := clozeUnit(g); ok && len(g) > 1 {
					// A piece of a long text Parse cut (see clozePieces).
					loose = append(loose, t+inlineTags(extras(g[0], want)))
					continue
				}
				for _, c := range g {
					t, ok := clozeUnit([]*card.Card{c})
					if !ok {
						t = c.Text
					}
					loose = append(loose, t+inlineTags(extras(c, want)))
				}
			}
		}
	}
	var out []string
	idx := sortedKeys(lines)
	total := len(lines) + len(unit)
	if len(idx) > 0 {
		total = max(total, idx[len(idx)-1])
	}
	u := 0
	for i := 1; i <= total; i++ {
		if q, ok := lines[i]; ok {
			c := q.basic
			if c == nil {
				c = q.reverse
			}
			out = append(out, explicitText(q.basic, q.reverse)+inlineTags(extras(c, want)))
			continue
		}
		if u < len(unit) {
			line := unit[u]
			u++
			if u == len(unit) {
				line += inlineTags(unitTags)
			}
			out = append(out, line)
		}
	}
	for ; u < len(unit); u++ {
		line := unit[u]
		if u == len(unit)-1 {
			line += inlineTags(unitTags)
		}
		out = append(out, line)
	}
	if len(out) > 0 && len(unit) == 0 && opensBlock(out[0]) {
		// The line went on a paragraph whose first line made no card; a
		// line of its own, it would open another block.
		out = slices.Insert(out, 0, "…")
	}
	if len(out) > 0 {
		f.lines(out)
	}
	for _, t := range loose {
		f.paragraph(strings.Split(t, "\n"))
	}
}

// lines writes a paragraph of lines, or a line the normaliser would make
// a list of ("Label * a * b") as the one item of a list, which makes the
// same card.
func (f *formatter) lines(out []string) {
	if len(out) != 1 || !starSplits(out[0]) {
		f.paragraph(out)
		return
	}
	if f.lastVis == visLabelPara || f.lastVis == visHeading {
		f.out.WriteString("\n<!-- -->\n")
	}
	marker := byte('-')
	if f.lastVis == visList && f.lastMarker == marker {
		marker = '*'
	}
	f.out.WriteString("\n" + string(marker) + " " + out[0] + "\n")
	f.lastVis, f.lastMarker = visList, marker
}

// asked writes a card a paragraph made, a definition, as a question that
// makes it again: "Q :: A", or a question block when the answer has
// lines.
func (f *formatter) asked(c *card.Card, want []string) {
	tags := inlineTags(extras(c, want))
	if strings.Contains(c.Back, "\n") {
		f.out.WriteString("\n" + c.Front + tags + "\n?\n" + c.Back + "\n")
		return
	}
	f.lines([]string{c.Front + " :: " + c.Back + tags})
}

// opensBlock reports whether a line at the start of a paragraph would
// start another block: a heading, a quote, a list, a fence or HTML.
func opensBlock(line string) bool {
	if line == "" {
		return false
	}
	switch line[0] {
	case '#', '>', '-', '*', '+', '`', '~', '<', '|', '=', '_':
		return true
	}
	_, rest := indentOf([]byte(line))
	if m, _ := markerLen(rest); m > 0 {
		return true
	}
	// "0)" or "3." alone: an empty step.
	i := 0
	for i < len(rest) && isDigit(rest[i]) {
		i++
	}
	return i > 0 && i == len(rest)-1 && (rest[i] == ')' || rest[i] == '.')
}

// starSplits reports whether the normaliser reads a line standing alone
// as "Label * a * b" or "Label 1. a 2. b".
func starSplits(line string) bool {
	t := []byte(strings.TrimSpace(line))
	if len(t) == 0 || !hasSep(t, '*', " ") && !hasSep(t, '1', ". ") {
		return false
	}
	_, _, ok := splitStarLine(t)
	return ok
}

// paragraph writes a paragraph of lines and notes whether it would label
// a list written right after it.
func (f *formatter) paragraph(lines []string) {
	f.out.WriteString("\n" + lines[0] + "\n")
	for _, l := range lines[1:] {
		if opensBlock(l) {
			// Indented, the line goes on the paragraph.
			l = "    " + l
		}
		f.out.WriteString(l + "\n")
	}
	f.lastVis = visPara
	raw := strings.Join(lines, " ")
	if len(raw) > 0 && len(raw) <= maxLabel && (raw[len(raw)-1] == ':' ||
		len(lines) == 1 && words(raw) <= 12 && raw[len(raw)-1] != '.' && raw[len(raw)-1] != '!') &&
		(!strings.Contains(raw, "::") || firstSep([]byte(raw)) < 0) {
		if t, _ := (&cleaner{}).clean([]byte(raw)); strings.TrimSpace(strings.TrimRight(t, ":")) != "" {
			f.lastVis = visLabelPara
		}
	}
}

// listBlock writes a list block: its label paragraph, if it has one, and
// the list.
func (f *formatter) listBlock(b *block, want []string) {
	l := b.list
	if l.defLabel != nil {
		f.asked(l.defLabel, want)
		if len(l.items) == 0 {
			return // its items are in the definition's back: no list to label
		}
	}
	if l.single != nil && !l.para && f.lastVis != visHeading {
		// Only a paragraph can label it here.
		l.para = true
	}
	f.listTags(l, want)
	marker := byte('-')
	if l.ordered {
		marker = '.'
	}
	switch {
	case b.touch:
		f.renderList(l, "", marker)
		f.lastVis, f.lastMarker = visList, marker
		return
	case b.labelled:
	case l.para && (len(l.label)+len(inlineTags(l.labelTags))+1 > maxLabel || starSplits(l.label+":")):
		// Too long to end in ':', or a line the normaliser would read
		// as a list, the label touches its list; over one item, it asks
		// as its card does.
		label := l.label
		if l.single != nil && len(label)+len(inlineTags(l.labelTags))+1 <= maxLabel {
			label += "?"
		}
		f.out.WriteString("\n" + tagged(label, l.labelTags))
	case l.para:
		colon := ":"
		if strings.HasSuffix(tagged(l.label, l.labelTags), ":") {
			colon = " :" // the label's own ':' stays
		} else if !f.listsOff && l.listCard == nil && l.single == nil && l.defLabel == nil && words(l.label) <= 12 && !strings.ContainsAny(l.label[len(l.label)-1:], ".!") &&
			(!labelDefines(l.label) || l.makesList()) {
			// A label that asked for no list card: a colon would ask.
			// (But a label that reads as a definition, "B = 0", needs
			// its colon to stay the label, where it asks for nothing.)
			colon = ""
		}
		f.out.WriteString("\n" + tagged(l.label, l.labelTags) + colon + "\n")
	case f.lastVis == visList:
		if f.lastMarker == marker {
			marker = map[byte]byte{'-': '*', '.': ')'}[marker]
		}
	case f.lastVis == visLabelPara,
		f.lastVis == visHeading && l.single == nil && len(l.members) == 1 && len(l.items) > 0:
		f.out.WriteString("\n<!-- -->\n")
	}
	f.out.WriteString("\n")
	f.renderList(l, "", marker)
	f.lastVis, f.lastMarker = visList, marker
}

// labelDefines reports whether a paragraph label, written with no colon,
// would read as a definition and label its list by its term (see
// walker.paraLabel).
func labelDefines(label string) bool {
	term, _, ok := definition(label, []byte(label))
	return ok && termOK(term) && strongDef(label)
}

// renderList writes the items of a list and the lists nested in them.
func (f *formatter) renderList(l *flist, indent string, marker byte) {
	for _, it := range l.items {
		m := string(marker) + " "
		if l.ordered {
			m = strconv.Itoa(it.num) + string(marker) + " "
		}
		text := tagged(it.text, it.tags)
		if text == "" {
			f.out.WriteString(indent + strings.TrimSpace(m) + "\n")
		} else {
			f.out.WriteString(indent + m + text + "\n")
		}
		next := map[bool]byte{false: '-', true: '.'}
		for _, k := range sortedKeys(it.children) {
			c := it.children[k]
			cm := next[c.ordered]
			f.renderList(c, indent+strings.Repeat(" ", len(m)), cm)
			next[c.ordered] = map[byte]byte{'-': '*', '*': '-', '.': ')', ')': '.'}[cm]
		}
	}
}

// listTags shares the tags of a list's cards out between its label and
// its items, and does the same for the lists nested in it.
func (f *formatter) listTags(l *flist, want []string) {
	for _, it := range l.items {
		if c := it.own(); c != nil {
			it.tags = extras(c, want)
		}
	}
	para := l.para && l.depth == 0
	switch {
	case l.listCard != nil && len(l.clozes) == len(l.members) && len(l.clozes) > 0:
		ek := make([][]string, len(l.clozes))
		for k, c := range l.clozes {
			ek[k] = extras(c, want)
		}
		el := extras(l.listCard, want)
		try := func(lab []string) bool {
			var all []string
			for k := range ek {
				if !hasPrefix(ek[k], lab) {
					return false
				}
				all = append(all, ek[k][len(lab):]...)
			}
			if !slices.Equal(uniq(append(all, lab...)), el) {
				return false
			}
			l.labelTags = lab
			for k, m := range l.members {
				m.tags = slices.Clone(ek[k][len(lab):])
			}
			return true
		}
		if !para || !try(lcp(ek)) {
			try(nil)
		}
	case l.single != nil:
		e := extras(l.single, want)
		if para {
			l.labelTags = e
		} else if len(l.members) > 0 {
			l.members[0].tags = e
		}
	case l.listCard != nil:
		el := extras(l.listCard, want)
		var all []string
		for _, m := range l.members {
			all = append(all, m.tags...)
		}
		var rest []string
		for _, t := range el {
			if !slices.Contains(all, t) {
				rest = append(rest, t)
			}
		}
		if para {
			l.labelTags = rest
		} else {
			for _, m := range l.members {
				if m.own() == nil {
					m.tags = rest
					break
				}
			}
		}
	}
	for _, it := range l.items {
		for _, k := range sortedKeys(it.children) {
			f.listTags(it.children[k], want)
		}
	}
}

// lcp is the longest common prefix of lists of tags.
func lcp(lists [][]string) []string {
	if len(lists) == 0 {
		return nil
	}
	p := lists[0]
	for _, l := range lists[1:] {
		n := 0
		for n < len(p) && n < len(l) && p[n] == l[n] {
			n++
		}
		p = p[:n]
	}
	return slices.Clone(p)
}
