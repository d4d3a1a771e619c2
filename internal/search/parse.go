package search

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Parse reads a search. Terms side by side must all match; "or" (in any
// case) between two terms lets either; "-" before a term negates it;
// parentheses group, and "and" binds tighter than "or", as in Anki. A term
// is a word, a "quoted phrase" or field:value, where the value or the
// whole term may be quoted ("deck:a b", deck:"a b"); a backslash takes the
// next character as it is (\" \* \( \\). An error names what is wrong and
// where, in one line.
func Parse(s string) (Query, error) {
	toks, err := lex(s)
	if err != nil {
		return Query{}, err
	}
	if len(toks) == 0 {
		return Query{Source: s}, nil
	}
	p := &parser{src: s, toks: toks}
	root, err := p.or()
	if err != nil {
		return Query{}, err
	}
	if t := p.peek(); t != nil {
		// Only a ")" stops the top level early.
		return Query{}, p.errorf(t, "unmatched )")
	}
	return Query{Root: root, Source: s}, nil
}

type tokenKind int

const (
	tWord tokenKind = iota
	tOpen
	tClose
	tNot
)

// char is a character of a word and whether a backslash took it as it is.
type char struct {
	r       rune
	escaped bool
}

type token struct {
	kind   tokenKind
	chars  []char
	quoted bool // some of the word was in quotes
	pos    int  // byte offset in the search, for errors
}

// bare is the word as typed when none of it was quoted or escaped, else "".
func (t *token) bare() string {
	if t.quoted {
		return ""
	}
	var b strings.Builder
	for _, c := range t.chars {
		if c.escaped {
			return ""
		}
		b.WriteRune(c.r)
	}
	return b.String()
}

// lex splits a search into words, parentheses and negations.
func lex(s string) ([]token, error) {
	var toks []token
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += n
		case r == '(':
			toks = append(toks, token{kind: tOpen, pos: i})
			i += n
		case r == ')':
			toks = append(toks, token{kind: tClose, pos: i})
			i += n
		case r == '-' && i+1 < len(s) && !unicode.IsSpace(rune(s[i+1])) && s[i+1] != ')':
			toks = append(toks, token{kind: tNot, pos: i})
			i += n
		case r == '-':
			return nil, fmt.Errorf("search: - with nothing after it (column %d) in %q", column(s, i), s)
		default:
			t, next, err := lexWord(s, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, t)
			i = next
		}
	}
	return toks, nil
}

// lexWord reads the word that starts at i, up to a space or parenthesis
// outside quotes, and returns it with where the next token starts.
func lexWord(s string, i int) (token, int, error) {
	t := token{kind: tWord, pos: i}
	quote := -1 // where the open quote is, or -1
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if quote < 0 && (unicode.IsSpace(r) || r == '(' || r == ')') {
			break
		}
		i += n
		switch r {
		case '"':
			if quote < 0 {
				quote, t.quoted = i-n, true
			} else {
				quote = -1
			}
		case '\\':
			if i < len(s) {
				r, n = utf8.DecodeRuneInString(s[i:])
				i += n
			}
			t.chars = append(t.chars, char{r, true})
		default:
			t.chars = append(t.chars, char{r, false})
		}
	}
	if quote >= 0 {
		return t, i, fmt.Errorf("search: unclosed quote (column %d) in %q", column(s, quote), s)
	}
	return t, i, nil
}

// column is the 1-based column of byte offset i in s, counting characters.
func column(s string, i int) int { return utf8.RuneCountInString(s[:i]) + 1 }

type parser struct {
	src  string
	toks []token
	i    int
}

func (p *parser) peek() *token {
	if p.i >= len(p.toks) {
		return nil
	}
	return &p.toks[p.i]
}

func (p *parser) errorf(t *token, format string, args ...any) error {
	pos := len(p.src)
	if t != nil {
		pos = t.pos
	}
	return fmt.Errorf("search: %s (column %d) in %q", fmt.Sprintf(format, args...), column(p.src, pos), p.src)
}

// keyword reports whether t is the bare word "or" or "and", in any case.
func keyword(t *token, word string) bool {
	return t != nil && t.kind == tWord && strings.EqualFold(t.bare(), word)
}

// or reads terms joined by "or".
func (p *parser) or() (Node, error) {
	first, err := p.and()
	if err != nil {
		return nil, err
	}
	terms := []Node{first}
	for keyword(p.peek(), "or") {
		p.i++
		next, err := p.and()
		if err != nil {
			return nil, err
		}
		terms = append(terms, next)
	}
	if len(terms) == 1 {
		return first, nil
	}
	return Or{Terms: terms}, nil
}

// and reads terms side by side (or joined by "and") up to an "or", a ")"
// or the end.
func (p *parser) and() (Node, error) {
	var terms []Node
	for {
		t := p.peek()
		if keyword(t, "and") {
			if len(terms) == 0 {
				return nil, p.errorf(t, "and with nothing before it")
			}
			p.i++
			if t = p.peek(); t == nil || t.kind == tClose || keyword(t, "or") || keyword(t, "and") {
				return nil, p.errorf(t, "and with nothing after it")
			}
			continue
		}
		if t == nil || t.kind == tClose || keyword(t, "or") {
			break
		}
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		terms = append(terms, n)
	}
	switch len(terms) {
	case 0:
		t := p.peek()
		switch {
		case keyword(t, "or") && p.i > 0 && keyword(&p.toks[p.i-1], "or"):
			return nil, p.errorf(t, "or twice")
		case keyword(t, "or"):
			return nil, p.errorf(t, "or with nothing before it")
		case p.i > 0 && keyword(&p.toks[p.i-1], "or"):
			return nil, p.errorf(t, "or with nothing after it")
		case t != nil && p.i > 0 && p.toks[p.i-1].kind == tOpen:
			return nil, p.errorf(t, "empty parentheses")
		case t != nil:
			return nil, p.errorf(t, "unmatched )")
		}
		return nil, p.errorf(t, "nothing to search for")
	case 1:
		return terms[0], nil
	}
	return And{Terms: terms}, nil
}

// unary reads a negated term, a group in parentheses or a term.
func (p *parser) unary() (Node, error) {
	t := p.peek()
	p.i++
	switch t.kind {
	case tNot:
		if n := p.peek(); n == nil || n.kind == tClose || keyword(n, "or") || keyword(n, "and") {
			return nil, p.errorf(t, "- with nothing after it")
		}
		n, err := p.unary()
		if err != nil {
			return nil, err
		}
		return Not{Term: n}, nil
	case tOpen:
		n, err := p.or()
		if err != nil {
			return nil, err
		}
		if c := p.peek(); c == nil || c.kind != tClose {
			return nil, p.errorf(t, "unclosed parenthesis")
		}
		p.i++
		return n, nil
	}
	return p.term(t)
}

// term reads a word: field:value for a field recall knows, else text.
func (p *parser) term(t *token) (Node, error) {
	for i, c := range t.chars {
		if c.r != ':' || c.escaped {
			continue
		}
		name := strings.ToLower(string(runes(t.chars[:i])))
		value := t.chars[i+1:]
		switch name {
		case "deck", "tag":
			pat := pattern(value)
			if len(pat.Parts) == 1 && pat.Parts[0] == "" {
				return nil, p.errorf(t, "%s: needs a name", name)
			}
			if name == "deck" {
				return Deck{Pattern: pat}, nil
			}
			return Tag{Pattern: pat}, nil
		case "is":
			return p.is(t, string(runes(value)))
		case "prop":
			return p.prop(t, string(runes(value)))
		case "rated":
			return p.rated(t, string(runes(value)))
		}
		// Any other word with a colon in it is text ("etcd:2379").
		break
	}
	pat := pattern(t.chars)
	if len(pat.Parts) == 1 && pat.Parts[0] == "" {
		return nil, p.errorf(t, "empty phrase")
	}
	return Text{Pattern: pat}, nil
}

func (p *parser) is(t *token, v string) (Node, error) {
	v = strings.ToLower(v)
	if v == "learning" {
		v = "learn"
	}
	if !slices.Contains(States, v) {
		return nil, p.errorf(t, "unknown is:%s, want one of %s", v, strings.Join(States, ", "))
	}
	return Is{State: v}, nil
}

// ops are prop:'s comparisons, the two-character ones first.
var ops = []string{"<=", ">=", "!=", "=", "<", ">"}

func (p *parser) prop(t *token, v string) (Node, error) {
	i := 0
	for i < len(v) && unicode.IsLetter(rune(v[i])) {
		i++
	}
	name, rest := strings.ToLower(v[:i]), v[i:]
	if !slices.Contains(Props, name) {
		return nil, p.errorf(t, "unknown prop:%s, want one of %s", name, strings.Join(Props, ", "))
	}
	for _, op := range ops {
		num, ok := strings.CutPrefix(rest, op)
		if !ok {
			continue
		}
		f, err := strconv.ParseFloat(num, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, p.errorf(t, "prop:%s%s needs a number after %s", name, op, op)
		}
		return Prop{Name: name, Op: op, Value: f}, nil
	}
	return nil, p.errorf(t, "prop:%s needs a comparison, like prop:%s>=3", name, name)
}

func (p *parser) rated(t *token, v string) (Node, error) {
	days, button, hasButton := strings.Cut(v, ":")
	n, err := strconv.Atoi(days)
	if err != nil || n < 1 {
		return nil, p.errorf(t, "rated:%s needs a number of days, 1 for today", v)
	}
	r := Rated{Days: n}
	if hasButton {
		b, err := strconv.Atoi(button)
		if err != nil || b < 1 || b > 4 {
			return nil, p.errorf(t, "rated:%s needs a button 1 to 4 (again, hard, good, easy) after the days", v)
		}
		r.Button = b
	}
	return r, nil
}

func runes(cs []char) []rune {
	out := make([]rune, len(cs))
	for i, c := range cs {
		out[i] = c.r
	}
	return out
}

// pattern splits characters at the stars a backslash did not escape.
func pattern(cs []char) Pattern {
	parts := []string{""}
	var b strings.Builder
	for _, c := range cs {
		if c.r == '*' && !c.escaped {
			parts[len(parts)-1] = b.String()
			parts = append(parts, "")
			b.Reset()
			continue
		}
		b.WriteRune(c.r)
	}
	parts[len(parts)-1] = b.String()
	return Pattern{Parts: parts}
}
