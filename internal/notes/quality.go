package notes

import (
	"strings"
	"unicode"
)

// This file holds the sizes of what a card may ask, and the rules that
// tell what in notes is not content: the note-taker's own story and
// reactions, notes to self, metadata and dates. It is one of the files of
// rules a careful reader applies to decide whether a piece of notes is
// worth studying, with terms.go (prompts, terms, definitions, answers),
// listshape.go (what a list reads as and whether its label asks for it)
// and links.go, on the words of words.go. The rules were learned from
// notes other people wrote (conference, book, lecture and plain-text
// notes) and are about shapes and function words, never about one file's
// topic.

// Sizes of what a card may ask.
const (
	// maxHideWords is the most words a cloze hides: an item longer than
	// this is shown, never hidden.
	maxHideWords = 15
	// maxPart is the most top-level items a list card asks for; longer
	// lists are split into consecutive parts.
	maxPart = 8
	// maxWordyWords is the most words a list card of long sentences asks
	// for: such a list is one card or none, never parts.
	maxWordyWords = 120
	// maxPromptWords is the most words of a label that reads as a prompt
	// by being short.
	maxPromptWords = 4
	// maxTermWords is the most words of a definition's term.
	maxTermWords = 6
	// maxParaDefWords is the most words of a definition read from a line
	// of prose (not a bullet): a longer "definition" is prose.
	maxParaDefWords = 30
	// maxDefWords is the most words of any definition: more is an essay.
	maxDefWords = 60
)

// aboutMe reports whether s is the note-taker's own story rather than
// what they heard: "I am starting to use this", "went to this but was
// bored", "made me interested in HTML".
func aboutMe(s string) bool {
	head := s[:min(len(s), 24)]
	if strings.IndexByte(head, 'I') < 0 && strings.IndexByte(head, 'M') < 0 && !strings.Contains(head, "me") &&
		!strings.Contains(head, "my") && !strings.Contains(head, "ent") {
		return false // no "I", "me", "my" or "went" among the first words
	}
	n, mine := 0, false
	eachWord(s, func(w string) bool {
		n++
		switch w {
		case "I", "I'm", "I’m", "I've", "I’ve", "I'd", "I’d", "I'll", "I’ll", "me", "Me", "my", "My":
			mine = true
		case "went", "Went":
			mine = n == 1 || n == 2 && strings.EqualFold(firstWordOf(s), "only")
		}
		return !mine && n < 3
	})
	return mine
}

// isComment reports whether s is only a reaction: "very cool", "nicely
// done", "might be worth watching", "Sounds cool!".
func isComment(s string) bool {
	n, marks, all := 0, 0, true
	eachWord(s, func(w string) bool {
		if strings.Contains(w, "’") {
			w = strings.ReplaceAll(w, "’", "'")
		}
		n++
		c := classOf(w)
		if c&commentWords == 0 || n > 8 {
			all = false
			return false
		}
		if c&commentMarks != 0 {
			marks++
		}
		return true
	})
	return all && marks > 0
}

// shortClass is the class of a short item taken whole: filler ("etc",
// "and more") or a section's name ("Notes", "Summary"), or 0.
func shortClass(s string) wordSet {
	if len(s) > 24 {
		return 0
	}
	s = strings.TrimSpace(strings.Trim(strings.TrimSpace(s), "()"))
	if s == "" {
		return 0
	}
	if strings.Trim(s, ".…") == "" {
		return fillerItems
	}
	return classOf(strings.TrimRight(s, ".!:"))
}

// isSelfNote reports whether s is a note to self: it opens with TODO,
// FIXME, XXX or TBD (or is only question marks).
func isSelfNote(s string) bool {
	s = strings.TrimSpace(s)
	if strings.HasSuffix(s, "??") {
		return true // "also render in the terminal???"
	}
	if len(s) < 60 && mayDoubt(s) {
		low := strings.ToLower(strings.ReplaceAll(s, "’", "'"))
		for _, d := range doubts {
			if strings.Contains(low, d) {
				return true
			}
		}
	}
	for _, w := range []string{"Insight:", "insight:", "NTS:", "Note to self"} {
		if strings.HasPrefix(s, w) {
			return true // the note-taker's own thought, for their own work
		}
	}
	for _, w := range []string{"TODO", "FIXME", "XXX", "TBD", "todo", "Todo", "ToDo"} {
		if rest, ok := strings.CutPrefix(s, w); ok {
			return rest == "" || strings.IndexByte(" :-–—(", rest[0]) >= 0
		}
	}
	return false
}

// doubts are what a note to self about the notes says: the note-taker
// did not follow.
var doubts = []string{"don't understand this", "dont understand this", "don't really understand",
	"dont really understand", "i don't understand", "i dont understand", "not sure what",
	"not sure if", "not sure why", "no idea what", "didn't get this", "didnt get this",
	"look this up", "look up later", "check this"}

// mayDoubt reports whether s could hold one of the doubts: a cheap test
// before the real one.
func mayDoubt(s string) bool {
	return strings.Contains(s, "understand") || strings.Contains(s, "sure") || strings.Contains(s, "idea") ||
		strings.Contains(s, "this") || strings.Contains(s, "look up")
}

// isMeta reports whether s describes the talk, book or page rather than
// its subject: "Speaker: X", "by [Name](url)", "Video: …", "Slides", an
// @handle, a date.
func isMeta(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	if h := strings.TrimRight(s, " :?"); s[0] == '@' && !strings.Contains(h, " ") {
		return true // "@handle", "@handle:", "@handle ?"
	}
	if len(s) <= 32 && isDigit(s[0]) && isDate(s) {
		return true
	}
	if strings.HasPrefix(s, "by ") || strings.HasPrefix(s, "By ") {
		return words(s) <= 8
	}
	if sp := strings.IndexByte(s, ' '); sp > 0 && strings.HasPrefix(s[sp:], " by ") && bylines.has(s[:sp]) {
		return words(s) <= 8
	}
	i := strings.IndexByte(s, ':')
	if i <= 0 || i > 40 {
		return false
	}
	key := strings.TrimSpace(strings.Trim(strings.TrimSpace(s[:i]), "*_"))
	if key == "" || isReadingList(key) {
		return key != ""
	}
	if words(key) > 3 {
		return false
	}
	if strings.IndexByte(key, ' ') < 0 {
		return metaKeys.has(key)
	}
	return metaKeys.has(strings.ReplaceAll(key, " ", "_"))
}

// isReadingList reports whether a label names things to watch or read
// next rather than what was learnt: "Other suggested talks", "Further
// reading", "Recommended books". What follows it is a list of titles.
func isReadingList(key string) bool {
	if words(key) > 5 {
		return false
	}
	var suggests bool
	last := ""
	eachWord(strings.ToLower(key), func(w string) bool {
		suggests = suggests || readingWords.has(w)
		last = w
		return true
	})
	// The titles' kind ends the label: "Other talk takeaways" is no list
	// of talks.
	return suggests && mediaWords.has(last)
}

// isDate reports whether s is only a date: 15.05.2024, 2024-05-15,
// 5/15/24, with an optional weekday.
func isDate(s string) bool {
	if len(s) > 32 {
		return false
	}
	digits, seps := 0, 0
	prev := ' '
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '.' || r == '-' || r == '/':
			if prev < '0' || prev > '9' {
				return false // "0.-000": a separator needs a number before it
			}
			seps++
		case r == ' ' || r == ',' || unicode.IsLetter(r):
		default:
			return false
		}
		prev = r
	}
	if digits < 4 || seps < 2 || words(s) > 3 {
		return false
	}
	letters := 0
	eachWord(s, func(w string) bool {
		if hasLetter([]byte(w)) {
			letters++
		}
		return true
	})
	return letters <= 1
}
