// Package gauntlet tests recall the way SQLite tests itself, in
// miniature: it builds the real binary and runs it against crashes (kill
// -9 at random moments), against itself (several processes on one
// collection at once) and against hostile input, then looks at the
// collection with SQLite directly. Nothing answered may be lost, no file
// left behind, no collection damaged, and every refusal must be one
// clear line naming the culprit.
//
// The tests are slow, so they carry the build tag gauntlet and stay out
// of the default go test ./... (.ci/run runs them):
//
//	go test -tags gauntlet -v ./internal/gauntlet/
//
// Each test prints its figures on a line with "figures:" in it, and
// GAUNTLET_SEED repeats a run of the randomised tests.
//
// The package has no code of its own and imports nothing of recall's: it
// drives the binary only.
package gauntlet
