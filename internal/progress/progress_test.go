package progress

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// clock is a fake clock that tests move by hand.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

func newTest(opts Options) (*Reporter, *bytes.Buffer, *clock) {
	var out bytes.Buffer
	c := &clock{t: time.Date(2026, 11, 30, 8, 0, 0, 0, time.UTC)}
	opts.Now = c.now
	opts.DrawOnCount = true
	return New(&out, opts), &out, c
}

// lastLine is what a terminal would show of the line last drawn.
func lastLine(out string) string {
	i := strings.LastIndexByte(out, '\r')
	return strings.TrimSuffix(out[i+1:], "\x1b[K")
}

func TestReporterDrawsLabelCountRateAndTimeLeft(t *testing.T) {
	r, out, c := newTest(Options{Terminal: true})
	r.Start("adding cards", 1000)
	c.advance(2 * time.Second)
	r.Set(400)
	got := lastLine(out.String())
	for _, want := range []string{"adding cards", "400/1000", "200/s", "3s left", " 40%"} {
		if !strings.Contains(got, want) {
			t.Errorf("line = %q, want it to hold %q", got, want)
		}
	}
	if !strings.HasPrefix(out.String(), "\r") {
		t.Errorf("output = %q, want it to start with a carriage return", out.String())
	}
}

func TestReporterWaitsASecondBeforeDrawing(t *testing.T) {
	r, out, c := newTest(Options{Terminal: true})
	r.Start("reading notes", 10)
	for range 9 {
		c.advance(100 * time.Millisecond)
		r.Add(1)
	}
	if out.Len() != 0 {
		t.Fatalf("after 0.9s the output is %q, want nothing", out.String())
	}
	c.advance(100 * time.Millisecond)
	r.Add(1)
	if !strings.Contains(out.String(), "10/10") {
		t.Errorf("after 1s the output is %q, want the line", out.String())
	}
}

func TestReporterDrawsAtMostTenTimesASecond(t *testing.T) {
	r, out, c := newTest(Options{Terminal: true})
	r.Start("exporting cards", 100000)
	c.advance(time.Second)
	// A card every millisecond for two seconds: 2000 updates.
	for range 2000 {
		c.advance(time.Millisecond)
		r.Add(1)
	}
	if n := strings.Count(out.String(), "\r"); n < 19 || n > 21 {
		t.Errorf("2s of updates drew %d times, want 20 (10 a second)", n)
	}
}

func TestReporterDoneClearsTheLine(t *testing.T) {
	r, out, c := newTest(Options{Terminal: true})
	r.Start("syncing files", 3)
	c.advance(2 * time.Second)
	r.Add(1)
	r.Done()
	if !strings.HasSuffix(out.String(), "\r\x1b[K") {
		t.Errorf("output ends %q, want the line erased", out.String())
	}
	n := out.Len()
	r.Done()
	if out.Len() != n {
		t.Errorf("a second Done wrote %q, want nothing", out.String()[n:])
	}
}

func TestReporterWriteClearsTheLineFirst(t *testing.T) {
	r, out, c := newTest(Options{Terminal: true})
	r.Start("adding cards", 10)
	c.advance(2 * time.Second)
	r.Add(1)
	before := out.Len()
	if _, err := r.Write([]byte("recall: warning: a.md gives no cards\n")); err != nil {
		t.Fatal(err)
	}
	got := out.String()[before:]
	if got != "\r\x1b[Krecall: warning: a.md gives no cards\n" {
		t.Errorf("a write printed %q, want the line erased and then the warning", got)
	}
	// The next update draws the line again, once an interval has passed.
	c.advance(time.Millisecond)
	r.Add(1)
	if out.Len() != before+len(got) {
		t.Errorf("the line came back at once after a warning: %q", out.String()[before+len(got):])
	}
	c.advance(DefaultInterval)
	r.Add(1)
	if !strings.Contains(lastLine(out.String()), "3/10") {
		t.Errorf("the line did not come back after a warning: %q", out.String())
	}
}

func TestReporterNotOnATerminalWritesNothing(t *testing.T) {
	r, out, c := newTest(Options{Terminal: false})
	r.Start("adding cards", 100)
	for range 100 {
		c.advance(100 * time.Millisecond)
		r.Add(1)
	}
	r.Done()
	if out.Len() != 0 {
		t.Errorf("not on a terminal, the reporter wrote %q", out.String())
	}
	if _, err := r.Write([]byte("warning\n")); err != nil || out.String() != "warning\n" {
		t.Errorf("a write gave %q, %v; want it passed through", out.String(), err)
	}
}

func TestNilReporterDoesNothing(t *testing.T) {
	var r *Reporter
	r.Start("x", 1)
	r.Add(1)
	r.Set(1)
	r.Done()
}

func TestReporterColour(t *testing.T) {
	for _, tt := range []struct {
		name    string
		opts    Options
		escapes bool
		bar     string
	}{
		{"colour", Options{Terminal: true, Color: true, Profile: termenv.TrueColor}, true, "█"},
		{"256 colours", Options{Terminal: true, Color: true, Profile: termenv.ANSI256}, true, "█"},
		{"no colour", Options{Terminal: true, Color: false, Profile: termenv.TrueColor}, false, "█"},
		{"dumb terminal", Options{Terminal: true, Color: true, Dumb: true}, false, "#"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r, out, c := newTest(tt.opts)
			r.Start("adding cards", 10)
			c.advance(2 * time.Second)
			r.Set(5)
			line := lastLine(out.String())
			if got := strings.Contains(line, "\x1b["); got != tt.escapes {
				t.Errorf("line %q has escapes: %v, want %v", line, got, tt.escapes)
			}
			if !strings.Contains(line, tt.bar) {
				t.Errorf("line %q has no %q in its bar", line, tt.bar)
			}
		})
	}
}

func TestDumbTerminalClearsWithSpaces(t *testing.T) {
	r, out, c := newTest(Options{Terminal: true, Dumb: true})
	r.Start("adding cards", 10)
	c.advance(2 * time.Second)
	r.Set(5)
	drawn := len(lastLine(out.String()))
	r.Done()
	if want := "\r" + strings.Repeat(" ", drawn) + "\r"; !strings.HasSuffix(out.String(), want) {
		t.Errorf("output ends %q, want %q", out.String(), want)
	}
	if strings.Contains(out.String(), "\x1b") {
		t.Errorf("a dumb terminal got an escape sequence: %q", out.String())
	}
}

func TestLineFitsTheTerminal(t *testing.T) {
	r, out, c := newTest(Options{Terminal: true, Width: 30, Color: true})
	r.Start("adding cards from a very long label", 1000)
	c.advance(2 * time.Second)
	r.Set(10)
	if line := lastLine(out.String()); ansi.StringWidth(line) > 29 {
		t.Errorf("line %q is %d columns, want at most 29 on a 30-column terminal", line, ansi.StringWidth(line))
	}
}

func TestRateAndDuration(t *testing.T) {
	for _, tt := range []struct {
		rate float64
		want string
	}{{0.5, "0.5/s"}, {37.4, "37/s"}, {1234, "1.2k/s"}, {45678, "46k/s"}} {
		if got := Rate(tt.rate); got != tt.want {
			t.Errorf("Rate(%v) = %q, want %q", tt.rate, got, tt.want)
		}
	}
	for _, tt := range []struct {
		d    time.Duration
		want string
	}{{4 * time.Second, "4s"}, {65 * time.Second, "1m05s"}, {2*time.Hour + 3*time.Minute, "2h03m"}} {
		if got := Duration(tt.d); got != tt.want {
			t.Errorf("Duration(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestReporterUncountedWorkShowsItsTime(t *testing.T) {
	r, out, c := newTest(Options{Terminal: true})
	r.Start("writing the package", 0)
	c.advance(3 * time.Second)
	r.Update(0, 0)
	if got := lastLine(out.String()); got != "writing the package  3s" {
		t.Errorf("line = %q, want %q", got, "writing the package  3s")
	}
	c.advance(time.Second)
	r.Update(50, 200)
	if got := lastLine(out.String()); !strings.Contains(got, "50/200") {
		t.Errorf("line = %q, want 50/200", got)
	}
}

func TestReporterTicksThroughUncountedWork(t *testing.T) {
	var out syncBuffer
	r := New(&out, Options{Terminal: true, Delay: time.Nanosecond, Interval: time.Millisecond})
	r.Start("writing the package", 0)
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(out.String(), "writing the package") && time.Now().Before(deadline) {
		time.Sleep(time.Millisecond)
	}
	r.Done()
	if !strings.Contains(out.String(), "writing the package  ") {
		t.Errorf("no line drawn while nothing was counted: %q", out.String())
	}
	n := len(out.String())
	time.Sleep(5 * time.Millisecond)
	if len(out.String()) != n {
		t.Errorf("the ticker drew after Done: %q", out.String()[n:])
	}
}

// syncBuffer is a buffer that a ticker and a test may share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
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

// BenchmarkReporterAdd measures what counting one item costs on a
// terminal, where the line is drawn, beside its limit: twice what it
// costs in a pipe, where nothing is (a lock and an addition), measured in
// the same run. The drawing is the ticker's, ten times a second; an item
// counted pays nothing for it.
func BenchmarkReporterAdd(b *testing.B) {
	perItem := func(terminal bool) float64 {
		r := New(io.Discard, Options{Terminal: terminal, Delay: time.Nanosecond})
		const n = 1_000_000
		r.Start("exporting cards", n)
		start := time.Now()
		for range n {
			r.Add(1)
		}
		elapsed := time.Since(start)
		r.Done()
		return float64(elapsed.Nanoseconds()) / n
	}
	var term, pipe float64
	for b.Loop() {
		term += perItem(true)
		pipe += perItem(false)
	}
	b.ReportMetric(term/float64(b.N), "terminal-ns/item")
	b.ReportMetric(pipe/float64(b.N), "pipe-ns/item")
	b.ReportMetric(term/pipe, "ratio")
	b.ReportMetric(2, "limit-ratio")
}
