package cli

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
	"github.com/k2geospatial/apikeys/internal/sandbox"
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

// openSession resolves credentials in order: --sandbox, APIKEYS_TOKEN,
// APIKEYS_USERNAME + APIKEYS_PASSWORD, then the profile's saved session.
func (f *Factory) openSession(ctx context.Context) (*Session, error) {
	s, err := f.Settings()
	if err != nil {
		return nil, err
	}
	if s.Sandbox {
		return f.openSandboxSession(ctx, s)
	}
	client, err := f.newClient(s, s.APIURL)
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
		return loginWithPassword(ctx, client, s.Username, s.Password, s.Org)
	case s.Username != "" || s.Password != "":
		return nil, usageError("APIKEYS_USERNAME and APIKEYS_PASSWORD must be set together")
	}
	return nil, &codedError{code: exitAuth, err: fmt.Errorf("not logged in to %s (profile %q)\nrun `apikeys auth login`, set APIKEYS_TOKEN with --org, or try the local sandbox with --sandbox", s.APIURL, s.Profile)}
}

// newClient builds the HTTP client: TLS verification always on, plain http only to loopback.
func (f *Factory) newClient(s *config.Settings, baseURL string) (*jmapcloud.Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		return nil, usageError("invalid API URL %q: expected e.g. https://api.jmapcloud.io", baseURL)
	}
	if u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname())) {
		return nil, usageError("refusing API URL %q: use https (plain http is allowed only for a loopback address such as a local sandbox)", baseURL)
	}
	var rt http.RoundTripper = http.DefaultTransport
	if s.Debug {
		rt = &jmapcloud.TraceTransport{Next: rt, W: f.IO.ErrOut}
	}
	timeout := s.Timeout
	if timeout == 0 {
		timeout = jmapcloud.DefaultTimeout
	}
	return jmapcloud.New(jmapcloud.Options{
		BaseURL:    baseURL,
		HTTPClient: &http.Client{Transport: rt, Timeout: timeout},
		UserAgent:  "apikeys/" + f.Version,
	})
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// chooseOrg returns want, or the user's only organization.
func chooseOrg(ctx context.Context, client *jmapcloud.Client, want string) (string, error) {
	if want != "" {
		return want, nil
	}
	user, err := client.UserSelf(ctx)
	if err != nil {
		return "", err
	}
	switch len(user.Organizations) {
	case 0:
		return "", &codedError{code: exitAuth, err: fmt.Errorf("%s belongs to no organization", user.Email)}
	case 1:
		return user.Organizations[0].ID, nil
	}
	var names []string
	for _, o := range user.Organizations {
		names = append(names, fmt.Sprintf("%s (%s)", o.ID, o.Name))
	}
	return "", usageError("%s belongs to several organizations; pass --org with one of:\n  %s", user.Email, strings.Join(names, "\n  "))
}

// memoryTokens is a session held in memory for one invocation; it refreshes itself once its
// access token is refused, spending the single-use refresh token.
type memoryTokens struct {
	client *jmapcloud.Client
	org    string
	mu     sync.Mutex
	tokens jmapcloud.Tokens
}

func (m *memoryTokens) Token(context.Context) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.tokens.AccessToken, nil
}

func (m *memoryTokens) Refresh(ctx context.Context) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, err := m.client.RefreshToken(ctx, m.tokens.RefreshToken, m.org)
	if err != nil {
		return err
	}
	m.tokens = t
	return nil
}

// loginWithPassword logs in for this invocation only: nothing is saved.
func loginWithPassword(ctx context.Context, client *jmapcloud.Client, username, password, org string) (*Session, error) {
	first, err := client.Authenticate(ctx, username, password)
	if err != nil {
		if jmapcloud.StatusCode(err) == http.StatusUnauthorized {
			return nil, &codedError{code: exitAuth, err: fmt.Errorf("login as %s failed: wrong username or password", username)}
		}
		return nil, err
	}
	org, err = chooseOrg(ctx, client.WithTokens(jmapcloud.StaticToken(first.AccessToken)), org)
	if err != nil {
		return nil, err
	}
	bound, err := client.RefreshToken(ctx, first.RefreshToken, org)
	if err != nil {
		return nil, err
	}
	tokens := &memoryTokens{client: client, org: org, tokens: bound}
	return &Session{Client: client.WithTokens(tokens), Org: org}, nil
}

// sandboxDataPath is --sandbox-data / APIKEYS_SANDBOX_DATA, else the state directory.
func sandboxDataPath(s *config.Settings) (string, error) {
	if s.SandboxData != "" {
		return s.SandboxData, nil
	}
	return sandbox.DefaultDataPath()
}

// openSandboxSession runs the emulator in process on a loopback port and logs in as the
// seeded administrator, so the real HTTP client is used even here.
func (f *Factory) openSandboxSession(ctx context.Context, s *config.Settings) (*Session, error) {
	path, err := sandboxDataPath(s)
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
		return nil, fmt.Errorf("starting the in-process sandbox: %w", err)
	}
	srv := &http.Server{Handler: sb.Handler()}
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			fmt.Fprintf(f.IO.ErrOut, "sandbox: %v\n", err)
		}
	}()
	f.onClose(func() {
		srv.Close()
		sb.Close()
	})
	client, err := f.newClient(s, "http://"+ln.Addr().String())
	if err != nil {
		return nil, err
	}
	return loginWithPassword(ctx, client, sandbox.AdminEmail, sandbox.Password, s.Org)
}
