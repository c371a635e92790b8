package config

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Session stores.
const (
	// StoreFile keeps the session in a 0600 JSON file beside the configuration file.
	StoreFile = "file"
	// StoreKeyring is accepted as a setting but not implemented: see docs/configuration.md.
	// The file store is used, and `auth status` says so.
	StoreKeyring = "keyring"
)

// sessionFormat is the version of the session file layout.
const sessionFormat = 1

// Session is a logged-in user's session of one profile, as saved on disk. It holds the
// tokens: it is written only by SessionFile.Save (mode 0600, atomic) and never printed.
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
var ErrNoSession = errors.New("no saved session")

// SessionError is a session file that exists but cannot be used. Unlike a bad
// configuration file it holds nothing a person wrote, so logging in again replaces it.
type SessionError struct {
	Path string
	Err  error
}

func (e *SessionError) Error() string {
	return fmt.Sprintf("the saved session %s is unreadable: %v", e.Path, e.Err)
}

func (e *SessionError) Unwrap() error { return e.Err }

// SessionsDir is the directory of the session files that go with a configuration file.
func SessionsDir(configFile string) string {
	return filepath.Join(filepath.Dir(configFile), "sessions")
}

// SessionFile is the session store of one profile: <dir>/<profile>.json, and beside it
// <profile>.lock, which serialises refreshes across processes (see Lock).
type SessionFile struct {
	Path     string
	LockPath string
	// Warn, when set, receives what Load corrected on its own: a session file readable by
	// group or others is narrowed to 0600.
	Warn func(msg string)
}

// NewSessionFile returns the store of profile beside the configuration file configFile.
// The profile name must already be normalised (ProfileName).
func NewSessionFile(configFile, profile string) *SessionFile {
	dir := SessionsDir(configFile)
	return &SessionFile{
		Path:     filepath.Join(dir, profile+".json"),
		LockPath: filepath.Join(dir, profile+".lock"),
	}
}

// Load reads the session. It returns ErrNoSession when there is none and a *SessionError
// when the file is unreadable or incomplete.
//
// The sessions directory and the file must be the user's and writable by nobody else (see
// checkOwnPath), or nothing is read: a *PermissionError. A file only readable by others is
// narrowed to 0600, with a warning (its tokens may have been read: logging in again replaces
// them).
func (f *SessionFile) Load() (*Session, error) {
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
	return decodeSession(f.Path, data)
}

// narrow restricts a session file readable by group or others to its owner.
func (f *SessionFile) narrow() error {
	info, err := os.Stat(f.Path)
	if err != nil || !ownerCheckable || info.Mode().Perm()&0o077 == 0 {
		return nil // a missing file is for Load to report
	}
	if err := os.Chmod(f.Path, 0o600); err != nil {
		return fmt.Errorf("restricting %s to its owner: %w", f.Path, err)
	}
	if f.Warn != nil {
		f.Warn(fmt.Sprintf("the session file %s was readable by others (mode %04o): narrowed to 0600; run `apikeys auth login` to replace its tokens if others could read them", f.Path, info.Mode().Perm()))
	}
	return nil
}

// decodeSession reads a session file's content, refusing anything incomplete.
func decodeSession(path string, data []byte) (*Session, error) {
	var s Session
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, &SessionError{Path: path, Err: fmt.Errorf("not valid JSON: %w", err)}
	}
	switch {
	case s.Format != sessionFormat:
		return nil, &SessionError{Path: path, Err: fmt.Errorf("unknown format %d (this apikeys writes format %d)", s.Format, sessionFormat)}
	case s.APIURL == "", s.Organization.ID == "", s.AccessToken == "", s.RefreshToken == "":
		return nil, &SessionError{Path: path, Err: errors.New("incomplete: the API URL, organization or tokens are missing")}
	}
	return &s, nil
}

// Save replaces the session atomically: a temporary file in the same directory is written
// with mode 0600, synced, then renamed over the old one, so a reader (another apikeys
// process) sees the old session or the new one, never a torn file, and a crash cannot lose
// both. The directory is created with mode 0700.
func (f *SessionFile) Save(s *Session) error {
	cp := *s
	cp.Format = sessionFormat
	data, err := json.MarshalIndent(&cp, "", "  ")
	if err != nil {
		return err
	}
	if err := ensurePrivateDir(filepath.Dir(f.Path)); err != nil {
		return err
	}
	if err := WriteFileAtomic(f.Path, append(data, '\n'), 0o600); err != nil {
		return fmt.Errorf("saving the session: %w", err)
	}
	return nil
}

// Remove forgets the session. Removing a session that does not exist is not an error. The
// lock file stays: removing a lock file that another process may be waiting on would let
// two processes hold "the" lock at once.
func (f *SessionFile) Remove() error {
	err := os.Remove(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil // nothing to forget, and perhaps no sessions directory to sync
	}
	if err != nil {
		return fmt.Errorf("removing the session: %w", err)
	}
	return syncDir(filepath.Dir(f.Path))
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
		return fmt.Errorf("creating %s: %w", dir, err)
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
			return fmt.Errorf("restricting %s to its owner: %w", dir, err)
		}
	}
	return nil
}
