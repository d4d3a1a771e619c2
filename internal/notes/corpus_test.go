package notes

import (
	"bytes"
	"math/rand/v2"
	"strconv"
	"strings"
)

// corpusWords is the vocabulary of the generated benchmark corpus: a
// hundred real words and a few thousand made-up names, so that terms and
// labels repeat about as often as in real notes.
var corpusWords = func() []string {
	words := strings.Fields(`service cluster deploy latency queue cache shard replica
leader follower consensus quorum partition schema index journal snapshot rollback canary
traffic budget error retry backoff timeout circuit breaker mesh proxy sidecar gateway
token secret policy audit metric trace log alert pager runbook incident review owner team
design tenet pattern boundary context event command query stream batch window join
container image registry node pod volume network ingress egress load balancer health probe`)
	syl := strings.Fields("ka ri to mu sen dal vor pex qui lo bra nel ux tor fa zi gon el")
	for _, a := range syl {
		for _, b := range syl {
			for _, c := range syl[:10] {
				words = append(words, a+b+c)
			}
		}
	}
	return words
}()

// genCorpus returns deterministic notes of at least size bytes: headings,
// prose, lists under labels and headings, nested and ordered lists,
// definitions, explicit cards, clozes, code and the raw-notes idioms, in
// roughly the proportions real notes have.
func genCorpus(size int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	var b bytes.Buffer
	b.Grow(size + 4096)
	words := func(n int) string {
		var s strings.Builder
		for i := range n {
			if i > 0 {
				s.WriteByte(' ')
			}
			s.WriteString(corpusWords[r.IntN(len(corpusWords))])
		}
		return s.String()
	}
	sentence := func() string {
		w := words(6 + r.IntN(10))
		switch r.IntN(6) {
		case 0:
			w += " with `" + corpusWords[r.IntN(len(corpusWords))] + " :: x` inline"
		case 1:
			w += " and *" + words(2) + "*"
		case 2:
			w += " (see [" + words(2) + "](https://example.com/" + corpusWords[r.IntN(len(corpusWords))] + "))"
		}
		return strings.ToUpper(w[:1]) + w[1:] + "."
	}
	for n := 0; b.Len() < size; n++ {
		if n%40 == 0 {
			b.WriteString("# " + words(3) + " " + strconv.Itoa(n) + "\n\n")
		}
		b.WriteString("## " + words(2+r.IntN(3)) + "\n\n")
		for range 2 + r.IntN(4) {
			switch k := r.IntN(20); {
			case k < 6: // prose
				for range 2 + r.IntN(4) {
					b.WriteString(sentence() + " ")
				}
				b.WriteString("\n\n")
			case k < 9: // list under a label, maybe nested
				b.WriteString(words(3) + ":\n\n")
				for range 3 + r.IntN(6) {
					b.WriteString("- " + words(2+r.IntN(5)) + "\n")
					if r.IntN(5) == 0 {
						for range 2 + r.IntN(3) {
							b.WriteString("  - " + words(2+r.IntN(3)) + "\n")
						}
					}
				}
				b.WriteString("\n")
			case k < 11: // ordered list under a heading
				b.WriteString("### " + words(3) + "\n\n")
				for i := range 3 + r.IntN(8) {
					b.WriteString(strconv.Itoa(i+1) + ". " + words(3+r.IntN(6)) + "\n")
				}
				b.WriteString("\n")
			case k < 13: // definitions
				for range 2 + r.IntN(4) {
					if r.IntN(2) == 0 {
						b.WriteString("- **" + words(2) + "**: " + words(5+r.IntN(6)) + "\n")
					} else {
						b.WriteString("- " + words(2) + " - " + words(5+r.IntN(6)) + "\n")
					}
				}
				b.WriteString("\n")
			case k < 14: // explicit cards
				b.WriteString("What does " + words(3) + " do? :: " + words(4+r.IntN(6)) + "\n")
				b.WriteString(words(2) + " ::: " + words(3) + "\n\n")
			case k < 16: // clozes
				b.WriteString(sentence() + " The ==" + words(2) + "== of a " + words(2) +
					" is {{c2::" + words(2) + "::hint}} " + words(4) + ".\n\n")
			case k < 17: // code
				b.WriteString("```go\nx := a :: b // ==not== a {{c1::cloze}}\nfor i := range n {\n\tcall(i)\n}\n```\n\n")
			case k < 19: // raw idioms
				b.WriteString(words(3) + " * " + words(2) + " * " + words(3) + " * " + words(2) + "\n\n")
				b.WriteString(words(2) + "\n  • " + words(3) + "\n    • " + words(2) + "\n  • " + words(3) + "\n\n")
			default: // question block
				b.WriteString(sentence() + "\n?\n" + sentence() + "\n" + sentence() + "\n\n")
			}
		}
	}
	return b.Bytes()
}
