package store

import "testing"

func TestEditDistance(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b string
		want int
	}{{"", "", 0}, {"kitten", "sitting", 3}, {"containers", "container", 1}, {"äpfel", "apfel", 1},
		{"recieve", "receive", 1}} // a swap of two neighbours is one edit
	for _, tt := range tests {
		if got := EditDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("EditDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
