package notes

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math/bits"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"

	"github.com/recall-cli/recall/internal/card"
)

// This file shares a parse out: goldmark parses the notes a part at a
// time while walkers make the cards of each part, and a finisher gathers
// them in order, drops repeats, makes keys unique and sets ids and groups.

// parseConfig says how parse shares out its work. Parse uses
// defaultConfig; tests pick other splits to check they change nothing.
type parseConfig struct {
	// partSize is the size of the parts goldmark parses one at a time.
	partSize int
	// walkers is how many goroutines make cards.
	walkers int
	// sink, when set, takes the cards a part at a time (see Stream).
	sink Sink
	// listGap is the least distance between places where a long list of
	// questions may be cut (see normalized.listCuts); 0 cuts no list.
	listGap int
}

// defaultConfig cuts the notes into parts of about 128 KB and has a
// walker for each processor, at most four (the goroutine that parses
// waits on goldmark most of the time).
func defaultConfig() parseConfig {
	return parseConfig{partSize: 128 << 10, walkers: max(1, min(4, runtime.GOMAXPROCS(0))), listGap: 4 << 10}
}

// partBufs are the slices a part's walker fills.
type partBufs struct {
	cards     []card.Card
	groups    []int32
	listCloze []bool
	keyIDs    []uint64
}

// job is one part of the notes to make cards of: its tree, where it is,
// and the headings and file tags in force where it starts.
type job struct {
	k          int
	start, end int
	text       []byte // the markdown from start to end
	doc        ast.Node
	heads      []head
	fileTags   []string
	// cont is, for a part cut inside a list (see normalized.listCuts),
	// the number of items of that list before it; contNext says the part
	// ends inside a list.
	cont     int
	contNext bool
}

// parse has goldmark parse the normalised notes a part at a time, cut
// before headings where every block has ended (see normalized.splits), and
// returns the cards of all parts, in order. The cards are those one tree of
// the whole notes would give, but:
//   - only a few parts' trees are alive at a time, which keeps the garbage
//     collector's work and the memory small;
//   - the work is spread over goroutines: one parses, walkers make the
//     cards of the parts, and this one gathers them (see finisher). A
//     part's cards depend on the rest of the notes only through the
//     headings and file tags in force where it starts, and the parsing
//     goroutine follows those as it goes (a walker in scan mode), so parts
//     can be walked in any order.
//
// t holds the settings every part's walker copies; cfg says how big the
// parts are and how many walkers make their cards.
func (t *walker) parse(cfg parseConfig) ([]card.Card, error) {
	total := t.nz.size
	size := max(1, cfg.partSize) // a part of nothing would never end
	var cuts []int               // the ends of the parts
	var conts []int              // for each, the items before it of the list it cuts, or 0
	for k, l, start := 0, 0, 0; start < total; {
		end, cont := total, 0
		for ; k < len(t.nz.splits); k++ {
			if t.nz.splits[k]-start >= size {
				end = t.nz.splits[k]
				break
			}
		}
		for ; l < len(t.nz.listCuts) && t.nz.listCuts[l].off < end; l++ {
			if c := t.nz.listCuts[l]; c.off-start >= size {
				end, cont = c.off, c.items
				l++
				break
			}
		}
		cuts = append(cuts, end)
		conts = append(conts, cont)
		start = end
	}
	held := t.nz.estimate // the cards out holds at once
	if cfg.sink != nil {
		held = min(held, 1<<10)
	}
	f := newFinisher(t.normDeck, t.nz.estimate, held)
	if cfg.sink != nil {
		f.stream = newStreaming(cfg.sink)
	}
	if len(cuts) <= 1 {
		// One part: nothing to share out, and handing it from goroutine
		// to goroutine costs more than it does, file after file.
		if len(cuts) == 1 {
			text, err := t.nz.part(0, cuts[0])
			if err != nil {
				return nil, err
			}
			doc, err := parsePart(text)
			if err != nil {
				return nil, err
			}
			w := t.walkPart(job{end: cuts[0], text: text, doc: doc, fileTags: slices.Clip(slices.Clone(t.fileTags))}, 1, partBufs{})
			if w.err != nil {
				return nil, w.err
			}
			f.add(w)
			if f.stream != nil {
				if err := f.flush(); err != nil {
					return nil, eachError{err}
				}
			}
		}
		return t.finish(f)
	}
	var parseErr error // set before jobs is closed
	walkers := max(1, cfg.walkers)
	jobs := make(chan job, 2*walkers)
	stop := make(chan struct{}) // closed when the cards are no longer wanted
	go func() {
		defer close(jobs)
		defer func() {
			if r := recover(); r != nil {
				parseErr = fmt.Errorf("internal error reading the notes: %v", r)
			}
		}()
		sc := t.clone(nil, t.fileTags)
		sc.scan = true
		start := 0
		for k, end := range cuts {
			text, err := t.nz.part(start, end)
			if err != nil {
				parseErr = err
				return
			}
			doc, err := parsePart(text)
			if err != nil {
				parseErr = err
				return
			}
			j := job{k: k, start: start, end: end, text: text, doc: doc, heads: cloneHeads(sc.heads), fileTags: slices.Clip(slices.Clone(sc.fileTags)),
				contNext: conts[k] > 0}
			if k > 0 {
				j.cont = conts[k-1]
			}
			select {
			case jobs <- j:
			case <-stop:
				return
			}
			if k+1 < len(cuts) {
				sc.walk(doc, text, start)
			}
			start = end
		}
	}()
	done := make(chan *walker, 2*walkers)
	// The finisher hands the parts' card slices back to be filled again:
	// fewer, warmer allocations.
	free := make(chan partBufs, 4*walkers)
	var wg sync.WaitGroup
	for range walkers {
		wg.Go(func() {
			for j := range jobs {
				var bufs partBufs
				select {
				case bufs = <-free:
				default:
				}
				done <- t.walkPart(j, len(cuts), bufs)
			}
		})
	}
	go func() {
		wg.Wait()
		close(done)
	}()
	pending := map[int]*walker{}
	next := 0
	var walkErr, eachErr error
	stopped := false
	halt := func() {
		if !stopped {
			stopped = true
			close(stop)
		}
	}
	for w := range done {
		if w.err != nil && walkErr == nil {
			// No card will be wanted: stop the parsing, and drop the
			// parts walked meanwhile rather than hold them.
			walkErr = w.err
			halt()
			clear(pending)
		}
		if walkErr != nil {
			continue
		}
		pending[w.k] = w
		for p, ok := pending[next]; ok; p, ok = pending[next] {
			delete(pending, next)
			if eachErr == nil {
				f.add(p)
				if f.stream != nil {
					if eachErr = f.flush(); eachErr != nil {
						halt()
					}
				}
			}
			next++
			clear(p.cards)
			select {
			case free <- partBufs{p.cards[:0], p.groups[:0], p.listCloze[:0], p.keyIDs[:0]}:
			default:
			}
		}
	}
	// jobs was closed before done: parseErr is settled.
	if parseErr != nil {
		return nil, parseErr
	}
	if walkErr != nil {
		return nil, walkErr
	}
	if eachErr != nil {
		return nil, eachError{eachErr}
	}
	return t.finish(f)
}

// finish returns the cards f gathered, or hands the last of them over.
func (t *walker) finish(f *finisher) ([]card.Card, error) {
	if f.tooMany {
		return nil, errTooMany
	}
	if f.stream != nil {
		if err := f.settle(); err != nil {
			return nil, eachError{err}
		}
		return nil, nil
	}
	cards := f.cards()
	if t.lint {
		t.findings = f.lintFindings()
		slices.SortStableFunc(t.findings, func(a, b Finding) int { return a.Line - b.Line })
	}
	return cards, nil
}

// eachError is an error of Stream's sink, or ErrUnsettled, which Stream
// returns as it is.
type eachError struct{ err error }

func (e eachError) Error() string { return e.err.Error() }

// errTooMany is the error of notes that make more than maxCards cards.
var errTooMany = fmt.Errorf("more than %d cards; split the notes into several files", maxCards)

// walkPart makes the cards of one part of n and hashes their keys. A
// panic, which would be a bug, becomes the walker's err rather than a
// crash of the program.
func (t *walker) walkPart(j job, n int, bufs partBufs) (w *walker) {
	w = t.clone(j.heads, j.fileTags)
	w.k, w.cont, w.contNext = j.k, j.cont, j.contNext
	w.cards, w.groups, w.listCloze = bufs.cards, bufs.groups, bufs.listCloze
	defer func() {
		if r := recover(); r != nil {
			w.err = fmt.Errorf("internal error reading the notes: %v", r)
		}
	}()
	w.estimate = int(int64(t.nz.estimate)*int64(j.end-j.start)/int64(max(t.nz.size, 1))) + 16
	w.qaNext, _ = slices.BinarySearchFunc(t.nz.qa, j.start, func(q qaBlock, off int) int { return q.off - off })
	w.walk(j.doc, j.text, j.start)
	end := j.end
	if j.k == n-1 {
		end = t.nz.size + 1
	}
	w.flushQA(end)
	w.keyIDs = bufs.keyIDs[:0]
	buf := append([]byte(t.normDeck), 0)
	pre := len(buf)
	for i := range w.cards {
		buf = append(buf[:pre], w.cards[i].Key...)
		w.keyIDs = append(w.keyIDs, idOf(sha256.Sum256(buf)))
	}
	return w
}

// parsePart has goldmark parse one part, turning a panic into an error.
func parsePart(part []byte) (doc ast.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("markdown parser failed: %v", r)
		}
	}()
	return markdown().Parse(text.NewReader(part)), nil
}

// clone returns a walker with t's settings that starts under heads with
// fileTags.
func (t *walker) clone(heads []head, fileTags []string) *walker {
	w := &walker{
		name: t.name, deck: t.deck, normDeck: t.normDeck,
		nz: t.nz, lint: t.lint, cur: -1,
		clozes: t.clozes, lists: t.lists, hideH1: t.hideH1,
		heads: cloneHeads(heads), fileTags: slices.Clip(slices.Clone(fileTags)),
	}
	w.cl.isRef = t.cl.isRef
	w.section()
	return w
}

// cloneHeads copies a heading stack so that its copy can grow apart.
func cloneHeads(h []head) []head {
	out := slices.Clip(slices.Clone(h))
	for i := range out {
		out[i].tags = slices.Clip(out[i].tags)
	}
	return out
}

// idOf packs the first six bytes of a SHA-256, which card.NewID writes in
// hex, into a number.
func idOf(sum [32]byte) uint64 {
	return uint64(sum[0])<<40 | uint64(sum[1])<<32 | uint64(sum[2])<<24 | uint64(sum[3])<<16 | uint64(sum[4])<<8 | uint64(sum[5])
}

// idSet maps card ids to numbers, faster than a map: ids are already
// random, so they index an open-addressed table directly, three quarters
// full at most: 16 bytes a card or so.
type idSet struct {
	keys []uint64 // id+1, 0 for a free slot
	vals []int32
	n    int
}

func newIDSet(n int) *idSet {
	size := max(16, n*4/3+1)
	return &idSet{keys: make([]uint64, size), vals: make([]int32, size)}
}

// slot is where id's search starts: its 48 bits (see idOf) scaled to the
// table.
func (s *idSet) slot(id uint64) int {
	hi, _ := bits.Mul64(id<<16, uint64(len(s.keys)))
	return int(hi)
}

// get returns the number of id, or 0.
func (s *idSet) get(id uint64) int32 {
	for i := s.slot(id); ; {
		switch s.keys[i] {
		case id + 1:
			return s.vals[i]
		case 0:
			return 0
		}
		if i++; i == len(s.keys) {
			i = 0
		}
	}
}

// put sets the number of id, which must not be in the set, growing it
// when it is three quarters full.
func (s *idSet) put(id uint64, v int32) {
	if s.n++; 4*s.n > 3*len(s.keys) {
		old := *s
		*s = idSet{keys: make([]uint64, 2*len(old.keys)), vals: make([]int32, 2*len(old.keys)), n: old.n}
		for i, k := range old.keys {
			if k != 0 {
				s.insert(k-1, old.vals[i])
			}
		}
	}
	s.insert(id, v)
}

func (s *idSet) insert(id uint64, v int32) {
	i := s.slot(id)
	for s.keys[i] != 0 {
		if i++; i == len(s.keys) {
			i = 0
		}
	}
	s.keys[i], s.vals[i] = id+1, v
}

// sides are what makes two cards the same card.
type sides struct{ front, back string }

// finisher gathers the parts' cards, in order, dropping cards with an
// empty side and exact repeats, making keys unique ("#2", "#3"… on the
// later ones), and setting ids and groups.
//
// Repeats are found without hashing every card. Two cards with the same
// sides have the same key, except in two cases the key schemes allow: a
// basic card from a question block may repeat a list card (its front then
// ends in "items" or "in order"), and a basic card whose front holds a '['
// may repeat a cloze of prose. So cards are compared with the cards whose
// id they share as they come, and only when a file has such basic cards
// does a last pass put them, its list cards or its prose clozes through a
// set of sides.
type finisher struct {
	normDeck  string
	ids       *idSet             // id → 1 + index in out
	hot       map[sides]struct{} // sides of the cards whose key another card has
	last      map[string]int     // key met more than once → its last suffix
	out       []card.Card
	id        []uint64
	group     []int32
	listCloze []bool
	base      int32 // the parts' groups are numbered apart
	buf       []byte
	tooMany   bool
	// findings are the parts' findings (when linting), and find the one
	// each card of out counts for, or -1.
	findings []Finding
	find     []int32
	// again are the cards whose key another card had first (with "#2",
	// "#3"… added), and the cards that had it first.
	again []int

	// stream, when set, takes the cards as they come (see Stream and
	// flush): out holds those of one part at a time, and the indexes of
	// ids and again count from the first card of the notes.
	stream  *streaming
	flushed int   // cards handed over
	named   int32 // the groups of the cards handed over
}

// newFinisher makes a finisher for about estimate cards, of which out
// holds up to held before it grows.
func newFinisher(normDeck string, estimate, held int) *finisher {
	return &finisher{
		normDeck: normDeck,
		// The estimate is half as much again as the cards counted (see
		// normalizer.emit); the set grows if it must.
		ids:       newIDSet(estimate * 2 / 3),
		hot:       map[sides]struct{}{},
		last:      map[string]int{},
		out:       make([]card.Card, 0, held),
		id:        make([]uint64, 0, held),
		group:     make([]int32, 0, held),
		listCloze: make([]bool, 0, held),
		buf:       append([]byte(normDeck), 0),
	}
}

// add takes the cards of the next part.
func (f *finisher) add(p *walker) {
	f.tooMany = f.tooMany || p.tooMany || f.flushed+len(f.out)+len(p.cards) > maxCards
	if f.tooMany {
		return
	}
	fbase := int32(len(f.findings))
	f.findings = append(f.findings, p.findings...)
	lint := p.lint
	pre := len(f.normDeck) + 1
	for i := range p.cards {
		c := &p.cards[i]
		if blank(c.Front) || blank(c.Back) {
			continue
		}
		id := p.keyIDs[i]
		if j := f.ids.get(id); j != 0 {
			s := sides{c.Front, c.Back}
			n, again := f.last[c.Key]
			if f.stream != nil {
				// The same, with the sides of the cards handed over
				// hashed.
				h := f.stream.hash(c)
				s = hotKey(h)
				if !again {
					first := f.stream.sides[j-1]
					if first == h {
						continue
					}
					f.hot[hotKey(first)] = struct{}{}
					n = 1
				} else if _, dup := f.hot[s]; dup {
					continue
				}
				if n == 1 && int(j-1) < f.flushed {
					f.stream.fetch[int(j-1)] = fetch{idHex(id), c.Key}
				}
			} else if !again {
				// The first repeat of this key: compare with the one
				// card that has it.
				first := &f.out[j-1]
				if first.Front == c.Front && first.Back == c.Back {
					continue
				}
				f.hot[sides{first.Front, first.Back}] = struct{}{}
				n = 1
			} else if _, dup := f.hot[s]; dup {
				continue
			}
			f.hot[s] = struct{}{}
			if n == 1 {
				f.again = append(f.again, int(j-1))
			}
			f.again = append(f.again, f.flushed+len(f.out))
			key := c.Key
			for {
				n++
				c.Key = key + "#" + strconv.Itoa(n)
				f.buf = append(f.buf[:pre], c.Key...)
				if id = idOf(sha256.Sum256(f.buf)); f.ids.get(id) == 0 {
					break
				}
			}
			f.last[key] = n
		}
		f.ids.put(id, int32(f.flushed+len(f.out)+1))
		if f.stream != nil {
			f.stream.sides = append(f.stream.sides, f.stream.hash(c))
		}
		f.out = append(f.out, *c)
		if lint {
			k := p.cardFind[i]
			if k >= 0 {
				k += fbase
			}
			f.find = append(f.find, k)
		}
		f.id = append(f.id, id)
		f.group = append(f.group, f.base+p.groups[i])
		f.listCloze = append(f.listCloze, p.listCloze[i])
	}
	f.base += p.group
}

// tellApart deals with the cards of a file that ask the same thing: a
// "term" defined three times or more is a kind of remark ("DP: …", "Q:
// …"), not a term, and its definition cards go; other cards that read
// the same are told apart by the part of their breadcrumb that differs
// ("Architectural patterns › Signs of GOOOP — name the 4 items").
func (f *finisher) tellApart() {
	if len(f.again) == 0 {
		return
	}
	byFront := map[string][]int{}
	for _, i := range f.again {
		byFront[f.out[i].Front] = append(byFront[f.out[i].Front], i)
	}
	drop := map[int]bool{}
	for front, same := range byFront {
		if len(same) < 2 {
			continue
		}
		defs := 0
		for _, i := range same {
			if isDefAnchor(f.out[i].Anchor) {
				defs++
			}
		}
		if defs >= 3 {
			for _, i := range same {
				if isDefAnchor(f.out[i].Anchor) {
					drop[i] = true
				}
			}
			continue
		}
		fronts := make([]string, len(same))
		for x, i := range same {
			if e := apart(i, front, same, f.out); e != "" {
				fronts[x] = e + " › " + front
			}
		}
		for x, i := range same {
			if fronts[x] != "" {
				f.out[i].Front = fronts[x]
			}
		}
	}
	if len(drop) == 0 {
		return
	}
	n := 0
	for i := range f.out {
		if drop[i] {
			continue
		}
		f.out[n], f.id[n], f.group[n], f.listCloze[n] = f.out[i], f.id[i], f.group[i], f.listCloze[i]
		if f.find != nil {
			f.find[n] = f.find[i]
		}
		n++
	}
	clear(f.out[n:])
	f.out, f.id, f.group, f.listCloze = f.out[:n], f.id[:n], f.group[:n], f.listCloze[:n]
	if f.find != nil {
		f.find = f.find[:n]
	}
}

// apart returns the last entry of card i's breadcrumb that no other card
// of same holds (and that is not what the card itself asks about), or "".
func apart(i int, front string, same []int, cards []card.Card) string {
	ctx := cards[i].Context
	self := card.Normalize(strings.TrimSuffix(front, "?"))
	for k := len(ctx) - 1; k > 0; k-- {
		if card.Normalize(ctx[k]) == self {
			continue
		}
		unique := true
		for _, j := range same {
			if j != i && slices.Contains(cards[j].Context, ctx[k]) {
				unique = false
				break
			}
		}
		if unique {
			return ctx[k]
		}
	}
	return ""
}

// lintFindings returns the findings with the cards each one kept.
func (f *finisher) lintFindings() []Finding {
	for i := range f.findings {
		f.findings[i].Cards = 0
	}
	for _, k := range f.find {
		if k >= 0 {
			f.findings[k].Cards++
		}
	}
	return f.findings
}

// cards finishes and returns the cards.
func (f *finisher) cards() []card.Card {
	listLike, bracket := crossing(f.out)
	if listLike || bracket {
		crossed := map[sides]struct{}{}
		n := 0
		for i := range f.out {
			c := &f.out[i]
			cross := false
			switch c.Kind {
			case card.List:
				cross = listLike
			case card.Cloze:
				cross = bracket && !f.listCloze[i]
			default:
				cross = listLike && strings.IndexByte(c.Back, '\n') >= 0 || bracket && strings.IndexByte(c.Front, '[') >= 0
			}
			if cross {
				s := sides{c.Front, c.Back}
				if _, dup := crossed[s]; dup {
					continue
				}
				crossed[s] = struct{}{}
			}
			if n < i {
				f.out[n], f.id[n], f.group[n] = f.out[i], f.id[i], f.group[i]
				if f.find != nil {
					f.find[n] = f.find[i]
				}
			}
			n++
		}
		clear(f.out[n:])
		f.out, f.id, f.group = f.out[:n], f.id[:n], f.group[:n]
		if f.find != nil {
			f.find = f.find[:n]
		}
	}
	f.tellApart()
	f.name(0)
	return slices.Clip(f.out)
}

// crossing tells whether cards has basic cards that may repeat a list
// card (listLike) or a cloze of prose (bracket): see finisher.
func crossing(cards []card.Card) (listLike, bracket bool) {
	for i := range cards {
		if c := &cards[i]; c.Kind == card.Basic || c.Kind == card.Reverse {
			listLike = listLike || strings.HasSuffix(c.Front, " items") || strings.HasSuffix(c.Front, " in order")
			bracket = bracket || strings.IndexByte(c.Front, '[') >= 0
		}
	}
	return listLike, bracket
}

// appendID appends an id in hex, as card.NewID writes it.
func appendID(b []byte, id uint64) []byte {
	six := [6]byte{byte(id >> 40), byte(id >> 32), byte(id >> 24), byte(id >> 16), byte(id >> 8), byte(id)}
	return hex.AppendEncode(b, six[:])
}

// idHex is an id in hex.
func idHex(id uint64) string { return string(appendID(nil, id)) }

// name sets the ids of the cards of out and their groups, which are the
// id of a group's first card; the groups of out are lo and up.
func (f *finisher) name(lo int32) {
	hexIDs := make([]byte, 0, 12*len(f.out))
	for _, id := range f.id {
		hexIDs = appendID(hexIDs, id)
	}
	all := string(hexIDs)
	first := make([]string, f.base+1-lo) // group → id of its first card
	for i := range f.out {
		c := &f.out[i]
		c.ID = all[12*i : 12*i+12]
		g := f.group[i] - lo
		if first[g] == "" {
			first[g] = c.ID
		}
		c.Group = first[g]
	}
}
