package review

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/viewport"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/huh"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"github.com/recall-cli/recall/internal/card"
)

// TUIOptions are the terminal session's streams and hooks.
type TUIOptions struct {
	// In and Out are the terminal; a nil In reads nothing, a nil Out
	// writes nowhere.
	In  io.Reader
	Out io.Writer
	// Color turns colour on; without it (NO_COLOR, a dumb terminal) the
	// screen is plain text.
	Color bool
	// Edit builds the command that opens file at line in the person's
	// editor, or returns nil when the notes are not a file it can open,
	// or an error when the editor's command is wrong; a nil Edit turns
	// the e key off.
	Edit func(file string, line int) (*exec.Cmd, error)
	// AfterEdit runs once the editor has exited, to re-sync file into the
	// collection. The card on screen keeps its text until the next session.
	AfterEdit func(file string) error
}

// RunTUI runs the session as a full-screen terminal program and returns
// its summary, which it also prints to Out once the screen is gone so that
// it stays in the scrollback. Every grade is committed before the next
// card shows, so q, Ctrl-C or a lost terminal lose nothing answered. An
// error of the collection is shown on screen; the last one left unresolved
// when the session ends is returned.
func RunTUI(ctx context.Context, s *Session, opts TUIOptions) (Summary, error) {
	if opts.Out == nil {
		opts.Out = io.Discard
	}
	m := newModel(ctx, s, opts)
	p := tea.NewProgram(m,
		tea.WithContext(ctx),
		tea.WithInput(opts.In),
		tea.WithOutput(opts.Out),
		tea.WithAltScreen(),
	)
	_, runErr := p.Run()
	if !m.summarized {
		m.summarize()
	}
	if err := m.summary.WriteText(opts.Out); err != nil && runErr == nil {
		runErr = err
	}
	switch {
	case runErr != nil && ctx.Err() != nil:
		return m.summary, ctx.Err()
	case runErr != nil:
		return m.summary, fmt.Errorf("terminal: %w", runErr)
	}
	return m.summary, m.err
}

// tickMsg redraws the timer.
type tickMsg struct{}

// editedMsg comes back when the editor has exited.
type editedMsg struct {
	file string
	err  error
}

// actedMsg is the outcome of an action on the collection. Actions run off
// the event loop, so that the screen stays alive (and says so) while the
// collection is busy with another recall.
type actedMsg struct {
	res  Result
	err  error
	then func(Result, error)
}

// pending is an action on its way to the collection. The session is the
// action's until it comes back: the screen shows frames drawn before it
// started, and keys wait their turn.
type pending struct {
	since   time.Time
	frozen  string // the screen as the action began
	waiting string // the same, saying that the collection is busy
}

// waitAfter is how long an action runs before the screen says it waits.
const waitAfter = time.Second

// model is the bubbletea model of a session. It is a pointer so that
// RunTUI can read the summary from it after the program ends.
type model struct {
	ctx  context.Context
	s    *Session
	opts TUIOptions
	st   styles

	width, height int
	revealed      bool
	help          bool
	finished      bool // the summary screen is up
	quitting      bool

	msg     string // what the last action did
	msgWarn bool
	err     error // the last error of the collection, cleared by success

	act       *pending       // an action on its way, or nil
	run       func() tea.Msg // what act runs (tests run it in place)
	queued    []rune         // keys typed while act runs
	quitAfter bool           // ctrl+c came while act ran: quit when it is back

	summarized bool
	summary    Summary

	vp    viewport.Model // the card's text, scrolled with j/k, arrows and PgUp/PgDn
	shown shown          // what vp holds
	// toAnswer: the answer was just revealed; the viewport scrolls to it
	// if it is out of sight.
	toAnswer bool
	lines    int // how many lines of text vp holds
}

func newModel(ctx context.Context, s *Session, opts TUIOptions) *model {
	m := &model{ctx: ctx, s: s, opts: opts, st: newStyles(opts.Out, opts.Color), width: 80, height: 24}
	if s.Done() {
		m.finish()
	}
	return m
}

func tick() tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return tickMsg{} })
}

// Init starts the timer.
func (m *model) Init() tea.Cmd { return tick() }

// Update handles keys, the timer, the window size and the editor.
func (m *model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
	case tickMsg:
		if !m.quitting {
			return m, tick()
		}
	case editedMsg:
		m.edited(msg)
	case actedMsg:
		return m, m.acted(msg)
	case tea.KeyMsg:
		return m, m.keys(msg)
	}
	return m, nil
}

// keys handles a key message rune by rune: fast typing arrives as one
// message with several runes ("1u", " 3").
func (m *model) keys(k tea.KeyMsg) tea.Cmd {
	var runes []rune
	switch k.Type {
	case tea.KeyCtrlC:
		if m.act != nil && !m.quitAfter {
			// Let the answer reach the collection first; a second ctrl+c
			// quits at once.
			m.quitAfter = true
			m.freeze()
			return nil
		}
		return m.quit()
	case tea.KeyUp, tea.KeyDown, tea.KeyPgUp, tea.KeyPgDown, tea.KeyHome, tea.KeyEnd:
		if m.act != nil {
			return nil
		}
		if m.finished {
			return m.quit()
		}
		if !m.help {
			m.scroll(func(vp *viewport.Model) {
				switch k.Type {
				case tea.KeyUp:
					vp.ScrollUp(1)
				case tea.KeyDown:
					vp.ScrollDown(1)
				case tea.KeyPgUp:
					vp.PageUp()
				case tea.KeyPgDown:
					vp.PageDown()
				case tea.KeyHome:
					vp.GotoTop()
				case tea.KeyEnd:
					vp.GotoBottom()
				}
			})
		}
		return nil
	case tea.KeySpace, tea.KeyEnter:
		runes = []rune{' '}
	case tea.KeyEsc:
		runes = []rune{0x1b}
	case tea.KeyRunes:
		if k.Paste || k.Alt {
			return nil // pasted text never grades
		}
		runes = k.Runes
	default:
		return nil
	}
	return m.feed(runes)
}

// feed presses keys in order. Once one starts an action, the rest wait
// for it to come back.
func (m *model) feed(runes []rune) tea.Cmd {
	var cmds []tea.Cmd
	for i, r := range runes {
		if m.act != nil {
			m.queued = append(m.queued, runes[i:]...)
			break
		}
		cmd := m.press(r)
		if m.quitting {
			return cmd
		}
		if cmd != nil {
			cmds = append(cmds, cmd)
		}
	}
	switch len(cmds) {
	case 0:
		return nil
	case 1:
		return cmds[0]
	}
	return tea.Sequence(cmds...)
}

// start runs an action on the collection off the event loop. While
// another recall holds the collection, the store gives up after its busy
// timeout with card.ErrBusy: the action is simply tried again, since what
// a person answered must not be dropped for that.
func (m *model) start(do func(context.Context) (Result, error), then func(Result, error)) tea.Cmd {
	ctx := m.ctx
	m.act = &pending{since: m.s.now()}
	m.freeze()
	m.run = func() tea.Msg {
		for {
			res, err := do(ctx)
			if !errors.Is(err, card.ErrBusy) || ctx.Err() != nil {
				return actedMsg{res: res, err: err, then: then}
			}
		}
	}
	return m.run
}

// freeze draws the frames shown while the action runs.
func (m *model) freeze() {
	msg, warn := m.msg, m.msgWarn
	m.act.frozen = m.render()
	wait := "waiting for the collection: another recall is writing it; this is saved as soon as it is free"
	if m.quitAfter {
		wait = "quitting once this is saved; ctrl+c again quits now"
		m.note(wait, true)
		m.act.frozen = m.render()
	}
	m.note(wait, true)
	m.act.waiting = m.render()
	m.msg, m.msgWarn = msg, warn
}

// acted takes an action's outcome, then the keys that waited for it.
func (m *model) acted(msg actedMsg) tea.Cmd {
	m.act, m.run = nil, nil
	msg.then(msg.res, msg.err)
	if m.s.Done() && !m.finished {
		m.finish()
	}
	if m.quitAfter {
		return m.quit()
	}
	q := m.queued
	m.queued = nil
	return m.feed(q)
}

// press handles one key.
func (m *model) press(r rune) tea.Cmd {
	if m.finished {
		if r == 'u' && m.s.CanUndo() {
			return m.undo()
		}
		return m.quit()
	}
	if m.help {
		m.help = false
		return nil
	}
	switch r {
	case ' ', '\r', '\n':
		m.toAnswer = m.toAnswer || !m.revealed
		m.revealed = true
		m.note("", false)
	case 'u':
		return m.undo()
	case 'j':
		m.scroll(func(vp *viewport.Model) { vp.ScrollDown(1) })
	case 'k':
		m.scroll(func(vp *viewport.Model) { vp.ScrollUp(1) })
	case 'b', 's':
		do := m.s.Bury
		if r == 's' {
			do = m.s.Suspend
		}
		return m.start(do, func(res Result, err error) {
			if m.done(err) {
				m.note(describe(res, m.s.Options().Grades), false)
			}
		})
	case 'e':
		return m.edit()
	case '?':
		m.help = true
	case 'q', 0x1b:
		return m.quit()
	default:
		return m.grade(r)
	}
	if m.s.Done() && !m.finished {
		m.finish()
	}
	return nil
}

// undo takes back the last answer (or bury, or suspension). On the
// summary screen it brings back the card it undid, and the session goes
// on from there.
func (m *model) undo() tea.Cmd {
	return m.start(m.s.Undo, func(res Result, err error) {
		if errors.Is(err, ErrNothingToUndo) {
			m.note("nothing to undo", false)
			return
		}
		if m.done(err) {
			m.finished, m.summarized = false, false
			m.note(undoNotice(res, m.s.Options().Grades), false)
		}
	})
}

// grade grades the current card with the key r, if r is a grade key and
// the answer has been shown.
func (m *model) grade(r rune) tea.Cmd {
	sc := m.s.Options().Grades
	keys, grades := sc.Keys()
	for i, k := range keys {
		if string(r) != k {
			continue
		}
		if !m.revealed {
			m.note("space shows the answer first", true)
			return nil
		}
		g := grades[i]
		return m.start(func(ctx context.Context) (Result, error) { return m.s.Grade(ctx, g) }, func(res Result, err error) {
			if !m.done(err) {
				return
			}
			if res.Leech {
				m.note(leechNotice(res), true)
			} else {
				m.note(describe(res, sc), false)
			}
		})
	}
	return nil
}

// done takes the outcome of an action: on success the next card shows
// unrevealed; an error stays on screen and nothing moves.
func (m *model) done(err error) bool {
	if err != nil {
		m.err = err
		m.note("error: "+err.Error()+" (nothing saved)", true)
		return false
	}
	m.err = nil
	m.revealed = false
	return true
}

func (m *model) note(s string, warn bool) { m.msg, m.msgWarn = s, warn }

func (m *model) edit() tea.Cmd {
	it, ok := m.s.Current()
	switch {
	case !ok:
		return nil
	case m.opts.Edit == nil:
		m.note("no editor: set $EDITOR", true)
		return nil
	case it.Source.File == "":
		m.note("this card has no source file", true)
		return nil
	}
	cmd, err := m.opts.Edit(it.Source.File, it.Source.Line)
	switch {
	case err != nil:
		m.note("editor: "+err.Error(), true)
		return nil
	case cmd == nil:
		m.note("cannot edit "+it.Source.File+": its notes are not a file on disk", true)
		return nil
	}
	file := it.Source.File
	return tea.Exec(&editorRun{cmd: cmd}, func(err error) tea.Msg { return editedMsg{file: file, err: err} })
}

func (m *model) edited(msg editedMsg) {
	if msg.err != nil {
		m.note(msg.err.Error(), true)
		return
	}
	if m.opts.AfterEdit == nil {
		m.note("edited "+msg.file, false)
		return
	}
	if err := m.opts.AfterEdit(msg.file); err != nil {
		m.note(fmt.Sprintf("re-sync %s: %v", msg.file, err), true)
		return
	}
	// The card on screen shows what the notes say now.
	inNotes, err := m.s.Refresh(m.ctx)
	switch {
	case err != nil:
		m.note(fmt.Sprintf("edited and re-synced %s; the card could not be read again: %v", msg.file, err), true)
	case !inNotes:
		m.note("edited "+msg.file+": this card is no longer in it (an orphan after this session)", false)
	default:
		m.note("edited and re-synced "+msg.file, false)
	}
}

func (m *model) summarize() {
	sum, err := m.s.Summary(m.ctx)
	m.summary, m.summarized = sum, true
	if err != nil && m.err == nil {
		m.err = err
	}
}

// finish puts up the summary screen.
func (m *model) finish() {
	m.summarize()
	m.finished = true
}

func (m *model) quit() tea.Cmd {
	if !m.summarized {
		m.summarize()
	}
	m.quitting = true
	return tea.Quit
}

// View draws the screen: header, breadcrumb, question (and answer), the
// last action's message and the keys. While an action runs, the frames
// drawn when it began stand in: the session is the action's.
func (m *model) View() string {
	if m.act != nil && !m.quitting {
		if m.s.now().Sub(m.act.since) >= waitAfter {
			return m.act.waiting
		}
		return m.act.frozen
	}
	return m.render()
}

// maxWidth caps the width the session draws in: on a wide terminal the
// screen is a column this wide in the middle, as text is easier to read
// in lines of a bounded length.
const maxWidth = 100

// Rows the screen keeps around the card's text: the header and its rule,
// the breadcrumb and a blank line, the message and the keys.
const (
	headerRows = 2
	crumbRows  = 2
	bottomRows = 2
)

// size returns the terminal's size (at least 20×8), the width the screen
// draws in and the margin that centres it.
func (m *model) size() (w, h, cw, margin int) {
	w, h = max(m.width, 20), max(m.height, 8)
	cw = min(w, maxWidth)
	return w, h, cw, (w - cw) / 2
}

// render draws the screen from the session.
func (m *model) render() string {
	if m.quitting {
		return ""
	}
	_, h, w, margin := m.size()
	var body []string
	var footer string
	switch {
	case m.finished:
		title := "Done for today"
		if m.summary.Left > 0 {
			title = "Session over"
		}
		body = strings.Split(m.st.note(title, strings.Join(m.summary.Lines(), "\n"), w), "\n")
		footer = m.st.dim.Render("any key to leave")
		if m.s.CanUndo() {
			footer = m.st.key.Render("u") + " undo the last answer  " + m.st.dim.Render("any other key to leave")
		}
	case m.help:
		body = strings.Split(m.st.note("Keys", m.helpText(), w), "\n")
		footer = m.st.dim.Render("any key to go back")
	default:
		body, footer = m.cardView(w)
	}
	keys := strings.Split(footer, "\n")
	room := h - headerRows - bottomRows - (len(keys) - 1)
	header := m.header(w)
	msg := ""
	if m.msg != "" {
		style := m.st.msg
		if m.msgWarn {
			style = m.st.warn
		}
		msg = style.Render(ansi.Truncate(m.msg, w, "…"))
	}
	if len(body) > room {
		body = append(body[:room-1], m.st.dim.Render("  …"))
	}
	for len(body) < room {
		body = append(body, "")
	}
	lines := append(header, body...)
	lines = append(lines, msg)
	for _, k := range keys {
		lines = append(lines, ansi.Truncate(k, w, ""))
	}
	if margin > 0 {
		pad := strings.Repeat(" ", margin)
		for i, l := range lines {
			if l != "" {
				lines[i] = pad + l
			}
		}
	}
	return strings.Join(lines, "\n")
}

func (m *model) header(w int) []string {
	c := m.s.Counts()
	deck := m.s.Options().Deck
	if it, ok := m.s.Current(); ok && deck == "" {
		deck = it.Deck
	}
	deck = card.Printable(deck)
	right := fmt.Sprintf("%s · %s · %s   %d/%d   %s",
		m.st.newCount.Render(fmt.Sprintf("new %d", c.New)),
		m.st.redrillCount.Render(fmt.Sprintf("learning %d", c.Redrill)),
		m.st.dueCount.Render(fmt.Sprintf("due %d", c.Due)),
		c.Position, c.Total, timer(m.s.Elapsed()))
	room := max(w-lipgloss.Width(right)-2, 0)
	left := m.st.deck.Render(ansi.Truncate(deck, room, "…"))
	gap := max(w-lipgloss.Width(left)-lipgloss.Width(right), 1)
	return []string{left + strings.Repeat(" ", gap) + right, m.st.rule.Render(strings.Repeat("─", w))}
}

// shown identifies what the viewport holds: a card, revealed or not, laid
// out at a width.
type shown struct {
	id                 string
	redrill, revealed  bool
	width              int
	front, back, crumb string
}

// layout puts the current card into the viewport, sized for the screen:
// its text laid out at the screen's width, the viewport as tall as the
// room left (a line less when the text overflows, for the line that says
// so). A new card starts at its top; revealing the answer scrolls to it
// if it would be out of sight. It returns the breadcrumb's line and
// whether there is a card.
func (m *model) layout() (crumb string, ok bool) {
	it, ok := m.s.Current()
	if !ok {
		return "", false
	}
	_, h, w, _ := m.size()
	room := h - headerRows - bottomRows - crumbRows - (len(m.keyLines(w)) - 1)
	suffix := ""
	if it.Redrill {
		suffix = "  (learning)"
	}
	parts := it.Context
	if len(parts) == 0 {
		parts = []string{card.Printable(it.Deck)}
	}
	crumb = fitCrumb(parts, w-ansi.StringWidth(suffix)) + suffix
	key := shown{id: it.ID, redrill: it.Redrill, revealed: m.revealed, width: w, front: it.Front, back: it.Back}
	if key != m.shown {
		var lines []string
		for _, l := range m.st.markdown(it.Front, w-2) {
			lines = append(lines, "  "+l)
		}
		answer := -1
		if m.revealed {
			answer = len(lines)
			lines = append(lines, "", "  "+m.st.rule.Render(strings.Repeat("─", min(w-4, 40))))
			for _, l := range m.st.markdown(it.Back, w-2) {
				lines = append(lines, "  "+l)
			}
		}
		m.vp.SetContent(strings.Join(lines, "\n"))
		m.lines = len(lines)
		m.fitViewport(w, room)
		if key.id != m.shown.id || key.redrill != m.shown.redrill || !m.revealed {
			m.vp.GotoTop()
		}
		if m.toAnswer && answer >= 0 && answer >= m.vp.YOffset+m.vp.Height-1 {
			m.vp.SetYOffset(answer)
		}
		m.toAnswer = false
		m.shown = key
	}
	m.fitViewport(w, room)
	return crumb, true
}

// fitViewport sizes the viewport and keeps its position within the text.
func (m *model) fitViewport(w, room int) {
	m.vp.Width = w
	m.vp.Height = max(room, 1)
	if m.lines > room {
		m.vp.Height = max(room-1, 1)
	}
	m.vp.SetYOffset(m.vp.YOffset)
}

// scroll moves the card's text, when it is longer than the screen.
func (m *model) scroll(move func(*viewport.Model)) {
	if _, ok := m.layout(); ok {
		move(&m.vp)
	}
}

func (m *model) cardView(w int) (body []string, footer string) {
	crumb, ok := m.layout()
	if !ok {
		return nil, ""
	}
	body = append(body, m.st.crumb.Render(ansi.Truncate(crumb, w, "…")), "")
	body = append(body, strings.Split(m.vp.View(), "\n")...)
	if m.lines > m.vp.Height {
		var where []string
		if above := m.vp.YOffset; above > 0 {
			where = append(where, fmt.Sprintf("↑ %d more", above))
		}
		if below := m.lines - m.vp.YOffset - m.vp.Height; below > 0 {
			where = append(where, fmt.Sprintf("↓ %d more", below))
		}
		line := "  " + strings.Join(where, " · ") + "   j/k ↑/↓ PgUp/PgDn scroll"
		body = append(body, m.st.dim.Render(ansi.Truncate(line, w, "…")))
	}
	return body, strings.Join(m.keyLines(w), "\n")
}

// keyLines returns the keys for the card on screen: one line, or two when
// the grades, ? and q do not fit on one with the grades named: the grades
// then go on a line of their own above.
func (m *model) keyLines(w int) []string {
	help, quit := m.keyHint("?", "help"), m.keyHint("q", "quit")
	help.must, quit.must = true, true
	if !m.revealed {
		show := m.keyHint("space", "show answer", "answer")
		show.must = true
		line, _ := m.hints(w, []hint{show,
			m.keyHint("u", "undo"), m.keyHint("b", "bury"), m.keyHint("s", "suspend"), m.keyHint("e", "edit"),
			help, quit}, 0)
		return []string{line}
	}
	var grades []hint
	preview := m.s.Preview()
	ws := whens(preview)
	for i, c := range preview {
		h := hint{must: true}
		// Narrower, the change of ease loses its word: "15d +0.10".
		k, days, short := m.st.key.Render(c.Key), ws[i], strings.Replace(ws[i], ", ease ", " ", 1)
		// The grade's name outlasts the change of ease.
		if c.Label != "" {
			h.text = append(h.text, k+" "+c.Label+" "+m.st.dim.Render("("+days+")"), k+" "+c.Label+" "+m.st.dim.Render(short),
				k+" "+c.Label+" "+m.st.dim.Render(span(c.Days)))
		} else {
			h.text = append(h.text, k+" "+m.st.dim.Render("("+days+")"))
		}
		h.text = append(h.text, k+" "+m.st.dim.Render(short), k+" "+m.st.dim.Render(span(c.Days)), k)
		grades = append(grades, h)
	}
	if line, ok := m.hints(w, append(append([]hint{}, grades...), help, quit), 1); ok {
		return []string{line}
	}
	g, _ := m.hints(w, grades, 0)
	hq, _ := m.hints(w, []hint{help, quit}, 0)
	return []string{g, hq}
}

// hint is one entry of the keys line: its text, longest first, and
// whether it must stay when the line is short of room.
type hint struct {
	text []string
	must bool
}

// keyHint is a key and what it does, in as many wordings as given.
func (m *model) keyHint(key string, labels ...string) hint {
	h := hint{}
	for _, l := range labels {
		h.text = append(h.text, m.st.key.Render(key)+" "+l)
	}
	return h
}

// hints lays out a keys line in width cells: all of it if it fits; else
// without the hints that may go, last first; else each in its shorter
// wordings, down to the wording numbered shortest (0 for any). ok says
// whether the line fits. q and ? are always kept, so a person can leave or
// learn the keys at any width.
func (m *model) hints(width int, hs []hint, shortest int) (line string, ok bool) {
	join := func(hs []hint, level int) string {
		parts := make([]string, len(hs))
		for i, h := range hs {
			parts[i] = h.text[min(level, len(h.text)-1)]
		}
		return strings.Join(parts, "  ")
	}
	levels := 1
	for _, h := range hs {
		levels = max(levels, len(h.text))
	}
	if shortest > 0 {
		levels = min(levels, shortest+1)
	}
	line = join(hs, 0)
	for i := len(hs) - 1; i >= 0 && lipgloss.Width(line) > width; i-- {
		if !hs[i].must {
			hs = append(hs[:i:i], hs[i+1:]...)
			line = join(hs, 0)
		}
	}
	for level := 1; level < levels && lipgloss.Width(line) > width; level++ {
		line = join(hs, level)
	}
	return line, lipgloss.Width(line) <= width
}

// fitCrumb fits a breadcrumb into width cells. One too long keeps its
// end, the headings nearest the card, which tell it from its neighbours
// (its first levels are the same for every card of the notes), and cuts
// whole levels from the left: "… › Why microservices › velocity". A last
// level too long by itself keeps its own end.
func fitCrumb(parts []string, width int) string {
	const sep, cut = " › ", "… › "
	full := strings.Join(parts, sep)
	if ansi.StringWidth(full) <= width {
		return full
	}
	for i := 1; i < len(parts); i++ {
		if s := cut + strings.Join(parts[i:], sep); ansi.StringWidth(s) <= width {
			return s
		}
	}
	if width < 1 {
		return ""
	}
	last := parts[len(parts)-1]
	return ansi.TruncateLeft(last, ansi.StringWidth(last)-width+1, "…")
}

func (m *model) helpText() string {
	keys, _ := m.s.Options().Grades.Keys()
	grades := keys[0] + "–" + keys[len(keys)-1]
	return strings.Join([]string{
		"space, enter   show the answer",
		grades + "            grade (again, hard, good, easy)",
		"u              undo the last answer (again for more)",
		"b              bury: hide until tomorrow",
		"s              suspend: hide until restored",
		"e              edit the card's notes in $EDITOR",
		"j/k, ↑/↓       scroll a card longer than the screen",
		"PgUp/PgDn      scroll it a page at a time",
		"?              these keys",
		"q, ctrl+c      quit (every answer is already saved)",
	}, "\n")
}

// styles are the screen's styles, bound to a renderer whose colour profile
// follows TUIOptions.Color.
type styles struct {
	color                                  bool
	deck, dim, crumb, rule, key, msg, warn lipgloss.Style
	newCount, redrillCount, dueCount       lipgloss.Style
	theme                                  *huh.Theme
	r                                      *lipgloss.Renderer
}

func newStyles(out io.Writer, color bool) styles {
	r := lipgloss.NewRenderer(out)
	switch {
	case !color:
		r.SetColorProfile(termenv.Ascii)
	case r.ColorProfile() == termenv.Ascii:
		// The caller knows it is a colour terminal even if out does not
		// look like one (a wrapped writer).
		r.SetColorProfile(termenv.ANSI256)
	}
	if color {
		// Ask the terminal for its background now, before the program
		// reads the keyboard, rather than on the first adaptive colour.
		r.HasDarkBackground()
	} else {
		// Without colour the background does not matter. Asked later (huh's
		// notes use adaptive colours), the terminal's answer would reach
		// the program's keyboard reader instead, and the screen would
		// freeze for termenv's 5-second timeout.
		r.SetHasDarkBackground(true)
	}
	st := styles{color: color, r: r}
	st.deck = r.NewStyle().Bold(true)
	st.dim = r.NewStyle().Faint(true)
	st.crumb = r.NewStyle().Foreground(lipgloss.Color("8"))
	st.rule = r.NewStyle().Foreground(lipgloss.Color("8"))
	st.key = r.NewStyle().Bold(true).Foreground(lipgloss.Color("12"))
	st.msg = r.NewStyle().Foreground(lipgloss.Color("10"))
	st.warn = r.NewStyle().Foreground(lipgloss.Color("11"))
	st.newCount = r.NewStyle().Foreground(lipgloss.Color("12"))
	st.redrillCount = r.NewStyle().Foreground(lipgloss.Color("9"))
	st.dueCount = r.NewStyle().Foreground(lipgloss.Color("10"))

	t := huh.ThemeCharm()
	for _, fs := range []*huh.FieldStyles{&t.Focused, &t.Blurred} {
		fs.Base = fs.Base.Renderer(r)
		fs.Card = fs.Card.Renderer(r)
		fs.NoteTitle = fs.NoteTitle.Renderer(r)
		fs.Title = fs.Title.Renderer(r)
		fs.Description = fs.Description.Renderer(r)
		fs.Next = fs.Next.Renderer(r)
	}
	st.theme = t
	return st
}

// note draws a titled block of text with huh's Note field.
func (st styles) note(title, text string, width int) string {
	card := st.theme.Blurred.Card // a note that is not focused draws blurred
	width -= card.GetHorizontalBorderSize() + card.GetHorizontalMargins()
	v := huh.NewNote().Title(title).Description(text).WithTheme(st.theme).WithWidth(width).View()
	if !st.color {
		// The note closes its description with a reset code even when
		// nothing was styled.
		v = ansi.Strip(v)
	}
	return v
}
