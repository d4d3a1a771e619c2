package collection

import (
	"context"
	"fmt"
	"slices"
	"testing"
)

// Add reports the lines of notes it has brought in after each file, of
// all the files' lines; Sync the files it has gone through, of all it
// remembers.
func TestProgress(t *testing.T) {
	c, _, f := newTestFiles(t)
	ctx := context.Background()
	var read []Notes
	for i, text := range []string{"# A\n\nOne? :: 1\n\nTwo? :: 2\n", "# B\n\nThree? :: 3\n"} {
		name := at(fmt.Sprintf("n%d.md", i))
		f.set(name, text)
		n, err := ReadForSync(f, name, "")
		if err != nil {
			t.Fatal(err)
		}
		read = append(read, n)
	}
	var got [][2]int
	c.Progress = func(done, total int) { got = append(got, [2]int{done, total}) }
	if _, errs := c.Add(ctx, read); len(errs) > 0 {
		t.Fatal(errs)
	}
	if want := [][2]int{{0, 8}, {5, 8}, {8, 8}}; !slices.Equal(got, want) {
		t.Errorf("Add reported %v, want %v", got, want)
	}

	got = nil
	if _, err := c.Sync(ctx, SyncOptions{}); err != nil {
		t.Fatal(err)
	}
	if want := [][2]int{{0, 2}, {1, 2}, {2, 2}}; !slices.Equal(got, want) {
		t.Errorf("Sync reported %v, want %v", got, want)
	}

	// Without Progress nothing is called, and nothing fails.
	c.Progress = nil
	if _, errs := c.Add(ctx, read); len(errs) > 0 {
		t.Fatal(errs)
	}
}
