package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// statsEnv holds two decks and a card answered on two days: Monday and
// Tuesday, when the figures are read.
func statsEnv(t *testing.T) *testEnv {
	t.Helper()
	e := newTestEnv(t)
	e.mustRun(t, "add", e.write(t, "a.md", colours))
	e.mustRun(t, "add", e.write(t, "b.md", k8s))
	e.mustRun(t, "answer", "b15b062ed275", "good")
	e.Now = func() time.Time { return testNow.AddDate(0, 0, 1) }
	e.mustRun(t, "answer", "b15b062ed275", "good") // next in 6 days
	return e
}

func TestStatsText(t *testing.T) {
	t.Parallel()
	e := statsEnv(t)
	got := e.mustRun(t, "stats")
	for _, want := range []string{
		"reviews today   1\n",
		"streak          2 days\n",
		"calendar · reviews in the last year\n",
		"    Mar Apr May Jun  Jul Aug  Sep Oct Nov  Dec Jan Feb\n",
		"forecast · next 30 days: 1 due · today 0 with the backlog · tomorrow 0\n",
		"   today         +7            +14           +21           +28\n",
		"young          1       0  100.0%\n",
		"mature         0       0       -\n",
		"     new  learning  young  mature  suspended  buried  orphans  total\n",
		"       5         0      1       0          0       0        0      6\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("stats lacks %q:\n%s", want, got)
		}
	}
	lines := strings.Split(got, "\n")
	for _, l := range lines {
		if n := utf8.RuneCountInString(l); n > 80 {
			t.Errorf("stats line of %d columns: %q", n, l)
		}
	}
	// Monday and Tuesday, one review each: the last column's top two
	// cells at the darkest shade.
	if !strings.HasSuffix(lines[7], "·█") || !strings.HasSuffix(lines[8], "·█") || !strings.HasSuffix(lines[9], "·") {
		t.Errorf("calendar rows end %q, %q, %q; want ·█, ·█, ·", lines[7], lines[8], lines[9])
	}
	if strings.Contains(got, "\x1b[") {
		t.Errorf("stats without colour has escapes:\n%q", got)
	}
	e.Color = true
	if got := e.mustRun(t, "stats"); !strings.Contains(got, "\x1b[") {
		t.Errorf("stats in colour has no escapes:\n%s", got)
	}
}

func TestStatsJSON(t *testing.T) {
	t.Parallel()
	e := statsEnv(t)
	var got statsObject
	if err := json.Unmarshal([]byte(e.mustRun(t, "stats", "--json", "--deck", "k8s")), &got); err != nil {
		t.Fatal(err)
	}
	if got.Deck != "K8s" || got.Today != "2026-03-03" || got.ReviewsToday != 1 || got.Streak != 2 {
		t.Errorf("stats --json = %+v", got)
	}
	if len(got.Calendar) != 2 || got.Calendar[0] != (calendarDay{"2026-03-02", 1}) || got.Calendar[1] != (calendarDay{"2026-03-03", 1}) {
		t.Errorf("calendar = %+v, want 2026-03-02 and 03 with one review", got.Calendar)
	}
	if len(got.Forecast) != 30 || got.Forecast[6] != (forecastDay{"2026-03-09", 1}) {
		t.Errorf("forecast = %+v, want 30 days, one due on 2026-03-09", got.Forecast)
	}
	if r := got.Retention.Young; r.Passed != 1 || r.Failed != 0 || r.Rate == nil || *r.Rate != 1 {
		t.Errorf("retention young = %+v, want 1 passed, rate 1", r)
	}
	if r := got.Retention.Mature; r.Rate != nil {
		t.Errorf("retention mature = %+v, want rate null", r)
	}
	if want := (stateCountsObject{New: 1, Young: 1, Total: 2}); got.Cards != want {
		t.Errorf("cards = %+v, want %+v", got.Cards, want)
	}
	// The field names, as scripts see them.
	out := e.mustRun(t, "stats", "--json")
	for _, key := range []string{`"reviews_today"`, `"time_today_seconds"`, `"time_this_week_seconds"`, `"rate": null`, `"orphans"`} {
		if !strings.Contains(out, key) {
			t.Errorf("stats --json lacks %s", key)
		}
	}
}

func TestStatsNoDeck(t *testing.T) {
	t.Parallel()
	e := statsEnv(t)
	if code := e.run("stats", "--deck", "k9s"); code != exitFailure {
		t.Fatalf("stats --deck k9s: exit %d, want %d", code, exitFailure)
	}
	if want := "recall: no deck \"k9s\" (did you mean \"K8s\"?)\n"; e.errOut.String() != want {
		t.Errorf("stderr = %q, want %q", e.errOut, want)
	}
}
