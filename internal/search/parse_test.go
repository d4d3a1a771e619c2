package search

import (
	"fmt"
	"strings"
	"testing"
)

// show writes a tree as a short s-expression, for tables a person reads.
func show(n Node) string {
	list := func(op string, terms []Node) string {
		s := make([]string, len(terms))
		for i, t := range terms {
			s[i] = show(t)
		}
		return "(" + op + " " + strings.Join(s, " ") + ")"
	}
	switch n := n.(type) {
	case nil:
		return "all"
	case And:
		return list("and", n.Terms)
	case Or:
		return list("or", n.Terms)
	case Not:
		return "(not " + show(n.Term) + ")"
	case Text:
		return fmt.Sprintf("text%q", n.Pattern.Parts)
	case Deck:
		return fmt.Sprintf("deck%q", n.Pattern.Parts)
	case Tag:
		return fmt.Sprintf("tag%q", n.Pattern.Parts)
	case Is:
		return "is:" + n.State
	case Prop:
		return fmt.Sprintf("prop:%s%s%g", n.Name, n.Op, n.Value)
	case Rated:
		return fmt.Sprintf("rated:%d:%d", n.Days, n.Button)
	}
	return fmt.Sprintf("?%T", n)
}

func TestParse(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{``, `all`},
		{`   `, `all`},
		{`etcd`, `text["etcd"]`},
		{`etcd port`, `(and text["etcd"] text["port"])`},
		{`etcd and port`, `(and text["etcd"] text["port"])`},
		{`"exact phrase"`, `text["exact phrase"]`},
		{`etcd:2379`, `text["etcd:2379"]`},
		{`d*g`, `text["d" "g"]`},
		{`d\*g`, `text["d*g"]`},
		{`say \"hi\"`, `(and text["say"] text["\"hi\""])`},
		{`deck:K8s`, `deck["K8s"]`},
		{`DECK:K8s`, `deck["K8s"]`},
		{`deck:"QCon SF 2018"`, `deck["QCon SF 2018"]`},
		{`"deck:QCon SF 2018"`, `deck["QCon SF 2018"]`},
		{`deck:QCon*`, `deck["QCon" ""]`},
		{`deck:a::b`, `deck["a::b"]`},
		{`tag:k8s::pods`, `tag["k8s::pods"]`},
		{`is:new`, `is:new`},
		{`is:LEARNING`, `is:learn`},
		{`prop:ivl>=10`, `prop:ivl>=10`},
		{`prop:due<=3`, `prop:due<=3`},
		{`prop:due=-1`, `prop:due=-1`},
		{`prop:ease!=2.5`, `prop:ease!=2.5`},
		{`rated:7`, `rated:7:0`},
		{`rated:1:1`, `rated:1:1`},
		{`-is:new`, `(not is:new)`},
		{`-"a b"`, `(not text["a b"])`},
		{`--a`, `(not (not text["a"]))`},
		{`well-known`, `text["well-known"]`},
		{`a or b`, `(or text["a"] text["b"])`},
		{`a OR b Or c`, `(or text["a"] text["b"] text["c"])`},
		{`a b or c`, `(or (and text["a"] text["b"]) text["c"])`},
		{`a (b or c)`, `(and text["a"] (or text["b"] text["c"]))`},
		{`-(a or b)`, `(not (or text["a"] text["b"]))`},
		{`(a)`, `text["a"]`},
		{`deck:K8s (is:due or is:new) -tag:leech`, `(and deck["K8s"] (or is:due is:new) (not tag["leech"]))`},
		{`"or"`, `text["or"]`},
		{`f(x)`, `(and text["f"] text["x"])`},
		{`"f(x)"`, `text["f(x)"]`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			q, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q) = %v", tt.in, err)
			}
			if got := show(q.Root); got != tt.want {
				t.Errorf("Parse(%q) = %s, want %s", tt.in, got, tt.want)
			}
			if q.String() != tt.in {
				t.Errorf("Parse(%q).String() = %q", tt.in, q.String())
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in, want string
	}{
		{`deck:"a b`, `search: unclosed quote (column 6) in "deck:\"a b"`},
		{`"abc`, `search: unclosed quote (column 1) in "\"abc"`},
		{`(a or b`, `search: unclosed parenthesis (column 1) in "(a or b"`},
		{`a)`, `search: unmatched ) (column 2) in "a)"`},
		{`)`, `search: unmatched ) (column 1) in ")"`},
		{`()`, `search: empty parentheses (column 2) in "()"`},
		{`or a`, `search: or with nothing before it (column 1) in "or a"`},
		{`a or`, `search: or with nothing after it (column 5) in "a or"`},
		{`a or or b`, `search: or twice (column 6) in "a or or b"`},
		{`a and`, `search: and with nothing after it (column 6) in "a and"`},
		{`and a`, `search: and with nothing before it (column 1) in "and a"`},
		{`a -`, `search: - with nothing after it (column 3) in "a -"`},
		{`-(a) -)`, `search: - with nothing after it (column 6) in "-(a) -)"`},
		{`-or a`, `search: - with nothing after it (column 1) in "-or a"`},
		{`""`, `search: empty phrase (column 1) in "\"\""`},
		{`deck:`, `search: deck: needs a name (column 1) in "deck:"`},
		{`tag:""`, `search: tag: needs a name (column 1) in "tag:\"\""`},
		{`is:fresh`, `search: unknown is:fresh, want one of new, learn, review, due, suspended, buried, orphan, leech (column 1) in "is:fresh"`},
		{`prop:size>1`, `search: unknown prop:size, want one of ivl, due, ease, lapses, reps (column 1) in "prop:size>1"`},
		{`prop:ivl`, `search: prop:ivl needs a comparison, like prop:ivl>=3 (column 1) in "prop:ivl"`},
		{`prop:ivl>=x`, `search: prop:ivl>= needs a number after >= (column 1) in "prop:ivl>=x"`},
		{`rated:0`, `search: rated:0 needs a number of days, 1 for today (column 1) in "rated:0"`},
		{`rated:x`, `search: rated:x needs a number of days, 1 for today (column 1) in "rated:x"`},
		{`rated:2:5`, `search: rated:2:5 needs a button 1 to 4 (again, hard, good, easy) after the days (column 1) in "rated:2:5"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			q, err := Parse(tt.in)
			if err == nil {
				t.Fatalf("Parse(%q) = %s, want error %s", tt.in, show(q.Root), tt.want)
			}
			if err.Error() != tt.want {
				t.Errorf("Parse(%q) error = %s, want %s", tt.in, err, tt.want)
			}
		})
	}
}

func TestPatternMatch(t *testing.T) {
	tests := []struct {
		pat  string
		s    string
		want bool
	}{
		{`K8s`, "k8s", true},
		{`K8s`, "k8s::pods", false},
		{`qcon*`, "QCon SF 2018", true},
		{`*2018`, "QCon SF 2018", true},
		{`q*sf*8`, "QCon SF 2018", true},
		{`q*sf*9`, "QCon SF 2018", false},
		{`*`, "", true},
		{`a*a`, "a", false},
		{`Ärger`, "ärger", true},
	}
	for _, tt := range tests {
		q, err := Parse("deck:" + tt.pat)
		if err != nil {
			t.Fatal(err)
		}
		if got := q.Root.(Deck).Pattern.Match(tt.s); got != tt.want {
			t.Errorf("Pattern(%q).Match(%q) = %v, want %v", tt.pat, tt.s, got, tt.want)
		}
	}
}

func TestMentions(t *testing.T) {
	for in, want := range map[string]bool{
		"is:orphan":             true,
		"a (b or -is:orphan)":   true,
		"is:new orphan":         false,
		"":                      false,
		`"is:orphan"`:           true,
		`is\:orphan`:            false,
		"deck:x or (is:orphan)": true,
	} {
		q, err := Parse(in)
		if err != nil {
			t.Fatal(err)
		}
		if got := q.Mentions("orphan"); got != want {
			t.Errorf("Parse(%q).Mentions(orphan) = %v, want %v", in, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{`deck:"a b" -is:new (x or "y z")`, `prop:ivl>=10`, `rated:3:1`, `a\`, `-(`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q, err := Parse(s)
		if err != nil {
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("Parse(%q) error has a newline: %v", s, err)
			}
			return
		}
		if q.Root != nil {
			show(q.Root)
		}
	})
}
