package cli

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/output"
	"github.com/k2geospatial/apikeys/internal/prompt"
	"github.com/k2geospatial/apikeys/internal/sanitize"
	"github.com/k2geospatial/apikeys/internal/session"
)

// maxPasswordStdin bounds what --password-stdin reads: a password, not a file.
const maxPasswordStdin = 64 << 10

// authSessions is what the auth subcommands ask of the session protocol (*session.Manager):
// run tests put a fake in its place.
type authSessions interface {
	Login(ctx context.Context, s *config.Settings, req session.LoginRequest) (*session.LoginResult, error)
	Logout(ctx context.Context, s *config.Settings) (*session.LogoutResult, error)
	Status(s *config.Settings) (session.Status, error)
}

// trackedSessions records on the factory when the work of auth begins (see workTracker):
// a login once it has its credentials (its refusals of --sandbox, of an unsafe URL and of
// missing flags come before, and are about the command line), a logout or status at once.
type trackedSessions struct {
	m     *session.Manager
	begin func()
}

func (t trackedSessions) Login(ctx context.Context, s *config.Settings, req session.LoginRequest) (*session.LoginResult, error) {
	credentials := req.Credentials
	req.Credentials = func() (string, string, error) {
		username, password, err := credentials()
		if err == nil {
			t.begin()
		}
		return username, password, err
	}
	return t.m.Login(ctx, s, req)
}

func (t trackedSessions) Logout(ctx context.Context, s *config.Settings) (*session.LogoutResult, error) {
	t.begin()
	return t.m.Logout(ctx, s)
}

func (t trackedSessions) Status(s *config.Settings) (session.Status, error) {
	t.begin()
	return t.m.Status(s)
}

// authOptions are the dependencies the auth subcommands share.
type authOptions struct {
	IO       *iostreams.IOStreams
	Prompter func() prompt.Prompter
	Settings func() (*config.Settings, error)
	// Sessions runs the protocol of login, logout and status.
	Sessions func() authSessions
	Now      func() time.Time
	// Printer is the language of what a person reads (set in RunE); nil: English.
	Printer *l10n.Printer
}

// authDepsOf are the auth subcommands' dependencies from f.
func authDepsOf(f *Factory) authOptions {
	return authOptions{
		IO:       f.IO,
		Prompter: f.Prompter,
		Settings: f.Settings,
		Sessions: func() authSessions { return trackedSessions{m: f.sessions(), begin: f.work.begin} },
		Now:      f.Now,
	}
}

// authLoginOptions are the inputs of `apikeys auth login`.
type authLoginOptions struct {
	authOptions
	Username      string
	PasswordStdin bool
}

func newAuthCmd(f *Factory) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "auth",
		Short: "Log in to JMap Cloud, log out, and show the session",
		Long: `Log in once with an organization administrator's account; the session is saved in the
profile (its tokens in the OS keyring when one answers, else in a file readable only by you)
and renewed automatically, so later commands, and scripts, need no password.

Sessions are kept per profile (--profile, APIKEYS_PROFILE), each with its API URL and
organization. See docs/configuration.md.`,
	}
	cmd.AddCommand(newAuthLoginCmd(f, nil), newAuthLogoutCmd(f, nil), newAuthStatusCmd(f, nil))
	return cmd
}

func newAuthLoginCmd(f *Factory, runF func(context.Context, *authLoginOptions) error) *cobra.Command {
	opts := &authLoginOptions{authOptions: authDepsOf(f)}
	cmd := &cobra.Command{
		Use:   "login",
		Short: "Log in and save the session in the profile",
		Long: `Log in with a JMap Cloud account and save the session in the profile.

On a terminal, the email and password are asked for (the password is not shown). In a
script, pass --username and the password on standard input with --password-stdin.
When the account belongs to several organizations, one is chosen from a list, or with
--org (an ID or an exact name). The profile records the API URL and the organization, so
later commands need neither flag.

Managing API keys needs the ORG_ADMIN role: the login succeeds without it, with a warning.`,
		Example: `  apikeys auth login
  apikeys auth login --profile qa --api-url https://api.qa.jmapcloud.io
  printf '%s\n' "$JMAP_PASSWORD" | apikeys auth login --username admin@example.com --password-stdin --org ORG_ID`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Printer = f.Printer()
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runAuthLogin(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Username, "username", "", "login email (env APIKEYS_USERNAME)")
	cmd.Flags().BoolVar(&opts.PasswordStdin, "password-stdin", false, "read the password from standard input")
	cmd.ValidArgsFunction = noValues
	completeFlag(cmd, "username", noValues)
	return cmd
}

func runAuthLogin(ctx context.Context, opts *authLoginOptions) error {
	s, err := opts.Settings()
	if err != nil {
		return err
	}
	req := session.LoginRequest{
		Credentials: func() (string, string, error) { return loginCredentials(opts, s) },
	}
	if opts.IO.CanPrompt() {
		req.ChooseOrg = func(orgs []jmapcloud.Organization) (jmapcloud.Organization, error) { return askOrg(opts, orgs) }
	}
	res, err := opts.Sessions().Login(ctx, s, req)
	if err != nil {
		return err
	}
	reportLogin(opts.IO.ErrOut, opts.Printer, s, res, opts.IO.IsStderrTTY())
	return nil
}

// reportLogin tells what a successful login did not manage, then, on a terminal, who is
// logged in where.
func reportLogin(w io.Writer, p *l10n.Printer, s *config.Settings, res *session.LoginResult, tty bool) {
	if res.ProfileErr != nil {
		p.Fprintf(w, "Warning: the session is saved, but the profile %q could not be recorded: %v\nlater commands will need --api-url and --org\n", s.Profile, res.ProfileErr)
	}
	role := ""
	switch {
	case res.RoleErr != nil:
		p.Fprintf(w, "Warning: could not check your role in %s: %s\n", sanitize.Text(res.Org.Name), displayLines(p.Error(res.RoleErr)))
	default:
		if res.RecordRoleErr != nil {
			p.Fprintf(w, "Warning: could not record your role in the session: %v\n", res.RecordRoleErr)
		}
		if !res.Member.HasRole(jmapcloud.RoleAdmin) {
			p.Fprintf(w, "Warning: %s is not an administrator (ORG_ADMIN) of %s; roles: %s.\nOnly an ORG_ADMIN can list, create and delete API keys: those commands will be refused (exit 4).\n",
				sanitize.Text(res.User.Email), orgLabel(res.Org), sanitize.Text(rolesText(p, res.Member.Roles)))
		}
		role = " (" + shortRoleLabel(p, res.Member.Roles) + ")"
	}
	if tty {
		p.Fprintf(w, "Logged in to %s as %s%s.\nProfile %q at %s; session saved in %s.\n",
			orgName(res.Org), sanitize.Text(res.User.Email), role, s.Profile, res.Session.APIURL, savedIn(p, res))
	}
}

// savedIn names where the login saved the session: the keyring, or the file.
func savedIn(p *l10n.Printer, res *session.LoginResult) string {
	if res.Store.Store == config.StoreKeyring {
		return p.Sprintf("the keyring (%s)", res.Store.Keyring)
	}
	return res.SessionFile
}

// orgName names an organization in a sentence: its name, or its ID when it has none
// (sanitised: both come from the server).
func orgName(o jmapcloud.Organization) string {
	if o.Name == "" {
		return sanitize.Text(o.ID)
	}
	return sanitize.Text(o.Name)
}

// shortRoleLabel is the strongest role in one word: Admin, Editor or Viewer.
func shortRoleLabel(p *l10n.Printer, roles []string) string {
	label, _, _ := strings.Cut(roleLabel(p, roles), " (")
	return label
}

// loginCredentials gathers the username and password from flags, the environment, standard
// input or prompts — prompting only when a person can answer.
func loginCredentials(opts *authLoginOptions, s *config.Settings) (username, password string, err error) {
	username = strings.TrimSpace(opts.Username)
	if username == "" {
		username = strings.TrimSpace(s.Username)
	}
	canPrompt := opts.IO.CanPrompt()
	switch {
	case opts.PasswordStdin:
		if username == "" {
			return "", "", errkind.Usagef("--password-stdin needs --username EMAIL: standard input carries the password, so nothing can be asked")
		}
		if password, err = readPasswordStdin(opts.IO.In); err != nil {
			return "", "", err
		}
		return username, password, nil
	case s.Password != "" && username != "":
		return username, s.Password, nil
	}
	if !canPrompt {
		var missing any = "--password-stdin"
		if username == "" {
			missing = l10n.M("--username and --password-stdin")
		}
		why := l10n.M("cannot ask for the login without a terminal")
		if promptsDisabled(opts.IO) {
			why = l10n.M(promptsOff + ", so the login cannot be asked for")
		}
		return "", "", errkind.Usagef("%s: pass %s (the password on standard input), or set APIKEYS_USERNAME and APIKEYS_PASSWORD", why, missing)
	}
	p := opts.Prompter()
	if username == "" {
		username, err = p.Input(opts.Printer.Text("Email:"), "", func(v string) error {
			if strings.TrimSpace(v) == "" {
				return l10n.Errorf("the login email is required")
			}
			return nil
		})
		if err != nil {
			return "", "", err
		}
		username = strings.TrimSpace(username)
	}
	if password, err = p.Password(opts.Printer.Sprintf("Password for %s:", username)); err != nil {
		return "", "", err
	}
	if password == "" {
		return "", "", errkind.Usagef("the password is empty")
	}
	return username, password, nil
}

// readPasswordStdin reads the password: all of standard input, less one final line break.
func readPasswordStdin(in io.Reader) (string, error) {
	if in == nil {
		return "", errkind.Usagef("--password-stdin: no standard input")
	}
	data, err := io.ReadAll(io.LimitReader(in, maxPasswordStdin+1))
	if err != nil {
		return "", l10n.Errorf("reading the password from standard input: %w", err)
	}
	if len(data) > maxPasswordStdin {
		return "", errkind.Usagef("--password-stdin: standard input is longer than a password (over %d bytes)", maxPasswordStdin)
	}
	data = bytes.TrimSuffix(data, []byte("\n"))
	data = bytes.TrimSuffix(data, []byte("\r"))
	if len(data) == 0 {
		return "", errkind.Usagef("--password-stdin: standard input is empty")
	}
	return string(data), nil
}

// askOrg has a person choose one of orgs on the terminal.
func askOrg(opts *authLoginOptions, orgs []jmapcloud.Organization) (jmapcloud.Organization, error) {
	labels := make([]string, len(orgs))
	for i, o := range orgs {
		labels[i] = orgLabel(o)
	}
	i, err := opts.Prompter().Select(opts.Printer.Text("Organization:"), labels, 0)
	if err != nil {
		return jmapcloud.Organization{}, err
	}
	if i < 0 || i >= len(orgs) {
		return jmapcloud.Organization{}, l10n.Errorf("internal error: organization choice %d out of range", i)
	}
	return orgs[i], nil
}

// orgLabel names an organization for a person (sanitised).
func orgLabel(o jmapcloud.Organization) string { return session.OrgLabel(o) }

func rolesText(p *l10n.Printer, roles []string) string {
	if len(roles) == 0 {
		return p.Text("none")
	}
	return strings.Join(roles, ", ")
}

// roleLabel names the strongest role for people: Admin, Editor or Viewer.
func roleLabel(p *l10n.Printer, roles []string) string {
	switch jmapcloud.HighestRole(roles) {
	case jmapcloud.RoleAdmin:
		return p.Text("Admin (ORG_ADMIN)")
	case jmapcloud.RoleEditor:
		return p.Text("Editor (ORG_EDITOR)")
	case jmapcloud.RoleViewer:
		return p.Text("Viewer (ORG_VIEWER)")
	}
	return p.Text("no role")
}

// --- logout

// authLogoutOptions are the inputs of `apikeys auth logout`: the profile's, from the settings.
type authLogoutOptions struct {
	authOptions
}

func newAuthLogoutCmd(f *Factory, runF func(context.Context, *authLogoutOptions) error) *cobra.Command {
	opts := &authLogoutOptions{authOptions: authDepsOf(f)}
	return &cobra.Command{
		Use:   "logout",
		Short: "Revoke the profile's session and forget it",
		Long: `Revoke the session on the server (its refresh token stops working) and remove it from
the profile. The profile's API URL and organization stay recorded.

If the revoke fails (server unavailable, network), the session is kept, no longer used by
commands, and logout exits 1: run it again to revoke the session.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Printer = f.Printer()
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runAuthLogout(cmd.Context(), opts)
		},
		ValidArgsFunction: noValues,
	}
}

func runAuthLogout(ctx context.Context, opts *authLogoutOptions) error {
	s, err := opts.Settings()
	if err != nil {
		return err
	}
	res, err := opts.Sessions().Logout(ctx, s)
	switch {
	case err != nil:
		return err
	case res.Unreadable != nil:
		opts.Printer.Fprintf(opts.IO.ErrOut, "Warning: %s\nIt was removed without being revoked on the server.\n", displayLines(opts.Printer.Error(res.Unreadable)))
	case res.Session == nil:
		opts.Printer.Fprintf(opts.IO.ErrOut, "Not logged in (profile %q): nothing to do.\n", s.Profile)
	case opts.IO.IsStderrTTY():
		opts.Printer.Fprintf(opts.IO.ErrOut, "Logged out %s from %s (profile %q).\n", sanitize.Text(res.Session.User.Email), res.Session.APIURL, s.Profile)
	}
	return nil
}

// --- status

// authStatus is what `auth status -o json` prints. It never holds a token.
type authStatus = session.Status

type authStatusOptions struct {
	authOptions
	Format func() (output.Format, error)

	Script scriptFlags // --jq, --template
}

func newAuthStatusCmd(f *Factory, runF func(context.Context, *authStatusOptions) error) *cobra.Command {
	opts := &authStatusOptions{authOptions: authDepsOf(f), Format: f.format}
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show the profile's session: user, organization, role, expiry, where it is stored",
		Long: `Show the profile's session: user, organization, role, access-token expiry, profile, API
URL and where the session is stored (the OS keyring, or the file). Never a token. Reads only
local files and the keyring: nothing is sent to the server. Exits 4 when not logged in.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.Printer = f.Printer()
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runAuthStatus(cmd.Context(), opts)
		},
		ValidArgsFunction: noValues,
	}
	addScriptFlags(cmd, &opts.Script)
	return cmd
}

func runAuthStatus(_ context.Context, opts *authStatusOptions) error {
	s, err := opts.Settings()
	if err != nil {
		return err
	}
	p, err := newPrinter(opts.Printer, opts.IO, opts.Format, output.Spec{Command: "auth status", Shape: output.Object}, false, opts.Script)
	if err != nil {
		return err
	}
	st, loadErr := opts.Sessions().Status(s)
	err = p.Print(output.Result{Data: st, Text: func(w io.Writer) error {
		if loadErr == nil {
			printAuthStatus(w, opts.Printer, st, opts.Now())
		}
		return nil
	}})
	if err != nil {
		return err
	}
	return loadErr
}

func printAuthStatus(w io.Writer, p *l10n.Printer, st authStatus, now time.Time) {
	user := st.User.Email
	if st.User.Name != "" {
		user = fmt.Sprintf("%s <%s>", st.User.Name, st.User.Email)
	}
	role := p.Text("unknown (not checked)")
	if len(st.Roles) > 0 {
		role = roleLabel(p, st.Roles)
		if st.Role != jmapcloud.RoleAdmin {
			role += p.Text(" — not an administrator: API keys cannot be managed")
		}
	}
	expiry := p.TextFor("expiry", "unknown")
	if st.AccessTokenExpiresAt != nil {
		at := *st.AccessTokenExpiresAt
		if st.AccessTokenExpired {
			expiry = p.Sprintf("expired %s (%s); renewed on next use", relativeTime(p, at, now), at.Format(time.RFC3339))
		} else {
			expiry = p.Sprintf("expires %s (%s); renewed automatically", relativeTime(p, at, now), at.Format(time.RFC3339))
		}
	}
	store := session.StoreInfo{Store: st.SessionStore, Keyring: st.Keyring, File: st.SessionFile}.Localize(p)
	pairs := [][2]string{
		{p.Text("Profile"), st.Profile},
		{p.Text("API URL"), st.APIURL},
		{p.Text("User"), user},
		{p.Text("Organization"), orgLabel(jmapcloud.Organization{ID: st.Organization.ID, Name: st.Organization.Name})},
		{p.Text("Role"), role},
		{p.Text("Access token"), expiry},
		{p.Text("Logged in"), st.LoggedInAt.Format(time.RFC3339)},
		{p.Text("Session store"), store},
	}
	if st.OverriddenBy != "" {
		pairs = append(pairs, [2]string{p.Text("Note"), p.Sprintf("%s is set: commands use it, not this session", credentialsWords(st.OverriddenBy))})
	}
	output.PrintDetailIn(p, w, pairs, nil)
}

// relativeTime is how long before or after now t is, for a person ("in 1 hour").
func relativeTime(p *l10n.Printer, t, now time.Time) string { return output.RelativeTimeIn(p, t, now) }
