// Package collection is recall's application layer: the workflows that
// join notes, the store and the shipped decks. It adds notes files to the
// collection and syncs them (one file, every file, pruning the vanished),
// loads the shipped decks into an empty collection, re-syncs a file after
// it was edited during a review, and gives exports their cards, from the
// collection or from notes files.
//
// It reads notes through a disk.Files and shipped decks through an fs.FS,
// runs on the clock it is given, and prints nothing: it returns results
// and per-file errors, and internal/cli decides what to say and which
// exit code it makes. Reads that are one store call (status, a deck's
// limits, the review queue) go to Collection.Store directly.
//
// docs/ARCHITECTURE.md draws where it sits.
package collection
