package cli

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/doctor"
	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/output"
	"github.com/k2geospatial/apikeys/internal/prompt"
	"github.com/k2geospatial/apikeys/internal/session"
)

// doctorOptions are the inputs of `apikeys doctor`.
type doctorOptions struct {
	IO       *iostreams.IOStreams
	Version  string
	Format   func() (output.Format, error)
	Settings func() (*config.Settings, error)
	// Open opens the organization's session: the doctor's API, and its organization.
	Open func(ctx context.Context) (doctor.API, string, error)
	// Store names where the settings' session is kept (sessionStoreName).
	Store    func(*config.Settings) string
	Prompter func() prompt.Prompter
	Now      func() time.Time
	// WriteReport writes the --report file.
	WriteReport func(path string, data []byte) error

	Write  bool
	Yes    bool
	Report string
	Script scriptFlags // --jq, --template

	Printer *l10n.Printer // the language of the checklist and messages; nil: English
}

func newDoctorCmd(f *Factory, runF func(context.Context, *doctorOptions) error) *cobra.Command {
	opts := &doctorOptions{
		IO:       f.IO,
		Version:  f.Version,
		Format:   f.format,
		Settings: f.Settings,
		Open: func(ctx context.Context) (doctor.API, string, error) {
			s, err := f.Session(ctx)
			if err != nil {
				return nil, "", err
			}
			return s.Client, s.Org, nil
		},
		Store:       func(s *config.Settings) string { return sessionStoreName(f, s) },
		Prompter:    f.Prompter,
		Now:         f.Now,
		WriteReport: func(path string, data []byte) error { return config.WriteFileAtomic(path, data, 0o644) },
	}
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check what apikeys assumes against the server it talks to",
		Long: `Check, in order, the configuration (profile, API URL, organization, credentials,
session store), the connection (TLS, latency, the server's clock against this machine's),
the session (token, organization, roles, ORG_ADMIN) and every read call apikeys makes:
users/self, members/self, members, the first page of the key list, one key by ID and that
key's resources. For each it shows the HTTP status, the envelope and page found, which
member name every field was read from, the fields not found, the members apikeys does not
read (names only) and the dates it could or could not read.

Read-only unless --write: then it also creates a Viewer key titled
apikeys-doctor-<timestamp>, checks where its secret came back, and deletes it (asking first
on a terminal; --yes otherwise).

--report FILE writes the report as JSON for a bug report: field names, types, status codes
and shapes only, never a token, password, secret, or a key's title, email or ID.

Exits 0 when everything apikeys needs matched, 1 when something did not: each ✗ says
which assumption to correct, and where (internal/jmapcloud/paths.go or wire.go).`,
		Example: `  apikeys doctor
  apikeys doctor --report doctor.json
  apikeys doctor --write --yes -o json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Printer = f.Printer()
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runDoctor(cmd.Context(), opts)
		},
		ValidArgsFunction: noValues,
	}
	cmd.Flags().BoolVar(&opts.Write, "write", false, "also create a short-lived Viewer key, check the answer, and delete it")
	cmd.Flags().BoolVarP(&opts.Yes, "yes", "y", false, "with --write: create and delete the key without asking")
	cmd.Flags().StringVar(&opts.Report, "report", "", "write the report, with no value of the server's, to `FILE` as JSON")
	completeFiles(cmd, "report", "json")
	addScriptFlags(cmd, &opts.Script)
	return cmd
}

// sessionStoreName says where the settings' session is kept, as `auth status` finds it: the
// one place the doctor learns the store, so that a store added to the session package is
// named here without another change.
func sessionStoreName(f *Factory, s *config.Settings) string {
	if by := session.CredentialsOverride(s); by != "" {
		return doctor.Say(l10n.M("not used: this run's credentials come from %s", credentialsWords(by)))
	}
	return doctor.Say(l10n.M("%s", f.sessions().DescribeStore(s)))
}

func runDoctor(ctx context.Context, opts *doctorOptions) error {
	p, err := newPrinter(opts.Printer, opts.IO, opts.Format, output.Spec{Command: "doctor", Shape: output.Object}, false, opts.Script)
	if err != nil {
		return err
	}
	if opts.Yes && !opts.Write {
		// A script passing --yes alone would believe the write check ran.
		return errkind.Usagef("--yes confirms --write, which was not given: add --write to also create and delete a test key, or leave --yes out")
	}
	if err := checkReportPath(opts.Report); err != nil {
		return err
	}
	s, err := opts.Settings()
	if err != nil {
		return err
	}
	in, err := doctorInput(ctx, opts, s)
	if err != nil {
		return err
	}
	opts.IO.StartProgress(func() string { return opts.Printer.Text("Checking the server…") })
	report := doctor.Run(ctx, in)
	opts.IO.StopProgress()
	if ctx.Err() != nil {
		return ctx.Err() // interrupted: the report is not the server's
	}
	err = p.Print(output.Result{Data: report, Text: func(w io.Writer) error { return doctor.WriteTextIn(w, opts.Printer, report) }})
	if err != nil {
		return err
	}
	if opts.Report != "" {
		if err := writeDoctorReport(opts, report); err != nil {
			return err
		}
	}
	if !report.OK {
		return &errkind.Reported{Kind: errkind.Failed}
	}
	return nil
}

// doctorInput resolves the doctor's configuration and session, and with --write asks
// before anything is sent. A session that cannot be opened is a finding of the checklist,
// unless the command line itself is wrong (a usage error) or the user stopped it.
func doctorInput(ctx context.Context, opts *doctorOptions, s *config.Settings) (doctor.Input, error) {
	in := doctor.Input{Version: opts.Version, Config: doctor.Config{
		Profile: s.Profile, APIURL: s.APIURL, Sandbox: s.Sandbox,
		Credentials: credentialSource(s), Store: opts.Store(s),
	}}
	if opts.Write {
		w, err := confirmDoctorWrite(opts)
		if err != nil {
			return in, err
		}
		in.Write = w
	}
	api, org, err := opts.Open(ctx)
	switch {
	case err == nil:
		in.API, in.Org = api, org
	case errkind.Is(err, errkind.Usage), errkind.Is(err, errkind.Cancelled), ctx.Err() != nil:
		return in, err
	default:
		in.OpenErr = err
	}
	return in, nil
}

// credentialSource names where this run's credentials come from.
func credentialSource(s *config.Settings) string {
	if by := session.CredentialsOverride(s); by != "" {
		if w, ok := credentialsWords(by).(l10n.Msg); ok {
			return doctor.Say(w)
		}
		return by
	}
	return doctor.Say(l10n.M("the profile's saved session"))
}

// credentialsWords names the credentials of session.CredentialsOverride for a sentence:
// the flag or variable as typed, the two variables joined in the reader's language.
func credentialsWords(by string) any {
	if by == "APIKEYS_USERNAME and APIKEYS_PASSWORD" {
		return l10n.M("APIKEYS_USERNAME and APIKEYS_PASSWORD")
	}
	return by
}

// doctorKeyLifetime is how long the --write key would live if its delete failed.
const doctorKeyLifetime = 24 * time.Hour

// confirmDoctorWrite is the key --write creates, once the user agreed: --yes, or yes at the
// prompt. Without a terminal and without --yes it is a usage error, before anything is sent.
func confirmDoctorWrite(opts *doctorOptions) (*doctor.Write, error) {
	now := opts.Now().UTC()
	w := &doctor.Write{Title: "apikeys-doctor-" + now.Format("20060102T150405Z"), Expires: now.Add(doctorKeyLifetime)}
	if opts.Yes {
		return w, nil
	}
	if !opts.IO.CanPrompt() {
		return nil, errkind.Usagef("--write creates an API key and deletes it again: pass --yes to allow it without a terminal")
	}
	ok, err := opts.Prompter().Confirm(opts.Printer.Sprintf("Create the Viewer key %q, check the answer, then delete it?", w.Title), false)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errkind.New(errkind.Cancelled, "cancelled: nothing was sent")
	}
	return w, nil
}

// checkReportPath refuses a --report the report could not be written to, before anything is
// sent, so that a long run does not end in a raw rename or open error: "-", a directory, a
// device or pipe, a file in a directory that does not exist, or a read-only file (the atomic
// write would replace the last three).
func checkReportPath(path string) error {
	switch path {
	case "":
		return nil
	case "-":
		return errkind.Usagef("--report - would write a file named \"-\": give a file name (-o json prints the whole report on stdout)")
	}
	if info, err := os.Stat(path); err == nil {
		switch {
		case info.IsDir():
			return errkind.Usagef("--report %s is a directory: give a file name, e.g. --report %s", path, filepath.Join(path, "doctor.json"))
		case !info.Mode().IsRegular():
			// /dev/stdout, a pipe: the atomic write would replace it with a file.
			return errkind.Usagef("--report %s is not a regular file: give a file name (-o json prints the whole report on stdout)", path)
		case info.Mode().Perm()&0o222 == 0:
			return errkind.Usagef("--report %s is read-only: make it writable (chmod u+w), or give another file", path)
		}
		return nil
	}
	dir := filepath.Dir(path)
	info, err := os.Stat(dir)
	switch {
	case err != nil:
		return errkind.Usagef("--report %s: the directory %s does not exist: create it, or give a file in an existing directory", path, dir)
	case !info.IsDir():
		return errkind.Usagef("--report %s: %s is not a directory: give a file in an existing directory", path, dir)
	}
	return nil
}

// writeDoctorReport writes the report without values (doctor.Report.Redacted) to --report.
func writeDoctorReport(opts *doctorOptions, report doctor.Report) error {
	data, err := json.MarshalIndent(report.Redacted(), "", "  ")
	if err != nil {
		return err
	}
	if err := opts.WriteReport(opts.Report, append(data, '\n')); err != nil {
		return l10n.Errorf("writing the report: %w", err)
	}
	opts.Printer.Fprintf(opts.IO.ErrOut, "Report written to %s: names, types, status codes and shapes only.\n", opts.Report)
	return nil
}
