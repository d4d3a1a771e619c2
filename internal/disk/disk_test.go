package disk

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
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
	if want := path + ": no such file or directory"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
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
