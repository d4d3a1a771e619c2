//go:build !unix

package disk

import "os"

// lock is a no-op where flock is not available: two runs writing the
// same path at once are not kept apart there.
func lock(*os.File) error { return nil }

// openNoWait opens path for reading.
func openNoWait(path string) (*os.File, error) { return os.Open(path) }
