package review

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest"

	"github.com/recall-cli/recall/internal/card"
)

// runes is fast typing: several keys arriving as one message.
func runes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

var space = tea.KeyMsg{Type: tea.KeySpace}

// press sends msgs to m in order, running each action on the collection
// in place as the program would in the background, and returns the last
// command.
func press(m *model, msgs ...tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	for _, msg := range msgs {
		_, cmd = m.Update(msg)
		for m.run != nil {
			_, cmd = m.Update(m.run())
		}
	}
	return cmd
}

func isQuit(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}

// screen checks that the view shows each of want and none of not.
func screen(t *testing.T, m *model, want []string, not ...string) {
	t.Helper()
	v := m.View()
	for _, w := range want {
		if !strings.Contains(v, w) {
			t.Errorf("screen lacks %q; screen:\n%s", w, v)
		}
	}
	for _, n := range not {
		if strings.Contains(v, n) {
			t.Errorf("screen shows %q; screen:\n%s", n, v)
		}
	}
}

func threeCards(opts Options) (*Session, *fakeCollection, *fakeClock) {
	return newSession([]card.Entry{entry("a", "", 2, 6), entry("b", "", 2, 6), entry("c", "", 2, 6)}, nil, opts)
}

func TestTUISession(t *testing.T) {
	t.Parallel()
	s, f, clock := threeCards(Options{})
	m := newModel(ctx, s, TUIOptions{Out: io.Discard})
	screen(t, m, []string{"QCon SF 2018", "new 0 · learning 0 · due 3", "1/3", "0:00",
		"QCon SF 2018 › Containers", "Question a?", "space show answer"}, "Answer a")

	// Grading before the answer shows does nothing.
	press(m, runes("3"))
	f.checkCalls(t)
	screen(t, m, []string{"space shows the answer first"}, "Answer a")

	press(m, space)
	screen(t, m, []string{"Answer a", "1 again 1d  2 hard 15d -0.14  3 good 15d  4 easy 15d +0.10"}, "space show answer")

	clock.advance(65 * time.Second)
	press(m, tickMsg{}, runes("3"))
	screen(t, m, []string{"Question b?", "graded good — next in 15 days", "2/3", "due 2", "1:05"}, "Answer b")

	// Fast typing: reveal, grade again and undo in one message.
	press(m, runes(" 1u"))
	screen(t, m, []string{"Question b?", "undone: graded again", "due 2", "learning 0"}, "Answer b")

	press(m, tea.KeyMsg{Type: tea.KeyEnter}, runes("2"))
	screen(t, m, []string{"Question c?", "graded hard — next in 15 days; back in 1 minute", "learning 1", "due 1"})

	press(m, runes("b"))
	screen(t, m, []string{"Question b?", "(learning)", "buried", "learning 1 · due 0"})
	press(m, runes("s"))
	screen(t, m, []string{"Done for today", "reviewed 2 cards in 1m05s", "buried 1 · suspended 1 · leeches 0"}, "Question")
	if cmd := press(m, runes("x")); !isQuit(cmd) {
		t.Errorf("a key on the summary screen did not quit")
	}
	f.checkCalls(t,
		"answer a q4 took=1m0s redrill=false → #1",
		"answer b q2 redrill=false → #2",
		"undo #2",
		"answer b q3 redrill=false → #3",
		"bury c",
		"suspend b",
	)
	if m.summary.Cards != 2 || m.summary.Buried != 1 || m.summary.Suspended != 1 {
		t.Errorf("summary = %+v, want 2 cards, 1 buried, 1 suspended", m.summary)
	}
}

func TestTUIQuit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		msgs  []tea.Msg
		calls []string
		left  int
	}{
		{"q", []tea.Msg{runes("q")}, nil, 3},
		{"ctrl+c", []tea.Msg{tea.KeyMsg{Type: tea.KeyCtrlC}}, nil, 3},
		{"ctrl+c with the answer shown", []tea.Msg{space, tea.KeyMsg{Type: tea.KeyCtrlC}}, nil, 3},
		{"grade then quit in one message", []tea.Msg{runes(" 4q")}, []string{"answer a q5 redrill=false → #1"}, 2},
		{"keys after q are dropped", []tea.Msg{runes(" q4")}, nil, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, f, _ := threeCards(Options{})
			m := newModel(ctx, s, TUIOptions{Out: io.Discard})
			if cmd := press(m, tt.msgs...); !isQuit(cmd) {
				t.Errorf("%s did not quit", tt.name)
			}
			f.checkCalls(t, tt.calls...)
			if m.summary.Left != tt.left {
				t.Errorf("summary after %s: left %d, want %d", tt.name, m.summary.Left, tt.left)
			}
			if v := m.View(); v != "" {
				t.Errorf("View() after quitting = %q, want it cleared", v)
			}
		})
	}
}

func TestTUILeech(t *testing.T) {
	t.Parallel()
	s, f, _ := threeCards(Options{})
	f.leech["a"] = true
	m := newModel(ctx, s, TUIOptions{Out: io.Discard})
	press(m, runes(" 1"))
	screen(t, m, []string{`leech: "Question a?" (a) lapsed 1 time: suspended`, "Question b?", "learning 0 · due 2"})
}

func TestTUIQualities(t *testing.T) {
	t.Parallel()
	s, f, _ := threeCards(Options{Grades: Qualities})
	m := newModel(ctx, s, TUIOptions{Out: io.Discard})
	press(m, space)
	screen(t, m, []string{"0 1d -0.80  1 1d -0.54  2 1d -0.32  3 15d -0.14  4 15d  5 15d +0.10"}, "again")
	press(m, runes("0"), runes(" 5"))
	f.checkCalls(t, "answer a q0 redrill=false → #1", "answer b q5 redrill=false → #2")
	screen(t, m, []string{"graded 5 — next in 15 days"})
}

func TestTUIHelp(t *testing.T) {
	t.Parallel()
	s, f, _ := threeCards(Options{})
	m := newModel(ctx, s, TUIOptions{Out: io.Discard})
	press(m, runes("?"))
	screen(t, m, []string{"Keys", "1–4", "undo the last answer", "any key to go back"}, "Question a?")
	// The key that closes the help does nothing else.
	press(m, runes("b"))
	f.checkCalls(t)
	screen(t, m, []string{"Question a?"}, "Keys")
}

func TestTUIEdit(t *testing.T) {
	t.Parallel()
	t.Run("no editor", func(t *testing.T) {
		s, _, _ := threeCards(Options{})
		m := newModel(ctx, s, TUIOptions{Out: io.Discard})
		if cmd := press(m, runes("e")); cmd != nil {
			t.Errorf("e without an editor returned a command")
		}
		screen(t, m, []string{"no editor: set $EDITOR"})
	})
	t.Run("notes not on disk", func(t *testing.T) {
		s, _, _ := threeCards(Options{})
		m := newModel(ctx, s, TUIOptions{Out: io.Discard, Edit: func(string, int) (*exec.Cmd, error) { return nil, nil }})
		if cmd := press(m, runes("e")); cmd != nil {
			t.Errorf("e on notes that cannot be opened returned a command")
		}
		screen(t, m, []string{"cannot edit", "not a file on disk"})
	})
	t.Run("editor", func(t *testing.T) {
		s, f, _ := threeCards(Options{})
		edited := entry("a", "", 2, 6)
		edited.Front, edited.Back = "Question a, reworded?", "Answer a, corrected"
		f.cards = map[string]card.Entry{"a": edited}
		var opened, synced []string
		m := newModel(ctx, s, TUIOptions{
			Out: io.Discard,
			Edit: func(file string, line int) (*exec.Cmd, error) {
				opened = append(opened, file+":"+strings.Repeat("|", line))
				return exec.Command("true"), nil
			},
			AfterEdit: func(file string) error {
				synced = append(synced, file)
				return nil
			},
		})
		if cmd := press(m, runes("e")); cmd == nil {
			t.Fatalf("e returned no command")
		}
		if got, want := strings.Join(opened, ","), "notes/a.md:|||"; got != want {
			t.Errorf("Edit called with %q, want %q", got, want)
		}
		press(m, editedMsg{file: "notes/a.md"})
		if got, want := strings.Join(synced, ","), "notes/a.md"; got != want {
			t.Errorf("AfterEdit called with %q, want %q", got, want)
		}
		// The card on screen shows its new text at once.
		screen(t, m, []string{"edited and re-synced notes/a.md", "Question a, reworded?"}, "Question a?")
		press(m, space)
		screen(t, m, []string{"Answer a, corrected"})
		press(m, editedMsg{file: "notes/a.md", err: &EditorError{Name: "vim", Err: errBoom}})
		screen(t, m, []string{"editor vim: disk full"})
	})
	t.Run("editor command that cannot be split", func(t *testing.T) {
		s, _, _ := threeCards(Options{})
		m := newModel(ctx, s, TUIOptions{Out: io.Discard, Edit: func(string, int) (*exec.Cmd, error) {
			return nil, errors.New(`$EDITOR "vim \"x": reached EOF without closing quote`)
		}})
		if cmd := press(m, runes("e")); cmd != nil {
			t.Errorf("e with a broken $EDITOR returned a command")
		}
		screen(t, m, []string{`editor: $EDITOR "vim \"x": reached EOF without closing quote`})
	})
}

func TestTUICollectionError(t *testing.T) {
	t.Parallel()
	s, f, _ := threeCards(Options{})
	m := newModel(ctx, s, TUIOptions{Out: io.Discard})
	f.fail["Answer"] = errBoom
	press(m, runes(" 3"))
	screen(t, m, []string{"error: card a: disk full (nothing saved)", "Question a?", "Answer a"})
	if m.err == nil {
		t.Errorf("the model forgot the error")
	}
	delete(f.fail, "Answer")
	press(m, runes("3"))
	screen(t, m, []string{"Question b?", "graded good"})
	if m.err != nil {
		t.Errorf("error %v kept after a successful grade", m.err)
	}
}

func TestTUILayout(t *testing.T) {
	t.Parallel()
	long := entry("long", "", 2, 6)
	long.Front = "**Twelve-factor** apps: name the factors of `config` and " + strings.Repeat("a rather long question that wraps ", 6)
	var items []string
	for range 30 {
		items = append(items, "- an item that says something about [...] and more")
	}
	long.Back = strings.Join(items, "\n")
	long.Context = []string{"QCon SF 2018", "Containers", strings.Repeat("a heading that is far too long ", 4)}
	for _, size := range []struct{ w, h int }{{80, 24}, {40, 12}, {60, 24}, {120, 40}, {200, 50}} {
		for _, color := range []bool{false, true} {
			s, _, _ := newSession([]card.Entry{long, entry("b", "", 2, 6)}, nil, Options{})
			m := newModel(ctx, s, TUIOptions{Out: io.Discard, Color: color})
			press(m, tea.WindowSizeMsg{Width: size.w, Height: size.h})
			for _, msg := range []tea.Msg{nil, space, runes("jj"), tea.KeyMsg{Type: tea.KeyPgDown}, runes("?"), runes("x")} {
				if msg != nil {
					press(m, msg)
				}
				v := m.View()
				lines := strings.Split(v, "\n")
				if len(lines) > size.h {
					t.Errorf("%dx%d colour %v: %d lines, more than the terminal's %d:\n%s", size.w, size.h, color, len(lines), size.h, v)
				}
				for _, l := range lines {
					if w := ansi.StringWidth(l); w > size.w {
						t.Errorf("%dx%d colour %v: a line %d wide: %q", size.w, size.h, color, w, ansi.Strip(l))
					}
				}
				if has := strings.Contains(v, "\x1b["); has != color {
					t.Errorf("%dx%d colour %v: escape codes on screen = %v", size.w, size.h, color, has)
				}
			}
		}
	}
}

func TestMarkdown(t *testing.T) {
	t.Parallel()
	st := newStyles(io.Discard, false)
	tests := []struct {
		name  string
		md    string
		width int
		want  []string
	}{
		{"bullets", "- one\n- two", 40, []string{"• one", "• two"}},
		{"ordered", "1. one\n2. two", 40, []string{"1. one", "2. two"}},
		{"ordered from 9", "9. nine\n10. ten", 40, []string{" 9. nine", "10. ten"}},
		{"nested", "- one\n  - sub\n    1. a\n- two", 40, []string{"• one", "  • sub", "    1. a", "• two"}},
		{"loose", "- one\n\n- two", 40, []string{"• one", "", "• two"}},
		{"hanging indent", "- one two three four", 12, []string{"• one two", "  three four"}},
		{"paragraph joins its lines", "one\ntwo", 40, []string{"one two"}},
		{"hard break", "one  \ntwo", 40, []string{"one", "two"}},
		{"paragraphs", "one\n\ntwo", 40, []string{"one", "", "two"}},
		{"marks stay without colour", "**bold**, *em*, ~~old~~ and `code` [...]", 60, []string{"**bold**, *em*, ~~old~~ and `code` [...]"}},
		{"link", "see [the site](https://12factor.net).", 60, []string{"see the site (https://12factor.net)."}},
		{"link that is its URL", "[https://x.io](https://x.io) and <https://y.io>", 60, []string{"https://x.io and https://y.io"}},
		{"escapes and references", `\*not em\* &amp; &#125;`, 40, []string{"*not em* & }"}},
		{"code keeps its text", "`a *b* \\c`", 40, []string{"`a *b* \\c`"}},
		{"fence", "```go\nif x {\n\treturn\n}\n```", 40, []string{"  if x {", "      return", "  }"}},
		{"fence wraps", "```\n0123456789abcdef\n```", 12, []string{"  0123456789", "  abcdef"}},
		{"heading", "# Title\n\ntext", 40, []string{"Title", "", "text"}},
		{"quote", "> quoted *text*", 40, []string{"│ quoted *text*"}},
		{"task list", "- [x] done\n- [ ] todo", 40, []string{"• [x] done", "• [ ] todo"}},
		{"raw HTML is text", "a <b>bold</b> <script>", 40, []string{"a <b>bold</b> <script>"}},
		{"word too long", "abcdefghijklmnop", 10, []string{"abcdefghij", "klmnop"}},
		{"table", "| a | b |\n|---|--:|\n| xx | 1 |\n| y | 22 |", 40, []string{
			"a  │  b",
			"───┼───",
			"xx │  1",
			"y  │ 22",
		}},
		{"table wraps its widest column", "| term | meaning |\n|---|---|\n| SM-2 | an algorithm that schedules reviews |", 24, []string{
			"term │ meaning",
			"─────┼──────────────────",
			"SM-2 │ an algorithm that",
			"     │ schedules reviews",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := st.markdown(tt.md, tt.width)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("markdown(%q, %d) =\n%s\nwant\n%s", tt.md, tt.width, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			for _, l := range got {
				if w := ansi.StringWidth(l); w > tt.width {
					t.Errorf("markdown(%q, %d): line %q is %d wide", tt.md, tt.width, l, w)
				}
			}
		})
	}
}

func TestMarkdownColour(t *testing.T) {
	t.Parallel()
	st := newStyles(io.Discard, true)
	tests := []struct {
		md, plain string
		styled    []string // pieces that must be drawn in a style of their own
	}{
		{"**bold** and *em*", "bold and em", []string{"\x1b[1mbold\x1b[0m", "\x1b[3mem\x1b[0m"}},
		{"run `go test` now", "run go test now", []string{"\x1b[95mgo\x1b[0m", "\x1b[95mtest\x1b[0m"}},
		{"see [the site](https://12factor.net)", "see the site (https://12factor.net)", []string{"\x1b[4;96mthe\x1b[0m", "\x1b[2m(https://12factor.net)\x1b[0m"}},
		{"a gap [...] here", "a gap [...] here", []string{"\x1b[1;93m[...]\x1b[0m"}},
		{"~~old~~", "old", []string{"\x1b[9mold\x1b[0m"}},
	}
	for _, tt := range tests {
		got := strings.Join(st.markdown(tt.md, 60), "\n")
		if p := ansi.Strip(got); p != tt.plain {
			t.Errorf("markdown(%q) reads %q, want %q", tt.md, p, tt.plain)
		}
		for _, s := range tt.styled {
			if !strings.Contains(got, s) {
				t.Errorf("markdown(%q) = %q, want it to hold %q", tt.md, got, s)
			}
		}
	}
}

// TestTUIProgram runs the real bubbletea program under teatest: keys go
// through the program's own loop, the screen is its real output.
func TestTUIProgram(t *testing.T) {
	t.Parallel()
	s, f, _ := threeCards(Options{})
	m := newModel(ctx, s, TUIOptions{Out: io.Discard})
	tm := teatest.NewTestModel(t, m, teatest.WithInitialTermSize(80, 24))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Question a?")) },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	tm.Send(runes(" 3"))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("Question b?")) },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	tm.Send(runes(" 1u"))
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return bytes.Contains(b, []byte("undone: graded again")) },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	tm.Send(runes("b"))
	tm.Send(runes("q"))
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	f.checkCalls(t,
		"answer a q4 redrill=false → #1",
		"answer b q2 redrill=false → #2",
		"undo #2",
		"bury b",
	)
	final := tm.FinalModel(t).(*model)
	if final.summary.Cards != 1 || final.summary.Buried != 1 || final.summary.Left != 1 {
		t.Errorf("final summary = %+v, want 1 card, 1 buried, 1 left", final.summary)
	}
}

// TestRunTUI runs RunTUI itself on piped input: the keys arrive in one
// read, so as one message, and the summary is printed after the screen.
func TestRunTUI(t *testing.T) {
	t.Parallel()
	s, f, _ := threeCards(Options{})
	f.streak = 2
	var out bytes.Buffer
	// Should the keys go astray, the program would wait for more.
	tctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	sum, err := RunTUI(tctx, s, TUIOptions{In: strings.NewReader(" 3 2q"), Out: &out})
	if err != nil {
		t.Fatalf("RunTUI: %v", err)
	}
	f.checkCalls(t, "answer a q4 redrill=false → #1", "answer b q3 redrill=false → #2")
	if sum.Cards != 2 || sum.Streak != 2 {
		t.Errorf("RunTUI summary = %+v, want 2 cards, streak 2", sum)
	}
	if !strings.HasSuffix(out.String(), strings.Join(sum.Lines(), "\n")+"\n") {
		t.Errorf("RunTUI output does not end with the summary:\n%q", out.String())
	}
}

// TestTUIWaitsForTheCollection: a grade given while another recall holds
// the collection is tried again until it is saved; the screen says it
// waits, keys typed meanwhile wait their turn, and ctrl+c quits once the
// answer is saved (a second one at once).
func TestTUIWaitsForTheCollection(t *testing.T) {
	t.Parallel()
	t.Run("keys wait their turn", func(t *testing.T) {
		t.Parallel()
		s, f, clock := threeCards(Options{})
		m := newModel(ctx, s, TUIOptions{Out: io.Discard})
		f.busy["Answer"] = 2
		press(m, space)
		m.Update(runes("3"))
		if m.run == nil {
			t.Fatal("the grade did not start an action")
		}
		screen(t, m, []string{"Question a?", "Answer a"}, "waiting for the collection")
		clock.advance(2 * time.Second)
		m.Update(tickMsg{})
		screen(t, m, []string{"Question a?", "waiting for the collection: another recall is writing it"})
		m.Update(runes("b")) // typed while waiting: buries the next card
		m.Update(m.run())
		for m.run != nil {
			m.Update(m.run())
		}
		screen(t, m, []string{"Question c?", "buried"}, "waiting")
		f.checkCalls(t, "answer a: busy", "answer a: busy", "answer a q4 redrill=false → #1", "bury b")
	})
	t.Run("ctrl+c quits once the answer is saved", func(t *testing.T) {
		t.Parallel()
		s, f, _ := threeCards(Options{})
		m := newModel(ctx, s, TUIOptions{Out: io.Discard})
		f.busy["Answer"] = 1
		press(m, space)
		m.Update(runes("4"))
		if _, cmd := m.Update(tea.KeyMsg{Type: tea.KeyCtrlC}); cmd != nil {
			t.Errorf("the first ctrl+c while saving quit at once")
		}
		screen(t, m, []string{"quitting once this is saved"})
		if _, cmd := m.Update(m.run()); !isQuit(cmd) {
			t.Errorf("the session did not quit once the answer was saved")
		}
		f.checkCalls(t, "answer a: busy", "answer a q5 redrill=false → #1")
		if m.summary.Cards != 1 {
			t.Errorf("summary counts %d cards, want the one saved", m.summary.Cards)
		}
	})
	t.Run("ctrl+c twice quits now", func(t *testing.T) {
		t.Parallel()
		s, _, _ := threeCards(Options{})
		m := newModel(ctx, s, TUIOptions{Out: io.Discard})
		press(m, space)
		m.Update(runes("4"))
		m.Update(tea.KeyMsg{Type: tea.KeyCtrlC})
		if _, cmd := m.Update(tea.KeyMsg{Type: tea.KeyCtrlC}); !isQuit(cmd) {
			t.Errorf("a second ctrl+c did not quit")
		}
	})
}

// TestTUIPrintable: the screen shows the text of a card, never the
// controls in it that would steer the terminal.
func TestTUIPrintable(t *testing.T) {
	t.Parallel()
	e := entry("a", "", 0, 0)
	e.Deck = "Deck\x1b]0;title\x07"
	e.Front = "Front \x1b[2J\x1b]52;c;ZXZpbA==\x07 \u009b2J"
	e.Back = "Back\r\x1b[31m and &#27;[2J &#x9b;2J"
	e.Context = []string{"Ctx\x1b[H"}
	s, _, _ := newSession(nil, []card.Entry{e}, Options{})
	m := newModel(ctx, s, TUIOptions{Out: io.Discard})
	press(m, space)
	screen(t, m, []string{"Deck]0;title", "Front [2J]52;c;ZXZpbA==", "Back[31m and [2J 2J", "Ctx[H"}, "\x1b]", "\x1b[2J", "\x07", "\r", "\u009b")
}

func TestFitCrumb(t *testing.T) {
	t.Parallel()
	qcon := []string{"My takeaways from QCon SF 2018", "Key takeaways", "Talks, loosely organized by major theme", "Microservices in general", "Why microservices"}
	tests := []struct {
		parts []string
		width int
		want  string
	}{
		{[]string{"Deck", "Heading"}, 40, "Deck › Heading"},
		{qcon, 200, strings.Join(qcon, " › ")},
		{qcon, 80, "… › Microservices in general › Why microservices"},
		{qcon, 40, "… › Why microservices"},
		{qcon, 12, "…croservices"},
		{[]string{"one"}, 0, ""},
	}
	for _, tt := range tests {
		got := fitCrumb(tt.parts, tt.width)
		if got != tt.want {
			t.Errorf("fitCrumb(%q, %d) = %q, want %q", tt.parts, tt.width, got, tt.want)
		}
		if w := ansi.StringWidth(got); w > tt.width {
			t.Errorf("fitCrumb(%q, %d) is %d wide", tt.parts, tt.width, w)
		}
	}
}

// TestTUIBreadcrumb: a breadcrumb too long for the line keeps the
// headings nearest the card, learning mark included.
func TestTUIBreadcrumb(t *testing.T) {
	t.Parallel()
	e := entry("a", "", 2, 6)
	e.Context = []string{"My takeaways from QCon SF 2018", "Key takeaways", "Talks, loosely organized by major theme", "Microservices / architectures", "Microservices in general", "Why microservices"}
	s, _, _ := newSession([]card.Entry{e, entry("b", "", 2, 6)}, nil, Options{})
	m := newModel(ctx, s, TUIOptions{Out: io.Discard})
	press(m, tea.WindowSizeMsg{Width: 60, Height: 24})
	screen(t, m, []string{"… › Microservices in general › Why microservices\n"}, "My takeaways", "organized by ma…")
	press(m, runes(" 1"), runes(" 3"))
	screen(t, m, []string{"… › Microservices in general › Why microservices  (learning)\n"}, "My takeaways")
}

// longCard is a card whose answer is longer than a 80×24 screen.
func longCard() card.Entry {
	e := entry("long", "", 2, 6)
	e.Front = "Name the **twelve factors** of a `12factor` app ([the site](https://12factor.net))"
	var items []string
	for i := range 30 {
		items = append(items, fmt.Sprintf("- factor %d", i+1))
	}
	e.Back = strings.Join(items, "\n")
	return e
}

// TestTUIScroll: a card longer than the screen scrolls with j/k, the
// arrows and PgUp/PgDn, a line says how much more there is, and the next
// card starts at its top.
func TestTUIScroll(t *testing.T) {
	t.Parallel()
	s, _, _ := newSession([]card.Entry{longCard(), entry("b", "", 2, 6)}, nil, Options{})
	m := newModel(ctx, s, TUIOptions{Out: io.Discard})
	press(m, tea.WindowSizeMsg{Width: 80, Height: 24})
	screen(t, m, []string{"twelve factors"}, "more", "factor 1\n")
	// The answer shows below the question, as far as the screen goes.
	press(m, space)
	screen(t, m, []string{"twelve factors", "• factor 1 ", "• factor 13 ", "  ↓ 17 more   j/k ↑/↓ PgUp/PgDn scroll"}, "factor 14 ", "  ↑ ")
	press(m, runes("jj"))
	screen(t, m, []string{"• factor 15 ", "↑ 2 more · ↓ 15 more"}, "twelve factors", "factor 16 ")
	press(m, tea.KeyMsg{Type: tea.KeyDown}, runes("k"), tea.KeyMsg{Type: tea.KeyUp})
	screen(t, m, []string{"• factor 14 ", "↑ 1 more · ↓ 16 more"}, "factor 15 ")
	press(m, tea.KeyMsg{Type: tea.KeyPgDown}, tea.KeyMsg{Type: tea.KeyPgDown})
	screen(t, m, []string{"• factor 30 ", "↑ 17 more   j/k"}, "more ·", "factor 13 ")
	press(m, runes("k"), tea.KeyMsg{Type: tea.KeyPgUp})
	screen(t, m, []string{"• factor 1 ", "  ↓ 17 more"}, "  ↑ ")
	press(m, tea.KeyMsg{Type: tea.KeyHome})
	screen(t, m, []string{"twelve factors", "  ↓ 17 more"}, "  ↑ ")
	press(m, tea.KeyMsg{Type: tea.KeyEnd})
	screen(t, m, []string{"• factor 30 "}, "more ·")
	// The keys still grade, and the next card starts at its top.
	press(m, runes("3"))
	screen(t, m, []string{"Question b?"}, "more", "factor")
}

// TestTUIScrollToAnswer: on a screen too short for question and answer,
// revealing scrolls to the answer.
func TestTUIScrollToAnswer(t *testing.T) {
	t.Parallel()
	e := longCard()
	e.Front = strings.Repeat("a question that goes on ", 40)
	s, _, _ := newSession([]card.Entry{e}, nil, Options{})
	m := newModel(ctx, s, TUIOptions{Out: io.Discard})
	press(m, tea.WindowSizeMsg{Width: 60, Height: 16})
	press(m, space)
	screen(t, m, []string{"──────────", "• factor 1 ", "  ↑ "})
}

// TestTUIWide: on a wide terminal the screen is a column at most 100
// wide, in the middle.
func TestTUIWide(t *testing.T) {
	t.Parallel()
	s, _, _ := newSession([]card.Entry{longCard()}, nil, Options{})
	m := newModel(ctx, s, TUIOptions{Out: io.Discard})
	press(m, tea.WindowSizeMsg{Width: 200, Height: 40}, space)
	lines := strings.Split(m.View(), "\n")
	if got := lines[0]; !strings.HasPrefix(got, strings.Repeat(" ", 50)+"QCon SF 2018 ") || ansi.StringWidth(got) != 150 {
		t.Errorf("header at 200 columns = %q, want it in columns 50–150", got)
	}
	if got, want := strings.TrimSpace(lines[1]), strings.Repeat("─", 100); got != want {
		t.Errorf("rule at 200 columns is %d wide, want 100", ansi.StringWidth(got))
	}
	for _, l := range lines {
		if l != "" && !strings.HasPrefix(l, strings.Repeat(" ", 50)) {
			t.Errorf("line %q starts left of the column", l)
		}
	}
}

// TestTUIKeysLine: the keys line keeps q and ? at any width from 40
// columns, and the grades keep their names at 60.
func TestTUIKeysLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		width    int
		revealed bool
		want     []string
		not      []string
	}{
		{80, false, []string{"space show answer  u undo  b bury  s suspend  e edit  ? help  q quit"}, nil},
		{60, false, []string{"space show answer  u undo  b bury  s suspend  ? help  q quit"}, []string{"e edit"}},
		{40, false, []string{"space show answer  ? help  q quit"}, []string{"u undo"}},
		// Where intervals tie, the change of ease tells the grades apart.
		{80, true, []string{"1 again 1d  2 hard 15d -0.14  3 good 15d  4 easy 15d +0.10  ? help  q quit"}, nil},
		{60, true, []string{"1 again 1d  2 hard 15d -0.14  3 good 15d  4 easy 15d +0.10\n", "\n? help  q quit"}, nil},
		{40, true, []string{"1 1d  2 15d -0.14  3 15d  4 15d +0.10\n", "\n? help  q quit"}, nil},
	}
	for _, tt := range tests {
		s, _, _ := threeCards(Options{})
		m := newModel(ctx, s, TUIOptions{Out: io.Discard})
		press(m, tea.WindowSizeMsg{Width: tt.width, Height: 24})
		if tt.revealed {
			press(m, space)
		}
		screen(t, m, tt.want, tt.not...)
		if lines := strings.Split(m.View(), "\n"); len(lines) != 24 {
			t.Errorf("%d columns: %d lines, want 24", tt.width, len(lines))
		}
	}
}

// TestTUIDoneUndo: on the summary screen u takes back the last answer and
// brings its card back; any other key then leaves.
func TestTUIDoneUndo(t *testing.T) {
	t.Parallel()
	s, f, _ := newSession([]card.Entry{entry("a", "", 2, 6), entry("b", "", 2, 6)}, nil, Options{})
	m := newModel(ctx, s, TUIOptions{Out: io.Discard})
	press(m, runes(" 3 4"))
	screen(t, m, []string{"Done for today", "reviewed 2 cards", "u undo the last answer  any other key to leave"})
	if cmd := press(m, runes("u")); isQuit(cmd) {
		t.Fatal("u on the summary screen quit")
	}
	screen(t, m, []string{"Question b?", "undone: graded easy", "2/2"}, "Done for today", "Answer b")
	press(m, runes(" 3"))
	screen(t, m, []string{"Done for today", "reviewed 2 cards"})
	if m.summary.Good != 2 || m.summary.Easy != 0 {
		t.Errorf("summary after the undo = %+v, want two good answers and not the easy one", m.summary)
	}
	if cmd := press(m, tea.KeyMsg{Type: tea.KeyDown}); !isQuit(cmd) {
		t.Errorf("an arrow on the summary screen did not leave")
	}
	f.checkCalls(t, "answer a q4 redrill=false → #1", "answer b q5 redrill=false → #2", "undo #2", "answer b q4 redrill=false → #3")
	t.Run("nothing to undo", func(t *testing.T) {
		s, _, _ := newSession(nil, nil, Options{})
		m := newModel(ctx, s, TUIOptions{Out: io.Discard})
		screen(t, m, []string{"any key to leave"}, "undo")
		if cmd := press(m, runes("u")); !isQuit(cmd) {
			t.Errorf("u with nothing to undo did not leave")
		}
	})
}
