package review

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/recall-cli/recall/internal/card"
)

// wantInOrder checks that each of want appears as a whole line of out, in
// that order.
func wantInOrder(t *testing.T, out string, want ...string) {
	t.Helper()
	lines := strings.Split(out, "\n")
	i := 0
	for _, w := range want {
		for i < len(lines) && lines[i] != w {
			i++
		}
		if i == len(lines) {
			t.Errorf("output lacks the line %q (in this order); output:\n%s", w, out)
			return
		}
		i++
	}
}

func runPlain(t *testing.T, s *Session, input string) (string, Summary, error) {
	t.Helper()
	var out strings.Builder
	// One byte per read: answers must not depend on how input arrives.
	sum, err := RunPlain(ctx, s, iotest.OneByteReader(strings.NewReader(input)), &out)
	return out.String(), sum, err
}

func TestPlainSession(t *testing.T) {
	t.Parallel()
	a := entry("a", "", 2, 6)
	a.Front = "What port does etcd serve clients on?"
	a.Back = "2379"
	n := entry("n", "", 0, 0)
	n.Context = nil
	n.Front, n.Back = "Name the 3 items", "- one\n- two\n- three"
	s, f, _ := newSession([]card.Entry{a}, []card.Entry{n}, Options{})
	f.decks = []card.DeckStatus{{Deck: "QCon SF 2018", DueTomorrow: 2}}
	f.streak = 3

	input := strings.Join([]string{
		"",     // reveal a
		"nope", // not a grade
		"again",
		"show", // reveal n
		"g",
		"",  // reveal a' (learning)
		"4", // easy
	}, "\n") + "\n"
	out, sum, err := runPlain(t, s, input)
	if err != nil {
		t.Fatalf("RunPlain: %v", err)
	}
	wantInOrder(t, out,
		"card 1/2 · new 1 · learning 0 · due 1",
		"QCon SF 2018 › Containers",
		"Q: What port does etcd serve clients on?",
		"A: 2379",
		"grade: 1 again (1d) · 2 hard (15d, ease -0.14) · 3 good (15d) · 4 easy (15d, ease +0.10)",
		`unknown answer "nope" (again, hard, good, easy; 1–4)`,
		"grade: 1 again (1d) · 2 hard (15d, ease -0.14) · 3 good (15d) · 4 easy (15d, ease +0.10)",
		"graded again — next in 1 day; back in 1 minute",
		"card 2/2 · new 1 · learning 1 · due 0",
		"QCon SF 2018",
		"Q: Name the 3 items",
		"A: - one",
		"   - two",
		"   - three",
		"grade: 1 again (1d, ease -0.32) · 2 hard (1d, ease -0.14) · 3 good (1d) · 4 easy (1d, ease +0.10)",
		"graded good — next in 1 day",
		"card 2/2 (learning) · new 0 · learning 1 · due 0",
		"Q: What port does etcd serve clients on?",
		"grade: 1 again (1m) · 2 hard (10m) · 3 good (1d) · 4 easy (1d)",
		"graded easy (learning) — done for today",
		"",
		"reviewed 2 cards (3 answers) in 0s",
		"again 1 · hard 0 · good 1 · easy 1",
		"correct 50% (1 of 2)",
		"new learned 1",
		"due tomorrow 2",
		"streak 3 days",
	)
	f.checkCalls(t,
		"answer a q2 redrill=false → #1",
		"answer n q4 redrill=false → #2",
		"answer a q5 redrill=true → #3",
	)
	if sum.Cards != 2 || sum.Answers != 3 || sum.Streak != 3 {
		t.Errorf("summary = %+v, want 2 cards, 3 answers, streak 3", sum)
	}
}

func TestPlainEndOfInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		input string
		calls []string
		left  string
	}{
		{"nothing typed", "", nil, "left 2 cards"},
		{"answer shown, no grade", "\n", nil, "left 2 cards"},
		{"one graded, next shown", "\ngood\n\n", []string{"answer a q4 redrill=false → #1"}, "left 1 card"},
		{"last line without newline", "\ngood\n\ngood", []string{"answer a q4 redrill=false → #1", "answer b q4 redrill=false → #2"}, "due tomorrow 0"},
		{"quit", "\ngood\nq\n\ngood\n", []string{"answer a q4 redrill=false → #1"}, "left 1 card"},
		{"quit at the grade prompt", "\nquit\n", nil, "left 2 cards"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, f, _ := newSession([]card.Entry{entry("a", "", 2, 6), entry("b", "", 2, 6)}, nil, Options{})
			out, _, err := runPlain(t, s, tt.input)
			if err != nil {
				t.Fatalf("RunPlain: %v", err)
			}
			f.checkCalls(t, tt.calls...)
			wantInOrder(t, out, tt.left)
		})
	}
}

// TestPlainInterrupt: Ctrl-C while the protocol waits for a line ends the
// session at once, with what was answered saved and the summary printed.
func TestPlainInterrupt(t *testing.T) {
	t.Parallel()
	s, f, _ := newSession([]card.Entry{entry("a", "", 2, 6), entry("b", "", 2, 6)}, nil, Options{})
	in, feed := io.Pipe()
	defer feed.Close()
	ctx, cancel := context.WithCancel(context.Background())
	out := &syncBuffer{}
	done := make(chan error)
	go func() {
		_, err := RunPlain(ctx, s, in, out)
		done <- err
	}()
	io.WriteString(feed, "\ngood\n")
	// The person sits on the second card's question; nothing more comes.
	for i := 0; !strings.Contains(out.String(), "card 2/2") && i < 500; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("RunPlain after Ctrl-C = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("RunPlain kept waiting for input after its context was cancelled")
	}
	f.checkCalls(t, "answer a q4 redrill=false → #1")
	wantInOrder(t, out.String(), "graded good — next in 15 days", "reviewed 1 card in 0s", "left 1 card")
}

// syncBuffer is a strings.Builder safe to read while another goroutine
// writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestPlainCommands(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		input string
		lines []string
		calls []string
	}{
		{
			name:  "bury and suspend at the question",
			input: "b\ns\n",
			lines: []string{"Q: Question a?", "buried", "Q: Question b?", "suspended", "Q: Question c?", "buried 1 · suspended 1 · leeches 0"},
			calls: []string{"bury a", "suspend b"},
		},
		{
			name:  "bury at the grade prompt",
			input: "\nbury\n",
			lines: []string{"A: Answer a", "buried", "Q: Question b?"},
			calls: []string{"bury a"},
		},
		{
			name:  "undo twice",
			input: "\n3\nsuspend\nu\nundo\nu\n\nh\n",
			lines: []string{
				"graded good — next in 15 days", "Q: Question b?", "suspended",
				"undone: suspended", "Q: Question b?",
				"undone: graded good", "Q: Question a?",
				"nothing to undo", "Q: Question a?",
				"graded hard — next in 15 days; back in 1 minute",
			},
			calls: []string{"answer a q4 redrill=false → #1", "suspend b", "restore b", "undo #1", "answer a q3 redrill=false → #2"},
		},
		{
			name:  "undo at the grade prompt",
			input: "\ne\n\nU\n",
			lines: []string{"graded easy — next in 15 days", "A: Answer b", "undone: graded easy", "Q: Question a?"},
			calls: []string{"answer a q5 redrill=false → #1", "undo #1"},
		},
		{
			name:  "help at both prompts",
			input: "?\n\n?\nGood\n",
			lines: []string{
				"Q: Question a?",
				"keys: a line shows the answer; then again, hard, good, easy (a, h, g, e) or 1–4 grades",
				"A: Answer a",
				"keys: a line shows the answer; then again, hard, good, easy (a, h, g, e) or 1–4 grades",
				"grade: 1 again (1d) · 2 hard (15d, ease -0.14) · 3 good (15d) · 4 easy (15d, ease +0.10)",
				"graded good — next in 15 days",
			},
			calls: []string{"answer a q4 redrill=false → #1"},
		},
		{
			name:  "not a grade",
			input: "\n5\n0\n\r\n  a  \r\n",
			lines: []string{
				`unknown answer "5" (again, hard, good, easy; 1–4)`,
				`unknown answer "0" (again, hard, good, easy; 1–4)`,
				`unknown answer "" (again, hard, good, easy; 1–4)`,
				"graded again — next in 1 day; back in 1 minute",
			},
			calls: []string{"answer a q2 redrill=false → #1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, f, _ := newSession([]card.Entry{entry("a", "", 2, 6), entry("b", "", 2, 6), entry("c", "", 2, 6)}, nil, Options{})
			out, _, err := runPlain(t, s, tt.input)
			if err != nil {
				t.Fatalf("RunPlain: %v", err)
			}
			wantInOrder(t, out, tt.lines...)
			f.checkCalls(t, tt.calls...)
		})
	}
}

func TestPlainQualities(t *testing.T) {
	t.Parallel()
	s, f, _ := newSession([]card.Entry{entry("a", "", 2, 6)}, nil, Options{Grades: Qualities})
	out, _, err := runPlain(t, s, "\n6\n0\n\n5\n")
	if err != nil {
		t.Fatal(err)
	}
	wantInOrder(t, out,
		"grade: 0 (1d, ease -0.80) · 1 (1d, ease -0.54) · 2 (1d, ease -0.32) · 3 (15d, ease -0.14) · 4 (15d) · 5 (15d, ease +0.10)",
		`unknown answer "6" (again, hard, good, easy; 0–5)`,
		"graded 0 — next in 1 day; back in 1 minute",
		"graded 5 (learning) — done for today",
		"q0 1 · q1 0 · q2 0 · q3 0 · q4 0 · q5 1",
	)
	f.checkCalls(t, "answer a q0 redrill=false → #1", "answer a q5 redrill=true → #2")
}

func TestPlainLeech(t *testing.T) {
	t.Parallel()
	a := entry("a", "", 2, 6)
	a.State.Lapses = 7
	s, f, _ := newSession([]card.Entry{a, entry("b", "", 2, 6)}, nil, Options{})
	f.leech["a"] = true
	out, _, err := runPlain(t, s, "\nagain\n")
	if err != nil {
		t.Fatal(err)
	}
	wantInOrder(t, out,
		"graded again — next in 1 day",
		`leech: "Question a?" (a) lapsed 8 times: suspended`,
		"Q: Question b?",
		"buried 0 · suspended 0 · leeches 1",
	)
}

func TestPlainErrors(t *testing.T) {
	t.Parallel()
	t.Run("collection", func(t *testing.T) {
		s, f, _ := newSession([]card.Entry{entry("a", "", 2, 6)}, nil, Options{})
		f.fail["Answer"] = errBoom
		_, _, err := runPlain(t, s, "\ngood\n")
		if !errors.Is(err, errBoom) || !strings.Contains(err.Error(), "card a") {
			t.Errorf("RunPlain with a failing collection: error %v, want one naming card a and wrapping %v", err, errBoom)
		}
	})
	t.Run("huge line", func(t *testing.T) {
		s, f, _ := newSession([]card.Entry{entry("a", "", 2, 6)}, nil, Options{})
		huge := strings.Repeat("x", 3*maxInputLine)
		out, _, err := runPlain(t, s, huge+"\n"+huge+"\ngood\n")
		if err != nil {
			t.Fatal(err)
		}
		wantInOrder(t, out, `unknown answer "xxxxxxxxxxxxxxxxxxx…" (again, hard, good, easy; 1–4)`, "graded good — next in 15 days")
		f.checkCalls(t, "answer a q4 redrill=false → #1")
	})
	t.Run("read error", func(t *testing.T) {
		s, f, _ := newSession([]card.Entry{entry("a", "", 2, 6)}, nil, Options{})
		var out strings.Builder
		_, err := RunPlain(ctx, s, iotest.ErrReader(errBoom), &out)
		if !errors.Is(err, errBoom) {
			t.Errorf("RunPlain on a failing reader: error %v, want %v", err, errBoom)
		}
		f.checkCalls(t)
	})
	t.Run("empty session", func(t *testing.T) {
		s, _, _ := newSession(nil, nil, Options{})
		out, _, err := runPlain(t, s, "good\n")
		if err != nil {
			t.Fatal(err)
		}
		wantInOrder(t, out, "reviewed 0 cards in 0s")
		if strings.Contains(out, "Q:") {
			t.Errorf("an empty session asked a question:\n%s", out)
		}
	})
}

func TestParseGradeLine(t *testing.T) {
	t.Parallel()
	// The protocol hands grade lines to card.ParseGrade; check the
	// spellings the package doc promises reach it intact.
	for _, line := range []string{"again", "a", "1", "hard", "h", "2", "good", "g", "3", "easy", "e", "4", " GOOD "} {
		if _, err := card.ParseGrade(line, false); err != nil {
			t.Errorf("ParseGrade(%q) error %v, want a grade", line, err)
		}
		if parseCommand(line) != cmdNone {
			t.Errorf("parseCommand(%q) = %v, want no command: it is a grade", line, parseCommand(line))
		}
	}
}

// TestPlainWaitsForTheCollection: a grade given while another recall
// holds the collection is saved once it is free, after one line that
// says so; a refusal about the card is said and the session goes on.
func TestPlainWaitsForTheCollection(t *testing.T) {
	t.Parallel()
	s, f, _ := newSession([]card.Entry{entry("a", "", 2, 6), entry("b", "", 2, 6)}, nil, Options{})
	f.busy["Answer"] = 3
	f.fail["Bury"] = fmt.Errorf("bury card b: it is an orphan: %w", card.ErrInvalid)
	out, sum, err := runPlain(t, s, "\ngood\nb\n\ngood\n")
	if err != nil {
		t.Fatalf("RunPlain: %v\n%s", err, out)
	}
	wantInOrder(t, out,
		"Q: Question a?",
		"waiting: another recall is writing the collection; this is saved as soon as it is free",
		"graded good — next in 15 days",
		"Q: Question b?",
		"error: card b: bury card b: it is an orphan: invalid (nothing saved)",
		"Q: Question b?",
		"graded good — next in 15 days",
	)
	if n := strings.Count(out, "waiting:"); n != 1 {
		t.Errorf("said it waits %d times, want once:\n%s", n, out)
	}
	if sum.Cards != 2 {
		t.Errorf("summary counts %d cards, want 2", sum.Cards)
	}
	f.checkCalls(t, "answer a: busy", "answer a: busy", "answer a: busy", "answer a q4 redrill=false → #1", "answer b q4 redrill=false → #2")
}
