package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"
)

func newRestoreCmd(env *Env) *cobra.Command {
	return &cobra.Command{
		Use:   "restore ID...",
		Short: "Bring back orphaned, suspended or buried cards",
		Long: `Bring cards back into review: an orphan (its notes are gone), a
suspended card or a buried one. Its history is kept. 'recall cards
--orphans' lists the orphans.`,
		Args: usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runRestore(cmd.Context(), env, args)
		},
	}
}

func runRestore(ctx context.Context, env *Env, ids []string) error {
	c, err := openCollection(env)
	if err != nil {
		return err
	}
	defer c.Close()
	st := c.Store
	for _, id := range ids {
		// The store's errors name the card already.
		if err := st.Restore(ctx, id); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "restored %s\n", id)
	}
	return nil
}
