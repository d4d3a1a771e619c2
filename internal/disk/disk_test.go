package disk

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestWriteAtomic(t *testing.T) {
	t.Parallel()
	boom := errors.New("boom")
	tests := []struct {
		name    string
		before  string // content at path before; "" for none
		write   func(io.Writer) error
		want    string // content at path after
		wantErr error
	}{
		{"new file", "", func(w io.Writer) error { _, err := io.WriteString(w, "cards\n"); return err }, "cards\n", nil},
		{"replaces", "old\n", func(w io.Writer) error { _, err := io.WriteString(w, "new\n"); return err }, "new\n", nil},
		{"failure keeps the old file", "old\n", func(w io.Writer) error {
			io.WriteString(w, "half")
			return boom
		}, "old\n", boom},
		{"failure leaves no file", "", func(io.Writer) error { return boom }, "", boom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			path := filepath.Join(dir, "out.apkg")
			if tt.before != "" {
				if err := os.WriteFile(path, []byte(tt.before), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			err := WriteAtomic(path, tt.write)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("WriteAtomic: %v, want %v", err, tt.wantErr)
			}
			got, rerr := os.ReadFile(path)
			if tt.want == "" {
				if !errors.Is(rerr, fs.ErrNotExist) {
					t.Errorf("a file was left at %s: %q", path, got)
				}
			} else if string(got) != tt.want {
				t.Errorf("content = %q, want %q", got, tt.want)
			}
			entries, _ := os.ReadDir(dir)
			if len(entries) > 1 || len(entries) == 1 && entries[0].Name() != "out.apkg" {
				t.Errorf("temporary files left: %v", entries)
			}
			if err == nil {
				info, err := os.Stat(path)
				if err != nil || info.Mode().Perm() != Perm {
					t.Errorf("mode = %v (%v), want %v", info.Mode().Perm(), err, Perm)
				}
			}
		})
	}
}

func TestWriteAtomicNoDir(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "missing", "out.csv")
	err := WriteAtomic(path, func(io.Writer) error { t.Error("write called"); return nil })
	var pe *PathError
	if !errors.As(err, &pe) || pe.Path != path || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("WriteAtomic = %v, want a PathError for %s wrapping fs.ErrNotExist", err, path)
	}
	if want := path + ": cannot write (no such file or directory)"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
}

// TestWriteAtomicUnwritableNamesThePath: whatever stops the write, the
// error names the file asked for, never the temporary one standing for it.
func TestWriteAtomicUnwritableNamesThePath(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	if err := os.WriteFile(file, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	readOnly := filepath.Join(dir, "ro")
	if err := os.Mkdir(readOnly, 0o555); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, want string
		root             bool // root writes into a read-only folder all the same
	}{
		{"under a file", filepath.Join(file, "x.apkg"), "cannot write (not a directory)", true},
		{"read-only folder", filepath.Join(readOnly, "x.apkg"), "cannot write (permission denied)", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !tt.root && os.Geteuid() == 0 {
				t.Skip("root writes into read-only folders; the gauntlet runs this as nobody")
			}
			err := WriteAtomic(tt.path, func(io.Writer) error { return nil })
			if want := tt.path + ": " + tt.want; err == nil || err.Error() != want {
				t.Errorf("WriteAtomic(%s) = %v, want %q", tt.path, err, want)
			}
		})
	}
}

// TestWriteAtomicWriteFailureNamesThePath: a failure of the temporary
// file or the scratch directory while write runs (a full disk) names path.
func TestWriteAtomicWriteFailureNamesThePath(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "out.apkg")
	err := WriteAtomicScratch(path, func(w io.Writer, scratch string) error {
		// What a full disk gives the writer of a file in the scratch
		// directory.
		return fmt.Errorf("export: %w", &fs.PathError{Op: "write", Path: filepath.Join(scratch, "collection.anki2"), Err: syscall.ENOSPC})
	})
	if want := path + ": cannot write (no space left on device)"; err == nil || err.Error() != want {
		t.Errorf("WriteAtomicScratch = %v, want %q", err, want)
	}
	if strings.Contains(fmt.Sprint(err), "recall-tmp") {
		t.Errorf("the error names the temporary file: %v", err)
	}
}

func TestOS(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "talk.md")
	if err := os.WriteFile(path, []byte("- a\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	data, err := (OS{}).ReadFile(path)
	if err != nil || string(data) != "- a\n" {
		t.Errorf("ReadFile = %q, %v", data, err)
	}
	if (OS{}).ModTime(path).IsZero() {
		t.Error("ModTime of a file is zero")
	}
	missing := filepath.Join(dir, "gone.md")
	if !(OS{}).ModTime(missing).IsZero() {
		t.Error("ModTime of a missing file is not zero")
	}
	_, err = (OS{}).ReadFile(missing)
	if !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), missing+": ") {
		t.Errorf("ReadFile(missing) = %v", err)
	}
	if err := Error("x", Error("y", fs.ErrPermission)); err.Error() != "y: permission denied" {
		t.Errorf("Error re-wrapped a PathError: %v", err)
	}
}

// TestWriteAtomicLeftovers: what a killed run left beside path (its
// temporary file and scratch directory, or an older recall's randomly
// named temporary file) is gone after the next write of path, and the
// scratch directory a writer used is gone too.
func TestWriteAtomicLeftovers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "out.apkg")
	for name, data := range map[string]string{
		".out.apkg.recall-tmp":       "half a package",
		".out.apkg.recall-tmp.d/col": "half a collection",
		".out.apkg.2718281828.tmp":   "an older recall's",
		".other.apkg.2718281828.tmp": "another file's: kept",
		".out.apkg.notdigits.tmp":    "not recall's: kept",
		"unrelated.txt":              "kept",
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var scratchSeen string
	err := WriteAtomicScratch(path, func(w io.Writer, scratch string) error {
		scratchSeen = scratch
		entries, err := os.ReadDir(scratch)
		if err != nil || len(entries) != 0 {
			t.Errorf("scratch %s holds %v (%v); want it empty", scratch, entries, err)
		}
		if err := os.WriteFile(filepath.Join(scratch, "collection.anki2"), []byte("x"), 0o644); err != nil {
			return err
		}
		_, err = io.WriteString(w, "whole package")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(path); string(got) != "whole package" {
		t.Errorf("%s = %q", path, got)
	}
	var names []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	want := []string{".other.apkg.2718281828.tmp", ".out.apkg.notdigits.tmp", "out.apkg", "unrelated.txt"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("after the write the folder holds %v, want %v", names, want)
	}
	if _, err := os.Stat(scratchSeen); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("scratch %s is still there", scratchSeen)
	}
}

// TestWriteAtomicRefuses: a directory, a read-only file, and a path
// another run is writing are refused, with what was there untouched; a
// device is written straight.
func TestWriteAtomicRefuses(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	readOnly := filepath.Join(dir, "ro.csv")
	if err := os.WriteFile(readOnly, []byte("mine"), 0o444); err != nil {
		t.Fatal(err)
	}
	busy := filepath.Join(dir, "busy.csv")
	held, err := os.OpenFile(filepath.Join(dir, ".busy.csv.recall-tmp"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Close()
	if err := lock(held); err != nil {
		t.Fatal(err)
	}
	write := func(w io.Writer) error { _, err := io.WriteString(w, "new"); return err }
	for _, tt := range []struct{ path, want string }{
		{dir, dir + ": is a directory; name a file to write"},
		{readOnly, readOnly + ": is read-only; recall will not replace it"},
		{busy, busy + ": another recall is writing it"},
	} {
		err := WriteAtomic(tt.path, write)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("WriteAtomic(%s) = %v, want %q", tt.path, err, tt.want)
		}
	}
	if got, _ := os.ReadFile(readOnly); string(got) != "mine" {
		t.Errorf("the read-only file now holds %q", got)
	}
	if _, err := os.Stat(busy); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a refused write made %s", busy)
	}
	if err := WriteAtomic(os.DevNull, write); err != nil {
		t.Errorf("WriteAtomic(%s) = %v, want it written straight", os.DevNull, err)
	}
}

// Scratch gives each concurrent run a folder of its own, clears what a
// killed run left in one, and leaves nothing once released.
func TestScratch(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	db := filepath.Join(dir, "collection.db")
	// A killed run's leftovers, with no lock held.
	left := filepath.Join(dir, ".collection.db.recall-scratch.d")
	if err := os.MkdirAll(left, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(left, "junk.anki2"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	a, releaseA, err := Scratch(db)
	if err != nil {
		t.Fatal(err)
	}
	if a != left {
		t.Errorf("first scratch %s, want %s", a, left)
	}
	if entries, _ := os.ReadDir(a); len(entries) != 0 {
		t.Errorf("the leftovers of a killed run are still there: %v", entries)
	}
	b, releaseB, err := Scratch(db)
	if err != nil || b == a {
		t.Fatalf("second scratch %s, %v; want another folder than %s", b, err, a)
	}
	releaseA()
	releaseB()
	if rest, _ := os.ReadDir(dir); len(rest) != 0 {
		t.Errorf("after release: %v, want nothing", rest)
	}
}
