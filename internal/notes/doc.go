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
// "Label * a * b" line) gives a list card, "Label — name the N items", and,
// when it has three items or more, a cloze per item showing the list with
// that item hidden (a window of seven items for long lists; "#k of Label"
// for ordered lists). A list of two items gives its list card only: a
// cloze of it would be the list card with the other item shown, a review
// that adds no recall (the minimum-information principle). A list of one
// item under a label gives a basic card "Label?". A bullet "Term:
// definition", "**Term**: definition", "Term - definition" or "Term =>
// definition" (term of at most six words) gives a basic card "Term?"; in a
// list of such bullets only (a glossary) there is no list card. Items of
// ordered lists are always list items, never definitions. "Q :: A" gives a
// basic card, "Q ::: A" also its reverse, and a line holding only "?"
// between two blocks gives a multi-line basic card. ==text==, {{c1::text}}
// and {{c1::text::hint}} give one cloze card per cloze number; a hint shows
// as [hint] in place of the gap.
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
// its number). A key met again in a file gets "#2", "#3"… Anchors read file#heading/path@list1/3 (item 3 of the section's
// first list), @list1/8/list1 (the list under its item 8), @p2 (second
// paragraph), @qa1, with :def, :reverse or :cN for the cards made there.
//
// # Reading
//
// A normaliser first turns raw-notes idioms into markdown, keeping a map
// to the lines of the input: "Label * a * b" lines become a label and a
// list ("Label 1. a * x 2. b" an ordered list whose items own the bullets
// after them; in a bullet line an item ending in ':' owns the bullets after
// it), bullets such as • and indented "  1." items become lists nested by
// their indentation, lines that are only notes-to-self become blank, and a
// line that is only "?" lifts a question block and an answer block out. In
// raw text (.txt) without markdown headings, short standalone lines that
// do not read as sentences become headings: the first line is the title, a
// heading directly followed by another is its parent, and a heading after
// notes is a sibling of the last heading that had notes under it (a run of
// headings ends at that level, its parents above it). Goldmark then
// parses the block structure; card text is read from the source by a
// scanner that skips code spans, math and escapes, so markers there stay
// text, and fenced and indented code, HTML and tables are never read.
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
// indentation is flattened, a list of more than 100 items gets no list card
// or clozes, a text over 8 KB no clozes, and a file may make at most a
// million cards.
package notes
