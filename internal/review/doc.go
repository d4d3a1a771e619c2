// Package review owns the daily study session: the order of the queue,
// SM-2's same-day re-drill (rule 7), undo, and the two front ends that
// drive it, a full-screen terminal program (RunTUI) and a line protocol
// for pipes and scripts (RunPlain).
//
// It talks to the collection only through the Collection interface, which
// the store satisfies; it must not import store (nor database/sql, the
// schema) nor internal/cli: the types that cross the line live in card. It reads no environment and no clock of
// its own: the caller passes the session's clock and the streams.
//
// # The session
//
// New orders the cards: due reviews first as the store gives them (most
// overdue first), with the new cards spread evenly among them, and
// siblings (cards sharing a card.Group) pulled apart. A card graded below
// good (q < 4) comes back a few cards later until it is graded good or
// easy; those re-drills are logged with redrill set and change no
// schedule. Every action commits through the Collection before the next
// card is shown, so nothing answered is ever lost. Undo goes back step by
// step: a grade through Collection.Undo, a bury or a suspension through
// Collection.Restore, the card back in front.
//
// # The terminal session
//
// RunTUI is one bubbletea program that owns the keys and draws with
// lipgloss (and huh notes for the help and the summary): a header with
// the deck, the counts "new 3 · re-drill 1 · due 12", the position "4/40"
// and a timer; the breadcrumb; the question, and after space or enter the
// answer with the grades "1 again (1d)  2 hard (6d)  3 good (6d)  4 easy
// (15d)" (0–5 with the 0–5 scale). u undoes, b buries, s suspends, e edits
// the card's notes, ? shows the keys, q, esc or ctrl+c quit. A message
// carrying several keys (fast typing, " 3" or "1u") is taken key by key.
// At the end the summary is shown, and printed again once the screen is
// gone; u there takes back the last answer and shows its card again, any
// other key leaves.
//
// The card's markdown is laid out from goldmark's AST (markdown.go). A
// card longer than the screen scrolls in a bubbles viewport (j/k, the
// arrows, PgUp/PgDn), with a line saying how much more there is above and
// below. The screen is at most maxWidth columns, centred on a wider
// terminal; the keys line drops its optional keys, then shortens its
// wordings, but always keeps ? and q.
//
// # The line protocol
//
// RunPlain prints, for each card, a blank line, a status line, the
// breadcrumb and the question:
//
//	card 3/12 · new 2 · re-drill 1 · due 8
//	QCon SF 2018 › Containers › K8s commandments
//	Q: What port does etcd serve clients on?
//
// A re-drill has "card 3/12 (re-drill) · …". Any line (an empty one is
// fine) shows the answer and the grade prompt with each grade's interval:
//
//	A: 2379
//	grade: 1 again (1d) · 2 hard (6d) · 3 good (6d) · 4 easy (6d)
//
// (with the 0–5 scale: "grade: 0 (1d) · 1 (1d) · … · 5 (6d)"). A grade
// line is again|hard|good|easy, a|h|g|e, or a digit 1–4 (0–5 with the
// 0–5 scale); the reply is one line:
//
//	graded good — next in 6 days
//	graded hard — next in 6 days; back later in this session
//	graded again (re-drill) — back later in this session
//	graded good (re-drill) — done for today
//	leech: "What port does etcd…" (9f2c4e1a7b3d) lapsed 8 times: suspended
//
// the last one following the grade line of a card that became a leech.
// Anything else at the grade prompt prints
//
//	unknown answer "x" (again, hard, good, easy; 1–4)
//
// and the prompt again. At either prompt u (undo), b (bury), s (suspend),
// q (quit) and ? (help) act instead, printing "undone: graded good",
// "undone: buried", "nothing to undo", "buried", "suspended" or the
// help. End of input ends the session like q: the current card is not
// graded. Last come a blank line and the summary (Summary.Lines):
//
//	reviewed 5 cards (7 answers) in 1m02s
//	again 1 · hard 0 · good 3 · easy 1
//	correct 80% (4 of 5)
//	new learned 2
//	buried 1 · suspended 0 · leeches 0
//	left 3 cards
//	due tomorrow 12
//	streak 3 days
//
// where the buried and left lines appear only when not zero, and the 0–5
// scale counts "q0 0 · q1 0 · q2 1 · q3 0 · q4 3 · q5 1" instead.
package review
