package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A media file is written whole in its place, left alone (not even
// touched) when the same content is there, and replaced when other
// content is; no temporary file stays behind.
func TestWriteMedia(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "media")
	path := filepath.Join(dir, "chart é.png")
	big := strings.Repeat("0123456789abcdef", 10000) // several blocks
	if err := writeMedia(path, strings.NewReader(big)); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != big {
		t.Fatalf("wrote %d bytes, want %d", len(b), len(big))
	}
	old := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := os.Chtimes(path, old, old); err != nil {
		t.Fatal(err)
	}
	if err := writeMedia(path, strings.NewReader(big)); err != nil {
		t.Fatal(err)
	}
	if info, _ := os.Stat(path); !info.ModTime().Equal(old) {
		t.Errorf("the same content was written again (modified %v)", info.ModTime())
	}
	other := big[:len(big)-1] + "X"
	if err := writeMedia(path, strings.NewReader(other)); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(path)
	if b, _ := os.ReadFile(path); string(b) != other || info.Mode().Perm() != 0o644 {
		t.Errorf("other content not written (mode %v)", info.Mode())
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("media folder holds %d files, want 1", len(entries))
	}
}
