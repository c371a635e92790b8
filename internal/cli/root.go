// Package cli is the apikeys command tree: one file per command, each with an options
// struct, a newXCmd that wires flags, and a run function that works against interfaces.
package cli

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"runtime/debug"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/iostreams"
)

// Main runs apikeys with the process's streams and environment and returns the exit code.
// It is the only place exit codes are decided; main is the only caller of os.Exit.
func Main(args []string, version string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	streams := iostreams.System(os.Getenv)
	return run(ctx, newFactory(streams, resolveVersion(version), os.Getenv), args)
}

// run executes one command line with the given factory (tests pass their own).
func run(ctx context.Context, f *Factory, args []string) int {
	defer f.close()
	if versionOnly(args) {
		fmt.Fprintf(f.IO.Out, "apikeys %s\n", f.Version)
		return exitOK
	}
	root := newRootCmd(f)
	out := f.IO.Out
	if len(args) > 0 && (args[0] == cobra.ShellCompRequestCmd || args[0] == cobra.ShellCompNoDescRequestCmd) {
		// Dynamic completion is set up only when the shell asks for it, and its answer,
		// which cobra prints a line at a time, is written in a few large writes: 2,000
		// candidates were 2,000 write calls (docs/performance.md).
		registerCompletions(root, f)
		bw := bufio.NewWriter(out)
		defer bw.Flush()
		out = bw
	}
	root.SetArgs(args)
	root.SetIn(f.IO.In)
	root.SetOut(out)
	root.SetErr(f.IO.ErrOut)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return exitOK
	}
	var silent *silentError
	if errors.As(err, &silent) {
		return silent.code
	}
	if ctx.Err() != nil && !errors.Is(err, errCancelled) {
		err = &codedError{code: exitCancelled, err: fmt.Errorf("interrupted: %w", err)}
	}
	fmt.Fprintf(f.IO.ErrOut, "Error: %v\n", err)
	if h := hint(err); h != "" {
		fmt.Fprintf(f.IO.ErrOut, "Hint: %s\n", h)
	}
	code := exitCode(err)
	if code == exitUsage && cmd != nil && isFlagError(err) {
		fmt.Fprintf(f.IO.ErrOut, "Run '%s --help' for usage.\n", cmd.CommandPath())
	}
	return code
}

// versionOnly reports a command line that only asks for the version (`apikeys version`,
// `apikeys --version`): it is answered before the command tree is built, so it costs little
// more than the process's start (docs/performance.md). The output is cobra's, to the byte.
func versionOnly(args []string) bool {
	return len(args) == 1 && (args[0] == "version" || args[0] == "--version")
}

// flagError marks cobra's own parse errors so they exit 2.
type flagError struct{ err error }

func (e *flagError) Error() string { return e.err.Error() }
func (e *flagError) Unwrap() error { return e.err }

func isFlagError(err error) bool {
	var fe *flagError
	return errors.As(err, &fe)
}

func newRootCmd(f *Factory) *cobra.Command {
	root := &cobra.Command{
		Use:   "apikeys",
		Short: "Manage a JMap Cloud organization's API keys",
		Long: `apikeys manages the API keys of a JMap Cloud organization: list, create, show and
delete them, handing a deleted key's resources to an Editor.

Try it without an account against the built-in sandbox:
  apikeys --sandbox list`,
		Version:       f.Version,
		SilenceErrors: true,
		SilenceUsage:  true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			v, err := config.NewViper(cmd.Root().PersistentFlags())
			if err != nil {
				return err
			}
			f.viper = v
			if v.GetBool("no-color") {
				f.IO.DisableColor()
			}
			return nil
		},
	}
	root.SetVersionTemplate("apikeys {{.Version}}\n")
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &flagError{err: &codedError{code: exitUsage, err: err}}
	})
	root.CompletionOptions.HiddenDefaultCmd = false

	pf := root.PersistentFlags()
	pf.String("profile", "", "configuration profile to use (env APIKEYS_PROFILE)")
	pf.String("api-url", "", "JMap Cloud API base URL (default https://api.jmapcloud.io)")
	pf.String("org", "", "organization ID")
	pf.Bool("sandbox", false, "use the embedded sandbox in process, logged in as its administrator")
	pf.String("sandbox-data", "", "data file of the sandbox (env APIKEYS_SANDBOX_DATA)")
	pf.StringP("output", "o", "table", "output format: table|json|yaml|csv|tsv")
	pf.Bool("no-color", false, "disable colour (also NO_COLOR)")
	pf.Bool("debug", false, "trace HTTP requests on stderr, credentials redacted")
	pf.String("config", "", "configuration file (default $XDG_CONFIG_HOME/apikeys/config.yaml)")
	pf.Duration("timeout", 0, "timeout of each HTTP request (default 30s)")
	_ = pf.MarkHidden("sandbox-data")

	root.AddCommand(
		newListCmd(f, nil),
		newCreateCmd(f, nil),
		newShowCmd(f, nil),
		newDeleteCmd(f, nil),
		newMembersCmd(f, nil),
		newSandboxCmd(f),
		newAuthCmd(f),
		newVersionCmd(f),
		newClearClipboardCmd(f),
		newExitCodesHelpTopic(),
	)
	return root
}

func newVersionCmd(f *Factory) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fmt.Fprintf(f.IO.Out, "apikeys %s\n", f.Version)
			return nil
		},
	}
}

// resolveVersion prefers the ldflags value, then the module version of the build.
func resolveVersion(v string) string {
	if v != "" && v != "dev" {
		return strings.TrimPrefix(v, "v")
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return strings.TrimPrefix(info.Main.Version, "v")
	}
	return "dev"
}
