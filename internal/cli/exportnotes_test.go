package cli

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/recall-cli/recall/internal/collection"
	"github.com/recall-cli/recall/internal/notes"
)

// wholePackage writes the Anki package of the notes under paths as the
// export did before it streamed: every file parsed whole first, then
// their cards written.
func wholePackage(t *testing.T, e *testEnv, out string, paths, decks []string) []byte {
	t.Helper()
	files, errs := loadNotes(e.Env, paths, notes.Options{})
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	src, err := collection.NotesCards(files, decks)
	if err != nil {
		t.Fatal(err)
	}
	opts := exportOptions{Anki: true, Output: out, Decks: decks, Paths: paths}
	total, err := exportable(context.Background(), src, opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := exportAnki(context.Background(), e.Env, src, opts, exportMark(opts), total); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// streamNotes are notes files whose cards stream in several ways: a big
// file of which a question at its end repeats one of its first part (the
// export starts again with it read whole), a big file whose repeats are
// all in its last part, a small file with an image and cards told apart,
// and a file of prose.
func streamNotes() map[string]string {
	var plain, early strings.Builder
	for i := range 6_000 {
		fmt.Fprintf(&plain, "## Section %d\n\nWhat is thing %d? :: answer %d\n\n", i, i, i)
		fmt.Fprintf(&early, "## Topic %d\n\n- **Term %d**: what term %d means\n\nWhat holds item %d? :: box %d\n\n", i, i, i, i, i)
	}
	tail := "## Tail\n\nWhy is the tail here? :: an answer\n\n## Tail again\n\nWhy is the tail here? :: another answer\n" +
		"\n## Remarks\n\n- **DP**: one remark\n- **DP**: another remark\n- **DP**: a third remark\n"
	return map[string]string{
		"a-early.md": "---\ndeck: Early\n---\n" + early.String() + "## Elsewhere\n\nWhat holds item 0? :: a crate\n",
		"b-late.md":  "# Late\n\n" + plain.String() + tail,
		"c-small.md": "# Small\n\n## One\n\nWhat is it? :: ![chart](chart.png) this\n\n## Two\n\nWhat is it? :: that\n",
		"d-prose.md": "# Prose\n\nNo card in here.\n",
		"chart.png":  "\x89PNG\r\n\x1a\nnot really a picture",
	}
}

// TestExportNotesStreams checks that an Anki export of notes, which
// parses them as it writes their cards, writes the package the export
// that parsed every file whole first wrote, byte for byte: of generated
// notes (see streamNotes), with and without --deck, and of the real notes
// of ../shared when they are there.
func TestExportNotesStreams(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	dir := e.path("notes")
	for name, text := range streamNotes() {
		e.write(t, filepath.Join("notes", name), text)
	}
	tests := []struct {
		name  string
		paths []string
		decks []string
	}{
		{"generated", []string{dir}, nil},
		{"one file", []string{filepath.Join(dir, "c-small.md")}, nil},
		{"decks", []string{dir}, []string{"late::section 7", "Small"}},
	}
	if real, err := filepath.Abs("../../../shared/notes"); err == nil {
		if _, err := os.Stat(real); err == nil {
			tests = append(tests, struct {
				name  string
				paths []string
				decks []string
			}{"shared notes", []string{real}, nil})
		}
	}
	for i, tt := range tests {
		want := wholePackage(t, e, e.path(fmt.Sprintf("whole-%d.apkg", i)), tt.paths, tt.decks)
		out := e.path(fmt.Sprintf("streamed-%d.apkg", i))
		args := append([]string{"export", "--anki", "-o", out}, tt.paths...)
		for _, d := range tt.decks {
			args = append(args, "--deck", d)
		}
		e.mustRun(t, args...)
		got, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s: the streamed package (%d bytes) differs from the one of notes parsed whole (%d bytes)", tt.name, len(got), len(want))
		}
		e.mustRun(t, append(args[:3:3], append([]string{"-"}, args[4:]...)...)...)
		if !bytes.Equal(e.out.Bytes(), want) {
			t.Errorf("%s: the package on standard output (%d bytes) differs from the one of notes parsed whole", tt.name, e.out.Len())
		}
	}
}

// TestExportNotesNames checks the default name of a package of notes,
// known once their cards are: the one deck that has cards, or
// recall.apkg. t.Chdir: not parallel.
func TestExportNotesNames(t *testing.T) {
	e := newTestEnv(t)
	t.Chdir(e.dir)
	small := e.write(t, "small.md", streamNotes()["c-small.md"])
	prose := e.write(t, "prose.md", streamNotes()["d-prose.md"])
	other := e.write(t, "other.md", "# Other\n\nWhat? :: this\n")
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{small, prose}, "Small.apkg"},
		{[]string{small, other}, "recall.apkg"},
		{[]string{other, "--deck", "other"}, "other.apkg"},
	} {
		got := e.mustRun(t, append([]string{"export", "--anki"}, tt.args...)...)
		if !strings.HasPrefix(got, "wrote "+tt.want+": ") || !isAPKG(t, tt.want) {
			t.Errorf("%v: stdout = %q, want it to write %s", tt.args, got, tt.want)
		}
	}
	left, _ := filepath.Glob(".*recall-export*")
	if len(left) > 0 {
		t.Errorf("the exports left %q", left)
	}
}
