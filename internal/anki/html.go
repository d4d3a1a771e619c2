package anki

import (
	"bufio"
	"bytes"
	"crypto/sha1"
	"encoding/binary"
	"html"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/text/unicode/norm"

	"github.com/recall-cli/recall/internal/card"
)

// imageUse is what becomes of an image of the notes in a field.
type imageUse int

const (
	imageAsWritten imageUse = iota // not a file (a URL): left as written
	imageMedia                     // packed: its src is the media file's name
	imageDropped                   // a file that could not be packed: left out
)

// imageFunc maps an image destination found in the notes to what the
// field gets: the src of a packed image, or the image left as written or
// left out.
type imageFunc func(dest string) (src string, use imageUse)

// The attributes renderClean marks an image node with for mediaImages:
// the image is packed media, or is to be left out.
const (
	attrMedia   = "recall-media"
	attrDropped = "recall-dropped"
)

// htmlConv renders card markdown as Anki field HTML. It is not safe for
// concurrent use: it reuses one buffer.
type htmlConv struct {
	md  goldmark.Markdown
	buf bytes.Buffer

	// Neighbouring cards mostly share their breadcrumb and tags.
	lastCtx, lastTags           []string
	lastCtxField, lastTagsField string
}

// context is contextField, remembering the last breadcrumb.
func (h *htmlConv) context(ctx []string) string {
	if h.lastCtx == nil || !slices.Equal(ctx, h.lastCtx) {
		h.lastCtx, h.lastCtxField = slices.Clone(ctx), contextField(ctx)
	}
	return h.lastCtxField
}

// tags is tagsField, remembering the last tags.
func (h *htmlConv) tags(tags []string) string {
	if h.lastTags == nil || !slices.Equal(tags, h.lastTags) {
		h.lastTags, h.lastTagsField = append([]string{}, tags...), tagsField(tags)
	}
	return h.lastTagsField
}

func newHTMLConv() *htmlConv {
	return &htmlConv{md: goldmark.New(
		// GFM without linkify: a bare URL inside a cloze ({{c1::http://x}})
		// must not swallow the closing braces.
		goldmark.WithExtensions(extension.Table, extension.Strikethrough, extension.TaskList),
		goldmark.WithRendererOptions(
			renderer.WithNodeRenderers(util.Prioritized(escapeRaw{}, 100), util.Prioritized(newMediaImages(), 100)),
		),
	)}
}

// mediaImages renders the images renderClean marked: a packed one with
// its media file's name as src, as Anki keeps it in a field (its editor
// and importers store the name as it is, HTML-escaped only, and
// percent-encode it themselves to show it), where goldmark would
// percent-encode "my chart é.png"; a dropped one not at all. Other images
// are goldmark's.
type mediaImages struct {
	image renderer.NodeRendererFunc // goldmark's own
}

func newMediaImages() mediaImages {
	var m mediaImages
	gmhtml.NewRenderer().(renderer.NodeRenderer).RegisterFuncs(registerOnly{ast.KindImage, &m.image})
	return m
}

// registerOnly keeps the function a node renderer registers for one kind.
type registerOnly struct {
	kind ast.NodeKind
	fn   *renderer.NodeRendererFunc
}

func (r registerOnly) Register(k ast.NodeKind, fn renderer.NodeRendererFunc) {
	if k == r.kind {
		*r.fn = fn
	}
}

func (m mediaImages) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindImage, m.render)
}

func (m mediaImages) render(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if _, drop := node.AttributeString(attrDropped); drop {
		return ast.WalkSkipChildren, nil
	}
	if _, media := node.AttributeString(attrMedia); !media || !entering {
		return m.image(w, source, node, entering)
	}
	// goldmark's rendering of the image with an empty src gives the
	// rest (alt and title) as it writes them; the name goes in front.
	n := node.(*ast.Image)
	name := n.Destination
	n.Destination = nil
	n.RemoveAttributes()
	var buf bytes.Buffer
	bw := bufio.NewWriter(&buf)
	status, err := m.image(bw, source, n, entering)
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	_, _ = w.WriteString(`<img src="`)
	_, _ = w.Write(util.EscapeHTML(name))
	_, _ = w.Write(bytes.TrimPrefix(buf.Bytes(), []byte(`<img src="`)))
	return status, err
}

// inlineMD renders text that holds inline markdown only: a breadcrumb
// level (a heading's text) or a cloze hint. With the paragraph as its one
// block and no link reference definitions, "1. Intro", "# x" or "[a]: b"
// stay text, as they are in a heading or a hint. goldmark parses and
// renders with no state of the instance, so one serves every writer.
var inlineMD = goldmark.New(
	goldmark.WithParser(parser.NewParser(
		parser.WithBlockParsers(util.Prioritized(parser.NewParagraphParser(), 1000)),
		parser.WithInlineParsers(parser.DefaultInlineParsers()...),
		parser.WithInlineParsers(util.Prioritized(extension.NewStrikethroughParser(), 500)),
	)),
	goldmark.WithRendererOptions(renderer.WithNodeRenderers(
		util.Prioritized(escapeRaw{}, 100),
		util.Prioritized(extension.NewStrikethroughHTMLRenderer(), 500),
	)),
)

// inline renders inline markdown as field HTML on one line: spaces and
// line breaks folded, raw HTML escaped, cloze syntax neutralised (see
// noCloze).
func inline(md string) string {
	md = strings.Join(strings.Fields(cleanText(md)), " ")
	if md == "" {
		return ""
	}
	var b bytes.Buffer
	if err := inlineMD.Convert([]byte(md), &b); err != nil {
		// Rendering into a bytes.Buffer cannot fail; keep the text safe anyway.
		return noCloze(html.EscapeString(md))
	}
	out := strings.TrimSuffix(strings.TrimPrefix(strings.TrimRight(b.String(), "\n"), "<p>"), "</p>")
	return noCloze(out)
}

// escapeRaw renders raw HTML found in the notes as text, so that a <script>
// in notes reaches Anki as "&lt;script&gt;". goldmark's default would drop
// it (or, unsafe, pass it through).
type escapeRaw struct{}

func (escapeRaw) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindRawHTML, renderRawHTML)
	reg.Register(ast.KindHTMLBlock, renderHTMLBlock)
}

func renderRawHTML(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	segs := node.(*ast.RawHTML).Segments
	for i := range segs.Len() {
		seg := segs.At(i)
		_, _ = w.Write(util.EscapeHTML(seg.Value(source)))
	}
	return ast.WalkSkipChildren, nil
}

func renderHTMLBlock(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.HTMLBlock)
	var lines []string
	for i := range n.Lines().Len() {
		line := n.Lines().At(i)
		lines = append(lines, string(util.EscapeHTML(bytes.TrimRight(line.Value(source), "\r\n"))))
	}
	if n.HasClosure() {
		lines = append(lines, string(util.EscapeHTML(bytes.TrimRight(n.ClosureLine.Value(source), "\r\n"))))
	}
	_, _ = w.WriteString("<p>" + strings.Join(lines, "<br>\n") + "</p>\n")
	return ast.WalkSkipChildren, nil
}

// render turns markdown into HTML. A lone paragraph loses its <p> wrapper,
// as a field typed in Anki has none. Images go through img when it is set.
func (h *htmlConv) render(md string, img imageFunc) string {
	return h.renderClean(cleanText(md), img)
}

// renderClean is render of text already through cleanText.
func (h *htmlConv) renderClean(md string, img imageFunc) string {
	if plain(md) {
		// The common case, a line of prose: goldmark would only escape it.
		return noCloze(strings.ReplaceAll(md, `"`, "&quot;"))
	}
	src := []byte(md)
	doc := h.md.Parser().Parse(text.NewReader(src))
	if img != nil {
		_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
			if im, ok := n.(*ast.Image); ok && entering {
				switch src, use := img(string(im.Destination)); use {
				case imageMedia:
					im.Destination = []byte(src)
					im.SetAttributeString(attrMedia, true)
				case imageDropped:
					im.SetAttributeString(attrDropped, true)
				}
			}
			return ast.WalkContinue, nil
		})
	}
	h.buf.Reset()
	if err := h.md.Renderer().Render(&h.buf, src, doc); err != nil {
		// Rendering into a bytes.Buffer cannot fail; keep the text safe anyway.
		return noCloze(html.EscapeString(md))
	}
	out := strings.TrimRight(h.buf.String(), "\n")
	// A lone paragraph, or lone raw HTML (which escapeRaw writes as one).
	if k := doc.FirstChild(); doc.ChildCount() == 1 && (k.Kind() == ast.KindParagraph || k.Kind() == ast.KindHTMLBlock) {
		out = strings.TrimSuffix(strings.TrimPrefix(out, "<p>"), "</p>")
	}
	return noCloze(out)
}

// noClozeRepl writes "{{" and "}}" with a character reference for the
// second brace.
var noClozeRepl = strings.NewReplacer("{{", "{&#123;", "}}", "}&#125;")

// noCloze keeps Anki from reading cloze syntax in field HTML: every "{{"
// and "}}" gets a character reference for its second brace, which shows
// the same but is no longer the "{{c" that opens a deletion or the "}}"
// that closes one (rslib/src/cloze.rs reads the field's HTML source).
// Anki makes a card of a deletion in any field of a cloze note
// (rslib/src/notetype/cardgen.rs), so every field goes through it; a
// card's own deletion is added afterwards.
func noCloze(s string) string {
	if !strings.Contains(s, "{{") && !strings.Contains(s, "}}") {
		return s
	}
	return noClozeRepl.Replace(s)
}

// plain reports whether goldmark would render md as one paragraph of its
// text with only `"` escaped: one line, no markdown or HTML syntax, no
// space at the edges, no block marker at the start.
func plain(md string) bool {
	if md == "" || md[0] == ' ' || md[len(md)-1] == ' ' {
		return false
	}
	switch c := md[0]; {
	case c == '#' || c == '>' || c == '-' || c == '+' || c == '=' || (c >= '0' && c <= '9'):
		return false
	}
	for i := 0; i < len(md); i++ {
		switch c := md[i]; c {
		case '\\', '`', '*', '_', '[', ']', '!', '<', '>', '&', '~', '|':
			return false
		default:
			if c < 0x20 || c == 0x7f {
				return false
			}
		}
	}
	return true
}

// cleanText makes user text safe to store in a field: valid UTF-8, no
// control characters but tab and newline (Anki strips them, and \x1f would
// split the field), no private-use placeholders of ours, \n line ends.
func cleanText(s string) string {
	ok := utf8.ValidString(s)
	if ok {
		for i := 0; i < len(s); i++ {
			c := s[i]
			if (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f || c == 0xee {
				ok = false
				break
			}
		}
	}
	if ok {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\t' || r == '\n':
			return r
		case r < 0x20 || r == 0x7f || r == phOpen || r == phClose:
			return -1
		}
		return r
	}, s)
}

// Placeholders stand for cloze deletions while the text around them goes
// through markdown; the deletions are rendered on their own and put back.
const (
	phOpen  = '\uE000'
	phClose = '\uE001'
)

func placeholder(i int) string {
	return string(phOpen) + strconv.Itoa(i) + string(phClose)
}

// clozeMarks finds the deletions {{cN::text}} of a cloze text, as the
// pattern {{c(\d+)::(.*?)}} would: for each, the offsets of the whole mark,
// of N and of text, like regexp's FindAllStringSubmatchIndex.
func clozeMarks(t string) [][]int {
	var out [][]int
	for i := 0; ; {
		k := strings.Index(t[i:], "{{c")
		if k < 0 {
			return out
		}
		start := i + k
		d := start + 3
		for d < len(t) && t[d] >= '0' && t[d] <= '9' {
			d++
		}
		if d == start+3 || !strings.HasPrefix(t[d:], "::") {
			i = start + 1
			continue
		}
		end := strings.Index(t[d+2:], "}}")
		if end < 0 {
			return out
		}
		body := d + 2
		out = append(out, []int{start, body + end + 2, start + 3, d, body, body + end})
		i = body + end + 2
	}
}

// cloze renders a cloze card's text as an Anki Cloze field holding one
// deletion, c1: the card's own. Other deletions in Card.Text (a prose
// paragraph with several) are shown as plain text, because each recall
// cloze card is its own note. Without Card.Text the text is Front with the
// gap filled by Back. ok is false when there is no deletion to make.
func (h *htmlConv) cloze(c card.Card, img imageFunc) (field string, ok bool) {
	type deletion struct {
		content, hint string
		own           bool
	}
	var (
		body string
		dels []deletion
	)
	if strings.TrimSpace(c.Text) == "" {
		i := strings.Index(c.Front, card.Gap)
		if i < 0 || strings.TrimSpace(c.Back) == "" {
			return "", false
		}
		front := cleanText(c.Front)
		i = strings.Index(front, card.Gap)
		body = front[:i] + placeholder(0) + front[i+len(card.Gap):]
		dels = []deletion{{content: c.Back, own: true}}
	} else {
		t := cleanText(c.Text)
		// A number Anki reads as no card (0) or no deletion (above a
		// u16) leaves its mark as text, as notes does.
		ms := slices.DeleteFunc(clozeMarks(t), func(m []int) bool {
			n, err := strconv.ParseUint(t[m[2]:m[3]], 10, 16)
			return err != nil || n == 0
		})
		if len(ms) == 0 {
			return "", false
		}
		nums := make([]int, len(ms))
		own := -1
		for i, m := range ms {
			nums[i], _ = strconv.Atoi(t[m[2]:m[3]])
			content, _, hinted := strings.Cut(t[m[4]:m[5]], "::")
			content = unescapeDeletion(content)
			if k := braceRun(t[m[1]:]); k > 0 && !hinted && content+t[m[1]:m[1]+k] == strings.TrimSpace(c.Back) {
				// The answer ends in "}", which notes writes before the
				// "}}" that closes its deletion.
				m[1] += k
				m[5] += k
				content = unescapeDeletion(t[m[4]:m[5]])
			}
			if own < 0 && card.Normalize(content) == card.Normalize(c.Back) {
				own = nums[i]
			}
		}
		if own < 0 {
			own = nums[0]
			for _, n := range nums {
				own = min(own, n)
			}
		}
		var b strings.Builder
		last := 0
		for i, m := range ms {
			b.WriteString(unescapeText(t[last:m[0]]))
			b.WriteString(placeholder(i))
			last = m[1]
			content, hint, _ := strings.Cut(t[m[4]:m[5]], "::")
			dels = append(dels, deletion{content: unescapeDeletion(content), hint: unescapeDeletion(hint),
				own: nums[i] == own})
		}
		b.WriteString(unescapeText(t[last:]))
		body = b.String()
	}
	out := h.renderClean(body, img)
	for i, d := range dels {
		ph := placeholder(i)
		if !strings.Contains(out, ph) {
			if d.own {
				// The deletion landed where markdown does not keep text
				// (a link target, say): no cloze can be made of it.
				return "", false
			}
			continue
		}
		rep := h.render(d.content, img)
		if d.own {
			rep = "{{c1::" + clozeSafe(rep)
			if strings.TrimSpace(d.hint) != "" {
				rep += "::" + clozeSafe(inline(d.hint))
			}
			rep += "}}"
		}
		out = strings.ReplaceAll(out, ph, rep)
	}
	return out, strings.Contains(out, "{{c1::")
}

// Card.Text marks its deletions with cloze syntax, so notes writes what
// would end a deletion early or open another as character references: in
// a deletion's text and hint "::", "}}" and "{{" as ":&#58;", "}&#125;"
// and "{&#123;", around them "{{" as "{&#123;". Markdown would show those
// as the characters, but in a code span as the references themselves:
// they are turned back into the characters before rendering, and the
// rendered HTML is made safe for Anki once, by noCloze and clozeSafe.
var (
	deletionUnescaper = strings.NewReplacer(":&#58;", "::", "}&#125;", "}}", "{&#123;", "{{")
	textUnescaper     = strings.NewReplacer("{&#123;", "{{")
)

// unescapeDeletion undoes notes' escapes in a deletion's text or hint.
func unescapeDeletion(s string) string {
	if !strings.Contains(s, "&#") {
		return s
	}
	return deletionUnescaper.Replace(s)
}

// unescapeText undoes notes' escape of the text around deletions.
func unescapeText(s string) string {
	if !strings.Contains(s, "&#") {
		return s
	}
	return textUnescaper.Replace(s)
}

// braceRun is the number of '}' s starts with.
func braceRun(s string) int {
	if k := strings.IndexFunc(s, func(r rune) bool { return r != '}' }); k >= 0 {
		return k
	}
	return len(s)
}

// clozeSafe keeps rendered text from closing or splitting the deletion it
// is put in, as its text or its hint: the characters that would are
// written as character references, which show the same. Besides "::" and
// "}}", that is a ':' or '}' at the end, which would make one with the
// "::" or "}}" that follows.
func clozeSafe(s string) string {
	if !strings.ContainsAny(s, ":{}") {
		return s
	}
	s = noCloze(strings.ReplaceAll(s, "::", ":&#58;"))
	switch {
	case strings.HasSuffix(s, ":"):
		s = s[:len(s)-1] + "&#58;"
	case strings.HasSuffix(s, "}"):
		s = s[:len(s)-1] + "&#125;"
	}
	return s
}

// stripHTML is Anki's strip_html_preserving_media_filenames, which Anki
// computes a note's sfld and csum from: an image tag becomes its file name
// between spaces; comments, style and script elements and other tags go;
// entities are decoded (a no-break space to a space). It scans instead of
// running Anki's regular expressions, which cost more than the rest of a
// note; stripHTMLRE in the tests is the reference it is held to.
func stripHTML(s string) string {
	if !strings.ContainsAny(s, "<&") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 {
			b.WriteString(s[i:])
			break
		}
		b.WriteString(s[i : i+j])
		i += j
		end := tagEnd(s, i)
		if end < 0 {
			b.WriteByte('<')
			i++
			continue
		}
		if hasPrefixFold(s[i:], "<img") {
			if src, ok := imgSrc(s[i:end]); ok {
				b.WriteString(" " + src + " ")
			}
		}
		i = end
	}
	out := b.String()
	if strings.Contains(out, "&") {
		out = strings.ReplaceAll(html.UnescapeString(out), "\u00a0", " ")
	}
	return out
}

// tagEnd returns the end of the markup starting at s[i] == '<', as Anki's
// pattern sees it: a whole comment, style or script element, else up to
// the first '>'. -1 when nothing closes it.
func tagEnd(s string, i int) int {
	rest := s[i:]
	if strings.HasPrefix(rest, "<!--") {
		if k := strings.Index(rest[4:], "-->"); k >= 0 {
			return i + 4 + k + 3
		}
	}
	for _, el := range [...]string{"style", "script"} {
		if hasPrefixFold(rest, "<"+el) {
			if open := strings.IndexByte(rest, '>'); open >= 0 {
				if k := indexFold(rest[open+1:], "</"+el+">"); k >= 0 {
					return i + open + 1 + k + len(el) + 3
				}
			}
		}
	}
	if k := strings.IndexByte(rest[1:], '>'); k >= 0 {
		return i + 1 + k + 1
	}
	return -1
}

// imgSrc returns the src attribute of an img tag.
func imgSrc(tag string) (string, bool) {
	k := indexFold(tag, "src=")
	if k < 0 {
		return "", false
	}
	v := tag[k+4:]
	if v != "" && (v[0] == '"' || v[0] == '\'') {
		if e := strings.IndexByte(v[1:], v[0]); e > 0 {
			return v[1 : 1+e], true
		}
		return "", false
	}
	e := strings.IndexAny(v, " >")
	if e <= 0 {
		return "", false
	}
	return v[:e], true
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// indexFold is strings.Index ignoring ASCII case, for ASCII needles.
func indexFold(s, needle string) int {
	for i := 0; i+len(needle) <= len(s); i++ {
		if hasPrefixFold(s[i:], needle) {
			return i
		}
	}
	return -1
}

// checksum is Anki's field checksum: the first 32 bits of the SHA-1 of a
// stripped first field (see stripHTML).
func checksum(stripped string) int64 {
	sum := sha1.Sum([]byte(stripped))
	return int64(binary.BigEndian.Uint32(sum[:4]))
}

// contextField is the breadcrumb as field HTML: each level, a heading's
// markdown, rendered inline (see inline), the levels joined with " › ".
func contextField(ctx []string) string {
	clean := true
	for _, c := range ctx {
		if !plainLevel(c) {
			clean = false
			break
		}
	}
	if clean {
		return strings.Join(ctx, " › ")
	}
	return contextFieldSlow(ctx)
}

// contextFieldSlow is contextField for any text.
func contextFieldSlow(ctx []string) string {
	parts := make([]string, 0, len(ctx))
	for _, c := range ctx {
		if c = inline(c); c != "" {
			parts = append(parts, c)
		}
	}
	return strings.Join(parts, " › ")
}

// plainLevel reports whether a breadcrumb level renders as itself:
// printable ASCII or UTF-8 text without HTML specials, inline markdown
// syntax or braces, single spaces, none at the edges.
func plainLevel(s string) bool {
	if s == "" || s[0] == ' ' || s[len(s)-1] == ' ' || !utf8.ValidString(s) {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c == 0x7f || c == '<' || c == '>' || c == '&' || c == '"' || c == '\'' || c == '{' || c == '}':
			return false
		case c == '\\' || c == '`' || c == '*' || c == '_' || c == '[' || c == ']' || c == '!' || c == '~':
			return false
		case c == ' ' && s[i+1] == ' ':
			return false
		case c >= 0x80:
			// Non-ASCII spaces (no-break, ideographic) fold like ASCII ones.
			r, _ := utf8.DecodeRuneInString(s[i:])
			if unicode.IsSpace(r) || r == phOpen || r == phClose {
				return false
			}
		}
	}
	return true
}

// Tags and deck names are plain text to Anki: its browser, tag editor and
// deck list show them as text (the deck list escapes names itself,
// aqt/deckbrowser.py), so an entity would show as written. But a card
// template's {{Tags}}, {{Deck}} and {{Subdeck}} put them into the card's
// HTML unescaped (rslib/src/notetype/render.rs, add_special_fields), so
// "<script>" in one would run on every card of a template that shows it.
// Neither can be escaped, then: the characters that make markup are taken
// out, as Anki takes out those it refuses (ASCII controls and '"',
// rslib/src/tags/register.rs and decks/name.rs).

// cleanTag makes a tag Anki keeps as one tag: no spaces (they separate
// tags; inner ones become "_"), no control characters or quotes, no '<',
// '>' or '&' (they become "_" too: see above), the "::" hierarchy kept
// with empty levels dropped. "" if nothing is left.
func cleanTag(t string) string {
	comps := strings.Split(cleanText(t), "::")
	out := comps[:0]
	for _, c := range comps {
		c = strings.Map(func(r rune) rune {
			switch {
			case unicode.IsSpace(r) || r == '<' || r == '>' || r == '&':
				return ' '
			case r == '"' || unicode.IsControl(r):
				return -1
			}
			return r
		}, c)
		c = nfc(strings.Join(strings.Fields(c), "_"))
		c = strings.Trim(c, ":")
		if c != "" {
			out = append(out, c)
		}
	}
	return strings.Join(out, "::")
}

// tagsField is the notes.tags value: cleaned tags, duplicates (ignoring
// case) dropped, space separated and space padded; "" without tags.
func tagsField(tags []string) string {
	if len(tags) == 0 {
		return ""
	}
	if len(tags) <= 4 && plainTags(tags) {
		return " " + strings.Join(tags, " ") + " "
	}
	return tagsFieldSlow(tags)
}

// tagsFieldSlow is tagsField for any tags.
func tagsFieldSlow(tags []string) string {
	seen := make(map[string]bool, len(tags))
	var b strings.Builder
	for _, t := range tags {
		t = cleanTag(t)
		k := strings.ToLower(t)
		if t == "" || seen[k] {
			continue
		}
		seen[k] = true
		b.WriteByte(' ')
		b.WriteString(t)
	}
	if b.Len() == 0 {
		return ""
	}
	b.WriteByte(' ')
	return b.String()
}

// plainTags reports whether a few tags need no cleaning: lower-case ASCII
// letters, digits, '-', '_', '.' and "::" between levels, all different.
func plainTags(tags []string) bool {
	for i, t := range tags {
		if t == "" || t[0] == ':' || t[len(t)-1] == ':' || strings.Contains(t, ":::") {
			return false
		}
		for j := 0; j < len(t); j++ {
			c := t[j]
			if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':') {
				return false
			}
			if c == ':' && (j+1 >= len(t) || t[j+1] != ':') && (j == 0 || t[j-1] != ':') {
				return false
			}
		}
		for _, u := range tags[:i] {
			if u == t {
				return false
			}
		}
	}
	return true
}

// cleanDeckPart makes one level of a deck name: no control characters or
// quotes, no '<' or '>' (which become spaces: see cleanTag; '&' stays, as
// it opens no markup and "Q&A" is a common name), no "::" (which would
// nest), spaces folded, edges trimmed of spaces and colons as Anki does.
// "" if nothing is left.
func cleanDeckPart(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '<' || r == '>':
			return ' '
		case r == '"' || unicode.IsControl(r):
			return -1
		}
		return r
	}, cleanText(s))
	s = strings.ReplaceAll(s, "::", ":")
	s = nfc(strings.Join(strings.Fields(s), " "))
	return strings.TrimFunc(s, func(r rune) bool { return r == ':' || unicode.IsSpace(r) })
}

// nfc is s in Unicode normal form C, which Anki gives tags and deck names
// (normalize_to_nfc in rslib/src/tags/register.rs and decks/name.rs): a
// deck named otherwise is one Anki's text import does not find, and makes
// anew.
func nfc(s string) string {
	if norm.NFC.IsNormalString(s) {
		return s
	}
	return norm.NFC.String(s)
}

// deckName is the Anki deck of a card: its recall deck (which may nest with
// "::" itself), then its section (Subdeck) unless flat.
func deckName(c card.Card, flat bool) string {
	var parts []string
	top := c.Deck
	if strings.TrimSpace(top) == "" && len(c.Context) > 0 {
		top = c.Context[0]
	}
	for _, p := range strings.Split(top, "::") {
		if p = cleanDeckPart(p); p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		parts = []string{"recall"}
	}
	if sub := Subdeck(c); !flat && sub != "" {
		parts = append(parts, sub)
	}
	return strings.Join(parts, "::")
}

// Subdeck is the level an export adds below a card's deck: its Section,
// the heading below the file's title (whatever the title says), as the
// text its markdown shows ("**Go** &amp; `C`" is "Go & C"), made fit to be
// a deck name; "" when the card has none. recall's own subdecks (review
// --deck "QCon SF 2018::Containers") are named by it too, so that they are
// the decks Anki shows.
func Subdeck(c card.Card) string {
	if c.Section == "" {
		return ""
	}
	return cleanDeckPart(headingText(c.Section))
}

// headingText is the text a heading shows, its markdown rendered (as in
// the breadcrumb) and stripped: "**Go** &amp; `C`" is "Go & C".
func headingText(md string) string {
	if plainLevel(md) {
		return md
	}
	return stripHTML(inline(md))
}

// localImage returns the file path an image destination names, or ok
// false for a URL (http, https, data, …), a protocol-relative or fragment
// reference, which stay as written.
func localImage(dest string) (path string, ok bool) {
	if dest == "" || strings.HasPrefix(dest, "//") || strings.HasPrefix(dest, "#") {
		return "", false
	}
	if i := strings.IndexAny(dest, ":/?#"); i > 0 && dest[i] == ':' {
		if u, err := url.Parse(dest); err == nil && u.Scheme != "" {
			return "", false
		}
	}
	if p, err := url.PathUnescape(dest); err == nil {
		dest = p
	}
	return dest, true
}
