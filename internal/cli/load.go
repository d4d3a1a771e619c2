package cli

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/collection"
	"github.com/recall-cli/recall/internal/disk"
	"github.com/recall-cli/recall/internal/notes"
)

// noteExts are the files a directory walk picks up.
var noteExts = map[string]bool{".md": true, ".markdown": true, ".txt": true, ".org": true}

// expandPaths turns the files and directories a person named into notes
// files, in a stable order. Directories are walked for .md, .markdown,
// .txt and .org files, skipping hidden ones (.git, .obsidian) and files
// that are not regular (a named pipe would block the read forever), which
// are listed in skipped. A named path that is not a regular file is read
// and refused then.
func expandPaths(args []string) (files []string, skipped, errs []error) {
	for _, arg := range args {
		info, err := os.Stat(arg)
		if err != nil {
			errs = append(errs, disk.Error(arg, err))
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
			if d.IsDir() || !noteExts[strings.ToLower(filepath.Ext(p))] {
				return nil
			}
			mode := d.Type()
			if mode&fs.ModeSymlink != 0 {
				info, err := os.Stat(p)
				if err != nil {
					skipped = append(skipped, disk.Error(p, err))
					return nil
				}
				if info.IsDir() {
					return nil // links to folders are not followed
				}
				mode = info.Mode()
			}
			if err := disk.Regular(mode); err != nil {
				skipped = append(skipped, disk.Error(p, err))
				return nil
			}
			found = append(found, p)
			return nil
		})
		if err != nil {
			errs = append(errs, disk.Error(arg, err))
			continue
		}
		if len(found) == 0 {
			errs = append(errs, fmt.Errorf("%s: no notes here (looked for .md, .markdown, .txt and .org files)", arg))
			continue
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	return files, skipped, errs
}

// loadNotes reads every notes file under args. Files that fail are
// reported in errs; the rest are returned, so one bad file does not hide
// the cards of the others. What a folder held and was skipped is said.
func loadNotes(env *Env, args []string, opts notes.Options) ([]collection.Notes, []error) {
	paths, skipped, errs := expandPaths(args)
	warnSkipped(env, skipped)
	env.Progress.Start("reading notes", len(paths))
	defer env.Progress.Done()
	files, bad := collection.Load(disk.OS{}, paths, opts, func() { env.Progress.Add(1) })
	return files, append(errs, bad...)
}

// warnSkipped says which files of a folder were left out, and why.
func warnSkipped(env *Env, skipped []error) {
	for _, err := range skipped {
		fmt.Fprintf(env.Stderr, "recall: warning: %s; skipped\n", card.Printable(err.Error()))
	}
}

// printErrors reports per-file errors, one line each.
func printErrors(env *Env, errs []error) {
	for _, err := range errs {
		fmt.Fprintf(env.Stderr, "recall: %s\n", card.Printable(err.Error()))
	}
}
