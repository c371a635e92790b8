package cli

import (
	"context"
	"time"

	"github.com/spf13/cobra"

	"github.com/k2geospatial/apikeys/internal/clipboard"
)

// clearClipboardOptions are the inputs of the hidden clipboard clearer.
type clearClipboardOptions struct {
	// Clipboard is the system clipboard, which it reads and clears.
	Clipboard func() clipboard.Clipboard
	// Getenv gives the fingerprint of the secret to clear (clipboard.FingerprintEnv).
	Getenv func(string) string

	After time.Duration
}

// newClearClipboardCmd is the hidden command that clipboard.ScheduleClear
// starts in a detached process: it clears the clipboard after --after if it
// still holds the secret whose fingerprint is in the environment.
func newClearClipboardCmd(f *Factory, runF func(context.Context, *clearClipboardOptions) error) *cobra.Command {
	opts := &clearClipboardOptions{
		Clipboard: func() clipboard.Clipboard { return f.Clipboard.System() },
		Getenv:    f.Getenv,
	}
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
			if runF != nil {
				return runF(ctx, opts)
			}
			return runClearClipboard(ctx, opts)
		},
	}
	// Go's duration grammar (1m30s), which ScheduleClear writes, not the one of durationVar.
	cmd.Flags().DurationVar(&opts.After, "after", 45*time.Second, "how long to wait before clearing")
	cmd.ValidArgsFunction = noValues
	completeFlag(cmd, "after", noValues)
	return cmd
}

func runClearClipboard(ctx context.Context, opts *clearClipboardOptions) error {
	return clipboard.RunClearer(ctx, opts.Clipboard(), opts.Getenv(clipboard.FingerprintEnv), opts.After)
}
