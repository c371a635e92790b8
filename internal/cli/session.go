package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/jmapcloud"
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
		return nil, errkind.Usagef("APIKEYS_USERNAME and APIKEYS_PASSWORD must be set together")
	}
	return f.openStoredSession(ctx, s, client)
}

// newClient builds the HTTP client: TLS verification always on, plain http only to loopback.
func (f *Factory) newClient(s *config.Settings, baseURL string) (*jmapcloud.Client, error) {
	u, err := url.Parse(baseURL)
	if err != nil || u.Host == "" {
		return nil, errkind.Usagef("invalid API URL %q: expected e.g. https://api.jmapcloud.io", baseURL)
	}
	if u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname())) {
		return nil, errkind.Usagef("refusing API URL %q: use https (plain http is allowed only for a loopback address such as a local sandbox)", baseURL)
	}
	var trace io.Writer
	if s.Debug {
		trace = f.IO.ErrOut // the client redacts the secrets it knows in the trace
	}
	retry := jmapcloud.RetryPolicy{Sleep: f.retrySleep}
	if f.completing {
		// A completion answers within a short deadline, or not at all: waiting to retry
		// an unreachable API would only spend it.
		retry = jmapcloud.RetryPolicy{MaxAttempts: 1, Sleep: f.retrySleep}
	}
	return jmapcloud.New(jmapcloud.Options{
		BaseURL:   baseURL,
		Timeout:   s.Timeout,
		Trace:     trace,
		UserAgent: "apikeys/" + f.Version,
		Retry:     retry,
	})
}

// isLoopback is the client's own rule, which it also applies to every request.
func isLoopback(host string) bool { return jmapcloud.IsLoopbackHost(host) }

// chooseOrg returns want, or the user's only organization. A want that no path can hold
// (--org, APIKEYS_ORG or the profile's org) is bad input: exit 2 before any request.
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
	return "", errkind.Usagef("%s belongs to several organizations; pass --org with one of:\n  %s", sanitize.Text(user.Email), orgList(user.Organizations))
}

// memoryTokens is a session held in memory for one invocation; it refreshes itself once its
// access token is refused, spending the single-use refresh token.
type memoryTokens struct {
	client *jmapcloud.Client
	org    string
	mu     sync.Mutex
	tokens jmapcloud.Tokens
	// dead is set once the refresh token was refused or may have been spent without the
	// answer arriving: it is never presented again.
	dead error
}

func (m *memoryTokens) Token(context.Context) (string, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.tokens.AccessToken, nil
}

func (m *memoryTokens) Refresh(ctx context.Context, refused string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.dead != nil {
		return m.dead
	}
	if m.tokens.AccessToken != refused {
		return nil // a concurrent request already renewed it
	}
	t, err := m.client.RefreshToken(context.WithoutCancel(ctx), m.tokens.RefreshToken, m.org)
	if err != nil {
		if !jmapcloud.NotProcessed(err) {
			m.dead = fmt.Errorf("the session cannot be renewed: %v", err)
		}
		return err
	}
	m.tokens = t
	return nil
}

// passwordLoginTries bounds how often loginWithPassword starts over after the answer to
// binding its session to the organization was lost.
const passwordLoginTries = 4

// loginWithPassword logs in for this invocation only: nothing is saved. When the answer to
// the refresh that binds the session to the organization is lost (or is a 5xx that proves
// nothing), that refresh token may be spent: it is abandoned, never presented again, and
// the login starts over with a new authenticate, which spends nothing.
func loginWithPassword(ctx context.Context, client *jmapcloud.Client, username, password, org string) (*Session, error) {
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

// sessionLockWait bounds the wait for another apikeys process that is refreshing the same
// profile's session (a refresh is one request, bounded by the HTTP timeout).
const sessionLockWait = time.Minute

// refreshMargin is how long before its expiry an access token is renewed. For tokens that
// live less than twice as long, half their lifetime is used instead (see refreshDue).
const refreshMargin = 30 * time.Second

// notLoggedInError says how to get credentials for s's profile: exit 4.
// Credentials given for this invocation (only `auth status` then looks for a session) make
// the advice to set them wrong: it says instead that commands need no session.
func notLoggedInError(s *config.Settings) error {
	if by := credentialsOverride(s); by != "" {
		return errkind.Authf("no session is saved for profile %q (%s)\n%s is set, so commands need none; `apikeys auth login` saves one for when it is not", s.Profile, s.APIURL, by)
	}
	return errkind.Authf("not logged in to %s (profile %q)\nrun `apikeys auth login`, set APIKEYS_TOKEN with --org, or try the local sandbox with --sandbox", s.APIURL, s.Profile)
}

// credentialsOverride names the credentials commands use instead of the saved session, or "".
func credentialsOverride(s *config.Settings) string {
	switch {
	case s.Sandbox:
		return "--sandbox"
	case s.Token != "":
		return "APIKEYS_TOKEN"
	case s.Username != "" && s.Password != "":
		return "APIKEYS_USERNAME and APIKEYS_PASSWORD"
	}
	return ""
}

// sessionFile is the store of s's profile. The keyring store is not implemented: a
// `session-store: keyring` setting falls back to this file (see docs/configuration.md).
// What the store corrects on its own (a session file readable by others) is told on errOut.
func sessionFile(s *config.Settings, errOut io.Writer) *config.SessionFile {
	store := config.NewSessionFile(s.ConfigFile, s.Profile)
	store.Warn = func(msg string) { fmt.Fprintf(errOut, "Warning: %s\n", msg) }
	return store
}

// loadSession reads the profile's session: not saved → not logged in (exit 4); unreadable
// → exit 4 with the file named and `auth login` suggested (login replaces the file).
func loadSession(s *config.Settings, store *config.SessionFile) (*config.Session, error) {
	sess, err := store.Load()
	var se *config.SessionError
	switch {
	case errors.Is(err, config.ErrNoSession):
		return nil, notLoggedInError(s)
	case errors.As(err, &se):
		return nil, errkind.Authf("%w\nrun `apikeys auth login` to log in again (it replaces the file)", err)
	case err != nil:
		return nil, err
	case sess.Ended != "":
		return nil, endedSessionError(sess)
	}
	return sess, nil
}

// endedSessionError is a session marked as no longer renewable: exit 4, log in again. The
// email came from the server at login, and the reason is the file's: both are escaped whole.
func endedSessionError(sess *config.Session) error {
	return errkind.Authf("the session of %s can no longer be renewed: %s\nrun `apikeys auth login` to log in again", sanitize.Text(sess.User.Email), sanitize.Text(sess.Ended))
}

// refreshRefused reports a refresh token the server refused.
func refreshRefused(err error) bool {
	switch jmapcloud.StatusCode(err) {
	case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden:
		return true
	}
	return false
}

// refreshAmbiguous reports a refresh whose outcome is unknown: the answer was lost or
// unreadable, or a 5xx other than 503. The token may have been spent.
func refreshAmbiguous(err error) bool {
	if jmapcloud.NotProcessed(err) || refreshRefused(err) {
		return false
	}
	var netErr *jmapcloud.NetworkError
	var decErr *jmapcloud.DecodeError
	return errors.As(err, &netErr) || errors.As(err, &decErr) || jmapcloud.StatusCode(err) >= 500
}

// sameAPIURL compares base URLs as the client uses them (no trailing slash, any case host).
func sameAPIURL(a, b string) bool {
	return strings.EqualFold(strings.TrimRight(a, "/"), strings.TrimRight(b, "/"))
}

// openStoredSession uses the profile's saved session. Its tokens are sent only to the API
// URL that issued them, and only for the organization they are bound to.
func (f *Factory) openStoredSession(ctx context.Context, s *config.Settings, client *jmapcloud.Client) (*Session, error) {
	store := sessionFile(s, f.IO.ErrOut)
	sess, err := loadSession(s, store)
	if err != nil {
		return nil, err
	}
	if !sameAPIURL(sess.APIURL, s.APIURL) {
		return nil, errkind.Authf("not logged in to %s: the session of profile %q is for %s\nrun `apikeys auth login --api-url %s`, or choose the profile of that API with --profile", s.APIURL, s.Profile, sess.APIURL, s.APIURL)
	}
	if s.Org != "" && !strings.EqualFold(s.Org, sess.Organization.ID) {
		return nil, errkind.Usagef("organization %s was asked for, but the session of profile %q is bound to %s (%s)\nrun `apikeys auth login --org %s`, or use another --profile", s.Org, s.Profile, sess.Organization.ID, sess.Organization.Name, s.Org)
	}
	tokens := &storedTokens{store: store, client: client, now: f.Now, sess: *sess, noRenew: f.completing}
	return &Session{Client: client.WithTokens(tokens), Org: sess.Organization.ID}, nil
}

// refreshDue reports whether sess's access token should be renewed before use: less than
// refreshMargin left, or less than half its lifetime for a short-lived token. An unknown
// expiry is never due: the server's 401 will say.
func refreshDue(sess *config.Session, now time.Time) bool {
	if sess.ExpiresAt.IsZero() {
		return false
	}
	margin := refreshMargin
	if life := sess.ExpiresAt.Sub(sess.IssuedAt); !sess.IssuedAt.IsZero() && life > 0 && life/2 < margin {
		margin = life / 2
	}
	return sess.ExpiresAt.Sub(now) < margin
}

// storedTokens is a saved session as a jmapcloud.TokenSource. Refresh tokens are
// single-use, and other apikeys processes may share the session, so a refresh happens only
// under the profile's file lock, starts by re-reading the file (another process may have
// refreshed already: its tokens are used and no refresh token is spent twice), and saves
// the new pair before the new access token is used.
type storedTokens struct {
	store  *config.SessionFile
	client *jmapcloud.Client // without tokens: refresh-token needs none
	now    func() time.Time

	// noRenew forbids spending the refresh token: set for shell completion, which gives up
	// after a short deadline and could die between the server rotating the token and the
	// new one being saved, losing the session.
	noRenew bool

	mu   sync.Mutex
	sess config.Session
	// dead is set when the session cannot be renewed (refresh token refused): later calls
	// fail at once instead of presenting a refused refresh token again.
	dead error
}

// Token returns the access token, renewing it first when it is about to expire.
func (t *storedTokens) Token(ctx context.Context) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.dead != nil {
		if t.now().Before(t.sess.ExpiresAt) {
			return t.sess.AccessToken, nil // cannot be renewed, but still valid for a while
		}
		return "", t.dead
	}
	if !refreshDue(&t.sess, t.now()) {
		return t.sess.AccessToken, nil
	}
	if err := t.renew(ctx, func(disk *config.Session) bool { return refreshDue(disk, t.now()) }); err != nil {
		if t.now().Before(t.sess.ExpiresAt) {
			return t.sess.AccessToken, nil // still valid: let the request decide
		}
		return "", err
	}
	return t.sess.AccessToken, nil
}

// Refresh renews the access token after the server refused it (401).
func (t *storedTokens) Refresh(ctx context.Context, refused string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.dead != nil {
		return t.dead
	}
	if t.sess.AccessToken != refused {
		return nil // a concurrent request of this process already renewed it
	}
	return t.renew(ctx, func(disk *config.Session) bool {
		return disk.AccessToken == refused || refreshDue(disk, t.now())
	})
}

// Session returns a copy of the session as last read or saved.
func (t *storedTokens) Session() config.Session {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.sess
}

// update changes the saved session's metadata (not its tokens) under the lock.
func (t *storedTokens) update(ctx context.Context, change func(*config.Session)) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, sessionLockWait)
	defer cancel()
	unlock, err := t.store.Lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	disk, err := t.store.Load()
	if err != nil {
		return err
	}
	if !disk.LoggedInAt.Equal(t.sess.LoggedInAt) || disk.User.Email != t.sess.User.Email {
		return errors.New("the session was replaced by another login meanwhile")
	}
	change(disk)
	if err := t.store.Save(disk); err != nil {
		return err
	}
	t.sess = *disk
	return nil
}

// renew runs with t.mu held. need says whether the session as found on disk still needs a
// refresh; when it does not, another process refreshed it and its tokens are adopted.
func (t *storedTokens) renew(ctx context.Context, need func(*config.Session) bool) error {
	ctx, cancel := context.WithTimeout(ctx, sessionLockWait)
	defer cancel()
	unlock, err := t.store.Lock(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	disk, err := t.store.Load()
	switch {
	case errors.Is(err, config.ErrNoSession):
		return errkind.Authf("the session was logged out meanwhile\nrun `apikeys auth login`")
	case err != nil:
		return errkind.Authf("%w\nrun `apikeys auth login` to log in again", err)
	}
	if !sameAPIURL(disk.APIURL, t.sess.APIURL) || disk.Organization.ID != t.sess.Organization.ID {
		return errkind.Authf("the session was replaced meanwhile by a login to %s (organization %s)", disk.APIURL, sanitize.Text(disk.Organization.ID))
	}
	if disk.Ended != "" {
		t.dead = endedSessionError(disk)
		return t.dead
	}
	if !need(disk) {
		t.sess = *disk
		return nil
	}
	if t.noRenew {
		return errors.New("the session needs a refresh, which completion does not do: run any apikeys command")
	}
	// The file's refresh token is unspent: every process that spends one saves its
	// successor before releasing the lock. Once sent, the exchange is finished even if the
	// command is interrupted (Ctrl-C), since the server may already have rotated the token.
	rctx, rcancel := context.WithTimeout(context.WithoutCancel(ctx), jmapcloud.DefaultTimeout)
	defer rcancel()
	next, err := t.client.RefreshToken(rctx, disk.RefreshToken, disk.Organization.ID)
	switch {
	case err != nil && jmapcloud.NotProcessed(err):
		// The server did not take the token: it stays valid for a later command. %v: the
		// refresh was already retried, the request waiting for it must not retry it again.
		return fmt.Errorf("refreshing the session: %v\nthe session is unchanged: try again in a moment", err)
	case errors.As(err, new(*jmapcloud.InvalidIDError)):
		// Nothing was sent: the saved organization ID cannot be put in a path, so this session
		// can never work.
		t.dead = errkind.Authf("the saved session cannot be used: %v\nrun `apikeys auth login`", err)
		t.endSession(disk, "its organization ID is not a plausible identifier")
		return t.dead
	case err != nil && refreshRefused(err):
		// %v, not %w: this is no longer a 401 to react to with another refresh.
		t.dead = errkind.Authf("the session of %s has expired or was revoked (%v)\nrun `apikeys auth login`", sanitize.Text(disk.User.Email), err)
		t.endSession(disk, fmt.Sprintf("the server refused its refresh token (HTTP %d)", jmapcloud.StatusCode(err)))
		return t.dead
	case err != nil:
		t.dead = errkind.Authf("refreshing the session: %v\nthe refresh token may have been spent without its successor arriving: run `apikeys auth login`", err)
		t.endSession(disk, "the answer to its last refresh was lost, so its refresh token may be spent")
		return t.dead
	}
	spent := *disk
	now := t.now()
	disk.AccessToken, disk.RefreshToken, disk.ExpiresAt = next.AccessToken, next.RefreshToken, next.ExpiresAt
	disk.IssuedAt, disk.RefreshedAt = now, now
	if err := t.store.Save(disk); err != nil {
		// The old refresh token is spent and the new one cannot be kept: this process
		// must not use a pair it could not save, and the next one needs a new login.
		t.dead = errkind.Authf("%w\nthe previous refresh token is spent: run `apikeys auth login`", err)
		t.endSession(&spent, "the session renewed by its last refresh could not be saved, so its refresh token is spent")
		return t.dead
	}
	t.sess = *disk
	return nil
}

// endSession records, with the lock held, that disk's refresh token must not be presented
// again, so that later processes ask for a login instead. If the file cannot be rewritten
// (the disk that refused the renewed session, say), it is removed; if that fails too, the
// error says so, since the next process would present the spent token.
func (t *storedTokens) endSession(disk *config.Session, why string) {
	disk.Ended = why
	if err := t.store.Save(disk); err == nil {
		return
	}
	if err := t.store.Remove(); err != nil {
		t.dead = errkind.Authf("%w\nthe session file %s could not be marked or removed (%v): remove it, then run `apikeys auth login`", t.dead, t.store.Path, err)
	}
}
