package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"

	"mvdan.cc/sh/v3/shell"
)

// editorCommand builds the command that opens a notes file at a line in
// the person's editor: $VISUAL, then $EDITOR, then vi. The variable is
// split into words as a POSIX shell would (quotes, backslashes, $HOME and
// ~ expanded; no command substitution), as git and less run it through
// sh, so "code -w", "vim -u NONE" and "'/opt/My Editor/ed' --wait" all
// work. It returns nil for cards whose notes are not a file on disk (the
// shipped decks), and an error for a variable that cannot be split.
func editorCommand(env *Env) func(file string, line int) (*exec.Cmd, error) {
	name, editor := "VISUAL", env.Getenv("VISUAL")
	if editor == "" {
		name, editor = "EDITOR", env.Getenv("EDITOR")
	}
	if editor == "" {
		name, editor = "", "vi"
	}
	return func(file string, line int) (*exec.Cmd, error) {
		if _, err := os.Stat(file); err != nil {
			return nil, nil
		}
		args, err := shell.Fields(editor, env.Getenv)
		switch {
		case err != nil:
			return nil, fmt.Errorf("$%s %q: %w", name, editor, err)
		case len(args) == 0:
			return nil, fmt.Errorf("$%s %q names no command", name, editor)
		}
		args = append(args, lineArgs(args[0], file, line)...)
		return exec.Command(args[0], args[1:]...), nil
	}
}

// lineArgs are the arguments that open file at line in the editor named
// by program. +LINE is understood by vi, vim, nvim, emacs, nano, micro,
// kakoune and helix; VS Code and its kin want -g file:line, Sublime Text
// and Zed file:line.
func lineArgs(program, file string, line int) []string {
	base := strings.TrimSuffix(strings.ToLower(filepath.Base(program)), ".exe")
	at := file + ":" + strconv.Itoa(line)
	switch base {
	case "code", "code-insiders", "codium", "vscodium", "cursor", "windsurf":
		return []string{"-g", at}
	case "subl", "sublime_text", "zed", "zeditor":
		return []string{at}
	}
	return []string{"+" + strconv.Itoa(line), file}
}
