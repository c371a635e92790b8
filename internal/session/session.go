// Package session opens the organization-scoped API of one invocation and keeps the
// profile's saved session: which credentials are used (--sandbox, APIKEYS_TOKEN,
// APIKEYS_USERNAME and APIKEYS_PASSWORD, then the saved session), the token sources, the
// cross-process refresh protocol, the in-process sandbox, the API URL policy, and the
// protocol of `auth login`, `logout` and `status`.
//
// It prints nothing: it returns data and errors with a kind (internal/errkind), and what it
// must say on the way (a session file narrowed to 0600) goes to Manager.Warn.
package session

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"time"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/l10n"
	"github.com/k2geospatial/apikeys/internal/sandbox"
	"github.com/k2geospatial/apikeys/internal/sanitize"
)

// Session is the organization-scoped API of one invocation.
type Session struct {
	Client *jmapcloud.Client
	Org    string
}

// ListKeys lists the organization's API keys.
func (s *Session) ListKeys(ctx context.Context) ([]jmapcloud.APIKey, error) {
	return s.Client.ListAPIKeys(ctx, s.Org)
}

// ListKeyPages reads the organization's API keys page by page, each given to read (see
// jmapcloud.Client.ListAPIKeyPages).
func (s *Session) ListKeyPages(ctx context.Context, read func(jmapcloud.KeyPage)) (int, error) {
	return s.Client.ListAPIKeyPages(ctx, s.Org, read)
}

// CreateKey creates a key.
func (s *Session) CreateKey(ctx context.Context, req jmapcloud.CreateAPIKeyRequest) (jmapcloud.APIKey, error) {
	return s.Client.CreateAPIKey(ctx, s.Org, req)
}

// GetKey fetches one key.
func (s *Session) GetKey(ctx context.Context, id string) (jmapcloud.APIKey, error) {
	return s.Client.GetAPIKey(ctx, s.Org, id)
}

// KeyResources lists what a key owns.
func (s *Session) KeyResources(ctx context.Context, id string) ([]jmapcloud.Resource, error) {
	return s.Client.APIKeyResources(ctx, s.Org, id)
}

// DeleteKey deletes a key, moving its resources to transferTo when set.
func (s *Session) DeleteKey(ctx context.Context, id, transferTo string) error {
	return s.Client.DeleteAPIKey(ctx, s.Org, id, transferTo)
}

// Members lists the organization's members.
func (s *Session) Members(ctx context.Context) ([]jmapcloud.Member, error) {
	return s.Client.Members(ctx, s.Org)
}

// Manager is what opening and keeping sessions needs from the command that does it. Every
// field may be left zero.
type Manager struct {
	// Version goes in the User-Agent.
	Version string
	// DebugOut receives the HTTP trace when the settings ask for --debug (the client redacts
	// the secrets it knows in it).
	DebugOut io.Writer
	// Now is the clock that decides when an access token is renewed; nil: time.Now.
	Now func() time.Time
	// Warn receives what the user should know but that does not stop the command: a session
	// file that was readable by others, the in-process sandbox failing to serve.
	Warn func(msg l10n.Msg)
	// RetrySleep replaces the clients' waits between retries when set (tests).
	RetrySleep func(context.Context, time.Duration) error
	// Completing is set while answering a shell completion: a request is tried once, and a
	// saved session is used but never refreshed (see storedTokens.noRenew).
	Completing bool
	// Keyring is the OS keyring sessions keep their tokens in; nil: config.SystemKeyring.
	Keyring config.Keyring
	// OnClose registers clean-up to run when the command ends (the in-process sandbox); nil:
	// the sandbox is left to the process's end.
	OnClose func(func())
}

func (m *Manager) now() time.Time {
	if m.Now == nil {
		return time.Now()
	}
	return m.Now()
}

func (m *Manager) warn(msg l10n.Msg) {
	if m.Warn != nil {
		m.Warn(msg)
	}
}

// Open resolves credentials in order: --sandbox, APIKEYS_TOKEN, APIKEYS_USERNAME +
// APIKEYS_PASSWORD, then the profile's saved session.
func (m *Manager) Open(ctx context.Context, s *config.Settings) (*Session, error) {
	if s.Sandbox {
		return m.openSandbox(ctx, s)
	}
	client, err := m.NewClient(s, s.APIURL)
	if err != nil {
		return nil, err
	}
	switch {
	case s.Token != "":
		client = client.WithTokens(jmapcloud.StaticToken(s.Token))
		org, err := chooseOrg(ctx, client, s.Org)
		if err != nil {
			return nil, err
		}
		return &Session{Client: client, Org: org}, nil
	case s.Username != "" && s.Password != "":
		return LoginWithPassword(ctx, client, s.Username, s.Password, s.Org)
	case s.Username != "" || s.Password != "":
		return nil, errkind.Usagef("APIKEYS_USERNAME and APIKEYS_PASSWORD must be set together")
	}
	return m.openStored(s, client)
}

// NewClient builds the HTTP client without credentials: TLS verification always on, plain
// http only to loopback. A baseURL that breaks that policy is a usage error.
func (m *Manager) NewClient(s *config.Settings, baseURL string) (*jmapcloud.Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		return nil, errkind.Usagef("invalid API URL %q: expected e.g. https://api.jmapcloud.io", baseURL)
	}
	if u.Scheme != "https" && !(u.Scheme == "http" && jmapcloud.IsLoopbackHost(u.Hostname())) {
		return nil, errkind.Usagef("refusing API URL %q: use https (plain http is allowed only for a loopback address such as a local sandbox)", baseURL)
	}
	var trace io.Writer
	if s.Debug {
		trace = m.DebugOut
	}
	retry := jmapcloud.RetryPolicy{Sleep: m.RetrySleep}
	if m.Completing {
		// A completion answers within a short deadline, or not at all: waiting to retry
		// an unreachable API would only spend it.
		retry = jmapcloud.RetryPolicy{MaxAttempts: 1, Sleep: m.RetrySleep}
	}
	return jmapcloud.New(jmapcloud.Options{
		BaseURL:   baseURL,
		Timeout:   s.Timeout,
		Trace:     trace,
		UserAgent: "apikeys/" + m.Version,
		Retry:     retry,
	})
}

// chooseOrg returns want, or the user's only organization. A want that no path can hold
// (--org, APIKEYS_ORG or the profile's org) is bad input: a usage error before any request.
func chooseOrg(ctx context.Context, client *jmapcloud.Client, want string) (string, error) {
	if want != "" {
		if err := jmapcloud.CheckOrganizationID(want); err != nil {
			return "", errkind.Wrap(errkind.Usage, err)
		}
		return want, nil
	}
	user, err := client.UserSelf(ctx)
	if err != nil {
		return "", err
	}
	switch len(user.Organizations) {
	case 0:
		return "", errkind.Authf("%s belongs to no organization", sanitize.Text(user.Email))
	case 1:
		return user.Organizations[0].ID, nil
	}
	return "", severalOrgsError(user)
}

// severalOrgsError asks for --org, listing the user's organizations.
func severalOrgsError(user jmapcloud.User) error {
	return errkind.Usagef("%s belongs to several organizations; pass --org with one of:\n  %s", sanitize.Text(user.Email), orgList(user.Organizations))
}

// passwordLoginTries bounds how often LoginWithPassword starts over after the answer to
// binding its session to the organization was lost.
const passwordLoginTries = 4

// LoginWithPassword logs in for this invocation only: nothing is saved. When the answer to
// the refresh that binds the session to the organization is lost (or is a 5xx that proves
// nothing), that refresh token may be spent: it is abandoned, never presented again, and
// the login starts over with a new authenticate, which spends nothing.
func LoginWithPassword(ctx context.Context, client *jmapcloud.Client, username, password, org string) (*Session, error) {
	for try := 1; ; try++ {
		sess, err := loginWithPasswordOnce(ctx, client, username, password, org)
		var lost *lostBindError
		if !errors.As(err, &lost) || try == passwordLoginTries || ctx.Err() != nil {
			return sess, err
		}
	}
}

// lostBindError is a binding refresh that may or may not have been carried out.
type lostBindError struct{ err error }

func (e *lostBindError) Error() string { return e.err.Error() }
func (e *lostBindError) Unwrap() error { return e.err }

func loginWithPasswordOnce(ctx context.Context, client *jmapcloud.Client, username, password, org string) (*Session, error) {
	first, err := client.Authenticate(ctx, username, password)
	if err != nil {
		if jmapcloud.StatusCode(err) == http.StatusUnauthorized {
			return nil, errkind.Authf("login as %s failed: wrong username or password", username)
		}
		return nil, err
	}
	org, err = chooseOrg(ctx, client.WithTokens(jmapcloud.StaticToken(first.AccessToken)), org)
	if err != nil {
		return nil, err
	}
	bound, err := client.RefreshToken(ctx, first.RefreshToken, org)
	if err != nil {
		if refreshAmbiguous(err) {
			return nil, &lostBindError{err: err}
		}
		return nil, err
	}
	tokens := &memoryTokens{client: client, org: org, tokens: bound}
	return &Session{Client: client.WithTokens(tokens), Org: org}, nil
}

// SandboxDataPath is --sandbox-data / APIKEYS_SANDBOX_DATA, else the state directory.
func SandboxDataPath(s *config.Settings) (string, error) {
	if s.SandboxData != "" {
		return s.SandboxData, nil
	}
	return sandbox.DefaultDataPath()
}

// openSandbox runs the emulator in process on a loopback port and logs in as the seeded
// administrator, so the real HTTP client is used even here.
func (m *Manager) openSandbox(ctx context.Context, s *config.Settings) (*Session, error) {
	path, err := SandboxDataPath(s)
	if err != nil {
		return nil, err
	}
	sb, err := sandbox.Open(sandbox.Options{Path: path})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		sb.Close()
		return nil, l10n.Errorf("starting the in-process sandbox: %w", err)
	}
	srv := &http.Server{Handler: sb.Handler()}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			m.warn(l10n.M("sandbox: %v", err))
		}
	}()
	stop := func() {
		srv.Close()
		sb.Close()
	}
	if m.OnClose != nil {
		m.OnClose(stop)
	}
	client, err := m.NewClient(s, "http://"+ln.Addr().String())
	if err != nil {
		return nil, err
	}
	return LoginWithPassword(ctx, client, sandbox.AdminEmail, sandbox.Password, s.Org)
}
