package anki

import (
	"regexp"
	"strconv"
	"strings"
)

// This file reads cloze deletions as Anki does, for Check: which cards
// Anki's card generation makes of a cloze note. It reads every field of
// the note, not only the one the template shows (rslib/src/notetype/
// cardgen.rs, new_cards_required_cloze calls cloze_number_in_fields on
// note.fields()), so a deletion left in a breadcrumb makes a card too.

// maxClozeNesting is how deep Anki nests deletions; an opening deeper
// than that is ignored.
const maxClozeNesting = 10

// clozeNumbers adds to into the numbers of the deletions current Anki
// finds in s, as parse_text_with_clozes in rslib/src/cloze.rs reads them:
// "{{c", numbers separated by commas and "::" open a deletion when one of
// the numbers is a u16; "}}" closes the innermost open deletion, and is
// text when none is open; a deletion never closed is dropped with the
// deletions inside it. Number 0 makes no card and is left out.
func clozeNumbers(s string, into map[int]bool) {
	type open struct{ nums []int }
	var stack []open
	for i := 0; i < len(s); {
		if nums, n, ok := clozeOpenAt(s[i:]); ok {
			if len(stack) < maxClozeNesting {
				stack = append(stack, open{nums: nums})
			}
			i += n
			continue
		}
		if strings.HasPrefix(s[i:], "}}") {
			if k := len(stack); k > 0 {
				closed := stack[k-1].nums
				stack = stack[:k-1]
				if k > 1 {
					// A deletion counts once the one holding it closes.
					stack[k-2].nums = append(stack[k-2].nums, closed...)
				} else {
					for _, n := range closed {
						if n != 0 {
							into[n] = true
						}
					}
				}
			}
			i += 2
			continue
		}
		i++
	}
}

// clozeOpenAt reads an opening "{{cN,M::" at the start of s: its numbers
// that are u16s and its length.
func clozeOpenAt(s string) (nums []int, n int, ok bool) {
	if !strings.HasPrefix(s, "{{c") {
		return nil, 0, false
	}
	j := 3
	for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == ',') {
		j++
	}
	if !strings.HasPrefix(s[j:], "::") {
		return nil, 0, false
	}
	for _, d := range strings.Split(s[3:j], ",") {
		if v, err := strconv.ParseUint(d, 10, 16); err == nil {
			nums = append(nums, int(v))
		}
	}
	return nums, j + 2, len(nums) > 0
}

// legacyCloze is the pattern Anki read deletions with before it nested
// them (rslib/src/cloze.rs before 2.1.56), ignoring case.
var legacyCloze = regexp.MustCompile(`(?si)\{\{c(\d+)::.*?\}\}`)

// legacyClozeNumbers adds to into the numbers of the deletions Anki
// before 2.1.56 finds in s: any that is a u16, 0 making the card of 1.
func legacyClozeNumbers(s string, into map[int]bool) {
	if !strings.Contains(s, "{{") {
		return
	}
	for _, m := range legacyCloze.FindAllStringSubmatch(s, -1) {
		if v, err := strconv.ParseUint(m[1], 10, 16); err == nil {
			into[max(int(v), 1)] = true
		}
	}
}

// clozeOrd is the card ord Anki's card generation gives deletion n.
func clozeOrd(n int) int64 { return int64(min(max(n, 1)-1, 499)) }

// hasOrd reports whether one of the deletions nums makes the card ord.
func hasOrd(nums map[int]bool, ord int64) bool {
	for n := range nums {
		if clozeOrd(n) == ord {
			return true
		}
	}
	return false
}
