package store

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"
	"time"
	"unicode"

	"modernc.org/sqlite"

	"github.com/recall-cli/recall/internal/card"
	"github.com/recall-cli/recall/internal/search"
	"github.com/recall-cli/recall/internal/srs"
)

// Find returns the ids of the cards a search matches, by deck, file and
// line: what Cards with that query alone lists, so orphans only when the
// query asks for them with is:orphan.
func (s *Store) Find(ctx context.Context, q search.Query) ([]string, error) {
	f := Filter{Query: q}
	where, args, err := s.where(ctx, f, s.now())
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM cards`+where+f.order(), args...)
	if err != nil {
		return nil, fmt.Errorf("search %q: %w", q, dbErr(err))
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("search %q: %w", q, dbErr(err))
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("search %q: %w", q, dbErr(err))
	}
	return ids, nil
}

// compile turns a query into a condition on a row of the cards table (its
// columns unqualified, the table named cards) and the condition's
// arguments. No text of the query goes into the SQL itself.
func (s *Store) compile(ctx context.Context, q search.Query, now time.Time) (string, []any, error) {
	start, end := srs.DayBounds(now, s.Rollover)
	c := &compiler{s: s, ctx: ctx, today: s.today(now), start: start.UnixNano(), end: end.UnixNano()}
	w, err := c.node(q.Root)
	if err != nil {
		return "", nil, fmt.Errorf("search %q: %w", q, err)
	}
	return w, c.args, nil
}

type compiler struct {
	s          *Store
	ctx        context.Context
	today      int64 // the study day
	start, end int64 // the study day's bounds, Unix nanoseconds
	args       []any
	decks      []string // every deck and subdeck name, read at the first deck:
}

func (c *compiler) arg(a ...any) { c.args = append(c.args, a...) }

func (c *compiler) node(n search.Node) (string, error) {
	switch n := n.(type) {
	case search.And:
		return c.list(n.Terms, " AND ")
	case search.Or:
		return c.list(n.Terms, " OR ")
	case search.Not:
		w, err := c.node(n.Term)
		// A condition on a NULL column is NULL, which NOT leaves NULL:
		// counted as false, so that -prop:due>1 takes the new cards.
		return `NOT coalesce(` + w + `, 0)`, err
	case search.Text:
		return c.text(n.Pattern), nil
	case search.Deck:
		return c.deck(n.Pattern)
	case search.Tag:
		return c.tag(n.Pattern), nil
	case search.Is:
		return c.is(n.State)
	case search.Prop:
		return c.prop(n)
	case search.Rated:
		return c.rated(n), nil
	}
	return "", fmt.Errorf("unknown term %T", n)
}

func (c *compiler) list(terms []search.Node, op string) (string, error) {
	out := make([]string, len(terms))
	for i, t := range terms {
		w, err := c.node(t)
		if err != nil {
			return "", err
		}
		out[i] = w
	}
	return `(` + strings.Join(out, op) + `)`, nil
}

// like is a LIKE pattern, escaped with a backslash, that matches text
// holding p anywhere.
func like(p search.Pattern) string {
	return `%` + likeWhole(p) + `%`
}

// likeWhole is a LIKE pattern, escaped with a backslash, that matches the
// whole of a text p matches.
func likeWhole(p search.Pattern) string {
	esc := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	parts := make([]string, len(p.Parts))
	for i, s := range p.Parts {
		parts[i] = esc.Replace(s)
	}
	return strings.Join(parts, `%`)
}

// foldErr is what registering recall_fold with the SQLite driver gave.
// recall_fold(s) is s in lower case, for every script, where SQLite's
// LIKE and lower() fold ASCII letters only. It is registered as the
// package starts, because a connection has only the functions registered
// before it opened.
var foldErr = sqlite.RegisterDeterministicScalarFunction("recall_fold", 1,
	func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		s, ok := args[0].(string)
		if !ok {
			return args[0], nil
		}
		return strings.ToLower(s), nil
	})

// folded returns the SQL expression for a column a pattern is to match,
// and the pattern as the expression will hold it. LIKE folds the case of
// ASCII letters by itself; a pattern with other letters takes the column
// through recall_fold and its own letters to lower case.
func folded(column string, p search.Pattern) (string, search.Pattern) {
	ascii := true
	for _, part := range p.Parts {
		for _, r := range part {
			if r > unicode.MaxASCII {
				ascii = false
			}
		}
	}
	if ascii || foldErr != nil {
		return column, p
	}
	lower := search.Pattern{Parts: make([]string, len(p.Parts))}
	for i, part := range p.Parts {
		lower.Parts[i] = strings.ToLower(part)
	}
	return `recall_fold(` + column + `)`, lower
}

// text matches the front, the back, a cloze's full text and the
// breadcrumb, ignoring case.
func (c *compiler) text(p search.Pattern) string {
	var terms []string
	for _, col := range []string{`front`, `back`, `text`, `(SELECT group_concat(value, ' › ') FROM json_each(cards.context))`} {
		expr, fp := folded(col, p)
		c.arg(like(fp))
		terms = append(terms, expr+` LIKE ? ESCAPE '\'`)
	}
	return `(` + strings.Join(terms, ` OR `) + `)`
}

// deck matches the cards of each deck or subdeck whose name, or the name
// of a deck it is inside, the pattern matches whole. The names are few:
// they are matched here rather than in SQL.
func (c *compiler) deck(p search.Pattern) (string, error) {
	if c.decks == nil {
		rows, err := c.s.db.QueryContext(c.ctx, `SELECT name FROM decks UNION SELECT DISTINCT subdeck FROM cards`)
		if err != nil {
			return "", dbErr(err)
		}
		defer rows.Close()
		c.decks = []string{}
		for rows.Next() {
			var name string
			if err := rows.Scan(&name); err != nil {
				return "", dbErr(err)
			}
			c.decks = append(c.decks, name)
		}
		if err := rows.Err(); err != nil {
			return "", dbErr(err)
		}
	}
	var names []string
	for _, name := range c.decks {
		for _, d := range card.Deck(name).Lineage() {
			if p.Match(string(d)) {
				names = append(names, name)
				break
			}
		}
	}
	if len(names) == 0 {
		return `0`, nil
	}
	j := jsonList(names)
	c.arg(j, j)
	return `(deck IN (SELECT value FROM json_each(?)) OR subdeck IN (SELECT value FROM json_each(?)))`, nil
}

// tag matches a tag the pattern matches whole or a tag inside one
// ("a::b" for "a"); "none" matches a card without tags.
func (c *compiler) tag(p search.Pattern) string {
	if !p.Wild() && strings.EqualFold(p.Parts[0], "none") {
		return `json_array_length(tags) = 0`
	}
	expr, fp := folded(`value`, p)
	w := likeWhole(fp)
	c.arg(w, w+`::%`)
	return `EXISTS (SELECT 1 FROM json_each(cards.tags) WHERE ` + expr + ` LIKE ? ESCAPE '\' OR ` + expr + ` LIKE ? ESCAPE '\')`
}

// is matches the statuses as deriveStatus tells them, and the cards a
// session would show today (reviews due and today's learning steps).
func (c *compiler) is(state string) (string, error) {
	const shown = `orphan = 0 AND status = 'active' AND buried_until <= ?`
	switch state {
	case "new":
		c.arg(c.today)
		return `(` + shown + ` AND due IS NULL)`, nil
	case "learn":
		c.arg(c.today)
		return `(` + shown + ` AND due IS NOT NULL AND reps = 0)`, nil
	case "review":
		c.arg(c.today)
		return `(` + shown + ` AND due IS NOT NULL AND reps > 0)`, nil
	case "due":
		c.arg(c.today, c.today, c.start, c.end)
		return `(` + shown + ` AND (due <= ? OR (learn_due >= ? AND learn_due < ?)))`, nil
	case "suspended":
		return `(orphan = 0 AND status = 'suspended')`, nil
	case "buried":
		c.arg(c.today)
		return `(orphan = 0 AND status = 'active' AND buried_until > ?)`, nil
	case "orphan":
		return `orphan = 1`, nil
	case "leech":
		return c.tag(search.Literal(LeechTag)), nil
	}
	return "", fmt.Errorf("unknown is:%s", state)
}

// comparisons are the operators prop: may use, as SQL writes them.
var comparisons = map[string]string{"=": "=", "!=": "!=", "<": "<", ">": ">", "<=": "<=", ">=": ">="}

// prop compares a number of the schedule. The interval, due day and ease
// are those of reviewed cards: a new card has none.
func (c *compiler) prop(p search.Prop) (string, error) {
	op, ok := comparisons[p.Op]
	if !ok {
		return "", fmt.Errorf("unknown comparison %q", p.Op)
	}
	var w string
	switch p.Name {
	case "ivl":
		w = `(due IS NOT NULL AND interval ` + op + ` ?)`
	case "due":
		c.arg(c.today)
		w = `(due IS NOT NULL AND due - ? ` + op + ` ?)`
	case "ease":
		w = `(due IS NOT NULL AND ef ` + op + ` ?)`
	case "lapses":
		w = `lapses ` + op + ` ?`
	case "reps":
		w = `(SELECT count(*) FROM reviews r WHERE r.card_id = cards.id) ` + op + ` ?`
	default:
		return "", fmt.Errorf("unknown prop:%s", p.Name)
	}
	c.arg(p.Value)
	return w, nil
}

// rated matches the cards with an answer logged in the last n study days,
// today the first, re-drills included, as Anki counts every answer.
func (c *compiler) rated(r search.Rated) string {
	c.arg(c.today - int64(r.Days))
	w := `EXISTS (SELECT 1 FROM reviews r WHERE r.card_id = cards.id AND r.day > ?`
	switch r.Button {
	case 1:
		w += fmt.Sprintf(` AND r.grade <= %d`, card.Again)
	case 2, 3:
		c.arg(int(card.Hard) + r.Button - 2)
		w += ` AND r.grade = ?`
	case 4:
		w += fmt.Sprintf(` AND r.grade >= %d`, card.Easy)
	}
	return w + `)`
}
