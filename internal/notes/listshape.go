package notes

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file holds the rules for lists: what their members read as (short
// terms, long sentences, code, questions), whether a label asks for them,
// and which items are examples, fragments, or a roster of names.

// listShape is what the members of a list read as.
type listShape struct {
	// wordy: they average more than nine words. Nobody recites those,
	// and a cloze of one hides a sentence.
	wordy bool
	// terms: short parallel phrases, averaging six words or fewer, and
	// at most a third of them sentences (more than ten words, or a
	// clause of six or more): a set whatever labels it.
	terms bool
	// words is how many words they hold.
	words int
	// code: most of them are code.
	code bool
	// loudHeads: some of them are headers that are sentences or
	// questions, each over its own list: a section's outline of remarks.
	loudHeads bool
	// questions: most of them are questions. They ask; they are not
	// what the notes answer.
	questions bool
}

// readList reads the members of a list. A header's words are a label
// for what it holds: when two members or more are not headers, the list
// is read from those alone, and it is no set of terms if a header is a
// sentence or a question.
func readList(items []item, members []int32) listShape {
	var r shapeReader
	plain, sentences := 0, false
	for _, m := range members {
		if it := &items[m]; it.role != roleHeader {
			plain++
		} else if it.nw >= 6 || strings.HasSuffix(it.text, "?") {
			sentences = true
		}
	}
	for _, m := range members {
		if plain < 2 || items[m].role != roleHeader {
			r.add(items[m].text, items[m].nw)
		}
	}
	s := r.shape()
	s.terms = s.terms && !sentences
	s.loudHeads = sentences
	return s
}

// readTexts reads a list of the given texts.
func readTexts(texts []string) listShape {
	var r shapeReader
	for _, t := range texts {
		r.add(t, words(t))
	}
	return r.shape()
}

// shapeReader adds up what listShape is read from.
type shapeReader struct{ n, long, total, code, questions int }

// add counts an item of k words.
func (r *shapeReader) add(t string, k int) {
	r.n++
	r.total += k
	if strings.HasSuffix(t, "?") {
		r.questions++
	}
	switch {
	case heavyCode(t):
		r.code++
		r.long++
	case k > 10 || k >= 6 && hasFiniteVerb(t):
		r.long++
	}
}

func (r *shapeReader) shape() listShape {
	if r.n < 2 {
		return listShape{terms: true}
	}
	n, long, total := r.n, r.long, r.total
	return listShape{
		wordy: total > 9*n,
		terms: total <= 6*n && 3*long <= n,
		words: total,
		code:  2*r.code > n,

		questions: 2*r.questions > n,
	}
}

// asksForSet reports whether a label asks for the items of its list even
// when they are sentences: it ends in ':' or '?', opens with a question
// word, or names a set ("Takeaways", "Three lessons").
func asksForSet(lab label) bool {
	t := strings.TrimSpace(lab.text)
	if lab.colon || strings.HasSuffix(t, ":") {
		return true
	}
	if head, last := headNoun(t); setNouns.has(head) || setNouns.has(last) {
		return true // "Tradeoffs - note this is not for everyone", "Causes of X", "Thinking in patterns"
	}
	if lab.from == fromParagraph && pluralHead(t) {
		return true // "Aristotle's beliefs" right above its list
	}
	if talkTitle(t) || words(t) > 10 {
		return false
	}
	// "How to take Smart Notes" titles a book; "How to take notes?" asks.
	return strings.HasSuffix(t, "?") || lab.from != fromHeading && questionStarts.has(firstWordOf(t))
}

// talkTitle reports whether a label is the title of a talk, a chapter or
// a post rather than a topic: a title and its subtitle ("Keynote: Iron
// Man or Ultron", "Beats in the Browser - Coding Music"), or a byline in
// parentheses.
func talkTitle(t string) bool {
	if i := strings.Index(t, ": "); i > 0 && i < len(t)-2 {
		return true
	}
	if i := strings.Index(t, ") "); i > 0 && strings.Contains(t[:i], " (") {
		return true // "Megan Kanne (Twitter) Automating Canary Analysis"
	}
	return strings.Contains(t, " - ") || strings.Contains(t, " – ") || strings.Contains(t, " — ") || strings.Contains(t, " (by ")
}

// example reports whether an item is an example rather than a point of its
// own: "e.g. Cuba: the island", "For example" over the examples, "ex.
// a book in your hands".
func example(s string) bool {
	if s == "" {
		return false
	}
	switch s[0] {
	case 'e', 'E', 'f', 'F':
	default:
		return false
	}
	first := firstWordOf(s)
	switch {
	case strings.EqualFold(first, "examples"):
		// "Examples of X" names a set; "Examples:" shows some.
		return words(s) <= 1 || strings.HasSuffix(strings.TrimSpace(s), ":")
	case exampleStarts.has(first):
		return true // "e.g. Cuba", "Example: …"
	case strings.EqualFold(first, "for"):
		return hasPrefixFold(s, "for example") || hasPrefixFold(s, "for instance")
	}
	return false
}

// generic reports whether a label names a kind of list but not its
// subject: "Steps", "Disadvantages", "Pros and cons". Under a term the
// notes just defined, it is that term's.
func generic(label string) bool {
	n, ok := 0, true
	eachWord(label, func(w string) bool {
		n++
		ok = n <= 3 && (setNouns.has(w) || genericExtra.has(w) && n > 1)
		return ok
	})
	return ok && n > 0
}

// subjectOf splits a label that names a kind of list and its subject
// ("Advantages of a surrogate key") into the subject, or "".
func subjectOf(label string) string {
	for _, prep := range [...]string{" of ", " for "} {
		if kind, subject, ok := strings.Cut(label, prep); ok && generic(kind) && subject != "" {
			return subject
		}
	}
	return ""
}

// roster reports whether a list names people and where they are from
// ("Yuqing Gao, Microsoft", "Ada, Example Corp"): who spoke, not what
// they said.
func roster(items []item, members []int32) bool {
	for _, m := range members {
		if !rosterEntry(items[m].text) {
			return false
		}
	}
	return true
}

// rosterEntry reports whether s is "Name, Organisation": a capitalised
// name of up to three words, a comma, and a capitalised name of up to
// three more.
func rosterEntry(s string) bool {
	name, org, ok := strings.Cut(s, ", ")
	if !ok || strings.ContainsAny(s, ":;()[]") || strings.Contains(org, ", ") {
		return false
	}
	return capitalised(name, 3) && capitalised(org, 3)
}

// capitalised reports whether s is one to most words, each opening with a
// capital letter or a digit, or with a capital inside.
func capitalised(s string, most int) bool {
	n, ok := 0, true
	eachWord(s, func(w string) bool {
		n++
		r, _ := utf8.DecodeRuneInString(w)
		ok = n <= most && (unicode.IsUpper(r) || unicode.IsDigit(r) || strings.IndexFunc(w, unicode.IsUpper) > 0) // "eBay"
		return ok
	})
	return ok && n > 0 && words(s) == n
}

// heavyCode reports whether s is mostly inline code, and of some length:
// "ok: `command = "wget -q {}".secure_format(url)`". Recalling it is
// typing code from memory, which a cloze or a front rarely asks fairly.
func heavyCode(s string) bool {
	if strings.IndexByte(s, '`') < 0 {
		return false
	}
	code := 0
	for rest := s; ; {
		i := strings.IndexByte(rest, '`')
		if i < 0 {
			break
		}
		j := strings.IndexByte(rest[i+1:], '`')
		if j < 0 {
			break
		}
		code += j
		rest = rest[i+j+2:]
	}
	return code >= 20 && 2*code >= len(s)
}

// fragment reports whether a one-word item is the start of one the
// note-taker left unfinished: a verb or a connective ("Pick", "and").
func fragment(w string) bool {
	return classOf(trimWord(w))&(verbStarts|connectives|conjunctions) != 0
}

// carryOn reports whether a bullet carries on the sentence of the one
// above it ("yet they are incompatible", "next is the post hoc
// explanations") rather than naming what its children are.
func carryOn(s string) bool {
	first := firstWordOf(s)
	if first == "" || !unicode.IsLower(rune(first[0])) {
		return false
	}
	return conjunctions.has(first) || first == "next" || first == "then"
}

// pluralHead reports whether a short label ends in a plural noun, as one
// written right above its list names what the list holds ("Aristotle's
// beliefs", "Common pitfalls").
func pluralHead(t string) bool {
	if words(t) > 4 || hasFiniteVerb(t) || imperative(t) {
		return false
	}
	last := strings.ToLower(lastWordOf(t))
	return len(last) > 3 && strings.HasSuffix(last, "s") && !strings.HasSuffix(last, "ss") &&
		!strings.HasSuffix(last, "us") && !strings.HasSuffix(last, "is") && !strings.HasSuffix(last, "'s")
}

// smallTopic reports whether a list of n points is short enough, under a
// label of a word or three that is not a talk's title, to be what the
// notes say of that topic: "Open" › what a circuit breaker does when open.
func smallTopic(lab label, n int) bool {
	return n <= 4 && words(lab.text) <= 3 && !talkTitle(lab.text) && !hasFiniteVerb(lab.text)
}

// headNoun is the noun a label is about: the last word before its first
// separator, preposition or clause ("Tradeoffs - note this…" → Tradeoffs,
// "Five tenets of SOA" → tenets, "Mentoring Metrics Engineers - Yelp" →
// Engineers, "Issues that follow" → Issues). last is the last word before
// the first separator ("Thinking in patterns" → patterns).
func headNoun(t string) (head, last string) {
	for _, sep := range [...]string{": ", " - ", " – ", " — ", " / ", " (", ", "} {
		if i := strings.Index(t, sep); i > 0 {
			t = t[:i]
		}
	}
	n, done := 0, false
	eachWord(t, func(w string) bool {
		n++
		if n > 1 && headEnds.has(w) {
			done = true
		}
		if !done {
			head = w
		}
		last = w
		return n < 8
	})
	return head, last
}
