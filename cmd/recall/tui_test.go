package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// tmuxSession drives recall in a real terminal: tmux runs it in an 80×24
// pane, send-keys types as a person would and capture-pane reads the
// screen.
type tmuxSession struct {
	t      *testing.T
	socket string
}

func (s tmuxSession) tmux(args ...string) string {
	s.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", s.socket}, args...)...).CombinedOutput()
	if err != nil {
		s.t.Fatalf("tmux %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func (s tmuxSession) screen() string {
	return s.tmux("capture-pane", "-p", "-t", "rv")
}

// waitFor waits until the screen shows want and returns it.
func (s tmuxSession) waitFor(want string) string {
	s.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		scr := s.screen()
		if strings.Contains(scr, want) {
			return scr
		}
		if time.Now().After(deadline) {
			s.t.Fatalf("the screen never showed %q; it shows:\n%s", want, scr)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// keys types keys; each argument is one write to the terminal, so a
// multi-character argument arrives as fast typing would.
func (s tmuxSession) keys(keys ...string) {
	s.t.Helper()
	for _, k := range keys {
		s.tmux("send-keys", "-t", "rv", "-l", k)
	}
}

// startReview adds notes to a fresh collection and starts `recall review`
// in an 80×24 tmux pane; run runs other recall commands on the same
// collection.
func startReview(t *testing.T, notes map[string]string) (s tmuxSession, run func(args ...string) string) {
	t.Helper()
	if testing.Short() {
		t.Skip("drives a real terminal; skipped with -short")
	}
	if _, err := exec.LookPath("tmux"); err != nil {
		t.Skip("needs tmux")
	}
	recall, err := exec.LookPath("recall")
	if err != nil {
		t.Fatalf("the test binary should have put recall on PATH: %v", err)
	}
	dir := t.TempDir()
	env := []string{"RECALL_DB=" + filepath.Join(dir, "c.db"), "RECALL_NOW=2026-11-26T08:00:00Z", "NO_COLOR=1", "TERM=xterm-256color", "TZ=UTC"}
	run = func(args ...string) string {
		t.Helper()
		cmd := exec.Command(recall, args...)
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("recall %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	for name, text := range notes {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		run("add", path)
	}
	s = tmuxSession{t: t, socket: filepath.Join(dir, "tmux.sock")}
	shell := "env " + strings.Join(env, " ") + " " + recall + " review; echo EXIT=$?; sleep 30"
	s.tmux("new-session", "-d", "-s", "rv", "-x", "80", "-y", "24", shell)
	t.Cleanup(func() { exec.Command("tmux", "-S", s.socket, "kill-server").Run() })
	return s, run
}

// TestTerminalSession drives `recall review` in a terminal through
// reveal, grade, undo, bury and quit, including fast typing that arrives
// as one read, and checks the collection afterwards.
func TestTerminalSession(t *testing.T) {
	s, run := startReview(t, map[string]string{
		"notes.md": "# K8s\n\nWhat port does etcd serve clients on? :: 2379\n\nWhat does the kubelet do? :: runs pods\n\nWhat does the scheduler do? :: places pods\n\nWhat does the proxy do? :: routes services\n",
	})

	// The first question, with the header counts.
	scr := s.waitFor("etcd")
	for _, want := range []string{"K8s", "new 4", "1/4"} {
		if !strings.Contains(scr, want) {
			t.Errorf("first screen lacks %q:\n%s", want, scr)
		}
	}
	if strings.Contains(scr, "2379") {
		t.Errorf("the answer shows before it is revealed:\n%s", scr)
	}
	// Reveal: the answer and the grades with their intervals.
	s.keys(" ")
	scr = s.waitFor("2379")
	if !strings.Contains(scr, "good") || !strings.Contains(scr, "1d") {
		t.Errorf("revealed screen lacks the grade buttons:\n%s", scr)
	}
	// Grade good, then fast typing: reveal and easy in one write.
	s.keys("3")
	s.waitFor("kubelet")
	s.keys(" 4")
	s.waitFor("scheduler")
	// Undo the easy: the kubelet card is back.
	s.keys("u")
	s.waitFor("kubelet")
	// Grade it again (reveal+good in one read), bury the scheduler.
	s.keys(" 3")
	s.waitFor("scheduler")
	s.keys("b")
	scr = s.waitFor("proxy")
	t.Logf("the session screen:\n%s", scr)
	s.keys("q")
	scr = s.waitFor("EXIT=")
	if !strings.Contains(scr, "EXIT=0") {
		t.Errorf("recall review did not exit 0:\n%s", scr)
	}
	if !strings.Contains(scr, "reviewed 2 cards") {
		t.Errorf("no summary after quitting:\n%s", scr)
	}

	var cards []struct {
		Front    string `json:"front"`
		Status   string `json:"status"`
		Schedule struct {
			Reps int     `json:"reps"`
			EF   float64 `json:"ef"`
		} `json:"schedule"`
	}
	if err := json.Unmarshal([]byte(run("cards", "--json")), &cards); err != nil {
		t.Fatal(err)
	}
	if len(cards) != 4 {
		t.Fatalf("recall cards --json gave %d cards, want 4", len(cards))
	}
	want := map[string]string{"etcd": "review 1 2.5", "kubelet": "review 1 2.5", "scheduler": "buried 0 2.5", "proxy": "new 0 2.5"}
	for _, c := range cards {
		for k, w := range want {
			if strings.Contains(c.Front, k) {
				delete(want, k)
				got := fmt.Sprintf("%s %d %v", c.Status, c.Schedule.Reps, c.Schedule.EF)
				if got != w {
					t.Errorf("card %s: status, reps, EF = %s, want %s", k, got, w)
				}
			}
		}
	}
	for k := range want {
		t.Errorf("no card about %s in the collection", k)
	}
}

// TestTerminalDeckChoice: with cards from several decks, the session asks
// which deck to study first.
func TestTerminalDeckChoice(t *testing.T) {
	s, _ := startReview(t, map[string]string{
		"a.md": "# Alpha\n\nAlpha one? :: 1\n\nAlpha two? :: 2\n",
		"b.md": "# Beta\n\nBeta one? :: 1\n",
	})
	scr := s.waitFor("Study which deck?")
	for _, want := range []string{"All decks  (0 due · 3 new)", "Alpha  (0 due · 2 new)", "Beta  (0 due · 1 new)"} {
		if !strings.Contains(scr, want) {
			t.Errorf("the deck choice lacks %q:\n%s", want, scr)
		}
	}
	s.tmux("send-keys", "-t", "rv", "Down", "Enter")
	scr = s.waitFor("Alpha one?")
	if !strings.Contains(scr, "1/2") {
		t.Errorf("choosing Alpha should study its 2 cards:\n%s", scr)
	}
	s.keys("q")
	s.waitFor("EXIT=0")
}
