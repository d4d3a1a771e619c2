package review

import (
	"bytes"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestEditorRun runs editors as tea.Exec would and checks what a failure
// says: the status and the last line of stderr.
func TestEditorRun(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("needs sh")
	}
	tests := []struct {
		name   string
		script string
		want   string // "" for success
	}{
		{"success", "echo fine >&2", ""},
		{"status and stderr", "echo 'first line' >&2; printf 'E37: No write since last change\\n\\n' >&2; exit 3", "editor sh exited with status 3: E37: No write since last change"},
		{"no stderr", "exit 1", "editor sh exited with status 1"},
		{"controls in stderr", "printf 'progress 10%%\\rfailed: \\033[31mno such file\\033[0m\\n' >&2; exit 2", "editor sh exited with status 2: failed: no such file"},
		{"signal", "kill -9 $$", "editor sh stopped: signal: killed"},
		{"a forked child keeps stderr", "sleep 2 & exit 0", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var seen bytes.Buffer
			run := &editorRun{cmd: exec.Command("sh", "-c", tt.script), delay: 100 * time.Millisecond}
			run.SetStdin(strings.NewReader(""))
			run.SetStdout(io.Discard)
			run.SetStderr(&seen)
			start := time.Now()
			err := run.Run()
			if took := time.Since(start); took > time.Second {
				t.Errorf("Run took %v: it waited for the editor's child", took)
			}
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != tt.want {
				t.Errorf("Run() = %q, want %q", got, tt.want)
			}
			if tt.name == "status and stderr" && !strings.Contains(seen.String(), "first line\nE37") {
				t.Errorf("the editor's stderr did not reach the terminal: %q", seen.String())
			}
		})
	}
	run := &editorRun{cmd: exec.Command("no-such-editor-for-recall")}
	run.SetStderr(io.Discard)
	if err := run.Run(); err == nil || err.Error() != "editor no-such-editor-for-recall not found (set $VISUAL or $EDITOR)" {
		t.Errorf("Run(a missing editor) = %v", err)
	}
}
