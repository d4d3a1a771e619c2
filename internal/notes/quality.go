package notes

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file holds the rules a careful reader applies to decide whether a
// piece of notes is worth studying: what a prompt, a term, an answer and a
// deletion may be. They were learned from notes other people wrote
// (conference, book, lecture and plain-text notes) and are about shapes
// and function words, never about one file's topic.

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

// wordSet is a class of words: a bit in the lexicon. A word can be of
// several classes; one lookup tells them all.
type wordSet uint32

// lexicon maps lower-case words to their classes.
var lexicon = map[string]wordSet{}

// nextClass is the bit the next wordSet gets.
var nextClass wordSet = 1

// newWordSet adds a class of words to the lexicon.
func newWordSet(words string) wordSet {
	c := nextClass
	nextClass <<= 1
	for _, w := range strings.Fields(words) {
		lexicon[w] |= c
	}
	return c
}

// newPhraseSet adds a class of phrases, separated by '|', to the
// lexicon.
func newPhraseSet(phrases string) wordSet {
	c := nextClass
	nextClass <<= 1
	for _, p := range strings.Split(phrases, "|") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			lexicon[p] |= c
		}
	}
	return c
}

// newPhraseSetOf adds phrases, separated by '|', to class c.
func newPhraseSetOf(c wordSet, phrases string) wordSet {
	for _, p := range strings.Split(phrases, "|") {
		if p = strings.Join(strings.Fields(p), " "); p != "" {
			lexicon[p] |= c
		}
	}
	return c
}

// classOf returns the classes of s, folded to lower case.
func classOf(s string) wordSet {
	var buf [32]byte
	if len(s) > len(buf) {
		return lexicon[strings.ToLower(s)]
	}
	b := buf[:len(s)]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return lexicon[strings.ToLower(s)]
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		b[i] = c
	}
	return lexicon[string(b)]
}

// has reports whether s, folded to lower case, is in the class.
func (ws wordSet) has(s string) bool { return classOf(s)&ws != 0 }

var (
	// commentWords are the words of a reaction to what was heard ("very
	// cool", "nicely done", "might be worth watching"): an item made only
	// of them says how the note-taker felt, not what they learned.
	commentWords = newWordSet(`very really so super pretty quite too truly totally just
		nice nicely cool great good awesome amazing neat interesting useful helpful fun funny
		excellent fantastic brilliant impressive wow love loved liked like enjoyed fascinating
		insightful inspiring inspirational clever smart solid well done presented bad meh boring
		bored sounds looks seemed seems recommended recommend worth watching watch watched see saw
		seen read reading must should might could would be agree agreed true indeed important
		exactly definitely yes yep lol haha hmm ok okay this that it is was its it's a an the
		talk talks idea point one stuff thing things here there overview demo demos story info
		lots lot of notes me i my to and but not yet did didn't some with story outstanding
		applause break suggestion +1 ! supposedly apparently probably went should`)
	// commentMarks are the words that make a run of commentWords a
	// reaction rather than a bare phrase.
	commentMarks = newWordSet(`nice nicely cool great good awesome amazing neat interesting
		useful helpful fun funny excellent fantastic brilliant impressive wow love loved liked
		enjoyed fascinating insightful inspiring inspirational clever smart solid bad meh boring
		bored recommended recommend worth agree agreed true indeed exactly definitely yes yep lol
		haha hmm ok okay outstanding applause notes +1 supposedly should must might
		apparently probably`)
	// fillerItems are list items that stand for "and so on".
	fillerItems = newPhraseSet(`etc|etc.|...|…|more|others|other|misc|and more|and so on|so on|
		and others|and many more|many more|whatever|+more|and so forth`)
	// metaKeys are the keys of lines that describe a talk, a book or a
	// page rather than say something about its subject.
	metaKeys = newWordSet(`speaker speakers presenter presenters presented_by by author authors
		written_by host hosts moderator moderators panelist panelists video videos recording
		recordings slides slide slide_deck deck link links url urls website site web homepage
		twitter github gitlab repo repository code source sources ref refs reference references
		date time when where location venue room track tags tag level duration length page pages
		isbn publisher published published_by year rating status category format language event
		conference session transcript blog post article paper email contact company affiliation
		handle agenda attendees audience youtube mastodon linkedin podcast episode watch listen
		aliases alias created updated modified type`)
	// nonTerms are words that label a remark rather than name a thing:
	// "Example: …", "Note: …", "Ask: …".
	nonTerms = newWordSet(`example examples e.g. e.g eg ex ex. i.e. i.e ie note notes nb n.b. choice
		choices ps p.s. see also update edit edited aside tip tips hint hints warning caveat
		question questions answer answers q a idea ideas thought thoughts comment comments result
		results summary conclusion conclusions takeaway takeaways point points todo fixme tbd
		step why how what when where who which yes no misc other others etc more tl;dr tldr
		reason reasons problem problems solution solutions issue issues goal goals key important
		remember caution careful quote source fact facts answer option options alternative
		alternatively bonus extra update context background intro introduction overview general
		then now later first second third next last finally also additionally however but and or
		so because since result outcome re insight insights`)
	// nonTermStarts are first words of a phrase that introduces a remark:
	// "e.g., of bias", "Note to self".
	nonTermStarts = newWordSet(`e.g e.g. eg i.e i.e. ie ex ex. note nb ps see also example examples
		todo fixme tbd vs for in on at with from by to of about during after before into per`)
	// nonPrompts are labels that name a part of the notes rather than ask
	// anything: one item under "About" is not its answer.
	nonPrompts = newWordSet(`problem problems solution solutions insight insights issue issues e.g i.e else
		otherwise then also steps step about notes note thoughts thought summary misc miscellaneous other others
		links link references reference resources resource related see also example examples
		e.g. eg todo todos overview intro introduction general details detail more extra extras
		bonus update updates comments comment ideas idea random highlights misc. appendix`)
	// nonPromptPhrases are labels of several words that name a part of
	// the notes.
	_ = newPhraseSetOf(nonPrompts, `for example|for instance|such as|in other words|see also`)
	// verbStarts are first words that make a phrase an instruction or a
	// claim, not a term: "Use tools", "Ask", "explain X", "no destructors".
	verbStarts = newWordSet(`use uses ask make makes do does don't dont doesn't get gets try see read think
		remember consider avoid keep go let give take find look learn write add create put explain
		show tell ensure be have know want prefer follow apply pick choose deploy define understand
		treat never always not no just also then so but and or if while because since i we you they
		he she it this that these those there here my our your their his her its mention mentions
		mentioned said says discuss discussed describe described talked showed shows introduced
		introduce went saw heard learned each every fix review pick email call buy check watch
		research investigate install send finish`)
	// finiteVerbs are the auxiliaries and copulas that make a phrase a
	// clause: a term or a short label holds none of them.
	finiteVerbs = newWordSet(`is are was were am be been being has have had will would can could should
		shall must may might does did isn't aren't wasn't weren't hasn't haven't won't wouldn't
		can't cannot couldn't shouldn't doesn't didn't don't it's that's there's here's what's
		who's`)
	// connectives are words a fragment ends with when its children
	// complete it ("Batch jobs fail because", "Composed of").
	connectives = newWordSet(`because of for to with by via from and or than like include includes
		including is are means mean e.g. as into about on in at when if that which such are:
		needs need requires require involves involve using through vs versus between among
		against without within`)
	// fragmentStarts are first words of a label that is a fragment the
	// children complete ("rather than …", "when you hear a new idea").
	fragmentStarts = newWordSet(`rather instead unlike compared when whenever if before after once
		while during why`)
	// setNouns name what a list is a set of: a label holding one asks for
	// its items ("Takeaways", "Five tenets of SOA", "Why teams fail:").
	setNouns = newWordSet(`takeaways take-aways takeaway lessons learnings learned principles rules
		tips steps stages phases reasons causes benefits advantages disadvantages drawbacks pros
		cons features goals ideas questions things ways points tenets commandments laws habits
		practices patterns antipatterns anti-patterns smells problems issues challenges symptoms
		signs guidelines recommendations insights characteristics properties components parts
		types kinds options strategies techniques mistakes myths factors requirements values
		concepts tools methods approaches levels layers elements criteria metrics pillars truths
		risks tradeoffs trade-offs considerations differences similarities uses limitations
		constraints assumptions responsibilities roles rights duties stages tactics moves
		heuristics laws lessons recipes ingredients checklist items actions states modes categories
		classes variants`)
	// genericExtra are the words besides setNouns a label that names no
	// subject is made of ("Summary", "Pros and cons").
	genericExtra = newWordSet(`summary process overview and & of`)
	// questionStarts are first words of a label that asks outright.
	questionStarts = newWordSet(`how why what which when where who whom whose`)
	// conjunctions are first words of a definition that continues a
	// sentence rather than defining ("running ollama locally - and why").
	conjunctions = newWordSet(`and or but so then also which because though although nor yet`)
)

// eachWord calls fn for each word of s (split at spaces), without the
// punctuation that wraps it, until fn returns false. It allocates
// nothing.
func eachWord(s string, fn func(w string) bool) {
	for i := 0; i < len(s); {
		for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r') {
			i++
		}
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\t' && s[j] != '\n' && s[j] != '\r' {
			j++
		}
		if j == i {
			return
		}
		w := trimWord(s[i:j])
		i = j
		if w != "" && !fn(w) {
			return
		}
	}
}

// trimWord drops the punctuation around a word: quotes, brackets,
// commas, emphasis; not '+' or an apostrophe inside it.
func trimWord(w string) string {
	for len(w) > 0 {
		c := w[0]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(w)
			if !unicode.IsPunct(r) || r == '’' {
				break
			}
			w = w[n:]
			continue
		}
		if !wordPunct(c) {
			break
		}
		w = w[1:]
	}
	for len(w) > 0 {
		c := w[len(w)-1]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeLastRuneInString(w)
			if !unicode.IsPunct(r) || r == '’' {
				break
			}
			w = w[:len(w)-n]
			continue
		}
		if !wordPunct(c) {
			break
		}
		w = w[:len(w)-1]
	}
	return w
}

// wordPunct reports whether an ASCII byte is punctuation trimWord drops.
func wordPunct(c byte) bool {
	return isASCIIPunct(c) && c != '+' && c != '\'' && c != '#' && c != '@' && c != '$' && c != '%' && c != '&' && c != '/' && c != '\\' || c == '*' || c == '_' || c == '`'
}

// firstWordOf is the first word of s, unwrapped of punctuation.
func firstWordOf(s string) string {
	first := ""
	eachWord(s, func(w string) bool { first = w; return false })
	return first
}

// lastWordOf is the last word of s, unwrapped of punctuation.
func lastWordOf(s string) string {
	for end := len(s); end > 0; {
		for end > 0 && isSpace(s[end-1]) {
			end--
		}
		start := end
		for start > 0 && !isSpace(s[start-1]) {
			start--
		}
		if w := trimWord(s[start:end]); w != "" {
			return w
		}
		end = start
	}
	return ""
}

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
	if s[0] == '@' && !strings.Contains(s, " ") {
		return true
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
	if key == "" || words(key) > 3 {
		return false
	}
	if strings.IndexByte(key, ' ') < 0 {
		return metaKeys.has(key)
	}
	return metaKeys.has(strings.ReplaceAll(key, " ", "_"))
}

// bylines are the verbs of "published by …", "written by …".
var bylines = newWordSet(`published written presented hosted edited translated illustrated
	moderated organized organised narrated produced`)

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

// urlEnd returns the end of a URL starting at i in s, or i when none
// starts there: http://, https://, ftp://, www., or a <…> autolink.
func urlEnd(s string, i int) int {
	rest := s[i:]
	switch {
	case strings.HasPrefix(rest, "http://"), strings.HasPrefix(rest, "https://"),
		strings.HasPrefix(rest, "ftp://"), strings.HasPrefix(rest, "www."):
	case strings.HasPrefix(rest, "<http"):
		if j := strings.IndexByte(rest, '>'); j > 0 {
			return i + j + 1
		}
		return i
	default:
		return i
	}
	j := i
	for j < len(s) && !isSpace(s[j]) && s[j] != ')' && s[j] != '>' {
		j++
	}
	for j > i && strings.IndexByte(".,;:!?'\"", s[j-1]) >= 0 {
		j--
	}
	return j
}

// pathLike reports whether a word is a link without a scheme:
// github.com/x/y, example.org/path.
func pathLike(w string) bool {
	slash := strings.IndexByte(w, '/')
	if slash <= 0 || strings.Contains(w, "//") {
		return false
	}
	host := w[:slash]
	dot := strings.LastIndexByte(host, '.')
	return dot > 0 && dot < len(host)-2 && !strings.ContainsAny(host, "()[]`")
}

// bareDomain reports whether a word is a host name alone:
// akawebdesign.com, go-proverbs.github.io.
func bareDomain(w string) bool {
	dot := strings.LastIndexByte(w, '.')
	if dot <= 0 || len(w)-dot-1 < 2 || len(w)-dot-1 > 6 {
		return false
	}
	for i := 0; i < len(w); i++ {
		if c := w[i]; !isLetter(c) && !isDigit(c) && c != '-' && c != '.' {
			return false
		}
	}
	for i := dot + 1; i < len(w); i++ {
		if !isLetter(w[i]) {
			return false
		}
	}
	return true
}

// visibleText is s as a reader sees it: a markdown link [text](url) as its
// text, images and bare URLs dropped.
func visibleText(s string) string {
	if !strings.ContainsAny(s, "[:<w") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '!' && i+1 < len(s) && s[i+1] == '[':
			if _, end, ok := linkAt(s, i+1); ok {
				i = end
				continue
			}
		case c == '[':
			if text, end, ok := linkAt(s, i); ok {
				b.WriteString(text)
				i = end
				continue
			}
		case c == 'h' || c == 'f' || c == 'w' || c == '<':
			if i == 0 || !isAlnum(s[i-1]) {
				if j := urlEnd(s, i); j > i {
					i = j
					continue
				}
			}
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

// linkAt reads a markdown link [text](url) starting at the '[' at i: its
// text and its end.
func linkAt(s string, i int) (string, int, bool) {
	close := strings.IndexByte(s[i:], ']')
	if close < 0 || i+close+1 >= len(s) || s[i+close+1] != '(' {
		return "", 0, false
	}
	end := strings.IndexByte(s[i+close+1:], ')')
	if end < 0 {
		return "", 0, false
	}
	return s[i+1 : i+close], i + close + 1 + end + 1, true
}

// linkWords are the words that may stand beside a link in an item that
// is only a link: "also https://…", "live site https://…", and the text
// of a link that names no subject ("[link to agenda item](…)").
var linkWords = newWordSet(`also and see link links here more at on via from live site website
	page home homepage repo source code slide slides video recording demo docs blog post the a an
	- – — : to resources resource check out this agenda item watch talk above below one previous
	earlier later`)

// linkOnly reports whether s is only a link (or links): bare URLs, a
// markdown link whose text names nothing ("here", "link to agenda item",
// the URL again), an image, with at most a few words such as "also" or
// "see". A link whose text says something ("[the paper](…)") is content.
func linkOnly(s string) bool {
	dot := strings.IndexByte(s, '.')
	if dot < 0 && strings.IndexByte(s, '(') < 0 {
		return false // no URL, path or domain
	}
	hasLink := strings.Contains(s, "http") || strings.Contains(s, "www.") || strings.Contains(s, "](")
	if !hasLink {
		if dot < 0 {
			return false
		}
		only := true
		n := 0
		eachWord(s, func(w string) bool {
			n++
			only = only && (pathLike(w) || bareDomain(w))
			return only
		})
		return only && n > 0
	}
	ok := true
	eachWord(visibleText(s), func(w string) bool {
		if !linkWords.has(w) && !pathLike(w) && urlEnd(w, 0) == 0 {
			ok = false
		}
		return ok
	})
	return ok
}

// hideWords counts the words of s a reader would have to recall: link
// destinations do not count.
func hideWords(s string) int {
	n := words(s)
	if n > maxHideWords && (strings.Contains(s, "](") || strings.Contains(s, "http")) {
		return words(visibleText(s))
	}
	return n
}

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

// selfVerbs open a note to self where a definition would be: "check the
// random library", "understand the difference", "look at slide 55".
var selfVerbs = newWordSet(`check understand look watch read review revisit research investigate
	google lookup see`)

// persons are the pronouns a remark opens with, never a definition.
var persons = newWordSet(`i we you they he she`)

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

// articles open a noun phrase.
var articles = newWordSet(`a an the`)

// comparatives make a phrase a claim about something rather than its
// name.
var comparatives = newWordSet(`more less most least very too much better worse`)

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

// exampleStarts open an example.
var exampleStarts = newWordSet(`e.g eg ex example`)

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

// pointers point at the notes around a phrase wherever they stand in it;
// pointerStarts do so when they open it.
var (
	pointers      = newWordSet(`above below aforementioned previous following`)
	pointerStarts = newWordSet(`this these same`)
)

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

// headEnds are the words after which a label no longer names its noun:
// prepositions, relatives, question words.
var headEnds = newWordSet(`of for to in on at by with from about into that which who when where why
	how what we you they i is are was were can should must will would`)

// carriers open a line that carries on the one before: "Also called …",
// "And then …".
var carriers = newWordSet(`also and but or so then yet nor`)

// defStops open a remark where a definition would be: "eg …", "note …".
var defStops = newWordSet(`eg e.g note`)

// advice are the first words of a sentence that says what to do with a
// thing rather than what it is: "patching: should be rare".
var advice = newWordSet(`should shouldn't must mustn't ought avoid`)

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

// nonAnswers say nothing on their own: "Partially", "it depends".
var nonAnswers = newPhraseSet(`yes|no|partially|partly|maybe|perhaps|sometimes|depends|it depends|
	not really|kind of|sort of|nope|yep|same|same as above|same as before|see above|see below`)

// answerOK reports whether an answer says something: not a bare "yes",
// "partially" or "same as above", not a joke (":)").
func answerOK(a string) bool {
	if len(a) <= 24 && nonAnswers.has(strings.TrimRight(strings.TrimSpace(a), ".!")) {
		return false
	}
	return strings.IndexByte(a, ')') < 0 || !strings.Contains(a, ":)") && !strings.Contains(a, ";)") && !strings.Contains(a, ":-)")
}

// domainLike reports whether a term is a host name, "staging.example.com":
// one word, two dots or more, no slash.
func domainLike(t string) bool {
	return !strings.ContainsAny(t, " /") && strings.Count(t, ".") >= 2 && !strings.HasSuffix(t, ".")
}

// hasPrefixFold is strings.HasPrefix, ignoring case.
func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// roleWords name a job or a role: "CEO", "co-founder", "team member".
var roleWords = newWordSet(`ceo cto cfo coo vp svp evp president founder co-founder cofounder chairman
	coach professor dean philosopher economist investor`)

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
