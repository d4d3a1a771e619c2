package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"strings"

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
	Paths            []string // notes to export straight, without a collection
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
output.`,
		Example: `  recall export --anki
  recall export --anki --with-progress -o ~/Sync/recall.apkg
  recall export --anki notes/qcon-sf-2019.md
  recall export --csv --deck "QCon SF 2018" > qcon.csv`,
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
	f.StringVarP(&opts.Output, "output", "o", "", "file to write")
	f.StringArrayVar(&opts.Decks, "deck", nil, `only this deck and its subdecks, in any case, or one heading's subdeck ("QCon SF 2018::Containers"); repeatable`)
	f.BoolVar(&opts.WithProgress, "with-progress", false, `carry schedules and the review log (tick "Import any learning progress" in Anki)`)
	f.BoolVar(&opts.IncludeSuspended, "include-suspended", false, "export suspended cards too (suspended in Anki)")
	return cmd
}

func runExport(ctx context.Context, env *Env, opts exportOptions) error {
	var src collection.Cards
	if len(opts.Paths) > 0 {
		files, errs := loadNotes(env, opts.Paths, notes.Options{})
		printErrors(env, errs)
		if len(errs) > 0 {
			// A partial deck on a phone is worse than none: stop.
			return silentError{exitFailure}
		}
		src = collection.NotesCards(files, opts.Decks)
	} else {
		c, err := openForReading(env)
		if err != nil {
			return err
		}
		defer c.Close()
		src, err = c.Cards(ctx, opts.Decks)
		if err != nil {
			return err
		}
	}
	switch {
	case opts.CSV:
		return exportTo(env, opts.Output, func(w io.Writer) error { return exportCSV(ctx, env, src, w, opts) })
	case opts.JSON:
		return exportTo(env, opts.Output, func(w io.Writer) error { return exportJSON(ctx, src, w, opts.IncludeSuspended, env.Now()) })
	}
	return exportAnki(ctx, env, src, opts)
}

// exportTo writes to -o, all or nothing, or to stdout.
func exportTo(env *Env, path string, write func(io.Writer) error) error {
	if path == "" {
		return write(env.Stdout)
	}
	return disk.WriteAtomic(path, write)
}

func exportAnki(ctx context.Context, env *Env, src collection.Cards, opts exportOptions) error {
	path := opts.Output
	if path == "" {
		names, err := src.Decks(ctx)
		if err != nil {
			return err
		}
		path = "recall.apkg"
		if len(names) == 1 {
			path = fileName(names[0]) + ".apkg"
		}
	}
	n := 0
	var warnings []anki.Warning
	// The collection is built in the scratch directory beside the
	// package, so that a killed export leaves nothing in $TMPDIR and the
	// next export to the same path clears what it left.
	err := disk.WriteAtomicScratch(path, func(out io.Writer, scratch string) error {
		w, err := anki.NewWriter(out, anki.Options{
			WithProgress:     opts.WithProgress,
			IncludeSuspended: opts.IncludeSuspended,
			Now:              env.Now(),
			Rollover:         srs.DefaultRollover,
			TempDir:          scratch,
		})
		if err != nil {
			return fmt.Errorf("export %s: %w", path, err)
		}
		err = src.Each(ctx, func(e card.Entry) error {
			// The writer leaves suspended cards out too; skipping them
			// here keeps the count printed below true.
			if e.Status == card.StatusSuspended && !opts.IncludeSuspended {
				return nil
			}
			n++
			return w.Add(e)
		})
		if err == nil && opts.WithProgress {
			err = src.Reviews(ctx, func(r card.Review) error {
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
		warnings, err = w.Close()
		if err != nil {
			return fmt.Errorf("export %s: %w", path, err)
		}
		return nil
	})
	for _, wn := range warnings {
		fmt.Fprintf(env.Stderr, "recall: warning: %s\n", wn)
	}
	if err != nil {
		return err
	}
	size := ""
	if info, err := os.Stat(path); err == nil {
		size = ", " + disk.ByteSize(info.Size())
	}
	fmt.Fprintf(env.Stdout, "wrote %s: %d %s%s\n", path, n, plural(n, "card", "cards"), size)
	if opts.WithProgress {
		fmt.Fprintln(env.Stderr, `recall: in Anki, tick "Import any learning progress" when you import, or the cards arrive as new`)
	}
	return nil
}

func exportCSV(ctx context.Context, env *Env, src collection.Cards, out io.Writer, opts exportOptions) error {
	w := anki.NewCSVWriter(out, anki.CSVOptions{IncludeSuspended: opts.IncludeSuspended})
	err := src.Each(ctx, w.Add)
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
func exportJSON(ctx context.Context, src collection.Cards, out io.Writer, includeSuspended bool, now time.Time) error {
	first := true
	if _, err := io.WriteString(out, "["); err != nil {
		return err
	}
	err := src.Each(ctx, func(e card.Entry) error {
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
