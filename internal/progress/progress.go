// Package progress draws how far a long piece of work has come on one
// line of a terminal: a label, a bar, items done of the total, the rate
// and the time left. It draws nothing when told it is not on a terminal,
// nothing for work that ends within a second, and at most ten times a
// second, so that a quick command and a pipe see no trace of it.
//
// It knows nothing of recall's commands; the cli gives it the stream, the
// clock and what kind of terminal it draws on. It imports no package of
// recall's.
package progress

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/bubbles/progress"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"
)

// Defaults of Options.
const (
	DefaultDelay    = time.Second
	DefaultInterval = 100 * time.Millisecond
	DefaultWidth    = 80
	barWidth        = 24
)

// Options say where and how a Reporter draws.
type Options struct {
	// Terminal says the output is a terminal; when false the Reporter
	// never draws, and only passes writes through.
	Terminal bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Width is the terminal's width in columns, DefaultWidth when 0. The
	// line is cut to fit: a line that wrapped could not be redrawn.
	Width int
	// Color colours the bar, in Profile's colours (true colour when
	// Profile is not set).
	Color   bool
	Profile termenv.Profile
	// Dumb is a terminal that takes no escape sequences (TERM=dumb): the
	// line is cleared with spaces and the bar drawn in ASCII.
	Dumb bool
	// Delay is how long work runs before the line first appears
	// (DefaultDelay when 0); Interval the least time between two drawings
	// (DefaultInterval when 0).
	Delay, Interval time.Duration

	// DrawOnCount has every change of the count draw the line, when it
	// is due, instead of a ticker: for tests that move a fake clock.
	DrawOnCount bool
}

// Reporter draws the progress of one piece of work after another on one
// line. Its methods may be called on a nil Reporter, which does nothing,
// and from several goroutines.
//
// A Reporter is also a writer, for the warnings that come while it
// draws: a write clears the line first, and the next update draws it
// again below what was written.
type Reporter struct {
	out  io.Writer
	opts Options
	bar  progress.Model

	mu       sync.Mutex
	began    time.Time // the first Start: the delay counts from it
	start    time.Time // this piece of work's Start
	label    string
	done     int
	total    int
	drawn    int           // width of the line on the terminal, 0 if none
	lastDraw time.Time     // when the line was last drawn
	stopTick chan struct{} // closed to stop the ticker of uncounted work
}

// New makes a Reporter drawing on out.
func New(out io.Writer, opts Options) *Reporter {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Width <= 0 {
		opts.Width = DefaultWidth
	}
	if opts.Delay == 0 {
		opts.Delay = DefaultDelay
	}
	if opts.Interval == 0 {
		opts.Interval = DefaultInterval
	}
	profile := opts.Profile
	if !opts.Color || opts.Dumb {
		profile = termenv.Ascii
	}
	// The percentage is printed here rather than by the bar: the bar
	// styles it with lipgloss, whose default renderer queries the
	// terminal on stdout for its background colour.
	barOpts := []progress.Option{progress.WithWidth(barWidth), progress.WithColorProfile(profile), progress.WithoutPercentage()}
	switch {
	case opts.Dumb:
		barOpts = append(barOpts, progress.WithFillCharacters('#', '-'))
	case profile != termenv.Ascii:
		barOpts = append(barOpts, progress.WithDefaultGradient())
	}
	return &Reporter{out: out, opts: opts, bar: progress.New(barOpts...)}
}

// Start begins a piece of work of total items (0 when the total is not
// known), called label ("adding cards"). It ends the one before. The
// line appears once a second has passed since the first Start: later
// work of a long command shows at once. On a terminal a ticker draws the
// line every Interval until the next Start or Done, so that it stays
// current however the items come (one that takes long; work not counted
// in items, such as zipping a package).
func (r *Reporter) Start(label string, total int) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopTicker()
	if r.opts.Terminal && !r.opts.DrawOnCount {
		r.stopTick = make(chan struct{})
		go r.tick(r.stopTick)
	}
	now := r.opts.Now()
	if r.began.IsZero() {
		r.began = now
	}
	r.start, r.label, r.done, r.total = now, label, 0, total
	r.lastDraw = time.Time{}
	// Work that starts late in a long command shows at once, even if its
	// first item takes long.
	r.update()
}

// Add counts n more items done.
func (r *Reporter) Add(n int) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done += n
	r.counted()
}

// Set says how many items are done.
func (r *Reporter) Set(done int) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done = done
	r.counted()
}

// Update says how many items are done of how many: for work whose total
// is learnt as it goes.
func (r *Reporter) Update(done, total int) {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done, r.total = done, total
	r.counted()
}

// Done ends the work and clears the line: what the command prints next
// starts on a clean line.
func (r *Reporter) Done() {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.stopTicker()
	r.clear()
	r.label, r.done, r.total = "", 0, 0
}

// tick draws the line every interval until stop is closed.
func (r *Reporter) tick(stop chan struct{}) {
	t := time.NewTicker(r.opts.Interval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			r.mu.Lock()
			select {
			case <-stop:
			default:
				r.beat()
			}
			r.mu.Unlock()
		}
	}
}

// stopTicker stops the ticker of the work before, if it has one.
func (r *Reporter) stopTicker() {
	if r.stopTick != nil {
		close(r.stopTick)
		r.stopTick = nil
	}
}

// Write clears the line and writes p where it was; the next update draws
// the line again below. Unlike the other methods it needs a Reporter.
func (r *Reporter) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.drawn > 0 {
		r.clear()
		// Drawn again at once, the line would flicker between warnings
		// that come in a burst: it waits for the next beat, or an
		// interval when the count draws it.
		r.lastDraw = r.opts.Now()
	}
	return r.out.Write(p)
}

// counted follows a change of the count. On a terminal the ticker draws
// the line, so that counting an item costs what it costs in a pipe (a
// lock, BenchmarkReporterAdd); with DrawOnCount the count draws it.
func (r *Reporter) counted() {
	if r.opts.DrawOnCount {
		r.update()
	}
}

// update draws the line if the work has run long enough and the last
// drawing is old enough.
func (r *Reporter) update() {
	if !r.opts.Terminal || r.label == "" {
		return
	}
	now := r.opts.Now()
	if now.Sub(r.began) < r.opts.Delay {
		return
	}
	if !r.lastDraw.IsZero() && now.Sub(r.lastDraw) < r.opts.Interval {
		return
	}
	r.draw(now)
}

// beat draws the line at a beat of the ticker, which keeps the pace
// itself: a beat that came a little early must not be lost.
func (r *Reporter) beat() {
	if !r.opts.Terminal || r.label == "" {
		return
	}
	if now := r.opts.Now(); now.Sub(r.began) >= r.opts.Delay {
		r.draw(now)
	}
}

// draw writes the line over the one drawn before.
func (r *Reporter) draw(now time.Time) {
	line := ansi.Truncate(r.line(now), r.opts.Width-1, "")
	width := ansi.StringWidth(line)
	var b strings.Builder
	b.WriteByte('\r')
	b.WriteString(line)
	if r.opts.Dumb {
		// No escape to erase with: spaces cover what was longer.
		b.WriteString(strings.Repeat(" ", max(0, r.drawn-width)))
	} else {
		b.WriteString(ansi.EraseLineRight)
	}
	_, _ = io.WriteString(r.out, b.String())
	r.drawn, r.lastDraw = width, now
}

// clear erases the line, if one is drawn, and leaves the cursor at its
// start.
func (r *Reporter) clear() {
	if r.drawn == 0 {
		return
	}
	if r.opts.Dumb {
		_, _ = io.WriteString(r.out, "\r"+strings.Repeat(" ", r.drawn)+"\r")
	} else {
		_, _ = io.WriteString(r.out, "\r"+ansi.EraseLineRight)
	}
	r.drawn = 0
}

// line is what the line says: "adding cards ████░░░░  40%  400/1000  200/s  3s left".
func (r *Reporter) line(now time.Time) string {
	elapsed := now.Sub(r.start)
	if r.total == 0 && r.done == 0 {
		// Work that is not counted in items (zipping a package) says
		// only how long it has taken.
		return r.label + "  " + Duration(elapsed)
	}
	parts := []string{r.label}
	if r.total > 0 {
		frac := min(1, float64(r.done)/float64(r.total))
		parts = append(parts, r.bar.ViewAs(frac)+fmt.Sprintf(" %3.0f%%", frac*100), fmt.Sprintf("%d/%d", r.done, r.total))
	} else {
		parts = append(parts, fmt.Sprintf("%d", r.done))
	}
	rate := 0.0
	if elapsed > 0 {
		rate = float64(r.done) / elapsed.Seconds()
	}
	parts = append(parts, Rate(rate))
	if r.total > 0 && rate > 0 && r.done < r.total {
		left := time.Duration(float64(r.total-r.done) / rate * float64(time.Second))
		parts = append(parts, Duration(left)+" left")
	}
	return strings.Join(parts, "  ")
}

// Rate says a number of items a second the way a person reads it:
// "0.5/s", "37/s", "12.4k/s".
func Rate(perSecond float64) string {
	switch {
	case perSecond >= 10000:
		return fmt.Sprintf("%.0fk/s", perSecond/1000)
	case perSecond >= 1000:
		return fmt.Sprintf("%.1fk/s", perSecond/1000)
	case perSecond >= 10:
		return fmt.Sprintf("%.0f/s", perSecond)
	}
	return fmt.Sprintf("%.1f/s", perSecond)
}

// Duration says a time left to the second: "4s", "1m05s", "2h03m".
func Duration(d time.Duration) string {
	s := int(d.Round(time.Second) / time.Second)
	switch {
	case s >= 3600:
		return fmt.Sprintf("%dh%02dm", s/3600, s%3600/60)
	case s >= 60:
		return fmt.Sprintf("%dm%02ds", s/60, s%60)
	}
	return fmt.Sprintf("%ds", s)
}
