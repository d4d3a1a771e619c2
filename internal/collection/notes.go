package collection

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"path/filepath"
	"time"

	"github.com/recall-cli/recall/internal/disk"
	"github.com/recall-cli/recall/internal/notes"
	"github.com/recall-cli/recall/internal/store"
)

// maxLine is the longest line recall reads in notes. Nobody writes a
// megabyte on one line; a file that has one is not notes.
const maxLine = 1 << 20

// Notes is one notes file read and parsed.
type Notes struct {
	notes.File
	Path     string    // as named, or absolute when read for a sync
	Data     []byte    // the file's content
	ModTime  time.Time // of the file, zero for a shipped deck
	Override string    // the deck the person gave (--deck), remembered for later syncs

	// deferred notes are parsed as they are added: see ReadForAdd.
	deferred bool
}

// Deferred tells notes read by ReadForAdd to be parsed as they are added:
// their Cards are empty until then, and their File has only its Path.
func (n Notes) Deferred() bool { return n.deferred }

// streamSize is the size from which ReadForAdd defers the parse of a file.
const streamSize = 1 << 20

// Read reads and parses one notes file.
func Read(files disk.Files, path string, opts notes.Options) (Notes, error) {
	data, err := files.ReadFile(path)
	if err != nil {
		return Notes{}, disk.Error(path, err)
	}
	return Parse(path, data, files.ModTime(path), opts)
}

// ReadForSync reads a notes file to add it to the collection. The path is
// made absolute, so a later sync finds it from any directory; deck, when
// set, is the deck of every card, now and in later syncs.
func ReadForSync(files disk.Files, path, deck string) (Notes, error) {
	return readForAdd(files, path, deck, math.MaxInt)
}

// ReadForAdd is ReadForSync for notes about to be added. A file of
// streamSize or more is only checked (see notes.Check) and its parse
// deferred: Add makes its cards as it writes them, so that they are
// never all in memory together. Its Cards are then empty.
func ReadForAdd(files disk.Files, path, deck string) (Notes, error) {
	return readForAdd(files, path, deck, streamSize)
}

// readForAdd is ReadForAdd deferring the parse of files of size or more.
func readForAdd(files disk.Files, path, deck string, size int) (Notes, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return Notes{}, disk.Error(path, err)
	}
	data, err := files.ReadFile(abs)
	if err != nil {
		return Notes{}, disk.Error(path, err)
	}
	if len(data) < size {
		return Parse(abs, data, files.ModTime(abs), notes.Options{Deck: deck})
	}
	if err := checkLines(abs, data); err != nil {
		return Notes{}, err
	}
	if err := notes.Check(abs, data); err != nil {
		return Notes{}, err
	}
	return Notes{Path: abs, Data: data, ModTime: files.ModTime(abs), Override: deck, deferred: true}, nil
}

// Load reads every file of paths. Files that fail are reported in errs;
// the rest are returned, so one bad file does not hide the cards of the
// others. done, when set, hears of each file read.
func Load(files disk.Files, paths []string, opts notes.Options, done func()) (read []Notes, errs []error) {
	for _, p := range paths {
		n, err := Read(files, p, opts)
		if done != nil {
			done()
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		read = append(read, n)
	}
	return read, errs
}

// Parse parses notes already read.
func Parse(path string, data []byte, mod time.Time, opts notes.Options) (Notes, error) {
	if err := checkLines(path, data); err != nil {
		return Notes{}, err
	}
	f, err := notes.Parse(path, data, opts)
	if err != nil {
		return Notes{}, err
	}
	return Notes{File: f, Path: path, Data: data, ModTime: mod, Override: opts.Deck}, nil
}

// checkLines refuses notes with a line longer than maxLine.
func checkLines(path string, data []byte) error {
	if n, line := longestLine(data); n > maxLine {
		return fmt.Errorf("%s: line %d is %s long; notes lines over 1 MB are not read", path, line, disk.ByteSize(int64(n)))
	}
	return nil
}

// source describes the notes as the collection remembers their file.
func (n Notes) source() store.SourceFile {
	return store.SourceFile{Path: n.Path, Hash: contentHash(n.Data), ModTime: n.ModTime, DeckOverride: n.Override}
}

// contentHash is what a sync compares to skip a file that has not
// changed since the last one.
func contentHash(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
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
