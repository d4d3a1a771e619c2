package cli

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/recall-cli/recall/internal/anki"
	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/collection"
	"github.com/recall-cli/recall/internal/disk"
	"github.com/recall-cli/recall/internal/notes"
	"github.com/recall-cli/recall/internal/srs"
)

type exportOptions struct {
	Anki, CSV, JSON  bool
	Output           string
	Decks            []string
	WithProgress     bool
	IncludeSuspended bool
	Force            bool     // replace a file that is not an earlier export of the same cards
	Paths            []string // notes to export straight, without a collection
}

// toStdout says the export goes to standard output: -o -, or CSV and
// JSON without -o.
func (o exportOptions) toStdout() bool {
	return o.Output == "-" || o.Output == "" && !o.Anki
}

func (o exportOptions) validate() error {
	n := 0
	for _, b := range []bool{o.Anki, o.CSV, o.JSON} {
		if b {
			n++
		}
	}
	if n > 1 {
		return usagef("choose one of --anki, --csv and --json")
	}
	if o.WithProgress && len(o.Paths) > 0 {
		return usagef("--with-progress exports a collection's schedules; notes files have none")
	}
	if o.WithProgress && !o.Anki {
		return usagef("--with-progress goes with --anki")
	}
	return nil
}

func newExportCmd(env *Env) *cobra.Command {
	var opts exportOptions
	cmd := &cobra.Command{
		Use:   "export --anki|--csv|--json [NOTES...]",
		Short: "Export cards to Anki (.apkg), CSV or JSON",
		Long: `Export the collection, or notes files straight without a collection, for
Anki and AnkiDroid (.apkg, the default), Anki's text import (--csv) or
scripts (--json).

The .apkg holds decks named after your decks and headings
("QCon SF 2018::Containers"), your tags, and note types "recall Basic",
"recall Basic (and reversed)" and "recall Cloze". Note ids derive from
recall's card ids, so importing a newer export updates the notes you
already have instead of duplicating them.

--with-progress carries each card's schedule (interval, ease, due date,
reps, lapses) and the review log. In Anki, tick "Import any learning
progress" in the import dialog, or Anki will import the cards as new.

Without -o the package is written as <deck>.apkg in the current
directory (recall.apkg for several decks); CSV and JSON go to standard
output, and so does anything with -o -.

recall replaces a file only when it is its own earlier export of the
same cards (the same decks, notes and options): anything else, give
--force. Nothing to export is an error, and writes no file.`,
		Example: `  recall export --anki
  recall export --anki --with-progress -o ~/Sync/recall.apkg
  recall export --anki notes/qcon-sf-2019.md
  recall export --csv --deck "QCon SF 2018" > qcon.csv
  recall export --anki -o - | ssh phone 'cat > recall.apkg'`,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.Paths = args
			if !opts.CSV && !opts.JSON {
				opts.Anki = true
			}
			if err := opts.validate(); err != nil {
				return err
			}
			return runExport(cmd.Context(), env, opts)
		},
	}
	f := cmd.Flags()
	f.BoolVar(&opts.Anki, "anki", false, "an Anki package, .apkg (the default)")
	f.BoolVar(&opts.CSV, "csv", false, "CSV for Anki's text import, with a guid column")
	f.BoolVar(&opts.JSON, "json", false, "JSON: the cards with their schedules")
	f.StringVarP(&opts.Output, "output", "o", "", `file to write; "-" is standard output`)
	f.BoolVar(&opts.Force, "force", false, "replace a file that is not recall's earlier export of the same cards")
	f.StringArrayVar(&opts.Decks, "deck", nil, `only this deck and its subdecks, in any case, or one heading's subdeck ("QCon SF 2018::Containers"); repeatable`)
	f.BoolVar(&opts.WithProgress, "with-progress", false, `carry schedules and the review log (tick "Import any learning progress" in Anki)`)
	f.BoolVar(&opts.IncludeSuspended, "include-suspended", false, "export suspended cards too (suspended in Anki)")
	return cmd
}

func runExport(ctx context.Context, env *Env, opts exportOptions) error {
	env = withProgress(env)
	defer env.Progress.Done()
	if len(opts.Paths) > 0 && opts.Anki {
		return exportNotesAnki(ctx, env, opts)
	}
	var src collection.Cards
	if len(opts.Paths) > 0 {
		files, errs := loadNotes(env, opts.Paths, notes.Options{})
		printErrors(env, errs)
		if len(errs) > 0 {
			// A partial deck on a phone is worse than none: stop.
			return silentError{exitFailure}
		}
		var err error
		if src, err = collection.NotesCards(files, opts.Decks); err != nil {
			return err
		}
	} else {
		open := openForReading
		if opts.Anki {
			// The package takes its place only once the check's verdict
			// is in: the check can run beside the reading.
			open = openForExport
		}
		c, err := open(env)
		if err != nil {
			return err
		}
		defer c.Close()
		src, err = c.Cards(ctx, opts.Decks)
		if err != nil {
			return err
		}
		if opts.Anki {
			src = collection.Stored(src)
			if !opts.WithProgress {
				src = collection.Unscheduled(src)
			}
		}
	}
	total, err := exportable(ctx, src, opts)
	if err != nil {
		return err
	}
	if err := refuseTerminal(env, opts); err != nil {
		return err
	}
	mark := exportMark(opts)
	switch {
	case opts.CSV:
		return exportTo(env, opts, mark, func(w io.Writer) error { return exportCSV(ctx, env, src, w, opts, mark, total) })
	case opts.JSON:
		return exportTo(env, opts, mark, func(w io.Writer) error {
			return exportJSON(ctx, env, src, w, opts.IncludeSuspended, env.Now(), total)
		})
	}
	return exportAnki(ctx, env, src, opts, mark, total)
}

// exportable counts the cards an export goes through (suspended ones
// included: the writers leave them out), and refuses a package that
// would hold no card: Anki imports it as nothing, and a person syncing it
// to a phone would rather know. CSV and JSON, for scripts, may be empty.
func exportable(ctx context.Context, src collection.Cards, opts exportOptions) (int, error) {
	all, suspended, err := src.Count(ctx)
	if err != nil {
		return 0, err
	}
	if !opts.Anki || opts.IncludeSuspended || all > suspended {
		return all, nil
	}
	if suspended > 0 {
		return 0, withHint(fmt.Errorf("nothing to export: every card is suspended (%d)", suspended),
			"--include-suspended exports them")
	}
	what := "the collection has no cards"
	switch {
	case len(opts.Paths) > 0:
		what = "the notes have no cards"
	case len(opts.Decks) > 0:
		what = "the decks chosen have no cards"
	}
	return 0, fmt.Errorf("nothing to export: %s", what)
}

// exportMark is what recall writes into an export to know it again: a
// digest of what was exported and how (format, the notes or the
// collection, the decks, the options), not of where it was written. An
// export may replace a file that carries the same mark.
func exportMark(opts exportOptions) string {
	format := "anki"
	switch {
	case opts.CSV:
		format = "csv"
	case opts.JSON:
		format = "json"
	}
	var paths []string
	for _, p := range opts.Paths {
		if abs, err := filepath.Abs(p); err == nil {
			p = abs
		}
		paths = append(paths, p)
	}
	var decks []string
	for _, d := range opts.Decks {
		decks = append(decks, strings.ToLower(d))
	}
	slices.Sort(paths)
	slices.Sort(decks)
	decks = slices.Compact(decks)
	h := sha256.New()
	fmt.Fprintf(h, "v1\x00%s\x00%q\x00%q\x00%t\x00%t", format, paths, decks, opts.WithProgress, opts.IncludeSuspended)
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// mayReplace refuses to write over a file that is not recall's earlier
// export of the same cards, unless --force. Nothing is refused where
// nothing would be lost: no file, an empty one, or a device or pipe
// (/dev/stdout), which is written to rather than replaced. A directory
// or a read-only file is left to disk.WriteAtomic, which refuses it.
func mayReplace(path, mark string, force bool) error {
	info, err := os.Stat(path)
	if err != nil || force || !info.Mode().IsRegular() || info.Size() == 0 || info.Mode().Perm()&0o222 == 0 {
		return nil
	}
	if m, err := anki.ReadMark(path); err == nil && m == mark {
		return nil
	}
	return fmt.Errorf("%s exists and is not an earlier export of these decks; use --force to replace it", path)
}

// replaceable says whether path names a regular file or nothing, which
// an export replaces, rather than a device or a pipe, which it writes to.
func replaceable(path string) bool {
	info, err := os.Stat(path)
	return err != nil || info.Mode().IsRegular()
}

// exportTo writes CSV or JSON to -o, all or nothing, or to stdout.
func exportTo(env *Env, opts exportOptions, mark string, write func(io.Writer) error) error {
	if opts.toStdout() {
		return write(env.Stdout)
	}
	if err := mayReplace(opts.Output, mark, opts.Force); err != nil {
		return err
	}
	return disk.WriteAtomic(opts.Output, write)
}

// refuseTerminal refuses an Anki package written onto a terminal.
func refuseTerminal(env *Env, opts exportOptions) error {
	if opts.Anki && opts.toStdout() && env.StdoutTTY {
		return usagef("-o - would write an Anki package onto the terminal; redirect it (> deck.apkg) or name a file")
	}
	return nil
}

// exportNotesAnki exports notes files to an Anki package as their cards
// are parsed (see notesSource). A path that is not there, or not notes,
// stops it before anything is written, after every file was read for its
// errors: a partial deck on a phone is worse than none.
func exportNotesAnki(ctx context.Context, env *Env, opts exportOptions) error {
	paths, skipped, errs := expandPaths(opts.Paths)
	warnSkipped(env, skipped)
	src := newNotesSource(paths, opts.Decks)
	if len(errs) > 0 {
		var fe fileErrors
		if err := src.Each(ctx, func(card.Entry) error { return nil }); errors.As(err, &fe) {
			errs = append(errs, fe...)
		}
		printErrors(env, errs)
		return silentError{exitFailure}
	}
	if err := refuseTerminal(env, opts); err != nil {
		return err
	}
	err := exportAnki(ctx, env, src, opts, exportMark(opts), 0)
	var fe fileErrors
	if errors.As(err, &fe) {
		printErrors(env, fe)
		return silentError{exitFailure}
	}
	return err
}

func exportAnki(ctx context.Context, env *Env, src collection.Cards, opts exportOptions, mark string, total int) error {
	// Notes files name their package, and say whether they have cards,
	// only once their cards are written.
	ns, _ := src.(*notesSource)
	heap := int64(exportHeapMiB)
	if ns != nil {
		heap = notesHeapMiB
	}
	defer limitHeap(heap << 20)()
	path := opts.Output
	late := path == "" && ns != nil && len(opts.Decks) == 0
	if path == "" && !late {
		names, err := src.Decks(ctx)
		if err != nil {
			return err
		}
		path = packageName(names)
	}
	// shown names the package in errors, before its name is known too.
	shown := func() string {
		if path == "" {
			return "the package"
		}
		return path
	}
	n := 0
	var warnings []anki.Warning
	write := func(out io.Writer, scratch string) error {
		n, warnings = 0, nil
		w, err := anki.NewWriter(out, anki.Options{
			WithProgress:     opts.WithProgress,
			IncludeSuspended: opts.IncludeSuspended,
			Now:              env.Now(),
			Rollover:         srs.DefaultRollover,
			TempDir:          scratch,
			Mark:             mark,
		})
		if err != nil {
			return fmt.Errorf("export %s: %w", shown(), err)
		}
		// Notes count their progress in files, as they are read.
		perCard := ns == nil
		if ns != nil {
			env.Progress.Start("reading notes", len(ns.paths))
			ns.fileDone = func() { env.Progress.Add(1) }
			ns.scratch = scratch
		} else {
			env.Progress.Start("exporting cards", total)
		}
		err = src.Each(ctx, func(e card.Entry) error {
			if perCard {
				env.Progress.Add(1)
			}
			// The writer leaves suspended cards out too; skipping them
			// here keeps the count printed below true.
			if e.Status == card.StatusSuspended && !opts.IncludeSuspended {
				return nil
			}
			n++
			return w.Add(e)
		})
		if err == nil && ns != nil {
			err = ns.settled(n)
		}
		if err == nil && opts.WithProgress {
			env.Progress.Start("exporting reviews", 0)
			err = src.Reviews(ctx, func(r card.Review) error {
				env.Progress.Add(1)
				// Reviews of cards outside the export (other decks,
				// suspended ones) have no card to attach to.
				if err := w.AddReview(r); err != nil && !errors.Is(err, card.ErrNotFound) {
					return err
				}
				return nil
			})
		}
		if err != nil {
			w.Abort()
			return err
		}
		env.Progress.Start("writing the package", 0)
		warnings, err = w.Close()
		env.Progress.Done()
		var pe *disk.PathError
		if err != nil && !errors.As(err, &pe) {
			return fmt.Errorf("export %s: %w", shown(), err)
		}
		return err
	}
	var err error
	for {
		switch {
		case ns != nil && (late || path == "-" || !replaceable(path)):
			// A notes export may start again, which it cannot after it
			// wrote onto standard output or a device, and names its
			// package at its end: it is written through a temporary file.
			dir := "."
			if !late {
				dir = ""
			}
			var to string
			to, err = writeThrough(env, dir, opts.Force, mark, write, func() string {
				if late {
					names, _ := ns.Decks(ctx)
					return packageName(names)
				}
				return path
			})
			if err == nil {
				path = to
			}
		case path == "-":
			// The collection is built in $TMPDIR, as there is no folder of
			// the destination's to build it in.
			bw := bufio.NewWriter(env.Stdout)
			if err = write(bw, ""); err == nil {
				err = bw.Flush()
			}
		default:
			if err := mayReplace(path, mark, opts.Force); err != nil {
				return err
			}
			// The collection is built in the scratch directory beside the
			// package, so that a killed export leaves nothing in $TMPDIR and
			// the next export to the same path clears what it left.
			err = disk.WriteAtomicScratch(path, write)
		}
		if ns == nil || !ns.retry(err) {
			break
		}
	}
	for _, wn := range warnings {
		fmt.Fprintf(env.Stderr, "recall: warning: %s\n", wn)
	}
	if err != nil {
		return err
	}
	// On standard output the package is all: no summary to spoil it.
	if path != "-" {
		size := ""
		if info, err := os.Stat(path); err == nil {
			size = ", " + disk.ByteSize(info.Size())
		}
		fmt.Fprintf(env.Stdout, "wrote %s: %d %s%s\n", path, n, plural(n, "card", "cards"), size)
	}
	if opts.WithProgress {
		fmt.Fprintln(env.Stderr, `recall: in Anki, tick "Import any learning progress" when you import, or the cards arrive as new`)
	}
	return nil
}

func exportCSV(ctx context.Context, env *Env, src collection.Cards, out io.Writer, opts exportOptions, mark string, total int) error {
	if opts.toStdout() {
		// The mark is for files: text on standard output stays as
		// scripts have always read it.
		mark = ""
	}
	w := anki.NewCSVWriter(out, anki.CSVOptions{IncludeSuspended: opts.IncludeSuspended, Mark: mark})
	env.Progress.Start("exporting cards", total)
	err := src.Each(ctx, func(e card.Entry) error {
		env.Progress.Add(1)
		return w.Add(e)
	})
	env.Progress.Done()
	if err != nil {
		return err
	}
	warnings, err := w.Close()
	for _, wn := range warnings {
		fmt.Fprintf(env.Stderr, "recall: warning: %s\n", wn)
	}
	return err
}

// exportJSON streams the cards as one JSON array of `cards --json`
// objects, without holding them all.
func exportJSON(ctx context.Context, env *Env, src collection.Cards, out io.Writer, includeSuspended bool, now time.Time, total int) error {
	first := true
	if _, err := io.WriteString(out, "["); err != nil {
		return err
	}
	env.Progress.Start("exporting cards", total)
	defer env.Progress.Done()
	err := src.Each(ctx, func(e card.Entry) error {
		env.Progress.Add(1)
		if e.Status == card.StatusSuspended && !includeSuspended {
			return nil
		}
		sep := ",\n"
		if first {
			sep, first = "\n", false
		}
		if _, err := io.WriteString(out, sep); err != nil {
			return err
		}
		var b strings.Builder
		if err := writeJSON(&b, entryObject(e, now)); err != nil {
			return err
		}
		_, err := io.WriteString(out, strings.TrimSuffix(b.String(), "\n"))
		return err
	})
	if err != nil {
		return err
	}
	end := "\n]\n"
	if first {
		end = "]\n"
	}
	_, err = io.WriteString(out, end)
	return err
}

// fileName makes a deck name safe as a file name.
func fileName(deck string) string {
	r := strings.NewReplacer("/", "-", "\\", "-", ":", "-", "*", "-", "?", "", "\"", "", "<", "", ">", "", "|", "-")
	s := strings.TrimSpace(r.Replace(deck))
	if s == "" || s == "." || s == ".." {
		return "recall"
	}
	return s
}
