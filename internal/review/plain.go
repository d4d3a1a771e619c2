package review

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/recall-cli/recall/internal/card"
)

// maxInputLine caps a line of answers; the rest of a longer line is read
// and dropped, so a stray binary on stdin cannot exhaust memory.
const maxInputLine = 4096

// command is something a person may type at either prompt.
type command int

const (
	cmdNone command = iota
	cmdUndo
	cmdBury
	cmdSuspend
	cmdQuit
	cmdHelp
)

func parseCommand(line string) command {
	switch strings.ToLower(strings.TrimSpace(line)) {
	case "u", "undo":
		return cmdUndo
	case "b", "bury":
		return cmdBury
	case "s", "suspend":
		return cmdSuspend
	case "q", "quit":
		return cmdQuit
	case "?", "help":
		return cmdHelp
	}
	return cmdNone
}

// RunPlain runs the session as the line protocol of the package doc,
// reading answers from in and writing to out, and returns the summary it
// printed last. End of input ends the session: what was answered is saved
// and the current card is not graded. An error of the collection stops
// the session and is returned.
func RunPlain(ctx context.Context, s *Session, in io.Reader, out io.Writer) (Summary, error) {
	p := &plain{s: s, in: newLineReader(in), w: &errWriter{w: out}}
	runErr := p.run(ctx)
	interrupted := runErr != nil && ctx.Err() != nil && errors.Is(runErr, ctx.Err())
	if runErr != nil && !interrupted {
		return Summary{}, runErr
	}
	// An interrupt ends the session like q: everything answered is saved,
	// so the summary is still worth printing. Its queries must not carry
	// the cancelled context.
	sum, err := s.Summary(context.WithoutCancel(ctx))
	if err != nil {
		return sum, err
	}
	p.w.println("")
	for _, l := range sum.Lines() {
		p.w.println(l)
	}
	if interrupted {
		return sum, runErr
	}
	return sum, p.w.err
}

type plain struct {
	s  *Session
	in *lineReader
	w  *errWriter
}

// errEnd stops the loop without an error: end of input or quit.
var errEnd = errors.New("end")

func (p *plain) run(ctx context.Context) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if p.w.err != nil {
			return p.w.err
		}
		it, ok := p.s.Current()
		if !ok {
			return nil
		}
		err := p.card(ctx, it)
		if errors.Is(err, errEnd) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// card asks one card: question, any line, answer, grade. It returns when
// the current card has changed (graded, buried, suspended, undone).
func (p *plain) card(ctx context.Context, it Item) error {
	c := p.s.Counts()
	pos := fmt.Sprintf("card %d/%d", c.Position, c.Total)
	if it.Redrill {
		pos += " (learning)"
	}
	p.w.println("")
	p.w.println(fmt.Sprintf("%s · new %d · learning %d · due %d", pos, c.New, c.Redrill, c.Due))
	p.w.println(breadcrumb(it.Card))
	p.w.println(labelled("Q: ", it.Front))
	for {
		line, err := p.in.nextCtx(ctx)
		if err != nil {
			return err
		}
		cmd := parseCommand(line)
		if cmd == cmdHelp {
			p.help()
			continue
		}
		if cmd != cmdNone {
			return p.command(ctx, cmd)
		}
		break
	}
	p.w.println(labelled("A: ", it.Back))
	prompt := "grade: " + choices(p.s.Preview(), " · ")
	p.w.println(prompt)
	raw := p.s.Options().Grades == Qualities
	for {
		line, err := p.in.nextCtx(ctx)
		if err != nil {
			return err
		}
		if cmd := parseCommand(line); cmd == cmdHelp {
			p.help()
			p.w.println(prompt)
			continue
		} else if cmd != cmdNone {
			return p.command(ctx, cmd)
		}
		g, err := card.ParseGrade(line, raw)
		if err != nil {
			p.w.println(fmt.Sprintf("unknown answer %q (again, hard, good, easy; %s)", excerpt(line, 20), digits(raw)))
			p.w.println(prompt)
			continue
		}
		res, err := p.act(ctx, func(ctx context.Context) (Result, error) { return p.s.Grade(ctx, g) })
		if err != nil {
			return p.failed(err)
		}
		p.w.println(describe(res, p.s.Options().Grades))
		if res.Leech {
			p.w.println(leechNotice(res))
		}
		return nil
	}
}

func (p *plain) command(ctx context.Context, cmd command) error {
	var (
		res Result
		err error
	)
	switch cmd {
	case cmdQuit:
		return errEnd
	case cmdUndo:
		res, err = p.act(ctx, p.s.Undo)
		if errors.Is(err, ErrNothingToUndo) {
			p.w.println("nothing to undo")
			return nil
		}
		if err == nil {
			p.w.println(undoNotice(res, p.s.Options().Grades))
		}
		return p.failed(err)
	case cmdBury:
		res, err = p.act(ctx, p.s.Bury)
	case cmdSuspend:
		res, err = p.act(ctx, p.s.Suspend)
	}
	if err == nil {
		p.w.println(describe(res, p.s.Options().Grades))
	}
	return p.failed(err)
}

// act runs an action on the collection. While another recall holds the
// collection the store gives up after its busy timeout with card.ErrBusy:
// the action is tried again, once said, since what a person answered must
// not be dropped for that.
func (p *plain) act(ctx context.Context, do func(context.Context) (Result, error)) (Result, error) {
	said := false
	for {
		res, err := do(ctx)
		if !errors.Is(err, card.ErrBusy) || ctx.Err() != nil {
			return res, err
		}
		if !said {
			p.w.println("waiting: another recall is writing the collection; this is saved as soon as it is free")
			said = true
		}
	}
}

// failed decides what an action's error does to the session. A refusal
// about the card (card.ErrInvalid: burying a card that left its notes,
// undoing an answer another session followed up) is said and the session
// goes on; anything else ends it.
func (p *plain) failed(err error) error {
	if errors.Is(err, card.ErrInvalid) {
		p.w.println("error: " + err.Error() + " (nothing saved)")
		return nil
	}
	return err
}

func (p *plain) help() {
	raw := p.s.Options().Grades == Qualities
	p.w.println("keys: a line shows the answer; then again, hard, good, easy (a, h, g, e) or " + digits(raw) + " grades")
	p.w.println("      u undo · b bury until tomorrow · s suspend · q quit · ? this help")
}

func digits(raw bool) string {
	if raw {
		return "0–5"
	}
	return "1–4"
}

// breadcrumb is a card's context joined with " › ", or its deck.
func breadcrumb(c card.Card) string {
	if len(c.Context) == 0 {
		return card.Printable(c.Deck)
	}
	return strings.Join(c.Context, " › ")
}

// labelled prefixes the first line of text with label and indents the
// others to match.
func labelled(label, text string) string {
	text = strings.TrimRight(text, "\n")
	return label + strings.ReplaceAll(text, "\n", "\n"+strings.Repeat(" ", len(label)))
}

// lineReader reads one line at a time and keeps what it read ahead for
// the next prompt, unlike a scanner made per prompt. Reads happen in a
// goroutine of their own so that a prompt can give up when its context
// is cancelled (Ctrl-C) instead of waiting for a line that may never come.
type lineReader struct {
	r     *bufio.Reader
	lines chan lineRead
}

type lineRead struct {
	text string
	err  error
}

func newLineReader(r io.Reader) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, maxInputLine)}
}

// nextCtx is next, abandoned when ctx is done. The reading goroutine
// starts on the first call and stops at the end of input or an error.
func (l *lineReader) nextCtx(ctx context.Context) (string, error) {
	if l.lines == nil {
		l.lines = make(chan lineRead)
		go func() {
			for {
				text, err := l.next()
				l.lines <- lineRead{text, err}
				if err != nil {
					return
				}
			}
		}()
	}
	select {
	case <-ctx.Done():
		return "", ctx.Err()
	case lr := <-l.lines:
		return lr.text, lr.err
	}
}

// next returns the next line without its end of line, or errEnd at the
// end of input (a last line without a newline still counts).
func (l *lineReader) next() (string, error) {
	line, err := l.r.ReadSlice('\n')
	text := string(line)
	for errors.Is(err, bufio.ErrBufferFull) {
		_, err = l.r.ReadSlice('\n')
	}
	if errors.Is(err, io.EOF) {
		if len(text) == 0 {
			return "", errEnd
		}
		err = nil
	}
	if err != nil {
		return "", fmt.Errorf("reading answers: %w", err)
	}
	return string(bytes.TrimRight([]byte(text), "\r\n")), nil
}

// errWriter remembers the first write error so the protocol can print
// freely and check once.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) println(s string) {
	if e.err != nil {
		return
	}
	_, e.err = io.WriteString(e.w, s+"\n")
}
