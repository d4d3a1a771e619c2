package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestAddFiles(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	c := e.write(t, "colours.md", colours)
	k := e.write(t, "k8s.md", k8s)
	steps := []struct {
		args []string
		want string
	}{
		{[]string{"add", c, k}, "added 6 · updated 0 · unchanged 0 · orphaned 0 (2 files)\n"},
		{[]string{"add", c, k}, "added 0 · updated 0 · unchanged 6 · orphaned 0 (2 files)\n"},
		{[]string{"add", k}, "added 0 · updated 0 · unchanged 2 · orphaned 0 (1 file)\n"},
	}
	for _, s := range steps {
		if got := e.mustRun(t, s.args...); got != s.want {
			t.Errorf("recall %v = %q, want %q", s.args, got, s.want)
		}
		if e.errOut.Len() != 0 {
			t.Errorf("recall %v: stderr = %q, want nothing", s.args, e.errOut)
		}
	}
}

// A directory is walked for .md, .markdown, .txt and .org files; hidden
// folders and files and other extensions are skipped.
func TestAddDirectory(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.write(t, "notes/a.md", k8s)
	e.write(t, "notes/b.markdown", "# B\n\nWhat is b? :: b\n")
	e.write(t, "notes/sub/c.txt", "C * c1 * c2\n")
	e.write(t, "notes/sub/d.org", "* D\n\nWhat is d? :: d\n")
	e.write(t, "notes/.obsidian/e.md", "What is e? :: e\n")
	e.write(t, "notes/.f.md", "What is f? :: f\n")
	e.write(t, "notes/g.json", `{"What is g?": "g"}`)
	if got, want := e.mustRun(t, "add", e.path("notes")), "added 5 · updated 0 · unchanged 0 · orphaned 0 (4 files)\n"; got != want {
		t.Errorf("add DIR = %q, want %q", got, want)
	}
	var cards []cardObject
	if err := json.Unmarshal([]byte(e.mustRun(t, "cards", "--json")), &cards); err != nil {
		t.Fatal(err)
	}
	files := map[string]bool{}
	for _, c := range cards {
		files[strings.TrimPrefix(c.Source.File, e.dir+"/")] = true
	}
	var got []string
	for f := range files {
		got = append(got, f)
	}
	sort.Strings(got)
	want := "notes/a.md notes/b.markdown notes/sub/c.txt notes/sub/d.org"
	if strings.Join(got, " ") != want {
		t.Errorf("add DIR added cards from %v, want %s", got, want)
	}
}

func TestAddDeck(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	k := e.write(t, "k8s.md", k8s)
	e.mustRun(t, "add", "--deck", "Ops::K8s", k)
	// The file's title, no longer its deck, names no subdeck: subdecks
	// are the headings below the title, as in the Anki export, and these
	// notes have none.
	want := `[
  {
    "name": "Ops::K8s",
    "cards": 2,
    "new_per_day": 20,
    "new_per_day_from": "default",
    "reviews_per_day": 200,
    "reviews_per_day_from": "default",
    "subdecks": []
  }
]
`
	if got := e.mustRun(t, "decks", "--json"); got != want {
		t.Errorf("decks --json after add --deck:\n%s\nwant:\n%s", got, want)
	}
	// The deck is remembered: an edit synced later stays in it.
	e.write(t, "k8s.md", k8s+"\nWhat is a pod? :: containers\n")
	e.mustRun(t, "sync")
	if got := e.mustRun(t, "decks"); got != "Ops::K8s\t3\t20 (default)\t200 (default)\n" {
		t.Errorf("decks after sync = %q", got)
	}
}

// Bad input is reported file by file, and a collection is not even created.
func TestAddBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		files  map[string]string
		args   []string
		stderr []string
	}{
		{
			name:   "missing file",
			args:   []string{"missing.md"},
			stderr: []string{"recall: DIR/missing.md: no such file or directory"},
		},
		{
			name:   "binary file",
			files:  map[string]string{"image.md": "PNG\x00\x01\x02"},
			args:   []string{"image.md"},
			stderr: []string{"recall: DIR/image.md: line 1: binary data (a NUL byte), not notes"},
		},
		{
			name:   "folder without notes",
			files:  map[string]string{"empty/data.json": "{}"},
			args:   []string{"empty"},
			stderr: []string{"recall: DIR/empty: no notes here (looked for .md, .markdown, .txt and .org files)"},
		},
		{
			name:  "one line per bad file",
			files: map[string]string{"image.md": "\x00"},
			args:  []string{"missing.md", "image.md"},
			stderr: []string{
				"recall: DIR/missing.md: no such file or directory",
				"recall: DIR/image.md: line 1: binary data (a NUL byte), not notes",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			for name, content := range tt.files {
				e.write(t, name, content)
			}
			args := []string{"add"}
			for _, a := range tt.args {
				args = append(args, e.path(a))
			}
			if code := e.run(args...); code != exitFailure {
				t.Errorf("add %v = exit %d, want %d", tt.args, code, exitFailure)
			}
			want := strings.ReplaceAll(strings.Join(tt.stderr, "\n")+"\n", "DIR", e.dir)
			if e.errOut.String() != want {
				t.Errorf("add %v: stderr = %q, want %q", tt.args, e.errOut, want)
			}
			if e.out.Len() != 0 {
				t.Errorf("add %v: stdout = %q, want nothing", tt.args, e.out)
			}
			if e.dbExists() {
				t.Errorf("add %v created the collection", tt.args)
			}
		})
	}
}

// One bad input and nothing is added: good.md, bad.md (binary) and
// missing.md leave no collection behind, and the errors name each file.
func TestAddAllOrNothing(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	k := e.write(t, "good.md", k8s)
	bad := e.write(t, "bad.md", "\x00\x01\x02binary")
	if code := e.run("add", k, bad, e.path("missing.md")); code != exitFailure {
		t.Errorf("add good.md bad.md missing.md = exit %d, want %d", code, exitFailure)
	}
	if e.out.Len() != 0 {
		t.Errorf("stdout = %q, want nothing", e.out)
	}
	stderr := e.errOut.String()
	for _, want := range []string{
		"recall: " + e.path("missing.md") + ": no such file or directory\n",
		"recall: " + bad + ": ",
		"recall: nothing added: 2 of 3 inputs failed; fix them and add again\n",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("stderr = %q, want it to hold %q", stderr, want)
		}
	}
	if e.dbExists() {
		t.Fatal("a failed add created the collection")
	}
	// With a collection already there, it is left as it was.
	e.mustRun(t, "add", k)
	before := e.mustRun(t, "cards", "--json")
	other := e.write(t, "other.md", "# Other\n\n- a\n- b\n")
	if code := e.run("add", other, e.path("missing.md")); code != exitFailure {
		t.Errorf("add other.md missing.md = exit %d, want %d", code, exitFailure)
	}
	if got := e.mustRun(t, "cards", "--json"); got != before {
		t.Errorf("a failed add changed the collection:\n%s\nwant\n%s", got, before)
	}
}

// An empty file is added with a warning, not an error.
func TestAddEmptyFile(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	p := e.write(t, "empty.md", "")
	if got, want := e.mustRun(t, "add", p), "added 0 · updated 0 · unchanged 0 · orphaned 0 (1 file)\n"; got != want {
		t.Errorf("add empty.md = %q, want %q", got, want)
	}
	if got, want := e.errOut.String(), "recall: warning: "+p+": no cards (the file is empty)\n"; got != want {
		t.Errorf("add empty.md: stderr = %q, want %q", got, want)
	}
}

// add remembers files by absolute path, so a later sync finds them from
// anywhere.
func TestAddRemembersAbsolutePaths(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.write(t, "k8s.md", k8s)
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	rel, err := filepath.Rel(wd, e.path("k8s.md"))
	if err != nil {
		t.Fatal(err)
	}
	e.mustRun(t, "add", rel)
	var cards []cardObject
	if err := json.Unmarshal([]byte(e.mustRun(t, "cards", "--json")), &cards); err != nil {
		t.Fatal(err)
	}
	if len(cards) != 2 || cards[0].Source.File != e.path("k8s.md") {
		t.Errorf("add %s: cards %v, want 2 from %s", rel, cards, e.path("k8s.md"))
	}
}
