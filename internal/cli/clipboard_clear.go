package cli

import (
	"context"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/k2geospatial/apikeys/internal/clipboard"
)

// newClearClipboardCmd is the hidden command that clipboard.ScheduleClear
// starts in a detached process: it clears the clipboard after --after if it
// still holds the secret whose fingerprint is in the environment.
func newClearClipboardCmd(f *Factory) *cobra.Command {
	var after time.Duration
	cmd := &cobra.Command{
		Use:    clipboard.ClearCommand + " --after DURATION",
		Short:  "Clear the clipboard later if it still holds a given secret (internal)",
		Hidden: true,
		Args:   cobra.NoArgs,
		// Replaces the root's hook: the clearer needs no configuration,
		// and a broken config file must not keep a secret on the clipboard.
		PersistentPreRunE: func(*cobra.Command, []string) error { return nil },
		SilenceUsage:      true,
		SilenceErrors:     true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if ctx == nil {
				ctx = context.Background()
			}
			fp := os.Getenv(clipboard.FingerprintEnv)
			return clipboard.RunClearer(ctx, f.Clipboard.System(), fp, after)
		},
	}
	cmd.Flags().DurationVar(&after, "after", 45*time.Second, "how long to wait before clearing")
	cmd.ValidArgsFunction = noValues
	completeFlag(cmd, "after", noValues)
	return cmd
}
