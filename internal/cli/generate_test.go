package cli

import (
	"os"
	"strings"
	"testing"
)

// sections gives a card under each of two headings.
const sections = "# Go\n\n## Channels\n\nWho closes a channel? :: the sender\n\n## Maps\n\nIs a nil map writable? :: no\n"

func TestGenerateFormats(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		notes    string
		args     []string
		color    bool
		want     string // the whole of stdout, DIR for the test directory
		contains string // or a part of it
	}{
		{
			name:  "text by default",
			notes: k8s,
			want: "K8s\n" +
				"  Q  What port does etcd serve clients on?\n" +
				"  A  2379\n" +
				"     (basic · b15b062ed275 · DIR/notes.md:3)\n" +
				"  Q  What does the kubelet do?\n" +
				"  A  runs pods\n" +
				"     (basic · 2eae42c2409e · DIR/notes.md:5)\n",
		},
		{
			name:  "text groups cards under their breadcrumbs",
			notes: sections,
			args:  []string{"--format", "text"},
			want: "Go › Channels\n" +
				"  Q  Who closes a channel?\n" +
				"  A  the sender\n" +
				"     (basic · f8555a16ebed · DIR/notes.md:5)\n" +
				"\n" +
				"Go › Maps\n" +
				"  Q  Is a nil map writable?\n" +
				"  A  no\n" +
				"     (basic · 24e8e2e03a2e · DIR/notes.md:9)\n",
		},
		{
			name:  "text indents multi-line answers",
			notes: colours,
			args:  []string{"-f", "text"},
			contains: "Colours\n" +
				"  Q  Primary — name the 3 items\n" +
				"  A  - Red\n" +
				"     - Yellow\n" +
				"     - Blue\n" +
				"     (list · f17daf6d89d9 · DIR/notes.md:5)\n",
		},
		{
			name:  "text in colour",
			notes: "# K8s\n\nWhat does the kubelet do? :: runs pods\n",
			color: true,
			want: "\x1b[1mK8s\x1b[0m\n" +
				"  \x1b[2mQ\x1b[0m  What does the kubelet do?\n" +
				"  \x1b[2mA\x1b[0m  runs pods\n" +
				"     \x1b[2m(basic · 2eae42c2409e · DIR/notes.md:3)\x1b[0m\n",
		},
		{
			name:  "json",
			notes: "# K8s\n\nWhat does the kubelet do? :: runs pods\n",
			args:  []string{"--format", "json"},
			want: `[
  {
    "id": "2eae42c2409e",
    "deck": "K8s",
    "kind": "basic",
    "front": "What does the kubelet do?",
    "back": "runs pods",
    "context": [
      "K8s"
    ],
    "tags": [],
    "source": {
      "file": "DIR/notes.md",
      "line": 3
    }
  }
]
`,
		},
		{
			name:     "json leaves HTML characters alone",
			notes:    "Is 2 < 3 && 3 > 2? :: yes\n",
			args:     []string{"-f", "json"},
			contains: `"front": "Is 2 < 3 && 3 > 2?",`,
		},
		{
			name:  "json without cards is an empty array",
			notes: "Just prose.\n",
			args:  []string{"-f", "json"},
			want:  "[]\n",
		},
		{
			name:  "tsv",
			notes: "---\ntags: [a, b]\n---\n# T\n\nQ1? :: tab\there <b>\n",
			args:  []string{"-f", "tsv"},
			want:  "#separator:tab\n#html:true\n#columns:Front\tBack\tTags\n#tags column:3\nQ1?\ttab here &lt;b&gt;\ta b\n",
		},
		{
			name:     "tsv turns newlines into <br>",
			notes:    colours,
			args:     []string{"-f", "tsv"},
			contains: "\nPrimary — name the 3 items\t- Red<br>- Yellow<br>- Blue\t\n",
		},
		{
			name:  "md",
			notes: k8s,
			args:  []string{"-f", "md"},
			want:  "---\ndeck: K8s\n---\n\n# K8s\n\nWhat port does etcd serve clients on? :: 2379\n\nWhat does the kubelet do? :: runs pods\n",
		},
		{
			name:     "--deck in md",
			notes:    k8s,
			args:     []string{"-f", "md", "--deck", "Ops::K8s"},
			contains: "---\ndeck: Ops::K8s\n---\n\n# Ops::K8s\n\n## K8s\n\n",
		},
		{
			name:     "--deck in json",
			notes:    k8s,
			args:     []string{"-f", "json", "--deck", "Ops"},
			contains: `"deck": "Ops",`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			e.Color = tt.color
			p := e.write(t, "notes.md", tt.notes)
			args := append([]string{"generate", p}, tt.args...)
			if code := e.run(args...); code != exitOK {
				t.Fatalf("generate %v = exit %d, stderr:\n%s", tt.args, code, e.errOut)
			}
			got := strings.ReplaceAll(e.out.String(), e.dir, "DIR")
			if tt.want != "" && got != tt.want {
				t.Errorf("generate %v:\n%s\nwant:\n%s", tt.args, got, tt.want)
			}
			if !strings.Contains(got, tt.contains) {
				t.Errorf("generate %v:\n%s\nwant it to contain:\n%s", tt.args, got, tt.contains)
			}
			if e.dbExists() {
				t.Errorf("generate %v created the collection", tt.args)
			}
		})
	}
}

func TestGenerateValidate(t *testing.T) {
	t.Parallel()
	for _, f := range []string{"text", "json", "tsv", "md"} {
		if err := (generateOptions{Format: f}).validate(); err != nil {
			t.Errorf("validate(--format %s) = %v, want nil", f, err)
		}
	}
	for _, f := range []string{"", "yaml", "JSON", "csv"} {
		err := generateOptions{Format: f}.validate()
		if _, ok := err.(usageError); !ok {
			t.Errorf("validate(--format %q) = %v, want a usage error", f, err)
		}
	}
}

func TestGenerateBadFormat(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	p := e.write(t, "notes.md", k8s)
	if code := e.run("generate", p, "--format", "yaml"); code != exitUsage {
		t.Errorf("generate --format yaml = exit %d, want %d", code, exitUsage)
	}
	if got, want := e.errOut.String(), "recall generate: --format \"yaml\": want text, json, tsv or md; see recall generate --help\n"; got != want {
		t.Errorf("generate --format yaml: stderr = %q, want %q", got, want)
	}
	if e.out.Len() != 0 {
		t.Errorf("generate --format yaml: stdout = %q, want nothing", e.out)
	}
}

// A file that cannot be read is named on stderr and fails the run, but the
// cards of the other files still print.
func TestGenerateMissingFile(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	good := e.write(t, "good.md", k8s)
	missing := e.path("missing.md")
	if code := e.run("generate", missing, good, "-f", "tsv"); code != exitFailure {
		t.Errorf("generate missing.md good.md = exit %d, want %d", code, exitFailure)
	}
	if got, want := e.errOut.String(), "recall: "+missing+": no such file or directory\n"; got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
	if !strings.Contains(e.out.String(), "What port does etcd serve clients on?\t2379\t\n") {
		t.Errorf("stdout lacks the good file's cards:\n%s", e.out)
	}

	// With -o, a file is written whole or not at all: the one there stays.
	out := e.write(t, "out.tsv", "before\n")
	if code := e.run("generate", missing, good, "-f", "tsv", "-o", out); code != exitFailure {
		t.Errorf("generate missing.md good.md -o out.tsv = exit %d, want %d", code, exitFailure)
	}
	if got, want := e.errOut.String(), "recall: "+missing+": no such file or directory\nrecall: "+out+" not written: 1 input failed\n"; got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
	if b, _ := os.ReadFile(out); string(b) != "before\n" {
		t.Errorf("out.tsv = %q, want it as it was", b)
	}

	// Only bad files: nothing on stdout at all.
	if code := e.run("generate", missing); code != exitFailure || e.out.Len() != 0 {
		t.Errorf("generate missing.md = exit %d, stdout %q; want 1 and nothing", code, e.out)
	}
}

func TestGenerateWarnsOnNoCards(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, notes, why string
	}{
		{"empty file", "", "the file is empty"},
		{"prose only", "Just a thought, nothing to learn.\n", "no lists, definitions or clozes found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			p := e.write(t, "notes.md", tt.notes)
			if code := e.run("generate", p); code != exitOK {
				t.Errorf("generate = exit %d, want 0", code)
			}
			if want := "recall: warning: " + p + ": no cards (" + tt.why + ")\n"; e.errOut.String() != want {
				t.Errorf("stderr = %q, want %q", e.errOut, want)
			}
			if e.out.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", e.out)
			}
		})
	}
}

func TestGenerateOutputFile(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	p := e.write(t, "notes.md", k8s)
	stdout := e.mustRun(t, "generate", p, "-f", "json")

	out := e.path("cards.json")
	if got := e.mustRun(t, "generate", p, "-f", "json", "-o", out); got != "" {
		t.Errorf("generate -o: stdout = %q, want nothing", got)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != stdout {
		t.Errorf("generate -o wrote:\n%s\nwant what stdout gets:\n%s", b, stdout)
	}
	info, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o644 {
		t.Errorf("generate -o: mode %v, want 0644", info.Mode().Perm())
	}

	// --output is -o.
	e.write(t, "notes.md", "# K8s\n\nWhat does the kubelet do? :: runs pods\n")
	e.mustRun(t, "generate", p, "--output", out, "-f", "md")
	if b, _ := os.ReadFile(out); !strings.HasPrefix(string(b), "---\ndeck: K8s\n") {
		t.Errorf("generate --output wrote %q", b)
	}
}

// A failed generate leaves the file at -o as it was, and no temporary file
// beside it.
func TestGenerateOutputFileUntouchedOnFailure(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	out := e.write(t, "out/cards.txt", "previous\n")
	tests := []struct {
		name string
		args []string
		code int
	}{
		{"no readable notes", []string{"generate", e.path("missing.md"), "-o", out}, exitFailure},
		{"bad format", []string{"generate", e.path("missing.md"), "-o", out, "-f", "yaml"}, exitUsage},
	}
	for _, tt := range tests {
		if code := e.run(tt.args...); code != tt.code {
			t.Errorf("%s: exit %d, want %d", tt.name, code, tt.code)
		}
		if b, _ := os.ReadFile(out); string(b) != "previous\n" {
			t.Errorf("%s: the file at -o is now %q", tt.name, b)
		}
	}

	// Renaming onto a directory fails after the write: the temporary file
	// goes away.
	dir := e.path("out/adir")
	if err := os.MkdirAll(dir+"/inside", 0o755); err != nil {
		t.Fatal(err)
	}
	good := e.write(t, "good.md", k8s)
	if code := e.run("generate", good, "-o", dir); code != exitFailure {
		t.Errorf("generate -o DIR = exit %d, want %d", code, exitFailure)
	}
	if !strings.HasPrefix(e.errOut.String(), "recall: "+dir+": ") {
		t.Errorf("generate -o DIR: stderr = %q, want it to name %s", e.errOut, dir)
	}
	entries, err := os.ReadDir(e.path("out"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, x := range entries {
		names = append(names, x.Name())
	}
	if strings.Join(names, " ") != "adir cards.txt" {
		t.Errorf("after failed writes the folder holds %v, want [adir cards.txt]", names)
	}
}

func TestExpandPaths(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	for _, name := range []string{
		"notes/b.md", "notes/a.markdown", "notes/sub/c.txt", "notes/sub/d.org", "notes/UPPER.MD",
		"notes/.hidden/skip.md", "notes/.obsidian/x.md", "notes/.dot.md", "notes/data.json", "notes/sub/img.png",
		"empty/.hidden/x.md", "one.json",
	} {
		e.write(t, name, "x\n")
	}
	d := e.dir + "/"
	tests := []struct {
		name string
		args []string
		want []string
		errs []string
	}{
		{
			name: "a directory is walked in order, hidden entries skipped",
			args: []string{d + "notes"},
			want: []string{d + "notes/UPPER.MD", d + "notes/a.markdown", d + "notes/b.md", d + "notes/sub/c.txt", d + "notes/sub/d.org"},
		},
		{
			name: "a file is taken whatever its extension",
			args: []string{d + "one.json", d + "notes/b.md"},
			want: []string{d + "one.json", d + "notes/b.md"},
		},
		{
			name: "a hidden directory named outright is walked",
			args: []string{d + "notes/.hidden"},
			want: []string{d + "notes/.hidden/skip.md"},
		},
		{
			name: "a directory without notes",
			args: []string{d + "empty"},
			errs: []string{d + "empty: no notes here (looked for .md, .markdown, .txt and .org files)"},
		},
		{
			name: "a missing path among good ones",
			args: []string{d + "missing", d + "notes/b.md"},
			want: []string{d + "notes/b.md"},
			errs: []string{d + "missing: no such file or directory"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, _, errs := expandPaths(tt.args)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("expandPaths(%v) = %v, want %v", tt.args, got, tt.want)
			}
			var msgs []string
			for _, err := range errs {
				msgs = append(msgs, err.Error())
			}
			if strings.Join(msgs, "\n") != strings.Join(tt.errs, "\n") {
				t.Errorf("expandPaths(%v) errors = %q, want %q", tt.args, msgs, tt.errs)
			}
		})
	}
}
