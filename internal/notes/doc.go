// Package notes turns notes — markdown, or raw text such as conference
// takeaways — into flashcards. It owns the reading of notes: the
// normaliser that turns raw-notes idioms into markdown, the goldmark parse,
// the walk of the syntax tree and the rules that make cards of each shape
// (lists, nested lists, definitions, explicit questions, clozes).
//
// It takes bytes and returns values; it must not import store, srs, review,
// anki or cli, nor read the environment, the clock or the standard streams.
//
// # Shapes
//
// A list under a label (a heading, a paragraph, a parent bullet or a raw
// "Label * a * b" line) gives a list card, "Label — name the N items",
// and, when it has three items or more, a cloze per item showing the list
// with that item hidden ("#k of Label" for ordered lists). It does so when
// the label asks for the set (it ends in ':' or '?', its head noun names
// one, "Takeaways", "Five tenets of SOA", or, right above the list, it ends
// in a plural) or the items are short parallel phrases; remarks under a
// talk's title, a name or a statement are not a set and give nothing (see
// listShape, asksForSet). A list of more than eight items comes in
// consecutive parts of at most eight, as even as they can be ("Label
// (2/4) — after “…”, name the next 4 items"), each with its list card and
// clozes; long sentences get one list card or none, never parts. A
// list of two items gives its list card only: a cloze of it would be the
// list card with the other item shown, a review that adds no recall (the
// minimum-information principle). One item under a label gives a basic
// card "Label?" when the label reads as a prompt (see promptLike). A
// bullet "Term: definition", "**Term**: definition", "Term - definition",
// "Term — definition", "Term = definition", "Term == definition", "Term
// -> definition" or "Term => definition" gives a basic card "Term?" when
// the term is a term (see termOK); a list of such bullets (a glossary)
// has no list card; a definition with one or two plain items under it
// shows them in its back. In raw text, a line of that form is one too.
// Items of ordered lists are always list items, never definitions. "Q ::
// A" gives a basic card, "Q ::: A" also its reverse, and a line holding
// only "?" (and maybe tags: "? #hard") between two blocks gives a
// multi-line basic card. ==text==, {{c1::text}} and {{c1::text::hint}}
// give one cloze card per cloze number; a hint shows as [hint] in place
// of the gap.
//
// # What is worth a card
//
// The rules a careful reader applies (quality.go, terms.go, listshape.go,
// links.go): a bare link or an example ("e.g. …") is shown in a list card
// but never counted, hidden or an answer; metadata (speaker, byline,
// "Video:", a roster of names), notes to self (TODO, "(??? … ???)", a
// trailing "???", task boxes, "Insight:"), the note-taker's own story and
// reactions ("very cool") reach no card; a question, code or a lone verb
// is never hidden; an answer of advice ("should…"), attribution
// ("defined by…") or a bare "partially" is no answer; a term that counts
// ("2 groups") or points elsewhere ("the above") is no term; an item
// whose substance is its children is shown with them (the list card
// shows the nesting) and never hidden or an answer; a list
// cloze hides at most about fifteen words, and a list of long sentences
// gets its list card and no clozes; a term that repeats in a list or
// three times in a file labels a kind of remark ("DP:", "example:"), not a
// thing, and a definition several terms share ("cli command") is a kind.
// A generic label ("Steps", "Disadvantages") under a term just defined is
// that term's ("Steps of k-means clustering"). Cards of one file that ask the same are told apart by the entry
// of their breadcrumb that differs. Options.Lint has Parse say, block by
// block, what the notes became and why (Finding).
//
// # Breadcrumbs, tags, identity
//
// A card's Context is its deck, the headings above it and its parent
// bullets (and, for cards made from the items of a list under a paragraph,
// that paragraph); an entry that would give the answer away is left out.
// Its tags are the front-matter tags, the inline #tags of the text it came
// from and of its headings, and one hierarchical tag for its heading path:
// the headings' slugs (lower case, runs of other characters as '-') joined
// by "::", as in "containers::k8s-commandments". The heading that names the
// deck is neither in the breadcrumb nor in the tag.
//
// Keys (see card.Card) are: basic and reverse, the normalised prompt; list,
// "list:" and the normalised label; a list's cloze, "cloze:", the label,
// "|" and the item; any other cloze, "cloze:|" and its deleted text (never
// its number). A key met again in a file gets "#2", "#3"…
//
// Anchors (see anchor.go) read file#heading/path@list1/3 (item 3 of the
// section's first list), @list1/8/list1 (the list under its item 8), @p2
// (second paragraph), @qa1, with :def, :reverse, :cN or :partN for the
// cards made there.
//
// # Reading
//
// Notes are UTF-8, or UTF-16 with a byte order mark (decoded first, line
// for line); UTF-16 without one is an Error that says how to convert it.
// Lines end in LF, CRLF or a lone CR (classic Mac OS), mixed as they
// come. Terminal escape sequences ("\x1b[31m", "\x1b]0;title\x07") and
// the other control characters but tab and line end (C0, DEL, C1) are
// dropped before anything is read, and from front matter values,
// Options.Deck and the file name a deck takes: no card field, deck name,
// tag or breadcrumb holds one.
// A normaliser first turns raw-notes idioms into markdown, keeping a map
// to the lines of the input: "Label * a * b" lines become a label and a
// list ("Label 1. a * x 2. b" an ordered list whose items own the bullets
// after them; in a bullet line an item ending in ':' owns the bullets after
// it), and bullets such as • become list items. Raw text (.txt) is read
// as a person reads it (raw.go): a line is a thought of its own unless it
// carries on the line above; indentation nests, with or without bullets
// ("o", "(a)" and "-)" bullets too); "Label:" owns the short lines under
// it, and one line of any length answers it; a line of dashes or a date
// ends a section and the title after it starts the next; underlined and
// "*** starred ***" lines are headings; and short standalone lines that do
// not read as sentences become headings: the first line is the title, a
// heading directly followed by another is its parent, and a heading after
// notes is a sibling of the last heading that had notes under it (a run
// of headings ends at that level, its parents above it). A file with
// several level-1 headings takes its deck from front matter or its name,
// and each H1 is a section. Org-mode files (.org) have their "*"
// headings, #+TITLE and blocks read; Logseq pages their title:: and
// tags:: and their heading:: true blocks; an HTML <details> block is read
// as the notes it folds away. Goldmark then parses the block structure;
// card text is read from the source by a scanner that skips code spans,
// math and escapes, so markers there stay text, and fenced and indented
// code, HTML and tables are never read.
//
// Front matter, between "---" lines at the top, is YAML: deck:, title:,
// tags: (a list, or words or commas), new:, reviews: and cards: {clozes,
// lists} are read, in any case, and other keys are left alone. Front
// matter that is not YAML, or gives one of these a value of the wrong
// kind, is an Error on the line at fault; only a deck or title holding
// ": " is read as if quoted.
//
// Notes-to-self are bracketed "[word: …]" or "[link]", "[img …]",
// "[TODO …]" and the like that are not links; they are dropped from card
// text. A #tag is a '#' at the start of a word followed by a letter.
//
// # Writing
//
// Format writes cards back as a deck file, the markdown of `recall
// generate --format md`, which Parse reads as the same cards: headings
// from the breadcrumbs, lists under their labels, "Q :: A" lines, "?"
// blocks, {{cN::…}} paragraphs, front matter for the tags every card has
// and for list clozes or list cards turned off.
//
// Hostile input stays linear: nesting past 32 markers or 128 columns of
// indentation is flattened, a cloze text over 8 KB or of more than 50
// cloze numbers is cut into pieces that are not (the card of a cloze
// shows the piece around it; clozes no cut can part, one number in places
// far apart, are a lint warning and no cards), and a file may make at
// most a million cards.
package notes
