package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/collection"
	"github.com/recall-cli/recall/internal/disk"
)

// notesSource gives an Anki export the cards of notes files as they are
// parsed, a part of a file at a time (see collection.NotesExport), rather
// than every file parsed whole first. What an export from a collection
// knows before it starts, a notes export learns at its end: how many
// cards there are, whether the decks asked for have any, and the decks
// that name the package.
type notesSource struct {
	paths []string
	decks []string
	x     *collection.NotesExport
	// fileDone, when set, hears that a file's cards were all handed on.
	fileDone func()
	// scratch is the directory for files of the parser's own (see
	// collection.NotesExport.Scratch).
	scratch string
	// whole are the files to parse whole: those found, in an earlier try,
	// to settle their cards only at their end (see collection.Unsettled).
	whole map[string]bool
}

// fileErrors are the errors of the notes files that failed, one per file.
type fileErrors []error

func (e fileErrors) Error() string { return e[0].Error() }

func newNotesSource(paths, decks []string) *notesSource {
	return &notesSource{paths: paths, decks: decks, whole: map[string]bool{},
		x: collection.NewNotesExport(disk.OS{}, decks)}
}

// readAhead is how many files notesSource reads beyond the one whose
// cards it hands on: each is parsed on a goroutine of its own.
const readAhead = 2

// Each hands fn the cards of every file, in order. A file that fails
// stops the cards, and the files after it are still read, so that every
// failure is said at once (fileErrors). collection.Unsettled is returned
// as it is, for the export to start again (see retry).
func (s *notesSource) Each(ctx context.Context, fn func(card.Entry) error) error {
	s.x = collection.NewNotesExport(disk.OS{}, s.decks)
	s.x.Scratch = s.scratch
	// Small files are read and parsed a file or two ahead, on a goroutine
	// of their own: one file is a part of the parser's work, which it
	// cannot share out, and the next can be parsed meanwhile.
	ahead := make(chan chan *collection.Parsed, readAhead)
	stop := make(chan struct{})
	defer close(stop)
	x := s.x // not s.x, which the next Each replaces
	go func() {
		defer close(ahead)
		for _, p := range s.paths {
			got := make(chan *collection.Parsed, 1)
			select {
			case ahead <- got:
			case <-stop:
				return
			}
			select {
			case <-stop:
				return
			default:
			}
			go func() { got <- x.Read(p) }()
		}
	}()
	var errs fileErrors
	for _, p := range s.paths {
		if err := ctx.Err(); err != nil {
			return err
		}
		if len(errs) > 0 {
			fn = func(card.Entry) error { return nil }
		}
		// A failure of fn is the export's own: it stops everything.
		var failed error
		err := s.x.EachParsed(<-<-ahead, s.whole[p], func(e card.Entry) error {
			failed = fn(e)
			return failed
		})
		var u *collection.Unsettled
		switch {
		case failed != nil:
			return failed
		case errors.As(err, &u) && len(errs) == 0:
			return err
		case errors.As(err, &u):
			// Only checked: its cards go nowhere.
		case err != nil:
			errs = append(errs, err)
		}
		if s.fileDone != nil {
			s.fileDone()
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// retry says whether err asks for the export to start again, with a file
// parsed whole, and marks the file so.
func (s *notesSource) retry(err error) bool {
	var u *collection.Unsettled
	if errors.As(err, &u) && !s.whole[u.Path] {
		s.whole[u.Path] = true
		return true
	}
	return false
}

// settled returns the error of an export that met n cards: a deck asked
// for that none was in, or no card at all.
func (s *notesSource) settled(n int) error {
	if err := s.x.Missing(); err != nil {
		return err
	}
	if n == 0 {
		return errors.New("nothing to export: the notes have no cards")
	}
	return nil
}

// Decks names the decks asked for, or once Each is done, the decks of
// the cards it met.
func (s *notesSource) Decks(context.Context) ([]string, error) {
	return s.x.Decks(), nil
}

// Count is not asked of notes: their export counts its cards at its end
// (see settled), as it parses them only once.
func (s *notesSource) Count(context.Context) (int, int, error) { return 0, 0, nil }

func (s *notesSource) Reviews(context.Context, func(card.Review) error) error { return nil }

// packageName is the default file name of a package of cards in decks.
func packageName(decks []string) string {
	if len(decks) == 1 {
		return fileName(decks[0]) + ".apkg"
	}
	return "recall.apkg"
}

// writeThrough writes a package through a temporary file, then copies it
// to where name, called once it is written, says: standard output or a
// device, or a file whose default name depends on the decks of the cards
// written. A notes export may have to start again after it wrote some of
// the package, which it cannot take back from a device; and its cards'
// decks are known only at its end. The temporary file is
// .recall-export.apkg in dir (what a killed export left there, the next
// one clears), or in $TMPDIR when dir is "".
func writeThrough(env *Env, dir string, force bool, mark string, write func(io.Writer, string) error,
	name func() string) (string, error) {
	tmp := filepath.Join(dir, ".recall-export.apkg")
	if dir == "" {
		f, err := os.CreateTemp("", "recall-export-*.apkg")
		if err != nil {
			return "", fmt.Errorf("export: %w", err)
		}
		tmp = f.Name()
		f.Close()
	}
	defer os.Remove(tmp)
	if err := disk.WriteAtomicScratch(tmp, write); err != nil {
		return "", err
	}
	path := name()
	copyTo := func(w io.Writer) error {
		f, err := os.Open(tmp)
		if err != nil {
			return err
		}
		defer f.Close()
		_, err = io.Copy(w, f)
		return err
	}
	if path == "-" {
		bw := bufio.NewWriter(env.Stdout)
		if err := copyTo(bw); err != nil {
			return path, err
		}
		return path, bw.Flush()
	}
	if err := mayReplace(path, mark, force); err != nil {
		return path, err
	}
	return path, disk.WriteAtomic(path, copyTo)
}

var _ collection.Cards = (*notesSource)(nil)
