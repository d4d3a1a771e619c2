package notes

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file holds the words the rules know, in classes (the lexicon), and
// how a text is cut into words. Each class is a bit of a wordSet, made as
// the package starts: there is room for 64, and a 65th panics as the
// package starts rather than share a bit.

// wordSet is a class of words: a bit in the lexicon. A word can be of
// several classes; one lookup tells them all.
type wordSet uint64

// lexicon maps lower-case words to their classes.
var lexicon = map[string]wordSet{}

// nextClass is the bit the next wordSet gets.
var nextClass wordSet = 1

// newWordSet adds a class of words to the lexicon.
func newWordSet(words string) wordSet {
	c := newClass()
	for _, w := range strings.Fields(words) {
		lexicon[w] |= c
	}
	return c
}

// newClass takes the next free bit of a wordSet.
func newClass() wordSet {
	c := nextClass
	if c == 0 {
		panic("notes: more word classes than a wordSet has bits")
	}
	nextClass <<= 1
	return c
}

// newPhraseSet adds a class of phrases, separated by '|', to the
// lexicon.
func newPhraseSet(phrases string) wordSet {
	c := newClass()
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
	// readingWords and mediaWords together make a reading list's label
	// (see isReadingList).
	readingWords = newWordSet(`suggested recommended related further more other`)
	mediaWords   = newWordSet(`talks videos reading readings books articles papers podcasts resources links`)
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

// bylines are the verbs of "published by …", "written by …".
var bylines = newWordSet(`published written presented hosted edited translated illustrated
	moderated organized organised narrated produced`)

// linkWords are the words that may stand beside a link in an item that
// is only a link: "also https://…", "live site https://…", and the text
// of a link that names no subject ("[link to agenda item](…)").
var linkWords = newWordSet(`also and see link links here more at on via from live site website
	page home homepage repo source code slide slides video recording demo docs blog post the a an
	- – — : to resources resource check out this agenda item watch talk above below one previous
	earlier later`)

// selfVerbs open a note to self where a definition would be: "check the
// random library", "understand the difference", "look at slide 55".
var selfVerbs = newWordSet(`check understand look watch read review revisit research investigate
	google lookup see`)

// persons are the pronouns a remark opens with, never a definition.
var persons = newWordSet(`i we you they he she`)

// articles open a noun phrase.
var articles = newWordSet(`a an the`)

// comparatives make a phrase a claim about something rather than its
// name.
var comparatives = newWordSet(`more less most least very too much better worse`)

// exampleStarts open an example.
var exampleStarts = newWordSet(`e.g eg ex example`)

// pointers point at the notes around a phrase wherever they stand in it;
// pointerStarts do so when they open it.
var (
	pointers      = newWordSet(`above below aforementioned previous following`)
	pointerStarts = newWordSet(`this these same`)
)

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

// nonAnswers say nothing on their own: "Partially", "it depends".
var nonAnswers = newPhraseSet(`yes|no|partially|partly|maybe|perhaps|sometimes|depends|it depends|
	not really|kind of|sort of|nope|yep|same|same as above|same as before|see above|see below`)

// roleWords name a job or a role: "CEO", "co-founder", "team member".
var roleWords = newWordSet(`ceo cto cfo coo vp svp evp president founder co-founder cofounder chairman
	coach professor dean philosopher economist investor`)

// endWords are words a line that is cut short ends with: the next line
// carries it on.
var endWords = newWordSet(`a an the to of and or but for with in on at by from that which who
	your my our their its this these those is are was were be as if than so into onto about
	via per not no can will would should could may might must do does did have has had like
	such e.g. i.e. eg ie vs`)

// questionWords open a question.
var questionWords = newWordSet(`what what's whats why how when where who which is are does do can
	should`)

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
