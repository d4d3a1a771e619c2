package cli

import (
	"slices"
	"testing"
)

func TestSearchLast(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want []string
	}{
		{[]string{"cards"}, []string{"cards"}},
		{[]string{"cards", "--deck"}, []string{"cards", "--deck"}},
		{[]string{"cards", "deck:K8s", "-is:new"}, []string{"cards", "--", "deck:K8s", "-is:new"}},
		{[]string{"cards", "-is:new", "--deck", "K8s", "--json"}, []string{"cards", "--deck", "K8s", "--json", "--", "-is:new"}},
		{[]string{"--db", "x.db", "cards", "-tag:a"}, []string{"cards", "--db", "x.db", "--", "-tag:a"}},
		{[]string{"cards", "--db=x.db", "a", "--", "--json"}, []string{"cards", "--db=x.db", "--", "a", "--json"}},
		{[]string{"cards", "-h"}, []string{"cards", "-h"}},
		{[]string{"cards", "--bogus", "a"}, []string{"cards", "--bogus", "--", "a"}},
		// Other commands, and shell completion, are left to cobra.
		{[]string{"status", "--deck", "K8s"}, []string{"status", "--deck", "K8s"}},
		{[]string{"__complete", "cards", "--de"}, []string{"__complete", "cards", "--de"}},
		{[]string{"nosuch", "-x"}, []string{"nosuch", "-x"}},
		{nil, nil},
	}
	for _, tt := range tests {
		root := newRootCmd(&Env{})
		if got := searchLast(root, tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("searchLast(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
