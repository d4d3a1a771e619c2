package notes

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file holds the rules for what a card asks and answers: a label
// that reads as a prompt, a term a definition may define, and a
// definition or an answer that says something.

// isQuoted reports whether s is wholly a quotation.
func isQuoted(s string) bool {
	s = strings.TrimSpace(s)
	if len(s) < 2 {
		return false
	}
	r, _ := utf8.DecodeRuneInString(s)
	l, _ := utf8.DecodeLastRuneInString(strings.TrimRight(s, ".!?,;:"))
	return (r == '"' || r == '“' || r == '\'' || r == '‘') && (l == '"' || l == '”' || l == '\'' || l == '’')
}

// hasFiniteVerb reports whether s holds an auxiliary or a copula: "is",
// "are", "can", "don't"…, which make it a clause rather than a name.
func hasFiniteVerb(s string) bool {
	found := false
	eachWord(s, func(w string) bool {
		if strings.Contains(w, "’") {
			w = strings.ReplaceAll(w, "’", "'")
		}
		found = finiteVerbs.has(w)
		return !found
	})
	return found
}

// promptKind says where a label comes from, for promptLike.
type promptKind int

const (
	fromParagraph promptKind = iota // a paragraph or a raw line
	fromItem                        // a parent bullet
	fromHeading                     // a heading
)

// promptLike reports whether a label reads as a question its one item
// answers: it ends in ':' or '?', or is a short label that names a thing
// ("Why Rust", "Pyschological safety"), or a fragment its item completes
// ("Batch jobs fail because", "rather than …"). A statement ("The storage
// team reviewed our design"), a quotation, an instruction, a section name
// ("About", "Notes") or metadata is not. colon says whether the label
// ended in ':' before it was trimmed. A heading must ask outright: one
// bullet under a talk's title is a note about the talk, not its answer.
func promptLike(label string, colon bool, from promptKind) bool {
	s := strings.TrimSpace(label)
	if s == "" || !hasLetter([]byte(s)) && !hasDigit(s) || isMeta(s) || nonPrompts.has(strings.Trim(s, ":?")) || mentionsSlides(s) {
		return false
	}
	if deictic(s) || quantity(s) || carriers.has(firstWordOf(s)) || domainLike(s) || strings.Contains(s, "://") {
		return false // "Why does the above work?", "2 groups:", "Also called …:"
	}
	if colon || strings.HasSuffix(s, "?") {
		return true
	}
	last, _ := utf8.DecodeLastRuneInString(s)
	if strings.ContainsRune(".!…;,\"”'’)", last) || isQuoted(s) {
		return false
	}
	n := words(s)
	first := strings.ToLower(firstWordOf(s))
	if n <= 6 && connectives.has(lastWordOf(s)) {
		return true
	}
	if n <= 8 && fragmentStarts.has(first) {
		return true
	}
	if from == fromHeading {
		return false
	}
	return n <= maxPromptWords && !imperative(s) && !hasFiniteVerb(s)
}

// imperative reports whether s opens with a verb, a negation or a
// pronoun ("Use tools", "no destructors", "we shipped"): a claim or an
// instruction rather than a name. "Use cases" is a name.
func imperative(s string) bool {
	var first, second string
	eachWord(s, func(w string) bool {
		if first == "" {
			first = w
			return true
		}
		second = w
		return false
	})
	if !verbStarts.has(first) {
		return false
	}
	return !strings.EqualFold(first, "use") || !strings.EqualFold(second, "case") && !strings.EqualFold(second, "cases")
}

// mentionsSlides reports whether s points at the talk's slides ("on the
// CREATE TABLE slide", "see slide"): a note about the talk, not a prompt.
func mentionsSlides(s string) bool {
	found := false
	eachWord(s, func(w string) bool {
		found = w == "slide" || w == "slides" || w == "Slide" || w == "Slides"
		return !found
	})
	return found
}

// termOK reports whether term can be what a definition defines: a short
// noun phrase. It is not a verb or an instruction ("Ask", "explain X"), a
// filler ("example", "note", "e.g."), a clause ("Go is great"), a link, a
// quotation or metadata ("Speaker").
func termOK(term string) bool {
	t := strings.TrimSpace(term)
	if t == "" {
		return false
	}
	switch t[0] {
	case '"', '\'', '(', '[', '>', '<', '-':
		return false
	}
	if r, _ := utf8.DecodeRuneInString(t); !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\\' && r != '`' && r != '*' && r != '_' && r != '.' {
		return false
	}
	if words(t) > maxTermWords || !hasLetter([]byte(t)) || nonTerms.has(strings.Trim(t, "*_:.")) || imperative(t) {
		return false
	}
	if strings.Contains(t, "http") || strings.Contains(t, "www.") || strings.Contains(t, "](") || strings.Contains(t, " or ") {
		return false
	}
	if last := lastWordOf(t); strings.HasSuffix(t, ".") && len(last) > 3 && !strings.Contains(last, ".") {
		return false // the end of a sentence ("… across subjects.")
	}
	if quantity(t) || deictic(t) || domainLike(t) || attribution(t) {
		return false // "2 groups", "1% prevalence"; "the above"; "staging.example.com"; "inspired by"
	}
	ok, n := true, 0
	eachWord(t, func(w string) bool {
		c := classOf(w)
		if n == 0 && c&nonTermStarts != 0 || c&(finiteVerbs|comparatives) != 0 {
			// "e.g., of bias"; "Go is great"; "Debugging much more
			// complex" is a claim.
			ok = false
		}
		n++
		return ok
	})
	return ok && (n < 2 || !connectives.has(lastWordOf(t)))
}

// clause reports whether def is a clause with a subject of its own
// ("complexity is the second lint issue"), not a phrase that defines:
// its second word is a finite verb, and it does not open with an article
// or a verb.
func clause(def string) bool {
	n, found, first := 0, false, ""
	eachWord(def, func(w string) bool {
		n++
		if n == 1 {
			first = w
			return true
		}
		found = finiteVerbs.has(w)
		return false
	})
	return found && !articles.has(first) && !finiteVerbs.has(first)
}

// defOK reports whether def can be what a term means: not empty, not
// only a link or a reaction, not the continuation of a sentence ("and why
// use a smaller model").
func defOK(def string) bool {
	d := strings.TrimSpace(def)
	if d == "" || !hasLetter([]byte(d)) && !hasDigit(d) {
		return false
	}
	if linkOnly(d) || isComment(d) || isSelfNote(d) || heavyCode(d) {
		return false
	}
	only := true
	eachWord(d, func(w string) bool { only = linkWords.has(w); return only })
	if only {
		return false // "see slides"
	}
	if d[0] == '(' && d[len(d)-1] == ')' && strings.Count(d, "(") == 1 {
		return false // an aside: "(anti-depressant)"
	}
	first := firstWordOf(d)
	if classOf(first)&(conjunctions|persons|selfVerbs|defStops) != 0 {
		// "and why use a smaller model", "they will help you": the rest
		// of a sentence, or a remark about the term.
		return false
	}
	if !answerOK(d) || advice.has(first) || attribution(d) || words(d) > maxDefWords || jobTitle(d) {
		// "should be rare": advice about the term; "defined by Bob in
		// 2012": who, not what; ninety words: an essay, not a definition.
		return false
	}
	// "velocity and reliability, achieved via" is the start of a list,
	// not a definition.
	return !connectives.has(lastWordOf(d)) || strings.ContainsRune(".?!", rune(d[len(d)-1]))
}

func hasDigit(s string) bool {
	return strings.IndexFunc(s, unicode.IsDigit) >= 0
}

// codeLike reports whether s reads as code rather than words: a call
// f(x), an assignment without spaces, braces or a semicolon.
func codeLike(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '(':
			if i > 0 && (isAlnum(s[i-1]) || s[i-1] == '_' || s[i-1] == '.') {
				return true
			}
		case '{', ';':
			return true
		case '[':
			if i > 0 && (isAlnum(s[i-1]) || s[i-1] == '_' || s[i-1] == ')' || s[i-1] == ']') {
				return true
			}
		case '=':
			if i > 0 && s[i-1] != ' ' && s[i-1] != '=' && s[i-1] != '!' && s[i-1] != '<' && s[i-1] != '>' {
				return true
			}
		}
	}
	return false
}

// pageRefEnd returns the length of a page reference opening s ("p18: ",
// "p. 42 ", "pp. 3-5: ", "page 7: "), or 0.
func pageRefEnd(s string) int {
	i := 0
	switch {
	case strings.HasPrefix(s, "pp."):
		i = 3
	case strings.HasPrefix(s, "p."):
		i = 2
	case strings.HasPrefix(s, "page "), strings.HasPrefix(s, "Page "):
		i = 5
	case strings.HasPrefix(s, "p") || strings.HasPrefix(s, "P"):
		i = 1
	default:
		return 0
	}
	for i < len(s) && s[i] == ' ' {
		i++
	}
	d := i
	for i < len(s) && (isDigit(s[i]) || s[i] == '-' && i > d) {
		i++
	}
	if i == d || i-d > 6 {
		return 0
	}
	if i == len(s) {
		return i
	}
	switch s[i] {
	case ':', ' ', ',', '.', ')':
	default:
		return 0
	}
	for i < len(s) && (s[i] == ':' || s[i] == ' ' || s[i] == ',' || s[i] == '.') {
		i++
	}
	return i
}

// trimEmphasis removes one pair of emphasis marks that wraps s whole
// ("*premortem*", "**Term**"), and nothing when they do not pair.
func trimEmphasis(s string) string {
	for _, m := range []string{"**", "__", "*", "_", `"`} {
		if len(s) > 2*len(m) && strings.HasPrefix(s, m) && strings.HasSuffix(s, m) {
			inner := s[len(m) : len(s)-len(m)]
			if !strings.Contains(inner, m) {
				return strings.TrimSpace(inner)
			}
		}
	}
	return s
}

// quantity reports whether a phrase opens with a bare number: "2 groups",
// "1% prevalence of COVID" count or measure something, they name nothing.
// "0th Law" and "3NF" are names.
func quantity(s string) bool {
	first := firstWordOf(s)
	if first == "" || !isDigit(first[0]) {
		return false
	}
	for i := 0; i < len(first); i++ {
		if c := first[i]; !isDigit(c) && c != '%' && c != '.' && c != ',' {
			return false
		}
	}
	return words(s) > 1
}

// deictic reports whether a phrase points at the notes around it ("the
// above", "this one", "same as before"): on a card, alone, it points at
// nothing.
func deictic(s string) bool {
	found, n := false, 0
	eachWord(s, func(w string) bool {
		c := classOf(w)
		n++
		found = c&pointers != 0 || n == 1 && c&pointerStarts != 0
		return !found
	})
	return found
}

// attribution reports whether a definition says who made a thing, not
// what it is: "defined by Uncle Bob in 2012".
func attribution(d string) bool {
	var first, second string
	eachWord(d, func(w string) bool {
		if first == "" {
			first = w
			return true
		}
		second = w
		return false
	})
	return strings.EqualFold(second, "by") && len(first) > 2 && strings.EqualFold(first[len(first)-2:], "ed")
}

// answerOK reports whether an answer says something: not a bare "yes",
// "partially" or "same as above", not a joke (":)").
func answerOK(a string) bool {
	if len(a) <= 24 && nonAnswers.has(strings.TrimRight(strings.TrimSpace(a), ".!")) {
		return false
	}
	return strings.IndexByte(a, ')') < 0 || !strings.Contains(a, ":)") && !strings.Contains(a, ";)") && !strings.Contains(a, ":-)")
}

// hasPrefixFold is strings.HasPrefix, ignoring case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// jobTitle reports whether a definition only says what someone does for a
// living ("Intel CEO", "Mars Exploration Rover team member"): who they
// are, not what the notes teach.
func jobTitle(d string) bool {
	if words(d) > 6 || strings.ContainsAny(d, "\"“;") {
		return false
	}
	found := false
	eachWord(d, func(w string) bool {
		found = roleWords.has(w)
		return !found
	})
	return found
}
