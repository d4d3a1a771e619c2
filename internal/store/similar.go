package store

import "github.com/recall-cli/recall/internal/card"

// maxEditCells bounds the edit-distance table similarity fills; beyond it
// the estimate below stands in (it never overstates how alike texts are).
const maxEditCells = 1 << 20

// similarity tells how alike two texts are, from 0 (nothing in common) to 1
// (the same once normalised with card.Normalize): one minus the edit
// distance (see editDistance), in characters, over the length of the longer text. A typo fix
// scores near 1; a different item of a list, even of similar length, low.
func similarity(a, b string) float64 {
	x, y := []rune(card.Normalize(a)), []rune(card.Normalize(b))
	n := max(len(x), len(y))
	if n == 0 {
		return 1
	}
	// An edit leaves the start and the end alone: only the middle needs
	// the quadratic table.
	for len(x) > 0 && len(y) > 0 && x[0] == y[0] {
		x, y = x[1:], y[1:]
	}
	for len(x) > 0 && len(y) > 0 && x[len(x)-1] == y[len(y)-1] {
		x, y = x[:len(x)-1], y[:len(y)-1]
	}
	var d int
	if len(x)*len(y) > maxEditCells {
		d = max(len(x), len(y)) // an upper bound of the distance
	} else {
		d = editDistance(x, y)
	}
	return 1 - float64(d)/float64(n)
}

// EditDistance is editDistance of two strings, in runes: how many edits
// tell a typed name from a known one.
func EditDistance(a, b string) int { return editDistance([]rune(a), []rune(b)) }

// editDistance is the optimal string alignment distance between x and y:
// insertions, deletions, substitutions and swaps of two neighbours (the
// commonest typo) each count one.
func editDistance(x, y []rune) int {
	if len(x) < len(y) {
		x, y = y, x
	}
	prev2 := make([]int, len(y)+1)
	prev := make([]int, len(y)+1)
	row := make([]int, len(y)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(x); i++ {
		row[0] = i
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			d := min(prev[j]+1, row[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				d = min(d, prev2[j-2]+1)
			}
			row[j] = d
		}
		prev2, prev, row = prev, row, prev2
	}
	return prev[len(y)]
}
