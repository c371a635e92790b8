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

	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/output"
	"github.com/k2geospatial/apikeys/internal/sandbox"
	"github.com/k2geospatial/apikeys/internal/session"
)

// sandboxOptions are shared by the sandbox subcommands.
type sandboxOptions struct {
	f    *Factory
	Data string
}

// dataPath is --data, else APIKEYS_SANDBOX_DATA, else the state directory.
func (o *sandboxOptions) dataPath() (string, error) {
	if o.Data != "" {
		return o.Data, nil
	}
	s, err := o.f.Settings()
	if err != nil {
		return "", err
	}
	return session.SandboxDataPath(s)
}

// read checks -o against spec, then runs fn on the opened sandbox with the command's printer,
// closing the sandbox after.
func (o *sandboxOptions) read(spec output.Spec, fn func(*sandbox.Sandbox, *output.Printer) error) error {
	p, err := newPrinter(o.f.IO, o.f.format, spec, false)
	if err != nil {
		return err
	}
	sb, err := o.open(sandbox.Options{})
	if err != nil {
		return err
	}
	defer sb.Close()
	return fn(sb, p)
}

// open opens the sandbox's data file with the given options (Path filled in).
func (o *sandboxOptions) open(opts sandbox.Options) (*sandbox.Sandbox, error) {
	path, err := o.dataPath()
	if err != nil {
		return nil, err
	}
	opts.Path = path
	return sandbox.Open(opts)
}

func newSandboxCmd(f *Factory) *cobra.Command {
	opts := &sandboxOptions{f: f}
	cmd := &cobra.Command{
		Use:   "sandbox",
		Short: "Run the local JMap Cloud emulator used for demos and tests",
		Long: `The sandbox is a local emulator of the JMap Cloud endpoints apikeys uses, with a
persistent store and a seeded demo organization (an administrator, editors, a viewer, and
keys that own data sources, projects, layers and tables).

Use it in process with the global --sandbox flag, or serve it over HTTP on loopback and
point --api-url at it.`,
	}
	cmd.PersistentFlags().StringVar(&opts.Data, "data", "", "data file (default: APIKEYS_SANDBOX_DATA or the user's state directory)")
	cmd.AddCommand(newSandboxServeCmd(opts), newSandboxResetCmd(opts), newSandboxInfoCmd(opts), newSandboxResourcesCmd(opts))
	completeFiles(cmd, "data")
	return cmd
}

func newSandboxServeCmd(opts *sandboxOptions) *cobra.Command {
	var addr, faults string
	var rate float64
	var seed int64
	var ttl, slow time.Duration
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
			if rate < 0 || rate > 1 {
				return errkind.Usagef("--fault-rate %v is out of range: use a number from 0 to 1", rate)
			}
			kinds, err := sandbox.ParseFaultKinds(faults)
			if err != nil {
				return errkind.Usagef("%v", err)
			}
			host, _, err := net.SplitHostPort(addr)
			if err != nil || !jmapcloud.IsLoopbackHost(host) {
				return errkind.Usagef("--addr %q must be a loopback address such as 127.0.0.1:8080: the sandbox is not meant to be reachable from other machines", addr)
			}
			sb, err := opts.open(sandbox.Options{TokenTTL: ttl, Faults: sandbox.Faults{Rate: rate, Kinds: kinds, Seed: seed, SlowDelay: slow}})
			if err != nil {
				return err
			}
			defer sb.Close()
			path := sb.Info().DataPath
			ln, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("cannot listen on %s: %w", addr, err)
			}
			srv := &http.Server{Handler: sb.Handler(), ReadHeaderTimeout: 10 * time.Second}
			fmt.Fprintf(opts.f.IO.Out, "http://%s\n", ln.Addr())
			fmt.Fprintf(opts.f.IO.ErrOut, "Sandbox serving %s (data %s). Log in as %s / %s, or see `apikeys sandbox info`. Ctrl-C stops it.\n", ln.Addr(), path, sandbox.AdminEmail, sandbox.Password)
			errc := make(chan error, 1)
			go func() { errc <- srv.Serve(ln) }()
			select {
			case err := <-errc:
				return err
			case <-cmd.Context().Done():
				shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
					srv.Close()
				}
				fmt.Fprintln(opts.f.IO.ErrOut, "Sandbox stopped.")
				return nil
			}
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&addr, "addr", "127.0.0.1:0", "loopback address to listen on (port 0: any free port)")
	fl.Float64Var(&rate, "fault-rate", 0, "probability (0..1) that a request meets a fault")
	fl.StringVar(&faults, "faults", "", "fault kinds, comma-separated: 500,503,429,reset,slow,truncate,garbage (default all)")
	fl.Int64Var(&seed, "seed", 1, "seed of the fault sequence, for reproducible runs")
	durationVar(fl, &ttl, "token-ttl", "", "access-token lifetime (default 1h); short values exercise refresh")
	durationVar(fl, &slow, "slow-delay", "", "how long a \"slow\" fault stalls a request (default 30s, beyond the client's timeout)")
	cmd.ValidArgsFunction = noValues
	for _, name := range []string{"addr", "fault-rate", "faults", "seed", "token-ttl", "slow-delay"} {
		completeFlag(cmd, name, noValues)
	}
	return cmd
}

// maxGeneratedKeys bounds reset --keys at what a key list reads (jmapcloud's limit of one
// walk): more could never be listed, and generating 100 million keys held a core for
// twenty minutes, deaf to Ctrl-C and SIGTERM, since the generation cannot be interrupted.
const maxGeneratedKeys = 1_000_000

func newSandboxResetCmd(opts *sandboxOptions) *cobra.Command {
	var extra int
	cmd := &cobra.Command{
		Use:   "reset",
		Short: "Restore the seeded organization, optionally with N generated keys",
		Example: `  apikeys sandbox reset
  apikeys sandbox reset --keys 10000`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if extra < 0 || extra > maxGeneratedKeys {
				return errkind.Usagef("--keys %d: give a number of keys from 0 to %d (more could not be listed: a key list stops past %d keys)", extra, maxGeneratedKeys, maxGeneratedKeys)
			}
			sb, err := opts.open(sandbox.Options{})
			if err != nil {
				return err
			}
			defer sb.Close()
			if err := sb.Reset(extra); err != nil {
				return err
			}
			fmt.Fprintf(opts.f.IO.ErrOut, "Sandbox reset (%s): seeded organization restored", sb.Info().DataPath)
			if extra > 0 {
				fmt.Fprintf(opts.f.IO.ErrOut, " with %d generated keys", extra)
			}
			fmt.Fprintln(opts.f.IO.ErrOut, ".")
			return nil
		},
	}
	cmd.Flags().IntVar(&extra, "keys", 0, "number of generated keys to add to the seed")
	cmd.ValidArgsFunction = noValues
	completeFlag(cmd, "keys", noValues)
	return cmd
}

func newSandboxInfoCmd(opts *sandboxOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "info",
		Short: "Print the sandbox's logins, password, organization and data path",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			// An organization with a list of logins is no CSV line: table, JSON or YAML.
			spec := output.Spec{Command: "sandbox info", Shape: output.Object, Advice: "use sandbox info -o json, or sandbox resources -o csv for records"}
			return opts.read(spec, func(sb *sandbox.Sandbox, p *output.Printer) error {
				return p.Print(sandboxInfoResult(sb.Info(), opts.f.IO.IsStdoutTTY()))
			})
		},
		ValidArgsFunction: noValues,
	}
}

// sandboxInfoResult is the sandbox's info as JSON and YAML print it, and for a person a
// detail view followed by the table of logins.
func sandboxInfoResult(info sandbox.Info, tty bool) output.Result {
	return output.Result{
		Data: info,
		Text: func(w io.Writer) error {
			output.PrintDetail(w, [][2]string{
				{"Organization", fmt.Sprintf("%s (%s)", info.OrganizationName, info.OrganizationID)},
				{"Password", info.Password + " (every login)"},
				{"Data", info.DataPath},
			})
			fmt.Fprintln(w)
			logins := output.TableOf(loginColumns(), info.Logins)
			return output.PrintRows(w, logins, output.TableOptions{TTY: tty})
		},
	}
}

// loginColumns head sandbox info's table of logins.
func loginColumns() []output.Column[sandbox.Login] {
	return []output.Column[sandbox.Login]{
		{Header: "email", Title: "LOGIN", Value: func(l sandbox.Login) string { return l.Email }},
		{Header: "name", Value: func(l sandbox.Login) string { return l.Name }},
		{Header: "roles", Value: func(l sandbox.Login) string { return strings.Join(l.Roles, ",") }},
	}
}

func newSandboxResourcesCmd(opts *sandboxOptions) *cobra.Command {
	return &cobra.Command{
		Use:   "resources",
		Short: "List every resource in the sandbox with its owner",
		Long: `List every data source, project, layer and table in the sandbox with its owner
(a member or an API key), so you can see where a deleted key's resources went.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return opts.read(output.Spec{Command: "sandbox resources", Shape: output.Records}, printSandboxResources)
		},
		ValidArgsFunction: noValues,
	}
}

func printSandboxResources(sb *sandbox.Sandbox, p *output.Printer) error {
	res, err := sb.Resources()
	if err != nil {
		return err
	}
	if res == nil {
		res = []sandbox.Resource{}
	}
	return p.Print(output.Result{Data: res, Rows: output.TableOf(resourceColumns(), res)})
}

// resourceColumns are the columns of sandbox resources: the JSON keys.
func resourceColumns() []output.Column[sandbox.Resource] {
	return []output.Column[sandbox.Resource]{
		{Header: "id", Value: func(r sandbox.Resource) string { return r.ID }},
		{Header: "type", Value: func(r sandbox.Resource) string { return r.Type }},
		{Header: "name", Value: func(r sandbox.Resource) string { return r.Name }},
		{Header: "ownerKind", Title: "OWNER KIND", Value: func(r sandbox.Resource) string { return r.OwnerKind }},
		{Header: "ownerId", Title: "OWNER ID", Value: func(r sandbox.Resource) string { return r.OwnerID }},
		{Header: "ownerName", Title: "OWNER", Value: func(r sandbox.Resource) string { return r.OwnerName }},
	}
}
