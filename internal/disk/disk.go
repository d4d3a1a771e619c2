// Package disk is how recall touches the person's files outside the
// collection: it reads notes, and writes every file a command makes (an
// export, generated cards) so that it is either all there or unchanged.
// An interrupted or failed write never leaves half a file where a person
// expects their cards.
package disk

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Perm is the mode of a file WriteAtomic makes: an ordinary file, readable
// by all. (CreateTemp makes its files private, so the mode is set.)
const Perm fs.FileMode = 0o644

// WriteAtomic calls write with a buffered writer onto a temporary file
// next to path, then flushes, syncs, sets Perm and renames the file to
// path. If write or any step fails, the temporary file is removed and
// whatever was at path is left as it was. Errors of the file system are
// PathErrors naming path; write's own are returned as they are.
func WriteAtomic(path string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return Error(path, err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(Perm); err != nil {
		return Error(path, err)
	}
	bw := bufio.NewWriterSize(tmp, 1<<16)
	if err := write(bw); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return Error(path, err)
	}
	// Sync before the rename: otherwise a crash can leave the new name
	// pointing at an empty file.
	if err := tmp.Sync(); err != nil {
		return Error(path, err)
	}
	if err := tmp.Close(); err != nil {
		return Error(path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return Error(path, err)
	}
	return nil
}

// Files reads notes. OS is the disk; tests may give their own.
type Files interface {
	ReadFile(path string) ([]byte, error)
	// ModTime is a file's modification time, zero if it cannot be read.
	ModTime(path string) time.Time
}

// OS reads files from the disk.
type OS struct{}

// ReadFile reads the file at path; its error is a PathError.
func (OS) ReadFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, Error(path, err)
	}
	return data, nil
}

// ModTime is the modification time of the file at path, zero if it
// cannot be read.
func (OS) ModTime(path string) time.Time {
	if info, err := os.Stat(path); err == nil {
		return info.ModTime()
	}
	return time.Time{}
}

// PathError is a failure of the file system about one path, said the way
// a person reads it: "notes.md: no such file or directory" rather than
// Go's "open /home/me/notes.md: no such file or directory". errors.Is sees
// the cause (fs.ErrNotExist, fs.ErrPermission).
type PathError struct {
	Path string
	Err  error
}

func (e *PathError) Error() string {
	switch {
	case errors.Is(e.Err, fs.ErrNotExist):
		return e.Path + ": no such file or directory"
	case errors.Is(e.Err, fs.ErrPermission):
		return e.Path + ": permission denied"
	}
	var pe *fs.PathError
	if errors.As(e.Err, &pe) {
		return e.Path + ": " + pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(e.Err, &le) {
		return e.Path + ": " + le.Err.Error()
	}
	return e.Path + ": " + e.Err.Error()
}

func (e *PathError) Unwrap() error { return e.Err }

// Error wraps err, a failure about path, in a PathError; an error that is
// one already is returned as it is.
func Error(path string, err error) error {
	var pe *PathError
	if errors.As(err, &pe) {
		return err
	}
	return &PathError{Path: path, Err: err}
}

// ByteSize says a size the way a person reads it: 512 bytes, 1.5 KB,
// 2.0 MB.
func ByteSize(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
