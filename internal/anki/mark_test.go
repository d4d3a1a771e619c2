package anki

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

func TestReadMark(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	marked := filepath.Join(dir, "marked.apkg")
	exportTo(t, marked, Options{Mark: "0123abcd"}, basicItem("a1", "Q?", "A"))
	unmarked := filepath.Join(dir, "unmarked.apkg")
	exportTo(t, unmarked, Options{}, basicItem("a1", "Q?", "A"))

	var csv bytes.Buffer
	w := NewCSVWriter(&csv, CSVOptions{Mark: "feed 42\nbeef"})
	if err := w.Add(basicItem("a1", "Q?", "A")); err != nil {
		t.Fatal(err)
	}
	if _, err := w.Close(); err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, path, want string
	}{
		{"marked package", marked, "0123abcd"},
		{"package without a mark", unmarked, ""},
		{"csv, its mark made one line", write("marked.csv", csv.Bytes()), "feed 42 beef"},
		{"notes", write("notes.md", []byte("# recall export 0123abcd\n")), ""},
		{"comment lines but no mark", write("other.csv", []byte("#separator:tab\n#recall exported\n")), ""},
		{"zip magic, not a zip", write("fake.apkg", []byte("PK\x03\x04 and then nothing")), ""},
		{"empty", write("empty", nil), ""},
	}
	for _, tt := range tests {
		if got, err := ReadMark(tt.path); err != nil || got != tt.want {
			t.Errorf("%s: ReadMark = %q, %v; want %q", tt.name, got, err, tt.want)
		}
	}
	if _, err := ReadMark(filepath.Join(dir, "missing")); err == nil {
		t.Error("ReadMark(missing file) gave no error")
	}
}
