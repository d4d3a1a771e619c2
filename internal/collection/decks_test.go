package collection

import (
	"slices"
	"testing"
)

var someDecks = []string{"QCon SF 2018", "QCon SF 2018::Containers", "QCon SF 2018::Microservices", "Go", "GopherCon::Day 1",
	"PyCon 2019 Notes", "PyCon 2019 Notes::Talk: Dependency hell"}

func TestFindDeck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, want string
		ok         bool
	}{
		{"QCon SF 2018", "QCon SF 2018", true},
		{"qcon sf 2018::CONTAINERS", "QCon SF 2018::Containers", true},
		{"gophercon", "GopherCon", true}, // above a deck
		{"go", "Go", true},
		{"QCon SF 2018::Container", "", false},
		{"QCon", "", false},
	}
	for _, tt := range tests {
		got, ok := findDeck(tt.name, someDecks)
		if got != tt.want || ok != tt.ok {
			t.Errorf("findDeck(%q) = %q, %v; want %q, %v", tt.name, got, ok, tt.want, tt.ok)
		}
	}
}

func TestNearDecks(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		want []string
	}{
		{"QCon SF 2018::Container", []string{"QCon SF 2018::Containers"}},
		{"Containers", []string{"QCon SF 2018::Containers"}},
		{"qcon::containers", []string{"QCon SF 2018::Containers"}},
		{"QCon", []string{"QCon SF 2018", "QCon SF 2018::Containers", "QCon SF 2018::Microservices"}},
		{"Gopher", []string{"GopherCon::Day 1"}},
		{"PyCon 2019::Dependency hell", []string{"PyCon 2019 Notes::Talk: Dependency hell"}},
		{"Rust", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := nearDecks(tt.name, someDecks); !slices.Equal(got, tt.want) {
			t.Errorf("nearDecks(%q) = %q, want %q", tt.name, got, tt.want)
		}
	}
}
