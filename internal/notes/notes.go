package notes

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"

	"github.com/recall-cli/recall/internal/card"
)

// This file holds Parse, the package's entry, what it takes and returns
// (Options, File, Error), and the goldmark parser it uses.

// Options tune a parse.
type Options struct {
	// Deck, when set, names the deck, overriding front matter, the first
	// H1 and the file name.
	Deck string
	// Lint, when set, has Parse say what each block of the notes became
	// (File.Findings).
	Lint bool
	// Spill, when set, holds the notes as the parser rewrites them into
	// markdown, which it reads back a part at a time, instead of memory:
	// with Stream and notes nobody else holds, a big file is then never
	// in memory whole once it is read.
	Spill Spill
}

// Spill is where the parser writes the markdown it makes of the notes,
// from offset 0 on, and reads parts of it back (see Options.Spill): a
// temporary file, for instance.
type Spill interface {
	io.WriterAt
	io.ReaderAt
}

// File is what one notes file holds.
type File struct {
	// Deck is the deck's name: Options.Deck, else front matter deck: (or
	// title:), else the first H1 (in raw text, the first line when it
	// reads as a title), else the file name without its extension.
	Deck string
	// Tags are the front-matter tags.
	Tags []string
	// Limits are the front matter's new: and reviews: per-day limits
	// (nil when unset; 0 is no cards of that kind).
	Limits card.Limits
	// Cards are the cards, in the order of the notes.
	Cards []card.Card
	// Findings say what each block of the notes became, in order, when
	// Options.Lint is set.
	Findings []Finding
}

// Error is a notes file recall cannot read. It matches card.ErrInvalid.
type Error struct {
	File string
	Line int // 1-based; 0 when the whole file is at fault
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s: line %d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// Unwrap makes an Error match card.ErrInvalid.
func (e *Error) Unwrap() error { return card.ErrInvalid }

// maxCards bounds the cards of one file.
const maxCards = 1_000_000

// markdown is the parser: CommonMark with GFM tables, so that a table is
// never read as a label or prose. Paragraphs become blockText nodes, whose
// inline content goldmark does not parse: recall reads card text from the
// source itself (see protector), so goldmark's inline pass, half its work,
// would be wasted.
var markdown = sync.OnceValue(func() parser.Parser {
	return goldmark.New(
		goldmark.WithExtensions(extension.Table),
		goldmark.WithParserOptions(parser.WithParagraphTransformers(util.Prioritized(rawParagraphs{}, 10000))),
	).Parser()
})

// blockText is a paragraph that goldmark leaves raw: its lines are all
// recall needs.
type blockText struct{ ast.BaseBlock }

// kindBlockText is the kind of blockText nodes.
var kindBlockText = ast.NewNodeKind("RecallText")

// Kind implements ast.Node.
func (n *blockText) Kind() ast.NodeKind { return kindBlockText }

// IsRaw implements ast.Node: goldmark does not parse the inline content.
func (n *blockText) IsRaw() bool { return true }

// Dump implements ast.Node.
func (n *blockText) Dump(src []byte, level int) { ast.DumpHelper(n, src, level, nil, nil) }

// rawParagraphs turns paragraphs into blockText nodes as they close. A
// paragraph that another block is about to take over (a setext heading's
// text) is no longer among the open blocks then, and is left alone; tables
// are made by an earlier transformer.
type rawParagraphs struct{}

// Transform implements parser.ParagraphTransformer.
func (rawParagraphs) Transform(p *ast.Paragraph, _ text.Reader, pc parser.Context) {
	open := false
	for _, b := range pc.OpenedBlocks() {
		if b.Node == ast.Node(p) {
			open = true
			break
		}
	}
	if !open || p.Lines().Len() == 0 || p.Parent() == nil {
		return
	}
	t := &blockText{}
	t.SetLines(p.Lines())
	t.SetBlankPreviousLines(p.HasBlankPreviousLines())
	p.Parent().ReplaceChild(p.Parent(), p, t)
}

// Parse turns one notes file into cards. name is the path shown in
// sources and errors; a name ending in .txt or .text is read as raw text
// (headings inferred from short standalone lines and separators, outlines
// from indentation), one ending in .org as org-mode, any other as
// markdown.
// Notes are UTF-8, or UTF-16 with a byte order mark; lines end in LF,
// CRLF or CR; control characters are dropped (see stripControls). Empty
// or prose-only notes give no cards and no error; binary or malformed
// input gives an *Error naming the file and line.
func Parse(name string, src []byte, opts Options) (File, error) {
	return parseAll(name, src, opts, defaultConfig())
}

// parseAll is Parse with its work shared out as cfg says.
func parseAll(name string, src []byte, opts Options, cfg parseConfig) (File, error) {
	f, err := parseWith(name, src, opts, cfg)
	if errors.Is(err, errListCut) {
		// A list cut into parts turned out not to be one that can be:
		// parse again without such cuts.
		cfg.listGap = 0
		return parseWith(name, src, opts, cfg)
	}
	return f, err
}

// parseWith parses as cfg says, and returns errListCut when a list cut
// into parts cannot be (see normalized.listCuts), having handed cards to
// cfg.sink, if set, maybe. It keeps nothing of src, which can go once the
// notes are normalised.
func parseWith(name string, src []byte, opts Options, cfg parseConfig) (File, error) {
	fm, body, bodyLine, err := readSource(name, src)
	if err != nil {
		return File{}, err
	}
	gap := cfg.listGap
	if opts.Lint {
		gap = 0 // a finding is of a list whole
	}
	nz, err := normalize(body, bodyLine, kindOf(name), gap, opts.Spill)
	if err != nil {
		return File{}, &Error{File: name, Msg: "keeping the notes aside: " + err.Error()}
	}
	w := &walker{
		name:   name,
		nz:     nz,
		clozes: !fm.noClose,
		lists:  !fm.noLists,
		lint:   opts.Lint,
		cur:    -1,
	}
	w.cl.isRef = func(label []byte) bool { return nz.refs[util.ToLinkReference(label)] }
	w.fileTags = append(append([]string{}, fm.tags...), nz.tags...)
	w.deck = strings.TrimSpace(opts.Deck)
	if w.deck == "" {
		w.deck = strings.TrimSpace(fm.deck)
	}
	if w.deck == "" {
		w.deck = strings.TrimSpace(fm.title)
	}
	if w.deck == "" {
		w.deck = strings.TrimSpace(string(nz.title))
	}
	// The one H1 of a file is its title. A file with several (one per
	// speaker, day or chapter) has no title: each H1 is a section.
	if nz.h1 >= 0 && nz.h1s == 1 {
		t, _ := w.cl.clean(nz.h1Text)
		if w.deck == "" {
			w.deck = t
		}
		w.hideH1 = t != "" && normKey(t) == normKey(w.deck)
	}
	// A deck name is one line, whatever gave it: a tab in a title is a
	// space, as it is in front matter.
	if w.deck = strings.TrimSpace(cleanText(w.deck)); w.deck == "" {
		w.deck = deckFromName(name)
	}
	w.normDeck = card.Normalize(w.deck)
	cards, err := w.parse(cfg)
	if errors.Is(err, errListCut) {
		return File{}, err
	}
	if e, ok := err.(eachError); ok {
		return File{}, e.err
	}
	if err != nil {
		return File{}, &Error{File: name, Msg: err.Error()}
	}
	return File{
		Deck:     w.deck,
		Tags:     append(append([]string{}, fm.tags...), nz.tags...),
		Limits:   card.Limits{New: fm.new, Reviews: fm.reviews, Scheduler: fm.scheduler},
		Cards:    cards,
		Findings: w.findings,
	}, nil
}

// Check returns the error Parse would find in notes before it makes any
// card: an encoding it cannot read, binary content, bad front matter.
// Parse may still fail on notes Check passes, when they make too many
// cards.
func Check(name string, src []byte) error {
	_, _, _, err := readSource(name, src)
	return err
}

// readSource decodes and cleans notes and splits off their front matter.
func readSource(name string, src []byte) (fm frontMatter, body []byte, bodyLine int, err error) {
	src, err = fromUTF16(name, src)
	if err != nil {
		return fm, nil, 0, err
	}
	src = lineEnds(src)
	if err := check(name, src); err != nil {
		return fm, nil, 0, err
	}
	src = stripControls(src)
	src = bytes.TrimPrefix(src, []byte("\xef\xbb\xbf"))
	return parseFrontMatter(name, src)
}

// kindOf tells raw text (.txt, .text) and org-mode (.org) files from
// markdown (any other name).
func kindOf(name string) int {
	switch strings.ToLower(filepath.Ext(name)) {
	case ".txt", ".text":
		return kindRaw
	case ".org":
		return kindOrg
	}
	return kindMarkdown
}

// deckFromName is a file's name without directory and extension.
func deckFromName(name string) string {
	base := filepath.Base(filepath.ToSlash(name))
	base = strings.TrimSpace(cleanText(strings.TrimSuffix(base, filepath.Ext(base))))
	if base == "" || base == "." || base == "-" || base == "/" {
		return "notes"
	}
	return base
}
