package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/output"
	"github.com/k2geospatial/apikeys/internal/sandbox"
	"github.com/k2geospatial/apikeys/internal/session"
)

// sandboxStore is what the sandbox subcommands use of an open sandbox (*sandbox.Sandbox):
// run tests put a fake in its place.
type sandboxStore interface {
	Info() sandbox.Info
	Resources() ([]sandbox.Resource, error)
	Reset(extra int) error
	Handler() http.Handler
	Close() error
}

// sandboxDeps are the dependencies the sandbox subcommands share.
type sandboxDeps struct {
	IO       *iostreams.IOStreams
	Settings func() (*config.Settings, error)
	Format   func() (output.Format, error)
	// Open opens the sandbox's data file, opts.Path.
	Open func(opts sandbox.Options) (sandboxStore, error)

	Script scriptFlags // --jq, --template

	// Printer is the language of what a person reads (set in RunE); nil: English.
	Printer *l10n.Printer
}

func sandboxDepsOf(f *Factory) sandboxDeps {
	return sandboxDeps{IO: f.IO, Settings: f.Settings, Format: f.format, Open: openSandboxStore}
}

// openSandboxStore is sandbox.Open as a sandboxStore (nil, never a nil *Sandbox, on error).
func openSandboxStore(opts sandbox.Options) (sandboxStore, error) {
	sb, err := sandbox.Open(opts)
	if err != nil {
		return nil, err
	}
	return sb, nil
}

// open opens the data file data (--data), else APIKEYS_SANDBOX_DATA, else the state
// directory's, with the given options (Path filled in).
func (d sandboxDeps) open(data string, opts sandbox.Options) (sandboxStore, error) {
	path, err := d.dataPath(data)
	if err != nil {
		return nil, err
	}
	opts.Path = path
	return d.Open(opts)
}

// dataPath is the data file the sandbox commands use: data (--data), else
// APIKEYS_SANDBOX_DATA, else the state directory's.
func (d sandboxDeps) dataPath(data string) (string, error) {
	if data != "" {
		return data, nil
	}
	s, err := d.Settings()
	if err != nil {
		return "", err
	}
	return session.SandboxDataPath(s)
}

// read checks -o against spec, then runs fn on the opened sandbox with the command's printer,
// closing the sandbox after.
func (d sandboxDeps) read(data string, spec output.Spec, fn func(sandboxStore, *output.Printer) error) error {
	p, err := newPrinter(d.Printer, d.IO, d.Format, spec, false, d.Script)
	if err != nil {
		return err
	}
	sb, err := d.open(data, sandbox.Options{})
	if err != nil {
		return err
	}
	defer sb.Close()
	return fn(sb, p)
}

// dataFlag is the sandbox command's --data as given ("" when not): a persistent flag of the
// parent, so each subcommand reads it from the tree it runs in.
func dataFlag(cmd *cobra.Command) string {
	if fl := cmd.Flag("data"); fl != nil {
		return fl.Value.String()
	}
	return ""
}

func newSandboxCmd(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Run the local JMap Cloud emulator used for demos and tests",
		Long: `The sandbox is a local emulator of the JMap Cloud endpoints apikeys uses, with a
persistent store and a seeded demo organization (an administrator, editors, a viewer, and
keys that own data sources, projects, layers and tables).

Use it in process with the global --sandbox flag, or serve it over HTTP on loopback and
point --api-url at it.`,
	}
	cmd.PersistentFlags().String("data", "", "data file (default: APIKEYS_SANDBOX_DATA or the user's state directory)")
	cmd.AddCommand(newSandboxServeCmd(f, nil), newSandboxResetCmd(f, nil), newSandboxInfoCmd(f, nil), newSandboxResourcesCmd(f, nil))
	completeFiles(cmd, "data")
	return cmd
}

// --- serve

// sandboxServeOptions are the inputs of `apikeys sandbox serve`.
type sandboxServeOptions struct {
	sandboxDeps
	Listen func(network, address string) (net.Listener, error)

	Data      string
	Addr      string
	FaultRate float64
	Faults    string
	Seed      int64
	TokenTTL  time.Duration
	SlowDelay time.Duration

	faultKinds []string // Faults, checked by check
}

func newSandboxServeCmd(f *Factory, runF func(context.Context, *sandboxServeOptions) error) *cobra.Command {
	opts := &sandboxServeOptions{sandboxDeps: sandboxDepsOf(f), Listen: net.Listen}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the sandbox API on loopback until interrupted",
		Long: `Serve the sandbox API over HTTP on a loopback address. The first line of stdout is
the base URL (http://127.0.0.1:PORT), for --api-url.

Fault injection exercises a client's error handling: --fault-rate R (0..1) with
--faults from 500,503,429,reset,slow,truncate,garbage, reproducible with --seed.`,
		Example: `  apikeys sandbox serve --addr 127.0.0.1:8080
  apikeys sandbox serve --fault-rate 0.3 --faults 503,429,reset --seed 7`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Data = dataFlag(cmd)
			if err := opts.check(); err != nil {
				return err
			}
			opts.Printer = f.Printer()
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runSandboxServe(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&opts.Addr, "addr", "127.0.0.1:0", "loopback address to listen on (port 0: any free port)")
	numberVar(fl, fl.Float64Var, &opts.FaultRate, "fault-rate", 0, "probability (0..1) that a request meets a fault", l10n.M("a number from 0 to 1, such as 0.3"))
	fl.StringVar(&opts.Faults, "faults", "", "fault kinds, comma-separated: 500,503,429,reset,slow,truncate,garbage (default all)")
	numberVar(fl, fl.Int64Var, &opts.Seed, "seed", 1, "seed of the fault sequence, for reproducible runs", l10n.M("a whole number (64 bits), such as 7"))
	durationVar(fl, &opts.TokenTTL, "token-ttl", "", "access-token lifetime (default 1h); short values exercise refresh")
	durationVar(fl, &opts.SlowDelay, "slow-delay", "", "how long a \"slow\" fault stalls a request (default 30s, beyond the client's timeout)")
	cmd.ValidArgsFunction = noValues
	for _, name := range []string{"addr", "fault-rate", "faults", "seed", "token-ttl", "slow-delay"} {
		completeFlag(cmd, name, noValues)
	}
	return cmd
}

// check refuses what serve cannot use, before the data file is opened or a port listened on.
func (o *sandboxServeOptions) check() error {
	if !(o.FaultRate >= 0 && o.FaultRate <= 1) { // NaN too, which ParseFloat accepts
		return errkind.Usagef("--fault-rate %v is out of range: use a number from 0 to 1", o.FaultRate)
	}
	kinds, err := sandbox.ParseFaultKinds(o.Faults)
	var unknown *sandbox.UnknownFaultKindError
	if errors.As(err, &unknown) {
		return errkind.Usagef("invalid --faults %q: unknown fault kind %q (valid kinds: %s)", o.Faults, unknown.Kind, strings.Join(sandbox.FaultKinds(), ", "))
	}
	if err != nil {
		return err // none other: a kind is the only thing a list can get wrong
	}
	o.faultKinds = kinds
	return checkLoopbackAddr(o.Addr)
}

// checkLoopbackAddr refuses an --addr that is not a loopback host and port: the sandbox is
// not meant to be reachable from other machines.
func checkLoopbackAddr(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		// "127.0.0.1" or "[::1]" alone: a loopback host without its port.
		if bare := strings.TrimSuffix(strings.TrimPrefix(addr, "["), "]"); jmapcloud.IsLoopbackHost(bare) {
			return errkind.Usagef("--addr %q has no port: give one, such as %s (port 0: any free port)", addr, net.JoinHostPort(bare, "8080"))
		}
	}
	if err != nil || !jmapcloud.IsLoopbackHost(host) {
		return errkind.Usagef("--addr %q must be a loopback address such as 127.0.0.1:8080: the sandbox is not meant to be reachable from other machines", addr)
	}
	return nil
}

// runSandboxServe serves the sandbox on opts.Addr until ctx is done (Ctrl-C), then shuts
// the server down and returns nil.
func runSandboxServe(ctx context.Context, opts *sandboxServeOptions) error {
	faults := sandbox.Faults{Rate: opts.FaultRate, Kinds: opts.faultKinds, Seed: opts.Seed, SlowDelay: opts.SlowDelay}
	sb, err := opts.open(opts.Data, sandbox.Options{TokenTTL: opts.TokenTTL, Faults: faults})
	if err != nil {
		return err
	}
	defer sb.Close()
	path := sb.Info().DataPath
	ln, err := opts.Listen("tcp", opts.Addr)
	if err != nil {
		return l10n.Errorf("cannot listen on %s: %w", opts.Addr, err)
	}
	srv := &http.Server{Handler: sb.Handler(), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(opts.IO.Out, "http://%s\n", ln.Addr())
	opts.Printer.Fprintf(opts.IO.ErrOut, "Sandbox serving %s (data %s). Log in as %s / %s, or see `apikeys sandbox info`. Ctrl-C stops it.\n", ln.Addr(), path, sandbox.AdminEmail, sandbox.Password)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
			srv.Close()
		}
		opts.Printer.Fprintf(opts.IO.ErrOut, "Sandbox stopped.\n")
		return nil
	}
}

// --- reset

// maxGeneratedKeys bounds reset --keys at what a key list reads (jmapcloud's limit of one
// walk): more could never be listed, and generating 100 million keys held a core for
// twenty minutes, deaf to Ctrl-C and SIGTERM, since the generation cannot be interrupted.
const maxGeneratedKeys = 1_000_000

// sandboxResetOptions are the inputs of `apikeys sandbox reset`.
type sandboxResetOptions struct {
	sandboxDeps

	Data string
	Keys int // generated keys added to the seed
}

func newSandboxResetCmd(f *Factory, runF func(context.Context, *sandboxResetOptions) error) *cobra.Command {
	opts := &sandboxResetOptions{sandboxDeps: sandboxDepsOf(f)}
	cmd := &cobra.Command{
		Use:   "reset",
		Short: "Restore the seeded organization, optionally with N generated keys",
		Example: `  apikeys sandbox reset
  apikeys sandbox reset --keys 10000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Data = dataFlag(cmd)
			if opts.Keys < 0 || opts.Keys > maxGeneratedKeys {
				return errkind.Usagef("--keys %d: give a number of keys from 0 to %d (more could not be listed: a key list stops past %d keys)", opts.Keys, maxGeneratedKeys, maxGeneratedKeys)
			}
			opts.Printer = f.Printer()
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runSandboxReset(cmd.Context(), opts)
		},
	}
	fl := cmd.Flags()
	numberVar(fl, fl.IntVar, &opts.Keys, "keys", 0, "number of generated keys to add to the seed", l10n.M("a number of keys from 0 to %d", maxGeneratedKeys))
	cmd.ValidArgsFunction = noValues
	completeFlag(cmd, "keys", noValues)
	return cmd
}

func runSandboxReset(_ context.Context, opts *sandboxResetOptions) error {
	sb, err := opts.open(opts.Data, sandbox.Options{})
	if err != nil {
		return err
	}
	defer sb.Close()
	if err := sb.Reset(opts.Keys); err != nil {
		return err
	}
	if opts.Keys > 0 {
		_, _ = io.WriteString(opts.IO.ErrOut, opts.Printer.Plural(opts.Keys, "Sandbox reset (%s): seeded organization restored with %d generated key.\n",
			"Sandbox reset (%s): seeded organization restored with %d generated keys.\n", sb.Info().DataPath, opts.Keys))
	} else {
		opts.Printer.Fprintf(opts.IO.ErrOut, "Sandbox reset (%s): seeded organization restored.\n", sb.Info().DataPath)
	}
	return nil
}

// --- info

// sandboxInfoOptions are the inputs of `apikeys sandbox info`.
type sandboxInfoOptions struct {
	sandboxDeps

	Data string
}

func newSandboxInfoCmd(f *Factory, runF func(context.Context, *sandboxInfoOptions) error) *cobra.Command {
	opts := &sandboxInfoOptions{sandboxDeps: sandboxDepsOf(f)}
	cmd := &cobra.Command{
		Use:   "info",
		Short: "Print the sandbox's logins, password, organization and data path",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Data = dataFlag(cmd)
			opts.Printer = f.Printer()
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runSandboxInfo(cmd.Context(), opts)
		},
		ValidArgsFunction: noValues,
	}
	addScriptFlags(cmd, &opts.Script)
	return cmd
}

func runSandboxInfo(_ context.Context, opts *sandboxInfoOptions) error {
	// An organization with a list of logins is no CSV line: table, JSON or YAML.
	spec := output.Spec{Command: "sandbox info", Shape: output.Object, AdviceText: l10n.M("use sandbox info -o json, or sandbox resources -o csv for records")}
	p, err := newPrinter(opts.Printer, opts.IO, opts.Format, spec, false, opts.Script)
	if err != nil {
		return err
	}
	// The info is the seed's and the path: the data file is not opened, so this answers
	// while `sandbox serve` holds it.
	path, err := opts.dataPath(opts.Data)
	if err != nil {
		return err
	}
	if path, err = sandbox.ResolveDataPath(path); err != nil {
		return err
	}
	return p.Print(sandboxInfoResult(opts.Printer, sandbox.InfoAt(path), p.TableOptions()))
}

// sandboxInfoResult is the sandbox's info as JSON and YAML print it, and for a person a
// detail view followed by the table of logins.
func sandboxInfoResult(pr *l10n.Printer, info sandbox.Info, table output.TableOptions) output.Result {
	return output.Result{
		Data: info,
		Text: func(w io.Writer) error {
			output.PrintDetailIn(pr, w, [][2]string{
				{pr.Text("Organization"), fmt.Sprintf("%s (%s)", info.OrganizationName, info.OrganizationID)},
				{pr.Text("Password"), pr.Sprintf("%s (every login)", info.Password)},
				{pr.Text("Data"), info.DataPath},
			}, nil)
			fmt.Fprintln(w)
			logins := output.TableOf(loginColumns(table.Printer), info.Logins)
			table.NoHeaders = false // the logins' table is headed whatever the printer's rows do
			return output.PrintRows(w, logins, table)
		},
	}
}

// loginColumns head sandbox info's table of logins, titled in lang's language (nil, as on a
// pipe: English).
func loginColumns(lang *l10n.Printer) []output.Column[sandbox.Login] {
	title := [3]string{"LOGIN"} // "": the header in upper case
	if lang.Lang() != l10n.English {
		title = [3]string{lang.Text("LOGIN"), lang.Text("NAME"), lang.Text("ROLES")}
	}
	return []output.Column[sandbox.Login]{
		{Header: "email", Title: title[0], Value: func(l sandbox.Login) string { return l.Email }, Fit: output.ColumnFit{Shrink: true}},
		{Header: "name", Title: title[1], Value: func(l sandbox.Login) string { return l.Name }, Fit: output.ColumnFit{Shrink: true, Drop: 1}},
		{Header: "roles", Title: title[2], Value: func(l sandbox.Login) string { return strings.Join(l.Roles, ",") }, Fit: output.ColumnFit{Drop: 2}},
	}
}

// --- resources

// sandboxResourcesOptions are the inputs of `apikeys sandbox resources`.
type sandboxResourcesOptions struct {
	sandboxDeps

	Data string
}

func newSandboxResourcesCmd(f *Factory, runF func(context.Context, *sandboxResourcesOptions) error) *cobra.Command {
	opts := &sandboxResourcesOptions{sandboxDeps: sandboxDepsOf(f)}
	cmd := &cobra.Command{
		Use:   "resources",
		Short: "List every resource in the sandbox with its owner",
		Long: `List every data source, project, layer and table in the sandbox with its owner
(a member or an API key), so you can see where a deleted key's resources went.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Data = dataFlag(cmd)
			opts.Printer = f.Printer()
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runSandboxResources(cmd.Context(), opts)
		},
		ValidArgsFunction: noValues,
	}
	addScriptFlags(cmd, &opts.Script)
	return cmd
}

func runSandboxResources(_ context.Context, opts *sandboxResourcesOptions) error {
	return opts.read(opts.Data, output.Spec{Command: "sandbox resources", Shape: output.Records}, func(sb sandboxStore, p *output.Printer) error {
		return printSandboxResources(opts.IO, opts.Printer, sb, p)
	})
}

func printSandboxResources(streams *iostreams.IOStreams, pr *l10n.Printer, sb sandboxStore, p *output.Printer) error {
	res, err := sb.Resources()
	if err != nil {
		return err
	}
	if res == nil {
		res = []sandbox.Resource{}
	}
	if saidEmpty(streams, p.Format(), len(res), func() string { return pr.Text("The sandbox holds no resources.") }) {
		return nil
	}
	var titles *l10n.Printer // the plain table of a pipe, which scripts read, stays English
	if streams.IsStdoutTTY() {
		titles = pr
	}
	return p.Print(output.Result{Data: res, Rows: output.TableOf(resourceColumns(titles), res)})
}

// resourceColumns are the columns of sandbox resources: the JSON keys, titled in lang's
// language for a terminal's table (nil: English).
func resourceColumns(lang *l10n.Printer) []output.Column[sandbox.Resource] {
	title := [6]string{3: "OWNER KIND", 4: "OWNER ID", 5: "OWNER"} // "": the header in upper case
	if lang.Lang() != l10n.English {
		// "ID" and "TYPE" are French too ("ID" has no message: go-i18n reserves the key).
		title = [6]string{"ID", "TYPE", lang.Text("NAME"), lang.Text("OWNER KIND"), lang.Text("OWNER ID"), lang.Text("OWNER")}
	}
	return []output.Column[sandbox.Resource]{
		{Header: "id", Title: title[0], Value: func(r sandbox.Resource) string { return r.ID }},
		{Header: "type", Title: title[1], Value: func(r sandbox.Resource) string { return r.Type }, Fit: output.ColumnFit{Drop: 2}},
		{Header: "name", Title: title[2], Value: func(r sandbox.Resource) string { return r.Name }, Fit: output.ColumnFit{Shrink: true}},
		// On a narrow terminal the owner's ID goes first, then its kind: its name says who.
		{Header: "ownerKind", Title: title[3], Value: func(r sandbox.Resource) string { return r.OwnerKind }, Fit: output.ColumnFit{Drop: 3}},
		{Header: "ownerId", Title: title[4], Value: func(r sandbox.Resource) string { return r.OwnerID }, Fit: output.ColumnFit{Drop: 4}},
		{Header: "ownerName", Title: title[5], Value: func(r sandbox.Resource) string { return r.OwnerName }, Fit: output.ColumnFit{Shrink: true, Drop: 1}},
	}
}
