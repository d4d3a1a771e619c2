package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/recall-cli/recall/internal/store"
)

// reportDamaged says, for a damaged collection, which file it is, that
// recall will not write to it, and how to get the cards back: the newest
// backup beside it, or SQLite's recovery of what can still be read.
func reportDamaged(env *Env, ce *store.CorruptError) {
	path := env.DBPath(env.DBFlag)
	fmt.Fprintf(env.Stderr, "recall: %s: %s; recall will not write to it\n", path, ce.Error())
	recover := fmt.Sprintf("sqlite3 %s .recover | sqlite3 recovered.db", shellQuote(path))
	if b, when, ok := newestBackup(path); ok {
		fmt.Fprintf(env.Stderr, "hint: the newest backup is %s (from %s); to go back to it: cp %s %s (or first save what can still be read: %s)\n",
			b, when.Format("2006-01-02 15:04"), shellQuote(b), shellQuote(path), recover)
		return
	}
	if ce.NotDB {
		fmt.Fprintln(env.Stderr, "hint: --db or RECALL_DB names the collection; there is no backup beside this file")
		return
	}
	fmt.Fprintf(env.Stderr, "hint: there is no backup beside it; save what can still be read with: %s, then use --db recovered.db\n", recover)
}

// newestBackup finds the most recent copy recall kept beside the
// collection (path.bak-*), skipping one left half-written.
func newestBackup(path string) (name string, when time.Time, ok bool) {
	matches, _ := filepath.Glob(globEscape(path) + ".bak-*")
	for _, m := range matches {
		if strings.HasSuffix(m, ".tmp") {
			continue
		}
		info, err := os.Stat(m)
		if err != nil || !info.Mode().IsRegular() {
			continue
		}
		if !ok || info.ModTime().After(when) {
			name, when, ok = m, info.ModTime(), true
		}
	}
	return name, when, ok
}

// globEscape makes path match itself in filepath.Glob.
func globEscape(path string) string {
	r := strings.NewReplacer(`*`, `\*`, `?`, `\?`, `[`, `\[`, `\`, `\\`)
	return r.Replace(path)
}

// shellQuote quotes s for a POSIX shell when it needs it, so that a
// command recall suggests can be pasted as it is.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '/' || r == '.' || r == '-' || r == '_' || r == '+' || r == ':' || r == ',' ||
			r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
