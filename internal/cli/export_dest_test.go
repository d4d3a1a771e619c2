package cli

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/recall-cli/recall/internal/anki"
)

// A package of suspended cards only would import as nothing: the export
// says so, with the flag that takes them, and writes no file.
func TestExportEverySuspended(t *testing.T) {
	t.Parallel()
	e := withK8s(t)
	e.Stdin = strings.NewReader("s\ns\n")
	e.mustRun(t, "review", "--new", "2")
	out := e.path("k8s.apkg")
	if code := e.run("export", "--anki", "-o", out); code != exitFailure {
		t.Errorf("export of suspended cards = exit %d, want %d", code, exitFailure)
	}
	want := "recall: nothing to export: every card is suspended (2)\nhint: --include-suspended exports them\n"
	if got := e.errOut.String(); got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("%s was written", out)
	}
	e.mustRun(t, "export", "--anki", "--include-suspended", "-o", out)
}

// -o - puts the package on stdout, marked like a file, and prints no
// summary there; onto a terminal it is refused.
func TestExportAnkiToStdout(t *testing.T) {
	t.Parallel()
	e := withK8s(t)
	e.mustRun(t, "export", "--anki", "-o", "-")
	if !bytes.HasPrefix(e.out.Bytes(), []byte("PK\x03\x04")) {
		t.Fatalf("stdout starts %q, want a zip archive", e.out.Bytes()[:min(20, e.out.Len())])
	}
	p := e.path("piped.apkg")
	if err := os.WriteFile(p, e.out.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if mark, err := anki.ReadMark(p); err != nil || mark != exportMark(exportOptions{Anki: true}) {
		t.Errorf("ReadMark(piped) = %q, %v; want the mark of export --anki", mark, err)
	}
	// The piped package may then be replaced by the same export to a file.
	e.mustRun(t, "export", "--anki", "-o", p)

	e.StdoutTTY = true
	if code := e.run("export", "--anki", "-o", "-"); code != exitUsage {
		t.Errorf("export -o - onto a terminal = exit %d, want %d", code, exitUsage)
	}
	if e.out.Len() != 0 || !strings.Contains(e.errOut.String(), "redirect it") {
		t.Errorf("export -o - onto a terminal: stdout %q, stderr %q", e.out, e.errOut)
	}
}

func TestExportMark(t *testing.T) {
	t.Parallel()
	base := exportOptions{Anki: true, Decks: []string{"Go", "K8s"}}
	same := []exportOptions{
		{Anki: true, Decks: []string{"k8s", "GO"}},
		{Anki: true, Decks: []string{"Go", "K8s", "go"}},
		{Anki: true, Decks: []string{"Go", "K8s"}, Output: "elsewhere.apkg", Force: true},
	}
	other := []exportOptions{
		{Anki: true, Decks: []string{"Go"}},
		{CSV: true, Decks: []string{"Go", "K8s"}},
		{Anki: true, Decks: []string{"Go", "K8s"}, WithProgress: true},
		{Anki: true, Decks: []string{"Go", "K8s"}, IncludeSuspended: true},
		{Anki: true, Decks: []string{"Go", "K8s"}, Paths: []string{"notes.md"}},
	}
	for _, o := range same {
		if exportMark(o) != exportMark(base) {
			t.Errorf("exportMark(%+v) differs from exportMark(%+v)", o, base)
		}
	}
	for _, o := range other {
		if exportMark(o) == exportMark(base) {
			t.Errorf("exportMark(%+v) = exportMark(%+v)", o, base)
		}
	}
}
