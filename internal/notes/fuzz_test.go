package notes

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/recall-cli/recall/internal/card"
)

// FuzzParse checks that no input makes Parse panic, that its errors are
// one line naming the file, and that every parse keeps the invariants.
// Crashers found are kept in testdata/fuzz/FuzzParse as seeds.
func FuzzParse(f *testing.F) {
	addTestdataSeeds(f)
	for _, s := range []string{
		"L:\n\n- a\n- b\n",
		"1. x\n2. y\n   - z\n",
		"Label * a * b * c\n",
		"The process 1. a * b 2. c * d\n",
		"- **T**: d\n- T - d\n- T => d\n",
		"Q :: A\nQ ::: A\n",
		"Q\n?\nA\n",
		"a ==b== {{c1::c}} {{c2::d::e}}\n",
		"`a :: b` $c :: d$ [hamy: x] [x](y) #tag\n",
		"---\ndeck: d\ntags: [a, b]\ncards:\n  clozes: false\n---\n# H\n",
		"  1. a\n    • b\n      • c\n",
		">>>>>> - - - 1. x\n",
		"<!--\n# x\n\n-->\n# y\n\n- a\n- b\n",
		"—A0: ?\n0",
	} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, src []byte, raw bool) {
		name := "f.md"
		if raw {
			name = "f.txt"
		}
		file, err := Parse(name, src, Options{})
		if err != nil {
			msg := err.Error()
			if !strings.HasPrefix(msg, name+": ") || strings.Contains(msg, "\n") || !errors.Is(err, card.ErrInvalid) {
				t.Fatalf("Parse error %q: want one line starting %q, matching card.ErrInvalid", msg, name+": ")
			}
			return
		}
		checkInvariants(t, name, src, file)
	})
}

// addTestdataSeeds seeds a fuzzer with every input under testdata, raw
// text (.txt) marked as such.
func addTestdataSeeds(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.*")
	for _, p := range files {
		src, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src, strings.HasSuffix(p, ".txt"))
	}
}
