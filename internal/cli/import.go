package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/recall-cli/recall/internal/anki"
	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/disk"
	"github.com/recall-cli/recall/internal/srs"
	"github.com/recall-cli/recall/internal/store"
)

type importOptions struct {
	Files []string
	JSON  bool
}

func newImportCmd(env *Env) *cobra.Command {
	var opts importOptions
	cmd := &cobra.Command{
		Use:   "import FILE.apkg|FILE.colpkg...",
		Short: "Import Anki packages, with their schedule and review history",
		Long: `Import decks exported from Anki (.apkg, or a whole collection, .colpkg),
old and current formats alike. Notes become cards by their note type:
Basic and its variants give a question and answer, "Basic (and
reversed)" a reverse card too, Cloze one cloze card per deletion, and
any other type a card of its first two fields with the others under the
answer. HTML becomes markdown; images and sounds are copied to the media
folder beside the collection.

Decks and subdecks, tags, suspended and buried cards, the schedule
(SM-2, or FSRS's memory state where Anki kept one) and the review log
come along. Imported cards have no notes file: sync never reads them
again. Importing the same package again updates its cards in place,
keeping their history, and recall export --anki gives their notes back
to Anki under the same guids.`,
		Example: `  recall import ~/Downloads/Spanish.apkg
  recall import --json collection-2024.colpkg`,
		Args: usageArgs(atLeastOne("Anki package (.apkg or .colpkg)")),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Files = args
			return runImport(cmd.Context(), env, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the summary as JSON")
	return cmd
}

// importReport is what import says it did with one package.
type importReport struct {
	File     string       `json:"file"`
	Notes    int          `json:"notes"`
	Cards    int          `json:"cards"`
	Added    int          `json:"added"`
	Updated  int          `json:"updated"`
	Orphaned int          `json:"orphaned"`
	Home     int          `json:"home"` // the collection's own cards, back from Anki
	Decks    []string     `json:"decks"`
	Reviews  int          `json:"reviews"`
	Media    int          `json:"media"`
	Skipped  []importSkip `json:"skipped"`
}

type importSkip struct {
	What string `json:"what"`
	Why  string `json:"why"`
}

func runImport(ctx context.Context, env *Env, opts importOptions) error {
	env = withProgress(env)
	defer env.Progress.Done()
	c, err := openCollection(env)
	if err != nil {
		return err
	}
	defer c.Close()
	mediaDir := filepath.Join(filepath.Dir(env.DBPath(env.DBFlag)), "media")
	if abs, err := filepath.Abs(mediaDir); err == nil {
		mediaDir = abs
	}
	// Each package is imported whole or not at all; one that fails stops
	// the command, the packages before it imported (and said).
	var reports []importReport
	for _, file := range opts.Files {
		r, err := importFile(ctx, env, c.Store, file, mediaDir)
		if err != nil {
			return err
		}
		env.Progress.Done()
		if !opts.JSON {
			printImport(env, r)
		}
		reports = append(reports, r)
	}
	if opts.JSON {
		return writeJSON(env.Stdout, reports)
	}
	return nil
}

// importFile imports one package: its cards in one transaction, then its
// media. An error names the file; the collection is then as it was.
func importFile(ctx context.Context, env *Env, st *store.Store, file, mediaDir string) (importReport, error) {
	r := importReport{File: file, Decks: []string{}, Skipped: []importSkip{}}
	abs, err := filepath.Abs(file)
	if err != nil {
		return r, fmt.Errorf("import %s: %w", file, err)
	}
	info, err := os.Stat(abs)
	if err != nil {
		return r, fmt.Errorf("import %s: %w", file, unwrapPathErr(err))
	}
	env.Progress.Start("reading "+filepath.Base(file), 0)
	// The package's collection is unpacked beside the collection, not in
	// $TMPDIR: a killed import leaves nothing the next one does not clear.
	scratch, release, err := disk.Scratch(env.DBPath(env.DBFlag))
	if err != nil {
		return r, fmt.Errorf("import %s: %w", file, err)
	}
	defer release()
	pkg, err := anki.Open(abs, scratch)
	if err != nil {
		return r, fmt.Errorf("import %w", err)
	}
	defer pkg.Close()
	total, err := pkg.CardCount()
	if err != nil {
		return r, fmt.Errorf("import %s: %w", file, err)
	}
	// The package's notes are converted and written one at a time, in
	// one transaction: however big the package, only a note's cards are
	// held.
	env.Progress.Start("importing cards", total)
	opts := anki.ImportOptions{MediaDir: mediaDir, Location: env.Now().Location(), Rollover: srs.DefaultRollover}
	var sum anki.ImportSummary
	src := store.ImportSource{Path: store.ImportPrefix + abs, ModTime: info.ModTime(), Reached: env.Progress.Set}
	res, err := st.ImportEach(ctx, src, func(add func(*store.ImportCard) error) error {
		var err error
		sum, err = pkg.ImportEach(opts, func(items []anki.Imported) error {
			for _, it := range items {
				c := store.ImportCard{Card: it.Card, Own: it.Own, Subdeck: it.Subdeck, State: it.State,
					Suspended: it.Suspended, Buried: it.Buried, Reviews: it.Reviews}
				if err := add(&c); err != nil {
					return err
				}
			}
			return nil
		})
		return err
	})
	if err != nil {
		return r, fmt.Errorf("import %s: %w", file, err)
	}
	r.Notes, r.Cards, r.Decks, r.Reviews = sum.Notes, sum.Cards, sum.Decks, res.Reviews
	r.Added, r.Updated, r.Orphaned, r.Home = res.Added, res.Updated, res.Orphaned, res.Home
	for _, s := range sum.Skipped {
		r.Skipped = append(r.Skipped, importSkip{What: s.What, Why: s.Why})
	}
	env.Progress.Start("copying media", len(pkg.Media))
	err = pkg.EachMedia(func(name string, data io.Reader) error {
		env.Progress.Add(1)
		if data == nil {
			r.Skipped = append(r.Skipped, importSkip{What: "media " + name, Why: "missing from the package"})
			return nil
		}
		if !safeMediaName(name) {
			r.Skipped = append(r.Skipped, importSkip{What: "media " + name, Why: "not a plain file name"})
			return nil
		}
		if err := writeMedia(filepath.Join(mediaDir, name), data); err != nil {
			return err
		}
		r.Media++
		return nil
	})
	if err != nil {
		return r, fmt.Errorf("import %s: media: %w", file, err)
	}
	return r, nil
}

// safeMediaName reports whether a media name is one plain path component.
func safeMediaName(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.ContainsAny(name, `/\`) && !strings.ContainsRune(name, 0)
}

// writeMedia writes a media file, streamed to a temporary file beside it
// and put in its place, unless the same content is there already.
func writeMedia(path string, data io.Reader) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".recall-media-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if same, err := sameContent(path, tmp.Name()); err != nil || same {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// sameContent reports whether the file at path exists and holds what the
// file at other holds, reading both a block at a time.
func sameContent(path, other string) (bool, error) {
	a, err := os.Open(path)
	if err != nil {
		if os.IsNotExist(err) {
			return false, nil
		}
		return false, err
	}
	defer a.Close()
	b, err := os.Open(other)
	if err != nil {
		return false, err
	}
	defer b.Close()
	ia, errA := a.Stat()
	ib, errB := b.Stat()
	if errA != nil || errB != nil || !ia.Mode().IsRegular() || ia.Size() != ib.Size() {
		return false, nil
	}
	bufA, bufB := make([]byte, 64<<10), make([]byte, 64<<10)
	for {
		n, errA := io.ReadFull(a, bufA)
		m, errB := io.ReadFull(b, bufB)
		if n != m || !bytes.Equal(bufA[:n], bufB[:m]) {
			return false, nil
		}
		if ended(errA) || ended(errB) {
			return ended(errA) && ended(errB), nil
		}
		if errA != nil {
			return false, errA
		}
		if errB != nil {
			return false, errB
		}
	}
}

// ended reports whether io.ReadFull's error says the file ended.
func ended(err error) bool {
	return errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// unwrapPathErr drops the path an *os.PathError repeats.
func unwrapPathErr(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// maxDecksSaid is how many decks the summary names (--json: all).
const maxDecksSaid = 10

// printImport says what an import did, and what it left out and why.
func printImport(env *Env, r importReport) {
	fmt.Fprintf(env.Stdout, "imported %s: %d %s, %d %s (added %d · updated %d", card.Printable(r.File),
		r.Notes, plural(r.Notes, "note", "notes"), r.Cards, plural(r.Cards, "card", "cards"), r.Added, r.Updated)
	if r.Orphaned > 0 {
		fmt.Fprintf(env.Stdout, " · orphaned %d", r.Orphaned)
	}
	if r.Home > 0 {
		fmt.Fprintf(env.Stdout, " · home %d", r.Home)
	}
	fmt.Fprintf(env.Stdout, "), %d %s, %d %s, %d media\n", len(r.Decks), plural(len(r.Decks), "deck", "decks"),
		r.Reviews, plural(r.Reviews, "review", "reviews"), r.Media)
	if len(r.Decks) > 0 {
		decks := strings.Join(r.Decks[:min(len(r.Decks), maxDecksSaid)], ", ")
		if more := len(r.Decks) - maxDecksSaid; more > 0 {
			decks += fmt.Sprintf(" and %d more", more)
		}
		fmt.Fprintf(env.Stdout, "  decks: %s\n", card.Printable(decks))
	}
	for _, s := range r.Skipped {
		fmt.Fprintf(env.Stdout, "  skipped %s: %s\n", card.Printable(s.What), card.Printable(s.Why))
	}
}
