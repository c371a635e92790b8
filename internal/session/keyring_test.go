package session

import (
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/k2geospatial/apikeys/internal/config"
	"github.com/k2geospatial/apikeys/internal/errkind"
	"github.com/k2geospatial/apikeys/internal/sandbox"
)

// memKeyring is an OS keyring in memory. down fails every call, as a keyring that does not
// answer; setErr fails only writes.
type memKeyring struct {
	mu      sync.Mutex
	entries map[string]string
	down    error
	setErr  error
}

func (k *memKeyring) Name() string { return "Test Keyring" }

func (k *memKeyring) fail(err error) error {
	return &config.KeyringUnavailableError{Name: k.Name(), Err: err}
}

func (k *memKeyring) Get(account string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.down != nil {
		return "", k.fail(k.down)
	}
	v, ok := k.entries[account]
	if !ok {
		return "", config.ErrKeyringNotFound
	}
	return v, nil
}

func (k *memKeyring) Set(account, secret string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.down != nil || k.setErr != nil {
		return k.fail(errors.Join(k.down, k.setErr))
	}
	if k.entries == nil {
		k.entries = map[string]string{}
	}
	k.entries[account] = secret
	return nil
}

func (k *memKeyring) Delete(account string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.down != nil {
		return k.fail(k.down)
	}
	delete(k.entries, account)
	return nil
}

func (k *memKeyring) entry(account string) string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.entries[account]
}

// keyringEnv is env with the sessions' tokens in k, under the session-store store.
type keyringEnv struct {
	*env
	k     *memKeyring
	store string
}

func (e *keyringEnv) settings() *config.Settings {
	s := e.env.settings()
	s.SessionStore = e.store
	return s
}

func (e *keyringEnv) manager() *Manager {
	m := e.env.manager()
	m.Keyring = e.k
	return m
}

func (e *keyringEnv) login(t *testing.T) *LoginResult {
	t.Helper()
	res, err := e.manager().Login(t.Context(), e.settings(), LoginRequest{
		Credentials: func() (string, string, error) { return sandbox.AdminEmail, sandbox.Password, nil },
	})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func (e *keyringEnv) list() error {
	sess, err := e.manager().Open(e.t.Context(), e.settings())
	if err != nil {
		return err
	}
	_, err = sess.ListKeys(e.t.Context())
	return err
}

func (e *keyringEnv) account() string { return config.KeyringAccount(e.cfg, "default") }

func (e *keyringEnv) fileText(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile(e.env.store().Path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// Under auto with a keyring, a refresh saves the renewed pair in the keyring before use,
// and the file never holds a token.
func TestKeyringSessionRefreshesIntoTheKeyring(t *testing.T) {
	e := &keyringEnv{env: newEnv(t, 0), k: &memKeyring{}, store: config.StoreAuto}
	res := e.login(t)
	if res.Store.String() != "keyring (Test Keyring)" {
		t.Errorf("login store %q", res.Store.String())
	}
	first := e.k.entry(e.account())
	e.advance(2 * time.Hour)
	before := e.sb.Stats().Refreshes
	if err := e.list(); err != nil {
		t.Fatal(err)
	}
	if n := e.sb.Stats().Refreshes - before; n != 1 {
		t.Errorf("%d refreshes, want 1", n)
	}
	if e.k.entry(e.account()) == first {
		t.Error("the renewed pair is not in the keyring")
	}
	for _, tok := range e.tokens {
		if strings.Contains(e.fileText(t), tok) {
			t.Fatalf("the session file holds a token")
		}
	}
	st, err := e.manager().Status(e.settings())
	if err != nil || st.SessionStore != config.StoreKeyring || st.Keyring != "Test Keyring" {
		t.Errorf("status: %+v, %v", st, err)
	}
	if got := (&Manager{Keyring: e.k}).DescribeStore(e.settings()).String(); got != "keyring (Test Keyring)" {
		t.Errorf("DescribeStore: %q", got)
	}
}

// Under keyring with no keyring answering, a session saved in the file is not renewed:
// its refresh token is not spent, since its successor could not be kept, and the session
// stays usable where it can be saved.
func TestKeyringRequiredButDownSpendsNoRefreshToken(t *testing.T) {
	e := &keyringEnv{env: newEnv(t, 0), k: &memKeyring{down: errors.New("no D-Bus session bus")}, store: config.StoreFile}
	e.login(t)
	e.store = config.StoreKeyring
	e.advance(2 * time.Hour)
	before := e.sb.Stats().Refreshes
	err := e.list()
	if err == nil || !strings.Contains(err.Error(), config.KeyringAdvice) {
		t.Errorf("list: %v", err)
	}
	if n := e.sb.Stats().Refreshes - before; n != 0 {
		t.Errorf("%d refresh tokens spent", n)
	}
	if e.saved().Ended != "" {
		t.Error("the session was ended")
	}
	e.store = config.StoreFile
	if err := e.list(); err != nil {
		t.Errorf("list with the file store: %v", err)
	}
	want := "keyring (Test Keyring), not available: the system keyring (Test Keyring) is not available: no D-Bus session bus"
	s := e.settings()
	s.SessionStore = config.StoreKeyring
	if got := (&Manager{Keyring: e.k}).DescribeStore(s).String(); got != want {
		t.Errorf("DescribeStore: %q, want %q", got, want)
	}
}

// A renewed pair the keyring refuses to keep is not used and not dropped in silence: the
// command fails asking for a login, the session is marked ended, and no later command
// presents the spent refresh token.
func TestKeyringSaveFailureAfterARefreshEndsTheSession(t *testing.T) {
	e := &keyringEnv{env: newEnv(t, 0), k: &memKeyring{}, store: config.StoreKeyring}
	e.login(t)
	e.k.mu.Lock()
	e.k.setErr = errors.New("no answer within 3s")
	e.k.mu.Unlock()
	e.advance(2 * time.Hour)
	err := e.list()
	e.wantErr(t, "a refresh whose save failed", err, errkind.Auth, "no answer within 3s", "the previous refresh token is spent")
	err = e.list()
	e.wantErr(t, "the ended session", err, errkind.Auth, "can no longer be renewed")
	if n := e.sb.Stats().RefreshTokenReuse; n != 0 {
		t.Errorf("a spent refresh token was presented again (%d)", n)
	}
}

// Logout of a session whose tokens are in a keyring that does not answer keeps the session
// (its refresh token could not be revoked) and says where to run it.
func TestKeyringLogoutWithoutTheKeyringKeepsTheSession(t *testing.T) {
	e := &keyringEnv{env: newEnv(t, 0), k: &memKeyring{}, store: config.StoreAuto}
	e.login(t)
	e.k.mu.Lock()
	e.k.down = errors.New("no answer within 3s")
	e.k.mu.Unlock()
	_, err := e.manager().Logout(t.Context(), e.settings())
	if err == nil || !strings.Contains(err.Error(), "run `apikeys auth logout` where the keyring answers (the session is kept)") {
		t.Errorf("logout: %v", err)
	}
	if _, err := os.Stat(e.env.store().Path); err != nil {
		t.Errorf("the session file is gone: %v", err)
	}
	e.k.mu.Lock()
	e.k.down = nil
	e.k.mu.Unlock()
	res, err := e.manager().Logout(t.Context(), e.settings())
	if err != nil || res.Session == nil || e.k.entry(e.account()) != "" {
		t.Errorf("logout with the keyring: %+v, %v; entry left: %v", res, err, e.k.entry(e.account()) != "")
	}
}
