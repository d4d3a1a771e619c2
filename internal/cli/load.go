package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/recall-cli/recall/internal/notes"
)

// maxLine is the longest line recall reads in notes. Nobody writes a
// megabyte on one line; a file that has one is not notes.
const maxLine = 1 << 20

// noteExts are the files a directory walk picks up.
var noteExts = map[string]bool{".md": true, ".markdown": true, ".txt": true, ".org": true}

// notesFile is one notes file read and parsed.
type notesFile struct {
	Path string // as the person named it (or as found under a named directory)
	Data []byte
	notes.File
}

// expandPaths turns the files and directories a person named into notes
// files, in a stable order. Directories are walked for .md, .markdown and
// .txt files, skipping hidden ones (.git, .obsidian).
func expandPaths(args []string) ([]string, []error) {
	var files []string
	var errs []error
	for _, arg := range args {
		info, err := os.Stat(arg)
		if err != nil {
			errs = append(errs, pathError(arg, err))
			continue
		}
		if !info.IsDir() {
			files = append(files, arg)
			continue
		}
		var found []string
		err = filepath.WalkDir(arg, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if p != arg && strings.HasPrefix(d.Name(), ".") {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if !d.IsDir() && noteExts[strings.ToLower(filepath.Ext(p))] {
				found = append(found, p)
			}
			return nil
		})
		if err != nil {
			errs = append(errs, pathError(arg, err))
			continue
		}
		if len(found) == 0 {
			errs = append(errs, fmt.Errorf("%s: no notes here (looked for .md, .markdown, .txt and .org files)", arg))
			continue
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	return files, errs
}

func pathError(p string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: no such file or directory", p)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("%s: permission denied", p)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %v", p, pe.Err)
	}
	return fmt.Errorf("%s: %v", p, err)
}

// readNotes reads and parses one notes file.
func readNotes(path string, opts notes.Options) (notesFile, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return notesFile{}, pathError(path, err)
	}
	return parseNotes(path, data, opts)
}

// parseNotes parses notes already read.
func parseNotes(path string, data []byte, opts notes.Options) (notesFile, error) {
	if n, line := longestLine(data); n > maxLine {
		return notesFile{}, fmt.Errorf("%s: line %d is %s long; notes lines over 1 MB are not read", path, line, byteSize(n))
	}
	f, err := notes.Parse(path, data, opts)
	if err != nil {
		return notesFile{}, err
	}
	return notesFile{Path: path, Data: data, File: f}, nil
}

// loadNotes reads every notes file under args. Files that fail are
// reported in errs; the rest are returned, so one bad file does not hide
// the cards of the others.
func loadNotes(args []string, opts notes.Options) (files []notesFile, errs []error) {
	paths, errs := expandPaths(args)
	for _, p := range paths {
		f, err := readNotes(p, opts)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		files = append(files, f)
	}
	return files, errs
}

// fileTime is a file's modification time, zero if it cannot be read.
func fileTime(path string) (t time.Time) {
	if info, err := os.Stat(path); err == nil {
		t = info.ModTime()
	}
	return t
}

// printErrors reports per-file errors, one line each.
func printErrors(env *Env, errs []error) {
	for _, err := range errs {
		fmt.Fprintf(env.Stderr, "recall: %v\n", err)
	}
}

// longestLine returns the length and 1-based number of the longest line.
func longestLine(data []byte) (n, line int) {
	for i := 1; len(data) > 0; i++ {
		j := bytes.IndexByte(data, '\n')
		if j < 0 {
			j = len(data)
		}
		if j > n {
			n, line = j, i
		}
		if j == len(data) {
			break
		}
		data = data[j+1:]
	}
	return n, line
}

func byteSize(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
