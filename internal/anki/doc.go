// Package anki writes recall's cards as Anki packages: the legacy .apkg
// (a zip holding a schema-11 collection.anki2, a media map and the media
// files) that every Anki since 2.1 and AnkiDroid import, and the tab
// separated text Anki's text importer reads. It also reads .apkg files back
// and checks them against every rule Anki's importer enforces, for tests and
// a later import.
//
// It owns the mapping from recall to Anki: note types with fixed ids, decks
// from the recall deck and its top heading, guids from recall's stable card
// ids, markdown rendered to HTML with raw HTML escaped, images packed as
// media, and (on request) the SM-2 schedule and review log.
//
// Choices made here, documented once:
//   - Decks: the recall deck, plus one sub-deck level from the heading
//     below the file's title (Card.Section, as the text its markdown
//     shows): "QCon SF 2018::Containers". The title is never a sub-deck,
//     whatever it says; deeper headings stay in the breadcrumb only.
//     Options.FlatDecks turns sub-decks off.
//   - A deck is spelled as first seen ignoring case ("Default" for the
//     default deck), under its parent's spelling, in normal form C, in the
//     package and the CSV alike: Anki's text import finds decks by their
//     exact name. A deck named by an integer, which that import reads as a
//     deck id, gets a warning in the CSV.
//   - Tags and deck names hold no '<' or '>' (tags no '&' either): Anki
//     shows them as text, so they cannot be escaped, but a template's
//     {{Tags}} and {{Deck}} put them unescaped into the card's HTML.
//   - Ids: note and card ids are derived from the card id into a fixed
//     window of millisecond times (2018-01-01 plus about 2.2 years, slid
//     back when Options.Now is earlier), so re-exports give the same ids;
//     a collision moves to the next free id. recall's hex card ids keep
//     their order; the cards may come in any order, as the rows are
//     sorted before they are written.
//   - The collection file is written by package sqlitefile, page by page,
//     from the rows sorted by id (see Writer), not through SQLite: a
//     quarter of the time. Any SQLite opens it, and its integrity check
//     passes (Read runs it).
//   - Guids are "recall-" and the card id; a basic card and its reverse
//     make one note, whose guid is the basic card's.
//   - A cloze card is a Cloze note of its own holding one deletion, c1;
//     other deletions of its text are shown as plain text. Any other
//     cloze syntax in any field ("{{c2::", a lone "}}") is written with a
//     character reference that Anki shows as the brace but does not read
//     as a deletion, since Anki makes a card of a deletion in any field.
//   - crt is 2000-01-01 at the rollover hour in the location of
//     Options.Now, so review due days are never negative and stay far below
//     Anki's 100000 limit.
//   - A card reviewed but not yet passed (SM-2 reps 0, the "learning"
//     state) is exported as a review card with its interval (at least 1)
//     and due date: Anki's learning states are not used.
//   - Without Options.WithProgress every card is new, suspended ones too
//     when included.
//   - Review times above 60 s are capped to 60 s, the maxTaken of the
//     exported deck options, as Anki does.
//   - Images: local files with an image extension, relative to the notes
//     file, are packed under their own name, as Anki would name them on
//     import (letters of any script and spaces kept, only what Anki takes
//     out taken out: see mediaName), and the field's src is that name as
//     it is. Anything else a note points at stays out, and a missing or
//     unreadable file is left out of the field (no broken image) with a
//     warning. Remote images stay links.
//   - A card's reps is the number of its reviews in the package, as Anki
//     counts them; SM-2's repetition streak has no column in Anki.
//   - A note's and its cards' mod is Item.Changed, the last change of what
//     the export gives of the card: Anki updates a known note only when
//     the package's mod is newer.
//   - A card whose deck studies with FSRS carries its memory state in its
//     data column, as current Anki keeps it (see fsrsData).
//
// It must not import internal/cli (nor the store, notes or srs packages): it
// works from the card.Card values and states it is handed.
package anki
