package notes

import (
	"reflect"
	"testing"
)

// TestAnchor checks that every form of anchor the walker makes is spelt as
// collections keep it, and reads back as it was.
func TestAnchor(t *testing.T) {
	t.Parallel()
	sec := anchor{file: "talk.md", path: "containers/k8s"}
	at := func(k siteKind, n int) anchor {
		a := sec
		a.site = site{k, n}
		return a
	}
	list := at(siteList, 1)
	para := at(sitePara, 2)
	tests := []struct {
		name string
		a    anchor
		want string
	}{
		{"question block", at(siteQA, 3), "talk.md#containers/k8s@qa3"},
		{"paragraph's clozes", para.with(suffixCloze, 2), "talk.md#containers/k8s@p2:c2"},
		{"paragraph's definition", para.with(suffixDef, 0), "talk.md#containers/k8s@p2:def"},
		{"paragraph's Q :: A line", para.item(4), "talk.md#containers/k8s@p2/4"},
		{"its reverse", para.item(4).with(suffixReverse, 0), "talk.md#containers/k8s@p2/4:reverse"},
		{"list card, one-item card", list, "talk.md#containers/k8s@list1"},
		{"list card of part 2", list.with(suffixPart, 2), "talk.md#containers/k8s@list1:part2"},
		{"definition labelling a list", list.with(suffixDef, 0), "talk.md#containers/k8s@list1:def"},
		{"list cloze, item's Q :: A", list.item(3), "talk.md#containers/k8s@list1/3"},
		{"item's reverse", list.item(3).with(suffixReverse, 0), "talk.md#containers/k8s@list1/3:reverse"},
		{"item's cloze", list.item(3).with(suffixCloze, 12), "talk.md#containers/k8s@list1/3:c12"},
		{"item's definition", list.item(3).with(suffixDef, 0), "talk.md#containers/k8s@list1/3:def"},
		{"item 0 of a list that starts at 0", list.item(0), "talk.md#containers/k8s@list1/0"},
		{"list in an item", list.inList(3, 2), "talk.md#containers/k8s@list1/3/list2"},
		{"its list card of part 3", list.inList(3, 2).with(suffixPart, 3), "talk.md#containers/k8s@list1/3/list2:part3"},
		{"definition in a nested list", list.inList(3, 1).item(7).with(suffixDef, 0), "talk.md#containers/k8s@list1/3/list1/7:def"},
		{"deeper", list.inList(3, 1).inList(1, 1).item(2), "talk.md#containers/k8s@list1/3/list1/1/list1/2"},
		{"above every heading", anchor{file: "n.md", site: site{siteList, 10}}, "n.md#@list10"},
		{"a file name with # @ : /", anchor{file: "a#b@c:d/e.md", path: "h", site: site{sitePara, 1}, steps: []int{2}}, "a#b@c:d/e.md#h@p1/2"},
		{"no file name", anchor{site: site{siteQA, 1}}, "#@qa1"},
	}
	for _, tt := range tests {
		if got := tt.a.String(); got != tt.want {
			t.Errorf("%s: String() = %q, want %q", tt.name, got, tt.want)
		}
		if n := tt.a.len(); n != len(tt.want) {
			t.Errorf("%s: len() = %d, want %d", tt.name, n, len(tt.want))
		}
		got, err := parseAnchor(tt.want)
		if err != nil {
			t.Errorf("%s: parseAnchor(%q) error %v", tt.name, tt.want, err)
			continue
		}
		want := tt.a
		if len(want.steps) == 0 {
			want.steps = nil
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: parseAnchor(%q) = %+v, want %+v", tt.name, tt.want, got, want)
		}
	}
}

// TestAnchorMalformed checks that parseAnchor takes nothing String would
// not write.
func TestAnchorMalformed(t *testing.T) {
	t.Parallel()
	for _, s := range []string{
		"",
		"talk.md",
		"talk.md@list1",      // no '#'
		"talk.md#h",          // no '@'
		"talk.md#h@",         // no site
		"talk.md#h@list",     // no number
		"talk.md#h@item1",    // no such site
		"talk.md#h@list01",   // a number Itoa does not write
		"talk.md#h@list-1",   // nor this
		"talk.md#h@list+1",   // nor this
		"talk.md#h@list1/",   // an empty step
		"talk.md#h@list1//3", // another
		"talk.md#h@list1/x",  // a step that is no number
		"talk.md#h@list1/3/4",
		"talk.md#h@list1/list3",
		"talk.md#h@list1/3/list",
		"talk.md#h@list1:",                   // an empty suffix
		"talk.md#h@list1:foo",                // no such suffix
		"talk.md#h@list1:c",                  // a cloze without its number
		"talk.md#h@list1:part",               // a part without its number
		"talk.md#h@list1:def2",               // a definition has no number
		"talk.md#h@list1:c1:def",             // two suffixes
		"talk.md#h@list1:def/3",              // steps after the suffix
		"talk.md#/h@list1",                   // an empty slug
		"talk.md#h/@list1",                   // another
		"talk.md#a//b@list1",                 // another
		"talk.md#h@list99999999999999999999", // too big
	} {
		if a, err := parseAnchor(s); err == nil {
			t.Errorf("parseAnchor(%q) = %+v, want an error", s, a)
		}
	}
}

// TestAnchorSharesSteps checks that the anchors of a list's items and
// nested lists, which write their steps in the walker's one slice, leave
// the list's own anchor as it was.
func TestAnchorSharesSteps(t *testing.T) {
	t.Parallel()
	list := anchor{file: "n.md", site: site{siteList, 1}, steps: make([]int, 0, 8)}
	nested := list.inList(2, 1)
	if got, want := nested.item(5).String(), "n.md#@list1/2/list1/5"; got != want {
		t.Errorf("nested item = %q, want %q", got, want)
	}
	if got, want := list.item(3).String(), "n.md#@list1/3"; got != want {
		t.Errorf("item after a nested list = %q, want %q", got, want)
	}
	if got, want := list.String(), "n.md#@list1"; got != want {
		t.Errorf("list = %q, want %q", got, want)
	}
}
