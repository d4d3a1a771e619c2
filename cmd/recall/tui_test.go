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
	return startReviewIn(t, notes, 80, 24)
}

// startReviewIn is startReview in a pane of width×height, with extra
// environment variables ("EDITOR=…") for recall.
func startReviewIn(t *testing.T, notes map[string]string, width, height int, extraEnv ...string) (s tmuxSession, run func(args ...string) string) {
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
	env = append(env, extraEnv...)
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
	quoted := make([]string, len(env))
	for i, e := range env {
		quoted[i] = "'" + strings.ReplaceAll(e, "'", `'\''`) + "'"
	}
	shell := "env " + strings.Join(quoted, " ") + " " + recall + " review; echo EXIT=$?; sleep 30"
	s.tmux("new-session", "-d", "-s", "rv", "-x", fmt.Sprint(width), "-y", fmt.Sprint(height), shell)
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

// longNotes hold a card with code and a link, and a list card longer than
// a 80×24 screen.
const longNotes = `---
cards: {clozes: false}
---
# Twelve-factor

What does ` + "`" + `os.Getenv("PORT")` + "`" + ` read, per [the twelve-factor app](https://12factor.net/config)? :: The **config**, kept in *environment variables*

## Factors

The first eight factors:

1. One codebase tracked in revision control, many deploys
   - every running instance comes from the same repository
2. Explicitly declare and isolate dependencies
   - a new developer builds with nothing but the runtime
3. Store config in the environment
   - the code could be made open source at any moment
4. Treat backing services as attached resources
   - a local database swapped for a managed one, unchanged
5. Strictly separate build, release and run stages
   - a release is a build plus a config, and can be rolled back
6. Execute the app as one or more stateless processes
   - persistent data lives in a backing service
7. Export services via port binding
   - no web server injected into the runtime at start
8. Scale out via the process model
   - more processes of each type, not one bigger process
`

// TestTerminalCardScreen drives the card screen at 80×24: markdown
// rendered, a long card scrolled, the summary's undo.
func TestTerminalCardScreen(t *testing.T) {
	s, _ := startReviewIn(t, map[string]string{"notes.md": longNotes}, 80, 24)

	// Code, emphasis and a link, rendered as a person reads them (without
	// colour the marks that say what the text is stay).
	s.waitFor("os.Getenv")
	s.keys(" ")
	scr := s.waitFor("environment variables")
	for _, want := range []string{"`os.Getenv(\"PORT\")`", "the twelve-factor app\n", "  (https://12factor.net/config)?", "The **config**, kept in *environment variables*"} {
		if !strings.Contains(scr, want) {
			t.Errorf("the card lacks %q:\n%s", want, scr)
		}
	}
	if strings.Contains(scr, "](") {
		t.Errorf("the link is left raw:\n%s", scr)
	}
	t.Logf("a card with code and a link:\n%s", scr)

	// The next card is a list longer than the screen.
	s.keys("3")
	s.waitFor("name the 8 items")
	s.keys(" ")
	scr = s.waitFor("more   j/k")
	if !strings.Contains(scr, "↓") || strings.Contains(scr, "Scale out") {
		t.Errorf("the long card does not say there is more:\n%s", scr)
	}
	s.tmux("send-keys", "-t", "rv", "PageDown")
	scr = s.waitFor("Scale out")
	t.Logf("a scrolled long card:\n%s", scr)
	s.keys("k")
	s.waitFor("↑ 1 more · ↓ 1 more")
	s.tmux("send-keys", "-t", "rv", "Down", "j")
	start := time.Now()
	s.keys("3")
	// That was the last card: the done screen, where u undoes the answer.
	scr = s.waitFor("u undo the last answer")
	if took := time.Since(start); took > 3*time.Second {
		// As when the styles asked the terminal for its background while
		// the program read the keyboard, and waited for the answer.
		t.Errorf("the summary screen took %v to show", took)
	}
	t.Logf("the done screen:\n%s", scr)
	s.keys("u")
	scr = s.waitFor("undone: graded good")
	if strings.Contains(scr, "Done for today") {
		t.Errorf("u on the done screen did not bring the card back:\n%s", scr)
	}
	s.keys(" 4")
	s.waitFor("Done for today")
	s.keys("x")
	scr = s.waitFor("EXIT=0")
	t.Logf("the summary:\n%s", scr)
}

// TestTerminalNarrow: at 60 columns the keys keep ? help and q quit.
func TestTerminalNarrow(t *testing.T) {
	s, _ := startReviewIn(t, map[string]string{"notes.md": longNotes}, 60, 24)
	scr := s.waitFor("os.Getenv")
	if !strings.Contains(scr, "? help  q quit") {
		t.Errorf("the keys at 60 columns lack ? help and q quit:\n%s", scr)
	}
	s.keys(" ")
	scr = s.waitFor("1 again")
	if !strings.Contains(scr, "? help  q quit") {
		t.Errorf("the grades at 60 columns lack ? help and q quit:\n%s", scr)
	}
	s.keys("q")
	s.waitFor("EXIT=0")
}

// TestTerminalEditorFails: an editor given with arguments runs, and when
// it fails the screen says how: its status and the last line of its
// stderr.
func TestTerminalEditorFails(t *testing.T) {
	s, _ := startReviewIn(t, map[string]string{"notes.md": "# K8s\n\nWhat port does etcd serve clients on? :: 2379\n"}, 80, 24,
		`VISUAL=`, `EDITOR=sh -c 'echo "unknown option: $1" >&2; exit 3' editor`)
	s.waitFor("etcd")
	s.keys("e")
	scr := s.waitFor("editor sh exited with status 3: unknown option: +3")
	if !strings.Contains(scr, "etcd") {
		t.Errorf("the card is gone after the editor failed:\n%s", scr)
	}
	s.keys("q")
	s.waitFor("EXIT=0")
}

// TestTerminalEdit: e opens the card's notes at its line; what the editor
// wrote is on screen as soon as it exits, for the same card (here its
// answer, corrected).
func TestTerminalEdit(t *testing.T) {
	s, run := startReviewIn(t, map[string]string{"notes.md": "# K8s\n\nWhat port does etcd serve clients on? :: 2379\n"}, 80, 24,
		`VISUAL=`, `EDITOR=sh -c 'sed -i "s/2379/2379 (peers: 2380)/" "$2"' editor`)
	s.waitFor("serve clients on")
	s.keys("e")
	s.waitFor("edited and re-synced")
	s.keys(" ")
	s.waitFor("2379 (peers: 2380)")
	s.keys("3")
	s.waitFor("Done for today")
	s.keys("x")
	s.waitFor("EXIT=0")
	// One card, answered once, with the new text: its history kept.
	if out := run("cards", "--json"); strings.Count(out, `"id"`) != 1 || !strings.Contains(out, "peers: 2380") || !strings.Contains(out, `"reps": 1`) {
		t.Errorf("after the edit the collection holds:\n%s", out)
	}
}
