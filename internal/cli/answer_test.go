package cli

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestAnswerGrades(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args []string
		want string // after "b15b062ed275: graded "
	}{
		{[]string{"good"}, "good (q=4)"},
		{[]string{"g"}, "good (q=4)"},
		{[]string{"3"}, "good (q=4)"},
		{[]string{"GOOD"}, "good (q=4)"},
		{[]string{"again"}, "again (q=2)|; learning: back at 09:01"},
		{[]string{"a"}, "again (q=2)|; learning: back at 09:01"},
		{[]string{"1"}, "again (q=2)|; learning: back at 09:01"},
		{[]string{"hard"}, "hard (q=3)|; learning: back at 09:01"},
		{[]string{"2"}, "hard (q=3)|; learning: back at 09:01"},
		{[]string{"e"}, "easy (q=5)"},
		{[]string{"4"}, "easy (q=5)"},
		{[]string{"0", "--grades", "0-5"}, "again (q=0)|; learning: back at 09:01"},
		{[]string{"1", "--grades", "0-5"}, "again (q=1)|; learning: back at 09:01"},
		{[]string{"3", "--grades", "0-5"}, "hard (q=3)|; learning: back at 09:01"},
		{[]string{"5", "--grades", "0-5"}, "easy (q=5)"},
		{[]string{"good", "--grades", "0-5"}, "good (q=4)"},
		{[]string{"3", "--grades", "buttons"}, "good (q=4)"},
		{[]string{"3", "--grades", "1-4"}, "good (q=4)"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			e.mustRun(t, "add", e.write(t, "k8s.md", k8s))
			got := e.mustRun(t, append([]string{"answer", "b15b062ed275"}, tt.args...)...)
			// A new card is due the next day whatever the grade; below
			// good it is learning, back a minute later.
			grade, learn, _ := strings.Cut(tt.want, "|")
			want := "b15b062ed275: graded " + grade + "; next in 1 day, due 2026-03-03" + learn + "\n"
			if got != want {
				t.Errorf("answer %v = %q, want %q", tt.args, got, want)
			}
		})
	}
}

func TestAnswerSchedule(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.mustRun(t, "add", e.write(t, "k8s.md", k8s))
	e.mustRun(t, "answer", "b15b062ed275", "good")
	// Not due until tomorrow: answering it now takes --force.
	if got, want := e.mustRun(t, "answer", "b15b062ed275", "easy", "--force"), "b15b062ed275: graded easy (q=5); next in 6 days, due 2026-03-08\n"; got != want {
		t.Errorf("second answer = %q, want %q", got, want)
	}
}

// The eighth lapse makes a leech: suspended, with a second line saying so.
// A lapse is a failed review of a card recalled before, one a day: on the
// day it was failed, the card is learning and its answers are re-drills.
func TestAnswerLeech(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	e.mustRun(t, "add", e.write(t, "k8s.md", k8s))
	var got string
	day := 0
	on := func(d int) { e.Now = func() time.Time { return testNow.AddDate(0, 0, d) } }
	for i := 1; i <= 8; i++ {
		on(day)
		e.mustRun(t, "answer", "2eae42c2409e", "good")
		on(day + 1)
		got = e.mustRun(t, "answer", "2eae42c2409e", "again")
		day += 2
		if i < 8 && strings.Contains(got, "leech") {
			t.Fatalf("lapse %d already a leech: %q", i, got)
		}
	}
	want := "2eae42c2409e: graded again (q=2); next in 1 day, due 2026-03-18; learning: back at 09:01\n" +
		"2eae42c2409e: leech: lapsed 8 times, suspended and tagged leech\n"
	if got != want {
		t.Errorf("eighth lapse = %q, want %q", got, want)
	}
	if got := e.mustRun(t, "status"); got != "K8s\t1\t0\t0\t0\t2\t1\t0\n" {
		t.Errorf("status after a leech = %q", got)
	}
}

// A bad grade or scale is a usage error, found before the collection is
// opened.
func TestAnswerUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args   []string
		stderr string
	}{
		{[]string{"zz"}, `recall answer: unknown grade "zz": want again, hard, good, easy or 1-4 (or a quality 0-5 with --grades 0-5); see recall answer --help` + "\n"},
		{[]string{"0"}, `recall answer: unknown grade "0": want again, hard, good, easy or 1-4 (or a quality 0-5 with --grades 0-5); see recall answer --help` + "\n"},
		{[]string{"5"}, `recall answer: unknown grade "5": want again, hard, good, easy or 1-4 (or a quality 0-5 with --grades 0-5); see recall answer --help` + "\n"},
		{[]string{""}, `recall answer: unknown grade "": want again, hard, good, easy or 1-4 (or a quality 0-5 with --grades 0-5); see recall answer --help` + "\n"},
		{[]string{"6", "--grades", "0-5"}, `recall answer: unknown grade "6": want an SM-2 quality 0-5 (the scale --grades 0-5 chose); see recall answer --help` + "\n"},
		{[]string{"good", "--grades", "1-10"}, `recall answer: --grades "1-10": want buttons or 0-5; see recall answer --help` + "\n"},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.args), func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			args := append([]string{"answer", "b15b062ed275"}, tt.args...)
			if code := e.run(args...); code != exitUsage {
				t.Errorf("%v = exit %d, want %d", args, code, exitUsage)
			}
			if got := e.errOut.String(); !strings.HasPrefix(got, tt.stderr) || strings.Count(got, "\n") != 1 {
				t.Errorf("%v: stderr = %q, want one line starting %q", args, got, tt.stderr)
			}
			if e.dbExists() {
				t.Errorf("%v opened the collection", args)
			}
		})
	}
}

func TestAnswerUnknownCard(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	if code := e.run("answer", "nope", "good"); code != exitFailure {
		t.Errorf("answer nope good = exit %d, want %d", code, exitFailure)
	}
	if got, want := e.errOut.String(), "recall: no card nope\n"; got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
}

// A card a session would not show now is refused, naming why, unless
// --force: suspended, buried, an orphan, a review not due yet.
func TestAnswerRefuses(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	notes := e.write(t, "k8s.md", k8s)
	e.mustRun(t, "add", notes)
	e.mustRun(t, "answer", "b15b062ed275", "good")
	e.Stdin = strings.NewReader("b\n")
	e.mustRun(t, "review", "--plain")
	for _, tt := range []struct{ id, why string }{
		{"b15b062ed275", "it is not due until 2026-03-03 (in 1 day)"},
		{"2eae42c2409e", "it is buried until tomorrow"},
	} {
		if code := e.run("answer", tt.id, "good"); code != exitFailure {
			t.Errorf("answer %s = exit %d, want %d", tt.id, code, exitFailure)
		}
		if want := "recall: card " + tt.id + ": " + tt.why + "; --force answers it anyway: invalid\n"; e.errOut.String() != want {
			t.Errorf("answer %s: stderr = %q, want %q", tt.id, e.errOut, want)
		}
	}
	e.mustRun(t, "answer", "2eae42c2409e", "good", "--force")
	e.write(t, "k8s.md", "# K8s\n\nWhat port does etcd serve clients on? :: 2379\n")
	e.mustRun(t, "sync")
	if code := e.run("answer", "2eae42c2409e", "good"); code != exitFailure || !strings.Contains(e.errOut.String(), "it is an orphan") {
		t.Errorf("answer to an orphan = exit %d, %q", code, e.errOut)
	}
}
