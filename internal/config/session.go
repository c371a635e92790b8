package config

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/k2geospatial/apikeys/internal/l10n"
)

// Session stores: the values of the session-store setting.
const (
	// StoreAuto keeps the tokens in the OS keyring when one answers, else in the file.
	StoreAuto = "auto"
	// StoreKeyring keeps the tokens in the OS keyring, and fails when none answers.
	StoreKeyring = "keyring"
	// StoreFile keeps the whole session in a 0600 JSON file beside the configuration file.
	StoreFile = "file"
)

// sessionFormat is the version of the session file layout.
const sessionFormat = 1

// Session is a logged-in user's session of one profile, as saved. It holds the tokens: it
// is written only by SessionFile.Save (the tokens in the OS keyring or in the file, the rest
// in the file: mode 0600, atomic) and never printed.
type Session struct {
	Format       int                 `json:"format"`
	Profile      string              `json:"profile"`
	APIURL       string              `json:"apiUrl"`
	User         SessionUser         `json:"user"`
	Organization SessionOrganization `json:"organization"`
	// Roles are the member's roles in the organization when it was last checked (login).
	Roles []string `json:"roles,omitempty"`

	AccessToken  string    `json:"accessToken"`
	RefreshToken string    `json:"refreshToken"`
	ExpiresAt    time.Time `json:"accessTokenExpiresAt,omitzero"`
	// IssuedAt is when this access token was received, by the local clock: with ExpiresAt
	// it gives the token's lifetime, so refresh can start before the end of a short one.
	IssuedAt    time.Time `json:"issuedAt"`
	LoggedInAt  time.Time `json:"loggedInAt"`
	RefreshedAt time.Time `json:"refreshedAt,omitzero"`

	// Ended says why the session can no longer be renewed: its refresh token was refused,
	// or the answer to spending it was lost or could not be saved. Such a refresh token is
	// never presented to refresh-token again (the server would see a spent token reused);
	// it is kept only so that `auth logout` can revoke the server's session with it.
	Ended string `json:"ended,omitempty"`

	// TokenStore is where the tokens are: StoreKeyring, or "" when the file holds them
	// (every session saved before the keyring store). Save sets it.
	TokenStore string `json:"tokenStore,omitempty"`
}

// SessionUser is who logged in.
type SessionUser struct {
	Email string `json:"email"`
	Name  string `json:"name,omitempty"`
}

// SessionOrganization is the organization the session's tokens are bound to.
type SessionOrganization struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
}

// ErrNoSession is returned by SessionFile.Load when the profile has no saved session.
var ErrNoSession = l10n.Errorf("no saved session")

// SessionError is a session file that exists but cannot be used. Unlike a bad
// configuration file it holds nothing a person wrote, so logging in again replaces it.
type SessionError struct {
	Path string
	Err  error
}

func (e *SessionError) Error() string { return e.Localize(nil) }

// Localize is Error in p's language.
func (e *SessionError) Localize(p *l10n.Printer) string {
	return p.Sprintf("the saved session %s is unreadable: %v", e.Path, e.Err)
}

func (e *SessionError) Unwrap() error { return e.Err }

// SessionsDir is the directory of the session files that go with a configuration file.
func SessionsDir(configFile string) string {
	return filepath.Join(filepath.Dir(configFile), "sessions")
}

// SessionFile is the session store of one profile: <dir>/<profile>.json, and beside it
// <profile>.lock, which serialises refreshes across processes (see Lock). Under
// StoreKeyring, and under StoreAuto when the OS keyring answers, the tokens are kept in the
// keyring (KeyringService, Account) and the file holds the rest of the session.
//
// A SessionFile remembers where the session it last loaded or saved kept its tokens: Save
// and Remove use that, so load the session (under the lock) before changing it.
type SessionFile struct {
	Path     string
	LockPath string
	// Warn, when set, receives what Load and Save did on their own: a session file readable
	// by group or others narrowed to 0600, a session saved to the file under StoreAuto
	// because no keyring answered.
	Warn func(msg l10n.Msg)
	// Store is the session-store setting: StoreAuto, StoreKeyring or StoreFile ("" is
	// StoreFile).
	Store string
	// Keyring is the OS keyring; nil: SystemKeyring.
	Keyring Keyring
	// Account is the session's keyring account (KeyringAccount).
	Account string

	mu sync.Mutex
	// last is where the tokens of the session last loaded or saved were.
	last tokenPlace
}

// tokenPlace is where a session's tokens were found or put.
type tokenPlace struct {
	inFile    bool
	inKeyring bool
	// secret is the keyring entry as read or written, so that a save that changes no token
	// (the session marked ended, its roles recorded) need not write it again.
	secret string
}

// NewSessionFile returns the store of profile beside the configuration file configFile,
// with the file store; set Store for another. The profile name must already be normalised
// (ProfileName).
func NewSessionFile(configFile, profile string) *SessionFile {
	dir := SessionsDir(configFile)
	return &SessionFile{
		Path:     filepath.Join(dir, profile+".json"),
		LockPath: filepath.Join(dir, profile+".lock"),
		Account:  KeyringAccount(configFile, profile),
	}
}

func (f *SessionFile) keyring() Keyring {
	if f.Keyring == nil {
		return SystemKeyring()
	}
	return f.Keyring
}

// KeyringName names the store's keyring for people ("Secret Service").
func (f *SessionFile) KeyringName() string { return f.keyring().Name() }

// Load reads the session, its tokens from the keyring when the file says they are there.
// It returns ErrNoSession when there is none, a *SessionError when the file is unreadable
// or incomplete or the keyring lacks its tokens, and a *KeyringUnavailableError when the
// tokens are in a keyring that cannot be used now.
//
// The sessions directory and the file must be the user's and writable by nobody else (see
// checkOwnPath), or nothing is read: a *PermissionError. A file only readable by others is
// narrowed to 0600, with a warning (its tokens may have been read: logging in again replaces
// them).
func (f *SessionFile) Load() (*Session, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.last = tokenPlace{}
	if err := checkOwnPath(filepath.Dir(f.Path), true); err != nil {
		return nil, err
	}
	if err := checkOwnPath(f.Path, true); err != nil {
		return nil, err
	}
	if err := f.narrow(); err != nil {
		return nil, err
	}
	data, err := os.ReadFile(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNoSession
	}
	if err != nil {
		return nil, &SessionError{Path: f.Path, Err: err}
	}
	s, err := decodeSession(f.Path, data)
	if err != nil {
		return nil, err
	}
	if s.TokenStore != StoreKeyring {
		f.last = tokenPlace{inFile: true}
		return s, nil
	}
	if err := f.loadTokens(s); err != nil {
		return nil, err
	}
	return s, nil
}

// keyringSecret is a session's keyring entry: its tokens, with what binds them to the
// session file's metadata (a crash between writing the entry and the file leaves them
// apart: such tokens must not be sent to the file's API URL).
type keyringSecret struct {
	APIURL       string    `json:"apiUrl"`
	Organization string    `json:"organizationId"`
	LoggedInAt   time.Time `json:"loggedInAt"`
	AccessToken  string    `json:"accessToken"`
	RefreshToken string    `json:"refreshToken"`
}

func secretOf(s *Session) (string, error) {
	data, err := json.Marshal(keyringSecret{
		APIURL: s.APIURL, Organization: s.Organization.ID, LoggedInAt: s.LoggedInAt,
		AccessToken: s.AccessToken, RefreshToken: s.RefreshToken,
	})
	return string(data), err
}

// loadTokens fills s's tokens from its keyring entry.
func (f *SessionFile) loadTokens(s *Session) error {
	secret, err := f.keyring().Get(f.Account)
	if errors.Is(err, ErrKeyringNotFound) {
		return &SessionError{Path: f.Path, Err: l10n.Errorf("its tokens are missing from the system keyring (%s)", f.keyring().Name())}
	}
	if err != nil {
		return err
	}
	var k keyringSecret
	switch {
	case json.Unmarshal([]byte(secret), &k) != nil, k.AccessToken == "", k.RefreshToken == "":
		return &SessionError{Path: f.Path, Err: l10n.Errorf("its entry in the system keyring (%s) is not a session's tokens", f.keyring().Name())}
	case k.APIURL != s.APIURL || k.Organization != s.Organization.ID || !k.LoggedInAt.Equal(s.LoggedInAt):
		return &SessionError{Path: f.Path, Err: l10n.Errorf("its entry in the system keyring (%s) belongs to another login", f.keyring().Name())}
	}
	s.AccessToken, s.RefreshToken = k.AccessToken, k.RefreshToken
	f.last = tokenPlace{inKeyring: true, secret: secret}
	return nil
}

// narrow restricts a session file readable by group or others to its owner.
func (f *SessionFile) narrow() error {
	info, err := os.Stat(f.Path)
	if err != nil || !ownerCheckable || info.Mode().Perm()&0o077 == 0 {
		return nil // a missing file is for Load to report
	}
	if err := os.Chmod(f.Path, 0o600); err != nil {
		return l10n.Errorf("restricting %s to its owner: %w", f.Path, err)
	}
	f.warn(l10n.M("the session file %s was readable by others (mode %04o): narrowed to 0600; run `apikeys auth login` to replace its tokens if others could read them", f.Path, info.Mode().Perm()))
	return nil
}

func (f *SessionFile) warn(msg l10n.Msg) {
	if f.Warn != nil {
		f.Warn(msg)
	}
}

// decodeSession reads a session file's content, refusing anything incomplete.
func decodeSession(path string, data []byte) (*Session, error) {
	var s Session
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, &SessionError{Path: path, Err: l10n.Errorf("not valid JSON: %w", err)}
	}
	switch {
	case s.Format != sessionFormat:
		return nil, &SessionError{Path: path, Err: l10n.Errorf("unknown format %d (this apikeys writes format %d)", s.Format, sessionFormat)}
	case s.TokenStore != "" && s.TokenStore != StoreKeyring:
		return nil, &SessionError{Path: path, Err: l10n.Errorf("unknown token store %q", s.TokenStore)}
	case s.APIURL == "", s.Organization.ID == "":
		return nil, &SessionError{Path: path, Err: l10n.Errorf("incomplete: the API URL, organization or tokens are missing")}
	case s.TokenStore == "" && (s.AccessToken == "" || s.RefreshToken == ""):
		return nil, &SessionError{Path: path, Err: l10n.Errorf("incomplete: the API URL, organization or tokens are missing")}
	}
	if s.TokenStore == StoreKeyring {
		s.AccessToken, s.RefreshToken = "", "" // only the keyring's count
	}
	return &s, nil
}

// Save replaces the session. Its tokens go to the keyring under StoreKeyring (an error when
// it cannot be used: nothing is written then) and under StoreAuto when it answers; else to
// the file, with a notice under StoreAuto unless the session it replaces was in the file
// already. The keyring entry is written before the file, so that a file naming the keyring
// never meets older tokens there than its own.
//
// The file is replaced atomically: a temporary file in the same directory is written with
// mode 0600, synced, then renamed over the old one, so a reader (another apikeys process)
// sees the old session or the new one, never a torn file, and a crash cannot lose both. The
// directory is created with mode 0700.
func (f *SessionFile) Save(s *Session) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	cp := *s
	cp.Format = sessionFormat
	cp.TokenStore = ""
	var place tokenPlace
	switch f.Store {
	case StoreKeyring, StoreAuto:
		secret, err := f.saveTokens(&cp)
		switch {
		case err == nil:
			place = tokenPlace{inKeyring: true, secret: secret}
			cp.TokenStore = StoreKeyring
			cp.AccessToken, cp.RefreshToken = "", ""
		case f.Store == StoreKeyring:
			return l10n.Errorf("saving the session: %w\n"+KeyringAdvice, err)
		default:
			place = tokenPlace{inFile: true}
			if !f.last.inFile {
				f.warn(l10n.M("%v; the session is saved in %s (mode 0600) (session-store \"file\" says so and silences this)", err, f.Path))
			}
		}
	default:
		place = tokenPlace{inFile: true}
	}
	data, err := json.MarshalIndent(&cp, "", "  ")
	if err != nil {
		return err
	}
	if err := ensurePrivateDir(filepath.Dir(f.Path)); err != nil {
		return err
	}
	if err := WriteFileAtomic(f.Path, append(data, '\n'), 0o600); err != nil {
		return l10n.Errorf("saving the session: %w", err)
	}
	previous := f.last
	f.last = place
	if place.inFile && previous.inKeyring {
		// The tokens moved to the file: the keyring's copy is of no further use.
		if err := f.keyring().Delete(f.Account); err != nil && !errors.Is(err, ErrKeyringNotFound) {
			f.warn(l10n.M("the session's previous tokens could not be removed from the system keyring: %v", err))
		}
	}
	return nil
}

// KeyringAdvice is what to do when session-store is keyring and no keyring answers.
const KeyringAdvice = "session-store is \"keyring\": run apikeys where the keyring answers (a desktop session, with its D-Bus session bus), or set session-store to \"auto\" or \"file\" (APIKEYS_SESSION_STORE) to keep the session in a file readable only by you"

// saveTokens writes s's tokens to the keyring, unless the entry already holds them.
func (f *SessionFile) saveTokens(s *Session) (string, error) {
	secret, err := secretOf(s)
	if err != nil {
		return "", err
	}
	if f.last.inKeyring && f.last.secret == secret {
		return secret, nil
	}
	if err := f.keyring().Set(f.Account, secret); err != nil {
		return "", err
	}
	return secret, nil
}

// TokensInKeyring says whether the session last loaded or saved keeps its tokens in the
// keyring.
func (f *SessionFile) TokensInKeyring() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.last.inKeyring
}

// CheckKeyring reports, under StoreKeyring, a keyring that cannot be used, before anything
// is spent that only a save could keep (a login, a refresh token); nil under the other
// stores, which can always save to the file.
func (f *SessionFile) CheckKeyring() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.Store != StoreKeyring || f.last.inKeyring {
		return nil
	}
	if _, err := f.keyring().Get(f.Account); err != nil && !errors.Is(err, ErrKeyringNotFound) {
		return l10n.Errorf("%w\n"+KeyringAdvice, err)
	}
	return nil
}

// Probe asks the keyring whether it answers now (one lookup, bounded by KeyringTimeout).
func (f *SessionFile) Probe() error {
	_, err := f.keyring().Get(f.Account)
	if errors.Is(err, ErrKeyringNotFound) {
		return nil
	}
	return err
}

// Remove forgets the session: the file, and its keyring entry when its tokens were there
// (or may be: under StoreAuto and StoreKeyring). Removing a session that does not exist is
// not an error. The lock file stays: removing a lock file that another process may be
// waiting on would let two processes hold "the" lock at once.
func (f *SessionFile) Remove() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	err := os.Remove(f.Path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return l10n.Errorf("removing the session: %w", err)
	default:
		if err := syncDir(filepath.Dir(f.Path)); err != nil {
			return err
		}
	}
	inKeyring := f.last.inKeyring
	f.last = tokenPlace{}
	if !inKeyring && (f.Store == "" || f.Store == StoreFile) {
		return nil
	}
	if err := f.keyring().Delete(f.Account); err != nil && !errors.Is(err, ErrKeyringNotFound) && inKeyring {
		return l10n.Errorf("removing the session's tokens from the system keyring: %w\nremove them with `secret-tool clear service %s username '%s'` or your keyring's manager", err, KeyringService, f.Account)
	}
	return nil
}

// Lock takes the profile's session lock, an exclusive advisory lock (flock) on LockPath
// shared by every apikeys process, waiting until ctx is done. Whoever spends the
// single-use refresh token must hold it from reading the session until the new pair is
// saved. The returned function releases it.
func (f *SessionFile) Lock(ctx context.Context) (unlock func(), err error) {
	if err := ensurePrivateDir(filepath.Dir(f.LockPath)); err != nil {
		return nil, err
	}
	return lockFile(ctx, f.LockPath)
}

// ensurePrivateDir creates dir (and parents) with mode 0700 and narrows it to 0700 if it
// exists readable by others: it holds credentials. One that others could write to, or that
// another user owns, is refused (checkOwnPath).
func ensurePrivateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return l10n.Errorf("creating %s: %w", dir, err)
	}
	if err := checkOwnPath(dir, true); err != nil {
		return err
	}
	info, err := os.Stat(dir)
	if err != nil {
		return err
	}
	if info.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(dir, 0o700); err != nil {
			return l10n.Errorf("restricting %s to its owner: %w", dir, err)
		}
	}
	return nil
}
