package cli

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/adrg/xdg"
)

func TestDBPath(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		flag string
		vars map[string]string
		want string
	}{
		{"flag wins", "/flag.db", map[string]string{"RECALL_DB": "/env.db", "XDG_DATA_HOME": "/xdg"}, "/flag.db"},
		{"RECALL_DB before XDG", "", map[string]string{"RECALL_DB": "/env.db", "XDG_DATA_HOME": "/xdg"}, "/env.db"},
		{"XDG_DATA_HOME", "", map[string]string{"XDG_DATA_HOME": "/xdg"}, filepath.Join("/xdg", "recall", "collection.db")},
		{"empty values are unset", "", map[string]string{"RECALL_DB": "", "XDG_DATA_HOME": ""}, filepath.Join(xdg.DataHome, "recall", "collection.db")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := &Env{Getenv: func(k string) string { return tt.vars[k] }}
			if got := env.DBPath(tt.flag); got != tt.want {
				t.Errorf("DBPath(%q) with %v = %q, want %q", tt.flag, tt.vars, got, tt.want)
			}
		})
	}
}

// --db, then RECALL_DB, then XDG_DATA_HOME pick the file the commands open.
func TestRunOpensTheChosenCollection(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	flag := e.path("flag.db")
	e.mustRun(t, "--db", flag, "status")
	if _, err := os.Stat(flag); err != nil {
		t.Errorf("--db %s: %v", flag, err)
	}
	if e.dbExists() {
		t.Error("--db given, but RECALL_DB was created too")
	}

	e.mustRun(t, "status")
	if !e.dbExists() {
		t.Error("status without --db did not open RECALL_DB")
	}

	delete(e.vars, "RECALL_DB")
	e.mustRun(t, "decks")
	xdgDB := filepath.Join(e.dir, "xdg", "recall", "collection.db")
	if _, err := os.Stat(xdgDB); err != nil {
		t.Errorf("without RECALL_DB: %v", err)
	}
}

// NewEnv reads the process environment, so these tests cannot be
// parallel.
func TestNewEnvRecallNow(t *testing.T) {
	t.Setenv("RECALL_NOW", "2026-11-26T08:00:00Z")
	env, err := NewEnv()
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 11, 26, 8, 0, 0, 0, time.UTC)
	got := env.Now()
	// The clock starts at RECALL_NOW and moves on from there.
	if got.Before(want) || got.After(want.Add(time.Minute)) {
		t.Errorf("Now() with RECALL_NOW=%s = %v", want.Format(time.RFC3339), got)
	}
	if env.Getenv("RECALL_NOW") != "2026-11-26T08:00:00Z" {
		t.Errorf("Getenv does not read the process environment")
	}
}

func TestNewEnvBadRecallNow(t *testing.T) {
	t.Setenv("RECALL_NOW", "yesterday")
	env, err := NewEnv()
	want := `RECALL_NOW "yesterday" is not an RFC 3339 time (like 2026-11-26T08:00:00Z)`
	if err == nil || err.Error() != want {
		t.Errorf("NewEnv() = %v, %v; want error %q", env, err, want)
	}
}

func TestNewEnvRealClock(t *testing.T) {
	t.Setenv("RECALL_NOW", "")
	t.Setenv("NO_COLOR", "1")
	env, err := NewEnv()
	if err != nil {
		t.Fatal(err)
	}
	if d := time.Since(env.Now()); d < 0 || d > time.Minute {
		t.Errorf("Now() without RECALL_NOW is %v away from the real clock", d)
	}
	if env.Stdin != os.Stdin || env.Stdout != os.Stdout || env.Stderr != os.Stderr {
		t.Error("NewEnv() does not use the process's streams")
	}
	if env.Color {
		t.Error("NewEnv() with NO_COLOR set: Color = true")
	}
}
