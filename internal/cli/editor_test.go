package cli

import (
	"os"
	"strings"
	"testing"
)

func TestEditorCommand(t *testing.T) {
	t.Parallel()
	notes := t.TempDir() + "/notes.md"
	if err := os.WriteFile(notes, []byte(k8s), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		vars map[string]string
		want []string
	}{
		{"VISUAL first", map[string]string{"VISUAL": "nvim", "EDITOR": "nano"}, []string{"nvim", "+12", notes}},
		{"then EDITOR", map[string]string{"EDITOR": "emacs -nw"}, []string{"emacs", "-nw", "+12", notes}},
		{"then vi", nil, []string{"vi", "+12", notes}},
		{"arguments", map[string]string{"EDITOR": "vim -u NONE"}, []string{"vim", "-u", "NONE", "+12", notes}},
		{"quoted path", map[string]string{"EDITOR": `'/opt/My Editor/ed' --wait "a b" c\ d`}, []string{"/opt/My Editor/ed", "--wait", "a b", "c d", "+12", notes}},
		{"variables", map[string]string{"EDITOR": "~/bin/ed $FLAGS", "HOME": "/home/ann", "FLAGS": "-x"}, []string{"/home/ann/bin/ed", "-x", "+12", notes}},
		{"VS Code", map[string]string{"EDITOR": "code -w"}, []string{"code", "-w", "-g", notes + ":12"}},
		{"Sublime Text", map[string]string{"VISUAL": "/usr/local/bin/subl -w"}, []string{"/usr/local/bin/subl", "-w", notes + ":12"}},
	}
	for _, tt := range tests {
		env := &Env{Getenv: func(k string) string { return tt.vars[k] }}
		cmd, err := editorCommand(env)(notes, 12)
		if cmd == nil || err != nil {
			t.Errorf("%s: editorCommand = %v, %v", tt.name, cmd, err)
			continue
		}
		if strings.Join(cmd.Args, "|") != strings.Join(tt.want, "|") {
			t.Errorf("%s: editorCommand = %q, want %q", tt.name, cmd.Args, tt.want)
		}
	}
	// The shipped decks are not files to edit.
	env := &Env{Getenv: func(string) string { return "" }}
	if cmd, err := editorCommand(env)("recall:decks/qcon-sf-2018.md", 3); cmd != nil || err != nil {
		t.Errorf("editorCommand(a shipped deck) = %v, %v, want nil, nil", cmd, err)
	}
	// A variable that is not shell words says which and why.
	for _, bad := range []string{`vim "unclosed`, "  "} {
		env := &Env{Getenv: func(k string) string {
			if k == "EDITOR" {
				return bad
			}
			return ""
		}}
		if _, err := editorCommand(env)(notes, 3); err == nil || !strings.Contains(err.Error(), "$EDITOR") {
			t.Errorf("editorCommand(EDITOR=%q) error = %v, want one naming $EDITOR", bad, err)
		}
	}
}
