package notes

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/recall-cli/recall/internal/card"
)

// fixture parses a file of testdata, checking the invariants.
func fixture(t *testing.T, name string) File {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return parse(t, name, string(src))
}

// fronts are the fronts of cards, first line only.
func fronts(cards []card.Card) []string {
	var out []string
	for _, c := range cards {
		f, _, _ := strings.Cut(c.Front, "\n")
		out = append(out, f)
	}
	return out
}

// byFront finds the card whose front starts with prefix.
func byFront(cards []card.Card, prefix string) *card.Card {
	for i := range cards {
		if strings.HasPrefix(cards[i].Front, prefix) {
			return &cards[i]
		}
	}
	return nil
}

// hasNone fails for every card that holds one of the strings anywhere a
// person sees it.
func hasNone(t *testing.T, cards []card.Card, bad ...string) {
	t.Helper()
	for _, c := range cards {
		for _, s := range append([]string{c.Front, c.Back}, c.Context...) {
			for _, b := range bad {
				if strings.Contains(s, b) {
					t.Errorf("card %q → %q holds %q", c.Front, c.Back, b)
				}
			}
		}
	}
}

// wantFronts fails for each front not among the cards', and each unwanted
// front that is.
func wantFronts(t *testing.T, cards []card.Card, want, unwanted []string) {
	t.Helper()
	got := fronts(cards)
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("no card %q in %q", w, got)
		}
	}
	for _, u := range unwanted {
		if slices.Contains(got, u) {
			t.Errorf("card %q made, want none", u)
		}
	}
}

// TestRuleSingleChild: a parent with one child makes "Parent?" only when
// it reads as a prompt; a comment is never an answer.
func TestRuleSingleChild(t *testing.T) {
	t.Parallel()
	f := fixture(t, "single-child.md")
	wantFronts(t, f.Cards,
		[]string{"Why Rust?", "Batch jobs fail because?", "Capacity planning?", "Paging policy?"},
		[]string{"The storage team reviewed our design?", "Compaction runs nightly.?", "Compaction runs nightly?", `"Measure before you cut"?`,
			"Are you using OWL?", "Also called the decomposition problem?", "staging.example.com?"})
	for _, c := range f.Cards {
		if c.Back == "Very useful" || strings.HasSuffix(c.Front, ".?") {
			t.Errorf("card %q → %q: a statement made a question", c.Front, c.Back)
		}
	}
	for src, want := range map[string]bool{
		"Deployments:\n\n- blue-green\n":                      true,  // a label that ends in ':'
		"- Is it safe?\n  - only behind a flag\n":             true,  // a question
		"- Rollbacks are slow\n  - sadly\n":                   false, // a statement and a comment
		"- We shipped it.\n  - on Friday\n":                   false,
		"- Use tools\n  - make\n":                             false, // an instruction
		"- no destructors\n  - embedding instead\n":           false,
		"## About\n\n- a book on teams\n":                     false, // a section's name
		"## Why Go\n\n- simple concurrency\n":                 true,
		"## How I Met Your Data\n\n- looked at pwned lists\n": false, // one note under a talk
	} {
		got := len(parse(t, "n.md", src).Cards) > 0
		if got != want {
			t.Errorf("Parse(%q) made a card: %v, want %v", src, got, want)
		}
	}
}

// TestRuleHeaders: an item whose substance is its children is shown with
// them and never hidden or an answer alone.
func TestRuleHeaders(t *testing.T) {
	t.Parallel()
	f := fixture(t, "headers.md")
	for _, c := range f.Cards {
		switch c.Back {
		case "Tools", "People", "a good design has":
			t.Errorf("card %q hides or answers %q, a header of a list", c.Front, c.Back)
		}
	}
	c := byFront(f.Cards, "Week one covers — name the 4 items")
	if c == nil || !strings.Contains(c.Back, "- Tools\n  - laptop setup\n  - access to the monorepo\n- People\n") {
		t.Fatalf("list card of the week = %v, want it to show Tools and People with their items", c)
	}
	// A bullet that carries on the sentence above it is no label.
	wantFronts(t, f.Cards, []string{"Tools — name the 2 items", "a good design has — name the 2 items"},
		[]string{"yet they are incompatible — name the 2 items"})
	// A label of thirty words asks nothing a list card could; applause is
	// no content.
	hasNone(t, f.Cards, "The foundation builds", "Applause")
	// Bullets indented short of a step's text are the step's own.
	if c := byFront(f.Cards, "Parameter edits — name the 2 items in order"); c == nil || !strings.Contains(c.Back, "2. If you delete a parameter, warn first\n   - callers") {
		t.Errorf("parameter edits card = %v, want the bullets under step 2", c)
	}
	wantFronts(t, f.Cards, nil, []string{"Parameter edits — name the 2 items"})
}

// TestRuleLinks: a bare URL is never an answer or a deletion; links are
// shown as references; a list of links makes no card; filler is no item.
func TestRuleLinks(t *testing.T) {
	t.Parallel()
	f := fixture(t, "links.md")
	for _, c := range f.Cards {
		if linkOnly(c.Back) {
			t.Errorf("card %q → %q: a link as an answer", c.Front, c.Back)
		}
		if c.Context[len(c.Context)-1] == "Keynote by Ada Example" || c.Context[len(c.Context)-1] == "Resources" {
			t.Errorf("card %q from a list of links", c.Front)
		}
		if c.Back == "etc" || c.Back == "…" {
			t.Errorf("card %q hides filler", c.Front)
		}
	}
	c := byFront(f.Cards, "Tracing talk — name the 4 items")
	if c == nil || !strings.Contains(c.Back, "\n- https://example.com/tracing-demo\n") || strings.Contains(c.Back, "etc") {
		t.Fatalf("tracing list card = %v, want 4 items with the demo link among them and no filler", c)
	}
	if byFront(f.Cards, "Tracing talk\n\n") == nil {
		t.Error("no clozes of the tracing list")
	}
	found := false
	for _, x := range f.Cards {
		found = found || x.Kind == card.Cloze && strings.HasPrefix(x.Back, "[the OpenTelemetry spec](")
	}
	if !found {
		t.Error("the item [the OpenTelemetry spec](…) lost its link text")
	}
}

// TestRuleMetadata: speaker, byline, video and slides lines are context,
// never a label, question or answer.
func TestRuleMetadata(t *testing.T) {
	t.Parallel()
	f := fixture(t, "metadata.md")
	hasNone(t, f.Cards, "Jamie Rivera", "Sam Lee", "agenda", "Video", "Slides", "Speaker")
	wantFronts(t, f.Cards, []string{"Scaling queues — name the 3 items", "Cache lessons — name the 2 items"}, nil)
}

// TestRuleNotesToSelf: no note to self reaches a card, in any of its
// forms: markers, tasks (a box to tick, done or not), images, the
// note-taker's own story.
func TestRuleNotesToSelf(t *testing.T) {
	t.Parallel()
	f := fixture(t, "notes-to-self.md")
	hasNone(t, f.Cards, "??", "TODO", "FIXME", "XXX", "hamy", "[link]", "[img", "look up the paper", "render the graph",
		"Think through", "queue diagram", "img/queue.png", "bored", "[x]", "Dead-letter", "Insight", "billing")
	c := byFront(f.Cards, "Queues — name the 4 items")
	if c == nil || c.Back != "- back-pressure\n- bounded buffers\n- retries with jitter\n- idempotent consumers" {
		t.Errorf("Queues list card = %v", c)
	}
	wantFronts(t, f.Cards, []string{"Retry budget?"}, []string{"TODO?"})
}

// TestRuleLong: no list cloze hides more than about 15 words; a list of
// long sentences gets its list card and no clozes when one card holds it,
// else no card.
func TestRuleLong(t *testing.T) {
	t.Parallel()
	f := fixture(t, "long.md")
	for _, c := range f.Cards {
		if c.Kind == card.Cloze && hideWords(c.Back) > maxHideWords {
			t.Errorf("cloze hides %d words: %q", hideWords(c.Back), c.Back)
		}
		if c.Kind == card.Cloze && strings.HasPrefix(c.Front, "Takeaways") {
			t.Errorf("a cloze of a list of long sentences: %q", c.Back)
		}
	}
	wantFronts(t, f.Cards, []string{"Takeaways — name the 4 items", "Practices — name the 4 items"}, nil)
	n := 0
	for _, c := range f.Cards {
		if c.Kind == card.Cloze && strings.HasPrefix(c.Front, "Practices") {
			n++
		}
	}
	if n != 3 {
		t.Errorf("Practices has %d clozes, want 3 (its long item shown, not hidden)", n)
	}
	// Ten sentences of twenty words each are too many to recall: no
	// card, in parts or whole, and lint says why.
	var src strings.Builder
	src.WriteString("# Book\n\n## Lessons\n\n")
	for i := range 10 {
		fmt.Fprintf(&src, "- lesson %d is that a team which writes its decisions down remembers more of what it decided and why\n", i)
	}
	lf, err := Parse("lessons.md", []byte(src.String()), Options{Lint: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(lf.Cards) != 0 {
		t.Errorf("%d cards from ten long sentences, want none", len(lf.Cards))
	}
	if len(lf.Findings) == 0 || !strings.Contains(lf.Findings[0].Skipped, "too many long sentences") {
		t.Errorf("lint findings %v, want the list skipped as too long", lf.Findings)
	}
}

// TestRuleDefinitions: every form of definition, with a real term; a
// verb, a filler word or a clause is no term, and a definition several
// terms share ("cli command") is a kind, not a definition.
func TestRuleDefinitions(t *testing.T) {
	t.Parallel()
	f := fixture(t, "definitions.md")
	wantFronts(t, f.Cards,
		[]string{"Quorum?", "Lease?", "Fencing token?", "Epoch?", "Split brain?", "Hedged request?", "premortem?"},
		[]string{"Ask?", "example?", "Example?", "explain Paxos?", "the leader is slow?", "running it locally?", "a?", "note?", "*premortem?", "premortem*?",
			"sonar code analysis?", "explore the attributes?", "The model was tested across subjects.?", "random numbers?",
			"2 groups?", "the above example?", "dnsenum?", "dnsmap?",
			// advice, attribution, a host name, one vague word, a joke, an attribution as term
			"patching?", "Clean Architecture?", "staging.example.com?", "GPT-3 families?", "OUTER?", "per the maintainer?",
			"Andy Grove?"}) // who someone is, by job title
	// A paragraph that defines nothing still names its list by its term.
	wantFronts(t, f.Cards, []string{"Hexagonal Architecture — name the 3 items"}, []string{"Hexagonal Architecture?"})
	if c := byFront(f.Cards, "premortem?"); c == nil || c.Back != "a meeting that imagines the project has already failed" {
		t.Errorf("premortem card = %v", c)
	}
}

// TestRuleOutline: plain-text outlines, "label:" with indented lines, "o"
// bullets, "(a)" items and continuation lines.
func TestRuleOutline(t *testing.T) {
	t.Parallel()
	f := fixture(t, "outline.txt")
	want := map[string]string{
		"Why consensus?":                         "agree on one value; survive minority failures; make progress when a majority is up",
		"Raft terms?":                            "each term has at most one leader, and terms only grow, which lets a server spot a stale leader",
		"Lamport clock?":                         "a counter bumped on every event and message",
		"omission?":                              "messages lost in transit",
		"who can vote for a candidate?":          "any server whose log is at least as new as the candidate's",
		"Paxos roles — name the 3 items":         "- proposer\n- acceptor\n- learner",
		"Failure models — name the 3 items":      "- crash stop\n- omission\n  - messages lost in transit\n- byzantine",
		"Exam questions — name the 2 items":      "- (a) define safety\n- (b) define liveness",
		"Clock skew — name the 3 items in order": "1. NTP drifts\n2. leap seconds\n3. virtual machines pause",
		// Lines between two steps belong to the step above them.
		"Steps of a vote — name the 4 items in order": "1. send a proposal\n2. collect the promises\n" +
			"   - Promises: replies that carry the highest accepted value\n   - a majority is enough\n3. send the accept\n4. learn the value",
	}
	for front, back := range want {
		c := byFront(f.Cards, front)
		if c == nil || c.Front != front || c.Back != back {
			t.Errorf("card %q = %v, want back %q", front, c, back)
		}
	}
	if f.Deck != "outline" {
		t.Errorf("deck %q, want the file's name: the notes have several titles", f.Deck)
	}
	// A line alone after a separator is a title, whatever it opens with.
	if c := byFront(f.Cards, "Raft roles — name the 3 items"); c == nil || c.Context[len(c.Context)-1] != "From Paxos to Raft in 30 min" {
		t.Errorf("Raft roles card = %v, want it under the title after the separator", c)
	}
	hasNone(t, f.Cards, "Q:", "====", "----", "the above") // a question that points elsewhere asks nothing
}

// TestRuleLongList: no list card asks for more than eight items; longer
// lists come in even parts, each with its clozes, and a part after the
// first is asked after the item that ends the part before it.
func TestRuleLongList(t *testing.T) {
	t.Parallel()
	f := fixture(t, "long-list.md")
	var parts []string
	for _, c := range f.Cards {
		if c.Kind == card.List {
			parts = append(parts, c.Front)
		}
	}
	want := []string{
		"Shortcuts worth learning (1/4) — name the 7 items",
		"Shortcuts worth learning (2/4) — after “format file”, name the next 7 items",
		"Shortcuts worth learning (3/4) — after “unfold block”, name the next 7 items",
		"Shortcuts worth learning (4/4) — after “expand selection”, name the next 7 items",
	}
	if !slices.Equal(parts, want) {
		t.Errorf("list cards %q, want %q", parts, want)
	}
	if len(f.Cards) != 4+28 {
		t.Errorf("%d cards, want 4 list cards and 28 clozes", len(f.Cards))
	}
}

// TestRuleManyTitles: several H1s are sections; the deck is the file's;
// cards that read the same are told apart by their context.
func TestRuleManyTitles(t *testing.T) {
	t.Parallel()
	f := fixture(t, "many-h1.md")
	if f.Deck != "many-h1" {
		t.Errorf("deck %q, want many-h1", f.Deck)
	}
	wantFronts(t, f.Cards, []string{"Day 1 › Principles — name the 3 items", "Day 2 › Principles — name the 3 items"}, nil)
	for _, c := range f.Cards {
		if len(c.Context) < 2 || c.Context[1] != "Day 1" && c.Context[1] != "Day 2" {
			t.Errorf("card %q: breadcrumb %q, want its day second", c.Front, c.Context)
		}
	}
}

// TestRuleQuotes: a quote under a bullet is part of its item.
func TestRuleQuotes(t *testing.T) {
	t.Parallel()
	f := fixture(t, "quotes.md")
	c := byFront(f.Cards, "Keynote takeaways — name the 4 items")
	want := "- speak less, listen more\n- when you hear a new idea “look for what you love in it”\n" +
		"- rather than “strong opinions, loosely held”\n  - try “calm thoughts, quietly mentioned”\n- love each other's languages"
	if c == nil || c.Back != want {
		t.Errorf("keynote list card = %v, want back %q", c, want)
	}
}

// TestOtherFormats: org-mode (its "term :: description" lists define),
// Logseq pages and HTML <details> blocks.
func TestOtherFormats(t *testing.T) {
	t.Parallel()
	org := fixture(t, "panel.org")
	if org.Deck != "Knowledge graph panel" {
		t.Errorf("org deck %q, want its #+TITLE", org.Deck)
	}
	wantFronts(t, org.Cards, []string{"Coverage?", "Freshness?", "Completeness?", "What is hardest?", "Maintains several graphs for — name the 2 items"},
		[]string{"Coverage", "Freshness", "Panelists — name the 2 items", "Words?"}) // the items finish "… graphs for"
	hasNone(t, org.Cards, "Example Corp", "Sample Inc") // a roster is metadata
	hasNone(t, org.Cards, "2018-10-10", ":speaker:", "not a card", "#+")
	ls := fixture(t, "logseq.md")
	if ls.Deck != "Circuit breaker" || !slices.Equal(ls.Tags, []string{"resilience", "design-pattern"}) {
		t.Errorf("logseq deck %q tags %q, want its title:: and tags::", ls.Deck, ls.Tags)
	}
	wantFronts(t, ls.Cards, []string{"Purpose — name the 2 items", "States — name the 3 items", "Open?"}, []string{"Tools?"})
	hasNone(t, ls.Cards, "heading::", "id::")
	for _, c := range ls.Cards {
		if c.Kind == card.Cloze && (c.Back == "Tools" || c.Back == "Purpose") {
			t.Errorf("cloze hides %q, a section's name", c.Back)
		}
	}
	d := fixture(t, "details.md")
	wantFronts(t, d.Cards, []string{"Exception clauses — name the 3 items", "sources?", "sinks?", "sanitizers?"}, []string{"fine with types?"})
	// A <details> block is a block of its own: its list does not join
	// the one before it. Code is never an answer or a deletion.
	for _, c := range d.Cards {
		if strings.Contains(c.Front, "sources") && strings.Contains(c.Front+c.Back, "wget") || strings.Contains(c.Back, "wget") {
			t.Errorf("card %q → %q", c.Front, c.Back)
		}
	}
}

// TestRuleRemarks: sentences written down under a heading are remarks,
// not a set: no card; under a talk's title, nothing is. A label that names the set or ends in ':'
// asks for them (a list card); wordy items get no clozes; short phrases
// and short sentences keep theirs.
func TestRuleRemarks(t *testing.T) {
	t.Parallel()
	f := fixture(t, "remarks.md")
	for _, c := range f.Cards {
		if slices.Contains(c.Context, "Keynote: Decades in the Machine - Meaning and Purpose") ||
			slices.Contains(c.Context, "Beats in the Browser - Coding Music with JavaScript") {
			t.Errorf("card %q → %q from remarks under a talk's title", c.Front, c.Back)
		}
	}
	wantFronts(t, f.Cards, []string{
		"Takeaways — name the 3 items", "Why teams skip tests — name the 3 items",
		"Observability tools — name the 3 items", "Observability tools",
		"The retrospective — name the 3 items", "The retrospective",
	}, []string{"Takeaways", "Why teams skip tests"})
	clozes := map[string]int{}
	for _, c := range f.Cards {
		if c.Kind == card.Cloze {
			label, _, _ := strings.Cut(c.Front, "\n")
			clozes[label]++
		}
	}
	want := map[string]int{"Observability tools": 3, "The retrospective": 3, "Aristotle's beliefs": 3}
	if !maps.Equal(clozes, want) {
		t.Errorf("clozes by label %v, want %v: the tools and the short sentences; nothing under a talk's title", clozes, want)
	}
	// "Pick" is a line left unfinished: not an item.
	wantFronts(t, f.Cards, []string{"On-call game — name the 2 items"}, []string{"Keynote: Observability - The Tools We Use — name the 3 items"})
	// A short label right above its list that ends in a plural names the
	// set.
	// A few points under a topic of a word or three say what it is; many
	// remarks under a name do not make a set.
	wantFronts(t, f.Cards, []string{"Aristotle's beliefs — name the 3 items", "Open — name the 2 items"},
		[]string{"Keynote: Culture - How We Work — name the 2 items"})
	// (Not in remarks.md: Format cannot give back the lines past the
	// three a list card shows under an item.)
	g := parse(t, "speaker.md", "# Panel\n\n- Yuqing Gao\n"+
		"  - was with IBM Watson for nineteen years before this job\n"+
		"  - maintains several knowledge graphs for words, work and research\n"+
		"  - it is difficult to view a knowledge graph at this scale\n"+
		"  - internal knowledge systems are another challenge for the enterprise\n"+
		"  - future work looks at conversation as the way in\n")
	wantFronts(t, g.Cards, nil, []string{"Yuqing Gao — name the 5 items"})
}

// TestRuleExamples: an example ("e.g. …") is shown, never hidden or
// counted; a list of examples, or one under "For example", makes no card.
func TestRuleExamples(t *testing.T) {
	t.Parallel()
	f := fixture(t, "examples.md")
	wantFronts(t, f.Cards,
		[]string{"Challenges — name the 3 items", "Uses — name the 3 items"},
		[]string{"Managing identity — name the 2 items", "For example — name the 2 items", "For example — name the 3 items"})
	for _, c := range f.Cards {
		if c.Kind == card.Cloze && (strings.HasPrefix(c.Back, "e.g.") || c.Back == "For example" || c.Back == "stickers") {
			t.Errorf("cloze %q hides an example", c.Back)
		}
		if strings.Contains(c.Back, "a sticker") || strings.Contains(c.Front, "stickers") {
			t.Errorf("card %q → %q shows the examples under “For example”", c.Front, c.Back)
		}
	}
	// An item whose children are only examples is an item of its own.
	hidden := false
	for _, c := range f.Cards {
		hidden = hidden || c.Kind == card.Cloze && c.Back == "Managing identity"
	}
	if !hidden {
		t.Errorf("no cloze hides “Managing identity”, an item with examples under it")
	}
}

// TestRuleGenericLabels: a label that names a kind of list but not its
// subject ("Steps", "Disadvantages") is the list of the term the notes
// just defined, or of the subject of the list before it; a heading
// clears that.
func TestRuleGenericLabels(t *testing.T) {
	t.Parallel()
	f := fixture(t, "generic-labels.md")
	wantFronts(t, f.Cards, []string{
		"Advantages of a surrogate key — name the 2 items",
		"Disadvantages of a surrogate key — name the 2 items",
		"Steps of k-means clustering — name the 3 items in order",
		"Steps — name the 2 items in order",
	}, []string{"Disadvantages — name the 2 items", "Steps of k-means clustering — name the 2 items in order"})
}

// TestRuleClozeLimits: a cloze never hides a question, a list too tall
// to show around one hidden line gets its list card alone, and a list of
// questions or of headers and remarks under a name gets none.
func TestRuleClozeLimits(t *testing.T) {
	t.Parallel()
	f := parse(t, "q.md", "# Panel\n\nWhat they asked:\n\n- Who owns the graph?\n- privacy on device\n- federation across scales\n")
	for _, c := range f.Cards {
		if c.Kind == card.Cloze && c.Back == "Who owns the graph?" {
			t.Errorf("cloze hides a question: %q", c.Front)
		}
	}
	if n := len(f.Cards); n != 3 {
		t.Errorf("%d cards, want the list card and two clozes", n)
	}
	var tall strings.Builder
	tall.WriteString("# Tools\n\nTools we use:\n\n")
	for _, top := range []string{"build", "test", "deploy", "watch"} {
		fmt.Fprintf(&tall, "- %s\n  - one %s tool\n  - two %s tools\n  - three %s tools\n", top, top, top, top)
	}
	g := parse(t, "tall.md", tall.String())
	for _, c := range g.Cards {
		if c.Kind == card.Cloze && strings.HasPrefix(c.Front, "Tools we use") {
			t.Errorf("cloze of a list of %d lines: hides %q", strings.Count(c.Front, "\n"), c.Back)
		}
	}
	wantFronts(t, g.Cards, []string{"Tools we use — name the 4 items"}, nil)
	// "same as before" points elsewhere: shown, never hidden.
	sb := parse(t, "again.md", "# Events\n\nSecond event:\n\n- same as before\n- streamline the sign-up\n- rest after\n")
	for _, c := range sb.Cards {
		if c.Kind == card.Cloze && c.Back == "same as before" {
			t.Errorf("cloze hides %q", c.Back)
		}
	}
	// A list of questions asks; the notes answer none of them.
	h := parse(t, "asked.md", "# Panel\n\nQuestions:\n\n- Who owns the graph?\n- Is it shared?\n- Via what services?\n")
	if len(h.Cards) != 0 {
		t.Errorf("%d cards from a list of questions, want none", len(h.Cards))
	}
	// Under a name, headers and remarks are no set, however short the
	// headers' labels.
	k := parse(t, "speaker.md", "# Panel\n\n## Alan Patterson\n\n- eBay has a product knowledge graph\n"+
		"- taxonomies map to the category tree in the side navigation\n- Problem\n  - duplicate products\n  - slightly different titles\n"+
		"- Validation\n  - types checked with RDFS\n  - ranges checked too\n- Moving toward\n  - one page per product\n  - options per page\n")
	wantFronts(t, k.Cards, nil, []string{"Alan Patterson — name the 5 items"})
}

// TestAsksForSet: a label asks for its list when its head noun names a
// set, it ends in ':' or '?', or (right above the list) it ends in a
// plural; a noun that only qualifies another does not count.
func TestAsksForSet(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]bool{
		"Tradeoffs - note this is not for everyone": true,
		"Five tenets of SOA":                        true,
		"Causes of diamond dependency issue":        true,
		"High level takeaways / action items":       true,
		"Issues that follow":                        true,
		"Mentoring Metrics Engineers - Yelp":        false,
		"Scientific Change: the Laws":               false,
		"Keynote: Decades in the Machine":           false,
		"Monitoring with percentiles":               false,
		"Thinking in patterns":                      true,
		"Why is it slow?":                           true,
	} {
		if got := asksForSet(label{text: text, from: fromHeading}); got != want {
			t.Errorf("asksForSet(%q) = %v, want %v", text, got, want)
		}
	}
}

// TestRuleOutlines: a heading or paragraph over items that each hold a
// list (or define) names sections, not a set; a bullet over such items
// names them. Format gives these back as the same cards (see
// TestFormatRoundTrip): a label that asked for nothing keeps asking for
// nothing, a bullet that asked keeps its colon, and the lines a list card
// shows under a step stay with the card of their own among them.
func TestRuleOutlines(t *testing.T) {
	t.Parallel()
	f := fixture(t, "outlines.md")
	wantFronts(t, f.Cards,
		[]string{"Challenges — name the 2 items", "Active — name the 2 items", "Active?", "Steps of PCA — name the 3 items in order", "Eigenvectors?", "The system — name the 3 items"},
		[]string{"Jamie Taylor — name the 2 items", "Recon — name the 2 items", "Recon — name the 5 items"})
	if c := byFront(f.Cards, "Steps of PCA — name"); c == nil || !strings.Contains(c.Back, "   - Eigenvectors: show the importance of the features\n   - the eigenvalues are equal to the variance") {
		t.Errorf("PCA card = %v, want both lines under step 2", c)
	}
}
