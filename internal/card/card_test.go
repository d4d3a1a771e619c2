package card

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

func TestParseGrade(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		raw  bool
		want Grade
		ok   bool
	}{
		{"again", false, Again, true},
		{"A", false, Again, true},
		{" hard ", false, Hard, true},
		{"g", false, Good, true},
		{"Easy", false, Easy, true},
		{"1", false, Again, true},
		{"2", false, Hard, true},
		{"3", false, Good, true},
		{"4", false, Easy, true},
		{"0", false, 0, false},
		{"5", false, 0, false},
		{"0", true, 0, true},
		{"3", true, 3, true},
		{"5", true, 5, true},
		{"6", true, 0, false},
		{"good", true, Good, true},
		{"", false, 0, false},
		{"maybe", false, 0, false},
		{"12", false, 0, false},
	} {
		got, err := ParseGrade(tc.in, tc.raw)
		if (err == nil) != tc.ok || tc.ok && got != tc.want {
			t.Errorf("ParseGrade(%q, %v) = %v, %v; want %v (ok %v)", tc.in, tc.raw, got, err, tc.want, tc.ok)
		}
	}
}

func TestGradeButton(t *testing.T) {
	t.Parallel()
	for g, want := range map[Grade]string{0: "again", 1: "again", 2: "again", 3: "hard", 4: "good", 5: "easy"} {
		if got := g.String(); got != want {
			t.Errorf("Grade(%d).String() = %q, want %q", g, got, want)
		}
	}
	if Grade(2).Passed() || !Grade(3).Passed() {
		t.Errorf("Passed: q<3 fails, q≥3 passes")
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"What port does **etcd** serve?": "what port does etcd serve",
		"  Spaces   folded\n here ":      "spaces folded here",
		"Keeps (parentheses)":            "keeps (parentheses)",
		"`code` and _emphasis_!":         "code and emphasis",
		"Ünïcode Lower":                  "ünïcode lower",
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestNewID(t *testing.T) {
	t.Parallel()
	a := NewID("QCon SF 2018", "list:k8s commandments")
	if len(a) != 12 {
		t.Fatalf("NewID gave %q, want 12 hex digits", a)
	}
	if b := NewID("QCon SF 2018", "list:k8s commandments"); b != a {
		t.Errorf("NewID is not deterministic: %q then %q", a, b)
	}
	if b := NewID("qcon sf 2018", "list:k8s commandments"); b != a {
		t.Errorf("NewID should fold the deck's case: %q and %q", a, b)
	}
	if b := NewID("QCon SF 2019", "list:k8s commandments"); b == a {
		t.Errorf("NewID gives the same id in two decks: %q", a)
	}
	if b := NewID("QCon SF 2018", "list:k8s"); b == a {
		t.Errorf("NewID gives the same id for two keys: %q", a)
	}
}

func TestDeck(t *testing.T) {
	t.Parallel()
	d := Deck("QCon::Containers::K8s")
	if got := d.Path(); !slices.Equal(got, []string{"QCon", "Containers", "K8s"}) {
		t.Errorf("Path = %q", got)
	}
	if got := d.Parent(); got != "QCon::Containers" {
		t.Errorf("Parent = %q", got)
	}
	if got := Deck("QCon").Parent(); got != "" {
		t.Errorf("Parent of a top deck = %q", got)
	}
	if got := d.Lineage(); !slices.Equal(got, []Deck{"QCon", "QCon::Containers", "QCon::Containers::K8s"}) {
		t.Errorf("Lineage = %q", got)
	}
	for _, c := range []struct {
		deck, other Deck
		want        bool
	}{
		{"QCon", "QCon", true},
		{"QCon", "QCon::Containers", true},
		{"QCon", "QCon SF", false}, // a name that only starts the same
		{"QCon::Containers", "QCon", false},
		{"", "anything", true},
	} {
		if got := c.deck.Contains(c.other); got != c.want {
			t.Errorf("%q.Contains(%q) = %v, want %v", c.deck, c.other, got, c.want)
		}
	}
}

func TestDeckWithin(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		deck, name, want Deck
		ok               bool
	}{
		{"QCon SF 2018::Containers", "qcon sf 2018", "QCon SF 2018", true},
		{"QCon SF 2018::Containers", "QCON SF 2018::containers", "QCon SF 2018::Containers", true},
		{"QCon SF 2018", "QCon SF 2018::Containers", "", false},
		{"QCon SF 2018", "QCon SF", "", false}, // a name that only starts the same
		{"Äpfel::Birnen", "äPFEL", "Äpfel", true},
		{"Go", "", "", true},
	} {
		got, ok := c.deck.Within(c.name)
		if got != c.want || ok != c.ok {
			t.Errorf("%q.Within(%q) = %q, %v, want %q, %v", c.deck, c.name, got, ok, c.want, c.ok)
		}
	}
}

func TestError(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  *Error
		want string
	}{
		{&Error{ID: "9f2c4e1a7b3d", Err: ErrNotFound}, "no card 9f2c4e1a7b3d"},
		{&Error{Op: "bury", ID: "9f2c4e1a7b3d", Err: ErrNotFound}, "no card 9f2c4e1a7b3d"},
		{&Error{Op: "bury", ID: "9f2c4e1a7b3d", Err: fmt.Errorf("gone: %w", ErrNotFound)}, "bury card 9f2c4e1a7b3d: gone: not found"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("Error() = %q, want %q", got, tt.want)
		}
		if !errors.Is(tt.err, ErrNotFound) {
			t.Errorf("%v does not match ErrNotFound", tt.err)
		}
	}
}
