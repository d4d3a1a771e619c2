// Package decks carries recall's shipped decks inside the binary, so a
// newcomer can study before writing a note of their own.
package decks

import (
	"embed"
	"io/fs"
)

//go:embed *.md
var files embed.FS

// FS returns the shipped decks as a file system: one NAME.md file per deck
// at its root.
func FS() fs.FS { return files }
