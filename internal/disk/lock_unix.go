//go:build unix

package disk

import (
	"os"
	"syscall"
)

// lock takes an exclusive lock on f without waiting; it fails if another
// process holds one. Closing f releases it.
func lock(f *os.File) error {
	return syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
}

// openNoWait opens path for reading without waiting for a writer, as
// opening a named pipe otherwise would.
func openNoWait(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
