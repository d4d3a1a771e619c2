package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestReviewValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		opts reviewOptions
		want string // the error, "" for none
	}{
		{reviewOptions{Grades: "buttons"}, ""},
		{reviewOptions{Grades: "1-4", New: 5, Limit: 10}, ""},
		{reviewOptions{Grades: "0-5"}, ""},
		{reviewOptions{Grades: ""}, ""},
		{reviewOptions{Grades: "buttons", New: -1}, "--new and --limit take a number of cards, 0 or more"},
		{reviewOptions{Grades: "buttons", Limit: -1}, "--new and --limit take a number of cards, 0 or more"},
		{reviewOptions{Grades: "0-4"}, `--grades "0-4": want buttons or 0-5`},
	}
	for _, tt := range tests {
		err := tt.opts.validate()
		if tt.want == "" {
			if err != nil {
				t.Errorf("validate(%+v) = %v, want nil", tt.opts, err)
			}
			continue
		}
		if _, ok := err.(usageError); !ok || err.Error() != tt.want {
			t.Errorf("validate(%+v) = %v, want usage error %q", tt.opts, err, tt.want)
		}
	}
}

func TestReviewUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		args   []string
		stderr string
	}{
		{[]string{"--new", "-1"}, "recall review: --new and --limit take a number of cards, 0 or more; see recall review --help\n"},
		{[]string{"--limit", "-3"}, "recall review: --new and --limit take a number of cards, 0 or more; see recall review --help\n"},
		{[]string{"--grades", "stars"}, "recall review: --grades \"stars\": want buttons or 0-5; see recall review --help\n"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			t.Parallel()
			e := newTestEnv(t)
			args := append([]string{"review"}, tt.args...)
			if code := e.run(args...); code != exitUsage {
				t.Errorf("%v = exit %d, want %d", args, code, exitUsage)
			}
			if e.errOut.String() != tt.stderr || e.out.Len() != 0 {
				t.Errorf("%v: stdout %q, stderr %q; want nothing and %q", args, e.out, e.errOut, tt.stderr)
			}
			if e.dbExists() {
				t.Errorf("%v opened the collection", args)
			}
		})
	}
}

// withK8s is a test Env whose collection holds the two k8s cards.
func withK8s(t *testing.T) *testEnv {
	t.Helper()
	e := newTestEnv(t)
	e.mustRun(t, "add", e.write(t, "k8s.md", k8s))
	return e
}

// Without a terminal the session is the line protocol, on stdout.
func TestReviewPlain(t *testing.T) {
	t.Parallel()
	e := withK8s(t)
	e.Stdin = strings.NewReader("\ngood\n\nagain\n")
	got := e.mustRun(t, "review")
	want := `
card 1/2 · new 2 · learning 0 · due 0
K8s
Q: What port does etcd serve clients on?
A: 2379
grade: 1 again (1d, ease -0.32) · 2 hard (1d, ease -0.14) · 3 good (1d) · 4 easy (1d, ease +0.10)
graded good — next in 1 day

card 2/2 · new 1 · learning 0 · due 0
K8s
Q: What does the kubelet do?
A: runs pods
grade: 1 again (1d, ease -0.32) · 2 hard (1d, ease -0.14) · 3 good (1d) · 4 easy (1d, ease +0.10)
graded again — next in 1 day; back in 1 minute

card 2/2 (learning) · new 0 · learning 1 · due 0
K8s
Q: What does the kubelet do?

reviewed 2 cards in 0s
again 1 · hard 0 · good 1 · easy 0
correct 50% (1 of 2)
new learned 1
left 1 card
due tomorrow 2
streak 1 day
`
	if got != want {
		t.Errorf("review:\n%s\nwant:\n%s", got, want)
	}
	if e.errOut.Len() != 0 {
		t.Errorf("review: stderr = %q, want nothing", e.errOut)
	}
	if got := e.mustRun(t, "status"); got != "K8s\t0\t1\t0\t2\t2\t0\t0\n" {
		t.Errorf("status after review = %q", got)
	}
}

// The full-screen session needs a terminal on both stdin and stdout and
// neither --plain nor --json; every other case is the line protocol, on
// stdout, or on stderr with --json.
func TestReviewModes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		stdinTTY, outTTY bool
		args             []string
		protocolOnStderr bool
	}{
		{"pipes", false, false, nil, false},
		{"stdin a terminal", true, false, nil, false},
		{"stdout a terminal", false, true, nil, false},
		{"terminal with --plain", true, true, []string{"--plain"}, false},
		{"terminal with --json", true, true, []string{"--json"}, true},
		{"pipes with --json", false, false, []string{"--json"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := withK8s(t)
			e.StdinTTY, e.StdoutTTY = tt.stdinTTY, tt.outTTY
			e.Stdin = strings.NewReader("\n3\n")
			args := append([]string{"review"}, tt.args...)
			stdout := e.mustRun(t, args...)
			protocol, other := stdout, e.errOut.String()
			if tt.protocolOnStderr {
				protocol, other = other, protocol
			}
			if !strings.Contains(protocol, "\nQ: What port does etcd serve clients on?\nA: 2379\n") || !strings.Contains(protocol, "reviewed 1 card in 0s") {
				t.Errorf("%v: the protocol is not where it should be:\n%s", args, protocol)
			}
			if strings.Contains(other, "Q: ") {
				t.Errorf("%v: the protocol leaked to the other stream:\n%s", args, other)
			}
		})
	}
}

func TestReviewJSON(t *testing.T) {
	t.Parallel()
	e := withK8s(t)
	// hard is below good: the card comes back later in the session, and
	// the input ends before it does.
	e.Stdin = strings.NewReader("\neasy\n\nhard\n")
	out := e.mustRun(t, "review", "--json")
	var sum map[string]any
	if err := json.Unmarshal([]byte(out), &sum); err != nil {
		t.Fatalf("review --json: stdout is not JSON: %v\n%s", err, out)
	}
	want := map[string]any{
		"cards": 2.0, "answers": 2.0, "seconds": 0.0, "again": 0.0, "hard": 1.0, "good": 0.0, "easy": 1.0,
		"correct": 100.0, "passed": 2.0, "new_learned": 1.0, "buried": 0.0, "suspended": 0.0, "leeches": 0.0,
		"left": 1.0, "learning": 0.0, "due_tomorrow": 2.0, "streak": 1.0,
		"qualities": []any{0.0, 0.0, 0.0, 1.0, 0.0, 1.0},
	}
	for k, v := range want {
		if got, _ := json.Marshal(sum[k]); string(got) != mustJSON(t, v) {
			t.Errorf("review --json: %s = %s, want %s", k, got, mustJSON(t, v))
		}
	}
	if len(sum) != len(want) {
		t.Errorf("review --json has %d fields, want %d: %s", len(sum), len(want), out)
	}
	if !strings.Contains(e.errOut.String(), "graded easy") || !strings.Contains(e.errOut.String(), "reviewed 2 cards") {
		t.Errorf("review --json: stderr lacks the session:\n%s", e.errOut)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestReviewGrades05(t *testing.T) {
	t.Parallel()
	e := withK8s(t)
	e.Stdin = strings.NewReader("\n5\n")
	got := e.mustRun(t, "review", "--grades", "0-5", "--new", "1")
	for _, want := range []string{"card 1/1 ·", "\ngrade: 0 (1d, ease -0.80) · 1 (1d, ease -0.54) · 2 (1d, ease -0.32) · 3 (1d, ease -0.14) · 4 (1d) · 5 (1d, ease +0.10)\ngraded 5 — next in 1 day\n", "\nq0 0 · q1 0 · q2 0 · q3 0 · q4 0 · q5 1\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("review --grades 0-5: stdout lacks %q:\n%s", want, got)
		}
	}
}

func TestReviewUnknownDeck(t *testing.T) {
	t.Parallel()
	e := withK8s(t)
	if code := e.run("review", "--deck", "Nope"); code != exitFailure {
		t.Errorf("review --deck Nope = exit %d, want %d", code, exitFailure)
	}
	if got, want := e.errOut.String(), "recall: no deck \"Nope\"\nhint: 'recall decks' lists them\n"; got != want {
		t.Errorf("stderr = %q, want %q", got, want)
	}
	if e.out.Len() != 0 {
		t.Errorf("stdout = %q, want nothing", e.out)
	}
}

func TestReviewNothingDue(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(t *testing.T, e *testEnv)
		args  []string
		want  string
	}{
		{
			name: "all answered",
			setup: func(t *testing.T, e *testEnv) {
				e.mustRun(t, "answer", "b15b062ed275", "good")
				e.mustRun(t, "answer", "2eae42c2409e", "good")
			},
			want: "Nothing due today. Next card due tomorrow (2026-03-03).\n",
		},
		{
			name: "all answered, in a deck",
			setup: func(t *testing.T, e *testEnv) {
				e.mustRun(t, "answer", "b15b062ed275", "good")
				e.mustRun(t, "answer", "2eae42c2409e", "good")
			},
			args: []string{"--deck", "K8s"},
			want: "Nothing due in K8s today. Next card due tomorrow (2026-03-03).\n",
		},
		{
			name: "next card days away",
			setup: func(t *testing.T, e *testEnv) {
				e.mustRun(t, "answer", "b15b062ed275", "good")
				e.mustRun(t, "answer", "2eae42c2409e", "good")
				e.Now = func() time.Time { return testNow.AddDate(0, 0, 1) }
				e.mustRun(t, "answer", "b15b062ed275", "good")
				e.mustRun(t, "answer", "2eae42c2409e", "good")
			},
			want: "Nothing due today. Next card due on 2026-03-09, in 6 days.\n",
		},
		{
			name:  "--new 0 leaves the new cards out",
			setup: func(*testing.T, *testEnv) {},
			args:  []string{"--new", "0"},
			want:  "Nothing due today. 2 new cards waiting (--new 0 left them out).\n",
		},
		{
			name: "the day's new cards are done",
			setup: func(t *testing.T, e *testEnv) {
				e.mustRun(t, "config", "K8s", "--new", "1")
				e.Stdin = strings.NewReader("\ngood\n")
				e.mustRun(t, "review")
			},
			want: "Nothing due today. Next card due tomorrow (2026-03-03). 1 new card waiting (today's new-card limit is reached; --new N studies more).\n",
		},
		{
			name: "--limit 0 holds back what is due",
			setup: func(t *testing.T, e *testEnv) {
				e.mustRun(t, "answer", "b15b062ed275", "good")
				e.Now = func() time.Time { return testNow.AddDate(0, 0, 1) }
			},
			args: []string{"--limit", "0", "--new", "0"},
			want: "No reviews this session (--limit 0); 1 card is due today. 1 new card waiting (--new 0 left them out).\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := withK8s(t)
			tt.setup(t, e)
			e.Stdin = strings.NewReader("good\n")
			args := append([]string{"review"}, tt.args...)
			if got := e.mustRun(t, args...); got != tt.want {
				t.Errorf("%v = %q, want %q", args, got, tt.want)
			}
			if e.errOut.Len() != 0 {
				t.Errorf("%v: stderr = %q, want nothing", args, e.errOut)
			}
		})
	}
}

// --new and --limit replace the limits for this session, of the session
// as a whole.
func TestReviewSessionLimits(t *testing.T) {
	t.Parallel()
	e := withK8s(t)
	e.mustRun(t, "add", e.write(t, "colours.md", colours))
	if got := e.mustRun(t, "review", "--new", "1"); !strings.HasPrefix(got, "\ncard 1/1 · new 1 ·") {
		t.Errorf("review --new 1 (two decks) starts %q", firstLines(got, 2))
	}
	if got := e.mustRun(t, "review", "--new", "2"); !strings.HasPrefix(got, "\ncard 1/2 · new 2 ·") {
		t.Errorf("review --new 2 (two decks) starts %q", firstLines(got, 2))
	}
	// Colours is one list: its list card and clozes are siblings, so one
	// of them a day, whatever the limit.
	if got := e.mustRun(t, "review", "--new", "3", "--deck", "Colours"); !strings.HasPrefix(got, "\ncard 1/1 · new 1 ·") {
		t.Errorf("review --new 3 --deck Colours starts %q", firstLines(got, 2))
	}
	// New cards only: --limit 0 holds back no new card.
	if got := e.mustRun(t, "review", "--limit", "0"); !strings.HasPrefix(got, "\ncard 1/3 · new 3 ·") {
		t.Errorf("review --limit 0 starts %q", firstLines(got, 2))
	}
	if got := e.mustRun(t, "review", "--deck", "K8s"); !strings.HasPrefix(got, "\ncard 1/2 · new 2 · learning 0 · due 0\nK8s\n") {
		t.Errorf("review --deck K8s starts %q", firstLines(got, 3))
	}
}

func firstLines(s string, n int) string {
	lines := strings.SplitN(s, "\n", n+1)
	return strings.Join(lines[:min(n, len(lines))], "\n")
}

// On an empty collection review loads the shipped decks, says so on
// stderr once, and studies them.
func TestReviewLoadsShippedDecks(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	out := e.mustRun(t, "review", "--json")
	loaded := regexp.MustCompile(`^recall: the collection is empty, so recall loaded its shipped decks: [^,\n]+ \(\d+ cards\)(, [^,\n]+ \(\d+ cards\))*\n`)
	if !loaded.MatchString(e.errOut.String()) {
		t.Errorf("review on an empty collection: stderr =\n%s", e.errOut)
	}
	if !strings.Contains(e.errOut.String(), "\ncard 1/") {
		t.Errorf("review on an empty collection did not start a session:\n%s", e.errOut)
	}
	if !json.Valid([]byte(out)) {
		t.Errorf("review --json: stdout is not JSON:\n%s", out)
	}

	// The decks named are the decks of the collection now.
	var want []deckObject
	_, names, _ := strings.Cut(firstLines(e.errOut.String(), 1), "shipped decks: ")
	for _, m := range regexp.MustCompile(`([^,]+) \((\d+) cards\)(?:, |$)`).FindAllStringSubmatch(names, -1) {
		n, _ := strconv.Atoi(m[2])
		want = append(want, deckObject{Name: m[1], Cards: n,
			NewLimit: 20, NewFrom: "default", ReviewLimit: 200, ReviewLimitFrom: "default"})
	}
	var got []deckObject
	if err := json.Unmarshal([]byte(e.mustRun(t, "decks", "--json")), &got); err != nil {
		t.Fatal(err)
	}
	for i := range got {
		got[i].Subdecks = nil // the headings of the shipped decks
	}
	if len(want) == 0 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("decks after loading the shipped decks = %v, want %v", got, want)
	}

	e.mustRun(t, "review")
	if strings.Contains(e.errOut.String(), "shipped decks") {
		t.Errorf("second review loaded the shipped decks again: %q", e.errOut)
	}
}

// blockingReader gives r, then blocks until release is closed: a person
// who has not typed the next answer yet.
type blockingReader struct {
	r       io.Reader
	release chan struct{}
}

func (b *blockingReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err == io.EOF {
		<-b.release
	}
	return n, err
}

// cancelWriter cancels once what was written contains trigger: Ctrl-C
// pressed while a given card is on the screen.
type cancelWriter struct {
	buf     bytes.Buffer
	trigger string
	cancel  context.CancelFunc
}

func (c *cancelWriter) Write(p []byte) (int, error) {
	n, err := c.buf.Write(p)
	if strings.Contains(c.buf.String(), c.trigger) {
		c.cancel()
	}
	return n, err
}

// An interrupt ends the session like q: the answers are saved, the summary
// printed, and the exit status is 130.
func TestReviewInterrupted(t *testing.T) {
	t.Parallel()
	e := withK8s(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	e.Stdin = &blockingReader{r: strings.NewReader("\ngood\n"), release: release}
	out := &cancelWriter{trigger: "card 2/2", cancel: cancel}
	e.Stdout = out
	e.errOut.Reset()
	if code := Run(ctx, e.Env, []string{"review"}); code != exitInterrupted {
		t.Errorf("interrupted review = exit %d, want %d", code, exitInterrupted)
	}
	if got := e.errOut.String(); got != "recall: interrupted\n" {
		t.Errorf("interrupted review: stderr = %q", got)
	}
	if got := out.buf.String(); !strings.Contains(got, "graded good") || !strings.Contains(got, "\nreviewed 1 card in 0s\n") {
		t.Errorf("interrupted review: no summary:\n%s", got)
	}
	e.Stdout = e.out
	if got := e.mustRun(t, "cards", "--deck", "K8s"); !strings.Contains(got, "b15b062ed275\treview\t2026-03-03") {
		t.Errorf("the answer before the interrupt was not saved:\n%s", got)
	}
}

func TestDayName(t *testing.T) {
	t.Parallel()
	today := time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		days int
		want string
	}{
		{1, "tomorrow (2026-03-03)"},
		{2, "on 2026-03-04, in 2 days"},
		{30, "on 2026-04-01, in 30 days"},
	}
	for _, tt := range tests {
		if got := dayName(today.AddDate(0, 0, tt.days), today); got != tt.want {
			t.Errorf("dayName(today+%d) = %q, want %q", tt.days, got, tt.want)
		}
	}
	// Across a change to summer time a day is 23 hours.
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		t.Skip(err)
	}
	before := time.Date(2026, 3, 28, 0, 0, 0, 0, paris)
	if got, want := dayName(before.AddDate(0, 0, 2), before), "on 2026-03-30, in 2 days"; got != want {
		t.Errorf("dayName across DST = %q, want %q", got, want)
	}
}

// An interrupted review --json still prints the summary of what was saved,
// and exits as interrupted.
func TestReviewJSONInterrupted(t *testing.T) {
	t.Parallel()
	e := withK8s(t)
	// The person never answers; Ctrl-C comes while the session waits.
	pr, pw := io.Pipe()
	defer pw.Close()
	e.Stdin = pr
	ctx, cancel := context.WithCancel(context.Background())
	defer time.AfterFunc(50*time.Millisecond, cancel).Stop()
	e.out.Reset()
	e.errOut.Reset()
	if code := Run(ctx, e.Env, []string{"review", "--json"}); code != exitInterrupted {
		t.Errorf("review --json, interrupted = exit %d, want %d", code, exitInterrupted)
	}
	var sum map[string]any
	if err := json.Unmarshal(e.out.Bytes(), &sum); err != nil || sum["cards"] != 0.0 {
		t.Errorf("review --json, interrupted: stdout %q is not the summary (%v)", e.out, err)
	}
}
