package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// TestReadme runs every recall command the README shows, in the order it
// shows them, in a fresh directory holding a copy of the repository's
// decks folder (what a clone has): each must succeed as written.
func TestReadme(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	cmds := readmeCommands(string(readme))
	// The README shows about twenty; finding few means the reading broke.
	if len(cmds) < 15 {
		t.Fatalf("found %d recall commands in the README, want 15 or more: %q", len(cmds), cmds)
	}
	var script strings.Builder
	for _, args := range cmds {
		if args[0] == "remove" {
			// remove asks on a terminal; the test has none, so it answers
			// as a script would.
			args = append(args, "--yes")
		}
		script.WriteString("exec recall")
		for _, a := range args {
			script.WriteString(" '" + strings.ReplaceAll(a, "'", "''") + "'")
		}
		script.WriteString("\n")
	}
	dir := t.TempDir()
	name := filepath.Join(dir, "readme.txtar")
	if err := os.WriteFile(name, []byte(script.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	decks, err := filepath.Glob("../../decks/*.md")
	if err != nil || len(decks) == 0 {
		t.Fatalf("no decks/*.md beside the README: %v", err)
	}
	testscript.Run(t, testscript.Params{
		Files: []string{name},
		Setup: func(e *testscript.Env) error {
			e.Setenv("RECALL_DB", e.WorkDir+"/collection.db")
			e.Setenv("RECALL_NOW", "2026-11-26T08:00:00Z")
			e.Setenv("XDG_DATA_HOME", e.WorkDir+"/.data")
			e.Setenv("TZ", "UTC")
			if err := os.Mkdir(filepath.Join(e.WorkDir, "decks"), 0o755); err != nil {
				return err
			}
			for _, d := range decks {
				data, err := os.ReadFile(d)
				if err != nil {
					return err
				}
				if err := os.WriteFile(filepath.Join(e.WorkDir, "decks", filepath.Base(d)), data, 0o644); err != nil {
					return err
				}
			}
			return nil
		},
		RequireExplicitExec: true,
	})
}

// readmeCommands are the arguments of each recall command in the sh
// blocks of a README, comments taken off: `recall ARGS` and `go run
// ./cmd/recall ARGS`.
func readmeCommands(readme string) [][]string {
	var out [][]string
	inSh := false
	for _, line := range strings.Split(readme, "\n") {
		switch trimmed := strings.TrimSpace(line); {
		case strings.HasPrefix(trimmed, "```"):
			inSh = !inSh && trimmed == "```sh"
		case inSh:
			words := shellWords(trimmed)
			switch {
			case len(words) > 1 && words[0] == "recall":
				out = append(out, words[1:])
			case len(words) > 3 && words[0] == "go" && words[1] == "run" && words[2] == "./cmd/recall":
				out = append(out, words[3:])
			}
		}
	}
	return out
}

// shellWords splits a command line as a POSIX shell would for the forms
// a README uses: words, 'single' and "double" quotes, and a # comment.
func shellWords(line string) []string {
	var words []string
	var word strings.Builder
	inWord := false
	var quote rune
	for _, r := range line {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			word.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
		case r == '#' && !inWord:
			return words
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, word.String())
	}
	return words
}

func TestShellWords(t *testing.T) {
	for line, want := range map[string]string{
		`recall add notes/ --deck "Conferences"   # a comment`: `recall|add|notes/|--deck|Conferences`,
		`recall remove 'QCon SF 2018'`:                         `recall|remove|QCon SF 2018`,
		`recall cards 'deck:"QCon SF 2018" -is:new'`:           `recall|cards|deck:"QCon SF 2018" -is:new`,
		`recall cards tag:k8s#x`:                               `recall|cards|tag:k8s#x`,
		`# only a comment`:                                     ``,
	} {
		if got := strings.Join(shellWords(line), "|"); got != want {
			t.Errorf("shellWords(%q) = %q, want %q", line, got, want)
		}
	}
}
