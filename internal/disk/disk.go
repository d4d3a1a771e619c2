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
	"strings"
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
//
// The temporary file has one recognisable name, .NAME.recall-tmp, and is
// locked while in use: a run that was killed leaves at most that one
// file, which the next run to write path takes over, and two runs writing
// the same path at once cannot spoil each other's work (the second is
// refused). A path that is a directory or a read-only file is refused; one
// that is a device or a pipe (/dev/stdout) is written straight.
func WriteAtomic(path string, write func(io.Writer) error) error {
	return WriteAtomicScratch(path, func(w io.Writer, _ string) error { return write(w) })
}

// WriteAtomicScratch is WriteAtomic that also gives write a scratch
// directory beside path, .NAME.recall-tmp.d, for files of its own (an
// Anki package's collection while it is built). The directory is empty
// when write starts and removed afterwards, whatever happened.
func WriteAtomicScratch(path string, write func(w io.Writer, scratch string) error) (err error) {
	if info, err := os.Stat(path); err == nil {
		switch {
		case info.IsDir():
			return Error(path, errors.New("is a directory; name a file to write"))
		case !info.Mode().IsRegular():
			return writeStraight(path, write)
		case info.Mode().Perm()&0o222 == 0:
			return Error(path, errors.New("is read-only; recall will not replace it"))
		}
	}
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmpName := filepath.Join(dir, "."+base+".recall-tmp")
	scratch := tmpName + ".d"
	tmp, err := os.OpenFile(tmpName, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return writeError(path, err)
	}
	if err := lock(tmp); err != nil {
		tmp.Close()
		return Error(path, fmt.Errorf("another recall is writing it (%s is locked)", tmpName))
	}
	removeLeftovers(dir, base)
	defer func() {
		_ = os.RemoveAll(scratch)
		if err != nil {
			_ = os.Remove(tmpName)
		}
		_ = tmp.Close() // releases the lock
	}()
	// What a killed run left is taken over: emptied, scratch included.
	if err := tmp.Truncate(0); err != nil {
		return writeError(path, err)
	}
	if err := os.RemoveAll(scratch); err != nil {
		return writeError(path, err)
	}
	if err := os.Mkdir(scratch, 0o700); err != nil {
		return writeError(path, err)
	}
	if err := tmp.Chmod(Perm); err != nil {
		return writeError(path, err)
	}
	bw := bufio.NewWriterSize(&fileWriter{f: tmp, path: path}, 1<<16)
	if err := write(bw, scratch); err != nil {
		return aboutPath(path, tmpName, err)
	}
	if err := bw.Flush(); err != nil {
		return writeError(path, err)
	}
	// Sync before the rename: otherwise a crash can leave the new name
	// pointing at an empty file.
	if err := tmp.Sync(); err != nil {
		return writeError(path, err)
	}
	// Renamed while still open and locked, so that no other run takes the
	// name over in between.
	if err := os.Rename(tmpName, path); err != nil {
		return writeError(path, err)
	}
	return nil
}

// fileWriter writes the temporary file; its errors name path.
type fileWriter struct {
	f    *os.File
	path string
}

func (w *fileWriter) Write(p []byte) (int, error) {
	n, err := w.f.Write(p)
	if err != nil {
		err = writeError(w.path, err)
	}
	return n, err
}

// aboutPath makes a failure of write that names the temporary file or
// the scratch directory (a full disk while a package is built there) name
// path instead; write's own errors are returned as they are.
func aboutPath(path, tmpName string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) && strings.HasPrefix(pe.Path, tmpName) {
		return writeError(path, pe.Err)
	}
	return err
}

// writeStraight writes to a device or a pipe, which cannot be replaced.
func writeStraight(path string, write func(w io.Writer, scratch string) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY, 0)
	if err != nil {
		return Error(path, err)
	}
	scratch, err := os.MkdirTemp("", "recall-scratch-*")
	if err != nil {
		f.Close()
		return Error(path, err)
	}
	defer os.RemoveAll(scratch)
	bw := bufio.NewWriter(f)
	err = write(bw, scratch)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil && cerr != nil {
		err = Error(path, cerr)
	}
	return err
}

// removeLeftovers removes the temporary files older recalls left beside
// path when they were killed: .NAME.<digits>.tmp.
func removeLeftovers(dir, base string) {
	old, _ := filepath.Glob(filepath.Join(dir, "."+globEscape(base)+".*.tmp"))
	for _, f := range old {
		mid := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "."+base+"."), ".tmp")
		if mid != "" && strings.Trim(mid, "0123456789") == "" {
			_ = os.Remove(f)
		}
	}
}

// globEscape quotes the characters filepath.Match gives a meaning.
func globEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "*", `\*`, "?", `\?`, "[", `\[`).Replace(s)
}

// Files reads notes. OS is the disk; tests may give their own.
type Files interface {
	ReadFile(path string) ([]byte, error)
	// ModTime is a file's modification time, zero if it cannot be read.
	ModTime(path string) time.Time
}

// OS reads files from the disk.
type OS struct{}

// ReadFile reads the file at path; its error is a PathError. Only a
// regular file is read: a named pipe or a device would block recall or
// never end, so it is refused without waiting.
func (OS) ReadFile(path string) ([]byte, error) {
	f, err := openNoWait(path)
	if err != nil {
		return nil, Error(path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, Error(path, err)
	}
	if err := Regular(info.Mode()); err != nil {
		return nil, Error(path, err)
	}
	// Read into a buffer of the file's size, and a little more to see
	// its end without growing: io.ReadAll doubles its way up, and a big
	// file would leave as much again in garbage.
	data := make([]byte, 0, max(info.Size(), 0)+512)
	for {
		n, err := f.Read(data[len(data):cap(data)])
		data = data[:len(data)+n]
		if err == io.EOF {
			return data, nil
		}
		if err != nil {
			return nil, Error(path, err)
		}
		if len(data) == cap(data) {
			data = append(data, 0)[:len(data)] // the file grew
		}
	}
}

// ErrNotRegular is what Regular's errors match: a path that is not a
// regular file (nor a link to one) where recall reads notes.
var ErrNotRegular = errors.New("not a regular file")

// Regular says what a file of mode is when it is not a regular file:
// "not a regular file (a named pipe)".
func Regular(mode fs.FileMode) error {
	var what string
	switch {
	case mode.IsRegular():
		return nil
	case mode.IsDir():
		what = "a directory"
	case mode&fs.ModeNamedPipe != 0:
		what = "a named pipe"
	case mode&fs.ModeSocket != 0:
		what = "a socket"
	case mode&fs.ModeDevice != 0:
		what = "a device"
	case mode&fs.ModeSymlink != 0:
		what = "a symbolic link"
	default:
		what = "a special file"
	}
	return fmt.Errorf("%w (%s)", ErrNotRegular, what)
}

// Size is the size of the file at path, -1 if it cannot be read.
func (OS) Size(path string) int64 {
	info, err := os.Stat(path)
	if err != nil {
		return -1
	}
	return info.Size()
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
	// Op, when set, is what could not be done to Path: "write" makes
	// "out.apkg: cannot write (permission denied)".
	Op  string
	Err error
}

func (e *PathError) Error() string {
	if e.Op != "" {
		return e.Path + ": cannot " + e.Op + " (" + e.reason() + ")"
	}
	return e.Path + ": " + e.reason()
}

// reason says what went wrong, without the path Go's errors repeat.
func (e *PathError) reason() string {
	switch {
	case errors.Is(e.Err, fs.ErrNotExist):
		return "no such file or directory"
	case errors.Is(e.Err, fs.ErrPermission):
		return "permission denied"
	}
	var pe *fs.PathError
	if errors.As(e.Err, &pe) {
		return pe.Err.Error()
	}
	var le *os.LinkError
	if errors.As(e.Err, &le) {
		return le.Err.Error()
	}
	return e.Err.Error()
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

// writeError is a failure to write path, or the temporary file or
// scratch directory that stand for it: it names path, the file the person
// asked for, never the temporary one.
func writeError(path string, err error) error {
	var pe *PathError
	if errors.As(err, &pe) {
		return err
	}
	return &PathError{Path: path, Op: "write", Err: err}
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

// Scratch makes an empty folder beside path for a command's temporary
// files (an imported package's collection): .NAME.recall-scratch.d, held
// under a lock on .NAME.recall-scratch so that a recall running at the
// same time takes the next of a few such names. What a killed run left
// there is cleared by the next run that takes the name, as an export's
// temporaries are; release removes the folder and its lock file.
func Scratch(path string) (dir string, release func(), err error) {
	parent, base := filepath.Split(path)
	if parent == "" {
		parent = "."
	}
	for i := range 10 {
		name := filepath.Join(parent, "."+base+".recall-scratch")
		if i > 0 {
			name += fmt.Sprintf(".%d", i)
		}
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return "", nil, writeError(path, err)
		}
		if lock(f) != nil {
			f.Close()
			continue
		}
		dir := name + ".d"
		if err := os.RemoveAll(dir); err != nil {
			f.Close()
			return "", nil, writeError(path, err)
		}
		if err := os.Mkdir(dir, 0o700); err != nil {
			f.Close()
			return "", nil, writeError(path, err)
		}
		return dir, func() {
			_ = os.RemoveAll(dir)
			_ = os.Remove(name)
			_ = f.Close()
		}, nil
	}
	return "", nil, Error(path, errors.New("ten other recalls hold its scratch folders"))
}
