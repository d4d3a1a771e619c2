package review

import (
	"strconv"
	"strings"
	"sync"

	"github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/recall-cli/recall/internal/card"
)

// cardMD parses a card's markdown as the Anki export reads it: CommonMark
// with GFM tables, strikethrough and task lists, and no linkify (a bare URL
// stays text, as it does in Anki).
var cardMD = sync.OnceValue(func() parser.Parser {
	return goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList)).Parser()
})

// mdStyle is what a run of card text is: emphasis, code, a link, the
// cloze gap. Several can hold at once (a link in bold).
type mdStyle uint16

const (
	mdStrong mdStyle = 1 << iota
	mdEmph
	mdCode
	mdLink
	mdURL
	mdStrike
	mdGap
	mdHeading
	mdHeader // a table's header row
	mdCodeBlock
	mdQuote // a blockquote's bar
)

// piece is a run of text in one style.
type piece struct {
	text string
	s    mdStyle
}

// word is what wrapping never breaks (unless it is wider than the line):
// the pieces between two spaces. A break word forces a new line (a hard
// line break in the notes).
type word struct {
	ps    []piece
	width int
	br    bool
}

// markdown lays a card's markdown out for the terminal in lines at most
// width wide: paragraphs wrapped, lists with their bullets or numbers and
// hanging indents (nested lists indented under their item), headings
// underlined, code blocks kept line by line, tables in columns, links as
// their text followed by the URL. With colour, emphasis is bold or italic,
// code coloured, the URL dimmed and the cloze gap highlighted, and the
// marks are gone; without colour the text stays plain and keeps the marks
// that say what it is (**bold**, *emphasis*, `code`, ~~struck~~).
func (st styles) markdown(md string, width int) []string {
	width = max(width, 10)
	src := []byte(md)
	doc := cardMD().Parse(text.NewReader(src))
	r := mdRenderer{st: st, src: src}
	return r.blocks(doc, width)
}

type mdRenderer struct {
	st  styles
	src []byte
}

// blocks lays out the block children of n, a blank line between two
// blocks (none between the blocks of a tight list's item).
func (r *mdRenderer) blocks(n ast.Node, width int) []string {
	var out []string
	tight := false
	if li, ok := n.(*ast.ListItem); ok {
		if l, ok := li.Parent().(*ast.List); ok {
			tight = l.IsTight
		}
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		lines := r.block(c, width)
		if len(lines) == 0 {
			continue
		}
		if len(out) > 0 && !tight {
			out = append(out, "")
		}
		out = append(out, lines...)
	}
	return out
}

func (r *mdRenderer) block(n ast.Node, width int) []string {
	switch n := n.(type) {
	case *ast.Paragraph, *ast.TextBlock:
		return r.wrap(r.inline(n, 0), width)
	case *ast.Heading:
		return r.wrap(r.inline(n, mdHeading), width)
	case *ast.List:
		return r.list(n, width)
	case *ast.FencedCodeBlock, *ast.CodeBlock:
		return r.code(n, width)
	case *ast.Blockquote:
		bar := r.st.md(mdQuote, "│ ")
		var out []string
		for _, l := range r.blocks(n, width-2) {
			out = append(out, bar+l)
		}
		return out
	case *ast.ThematicBreak:
		return []string{r.st.md(mdQuote, strings.Repeat("─", min(width, 20)))}
	case *ast.HTMLBlock:
		// Raw HTML in notes is text to read, never markup.
		var ps []piece
		for i := range n.Lines().Len() {
			seg := n.Lines().At(i)
			ps = append(ps, piece{strings.TrimRight(string(seg.Value(r.src)), "\r\n"), 0}, piece{"\n", 0})
		}
		return r.wrap(ps, width)
	case *east.Table:
		return r.table(n, width)
	}
	return r.blocks(n, width)
}

// list lays out a list: each item's blocks beside its marker ("•", or its
// number, right-aligned), its other lines indented to match.
func (r *mdRenderer) list(l *ast.List, width int) []string {
	n := l.ChildCount()
	markers := make([]string, 0, n)
	mw := 0
	for i := range n {
		m := "•"
		if l.IsOrdered() {
			m = strconv.Itoa(l.Start+i) + string(l.Marker)
		}
		markers = append(markers, m)
		mw = max(mw, ansi.StringWidth(m))
	}
	var out []string
	i := 0
	for item := l.FirstChild(); item != nil; item = item.NextSibling() {
		m := markers[i]
		i++
		prefix := strings.Repeat(" ", mw-ansi.StringWidth(m)) + m + " "
		hang := strings.Repeat(" ", mw+1)
		lines := r.blocks(item, width-mw-1)
		if len(lines) == 0 {
			lines = []string{""}
		}
		if i > 1 && !l.IsTight {
			out = append(out, "")
		}
		for j, line := range lines {
			switch {
			case j == 0:
				out = append(out, strings.TrimRight(prefix+line, " "))
			case line == "":
				out = append(out, "")
			default:
				out = append(out, hang+line)
			}
		}
	}
	return out
}

// code lays out a code block as written: tabs as four spaces, a line too
// long for the screen wrapped rather than cut, indented by two.
func (r *mdRenderer) code(n ast.Node, width int) []string {
	var out []string
	lines := n.Lines()
	for i := range lines.Len() {
		seg := lines.At(i)
		line := strings.TrimRight(string(seg.Value(r.src)), "\r\n")
		line = card.Printable(strings.ReplaceAll(line, "\t", "    "))
		for _, l := range strings.Split(ansi.Hardwrap(line, max(width-2, 1), true), "\n") {
			out = append(out, "  "+r.st.md(mdCodeBlock, l))
		}
	}
	return out
}

// table lays out a table in columns separated by "│", the header row
// apart under "─┼─". Columns share the width: a column wider than its
// share wraps its cells. A table with too many columns for the width is
// written row by row.
func (r *mdRenderer) table(t *east.Table, width int) []string {
	var rows [][][]piece
	for row := t.FirstChild(); row != nil; row = row.NextSibling() {
		var cells [][]piece
		s := mdStyle(0)
		if _, ok := row.(*east.TableHeader); ok {
			s = mdHeader
		}
		for c := row.FirstChild(); c != nil; c = c.NextSibling() {
			cells = append(cells, r.inline(c, s))
		}
		rows = append(rows, cells)
	}
	cols := 0
	for _, row := range rows {
		cols = max(cols, len(row))
	}
	if cols == 0 {
		return nil
	}
	sep := 3 // " │ "
	room := width - sep*(cols-1)
	if room < 4*cols {
		var out []string
		for _, row := range rows {
			var ps []piece
			for i, c := range row {
				if i > 0 {
					ps = append(ps, piece{" │", mdQuote}, piece{" ", 0})
				}
				ps = append(ps, c...)
			}
			out = append(out, r.wrap(ps, width)...)
		}
		return out
	}
	// Each column's natural width (its widest cell on one line) and the
	// least it can take (its longest word).
	natural := make([]int, cols)
	least := make([]int, cols)
	for _, row := range rows {
		for i, c := range row {
			ws := words(c)
			line := 0
			for j, w := range ws {
				if j > 0 {
					line++
				}
				line += w.width
				least[i] = max(least[i], min(w.width, 12))
			}
			natural[i] = max(natural[i], line, 1)
		}
	}
	colw := shareWidths(natural, least, room)
	var out []string
	for ri, row := range rows {
		cells := make([][]string, cols)
		height := 1
		for i := range cols {
			if i < len(row) {
				cells[i] = r.wrap(row[i], colw[i])
			}
			height = max(height, len(cells[i]))
		}
		for l := range height {
			var b strings.Builder
			for i := range cols {
				if i > 0 {
					b.WriteString(" " + r.st.md(mdQuote, "│") + " ")
				}
				cell := ""
				if l < len(cells[i]) {
					cell = cells[i][l]
				}
				b.WriteString(align(cell, colw[i], t.Alignments, i, i == cols-1))
			}
			out = append(out, strings.TrimRight(b.String(), " "))
		}
		if ri == 0 {
			parts := make([]string, cols)
			for i, w := range colw {
				parts[i] = strings.Repeat("─", w)
			}
			out = append(out, r.st.md(mdQuote, strings.Join(parts, "─┼─")))
		}
	}
	return out
}

// shareWidths gives each column its natural width if all fit in room;
// otherwise the columns that fit in an equal share keep their width and
// the rest share what is left, never less than their least.
func shareWidths(natural, least []int, room int) []int {
	w := make([]int, len(natural))
	total := 0
	for _, n := range natural {
		total += n
	}
	if total <= room {
		copy(w, natural)
		return w
	}
	fixed := make([]bool, len(natural))
	left, open := room, len(natural)
	for changed := true; changed && open > 0; {
		changed = false
		share := left / open
		for i, n := range natural {
			if !fixed[i] && n <= share {
				w[i], fixed[i] = n, true
				left -= n
				open--
				changed = true
			}
		}
	}
	if open > 0 {
		share := left / open
		extra := left - share*open
		for i := range natural {
			if fixed[i] {
				continue
			}
			w[i] = max(share, 1)
			if extra > 0 {
				w[i]++
				extra--
			}
		}
	}
	// A column below its least takes from the widest column.
	for i := range w {
		for w[i] < least[i] {
			widest := 0
			for j := range w {
				if w[j] > w[widest] {
					widest = j
				}
			}
			if widest == i || w[widest] <= least[widest] {
				break
			}
			w[widest]--
			w[i]++
		}
	}
	return w
}

// align pads cell to width as its column's alignment says; the last
// column is not padded on the right.
func align(cell string, width int, aligns []east.Alignment, col int, last bool) string {
	pad := max(width-ansi.StringWidth(cell), 0)
	a := east.AlignNone
	if col < len(aligns) {
		a = aligns[col]
	}
	switch a {
	case east.AlignRight:
		return strings.Repeat(" ", pad) + cell
	case east.AlignCenter:
		l := pad / 2
		cell = strings.Repeat(" ", l) + cell
		pad -= l
	}
	if last {
		return cell
	}
	return cell + strings.Repeat(" ", pad)
}

// inline collects the text of n's inline children as styled pieces.
func (r *mdRenderer) inline(n ast.Node, s mdStyle) []piece {
	ps := r.inlines(n, s, nil)
	return gaps(merge(ps))
}

func (r *mdRenderer) inlines(n ast.Node, s mdStyle, ps []piece) []piece {
	plain := !r.st.color
	mark := func(m string) {
		if plain {
			ps = append(ps, piece{m, s})
		}
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			ps = append(ps, piece{unescape(c.Segment.Value(r.src)), s})
			switch {
			case c.HardLineBreak():
				ps = append(ps, piece{"\n", s})
			case c.SoftLineBreak():
				ps = append(ps, piece{" ", s})
			}
		case *ast.String:
			v := string(c.Value)
			if !c.IsCode() && !c.IsRaw() {
				v = unescape(c.Value)
			}
			ps = append(ps, piece{v, s})
		case *ast.CodeSpan:
			mark("`")
			ps = append(ps, piece{literal(c, r.src), s | mdCode})
			mark("`")
		case *ast.Emphasis:
			em, m := mdEmph, "*"
			if c.Level >= 2 {
				em, m = mdStrong, "**"
			}
			mark(m)
			ps = r.inlines(c, s|em, ps)
			mark(m)
		case *east.Strikethrough:
			mark("~~")
			ps = r.inlines(c, s|mdStrike, ps)
			mark("~~")
		case *ast.Link:
			start := len(ps)
			ps = r.inlines(c, s|mdLink, ps)
			label := ""
			for _, p := range ps[start:] {
				label += p.text
			}
			if dest := string(c.Destination); dest != "" && dest != label {
				ps = append(ps, piece{" ", s}, piece{"(" + dest + ")", s | mdURL})
			}
		case *ast.AutoLink:
			ps = append(ps, piece{string(c.URL(r.src)), s | mdLink})
		case *ast.Image:
			ps = append(ps, piece{"[image", s | mdURL})
			if alt := literal(c, r.src); alt != "" {
				ps = append(ps, piece{": ", s | mdURL})
				ps = r.inlines(c, s, ps)
			}
			ps = append(ps, piece{"]", s | mdURL}, piece{" ", s}, piece{"(" + string(c.Destination) + ")", s | mdURL})
		case *ast.RawHTML:
			for i := range c.Segments.Len() {
				seg := c.Segments.At(i)
				ps = append(ps, piece{string(seg.Value(r.src)), s})
			}
		case *east.TaskCheckBox:
			box := "[ ] "
			if c.IsChecked {
				box = "[x] "
			}
			ps = append(ps, piece{box, s})
		default:
			ps = r.inlines(c, s, ps)
		}
	}
	for i := range ps {
		ps[i].text = card.Printable(strings.ReplaceAll(ps[i].text, "\t", " "))
	}
	return ps
}

// literal is the text of n's children as written, for code spans and
// image descriptions.
func literal(n ast.Node, src []byte) string {
	var b strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			b.Write(c.Segment.Value(src))
			if c.SoftLineBreak() || c.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *ast.String:
			b.Write(c.Value)
		default:
			b.WriteString(literal(c, src))
		}
	}
	return b.String()
}

// unescape turns markdown's escapes and character references into the
// characters they stand for ("\*" is "*", "&#125;" is "}").
func unescape(v []byte) string {
	return string(util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v))))
}

// merge joins neighbouring pieces of one style.
func merge(ps []piece) []piece {
	var out []piece
	for _, p := range ps {
		if p.text == "" {
			continue
		}
		if n := len(out); n > 0 && out[n-1].s == p.s && p.text != "\n" && out[n-1].text != "\n" {
			out[n-1].text += p.text
			continue
		}
		out = append(out, p)
	}
	return out
}

// gaps gives the cloze gap, "[...]", a style of its own; goldmark may
// have read its brackets as pieces of their own, which merge joined.
func gaps(ps []piece) []piece {
	var out []piece
	for _, p := range ps {
		if p.s&mdCode != 0 || !strings.Contains(p.text, card.Gap) {
			out = append(out, p)
			continue
		}
		parts := strings.Split(p.text, card.Gap)
		for i, t := range parts {
			if i > 0 {
				out = append(out, piece{card.Gap, p.s | mdGap})
			}
			if t != "" {
				out = append(out, piece{t, p.s})
			}
		}
	}
	return out
}

// words splits pieces at spaces.
func words(ps []piece) []word {
	var out []word
	var cur word
	flush := func() {
		if len(cur.ps) > 0 {
			out = append(out, cur)
			cur = word{}
		}
	}
	for _, p := range ps {
		if p.text == "\n" {
			flush()
			out = append(out, word{br: true})
			continue
		}
		for i, t := range strings.Split(p.text, " ") {
			if i > 0 {
				flush()
			}
			if t != "" {
				cur.ps = append(cur.ps, piece{t, p.s})
				cur.width += ansi.StringWidth(t)
			}
		}
	}
	flush()
	return out
}

// wrap lays pieces out in lines at most width wide, breaking at spaces;
// a word wider than a line is cut where the line ends.
func (r *mdRenderer) wrap(ps []piece, width int) []string {
	width = max(width, 1)
	var lines []string
	var b strings.Builder
	used := 0
	newline := func() {
		lines = append(lines, b.String())
		b.Reset()
		used = 0
	}
	for _, w := range words(ps) {
		if w.br {
			newline()
			continue
		}
		if used > 0 && used+1+w.width > width {
			newline()
		}
		if used > 0 {
			b.WriteByte(' ')
			used++
		}
		for _, p := range w.ps {
			t := p.text
			for used+ansi.StringWidth(t) > width {
				room := width - used
				head := ansi.Cut(t, 0, room)
				if head == "" && used == 0 {
					// A character wider than the line: take it anyway.
					head = string([]rune(t)[:1])
				}
				b.WriteString(r.st.md(p.s, head))
				t = t[len(head):]
				newline()
			}
			b.WriteString(r.st.md(p.s, t))
			used += ansi.StringWidth(t)
		}
	}
	if used > 0 || b.Len() > 0 {
		newline()
	}
	return lines
}

// md draws text in the style s. It styles with termenv, under the
// renderer's colour profile, rather than lipgloss, which draws underlined
// and struck text one character at a time.
func (st styles) md(s mdStyle, text string) string {
	if !st.color || s == 0 || text == "" {
		return text
	}
	p := st.r.ColorProfile()
	out := p.String(text)
	if s&(mdStrong|mdHeader|mdGap|mdHeading) != 0 {
		out = out.Bold()
	}
	if s&mdEmph != 0 {
		out = out.Italic()
	}
	if s&mdStrike != 0 {
		out = out.CrossOut()
	}
	if s&(mdLink|mdHeading) != 0 && s&mdGap == 0 {
		out = out.Underline()
	}
	switch {
	case s&mdGap != 0:
		out = out.Foreground(p.Color("11"))
	case s&(mdCode|mdCodeBlock) != 0:
		out = out.Foreground(p.Color("13"))
	case s&mdURL != 0:
		out = out.Faint()
	case s&mdLink != 0:
		out = out.Foreground(p.Color("14"))
	case s&mdQuote != 0:
		out = out.Foreground(p.Color("8"))
	}
	return out.String()
}
