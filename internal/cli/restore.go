package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/recall-cli/recall/internal/store"
)

func newRestoreCmd(env *Env) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "restore ID...",
		Short: "Bring back orphaned, suspended or buried cards",
		Long: `Bring cards back into review: an orphan (its notes are gone), a
suspended card or a buried one. Its history is kept. 'recall cards
--orphans' lists the orphans.`,
		Args:              usageArgs(atLeastOne("card id")),
		ValidArgsFunction: completeCardIDs(env),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRestore(cmd.Context(), env, args, asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print what was restored as JSON")
	return cmd
}

// restoreObject is one card of restore --json: "restored ID (was an
// orphan)", or not hidden.
type restoreObject struct {
	ID       string   `json:"id"`
	Restored bool     `json:"restored"`
	Was      []string `json:"was"` // orphan, suspended, buried
}

func runRestore(ctx context.Context, env *Env, ids []string, asJSON bool) error {
	c, err := openCollection(env)
	if err != nil {
		return err
	}
	defer c.Close()
	st := c.Store
	out := []restoreObject{}
	for _, id := range ids {
		// The store's errors name the card already.
		was, err := st.RestoreCard(ctx, id)
		if err != nil {
			if asJSON && len(out) > 0 {
				writeJSON(env.Stdout, out) // what was restored before it
			}
			return err
		}
		if !asJSON {
			fmt.Fprintln(env.Stdout, restoredLine(id, was))
			continue
		}
		o := restoreObject{ID: id, Restored: was.Any(), Was: []string{}}
		for _, w := range []struct {
			is   bool
			name string
		}{{was.Orphan, "orphan"}, {was.Suspended, "suspended"}, {was.Buried, "buried"}} {
			if w.is {
				o.Was = append(o.Was, w.name)
			}
		}
		out = append(out, o)
	}
	if asJSON {
		return writeJSON(env.Stdout, out)
	}
	return nil
}

// restoredLine says what restore did to a card: how it was hidden, or that
// it was not.
func restoredLine(id string, was store.Hidden) string {
	var how []string
	if was.Orphan {
		how = append(how, "an orphan")
	}
	if was.Suspended {
		how = append(how, "suspended")
	}
	if was.Buried {
		how = append(how, "buried")
	}
	if len(how) == 0 {
		return fmt.Sprintf("%s is not hidden; nothing to restore", id)
	}
	return fmt.Sprintf("restored %s (was %s)", id, strings.Join(how, ", "))
}
