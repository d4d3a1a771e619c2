// Package decks carries recall's shipped decks inside the binary, so a
// newcomer can study before writing a note of their own.
package decks

import (
	"embed"
	"io/fs"
	"sort"
)

//go:embed *.md
var files embed.FS

// Deck is one shipped deck file.
type Deck struct {
	Name string // file name, e.g. qcon-sf-2018.md
	Data []byte
}

// All returns the shipped decks in name order.
func All() []Deck {
	names, err := fs.Glob(files, "*.md")
	if err != nil {
		// The pattern is a constant; Glob fails only on a bad pattern.
		panic(err)
	}
	sort.Strings(names)
	out := make([]Deck, 0, len(names))
	for _, n := range names {
		data, err := files.ReadFile(n)
		if err != nil {
			panic(err) // embedded files are always readable
		}
		out = append(out, Deck{Name: n, Data: data})
	}
	return out
}

// FS returns the shipped decks as a file system.
func FS() fs.FS { return files }
