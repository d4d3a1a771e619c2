package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"testing"
)

func TestExportValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts exportOptions
		want string // the error, "" for none
	}{
		{"anki", exportOptions{Anki: true}, ""},
		{"csv", exportOptions{CSV: true}, ""},
		{"json of notes", exportOptions{JSON: true, Paths: []string{"a.md"}}, ""},
		{"anki with progress", exportOptions{Anki: true, WithProgress: true}, ""},
		{"anki and csv", exportOptions{Anki: true, CSV: true}, "choose one of --anki, --csv and --json"},
		{"csv and json", exportOptions{CSV: true, JSON: true}, "choose one of --anki, --csv and --json"},
		{"all three", exportOptions{Anki: true, CSV: true, JSON: true}, "choose one of --anki, --csv and --json"},
		{"progress with csv", exportOptions{CSV: true, WithProgress: true}, "--with-progress goes with --anki"},
		{"progress with json", exportOptions{JSON: true, WithProgress: true}, "--with-progress goes with --anki"},
		{"progress of notes", exportOptions{Anki: true, WithProgress: true, Paths: []string{"a.md"}}, "--with-progress exports a collection's schedules; notes files have none"},
	}
	for _, tt := range tests {
		err := tt.opts.validate()
		if tt.want == "" {
			if err != nil {
				t.Errorf("%s: validate = %v, want nil", tt.name, err)
			}
			continue
		}
		if _, ok := err.(usageError); !ok || err.Error() != tt.want {
			t.Errorf("%s: validate = %v, want usage error %q", tt.name, err, tt.want)
		}
	}
}

// Usage errors write nothing and open no collection.
func TestExportUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args   []string
		stderr string
	}{
		{[]string{"--csv", "--json"}, "recall export: choose one of --anki, --csv and --json; see recall export --help\n"},
		{[]string{"--anki", "--csv"}, "recall export: choose one of --anki, --csv and --json; see recall export --help\n"},
		{[]string{"--anki", "--json"}, "recall export: choose one of --anki, --csv and --json; see recall export --help\n"},
		{[]string{"--with-progress", "--csv"}, "recall export: --with-progress goes with --anki; see recall export --help\n"},
		{[]string{"--with-progress", "--json"}, "recall export: --with-progress goes with --anki; see recall export --help\n"},
		{[]string{"--with-progress", "NOTES"}, "recall export: --with-progress exports a collection's schedules; notes files have none; see recall export --help\n"},
		{[]string{"--anki", "--with-progress", "NOTES"}, "recall export: --with-progress exports a collection's schedules; notes files have none; see recall export --help\n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			notes := e.write(t, "k8s.md", k8s)
			out := e.path("out.apkg")
			args := []string{"export", "-o", out}
			for _, a := range tt.args {
				args = append(args, strings.ReplaceAll(a, "NOTES", notes))
			}
			if code := e.run(args...); code != exitUsage {
				t.Errorf("export %v = exit %d, want %d", tt.args, code, exitUsage)
			}
			if e.errOut.String() != tt.stderr || e.out.Len() != 0 {
				t.Errorf("export %v: stdout %q, stderr %q; want nothing and %q", tt.args, e.out, e.errOut, tt.stderr)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("export %v wrote %s", tt.args, out)
			}
			if e.dbExists() {
				t.Errorf("export %v opened the collection", tt.args)
			}
		})
	}
}

// isAPKG says whether the file at path is a zip archive, as an .apkg is.
func isAPKG(t *testing.T, path string) bool {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("%s: %v", path, err)
		return false
	}
	return bytes.HasPrefix(b, []byte("PK\x03\x04"))
}

func TestExportAnki(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		args    []string
		cards   string
		stderr  string
		suspend bool
	}{
		{name: "--anki", args: []string{"--anki"}, cards: "6 cards"},
		{name: "anki is the default", cards: "6 cards"},
		{name: "--deck", args: []string{"--deck", "K8s"}, cards: "2 cards"},
		{name: "--deck twice", args: []string{"--deck", "K8s", "--deck", "Colours"}, cards: "6 cards"},
		{name: "one card", args: []string{"--deck", "K8s"}, suspend: true, cards: "1 card"},
		{name: "suspended cards left out", suspend: true, cards: "5 cards"},
		{name: "--include-suspended", args: []string{"--include-suspended"}, suspend: true, cards: "6 cards"},
		{
			name:   "--with-progress",
			args:   []string{"--with-progress"},
			cards:  "6 cards",
			stderr: "recall: in Anki, tick \"Import any learning progress\" when you import, or the cards arrive as new\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newCollection(t)
			if tt.suspend {
				e.Stdin = strings.NewReader("s\n")
				e.mustRun(t, "review", "--deck", "K8s", "--limit", "0")
			}
			out := e.path("out.apkg")
			e.mustRun(t, append([]string{"export", "-o", out}, tt.args...)...)
			line := regexp.MustCompile(`^wrote ` + regexp.QuoteMeta(out) + `: ` + tt.cards + `, [0-9.]+ KB\n$`)
			if !line.MatchString(e.out.String()) {
				t.Errorf("export %v: stdout = %q, want %s", tt.args, e.out, line)
			}
			if e.errOut.String() != tt.stderr {
				t.Errorf("export %v: stderr = %q, want %q", tt.args, e.errOut, tt.stderr)
			}
			if !isAPKG(t, out) {
				t.Errorf("export %v: %s is not a zip archive", tt.args, out)
			}
		})
	}
}

func TestExportCSVAndJSON(t *testing.T) {
	t.Parallel()
	e := newCollection(t)
	csvOut := e.mustRun(t, "export", "--csv", "--deck", "K8s")
	want := "#separator:tab\n#html:true\n#guid column:1\n#notetype column:2\n#deck column:3\n#tags column:7\n" +
		"recall-2eae42c2409e\trecall Basic\tK8s\tWhat does the kubelet do?\truns pods\tK8s\t\n" +
		"recall-b15b062ed275\trecall Basic\tK8s\tWhat port does etcd serve clients on?\t2379\tK8s\t\n"
	if csvOut != want {
		t.Errorf("export --csv --deck K8s:\n%s\nwant:\n%s", csvOut, want)
	}

	var cards []cardObject
	if err := json.Unmarshal([]byte(e.mustRun(t, "export", "--json")), &cards); err != nil {
		t.Fatalf("export --json: %v\n%s", err, e.out)
	}
	if len(cards) != 6 {
		t.Fatalf("export --json gave %d cards, want 6", len(cards))
	}
	for _, c := range cards {
		if c.Schedule == nil || c.Status == "" {
			t.Errorf("export --json: card %s without status or schedule", c.ID)
		}
		if c.ID == "b15b062ed275" && (c.Status != "review" || c.Schedule.Due == nil || *c.Schedule.Due != "2026-03-03" || c.Schedule.Reps != 1) {
			t.Errorf("export --json: etcd card = %+v, schedule %+v", c, c.Schedule)
		}
	}

	// -o writes what stdout would get (a CSV file also has recall's mark
	// among its headers), and nothing goes to stdout.
	mark := regexp.MustCompile(`(?m)^#recall export [0-9a-f]+\n`)
	for _, f := range []string{"--csv", "--json"} {
		stdout := e.mustRun(t, "export", f)
		out := e.path("out" + f)
		if got := e.mustRun(t, "export", f, "-o", out); got != "" {
			t.Errorf("export %s -o: stdout = %q, want nothing", f, got)
		}
		b, _ := os.ReadFile(out)
		if f == "--csv" && !mark.Match(b) {
			t.Errorf("export %s -o wrote no mark:\n%s", f, b)
		}
		if got := mark.ReplaceAllString(string(b), ""); got != stdout {
			t.Errorf("export %s -o wrote:\n%s\nwant:\n%s", f, got, stdout)
		}
	}
}

// JSON leaves suspended cards out unless asked, and an export of nothing is
// an empty array.
func TestExportJSONSuspended(t *testing.T) {
	t.Parallel()
	e := withK8s(t)
	e.Stdin = strings.NewReader("s\n")
	e.mustRun(t, "review", "--new", "1")
	ids := func(args ...string) string {
		var cards []cardObject
		if err := json.Unmarshal([]byte(e.mustRun(t, append([]string{"export", "--json"}, args...)...)), &cards); err != nil {
			t.Fatalf("export --json %v: %v\n%s", args, err, e.out)
		}
		var s []string
		for _, c := range cards {
			s = append(s, c.ID+":"+string(c.Status))
		}
		return strings.Join(s, " ")
	}
	if got, want := ids(), "2eae42c2409e:new"; got != want {
		t.Errorf("export --json = %s, want %s", got, want)
	}
	if got, want := ids("--include-suspended"), "2eae42c2409e:new b15b062ed275:suspended"; got != want {
		t.Errorf("export --json --include-suspended = %s, want %s", got, want)
	}

	empty := newTestEnv(t)
	if got := empty.mustRun(t, "export", "--json"); got != "[]\n" {
		t.Errorf("export --json of an empty collection = %q, want %q", got, "[]\n")
	}
}

// An unknown deck fails every format, with the hint, and writes nothing.
func TestExportUnknownDeck(t *testing.T) {
	t.Parallel()
	for _, f := range []string{"--anki", "--csv", "--json"} {
		t.Run(f, func(t *testing.T) {
			t.Parallel()
			e := newCollection(t)
			out := e.write(t, "out", "previous\n")
			if code := e.run("export", f, "--deck", "K8s", "--deck", "Nope", "-o", out); code != exitFailure {
				t.Errorf("export %s --deck Nope = exit %d, want %d", f, code, exitFailure)
			}
			if got, want := e.errOut.String(), "recall: no deck \"Nope\"\nhint: 'recall decks' lists them\n"; got != want {
				t.Errorf("export %s --deck Nope: stderr = %q, want %q", f, got, want)
			}
			if b, _ := os.ReadFile(out); string(b) != "previous\n" {
				t.Errorf("export %s --deck Nope: -o file is now %q", f, b)
			}
			if e.out.Len() != 0 {
				t.Errorf("export %s --deck Nope: stdout = %q", f, e.out)
			}
		})
	}
}

// Notes files export straight, without a collection.
func TestExportNotes(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	notes := e.write(t, "k8s.md", k8s)
	out := e.path("k8s.apkg")
	e.mustRun(t, "export", notes, "-o", out)
	if want := regexp.MustCompile(`^wrote ` + regexp.QuoteMeta(out) + `: 2 cards, [0-9.]+ KB\n$`); !want.MatchString(e.out.String()) {
		t.Errorf("export NOTES -o: stdout = %q, want %s", e.out, want)
	}
	if !isAPKG(t, out) {
		t.Errorf("export NOTES -o: %s is not a zip archive", out)
	}

	var cards []cardObject
	if err := json.Unmarshal([]byte(e.mustRun(t, "export", "--json", notes)), &cards); err != nil {
		t.Fatal(err)
	}
	if len(cards) != 2 || cards[0].Status != "new" || cards[0].Schedule == nil || cards[0].Schedule.Due != nil {
		t.Errorf("export --json NOTES = %+v, want 2 new cards", cards)
	}
	if got := e.mustRun(t, "export", "--csv", notes, "--deck", "K8s"); strings.Count(got, "\trecall Basic\tK8s\t") != 2 {
		t.Errorf("export --csv NOTES --deck K8s:\n%s", got)
	}
	if e.dbExists() {
		t.Error("export of notes files created the collection")
	}
}

// A notes file that cannot be read stops the whole export: no half deck.
func TestExportNotesMissingFile(t *testing.T) {
	t.Parallel()
	for _, f := range []string{"--anki", "--csv", "--json"} {
		t.Run(f, func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			notes := e.write(t, "k8s.md", k8s)
			missing := e.path("missing.md")
			out := e.path("out")
			if code := e.run("export", f, notes, missing, "-o", out); code != exitFailure {
				t.Errorf("export %s with a missing file = exit %d, want %d", f, code, exitFailure)
			}
			if got, want := e.errOut.String(), "recall: "+missing+": no such file or directory\n"; got != want {
				t.Errorf("stderr = %q, want %q", got, want)
			}
			if e.out.Len() != 0 {
				t.Errorf("stdout = %q, want nothing", e.out)
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("export %s with a missing file wrote %s", f, out)
			}
			if e.dbExists() {
				t.Error("export of notes files created the collection")
			}
		})
	}
}

// Without -o the package is named after its one deck, else recall.apkg,
// in the working directory. t.Chdir: not parallel.
func TestExportDefaultPath(t *testing.T) {
	e := newCollection(t)
	t.Chdir(e.dir)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"export", "--deck", "K8s"}, "K8s.apkg"},
		{[]string{"export"}, "recall.apkg"},
		// recall.apkg holds the export before, of other arguments.
		{[]string{"export", "--anki", "--deck", "K8s", "--deck", "Colours", "--force"}, "recall.apkg"},
		{[]string{"export", e.write(t, "talk.md", "---\ndeck: DevConf: 2026/Day 1\n---\nWhat? :: this\n")}, "DevConf- 2026-Day 1.apkg"},
	}
	for _, tt := range tests {
		got := e.mustRun(t, tt.args...)
		if !strings.HasPrefix(got, "wrote "+tt.want+": ") {
			t.Errorf("%v: stdout = %q, want it to name %s", tt.args, got, tt.want)
		}
		if !isAPKG(t, tt.want) {
			t.Errorf("%v: %s is not a zip archive", tt.args, tt.want)
		}
	}
}

func TestFileName(t *testing.T) {
	t.Parallel()
	tests := []struct{ deck, want string }{
		{"K8s", "K8s"},
		{"QCon SF 2018::Containers", "QCon SF 2018--Containers"},
		{`a/b\c*d|e`, "a-b-c-d-e"},
		{`"what?" <x>`, "what x"},
		{"  padded  ", "padded"},
		{"", "recall"},
		{"?", "recall"},
		{".", "recall"},
		{"..", "recall"},
	}
	for _, tt := range tests {
		if got := fileName(tt.deck); got != tt.want {
			t.Errorf("fileName(%q) = %q, want %q", tt.deck, got, tt.want)
		}
	}
}
