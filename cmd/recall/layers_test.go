package main

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
)

const module = "github.com/recall-cli/recall/"

// imports returns what the non-test Go files of a package directory
// import.
func imports(t *testing.T, dir string) map[string]bool {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	fset := token.NewFileSet()
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		af, err := parser.ParseFile(fset, f, nil, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, im := range af.Imports {
			p, _ := strconv.Unquote(im.Path.Value)
			out[p] = true
		}
	}
	return out
}

// TestLayers keeps the imports flowing the one way docs/ARCHITECTURE.md
// draws them: cli → collection → review, store, notes, srs, anki → card,
// with disk beside them, and each outside dependency in the one package
// that owns it. Every package under internal but cli (which may import
// any) has its row.
func TestLayers(t *testing.T) {
	ours := func(names ...string) []string {
		out := make([]string, len(names))
		for i, n := range names {
			out[i] = module + n
		}
		return out
	}
	all := []string{"internal/card", "internal/notes", "internal/srs", "internal/store", "internal/review",
		"internal/anki", "internal/disk", "internal/collection", "internal/cli", "internal/gauntlet", "internal/search", "internal/progress", "internal/sqlitefile", "decks"}
	except := func(allowed ...string) []string {
		var out []string
		for _, p := range all {
			if !slices.Contains(allowed, p) {
				out = append(out, p)
			}
		}
		return ours(out...)
	}
	forbidden := map[string][]string{
		"internal/card":       except(),
		"internal/disk":       except(),
		"internal/search":     except(),
		"internal/gauntlet":   except(),
		"internal/progress":   except(),
		"internal/sqlitefile": except(),
		"decks":               except(),
		"internal/srs":        except("internal/card"),
		"internal/notes":      except("internal/card"),
		"internal/store":      except("internal/card", "internal/srs", "internal/search"),
		"internal/anki":       except("internal/card", "internal/sqlitefile"),
		"internal/review":     except("internal/card", "internal/srs"),
		"internal/collection": except("internal/card", "internal/notes", "internal/srs", "internal/store", "internal/review", "internal/anki", "internal/disk", "internal/search"),
	}
	// Only the application layer and the command line join the notes,
	// the store and Anki: a package importing two of them is a workflow
	// that belongs in collection.
	joiners := []string{"internal/collection", "internal/cli"}
	// Outside dependencies and the packages allowed to import them.
	owners := map[string][]string{
		"github.com/spf13/cobra": {"internal/cli"},
		"database/sql":           {"internal/store", "internal/anki"},
		"modernc.org/sqlite":     {"internal/store", "internal/anki"},
		"os/exec":                {"internal/cli", "internal/review"},
	}
	root := filepath.Join("..", "..")
	var dirs []string
	for _, pattern := range []string{"internal/*", "decks", "cmd/*"} {
		m, err := filepath.Glob(filepath.Join(root, pattern))
		if err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, m...)
	}
	sort.Strings(dirs)
	seen := map[string]bool{}
	for _, d := range dirs {
		if info, err := os.Stat(d); err != nil || !info.IsDir() {
			continue
		}
		pkg := filepath.ToSlash(strings.TrimPrefix(d, root+string(filepath.Separator)))
		seen[pkg] = true
		if _, ok := forbidden[pkg]; !ok && strings.HasPrefix(pkg, "internal/") && pkg != "internal/cli" {
			t.Errorf("package %s has no place in the table: say what it may import", pkg)
		}
		ims := imports(t, d)
		for _, f := range forbidden[pkg] {
			if ims[f] {
				t.Errorf("%s imports %s, which docs/ARCHITECTURE.md forbids", pkg, f)
			}
		}
		var joined []string
		for _, p := range ours("internal/notes", "internal/store", "internal/anki") {
			if ims[p] {
				joined = append(joined, p)
			}
		}
		if len(joined) > 1 && !slices.Contains(joiners, pkg) {
			t.Errorf("%s imports %v; only %v join them", pkg, joined, joiners)
		}
		if ims[module+"internal/cli"] && pkg != "cmd/recall" {
			t.Errorf("%s imports internal/cli; nothing but main may", pkg)
		}
		for dep, allowed := range owners {
			for im := range ims {
				if (im == dep || strings.HasPrefix(im, dep+"/")) && !slices.Contains(allowed, pkg) {
					t.Errorf("%s imports %s; only %v may", pkg, im, allowed)
				}
			}
		}
	}
	for pkg := range forbidden {
		if !seen[pkg] {
			t.Errorf("package %s not found: the test no longer checks it", pkg)
		}
	}
}
