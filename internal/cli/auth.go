package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/iostreams"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/output"
	"github.com/k2geospatial/apikeys/internal/prompt"
	"github.com/k2geospatial/apikeys/internal/sanitize"
)

// maxPasswordStdin bounds what --password-stdin reads: a password, not a file.
const maxPasswordStdin = 64 << 10

// authOptions are the dependencies the auth subcommands share.
type authOptions struct {
	IO       *iostreams.IOStreams
	Prompter func() prompt.Prompter
	Settings func() (*config.Settings, error)
	// Client builds an unauthenticated client for baseURL (http only to loopback).
	Client func(s *config.Settings, baseURL string) (*jmapcloud.Client, error)
	Now    func() time.Time
}

// authLoginOptions are the inputs of `apikeys auth login`.
type authLoginOptions struct {
	authOptions
	Username      string
	PasswordStdin bool
}

func newAuthCmd(f *Factory) *cobra.Command {
	deps := authOptions{
		IO:       f.IO,
		Prompter: f.Prompter,
		Settings: f.Settings,
		Client:   f.newClient,
		Now:      f.Now,
	}
	cmd := &cobra.Command{
		Use:   "auth",
		Short: "Log in to JMap Cloud, log out, and show the session",
		Long: `Log in once with an organization administrator's account; the session is saved in the
profile (a file readable only by you) and renewed automatically, so later commands, and
scripts, need no password.

Sessions are kept per profile (--profile, APIKEYS_PROFILE), each with its API URL and
organization. See docs/configuration.md.`,
	}
	cmd.AddCommand(newAuthLoginCmd(deps, nil), newAuthLogoutCmd(deps, nil), newAuthStatusCmd(deps, f.format, nil))
	return cmd
}

func newAuthLoginCmd(deps authOptions, runF func(context.Context, *authLoginOptions) error) *cobra.Command {
	opts := &authLoginOptions{authOptions: deps}
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
	if s.Sandbox {
		return usageError("--sandbox needs no login: it runs in process as the seeded administrator\nto log in to a served sandbox (apikeys sandbox serve), pass its URL with --api-url")
	}
	client, err := opts.Client(s, s.APIURL)
	if err != nil {
		return err
	}
	username, password, err := loginCredentials(opts, s)
	if err != nil {
		return err
	}
	canPrompt := opts.IO.CanPrompt()

	first, err := client.Authenticate(ctx, username, password)
	if err != nil {
		if jmapcloud.StatusCode(err) == http.StatusUnauthorized {
			return &codedError{code: exitAuth, err: fmt.Errorf("login as %s to %s failed: wrong username or password", username, client.BaseURL())}
		}
		return err
	}
	user, err := client.WithTokens(jmapcloud.StaticToken(first.AccessToken)).UserSelf(ctx)
	if err != nil {
		return err
	}
	if user.Email == "" {
		user.Email = username
	}
	org, err := chooseLoginOrg(opts, s, user, canPrompt)
	if err != nil {
		return err
	}
	bound, err := client.RefreshToken(ctx, first.RefreshToken, org.ID)
	if err != nil {
		return err
	}
	now := opts.Now()
	sess := config.Session{
		Profile:      s.Profile,
		APIURL:       client.BaseURL(),
		User:         config.SessionUser{Email: user.Email, Name: user.Name},
		Organization: config.SessionOrganization{ID: org.ID, Name: org.Name},
		AccessToken:  bound.AccessToken,
		RefreshToken: bound.RefreshToken,
		ExpiresAt:    bound.ExpiresAt,
		IssuedAt:     now,
		LoggedInAt:   now,
	}
	store := sessionFile(s, opts.IO.ErrOut)
	previous, err := replaceSession(ctx, store, &sess)
	if err != nil {
		return err
	}
	if s.SessionStore == config.StoreKeyring {
		fmt.Fprintf(opts.IO.ErrOut, "Warning: session-store %q is not supported by this build; the session is saved in %s (mode 0600).\n", config.StoreKeyring, store.Path)
	}
	if err := config.SaveProfile(ctx, s.ConfigFile, s.Profile, map[string]string{"api-url": sess.APIURL, "org": org.ID}); err != nil {
		fmt.Fprintf(opts.IO.ErrOut, "Warning: the session is saved, but the profile %q could not be recorded: %v\nlater commands will need --api-url and --org\n", s.Profile, err)
	}
	// The session this login replaces is of no further use: revoke it, best effort.
	if previous != nil && sameAPIURL(previous.APIURL, sess.APIURL) && previous.RefreshToken != sess.RefreshToken {
		_ = client.RevokeToken(ctx, previous.RefreshToken)
	}

	tokens := &storedTokens{store: store, client: client, now: opts.Now, sess: sess}
	roleNote := ""
	member, err := client.WithTokens(tokens).MemberSelf(ctx, org.ID)
	switch {
	case err != nil:
		fmt.Fprintf(opts.IO.ErrOut, "Warning: could not check your role in %s: %s\n", sanitize.Text(org.Name), displayError(err))
	default:
		if err := tokens.update(ctx, func(d *config.Session) { d.Roles = member.Roles }); err != nil {
			fmt.Fprintf(opts.IO.ErrOut, "Warning: could not record your role in the session: %v\n", err)
		}
		if !member.HasRole(jmapcloud.RoleAdmin) {
			fmt.Fprintf(opts.IO.ErrOut, "Warning: %s is not an administrator (ORG_ADMIN) of %s; roles: %s.\nOnly an ORG_ADMIN can list, create and delete API keys: those commands will be refused (exit 4).\n",
				sanitize.Text(user.Email), orgLabel(org), sanitize.Text(rolesText(member.Roles)))
		}
		roleNote = roleLabel(member.Roles) + ", "
	}
	if opts.IO.IsStderrTTY() {
		fmt.Fprintf(opts.IO.ErrOut, "Logged in to %s as %s (%sprofile %q, %s).\nSession saved in %s.\n",
			orgLabel(org), sanitize.Text(user.Email), roleNote, s.Profile, sess.APIURL, store.Path)
	}
	return nil
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
			return "", "", usageError("--password-stdin needs --username EMAIL: standard input carries the password, so nothing can be asked")
		}
		if password, err = readPasswordStdin(opts.IO.In); err != nil {
			return "", "", err
		}
		return username, password, nil
	case s.Password != "" && username != "":
		return username, s.Password, nil
	}
	if !canPrompt {
		var missing []string
		if username == "" {
			missing = append(missing, "--username")
		}
		missing = append(missing, "--password-stdin")
		return "", "", usageError("cannot ask for the login without a terminal: pass %s (the password on standard input), or set APIKEYS_USERNAME and APIKEYS_PASSWORD", strings.Join(missing, " and "))
	}
	p := opts.Prompter()
	if username == "" {
		username, err = p.Input("Email:", "", func(v string) error {
			if strings.TrimSpace(v) == "" {
				return errors.New("the login email is required")
			}
			return nil
		})
		if err != nil {
			return "", "", err
		}
		username = strings.TrimSpace(username)
	}
	if password, err = p.Password(fmt.Sprintf("Password for %s:", username)); err != nil {
		return "", "", err
	}
	if password == "" {
		return "", "", usageError("the password is empty")
	}
	return username, password, nil
}

// readPasswordStdin reads the password: all of standard input, less one final line break.
func readPasswordStdin(in io.Reader) (string, error) {
	if in == nil {
		return "", usageError("--password-stdin: no standard input")
	}
	data, err := io.ReadAll(io.LimitReader(in, maxPasswordStdin+1))
	if err != nil {
		return "", fmt.Errorf("reading the password from standard input: %w", err)
	}
	if len(data) > maxPasswordStdin {
		return "", usageError("--password-stdin: standard input is longer than a password (over %d bytes)", maxPasswordStdin)
	}
	data = bytes.TrimSuffix(data, []byte("\n"))
	data = bytes.TrimSuffix(data, []byte("\r"))
	if len(data) == 0 {
		return "", usageError("--password-stdin: standard input is empty")
	}
	return string(data), nil
}

// chooseLoginOrg picks the organization: --org (an ID or an exact name), the user's only
// one, or a choice on the terminal. An organization recorded in the profile is a default:
// it is used when the user still belongs to it, and ignored otherwise.
func chooseLoginOrg(opts *authLoginOptions, s *config.Settings, user jmapcloud.User, canPrompt bool) (jmapcloud.Organization, error) {
	orgs := user.Organizations
	if len(orgs) == 0 {
		return jmapcloud.Organization{}, &codedError{code: exitAuth, err: fmt.Errorf("%s belongs to no organization: there are no API keys to manage", sanitize.Text(user.Email))}
	}
	if s.Org != "" {
		var matches []jmapcloud.Organization
		for _, o := range orgs {
			if strings.EqualFold(o.ID, s.Org) {
				return o, nil
			}
			if strings.EqualFold(o.Name, s.Org) {
				matches = append(matches, o)
			}
		}
		switch {
		case len(matches) == 1:
			return matches[0], nil
		case len(matches) > 1:
			return jmapcloud.Organization{}, usageError("several organizations are named %q; pass --org with an ID:\n  %s", s.Org, orgList(matches))
		case !s.OrgFromProfile:
			return jmapcloud.Organization{}, usageError("%s is not a member of organization %q; pass --org with one of:\n  %s", sanitize.Text(user.Email), s.Org, orgList(orgs))
		}
	}
	if len(orgs) == 1 {
		return orgs[0], nil
	}
	if !canPrompt {
		return jmapcloud.Organization{}, usageError("%s belongs to several organizations; pass --org with one of:\n  %s", sanitize.Text(user.Email), orgList(orgs))
	}
	labels := make([]string, len(orgs))
	for i, o := range orgs {
		labels[i] = orgLabel(o)
	}
	i, err := opts.Prompter().Select("Organization:", labels, 0)
	if err != nil {
		return jmapcloud.Organization{}, err
	}
	if i < 0 || i >= len(orgs) {
		return jmapcloud.Organization{}, fmt.Errorf("internal error: organization choice %d out of range", i)
	}
	return orgs[i], nil
}

// orgLabel names an organization for a person; its name and ID come from the server, so
// they are sanitised.
func orgLabel(o jmapcloud.Organization) string {
	if o.Name == "" {
		return sanitize.Text(o.ID)
	}
	return fmt.Sprintf("%s (%s)", sanitize.Text(o.Name), sanitize.Text(o.ID))
}

// orgList lists organizations one a line, sanitised like orgLabel.
func orgList(orgs []jmapcloud.Organization) string {
	lines := make([]string, len(orgs))
	for i, o := range orgs {
		lines[i] = fmt.Sprintf("%s  %s", sanitize.Text(o.ID), sanitize.Text(o.Name))
	}
	return strings.Join(lines, "\n  ")
}

func rolesText(roles []string) string {
	if len(roles) == 0 {
		return "none"
	}
	return strings.Join(roles, ", ")
}

// roleLabel names the strongest role for people: Admin, Editor or Viewer.
func roleLabel(roles []string) string {
	switch jmapcloud.HighestRole(roles) {
	case jmapcloud.RoleAdmin:
		return "Admin (ORG_ADMIN)"
	case jmapcloud.RoleEditor:
		return "Editor (ORG_EDITOR)"
	case jmapcloud.RoleViewer:
		return "Viewer (ORG_VIEWER)"
	}
	return "no role"
}

// replaceSession saves sess as the profile's session under the lock and returns the session
// it replaced, if any was readable.
func replaceSession(ctx context.Context, store *config.SessionFile, sess *config.Session) (*config.Session, error) {
	ctx, cancel := context.WithTimeout(ctx, sessionLockWait)
	defer cancel()
	unlock, err := store.Lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	previous, _ := store.Load()
	if err := store.Save(sess); err != nil {
		return nil, err
	}
	return previous, nil
}

// --- logout

func newAuthLogoutCmd(deps authOptions, runF func(context.Context, *authOptions) error) *cobra.Command {
	opts := &deps
	return &cobra.Command{
		Use:   "logout",
		Short: "Revoke the profile's session and forget it",
		Long: `Revoke the session on the server (its refresh token stops working) and remove it from
the profile. The profile's API URL and organization stay recorded.

If the revoke fails (server unavailable, network), the session is kept, no longer used by
commands, and logout exits 1: run it again to revoke the session.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runAuthLogout(cmd.Context(), opts)
		},
		ValidArgsFunction: noValues,
	}
}

func runAuthLogout(ctx context.Context, opts *authOptions) error {
	s, err := opts.Settings()
	if err != nil {
		return err
	}
	store := sessionFile(s, opts.IO.ErrOut)
	lockCtx, cancel := context.WithTimeout(ctx, sessionLockWait)
	defer cancel()
	unlock, err := store.Lock(lockCtx)
	if err != nil {
		return err
	}
	defer unlock()
	sess, err := store.Load()
	var se *config.SessionError
	switch {
	case errors.Is(err, config.ErrNoSession):
		fmt.Fprintf(opts.IO.ErrOut, "Not logged in (profile %q): nothing to do.\n", s.Profile)
		return nil
	case errors.As(err, &se):
		if err := store.Remove(); err != nil {
			return err
		}
		fmt.Fprintf(opts.IO.ErrOut, "Warning: %s\nIt was removed without being revoked on the server.\n", displayError(err))
		return nil
	case err != nil:
		return err
	}
	// Revoke where the session was issued, whatever --api-url says now.
	var revokeErr error
	client, err := opts.Client(s, sess.APIURL)
	if err == nil {
		revokeErr = client.RevokeToken(ctx, sess.RefreshToken)
	} else {
		revokeErr = err
	}
	switch jmapcloud.StatusCode(revokeErr) {
	case http.StatusUnauthorized, http.StatusBadRequest:
		revokeErr = nil // already unusable on the server: nothing more to revoke
	}
	if revokeErr != nil {
		return keepForRevoke(store, sess, s.Profile, revokeErr)
	}
	if err := store.Remove(); err != nil {
		return err
	}
	if opts.IO.IsStderrTTY() {
		fmt.Fprintf(opts.IO.ErrOut, "Logged out %s from %s (profile %q).\n", sanitize.Text(sess.User.Email), sess.APIURL, s.Profile)
	}
	return nil
}

// keepForRevoke keeps a session whose revoke failed, so that `auth logout` can try again
// with its refresh token: removing it would leave the token valid on the server with
// nothing here to revoke it. It is marked ended, so commands no longer use it.
func keepForRevoke(store *config.SessionFile, sess *config.Session, profile string, revokeErr error) error {
	if sess.Ended == "" {
		sess.Ended = "it was logged out, but revoking it on the server failed"
		if err := store.Save(sess); err != nil {
			return fmt.Errorf("revoking the session of profile %q on the server failed: %w\nand it could not be marked as logged out (%v): it is still in use here; run `apikeys auth logout` again", profile, revokeErr, err)
		}
	}
	return fmt.Errorf("revoking the session of profile %q on the server failed: %w\nthe session is kept in %s, no longer used by commands, so that its refresh token can still be revoked: run `apikeys auth logout` again", profile, revokeErr, store.Path)
}

// --- status

// authStatus is what `auth status -o json` prints. It never holds a token.
type authStatus struct {
	LoggedIn             bool                        `json:"loggedIn"`
	Profile              string                      `json:"profile"`
	APIURL               string                      `json:"apiUrl"`
	User                 *config.SessionUser         `json:"user,omitempty"`
	Organization         *config.SessionOrganization `json:"organization,omitempty"`
	Role                 string                      `json:"role,omitempty"`
	Roles                []string                    `json:"roles,omitempty"`
	AccessTokenExpiresAt *time.Time                  `json:"accessTokenExpiresAt,omitempty"`
	AccessTokenExpired   bool                        `json:"accessTokenExpired"`
	LoggedInAt           *time.Time                  `json:"loggedInAt,omitempty"`
	RefreshedAt          *time.Time                  `json:"refreshedAt,omitempty"`
	SessionStore         string                      `json:"sessionStore"`
	SessionFile          string                      `json:"sessionFile"`
	RequestedStore       string                      `json:"requestedSessionStore,omitempty"`
	ConfigFile           string                      `json:"configFile"`
	// OverriddenBy names credentials from the environment or flags that commands use
	// instead of the saved session.
	OverriddenBy string `json:"overriddenBy,omitempty"`
}

type authStatusOptions struct {
	authOptions
	Format func() (output.Format, error)
}

func newAuthStatusCmd(deps authOptions, format func() (output.Format, error), runF func(context.Context, *authStatusOptions) error) *cobra.Command {
	opts := &authStatusOptions{authOptions: deps, Format: format}
	return &cobra.Command{
		Use:   "status",
		Short: "Show the profile's session: user, organization, role, expiry, where it is stored",
		Long: `Show the profile's session: user, organization, role, access-token expiry, profile, API
URL and where the session is stored. Never a token. Reads only local files: nothing is
sent to the server. Exits 4 when not logged in.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(cmd.Context(), opts)
			}
			return runAuthStatus(cmd.Context(), opts)
		},
		ValidArgsFunction: noValues,
	}
}

func runAuthStatus(_ context.Context, opts *authStatusOptions) error {
	s, err := opts.Settings()
	if err != nil {
		return err
	}
	format, err := opts.Format()
	if err != nil {
		return err
	}
	if format == output.CSV || format == output.TSV {
		return usageError("auth status prints table, json or yaml, not %s", format)
	}
	store := sessionFile(s, opts.IO.ErrOut)
	st := authStatus{
		Profile:      s.Profile,
		APIURL:       s.APIURL,
		SessionStore: config.StoreFile,
		SessionFile:  store.Path,
		ConfigFile:   s.ConfigFile,
	}
	if s.SessionStore != config.StoreFile {
		st.RequestedStore = s.SessionStore
	}
	st.OverriddenBy = credentialsOverride(s)
	sess, loadErr := loadSession(s, store)
	if loadErr == nil {
		now := opts.Now()
		st.LoggedIn = true
		st.APIURL = sess.APIURL
		st.User = &sess.User
		st.Organization = &sess.Organization
		st.Roles = sess.Roles
		st.Role = jmapcloud.HighestRole(sess.Roles)
		if !sess.ExpiresAt.IsZero() {
			exp := sess.ExpiresAt.UTC()
			st.AccessTokenExpiresAt = &exp
			st.AccessTokenExpired = !now.Before(exp)
		}
		in := sess.LoggedInAt.UTC()
		st.LoggedInAt = &in
		if !sess.RefreshedAt.IsZero() {
			r := sess.RefreshedAt.UTC()
			st.RefreshedAt = &r
		}
	}
	switch format {
	case output.JSON:
		if err := output.PrintJSON(opts.IO.Out, st); err != nil {
			return err
		}
	case output.YAML:
		if err := output.PrintYAML(opts.IO.Out, st); err != nil {
			return err
		}
	default:
		if loadErr == nil {
			printAuthStatus(opts.IO.Out, st, opts.Now())
		}
	}
	return loadErr
}

func printAuthStatus(w io.Writer, st authStatus, now time.Time) {
	user := st.User.Email
	if st.User.Name != "" {
		user = fmt.Sprintf("%s <%s>", st.User.Name, st.User.Email)
	}
	role := "unknown (not checked)"
	if len(st.Roles) > 0 {
		role = roleLabel(st.Roles)
		if st.Role != jmapcloud.RoleAdmin {
			role += " — not an administrator: API keys cannot be managed"
		}
	}
	expiry := "unknown"
	if st.AccessTokenExpiresAt != nil {
		at := *st.AccessTokenExpiresAt
		if st.AccessTokenExpired {
			expiry = fmt.Sprintf("expired %s (%s); renewed on next use", output.RelativeTime(at, now), at.Format(time.RFC3339))
		} else {
			expiry = fmt.Sprintf("expires %s (%s); renewed automatically", output.RelativeTime(at, now), at.Format(time.RFC3339))
		}
	}
	store := fmt.Sprintf("file %s (mode 0600)", st.SessionFile)
	if st.RequestedStore != "" {
		store += fmt.Sprintf("; session-store %q requested but not supported by this build", st.RequestedStore)
	}
	pairs := [][2]string{
		{"Profile", st.Profile},
		{"API URL", st.APIURL},
		{"User", user},
		{"Organization", orgLabel(jmapcloud.Organization{ID: st.Organization.ID, Name: st.Organization.Name})},
		{"Role", role},
		{"Access token", expiry},
		{"Logged in", st.LoggedInAt.Format(time.RFC3339)},
		{"Session store", store},
	}
	if st.OverriddenBy != "" {
		pairs = append(pairs, [2]string{"Note", st.OverriddenBy + " is set: commands use it, not this session"})
	}
	output.PrintDetail(w, pairs)
}
