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
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"github.com/spf13/viper"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/output"
	"github.com/k2geospatial/apikeys/internal/prompt"
)

// Main runs apikeys with the process's streams and environment and returns the exit code.
// It is the only place exit codes are decided; main is the only caller of os.Exit.
//
// Ctrl-C, SIGTERM and SIGHUP (the terminal closed) all cancel the command's context: it stops
// what it is doing and exits 3, changing nothing it has not finished. A prompt waits with the
// terminal in raw mode, where Ctrl-C is a key and not a signal, so the prompter is given the
// context too: a signal ends a waiting prompt as Ctrl-C does.
//
// An ignored SIGHUP stays ignored: `nohup apikeys ...` must survive the terminal closing.
func Main(args []string, version string) int {
	ctx, stop := signal.NotifyContext(context.Background(), endingSignals()...)
	defer stop()
	streams := iostreams.System(os.Getenv)
	f := newFactoryContext(ctx, streams, resolveVersion(version), os.Getenv)
	return run(ctx, f, args)
}

// endingSignals are the signals that cancel the command: SIGHUP only when the process was
// not started with it ignored, since handling it would undo nohup.
func endingSignals() []os.Signal {
	sigs := []os.Signal{os.Interrupt, syscall.SIGTERM}
	if !signal.Ignored(syscall.SIGHUP) {
		sigs = append(sigs, syscall.SIGHUP)
	}
	return sigs
}

// run executes one command line with the given factory (tests pass their own).
func run(ctx context.Context, f *Factory, args []string) int {
	defer f.close()
	if versionOnly(args, f.Getenv) {
		fmt.Fprintf(f.IO.Out, "apikeys %s\n", f.Version)
		return exitOK
	}
	trackWork(f) // before the tree is built: commands keep the prompter they are given
	root := newRootCmd(f)
	guard := guardCommands(root)
	out := f.IO.Out
	if len(args) > 0 && (args[0] == cobra.ShellCompRequestCmd || args[0] == cobra.ShellCompNoDescRequestCmd) {
		// While answering the shell nothing may prompt and a saved session is not
		// refreshed. The answer, which cobra prints a line at a time, is written in a few
		// large writes: 2,000 candidates were 2,000 write calls (docs/performance.md).
		f.completing = true
		p := completionPrinter(f, args)
		localizeForCompletion(root, p, args)
		ctx = withCompletionPrinter(ctx, p)
		bw := bufio.NewWriter(out)
		defer bw.Flush()
		out = bw
	}
	root.SetArgs(args)
	root.SetIn(f.IO.In)
	root.SetOut(out)
	root.SetErr(f.IO.ErrOut)
	useCommaSafeBash(root)
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		err = guard.err
	}
	if err == nil {
		return exitOK
	}
	var reported *errkind.Reported
	if errors.As(err, &reported) {
		return exitCode(err)
	}
	switch {
	case errors.Is(err, prompt.ErrCancelled) && ctx.Err() != nil:
		// SIGTERM or SIGHUP at a prompt, which every command asks before it changes anything:
		// said once in words, not as the chain of causes ("interrupted: cancelled:
		// interrupted while waiting for an answer").
		err = errkind.New(errkind.Cancelled, "interrupted at the prompt: nothing was changed")
	case errors.Is(err, prompt.ErrCancelled):
		// Ctrl-C at a prompt ("cancelled: interrupt" in survey's words).
		err = errkind.New(errkind.Cancelled, "cancelled at the prompt: nothing was changed")
	case ctx.Err() != nil && !errors.Is(err, errCancelled):
		err = errkind.New(errkind.Cancelled, "interrupted: %w", err)
	}
	p := f.Printer()
	p.Fprintf(f.IO.ErrOut, "Error: %s\n", displayLines(p.Error(err)))
	if h := hint(err, hintSettings(f)); !h.IsZero() {
		p.Fprintf(f.IO.ErrOut, "Hint: %s\n", h)
	}
	code := exitCode(err)
	if code == exitUsage && cmd != nil && !f.work.begun.Load() && !aboutAFile(err) {
		p.Fprintf(f.IO.ErrOut, "Run '%s --help' for usage.\n", usageOf(cmd, err))
	}
	return code
}

// aboutAFile reports a usage error about a configuration file or path (unreadable, or
// writable by others): its message names the file and the fix, which no command's help
// explains.
func aboutAFile(err error) bool {
	var fileErr *config.FileError
	var permErr *config.PermissionError
	return errors.As(err, &fileErr) || errors.As(err, &permErr)
}

// workTracker records that the command began its work: it opened the organization's session
// or took the prompter to ask a question. A usage error found before that is about the
// command line or the settings (a flag, an argument, their values or combinations, a
// variable), which the command's help explains, so run points at it; one found after is
// about what the server holds (two keys of one title) or what was answered, which the help
// cannot fix. Deciding by this, and not by where each error is made, gives every command the
// same rule, whichever of its pre-run checks, argument checks, RunE or run function refused.
type workTracker struct{ begun atomic.Bool }

func (w *workTracker) begin() { w.begun.Store(true) }

// trackWork makes f's session and prompter, whatever a test put there, record their first
// use on f.work; the session manager of auth records its own (Factory.sessions).
func trackWork(f *Factory) {
	open, ask := f.Session, f.Prompter
	f.Session = func(ctx context.Context) (*Session, error) {
		f.work.begin()
		return open(ctx)
	}
	f.Prompter = func() prompt.Prompter {
		f.work.begin()
		return ask()
	}
}

// usageOf is the command whose help a usage error points at: the one that failed, or the
// parent an unknown subcommand was looked for in.
func usageOf(cmd *cobra.Command, err error) string {
	var fe *flagError
	if errors.As(err, &fe) && fe.usageOf != "" {
		return fe.usageOf
	}
	return cmd.CommandPath()
}

// VersionLine is the answer to a command line that only asks for the version (versionOnly),
// for main to give before any set-up: no signal handling, no terminal detection, no factory.
// ok is false for every other command line, which goes to Main.
func VersionLine(args []string, version string, getenv func(string) string) (line string, ok bool) {
	if !versionOnly(args, getenv) {
		return "", false
	}
	return "apikeys " + resolveVersion(version) + "\n", true
}

// versionOnly reports a command line that only asks for the version (`apikeys version`,
// `apikeys --version`): it is answered before the command tree is built, so it costs little
// more than the process's start (docs/performance.md). The output is cobra's, to the byte.
// `version` with APIKEYS_OUTPUT set goes through the command, which prints that format.
func versionOnly(args []string, getenv func(string) string) bool {
	if len(args) != 1 {
		return false
	}
	return args[0] == "--version" || (args[0] == "version" && getenv(config.EnvName("output")) == "")
}

// unknownFlagError adds to pflag's "unknown flag" the flag of cmd that was probably meant:
// --copy_email, --Expired, --no-header or --colums for a flag one edit or two away, and
// -role for --role (a long flag given one dash, which pflag reads as shorthands).
func unknownFlagError(cmd *cobra.Command, err error) error {
	var unknown *pflag.NotExistError
	if !errors.As(err, &unknown) {
		return err
	}
	typed := unknown.GetSpecifiedName()
	if group := unknown.GetSpecifiedShortnames(); group != "" {
		typed, _, _ = strings.Cut(group, "=") // -role=x: the group is the name meant
	}
	meant, nearest := "", 3 // more than two edits away is no typo
	cmd.Flags().VisitAll(func(fl *pflag.Flag) {
		if d := flagDistance(typed, fl.Name); !fl.Hidden && d < nearest {
			meant, nearest = fl.Name, d
		}
	})
	if meant == "" {
		if others := flagOwners(cmd.Root(), unknown.GetSpecifiedName()); len(others) > 0 {
			// A flag of other commands (--jq on sandbox reset): say where it belongs.
			return flagOfOthersError(err, unknown.GetSpecifiedName(), others, cmd.CommandPath())
		}
		return err
	}
	return l10n.Errorf("%w\ndid you mean --%s?", err, meant)
}

// mostOwners is how many of the commands taking a flag an error names, before "and N more".
const mostOwners = 4

// flagOfOthersError is err, an unknown flag of path, followed by the commands that take it.
func flagOfOthersError(err error, name string, owners []string, path string) error {
	switch n := len(owners); {
	case n > mostOwners:
		return l10n.Errorf("%w\n--%s is a flag of %s and %d more, not of %s", err, name, strings.Join(owners[:mostOwners], ", "), n-mostOwners, path)
	case n > 1:
		return l10n.Errorf("%w\n--%s is a flag of %s and %s, not of %s", err, name, strings.Join(owners[:n-1], ", "), owners[n-1], path)
	}
	return l10n.Errorf("%w\n--%s is a flag of %s, not of %s", err, name, owners[0], path)
}

// inherits reports a flag that c has from an ancestor's persistent flags, which names the
// ancestor already.
func inherits(c *cobra.Command, name string) bool {
	for p := c.Parent(); p != nil; p = p.Parent() {
		if p.PersistentFlags().Lookup(name) != nil {
			return true
		}
	}
	return false
}

// flagOwners are the runnable commands under root that take the long flag name.
func flagOwners(root *cobra.Command, name string) []string {
	if name == "" {
		return nil // shorthands (-x): no long flag was named
	}
	var paths []string
	walkCommands(root, func(c *cobra.Command) {
		if c.Hidden || inherits(c, name) {
			return
		}
		if fl := c.PersistentFlags().Lookup(name); fl != nil && !fl.Hidden {
			paths = append(paths, c.CommandPath()) // sandbox --data: its commands take it
		} else if fl := c.Flags().Lookup(name); fl != nil && !fl.Hidden && c.Runnable() {
			paths = append(paths, c.CommandPath())
		}
	})
	return paths
}

// flagDistance is how far typed is from the flag name: 0 for the name up to case and
// underscores (or after one dash), else the edits between them. Two letters or fewer are too
// few to guess from (-c is a shorthand, not a typo of --ca).
func flagDistance(typed, name string) int {
	norm := strings.ReplaceAll(strings.ToLower(typed), "_", "-")
	switch {
	case norm == name:
		return 0
	case len(norm) <= 2:
		return len(name) + len(norm)
	}
	return editDistance(norm, name)
}

// editDistance is the Levenshtein distance of a and b (flag names: short, ASCII).
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// flagError marks cobra's own parse errors so they exit 2. usageOf, when set, is the
// command whose help the error points at (else the command that failed).
type flagError struct {
	err     error
	usageOf string
}

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
			if err := checkGivenFlags(cmd.Flags()); err != nil {
				return err
			}
			// -o is checked for every command, also those that print nothing (sandbox reset,
			// auth logout): a typed format that does not exist is a typo wherever it is.
			if fl := cmd.Flags().Lookup("output"); fl != nil && fl.Changed {
				if _, err := output.ParseFormat(fl.Value.String()); err != nil {
					return err
				}
			}
			if err := checkFilterFormat(cmd.Flags()); err != nil {
				return err
			}
			return f.checkSettings()
		},
	}
	root.SetVersionTemplate("apikeys {{.Version}}\n")
	installHelp(root, f)
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		return &flagError{err: errkind.Wrap(errkind.Usage, unknownFlagError(cmd, cobraError(flagValueError(err))))}
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
	var timeout time.Duration // read through viper, as the file and APIKEYS_TIMEOUT may set it too
	durationVar(pf, &timeout, "timeout", "", "timeout of each HTTP request (default 20s)")
	_ = pf.MarkHidden("sandbox-data")
	f.rootFlags = pf // what Settings reads, once the command line is parsed
	c := newCompleter(f)
	completeFlag(root, "profile", c.profiles)
	completeFlag(root, "api-url", noValues)
	completeFlag(root, "org", noValues)
	completeFiles(root, "sandbox-data")
	completeFlag(root, "output", completeFormat)
	completeFiles(root, "config", "yaml", "yml")
	completeFlag(root, "timeout", noValues)

	root.AddCommand(
		newListCmd(f, nil),
		newCreateCmd(f, nil),
		newShowCmd(f, nil),
		newDeleteCmd(f, nil),
		newMembersCmd(f, nil),
		newDoctorCmd(f, nil),
		newSandboxCmd(f),
		newAuthCmd(f),
		newVersionCmd(f, nil),
		newClearClipboardCmd(f, nil),
		newExitCodesHelpTopic(),
		newEnvironmentHelpTopic(f, pf),
	)
	acceptBoolWords(root)
	return root
}

// checkGivenFlags refuses a string flag given an empty value (or a repeatable one given an
// empty element, givenEmpty), before anything is done: in a
// script it is usually an unset variable (--secret-file "$F" would print the secret on stdout
// instead, --transfer-to "$HEIR" would fall back to asking). An APIKEYS_ variable that is
// empty counts as unset, the usual convention for the environment.
func checkGivenFlags(flags *pflag.FlagSet) error {
	var err error
	flags.VisitAll(func(fl *pflag.Flag) {
		if err == nil && fl.Changed && givenEmpty(fl) {
			err = &flagError{err: emptyFlagError(fl.Name)}
		}
	})
	if err != nil {
		return err
	}
	return checkContradictions(flags)
}

// givenEmpty reports a string flag given a blank value, or a repeatable string flag
// (--filter) one of whose values is blank: --filter "$F" with F unset is the same mistake as
// --title "$T".
func givenEmpty(fl *pflag.Flag) bool {
	switch fl.Value.Type() {
	case "string":
		return strings.TrimSpace(fl.Value.String()) == ""
	case "stringArray", "stringSlice":
		values, ok := fl.Value.(pflag.SliceValue)
		return ok && slices.ContainsFunc(values.GetSlice(), func(v string) bool { return strings.TrimSpace(v) == "" })
	}
	return false
}

// contradictions are flags that cannot be given together, wherever both exist. Each one
// would silently win over the other otherwise.
var contradictions = [][2]string{
	{"expired", "expiring-within"},
	{"copy", "no-copy"},
	{"transfer-to", "no-transfer"},
	{"jq", "template"},
}

// checkContradictions refuses two flags of one command that contradict each other. A
// boolean given as false (--copy=false) is not a contradiction.
func checkContradictions(flags *pflag.FlagSet) error {
	given := func(name string) bool {
		fl := flags.Lookup(name)
		return fl != nil && fl.Changed && !(fl.Value.Type() == "bool" && fl.Value.String() == "false")
	}
	for _, pair := range contradictions {
		if given(pair[0]) && given(pair[1]) {
			return errkind.Usagef("--%s and --%s contradict each other: give one", pair[0], pair[1])
		}
	}
	return nil
}

// checkSandboxTarget refuses --sandbox (or APIKEYS_SANDBOX) with --api-url (or
// APIKEYS_API_URL): the sandbox runs in process, so the URL would be silently ignored and
// the user might believe a command went to that server. The one exception is the --sandbox
// flag over an APIKEYS_API_URL of the environment: a flag typed now beats a setting of the
// session, as flags beat variables everywhere. An api-url of the profile file is only a
// default and does not count.
func checkSandboxTarget(v *viper.Viper, flags *pflag.FlagSet) error {
	sandbox, err := config.BoolSetting(v, "sandbox")
	if err != nil || !sandbox || strings.TrimSpace(v.GetString("api-url")) == "" {
		return err
	}
	if flags.Changed("sandbox") && !flags.Changed("api-url") {
		return nil
	}
	origin := func(name string) string {
		if flags.Changed(name) {
			return "--" + name
		}
		return config.EnvName(name)
	}
	return errkind.Usagef("%s and %s contradict each other: the sandbox runs in process and talks to no URL; give one", origin("sandbox"), origin("api-url"))
}

func newVersionCmd(f *Factory, runF func(context.Context, *versionOptions) error) *cobra.Command {
	opts := &versionOptions{IO: f.IO, Version: f.Version}
	cmd := &cobra.Command{
		Use:   "version",
		Short: "Print the version",
		Long: `Print the version: "apikeys VERSION", or with -o json or -o yaml a record
{"version": "VERSION"}.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Format = func() (output.Format, error) { return versionFormat(cmd, f.Getenv) }
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runVersion(cmd.Context(), opts)
		},
		ValidArgsFunction: noValues,
	}
	addScriptFlags(cmd, &opts.Script)
	return cmd
}

// versionRecord is what `version -o json|yaml` prints.
type versionRecord struct {
	Version string `json:"version"`
}

// versionFormat is -o for version, from the flag or APIKEYS_OUTPUT, the only places -o comes
// from (the profile file has no output key): version reads no configuration, so a broken
// file does not hide the version of the program that could read it.
//
// An APIKEYS_OUTPUT of csv or tsv, a default for a script's records, is not asked of version:
// it prints its text, as --version does. `-o csv` typed for version is still exit 2.
func versionFormat(cmd *cobra.Command, getenv func(string) string) (output.Format, error) {
	if fl := cmd.Flags().Lookup("output"); fl != nil && fl.Changed {
		return output.ParseFormat(fl.Value.String())
	}
	f, err := output.ParseFormat(getenv(config.EnvName("output")))
	if err == nil && (f == output.CSV || f == output.TSV) {
		return output.Table, nil
	}
	return f, err
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
