package cli

import (
	"regexp"
	"testing"
)

// recall version and recall --version print the same one line: the
// module version, and the commit when the build knows it.
func TestVersion(t *testing.T) {
	t.Parallel()
	e := newTestEnv(t)
	want := regexp.MustCompile(`^recall \S+( \(commit [0-9a-f]{1,12}(, modified)?(, \S+)?\))? go\S+\n$`)
	v := e.mustRun(t, "version")
	if !want.MatchString(v) {
		t.Errorf("recall version = %q, want a line like %s", v, want)
	}
	if got := e.mustRun(t, "--version"); got != v {
		t.Errorf("recall --version = %q, want %q", got, v)
	}
}
